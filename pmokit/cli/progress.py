"""How far a long command has got — `记录 12/500 周报.xlsx` — on one line of stderr, redrawn in
place. Shown only on a terminal: never when stderr is piped or a file, nor with --json. The core
says which file it takes up through a per-file callback; the drawing stays here."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

import click

from pmokit.pipeline.intake import OnFile
from pmokit.utils.columns import cut, display_width


class Progress:
    """The progress line; what else the command prints goes through echo(), which lifts the line
    first and puts it back after, so the two never run into each other."""

    def __init__(self, shown: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = shown and self.stream.isatty()
        self.line = ""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._erase()

    def counter(self, steps: dict[str, str]) -> OnFile:
        """The core's per-file callback, its steps named in the user's language."""

        def on_file(step: str, number: int, total: int, name: str) -> None:
            self.show(f"{steps.get(step, step)} {number}/{total} {name}")

        return on_file

    def show(self, text: str) -> None:
        if not self.live:
            return
        width = shutil.get_terminal_size().columns - 1  # the last column would wrap the line
        line = cut(text, width)
        # Spaces, not an escape sequence, wipe a longer line before: every console knows them.
        rest = " " * max(0, display_width(self.line) - display_width(line))
        self.stream.write(f"\r{line}{rest}\r{line}")
        self.stream.flush()
        self.line = line

    def echo(self, text: str, err: bool = False) -> None:
        """A line for the user, on stdout (or stderr), under the progress line's feet."""
        shown = self.line
        self._erase()
        click.echo(text, err=err)
        if shown:
            self.show(shown)

    def _erase(self) -> None:
        if self.line:
            self.stream.write("\r" + " " * display_width(self.line) + "\r")
            self.stream.flush()
            self.line = ""
