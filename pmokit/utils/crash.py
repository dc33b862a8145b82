"""The test seam of the crash-safety tests: PMO_CRASH_AT=<name> ends the process at that point,
at once, as kill -9 would. Unset in real use, where crash_point() does nothing."""

from __future__ import annotations

import os


def crash_point(name: str) -> None:
    if os.environ.get("PMO_CRASH_AT") == name:
        os._exit(137)
