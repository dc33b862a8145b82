"""The buttons' interfaces on files (openpyxl): a filled form (`FormFile`, the OpenForm the
Validate and Submit cores take) and the console (`ConsoleFile`, its named cells). What the
buttons do in Excel through pmokit/buttons.py, these do headless on a file on disk — the way
the tests and the benchmark run the cores, with the VBA and the buttons kept.
"""

from __future__ import annotations

import io
from pathlib import Path

from generators.feedback import BookMarks, load_book
from generators.output import writing
from pmokit.utils.files import atomic_write


class FormFile(BookMarks):
    """A form on disk as the cores see one open in Excel; `save()` writes the marks too."""

    def __init__(self, path: Path) -> None:
        super().__init__(load_book(path, keep_vba=True))
        self.path, self.name, self.folder = path, path.name, path.parent

    def current_bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()

    def save(self) -> bytes:
        with writing(self.path):
            atomic_write(self.path, self.book.save)
        return self.path.read_bytes()


class ConsoleFile:
    """The console's named cells on disk; `put` saves at once, as Excel shows it at once."""

    def __init__(self, path: Path) -> None:
        self.path, self.book = path, load_book(path, keep_vba=True)

    def _cell(self, name: str):
        sheet, ref = next(iter(self.book.defined_names[name].destinations))
        return self.book[sheet][ref.replace("$", "")]

    def get(self, name: str) -> str:
        return str(self._cell(name).value or "")

    def put(self, name: str, text: str) -> None:
        cell = self._cell(name)
        cell.value, cell.data_type = text, "s"  # text, even one that starts with =
        with writing(self.path):
            atomic_write(self.path, self.book.save)
