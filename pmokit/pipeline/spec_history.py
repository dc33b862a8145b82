"""Every form spec a ledger has read a file with, kept in the archive, so that a rebuild reads
each archived file with the spec of its own version — whatever the forms folder says today.

Intake keeps the spec (its TOML and the shared `_common.toml`, as text) under
`archive/specs/<form>-v<version>-<hash>/` and writes that key on the file's index line; the
rebuild loads the kept spec for a file whose form has changed since (pipeline/intake.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from pmokit.base.settings import Settings
from pmokit.forms.load import COMMON_FILE, load_forms
from pmokit.forms.schema import FormSpec
from pmokit.utils.files import write_bytes_atomically

SPECS = "specs"
_kept: dict[tuple, str] = {}  # (spec files and their mtimes) -> key: one stat per intake


def _sources(form: FormSpec) -> list[Path]:
    source = Path(form.source)
    common = source.parent / COMMON_FILE
    return [source, common] if common.exists() else [source]


def keep_spec(settings: Settings, form: FormSpec) -> str:
    """The key of `form`'s spec in the archive, copied there the first time it is seen."""
    sources = _sources(form)
    stamp = (str(settings.archive_dir()), *((str(p), os.stat(p).st_mtime_ns) for p in sources))
    if stamp in _kept:
        return _kept[stamp]
    texts = {p.name: p.read_bytes() for p in sources}
    digest = hashlib.sha256(b"\0".join(texts[name] for name in sorted(texts))).hexdigest()
    key = f"{form.id}-v{form.version}-{digest[:12]}"
    folder = settings.archive_dir() / SPECS / key
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=folder.parent))  # ours alone
        for name, data in texts.items():
            write_bytes_atomically(staging / name, data)
        try:
            os.replace(staging, folder)  # whole or not at all
        except OSError:
            if not folder.is_dir():
                raise
            shutil.rmtree(staging, ignore_errors=True)  # another intake kept it first
    _kept[stamp] = key
    return key


def kept_spec(settings: Settings, key: str) -> FormSpec:
    """A spec kept by keep_spec, loaded as it was then."""
    form_id = key.rsplit("-v", 1)[0]
    return load_forms(settings.archive_dir() / SPECS / key)[form_id]


def forms_for(
    settings: Settings, forms: dict[str, FormSpec], key: str | None
) -> dict[str, FormSpec]:
    """The forms to read an archived file with: today's, with the file's own form as it was
    when the file arrived (when that differs and was kept)."""
    if key is None:
        return forms
    form_id = key.rsplit("-v", 1)[0]
    current = forms.get(form_id)
    if current is not None and keep_spec(settings, current) == key:
        return forms
    if not (settings.archive_dir() / SPECS / key).is_dir():
        return forms
    return {**forms, form_id: kept_spec(settings, key)}
