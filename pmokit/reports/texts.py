"""The reports' words: which states a closure report is for, and a choice shown in the
report's language (choices are stored by their Chinese label)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pmokit.base.labels import Label
from pmokit.forms.schema import FieldSpec

CLOSING_STATES = ("结项中", "结项", "终验", "撤项")
NOT_CLOSING = Label(
    "项目 {code} 处于“{state}”，尚未结项或撤项：结项总结报告在结项申请通过后生成"
    "（草稿请加 --draft）",
    "project {code} is in {state}, not closing or closed: the closure report comes after an"
    " approved closure (add --draft for a draft)",
)
NO_PROJECT = Label("台账中没有项目“{code}”", "the ledger has no project {code!r}")


def choice_text(field: FieldSpec | None, value: Any, lang: str) -> Any:
    """A choice's label in `lang`; any other value as it is."""
    if field is None or not field.choices or not isinstance(value, str):
        return value
    return next((c.text(lang) for c in field.choices if c.zh == value), value)


NONE = "—"  # no data: never shown as a zero
DAYS = Label("{n} 天", "{n} days")


def amount(value: Any, places: int = 2) -> str:
    """1,234.50 — a number as the report shows it; — when there is none."""
    return NONE if value is None else f"{Decimal(value):,.{places}f}"


def percent(fraction: Any, signed: bool = False) -> str:
    """12.5% (or +12.5% for a deviation) — a fraction as a percentage, one decimal."""
    if fraction is None:
        return NONE
    text = f"{Decimal(fraction) * 100:{'+' if signed else ''}.1f}%"
    return text.replace("+0.0%", "0.0%")


def date_text(day: dt.date | None) -> str:
    return NONE if day is None else day.isoformat()


def days_text(days: int | None, lang: str) -> str:
    return NONE if days is None else DAYS.text(lang).format(n=f"{days:+d}" if days else "0")
