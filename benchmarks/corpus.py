"""A corpus for the benchmarks, from the demo's own generator (generators/portfolio): its
projects, people and weekly reports, spread over 900 project codes and a year of Fridays, each
report grown to 5-40 tasks as real ones vary; written through the form generator and optionally
cached on disk."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from generators.forms import build_form
from generators.portfolio.plan import initiation, make_projects
from generators.portfolio.quarter import weekly
from pmokit.forms.record import Record

STATUSES = ["未开始", "进行中", "已完成", "延期"]
PROJECTS = make_projects()
APPROVED = dt.date(2025, 12, 29)  # before the corpus's first Friday: every report is in 实施


def project_code(index: int) -> str:
    """The project of the corpus's `index`-th report: 900 projects, reused round the corpus."""
    return f"PRJ-2026-{index % 900 + 100:03d}"


def project(index: int):
    """One of the demo's 40 projects under the corpus's code for `index`, approved in time."""
    model = PROJECTS[index % 900 % len(PROJECTS)]
    return replace(
        model, code=project_code(index), start=APPROVED, approved=APPROVED,
        end=dt.date(2026, 12, 31),
    )  # fmt: skip


def weekly_record(form, rng: random.Random, index: int) -> Record:
    """The project's weekly report (generators/portfolio) grown to 5-40 tasks with their hours."""
    friday = dt.date(2026, 1, 2) + dt.timedelta(weeks=index % 52)
    p = project(index)
    base = weekly(p, friday, rag=rng.choice(["绿", "黄", "红"]), rag_reason="接口联调延期")
    tasks, hours = list(base.tables["tasks"]), list(base.tables["hours"])
    for t in range(len(tasks), rng.randint(5, 40)):
        name = f"任务{t + 1} 模块{rng.randint(1, 99)}"
        tasks.append(
            {
                **tasks[0],
                "task_name": name,
                "task_status": rng.choice(STATUSES),
                "percent_complete": Decimal(rng.randint(0, 100)) / 100,
                "remaining_days": Decimal(rng.randint(0, 400)) / 4,
                "expected_finish": friday + dt.timedelta(days=rng.randint(0, 90)),
            }
        )
        hours.append({"task_name": name, "person": p.manager.name, "hours": Decimal("0.5")})
    return replace(base, tables={**base.tables, "tasks": tuple(tasks), "hours": tuple(hours)})


def corpus_folder(out: Path | None) -> Path:
    """The benchmark's --out folder, or a fresh temporary one; created."""
    folder = out or Path(tempfile.mkdtemp(prefix="pmo-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_corpus(forms, folder: Path, count: int) -> list[Path]:
    """`count` filled weekly reports in `folder`; files already there from an earlier run are
    reused (the corpus is deterministic: seed 42)."""
    rng = random.Random(42)
    form = forms["weekly"]
    paths = []
    for i in range(count):
        record = weekly_record(form, rng, i)  # drawn even when cached, so the seed stays in step
        path = folder / f"weekly-{i:04d}.xlsx"
        if not path.exists():
            build_form(form, path, "zh", record)
        paths.append(path)
    return paths


def initiations(forms, folder: Path, count: int) -> list[Path]:
    """An approved initiation for each project of a `count`-report corpus, so its reports can
    be accepted; files already there are reused."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in sorted({i % 900 for i in range(count)}):
        code = project_code(index)
        path = folder / f"{code}.xlsx"
        if not path.exists():
            build_form(forms["initiation"], path, "zh", initiation(project(index)))
        paths.append(path)
    return paths
