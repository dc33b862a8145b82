"""Why a file that looks like a workbook package cannot be read, said as a person's reason.

Two moments ask: package.py, when the zip itself fails (cut short, or damaged where its
directory is intact), and reading.py, when the reader refuses a package that passed the safety
checks (broken relationships, a sheet that points nowhere). Library text never reaches the
message: each cause is a Label written here.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib

from defusedxml import ElementTree

from pmokit.base.issues import Issue, make_issue
from pmokit.base.labels import Label

END_OF_DIRECTORY = b"PK\x05\x06"
# What zipfile raises for bytes it cannot unpack; zlib's and EOF for a damaged part.
ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
XML_PARTS = (".xml", ".rels")
SHOWN = re.compile(r"[^\w./\[\]-]")

NOT_EXCEL_FORMAT = Label(
    "内容不符合 Excel 工作簿的格式", "its content is not in the Excel workbook format"
)


class DamagedPart(Exception):
    """A part of an intact zip directory that cannot be unpacked (bad checksum, bad data)."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes; DamagedPart when its data does not unpack to what the directory says."""
    try:
        return archive.read(name)
    except ZIP_FAILURES:
        raise DamagedPart(name) from None


def shown_part(name: str) -> str:
    """A part name fit for a message: printable, short."""
    return SHOWN.sub("?", name)[:60]


def zip_failure(data: bytes, exc: Exception, lang: str) -> Issue:
    """The issue for a zip package that failed: cut short (no end-of-directory record), or
    damaged (the directory is there, but it or a part is broken)."""
    if isinstance(exc, DamagedPart):
        part = shown_part(exc.part)
        detail = Label(f"部件 {part} 校验不通过", f"part {part} fails its checksum")
        return make_issue("file-corrupt", lang, detail=detail.text(lang))
    if isinstance(exc, NotImplementedError):  # a compression method no Office program writes
        detail = Label("使用了不支持的压缩方式", "an unsupported compression method")
        return make_issue("package-invalid", lang, detail=detail.text(lang))
    if END_OF_DIRECTORY not in data[-(2**16 + 22) :]:
        return make_issue("file-truncated", lang)
    detail = Label("压缩包目录有误", "its zip directory is broken")
    return make_issue("file-corrupt", lang, detail=detail.text(lang))


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    """The package's main part, as its _rels/.rels says (Excel puts it at xl/workbook.xml; other
    writers elsewhere); xl/workbook.xml when the relationships do not say. None if absent."""
    names = set(archive.namelist())
    root = _xml(archive, "_rels/.rels") if "_rels/.rels" in names else None
    for rel in root.iter(f"{RELS_NS}Relationship") if root is not None else ():
        if rel.get("Type", "").endswith("/officeDocument"):
            path = resolve("", rel.get("Target", ""))
            if path in names:
                return path
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def rels_of(part: str) -> str:
    """The relationships part of `part`: wtf/workbook.xml -> wtf/_rels/workbook.xml.rels."""
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def resolve(part: str, target: str) -> str:
    """A relationship's target as a part name, relative to the part that holds it."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def structure_fault(data: bytes) -> Label:
    """Why a reader refused a package that passed the safety checks, found by walking its
    structure as Excel does: package relationships, workbook, each sheet's link to its part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _walk(archive) or _not_xml(archive) or NOT_EXCEL_FORMAT
    except (*ZIP_FAILURES, DamagedPart):
        return NOT_EXCEL_FORMAT


def _xml(archive: zipfile.ZipFile, part: str):
    """The parsed part, or None when it is missing or not well-formed XML."""
    try:
        return ElementTree.fromstring(read_part(archive, part))
    except (KeyError, ElementTree.ParseError, ValueError):
        return None


def _walk(archive: zipfile.ZipFile) -> Label | None:
    names = set(archive.namelist())
    for needed in ("[Content_Types].xml", "_rels/.rels"):
        if needed not in names:
            return Label(f"缺少 {needed} 部件", f"the {needed} part is missing")
    if _xml(archive, "_rels/.rels") is None:
        return Label(
            "包关系 _rels/.rels 已损坏", "the package relationships (_rels/.rels) are damaged"
        )
    book = workbook_part(archive)
    if book is None:
        return Label("包关系没有指向工作簿", "the package relationships lead to no workbook")
    if rels_of(book) not in names:
        part = shown_part(rels_of(book))
        return Label(f"缺少 {part} 部件", f"the {part} part is missing")
    root, rels = _xml(archive, book), _xml(archive, rels_of(book))
    if root is None or rels is None:
        part = shown_part(book if root is None else rels_of(book))
        return Label(f"部件 {part} 已损坏", f"part {part} is damaged")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{RELS_NS}Relationship")}
    # Any namespace: transitional and strict workbooks name their sheets alike.
    for sheet in (e for e in root.iter() if str(e.tag).endswith("}sheet")):
        name = "".join(c if c.isprintable() else "?" for c in sheet.get("name", ""))[:31]
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid)
        if not target:
            return Label(
                f"工作表“{name}”没有指向其内容", f"sheet '{name}' does not point to its content"
            )
        if resolve(book, target) not in names:
            return Label(f"工作表“{name}”的内容不存在", f"the content of sheet '{name}' is missing")
    return None


def _not_xml(archive: zipfile.ZipFile) -> Label | None:
    """The first XML part that is not well-formed."""
    for part in archive.namelist():
        if part.endswith(XML_PARTS) and _xml(archive, part) is None:
            shown = shown_part(part)
            return Label(f"部件 {shown} 已损坏", f"part {shown} is damaged")
    return None
