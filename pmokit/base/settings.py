"""One settings object, loaded once at the edge (CLI, service, button) and passed down.

Precedence: command-line flags > PMO_* environment variables > `pmo.toml` > defaults. The
settings file is found as git finds its repository: `pmo.toml` in the current folder or the
nearest parent. Without one, the ledger is `.pmo/ledger.sqlite` under the current folder, so
commands run from one folder share one ledger with no setup.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pmokit.base.errors import ConfigError
from pmokit.base.labels import LANGS
from pmokit.base.mail_settings import MailSettings, Schedule, mail_section, schedule_section
from pmokit.base.resources import forms_dir, templates_dir
from pmokit.base.trusted_vba import shipped_vba_hashes
from pmokit.base.workbook_settings import WorkbookSettings, workbooks_section
from pmokit.base.workdays import WorkCalendar

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

SETTINGS_FILE = "pmo.toml"
STATE_DIR = ".pmo"


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
class RollupTargets:
    """The roll-up's thresholds and KPI targets ([rollup] in pmo.toml): the PMO sets them with
    its project managers (requirements.md §3.5), so none is hard-wired."""

    schedule_amber_days: int = 5  # forecast end this many days past the baseline end: amber
    schedule_red_days: int = 15
    budget_amber: float = 0.05  # forecast spend this fraction over the baseline: amber
    budget_red: float = 0.10
    capacity_hours: float = 40.0  # a person's hours in a week across projects
    success_target: float = 0.90
    on_time_target: float = 0.90  # 项目交付准时率 ≥ 90 %
    budget_target: float = 0.05  # 预算偏差率 ≤ 5 %
    satisfaction_target: float = 4.5  # 满意度 ≥ 4.5 / 5
    adoption_target: float = 1.0  # every new file on the standard template
    weekly_on_time_target: float = 0.95
    trend_weeks: int = 12


@dataclass(frozen=True)
class Settings:
    lang: str = "zh"  # language of generated forms and messages
    forms_dir: Path | None = None  # folder of form specs; None means the shipped templates/forms
    ledger: str | None = None  # SQLAlchemy URL or SQLite path; None means <home>/.pmo/ledger.sqlite
    home: Path | None = None  # the folder of pmo.toml, else the current folder
    settings_file: Path | None = None  # the pmo.toml in use, if any
    max_weekly_hours: float = 60.0  # a person's hours in one weekly report
    max_duration_years: int = 2  # R21: planned duration of a project
    allowed_vba_hashes: frozenset[str] = frozenset()  # sha256 of vbaProject.bin parts we built
    limits: PackageLimits = field(default_factory=PackageLimits)
    rollup: RollupTargets = field(default_factory=RollupTargets)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    missing_weeks_for_suspension: int = 3  # R7: weeks without a report that mean 事实上已暂停
    suspension_months: int = 3  # R9
    closure_workdays: int = 10  # R16
    initiation_workdays: int = 10  # R22: from registration to an approved plan and budget
    budget_due_day: int = 27  # R14: next month's budget is due by this day of the month
    # R16 "原则上": project types whose closure starts only after 终验 (the others after 初验)
    closure_after_final: frozenset[str] = frozenset({"软件开发"})
    hours_per_day: float = 8.0  # 人日 in the closure report: hours of one person-day
    report_templates: Path | None = None  # the PMO's own Word templates; None: the shipped ones
    mail: MailSettings = field(default_factory=MailSettings)
    schedule: Schedule = field(default_factory=Schedule)
    workbooks: WorkbookSettings = field(default_factory=WorkbookSettings)
    # A group PMO's site (one share and its watcher) among several recording into one ledger;
    # "" for a PMO with one share. Each submission is recorded with the site it arrived at.
    site: str = ""

    def spec_folder(self) -> Path:
        return self.forms_dir if self.forms_dir is not None else forms_dir()

    def state_dir(self) -> Path:
        """Where pmokit keeps its own files (ledger, archive) by default."""
        return (self.home or Path.cwd()) / STATE_DIR

    def ledger_url(self) -> str:
        """The ledger's SQLAlchemy URL; a bare path means a SQLite file."""
        target = self.ledger or str(self.state_dir() / "ledger.sqlite")
        if "://" in target:
            return target
        path = Path(target)
        if not path.is_absolute():
            path = (self.home or Path.cwd()) / path
        return f"sqlite:///{path}"

    def report_template(self, report: str) -> Path:
        """The Word template of a report in this language: the PMO's own, else the shipped."""
        folder = self.report_templates or templates_dir() / "reports"
        return folder / f"{report}.{self.lang}.docx"

    def mail_dir(self) -> Path:
        """outbox/, sent/ and failed/: every message, as an .eml file, before and after."""
        folder = self.mail.folder or self.state_dir() / "mail"
        return folder if folder.is_absolute() else (self.home or Path.cwd()) / folder

    def trusted_vba(self) -> frozenset[str]:
        """The VBA projects a submitted workbook may carry: ours, and the PMO's own."""
        return shipped_vba_hashes() | self.allowed_vba_hashes

    def mail_lang(self) -> str:
        return self.mail.lang or self.lang

    def archive_dir(self) -> Path:
        """Accepted originals, stored by content hash, replayed by `pmo ledger rebuild`."""
        return self.state_dir() / "archive"


