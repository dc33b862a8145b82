"""Run `pmo` as a person does, in a terminal: a pseudo-terminal (pty) for its stdin, stdout and
stderr, so that what it shows only on a terminal (progress, prompts) and what Ctrl-C does there
can be tested."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path


def in_terminal(
    *args: str, cwd: Path, keys: bytes = b"", when: bytes = b"", wait: float = 120.0
) -> tuple[int, str]:
    """`pmo ARGS` with a terminal (a pty) for stdin, stdout and stderr, as a person runs it;
    `keys` are typed once the terminal has shown `when` (or after `wait` seconds: a loaded
    machine starts slowly). Returns the exit code and everything the terminal got."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.chdir(cwd)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
        os.execve(sys.executable, [sys.executable, "-m", "pmokit", *args], env)
    seen, typed, start = b"", not keys, time.monotonic()
    while True:
        if not typed and (when in seen or time.monotonic() - start >= wait):
            os.write(fd, keys)
            typed = True
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child is gone and its terminal closed
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", errors="replace")
