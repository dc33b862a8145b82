"""Benchmark: `pmo rollup` on a large ledger — 1000 projects × 52 weeks of weekly reports (tasks,
hours, milestone forecasts, risks) plus monthly budgets — beside a bare XlsxWriter write of the
same number of cells in the same run. The target is within 2× of the bare write.

The ledger is generated straight into its tables (intake of 52 000 files would take ten
minutes and measure intake, which bench_ingest.py does); the roll-up reads it like any other.

    python benchmarks/bench_rollup.py [--projects 1000] [--weeks 52] [--ledger FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import tempfile
import time
from pathlib import Path

import xlsxwriter
from sqlalchemy import insert

from generators.rollup import write_rollup
from pmokit.base.resources import forms_dir
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.load import load_forms
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.rollup.report import build_rollup
from pmokit.utils.gc_pause import paused_gc

START = dt.date(2025, 1, 3)  # a Friday
PEOPLE = [f"员工{n:03d}" for n in range(400)]


def generate(ledger: Ledger, projects: int, weeks: int) -> int:
    """Fill the ledger; returns the number of submissions."""
    rng = random.Random(42)
    rows: dict[str, list[dict]] = {}

    def add(table: str, **values) -> None:
        rows.setdefault(table, []).append(values)

    sid = 0

    def submit(form: str, code: str, period: str, when: dt.datetime) -> int:
        nonlocal sid
        sid += 1
        add(
            "submissions",
            id=sid,
            seq=sid,
            sha256=f"{sid:064x}",
            original_name=f"{sid}.xlsx",
            form=form,
            form_version=1,
            project_code=code,
            period=period,
            received_utc=when.isoformat(timespec="seconds"),
            outcome="accepted",
            issues_json="[]",
            move_pending=0,
        )
        return sid

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), dt.timezone.utc)

    for p in range(projects):
        code = f"PRJ-2025-{p:04d}"
        start, end = (
            START - dt.timedelta(days=7),
            START + dt.timedelta(weeks=weeks + rng.randint(-8, 20)),
        )
        first = submit("initiation", code, "", at(start, 1))
        add(
            "projects",
            code=code,
            name=f"项目{p}",
            department=f"交付{p % 8 + 1}部",
            project_manager=f"经理{p % 120}",
            project_type="软件开发",
            planned_start=start,
            planned_end=end,
            state="实施",
            state_since=start,
            registered_by=first,
        )
        add(
            "transitions",
            project_code=code,
            from_state=None,
            to_state="启动",
            effective=start,
            form="initiation",
            submission_id=first,
        )
        add(
            "transitions",
            project_code=code,
            from_state="启动",
            to_state="实施",
            effective=start,
            form="initiation",
            submission_id=first,
        )
        add(
            form_table_name("initiation"),
            submission_id=first,
            project_code=code,
            planned_start=start,
            planned_end=end,
            budget_total=1_000_000,
            approval_result="通过",
        )
        for n, category in enumerate(("实施", "人力")):
            add(
                form_table_name("initiation", "budget"),
                submission_id=first,
                row_number=n + 1,
                category=category,
                month=start.replace(day=1),
                amount=500_000,
            )
        for n in range(3):
            add(
                form_table_name("initiation", "milestones"),
                submission_id=first,
                row_number=n + 1,
                milestone=f"里程碑{n + 1}",
                planned_date=start + dt.timedelta(weeks=(n + 1) * weeks // 3),
            )
        team = rng.sample(PEOPLE, 3)
        for w in range(weeks):
            friday = START + dt.timedelta(weeks=w)
            if rng.random() < 0.05:
                continue  # a missing report
            s = submit("weekly", code, friday.isoformat(), at(friday, rng.choice((8, 9, 12))))
            add(
                form_table_name("weekly"),
                submission_id=s,
                project_code=code,
                week_ending=friday,
                rag=rng.choice("绿绿绿黄红"),
            )
            for t in range(5):
                add(
                    form_table_name("weekly", "tasks"),
                    submission_id=s,
                    row_number=t + 1,
                    task_name=f"任务{t}",
                    task_status="进行中",
                    percent_complete=min(1, w / weeks + t / 20),
                    expected_finish=friday + dt.timedelta(days=rng.randint(0, 60)),
                    remaining_days=rng.randint(0, 40),
                )
            for n, person in enumerate(team):
                add(
                    form_table_name("weekly", "hours"),
                    submission_id=s,
                    row_number=n + 1,
                    task_name="任务0",
                    person=person,
                    hours=rng.choice((8, 16, 24, 40)),
                )
            for n in range(3):
                add(
                    form_table_name("weekly", "milestone_forecasts"),
                    submission_id=s,
                    row_number=n + 1,
                    milestone=f"里程碑{n + 1}",
                    forecast_date=start
                    + dt.timedelta(weeks=(n + 1) * weeks // 3 + rng.randint(-1, 3)),
                )
            for n in range(2):
                add(
                    form_table_name("weekly", "risks"),
                    submission_id=s,
                    row_number=n + 1,
                    description=f"风险{(w // 6 + n) % 9}",
                    level=rng.choice(("重大", "高", "中")),
                    probability="中",
                    impact="高",
                    response="跟进",
                    owner=team[0],
                )
            if friday.day <= 7:
                b = submit("budget", code, friday.replace(day=1).isoformat(), at(friday, 10))
                add(
                    form_table_name("budget"),
                    submission_id=b,
                    project_code=code,
                    budget_month=friday.replace(day=1),
                )
                for n, category in enumerate(("实施", "人力")):
                    add(
                        form_table_name("budget", "lines"),
                        submission_id=b,
                        row_number=n + 1,
                        category=category,
                        this_month_actual=rng.randint(20_000, 50_000),
                        next_month_budget=40_000,
                    )
    with ledger.write() as db:
        for table in (
            "submissions",
            "projects",
            "transitions",
            *sorted(set(rows) - {"submissions", "projects", "transitions"}),
        ):
            db.execute(insert(ledger.table(table)), rows[table])
    return sid


def bare_write(path: Path, sheets: list[tuple[int, int]]) -> float:
    """Seconds for XlsxWriter to write the same cells (half numbers, half short strings)."""
    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(path))
    for rows, columns in sheets:
        sheet = book.add_worksheet()
        for r in range(rows):
            for c in range(columns):
                if c % 2:
                    sheet.write_number(r, c, r * 0.5)
                else:
                    sheet.write_string(r, c, f"值{r}")
    book.close()
    return time.perf_counter() - start


def forget_history(ledger: Ledger) -> None:
    with ledger.write() as db:
        db.execute(ledger.table("rollup_history").delete())


def timed_rollup(ledger: Ledger, settings: Settings, as_of: dt.datetime, out: Path):
    """(seconds to build, seconds to build and write, the roll-up)."""
    start = time.perf_counter()
    rollup = build_rollup(ledger, settings, as_of)
    built = time.perf_counter() - start
    write_rollup(rollup, out)
    return built, time.perf_counter() - start, rollup


def large_ledger(description: str, prefix: str):
    """The command line every large-ledger benchmark takes, and the ledger it names (generated
    unless --ledger names one made before): (args, ledger, settings, folder, as-of moment)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--ledger", type=Path, default=None, help="reuse this generated ledger")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each")
    args = parser.parse_args()
    forms = load_forms(forms_dir())
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    path = args.ledger or folder / "ledger.sqlite"
    fresh = not path.exists()
    ledger = Ledger(f"sqlite:///{path}", forms)
    if fresh:
        start = time.perf_counter()
        count = generate(ledger, args.projects, args.weeks)
        print(f"generated {count} submissions in {time.perf_counter() - start:.1f} s -> {path}")
    as_of = dt.datetime.combine(
        START + dt.timedelta(weeks=args.weeks - 1, days=3), dt.time(12), CHINA_TIME
    )
    return args, ledger, Settings(home=folder), folder, as_of


