"""Hostile and broken files, each made here from a valid generated form or from plain bytes."""

from __future__ import annotations

import io
import zipfile

MB = 2**20


def rebuild(
    valid: bytes, change: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a valid .xlsx package with some parts replaced, removed or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = (change or {}).get(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def sheet_part(valid: bytes, index: int = 2) -> tuple[str, bytes]:
    name = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        return name, archive.read(name)


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """Put a DOCTYPE where XML allows it: after the declaration, before the root element."""
    if xml.startswith(b"<?xml"):
        head, rest = xml.split(b"?>", 1)
        return head + b"?>" + doctype + rest
    return doctype + xml


def billion_laughs(valid: bytes) -> bytes:
    name, xml = sheet_part(valid)
    lol = (
        b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10 if i > 1 else b"&lol;" * 10)
            for i in range(1, 10)
        )
        + b"]>"
    )
    return rebuild(
        valid, {name: _with_doctype(xml, lol).replace(b"<sheetData>", b"<sheetData>&lol9;", 1)}
    )


def xxe(valid: bytes) -> bytes:
    name = "xl/workbook.xml"
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        xml = archive.read(name)
    entity = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rebuild(valid, {name: _with_doctype(xml, entity)})


def far_cell(valid: bytes) -> bytes:
    """One cell at XFD1048576: a reader would allocate the whole 17-billion-cell grid."""
    name, xml = sheet_part(valid)
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    return rebuild(valid, {name: xml.replace(b"</sheetData>", far, 1)})


def far_cell_tabs(valid: bytes) -> bytes:
    """The same, with tabs between tag and attribute, which XML allows and Excel never writes."""
    name, xml = sheet_part(valid)
    far = b'<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row></sheetData>'
    return rebuild(valid, {name: xml.replace(b"</sheetData>", far, 1)})


def many_rows(valid: bytes, rows: int = 6000) -> bytes:
    name, xml = sheet_part(valid)
    filler = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(200, 200 + rows)
    )
    return rebuild(valid, {name: xml.replace(b"</sheetData>", filler + b"</sheetData>", 1)})


def external_link(valid: bytes) -> bytes:
    return rebuild(valid, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})


def with_vba(valid: bytes, project: bytes = b"\xd0\xcf\x11\xe0 not our vba") -> bytes:
    return rebuild(valid, add={"xl/vbaProject.bin": project})


def zip_slip(valid: bytes) -> bytes:
    return rebuild(valid, add={"../../evil.xml": b"<x/>"})


def too_many_parts(valid: bytes, parts: int = 1100) -> bytes:
    return rebuild(valid, add={f"xl/media/p{i}.xml": b"<x/>" for i in range(parts)})


def ratio_bomb(valid: bytes) -> bytes:
    """A 30 MiB sheet of spaces, deflated to a few KiB."""
    name, _ = sheet_part(valid)
    return rebuild(valid, {name: b" " * (30 * MB)})


def gigabyte_bomb(path) -> None:
    """A ~1 MiB .xlsx whose sheet inflates to 1 GiB, written in chunks (never 1 GiB in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * MB
            for _ in range(1024):
                part.write(chunk)


def ods(valid: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


def legacy_xls() -> bytes:
    """The OLE2 header of an .xls (what LibreOffice or Excel 2003 write) and some sectors."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") * 8


# Files from elsewhere: damaged packages, other formats, and a workbook laid out differently.


def _local_data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where a part's data begins: after its local header (whose extra field may differ in
    length from the directory's)."""
    at = info.header_offset
    name_length = int.from_bytes(data[at + 26 : at + 28], "little")
    extra_length = int.from_bytes(data[at + 28 : at + 30], "little")
    return at + 30 + name_length + extra_length


def bad_crc(valid: bytes, part: str = "xl/worksheets/sheet2.xml") -> bytes:
    """`part` stored uncompressed with one byte changed: the zip directory is intact and the
    part fails its checksum (what a bad disk sector or a faulty copy leaves)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            kind = zipfile.ZIP_STORED if info.filename == part else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, source.read(info.filename), compress_type=kind)
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(part)
    data[_local_data_start(bytes(data), info) + info.file_size // 2] ^= 0x01
    return bytes(data)


def broken_directory(valid: bytes) -> bytes:
    """The end-of-directory record is there, but the directory it points at is not."""
    at = valid.rindex(b"PK\x05\x06")
    start = int.from_bytes(valid[at + 16 : at + 20], "little")
    return valid[:start] + b"PK\x01\x09" + valid[start + 4 :]


def lock_file(user: str = "张三") -> bytes:
    """Excel's owner file for a workbook `user` has open (~$周报.xlsx), 165 bytes."""
    ansi = user.encode("gbk")
    wide = user.encode("utf-16-le")
    return (
        bytes([len(ansi)])
        + ansi.ljust(54, b" ")
        + bytes([len(user), 0])
        + (wide + b" \x00" * 54)[:108]
    )


def biff(record_type: bytes, version: bytes = b"\x00\x00") -> bytes:
    """A bare BIFF stream (an .xls from before Excel 97 wrapped it in OLE2): its BOF record."""
    size = {b"\x09\x00": 4, b"\x09\x08": 8}.get(record_type, 6)
    bof = record_type + size.to_bytes(2, "little") + (version + b"\x10\x00" + b"\x00" * 12)[:size]
    return bof + b"\x42\x00\x02\x00\xe4\x04" + b"\x00" * 200


def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="%s"/></Relationships>'
)


def xlsb() -> bytes:
    """An Excel Binary Workbook: the same package, its parts binary records."""
    return _package(
        {
            "[Content_Types].xml": b'<Types><Default Extension="bin" ContentType="application/'
            b'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>',
            "_rels/.rels": RELS % b"xl/workbook.bin",
            "xl/workbook.bin": b"\x83\x01\x00\x80\x01\x00",
            "xl/_rels/workbook.bin.rels": b"<Relationships/>",
            "xl/worksheets/sheet1.bin": b"\x81\x01\x00\x82\x01\x00",
        }
    )


def word_document() -> bytes:
    return _package(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": RELS % b"word/document.xml",
            "word/document.xml": b"<w:document/>",
        }
    )


def moved_parts(valid: bytes, folder: str = "wtf") -> bytes:
    """The same workbook with its xl/ parts under `folder`/, found through _rels/.rels and
    [Content_Types].xml as the package format allows (SheetJS's test suite has one)."""
    new = folder.encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                data = data.replace(b'"/xl/', b'"/' + new + b"/")
                data = data.replace(b'Target="xl/', b'Target="' + new + b"/")
            name = info.filename
            if name.startswith("xl/"):
                name = f"{folder}/{name[3:]}"
            target.writestr(name, data)
    return out.getvalue()


def without_sheet_link(valid: bytes) -> bytes:
    """A workbook whose first sheet has no r:id: it points at no part."""
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        xml = archive.read("xl/workbook.xml")
    start = xml.index(b"<sheet ")
    end = xml.index(b"/>", start)
    tag = xml[start:end]
    cut = tag.index(b' r:id="')
    unlinked = tag[:cut] + tag[tag.index(b'"', cut + 7) + 1 :]
    return rebuild(valid, {"xl/workbook.xml": xml[:start] + unlinked + xml[end:]})
