"""One watcher per ledger: an OS lock on a file on the service host's own disk (never the share)."""

from __future__ import annotations

import os
from pathlib import Path

from pmokit.base.errors import PmoError


class AlreadyRunning(PmoError):
    def __init__(self, pid: str) -> None:
        super().__init__(f"已有监视进程在运行（pid {pid}）", f"already running (pid {pid})")


class InstanceLock:
    """Held for the life of the process; the OS releases it if the process dies."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handle = open(path, "a+")  # noqa: SIM115 - held open on purpose
        try:
            _lock(self.handle)
        except OSError:
            self.handle.seek(0)
            pid = self.handle.read().strip() or "?"
            self.handle.close()
            raise AlreadyRunning(pid) from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(str(os.getpid()))
        self.handle.flush()

    def release(self) -> None:
        self.handle.close()


def _lock(handle) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def lock_holder(path: Path) -> str | None:
    """The pid of the watcher holding the lock, or None when no watcher runs."""
    if not path.exists():
        return None
    try:
        handle = open(path, "a+")  # noqa: SIM115 - closed below whatever happens
    except OSError:
        return None
    with handle:
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            return handle.read().strip() or "?"
    return None
