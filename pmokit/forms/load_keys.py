"""Checked access to a parsed TOML spec: every lookup knows its file and key path, so a broken
spec fails with a SchemaError that says exactly where."""

from __future__ import annotations

import re
from typing import Any

from pmokit.base.errors import SchemaError
from pmokit.base.labels import Label

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Context:
    """Where in which file we are, so every SchemaError names the file and the key."""

    def __init__(self, source: str, key: str = "") -> None:
        self.source, self.key = source, key

    def at(self, key: str | int) -> Context:
        if isinstance(key, int):
            return Context(self.source, f"{self.key}[{key}]")
        return Context(self.source, f"{self.key}.{key}" if self.key else key)

    def fail(self, problem: str) -> SchemaError:
        return SchemaError(self.source, self.key or "(top)", problem)


def checked_table(raw: Any, ctx: Context, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ctx.fail("expected a table of keys")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ctx.at(unknown[0]).fail(f"unknown key (allowed: {', '.join(sorted(allowed))})")
    return raw


def get_key(raw: dict, key: str, ctx: Context, kind: type | tuple, default: Any = ...) -> Any:
    if key not in raw:
        if default is ...:
            raise ctx.at(key).fail("missing")
        return default
    value = raw[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ctx.at(key).fail(f"expected {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def checked_id(raw: dict, ctx: Context) -> str:
    value = get_key(raw, "id", ctx, str)
    if not ID_PATTERN.match(value):
        raise ctx.at("id").fail(f"{value!r} is not a lower_snake_case id")
    return value


def get_label(raw: dict, prefix: str, ctx: Context, required: bool = True) -> Label:
    default = ... if required else ""
    zh = get_key(raw, f"{prefix}_zh", ctx, str, default)
    en = get_key(raw, f"{prefix}_en", ctx, str, default)
    return Label(zh.strip(), en.strip())


def unique(items: list, ctx: Context, what: str) -> None:
    seen: set = set()
    for item in items:
        if item in seen:
            raise ctx.fail(f"duplicate {what} {item!r}")
        seen.add(item)
