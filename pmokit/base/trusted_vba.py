"""The VBA projects intake lets through: the form buttons' `vbaProject.bin` as this version
and earlier ones built it, by sha256, listed in `macros/trusted.toml`; and any a PMO adds with
`allowed_vba_hashes` in pmo.toml. Any other VBA, or ours edited, is refused."""

from __future__ import annotations

from functools import cache

from pmokit.base.resources import macros_dir

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@cache
def shipped_vba_hashes() -> frozenset[str]:
    listed = tomllib.loads((macros_dir() / "trusted.toml").read_text(encoding="utf-8"))
    return frozenset(entry["sha256"] for entry in listed.get("project", ()))
