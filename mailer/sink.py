"""A mail server on this machine for `pmo demo --smtp-sink`: aiosmtpd on loopback, each message
it accepts written into a folder as an .eml file, so that a person can open what was delivered.
aiosmtpd comes with `pip install ".[test]"` or on its own (`pip install aiosmtpd`)."""

from __future__ import annotations

import socket
from pathlib import Path

from pmokit.base.errors import ConfigError


class LocalSink:
    """`with LocalSink(folder) as sink:` a server on 127.0.0.1:sink.port until the block ends."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.received = folder, _free_port(), 0
        self.controller = None

    def __enter__(self) -> LocalSink:
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            raise ConfigError(
                "--smtp-sink 需要 aiosmtpd：pip install aiosmtpd",
                "--smtp-sink needs aiosmtpd: pip install aiosmtpd",
            ) from None
        self.folder.mkdir(parents=True, exist_ok=True)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.controller is not None:
            self.controller.stop()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        (self.folder / f"{self.received:04d}.eml").write_bytes(envelope.original_content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
