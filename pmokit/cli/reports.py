"""`pmo report ...`: the Word reports — the 结项总结报告 of a closing project (one, or every
closed project that lacks one), and the weekly 实施项目综合信息简报."""

from __future__ import annotations

from pathlib import Path

import click

from pmokit.actions.reporting import (
    briefing_file_name,
    briefing_to_file,
    closed_projects,
    closure_file_name,
    closure_report_to_file,
    missing_closure_reports,
)
from pmokit.base.labels import Label
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.progress import Progress
from pmokit.cli.support import (
    as_of_moment,
    as_of_option,
    json_option,
    lang_option,
    open_ledger,
    print_json,
    report_target,
    warn,
)

pdf_option = option(
    "--pdf",
    is_flag=True,
    help=Label("同时生成 PDF（需 LibreOffice）。", "Also write a PDF (needs LibreOffice)."),
)


@click.group(cls=HelpGroup, help=Label("生成 Word 报告。", "Write the Word reports."))
def report() -> None:
    pass


@report.command(
    "closure",
    help=Label(
        "项目的结项总结报告（.docx），指标由台账计算；项目须已结项中、结项、终验或撤项"
        "（--draft 生成草稿）。--all：为每个缺少报告的已结项项目生成。",
        "A project's closure report (.docx), its figures computed from the ledger; the project"
        " must be closing, closed or cancelled (--draft for a draft). --all: one for every"
        " closed project that lacks one.",
    ),
)
@click.argument("project", required=False)
@option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "输出的 .docx 文件（不覆盖已有文件），或存放它的文件夹（默认：当前文件夹下“<项目编号> 结项"
        "总结报告.docx”，已有时加 (2)、(3)…；--all 时为文件夹）。",
        "The .docx to write (never an existing file), or a folder for it (default: '<code>"
        " closure report.docx' here, then (2), (3)…; with --all, a folder).",
    ),
)
@pdf_option
@option(
    "--draft",
    is_flag=True,
    help=Label(
        "未结项的项目也生成，页眉标“草稿”。", "Render a project not yet closing, marked DRAFT."
    ),
)
@option(
    "--all",
    "every",
    is_flag=True,
    help=Label("每个缺少报告的已结项项目。", "Every closed project that lacks a report."),
)
@lang_option
@json_option(Label("写出的报告", "the reports written"))
@click.pass_context
def closure(
    ctx: click.Context,
    project: str | None,
    out: Path | None,
    pdf: bool,
    draft: bool,
    every: bool,
    as_json: bool,
) -> None:
    settings = ctx.obj
    if bool(project) == every:
        raise click.UsageError(USAGE.text(settings.lang))
    if every and out is not None and out.exists() and not out.is_dir():
        raise click.UsageError(ALL_NEEDS_FOLDER.text(settings.lang).format(path=out))
    with open_ledger(ctx) as ledger, Progress(shown=not as_json) as progress:
        closing = closed_projects(ledger)
        if every:
            steps = {"report": WRITING.text(settings.lang)}
            folder = out or Path.cwd()
            written = missing_closure_reports(
                ledger, settings, folder, pdf, progress.counter(steps)
            )
        else:
            target = report_target(out, closure_file_name(project, settings.lang))
            written = [closure_report_to_file(ledger, project, settings, target, draft, pdf)]
    if as_json:
        print_json([w.to_dict() for w in written])
        return
    for w in written:
        click.echo(str(w.path) + (f"  {w.pdf}" if w.pdf else ""))
    if every and not written:
        click.echo((NONE_MISSING if closing else NONE_CLOSING).text(settings.lang))


WRITING = Label("生成", "writing")
USAGE = Label(
    "请给出一个项目编号，或用 --all（二者取一）", "give one project code, or --all (not both)"
)
ALL_NEEDS_FOLDER = Label(
    "--all 时 --out 应为文件夹，而 {path} 是文件", "with --all, --out is a folder; {path} is a file"
)
NONE_MISSING = Label("每个已结项项目都已有结项总结报告", "every closed project has its report")
NONE_CLOSING = Label(
    "台账中没有结项中、结项、终验或撤项的项目", "no project in the ledger is closing or closed"
)


@report.command(
    "briefing",
    help=Label(
        "实施项目综合信息简报（.docx）：项目组合概况，随后每个实施中的项目（红灯在前）的状态、"
        "上周进展、存在的问题、本周计划、风险状态和未完成的领导处理意见，均取自台账。",
        "The weekly briefing (.docx): the portfolio at a glance, then every project in"
        " implementation, red first — status, last week's progress, problems, this week's plan,"
        " risks and open executive instructions — all from the ledger.",
    ),
)
@as_of_option
@option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "输出的 .docx 文件（不覆盖已有文件），或存放它的文件夹（默认：当前文件夹下“实施项目"
        "综合信息简报 <日期>.docx”，已有时加 (2)、(3)…）。",
        "The .docx to write (never an existing file), or a folder for it (default: 'Project"
        " briefing <date>.docx' here, then (2), (3)…).",
    ),
)
@pdf_option
@lang_option
@json_option(Label("写出的简报及其内容", "the briefing written and what it says"))
@click.pass_context
def briefing(ctx: click.Context, as_of, out: Path | None, pdf: bool, as_json: bool) -> None:
    settings, moment = ctx.obj, as_of_moment(as_of)
    warn(ctx, settings.calendar.warning(moment.date()))
    target = report_target(out, briefing_file_name(moment, settings.lang))
    with open_ledger(ctx) as ledger:
        written = briefing_to_file(ledger, settings, moment, target, pdf)
    if as_json:
        print_json(written.to_dict())
        return
    click.echo(str(written.path) + (f"  {written.pdf}" if written.pdf else ""))
