"""A real SMTP server for the mail tests that must kill it: aiosmtpd on loopback in its own
process, writing each message's Message-ID to a file (flushed to disk) before it says 250 —
so what the file holds is what the server accepted, even after a SIGKILL.

    python tests/smtp_sink.py PORT RECEIVED_FILE [DELAY_SECONDS]
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path: str, delay: float) -> None:
        self.path, self.delay = path, delay

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        await asyncio.sleep(self.delay)  # a slow server: a kill lands mid-batch
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(f"{message['Message-ID']}\n")
            out.flush()
            os.fsync(out.fileno())
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    controller = Controller(Sink(path, delay), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
