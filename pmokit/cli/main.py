"""The `pmo` command: one subcommand per library function or action; each reads its arguments,
calls it and prints what it returned.

Exit codes: 0 ok, 1 ran and found invalid input, 2 usage, 3 could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmokit.actions.checking import check_file, files_to_check
from pmokit.actions.ingesting import (
    IngestRun,
    files_to_ingest,
    ingest_files,
    received_option,
)
from pmokit.actions.rollups import rollup_to_file
from pmokit.actions.status import current_status
from pmokit.alerts.rules import open_alerts
from pmokit.base.issue_codes import codes_markdown
from pmokit.base.labels import LANGS, Label
from pmokit.base.settings import Settings, load_settings
from pmokit.base.version import __version__
from pmokit.cli.demo import demo_command
from pmokit.cli.export import export
from pmokit.cli.forms import forms
from pmokit.cli.help import HelpOption, option
from pmokit.cli.ledger import ledger
from pmokit.cli.lessons import lessons
from pmokit.cli.mail import mail
from pmokit.cli.progress import Progress
from pmokit.cli.project import project
from pmokit.cli.reports import report
from pmokit.cli.support import (
    PmoGroup,
    as_of_moment,
    as_of_option,
    interrupt_flag,
    json_option,
    json_text,
    lang_option,
    open_ledger,
    outcome_text,
    print_json,
    severity_text,
    spec_forms,
    warn,
)
from pmokit.cli.void import void_command
from pmokit.cli.watch import watch
from pmokit.cli.workbooks import workbooks
from pmokit.ledger.store import NoLedgerError


@click.group(
    cls=PmoGroup,
    help=Label(
        "pmokit：PMO 的标准 Excel 表单，为你校验、收集和汇总。",
        "pmokit: the PMO's standard Excel forms, checked and collected for you.",
    ),
)
@click.version_option(
    __version__,
    prog_name="pmokit",
    cls=HelpOption,
    help=Label("显示版本并退出。", "Show the version and exit."),
)
@option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help=Label(
        "表单和消息的语言（默认 zh；环境变量 PMO_LANG）。",
        "Language of forms and messages (default zh; env PMO_LANG).",
    ),
)
@option(
    "--forms-dir",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "表单定义所在的文件夹（默认：随附的模板；环境变量 PMO_FORMS_DIR）。",
        "Folder of form specs (default: the shipped templates; env PMO_FORMS_DIR).",
    ),
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None, forms_dir: Path | None) -> None:
    ctx.obj = Settings(lang=lang or "zh")  # a bad setting below is reported in this language
    ctx.obj = load_settings({"lang": lang, "forms_dir": forms_dir})


cli.add_command(export)
cli.add_command(forms)
cli.add_command(ledger)
cli.add_command(lessons)
cli.add_command(mail)
cli.add_command(report)
cli.add_command(project)
cli.add_command(void_command)
cli.add_command(watch)
cli.add_command(workbooks)


NEW_LEDGER = Label("新建台账：", "new ledger: ")
CHECKING, RECORDING = Label("检查", "checking"), Label("记录", "recording")


@cli.command(
    help=Label(
        "校验文件并记入台账，立项申请先记；有文件被退回时退出码为 1，按 Ctrl-C 停止时为 130"
        "（处理完手头的文件后停止）。终端上显示进度。",
        "Validate files and record them in the ledger, initiations first; exit 1 when any is "
        "rejected, 130 when stopped by Ctrl-C (after the file in hand). Shows progress on a "
        "terminal.",
    )
)
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@option(
    "--received",
    default=None,
    metavar="ISO|mtime",
    help=Label(
        "文件的收到时间，用于导入历史：一个日期或时间（北京时间），或 mtime 表示取各文件的"
        "修改时间（此时按时间先后导入）。默认：现在。",
        "When the files arrived, for importing history: a date or time (China time), or "
        "mtime for each file's modification time (files then go oldest first). Default: now.",
    ),
)
@json_option(Label("记录的结果", "what was recorded"))
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], received: str | None, as_json) -> None:
    when, lang = received_option(received), ctx.obj.lang
    files, run = files_to_ingest(paths), IngestRun()
    steps = {"check": CHECKING.text(lang), "record": RECORDING.text(lang)}
    with (
        open_ledger(ctx, create=True) as ledger,
        interrupt_flag() as stop,
        Progress(shown=not as_json) as progress,
    ):
        if ledger.created:
            progress.echo(f"pmo: {NEW_LEDGER.text(lang)}{ledger.url}", err=True)
        on_file = progress.counter(steps)
        for path, result in ingest_files(
            files, ctx.obj, ledger, spec_forms(ctx), when, stop.is_set, on_file
        ):
            run.results.append((path, result))
            if not as_json:
                moves = " ".join(f"{a or '-'}→{b}" for a, b in result.moves)
                line = f"{outcome_text(result.outcome, lang)} {path.name}  {moves}"
                progress.echo(line.rstrip())
                if result.outcome == "rejected":
                    progress.echo(result.report.summary(lang).rstrip("\n"))
        run.stopped = stop.is_set() and len(run.results) < len(files)
    click.echo(json_text(run.to_dict()) if as_json else run.summary(lang))
    sys.exit(130 if run.stopped else 1 if run.counts()["rejected"] else 0)


@cli.command(
    help=Label(
        "显示正在使用的设置文件和台账、台账中有什么（含今日到达的），以及监视进程的情况："
        "是否运行、队列、上次扫描和上次错误。",
        "Say which settings file and ledger are in use, what the ledger holds (today's "
        "arrivals too), and how the watcher is doing: running or not, its queue, last scan "
        "and last error.",
    )
)
@lang_option
@json_option(Label("状态", "the status"))
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    try:
        with open_ledger(ctx) as ledger:
            found = current_status(ctx.obj, ledger)
    except NoLedgerError:  # status still says where it looked, and how the watcher is
        found = current_status(ctx.obj, None)
    if as_json:
        print_json(found.to_dict())
        return
    click.echo(found.text(ctx.obj.lang), nl=False)


@cli.command(
    help=Label(
        "列出所有未关闭的预警：规则、项目、级别、起始日期、如何关闭。",
        "List every open alert: rule, project, severity, since when, what closes it.",
    )
)
@lang_option
@json_option(Label("预警", "the alerts"))
@as_of_option
@click.pass_context
def alerts(ctx: click.Context, as_json: bool, as_of) -> None:
    moment, lang = as_of_moment(as_of), ctx.obj.lang
    warn(ctx, ctx.obj.calendar.warning(moment.date()))
    with open_ledger(ctx) as ledger:
        found = open_alerts(ledger, ctx.obj, moment)
    if as_json:
        print_json([a.to_dict() for a in found])
        return
    for a in found:
        severity = severity_text(a.severity, lang)
        click.echo(f"{a.since}  {a.rule:<4} {severity} {a.project}  {a.message} → {a.closes}")


@cli.command(
    help=Label(
        "列出每个问题代码及其中英文提示（docs/issue-codes.md）。",
        "Print every issue code with its messages (docs/issue-codes.md).",
    )
)
def codes() -> None:
    click.echo(codes_markdown(), nl=False)


@cli.command(
    help=Label(
        "逐格检查填好的表单（文件，或文件夹中的工作簿）；全部通过时退出码为 0，有未通过的为 1。",
        "Check filled forms (files, or the workbooks in folders) cell by cell; exit 0 when all "
        "are valid, 1 when any is not.",
    )
)
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option(Label("校验报告", "the reports"))
@option(
    "--feedback-dir",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "未通过的文件的反馈写到哪个文件夹（默认：写在原文件旁）。",
        "Where to write feedback for invalid files (default: beside each file).",
    ),
)
@option("--no-feedback", is_flag=True, help=Label("不写反馈文件。", "Write no feedback files."))
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    as_json: bool,
    feedback_dir: Path | None,
    no_feedback: bool,
) -> None:
    settings, all_forms = ctx.obj, spec_forms(ctx)
    reports = []
    for path in files_to_check(paths):
        done = check_file(path, all_forms, settings, feedback_dir, not no_feedback)
        for written in done.feedback:
            click.echo(f"pmo: {written}", err=True)
        reports.append(done.report)
        if not as_json:
            click.echo(done.report.summary(settings.lang), nl=False)
    if as_json:
        dicts = [r.to_dict() for r in reports]
        print_json(dicts[0] if len(dicts) == 1 else dicts)
    sys.exit(0 if all(r.valid for r in reports) else 1)


@cli.command(
    help=Label(
        "演示一个 PMO 的完整季度：40 个项目的文件按时间顺序交给真实的服务处理，生成汇总、简报、"
        "结项报告和邮件。",
        "Play a PMO's whole quarter: 40 projects' files taken by the real service in time "
        "order, with the roll-ups, briefings, closure reports and emails they make.",
    )
)
@lang_option
@option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("pmo-demo"),
    show_default=True,
    help=Label(
        "演示 PMO 的文件夹（须为空或尚不存在）。",
        "The demo PMO's folder (empty, or not there yet).",
    ),
)
@option(
    "--smtp-sink",
    is_flag=True,
    help=Label(
        "在本机启动邮件服务器接收演示的邮件（存为 .eml）；否则邮件留在待发箱。",
        "Deliver the demo's mail to a server on this machine (saved as .eml); "
        "otherwise it waits in the outbox.",
    ),
)
@click.pass_context
def demo(ctx: click.Context, out_dir: Path, smtp_sink: bool) -> None:
    demo_command(ctx.obj, spec_forms(ctx), out_dir, smtp_sink)


def main() -> None:
    cli(prog_name="pmo")


@cli.command(
    help=Label(
        "从台账生成项目组合汇总工作簿：总览、KPI、各监控表。",
        "Write the portfolio roll-up workbook from the ledger: summary, KPIs, monitoring tables.",
    )
)
@lang_option
@as_of_option
@option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "要写入的工作簿（默认：rollups/<标题> <周>.xlsx，从不覆盖已有的）。",
        "The workbook to write (default: rollups/<title> <week>.xlsx, never overwritten).",
    ),
)
@option(
    "--project",
    metavar="CODE",
    default=None,
    help=Label(
        "再加一页：这个项目的全部经过（同 pmo project 编号）。",
        "Add a sheet with this project's whole story (as pmo project CODE prints it).",
    ),
)
@json_option(
    Label("写入的内容（路径、截至时间、各表行数）", "what was written (path, as-of, counts)")
)
@click.pass_context
def rollup(ctx: click.Context, as_of, out: Path | None, project: str | None, as_json) -> None:
    moment = as_of_moment(as_of)
    warn(ctx, ctx.obj.calendar.warning(moment.date()))
    with open_ledger(ctx) as ledger:
        written = rollup_to_file(ledger, ctx.obj, moment, out, project=project)
    if as_json:
        print_json(written.to_dict())
        return
    click.echo(written.text(ctx.obj.lang))
