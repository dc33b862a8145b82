"""Load form specs (templates/forms/*.toml) into schema models, checking every key on the way.

A broken spec never half-loads: the first problem raises a SchemaError naming file and key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pmokit.base.errors import SchemaError
from pmokit.base.labels import Label
from pmokit.forms.coerce import parse_literal
from pmokit.forms.load_keys import Context, checked_id, checked_table, get_key, get_label, unique
from pmokit.forms.load_rules import with_rules
from pmokit.forms.schema import FieldSpec, FormSpec, Section, SheetSpec, TableSpec
from pmokit.forms.values import FIELD_TYPES, ValueProblem, check_constraints

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

COMMON_FILE = "_common.toml"
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
# A pattern's description is for people: none of the syntax of the expression it describes.
REGEX_SYNTAX = re.compile(r"[\\^$\[\]{}|]")
MAX_TABLE_ROWS = 1000

FIELD_KEYS = frozenset(
    [
        "id",
        "use",
        "label_zh",
        "label_en",
        "type",
        "required",
        "choices",
        "choices_en",
        "min",
        "max",
        "pattern",
        "pattern_help_zh",
        "pattern_help_en",
        "max_length",
        "help_zh",
        "help_en",
        "example",
        "multiline",
        "width",
    ]
)
TABLE_KEYS = frozenset(
    ["id", "label_zh", "label_en", "help_zh", "help_en", "max_rows", "min_rows", "key", "columns"]
)
SECTION_KEYS = frozenset({"title_zh", "title_en", "fields"})
SHEET_KEYS = frozenset({"id", "title_zh", "title_en", "sections", "table"})
FORM_KEYS = frozenset(
    "id version title_zh title_en intro_zh intro_en sheets period key rules migrations".split()
)


def _choices(raw: dict, ctx: Context) -> tuple[Label, ...]:
    zh = get_key(raw, "choices", ctx, list, [])
    en = get_key(raw, "choices_en", ctx, list, zh)
    if len(en) != len(zh):
        raise ctx.at("choices_en").fail("must have as many entries as choices")
    labels = tuple(Label(str(a), str(b)) for a, b in zip(zh, en, strict=True))
    if len({c.zh for c in labels}) != len(labels) or len({c.en for c in labels}) != len(labels):
        raise ctx.at("choices").fail("choices must be unique")
    return labels


def _limit(field: FieldSpec, raw: dict, key: str, ctx: Context) -> Any:
    if key not in raw:
        return None
    try:
        return parse_literal(field, raw[key])
    except ValueProblem as problem:
        raise ctx.at(key).fail(str(problem)) from None


def _pattern(raw: dict, own: dict, ctx: Context) -> tuple[str | None, Label | None]:
    """A field's regular expression and its description in words, which every place a person
    reads shows instead; a form that changes a common field's pattern describes it again."""
    pattern = get_key(raw, "pattern", ctx, str, None)
    words = get_label(raw, "pattern_help", ctx, required=False)
    if pattern is None:
        if words.zh or words.en:
            raise ctx.at("pattern_help_zh").fail("a description but no pattern to describe")
        return None, None
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ctx.at("pattern").fail(f"not a regular expression: {exc}") from None
    for lang in ("zh", "en"):
        key = f"pattern_help_{lang}"
        if not words.text(lang) or ("pattern" in own and key not in own):
            raise ctx.at(key).fail("missing (a pattern is shown to people as its description)")
        if REGEX_SYNTAX.search(words.text(lang)):
            raise ctx.at(key).fail("say the pattern in words, without its syntax")
    return pattern, words


def _field(raw: Any, ctx: Context, common: dict[str, dict]) -> FieldSpec:
    raw = own = checked_table(raw, ctx, FIELD_KEYS)
    if "use" in raw:
        base = common.get(raw["use"])
        if base is None:
            raise ctx.at("use").fail(f"no common field {raw['use']!r} in {COMMON_FILE}")
        raw = {"id": raw["use"], **base, **{k: v for k, v in raw.items() if k != "use"}}
    field_type = get_key(raw, "type", ctx, str)
    if field_type not in FIELD_TYPES:
        raise ctx.at("type").fail(f"unknown type {field_type!r} ({', '.join(sorted(FIELD_TYPES))})")
    pattern, pattern_help = _pattern(raw, own, ctx)
    choices = _choices(raw, ctx)
    if (field_type == "choice") != bool(choices):
        raise ctx.at("choices").fail("a choice field needs choices, and only it may have them")
    field = FieldSpec(
        id=checked_id(raw, ctx),
        label=get_label(raw, "label", ctx),
        type=field_type,
        required=get_key(raw, "required", ctx, bool, False),
        choices=choices,
        min=None,
        max=None,
        pattern=pattern,
        max_length=get_key(raw, "max_length", ctx, int, None),
        help=get_label(raw, "help", ctx, required=False),
        example=None,
        multiline=get_key(raw, "multiline", ctx, bool, False),
        width=get_key(raw, "width", ctx, int, None),
        pattern_help=pattern_help,
    )
    field = _replace(field, min=_limit(field, raw, "min", ctx), max=_limit(field, raw, "max", ctx))
    return _replace(field, example=_example(field, raw, ctx))


def _example(field: FieldSpec, raw: dict, ctx: Context) -> Any:
    if "example" not in raw:
        if field.type == "choice":
            return field.choices[0].zh
        raise ctx.at("example").fail("missing (every field shows a valid example)")
    try:
        value = parse_literal(field, raw["example"])
        if value is None:
            raise ValueProblem("type", "the example is blank")
        check_constraints(field, value)
    except ValueProblem as problem:
        raise ctx.at("example").fail(f"does not pass the field's own checks: {problem}") from None
    return value


