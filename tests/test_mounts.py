"""Telling a network share from a local disk, which decides polling and refuses a SQLite ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmokit.utils.mounts import mount_type

MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw 0 0
//fs01/pmo /mnt/pmo cifs rw,vers=3.0 0 0
nas:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/pmo/local\\040disk ext4 rw 0 0
user@host:/x /home/u/ssh fuse.sshfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/pmo", "cifs"),
        ("/mnt/pmo/inbox", "cifs"),
        ("/mnt/nfs/a/b", "nfs4"),
        ("/home/u/ssh/x", "fuse.sshfs"),
        ("/mnt/pmo/local disk/inbox", None),  # a local disk mounted inside the share
        ("/mnt/pmox", None),  # a prefix of the name is not inside it
        ("/home/u", None),
        ("/", None),
    ],
)
def test_the_mount_holding_a_path_decides(path, expected):
    assert mount_type(Path(path), MOUNTS) == expected
