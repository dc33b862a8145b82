"""The briefing as an HTML fragment: the body of the email that sends it (issue 16), showing
what the Word document shows — the same context (briefing_context.py), the same words
(briefing_texts.py). Pure Python: every value passes html.escape (a weekly report's text may
hold anything, `<script>` included), line breaks become <br>, and styles are inline, as mail
clients keep only those."""

from __future__ import annotations

from html import escape
from typing import Any

from pmokit.base.labels import Label
from pmokit.reports import briefing_texts as bt
from pmokit.reports.briefing import Briefing
from pmokit.reports.briefing_context import briefing_context

# The roll-up workbook's RAG fills, so a colour means the same in both.
FILLS = {"红": "#F4C7C3", "黄": "#FCE8B2", "绿": "#B7E1CD"}
FONT = "font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif"
TABLE = "border-collapse:collapse;margin:4px 0 12px 0;font-size:13px"
CELL = "border:1px solid #BFBFBF;padding:4px 6px;vertical-align:top;text-align:left"
HEAD = f"{CELL};background:#DDE4EE;font-weight:bold"
STALE = "color:#C00000;font-weight:bold"


def text(value: Any) -> str:
    """A value as HTML text: escaped, its line breaks kept."""
    return escape(str(value)).replace("\r\n", "\n").replace("\n", "<br>")


def briefing_html(briefing: Briefing, lang: str) -> str:
    context = briefing_context(briefing, lang)
    say = lambda label: escape(label.text(lang))  # noqa: E731 — our own words, escaped too
    parts = [
        f'<div class="pmo-briefing" style="{FONT};font-size:14px;color:#222">',
        f'<h1 style="font-size:20px">{say(bt.TITLE)}</h1>',
        f'<p style="color:#555">{text(bt.DATES.text(lang).format(**context))}</p>',
        f'<h2 style="font-size:17px">{say(bt.PORTFOLIO)}</h2>',
        _fields(
            (
                (bt.COUNT_PROJECTS, context["counts"]["projects"]),
                (bt.COUNT_RAG, context["counts"]["rag"]),
                (bt.COUNT_MISSING, context["counts"]["missing"]),
                (bt.COUNT_ALERTS, context["counts"]["alerts"]),
            ),
            lang,
        ),
        f'<h2 style="font-size:17px">{say(bt.PROJECTS)}</h2>',
    ]
    if not briefing.projects:
        parts.append(f"<p>{say(bt.NO_PROJECTS)}</p>")
    for brief, p in zip(briefing.projects, context["projects"], strict=True):
        rag = brief.computed_rag.zh if brief.computed_rag else ""
        parts.append(_project(p, FILLS.get(rag, "#EEEEEE"), briefing.columns, lang))
    parts.append("</div>")
    return "\n".join(parts)


def _project(p: dict[str, Any], fill: str, columns, lang: str) -> str:
    say = lambda label: escape(label.text(lang))  # noqa: E731
    chip = f'<span style="background:{fill};padding:1px 6px">{text(p["computed"])}</span>'
    parts = [
        f'<h3 style="font-size:15px;margin-top:18px">{text(p["code"])} {text(p["name"])}'
        f" {chip}</h3>",
        _fields(
            (
                (bt.STATE, p["state"]),
                (bt.DECLARED, p["declared"]),
                (bt.COMPUTED, p["computed"]),
                (columns["rag_reason"][0][1], p["rag_reason"]),
                (bt.MANAGER, p["manager"]),
                (bt.DEPARTMENT, p["department"]),
                (bt.SOURCE, p["source"]),
            ),
            lang,
        ),
    ]
    if p["stale"]:
        parts.append(f'<p style="{STALE}">{text(p["stale"])}</p>')
    for title, key, extra in bt.SECTIONS:
        parts.append(f'<h4 style="font-size:14px;margin:10px 0 2px 0">{say(title)}</h4>')
        parts.append(_rows(p[key], (*columns[key], *extra), lang))
    return "\n".join(parts)


def _fields(rows, lang: str) -> str:
    cells = "".join(
        f'<tr><th style="{HEAD}">{escape(label.text(lang))}</th>'
        f'<td style="{CELL}">{text(value)}</td></tr>'
        for label, value in rows
    )
    return f'<table style="{TABLE}">{cells}</table>'


def _rows(rows: list[dict[str, str]], columns: tuple[tuple[str, Label], ...], lang: str) -> str:
    head = "".join(f'<th style="{HEAD}">{escape(label.text(lang))}</th>' for _, label in columns)
    if not rows:
        body = f'<tr><td style="{CELL}" colspan="{len(columns)}">{escape(bt.NONE.text(lang))}'
        body += "</td></tr>"
    else:
        body = "".join(
            "<tr>"
            + "".join(
                f'<td style="{CELL}{";" + STALE if key == "overdue" and row[key] else ""}">'
                f"{text(row[key])}</td>"
                for key, _ in columns
            )
            + "</tr>"
            for row in rows
        )
    return f'<table style="{TABLE}"><tr>{head}</tr>{body}</table>'
