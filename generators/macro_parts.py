"""What makes a workbook macro-enabled (XlsxWriter): the VBA project, a bar of buttons bound
to argument-free Subs, and the hidden `xlwings.conf` sheet RunPython reads its interpreter
from (and the buttons their inbox and settings).

Kept apart from the form writer so that the forms and the console share one way of doing it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pmokit.base.labels import Label

CONF_SHEET = "xlwings.conf"  # the name xlwings looks for (GetConfig); keys in A, values in B
BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_GAP = 132, 30, 8


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
    conf.set_column(0, 0, 18)
    conf.set_column(1, 1, 60)
    conf.hide()


def add_button_bar(ws, row: int, col: int, parts: MacroParts, lang: str) -> None:
    """The buttons side by side, their top-left corner at (row, col)."""
    for n, button in enumerate(parts.buttons):
        ws.insert_button(
            row,
            col,
            {
                "macro": button.macro,
                "caption": button.caption.text(lang),
                "description": button.tip.text(lang),
                "width": BUTTON_WIDTH,
                "height": BUTTON_HEIGHT,
                "x_offset": 4 + n * (BUTTON_WIDTH + BUTTON_GAP),
                "y_offset": 2,
            },
        )
