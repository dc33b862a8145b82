"""A macro-enabled form's xlwings.conf sheet, checked at intake: our VBA is trusted by its hash,
but what it starts is named on that sheet (the interpreter, PYTHONPATH, a conda path pasted
into a command line). A form whose sheet differs from what this PMO's `[workbooks]` settings
write, or holds other keys, is refused: someone opening it from the archive and pressing a
button would run another program. Forms without VBA run nothing and are not checked."""

from __future__ import annotations

from pmokit.base.issues import Issue, make_issue
from pmokit.base.settings import Settings
from pmokit.base.workbook_settings import CONF_KEYS, CONF_SHEET, code_conf
from pmokit.validation.reading import Opened


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def macro_conf_issues(opened: Opened, has_vba: bool, settings: Settings) -> list[Issue]:
    if not has_vba or CONF_SHEET not in opened.book.sheet_names:
        return []
    found = {
        _text(row[0]).upper(): _text(row[1] if len(row) > 1 else None)
        for row in opened.rows(CONF_SHEET)
        if row and _text(row[0])
    }
    unknown = sorted(set(found) - CONF_KEYS)
    changed = [k for k, v in code_conf(settings.workbooks) if found.get(k.upper(), "") != v]
    if unknown or changed:
        detail = ", ".join([*changed, *unknown][:3])
        return [make_issue("macro-settings-changed", settings.lang, detail=detail)]
    return []
