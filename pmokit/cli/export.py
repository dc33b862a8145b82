"""`pmo export --format csv|xlsx|parquet --out DIR`: the ledger's tables as files for Power BI and
Excel users — the same tables `pmokit.frames()` gives a notebook (actions/exporting.py)."""

from __future__ import annotations

from pathlib import Path

import click

from pmokit.actions.exporting import FORMATS, Export, export_tables
from pmokit.base.labels import Label
from pmokit.cli.help import HelpCommand, option
from pmokit.cli.support import (
    as_of_moment,
    as_of_option,
    json_option,
    lang_option,
    open_ledger,
    print_json,
)

WROTE = Label("{table}：{rows} 行 → {file}", "{table}: {rows} rows → {file}")
SHEET = Label("  {table}：{rows} 行", "  {table}: {rows} rows")


@click.command(
    "export",
    cls=HelpCommand,
    help=Label(
        "把台账导出为分析用的表（项目、提交、周报、任务、工时、风险、里程碑预测、费用、变更、预警、"
        "KPI，均按 --as-of 时的情况）：每表一个 CSV 或 Parquet 文件，或一个每表一页的 Excel "
        "工作簿。"
        "文件名固定，Power BI / Excel 可直接刷新；需要 pip install 'pmokit[frames]'。",
        "Export the ledger as analysts' tables (projects, submissions, weekly reports, tasks, "
        "hours, risks, milestone forecasts, budgets, changes, alerts, KPIs, as things stood at "
        "--as-of): a CSV or Parquet file per table, or one Excel workbook with a sheet per "
        "table. The names stay the same, so Power BI or Excel refreshes from them; needs "
        "pip install 'pmokit[frames]'.",
    ),
)
@option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help=Label("文件格式。", "The file format."),
)
@option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help=Label(
        "写入的文件夹（没有就创建；同名文件整体替换）。",
        "The folder to write to (created if missing; files of the same name are replaced whole).",
    ),
)
@as_of_option
@lang_option
@json_option(Label("写入的文件和行数", "the files written and their rows"))
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path, as_of, as_json) -> None:
    with open_ledger(ctx) as ledger:
        done = export_tables(ledger, ctx.obj, fmt, out, as_of_moment(as_of))
    if as_json:
        print_json(done.to_dict())
        return
    click.echo(export_text(done, ctx.obj.lang))


def export_text(done: Export, lang: str) -> str:
    if done.format == "xlsx":  # one workbook: said once, then its sheets
        head, line = str(done.files[0][1]), SHEET.text(lang)
        return "\n".join([head, *(line.format(table=t, rows=n) for t, _, n in done.files)])
    line = WROTE.text(lang)
    return "\n".join(line.format(table=t, rows=n, file=path) for t, path, n in done.files)
