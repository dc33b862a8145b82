"""`pmo lessons`: the 经验库 (R20) — every accepted closure's lessons learned, as a filterable
workbook rebuilt from the ledger, or searched and printed in the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from pmokit.actions.lessons import find_lessons, lessons_to_file
from pmokit.base.labels import Label
from pmokit.cli.help import HelpCommand, option
from pmokit.cli.support import json_option, lang_option, open_ledger, print_json


@click.command(
    cls=HelpCommand,
    help=Label(
        "经验库：每个已接收的结项申请表（以最新的为准）中的经验教训，附项目编号、名称、类型、"
        "部门、结项日期和类别，写成可筛选的工作簿（每次由台账重新生成）；--search 改为在终端"
        "列出匹配的经验教训。",
        "The lessons library: the lessons learned of every accepted closure form (the current "
        "one of each project), with project code, name, type, department, closing day and "
        "category, written as a filterable workbook (rebuilt from the ledger each time); "
        "--search prints the matching lessons in the terminal instead.",
    ),
)
@lang_option
@option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "要写入的工作簿（默认：lessons/经验库 <日期>.xlsx，从不覆盖已有的）；与 --search "
        "同用时写入匹配的经验教训。",
        "The workbook to write (default: lessons/<title> <date>.xlsx, never overwritten); "
        "with --search, the matching lessons are written to it.",
    ),
)
@option(
    "--search",
    default=None,
    metavar="TEXT",
    help=Label(
        "在事件/问题、建议和项目名称中查找此文字（不分大小写），在终端列出匹配的。",
        "Find this text (any case) in what happened, the recommendation and the project "
        "name, and print the matches.",
    ),
)
@option(
    "--category",
    default=None,
    metavar="C",
    help=Label(
        "只要此类别的经验教训（中文或英文名，如 技术 或 Technical）。",
        "Only lessons of this category (its Chinese or English name: 技术 or Technical).",
    ),
)
@json_option(Label("找到的经验教训（和写入的工作簿）", "the lessons found (and the workbook)"))
@click.pass_context
def lessons(
    ctx: click.Context, out: Path | None, search: str | None, category: str | None, as_json
) -> None:
    with open_ledger(ctx) as ledger:
        if search is not None and out is None:
            found = find_lessons(ledger, ctx.obj, search, category)
        else:
            found = lessons_to_file(ledger, ctx.obj, out, search=search, category=category)
    if as_json:
        print_json(found.to_dict())
        return
    click.echo(found.text(ctx.obj.lang), nl=False)
