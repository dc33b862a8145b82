"""`pmo workbooks build`: the macro-enabled variant of every form and the PMO console, written
with XlsxWriter around the VBA project `vba_project` assembles.

A form's `.xlsm` is the `.xlsx` form (same sheets, defined names and `_pmo` metadata) plus the
Validate and Submit buttons and the xlwings.conf sheet; `PMO控制台.xlsm` has the PMO's four
buttons and the two cells they read and write. Built files are never committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from generators.form_styles import make_formats, print_setup
from generators.forms import build_form, form_filename
from generators.macro_parts import FORM_BUTTONS, Button, MacroParts, add_button_bar, add_project
from generators.output import writing
from generators.vba_project import CONSOLE_MODULES, FORM_MODULES, vba_project, versions
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workbook_settings import conf_rows
from pmokit.forms.schema import FormSpec
from pmokit.utils.files import atomic_write

CONSOLE_NAME = Label("PMO控制台", "PMO console")
CONSOLE_SHEET = Label("控制台", "Console")
CODE_NAME, RESULT_NAME = "pmo_project_code", "pmo_result"  # the cells the buttons read, write
CODE_CELL, RESULT_CELL = (5, 1), (7, 1)  # B6, B8
CONSOLE_BUTTONS = (
    Button(
        Label("刷新汇总", "Refresh roll-up"),
        "PMOConsole.RefreshRollup",
        Label("重新生成项目组合汇总工作簿", "Rebuild the portfolio roll-up workbook"),
    ),
    Button(
        Label("生成简报", "Briefing"),
        "PMOConsole.MakeBriefing",
        Label("生成本周的领导简报（Word）", "This week's executive briefing (Word)"),
    ),
    Button(
        Label("结项报告", "Closure report"),
        "PMOConsole.MakeClosureReport",
        Label("为下面填写的项目生成结项总结报告", "The closure report of the project below"),
    ),
    Button(
        Label("发送周报提交情况", "Send status"),
        "PMOConsole.SendStatus",
        Label("把本周的提交情况邮件发给领导和部门", "Mail this week's submission status"),
    ),
)
CONSOLE_TEXT = (
    Label(
        "每个按钮调用与命令行相同的功能（pmo rollup、pmo report briefing、pmo report closure、"
        "pmo mail send status），使用本工作簿所在文件夹（或其上级）中的 pmo.toml，"
        "或 [workbooks] settings 指定的 pmo.toml。",
        "Each button does what the command line does (pmo rollup, pmo report briefing, "
        "pmo report closure, pmo mail send status) with the PMO's pmo.toml: the one beside "
        "this workbook (or in a folder above it), or the one [workbooks] settings names.",
    ),
    Label("项目编号（结项报告用）", "Project code (for the closure report)"),
    Label("结果", "Result"),
)


def form_parts(settings: Settings, lang: str) -> MacroParts:
    conf = conf_rows(settings.workbooks, lang, settings.workbooks.settings)
    return MacroParts(vba_project(FORM_MODULES), FORM_BUTTONS, conf)


def console_parts(settings: Settings, lang: str) -> MacroParts:
    """The console's settings: [workbooks] settings, else the pmo.toml found from the folder
    the console is kept in (beside the PMO's own pmo.toml) — never this machine's path."""
    conf = conf_rows(settings.workbooks, lang, settings.workbooks.settings)
    return MacroParts(vba_project(CONSOLE_MODULES), CONSOLE_BUTTONS, conf)


def console_filename(lang: str) -> str:
    return f"{CONSOLE_NAME.text(lang)}.xlsm"


def build_console(path: Path, settings: Settings, lang: str) -> Path:
    """The PMO console: a title, what the buttons do, the project-code cell and the result
    cell (both named, so the buttons find them wherever a PMO moves them)."""
    parts = console_parts(settings, lang)

    def write(temp: Path) -> None:
        workbook = xlsxwriter.Workbook(str(temp), {"strings_to_formulas": False})
        formats = make_formats(workbook)
        ws = workbook.add_worksheet(CONSOLE_SHEET.text(lang))
        ws.merge_range(0, 0, 0, 3, CONSOLE_NAME.text(lang), formats["title"])
        ws.set_row(0, 28)
        add_button_bar(ws, 2, 4, parts, lang)
        ws.set_row(2, 30)
        ws.merge_range(3, 0, 3, 3, CONSOLE_TEXT[0].text(lang), formats["note"])
        ws.set_row(3, 48)
        for (row, col), label, name in (
            (CODE_CELL, CONSOLE_TEXT[1], CODE_NAME),
            (RESULT_CELL, CONSOLE_TEXT[2], RESULT_NAME),
        ):
            ws.write_string(row, 0, label.text(lang), formats["label"])
            ws.write_blank(row, col, None, formats["input_text"])
            sheet = CONSOLE_SHEET.text(lang)
            workbook.define_name(name, f"='{sheet}'!${chr(65 + col)}${row + 1}")
        ws.set_column(0, 0, 26)
        ws.set_column(1, 3, 40)
        print_setup(ws, landscape=True)
        ws.print_area(0, 0, RESULT_CELL[0], 3)
        add_project(workbook, parts)
        workbook.close()

    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(path, write)


@dataclass(frozen=True)
class WorkbookBuild:
    """What `pmo workbooks build` wrote, and whether intake trusts the forms' VBA project."""

    paths: tuple[Path, ...]
    vba_sha256: str
    trusted: bool
    versions: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "workbooks": [str(p) for p in self.paths],
            "vba_sha256": self.vba_sha256,
            "trusted": self.trusted,
            "versions": self.versions,
        }


def build_workbooks(
    forms: dict[str, FormSpec], out_dir: Path, settings: Settings, lang: str
) -> WorkbookBuild:
    """Every form's `.xlsm` and the console into `out_dir` (created if missing); rebuilt files
    replace the earlier build's (they are outputs, never anyone's filled form)."""
    with writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    parts = form_parts(settings, lang)
    built = [
        build_form(form, out_dir / form_filename(form, lang, ".xlsm"), lang, macros=parts)
        for form in forms.values()
    ]
    built.append(build_console(out_dir / console_filename(lang), settings, lang))
    sha = hashlib.sha256(parts.vba).hexdigest()
    return WorkbookBuild(tuple(built), sha, sha in settings.trusted_vba(), versions())
