"""The ledger as it stood at a moment: which submission is current for each form, project and key,
and each project's state on a day. One sweep in arrival order yields the snapshots for several
moments (the roll-up date and the trend weeks) without reading anything twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from pmokit.rollup.facts import Facts, Sub
from pmokit.settings import Settings
from pmokit.workdays import CHINA_TIME, weekly_deadlines

APPROVED = "通过"
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
CLOSED = ("结项", "终验")


@dataclass
class Snapshot:
    facts: Facts
    moment: dt.datetime = EPOCH
    # project -> form -> period -> the current (latest) accepted submission id
    current: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    received: int = 0  # files received by `moment`, accepted or not
    on_template: int = 0  # of those, files identified as one of our forms
    latest: dict[str, int] = field(default_factory=dict)  # project -> latest week's report
    last_id: int = 0  # the newest submission taken

    @property
    def day(self) -> dt.date:
        return self.moment.astimezone(CHINA_TIME).date()

    def take(self, sub: Sub) -> None:
        self.received += 1
        self.last_id = max(self.last_id, sub.id)
        self.on_template += sub.form is not None
        if sub.accepted and sub.project:
            periods = self.current.setdefault(sub.project, {}).setdefault(sub.form or "", {})
            known = periods.get(sub.period or "")
            if known is None or known < sub.id:  # ids follow our arrival sequence
                periods[sub.period or ""] = sub.id
                if sub.form == "weekly":
                    self._newer_week(sub.project, sub.id)

    def _newer_week(self, project: str, sid: int) -> None:
        weekly, held = self.facts.headers["weekly"], self.latest.get(project)
        if held is None or weekly[sid].week_ending >= weekly[held].week_ending:
            self.latest[project] = sid

    def ids(self, project: str, form: str) -> dict[str, int]:
        return self.current.get(project, {}).get(form, {})

    def header(self, form: str, sid: int):
        return self.facts.headers[form].get(sid)

    def initiation(self, project: str):
        ids = self.ids(project, "initiation")
        return self.header("initiation", max(ids.values())) if ids else None

    def approved_changes(self, project: str, change_type: str | None = None) -> list[int]:
        """Approved changes (optionally of one type), in arrival order."""
        found = []
        for sid in sorted(self.ids(project, "change").values()):
            row = self.header("change", sid)
            if row.approval_result == APPROVED and change_type in (None, row.change_type):
                found.append(sid)
        return found

    def weeklies(self, project: str) -> list[int]:
        """Current weekly reports, oldest week first."""
        ids = self.ids(project, "weekly").values()
        return sorted(ids, key=lambda sid: self.header("weekly", sid).week_ending)

    def latest_weekly(self, project: str) -> int | None:
        return self.latest.get(project)

    def state(self, project: str, day: dt.date | None = None) -> str | None:
        """The project's state on `day` (default: the snapshot's day), by effective date."""
        day = day or self.day
        state = None
        for effective, target in self.facts.moves.get(project, ()):
            if effective is None or effective <= day:
                state = target
        return state

    def projects(self) -> list[str]:
        return sorted(code for code in self.current if code in self.facts.register)

    def report_received(self, project: str, friday: dt.date) -> dt.datetime | None:
        first = self.facts.first_report.get((project, friday))
        return first if first is not None and first <= self.moment else None


def sweep(facts: Facts, moments: list[dt.datetime]) -> Iterator[Snapshot]:
    """The snapshot at each moment, in increasing order; each is live only until the next."""
    snapshot = Snapshot(facts)
    subs, index = sorted(facts.subs, key=lambda s: (s.received, s.seq)), 0
    for moment in sorted(moments):
        while index < len(subs) and subs[index].received <= moment:
            snapshot.take(subs[index])
            index += 1
        snapshot.moment = moment
        yield snapshot


def report_week(settings: Settings, moment: dt.datetime) -> dt.date:
    """The latest week whose report was due by `moment`: the week the roll-up reports on."""
    day = moment.astimezone(CHINA_TIME).date()
    friday = day - dt.timedelta(days=(day.weekday() - 4) % 7)
    if weekly_deadlines(settings.calendar, friday)[0] > moment:
        friday -= dt.timedelta(weeks=1)
    return friday


def fridays_back(friday: dt.date, count: int) -> list[dt.date]:
    """`count` Fridays ending with `friday`, oldest first."""
    return [friday - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]
