"""`pmo project ...`: one project's whole story (show CODE, or just `pmo project CODE`) and the
register as a list."""

from __future__ import annotations

import datetime as dt

import click

from pmokit.base.issues import SEVERITY_NAMES, Issue
from pmokit.base.labels import Label
from pmokit.base.lifecycle import STATES, form_name
from pmokit.base.workdays import CHINA_TIME
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.support import (
    as_of_moment,
    json_option,
    lang_option,
    open_ledger,
    outcome_text,
    print_json,
    severity_text,
)
from pmokit.reports.project_story import ProjectStory, project_rows, project_story
from pmokit.rollup.texts import localise
from pmokit.utils.columns import display_width, pad

HEADINGS = {
    "moves": Label("状态变化", "State moves"),
    "baselines": Label("基线", "Baselines"),
    "submissions": Label("提交", "Submissions"),
    "alerts": Label("未关闭的预警", "Open alerts"),
    "last": Label("最近的周报", "Last weekly report"),
}
NONE = Label("无", "none")
NO_MATCH = Label("没有符合条件的项目", "no project matches")
KINDS = {
    "budget": Label("费用预算", "budget"),
    "procurement": Label("采购计划", "procurement"),
    "schedule": Label("进度计划", "schedule"),
}
SUPERSEDED = Label("（已被 #{id} 取代）", " (superseded by #{id})")
VOIDED = Label("（{at} 由 {by} 作废：{reason}）", " (voided at {at} by {by}: {reason})")
UNKNOWN_STATE = Label("状态只能是：{states}", "the state is one of: {states}")
COLUMNS = (
    Label("项目编号", "Code"),
    Label("简称", "Short name"),
    Label("状态", "State"),
    Label("部门", "Department"),
    Label("项目经理", "PM"),
    Label("最近周报", "Last weekly"),
)


class ProjectGroup(HelpGroup):
    """`pmo project CODE` is `pmo project show CODE`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "show", self.commands["show"], args
        return super().resolve_command(ctx, args)


@click.group(
    cls=ProjectGroup,
    help=Label(
        "一个项目的全部经过（pmo project 编号），以及项目列表。",
        "One project's whole story (pmo project CODE), and the list of projects.",
    ),
)
def project() -> None:
    pass


@project.command(
    "show",
    help=Label(
        "项目登记、状态和每次变化、各版基线、每一次提交（含退回）、未关闭的预警和最近的周报。",
        "Register, state and every move, baselines by version, every submission (refused ones "
        "too), open alerts and the last weekly report.",
    ),
)
@lang_option
@click.argument("code")
@option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    default=None,
    help=Label(
        "未关闭的预警按此日期（当天结束时）计算（默认：现在）；其余为台账的当前内容。",
        "The open alerts as of this date (its end; default: now); the rest is the ledger now.",
    ),
)
@json_option(Label("项目的全部经过", "the project's story"))
@click.pass_context
def show(ctx: click.Context, code: str, as_of, as_json: bool) -> None:
    with open_ledger(ctx) as ledger:
        story = project_story(ledger, ctx.obj, code, as_of_moment(as_of))
    if as_json:
        print_json(story.to_dict())
        return
    click.echo(story_text(story, ctx.obj.lang))


def china(utc: str) -> str:
    """A stored UTC moment as the PMO reads it: China time, to the minute."""
    return dt.datetime.fromisoformat(utc).astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


def _voided(void: dict | None, lang: str) -> str:
    return VOIDED.text(lang).format(**{**void, "at": china(void["at"])}) if void else ""


def issue_line(found: dict, lang: str) -> str:
    issue = Issue(**found)
    where = f" {issue.where}" if issue.where else ""
    return f"[{SEVERITY_NAMES[issue.severity].text(lang)}]{where} {issue.message}"


def story_text(story: ProjectStory, lang: str) -> str:
    r = story.register
    lines = [
        f"{story.code} {r.get('short_name') or ''} · {r.get('name') or ''}",
        f"{localise(r['state'], lang)} · {r.get('state_since') or ''} · "
        f"{r.get('department') or ''} · {r.get('project_manager') or ''}",
    ]

    def section(key: str, rows: list[str]) -> None:
        lines.append(f"\n{HEADINGS[key].text(lang)} ({len(rows)})")
        lines.extend(f"  {row}" for row in rows or [NONE.text(lang)])

    section(
        "moves",
        [
            f"{m['effective'] or '':<10}  {localise(m['from'] or '—', lang)} → "
            f"{localise(m['to'], lang)}  "
            f"{form_name(m['form']).text(lang)}"
            for m in story.moves
        ],
    )
    section(
        "baselines",
        [
            f"{KINDS[b['kind']].text(lang) if b['kind'] in KINDS else b['kind']} v{b['version']}  "
            f"{form_name(b['form']).text(lang)}  {china(b['received'])[:10]}"
            for b in story.baselines
        ],
    )
    forms = [form_name(s["form"] or "").text(lang) for s in story.submissions]
    wide = max(map(display_width, forms), default=0)
    periods = max((display_width(s["period"] or "") for s in story.submissions), default=0)
    section(
        "submissions",
        [
            f"#{s['id']:<4} {china(s['received'])}  {pad(form, wide)}  "
            f"{pad(s['period'] or '', periods)}  {outcome_text(s['outcome'], lang)}  {s['file']}"
            + (SUPERSEDED.text(lang).format(id=s["superseded_by"]) if s["superseded_by"] else "")
            + _voided(s["void"], lang)
            + "".join(f"\n      {issue_line(i, lang)}" for i in s["issues"])
            for s, form in zip(story.submissions, forms, strict=True)
        ],
    )
    section(
        "alerts",
        [
            f"{a.rule:<4} {severity_text(a.severity, lang)} {a.since}  {a.message}"
            for a in story.alerts
        ],
    )
    last = story.last_report
    section(
        "last",
        [f"{last['week_ending']}  {localise(last['rag'] or '', lang)}  {last['file']}"]
        if last
        else [],
    )
    return "\n".join(lines)


@project.command(
    "list",
    help=Label("项目登记：每个项目一行。", "The register: a line a project."),
)
@lang_option
@option("--state", help=Label("只列出此状态的项目（如 实施）。", "Only projects in this state."))
@option("--department", help=Label("只列出此部门的项目。", "Only this department's projects."))
@json_option(Label("每个项目的登记信息", "each project's register row"))
@click.pass_context
def project_list(ctx: click.Context, state, department, as_json: bool) -> None:
    lang = ctx.obj.lang
    if state is not None:
        names = {localise(s, "en").lower(): s for s in STATES}
        state = names.get(state.strip().lower(), state.strip())
        if state not in STATES:
            raise click.UsageError(UNKNOWN_STATE.text(lang).format(states="、".join(STATES)))
    with open_ledger(ctx) as ledger:
        rows = project_rows(ledger, state, department)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo(NO_MATCH.text(lang))
        return
    keys = ("code", "short_name", "state", "department", "project_manager", "last_weekly")
    table = [[c.text(lang) for c in COLUMNS]]
    table += [[str(localise(r[k], lang) or "") for k in keys] for r in rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(keys))]
    for row in table:
        click.echo("  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
