"""Tolerant reading of what people really type into a cell, for every field type.

A value that can be read without guessing is returned as is; one that needed a guess (a date
typed as text, an Excel serial number, thousands separators, full-width digits, 80 typed for
80 %) is returned with a note saying how it was read, which validation reports as a warning.
Anything else raises ValueProblem, which becomes an error at the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pmokit.base.labels import Label
from pmokit.forms.schema import FieldSpec
from pmokit.forms.values import QUANTUM, TEXT_TYPES, ValueProblem, check_constraints, is_blank

EPOCH_1900 = dt.date(1899, 12, 30)  # Excel's 1900 system, past its phantom 29 Feb 1900
EPOCH_1904 = dt.date(1904, 1, 1)
SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31
FULL_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$"
)
MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
CURRENCY = re.compile(r"^(?:¥|￥|RMB|CNY)\s*|\s*(?:元|RMB|CNY)$", re.IGNORECASE)
GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[,，\s]\d{3})+(?:\.\d+)?$")
TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "✔", "对"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "×", "✗", "✘", "错"}
CANONICAL_BOOL = {"是", "否", "yes", "no"}
FULL_WIDTH = Label("全角字符", "full-width characters")
CURRENCY_SIGN = Label("去掉货币符号", "currency sign dropped")
SEPARATORS = Label("去掉千位分隔符", "thousands separators dropped")
TEXT_NUMBER = Label("文本转为数字", "text read as a number")
PERCENT_POINTS = Label("按百分数读取", "read as percentage points")
TEXT_DATE = Label("文本日期", "date typed as text")
SERIAL = Label("Excel 日期序号", "Excel serial number")
CASE = Label("大小写或全角半角不同", "case or character width differs")
YES_NO = Label("按是/否读取", "read as yes/no")
Note = tuple[Label, ...]


@dataclass(frozen=True)
class CellContext:
    """What a cell cannot know alone: the workbook's date system and the period's year."""

    date1904: bool = False
    year: int | None = None


def coerce_value(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[Any, Note]:
    """(value, note): the canonical value of a cell, and how it was guessed (empty if not)."""
    if is_blank(raw):
        return None, ()
    value, note = _COERCERS[field.type](field, raw, ctx)
    check_constraints(field, value)
    return value, note


def parse_literal(field: FieldSpec, raw: Any) -> Any:
    """A value written in a form spec (a limit or an example): exact, no guessing allowed."""
    if is_blank(raw):
        return None
    value, note = _COERCERS[field.type](field, raw, CellContext())
    if note:
        how = ", ".join(n.en for n in note)
        raise ValueProblem("type", f"{raw!r} needs a guess ({how}); write the value exactly")
    return value


def _text(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[str, Note]:
    if isinstance(raw, (bool, dt.date)):
        raise ValueProblem("type", f"expected text, got {raw!r}")
    if isinstance(raw, float):
        return (str(int(raw)) if raw.is_integer() else repr(raw)), ()
    text = str(raw).strip()
    # A code typed with a CJK input method: ＰＲＪ－２０２６－００１ is the project PRJ-2026-001.
    if field.pattern is not None:
        ascii_text = _normalised_text(text)
        if ascii_text != text:
            return ascii_text, (FULL_WIDTH,)
    return text, ()


def _normalised_text(raw: str) -> str:
    """Full-width digits and signs to ASCII, spaces (non-breaking too) trimmed."""
    return unicodedata.normalize("NFKC", raw).strip()


def _number_text(raw: str) -> tuple[Decimal, Note]:
    text = _normalised_text(raw)
    how = [TEXT_NUMBER]
    if text != raw.strip():
        how.append(FULL_WIDTH)
    stripped = CURRENCY.sub("", text).strip()
    if stripped != text:
        how.append(CURRENCY_SIGN)
    if GROUPED.match(stripped):
        stripped = re.sub(r"[,，\s]", "", stripped)
        how.append(SEPARATORS)
    percent = stripped.endswith("%")
    try:
        number = Decimal(stripped.rstrip("%").strip())
    except InvalidOperation:
        raise ValueProblem("type", f"not a number: {raw!r}") from None
    if not number.is_finite():
        raise ValueProblem("type", f"not a number: {raw!r}")
    if percent:
        number /= 100
    return number, tuple(how)


def _number(field: FieldSpec, raw: Any) -> tuple[Decimal, Note]:
    if isinstance(raw, (bool, dt.date)):
        raise ValueProblem("type", f"expected a number, got {raw!r}")
    if isinstance(raw, (int, float)):
        return Decimal(repr(raw) if isinstance(raw, float) else raw), ()
    return _number_text(str(raw))


def _int(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[int, Note]:
    number, note = _number(field, raw)
    if number != number.to_integral_value():
        raise ValueProblem("type", f"not a whole number: {raw!r}")
    return int(number), note


def _decimal(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[Decimal, Note]:
    number, note = _number(field, raw)
    # Percent fields hold fractions; 80 typed for 80 % is read as 0.8 and said so.
    text_percent = isinstance(raw, str) and raw.strip().endswith(("%", "％"))
    fraction = field.type == "percent" and field.max is not None and field.max <= 1
    if fraction and not text_percent and 1 < number <= 100:
        number /= 100
        note = (*note, PERCENT_POINTS)
    return number.quantize(QUANTUM[field.type]), note


def _serial(number: float, ctx: CellContext) -> dt.date:
    if not (SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]):
        raise ValueProblem("type", f"not a date: {number!r}")
    return (EPOCH_1904 if ctx.date1904 else EPOCH_1900) + dt.timedelta(days=int(number))


def _date_text(text: str, field: FieldSpec, ctx: CellContext) -> tuple[dt.date, Note]:
    text = _normalised_text(text)
    try:
        return dt.date.fromisoformat(text), ()  # unambiguous: no guess
    except ValueError:
        pass
    if match := FULL_DATE.match(text):
        year, month, day = map(int, match.groups())
        note = (TEXT_DATE,)
    elif (match := MONTH_DAY.match(text)) and ctx.year:
        year, (month, day) = ctx.year, map(int, match.groups())
        note = (TEXT_DATE, Label(f"年份取 {ctx.year}", f"year taken as {ctx.year}"))
    elif (match := YEAR_MONTH.match(text)) and field.type == "month":
        (year, month), day, note = map(int, match.groups()), 1, ()
    else:
        raise ValueProblem("type", f"not a date: {text!r}")
    try:
        return dt.date(year, month, day), note
    except ValueError:
        raise ValueProblem("type", f"not a date: {text!r}") from None


def _date(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[dt.date, Note]:
    if isinstance(raw, bool):
        raise ValueProblem("type", f"not a date: {raw!r}")
    if isinstance(raw, dt.datetime):
        day, note = raw.date(), ()
    elif isinstance(raw, dt.date):
        day, note = raw, ()
    elif isinstance(raw, (int, float)):
        day, note = _serial(raw, ctx), (SERIAL,)
    elif isinstance(raw, dt.time | dt.timedelta):
        raise ValueProblem("type", f"not a date: {raw!r}")
    else:
        day, note = _date_text(str(raw), field, ctx)
    if field.type == "month" and day.day != 1:
        day = day.replace(day=1)
    return day, note


def _choice(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[str, Note]:
    text, _ = _text(field, raw, ctx)
    for choice in field.choices:
        if text in (choice.zh, choice.en):
            return choice.zh, ()
    folded = _normalised_text(text).casefold()
    for choice in field.choices:
        if folded in (_normalised_text(choice.zh).casefold(), choice.en.casefold()):
            return choice.zh, (CASE,)
    raise ValueProblem("choice", f"{text!r} is not a choice")


def _bool(field: FieldSpec, raw: Any, ctx: CellContext) -> tuple[bool, Note]:
    if isinstance(raw, bool):
        return raw, ()
    if isinstance(raw, dt.date):
        raise ValueProblem("type", f"not yes/no: {raw!r}")
    word = _normalised_text(str(raw)).casefold()
    if isinstance(raw, (int, float)):
        word = str(int(raw)) if float(raw).is_integer() else word
    note = () if word in CANONICAL_BOOL else (YES_NO,)
    if word in TRUE_WORDS:
        return True, note
    if word in FALSE_WORDS:
        return False, note
    raise ValueProblem("type", f"not yes/no: {raw!r}")


_COERCERS = {
    "int": _int,
    "decimal": _decimal,
    "money": _decimal,
    "percent": _decimal,
    "date": _date,
    "month": _date,
    "choice": _choice,
    "bool": _bool,
    **dict.fromkeys(TEXT_TYPES, _text),
}
