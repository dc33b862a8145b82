"""`pmo ledger ...`: keep the ledger — a consistent backup, and a rebuild from the archive that
asks first and shows its progress on a terminal."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from pmokit.actions.watching import refuse_while_watching
from pmokit.base.errors import ConfigError
from pmokit.base.labels import Label
from pmokit.base.settings import SETTINGS_FILE, Settings, load_settings
from pmokit.cli.help import HelpGroup, option
from pmokit.cli.progress import Progress
from pmokit.cli.support import open_ledger, spec_forms
from pmokit.ledger.backup import backup_ledger
from pmokit.pipeline.rebuild import rebuild_ledger


@click.group(cls=HelpGroup, help=Label("维护台账。", "Maintain the ledger."))
def ledger() -> None:
    pass


@ledger.command(
    "backup",
    help=Label(
        "一致地复制正在使用的台账（VACUUM INTO），再检查副本。",
        "Copy the live ledger consistently (VACUUM INTO), then check the copy.",
    ),
)
@option(
    "--out",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help=Label(
        "备份文件（默认：.pmo/backups/ledger-<UTC 时间>.sqlite）。",
        "Backup file (default: .pmo/backups/ledger-<UTC time>.sqlite).",
    ),
)
@click.pass_context
def ledger_backup(ctx: click.Context, target: Path | None) -> None:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = target or ctx.obj.state_dir() / "backups" / f"ledger-{stamp}.sqlite"
    with open_ledger(ctx) as ledger:
        click.echo(str(backup_ledger(ledger, target)))


@ledger.command(
    "rebuild",
    help=Label(
        "清空台账，按到达顺序重放归档中的全部文件；先询问确认，监视进程使用台账时拒绝执行。"
        "终端上显示进度。",
        "Empty the ledger and replay every archived submission in arrival order; asks first, "
        "and refuses while a watcher is using the ledger. Shows progress on a terminal.",
    ),
)
@option(
    "--yes",
    is_flag=True,
    help=Label("不询问，直接重建（脚本、计划任务）。", "Rebuild without asking (scripts, cron)."),
)
@option(
    "--accept-changes",
    is_flag=True,
    help=Label(
        "即使重建会改变已记录提交的结果（规则或表单已改），也照样重建。",
        "Rebuild even when recorded submissions would get another outcome (a rule or form"
        " changed).",
    ),
)
@option(
    "--site-folder",
    "site_folders",
    multiple=True,
    type=click.Path(path_type=Path),
    help=Label(
        "另一站点的 PMO 文件夹（其 pmo.toml 与 .pmo/ 所在处）：其归档与本站的一并按到达顺序重放；"
        "每个站点给一次。",
        "Another site's PMO folder (where its pmo.toml and .pmo/ are): its archive is replayed"
        " with this one in arrival order; once per site.",
    ),
)
@click.pass_context
def ledger_rebuild(
    ctx: click.Context, yes: bool, accept_changes: bool, site_folders: tuple[Path, ...]
) -> None:
    settings, lang = ctx.obj, ctx.obj.lang
    sites = tuple(site_settings(folder) for folder in site_folders)
    refuse_while_watching(settings)
    if not yes:
        if not sys.stdin.isatty():
            raise ConfigError(REBUILD_NEEDS_YES.zh, REBUILD_NEEDS_YES.en)
        if not click.confirm(REBUILD_ASK.text(lang).format(url=settings.ledger_url())):
            click.echo(f"pmo: {NOT_REBUILT.text(lang)}", err=True)
            sys.exit(1)
    with Progress() as progress:
        count = rebuild_ledger(
            settings,
            spec_forms(ctx),
            progress.counter({"replay": REPLAYING.text(lang)}),
            accept_changes,
            sites,
        )
    click.echo(REPLAYED.text(lang).format(count=count, url=settings.ledger_url()))


def site_settings(folder: Path) -> Settings:
    """Another site's settings, from the pmo.toml in its folder (its site name and archive)."""
    if not (folder / SETTINGS_FILE).is_file():
        raise ConfigError(
            f"{folder} 里没有 pmo.toml：--site-folder 要给出站点的 PMO 文件夹",
            f"no pmo.toml in {folder}: --site-folder takes a site's PMO folder",
        )
    return load_settings(environ={}, cwd=folder)


REBUILD_ASK = Label(
    "将清空台账 {url} 并按归档重放全部文件，确定吗？", "Empty {url} and replay the whole archive?"
)
REBUILD_NEEDS_YES = Label(
    "pmo ledger rebuild 会清空并重建台账：确认请加 --yes",
    "pmo ledger rebuild empties and rebuilds the ledger: add --yes to confirm",
)
NOT_REBUILT = Label("未重建，台账没有改动", "not rebuilt: the ledger is unchanged")
REPLAYING = Label("重放", "replaying")
REPLAYED = Label("已把 {count} 份提交重放到 {url}", "replayed {count} submissions into {url}")
