"""First stage of validation: treat the submitted bytes as hostile until their structure is checked.

Runs before any spreadsheet parser sees the file: size, what the bytes are (a zip package, an
old .xls, an Excel lock file, text), the zip directory (bombs, part names), which part is the
workbook, active content, XML entity declarations and how far each sheet reaches. Each refusal
is one issue with its own code; memory stays bounded because sizes are checked from the zip
directory before anything is inflated (research/reliability.md §2).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from pmokit.base.issues import Issue, make_issue
from pmokit.base.labels import Label
from pmokit.base.settings import PackageLimits
from pmokit.forms.layout import column_number
from pmokit.validation.damage import (
    ZIP_FAILURES,
    DamagedPart,
    read_part,
    rels_of,
    resolve,
    workbook_part,
    zip_failure,
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# The BOF record that opens a bare BIFF stream (an .xls before Excel 97 kept it in OLE2), by
# record type; BIFF5 and BIFF8 share 0809 and differ in the version that follows.
BIFF_BOF = {b"\x09\x00": "Excel 2.x", b"\x09\x02": "Excel 3.0", b"\x09\x04": "Excel 4.0"}
BIFF_LATER = {b"\x00\x05": "Excel 5.0/95", b"\x00\x06": "Excel 97-2003"}
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
LINE_BREAKS = str.maketrans("", "", "\r\n\t")
LOCK_PREFIX = "~$"
# Folders (at any depth) whose parts run or embed code, and those that link other workbooks.
ACTIVE_FOLDERS = frozenset({"activex", "embeddings", "macrosheets"})
LINK_FOLDERS = frozenset({"externallinks"})
OTHER_OFFICE = {
    "word/document.xml": Label("Word 文档", "a Word document"),
    "ppt/presentation.xml": Label("PowerPoint 演示文稿", "a PowerPoint presentation"),
}
SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s>/]")
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
# A workbook's sheets and their relationships, by pattern: its XML is not yet cleared to parse.
RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>")
REL_ID = re.compile(r'\bId="([^"]+)"')
REL_TARGET = re.compile(r'\bTarget="([^"]+)"')
SHEET_TAG = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
SHEET_NAME = re.compile(r'\bname="([^"]*)"')
SHEET_RID = re.compile(r'\br:id="([^"]+)"')
MB = 2**20


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{n} B"


def check_package(
    data: bytes,
    limits: PackageLimits,
    lang: str,
    allowed_vba: frozenset[str] = frozenset(),
    name: str = "",
) -> list[Issue]:
    """Issues that make the file unsafe or impossible to parse; empty when parsing may go ahead.
    `name` is the file's name as it arrived (an Excel lock file is known by it)."""
    if not data:
        return [make_issue("file-empty", lang)]
    if len(data) > limits.max_file_bytes:
        size, limit = _size(len(data)), _size(limits.max_file_bytes)
        return [make_issue("file-too-large", lang, size=size, limit=limit)]
    if not data.startswith(ZIP_MAGIC):
        return [_not_a_package(data, name, lang)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return _check_archive(archive, limits, lang, allowed_vba)
    except (*ZIP_FAILURES, DamagedPart, NotImplementedError) as exc:
        return [zip_failure(data, exc, lang)]


def _not_a_package(data: bytes, name: str, lang: str) -> Issue:
    """What a file that is not a zip package is, as the reason to give for it."""
    if data.startswith(OLE_MAGIC):
        return make_issue("file-encrypted" if ENCRYPTED_STREAM in data else "legacy-xls", lang)
    if name.replace("\\", "/").rsplit("/", 1)[-1].startswith(LOCK_PREFIX) or _is_lock_file(data):
        return make_issue("lock-file", lang)
    version = _biff_version(data)
    if version:
        return make_issue("legacy-biff", lang, version=version)
    if _is_text(data[:4096]):
        return make_issue("text-not-workbook", lang)
    first = " ".join(f"{b:02X}" for b in data[:8])
    detail = Label(f"开头字节 {first}", f"first bytes {first}").text(lang)
    return make_issue("not-a-workbook", lang, detail=detail)


def _is_lock_file(data: bytes) -> bool:
    """Excel's owner file (~$name.xlsx), 165 bytes: the user's name in the ANSI code page after
    its length in bytes, padded with spaces to byte 55; then its length in characters, a zero,
    and the name in UTF-16, padded with UTF-16 spaces."""
    if len(data) != 165:
        return False
    ansi, chars = data[0], data[0x37]
    return (
        0 < ansi <= 54
        and 0 < chars <= 54
        and data[0x38] == 0
        and not data[1 + ansi : 0x37].strip(b" ")
        and not data[0x39 + 2 * chars :].replace(b" \x00", b"")
    )


def _biff_version(data: bytes) -> str | None:
    """The Excel that wrote a bare BIFF stream (no OLE2 container), from its BOF record."""
    size = int.from_bytes(data[2:4], "little")
    if size not in (4, 6, 8, 16) or len(data) < 4 + size:
        return None
    if data[:2] == b"\x09\x08":
        return BIFF_LATER.get(data[4:6])
    return BIFF_BOF.get(data[:2])


def _is_text(head: bytes) -> bool:
    """Printable text in UTF-8, GB18030 or (after a byte-order mark) UTF-16: a CSV, an HTML page."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            body = head[len(bom) :]
            body = body if encoding == "utf-8" else body[: len(body) // 2 * 2]
            decoded = body.decode(encoding, errors="replace")
            break
    else:
        if b"\x00" in head:
            return False
        try:
            decoded = head.decode("utf-8")
        except UnicodeDecodeError as exc:  # cut inside a character at the end is still UTF-8
            cut = exc.start >= len(head) - 3
            decoded = head[: exc.start].decode() if cut else head.decode("gb18030", "replace")
    text = decoded.translate(LINE_BREAKS)
    return bool(text) and sum(ch.isprintable() for ch in text) / len(text) > 0.95


def _check_archive(
    archive: zipfile.ZipFile, limits: PackageLimits, lang: str, allowed_vba: frozenset[str]
) -> list[Issue]:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    for check in (_check_directory, _check_members):
        issues = check(infos, limits, lang)
        if issues:
            return issues
    if "mimetype" in names and read_part(archive, "mimetype").startswith(ODS_MIMETYPE):
        return [make_issue("ods-not-xlsx", lang)]
    book = workbook_part(archive)
    if book is None or book in OTHER_OFFICE or not book.endswith(".xml"):
        return [_not_a_workbook(names, book, lang)]
    for check in (_check_active_content, _check_xml):
        issues = check(archive, book, lang, allowed_vba, limits)
        if issues:
            return issues
    return []


def _not_a_workbook(names: set[str], book: str | None, lang: str) -> Issue:
    """A zip package with no XML workbook in it: a binary .xlsb, a Word or PowerPoint file."""
    if (book or "").endswith(".bin") or "xl/workbook.bin" in names:
        return make_issue("xlsb-not-xlsx", lang)
    other = OTHER_OFFICE.get(book or "") or next(
        (kind for part, kind in OTHER_OFFICE.items() if part in names), None
    )
    detail = other or Label("压缩包中没有工作簿", "a zip package without a workbook")
    return make_issue("not-a-workbook", lang, detail=detail.text(lang))


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


def _folders(name: str) -> set[str]:
    return set(name.lower().split("/")[:-1])


def _check_active_content(
    archive: zipfile.ZipFile,
    book: str,
    lang: str,
    allowed_vba: frozenset[str],
    limits: PackageLimits,
) -> list[Issue]:
    """Links to other workbooks, VBA not on the allowed list, ActiveX, embedded objects and
    Excel 4.0 macro sheets, wherever in the package the writer put them."""
    names = archive.namelist()
    links = [n for n in names if _folders(n) & LINK_FOLDERS]
    if links:
        return [make_issue("external-links", lang, detail=", ".join(links[:3]))]
    for name in names:
        if name.lower().endswith("vbaproject.bin"):
            digest = hashlib.sha256(read_part(archive, name)).hexdigest()
            if digest not in allowed_vba:
                return [make_issue("macros-not-allowed", lang, detail=f"{name} {digest[:12]}")]
        elif _folders(name) & ACTIVE_FOLDERS:
            return [make_issue("macros-not-allowed", lang, detail=name)]
    return []


def _check_xml(
    archive: zipfile.ZipFile,
    book: str,
    lang: str,
    allowed_vba: frozenset[str],
    limits: PackageLimits,
) -> list[Issue]:
    """Entity declarations in any XML part, and how far each sheet reaches (the workbook's
    sheets, and any other part with sheet data). Whole parts are read at once: the directory
    check has already bounded every part's size."""
    sheets = _sheet_parts(archive, book)
    for name in archive.namelist():
        if not name.endswith(XML_PARTS):
            continue
        xml = read_part(archive, name)
        for declaration in DECLARATIONS:
            if declaration in xml:
                return [make_issue("xml-entities", lang, detail=f"{name}: {declaration.decode()}")]
        if name in sheets or SHEET_DATA.search(xml):
            issue = _check_extent(xml, sheets.get(name, name), limits, lang)
            if issue:
                return [issue]
    return []


def _check_extent(xml: bytes, sheet: str, limits: PackageLimits, lang: str) -> Issue | None:
    """How far a sheet's cells reach; a reader would allocate that whole grid."""
    xml = xml.translate(TO_SPACE)
    numbered = max(map(int, ROW_NUMBER.findall(xml)), default=0)
    rows = max(numbered, _tags(xml, ROW_TAG, b"<row", limits.max_sheet_rows))
    columns = max((column_number(c.decode()) for c in set(WIDE_COLUMN.findall(xml))), default=0)
    cells = _tags(xml, CELL_TAG, b"<c", limits.max_sheet_cells)
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


def _tags(xml: bytes, tag: re.Pattern, start: bytes, limit: int) -> int:
    """How many `tag`s the XML holds, counted exactly only when it could be over `limit`: the
    count of their first bytes bounds it from above and is many times faster than the pattern."""
    bound = xml.count(start)
    return bound if bound <= limit else len(tag.findall(xml))


def _sheet_parts(archive: zipfile.ZipFile, book: str) -> dict[str, str]:
    """Worksheet part name -> sheet name, from the workbook and its relationships (regex only:
    this runs before the XML scan has cleared the parts for a parser)."""
    try:
        workbook = read_part(archive, book).decode("utf-8", errors="replace")
        rels = read_part(archive, rels_of(book)).decode("utf-8", errors="replace")
    except KeyError:
        return {}
    targets = {}
    for rel in RELATIONSHIP.finditer(rels):
        rid, target = REL_ID.search(rel.group(0)), REL_TARGET.search(rel.group(0))
        if rid and target:
            targets[rid.group(1)] = resolve(book, target.group(1))
    parts = {}
    for sheet in SHEET_TAG.finditer(workbook):
        name, rid = SHEET_NAME.search(sheet.group(0)), SHEET_RID.search(sheet.group(0))
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
