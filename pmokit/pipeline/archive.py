"""The archive: every submitted file kept by its content hash, and an index that keeps our
arrival order (and the voids among them), so the ledger can be rebuilt by replaying them
(pipeline/rebuild.py).

The archive and index stages of intake(); the index is completed from the ledger after a crash
between the ledger's commit and the index line (reconcile_index).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import select

from pmokit.base.errors import LedgerError, read_bytes
from pmokit.base.settings import Settings
from pmokit.ledger.store import Ledger
from pmokit.utils.files import content_hash, remove_stale_temps, write_bytes_atomically

INDEX = "index.jsonl"


@dataclass(frozen=True)
class Arrival:
    """A file as it arrived: its bytes, its name, and when we received it."""

    data: bytes
    name: str
    received: dt.datetime

    @cached_property
    def sha256(self) -> str:
        """Its content hash, computed once: the archive, the ledger and the index all key on it."""
        return content_hash(self.data)


def arrival_from_path(path: Path) -> Arrival:
    """A file received now; one that cannot be read raises InputError."""
    return Arrival(read_bytes(path), path.name, dt.datetime.now(dt.timezone.utc))


def archive(settings: Settings, arrival: Arrival) -> Path:
    """Keep the bytes under their hash (once: the same bytes are the same file)."""
    folder = settings.archive_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / arrival.sha256
    if not path.exists():
        write_bytes_atomically(path, arrival.data)
    return path


def sweep_archive(settings: Settings) -> int:
    """Remove the temporary files a kill inside archive() left, once stale (the file itself
    is archived again when its arrival is taken again); returns how many."""
    folder = settings.archive_dir()
    return remove_stale_temps(folder) if folder.is_dir() else 0


@dataclass(frozen=True)
class Indexed:
    """One line of the index: an arrival, and the key of the spec it was read with, if any."""

    sha256: str
    name: str
    received_utc: str  # as written
    spec: str | None = None  # pipeline/spec_history.py
    seq: int | None = None  # its place in the ledger's arrival order (absent in older lines)


@dataclass(frozen=True)
class VoidLine:
    """A line of the index saying an arrival was voided (pmo void), replayed by a rebuild."""

    sha256: str
    received_utc: str  # the arrival's, as written
    void_utc: str
    by: str
    reason: str
    after_seq: int | None = None  # the last arrival before it, of any site


def index(
    settings: Settings, arrival: Arrival, spec: str | None = None, seq: int | None = None
) -> None:
    """Append the arrival to the index, flushed to disk before intake returns; `seq` orders it
    among every site's arrivals when a rebuild replays several archives."""
    _append(
        settings,
        {
            "sha256": arrival.sha256,
            "name": arrival.name,
            "received_utc": arrival.received.isoformat(timespec="seconds"),
            **({"spec": spec} if spec else {}),
            **({"seq": seq} if seq is not None else {}),
        },
    )


def index_void(settings: Settings, line: VoidLine) -> None:
    """Append a void to the index, in its place among the arrivals."""
    _append(settings, {"void": asdict(line)})


def _append(settings: Settings, line: dict) -> None:
    with (settings.archive_dir() / INDEX).open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())


def indexed(settings: Settings) -> Iterator[Indexed | VoidLine]:
    """Every indexed arrival and void, in the order they happened."""
    path = settings.archive_dir() / INDEX
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if "void" in entry:
            yield VoidLine(**entry["void"])
        else:
            yield Indexed(
                entry["sha256"],
                entry["name"],
                entry["received_utc"],
                entry.get("spec"),
                entry.get("seq"),
            )


def archived(settings: Settings, digest: str, name: str, received_utc: str) -> Arrival:
    """An arrival as the archive kept it."""
    data = (settings.archive_dir() / digest).read_bytes()
    return Arrival(data, name, dt.datetime.fromisoformat(received_utc))


