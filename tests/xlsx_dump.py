"""A semantic dump of an .xlsx for golden tests: what a person or Excel sees, not zip bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import openpyxl


def _runs(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return runs


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _validations(ws) -> list[dict[str, Any]]:
    return sorted(
        (
            {
                "sqref": str(dv.sqref),
                "type": dv.type,
                "operator": dv.operator,
                "formula1": dv.formula1,
                "formula2": dv.formula2,
                "allow_blank": bool(dv.allow_blank),
                "prompt_title": dv.promptTitle,
                "prompt": dv.prompt,
                "error_title": dv.errorTitle,
                "error": dv.error,
            }
            for dv in ws.data_validations.dataValidation
        ),
        key=lambda d: d["sqref"],
    )


def _unlocked(ws) -> dict[str, list[list[int]]]:
    columns: dict[str, list[int]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.protection is not None and cell.protection.locked is False:
                columns.setdefault(cell.column_letter, []).append(cell.row)
    return {letter: _runs(rows) for letter, rows in sorted(columns.items())}


def _sheet(ws) -> dict[str, Any]:
    protection = ws.protection
    return {
        "state": ws.sheet_state,
        "protected": bool(protection.sheet),
        "protection_allows": sorted(
            k
            for k in ("formatColumns", "formatRows", "autoFilter", "sort")
            if getattr(protection, k) is False
        ),
        "freeze": ws.freeze_panes,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "cells": {
            c.coordinate: _value(c.value)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        },
        "validations": _validations(ws),
        "tables": dict(ws.tables.items()),
        "unlocked": _unlocked(ws),
        "print": {
            "orientation": ws.page_setup.orientation,
            "paper": ws.page_setup.paperSize,
            "fit_width": ws.page_setup.fitToWidth,
            "area": ws.print_area,
        },
    }


def dump_workbook(path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    return {
        "sheets": list(book.sheetnames),
        "defined_names": {name: dn.attr_text for name, dn in sorted(book.defined_names.items())},
        "by_sheet": {ws.title: _sheet(ws) for ws in book.worksheets},
    }
