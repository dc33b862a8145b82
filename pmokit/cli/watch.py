"""`pmo watch SHARE`: the long-running service on the share's inbox, its timings in seconds
with the watcher's own defaults."""

from __future__ import annotations

from pathlib import Path

import click

from pmokit.actions.watching import run_watcher
from pmokit.base.labels import Label
from pmokit.cli.help import HelpCommand, option
from pmokit.cli.support import lang_option, spec_forms
from watchers.service import Timing


def seconds_option(name: str, floor: float, help: Label):
    """A watcher timing in seconds, its default the watcher's own (watchers.service.Timing)."""
    default = getattr(Timing(), name.lstrip("-").replace("-", "_"))
    kind = click.FloatRange(min=floor)
    return option(name, type=kind, default=default, show_default=True, metavar="S", help=help)


@click.command(
    cls=HelpCommand,
    help=Label(
        "监视 SHARE/inbox，把每份提交归入 SHARE/accepted、rejected 或 duplicates。网络共享"
        "（SMB/CIFS、NFS、UNC 路径、映射驱动器）自动改用轮询。",
        "Watch SHARE/inbox; file each submission into SHARE/accepted, rejected or duplicates. "
        "Network shares (SMB/CIFS, NFS, UNC paths, mapped drives) are polled without asking.",
    ),
)
@lang_option
@click.argument("share", type=click.Path(path_type=Path))
@option(
    "--polling",
    is_flag=True,
    help=Label(
        "用轮询代替系统的文件事件（网络共享）。", "Poll instead of OS events (network shares)."
    ),
)
@seconds_option(
    "--scan-interval",
    0.1,
    Label("两次完整扫描收件夹之间的秒数。", "Seconds between full scans of the inbox."),
)
@seconds_option(
    "--settle",
    0.1,
    Label("文件须保持不变多少秒才读取。", "Seconds a file must stay unchanged before it is read."),
)
@seconds_option(
    "--grace",
    0.0,
    Label(
        "不完整的工作簿最多可用多少秒复制完。",
        "Seconds a file that is not a complete workbook may take to finish copying.",
    ),
)
@seconds_option(
    "--outage-alert",
    0.0,
    Label(
        "收件夹无法访问多少秒后记录告警。",
        "Seconds the inbox may be unreachable before an alert is logged.",
    ),
)
@option(
    "--once",
    is_flag=True,
    help=Label(
        "处理收件夹中现有的文件，等正在复制的文件复制完，然后退出（计划任务用）。",
        "Process what is in the inbox, wait for copies in progress, then exit (cron).",
    ),
)
@click.pass_context
def watch(ctx: click.Context, share: Path, polling: bool, once: bool, **timing: float) -> None:
    run_watcher(ctx.obj, spec_forms(ctx), share, polling, once, **timing)
