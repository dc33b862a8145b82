"""`pmo demo`: a PMO's whole quarter played through the real service in a folder of its own.

generators/portfolio makes the quarter (40 projects, ~670 files with the outcome each must
get); this module writes the demo PMO's pmo.toml and share, builds the forms, then plays the
quarter in time order on a simulated clock: each file is dropped into SHARE/inbox and taken by
the watcher (watchers/service.py) exactly as in `pmo watch` — validated, recorded, filed,
answered with feedback, receipt, notices and closure reports — and each scheduled mail run
(status with its roll-up, briefing, reminders, escalations) is made at its moment by the
service's own MailService. The roll-ups and briefings the mails attach are kept in reports/.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generators.forms import build_form
from generators.portfolio import Drop, Quarter, make_quarter
from generators.portfolio.cast import DEPARTMENTS, EXECUTIVES, PMO
from generators.portfolio.plan import QUARTER_START
from generators.workbooks import build_workbooks
from pmokit.actions.checking import feedback_writer
from pmokit.actions.mailing import MailService
from pmokit.actions.rollups import rollup_to_file
from pmokit.actions.watching import follow_up, publish_templates
from pmokit.alerts.rules import Alert, open_alerts
from pmokit.base.errors import ConfigError, OutputError, PmoError, os_reason
from pmokit.base.labels import Label
from pmokit.base.settings import Settings, load_settings
from pmokit.base.workdays import CHINA_TIME, end_of_day
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult
from pmokit.mail.schedule import due_moments
from pmokit.utils.files import write_bytes_atomically
from watchers.service import Timing, Watcher

MARK = ".pmo-demo"  # a folder holding it was made by the demo, and may be made again
Step = Callable[[str, int, int, str], None]  # (step, number, of, file name): for progress
# The order in which a PMO director reads alerts: what executives asked for, money, missed
# reports, then deadlines coming up; errors before warnings, the oldest first.
READING_ORDER = ("R6", "R7", "R9", "R10", "R16", "R12", "R2", "R14", "R11", "R22", "R18")


@dataclass
class Taken:
    drop: Drop
    result: IntakeResult
    filed: Path


@dataclass
class DemoRun:
    """What the demo did: every file and what became of it, where the outputs are, and the
    alerts open when the quarter ended."""

    folder: Path
    quarter: Quarter
    taken: list[Taken] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    rollup: Path | None = None
    settings: Settings | None = None  # the demo PMO's own (its pmo.toml)
    no_workbooks: str = ""  # why the .xlsm forms were not built (the buttons extra is missing)
    seconds: dict[str, float] = field(default_factory=dict)  # each phase's wall time

    @property
    def share(self) -> Path:
        return self.folder / "share"


def demo_settings_text(lang: str, port: int) -> str:
    """The demo PMO's pmo.toml: its people's addresses, mail to a server on this machine."""
    heads = "\n".join(f'"{d.name}" = ["{d.head.email}"]' for d in DEPARTMENTS)
    return f"""# The demo PMO's settings (written by `pmo demo`; see docs/operations.md)
lang = "{lang}"

[mail]
smtp_host = "127.0.0.1"  # pmo demo --smtp-sink runs a server here; otherwise mail waits
smtp_port = {port}
security = "none"
sender = "pmo@example.com"
executives = [{", ".join(f'"{p.email}"' for p in EXECUTIVES)}]
pmo = [{", ".join(f'"{p.email}"' for p in PMO)}]

[mail.departments]
{heads}
"""


def prepare_folder(folder: Path) -> None:
    """A new or empty folder for the demo. A folder with anything in it is refused — an earlier
    demo's too, since someone may have added their own files to it: the demo deletes nothing."""
    try:
        if folder.is_dir() and any(folder.iterdir()):
            raise OutputError(folder, EARLIER if (folder / MARK).is_file() else NOT_EMPTY)
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(folder / MARK, b"made by pmo demo; pmo demo may delete it\n")
    except OSError as exc:
        raise OutputError(folder, os_reason(exc)) from None


QUARTER_ROLLUP = Label("项目组合季末汇总 {day}.xlsx", "Portfolio at quarter end {day}.xlsx")
NOT_EMPTY = Label("文件夹不是空的，请换一个 --out", "the folder is not empty: choose another --out")
EARLIER = Label(
    "这里已有一次演示：要重新演示，请先删除这个文件夹，或换一个 --out",
    "an earlier demo is here: delete the folder to play it again, or choose another --out",
)


def demo_pmo(folder: Path, lang: str, port: int) -> Settings:
    (folder / "pmo.toml").write_text(demo_settings_text(lang, port), encoding="utf-8")
    # The demo's own settings only: a PMO_LEDGER of the user's must not receive its quarter.
    return load_settings({"lang": lang}, environ={}, cwd=folder)


def build_drops(quarter: Quarter, forms_dir_: Path, out: Path, lang: str, step: Step) -> list[Path]:
    """Each drop's workbook, as its author saved it, built in worker processes."""
    out.mkdir(parents=True, exist_ok=True)
    drops = quarter.drops
    paths = [out / f"{n:04d}-{d.name}" for n, d in enumerate(drops)]
    jobs = [(str(forms_dir_), d, str(p), lang) for d, p in zip(drops, paths, strict=True)]
    pool = ProcessPoolExecutor(max_workers=2, initializer=_ignore_ctrl_c)
    try:
        for n, _ in enumerate(pool.map(_build_one, jobs, chunksize=16), 1):
            step("build", n, len(jobs), drops[n - 1].name)
    finally:  # stopped (Ctrl-C): the builds not started are dropped, not waited for
        pool.shutdown(cancel_futures=True)
    return paths


