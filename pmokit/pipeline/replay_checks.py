"""The checks of a rebuild's archived files, in arrival order: in this process, or in worker
processes (one per processor) while the rebuild records what they give back. A file's check
waits in memory only until its turn, so memory stays flat however large the archive; a pool
that breaks leaves the rest to this process.

A check comes back pickled with its form spec by name, not by value: the spec is a tenth of its
bytes and half the time of unpickling it, and the rebuild has every spec already.
"""

from __future__ import annotations

import copyreg
import io
import multiprocessing
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.pipeline.archive import Indexed, archived
from pmokit.pipeline.intake import check, check_archived
from pmokit.pipeline.spec_history import forms_for
from pmokit.utils.gc_pause import paused_gc
from pmokit.validation.validate import Checked

Arrivals = list[tuple[Indexed, Settings]]
Task = tuple[int, Indexed]  # a file for a worker to check: its folder's place among the sites
SpecKey = tuple[int, str | None, str]  # (folder's place, the file's spec key, form id)
BATCH = 8  # files a worker checks per task: fewer round trips between the processes
AHEAD = 4  # batches in flight per worker


def checked_in_order(
    arrivals: Arrivals,
    forms: dict[str, FormSpec],
    settings: Settings,
    folders: tuple[Settings, ...],
    workers: int = 1,
) -> Iterator[Checked]:
    """Each arrival's check, in order: in this process, or in `workers` worker processes.
    `folders`: the sites the arrivals are from (each arrival's site is one of them)."""
    done = 0
    if workers >= 2:
        place = {id(folder): n for n, folder in enumerate(folders)}
        tasks: list[Task] = [(place[id(site)], entry) for entry, site in arrivals]
        try:
            for checked in _checked_by_workers(tasks, forms, settings, folders, workers):
                done += 1
                yield checked
        except (BrokenProcessPool, OSError):  # no worker could start, or one died: the rest
            pass  # here (a file that cannot be read raises here again, in its place)
    for entry, site in arrivals[done:]:
        yield check_archived(site, entry, forms, settings)


def _checked_by_workers(
    tasks: list[Task],
    forms: dict[str, FormSpec],
    settings: Settings,
    folders: tuple[Settings, ...],
    workers: int,
) -> Iterator[Checked]:
    """The tasks' checks in order, from `workers` spawned processes, a few batches ahead."""
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),  # no inherited state, as on Windows
        initializer=_start_checker,
        initargs=(forms, settings, folders),
    )
    specs: dict[SpecKey, FormSpec] = {}

    def spec_named(key: SpecKey) -> FormSpec:
        if key not in specs:
            folder, spec, form_id = key
            specs[key] = forms_for(folders[folder], forms, spec)[form_id]
        return specs[key]

    try:
        waiting: deque[Future] = deque()
        for start in range(0, len(tasks), BATCH):
            waiting.append(pool.submit(_check_batch, tasks[start : start + BATCH]))
            if len(waiting) >= AHEAD * workers:
                yield from _unpickled(waiting.popleft().result(), spec_named)
        while waiting:
            yield from _unpickled(waiting.popleft().result(), spec_named)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_CHECKER: dict = {}  # in a worker: the forms, the rules' settings and the sites' folders


def _start_checker(
    forms: dict[str, FormSpec], settings: Settings, folders: tuple[Settings, ...]
) -> None:
    # Ctrl-C reaches the whole process group; the rebuild stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CHECKER.update(forms=forms, settings=settings, folders=folders)


@paused_gc()  # thousands of objects a file, no cycles: the collector would only walk them
def _check_batch(tasks: list[Task]) -> bytes:
    """In a worker: the tasks' checks, pickled with each spec by its key (_spec_named)."""
    forms, settings, folders = _CHECKER["forms"], _CHECKER["settings"], _CHECKER["folders"]
    checks, keys, used = [], {}, []
    for folder, entry in tasks:
        site = folders[folder]
        checking = forms_for(site, forms, entry.spec)
        used.append(checking)  # alive while pickled: the keys are by id()
        keys.update((id(form), (folder, entry.spec, form.id)) for form in checking.values())
        arrival = archived(site, entry.sha256, entry.name, entry.received_utc)
        checks.append(check(arrival, checking, settings))
    table = copyreg.dispatch_table.copy()
    table[FormSpec] = lambda form: (_spec_named, (keys[id(form)],))
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = table
    pickler.dump(checks)
    return out.getvalue()


def _spec_named(key: SpecKey) -> FormSpec:
    """Stands for a spec in a pickled batch; the parent's _ChecksUnpickler resolves it."""
    raise RuntimeError(f"form spec {key} read outside a rebuild")


@paused_gc()
def _unpickled(data: bytes, spec_named: Callable[[SpecKey], FormSpec]) -> list[Checked]:
    return _ChecksUnpickler(data, spec_named).load()


class _ChecksUnpickler(pickle.Unpickler):
    """A batch of checks from a worker of ours, each spec resolved to the rebuild's own."""

    def __init__(self, data: bytes, spec_named: Callable[[SpecKey], FormSpec]) -> None:
        super().__init__(io.BytesIO(data))
        self.spec_named = spec_named

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_spec_named":
            return self.spec_named
        return super().find_class(module, name)
