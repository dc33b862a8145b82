"""paused_gc(): Python's cycle collector held off while the roll-up is built or written. Those
steps create hundreds of thousands of long-lived objects (rows, cells) and no cycles; left on,
the collector walks them again and again — a tenth of the roll-up's time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
