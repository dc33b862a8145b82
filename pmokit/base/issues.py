"""Findings as data: Issue, the Report that holds them, and how they read in zh and en.

Every check in the pipeline returns Issues made by `make_issue`, which refuses a code that
the registry (issue_codes.py) does not know, so every code a user can see is documented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pmokit.base.issue_codes import ISSUE_TYPES, IssueType
from pmokit.base.labels import Label

ERROR, WARNING = "error", "warning"
SEVERITY_NAMES = {ERROR: Label("错误", "error"), WARNING: Label("提示", "warning")}
# What intake made of a file (IntakeResult.outcome), as people read it; JSON keeps the codes.
OUTCOME_NAMES = {
    "accepted": Label("已接收", "accepted"),
    "rejected": Label("已退回", "rejected"),
    "duplicate": Label("重复", "duplicate"),
    "void": Label("已作废", "void"),
}
VALID, NOT_VALID = Label("校验通过", "valid"), Label("未通过校验", "NOT accepted")
SUMMARY_HEAD = Label(
    "{file}：{verdict}（{errors} 个错误，{warnings} 个提示）",
    "{file}: {verdict} ({errors} errors, {warnings} warnings)",
)


@dataclass(frozen=True)
class Issue:
    """One finding: what is wrong (code, message), how bad, and exactly where."""

    code: str
    severity: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "value": self.value,
        }

    @property
    def where(self) -> str:
        """'周报!B5' or '周报' or ''."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""


def shown(value: Any, limit: int = 200) -> str | None:
    """A raw value as text for messages and reports, cut to a readable length."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_issue(
    code: str,
    lang: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    field: str | None = None,
    value: Any = None,
    severity: str | None = None,
    **details: Any,
) -> Issue:
    """Build an Issue from a registered code; `details` fill the message template."""
    kind: IssueType = ISSUE_TYPES[code]
    message = kind.template(lang).format(value=shown(value) or "", sheet=sheet or "", **details)
    return Issue(code, severity or kind.severity, message, sheet, cell, field, shown(value))


@dataclass(frozen=True)
class Report:
    """The result of checking one file: which form it is, and every issue found."""

    file: str
    form: str | None = None
    form_version: int | None = None
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "form": self.form,
            "form_version": self.form_version,
            "valid": self.valid,
            "issues": [i.to_dict() for i in self.issues],
        }

    def flatten(self, keys: tuple[str, ...] = ("code", "sheet", "cell")) -> list[tuple]:
        """The issues as tuples of the given attributes, for tests and quick looks."""
        return [tuple(getattr(i, k) for k in keys) for i in self.issues]

    def summary(self, lang: str = "zh") -> str:
        """A plain-text account a person can act on, one line per issue."""
        errors, warnings = len(self.errors), len(self.issues) - len(self.errors)
        verdict = (VALID if self.valid else NOT_VALID).text(lang)
        head = SUMMARY_HEAD.text(lang)
        lines = [head.format(file=self.file, verdict=verdict, errors=errors, warnings=warnings)]
        for issue in self.issues:
            where = f" {issue.where}" if issue.where else ""
            lines.append(f"- [{SEVERITY_NAMES[issue.severity].text(lang)}]{where} {issue.message}")
        return "\n".join(lines) + "\n"
