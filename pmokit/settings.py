"""One settings object, loaded once at the edge (CLI, service, button) and passed down.

Precedence: command-line flags > PMO_* environment variables > defaults. (Issue 5 adds
`pmo.toml` between the environment and the defaults.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pmokit.errors import ConfigError
from pmokit.resources import forms_dir

LANGS = ("zh", "en")


@dataclass(frozen=True)
class PackageLimits:
    """What a submitted file may be before anything parses it (research/reliability.md §2)."""

    max_file_bytes: int = 20 * 2**20
    max_total_uncompressed: int = 50 * 2**20
    max_member_uncompressed: int = 25 * 2**20
    max_ratio: int = 100  # for members over 1 MiB uncompressed
    max_members: int = 1000
    max_sheet_rows: int = 5000  # our largest table has 1000 rows
    max_sheet_columns: int = 64
    max_sheet_cells: int = 200_000


@dataclass(frozen=True)
class Settings:
    lang: str = "zh"  # language of generated forms and messages
    forms_dir: Path | None = None  # folder of form specs; None means the shipped templates/forms
    max_weekly_hours: float = 60.0  # a person's hours in one weekly report
    max_duration_years: int = 2  # R21: planned duration of a project
    allowed_vba_hashes: frozenset[str] = frozenset()  # sha256 of vbaProject.bin parts we built
    limits: PackageLimits = field(default_factory=PackageLimits)

    def spec_folder(self) -> Path:
        return self.forms_dir if self.forms_dir is not None else forms_dir()


def load_settings(
    flags: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build Settings from flags (None means not given), then PMO_* variables, then defaults."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    environ = os.environ if environ is None else environ
    lang = str(flags.get("lang") or environ.get("PMO_LANG") or "zh")
    if lang not in LANGS:
        raise ConfigError(
            f"language must be zh or en, not {lang!r}", f"语言只能是 zh 或 en，而不是 {lang!r}"
        )
    folder = flags.get("forms_dir") or environ.get("PMO_FORMS_DIR")
    hours = flags.get("max_weekly_hours") or environ.get("PMO_MAX_WEEKLY_HOURS") or 60
    try:
        hours = float(hours)
    except ValueError:
        raise ConfigError(
            f"PMO_MAX_WEEKLY_HOURS must be a number, not {hours!r}",
            f"PMO_MAX_WEEKLY_HOURS 必须是数字，而不是 {hours!r}",
        ) from None
    return Settings(
        lang=lang, forms_dir=Path(str(folder)) if folder else None, max_weekly_hours=hours
    )
