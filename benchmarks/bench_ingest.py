"""Benchmark: `intake()` of filled weekly reports into a fresh SQLite ledger (validate against
form and ledger, archive, record in one transaction), beside a bare pandas read of the same files,
alternating the two in chunks; the intake/pandas ratio is given overall and per chunk (spread).

    python benchmarks/bench_ingest.py [-n 1000] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench_validate import pandas_all
from corpus import corpus_folder, initiations, make_corpus

from pmokit.base.resources import forms_dir
from pmokit.base.settings import load_settings
from pmokit.forms.load import load_forms
from pmokit.ledger.store import Ledger
from pmokit.pipeline.archive import arrival_from_path
from pmokit.pipeline.intake import intake


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="filled weekly reports")
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: temp)")
    parser.add_argument("--chunk", type=int, default=50, help="files a turn, alternating")
    args = parser.parse_args()
    forms = load_forms(forms_dir())
    corpus = corpus_folder(args.out)
    paths = make_corpus(forms, corpus, args.n)
    home = Path(tempfile.mkdtemp(prefix="pmo-ledger-"))
    settings = load_settings(environ={}, cwd=home)
    ledger = Ledger(settings.ledger_url(), forms)
    # The corpus's projects exist and are in 实施, as in a real PMO's ledger.
    projects = initiations(forms, home / "initiations", args.n)
    for path in projects:
        intake(arrival_from_path(path), settings, ledger, forms)
    # Alternated in chunks, each chunk's intake beside the same files' bare read, so a machine
    # that slows down or speeds up meanwhile weighs on both alike (timed once each, intake first,
    # the ratio swung from 1.25 to 2.98 over five runs).
    pandas_all(paths[:1], forms, settings)  # its imports and engine warmed, as intake's are
    outcomes: dict[str, int] = {}
    ingest, bare, ratios = 0.0, 0.0, []
    for chunk in (paths[i : i + args.chunk] for i in range(0, len(paths), args.chunk)):
        start = time.perf_counter()
        for path in chunk:
            recorded = intake(arrival_from_path(path), settings, ledger, forms)
            outcomes[recorded.outcome] = outcomes.get(recorded.outcome, 0) + 1
        took = time.perf_counter() - start
        start = time.perf_counter()
        pandas_all(chunk, forms, settings)
        read = time.perf_counter() - start
        ingest, bare = ingest + took, bare + read
        ratios.append(took / read)
    ledger.close()
    ingest_ms, pandas_ms = ingest * 1000 / len(paths), bare * 1000 / len(paths)
    print(f"{len(paths)} weekly reports into {settings.ledger_url()} ({len(projects)} projects)")
    print(f"outcomes: {outcomes}")
    print(f"\n{'method':<42} {'ms/file':>8} {'files/s':>8} {'x pandas':>9}")
    for name, ms in (
        ("pmokit intake (validate+archive+record)", ingest_ms),
        ("bare pandas.read_excel(sheet_name=None)", pandas_ms),
    ):
        print(f"{name:<42} {ms:>8.2f} {1000 / ms:>8.0f} {ms / pandas_ms:>9.2f}")
    low, mid, high = min(ratios), statistics.median(ratios), max(ratios)
    print(f"\nratio per chunk of {args.chunk} ({len(ratios)} chunks): ", end="")
    print(f"min {low:.2f}, median {mid:.2f}, max {high:.2f}")
    print(f"\nmeasured {dt.date.today()}")


if __name__ == "__main__":
    main()
