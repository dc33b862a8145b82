"""A corpus for the benchmarks: filled weekly reports that vary like real ones (5-40 tasks, hours
rows, statuses, dates), written through the generator and optionally cached on disk."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from decimal import Decimal
from pathlib import Path

from generators.forms import build_form
from pmokit.forms.record import Record, example_record

STATUSES = ["未开始", "进行中", "已完成", "延期"]


def project_code(index: int) -> str:
    """The project of the corpus's `index`-th report: 900 projects, reused round the corpus."""
    return f"PRJ-2026-{index % 900 + 100:03d}"


def weekly_record(form, rng: random.Random, index: int) -> Record:
    """A plausible weekly report: 5–40 tasks, hours rows, a few risks."""
    base = example_record(form, rows=1)
    friday = dt.date(2026, 1, 2) + dt.timedelta(weeks=index % 52)
    fields = {
        **base.fields,
        "project_code": project_code(index),
        "week_ending": friday,
        "rag": rng.choice(["绿", "黄", "红"]),
    }
    tasks, hours = [], []
    for t in range(rng.randint(5, 40)):
        name = f"任务{t + 1} 模块{rng.randint(1, 99)}"
        tasks.append(
            {
                **base.tables["tasks"][0],
                "task_name": name,
                "task_status": rng.choice(STATUSES),
                "percent_complete": Decimal(rng.randint(0, 100)) / 100,
                "remaining_days": Decimal(rng.randint(0, 400)) / 4,
                "expected_finish": friday + dt.timedelta(days=rng.randint(0, 90)),
            }
        )
        hours.append(
            {
                "task_name": name,
                "person": rng.choice(["张伟", "李娜", "王磊", "赵敏"]),
                "hours": Decimal(rng.randint(1, 8)),
            }
        )
    tables = {**base.tables, "tasks": tuple(tasks), "hours": tuple(hours)}
    return Record(form.id, fields, tables)


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
    for code in sorted({project_code(i) for i in range(count)}):
        path = folder / f"{code}.xlsx"
        if not path.exists():
            record = example_record(forms["initiation"])
            record.fields["project_code"] = code
            build_form(forms["initiation"], path, "zh", record)
        paths.append(path)
    return paths
