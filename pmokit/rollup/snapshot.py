"""The ledger as it stood at a moment: which submission is current for each form, project and key,
and each project's state on a day. One sweep in arrival order yields the snapshots for several
moments (the roll-up date and the trend weeks) without reading anything twice."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter, le

from pmokit.alerts.inputs import AlertInputs, assemble
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME, weekly_deadlines
from pmokit.ledger.moves import state_on
from pmokit.ledger.store import Ledger
from pmokit.rollup.facts import Facts, Sub

APPROVED = "通过"
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
CLOSED = ("结项", "终验")


@dataclass
class Snapshot:
    facts: Facts
    moment: dt.datetime = EPOCH
    # (project, form) -> period -> the current (latest) accepted submission id
    current: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)  # projects with an accepted submission
    received: int = 0  # files received by `moment`, accepted or not
    on_template: int = 0  # of those, files identified as one of our forms
    latest: dict[str, int] = field(default_factory=dict)  # project -> latest week's report
    # (project, form) -> accepted submissions in arrival order, as the alert rules read them
    arrivals: dict[tuple[str, str], list[Sub]] = field(default_factory=dict)
    last_id: int = 0  # the newest submission taken
    day: dt.date = dt.date(2000, 1, 1)  # the moment's date in China
    # (project, week) -> when the first report for that week arrived
    first_report: dict[tuple[str, dt.date], dt.datetime] = field(default_factory=dict)
    # project -> figures derived from its forms other than weekly reports (baselines, spend):
    # they carry over from one trend week to the next until another such form arrives.
    memo: dict[str, dict[str, object]] = field(default_factory=dict)

    def at(self, moment: dt.datetime) -> None:
        self.moment, self.day = moment, moment.astimezone(CHINA_TIME).date()

    def take(self, subs: list[Sub]) -> None:
        """Take submissions in arrival order. The sweep's inner loop — every file the ledger
        has received passes here once a roll-up — so its lookups are hoisted."""
        current, latest, arrivals, memo = self.current, self.latest, self.arrivals, self.memo
        first = self.first_report
        week_of, last_id, on_template = self.facts.week_of, self.last_id, 0
        for sub in subs:
            sid, _, form, project, period, _, accepted = sub
            last_id = sid if sid > last_id else last_id
            if form is None:
                continue
            on_template += 1
            if not (accepted and project):
                continue
            key = (project, form)
            periods = current.get(key)
            if periods is None:
                periods = current[key] = {}
                arrivals[key] = []
                self.codes.add(project)
            arrivals[key].append(sub)
            if form != "weekly":
                memo.pop(project, None)
            known = periods.get(period or "")
            if known is not None and known > sid:  # ids follow our arrival sequence
                continue
            periods[period or ""] = sid
            if form == "weekly":
                first.setdefault((project, week_of[sid]), sub.received)
                held = latest.get(project)
                if held is None or week_of[sid] >= week_of[held]:
                    latest[project] = sid
        self.received += len(subs)
        self.last_id, self.on_template = last_id, self.on_template + on_template

    def remember(self, what: str, project: str, compute):
        """compute() — a figure from the project's forms other than weekly reports — or its
        value from an earlier moment if no such form has arrived for the project since."""
        held = self.memo.get(project)
        if held is None:
            held = self.memo[project] = {}
        if what not in held:
            held[what] = compute()
        return held[what]

    def ids(self, project: str, form: str) -> dict[str, int]:
        return self.current.get((project, form), {})

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
        return sorted(self.ids(project, "weekly").values(), key=self.facts.week_of.__getitem__)

    def latest_weekly(self, project: str) -> int | None:
        return self.latest.get(project)

    def state(self, project: str, day: dt.date | None = None) -> str | None:
        """The project's state on `day` (default: the snapshot's day), by effective date."""
        return state_on(self.facts.moves.get(project, ()), day or self.day)[0]

    def projects(self) -> list[str]:
        return sorted(code for code in self.codes if code in self.facts.register)

    def report_received(self, project: str, friday: dt.date) -> dt.datetime | None:
        return self.first_report.get((project, friday))  # all taken arrived by the moment


def sweep(facts: Facts, moments: list[dt.datetime]) -> Iterator[Snapshot]:
    """The snapshot at each moment, in increasing order; each is live only until the next."""
    snapshot = Snapshot(facts)
    subs, index = facts.subs, 0  # in arrival sequence: by time too, unless a clock went back
    times = [s.received for s in subs]
    if not all(map(le, times, times[1:])):
        subs = sorted(subs, key=attrgetter("received", "seq"))
        times = [s.received for s in subs]
    for moment in sorted(moments):
        end = bisect_right(times, moment, index)
        snapshot.take(subs[index:end])
        snapshot.at(moment)
        index = end
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


def alert_inputs(ledger: Ledger, snap: Snapshot) -> AlertInputs:
    """What the alert rules need at the snapshot's moment, from the facts already read."""
    return assemble(ledger, snap.facts.moves, snap.arrivals, snap.facts.headers)
