"""Publishing the blank forms on the share: `SHARE/templates/`, the folder every "download the
current form" message sends people to. `pmo forms publish` calls `publish_forms`, and so does
the watcher when it starts, so the folder follows the specs.

Each form is built privately and compared with the one already published: the same workbook
(XlsxWriter stamps only its creation time differently) is left alone, so a PM's download is
never touched for nothing; a changed or missing one is written atomically, so whoever opens it
at that moment gets the old file or the new one, never half of one.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators.forms import build_form, form_filename
from generators.output import writing
from pmokit.base.errors import PmoError
from pmokit.base.labels import Label
from pmokit.forms.schema import FormSpec
from pmokit.utils.crash import crash_point
from pmokit.utils.files import atomic_write, remove_stale_temps

TEMPLATES = "templates"
CORE = "docProps/core.xml"  # the part that holds the creation time
STAMPS = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")
CORE_LIMIT = 1 << 20  # a core.xml larger than this is not one we wrote
# A temporary file atomic_write leaves behind when the process dies mid-write; one this old is
# no other publisher's work in progress.
NO_SHARE = Label(
    "共享文件夹 {share} 不存在或不是文件夹：请检查路径（表单发布到其中的 templates 目录）",
    "the share {share} does not exist or is not a folder; check the path "
    "(the forms go into its templates folder)",
)
WROTE = Label("已写入 {path}", "wrote {path}")
SUMMARY = Label(
    "{folder}：写入 {written} 个表单，{unchanged} 个未变",
    "{folder}: {written} forms written, {unchanged} unchanged",
)


@dataclass(frozen=True)
class Publication:
    """What one publishing run did: the folder, and the file names written or left as they were."""

    folder: Path
    written: tuple[str, ...]
    unchanged: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "written": list(self.written),
            "unchanged": list(self.unchanged),
        }

    def lines(self, lang: str = "zh") -> list[str]:
        """One line per form written, then the count, in the user's language."""
        wrote = [WROTE.text(lang).format(path=self.folder / name) for name in self.written]
        summary = SUMMARY.text(lang).format(
            folder=self.folder, written=len(self.written), unchanged=len(self.unchanged)
        )
        return [*wrote, summary]


def publish_forms(share: Path, forms: dict[str, FormSpec], lang: str = "zh") -> Publication:
    """Write the current blank forms (in `lang`) into `share/templates/`, created if missing;
    rewrite a published form only when it changed. Raises PmoError (exit 3 at the CLI) when the
    share is missing or cannot be written."""
    share = Path(share)
    if not share.is_dir():
        raise PmoError(NO_SHARE.zh.format(share=share), NO_SHARE.en.format(share=share))
    folder = share / TEMPLATES
    with writing(folder):
        folder.mkdir(exist_ok=True)
        remove_stale_temps(folder)
    written, unchanged = [], []
    with tempfile.TemporaryDirectory(prefix="pmo-publish-") as scratch:
        for form in forms.values():
            name = form_filename(form, lang)
            fresh = build_form(form, Path(scratch) / name, lang)
            target = folder / name
            if _same_workbook(target, fresh):
                unchanged.append(name)
                continue
            with writing(target):
                atomic_write(target, lambda temp, fresh=fresh: _copy(fresh, temp))
            written.append(name)
    return Publication(folder, tuple(written), tuple(unchanged))


def _copy(source: Path, temp: Path) -> None:
    temp.write_bytes(source.read_bytes())
    crash_point("publish-before-rename")  # the crash test's seam: written, not yet in place


def _same_workbook(published: Path, fresh: Path) -> bool:
    """Whether two workbooks have the same parts, byte for byte (by size and CRC), but for the
    creation and modification times in their core properties."""
    try:
        with zipfile.ZipFile(published) as old, zipfile.ZipFile(fresh) as new:
            return _parts(old) == _parts(new) and _core(old) == _core(new)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False  # missing, unreadable or not a workbook: publish over it


def _parts(book: zipfile.ZipFile) -> list[tuple[str, int, int]]:
    return [(i.filename, i.file_size, i.CRC) for i in book.infolist() if i.filename != CORE]


def _core(book: zipfile.ZipFile) -> bytes:
    if book.getinfo(CORE).file_size > CORE_LIMIT:
        raise ValueError("not a core.xml we wrote")
    return STAMPS.sub(b"", book.read(CORE))
