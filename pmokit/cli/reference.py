"""The reference generated from the code, checked in as docs/reference.md: every `pmo` command
with each of its arguments and options (from the click commands themselves: their help, type
and default), and every pmo.toml setting with its default (from the Settings dataclasses) and
what it means (SETTINGS below). tests/test_reference.py keeps the file equal to what this
prints and fails on a setting without its description, so nothing is added undocumented.

    python -m pmokit.cli.reference > docs/reference.md
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import click

from pmokit.base.labels import Label
from pmokit.base.mail_settings import At
from pmokit.base.settings import _ENV, _FILE_KEYS, Settings

SECTIONS = ("limits", "rollup", "mail", "schedule", "workbooks")  # [section] tables of pmo.toml
SETTINGS = {  # what each pmo.toml key means; a key missing here fails tests/test_reference.py
    "lang": "language of the forms, messages and reports: zh or en",
    "forms_dir": "folder of the form specs (*.toml); default: the shipped templates/forms",
    "ledger": "a SQLite path or a postgresql+psycopg:// URL; default .pmo/ledger.sqlite",
    "max_weekly_hours": "a person's hours in one weekly report (hours-over-cap above it)",
    "max_duration_years": "R21: the longest planned duration of a project, in years",
    "allowed_vba_hashes": "sha256 of VBA projects to let through besides pmokit's own",
    "missing_weeks_for_suspension": "R7: weeks in a row without a report that mean 事实上已暂停",
    "suspension_months": "R9: months a suspension may last before it is escalated",
    "closure_workdays": "R16: working days from the start of closure to its end",
    "initiation_workdays": "R22: working days from registration to an approved initiation",
    "budget_due_day": "R14: next month's budget is due by this day of the month (1-28)",
    "closure_after_final": "R16: project types that close only after their final acceptance",
    "hours_per_day": "hours in one person-day (人日) in the closure report",
    "report_templates": "folder of the PMO's own Word templates; default: the shipped ones",
    "site": "this share's site when several sites record into one PostgreSQL ledger",
    "calendar.holidays": "the PMO's own days off, besides the official Chinese calendar",
    "calendar.workdays": "the PMO's own make-up working days (调休)",
    "limits.max_file_bytes": "largest file taken, in bytes",
    "limits.max_total_uncompressed": "largest workbook once unpacked, in bytes",
    "limits.max_member_uncompressed": "largest part of a workbook once unpacked, in bytes",
    "limits.max_ratio": "highest packing ratio of a part over 1 MiB (a zip bomb above it)",
    "limits.max_members": "most parts in one workbook",
    "limits.max_sheet_rows": "most rows in one sheet",
    "limits.max_sheet_columns": "most columns in one sheet",
    "limits.max_sheet_cells": "most cells in one sheet",
    "rollup.schedule_amber_days": "forecast end this many days past the baseline: amber",
    "rollup.schedule_red_days": "forecast end this many days past the baseline: red",
    "rollup.budget_amber": "forecast spend this fraction over the baseline: amber",
    "rollup.budget_red": "forecast spend this fraction over the baseline: red",
    "rollup.capacity_hours": "a person's hours in a week across projects before overload",
    "rollup.success_target": "KPI target: share of closed projects that succeeded",
    "rollup.on_time_target": "KPI target: share of closed projects accepted on time",
    "rollup.budget_target": "KPI target: largest mean budget deviation of closed projects",
    "rollup.satisfaction_target": "KPI target: customers' mean satisfaction (1-5)",
    "rollup.adoption_target": "KPI target: share of files on the standard forms",
    "rollup.weekly_on_time_target": "KPI target: share of weekly reports on time",
    "rollup.trend_weeks": "weeks in the KPI trend",
    "mail.smtp_host": "the SMTP server; empty: mail is composed and queued, never sent",
    "mail.smtp_port": "the SMTP server's port",
    "mail.security": "none, starttls or ssl",
    "mail.sender": "the From address",
    "mail.executives": "who receives the status mail and the briefing",
    "mail.pmo": "the PMO's addresses: notices, escalations in copy",
    "mail.departments": "each department's heads: [mail.departments] 交付一部 = [addresses]",
    "mail.alerts": "who receives R24's immediate notices; empty: the PMO",
    "mail.lang": "the messages' language; default: lang",
    "mail.timeout": "seconds for each SMTP step",
    "mail.folder": "folder of outbox/, sent/ and failed/; default .pmo/mail",
    "schedule.reminders": "when the PMs' reminders go (a day off: the working day before)",
    "schedule.escalations": "when reports missing after the late window are escalated",
    "schedule.status": "when the submission-status mail goes, with the roll-up",
    "schedule.briefing": "when the briefing goes",
    "schedule.budget_reminder_day": "day of the month the budget reminders go",
    "schedule.prefill": "when the week's forms are pre-filled into SHARE/templates/; off if unset",
    "workbooks.interpreter_win": "the Python the buttons run on Windows",
    "workbooks.interpreter_mac": "the Python the buttons run on macOS",
    "workbooks.pythonpath": "folders added to the buttons' Python path",
    "workbooks.inbox": "the share's inbox the Submit button puts files into",
    "workbooks.settings": "the pmo.toml the buttons read",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def setting_keys() -> Iterator[tuple[str, Any]]:
    """Every pmo.toml key with its default, as the file spells them."""
    defaults = Settings()
    for key in _FILE_KEYS:
        yield key, getattr(defaults, key)
    yield "calendar.holidays", ()
    yield "calendar.workdays", ()
    for section in SECTIONS:
        value = getattr(defaults, section)
        for field in dataclasses.fields(value):
            yield f"{section}.{field.name}", getattr(value, field.name)


def shown(value: Any) -> str:
    if value is None or value in ("", (), frozenset()):
        return "—"
    if isinstance(value, At):
        return f'"{WEEKDAYS[value.weekday]} {value.time:%H:%M}"'
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def settings_markdown() -> list[str]:
    lines = ["## Settings (pmo.toml)", "", "| key | default | environment | what it is |"]
    lines.append("|---|---|---|---|")
    for key, default in setting_keys():
        env = f"`{_ENV[key]}`" if key in _ENV else ""
        lines.append(f"| `{key}` | {shown(default)} | {env} | {SETTINGS.get(key, '')} |")
    return lines


def commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    for name in sorted(group.commands):
        command = group.commands[name]
        words = (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, words)
        else:
            yield " ".join(words), command


def _text(owner: Any) -> str:
    """A command's or option's help in English (its Label; click's own options, their text)."""
    label = getattr(owner, "label", None)
    said = label.text("en") if isinstance(label, Label) else str(owner.help or "")
    return " ".join(said.split()).replace("|", "\\|")


def _param_row(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        name = f"`{param.human_readable_name}`"
        return f"| {name} | argument{'' if param.required else ', optional'} | | |"
    decls = ", ".join(f"`{d}`" for d in param.opts + param.secondary_opts)
    kind = "flag" if param.is_flag else param.type.name
    unset = param.is_flag or param.default in (None, (), click.core.UNSET)
    default = "" if unset else f"`{param.default}`"
    return f"| {decls} | {kind} | {default} | {_text(param)} |"


def commands_markdown(root: click.Group) -> list[str]:
    lines = ["## Commands", "", "### `pmo` (before any command)", ""]
    lines += _params(root)
    for words, command in commands(root):
        lines += [f"### `pmo {words}`", "", _text(command), ""]
        lines += _params(command)
    return lines


def _params(command: click.Command) -> list[str]:
    params = [p for p in command.params if p.name != "help"]
    if not params:
        return []
    head = ["| argument / option | type | default | what it is |", "|---|---|---|---|"]
    return [*head, *map(_param_row, params), ""]


def reference_markdown(root: click.Group) -> str:
    head = [
        "# pmokit reference",
        "",
        "Generated from the code by `python -m pmokit.cli.reference > docs/reference.md`;",
        "tests/test_reference.py fails when it is stale. Issue codes: [issue-codes.md]"
        "(issue-codes.md); form fields: [forms.md](forms.md); rules: [rules.md](rules.md).",
        "",
    ]
    return "\n".join(head + commands_markdown(root) + settings_markdown()) + "\n"


if __name__ == "__main__":
    from pmokit.cli.main import cli

    click.echo(reference_markdown(cli), nl=False)
