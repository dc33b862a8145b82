"""One settings object, loaded once at the edge (CLI, service, button) and passed down.

Precedence: command-line flags > PMO_* environment variables > defaults. (Issue 5 adds
`pmo.toml` between the environment and the defaults.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pmokit.errors import ConfigError
from pmokit.resources import forms_dir

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Settings:
    lang: str = "zh"  # language of generated forms and messages
    forms_dir: Path | None = None  # folder of form specs; None means the shipped templates/forms

    def spec_folder(self) -> Path:
        return self.forms_dir if self.forms_dir is not None else forms_dir()


def load_settings(
    flags: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build Settings from flags (None means not given), then PMO_* variables, then defaults."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    environ = os.environ if environ is None else environ
    lang = str(flags.get("lang") or environ.get("PMO_LANG") or "zh")
    if lang not in LANGS:
        raise ConfigError(
            f"language must be zh or en, not {lang!r}", f"语言只能是 zh 或 en，而不是 {lang!r}"
        )
    folder = flags.get("forms_dir") or environ.get("PMO_FORMS_DIR")
    return Settings(lang=lang, forms_dir=Path(str(folder)) if folder else None)
