"""Where the shipped templates and macros live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

from pmokit.base.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent.parent  # pmokit/


def _shipped(name: str, inside: str) -> Path:
    """`pmokit/<name>` in a wheel, `<name>/` beside the package in a checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if (candidate / inside).exists():
            return candidate
    raise ConfigError(
        f"在 {_PACKAGE} 旁找不到 pmokit 的 {name} 目录",
        f"pmokit's {name} folder not found beside {_PACKAGE}",
    )


def templates_dir() -> Path:
    """The templates folder: `pmokit/templates` in a wheel, `templates/` beside it in a checkout."""
    return _shipped("templates", "forms")


def forms_dir() -> Path:
    return templates_dir() / "forms"


def macros_dir() -> Path:
    """The VBA sources of the buttons (`*.bas`) and the list of VBA projects intake trusts."""
    return _shipped("macros", "trusted.toml")
