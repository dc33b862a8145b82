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
