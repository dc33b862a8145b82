"""Validation, the whole of it: package safety -> identify the form -> read -> schema checks ->
cross-field rules, giving one Report per file. Ledger checks join in the ledger issue."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pmokit.base.errors import WorkbookReadError, read_bytes
from pmokit.base.issues import Issue, Report, make_issue
from pmokit.base.settings import Settings
from pmokit.forms.layout import CELL, column_number, layout_form
from pmokit.forms.schema import FormSpec, Migration
from pmokit.validation.cells import cell_issues, table_issues
from pmokit.validation.cross_field import RuleContext, check_rules
from pmokit.validation.macro_conf import macro_conf_issues
from pmokit.validation.package import check_package
from pmokit.validation.parsing import Parsed, parse
from pmokit.validation.reading import Opened, open_workbook, read_form, saved_time


@dataclass(frozen=True)
class Checked:
    """A validation result with what intake records: the report, and the parsed form if any."""

    report: Report
    parsed: Parsed | None = None
    saved: dt.datetime | None = None  # when the workbook says it was saved (reading.saved_time)


def _known(forms: dict[str, FormSpec], lang: str) -> str:
    return ", ".join(f"{f.id} ({f.title.text(lang)})" for f in forms.values())


def _identify(
    opened: Opened, forms: dict[str, FormSpec], lang: str
) -> tuple[FormSpec | None, Migration | None, list[Issue]]:
    """Which form and version a workbook is, from its metadata sheet."""
    meta = opened.meta
    form = forms.get(meta.get("form_id", ""))
    known = _known(forms, lang)
    try:
        version = int(meta.get("form_version", ""))
    except ValueError:
        version = None
    if form is None or version is None:
        detail = f"form_id={meta.get('form_id', '')!r}"
        return None, None, [make_issue("unknown-form", lang, detail=detail, forms=known)]
    args = {"form": form.id, "version": version, "current": form.version}
    if version > form.version:
        return None, None, [make_issue("template-newer", lang, **args)]
    if version < form.version:
        migration = form.migration(version)
        if migration is None:
            return None, None, [make_issue("template-outdated", lang, **args)]
        return form, migration, [make_issue("template-migrated", lang, **args)]
    if meta.get("structure_hash") != layout_form(form).structure_hash:
        return form, None, [make_issue("template-modified", lang, **args)]
    return form, None, []


def _position_key(form: FormSpec):
    """Order issues as a person reads the workbook: sheet by sheet, row by row, left to right."""
    sheets = {s.title.text(lang): i for i, s in enumerate(form.sheets) for lang in ("zh", "en")}

    def key(issue: Issue) -> tuple[int, int, int]:
        match = CELL.match(issue.cell or "")
        row, col = (int(match[2]), column_number(match[1])) if match else (0, 0)
        return sheets.get(issue.sheet or "", len(sheets)), row, col

    return key


def _has_vba(package: zipfile.ZipFile) -> bool:
    return any(n.lower().endswith("vbaproject.bin") for n in package.namelist())


def check_bytes(data: bytes, name: str, forms: dict[str, FormSpec], settings: Settings) -> Checked:
    """Validate a submission held in memory (intake reads a file once and hashes it)."""
    lang = settings.lang
    issues = check_package(data, settings.limits, lang, settings.trusted_vba(), name)
    if issues:
        return Checked(Report(name, issues=tuple(issues)))
    # cleared by check_package: its zip is opened once more, for every part read below
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        try:
            opened = open_workbook(data, name, package)
        except WorkbookReadError as exc:
            known = _known(forms, lang)
            issue = make_issue(exc.code, lang, detail=exc.reason.text(lang), forms=known)
            return Checked(Report(name, issues=(issue,)))
        try:
            refused = macro_conf_issues(opened, _has_vba(package), settings)
            if refused:
                return Checked(Report(name, issues=tuple(refused)))
            form, migration, issues = _identify(opened, forms, lang)
            if form is None:
                return Checked(Report(name, issues=tuple(issues)))
            parsed = parse(read_form(opened, form, migration))
        finally:
            opened.close()
        saved = saved_time(package)
    ctx = RuleContext(parsed, lang, settings.max_weekly_hours, settings.max_duration_years)
    found = cell_issues(parsed, lang) + table_issues(parsed, lang) + check_rules(ctx)
    issues += sorted(found, key=_position_key(form))
    report = Report(name, form.id, int(opened.meta["form_version"]), tuple(issues))
    return Checked(report, parsed, saved)


def check_workbook(
    source: Path | bytes, forms: dict[str, FormSpec], settings: Settings, name: str | None = None
) -> Checked:
    """check_bytes for a path; an unexpected failure becomes an internal-error issue on the file."""
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        source = read_bytes(Path(source), name)
    name = name or "workbook.xlsx"
    try:
        return check_bytes(source, name, forms, settings)
    except Exception as exc:  # one bad file must never stop a run; the file is reported instead
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return Checked(
            Report(name, issues=(make_issue("internal-error", settings.lang, detail=detail),))
        )


def validate_workbook(
    source: Path | bytes, forms: dict[str, FormSpec], settings: Settings
) -> Report:
    """The Report of one workbook: valid, or every issue with its code, sheet and cell."""
    return check_workbook(source, forms, settings).report
