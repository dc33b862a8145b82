"""`pmo mail ...`: compose and send the PMO's messages (send KIND), list the outbox, and send
what waits in it (flush)."""

from __future__ import annotations

import click

from pmokit.actions.mailing import (
    KINDS,
    MailRun,
    flush_outbox,
    mail_folder,
    outbox_listing,
    send_mail,
)
from pmokit.base.labels import Label
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.support import (
    as_of_moment,
    as_of_option,
    json_option,
    lang_option,
    open_ledger,
    print_json,
    warn,
)
from pmokit.mail.delivery import Delivery
from pmokit.utils.columns import pad

QUEUED = Label("已排入发件箱 {n} 封：{folder}", "{n} queued in the outbox: {folder}")
WRITTEN = Label("已写出 {n} 封（不发送）：{folder}", "{n} written (not to be sent): {folder}")
ALREADY = Label(
    "{n} 封此前已排入或已发送（同一类别、周期和收件人只发一次；--again 强制重发）",
    "{n} queued or sent before (one per kind, period and person; --again to resend)",
)
DRY_RUN = Label(
    "--dry-run：未发送，也不会被发送。可用任何邮件客户端打开这些 .eml 文件；"
    "去掉 --dry-run 即发送。",
    "--dry-run: nothing sent, nor will be. Open the .eml files in any mail client; drop"
    " --dry-run to send.",
)
SENT = Label("已发送 {n} 封", "{n} sent")
FAILED = Label(
    "{n} 封被拒收，已移到 failed/（见 pmo mail outbox）", "{n} refused, moved to failed/"
)
WAITING = Label(
    "{n} 封在发件箱等待重试（pmo mail flush 或监视服务会再发）：{why}",
    "{n} wait in the outbox for a retry (pmo mail flush, or the service): {why}",
)
STATES = {"waiting": Label("等待", "waiting"), "sent": Label("已发送", "sent"),
          "failed": Label("失败", "failed")}  # fmt: skip
EMPTY = Label("发件箱是空的：还没有排入过邮件", "the outbox is empty: nothing was ever queued")


@click.group(cls=HelpGroup, help=Label("发送 PMO 的邮件。", "Send the PMO's mail."))
def mail() -> None:
    pass


@mail.command(
    "send",
    help=Label(
        "编写并发送一类邮件：status（周报提交情况，附项目组合汇总表）、briefing（综合信息简报，"
        "附 Word）、reminders（每位项目经理的待提交事项）、escalations（补交窗口后仍未交的周报，"
        "抄送部门负责人和 PMO；暂停超期的项目给 PMO）。每封先写入发件箱再发送；同一类别、周期"
        "和收件人只发一次。",
        "Compose and send one kind of message: status (weekly report submissions, the roll-up"
        " attached), briefing (the Word briefing attached), reminders (what each PM owes),"
        " escalations (reports still missing after the late window, to the department head and"
        " the PMO; suspensions past their limit to the PMO). Each is written to the outbox"
        " before it is sent, and sent once per kind, period and person.",
    ),
)
@click.argument("kind", type=click.Choice(KINDS))
@as_of_option
@option(
    "--dry-run",
    is_flag=True,
    help=Label("只写出 .eml 文件，不发送。", "Write the .eml files only; send nothing."),
)
@option(
    "--again",
    is_flag=True,
    help=Label(
        "已发过的也再发一次（新的 Message-ID）。", "Send again what was sent (a new Message-ID)."
    ),
)
@lang_option
@json_option(Label("排入和发送的结果", "what was queued and sent"))
@click.pass_context
def send(ctx: click.Context, kind: str, as_of, dry_run: bool, again: bool, as_json: bool) -> None:
    settings, moment = ctx.obj, as_of_moment(as_of)
    warn(ctx, settings.calendar.warning(moment.date()))
    with open_ledger(ctx) as ledger:
        run = send_mail(kind, ledger, settings, moment, dry_run, again)
    if as_json:
        print_json(run.to_dict())
    else:
        _say_run(ctx, run, dry_run)
    _fail_if_waiting(run.delivery)


def _say_run(ctx: click.Context, run: MailRun, dry_run: bool) -> None:
    lang = ctx.obj.lang
    for problem in run.problems:
        warn(ctx, problem)
    folder = mail_folder(ctx.obj, dry_run) / "outbox"
    said = WRITTEN if dry_run else QUEUED
    click.echo(said.text(lang).format(n=len(run.queued), folder=folder))
    for path in run.queued:
        click.echo(f"  {path.name}")
    if run.already:
        click.echo(ALREADY.text(lang).format(n=run.already))
    if dry_run:
        click.echo(DRY_RUN.text(lang))
    if run.delivery is not None:
        _say_delivery(ctx, run.delivery)


def _say_delivery(ctx: click.Context, done: Delivery) -> None:
    lang = ctx.obj.lang
    click.echo(SENT.text(lang).format(n=len(done.sent)))
    if done.failed:
        click.echo(FAILED.text(lang).format(n=len(done.failed)))
    if done.problem is not None:
        click.echo(WAITING.text(lang).format(n=done.waiting, why=done.problem.text(lang)))


def _fail_if_waiting(done: Delivery | None) -> None:
    """Exit 3 when the server could not take what waits (it stays in the outbox), or refused
    a message or a recipient for good (failed/)."""
    if done is not None and (done.problem is not None or done.failed):
        raise click.exceptions.Exit(3)


@mail.command(
    "flush",
    help=Label(
        "发送发件箱中等待的邮件（服务器恢复后）。",
        "Send what waits in the outbox (the server is back).",
    ),
)
@lang_option
@json_option(Label("发送的结果", "what was sent"))
@click.pass_context
def flush(ctx: click.Context, as_json: bool) -> None:
    with open_ledger(ctx) as ledger:
        done = flush_outbox(ledger, ctx.obj)
    if as_json:
        print_json(done.to_dict())
    else:
        _say_delivery(ctx, done)
    _fail_if_waiting(done)


@mail.command(
    "outbox",
    help=Label(
        "列出发件箱：等待、已发送和失败的邮件（类别、周期、收件人、主题，失败的原因）。",
        "List the outbox: waiting, sent and failed messages (kind, period, recipient, subject,"
        " and why one failed).",
    ),
)
@lang_option
@json_option(Label("每封邮件", "every message"))
@click.pass_context
def outbox(ctx: click.Context, as_json: bool) -> None:
    found = outbox_listing(ctx.obj)
    if as_json:
        print_json([q.to_dict() for q in found])
        return
    lang = ctx.obj.lang
    if not found:
        click.echo(EMPTY.text(lang))
    for q in sorted(found, key=lambda q: q.path.stat().st_mtime_ns):
        reason = f"  {q.reason.splitlines()[0 if lang == 'zh' else -1]}" if q.reason else ""
        state = pad(STATES[q.state].text(lang), 8)
        click.echo(f"{state}{q.kind:12} {q.period:10}  {q.to}  {q.subject}{reason}")
