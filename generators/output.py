"""One way for every writer to fail: whatever stops a file from being written (a missing or
read-only folder, a full disk, XlsxWriter's own FileCreateError) becomes one OutputError that
names the file and says why, which the CLI prints as one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xlsxwriter.exceptions import XlsxFileError

from pmokit.base.errors import OutputError, os_reason


@contextmanager
def writing(path: Path) -> Iterator[None]:
    try:
        yield
    except (OSError, XlsxFileError) as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc
        raise OutputError(path, os_reason(cause)) from None
