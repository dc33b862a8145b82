"""Benchmark: `pmokit.frames()` on a large ledger — 1000 projects × 52 weeks (bench_rollup.py's
generated ledger) — beside a bare `pandas.read_sql` of the same tables in the same run.

frames() does more than the bare read: it keeps only each report's current version as of the
moment, joins each row to its project and week, gives every column its dtype (dates, categories,
money as float), and computes the alerts and, when asked, the KPIs (a whole roll-up). So three
figures: the tables the bare read also reads, those plus the alerts, and everything.

    python benchmarks/bench_frames.py [--projects 1000] [--weeks 52] [--ledger FILE]
"""

from __future__ import annotations

import gc
import time

import pandas
from bench_rollup import large_ledger

from pmokit.actions.exporting import frames
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.reports.datasets import FORM_TABLES, TABLES

READ_TOO = ("projects", "submissions", *FORM_TABLES)  # what the bare read reads as well


def bare_read(ledger: Ledger) -> int:
    """pandas.read_sql of every table the frames come from; returns the rows read."""
    names = ["projects", "submissions"] + [
        form_table_name(*source) for source in FORM_TABLES.values()
    ]
    names += [form_table_name(form) for form, table in FORM_TABLES.values() if table]
    rows = 0
    with ledger.engine.connect() as db:
        for name in dict.fromkeys(names):
            rows += len(pandas.read_sql(f'SELECT * FROM "{name}"', db))
    return rows


def best(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    args, ledger, settings, _, as_of = large_ledger(__doc__.splitlines()[0], "pmo-frames-")
    bare, rows = best(args.repeat, lambda: bare_read(ledger))
    same, found = best(args.repeat, lambda: frames(ledger, settings, as_of, READ_TOO))
    alerts, _ = best(args.repeat, lambda: frames(ledger, settings, as_of, TABLES[:-1]))
    everything, _ = best(1, lambda: frames(ledger, settings, as_of))
    ledger.close()
    kept = sum(len(frame) for frame in found.values())
    print(f"bare read: {rows} rows from the ledger's tables; frames(): {kept} current rows")
    print(
        f"best of {args.repeat} runs (everything: one run)\n\n{'':<52} {'seconds':>8} {'x bare':>7}"
    )
    for label, seconds in (
        ("frames(): the tables the bare read reads", same),
        ("frames(): those and the open alerts", alerts),
        ("frames(): everything (the KPIs are a roll-up)", everything),
        ("bare pandas.read_sql of the same tables", bare),
    ):
        print(f"{label:<52} {seconds:>8.2f} {seconds / bare:>7.2f}")


if __name__ == "__main__":
    main()
