"""What makes a workbook macro-enabled (XlsxWriter): the VBA project, a bar of buttons bound
to argument-free Subs, and the hidden `xlwings.conf` sheet RunPython reads its interpreter
from (and the buttons their inbox and settings).

Kept apart from the form writer so that the forms and the console share one way of doing it.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pmokit.base.labels import Label
from pmokit.base.workbook_settings import CONF_SHEET

BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_GAP = 112, 30, 8
TITLE_PT = 16  # the forms' title font (form_styles "title")


@dataclass(frozen=True)
class Button:
    caption: Label
    macro: str  # Module.Sub, argument-free: LibreOffice and Excel drop an OnAction with arguments
    tip: Label


FORM_BUTTONS = (
    Button(
        Label("校验", "Validate"),
        "PMOForm.ValidateForm",
        Label("检查本表，标出要改的单元格", "Check this form and mark the cells to fix"),
    ),
    Button(
        Label("提交", "Submit"),
        "PMOForm.SubmitForm",
        Label("保存、校验，通过后放入共享文件夹", "Save, check and put it on the share"),
    ),
)


@dataclass(frozen=True)
class MacroParts:
    """The VBA project's bytes, the buttons, and the xlwings.conf rows (key, value)."""

    vba: bytes
    buttons: tuple[Button, ...]
    conf: tuple[tuple[str, str], ...]


def add_project(workbook, parts: MacroParts) -> None:
    """The VBA project and the conf sheet. Called after the workbook's own sheets, so the conf
    sheet comes last and theirs keep their places."""
    workbook.add_vba_project(io.BytesIO(parts.vba), is_stream=True)
    workbook.set_vba_name("ThisWorkbook")
    conf = workbook.add_worksheet(CONF_SHEET)
    for row, (key, value) in enumerate(parts.conf):
        conf.write_string(row, 0, key)
        conf.write_string(row, 1, value)
    conf.set_column(0, 0, 28)
    conf.set_column(1, 1, 60)
    conf.very_hidden()  # not for people to change: intake refuses a form whose sheet changed


def text_px(text: str, points: float = TITLE_PT) -> int:
    """About how wide `text` is on screen: a CJK character is a square, a Latin one about
    0.55 of it — enough to start the buttons just after a title instead of over it."""
    square = points * 4 / 3
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return int(square * (wide + 0.55 * (len(text) - wide)))


def add_button_bar(ws, row: int, left_px: int, parts: MacroParts, lang: str) -> None:
    """The buttons side by side on `row`, the first `left_px` from the sheet's left edge, so
    they are on screen as the sheet opens (not past its last column); all as wide as the
    longest caption needs."""
    width = max(BUTTON_WIDTH, *(text_px(b.caption.text(lang), 11) + 28 for b in parts.buttons))
    for n, button in enumerate(parts.buttons):
        ws.insert_button(
            row,
            0,
            {
                "macro": button.macro,
                "caption": button.caption.text(lang),
                "description": button.tip.text(lang),
                "width": width,
                "height": BUTTON_HEIGHT,
                "x_offset": left_px + n * (width + BUTTON_GAP),
                "y_offset": 2,
            },
        )