# Settings a pmo.toml or the environment may set, with how to read each value.
_FILE_KEYS = {
    "lang": str,
    "forms_dir": Path,
    "ledger": str,
    "max_weekly_hours": float,
    "max_duration_years": int,
    "allowed_vba_hashes": frozenset,
    "missing_weeks_for_suspension": int,
    "suspension_months": int,
    "closure_workdays": int,
    "initiation_workdays": int,
    "budget_due_day": int,
    "closure_after_final": frozenset,
    "hours_per_day": float,
    "report_templates": Path,
    "site": str,
}
# The range each number may take (inclusive); outside it a setting is refused, naming the
# file, the key and the range, rather than quietly making every deadline or figure absurd.
RANGES: dict[str, tuple[float, float]] = {
    "max_weekly_hours": (1, 168),
    "max_duration_years": (1, 10),
    "missing_weeks_for_suspension": (1, 52),
    "suspension_months": (1, 36),
    "closure_workdays": (1, 120),
    "initiation_workdays": (1, 120),
    "budget_due_day": (1, 28),
    "hours_per_day": (1, 24),
    "rollup.schedule_amber_days": (0, 365),
    "rollup.schedule_red_days": (1, 365),
    "rollup.budget_amber": (0, 1),
    "rollup.budget_red": (0.001, 1),
    "rollup.capacity_hours": (1, 168),
    "rollup.success_target": (0, 1),
    "rollup.on_time_target": (0, 1),
    "rollup.budget_target": (0, 1),
    "rollup.satisfaction_target": (0, 5),
    "rollup.adoption_target": (0, 1),
    "rollup.weekly_on_time_target": (0, 1),
    "rollup.trend_weeks": (1, 52),
    **{f"limits.{f.name}": (1, 2**40) for f in fields(PackageLimits)},
}


def _in_range(key: str, value: Any, source: object) -> Any:
    low, high = RANGES.get(key, (None, None))
    if low is not None and not low <= value <= high:
        raise ConfigError(
            f"{source}：{key} 应在 {low} 到 {high} 之间，而不是 {value!r}",
            f"{source}: {key} must be from {low} to {high}, not {value!r}",
        )
    return value


_ENV = {
    "lang": "PMO_LANG",
    "forms_dir": "PMO_FORMS_DIR",
    "ledger": "PMO_LEDGER",
    "max_weekly_hours": "PMO_MAX_WEEKLY_HOURS",
    "site": "PMO_SITE",
}


def find_settings_file(start: Path) -> Path | None:
    """pmo.toml in `start` or its nearest parent."""
    for folder in (start, *start.parents):
        candidate = folder / SETTINGS_FILE
        if candidate.is_file():
            return candidate
    return None


def _convert(key: str, value: Any, source: str) -> Any:
    kind = _FILE_KEYS[key]
    try:
        if kind is frozenset:
            if isinstance(value, str):  # "软件开发" would become its characters
                raise TypeError(value)
            return frozenset(str(v) for v in value)
        if kind is str and not isinstance(value, str):  # site = 3 is a mistake, not "3"
            raise TypeError(value)
        converted = kind(value)
        if key == "site":
            converted = _site_name(converted)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{source}：{key} 的值 {value!r} 无效", f"{source}: {key} cannot be {value!r}"
        ) from None
    return _in_range(key, converted, source)


