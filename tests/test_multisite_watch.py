"""Issue 19's proof: three `pmo watch` processes, three sites' shares, one PostgreSQL ledger.

300 files are dropped across the shares from several threads — among them the same file on two
sites, and two versions of one weekly report on two sites within the same second — while one
watcher is killed with SIGKILL twice and restarted at once. Every file must be recorded exactly
once with its own arrival number and site, the weekly report's current version must be the one
saved last whichever site took it, the week's status run (its roll-up) must be made once for
the PMO, and a rebuild from the three sites' archives must give the same ledger again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import set_saved_time, submission
from test_mail import EXECUTIVE, PMO, smtp  # noqa: F401
from test_watcher import Service, inbox_names, wait_for
from test_watcher_chaos import drop

from pmokit.base.mail_settings import Schedule
from pmokit.base.workdays import CHINA_TIME, WorkCalendar
from pmokit.mail.schedule import ScheduleLog, due_moments
from pmokit.utils.files import TEMP_PREFIX

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("PMO_TEST_POSTGRES"),
        reason="needs PMO_TEST_POSTGRES (.ci/run starts one)",
    ),
    pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals"),
]
SITES = ("北京", "上海", "深圳")
WEEKLIES, INVALID, KILLS, WRITERS = 295, 9, 2, 6  # + the initiation, the pair, the two versions


def make_site(tmp_path: Path, name: str, url: str, port: int) -> tuple[Path, Path]:
    """A site's PMO folder (its pmo.toml names the site and the shared ledger) and its share;
    its schedule last ran the week before, so this week's status run is due when it starts."""
    home = tmp_path / name
    share = home / "share"
    (share / "inbox").mkdir(parents=True)
    (home / "pmo.toml").write_text(
        f'site = "{name}"\nledger = "{url}"\n'
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n'
        f'sender = "{PMO}"\npmo = ["{PMO}"]\nexecutives = ["{EXECUTIVE}"]\n',
        encoding="utf-8",
    )
    due = due_moments(Schedule(), WorkCalendar(), dt.datetime.now(CHINA_TIME))
    ran = {kind: moment.isoformat() for kind, moment in due.items()}
    ran["status"] = (due["status"] - dt.timedelta(weeks=1)).isoformat()
    ScheduleLog(home / ".pmo" / "mail").write(ran)
    return home, share


def build_drops(forms, blank_forms, made: Path) -> list[tuple[int, str, bytes]]:
    """(site, name, bytes): distinct weekly reports spread over the sites (some invalid), and
    the same file on two sites."""
    drops = []
    for n in range(WEEKLIES):
        week = dt.datetime(2026, 3, 6) - dt.timedelta(weeks=n)
        fields = {"week_ending": week} | ({"rag": "紫"} if n < INVALID else {})
        folder = made / f"w{n}"
        folder.mkdir()
        data = submission(forms, blank_forms, folder, "weekly", fields=fields).read_bytes()
        drops.append((n % 3, f"周报 {n}.xlsx", data))
    folder = made / "twice"
    folder.mkdir()
    week = dt.datetime(2026, 3, 6) - dt.timedelta(weeks=WEEKLIES)
    twice = submission(forms, blank_forms, folder, "weekly", fields={"week_ending": week})
    drops += [(1, "同一文件.xlsx", twice.read_bytes()), (2, "同一文件.xlsx", twice.read_bytes())]
    random.Random(19).shuffle(drops)
    return drops


def two_versions(forms, blank_forms, made: Path) -> dict[str, bytes]:
    """Two saves of one week's report: v2 saved two hours after v1."""
    versions = {}
    for name, rag, saved in (
        ("v1", "绿", "2026-03-13T01:00:00Z"),
        ("v2", "黄", "2026-03-13T03:00:00Z"),
    ):
        folder = made / name
        folder.mkdir()
        fields = {"week_ending": dt.datetime(2026, 3, 13), "rag": rag}
        path = submission(forms, blank_forms, folder, "weekly", fields=fields)
        versions[name] = set_saved_time(path, saved).read_bytes()
    return versions


def filed_names(share: Path) -> list[str]:
    return [
        p.name
        for folder in ("accepted", "rejected", "duplicates")
        for p in (share / folder).rglob("*.xlsx")
        if ".feedback." not in p.name and not p.name.startswith(TEMP_PREFIX)
    ]


def ledger_rows(url: str, forms) -> list[tuple]:
    from sqlalchemy import select

    from pmokit.ledger.store import Ledger

    with Ledger(url, forms) as ledger:
        s = ledger.table("submissions")
        columns = (s.c.seq, s.c.sha256, s.c.original_name, s.c.site, s.c.outcome)
        with ledger.read() as db:
            rows = db.execute(
                select(*columns, s.c.superseded_by, s.c.move_pending).order_by(s.c.seq)
            )
            return [tuple(r) for r in rows]


