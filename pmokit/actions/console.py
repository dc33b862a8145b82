"""The PMO console's four buttons: the roll-up, the briefing, a closure report and the status
mail, each the library function the CLI calls (`pmo rollup`, `pmo report briefing`,
`pmo report closure`, `pmo mail send status`), as of now, answered in one line for the cell
and the message box the button shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from generators.workbooks import CODE_NAME, RESULT_NAME
from pmokit.actions.buttons import Answer
from pmokit.actions.mailing import send_mail
from pmokit.actions.reporting import (
    briefing_file_name,
    briefing_to_file,
    closure_file_name,
    closure_report_to_file,
)
from pmokit.actions.rollups import rollup_to_file
from pmokit.base.errors import PmoError, os_reason
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.ledger.store import Ledger
from pmokit.utils.files import SAFE, free_name

WROTE = Label("已生成：{path}", "Written: {path}")
NO_CODE = Label(
    "请先在“项目编号”单元格填写要生成结项报告的项目编号（如 PRJ-2026-001）。",
    "First type the project's code (such as PRJ-2026-001) in the project code cell.",
)
MAILED = Label(
    "提交情况邮件：新排队 {queued} 封，已发送 {sent} 封，失败 {failed} 封，"
    "之前已排队 {already} 封。",
    "Status mail: {queued} queued, {sent} sent, {failed} failed, {already} queued before.",
)


class ConsoleCells(Protocol):
    """The console workbook's named cells: on disk (openpyxl) or open in Excel (xlwings)."""

    def get(self, name: str) -> str: ...

    def put(self, name: str, text: str) -> None: ...


def press(button: str, cells: ConsoleCells, settings: Settings, moment: dt.datetime) -> Answer:
    """A console button pressed: its answer written into the result cell."""
    if button == "closure":
        answer = make_closure_report(settings, cells.get(CODE_NAME))
    else:
        answer = {"rollup": refresh_rollup, "briefing": make_briefing, "status": send_status}[
            button
        ](settings, moment)
    cells.put(RESULT_NAME, answer.text)
    return answer


def _answered(run: Callable[[Settings, Ledger], Answer], settings: Settings) -> Answer:
    """One line whatever happens: a PmoError or a file problem in the user's words."""
    try:
        forms = load_forms(settings.spec_folder())
        with Ledger(settings.ledger_url(), forms, create=False) as ledger:
            return run(settings, ledger)
    except PmoError as exc:
        return Answer(False, exc.text(settings.lang))
    except OSError as exc:
        where = getattr(exc, "filename", None) or ""
        return Answer(False, f"{where} {os_reason(exc).text(settings.lang)}".strip())


def _reports_folder(settings: Settings) -> Path:
    folder = (settings.home or Path.cwd()) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free(folder: Path, name: str) -> Path:
    return free_name(folder, name)


def refresh_rollup(settings: Settings, moment: dt.datetime) -> Answer:
    def run(settings: Settings, ledger: Ledger) -> Answer:
        written = rollup_to_file(ledger, settings, moment)
        said = WROTE.text(settings.lang).format(path=written.text(settings.lang))
        return Answer(True, said, written.path)

    return _answered(run, settings)


def make_briefing(settings: Settings, moment: dt.datetime) -> Answer:
    def run(settings: Settings, ledger: Ledger) -> Answer:
        out = _free(_reports_folder(settings), briefing_file_name(moment, settings.lang))
        written = briefing_to_file(ledger, settings, moment, out)
        return Answer(True, WROTE.text(settings.lang).format(path=written.path), written.path)

    return _answered(run, settings)


def make_closure_report(settings: Settings, code: str) -> Answer:
    code = code.strip()
    if not SAFE.match(code):
        return Answer(False, NO_CODE.text(settings.lang))

    def run(settings: Settings, ledger: Ledger) -> Answer:
        out = _free(_reports_folder(settings), closure_file_name(code, settings.lang))
        written = closure_report_to_file(ledger, code, settings, out)
        return Answer(True, WROTE.text(settings.lang).format(path=written.path), written.path)

    return _answered(run, settings)


def send_status(settings: Settings, moment: dt.datetime, sender=None) -> Answer:
    def run(settings: Settings, ledger: Ledger) -> Answer:
        mailed = send_mail("status", ledger, settings, moment, sender=sender)
        delivery = mailed.delivery
        counts = {
            "queued": len(mailed.queued),
            "already": mailed.already,
            "sent": len(delivery.sent) if delivery else 0,
            "failed": len(delivery.failed) if delivery else 0,
        }
        said = MAILED.text(settings.lang).format(**counts)
        problems = [p.text(settings.lang) for p in mailed.problems]
        return Answer(not counts["failed"], " ".join([said, *problems]))

    return _answered(run, settings)
