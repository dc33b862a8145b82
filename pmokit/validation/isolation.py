"""Validation in a worker process with memory, CPU and wall-clock limits, for the long-running
service: a file that makes a parser abort, exhaust memory or hang costs that worker, never the
service. A lost worker becomes an internal-error issue on that file, and a new worker starts.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from pmokit.base.issues import Report, make_issue
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.forms.schema import FormSpec
from pmokit.validation.validate import Checked, check_workbook

_FORMS: dict[str, FormSpec] = {}
_SETTINGS: Settings | None = None


def _exit_with(parent: int) -> None:
    """A worker whose service was killed (kill -9 leaves it orphaned) ends itself."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _start_worker(settings: Settings, memory_mb: int, cpu_seconds: int) -> None:
    """Runs in the worker: limits first, then the specs, loaded once per worker."""
    global _FORMS, _SETTINGS
    # Ctrl-C in a terminal reaches the whole process group; the service stops its worker itself
    # (close()), so the worker must not die of it mid-read with a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    if os.name == "posix":
        import resource

        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    _SETTINGS, _FORMS = settings, load_forms(settings.spec_folder())


def check_in_worker(data: bytes, name: str) -> Checked:
    assert _SETTINGS is not None
    return check_workbook(data, _FORMS, _SETTINGS, name=name)


class IsolatedChecker:
    """check_workbook, one file at a time, in a limited worker process."""

    def __init__(
        self,
        settings: Settings,
        memory_mb: int = 1024,
        cpu_seconds: int = 60,
        wall_seconds: float = 120.0,
        target: Callable[[bytes, str], Checked] = check_in_worker,
    ) -> None:
        self.settings, self.target = settings, target
        self.limits = (memory_mb, cpu_seconds)
        self.wall_seconds = wall_seconds
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # no inherited state, same on Windows
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.settings, *self.limits),
        )

    def check(self, data: bytes, name: str) -> Checked:
        future = self.pool.submit(self.target, data, name)
        try:
            return future.result(timeout=self.wall_seconds)
        except FutureTimeout:
            detail = f"took longer than {self.wall_seconds:g} s"
        except BrokenProcessPool:
            detail = "the checking process stopped (out of memory or aborted)"
        except Exception as exc:  # raised in the worker, which is still fine
            issue = make_issue("internal-error", self.settings.lang, detail=type(exc).__name__)
            return Checked(Report(name, issues=(issue,)))
        self._replace_pool()
        issue = make_issue("internal-error", self.settings.lang, detail=detail)
        return Checked(Report(name, issues=(issue,)))

    def _replace_pool(self) -> None:
        for process in list(getattr(self.pool, "_processes", {}).values()):
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