def _ignore_ctrl_c() -> None:
    """In a worker: Ctrl-C is the demo's to answer, once, not each worker's with a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _build_one(job: tuple[str, Drop, str, str]) -> None:
    folder, drop, path, lang = job
    forms = _forms(folder)
    build_form(forms[drop.record.form_id], Path(path), lang, drop.record, saved=drop.saved_at)


_FORMS: dict[str, dict[str, FormSpec]] = {}


def _forms(folder: str) -> dict[str, FormSpec]:
    from pmokit.forms.load import load_forms  # in a worker: loaded once per process

    if folder not in _FORMS:
        _FORMS[folder] = load_forms(Path(folder))
    return _FORMS[folder]


def schedule_moments(settings: Settings, start: dt.datetime, end: dt.datetime) -> list:
    """Every moment a scheduled mail run comes due between `start` and `end`."""
    moments, day = set(), start.date()
    while day <= end.date():
        for moment in due_moments(settings.schedule, settings.calendar, end_of_day(day)).values():
            if start < moment <= end:
                moments.add(moment)
        day += dt.timedelta(days=1)
    return sorted(moments)


def timeline(quarter: Quarter, moments: list) -> Iterator[tuple[dt.datetime, int | None]]:
    """The quarter in time order: (moment, None) for a mail run, (moment, n) for drop n."""
    events = [(m, -1) for m in moments] + [(d.at, n) for n, d in enumerate(quarter.drops)]
    for moment, n in sorted(events):
        yield moment, (None if n < 0 else n)


def run_demo(folder: Path, forms: dict[str, FormSpec], lang: str, port: int, step: Step) -> DemoRun:
    """The whole quarter into `folder`; `step` is told of each file built and dropped."""
    folder = folder.absolute()  # settings keep paths relative to it: it must not be relative
    prepare_folder(folder)
    settings = demo_pmo(folder, lang, port)
    quarter = make_quarter()
    run, clock = DemoRun(folder, quarter, settings=settings), time.perf_counter()
    try:
        build_workbooks(forms, folder / "workbooks", settings, lang)
    except ConfigError as exc:  # pip install . without [buttons]: the demo goes on without them
        run.no_workbooks = exc.text(lang)
    built = build_drops(quarter, settings.spec_folder(), folder / ".pmo" / "drops", lang, step)
    run.seconds["build"], clock = time.perf_counter() - clock, time.perf_counter()
    run.seconds.update({"play": 0.0, "of which mail runs": 0.0})
    now = [dt.datetime.combine(QUARTER_START, dt.time(0), CHINA_TIME)]
    log = folder / ".pmo" / "watch.log"
    with (
        Ledger(settings.ledger_url(), forms, create=True) as ledger,
        log.open("a", encoding="utf-8") as logged,
    ):
        mail = MailService(ledger, settings, keep=folder / "reports")
        mail.run_schedule(now[0])  # a first start: nothing is sent for before it
        watcher = _watcher(run, settings, forms, ledger, mail, now, logged)
        publish_templates(watcher, run.share, forms, lang)
        moments = schedule_moments(settings, now[0], quarter.end)
        for moment, n in timeline(quarter, moments):
            now[0] = moment
            if n is None:
                started = time.perf_counter()
                mail.run_schedule(moment)
                run.seconds["of which mail runs"] += time.perf_counter() - started
                continue
            _drop(watcher, built[n], quarter.drops[n])
            step("drop", n + 1, len(quarter.drops), quarter.drops[n].name)
        run.alerts = sorted(open_alerts(ledger, settings, quarter.end), key=_reading_order)
        named = QUARTER_ROLLUP.text(lang).format(day=quarter.end.date())
        run.rollup = rollup_to_file(ledger, settings, quarter.end, folder / "reports" / named).path
    shutil.rmtree(folder / ".pmo" / "drops", ignore_errors=True)
    run.seconds["play"] = time.perf_counter() - clock
    return run


def _watcher(run: DemoRun, settings, forms, ledger, mail, now: list, log) -> Watcher:
    """The service's watcher, its clock the quarter's, its log in .pmo/watch.log."""
    after = follow_up(ledger, settings, run.share, mail)

    def after_filing(result: IntakeResult, target: Path) -> list[tuple[str, Path]]:
        run.taken.append(Taken(run.quarter.drops[len(run.taken)], result, target))
        return after(result, target)

    run.share.mkdir(exist_ok=True)
    return Watcher(
        run.share, settings, forms, ledger, feedback_writer(settings),
        Timing(settle=0.0, scan_interval=0.0, grace=0.0),
        lambda line: (log.write(line + "\n"), log.flush()),
        after_filing=after_filing, clock=lambda: now[0],
    )  # fmt: skip


def _drop(watcher: Watcher, built: Path, drop: Drop) -> None:
    """The file into the inbox as its author saves it there; the watcher sees it settle."""
    target = watcher.inbox / drop.name
    shutil.copyfile(built, target)
    for _ in range(3):  # seen, settled, taken
        if watcher.scan():
            return
    raise PmoError(f"演示文件未被处理：{drop.name}", f"the demo's file was not taken: {drop.name}")


def _reading_order(alert: Alert) -> tuple:
    rank = READING_ORDER.index(alert.rule) if alert.rule in READING_ORDER else len(READING_ORDER)
    return (alert.severity != "error", rank, alert.since, alert.project)


def outcome_counts(run: DemoRun) -> Counter:
    return Counter(t.result.outcome for t in run.taken)
