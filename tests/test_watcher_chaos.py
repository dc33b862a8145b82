"""T1 of reliability.md §5: 200 files dropped by concurrent writers (slow three-piece copies and
Excel's save pattern, CJK and spaced names, byte-identical resubmissions, invalid files) while
the real `pmo watch` process is killed with SIGKILL three times and restarted at once.

Nothing may be lost, counted twice or read half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import queue
import random
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import submission
from test_watcher import Service, inbox_names, wait_for

from pmokit.utils.files import TEMP_PREFIX

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals")

FILES, RESUBMITTED, INVALID, KILLS, WRITERS = 200, 10, 12, 3, 4
NAMES = ("周报 第{n}周.xlsx", "Wochenbericht Größe {n}.xlsx", "weekly report {n}.xlsx")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_corpus(forms, blank_forms, folder: Path) -> list[tuple[str, bytes]]:
    """(name, bytes): distinct weekly reports (one per past Friday), some invalid, and some
    byte-identical resubmissions of valid ones under new names."""
    corpus = []
    for n in range(FILES - RESUBMITTED):
        week = dt.datetime(2026, 3, 13) - dt.timedelta(weeks=n)
        fields = {"week_ending": week} | ({"rag": "紫"} if n < INVALID else {})
        made = folder / f"f{n}"
        made.mkdir()
        data = submission(forms, blank_forms, made, "weekly", fields=fields).read_bytes()
        corpus.append((NAMES[n % 3].format(n=n), data))
    for k in range(RESUBMITTED):
        corpus.append((f"重新提交 {k}.xlsx", corpus[INVALID + 7 * k][1]))
    random.Random(7).shuffle(corpus)
    return corpus


def drop(inbox: Path, name: str, data: bytes, rng: random.Random) -> None:
    if rng.random() < 0.6:  # a slow copy in three pieces
        third = len(data) // 3 + 1
        with (inbox / name).open("wb") as out:
            for start in range(0, len(data), third):
                out.write(data[start : start + third])
                out.flush()
                time.sleep(rng.uniform(0, 0.4))
        return
    owner = inbox / f"~${name}"  # Excel: owner file, hex-named temp file, rename, owner gone
    owner.write_bytes(b"\x00owner")
    temp = inbox / f"{rng.getrandbits(32):08X}"
    temp.write_bytes(data)
    time.sleep(rng.uniform(0, 0.2))
    os.replace(temp, inbox / name)
    owner.unlink()


def test_concurrent_drops_with_repeated_kills_lose_and_double_nothing_t1(
    forms, blank_forms, tmp_path
):
    from sqlalchemy import select

    from pmokit.base.settings import load_settings
    from pmokit.forms.load import load_forms
    from pmokit.ledger.store import Ledger

    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    made = tmp_path / "made"
    made.mkdir()
    init = submission(forms, blank_forms, made, "initiation").read_bytes()
    corpus = build_corpus(forms, blank_forms, made)
    (share / "inbox" / "立项.xlsx").write_bytes(init)
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])

    work: queue.Queue = queue.Queue()
    for item in corpus:
        work.put(item)

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        while True:
            try:
                name, data = work.get_nowait()
            except queue.Empty:
                return
            drop(share / "inbox", name, data, rng)

    writers = [threading.Thread(target=writer, args=(s,)) for s in range(WRITERS)]
    for thread in writers:
        thread.start()
    rng = random.Random(11)
    for _ in range(KILLS):
        time.sleep(rng.uniform(2, 6))
        service.proc.send_signal(signal.SIGKILL)
        service.proc.communicate(timeout=30)
        service = Service(tmp_path, share)
    for thread in writers:
        thread.join(timeout=120)
    wait_for(lambda: inbox_names(share) == [], timeout=180)
    service.stop()

    manifest = dict(corpus) | {"立项.xlsx": init}
    filed = [
        p
        for folder in ("accepted", "rejected", "duplicates")
        for p in (share / folder).rglob("*.xlsx")
        # a kill inside a feedback write leaves its temporary file: not a filed file, and swept
        # from that folder by the next rejection filed there once stale
        if ".feedback." not in p.name and not p.name.startswith(TEMP_PREFIX)
    ]
    assert Counter(p.name for p in filed) == Counter(manifest.keys())  # each name exactly once
    assert all(p.read_bytes() == manifest[p.name] for p in filed)  # and whole
    assert len(list((share / "duplicates").iterdir())) == RESUBMITTED
    assert len(list((share / "rejected").rglob("*.feedback.txt"))) == INVALID

    settings = load_settings(environ={}, cwd=tmp_path)
    ledger = Ledger(settings.ledger_url(), load_forms(settings.spec_folder()))
    try:
        s, weekly = ledger.table("submissions"), ledger.table("form_weekly")
        with ledger.read() as db:
            rows = db.execute(select(s.c.sha256, s.c.outcome, s.c.move_pending)).all()
            data_rows = db.execute(select(weekly.c.submission_id)).scalars().all()
    finally:
        ledger.close()
    unique = {sha(data) for data in manifest.values()}
    assert Counter(r.sha256 for r in rows) == Counter(unique)  # each content once, none partial
    assert Counter(r.outcome for r in rows) == {
        "accepted": len(unique) - INVALID,
        "rejected": INVALID,
    }
    assert len(data_rows) == len(set(data_rows)) == len(unique) - INVALID - 1
    assert all(r.move_pending == 0 for r in rows)
    archive = settings.archive_dir()
    kept = [p for p in archive.iterdir() if p.name not in ("index.jsonl", "specs")]
    # a kill inside an archive write may leave its temporary file: not an archived file, and
    # swept at the next start once stale (test_watcher_stop.py)
    files = {p.name for p in kept if not p.name.startswith(TEMP_PREFIX)}
    assert files == unique
    assert all(sha(p.read_bytes()) == p.name for p in archive.iterdir() if p.name in unique)
    assert len((archive / "index.jsonl").read_text(encoding="utf-8").splitlines()) == len(rows)
    shutil.rmtree(made)
