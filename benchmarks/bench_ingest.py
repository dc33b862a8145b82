"""Benchmark: `intake()` of filled weekly reports into a fresh SQLite ledger (validate against
form and ledger, archive, record in one transaction), beside a bare pandas read of the same files.

    python benchmarks/bench_ingest.py [-n 1000] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
    start = time.perf_counter()
    outcomes: dict[str, int] = {}
    for path in paths:
        recorded = intake(arrival_from_path(path), settings, ledger, forms)
        outcomes[recorded.outcome] = outcomes.get(recorded.outcome, 0) + 1
    ingest_ms = (time.perf_counter() - start) * 1000 / len(paths)
    start = time.perf_counter()
    pandas_all(paths, forms, settings)
    pandas_ms = (time.perf_counter() - start) * 1000 / len(paths)
    ledger.close()
    print(f"{len(paths)} weekly reports into {settings.ledger_url()} ({len(projects)} projects)")
    print(f"outcomes: {outcomes}")
    print(f"\n{'method':<42} {'ms/file':>8} {'files/s':>8} {'x pandas':>9}")
    for name, ms in (
        ("pmokit intake (validate+archive+record)", ingest_ms),
        ("bare pandas.read_excel(sheet_name=None)", pandas_ms),
    ):
        print(f"{name:<42} {ms:>8.2f} {1000 / ms:>8.0f} {ms / pandas_ms:>9.2f}")
    print(f"\nmeasured {dt.date.today()}")


if __name__ == "__main__":
    main()
