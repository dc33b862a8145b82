"""How long `pmo demo` takes to play its quarter, beside a bare pandas read of the same files.

    python benchmarks/bench_demo.py [--out DIR]

The demo (pmokit/actions/demo.py) builds its 667 workbooks in two worker processes, then plays
them through the watcher with every scheduled mail run (13 weekly roll-ups and 14 briefings
among them). The baseline, measured in the same run: `pandas.read_excel(sheet_name=None)`
(calamine) of every file the demo filed (accepted, rejected, duplicates) — the least any tool
must do to read the quarter's files once. The issue asks for the whole demo in under two
minutes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas

from pmokit.actions.demo import run_demo
from pmokit.base.resources import forms_dir
from pmokit.forms.load import load_forms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="demo folder (default: temp)")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="pmo-bench-demo-")) / "demo"
    start = time.perf_counter()
    run = run_demo(folder, load_forms(forms_dir()), "zh", 2525, lambda *_: None)
    total = time.perf_counter() - start
    files = [p for p in run.share.rglob("*.xlsx") if "templates" not in p.parts]
    files = [p for p in files if not p.name.endswith(".feedback.xlsx")]
    start = time.perf_counter()
    for path in files:
        pandas.read_excel(path, sheet_name=None, engine="calamine", keep_default_na=False)
    bare = time.perf_counter() - start
    n = len(run.taken)
    print(f"pmo demo into {folder}: {n} files, {len(files)} read by the baseline\n")
    print(f"{'what':<44}{'s':>8}{'ms/file':>10}")
    for phase, seconds in run.seconds.items():
        print(f"{'demo: ' + phase:<44}{seconds:>8.1f}{seconds * 1000 / n:>10.1f}")
    print(f"{'demo: whole':<44}{total:>8.1f}{total * 1000 / n:>10.1f}")
    baseline = "bare pandas.read_excel of the same files"
    print(f"{baseline:<44}{bare:>8.1f}{bare * 1000 / len(files):>10.1f}")
    print(f"\nplaying the quarter: {run.seconds['play'] / bare:.2f}x the bare read")


if __name__ == "__main__":
    main()
