"""Mail that loses nothing (issue 16): 200 messages in the outbox, a real SMTP server in its own
process killed in the middle of the batch, the sender (`pmo mail flush`, a real process)
killed with SIGKILL twice, both restarted — and every message received, by Message-ID.

Exactly once is what the outbox and the ledger give everywhere but one instant: after the
server's 250 and before the ledger records it. A kill there resends that one message with the
same Message-ID (mail systems fold such a copy); the test counts them and allows one per
kill of the sender, no more.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO
from test_mail import free_port

from pmokit.base.settings import load_settings
from pmokit.ledger.store import Ledger
from pmokit.mail.message import Mail, Section
from pmokit.mail.outbox import Outbox, read_message

MESSAGES = 200


def received(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


class Sink:
    def __init__(self, port: int, path: Path) -> None:
        command = [sys.executable, str(REPO / "tests" / "smtp_sink.py"), str(port), str(path)]
        self.proc = subprocess.Popen([*command, "0.02"], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def flush(home: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    return subprocess.Popen(
        [sys.executable, "-m", "pmokit", "mail", "flush"],
        cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_two_hundred_messages_survive_kills_of_the_server_and_the_sender(forms, tmp_path):
    port, log = free_port(), tmp_path / "received.txt"
    (tmp_path / "pmo.toml").write_text(
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n'
        'sender = "pmo@example.com"\ntimeout = 5\n',
        encoding="utf-8",
    )
    settings = load_settings(environ={}, cwd=tmp_path)
    Ledger(settings.ledger_url(), forms).close()
    outbox = Outbox(settings.mail_dir())
    for n in range(MESSAGES):
        mail = Mail("status", "2026-03-27", f"person{n}@example.com", f"周报 {n}", "周报",
                    (Section("", (f"第 {n} 封",)),), "zh")  # fmt: skip
        assert outbox.queue(mail, settings.mail.sender) is not None
    queued = {str(read_message(p)["Message-ID"]) for p in outbox.waiting()}
    assert len(queued) == MESSAGES

    sink = Sink(port, log)
    sender = flush(tmp_path)
    wait_until(lambda: len(received(log)) >= 30)
    sender.send_signal(signal.SIGKILL)  # the first kill of the sender, mid-batch
    sender.wait()
    sender = flush(tmp_path)
    wait_until(lambda: len(received(log)) >= 70)
    sink.kill()  # the server dies mid-batch: the sender says so and leaves the rest waiting
    out, err = sender.communicate(timeout=60)
    assert sender.returncode == 3 and "Traceback" not in err, err
    assert "等待重试" in out and len(outbox.waiting()) > 0
    sink = Sink(port, log)
    sender = flush(tmp_path)
    wait_until(lambda: len(received(log)) >= 130)
    sender.send_signal(signal.SIGKILL)  # the second kill of the sender
    sender.wait()
    sender = flush(tmp_path)
    out, err = sender.communicate(timeout=120)
    sink.kill()
    assert sender.returncode == 0, err

    got = received(log)
    assert set(got) == queued  # every message arrived
    assert len(got) - len(set(got)) <= 2  # a copy only for a kill between 250 and the record
    assert outbox.waiting() == [] and len(list((settings.mail_dir() / "sent").glob("*.eml"))) == 200
