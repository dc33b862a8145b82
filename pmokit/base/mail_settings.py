"""The [mail] and [schedule] sections of pmo.toml: the SMTP server, who receives what, and when
the service sends the weekly messages. Read by base/settings.py; the SMTP user and password
are never here (PMO_SMTP_USER / PMO_SMTP_PASSWORD, read by the sender only).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pmokit.base.errors import ConfigError

SECURITY = ("none", "starttls", "ssl")
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str = ""  # empty: mail is composed and queued, never sent
    smtp_port: int = 465
    security: str = "ssl"
    sender: str = ""
    executives: tuple[str, ...] = ()
    pmo: tuple[str, ...] = ()
    departments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (department, its heads)
    alerts: tuple[str, ...] = ()  # R24's immediate notices; empty: the PMO
    lang: str | None = None  # the messages' language; None: the settings' lang
    timeout: float = 30.0  # seconds for every SMTP step: smtplib has none of its own
    folder: Path | None = None  # outbox/, sent/, failed/; None: <home>/.pmo/mail

    def alert_recipients(self) -> tuple[str, ...]:
        return self.alerts or self.pmo

    def heads(self, department: str | None) -> tuple[str, ...]:
        """The heads of `department` (as the forms name it), or none configured."""
        return dict(self.departments).get((department or "").strip(), ())

    def department_heads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for _, heads in self.departments for a in heads))


@dataclass(frozen=True)
class At:
    """A weekly moment: a weekday and a time, China time."""

    weekday: int  # 0 Monday
    time: dt.time

    def text(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.time:%H:%M}"


@dataclass(frozen=True)
class Schedule:
    """When the service sends each kind (moved to the next working day when it falls on a day
    off), and the budget reminders' day of the month."""

    reminders: At = At(4, dt.time(14))
    escalations: At = At(0, dt.time(12))
    status: At = At(1, dt.time(10))
    briefing: At = At(1, dt.time(10))
    budget_reminder_day: int = 25
    prefill: At | None = None  # the weekly forms pre-filled into SHARE/templates/<project>/


def setting_error(path: object, key: str, zh: str, en: str) -> ConfigError:
    return ConfigError(f"{path}：{key} {zh}", f"{path}: {key} {en}")


def _addresses(value: Any, key: str, path: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str) and ADDRESS.match(v) for v in value
    ):
        raise setting_error(path, key, "应为邮箱地址列表", "must be a list of e-mail addresses")
    return tuple(value)


def check_known_keys(raw: dict, kind: type, section: str, path: object) -> None:
    unknown = sorted(set(raw) - {f.name for f in fields(kind)})
    if unknown:
        raise setting_error(path, f"{section}.{unknown[0]}", "是未知设置项", "is not a setting")


def mail_section(raw: dict, path: object) -> MailSettings:
    """[mail] from pmo.toml, every value checked; one line naming the file and the key."""
    check_known_keys(raw, MailSettings, "mail", path)
    values: dict[str, Any] = {}
    for key in ("smtp_host", "sender", "lang"):
        if key in raw:
            if not isinstance(raw[key], str) or "\n" in raw[key] or "\r" in raw[key]:
                raise setting_error(path, f"mail.{key}", "应为一行文字", "must be one line of text")
            values[key] = raw[key].strip()
    if values.get("sender") and not ADDRESS.match(values["sender"]):
        raise setting_error(path, "mail.sender", "不是邮箱地址", "is not an e-mail address")
    if values.get("lang") not in (None, "zh", "en"):
        raise setting_error(path, "mail.lang", "只能是 zh 或 en", "must be zh or en")
    if "smtp_port" in raw:
        port = raw["smtp_port"]
        if not isinstance(port, int) or not 1 <= port <= 65535:
            raise setting_error(
                path, "mail.smtp_port", "应为 1 到 65535 的整数", "must be 1 to 65535"
            )
        values["smtp_port"] = port
    if "security" in raw:
        if raw["security"] not in SECURITY:
            raise setting_error(
                path, "mail.security", "只能是 none、starttls 或 ssl", "is none|starttls|ssl"
            )
        values["security"] = raw["security"]
    if "timeout" in raw:
        if not isinstance(raw["timeout"], (int, float)) or not 1 <= raw["timeout"] <= 600:
            raise setting_error(
                path, "mail.timeout", "应为 1 到 600 秒", "must be 1 to 600 seconds"
            )
        values["timeout"] = float(raw["timeout"])
    for key in ("executives", "pmo", "alerts"):
        if key in raw:
            values[key] = _addresses(raw[key], f"mail.{key}", path)
    if "departments" in raw:
        if not isinstance(raw["departments"], dict):
            raise setting_error(
                path, "mail.departments", "应为表：部门 = [邮箱]", "must map departments"
            )
        values["departments"] = tuple(
            (str(name).strip(), _addresses(heads, f"mail.departments.{name}", path))
            for name, heads in raw["departments"].items()
        )
    if "folder" in raw:
        values["folder"] = Path(str(raw["folder"]))
    return MailSettings(**values)


def schedule_section(raw: dict, path: object) -> Schedule:
    """[schedule]: reminders = "fri 14:00" and so on, budget_reminder_day = 25."""
    check_known_keys(raw, Schedule, "schedule", path)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "budget_reminder_day":
            if not isinstance(value, int) or not 1 <= value <= 28:
                raise setting_error(
                    path, "schedule.budget_reminder_day", "应为 1 到 28", "must be 1 to 28"
                )
            values[key] = value
        else:
            values[key] = _at(value, f"schedule.{key}", path)
    return Schedule(**values)


def _at(value: Any, key: str, path: object) -> At:
    match = re.fullmatch(r"\s*(\w{3})\w*\s+(\d{1,2}):(\d{2})\s*", str(value).lower())
    if match and match[1] in WEEKDAYS and int(match[2]) < 24 and int(match[3]) < 60:
        return At(WEEKDAYS.index(match[1]), dt.time(int(match[2]), int(match[3])))
    raise setting_error(path, key, '应形如 "tue 10:00"', 'must look like "tue 10:00"')
