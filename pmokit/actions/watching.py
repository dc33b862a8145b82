"""Watch the share: the long-running service put together — one instance, a ledger, validation
in a limited worker, feedback for rejected files, and a clean stop on SIGTERM or Ctrl-C.

`pmo watch` and a Windows or systemd service run this; it wires the core to the watcher and the
feedback writer.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path

from pmokit.actions.checking import feedback_writer
from pmokit.actions.mailing import MailService
from pmokit.actions.prefilling import PrefillService
from pmokit.actions.publishing import publish_forms
from pmokit.actions.reporting import report_on_closure
from pmokit.base.errors import PmoError
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.leases import release_lease, take_lease, this_holder, watching_sites
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult
from pmokit.pipeline.archive import reconcile_index, sweep_archive
from pmokit.utils.mounts import network_filesystem
from pmokit.validation.isolation import IsolatedChecker
from watchers.lock import InstanceLock, lock_holder
from watchers.service import Timing, Watcher, log_to_stdout


def refuse_while_watching(settings: Settings) -> None:
    """What must not run beside the watcher (a rebuild empties the ledger it writes to)."""
    holder = lock_holder(settings.state_dir() / "watch.lock")
    if holder is not None:
        raise PmoError(
            f"监视进程（pid {holder}）正在使用台账：请先停止 pmo watch",
            f"a watcher (pid {holder}) is using the ledger: stop pmo watch first",
        )
    for lease in watching_sites(settings.ledger_url()):  # another site's, into a shared ledger
        site = lease.name.removeprefix("watch:") or "-"
        raise PmoError(
            f"站点「{site}」的监视进程（{lease.holder}）正在记录到这本台账：请先停止各站点的"
            " pmo watch",
            f"the watcher of site {site!r} ({lease.holder}) is recording into this ledger: stop"
            " every site's pmo watch first",
        )


class SiteLease:
    """This watcher's hold on its site in the shared ledger (ledger/leases.py), renewed between
    scans: a second watcher of the same site — another machine, a copied pmo.toml — is refused,
    and one that finds its hold taken stops."""

    SECONDS = 120.0  # a killed watcher on another machine is taken over after this long

    def __init__(self, ledger: Ledger, site: str, stop: threading.Event) -> None:
        self.ledger, self.name, self.holder = ledger, f"watch:{site}", this_holder()
        self.site, self.stop, self.lost_to = site or "-", stop, None
        lease = take_lease(ledger, self.name, self.holder, self.SECONDS)
        if not lease.held_by(self.holder):
            raise PmoError(
                f"站点「{self.site}」已有监视进程（{lease.holder}）在记录到这本台账：同一站点只能"
                "有一个；各共享的 pmo.toml 请设不同的 site",
                f"site {self.site!r} already has a watcher ({lease.holder}) recording into this"
                " ledger: one per site; give each share's pmo.toml its own `site`",
            )
        # renewed on its own clock: a long scan or a long scan interval must not let it run out
        self.done = threading.Event()
        threading.Thread(target=self._renew, name="site-lease", daemon=True).start()

    def _renew(self) -> None:
        while not self.done.wait(self.SECONDS / 4):
            try:
                lease = take_lease(self.ledger, self.name, self.holder, self.SECONDS)
            except PmoError:  # the database away: tried again; the files wait on the share
                continue
            if not lease.held_by(self.holder):
                self.lost_to = lease.holder  # another watcher of this site took over
                self.stop.set()
                return

    def tick(self) -> list[dict]:
        """Between scans: whether the hold was lost (the watcher then stops)."""
        if self.lost_to is None:
            return []
        return [{"event": "error", "error": f"site {self.site!r} taken by {self.lost_to}"}]

    def release(self) -> None:
        self.done.set()
        with contextlib.suppress(PmoError):  # the database away: the hold runs out by itself
            release_lease(self.ledger, self.name, self.holder)


def run_watcher(
    settings: Settings,
    forms: dict[str, FormSpec],
    share: Path,
    polling: bool,
    once: bool = False,
    **timing: float,
) -> None:
    """Run until stopped; a second instance for the same ledger refuses to start."""
    if not share.is_dir():  # an unmounted share must not become a local folder of that name
        raise PmoError(
            f"{share} 不是文件夹（共享是否已挂载？）",
            f"{share} is not a folder (is the share mounted?)",
        )
    lock = InstanceLock(settings.state_dir() / "watch.lock")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    remote = network_filesystem(share)  # file events do not cross the network: poll there
    ledger = Ledger(settings.ledger_url(), forms)
    hold = SiteLease(ledger, settings.site, stop)  # one watcher per site, whatever the machine
    checker = None
    try:
        reconcile_index(settings, ledger)  # close the gap a crash after a commit may have left
        sweep_archive(settings)  # a kill inside an archive write left its temporary file
        checker = IsolatedChecker(settings)  # a hostile file costs a worker, never the service
        mail = MailService(ledger, settings)
        prefills = PrefillService(ledger, settings, share)
        watcher = Watcher(
            share,
            settings,
            forms,
            ledger,
            feedback_writer(settings),
            Timing(**timing),
            log_to_stdout,
            checker.check,
            follow_up(ledger, settings, share, mail),
            lambda: hold.tick() + prefills.tick() + mail.tick(),  # prefill says its own errors
        )
        for signum in (signal.SIGTERM, signal.SIGINT):  # a stop also wakes the scan loop
            signal.signal(signum, lambda *_: (stop.set(), watcher.wake.set()))
        publish_templates(watcher, share, forms, settings.lang)
        why = remote or ("--polling" if polling else None)
        watcher.run(stop, polling or remote is not None, why, once)
    finally:
        if checker is not None:
            checker.close()
        hold.release()
        ledger.close()
        lock.release()


def publish_templates(watcher: Watcher, share: Path, forms: dict[str, FormSpec], lang: str) -> None:
    """At start: the current blank forms into SHARE/templates/, where messages send people (a
    share that cannot take them is logged; the service runs on)."""
    try:
        published = publish_forms(share, forms, lang)
    except PmoError as exc:
        watcher.say(event="error", error=exc.text(lang))
        return
    watcher.say(event="templates", folder=str(published.folder), written=list(published.written))


def follow_up(ledger: Ledger, settings: Settings, share: Path, mail: MailService):
    """After each filed file: the closure report of a project it closed (SHARE/reports/), and
    the file's receipt to its PM (queued; sent between scans)."""

    def after(result: IntakeResult, target: Path) -> list[tuple[str, Path]]:
        done = []
        written = report_on_closure(ledger, settings, share, result.project, result.moves)
        if written is not None:
            done.append(("report", written.path))
        if (receipt := mail.receipt(result, target, share)) is not None:
            done.append(("receipt", receipt))
        report = written.path if written is not None else None
        done += [("notice", path) for path in mail.notices(result, target, share, report)]
        return done

    return after
