"""`pmo void SUBMISSION_ID --reason TEXT`: withdraw an accepted submission with an audit trail
(pipeline/intake.void; ledger/voids.py says what is derived again)."""

from __future__ import annotations

import getpass

import click

from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.cli.help import HelpCommand, option
from pmokit.cli.support import json_option, lang_option, open_ledger, print_json
from pmokit.ledger.voids import Voided
from pmokit.pipeline.intake import void
from pmokit.rollup.texts import localise

DONE = Label(
    "已作废 #{id}：{form} {project} {period}（{file}）",
    "voided #{id}: {form} {project} {period} ({file})",
)
STATE = Label("项目状态：{before} → {after}", "project state: {before} → {after}")
SAME_STATE = Label("项目状态不变：{state}", "project state unchanged: {state}")
UNREGISTERED = Label("（不再登记）", "(no longer registered)")


@click.command(
    "void",
    cls=HelpCommand,
    help=Label(
        "作废一份已接收的提交（填错周次、项目编号，或误交的立项）：台账保留它并记下何时、何人、"
        "为何作废；项目的状态、基线、预警和汇总按它从未被接收重新得出。若后续提交依赖它（如已有"
        "周报的项目的立项），拒绝并列出它们。提交编号见 pmo project 编号。",
        "Withdraw an accepted submission (filed under the wrong week or project, an initiation "
        "sent by mistake): the ledger keeps it, marked void with when, by whom and why; the "
        "project's state, baselines, alerts and roll-up are derived again as if it had never "
        "been accepted. Refused, listing them, when later submissions depend on it (the "
        "initiation of a project that has reported since). Submission ids: pmo project CODE.",
    ),
)
@click.argument("submission_id", type=click.IntRange(min=1, max=2**31 - 1), metavar="SUBMISSION_ID")
@option(
    "--reason",
    required=True,
    metavar="TEXT",
    help=Label("作废原因（记入台账）。", "Why it is withdrawn (kept in the ledger)."),
)
@option(
    "--by",
    default=None,
    metavar="NAME",
    help=Label("作废人（默认：当前登录账户）。", "Who withdraws it (default: this login)."),
)
@lang_option
@json_option(Label("作废结果", "what was voided"))
@click.pass_context
def void_command(
    ctx: click.Context, submission_id: int, reason: str, by: str | None, as_json
) -> None:
    with open_ledger(ctx) as ledger:
        voided = void(ctx.obj, ledger, submission_id, reason, by or _login())
    if as_json:
        print_json(voided.to_dict())
        return
    click.echo(voided_text(voided, ctx.obj.lang))


def voided_text(voided: Voided, lang: str) -> str:
    said = DONE.text(lang).format(
        id=voided.submission_id,
        form=form_name(voided.form or "").text(lang),
        project=voided.project or "",
        period=voided.period or "",
        file=voided.file,
    )
    before, after = (localise(s, lang) for s in (voided.state_before, voided.state_after))
    if voided.project and before == after:
        said += "\n" + SAME_STATE.text(lang).format(state=after)
    elif voided.project:
        after = after or UNREGISTERED.text(lang)
        said += "\n" + STATE.text(lang).format(before=before, after=after)
    return said


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "?"
