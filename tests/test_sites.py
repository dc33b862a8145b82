"""A group PMO's sites recording into one ledger (issue 19): each submission keeps the site it
arrived at, each site's archive indexes its own arrivals, a rebuild replays every site's archive
in the ledger's order, and leases make one watcher per site and one run per schedule."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import replace

import pytest
from conftest import submission
from test_mail import smtp, with_mail  # noqa: F401

from pmokit.actions.mailing import MailService
from pmokit.actions.watching import SiteLease, refuse_while_watching
from pmokit.base.errors import LedgerError, PmoError
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.leases import finish_lease, take_lease, this_holder
from pmokit.pipeline.archive import Arrival, Indexed, indexed, merged_index
from pmokit.pipeline.intake import intake, void
from pmokit.pipeline.rebuild import rebuild_ledger

START = dt.datetime(2026, 3, 16, 9, tzinfo=dt.timezone.utc)
T0 = dt.datetime(2026, 11, 2, 1, tzinfo=dt.timezone.utc)


def site(desk, name: str):
    """Another site's settings: its own folder (archive, mail), the desk's ledger."""
    home = desk.tmp_path / name
    home.mkdir(exist_ok=True)
    return replace(desk.settings, ledger=desk.settings.ledger_url(), home=home, site=name)


def arrive(desk, settings, form: str, days: int, **fields):
    folder = desk.tmp_path / f"{form}-{days}-{settings.site}"
    folder.mkdir()
    path = submission(desk.forms, desk.blank_forms, folder, form, fields=fields or None)
    arrival = Arrival(path.read_bytes(), path.name, START + dt.timedelta(days=days))
    return intake(arrival, settings, desk.ledger, desk.forms)


def two_sites(desk):
    """北京 registers the project; reports come from both sites; one from 北京 is voided at 上海."""
    beijing, shanghai = site(desk, "北京"), site(desk, "上海")
    assert arrive(desk, beijing, "initiation", 0).outcome == "accepted"
    for days, where in ((4, shanghai), (11, beijing), (18, shanghai)):
        friday = (START + dt.timedelta(days=days)).date()
        assert arrive(desk, where, "weekly", days, week_ending=friday).outcome == "accepted"
    void(shanghai, desk.ledger, 3, "填错周次", "李娜")
    return beijing, shanghai


def ledger_rows(desk):
    columns = ("seq", "sha256", "site", "outcome", "void_after_seq", "superseded_by")
    return desk.rows("submissions", *columns)


def test_each_site_keeps_its_own_arrivals_and_a_rebuild_replays_every_site(desk):
    beijing, shanghai = two_sites(desk)
    rows = ledger_rows(desk)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (1, "北京", "accepted"),
        (2, "上海", "accepted"),
        (3, "北京", "void"),
        (4, "上海", "accepted"),
    ]
    assert rows[2][4] == 4  # voided after the fourth arrival
    lines = {name: list(indexed(s)) for name, s in (("北京", beijing), ("上海", shanghai))}
    assert [e.seq for e in lines["北京"] if isinstance(e, Indexed)] == [1, 3]
    assert [e.seq for e in lines["上海"] if isinstance(e, Indexed)] == [2, 4]
    with pytest.raises(LedgerError, match="上海") as lost:  # 上海's archive not given
        rebuild_ledger(beijing, desk.forms)
    assert "--site-folder" in lost.value.zh
    assert ledger_rows(desk) == rows  # untouched
    assert rebuild_ledger(beijing, desk.forms, sites=(shanghai,)) == 4
    assert ledger_rows(desk) == rows
    assert desk.rows("form_weekly", "submission_id") == [(2,), (3,), (4,)]  # void kept


def test_merging_archives_needs_distinct_sites_and_numbered_lines(desk):
    beijing, shanghai = two_sites(desk)
    with pytest.raises(LedgerError, match="comes twice"):
        merged_index(beijing, (replace(shanghai, site="北京"),))
    index = shanghai.archive_dir() / "index.jsonl"
    index.write_text(index.read_text(encoding="utf-8").replace('"seq": 2', '"x": 2'), "utf-8")
    with pytest.raises(LedgerError, match="without an arrival number"):
        merged_index(beijing, (shanghai,))
    assert len(merged_index(shanghai)) == 3  # alone, its own order still serves


def test_a_lease_is_held_until_it_runs_out_its_holder_dies_or_it_is_done(desk):
    ledger, name = desk.ledger, "run:status@2026-11-24T10:00:00+08:00"
    assert take_lease(ledger, name, "elsewhere:7", 600, T0).held_by("elsewhere:7")
    assert take_lease(ledger, name, "here:1", 600, T0 + dt.timedelta(minutes=9)).holder == (
        "elsewhere:7"
    )
    later = T0 + dt.timedelta(minutes=11)  # run out: taken over
    assert take_lease(ledger, name, "here:1", 600, later).held_by("here:1")
    finish_lease(ledger, name, "here:1", later)
    done = take_lease(ledger, name, "elsewhere:7", 600, later + dt.timedelta(days=1))
    assert done.done_utc is not None and not done.held_by("elsewhere:7")  # never run again
    dead = this_holder().rpartition(":")[0] + ":999999999"  # this machine, no such process
    assert take_lease(ledger, "watch:x", dead, 120).held_by(dead)
    assert take_lease(ledger, "watch:x", this_holder(), 120).held_by(this_holder())


def test_one_watcher_per_site_and_no_rebuild_while_any_site_watches(desk):
    stop = threading.Event()
    take_lease(desk.ledger, "watch:上海", "elsewhere:7", 120)  # another machine watches 上海
    with pytest.raises(PmoError, match="one per site") as refused:
        SiteLease(desk.ledger, "上海", stop)
    assert "elsewhere:7" in refused.value.zh
    mine = SiteLease(desk.ledger, "北京", stop)  # another site is free
    assert mine.tick() == [] and not stop.is_set()
    settings = site(desk, "北京")
    with pytest.raises(PmoError, match=r"上海|北京"):
        refuse_while_watching(settings)
    mine.release()
    with pytest.raises(PmoError, match="上海"):
        refuse_while_watching(settings)


def test_a_scheduled_run_is_made_by_one_of_the_sites(desk, smtp):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(desk, controller.port)
    assert desk.submit("initiation").outcome == "accepted"
    services = []
    for n, name in enumerate(("北京", "上海")):
        mail = replace(settings.mail, folder=desk.tmp_path / f"mail-{n}")
        service = MailService(desk.ledger, replace(settings, site=name, mail=mail))
        service.holder = f"machine-{n}:1"  # two machines
        service.tick(dt.datetime(2026, 3, 17, 10, 30, tzinfo=CHINA_TIME))  # first start
        services.append(service)
    tuesday = dt.datetime(2026, 3, 24, 10, 1, tzinfo=CHINA_TIME)
    first, second = (service.tick(tuesday) for service in services)
    made = [e for e in first if e["event"] == "mail" and e["kind"] == "status"]
    assert made[0]["queued"] > 0
    assert [e["by"] for e in second if e["event"] == "mail"] == ["machine-0:1"] * len(
        [e for e in first if e["event"] == "mail"]
    )
    kinds = [m["X-PMO-Kind"] for _, m in inbox.messages]
    assert kinds.count("status") == made[0]["queued"]
    assert services[1].tick(tuesday + dt.timedelta(minutes=5)) == []  # marked as run there


def test_each_share_gets_the_prefilled_forms_of_its_own_projects(desk):
    from pmokit.reports.prefill import projects_owing

    beijing, shanghai = site(desk, "北京"), site(desk, "上海")
    assert arrive(desk, beijing, "initiation", 0).outcome == "accepted"
    other = {"project_code": "PRJ-2026-002"}
    assert arrive(desk, shanghai, "initiation", 1, **other).outcome == "accepted"
    weekly = desk.forms["weekly"]
    assert projects_owing(desk.ledger, weekly, "北京") == ["PRJ-2026-001"]
    assert projects_owing(desk.ledger, weekly, "上海") == ["PRJ-2026-002"]
    assert projects_owing(desk.ledger, weekly) == ["PRJ-2026-001", "PRJ-2026-002"]


def test_another_ledgers_archive_or_an_old_index_is_handled_not_merged_blindly(desk):
    beijing, shanghai = two_sites(desk)
    rows = ledger_rows(desk)
    stranger = site(desk, "广州")  # an archive of another ledger: its numbers clash with ours
    (stranger.archive_dir()).mkdir(parents=True)
    line = (shanghai.archive_dir() / "index.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (stranger.archive_dir() / "index.jsonl").write_text(
        line.replace('"seq": 2', '"seq": 1') + "\n", encoding="utf-8"
    )
    with pytest.raises(LedgerError, match="another ledger"):
        rebuild_ledger(beijing, desk.forms, sites=(shanghai, stranger))
    with pytest.raises(LedgerError, match="given twice"):
        rebuild_ledger(beijing, desk.forms, sites=(shanghai, shanghai))
    # lines written before arrival numbers were kept are numbered from the ledger
    index = beijing.archive_dir() / "index.jsonl"
    old = [json.loads(x) for x in index.read_text(encoding="utf-8").splitlines()]
    for entry in old:
        entry.pop("seq", None)
    index.write_text("".join(json.dumps(e) + "\n" for e in old), encoding="utf-8")
    # and a line 上海's index missed (a kill after the commit) is caught up, not lost
    theirs = shanghai.archive_dir() / "index.jsonl"
    theirs.write_text(theirs.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    assert rebuild_ledger(beijing, desk.forms, sites=(shanghai,)) == 4
    assert ledger_rows(desk) == rows


def test_a_folder_whose_site_recorded_files_it_does_not_keep_is_told_so(desk):
    from pmokit.pipeline.archive import reconcile_index

    beijing, _ = two_sites(desk)
    copy = replace(beijing, home=desk.tmp_path / "copy")  # a copied pmo.toml, the same site
    with pytest.raises(LedgerError, match="is `site` right here"):
        reconcile_index(copy, desk.ledger)


def test_the_site_lease_is_renewed_on_its_own_clock(desk, monkeypatch):
    monkeypatch.setattr(SiteLease, "SECONDS", 0.4)
    stop = threading.Event()
    hold = SiteLease(desk.ledger, "北京", stop)
    time.sleep(1.5)  # no scan, no tick: still held, renewed
    lease = take_lease(desk.ledger, "watch:北京", "elsewhere:7", 0.4)
    assert lease.holder == hold.holder and not stop.is_set()
    hold.release()
    assert take_lease(desk.ledger, "watch:北京", "elsewhere:7", 120).held_by("elsewhere:7")
