"""Build the shipped Word templates, each report in each language, into a folder:

python -m generators.build_report_templates templates/reports
"""

from __future__ import annotations

import sys
from pathlib import Path

from generators.report_briefing_template import briefing_template
from generators.report_closure_template import closure_template
from pmokit.base.labels import LANGS


def build_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, template in (("closure", closure_template), ("briefing", briefing_template)):
        for lang in LANGS:
            path = folder / f"{name}.{lang}.docx"
            template(lang).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for built in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/reports")):
        print(built)