def main() -> None:
    args, ledger, settings, folder, as_of = large_ledger(__doc__.splitlines()[0], "pmo-rollup-")
    out = folder / "rollup.xlsx"
    probe = build_rollup(ledger, settings, as_of)
    shape = [(len(t.rows) + 1, len(t.columns)) for s in probe.sheets for t in s.tables]
    sheets, stamp = len(probe.sheets), probe.as_of
    del probe
    # Interleaved, each from the same state (nothing of a previous run alive, a fresh collection):
    # the bare write is as slow as the heap it leaves the collector to walk.
    first, weekly, bare, paused = [], [], [], []
    for _ in range(args.repeat):
        gc.collect()
        bare.append(bare_write(folder / "bare.xlsx", shape))
        with paused_gc():
            paused.append(bare_write(folder / "bare.xlsx", shape))
        forget_history(ledger)  # a first roll-up computes every trend week
        gc.collect()
        first.append(timed_rollup(ledger, settings, as_of, out)[:2])
        # The weekly case: last week's roll-up kept its trend weeks; this one adds one.
        forget_history(ledger)
        build_rollup(ledger, settings, as_of - dt.timedelta(weeks=1))
        gc.collect()
        weekly.append(timed_rollup(ledger, settings, as_of, out)[:2])
    bare, paused = min(bare), min(paused)
    ledger.close()
    cells = sum(rows * columns for rows, columns in shape)
    print(f"roll-up as of {stamp}: {sheets} sheets, {cells} cells")
    print(f"best of {args.repeat} runs each\n\n{'':<56} {'seconds':>8} {'x bare':>7}")
    for label, runs in (
        ("first roll-up (no history)", first),
        ("weekly roll-up (last week's trend kept)", weekly),
    ):
        built, total = min(r[0] for r in runs), min(r[1] for r in runs)
        print(f"{label + ': build_rollup':<56} {built:>8.2f} {built / bare:>7.2f}")
        print(f"{label + ': build + write':<56} {total:>8.2f} {total / bare:>7.2f}")
    print(f"{'bare XlsxWriter, same cell count':<56} {bare:>8.2f} {1:>7.2f}")
    print(f"{'  the same with the GC paused (as write_rollup runs)':<56} {paused:>8.2f}"
          f" {paused / bare:>7.2f}")  # fmt: skip
    print(f"\nmeasured {dt.date.today()}")


if __name__ == "__main__":
    main()
