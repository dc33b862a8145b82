"""Validation in a limited worker process: a file that aborts the parser, eats memory or hangs
costs the worker, never the caller; the next file is checked by a fresh worker."""

from __future__ import annotations

import os
import sys
import time

import pytest
from conftest import submission

from pmokit.base.settings import Settings
from pmokit.validation.isolation import IsolatedChecker, check_in_worker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX resource limits")


def misbehaving(data: bytes, name: str):
    """A stand-in for a parser bug, run inside the worker (the seam is this one function)."""
    if name == "abort.xlsx":
        os.abort()  # what python-calamine does on a grid it cannot allocate
    if name == "hang.xlsx":
        time.sleep(60)
    if name == "hog.xlsx":
        bytearray(2 * 2**30)
    return check_in_worker(data, name)


def test_a_normal_file_is_checked_in_the_worker(forms, blank_forms, tmp_path):
    data = submission(forms, blank_forms, tmp_path, "budget").read_bytes()
    checker = IsolatedChecker(Settings())
    try:
        checked = checker.check(data, "budget.xlsx")
        assert checked.report.valid and checked.parsed.record.fields["budget_month"]
    finally:
        checker.close()


@pytest.mark.parametrize(
    ("name", "words"),
    [("abort.xlsx", "stopped"), ("hang.xlsx", "longer than"), ("hog.xlsx", "MemoryError")],
)
def test_a_worker_lost_to_a_file_is_an_issue_and_the_next_file_is_fine(
    forms, blank_forms, tmp_path, name, words
):
    data = submission(forms, blank_forms, tmp_path, "budget").read_bytes()
    checker = IsolatedChecker(Settings(), memory_mb=512, wall_seconds=3, target=misbehaving)
    try:
        bad = checker.check(data, name)
        assert [i.code for i in bad.report.issues] == ["internal-error"]
        assert words in bad.report.issues[0].message
        assert checker.check(data, "fine.xlsx").report.valid  # a fresh worker took over
    finally:
        checker.close()
