"""Field types and their canonical values: parsing cells and spec literals, checking limits.

Every stage that touches a value (spec loading, form generation, reading, validation) goes
through this module, so a type means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmokit.forms.texts import NO, YES

if TYPE_CHECKING:
    from pmokit.forms.schema import FieldSpec

TEXT_TYPES = frozenset({"text", "person", "email", "project_code"})
NUMBER_TYPES = frozenset({"int", "decimal", "money", "percent"})
DATE_TYPES = frozenset({"date", "month"})
FIELD_TYPES = TEXT_TYPES | NUMBER_TYPES | DATE_TYPES | {"choice", "bool"}

# Decimal places kept for each decimal type; percent is a fraction (0.8 = 80 %).
QUANTUM = {"decimal": Decimal("0.01"), "money": Decimal("0.01"), "percent": Decimal("0.0001")}
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ValueProblem(ValueError):
    """A value that does not fit its field; `kind` is type, choice, range, pattern or length."""

    def __init__(self, kind: str, detail: str, value: Any = None) -> None:
        self.kind, self.detail, self.value = kind, detail, value
        super().__init__(detail)


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def check_constraints(field: FieldSpec, value: Any) -> None:
    """Raise ValueProblem when a parsed, non-blank value breaks the field's range or pattern."""
    if field.min is not None and value < field.min:
        raise ValueProblem("range", f"{value} is below the minimum {field.min}", value)
    if field.max is not None and value > field.max:
        raise ValueProblem("range", f"{value} is above the maximum {field.max}", value)
    if not isinstance(value, str):
        return
    if field.max_length is not None and len(value) > field.max_length:
        raise ValueProblem("length", f"{len(value)} characters, at most {field.max_length}", value)
    if field.type == "email" and not EMAIL_PATTERN.match(value):
        raise ValueProblem("pattern", f"{value!r} is not an e-mail address", value)
    # ASCII: a pattern's \d is the digits 0-9 its description says, not any script's digits.
    if field.pattern is not None and not re.fullmatch(field.pattern, value, re.ASCII):
        words = field.pattern_help.en if field.pattern_help else field.pattern
        raise ValueProblem("pattern", f"{value!r} is not in the format: {words}", value)


def to_cell(field: FieldSpec, value: Any, lang: str) -> Any:
    """The value to write into a cell for a canonical value (labels in the workbook's language)."""
    if value is None:
        return None
    if field.type == "choice":
        return next(c.text(lang) for c in field.choices if c.zh == value)
    if field.type == "bool":
        return (YES if value else NO).text(lang)
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_json(value: Any) -> Any:
    """A JSON-friendly form of a canonical value: ISO dates, numbers for decimals."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def display_value(field: FieldSpec, value: Any, lang: str) -> str:
    """How a person reads a canonical value: 60%, 81,600.00, 2026-03-15, 是."""
    if value is None:
        return ""
    if field.type == "percent":
        return f"{(value * 100).normalize():f}%"
    if field.type == "money":
        return f"{value:,.2f}"
    if field.type == "month":
        return value.strftime("%Y-%m")
    return str(to_json(to_cell(field, value, lang)))
