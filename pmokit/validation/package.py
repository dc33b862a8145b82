"""First stage of validation: treat the submitted bytes as hostile until their structure is checked.

Runs before any spreadsheet parser sees the file: size, magic bytes, the zip directory (bombs,
part names), active content, XML entity declarations and how far each sheet reaches. Each
refusal is one issue with its own code; memory stays bounded because sizes are checked from
the zip directory before anything is inflated (research/reliability.md §2).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib

from pmokit.base.issues import Issue, make_issue
from pmokit.base.labels import Label
from pmokit.base.settings import PackageLimits
from pmokit.forms.layout import column_number

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XML_PARTS = (".xml", ".rels", ".vml")
DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
# Row numbers are r="123" (digits only) and cell references r="AB12", wherever the attribute
# stands in its tag; only columns of two or three letters can pass the column limit. XML lets
# tabs and newlines separate attributes, so they are turned into spaces first (one fast pass),
# which keeps the patterns literal and fast.
ROW_NUMBER = re.compile(rb' r="(\d+)"')
WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,3})\d+"')
ROW_TAG = re.compile(rb"<row[ >/]")
CELL_TAG = re.compile(rb"<c[ >/]")
TO_SPACE = bytes.maketrans(b"\t\n\r", b"   ")
MB = 2**20


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{n} B"


def check_package(
    data: bytes, limits: PackageLimits, lang: str, allowed_vba: frozenset[str] = frozenset()
) -> list[Issue]:
    """Issues that make the file unsafe or impossible to parse; empty when parsing may go ahead."""
    if not data:
        return [make_issue("file-empty", lang)]
    if len(data) > limits.max_file_bytes:
        size, limit = _size(len(data)), _size(limits.max_file_bytes)
        return [make_issue("file-too-large", lang, size=size, limit=limit)]
    if data.startswith(OLE_MAGIC):
        return [make_issue("file-encrypted" if ENCRYPTED_STREAM in data else "legacy-xls", lang)]
    if not data.startswith(ZIP_MAGIC):
        return [_not_zip(data, lang)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return _check_archive(archive, limits, lang, allowed_vba)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        return [make_issue("file-truncated", lang, detail=type(exc).__name__)]


def _not_zip(data: bytes, lang: str) -> Issue:
    head = data[:4096]
    text = head.replace(b"\r", b"").replace(b"\n", b"").replace(b"\t", b"")
    if b"\x00" not in head:
        try:
            decoded = text.decode("utf-8")
        except UnicodeDecodeError:
            decoded = text.decode("gb18030", errors="replace")
        if decoded and sum(ch.isprintable() for ch in decoded) / len(decoded) > 0.95:
            return make_issue("text-not-workbook", lang)
    first = " ".join(f"{b:02X}" for b in data[:8])
    detail = Label(f"开头字节 {first}", f"first bytes {first}").text(lang)
    return make_issue("not-a-workbook", lang, detail=detail)


def _check_archive(
    archive: zipfile.ZipFile, limits: PackageLimits, lang: str, allowed_vba: frozenset[str]
) -> list[Issue]:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "mimetype" in names and archive.read("mimetype").startswith(ODS_MIMETYPE):
        return [make_issue("ods-not-xlsx", lang)]
    for check in (_check_directory, _check_members):
        issues = check(infos, limits, lang)
        if issues:
            return issues
    if "xl/workbook.xml" not in names:
        detail = Label("压缩包中没有工作簿", "a zip package without a workbook").text(lang)
        return [make_issue("not-a-workbook", lang, detail=detail)]
    for check in (_check_active_content, _check_xml):
        issues = check(archive, lang, allowed_vba, limits)
        if issues:
            return issues
    return []


def _check_directory(infos: list[zipfile.ZipInfo], limits: PackageLimits, lang: str) -> list[Issue]:
    if len(infos) > limits.max_members:
        detail = Label(f"{len(infos)} 个部件", f"{len(infos)} parts").text(lang)
        return [make_issue("package-invalid", lang, detail=detail)]
    for info in infos:
        name = info.filename
        if (
            name.startswith(("/", "\\"))
            or ".." in name.replace("\\", "/").split("/")
            or (len(name) > 1 and name[1] == ":")
        ):
            return [make_issue("package-invalid", lang, detail=name[:80])]
        if info.flag_bits & 0x1:
            detail = Label(f"{name} 已加密", f"{name} is encrypted").text(lang)
            return [make_issue("package-invalid", lang, detail=detail)]
    return []


def _check_members(infos: list[zipfile.ZipInfo], limits: PackageLimits, lang: str) -> list[Issue]:
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_uncompressed:
        return [_bomb(lang, f"{_size(total)} > {_size(limits.max_total_uncompressed)}")]
    for info in infos:
        if info.file_size > limits.max_member_uncompressed:
            return [_bomb(lang, f"{info.filename} {_size(info.file_size)}")]
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MB and ratio > limits.max_ratio:
            return [_bomb(lang, f"{info.filename} {ratio:.0f}:1")]
    return []


def _bomb(lang: str, detail: str) -> Issue:
    return make_issue("zip-bomb", lang, detail=detail)


def _check_active_content(
    archive: zipfile.ZipFile, lang: str, allowed_vba: frozenset[str], limits: PackageLimits
) -> list[Issue]:
    names = archive.namelist()
    links = [n for n in names if n.startswith("xl/externalLinks/")]
    if links:
        return [make_issue("external-links", lang, detail=", ".join(links[:3]))]
    for name in names:
        if name.lower().endswith("vbaproject.bin"):
            digest = hashlib.sha256(archive.read(name)).hexdigest()
            if digest not in allowed_vba:
                return [make_issue("macros-not-allowed", lang, detail=f"{name} {digest[:12]}")]
        elif name.startswith(("xl/activeX/", "xl/embeddings/")):
            return [make_issue("macros-not-allowed", lang, detail=name)]
    return []


def _check_xml(
    archive: zipfile.ZipFile, lang: str, allowed_vba: frozenset[str], limits: PackageLimits
) -> list[Issue]:
    """Entity declarations in any XML part, and how far each sheet reaches. Whole parts are
    read at once: the directory check has already bounded every part's size."""
    sheets = _sheet_parts(archive)
    for name in archive.namelist():
        if not name.endswith(XML_PARTS):
            continue
        xml = archive.read(name)
        for declaration in DECLARATIONS:
            if declaration in xml:
                return [make_issue("xml-entities", lang, detail=f"{name}: {declaration.decode()}")]
        if name in sheets:
            issue = _check_extent(xml, sheets[name], limits, lang)
            if issue:
                return [issue]
    return []


