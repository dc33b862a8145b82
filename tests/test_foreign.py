"""Real workbooks from elsewhere: every spreadsheet of the foreign corpus (other projects' test
suites: Apache POI with its fuzz cases, SheetJS, calamine, ClosedXML, ExcelDataReader, openpyxl,
XlsxWriter) is answered clearly by the real `pmo validate`, judged by the corpus's own runner.

The corpus stays outside the repository (`../shared/corpus/foreign`, or PMO_FOREIGN_CORPUS);
where it is absent the test is skipped with a note, but CI (env CI set) must run it. It takes
minutes, so it is marked `slow`: `python -m pytest -m "not slow"` is the quick local run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CORPUS_ENV = "PMO_FOREIGN_CORPUS"
REPO = Path(__file__).resolve().parents[1]
LOCK = Path(tempfile.gettempdir()) / "pmokit-foreign-corpus.lock"


def corpus_dir() -> Path:
    given = os.environ.get(CORPUS_ENV)
    return Path(given) if given else REPO.parent / "shared" / "corpus" / "foreign"


def manifest_files(corpus: Path) -> list[str]:
    """The files MANIFEST.tsv lists (its first column, under a header)."""
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line.strip()]


def require_corpus() -> Path:
    """The corpus folder; skipped with a note where it is absent, a failure in CI."""
    found = corpus_dir()
    if not (found / "MANIFEST.tsv").is_file() or not (found.parent / "foreign_run.py").is_file():
        note = (
            f"no foreign corpus at {found} (a folder with MANIFEST.tsv, foreign_run.py beside "
            f"it); set {CORPUS_ENV} to its folder"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{note}: CI must run the foreign corpus")
        pytest.skip(note)
    if sys.platform == "win32":
        pytest.skip("foreign_run.py measures each run with POSIX process accounting")
    return found


@contextmanager
def corpus_alone() -> Iterator[None]:
    """The runner times each file alone ("so the times are comparable"), so two pytest sessions
    on one machine never run the corpus at once: the second skips with a note (in CI, waits),
    instead of failing both on the time limit with each other's load."""
    import fcntl

    with LOCK.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if os.environ.get("CI") else fcntl.LOCK_NB))
        except BlockingIOError:
            pytest.skip(f"another pytest session here is running the foreign corpus ({LOCK})")
        yield


@pytest.mark.slow
def test_every_foreign_workbook_is_answered_clearly(tmp_path):
    """pmo exits 1 or 3 in bounded time and memory, never calls one valid, and says why in
    words a person can act on: no traceback, library text or message that repeats itself."""
    corpus = require_corpus()
    pmo = tmp_path / "pmo"  # this checkout's pmo, whatever script is on PATH
    pmo.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pmokit "$@"\n', encoding="utf-8")
    pmo.chmod(0o755)
    results = tmp_path / "results.tsv"
    runner = corpus.parent / "foreign_run.py"
    with corpus_alone():
        done = subprocess.run(
            [sys.executable, str(runner), str(pmo), str(corpus), "--results", str(results)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            timeout=3600,
        )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-2000:]
    problems = [line for line in lines if line.startswith("PROBLEM")]
    total = len(manifest_files(corpus))
    assert total > 0
    slow = [p for p in problems if "\ttook " in p]  # wall time: also the machine's load
    others = [p for p in problems if p not in slow]
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    said = f"{len(others)} problems and {len(slow)} files over the time limit ({load})"
    assert not problems, "\n".join((others + slow)[:40]) + f"\n{said}"
    assert lines[-1] == f"{total}/{total} foreign files answered cleanly", done.stderr[-2000:]
    assert done.returncode == 0
