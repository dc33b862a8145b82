"""Benchmark: `pmo ledger rebuild` of a whole archive (900 initiations, then N weekly reports),
replayed into a SQLite ledger made anew in one transaction, its checks in worker processes,
beside a bare `pandas.read_excel` of a sample of the same archived files in the same run.

    python benchmarks/bench_rebuild.py [-n 10000] [--out DIR] [--sample 500]

The PMO folder (archive, index, ledger) is built once through intake() and kept in --out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from pathlib import Path

from bench_validate import pandas_all
from corpus import corpus_folder, initiations, make_corpus

from pmokit.base.resources import forms_dir
from pmokit.base.settings import load_settings
from pmokit.forms.load import load_forms
from pmokit.ledger.store import Ledger
from pmokit.pipeline.archive import Indexed, arrival_from_path, indexed
from pmokit.pipeline.intake import intake
from pmokit.pipeline.rebuild import rebuild_ledger


def archived_pmo(forms, folder: Path, count: int):
    """A PMO folder whose archive holds the corpus's initiations and `count` reports, taken
    through intake once; its settings and archived paths."""
    home = folder / f"pmo-{count}"
    home.mkdir(parents=True, exist_ok=True)
    settings = load_settings(environ={}, cwd=home)
    files = [*initiations(forms, folder / "initiations", count)]
    files += make_corpus(forms, corpus_folder(folder / "weekly"), count)
    listed = list(indexed(settings)) if (settings.archive_dir() / "index.jsonl").exists() else []
    if len(listed) < len(files):
        with Ledger(settings.ledger_url(), forms) as ledger:
            for path in files[len(listed) :]:
                intake(arrival_from_path(path), settings, ledger, forms)
        listed = list(indexed(settings))
    archived = [settings.archive_dir() / e.sha256 for e in listed if isinstance(e, Indexed)]
    return settings, archived


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10000, help="weekly reports in the archive")
    parser.add_argument("--out", type=Path, default=None, help="corpus and PMO folder")
    parser.add_argument("--sample", type=int, default=500, help="files the pandas loop reads")
    args = parser.parse_args()
    forms = load_forms(forms_dir())
    settings, archived = archived_pmo(forms, corpus_folder(args.out), args.n)
    sample = random.Random(42).sample(archived, min(args.sample, len(archived)))
    pandas_all(sample[:1], forms, settings)  # its imports and engine warmed
    start = time.perf_counter()
    pandas_all(sample, forms, settings)
    bare = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    replayed = rebuild_ledger(settings, forms)
    took = time.perf_counter() - start
    start = time.perf_counter()
    pandas_all(sample, forms, settings)  # again after: a machine that drifts weighs on both
    bare = (bare + (time.perf_counter() - start) / len(sample)) / 2
    print(f"{replayed} archived files replayed into {settings.ledger_url()}")
    print(f"on {os.cpu_count()} processors\n")
    print(f"{'method':<46} {'s':>7} {'ms/file':>8} {'x pandas':>9}")
    rows = (
        ("pmo ledger rebuild (check, record, commit)", took),
        (f"bare pandas.read_excel ({len(sample)} of them, scaled)", bare * replayed),
    )
    for name, seconds in rows:
        ms = seconds * 1000 / replayed
        print(f"{name:<46} {seconds:>7.1f} {ms:>8.2f} {seconds / (bare * replayed):>9.2f}")
    print(f"\nmeasured {dt.date.today()}")


if __name__ == "__main__":
    main()