def _site_name(value: str) -> str:
    """A site's name: a short line of text (it is kept on every submission and in logs)."""
    name = value.strip()
    if len(name) > 40 or any(not ch.isprintable() for ch in name):
        raise ValueError(value)
    return name


def _from_file(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}：{exc}", f"{path}: {exc}") from None
    limits = raw.pop("limits", {})
    rollup = raw.pop("rollup", {})
    calendar = raw.pop("calendar", {})
    mail, schedule = raw.pop("mail", None), raw.pop("schedule", None)
    workbooks = raw.pop("workbooks", None)
    values = {}
    for key, value in raw.items():
        if key not in _FILE_KEYS:
            raise ConfigError(f"{path}：未知设置项 {key!r}", f"{path}: unknown setting {key!r}")
        values[key] = _convert(key, value, str(path))
    if limits:
        values["limits"] = _section(limits, "limits", PackageLimits, path)
    if rollup:
        values["rollup"] = _section(rollup, "rollup", RollupTargets, path)
    if calendar:
        values["calendar"] = _calendar(calendar, path)
    for key, section, read in (
        ("mail", mail, mail_section),
        ("schedule", schedule, schedule_section),
        ("workbooks", workbooks, workbooks_section),
    ):
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError(
                    f"{path}：{key} 应为一节 [{key}]", f"{path}: {key} must be a [{key}] table"
                )
            values[key] = read(section, path)
    for key in ("forms_dir", "report_templates"):  # folders named relative to pmo.toml
        if key in values and not values[key].is_absolute():
            values[key] = path.parent / values[key]
    return values


def _section(raw: dict, name: str, kind: type, path: Path):
    """A [name] table of numbers, each a field of `kind`, converted to the field's type."""
    types = {f.name: type(f.default) for f in fields(kind)}
    unknown = sorted(set(raw) - set(types))
    if unknown:
        raise ConfigError(
            f"{path}：未知设置项 {name}.{unknown[0]}",
            f"{path}: unknown setting {name}.{unknown[0]}",
        )
    try:
        values = {k: types[k](v) for k, v in raw.items()}
    except (TypeError, ValueError):
        raise ConfigError(
            f"{path}：[{name}] 中只能填数字", f"{path}: [{name}] takes numbers only"
        ) from None
    for key, value in values.items():
        _in_range(f"{name}.{key}", value, path)
    section = kind(**values)
    for amber, red in (
        ("schedule_amber_days", "schedule_red_days"),
        ("budget_amber", "budget_red"),
    ):
        if hasattr(section, amber) and getattr(section, amber) >= getattr(section, red):
            raise ConfigError(
                f"{path}：{name}.{amber} 应小于 {name}.{red}",
                f"{path}: {name}.{amber} must be below {name}.{red}",
            )
    return section


def _calendar(raw: dict, path: Path) -> WorkCalendar:
    """[calendar] holidays = [dates], workdays = [dates]: the PMO's own days off and make-ups."""
    unknown = sorted(set(raw) - {"holidays", "workdays"})
    if unknown:
        raise ConfigError(
            f"{path}：未知设置项 calendar.{unknown[0]}",
            f"{path}: unknown setting calendar.{unknown[0]}",
        )
    days = {}
    for key in ("holidays", "workdays"):
        values = raw.get(key, [])
        if not all(isinstance(v, dt.date) for v in values):
            raise ConfigError(
                f"{path}：calendar.{key} 应为日期列表（如 2027-01-01）",
                f"{path}: calendar.{key} must be a list of dates (2027-01-01)",
            )
        days[key] = frozenset(values)
    return WorkCalendar(**days)


def load_settings(
    flags: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build Settings from flags (None means not given), PMO_* variables, pmo.toml, defaults."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    found = find_settings_file(cwd)
    values: dict[str, Any] = _from_file(found) if found else {}
    for key, variable in _ENV.items():
        if environ.get(variable):
            values[key] = _convert(key, environ[variable], variable)
    for key, value in (flags or {}).items():
        if value is not None:
            values[key] = _convert(key, value, f"--{key.replace('_', '-')}")
    settings = replace(Settings(home=found.parent if found else cwd, settings_file=found), **values)
    if settings.lang not in LANGS:
        raise ConfigError(
            f"语言只能是 zh 或 en，而不是 {settings.lang!r}",
            f"language must be zh or en, not {settings.lang!r}",
        )
    return settings
