"""The ledger for analysts: `frames()` gives reports/datasets.py's tables as pandas DataFrames
with proper dtypes, and `export_tables()` (`pmo export`) writes the same tables as CSV, an Excel
workbook or Parquet files for Power BI and Excel users. pandas, and pyarrow for Parquet, come
with the `frames` extra; each is imported here only, when used.

Dtypes: text `string` (Arrow-backed), categories `category`, whole numbers `Int64`, dates
`datetime64[ns]` (midnight), arrival times `datetime64[ns, Asia/Shanghai]`, yes/no `boolean`,
and money, hours and percentages `float64` — the nearest double to the Decimal the ledger keeps
(to the fen, 0.01; percentages as fractions, 0.8 = 80 %): round sums to 2 places when an exact
figure matters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmokit.base.errors import ConfigError, OutputError, os_reason
from pmokit.base.labels import Label
from pmokit.base.settings import Settings, load_settings
from pmokit.ledger.store import Ledger
from pmokit.reports.datasets import TABLES, Dataset, datasets
from pmokit.utils.files import TEMP_PREFIX, atomic_write

FORMATS = ("csv", "xlsx", "parquet")
ZONE = "Asia/Shanghai"

NEEDS = Label(
    "{what} 需要 {package}：pip install 'pmokit[frames]'",
    "{what} needs {package}: pip install 'pmokit[frames]'",
)
NAIVE_AS_OF = (
    "as_of 需要时区：datetime(..., tzinfo=pmokit.base.workdays.CHINA_TIME)",
    "as_of needs a time zone: datetime(..., tzinfo=pmokit.base.workdays.CHINA_TIME)",
)
UNKNOWN_TABLES = Label(
    "没有这些表：{names}；表有：{tables}", "no such tables: {names}; the tables: {tables}"
)
# Text Excel would take for a formula when it opens a CSV file (OWASP's CSV injection list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _pandas(what: str):
    try:
        import pandas
    except ImportError:
        raise _needs(what, "pandas") from None
    return pandas


def _needs(what: str, package: str) -> ConfigError:
    said = NEEDS.format(what=what, package=package)
    return ConfigError(said.zh, said.en)


def frames(
    ledger: Ledger,
    settings: Settings | None = None,
    as_of: dt.datetime | None = None,
    tables: tuple[str, ...] = TABLES,
) -> dict[str, Any]:
    """The ledger's tables as of `as_of` (default now) as DataFrames, by name: projects,
    submissions, weekly_reports, weekly_tasks, hours, risks, milestone_forecasts, budgets,
    changes, alerts, kpis. `settings` defaults to the pmo.toml of this folder."""
    pandas = _pandas("frames()")
    settings = settings or load_settings()
    moment = as_of or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        raise ConfigError(*NAIVE_AS_OF)
    unknown = [name for name in tables if name not in TABLES]
    if unknown:
        said = UNKNOWN_TABLES.format(names=", ".join(unknown), tables=", ".join(TABLES))
        raise ConfigError(said.zh, said.en)
    found = datasets(ledger, settings, moment, tables, exact=False)  # whole columns convert
    return {name: to_frame(pandas, data) for name, data in found.items()}


def to_frame(pandas, data: Dataset):
    """One table as a DataFrame, each column of its kind's dtype."""
    columns = list(zip(*data.rows, strict=True)) or [() for _ in data.columns]
    return pandas.DataFrame(
        {
            name: _series(pandas, values, kind)
            for (name, kind), values in zip(data.columns, columns, strict=True)
        },
        columns=data.names,
    )


