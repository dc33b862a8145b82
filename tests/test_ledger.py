"""The ledger: one transaction per submission, duplicates by hash, supersession, the project
register and its lifecycle (R8, R15, R16, R17, R25), baselines, and a rebuild that reproduces
the same state. A real SQLite file in a temporary folder."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DAY, cell_of
from sqlalchemy import MetaData, select

from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import SCHEMA_VERSION
from pmokit.pipeline.intake import Arrival, intake
from pmokit.pipeline.rebuild import rebuild_ledger


def codes(recorded):
    return [(i.code, i.cell) for i in recorded.report.errors]


def test_approved_initiation_registers_the_project_in_implementation(desk):
    recorded = desk.submit("initiation")
    assert recorded.outcome == "accepted" and recorded.moves == ((None, "启动"), ("启动", "实施"))
    assert desk.rows("projects", "code", "state", "project_manager") == [
        ("PRJ-2026-001", "实施", "张伟")
    ]
    assert desk.rows("transitions", "from_state", "to_state", "form") == [
        (None, "启动", "initiation"),
        ("启动", "实施", "initiation"),
    ]
    assert desk.rows("baselines", "kind", "version") == [
        ("budget", 1),
        ("procurement", 1),
        ("schedule", 1),
    ]
    assert len(desk.rows("form_initiation__procurement", "submission_id", "row_number")) == 2


def test_unapproved_initiation_waits_in_start_then_the_approved_one_supersedes(desk):
    first = desk.submit("initiation", fields={"approval_result": "退回"})
    assert first.outcome == "accepted" and first.moves == ((None, "启动"),)
    assert desk.state() == "启动" and desk.rows("baselines", "kind") == []
    second = desk.submit("initiation", days=1)
    assert second.moves == (("启动", "实施"),) and second.superseded == (first.submission_id,)
    history = desk.rows("submissions", "id", "superseded_by")
    assert history == [(first.submission_id, second.submission_id), (second.submission_id, None)]


def test_refused_bytes_are_checked_again_when_they_come_back(desk):
    first = desk.submit("weekly")
    assert first.outcome == "rejected"
    desk.submit("initiation")
    path = desk.tmp_path / "s1" / "weekly.xlsx"
    again = intake(
        Arrival(path.read_bytes(), path.name, DAY), desk.settings, desk.ledger, desk.forms
    )
    assert again.outcome == "accepted" and again.submission_id != first.submission_id


def test_the_same_file_twice_is_recorded_once(desk):
    first = desk.submit("initiation")
    path = desk.tmp_path / "s1" / "initiation.xlsx"
    again = intake(
        Arrival(path.read_bytes(), "copy.xlsx", DAY), desk.settings, desk.ledger, desk.forms
    )
    assert again.outcome == "duplicate" and again.submission_id == first.submission_id
    assert len(desk.rows("submissions", "id")) == 1


def test_weekly_report_for_an_unknown_project_is_refused(desk, forms):
    recorded = desk.submit("weekly")
    assert recorded.outcome == "rejected"
    assert codes(recorded) == [("project-unknown", cell_of(forms, "weekly", "project_code"))]
    assert desk.rows("submissions", "outcome") == [("rejected",)]


def test_a_newer_weekly_report_for_the_same_week_supersedes(desk):
    desk.submit("initiation")
    first = desk.submit("weekly", days=4)
    second = desk.submit("weekly", days=5, fields={"rag": "黄"})
    assert second.superseded == (first.submission_id,)
    other_week = desk.submit("weekly", days=6, fields={"week_ending": dt.datetime(2026, 3, 20)})
    assert other_week.superseded == ()


def test_suspension_stops_reports_and_spend_until_resumed_r8_r15(desk, forms):
    desk.submit("initiation")
    # effective at once (the example's 2026-05-11 would leave March's weeks in 实施: see
    # test_regulations for reports of weeks before a suspension takes effect)
    now = dt.datetime(2026, 3, 16)
    suspend = desk.submit("change", fields={"change_type": "暂停", "effective_date": now})
    assert suspend.moves == (("实施", "暂停"),)
    weekly = desk.submit("weekly", days=4, fields={"week_ending": dt.datetime(2026, 3, 20)})
    assert codes(weekly) == [("project-not-active", cell_of(forms, "weekly", "project_code"))]
    assert "“暂停”" in weekly.report.errors[0].message
    assert codes(desk.submit("budget", days=10))[0][0] == "project-not-active"
    resume = desk.submit(
        "change",
        days=20,
        fields={
            "change_type": "恢复",
            "change_no": "PRJ-2026-001-C02",
            "effective_date": dt.datetime(2026, 4, 1),
        },
    )
    assert resume.moves == (("暂停", "实施"),)
    week = dt.datetime(2026, 4, 3)
    assert desk.submit("weekly", days=21, fields={"week_ending": week}).outcome == "accepted"


def test_illegal_moves_are_refused_with_the_reason_r25(desk):
    desk.submit("initiation")
    resume = desk.submit("change", fields={"change_type": "恢复"})
    assert [c for c, _ in codes(resume)] == ["lifecycle-illegal"]
    assert "不能使其转为“实施”" in resume.report.errors[0].message
    cancel = desk.submit(
        "change",
        fields={
            "change_type": "撤项",
            "change_no": "PRJ-2026-001-C03",
            "finance_asset_review": False,
        },
    )
    assert [c for c, _ in codes(cancel)] == ["cancellation-incomplete"]
    assert desk.state() == "实施"


def test_closure_needs_customer_confirmed_acceptance_then_closes_r16_r17(desk):
    desk.submit("initiation")
    unconfirmed = desk.submit("closure", fields={"customer_confirmed": False})
    assert [c for c, _ in codes(unconfirmed)] == ["closure-without-acceptance"]
    pending = desk.submit("closure", days=1, fields={"approval_result": "退回"})
    assert pending.moves == (("实施", "结项中"),)
    closed = desk.submit(
        "closure",
        days=2,
        fields={
            "acceptance_report": "终验报告 v2.pdf",
            "approval_date": dt.datetime(2026, 3, 18),
        },
    )
    assert closed.moves == (("结项中", "结项"),)
    after = {"week_ending": dt.datetime(2026, 3, 20)}  # a week after the closure took effect
    assert [c for c, _ in codes(desk.submit("weekly", days=3, fields=after))] == [
        "project-not-active"
    ]
    again = desk.submit("closure", days=3, fields={"acceptance_report": "初验报告 v3.pdf"})
    assert [c for c, _ in codes(again)] == ["lifecycle-illegal"]  # only a 终验 follows 结项
    assert [
        c for c, _ in codes(desk.submit("initiation", days=4, fields={"project_name": "再立项"}))
    ] == ["lifecycle-illegal"]


def test_approved_pm_change_updates_the_register_and_budget_change_bumps_the_baseline(desk):
    desk.submit("initiation")
    desk.submit("change", fields={"change_type": "项目经理"})
    assert desk.rows("projects", "project_manager", "pm_email") == [
        ("刘洋", "liu.yang@example.com")
    ]
    desk.submit("change", fields={"change_type": "费用预算", "change_no": "PRJ-2026-001-C02"})
    assert ("budget", 2) in desk.rows("baselines", "kind", "version")
    refused = desk.submit(
        "change",
        fields={
            "change_type": "费用预算",
            "approval_result": "不通过",
            "change_no": "PRJ-2026-001-C03",
        },
    )
    assert refused.outcome == "accepted" and ("budget", 3) not in desk.rows(
        "baselines", "kind", "version"
    )


def _dump(ledger):
    dump = {}
    with ledger.read() as db:
        existing = MetaData()
        existing.reflect(db)
        for name, table in sorted(existing.tables.items()):
            dump[name] = sorted(map(repr, db.execute(select(table)).all()))
    return dump


def test_rebuild_replays_the_archive_to_the_same_state(desk):
    desk.submit("initiation")
    desk.submit("weekly", days=4)
    desk.submit("weekly", days=5, fields={"rag": "红"})
    desk.submit("change", days=6, fields={"change_type": "暂停"})
    desk.submit("weekly", days=11, fields={"week_ending": dt.datetime(2026, 3, 27)})
    desk.submit("budget", days=12, fields={"next_month_total": 1})
    before = _dump(desk.ledger)
    assert len(before["submissions"]) == 6
    desk.ledger.close()
    assert rebuild_ledger(desk.settings, desk.forms) == 6
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
    assert _dump(desk.ledger) == before


def _budget(desk, month, actual, forecast, days):
    """A monthly budget whose 实施 line has these figures (the other line stays small)."""
    rows = {
        ("lines", 0, "this_month_actual"): actual,
        ("lines", 0, "next_month_budget"): forecast,
        ("lines", 1, "this_month_actual"): 100,
        ("lines", 1, "next_month_budget"): 100,
    }
    fields = {
        "budget_month": month,
        "this_month_total": actual + 100,
        "next_month_total": forecast + 100,
    }
    return desk.submit("budget", days=days, rows=rows, fields=fields)


def test_spend_over_the_baseline_is_flagged_until_a_budget_change_r10(desk, forms):
    desk.submit("initiation")  # baseline: 实施 150,000
    first = _budget(desk, dt.datetime(2026, 4, 1), 20000, 20000, days=10)
    assert first.outcome == "accepted" and first.report.issues == ()
    second = _budget(desk, dt.datetime(2026, 5, 1), 100000, 40000, days=40)
    assert second.outcome == "accepted"  # recorded, but flagged for finance
    assert [(i.code, i.severity, i.cell) for i in second.report.issues] == [
        ("over-budget", "warning", "B4")
    ]
    assert "财务不予报销" in second.report.issues[0].message
    assert "已支出 120,000.00，加下月预算 40,000.00，超出基线预算 150,000.00" in (
        second.report.issues[0].message
    )
    desk.submit("change", days=41, rows={("budget_changes", 0, "budget_after"): 300000})
    third = _budget(desk, dt.datetime(2026, 6, 1), 100000, 40000, days=70)
    assert third.report.issues == ()


def test_milestone_forecast_past_plan_needs_a_schedule_change_r12(desk):
    desk.submit("initiation")  # 系统上线 planned 2026-06-30
    on_time = desk.submit("weekly", days=4)
    assert on_time.report.issues == ()
    late_date = dt.datetime(2026, 7, 15)
    late = desk.submit(
        "weekly",
        days=11,
        fields={"week_ending": dt.datetime(2026, 3, 20)},
        rows={("milestone_forecasts", 0, "forecast_date"): late_date},
    )
    assert [(i.code, i.sheet, i.cell) for i in late.report.issues] == [
        ("milestone-late", "里程碑预测", "B4")
    ]
    desk.submit("change", days=12, fields={"change_type": "进度计划"})  # 系统上线 -> 2026-07-31
    again = desk.submit(
        "weekly",
        days=18,
        fields={"week_ending": dt.datetime(2026, 3, 27)},
        rows={("milestone_forecasts", 0, "forecast_date"): late_date},
    )
    assert again.report.issues == ()


def test_purchases_off_the_procurement_list_need_a_change_r11(desk):
    desk.submit("initiation")  # the list: 工业平板电脑 / 研华 PPC-3150 i5/8G/256G (and a second)
    on_plan = desk.submit("budget", days=10)
    assert on_plan.outcome == "accepted" and on_plan.report.issues == ()
    i7 = "研华 PPC-3150 i7/16G/512G"
    off = desk.submit(
        "budget",
        days=40,
        fields={"budget_month": dt.datetime(2026, 5, 1)},
        rows={("purchases", 0, "model"): i7},
    )
    assert [(i.code, i.sheet, i.cell) for i in off.report.issues] == [
        ("purchase-not-in-plan", "本月采购", "A4")
    ]
    desk.submit("change", days=41, fields={"change_type": "采购计划"})  # both i5 -> i7 approved
    now_planned = desk.submit(
        "budget",
        days=70,
        fields={"budget_month": dt.datetime(2026, 6, 1)},
        rows={("purchases", 0, "model"): i7, ("purchases", 1, "model"): f"{i7} 2"},
    )
    assert r11(now_planned) == []
    old_model = desk.submit("budget", days=100, fields={"budget_month": dt.datetime(2026, 7, 1)})
    assert [cell for _, _, cell in r11(old_model)] == ["A4", "A5"]  # both models replaced


def r11(recorded):
    """The R11 findings only (these budgets also run over the spend baseline, R10)."""
    return [
        (i.code, i.sheet, i.cell)
        for i in recorded.report.issues
        if i.code == "purchase-not-in-plan"
    ]


def test_a_ledger_built_for_other_form_specs_asks_for_a_rebuild(desk):
    from pmokit.base.errors import LedgerError

    desk.submit("initiation")
    desk.ledger.close()
    changed = {k: v for k, v in desk.forms.items() if k != "instruction"}  # a form dropped
    with pytest.raises(LedgerError, match="pmo ledger rebuild"):
        Ledger(desk.settings.ledger_url(), changed)
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)  # the same specs still open it


def test_a_ledger_from_a_newer_pmokit_is_refused(desk):
    from sqlalchemy import update

    from pmokit.base.errors import LedgerError

    meta = desk.ledger.table("meta")
    with desk.ledger.write() as db:
        db.execute(update(meta).where(meta.c.key == "schema_version").values(value="99"))
    desk.ledger.close()
    with pytest.raises(LedgerError, match="newer than this pmokit"):
        Ledger(desk.settings.ledger_url(), desk.forms)
    with pytest.raises(LedgerError):  # and it stays refused: nothing was changed
        Ledger(desk.settings.ledger_url(), desk.forms)
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms, rebuild=True)


def test_online_backup_is_a_consistent_copy(sqlite_desk, tmp_path):
    from pmokit.base.errors import LedgerError
    from pmokit.ledger.backup import backup_ledger

    desk = sqlite_desk
    desk.submit("initiation")
    desk.submit("weekly", days=4)
    target = backup_ledger(desk.ledger, tmp_path / "b" / "ledger.sqlite")
    copy = Ledger(f"sqlite:///{target}", desk.forms)
    try:
        assert _dump(copy) == _dump(desk.ledger)
    finally:
        copy.close()
    with pytest.raises(LedgerError, match="already exists"):
        backup_ledger(desk.ledger, target)  # never overwrites a backup


def _arrive(desk, name, path, days=0, awaiting_move=False):
    arrival = Arrival(path.read_bytes(), name, DAY + dt.timedelta(days=days))
    return intake(arrival, desk.settings, desk.ledger, desk.forms, awaiting_move=awaiting_move)


def test_an_older_version_arriving_later_is_refused_by_its_own_saved_time_t11(desk, forms):
    from conftest import set_saved_time, submission

    desk.submit("initiation")
    made = {}
    for name, rag, saved in (
        ("v1", "绿", "2026-03-13T01:00:00Z"),
        ("v2", "黄", "2026-03-13T03:00:00Z"),
    ):
        folder = desk.tmp_path / name
        folder.mkdir()
        path = submission(forms, desk.blank_forms, folder, "weekly", fields={"rag": rag})
        made[name] = set_saved_time(path, saved)
    v2 = _arrive(desk, "周报 v2.xlsx", made["v2"], days=4)
    v1 = _arrive(desk, "周报 v1.xlsx", made["v1"], days=5)  # older content, arriving later
    assert v2.outcome == "accepted" and v1.outcome == "rejected"
    assert codes(v1) == [("newer-version-exists", cell_of(forms, "weekly", "week_ending"))]
    message = v1.report.errors[0].message
    assert "周报 v2.xlsx" in message and "2026-03-13 11:00:00" in message  # shown in CST
    current = desk.rows("form_weekly", "submission_id", "rag")
    assert current == [(v2.submission_id, "黄")]
    # A newer save of the same week still supersedes as before.
    set_saved_time(made["v1"], "2026-03-13T05:00:00Z")
    v3 = _arrive(desk, "周报 v1 重存.xlsx", made["v1"], days=6)
    assert v3.outcome == "accepted" and v3.superseded == (v2.submission_id,)


def test_a_file_recorded_but_not_filed_is_resumed_not_recorded_twice(desk):
    from pmokit.ledger.submissions import mark_filed, unfiled

    folder = desk.tmp_path / "w"
    folder.mkdir()
    path = folder / "notes.xlsx"
    path.write_bytes(b"a,b\n1,2\n")  # rejected: not a workbook
    first = _arrive(desk, "notes.xlsx", path, awaiting_move=True)
    again = _arrive(desk, "notes.xlsx", path, awaiting_move=True)  # a crash before the move
    assert first.outcome == again.outcome == "rejected" and again.resumed
    assert again.submission_id == first.submission_id
    assert again.report.flatten(("code",)) == first.report.flatten(("code",))
    assert unfiled(desk.ledger) == [(first.submission_id, first_sha(path), "notes.xlsx")]
    mark_filed(desk.ledger, first.submission_id)
    assert unfiled(desk.ledger) == []
    later = _arrive(desk, "notes.xlsx", path, awaiting_move=True)  # dropped again, on purpose
    assert not later.resumed and later.submission_id != first.submission_id


def first_sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_version_1_ledger_is_migrated_in_place(sqlite_desk):  # through v2 … v6
    from sqlalchemy import text

    desk = sqlite_desk
    desk.submit("initiation")
    with desk.ledger.write() as db:  # what a ledger from the previous release looks like
        db.execute(text("ALTER TABLE submissions DROP COLUMN move_pending"))
        db.execute(text("ALTER TABLE submissions DROP COLUMN saved_utc"))
        for column in ("void_utc", "void_by", "void_reason", "site", "void_after_seq"):
            db.execute(text(f"ALTER TABLE submissions DROP COLUMN {column}"))
        db.execute(text("DROP TABLE rollup_history"))
        db.execute(text("DROP TABLE leases"))
        db.execute(text("DROP TABLE mail"))
        db.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    desk.ledger.close()
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
    assert desk.rows("submissions", "outcome", "move_pending", "saved_utc") == [
        ("accepted", 0, None)
    ]
    assert ("schema_version", str(SCHEMA_VERSION)) in desk.rows("meta", "key", "value")
    assert desk.rows("rollup_history", "moment_utc") == []  # v3's table was added
    assert desk.rows("mail", "message_id") == []  # and v4's
    assert desk.rows("submissions", "void_utc", "void_by", "void_reason") == [(None,) * 3]  # v5
    assert desk.rows("submissions", "site", "void_after_seq") == [("", None)]  # v6
    assert desk.rows("leases", "name") == []
    assert desk.submit("weekly", days=4).outcome == "accepted"


def test_a_sqlite_ledger_on_a_network_mount_is_refused_t12(tmp_path, forms, monkeypatch):
    from pmokit.base.errors import LedgerError
    from pmokit.utils import mounts

    fake = tmp_path / "mounts"
    fake.write_text(
        f"/dev/sda1 / ext4 rw 0 0\n//fs01/pmo {tmp_path / 'smb'} cifs rw 0 0\n", encoding="utf-8"
    )
    monkeypatch.setattr(mounts, "MOUNTS_FILE", fake)
    with pytest.raises(LedgerError, match="network file system \\(cifs\\)") as refused:
        Ledger(f"sqlite:///{tmp_path / 'smb' / 'pmo' / 'ledger.sqlite'}", forms)
    assert "SQLite 在网络共享上会损坏" in refused.value.zh
    assert not (tmp_path / "smb").exists()  # refused before anything was created
    Ledger(f"sqlite:///{tmp_path / 'local' / 'ledger.sqlite'}", forms).close()


def test_a_missing_postgresql_driver_says_which_extra_to_install(forms):
    from pmokit.base.errors import LedgerError

    with pytest.raises(LedgerError) as caught:
        Ledger("postgresql+pg8000://pmo:pmo@127.0.0.1/pmo", forms)  # a driver we do not ship
    assert 'pip install "pmokit[postgres]"' in caught.value.en
    assert "postgresql+psycopg://" in caught.value.zh
