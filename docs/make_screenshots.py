"""The README's pictures, made from the demo: the quarter-end roll-up's summary and KPI pages,
a feedback workbook, page 1 of a closure report, and the briefing as its email shows it —
each printed to PDF by LibreOffice headless (as a PMO would print it), its page made a PNG.

    python -m pip install ".[docs]" && python docs/make_screenshots.py [--demo DIR]

--demo DIR uses a demo already played there (`pmo demo --out DIR`); otherwise one is played
in a temporary folder first (about 30 s). Needs LibreOffice (`soffice` on PATH) and the CJK
fonts (fonts-noto-cjk on Debian). Writes docs/img/*.png.
"""

from __future__ import annotations

import argparse
import email
import shutil
import subprocess
import sys
import tempfile
from email import policy
from pathlib import Path

import pypdfium2
from PIL import Image, ImageChops

IMG = Path(__file__).resolve().parent / "img"
SCALE = 1.6  # 115 dpi: readable Chinese, small files


def play_demo(folder: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "pmokit", "demo", "--out", str(folder)])
    if done.returncode:
        sys.exit("pmo demo failed")
    return folder


def briefing_html(demo: Path, out: Path) -> Path:
    """The quarter's last briefing mail's HTML body (its subject ends with its date), as a file
    LibreOffice can print."""
    briefings = []
    for path in (demo / ".pmo" / "mail").rglob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if "简报" in str(message["Subject"]) and message.get_body(("html",)) is not None:
            briefings.append((str(message["Subject"]), message))
    if not briefings:
        sys.exit("no briefing mail in the demo's outbox")
    html = out / "briefing-mail.html"
    latest = max(briefings, key=lambda pair: pair[0])[1]
    html.write_text(latest.get_body(("html",)).get_content(), encoding="utf-8")
    return html


def to_pdf(files: list[Path], out: Path) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is not installed")
    profile = (out / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    subprocess.run([*command, "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True)  # fmt: skip
    return [out / f"{f.stem}.pdf" for f in files]


def page_with(pdfs: list[Path], text: str) -> tuple[Path, int]:
    """The first page among `pdfs` whose text holds `text`."""
    for pdf in pdfs:
        document = pypdfium2.PdfDocument(pdf)
        for number in range(len(document)):
            if text in document[number].get_textpage().get_text_range():
                return pdf, number
    sys.exit(f"no page says {text}")


def to_png(found: tuple[Path, int], name: str, crop: bool = False) -> Path:
    """The page as a PNG; `crop`: only what is printed on it, with a margin."""
    pdf, page = found
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=SCALE).to_pil().convert("RGB")
    if crop:
        box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
        if box:
            left, top, right, bottom = box
            width, height, margin = image.width, image.height, 24
            image = image.crop(
                (max(0, left - margin), max(0, top - margin),
                 min(width, right + margin), min(height, bottom + margin))
            )  # fmt: skip
    target = IMG / name
    image.save(target, optimize=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, help="a demo folder already played")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = args.demo or play_demo(work / "demo")
        rollup = next((demo / "reports").glob("*季末汇总*.xlsx"))
        feedback = sorted((demo / "share" / "rejected").rglob("*.feedback.xlsx"))
        closure = sorted((demo / "share" / "reports").rglob("*.docx"))[1]
        pdfs = to_pdf([rollup, closure, briefing_html(demo, work), *feedback], work)
        IMG.mkdir(exist_ok=True)
        made = [
            to_png((pdfs[0], 0), "rollup-summary.png"),
            to_png(page_with(pdfs[:1], "KPI 指标"), "rollup-kpi.png"),
            to_png(page_with(pdfs[3:], "约8小时"), "feedback.png", crop=True),  # hours as words
            to_png((pdfs[1], 0), "closure-page1.png"),
            to_png((pdfs[2], 0), "mail-briefing.png"),
        ]
    for path in made:
        print(path)


if __name__ == "__main__":
    main()