def _text() -> str:
    """pandas' string dtype, held by Arrow where pyarrow is installed: four times faster to
    build; plain `string` without it."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return "string"
    return "string[pyarrow]"


def _series(pandas, values: list, kind: str):
    if kind == "float":  # floats, or Decimals (PostgreSQL)
        return pandas.Series(values, dtype="float64")
    if kind == "date":  # ISO text (SQLite) or dates
        days = pandas.to_datetime(values, format="%Y-%m-%d")
        return pandas.Series(days, dtype="datetime64[ns]")
    if kind == "datetime":
        moments = pandas.to_datetime(values, utc=True).tz_convert(ZONE)
        return pandas.Series(moments, dtype=f"datetime64[ns, {ZONE}]")
    dtype = {"int": "Int64", "bool": "boolean", "category": "category"}.get(kind, _text())
    return pandas.Series(values, dtype=dtype)


@dataclass(frozen=True)
class Export:
    """What `pmo export` wrote: the folder, and each table's file and row count."""

    folder: Path
    format: str
    as_of: str
    files: tuple[tuple[str, Path, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "format": self.format,
            "as_of": self.as_of,
            "tables": [{"table": t, "file": str(p), "rows": n} for t, p, n in self.files],
        }


def export_tables(
    ledger: Ledger, settings: Settings, fmt: str, out: Path, as_of: dt.datetime
) -> Export:
    """Write every table into `out` (created if missing): `<table>.csv` or `.parquet` each, or
    one `pmo-tables.xlsx` with a sheet a table. The same names each time, so a Power BI or Excel
    query refreshes from them; each file is replaced whole (written aside, then renamed)."""
    if fmt not in FORMATS:
        raise ConfigError(f"格式只能是 {', '.join(FORMATS)}", f"the format is one of {FORMATS}")
    pandas = _pandas("pmo export")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401  (pandas' Parquet engine)
        except ImportError:
            raise _needs("--format parquet", "pyarrow") from None
    tables = frames(ledger, settings, as_of)
    try:
        out.mkdir(parents=True, exist_ok=True)
        files = _write(pandas, tables, fmt, out)
    except OSError as exc:  # name the folder, not the temporary file it failed on
        failed = Path(getattr(exc, "filename", None) or out)
        shown = failed.parent if failed.name.startswith(TEMP_PREFIX) else failed
        raise OutputError(shown, os_reason(exc)) from None
    when = as_of.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="minutes")
    return Export(out.resolve(), fmt, when, files)


def _write(pandas, tables: dict, fmt: str, out: Path) -> tuple[tuple[str, Path, int], ...]:
    if fmt == "xlsx":
        path = out / "pmo-tables.xlsx"
        atomic_write(path, lambda temp: _workbook(pandas, tables, temp))
        return tuple((name, path, len(frame)) for name, frame in tables.items())
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":  # with a BOM: Excel then reads the Chinese right
            safe = _csv_safe(pandas, frame)
            atomic_write(
                path, lambda temp, f=safe: f.to_csv(temp, index=False, encoding="utf-8-sig")
            )
        else:
            atomic_write(path, lambda temp, f=frame: f.to_parquet(temp, index=False))
        written.append((name, path, len(frame)))
    return tuple(written)


def _csv_safe(pandas, frame):
    """Text a spreadsheet would run as a formula gets a leading ' (shown, never evaluated)."""
    frame = frame.copy()
    for name in frame.columns:
        if isinstance(frame[name].dtype, pandas.StringDtype):
            risky = frame[name].str.startswith(FORMULA_START, na=False)
            frame.loc[risky, name] = "'" + frame.loc[risky, name]
    return frame


def _workbook(pandas, tables: dict, path: Path) -> None:
    """A sheet a table; text written as text, never as a formula or a link; times as China time
    (Excel has no time zones)."""
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pandas.ExcelWriter(
        path,
        engine="xlsxwriter",
        engine_kwargs={"options": options},
        date_format="yyyy-mm-dd",
        datetime_format="yyyy-mm-dd hh:mm",
    ) as book:
        for name, frame in tables.items():
            local = frame.copy()
            for column in local.columns:
                kind = local[column].dtype
                if isinstance(kind, pandas.DatetimeTZDtype):  # an arrival time
                    local[column] = local[column].dt.tz_localize(None)
                elif pandas.api.types.is_datetime64_dtype(kind):  # a day: shown as a date
                    local[column] = local[column].dt.date
            local.to_excel(book, sheet_name=name[:31], index=False)
            sheet = book.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, max(len(local.columns) - 1, 0), 14)
            sheet.autofilter(0, 0, max(len(local), 1), max(len(local.columns) - 1, 0))
