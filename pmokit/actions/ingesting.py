"""Ingest files: what `pmo ingest` (and a PMO's import of an old folder) does — each file given,
or each submission in a folder given, through intake() into the ledger, in the order named.
The files stay where they are; only the watcher files originals away on the share.

`received` says when the files arrived, for importing history: a moment for all of them, or
MTIME for each file's own modification time (then the files are taken oldest first). The
ledger's arrival order stays the order of recording; the received time is what the rules read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pmokit.actions.checking import files_given
from pmokit.base.errors import InputError, PmoError, os_reason, read_bytes
from pmokit.base.labels import Label
from pmokit.base.lifecycle import REGISTERING_FORMS, form_name
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult
from pmokit.pipeline.archive import Arrival, reconcile_index
from pmokit.pipeline.intake import OnFile, check, intake


def files_to_ingest(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """The files given, and the submissions in folders given (as `pmo validate` takes them);
    none at all is an error, said before anything is opened or created."""
    return files_given(paths, NOTHING_TO_INGEST)


NOTHING_TO_INGEST = Label(
    "{paths} 中没有可导入的工作簿（.xlsx、.xlsm）",
    "no workbooks (.xlsx, .xlsm) to ingest in {paths}",
)


MTIME = "mtime"


def received_option(value: str | None) -> dt.datetime | str | None:
    """--received as given: MTIME, or an ISO date or time (China time unless it says its own
    zone; a bare date is that day's start) that is not in the future."""
    if value is None or value == MTIME:
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PmoError(
            f"--received 应为 mtime 或日期时间（如 2025-06-13T17:30），不是 {value!r}",
            f"--received takes mtime or a date and time (e.g. 2025-06-13T17:30), not {value!r}",
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TIME)
    return _not_future(moment.astimezone(dt.timezone.utc), value)  # the ledger keeps UTC


def _not_future(moment: dt.datetime, shown: object) -> dt.datetime:
    if moment > dt.datetime.now(dt.timezone.utc):
        raise PmoError(
            f"收到时间 {shown} 晚于现在：导入历史文件时只能用过去的时间",
            f"received time {shown} is in the future: history can only be imported as past",
        )
    return moment


def _mtime(path: Path) -> dt.datetime:
    try:
        stamp = os.stat(path).st_mtime
    except OSError as exc:
        raise InputError(path, os_reason(exc)) from None
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).replace(microsecond=0)


def _received(path: Path, received: dt.datetime | str) -> dt.datetime:
    if received == MTIME:
        modified = _mtime(path)
        return _not_future(modified, f"{path.name} ({modified.isoformat()})")
    return received


def ingest_files(
    files: list[Path],
    settings: Settings,
    ledger: Ledger,
    forms: dict[str, FormSpec],
    received: dt.datetime | str | None = None,
    stop: Callable[[], bool] = lambda: False,
    on_file: OnFile | None = None,
) -> Iterator[tuple[Path, IntakeResult]]:
    """Each file and what intake made of it, as it is recorded: all are read and checked first,
    then recorded initiations first (as the watcher takes them), else in the order given. A file
    that cannot be read stops the run with an InputError; `stop()` ends it between files;
    `on_file` is told of each file as it is checked, then as it is recorded."""
    reconcile_index(settings, ledger)  # what a crash after a commit left out of the index
    # A run's files arrive together: each read at its own "now", a report read before its
    # initiation would arrive before the project's registration, and be refused for it.
    received = received or dt.datetime.now(dt.timezone.utc)
    if received == MTIME:  # history in the order it happened
        files = sorted(files, key=lambda p: (_mtime(p), p.name))
    staged = []
    for number, path in enumerate(files, 1):
        if stop():
            return
        if on_file:
            on_file("check", number, len(files), path.name)
        arrival = Arrival(read_bytes(path), path.name, _received(path, received))
        staged.append((path, arrival, check(arrival, forms, settings)))
    staged.sort(key=lambda s: s[2].report.form not in REGISTERING_FORMS)  # stable: else as given
    for number, (path, arrival, checked) in enumerate(staged, 1):
        if stop():
            return
        if on_file:
            on_file("record", number, len(staged), path.name)
        yield path, intake(arrival, settings, ledger, forms, checked)


@dataclass
class IngestRun:
    """What one `pmo ingest` recorded, file by file, and whether it was stopped (Ctrl-C)."""

    results: list[tuple[Path, IntakeResult]] = field(default_factory=list)
    stopped: bool = False

    def counts(self) -> Counter:
        return Counter(r.outcome for _, r in self.results)

    def summary(self, lang: str) -> str:
        by_form = Counter(r.report.form for _, r in self.results if r.report.form)
        named = (f"{form_name(f).text(lang)} {n}" for f, n in sorted(by_form.items()))
        forms = Label("，", ", ").text(lang).join(named)
        c = self.counts()
        return SUMMARY.text(lang).format(
            files=len(self.results),
            accepted=c["accepted"],
            rejected=c["rejected"],
            duplicates=c["duplicate"],
            forms=forms or "—",
            stopped=STOPPED.text(lang) if self.stopped else "",
        )

    def to_dict(self) -> dict:
        files = [_file_dict(path, r) for path, r in self.results]
        return {"files": files, "counts": dict(self.counts()), "stopped": self.stopped}


def _file_dict(path: Path, r: IntakeResult) -> dict:
    return {
        "file": str(path),
        "outcome": r.outcome,
        "form": r.report.form,
        "project": r.project,
        "moves": [list(move) for move in r.moves],
        "issues": [i.to_dict() for i in r.report.issues],
    }


SUMMARY = Label(
    "共 {files} 个文件：已接收 {accepted}，已退回 {rejected}，重复 {duplicates}"
    "（{forms}）{stopped}",
    "{files} files: {accepted} accepted, {rejected} rejected, {duplicates} duplicates"
    " ({forms}){stopped}",
)
STOPPED = Label("；已按 Ctrl-C 停止，其余文件未导入", "; stopped by Ctrl-C, the rest not ingested")
