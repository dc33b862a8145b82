"""Build and write the roll-up: what `pmo rollup`, the demo and the PMO console's button do —
the portfolio roll-up computed from the ledger at a moment, written as a workbook that never
overwrites an earlier one (rollups/项目组合周报 <week>.xlsx, then (2), (3)…)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generators.rollup import free_rollup_name, write_rollup
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.ledger.store import Ledger
from pmokit.reports.project_sheet import project_sheet
from pmokit.reports.project_story import project_story
from pmokit.rollup.report import build_rollup


@dataclass(frozen=True)
class RollupFile:
    """A roll-up workbook written: where, as of when, for which week, how big; `rows` counts
    the rows each sheet's tables hold (projects on the summary, open alerts, …)."""

    path: Path
    week: str
    sheets: int
    cells: int
    as_of: str = ""
    rows: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "as_of": self.as_of,
            "week": self.week,
            "sheets": self.sheets,
            "cells": self.cells,
            "rows": self.rows,
        }

    def text(self, lang: str) -> str:
        return WRITTEN.text(lang).format(**self.to_dict())


WRITTEN = Label(
    "{path}（{sheets} 个工作表，{cells} 个单元格，周报周期截至 {week}）",
    "{path}  ({sheets} sheets, {cells} cells, week {week})",
)


def rollup_to_file(
    ledger: Ledger,
    settings: Settings,
    moment: dt.datetime,
    out: Path | None = None,
    folder: Path | None = None,
    project: str | None = None,
) -> RollupFile:
    """The roll-up as of `moment`, written to `out`, or to a free name in `folder` (default:
    rollups/ beside pmo.toml); with `project`, that project's story as its second sheet."""
    story = project_story(ledger, settings, project, moment) if project else None
    built = build_rollup(ledger, settings, moment)
    if story is not None:
        built.sheets.insert(1, project_sheet(story, settings.lang))
    folder = folder or (settings.home or Path.cwd()) / "rollups"
    target = out or free_rollup_name(folder, built)
    cells = write_rollup(built, target)
    rows = {sheet.id: sum(len(t.rows) for t in sheet.tables) for sheet in built.sheets}
    return RollupFile(target, str(built.week), len(built.sheets), cells, built.as_of, rows)
