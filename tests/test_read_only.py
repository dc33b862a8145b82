"""A read-only ledger can be read (issue 14, item 4): pmo status, alerts and rollup open a ledger
they may not write read-only, and change nothing; ingest says in one line that it cannot write.

The ledger's folder is made read-only for real: by its permissions for an ordinary user, and —
since permissions do not bind root (CI runs as root) — by a read-only bind mount in a private
mount namespace (`unshare -m`), where the kernel itself refuses every write (EROFS)."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import submission

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and mounts")


def pmo(home: Path, *args: str, read_only: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    command = [sys.executable, "-m", "pmokit", *args]
    if read_only is not None and os.geteuid() == 0:
        folder = shlex.quote(str(read_only))
        script = (
            f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder}"
            f" && exec {shlex.join(command)}"
        )
        command = ["unshare", "-m", "sh", "-c", script]
    return subprocess.run(command, cwd=home, env=env, capture_output=True, text=True, timeout=120)


def can_make_read_only(folder: Path) -> bool:
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind {folder} {folder}"], capture_output=True
    )
    return shutil.which("unshare") is not None and probe.returncode == 0


def test_a_read_only_ledger_is_read_and_left_as_it_was(forms, blank_forms, tmp_path):
    home = tmp_path / "pmo"
    home.mkdir()
    made = submission(forms, blank_forms, tmp_path, "initiation")
    assert pmo(home, "ingest", str(made)).returncode == 0
    state = home / ".pmo"
    if not can_make_read_only(state):
        pytest.skip("root without the right to mount here: cannot make a folder read-only")
    ledger = state / "ledger.sqlite"
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    os.chmod(ledger, 0o444)
    os.chmod(state, 0o555)
    try:
        status = pmo(home, "status", "--json", read_only=state)
        alerts = pmo(home, "alerts", "--as-of", "2026-04-20", read_only=state)
        rollup = pmo(
            home,
            "rollup",
            "--as-of",
            "2026-04-20",
            "--out",
            str(tmp_path / "r.xlsx"),
            read_only=state,
        )
        ingest = pmo(home, "ingest", str(made), read_only=state)
    finally:
        os.chmod(state, 0o755)
        os.chmod(ledger, 0o644)
    assert status.returncode == 0, status.stderr
    assert '"accepted": 1' in status.stdout
    assert alerts.returncode == 0 and "PRJ-2026-001" in alerts.stdout, alerts.stderr
    assert rollup.returncode == 0 and (tmp_path / "r.xlsx").exists(), rollup.stderr
    assert ingest.returncode == 3
    assert (
        ingest.stderr.strip()
        == f"pmo: 台账 {ledger} 是只读的：导入和监视需要能写入它及其所在文件夹"
    )
    assert hashlib.sha256(ledger.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in state.iterdir()) == ["archive", "ledger.sqlite"]