def reconcile_index(settings: Settings, ledger: Ledger) -> int:
    """Append to the archive index what the ledger recorded at this site but the index missed
    (a crash between the commit and the index line, of an arrival or a void); returns how many
    lines were added. Another site's arrivals are in its own archive."""
    lines = list(indexed(settings))
    listed = {(e.sha256, e.received_utc) for e in lines if isinstance(e, Indexed)}
    voids = {(e.sha256, e.received_utc) for e in lines if isinstance(e, VoidLine)}
    s = ledger.table("submissions")
    columns = (s.c.seq, s.c.sha256, s.c.original_name, s.c.received_utc, s.c.outcome)
    with ledger.read() as db:
        rows = db.execute(
            select(*columns, s.c.void_utc, s.c.void_by, s.c.void_reason, s.c.void_after_seq)
            .where(s.c.site == settings.site)
            .order_by(s.c.seq)
        ).all()
    missing = [r for r in rows if (r.sha256, r.received_utc) not in listed]
    for row in missing:
        try:
            arrival = archived(settings, row.sha256, row.original_name, row.received_utc)
        except OSError:  # recorded as this site's, never kept here
            raise _not_this_sites(settings, row.original_name) from None
        index(settings, arrival, seq=row.seq)
    unsaid = [r for r in rows if r.outcome == "void" and (r.sha256, r.received_utc) not in voids]
    for row in sorted(unsaid, key=lambda r: r.void_utc):
        line = VoidLine(
            row.sha256,
            row.received_utc,
            row.void_utc,
            row.void_by,
            row.void_reason,
            row.void_after_seq,
        )
        index_void(settings, line)
    return len(missing) + len(unsaid)


def _not_this_sites(settings: Settings, name: str) -> LedgerError:
    site = settings.site or "-"
    return LedgerError(
        f"台账记有站点「{site}」收到的 {name}，但本文件夹的归档里没有它：本文件夹的 site 设对了吗？"
        "两个文件夹不能用同一个 site",
        f"the ledger has {name} as received at site {site!r}, but this folder's archive lacks"
        " it: is `site` right here? Two folders cannot share one site name",
    )


def merged_index(
    settings: Settings, sites: tuple[Settings, ...] = (), seqs: dict | None = None
) -> list[tuple[Indexed | VoidLine, Settings]]:
    """This archive's index with the other `sites`' as one, each line with the site it is from,
    in the ledger's arrival order: each line's seq (`seqs`, the ledger's by (sha256, received),
    numbers lines written before seq was kept); a void after the arrival it followed. A void
    said in two sites' indexes (made at one, caught up by the other's reconcile) is one."""
    everyone = (settings, *sites)
    for site in everyone:
        require_index(site)
    if not sites:  # one archive: its own order
        return [(entry, settings) for entry in indexed(settings)]
    _require_distinct(everyone)
    merged, numbers = [], {}
    for site in everyone:
        last = 0
        for entry in indexed(site):
            void, key = isinstance(entry, VoidLine), (entry.sha256, entry.received_utc)
            order = (entry.after_seq or last) if void else (entry.seq or (seqs or {}).get(key))
            if order is None:
                raise _unnumbered(site)
            if not void and numbers.setdefault(order, key) != key:
                raise _same_number(order)
            last = order
            merged.append(((order, void, entry.void_utc if void else ""), entry, site))
    merged.sort(key=lambda line: line[0])
    voided: set[tuple[str, str]] = set()
    ordered = []
    for _, entry, site in merged:
        if isinstance(entry, VoidLine):
            key = (entry.sha256, entry.received_utc)
            if key in voided:
                continue
            voided.add(key)
        ordered.append((entry, site))
    return ordered


def _require_distinct(everyone: tuple[Settings, ...]) -> None:
    """Each site once: no folder given twice, no two folders of one site name."""
    folders = [site.archive_dir().resolve() for site in everyone]
    if len(set(folders)) < len(folders):
        again = next(f for f in folders if folders.count(f) > 1)
        raise LedgerError(f"归档 {again} 给了两次", f"the archive {again} is given twice")
    names = [site.site for site in everyone]
    if len(set(names)) < len(names):
        twice = next(name for name in names if names.count(name) > 1) or "-"
        raise LedgerError(
            f"站点名「{twice}」出现了两次：每个站点的 pmo.toml 需有自己的 site",
            f"the site name {twice!r} comes twice: each site's pmo.toml needs its own `site`",
        )


def _unnumbered(site: Settings) -> LedgerError:
    path = site.archive_dir() / INDEX
    return LedgerError(
        f"{path} 有台账里找不到的旧记录（不带到达序号），无法与其他站点的归档合并重放",
        f"{path} has lines the ledger does not know and without an arrival number: it cannot"
        " be merged with other sites' archives",
    )


def _same_number(seq: int) -> LedgerError:
    return LedgerError(
        f"两个归档都有到达序号 {seq} 的文件：其中一个属于另一本台账吗？台账未改动",
        f"two archives both hold arrival number {seq}: is one of them another ledger's? The"
        " ledger is untouched",
    )


def require_index(settings: Settings) -> None:
    """A rebuild needs the index: without it the archive's order is lost."""
    path = settings.archive_dir() / INDEX
    if not path.exists():
        raise LedgerError(f"找不到归档索引 {path}", f"no archive index at {path}")
