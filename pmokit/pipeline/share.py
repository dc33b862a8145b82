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
from collections.abc import Callable
from pathlib import Path

from pmokit.base.issues import Report
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult, mark_filed
from pmokit.pipeline.archive import Arrival
from pmokit.pipeline.intake import intake
from pmokit.utils.crash import crash_point
from pmokit.utils.files import content_hash, free_name
from pmokit.validation.validate import Checked

SUFFIXES = (".xlsx", ".xlsm")
IGNORED = re.compile(
    r"^(~\$.*|\..*|.*\.(tmp|part|crdownload)|[0-9A-Fa-f]{8}|thumbs\.db|desktop\.ini|.*\.feedback\..*)$",
    re.IGNORECASE,
)
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
FOLDERS = {"accepted": "accepted", "rejected": "rejected", "duplicate": "duplicates"}
# (original bytes, report, folder, file stem): writes the feedback beside a rejected file
WriteFeedback = Callable[[bytes, Report, Path, str], object]


def is_submission(name: str) -> bool:
    """A workbook a person dropped, not Excel's owner file (~$), a temp name or our feedback."""
    return name.lower().endswith(SUFFIXES) and not IGNORED.match(name)


def submitted_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """Files as given, and the submissions in given folders, by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and is_submission(p.name))
        else:
            found.append(path)
    return found


def destination_folder(share: Path, result: IntakeResult, received: dt.datetime) -> Path:
    """accepted/<YYYY>/<project>/, rejected/ or duplicates/ (names from cells are allowlisted)."""
    outcome = result.outcome
    folder = share / FOLDERS[outcome]
    project = result.project
    if outcome == "accepted":
        folder = (
            folder
            / f"{received.year:04d}"
            / (project if project and SAFE.match(project) else "other")
        )
    return folder


def filed_name(folder: Path, name: str, data: bytes) -> Path:
    """Where the original can go in `folder`: its own name, or with its content hash (and a
    counter) added when that name is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = content_hash(data)[:10]
    marks = (f".{digest}" + (f".{n}" if n else "") for n in itertools.count())
    return free_name(folder, name, marks)


def file_away(
    result: IntakeResult,
    arrival: Arrival,
    source: Path,
    share: Path,
    ledger: Ledger,
    write_feedback: WriteFeedback,
) -> Path:
    """Feedback (for a rejected file), then the move, then the record marked filed."""
    target = filed_name(
        destination_folder(share, result, arrival.received), source.name, arrival.data
    )
    # Feedback before the move: a crash in between redoes both.
    if result.outcome == "rejected":
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
    return result, file_away(result, arrival, source, share, ledger, write_feedback)
