"""`pmo workbooks build`: the macro-enabled forms (Validate, Submit) and the PMO console."""

from __future__ import annotations

from pathlib import Path

import click

from generators.workbooks import build_workbooks
from pmokit.base.labels import Label
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.support import json_option, lang_option, print_json, spec_forms, warn

NO_INBOX = Label(
    "pmo.toml 的 [workbooks] 没有 inbox：表单上的“提交”按钮会请项目经理联系 PMO",
    "[workbooks] in pmo.toml has no inbox: the forms' Submit button will tell PMs to ask the PMO",
)
UNTRUSTED = Label(
    "这些表单的宏工程（{sha}）不在 macros/trusted.toml 中：用它们提交的文件会被拒收",
    "these forms' VBA project ({sha}) is not in macros/trusted.toml: files sent with them will "
    "be refused",
)


@click.group(
    cls=HelpGroup,
    help=Label(
        "带按钮的工作簿：表单（校验、提交）和 PMO 控制台。",
        "Workbooks with buttons: the forms (Validate, Submit) and the PMO console.",
    ),
)
def workbooks() -> None:
    pass


@workbooks.command(
    "build",
    help=Label(
        "生成每个表单的 .xlsm（与 .xlsx 表单相同，另有“校验”“提交”按钮）和 PMO控制台.xlsm；"
        "xlwings.conf 工作表取自 pmo.toml 的 [workbooks]。",
        "Write each form's .xlsm (the .xlsx form plus Validate and Submit buttons) and the PMO "
        "console; their xlwings.conf sheet comes from [workbooks] in pmo.toml.",
    ),
)
@lang_option
@option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help=Label(
        "写入的文件夹（没有则新建；默认 pmo.toml 旁的 workbooks）。",
        "Folder to write into (created if missing; default: workbooks/ beside pmo.toml).",
    ),
)
@json_option(Label("写出的文件、宏工程的哈希和 xlwings 版本", "files, VBA hash, xlwings version"))
@click.pass_context
def workbooks_build(ctx: click.Context, out_dir: Path | None, as_json: bool) -> None:
    settings = ctx.obj
    out_dir = out_dir or (settings.home or Path.cwd()) / "workbooks"
    built = build_workbooks(spec_forms(ctx), out_dir, settings, settings.lang)
    if not settings.workbooks.inbox:
        warn(ctx, NO_INBOX)
    if not built.trusted:
        warn(ctx, UNTRUSTED.format(sha=built.vba_sha256[:12]))
    if as_json:
        print_json(built.to_dict())
        return
    for path in built.paths:
        click.echo(str(path))
