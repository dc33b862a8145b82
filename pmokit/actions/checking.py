"""Check files and write their feedback: what `pmo validate`, the demo and the Validate button
do with a workbook a person filled — validate it against its form and, when it is not valid,
leave an annotated copy and a text summary beside it (or in a folder of the caller's choice)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators.feedback import write_feedback
from pmokit.base.errors import InputError, PmoError, os_reason, read_bytes
from pmokit.base.issues import Report
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.pipeline.share import WriteFeedback, submitted_files
from pmokit.validation.validate import Checked, check_workbook


@dataclass(frozen=True)
class FileCheck:
    """One file's validation and the feedback files written for it."""

    checked: Checked
    feedback: tuple[Path, ...] = ()

    @property
    def report(self) -> Report:
        return self.checked.report


def files_given(paths: list[Path] | tuple[Path, ...], nothing: Label) -> list[Path]:
    """The files given, and the workbooks in folders given, as `pmo validate` and `pmo ingest`
    take them. A path that is not there is said before anything is opened or created, and so is
    nothing to do at all (`nothing`, its {paths} filled), rather than a success at nothing."""
    for path in paths:
        try:
            path.stat()
        except OSError as exc:
            raise InputError(path, os_reason(exc)) from None
    found = submitted_files(paths)
    if not found:
        said = nothing.format(paths=", ".join(str(p) for p in paths))
        raise PmoError(said.zh, said.en)
    return found


def files_to_check(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    return files_given(paths, NOTHING_TO_CHECK)


NOTHING_TO_CHECK = Label(
    "{paths} 中没有可检查的工作簿（.xlsx、.xlsm）",
    "no workbooks (.xlsx, .xlsm) to check in {paths}",
)


def feedback_writer(settings: Settings) -> WriteFeedback:
    """The feedback writer in the settings' language, as intake's filing stage takes it."""

    def write(data: bytes, report: Report, folder: Path, stem: str) -> list[Path]:
        return write_feedback(data, report, folder, stem, settings.lang)

    return write


def check_file(
    path: Path,
    forms: dict[str, FormSpec],
    settings: Settings,
    feedback_dir: Path | None = None,
    feedback: bool = True,
) -> FileCheck:
    """Validate `path`; an invalid file gets its feedback in `feedback_dir` (default: beside it)
    unless `feedback` is off. A file that cannot be read raises InputError."""
    data = read_bytes(path)
    checked = check_workbook(data, forms, settings, name=path.name)
    if checked.report.valid or not feedback:
        return FileCheck(checked)
    folder = feedback_dir or path.parent
    written = feedback_writer(settings)(data, checked.report, folder, path.stem)
    return FileCheck(checked, tuple(written))
