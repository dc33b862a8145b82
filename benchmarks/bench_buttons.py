"""Benchmark: what a PM waits for after pressing a button, and what `pmo workbooks build` costs.

1. A click starts a fresh Python (RunPython): the time from process start to Validate's answer
   on a filled weekly `.xlsm` (import pmokit.buttons' cores, load the forms, check the workbook
   as Submit would send it, mark it through the openpyxl interface, save) — beside
   `python -m pmokit validate --no-feedback` on the same file, a fresh process too.
2. In one process: the Validate core (check + marks) vs `check_workbook` alone; the Submit core
   (save, check, copy into the inbox) on the same file.
3. `build_workbooks` (every form's .xlsm and the console) vs `build_forms` (the .xlsx forms).

Live Excel adds what cannot be measured here: `import xlwings` with pywin32 and the COM calls
(SaveCopyAs, one note and fill per marked cell).

    python benchmarks/bench_buttons.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generators.book_files import FormFile
from generators.forms import build_forms
from generators.workbooks import build_workbooks
from pmokit.actions.buttons import submit_open_form, validate_open_form
from pmokit.base.resources import forms_dir
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.forms.record import example_record
from pmokit.validation.validate import check_workbook

CLICK = """
import sys
from pathlib import Path
from generators.book_files import FormFile
from pmokit.actions.buttons import validate_open_form
from pmokit.base.settings import Settings
from pmokit.base.resources import forms_dir
from pmokit.forms.load import load_forms
form = FormFile(Path(sys.argv[1]))
validate_open_form(form, load_forms(forms_dir()), Settings())
form.save()
"""


def filled_weekly(forms, folder: Path, built: Path, broken: bool) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import fill_form

    record = example_record(forms["weekly"], rows=10)
    if broken:
        record.fields.update(project_code="prj-1", rag=None)
    name = "broken.xlsm" if broken else "weekly.xlsm"
    return fill_form(built, record, forms["weekly"], folder / name, "zh")


def timed(run, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        runs.append((time.perf_counter() - start) * 1000)
    return runs


def show(name: str, runs: list[float], base: float | None = None) -> float:
    best = min(runs)
    ratio = f"{best / base:>7.2f}x" if base else ""
    print(f"  {name:<52} {best:>8.1f} ms  median {statistics.median(runs):>8.1f}  {ratio}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    forms, settings = load_forms(forms_dir()), Settings()
    folder = Path(tempfile.mkdtemp(prefix="pmo-bench-buttons-"))
    built = {p.stem: p for p in build_workbooks(forms, folder / "wb", settings, "zh").paths}
    broken = filled_weekly(forms, folder, built["weekly"], broken=True)
    good = filled_weekly(forms, folder, built["weekly"], broken=False)

    print("1. a click: a fresh process, start to answer (the broken weekly report)")
    cli = [sys.executable, "-m", "pmokit", "validate", "--no-feedback", str(broken)]
    click = [sys.executable, "-c", CLICK, str(broken)]
    base = show(
        "python -m pmokit validate (baseline)",
        timed(lambda: subprocess.run(cli, capture_output=True), args.repeat),
    )
    show(
        "Validate button (pmokit.actions.buttons)",
        timed(lambda: subprocess.run(click, check=True), args.repeat),
        base,
    )

    print("2. in one process")
    data = broken.read_bytes()
    base = show(
        "check_workbook (baseline)",
        timed(lambda: check_workbook(data, forms, settings, "w.xlsm"), args.repeat),
    )
    show(
        "Validate core: check + marks (openpyxl)",
        timed(lambda: validate_open_form(FormFile(broken), forms, settings), args.repeat),
        base,
    )
    inbox = folder / "inbox"
    inbox.mkdir()
    show(
        "Submit core: save + check + copy to inbox",
        timed(lambda: submit_open_form(FormFile(good), str(inbox), forms, settings), args.repeat),
        base,
    )

    print("3. building")
    base = show(
        "build_forms: 6 .xlsx forms (baseline)",
        timed(lambda: build_forms(forms, folder / "x"), args.repeat),
    )
    show(
        "build_workbooks: 6 .xlsm forms + console",
        timed(lambda: build_workbooks(forms, folder / "m", settings, "zh"), args.repeat),
        base,
    )


if __name__ == "__main__":
    main()