def _replace(field: FieldSpec, **changes: Any) -> FieldSpec:
    return FieldSpec(**{**field.__dict__, **changes})


def _table_spec(raw: Any, ctx: Context, common: dict[str, dict]) -> TableSpec:
    raw = checked_table(raw, ctx, TABLE_KEYS)
    columns_raw = get_key(raw, "columns", ctx, list)
    columns = tuple(_field(c, ctx.at("columns").at(i), common) for i, c in enumerate(columns_raw))
    if not columns:
        raise ctx.at("columns").fail("a table needs at least one column")
    unique([c.id for c in columns], ctx.at("columns"), "column id")
    max_rows = get_key(raw, "max_rows", ctx, int)
    min_rows = get_key(raw, "min_rows", ctx, int, 0)
    if not 1 <= max_rows <= MAX_TABLE_ROWS or not 0 <= min_rows <= max_rows:
        raise ctx.at("max_rows").fail(f"need 0 <= min_rows <= max_rows <= {MAX_TABLE_ROWS}")
    key = tuple(get_key(raw, "key", ctx, list, []))
    for column_id in key:
        if column_id not in {c.id for c in columns}:
            raise ctx.at("key").fail(f"{column_id!r} is not a column of this table")
    return TableSpec(
        checked_id(raw, ctx),
        get_label(raw, "label", ctx),
        get_label(raw, "help", ctx, False),
        columns,
        max_rows,
        min_rows,
        key,
    )


def _sheet(raw: Any, ctx: Context, common: dict[str, dict]) -> SheetSpec:
    raw = checked_table(raw, ctx, SHEET_KEYS)
    title = get_label(raw, "title", ctx)
    for name in (title.zh, title.en):
        if not 0 < len(name) <= 31 or SHEET_NAME_FORBIDDEN.search(name) or name.startswith("_"):
            raise ctx.at("title_zh").fail(f"{name!r} is not a valid sheet name")
    if ("sections" in raw) == ("table" in raw):
        raise ctx.fail("a sheet has either sections of fields or one table")
    sections = tuple(
        _section(s, ctx.at("sections").at(i), common)
        for i, s in enumerate(get_key(raw, "sections", ctx, list, []))
    )
    table = _table_spec(raw["table"], ctx.at("table"), common) if "table" in raw else None
    return SheetSpec(checked_id(raw, ctx), title, sections, table)


def _section(raw: Any, ctx: Context, common: dict[str, dict]) -> Section:
    raw = checked_table(raw, ctx, SECTION_KEYS)
    fields = get_key(raw, "fields", ctx, list)
    if not fields:
        raise ctx.at("fields").fail("a section needs at least one field")
    return Section(
        get_label(raw, "title", ctx),
        tuple(_field(f, ctx.at("fields").at(i), common) for i, f in enumerate(fields)),
    )


def parse_form(raw: dict, source: str, common: dict[str, dict]) -> FormSpec:
    """Build a FormSpec from a parsed TOML document; raise SchemaError naming the broken key."""
    ctx = Context(source)
    raw = checked_table(raw, ctx, FORM_KEYS)
    sheets_raw = get_key(raw, "sheets", ctx, list)
    sheets = tuple(_sheet(s, ctx.at("sheets").at(i), common) for i, s in enumerate(sheets_raw))
    if not sheets:
        raise ctx.at("sheets").fail("a form needs at least one sheet")
    version = get_key(raw, "version", ctx, int)
    if version < 1:
        raise ctx.at("version").fail("must be a positive integer")
    form = FormSpec(
        checked_id(raw, ctx),
        version,
        get_label(raw, "title", ctx),
        get_label(raw, "intro", ctx, False),
        sheets,
        source,
    )
    unique([s.id for s in sheets], ctx.at("sheets"), "sheet id")
    for lang in ("zh", "en"):
        unique([s.title.text(lang) for s in sheets], ctx.at("sheets"), f"sheet title ({lang})")
    unique(
        [f.id for _, f in form.fields()] + [t.id for _, t in form.tables()],
        ctx,
        "field or table id",
    )
    return with_rules(form, raw, ctx)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(str(path), "(toml)", str(exc)) from None
    except OSError as exc:
        raise SchemaError(str(path), "(file)", exc.strerror or str(exc)) from None


def _common_fields(folder: Path) -> dict[str, dict]:
    path = folder / COMMON_FILE
    if not path.exists():
        return {}
    raw = _read_toml(path)
    fields = get_key(raw, "fields", Context(str(path)), dict, {})
    for field_id, body in fields.items():
        _field(
            {
                **checked_table(
                    body, Context(str(path), f"fields.{field_id}"), FIELD_KEYS - {"id"}
                ),
                "id": field_id,
            },
            Context(str(path), f"fields.{field_id}"),
            {},
        )
    return fields


def load_forms(folder: Path) -> dict[str, FormSpec]:
    """Load every `<form_id>.toml` in a folder (with the shared `_common.toml` fields)."""
    if not folder.is_dir():
        raise SchemaError(str(folder), "(folder)", "form spec folder not found")
    common = _common_fields(folder)
    forms: dict[str, FormSpec] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        form = parse_form(_read_toml(path), str(path), common)
        if form.id != path.stem:
            raise SchemaError(
                str(path), "id", f"{form.id!r} must match the file name {path.stem!r}"
            )
        forms[form.id] = form
    if not forms:  # a wrong --forms-dir would otherwise build and check nothing, and succeed
        raise SchemaError(str(folder), "(folder)", "no form specs (*.toml) in this folder")
    return forms
