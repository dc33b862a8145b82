"""The folder protocol on the share: which files in the inbox are submissions, and the last
stage of intake there — filing the original away into accepted/, rejected/ (with its feedback)
or duplicates/, by rename, never deleted and never overwriting what is already there.

`take_from_inbox()` is what the watcher and the Submit button do with a file in the inbox:
intake with the record marked "awaiting its move", then `file_away()` — feedback, then the
move, then the mark cleared — so a crash anywhere redoes what is left, once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pmokit.base.issues import Report
from pmokit.base.lifecycle import form_name
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult, mark_filed
from pmokit.pipeline.archive import Arrival
from pmokit.pipeline.intake import intake
from pmokit.utils.crash import crash_point
from pmokit.utils.files import SAFE, free_name, remove_stale_temps
from pmokit.validation.validate import Checked

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Not a person's submission: Office owner files (~$), hidden and partial or temporary names,
# and what file managers leave behind. Everything else in the inbox gets an answer.
IGNORED = re.compile(
    r"^(~\$.*|\..*|.*\.(tmp|part|crdownload|swp)|[0-9A-Fa-f]{8}|thumbs\.db|desktop\.ini)$",
    re.IGNORECASE,
)
FOLDERS = {"accepted": "accepted", "rejected": "rejected", "duplicate": "duplicates"}
# (original bytes, report, folder, file stem): writes the feedback beside a rejected file
WriteFeedback = Callable[[bytes, Report, Path, str], object]


def is_ignored(name: str) -> bool:
    """Excel's owner file (~$), a temporary or hidden name: not something a person sent."""
    return bool(IGNORED.match(name))


def is_submission(name: str) -> bool:
    """A file in the inbox that gets an answer: every file that is not ignored — a .pdf or a
    .csv is refused with its reason, a corrected *.feedback.xlsx is a resubmission."""
    return not is_ignored(name)


def is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES) and not is_ignored(name)


def submitted_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """Files as given, and the workbooks in given folders, by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and is_workbook(p.name))
        else:
            found.append(path)
    return found


def destination_folder(share: Path, result: IntakeResult, received: dt.datetime) -> Path:
    """accepted/<YYYY>/<project>/; rejected/<project>/ when the file named a project, else
    rejected/<YYYY-MM-DD>/ (the day it arrived, China time); duplicates/. Only allowlisted
    project codes become folder names."""
    outcome, project = result.outcome, result.project
    folder = share / FOLDERS[outcome]
    known = project if project and SAFE.match(project) else None
    if outcome == "accepted":
        return folder / f"{received.year:04d}" / (known or "other")
    if outcome == "rejected":
        return folder / (known or received.astimezone(CHINA_TIME).date().isoformat())
    return folder


def filed_name(folder: Path, name: str, result: IntakeResult, lang: str) -> Path:
    """Where the original can go in `folder`: its own name; when that is taken, the name with
    what it is — project, form, period — added (`周报 (PRJ-2026-001 项目周报 2026-04-17).xlsx`),
    then a counter."""
    folder.mkdir(parents=True, exist_ok=True)
    form = result.report.form
    said = [result.project if result.project and SAFE.match(result.project) else None]
    said += [form_name(form).text(lang) if form else None, result.period]
    return free_name(folder, name, _marks(" ".join(part for part in said if part)))


def _marks(what: str) -> Iterator[str]:
    if what:
        yield f" ({what})"
    for n in itertools.count(2):
        yield f" ({what}, {n})" if what else f" ({n})"


def file_away(
    result: IntakeResult,
    arrival: Arrival,
    source: Path,
    share: Path,
    ledger: Ledger,
    write_feedback: WriteFeedback,
    lang: str = "zh",
) -> Path:
    """Feedback (for a rejected file), then the move, then the record marked filed."""
    folder = destination_folder(share, result, arrival.received)
    target = filed_name(folder, source.name, result, lang)
    # Feedback before the move: a crash in between redoes both.
    if result.outcome == "rejected":
        if folder.is_dir():  # a kill inside an earlier feedback write left its temporary file
            remove_stale_temps(folder)
        write_feedback(arrival.data, result.report, target.parent, target.stem)
        crash_point("after-feedback")
    os.replace(source, target)
    crash_point("after-move")
    if result.outcome != "duplicate":
        mark_filed(ledger, result.submission_id)
    return target


def take_from_inbox(
    source: Path,
    arrival: Arrival,
    share: Path,
    settings: Settings,
    ledger: Ledger,
    forms: dict[str, FormSpec],
    write_feedback: WriteFeedback,
    checked: Checked | None = None,
) -> tuple[IntakeResult, Path]:
    """A file in the share's inbox through intake and filed away; returns where it went."""
    result = intake(arrival, settings, ledger, forms, checked, awaiting_move=True)
    crash_point("after-record")
    return result, file_away(result, arrival, source, share, ledger, write_feedback, settings.lang)
