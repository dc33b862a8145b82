"""Build and write the roll-up: what `pmo rollup`, the demo and the PMO console's button do —
the portfolio roll-up computed from the ledger at a moment, written as a workbook that never
overwrites an earlier one (rollups/项目组合周报 <week>.xlsx, then (2), (3)…)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generators.rollup import free_rollup_name, write_rollup
from pmokit.base.settings import Settings
from pmokit.ledger.store import Ledger
from pmokit.rollup.report import build_rollup


@dataclass(frozen=True)
class RollupFile:
    """A roll-up workbook written: where, for which week, how big."""

    path: Path
    week: str
    sheets: int
    cells: int


def rollup_to_file(
    ledger: Ledger,
    settings: Settings,
    moment: dt.datetime,
    out: Path | None = None,
    folder: Path | None = None,
) -> RollupFile:
    """The roll-up as of `moment`, written to `out`, or to a free name in `folder` (default:
    rollups/ beside pmo.toml)."""
    built = build_rollup(ledger, settings, moment)
    folder = folder or (settings.home or Path.cwd()) / "rollups"
    target = out or free_rollup_name(folder, built)
    cells = write_rollup(built, target)
    return RollupFile(target, str(built.week), len(built.sheets), cells)
