"""Benchmark: generating the forms and reading filled weekly reports back, beside bare baselines.

Prints ms/file for pmokit's reader (`read_workbook` + `parse_record`: identify the form, resolve
defined names, read with calamine, type every value) beside a bare python-calamine read of every
sheet and a bare `pandas.read_excel(sheet_name=None)` over the same files in the same run, and
the time to generate each blank form. Timings drift on shared machines: compare the ratios.

    python benchmarks/bench_forms.py [-n 1000] [--repeat 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import python_calamine
from corpus import corpus_folder, make_corpus

from generators.forms import build_forms
from pmokit.base.resources import forms_dir
from pmokit.forms.load import load_forms
from pmokit.validation.parsing import parse_record
from pmokit.validation.reading import read_workbook


def read_pmokit(paths, forms) -> None:
    for path in paths:
        record, problems = parse_record(read_workbook(path, forms))
        assert record.fields and not problems


def read_calamine(paths, forms) -> None:
    for path in paths:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        book.close()


def read_pandas(paths, forms) -> None:
    import pandas

    for path in paths:
        pandas.read_excel(path, sheet_name=None, engine="calamine", keep_default_na=False)


def time_runs(function, paths, forms, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(paths, forms)
        runs.append((time.perf_counter() - start) * 1000 / len(paths))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="filled weekly reports to read")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: temp)")
    args = parser.parse_args()
    forms = load_forms(forms_dir())
    folder = corpus_folder(args.out)

    start = time.perf_counter()
    paths = make_corpus(forms, folder, args.n)
    corpus_ms = (time.perf_counter() - start) * 1000 / args.n
    size_kib = statistics.mean(p.stat().st_size for p in paths) / 1024
    print(
        f"corpus: {args.n} filled weekly reports, {size_kib:.1f} KiB each, "
        f"written at {corpus_ms:.1f} ms/file -> {folder}"
    )

    readers = {
        "pmokit read_workbook + parse_record": read_pmokit,
        "bare python-calamine, all sheets": read_calamine,
    }
    try:
        import pandas  # noqa: F401

        readers["bare pandas.read_excel(sheet_name=None)"] = read_pandas
    except ImportError:
        print("(pandas not installed: pip install .[bench] for the pandas baseline)")
    results = {name: [] for name in readers}
    for _ in range(args.repeat):  # interleaved, so drift hits every method alike
        for name, function in readers.items():
            results[name] += time_runs(function, paths, forms, 1)
    pandas_ms = min(results.get("bare pandas.read_excel(sheet_name=None)", [float("nan")]))
    print(f"\n{'reader':<42} {'ms/file min':>11} {'median':>8} {'x pandas':>9}")
    for name, runs in results.items():
        print(
            f"{name:<42} {min(runs):>11.2f} {statistics.median(runs):>8.2f} "
            f"{min(runs) / pandas_ms:>9.2f}"
        )

    gen = tempfile.mkdtemp(prefix="pmo-forms-")
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        build_forms(forms, Path(gen), "zh")
        runs.append((time.perf_counter() - start) * 1000 / len(forms))
    print(f"\ngenerate blank forms: {min(runs):.1f} ms/form (min of {args.repeat})")


if __name__ == "__main__":
    main()
