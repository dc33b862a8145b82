"""`pmo forms ...`: build, describe, document and read the standard forms."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.forms import build_forms
from pmokit.actions.prefilling import prefill_to_files
from pmokit.actions.publishing import publish_forms
from pmokit.base.labels import Label
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.support import (
    as_of_moment,
    as_of_option,
    json_option,
    lang_option,
    open_ledger,
    print_json,
    spec_forms,
)
from pmokit.forms.describe import describe_form, forms_markdown, list_forms
from pmokit.forms.schema import get_form
from pmokit.reports.prefill import PREFILLED_FORMS
from pmokit.validation.parsing import read_values


@click.group(
    cls=HelpGroup,
    help=Label("生成、说明和读取标准表单。", "Build, describe and read the standard forms."),
)
def forms() -> None:
    pass


@forms.command("list", help=Label("列出表单及其版本。", "List the forms and their versions."))
@lang_option
@json_option(Label("每个表单的编号、版本和标题", "each form's id, version and title"))
@click.pass_context
def forms_list(ctx: click.Context, as_json: bool) -> None:
    all_forms = spec_forms(ctx)
    if as_json:
        print_json(list_forms(all_forms))
        return
    for form in all_forms.values():
        click.echo(f"{form.id:<12} v{form.version}  {form.title.text(ctx.obj.lang)}")


@forms.command(
    "build", help=Label("每个表单写一个空白的 .xlsx。", "Write one blank .xlsx per form.")
)
@lang_option
@option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help=Label(
        "写入工作簿的文件夹（没有则新建）。",
        "Folder to write the workbooks into (created if missing).",
    ),
)
@option(
    "--form",
    "form_ids",
    multiple=True,
    help=Label("只生成这些表单（可重复）。", "Only these forms (repeatable)."),
)
@click.pass_context
def forms_build(ctx: click.Context, out_dir: Path, form_ids: tuple[str, ...]) -> None:
    all_forms = spec_forms(ctx)
    chosen = {i: get_form(all_forms, i) for i in form_ids} if form_ids else all_forms
    for path in build_forms(chosen, out_dir, ctx.obj.lang):
        click.echo(str(path))


@forms.command(
    "publish",
    help=Label(
        "把当前的空白表单放进共享文件夹的 templates 目录，只重写有变化的表单。",
        "Put the current blank forms in SHARE/templates/, rewriting only those that changed.",
    ),
)
@lang_option
@click.argument("share", type=click.Path(path_type=Path))
@click.pass_context
def forms_publish(ctx: click.Context, share: Path) -> None:
    done = publish_forms(share, spec_forms(ctx), ctx.obj.lang)
    for line in done.lines(ctx.obj.lang):
        click.echo(line)


@forms.command(
    "describe",
    help=Label(
        "显示表单的字段、表格及其单元格位置。", "Show a form's fields, tables and cell positions."
    ),
)
@lang_option
@click.argument("form_id")
@json_option(Label("机器可读的约定", "the machine-readable contract"))
@click.pass_context
def forms_describe(ctx: click.Context, form_id: str, as_json: bool) -> None:
    data = describe_form(get_form(spec_forms(ctx), form_id), ctx.obj.lang)
    if as_json:
        print_json(data)
        return
    click.echo(f"{data['form']} v{data['version']}")
    for f in data["fields"]:
        click.echo(f"  {f['sheet']}!{f['cell']:<6} {f['name']:<28} {f['type']:<12} {f['label_zh']}")
    for t in data["tables"]:
        click.echo(f"  {t['sheet']} rows {t['first_row']}–{t['first_row'] + t['max_rows'] - 1}:")
        for c in t["columns"]:
            click.echo(f"    {c['column']:<4} {c['name']:<34} {c['type']:<12} {c['label_zh']}")


@forms.command(
    "docs",
    help=Label(
        "输出每个表单的 Markdown 字段说明（docs/forms.md）。",
        "Print the Markdown field reference of every form (docs/forms.md).",
    ),
)
@lang_option
@click.pass_context
def forms_docs(ctx: click.Context) -> None:
    click.echo(forms_markdown(spec_forms(ctx), ctx.obj.lang), nl=False)


@forms.command(
    "read",
    help=Label(
        "以 JSON 输出填好的表单中的值，以及每个无法解析的单元格。",
        "Print the values of filled forms as JSON, with each cell that does not parse.",
    ),
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def forms_read(ctx: click.Context, files: tuple[Path, ...]) -> None:
    all_forms = spec_forms(ctx)
    results = [read_values(path, all_forms) for path in files]
    dicts = [r.to_dict() for r in results]
    print_json(dicts if len(dicts) > 1 else dicts[0])
    sys.exit(1 if any(r.failed for r in results) else 0)


@forms.command(
    "prefill",
    help=Label(
        "为项目生成预填的表单：表头取自项目登记（锁定），期间、上周未完成的任务、"
        "基线里程碑和预算类别已填好，项目经理只改有变化的内容。",
        "Forms pre-filled per project: the header from the register (locked), the period, last "
        "week's open tasks, the baseline milestones and budget categories filled in.",
    ),
)
@lang_option
@click.argument("projects", nargs=-1)
@option(
    "--all",
    "every",
    is_flag=True,
    help=Label(
        "所有需要这份表单的项目（周报：实施中；预算：实施中和结项中）。",
        "Every project that owes the form (weekly: in implementation; budget: closing too).",
    ),
)
@option(
    "--form",
    "form_id",
    type=click.Choice(PREFILLED_FORMS),
    default="weekly",
    show_default=True,
    help=Label("要预填的表单。", "The form to pre-fill."),
)
@option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("prefilled"),
    show_default=True,
    help=Label(
        "写入的文件夹，每个项目一个子文件夹（如共享文件夹的 templates）。",
        "Folder to write into, one subfolder per project (such as the share's templates).",
    ),
)
@as_of_option
@json_option(Label("每个文件的路径、项目、期间和预填的值", "each file, project, period, values"))
@click.pass_context
def forms_prefill(
    ctx: click.Context, projects, every: bool, form_id: str, out_dir: Path, as_of, as_json: bool
) -> None:
    if bool(projects) == every:
        raise click.UsageError(PROJECTS_OR_ALL.text(ctx.obj.lang))
    today = as_of_moment(as_of).date()
    with open_ledger(ctx) as ledger:
        written = prefill_to_files(
            ledger,
            list(projects) or None,
            get_form(ledger.forms, form_id),
            out_dir,
            ctx.obj.lang,
            today,
        )
    if as_json:
        print_json([w.to_dict() for w in written])
        return
    for each in written:
        click.echo(str(each.path))


PROJECTS_OR_ALL = Label(
    "请给出项目编号，或用 --all（二者选一）", "give project codes, or --all (one of the two)"
)
