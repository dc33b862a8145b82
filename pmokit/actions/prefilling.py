"""`pmo forms prefill`: each project's form pre-filled from the ledger (pmokit/reports/
prefill.py), written as the form's workbook into `<out>/<project>/`, never over a file; and
the service's weekly run of it (`[schedule] prefill = "fri 08:00"`): every project in 实施
gets that week's report pre-filled in the share's `templates/<project>/`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.forms import build_form
from generators.output import writing
from pmokit.base.errors import PmoError
from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.mail.schedule import ScheduleLog, mark_run, weekly_moment
from pmokit.reports.prefill import Prefill, prefill, projects_owing
from pmokit.utils.files import SAFE, atomic_write, free_name

NONE_OWING = Label("台账中没有需要填写{form}的项目", "the ledger has no project that owes a {form}")


@dataclass(frozen=True)
class PrefilledFile:
    path: Path
    prefill: Prefill

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "project": self.prefill.code,
            "form": self.prefill.form.id,
            "period": self.prefill.period,
            "locked": sorted(self.prefill.locked),
            "record": self.prefill.record.to_dict(),
        }


def prefilled_name(done: Prefill, lang: str) -> str:
    """PRJ-2026-001_项目周报_2026-03-20.xlsx: the project, the form, what it is for."""
    parts = [done.code, form_name(done.form.id).text(lang), done.period]
    return "_".join(p for p in parts if p) + ".xlsx"


def prefill_to_files(
    ledger: Ledger,
    codes: list[str] | None,
    form: FormSpec,
    out: Path,
    lang: str,
    today: dt.date,
) -> list[PrefilledFile]:
    """The form pre-filled for each project (`codes`, or every project that owes it when
    None), each written whole (a PM may be opening the folder on the share)."""
    codes = projects_owing(ledger, form) if codes is None else list(dict.fromkeys(codes))
    if not codes:
        said = NONE_OWING.format(form=form_name(form.id))
        raise PmoError(said.zh, said.en)
    done = [prefill(ledger, code, form, today) for code in codes]  # every code known first
    written = []
    for each in done:
        folder = out / (each.code if SAFE.match(each.code) else "other")
        with writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
        name = prefilled_name(each, lang)
        target = free_name(folder, name)
        with writing(target):
            atomic_write(
                target, lambda temp, e=each: build_form(form, temp, lang, e.record, locked=e.locked)
            )
        written.append(PrefilledFile(target, each))
    return written


class PrefillService:
    """Between the watcher's scans: when the week's prefill moment has come (moved off days
    off), the weekly forms of every project in 实施, once per moment (remembered in
    `.pmo/prefill.json`; a first start does nothing for moments before it)."""

    def __init__(self, ledger: Ledger, settings: Settings, share: Path) -> None:
        self.ledger, self.settings, self.share = ledger, settings, share
        self.log = ScheduleLog(settings.state_dir(), "prefill.json")

    def tick(self, now: dt.datetime | None = None) -> list[dict]:
        at = self.settings.schedule.prefill
        if at is None:
            return []
        now = now or dt.datetime.now(CHINA_TIME)
        # a day off moves it to the working day before: the forms come before the deadline
        moment = weekly_moment(at, self.settings.calendar, now, earlier=True)
        ran = self.log.read().get("prefill")
        if ran is not None and moment <= dt.datetime.fromisoformat(ran):
            return []
        mark_run(self.log, "prefill", moment)
        if ran is None:  # a first start: from the next moment on
            return []
        event: dict[str, Any] = {"event": "prefill", "as_of": moment.isoformat()}
        try:
            weekly = self.ledger.forms["weekly"]
            site = self.settings.site or None  # several sites: each share its own projects
            written = prefill_to_files(
                self.ledger,
                projects_owing(self.ledger, weekly, site) if site else None,
                weekly,
                self.share / "templates",
                self.settings.lang,
                moment.date(),  # in the week it was due: this_friday() gives that Friday
            )
            event["written"] = len(written)
        except Exception as exc:  # said in the log; the service goes on, next week tries again
            text = exc.text(self.settings.lang) if isinstance(exc, PmoError) else repr(exc)
            event["problem"] = text
        return [event]
