"""The messages' words, Chinese and English, and how a value reads in a message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pmokit.base.labels import Label
from pmokit.base.workdays import CHINA_TIME

SUBJECTS = {
    "status": Label("周报提交情况（{week} 周）", "Weekly report submissions, week ending {week}"),
    "briefing": Label("实施项目综合信息简报（{day}）", "Project briefing ({day})"),
    "reminders": Label("待提交事项提醒（{day}）", "What you owe the PMO ({day})"),
    "escalations": Label(
        "周报逾期未交：{manager}（{week} 周）", "Weekly reports missing: {manager} (week {week})"
    ),
    "suspensions": Label("暂停超过期限的项目（{day}）", "Projects suspended too long ({day})"),
}
STATUS_INTRO = Label(
    "{week} 周的周报提交情况如下（截至 {as_of}）。只统计当周处于实施状态的项目；"
    "项目组合汇总表见附件。",
    "Weekly report submissions for the week ending {week} (as of {as_of}). Only projects in"
    " implementation that week are expected; the portfolio roll-up is attached.",
)
BRIEFING_INTRO = Label(
    "本周实施项目综合信息简报如下，Word 版见附件。",
    "This week's project briefing follows; the Word version is attached.",
)
REMINDER_INTRO = Label(
    "{manager}，您好：以下事项请按时提交到 PMO 共享文件夹的 inbox。",
    "Dear {manager}, please send the following to the PMO share's inbox in time.",
)
ESCALATION_INTRO = Label(
    "{manager} 负责的项目有周报在补交窗口（下周一中午）结束后仍未提交，"
    "按规定上报部门负责人并抄送 PMO。",
    "Projects managed by {manager} still lack weekly reports after the late window (Monday"
    " noon); as the rules require, their department head and the PMO are copied.",
)
SUSPENSION_INTRO = Label(
    "以下项目暂停已超过期限，请 PMO 提出处理意见报总裁室审批（恢复、撤项或结项）。",
    "These projects have been suspended too long: the PMO proposes resume, cancel or close"
    " for the executives' approval.",
)
THIS_WEEK = Label(
    "本周（截至 {friday}）的项目周报：{due} 前提交", "This week's report (to {friday}): by {due}"
)
MISSING_WEEKS = Label(
    "{n} 周的周报未提交（{first} 至 {last}），请补交或提交暂停申请",
    "{n} weekly reports missing ({first} to {last}): send them, or a suspension request",
)
NEXT_BUDGET = Label("{month} 的月度费用预算：{due} 前提交", "The budget for {month}: by {due}")
OWED_HEADERS = (Label("项目", "Project"), Label("事项", "What"), Label("依据", "Rule"))
ALERT_HEADERS = (
    Label("项目", "Project"),
    Label("事项", "What"),
    Label("自", "Since"),
    Label("如何关闭", "Closed by"),
)
FOOTER = Label(
    "此邮件由 PMO 工具 pmokit 自动发送，请勿直接回复；如有疑问请联系 PMO。",
    "Sent by pmokit for the PMO; please do not reply to this message — contact the PMO.",
)
NO_HEADS = Label(
    "部门“{department}”没有配置负责人邮箱（pmo.toml 的 [mail.departments]），其负责人收不到邮件",
    "department '{department}' has no head in [mail.departments] of pmo.toml: no mail for it",
)
NO_PM_EMAIL = Label(
    "项目 {code} 的项目经理 {manager} 没有有效邮箱（立项申请表的项目经理邮箱），提醒未发出",
    "project {code}: its PM {manager} has no valid e-mail (the initiation's PM e-mail)",
)
NO_RECIPIENTS = Label(
    "没有收件人：请在 pmo.toml 的 [mail] 中配置 {what}",
    "no recipients: set {what} under [mail] in pmo.toml",
)
NOTHING = Label(
    "{week} 周没有实施中的项目：不发送",
    "no project was in implementation in the week {week}: none sent",
)
NONE = "—"


def cell(value: Any, kind: str = "text") -> str:
    """A value as a message shows it: times in China time, percentages, money."""
    if value is None or value == "":
        return NONE
    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "percent" and isinstance(value, (Decimal, float, int)):
        return f"{Decimal(value) * 100:.0f}%"
    if kind == "money" and isinstance(value, (Decimal, float, int)):
        return f"{Decimal(value):,.2f}"
    return str(value)
