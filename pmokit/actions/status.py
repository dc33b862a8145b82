"""Say how things stand: what `pmo status` and the PMO console show — which settings file and
ledger are in use, what the ledger holds (today's arrivals too, China time), and how the watcher
is doing (running or not, its queue, last scan, last error, an outage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmokit.base.issues import OUTCOME_NAMES
from pmokit.base.labels import Label
from pmokit.base.lifecycle import STATES
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.store import Ledger, ledger_summary
from pmokit.mail.outbox import Outbox
from pmokit.utils.columns import table
from watchers.lock import lock_holder
from watchers.status import read_status


@dataclass(frozen=True)
class Status:
    settings_file: str
    ledger: str
    summary: dict[str, dict[str, int]]  # submissions, today, projects
    watcher: dict[str, Any]
    calendar: str | None = None  # a year the holiday calendar does not know, said loudly
    mail: dict[str, Any] = field(default_factory=dict)  # the outbox: waiting, sent, failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings_file": self.settings_file,
            "ledger": self.ledger,
            **self.summary,
            **({"calendar": self.calendar} if self.calendar else {}),
            "watcher": self.watcher,
            "mail": self.mail,
        }

    def text(self, lang: str = "zh") -> str:
        """The status as aligned tables a person reads: where, what the ledger holds, the
        watcher."""
        where = [(W["settings"], self.settings_file or W["no_settings"].text(lang))]
        where.append((W["ledger"], self.ledger))
        if self.calendar:
            where.append((W["calendar"], self.calendar))
        blocks = [_pairs(where, lang)]
        if self.summary:
            blocks += [self._submissions(lang), self._projects(lang)]
        blocks.append(_pairs(describe_watcher(self.watcher, lang), lang))
        if self.mail.get("waiting") or self.mail.get("sent") or self.mail.get("failed"):
            blocks.append(_pairs(describe_mail(self.mail, lang), lang))
        return "\n\n".join("\n".join(block) for block in blocks) + "\n"

    def _submissions(self, lang: str) -> list[str]:
        every, today = self.summary.get("submissions", {}), self.summary.get("today", {})
        codes = [*OUTCOME_NAMES, *sorted(set(every) - set(OUTCOME_NAMES))]
        rows = [[W["submissions"].text(lang), W["all"].text(lang), W["today"].text(lang)]]
        for code in codes:
            name = OUTCOME_NAMES[code].text(lang) if code in OUTCOME_NAMES else code
            rows.append([f"  {name}", str(every.get(code, 0)), str(today.get(code, 0))])
        return table(rows, right=(1, 2))

    def _projects(self, lang: str) -> list[str]:
        states = self.summary.get("projects", {})
        ordered = [s for s in STATES if s in states] + sorted(set(states) - set(STATES))
        rows = [[W["projects"].text(lang), W["count"].text(lang)]]
        rows += [[f"  {state}", str(states[state])] for state in ordered] or [
            [f"  {W['none'].text(lang)}", ""]
        ]
        return table(rows, right=(1,))


def _pairs(rows: list[tuple[Label, str]], lang: str) -> list[str]:
    return table([(label.text(lang), value) for label, value in rows])


W = {  # the words of the status tables
    "settings": Label("设置文件", "settings file"),
    "no_settings": Label("（没有 pmo.toml：用默认设置）", "(no pmo.toml: defaults)"),
    "ledger": Label("台账", "ledger"),
    "calendar": Label("节假日日历", "calendar"),
    "submissions": Label("提交", "submissions"),
    "all": Label("全部", "all"),
    "today": Label("今日", "today"),
    "projects": Label("项目状态", "projects"),
    "count": Label("个数", "count"),
    "none": Label("（还没有项目）", "(none yet)"),
    "watcher": Label("监视进程", "watcher"),
    "never": Label("从未在此运行", "never run here"),
    "running": Label("运行中（pid {pid}）", "running (pid {pid})"),
    "stopped": Label("已停止", "stopped"),
    "polling": Label("，轮询（{why}）", ", polling ({why})"),
    "inbox": Label("收件夹", "inbox"),
    "last_scan": Label("上次扫描", "last scan"),
    "queue": Label("排队", "queue"),
    "ignored": Label("已忽略", "ignored"),
    "since_start": Label("启动以来", "since start"),
    "last_error": Label("上次错误", "last error"),
    "away": Label("收件夹不可用", "inbox away"),
    "since": Label("自 {at}", "since {at}"),
    "alerted": Label("（已告警）", " (alerted)"),
    "mail": Label("邮件", "mail"),
    "mail_counts": Label(
        "等待 {waiting}，已发送 {sent}，失败 {failed}（pmo mail outbox）",
        "{waiting} waiting, {sent} sent, {failed} failed (pmo mail outbox)",
    ),
    "mail_failed": Label("最近失败", "latest failure"),
}


def current_status(
    settings: Settings, ledger: Ledger | None, today: dt.date | None = None
) -> Status:
    """How things stand `today` (China time); the calendar is checked two months ahead, as
    far as the deadlines it counts reach."""
    today = today or dt.datetime.now(CHINA_TIME).date()
    midnight = dt.datetime.combine(today, dt.time(), CHINA_TIME)
    warning = settings.calendar.warning(today, today + AHEAD)
    url = settings.ledger_url()
    return Status(
        str(settings.settings_file or ""),
        url if ledger else f"{url}{NO_LEDGER.text(settings.lang)}",
        ledger_summary(ledger, midnight) if ledger else {},
        watcher_status(settings.state_dir()),
        warning.text(settings.lang) if warning else None,
        mail_status(settings),
    )


def mail_status(settings: Settings) -> dict[str, Any]:
    """The outbox at a glance: how many wait, were sent, failed — and the latest failure (only
    that message is read: sent/ grows all year, and `pmo status` stays quick)."""
    outbox = Outbox(settings.mail_dir())
    latest = outbox.latest_failed()
    return {
        **outbox.counts(),
        "latest_failure": {"to": latest.to, "subject": latest.subject, "reason": latest.reason}
        if latest
        else None,
    }


def describe_mail(mail: dict[str, Any], lang: str) -> list[tuple[Label, str]]:
    said = W["mail_counts"].text(lang).format(**mail)
    rows = [(W["mail"], said)]
    if mail.get("latest_failure"):
        failure = mail["latest_failure"]
        reason = (failure["reason"].splitlines() or [""])[0 if lang == "zh" else -1]
        rows.append((W["mail_failed"], f"{failure['to']} {failure['subject']}: {reason}"))
    return rows


AHEAD = dt.timedelta(days=62)
NO_LEDGER = Label(
    "（尚未建立：pmo ingest 或 pmo watch 会建立它）",
    " (none yet: pmo ingest or pmo watch creates it)",
)


def watcher_status(state_dir: Path) -> dict:
    """For `pmo status`: whether a watcher holds the lock, and what it last wrote."""
    holder = lock_holder(state_dir / "watch.lock")
    last = read_status(state_dir) or {}
    return {**last, "running": holder is not None, "pid": int(holder) if holder else None}


def describe_watcher(status: dict, lang: str = "zh") -> list[tuple[Label, str]]:
    """The watcher's status as rows a person reads (times in China time)."""
    if not status.get("inbox"):
        return [(W["watcher"], W["never"].text(lang))]
    state = W["running"] if status["running"] else W["stopped"]
    polling = W["polling"] if status.get("polling") else None
    said = state.text(lang).format(pid=status.get("pid"))
    said += polling.text(lang).format(why=status.get("polling_reason")) if polling else ""
    outcomes = status.get("outcomes") or {}
    rows = [
        (W["watcher"], said),
        (W["inbox"], str(status["inbox"])),
        (W["last_scan"], _local(status.get("last_scan_utc"))),
        (W["queue"], _names(status.get("queue") or [])),
        (W["ignored"], _names(status.get("ignored") or [])),  # owner and temporary files
        (W["since_start"], _counts(outcomes, lang)),
    ]
    if status.get("last_error"):
        error = status["last_error"]
        said = f"{_local(error['at_utc'])} {error['file']}: {error['error']}"
        rows.append((W["last_error"], said))
    if status.get("outage_since_utc"):
        said = W["since"].text(lang).format(at=_local(status["outage_since_utc"]))
        rows.append(
            (W["away"], said + (W["alerted"].text(lang) if status.get("outage_alerted") else ""))
        )
    return rows


def _names(names: list[str], shown: int = 10) -> str:
    """How many, and the first few by name."""
    return f"{len(names)}" + (f": {', '.join(names[:shown])}" if names else "")


def _counts(outcomes: dict[str, int], lang: str) -> str:
    named = (
        f"{OUTCOME_NAMES[k].text(lang) if k in OUTCOME_NAMES else k} {n}"
        for k, n in outcomes.items()
    )
    return Label("，", ", ").text(lang).join(named) or "0"


def _local(utc: str | None) -> str:
    """A UTC time the watcher wrote, as the PMO's clock reads it (China time)."""
    if not utc:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(utc.replace("Z", "+00:00"))
    except ValueError:
        return utc
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")
