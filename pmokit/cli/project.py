"""`pmo project ...`: one project's whole story (show CODE, or just `pmo project CODE`) and the
register as a list."""

from __future__ import annotations

import click

from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.support import (
    as_of_moment,
    as_of_option,
    json_option,
    lang_option,
    open_ledger,
    outcome_text,
    print_json,
    severity_text,
)
from pmokit.reports.project_story import ProjectStory, project_rows, project_story
from pmokit.utils.columns import display_width, pad

HEADINGS = {
    "moves": Label("状态变化", "State moves"),
    "baselines": Label("基线", "Baselines"),
    "submissions": Label("提交", "Submissions"),
    "alerts": Label("未关闭的预警", "Open alerts"),
    "last": Label("最近的周报", "Last weekly report"),
}
NONE = Label("无", "none")
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
@as_of_option
@json_option(Label("项目的全部经过", "the project's story"))
@click.pass_context
def show(ctx: click.Context, code: str, as_of, as_json: bool) -> None:
    with open_ledger(ctx) as ledger:
        story = project_story(ledger, ctx.obj, code, as_of_moment(as_of))
    if as_json:
        print_json(story.to_dict())
        return
    click.echo(story_text(story, ctx.obj.lang))


def story_text(story: ProjectStory, lang: str) -> str:
    r = story.register
    lines = [
        f"{story.code} {r.get('short_name') or ''}（{r.get('name') or ''}）",
        f"{r['state']} · {r.get('state_since') or ''} · {r.get('department') or ''} · "
        f"{r.get('project_manager') or ''}",
    ]

    def section(key: str, rows: list[str]) -> None:
        lines.append(f"\n{HEADINGS[key].text(lang)} ({len(rows)})")
        lines.extend(f"  {row}" for row in rows or [NONE.text(lang)])

    section(
        "moves",
        [
            f"{m['effective'] or '':<10}  {m['from'] or '—'} → {m['to']}  "
            f"{form_name(m['form']).text(lang)}"
            for m in story.moves
        ],
    )
    section(
        "baselines",
        [
            f"{b['kind']} v{b['version']}  {form_name(b['form']).text(lang)}  {b['received'][:10]}"
            for b in story.baselines
        ],
    )
    forms = [form_name(s["form"] or "").text(lang) for s in story.submissions]
    wide = max(map(display_width, forms), default=0)
    periods = max((display_width(s["period"] or "") for s in story.submissions), default=0)
    section(
        "submissions",
        [
            f"#{s['id']:<4} {s['received'][:16].replace('T', ' ')}  {pad(form, wide)}  "
            f"{pad(s['period'] or '', periods)}  {outcome_text(s['outcome'], lang)}  {s['file']}"
            + (f"  [{len(s['issues'])}]" if s["issues"] else "")
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
    section("last", [f"{last['week_ending']}  {last['rag'] or ''}  {last['file']}"] if last else [])
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
    with open_ledger(ctx) as ledger:
        rows = project_rows(ledger, state, department)
    if as_json:
        print_json(rows)
        return
    lang = ctx.obj.lang
    keys = ("code", "short_name", "state", "department", "project_manager", "last_weekly")
    table = [[c.text(lang) for c in COLUMNS]] + [[str(r[k] or "") for k in keys] for r in rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(keys))]
    for row in table:
        click.echo("  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
