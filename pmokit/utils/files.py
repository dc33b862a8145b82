"""Files written safely: a content hash, an atomic durable write, and a name that never
overwrites. The archive, the feedback files and the watcher's status are written atomically (a
crash leaves the old file or the new one, never half of one); the filed originals and roll-ups
take a free name, so nothing already there is overwritten."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

# A project code fit to be part of a file or folder name (only allowlisted codes ever are).
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def content_hash(data: bytes) -> str:
    """The sha256 a file is known by in the archive and the ledger."""
    return hashlib.sha256(data).hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Files get the folder's normal permissions, as any program's would: not the temporary file's
# owner-only mode, which would hide feedback on a share from the PM it is for.
FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """`write` fills a temporary file in the same folder, which is flushed to disk and renamed
    over `path`: a reader sees the old file or the whole new one, never a half-written one."""
    handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        with contextlib.suppress(OSError):  # some network shares allow no chmod: keep theirs
            os.chmod(temp, FILE_MODE)
        write(Path(temp))
        with open(temp, "r+b") as written:  # Windows flushes only a handle open for writing
            os.fsync(written.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    return atomic_write(path, lambda temp: temp.write_bytes(data))


TEMP_PREFIX = ".tmp-"  # atomic_write's temporary files
STALE_SECONDS = 600


def remove_if_stale(temp: Path, seconds: float = STALE_SECONDS) -> bool:
    """Remove a half-written file a killed process left, once it is too old to be another
    process's work in progress; True when it was removed."""
    try:
        if temp.is_file() and time.time() - temp.stat().st_mtime > seconds:
            temp.unlink()
            return True
    except OSError:
        pass  # someone else's cleanup, or a share that refuses: the next run tries again
    return False


def remove_stale_temps(folder: Path, prefix: str = TEMP_PREFIX) -> int:
    """Sweep `folder` of the stale temporary files (`prefix*`) a kill left; returns how many."""
    return sum(remove_if_stale(temp) for temp in folder.glob(f"{prefix}*"))


def counted() -> Iterator[str]:
    """` (2)`, ` (3)`, …: the marks a taken name gets, as Windows Explorer gives them."""
    return (f" ({n})" for n in itertools.count(2))


def free_name(folder: Path, name: str, marks: Iterable[str] | None = None) -> Path:
    """Where a file called `name` can go in `folder` without overwriting anything: the name
    itself, or the first `<stem><mark><suffix>` that is free (marks: ` (2)`, ` (3)`, …)."""
    marks = counted() if marks is None else marks
    source, target = Path(name), folder / name
    for mark in marks:
        if not target.exists():
            break
        target = folder / f"{source.stem}{mark}{source.suffix}"
    return target
