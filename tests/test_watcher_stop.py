"""The watcher stops cleanly: nothing stray on stderr when watchdog's observer stops, and no
traceback from the checking worker when Ctrl-C in a terminal reaches it too; and it starts
clean: what a kill left in the archive is swept."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from terminal import in_terminal

from pmokit.base.settings import load_settings


def pmo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        cwd=cwd, env=environ, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip


def test_the_watcher_stops_without_a_stray_line(forms, blank_forms, tmp_path):
    """watchdog's inotify emitter logged 'InotifyEmitter.queue_events() called when the thread
    is inactive' on stderr at the stop after a file went through."""
    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    (share / "inbox" / "weekly.xlsx").write_bytes(blank_forms["zh"]["weekly"].read_bytes())
    result = pmo("watch", str(share), "--once", "--settle", "0.2", cwd=tmp_path)
    assert result.returncode == 0 and '"outcome": "rejected"' in result.stdout
    assert result.stderr == ""


def test_ctrl_c_stops_the_watcher_without_a_traceback(forms, blank_forms, tmp_path):
    """Ctrl-C in a terminal reaches the checking worker too; it died with KeyboardInterrupt."""
    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    (share / "inbox" / "weekly.xlsx").write_bytes(blank_forms["zh"]["weekly"].read_bytes())
    args = ("watch", str(share), "--settle", "0.2", "--scan-interval", "1")
    code, seen = in_terminal(*args, cwd=tmp_path, keys=b"\x03", when=b'"outcome": "rejected"')
    assert '"outcome": "rejected"' in seen, seen
    assert code == 0 and "Traceback" not in seen and "KeyboardInterrupt" not in seen, seen


def test_a_stale_archive_temp_is_swept_at_start_and_a_fresh_one_kept(forms, blank_forms, tmp_path):
    """A kill inside the archive's atomic write leaves its temporary file; the next start
    removes it once it is too old to be a running `pmo ingest`'s."""
    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    (share / "inbox" / "weekly.xlsx").write_bytes(blank_forms["zh"]["weekly"].read_bytes())
    assert pmo("watch", str(share), "--once", "--settle", "0.2", cwd=tmp_path).returncode == 0
    archive = load_settings(environ={}, cwd=tmp_path).archive_dir()
    stale, fresh = archive / ".tmp-killed", archive / ".tmp-writing"
    stale.write_bytes(b"half"), fresh.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert pmo("watch", str(share), "--once", "--settle", "0.2", cwd=tmp_path).returncode == 0
    assert not stale.exists() and fresh.exists()


def test_a_stale_feedback_temp_is_swept_when_the_next_rejection_is_filed_there(
    forms, blank_forms, tmp_path
):
    """A kill inside a feedback write leaves `.tmp-….xlsx` in the share's rejected folder, where
    PMs look; the next rejection filed in that folder removes it once stale."""
    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    blank = blank_forms["zh"]["weekly"].read_bytes()  # a blank form is rejected
    (share / "inbox" / "a.xlsx").write_bytes(blank)
    assert pmo("watch", str(share), "--once", "--settle", "0.2", cwd=tmp_path).returncode == 0
    (folder,) = (share / "rejected").iterdir()
    stale = folder / ".tmp-killed.xlsx"
    stale.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    (share / "inbox" / "b.xlsx").write_bytes(blank)
    assert pmo("watch", str(share), "--once", "--settle", "0.2", cwd=tmp_path).returncode == 0
    assert (folder / "b.xlsx").exists() and not stale.exists()
