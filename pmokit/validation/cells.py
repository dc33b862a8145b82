"""Schema checks: each cell against its field, rows against their table, as Issues with positions.

Turns the parser's CellProblems into issues a person can act on (the field named by its label,
the limits in words), and adds what needs more than one cell of a table: required columns of
filled rows, row counts, content below a table and duplicate keys.
"""

from __future__ import annotations

from collections.abc import Iterator

from pmokit.base.issues import Issue, make_issue
from pmokit.base.labels import Label
from pmokit.forms.describe import field_rules
from pmokit.forms.schema import FieldSpec, TableSpec
from pmokit.forms.values import display_value, is_blank
from pmokit.validation.parsing import NORMALISED, CellProblem, Parsed
from pmokit.validation.reading import CellValue

TYPE_CODES = {
    "int": "not-an-integer",
    "decimal": "not-a-number",
    "money": "not-a-number",
    "percent": "not-a-number",
    "date": "not-a-date",
    "month": "not-a-date",
    "bool": "not-a-bool",
}


def _spec(parsed: Parsed, problem: CellProblem) -> FieldSpec:
    if problem.table is None:
        return parsed.form.field(problem.field)
    return next(c for c in parsed.form.table(problem.table).columns if c.id == problem.field)


def _details(spec: FieldSpec, problem: CellProblem, lang: str) -> tuple[str, dict]:
    """The issue code of a cell problem and what its message needs."""
    label = spec.label.text(lang)
    if problem.kind == NORMALISED:
        how = Label("、", ", ").text(lang).join(n.text(lang) for n in problem.note)
        return "value-normalised", {
            "label": label,
            "how": how,
            "normalised": display_value(spec, problem.value, lang),
        }
    if problem.kind == "choice":
        choices = " / ".join(c.text(lang) for c in spec.choices)
        return "choice-invalid", {"label": label, "choices": choices}
    if problem.kind == "range":
        return "out-of-range", {
            "label": label,
            "bounds": field_rules(spec, lang),
            "shown": display_value(spec, problem.value, lang),
        }
    if problem.kind == "length":
        return "too-long", {
            "label": label,
            "length": len(problem.value),
            "max_length": spec.max_length,
        }
    if problem.kind == "pattern":
        code = "email-invalid" if spec.type == "email" else "pattern-mismatch"
        rule = spec.pattern_help.text(lang) if spec.pattern_help else ""  # in words, not a regex
        return code, {
            "label": label,
            "format": rule,
            "example": display_value(spec, spec.example, lang),
        }
    # The field's own example, which passes its rules (周报截止日 shows a Friday).
    example = display_value(spec, spec.example, lang)
    return TYPE_CODES.get(spec.type, "not-text"), {"label": label, "example": example}


def _cells(parsed: Parsed) -> Iterator[tuple[FieldSpec, CellValue]]:
    """Every single field and every cell of every filled table row, with its spec."""
    for field_id, value in parsed.read.fields.items():
        yield parsed.form.field(field_id), value
    for table_id, rows in parsed.read.tables.items():
        for column in parsed.form.table(table_id).columns:
            for row in rows:
                yield column, row.cells[column.id]


def cell_issues(parsed: Parsed, lang: str) -> list[Issue]:
    """One issue per cell that is blank but required, does not fit, or was read by a guess."""
    issues = [
        make_issue(
            "required-missing",
            lang,
            sheet=value.sheet,
            cell=value.cell,
            field=spec.id,
            label=spec.label.text(lang),
        )
        for spec, value in _cells(parsed)
        if spec.required and is_blank(value.raw)
    ]
    for problem in parsed.problems:
        code, details = _details(_spec(parsed, problem), problem, lang)
        value = problem.raw if not isinstance(problem.raw, float) else f"{problem.raw:g}"
        issues.append(
            make_issue(
                code,
                lang,
                sheet=problem.sheet,
                cell=problem.cell,
                field=problem.field,
                value=value,
                **details,
            )
        )
    return issues


def table_issues(parsed: Parsed, lang: str) -> list[Issue]:
    """Row counts, content below a table, and rows that repeat a key."""
    issues = []
    for _, table in parsed.form.tables():
        rows = parsed.read.tables[table.id]
        label = table.label.text(lang)
        if len(rows) < table.min_rows:
            sheet, cell = parsed.table_anchor(table.id)
            issues.append(
                make_issue(
                    "too-few-rows",
                    lang,
                    sheet=sheet,
                    cell=cell,
                    table=label,
                    min_rows=table.min_rows,
                    rows=len(rows),
                )
            )
        spill = parsed.read.overflow.get(table.id)
        if spill is not None:
            row = int("".join(ch for ch in spill.cell if ch.isdigit()))
            issues.append(
                make_issue(
                    "too-many-rows",
                    lang,
                    sheet=spill.sheet,
                    cell=spill.cell,
                    value=spill.raw,
                    table=label,
                    max_rows=table.max_rows,
                    row=row,
                )
            )
        issues += _duplicates(parsed, table, lang)
    return issues


def _duplicates(parsed: Parsed, table: TableSpec, lang: str) -> list[Issue]:
    if not table.key:
        return []
    seen: dict[tuple, int] = {}
    issues = []
    columns = "、".join(c.label.text(lang) for c in table.columns if c.id in table.key)
    for index, row in parsed.rows(table.id):
        key = tuple(row.get(k) for k in table.key)
        if None in key:
            continue
        read_row = parsed.read.tables[table.id][index]
        if key in seen:
            issues.append(
                parsed.issue_at(
                    "duplicate-key",
                    lang,
                    table.key[0],
                    table.id,
                    index,
                    table=table.label.text(lang),
                    row=read_row.number,
                    first=seen[key],
                    columns=columns,
                )
            )
        else:
            seen[key] = read_row.number
    return issues
