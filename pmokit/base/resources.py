"""Where the shipped templates live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

from pmokit.base.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent.parent  # pmokit/


def templates_dir() -> Path:
    """The templates folder: `pmokit/templates` in a wheel, `templates/` beside it in a checkout."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if (candidate / "forms").is_dir():
            return candidate
    raise ConfigError(
        f"在 {_PACKAGE} 旁找不到 pmokit 模板目录", f"pmokit templates not found beside {_PACKAGE}"
    )


def forms_dir() -> Path:
    return templates_dir() / "forms"
