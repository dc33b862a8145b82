"""`pmo demo`: a PMO's whole quarter (pmokit/actions/demo.py) played in a folder of its own, a
progress line while it runs, then what a PMO lead wants to know: what came in, what was
refused and why, where each output is, and the five alerts to read first."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from mailer.sink import LocalSink
from pmokit.actions.demo import DemoRun, outcome_counts, run_demo
from pmokit.actions.mailing import flush_outbox, outbox_listing
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.cli.progress import Progress
from pmokit.cli.support import outcome_text, severity_text
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.utils.columns import display_width, pad

STEPS = {
    "build": Label("填写", "filling"),
    "drop": Label("投递", "dropping"),
}


def demo_command(
    settings: Settings, forms: dict[str, FormSpec], out: Path, smtp_sink: bool
) -> None:
    lang, started = settings.lang, time.monotonic()
    sink = LocalSink(out / "delivered") if smtp_sink else None
    with Progress() as progress:
        steps = {k: v.text(lang) for k, v in STEPS.items()}
        try:
            run = run_demo(out, forms, lang, sink.port if sink else 2525, progress.counter(steps))
        except KeyboardInterrupt:
            progress.echo(STOPPED.text(lang).format(folder=out), err=True)
            sys.exit(130)
    delivered = _deliver(run, forms, sink) if sink else None
    for line in summary_lines(run, lang, delivered, time.monotonic() - started):
        click.echo(line)


def _deliver(run: DemoRun, forms: dict[str, FormSpec], sink: LocalSink) -> int:
    """Everything the quarter queued, sent to the sink; how many it received."""
    settings = run.settings
    with sink, Ledger(settings.ledger_url(), forms) as ledger:
        flush_outbox(ledger, settings)
    return sink.received


def summary_lines(run: DemoRun, lang: str, delivered: int | None, seconds: float) -> list[str]:
    q, say = run.quarter, {k: v.text(lang) for k, v in SAY.items()}
    first, last = q.drops[0].at.date(), q.end.date()
    counts = outcome_counts(run)
    lines = [
        say["head"].format(folder=run.folder, seconds=seconds),
        say["quarter"].format(
            first=first, last=last, projects=len(q.projects), files=len(run.taken)
        ),
        "  " + "  ".join(f"{outcome_text(o, lang).strip()} {n}" for o, n in sorted(counts.items())),
        say["refused"],
    ]  # fmt: skip
    for t in run.taken:
        if t.result.outcome == "rejected":
            errors = [i for i in t.result.report.issues if i.severity == "error"]
            said = errors[0].message if errors else ""
            why = t.drop.why.text(lang) + Label("：", ": ").text(lang)
            lines.append(f"    {t.drop.name}  {why}{said}")
    lines.append(say["outputs"])
    lines += _outputs(run, lang, delivered)
    lines.append(say["alerts"].format(n=len(run.alerts), day=last))
    for a in run.alerts[:5]:
        lines.append(
            f"  {a.since}  {a.rule:<4} {severity_text(a.severity, lang)} {a.project}  {a.message}"
        )
    lines.append(say["next"].format(folder=run.folder, day=last))
    return lines


def _kind(kind: str, lang: str) -> str:
    return KINDS[kind].text(lang) if kind in KINDS else kind


def _outputs(run: DemoRun, lang: str, delivered: int | None) -> list[str]:
    folder, share = run.folder, run.share
    reports = folder / "reports"
    mail = Counter(q.kind for q in outbox_listing(run.settings))
    rows = [
        (OUT["share"], share, ""),
        (OUT["workbooks"], run.no_workbooks or folder / "workbooks", ""),
        (OUT["rollups"], reports, len(list(reports.glob("*.xlsx")))),
        (OUT["briefings"], reports, len(list(reports.glob("*.docx")))),
        (OUT["closures"], share / "reports", len(list((share / "reports").rglob("*.docx")))),
        (OUT["feedback"], share / "rejected", len(list(share.rglob("*.feedback.xlsx")))),
        (OUT["latest"], run.rollup, ""),
    ]
    width = max(display_width(label.text(lang)) for label in OUT.values())
    lines = [f"  {pad(label.text(lang), width)}  {path}  {n}".rstrip() for label, path, n in rows]
    kinds = "  ".join(f"{_kind(kind, lang)} {n}" for kind, n in sorted(mail.items()))
    mail_dir = folder / ".pmo" / "mail"
    if delivered is None:
        lines.append(f"  {pad(OUT['outbox'].text(lang), width)}  {mail_dir / 'outbox'}  {kinds}")
    else:
        shown = pad(OUT["delivered"].text(lang), width)
        lines.append(f"  {shown}  {folder / 'delivered'}  {delivered}")
    return lines


SAY = {
    "head": Label(
        "演示 PMO -> {folder}（用时 {seconds:.0f} 秒）", "demo PMO -> {folder} ({seconds:.0f} s)"
    ),
    "quarter": Label(
        "一个季度 {first} 至 {last}：{projects} 个项目，{files} 份文件按时间顺序放入收件夹",
        "one quarter, {first} to {last}: {projects} projects, {files} files dropped in time order",
    ),
    "refused": Label("退回的文件及原因：", "refused, and why:"),
    "outputs": Label("产出：", "outputs:"),
    "next": Label(
        "接着看看：cd {folder} 后运行 pmo alerts --as-of {day}、pmo project list、"
        "pmo project show PRJ-2026-107（演示的季度已过去，请用 --as-of 指定季末）",
        "Next: cd {folder}, then pmo alerts --as-of {day}, pmo project list, "
        "pmo project show PRJ-2026-107 (the demo's quarter is past: --as-of its end)",
    ),
    "alerts": Label(
        "截至 {day} 共 {n} 条预警，最该先看的五条：",
        "{n} alerts open on {day}; read these five first:",
    ),
}
STOPPED = Label(
    "已中断：演示未完成，{folder} 里是做到一半的结果；删除它后可再次运行 pmo demo",
    "stopped: the demo did not finish; {folder} holds what it did. Delete it to play it again",
)
KINDS = {  # the outbox's messages by kind, as the summary counts them
    "status": Label("周报提交情况", "status"),
    "briefing": Label("简报", "briefing"),
    "reminders": Label("提醒", "reminders"),
    "escalations": Label("催报", "escalations"),
    "receipt": Label("回执", "receipts"),
    "alert": Label("预警通知", "notices"),
    "closure": Label("结项报告", "closure reports"),
}
OUT = {
    "share": Label("共享文件夹", "share"),
    "workbooks": Label("带按钮的表单", "macro forms"),
    "rollups": Label("汇总工作簿", "roll-ups"),
    "briefings": Label("综合简报", "briefings"),
    "closures": Label("结项报告", "closure reports"),
    "feedback": Label("退回反馈", "feedback"),
    "latest": Label("季末汇总", "quarter end"),
    "outbox": Label("待发邮件", "outbox"),
    "delivered": Label("已送达邮件", "delivered"),
}