def test_three_watchers_record_every_file_once_through_kills(forms, blank_forms, tmp_path, smtp):  # noqa: F811
    from pmokit.ledger.store import Ledger

    controller, inbox = smtp
    url = os.environ["PMO_TEST_POSTGRES"]
    Ledger(url, forms, rebuild=True).close()  # a shared database, emptied
    sites = [make_site(tmp_path, name, url, controller.port) for name in SITES]
    made = tmp_path / "made"
    made.mkdir()
    init = submission(forms, blank_forms, made, "initiation").read_bytes()
    drops, versions = build_drops(forms, blank_forms, made), two_versions(forms, blank_forms, made)
    (made / "立项.xlsx").write_bytes(init)  # the project is in 实施 when the watchers start
    pmo("ingest", "--received", "2026-03-16T09:00", str(made / "立项.xlsx"), cwd=sites[0][0])
    services = [Service(home, share) for home, share in sites]
    try:
        events = drop_and_kill(sites, services, drops, versions)
        wait_for(lambda: _status_mails(inbox) != [], timeout=60)
        for service in services:
            events += service.stop()
    finally:
        for service in services:
            if service.proc.poll() is None:
                service.proc.kill()

    # every file filed exactly once on the share it was dropped on, whole
    expected = [Counter() for _ in SITES]
    for site, name, _ in drops:
        expected[site][name] += 1
    expected[0]["周报 3月13日.xlsx"] += 1
    expected[1]["周报 3月13日.xlsx"] += 1
    assert [Counter(filed_names(share)) for _, share in sites] == expected

    # recorded exactly once, each with its own arrival number and the site it arrived at
    rows = ledger_rows(url, forms)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 1 + WEEKLIES + 1 + 2  # the same file twice: recorded once
    assert all(r[6] == 0 for r in rows)  # nothing left half-filed
    sha = lambda data: hashlib.sha256(data).hexdigest()  # noqa: E731
    twice = [r for r in rows if r[2] == "同一文件.xlsx"]
    assert len(twice) == 1 and twice[0][3] in ("上海", "深圳") and twice[0][4] == "accepted"
    assert Counter(r[3] for r in rows if r[2].startswith("周报 ") and "3月13日" not in r[2]) == {
        SITES[k]: sum(1 for s, n, _ in drops if s == k and n != "同一文件.xlsx") for k in range(3)
    }
    others = [r for r in rows if r[2] != "周报 3月13日.xlsx"]
    assert Counter(r[4] for r in others) == {"accepted": len(others) - INVALID, "rejected": INVALID}
    # the version saved last is current, whichever site took it first
    v1 = next(r for r in rows if r[1] == sha(versions["v1"]))
    v2 = next(r for r in rows if r[1] == sha(versions["v2"]))
    assert (v1[3], v2[3]) == ("上海", "北京") and v2[5] is None
    assert v1[4] == "rejected" or v1[5] is not None

    # the status run — its roll-up — made once for the three sites
    runs = [e for e in events if e.get("event") == "mail" and e.get("kind") == "status"]
    assert len([e for e in runs if "queued" in e]) == 1 and len([e for e in runs if "by" in e]) >= 2
    [made_run] = [e for e in runs if "queued" in e]
    status = _status_mails(inbox)
    assert len(status) == made_run["queued"] == len(set(status)) > 0

    # a rebuild from the three archives gives the same ledger again
    before = ledger_rows(url, forms)
    home = sites[0][0]
    others = [arg for h, _ in sites[1:] for arg in ("--site-folder", str(h))]
    pmo("ledger", "rebuild", "--yes", *others, cwd=home)
    assert ledger_rows(url, forms) == before


def drop_and_kill(sites, services: list[Service], drops, versions) -> list[dict]:
    """Every file dropped from several threads while the 上海 watcher is killed twice (and
    started again at once); returns once every inbox is empty, with the killed ones' log."""
    work: queue.Queue = queue.Queue()
    for item in drops:
        work.put(item)

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        while (item := _take(work)) is not None:
            site, name, data = item
            drop(sites[site][1] / "inbox", name, data, rng)

    gate = threading.Barrier(2)

    def version(site: int, name: str) -> None:  # within the same second, on two sites
        gate.wait()
        (sites[site][1] / "inbox" / "周报 3月13日.xlsx").write_bytes(versions[name])

    threads = [threading.Thread(target=writer, args=(s,)) for s in range(WRITERS)]
    threads += [threading.Thread(target=version, args=a) for a in ((0, "v2"), (1, "v1"))]
    for thread in threads:
        thread.start()
    events: list[dict] = []
    rng = random.Random(3)
    for _ in range(KILLS):
        time.sleep(rng.uniform(3, 8))
        services[1].proc.send_signal(signal.SIGKILL)
        events += map(_parsed, services[1].proc.communicate(timeout=30)[0].splitlines())
        services[1] = Service(*sites[1])
    for thread in threads:
        thread.join(timeout=180)
    for _, share in sites:
        wait_for(lambda share=share: inbox_names(share) == [], timeout=300)
    return events


def pmo(*args: str, cwd: Path) -> None:
    """`pmo ARGS` in `cwd`, as a person there runs it (their pmo.toml, no PMO_* variables)."""
    done = subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if not k.startswith("PMO_")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


def _take(work: queue.Queue):
    try:
        return work.get_nowait()
    except queue.Empty:
        return None


def _parsed(line: str) -> dict:
    try:
        found = json.loads(line)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _status_mails(inbox) -> list[str]:
    return [m["Message-ID"] for _, m in inbox.messages if m["X-PMO-Kind"] == "status"]
