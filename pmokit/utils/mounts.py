"""Whether a path lies on a network file system (SMB/CIFS, NFS, …): the watcher polls there, since
file events do not cross the network, and a SQLite ledger is refused there (locks fail over SMB).

Linux reads /proc/self/mounts; Windows asks for UNC paths and remote drive letters.
"""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath

MOUNTS_FILE = Path("/proc/self/mounts")
NETWORK_TYPES = frozenset(
    {
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW


def network_filesystem(path: Path) -> str | None:
    """The network file system type under `path` ('cifs', 'nfs4', 'unc', 'remote drive'), or
    None for a local disk or when it cannot be told."""
    text = str(path)
    if text.startswith(("\\\\", "//")) and os.name == "nt":
        return "unc"
    if os.name == "nt":
        return _windows_drive(text)
    try:
        mounts = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return mount_type(Path(os.path.realpath(path)), mounts)


def mount_type(path: Path, mounts: str) -> str | None:
    """The type of the mount holding `path`, from /proc/mounts text, if it is a network one."""
    best, best_type = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = str(path) == point or str(path).startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    return best_type if best_type in NETWORK_TYPES else None


def _windows_drive(text: str) -> str | None:
    import ctypes

    drive = PureWindowsPath(os.path.abspath(text)).drive
    if not drive:
        return None
    if drive.startswith("\\\\"):
        return "unc"
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
    return "remote drive" if kind == DRIVE_REMOTE else None
