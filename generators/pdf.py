"""PDF copies of written documents, by LibreOffice headless (`soffice --convert-to pdf`): the
PDF a PMO director signs or mails is what LibreOffice prints of the .docx we wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pmokit.base.errors import OutputError, PmoError
from pmokit.base.labels import Label

WINDOWS_SOFFICE = Path(r"C:\Program Files\LibreOffice\program\soffice.exe")


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    return str(WINDOWS_SOFFICE) if WINDOWS_SOFFICE.exists() else None


def to_pdf(document: Path, timeout: float = 120) -> Path:
    """`document` converted to a PDF beside it (same name, .pdf)."""
    soffice = find_soffice()
    if soffice is None:
        raise PmoError(
            f"已写出 {document}；生成 PDF 需要 LibreOffice（soffice），本机未安装",
            f"{document} is written; its PDF needs LibreOffice (soffice), not installed here",
        )
    with tempfile.TemporaryDirectory(prefix="pmo-soffice-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{Path(profile).as_posix()}",  # a private profile
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(document.parent),
            str(document),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "HOME": profile},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OutputError(document.with_suffix(".pdf"), str(exc)) from None
    pdf = document.with_suffix(".pdf")
    if not pdf.exists():
        raise OutputError(pdf, Label("LibreOffice 没有写出它", "LibreOffice did not write it"))
    return pdf
