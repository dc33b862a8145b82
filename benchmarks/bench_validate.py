"""Benchmark: validating filled weekly reports, beside a bare pandas read of the same files.

For each file, `validate_workbook` reads the bytes, runs the package safety checks (zip
directory, XML entity scan, sheet extents), identifies the form, reads it with calamine, types
every cell and runs the schema checks and cross-field rules. The baseline is a plain
`pandas.read_excel(sheet_name=None)` loop over the same files in the same run (it only reads).
Target: validation costs less per file than that bare pandas read.

    python benchmarks/bench_validate.py [-n 1000] [--repeat 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from corpus import corpus_folder, make_corpus

from pmokit.base.resources import forms_dir
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.validation.validate import validate_workbook


def validate_all(paths, forms, settings) -> int:
    return sum(validate_workbook(path, forms, settings).valid for path in paths)


def pandas_all(paths, forms, settings) -> int:
    import pandas

    for path in paths:
        pandas.read_excel(path, sheet_name=None, engine="calamine", keep_default_na=False)
    return len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="filled weekly reports")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: temp)")
    args = parser.parse_args()
    forms, settings = load_forms(forms_dir()), Settings()
    folder = corpus_folder(args.out)
    paths = make_corpus(forms, folder, args.n)
    print(f"corpus: {len(paths)} filled weekly reports in {folder}")

    runs: dict[str, list[float]] = {
        "pmokit validate_workbook": [],
        "bare pandas.read_excel(sheet_name=None)": [],
    }
    valid = 0
    for _ in range(args.repeat):  # interleaved, so drift hits both alike
        for name, function in (
            ("pmokit validate_workbook", validate_all),
            ("bare pandas.read_excel(sheet_name=None)", pandas_all),
        ):
            start = time.perf_counter()
            count = function(paths, forms, settings)
            runs[name].append((time.perf_counter() - start) * 1000 / len(paths))
            if function is validate_all:
                valid = count
    baseline = min(runs["bare pandas.read_excel(sheet_name=None)"])
    print(f"valid files: {valid} of {len(paths)}\n")
    print(f"{'method':<42} {'ms/file min':>11} {'median':>8} {'x pandas':>9}")
    for name, values in runs.items():
        print(
            f"{name:<42} {min(values):>11.2f} {statistics.median(values):>8.2f} "
            f"{min(values) / baseline:>9.2f}"
        )


if __name__ == "__main__":
    main()
