"""`pmo forms ...`: build, describe, document and read the standard forms."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.forms import build_forms
from pmokit.actions.publishing import publish_forms
from pmokit.cli.support import lang_option, print_json, spec_forms
from pmokit.forms.describe import describe_form, forms_markdown
from pmokit.forms.schema import get_form
from pmokit.validation.parsing import read_values


@click.group()
def forms() -> None:
    """Build, describe and read the standard forms."""


@forms.command("list")
@lang_option
@click.pass_context
def forms_list(ctx: click.Context) -> None:
    """List the forms and their versions."""
    for form in spec_forms(ctx).values():
        click.echo(f"{form.id:<12} v{form.version}  {form.title.text(ctx.obj.lang)}")


@forms.command("build")
@lang_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the workbooks into (created if missing).",
)
@click.option("--form", "form_ids", multiple=True, help="Only these forms (repeatable).")
@click.pass_context
def forms_build(ctx: click.Context, out_dir: Path, form_ids: tuple[str, ...]) -> None:
    """Write one blank .xlsx per form."""
    all_forms = spec_forms(ctx)
    chosen = {i: get_form(all_forms, i) for i in form_ids} if form_ids else all_forms
    for path in build_forms(chosen, out_dir, ctx.obj.lang):
        click.echo(str(path))


@forms.command("publish")
@lang_option
@click.argument("share", type=click.Path(path_type=Path))
@click.pass_context
def forms_publish(ctx: click.Context, share: Path) -> None:
    """Put the current blank forms in SHARE/templates/, rewriting only those that changed."""
    done = publish_forms(share, spec_forms(ctx), ctx.obj.lang)
    for line in done.lines(ctx.obj.lang):
        click.echo(line)


@forms.command("describe")
@lang_option
@click.argument("form_id")
@click.option("--json", "as_json", is_flag=True, help="Print the machine-readable contract.")
@click.pass_context
def forms_describe(ctx: click.Context, form_id: str, as_json: bool) -> None:
    """Show a form's fields, tables and cell positions."""
    data = describe_form(get_form(spec_forms(ctx), form_id), ctx.obj.lang)
    if as_json:
        print_json(data)
        return
    click.echo(f"{data['form']} v{data['version']}")
    for f in data["fields"]:
        click.echo(f"  {f['sheet']}!{f['cell']:<6} {f['name']:<28} {f['type']:<12} {f['label_zh']}")
    for t in data["tables"]:
        click.echo(f"  {t['sheet']} rows {t['first_row']}–{t['first_row'] + t['max_rows'] - 1}:")
        for c in t["columns"]:
            click.echo(f"    {c['column']:<4} {c['name']:<34} {c['type']:<12} {c['label_zh']}")


@forms.command("docs")
@lang_option
@click.pass_context
def forms_docs(ctx: click.Context) -> None:
    """Print the Markdown field reference of every form (docs/forms.md)."""
    click.echo(forms_markdown(spec_forms(ctx), ctx.obj.lang), nl=False)


@forms.command("read")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def forms_read(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Print the values of filled forms as JSON, with each cell that does not parse."""
    all_forms = spec_forms(ctx)
    results = [read_values(path, all_forms) for path in files]
    dicts = [r.to_dict() for r in results]
    print_json(dicts if len(dicts) > 1 else dicts[0])
    sys.exit(1 if any(r.failed for r in results) else 0)