def _check_extent(xml: bytes, sheet: str, limits: PackageLimits, lang: str) -> Issue | None:
    """How far a sheet's cells reach; a reader would allocate that whole grid."""
    xml = xml.translate(TO_SPACE)
    rows = max(max(map(int, ROW_NUMBER.findall(xml)), default=0), len(ROW_TAG.findall(xml)))
    columns = max((column_number(c.decode()) for c in set(WIDE_COLUMN.findall(xml))), default=0)
    cells = len(CELL_TAG.findall(xml))
    over = [
        (rows, limits.max_sheet_rows, "行", "rows"),
        (columns, limits.max_sheet_columns, "列", "columns"),
        (cells, limits.max_sheet_cells, "个单元格", "cells"),
    ]
    for found, limit, zh, en in over:
        if found > limit:
            unit = Label(zh, f" {en}").text(lang)
            return make_issue(
                "sheet-too-large",
                lang,
                sheet=sheet,
                detail=f"{found}{unit}",
                limit=f"{limit}{unit}",
            )
    return None


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from the workbook and its relationships (regex only:
    this runs before the XML scan has cleared the parts for a parser)."""
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
    except KeyError:
        return {n: n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]+)"', rel.group(0))
        target = re.search(r'\bTarget="([^"]+)"', rel.group(0))
        if rid and target:
            path = target.group(1).lstrip("/")
            targets[rid.group(1)] = path if path.startswith("xl/") else f"xl/{path}"
    parts = {}
    for sheet in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name = re.search(r'\bname="([^"]*)"', sheet.group(0))
        rid = re.search(r'\br:id="([^"]+)"', sheet.group(0))
        if name and rid and rid.group(1) in targets:
            parts[targets[rid.group(1)]] = _unescape(name.group(1))
    return parts


def _unescape(text: str) -> str:
    for entity, char in (
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(entity, char)
    return text
