"""Shared fixtures: the shipped specs, generated blank forms, LibreOffice, and a form filler."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from generators.forms import build_forms
from pmokit.base.resources import forms_dir
from pmokit.base.settings import load_settings
from pmokit.forms.layout import layout_form
from pmokit.forms.load import load_forms
from pmokit.forms.record import Record
from pmokit.forms.schema import FormSpec
from pmokit.forms.values import to_cell
from pmokit.ledger.store import Ledger
from pmokit.pipeline.intake import Arrival, intake

REPO = Path(__file__).resolve().parent.parent
FORM_IDS = [
    "budget",
    "change",
    "closure",
    "initiation",
    "instruction",
    "weekly",
]  # the shipped forms


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def forms() -> dict[str, FormSpec]:
    return load_forms(forms_dir())


@pytest.fixture(scope="session")
def blank_forms(forms, tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Blank workbooks of every form, by language then form id, built once per session."""
    built = {}
    for lang in ("zh", "en"):
        out = tmp_path_factory.mktemp(f"forms-{lang}")
        built[lang] = {p.name.split(".")[0]: p for p in build_forms(forms, out, lang)}
    return built


def _find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    windows = Path(r"C:\Program Files\LibreOffice\program\soffice.exe")
    return str(windows) if windows.exists() else None


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """Run LibreOffice headless: soffice(args..., cwd=) with a private profile."""
    binary = _find_soffice()
    if binary is None:
        if os.environ.get("PMO_REQUIRE_SOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path_factory.mktemp("lo-profile").as_uri()

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=240)

    return run


def fill_form(blank: Path, record: Record, form: FormSpec, out: Path, lang: str) -> Path:
    """Fill a generated workbook through its defined names (openpyxl), as outside tools do; a
    macro-enabled one keeps its VBA and buttons."""
    book = openpyxl.load_workbook(blank, keep_vba=blank.suffix == ".xlsm")
    layout = layout_form(form)
    for pos in layout.fields:
        if pos.field.id in record.fields:
            _write(book, pos.name, 0, to_cell(pos.field, record.fields[pos.field.id], lang))
    for table in layout.tables:
        for offset, row in enumerate(record.tables.get(table.table.id, ())):
            for col in table.columns:
                if col.column.id in row:
                    _write(book, col.name, offset, to_cell(col.column, row[col.column.id], lang))
    book.save(out)
    return out


def _write(book, name: str, offset: int, value) -> None:
    sheet, ref = next(iter(book.defined_names[name].destinations))
    first = ref.replace("$", "").split(":")[0]
    cell = book[sheet][first].offset(row=offset)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    cell.value = value


def set_saved_time(path: Path, when: str) -> Path:
    """Rewrite the workbook's own "last saved" time (docProps/core.xml dcterms:modified), as a
    save at `when` (ISO, UTC) would have left it."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + when.encode() + rb"\g<2>",
                    data,
                )
            out.writestr(info, data)
    return path


def submission(
    forms: dict[str, FormSpec],
    blank_forms,
    tmp_path: Path,
    form_id: str,
    fields: dict | None = None,
    rows: dict | None = None,
    lang: str = "zh",
    record: Record | None = None,
    rows_per_table: int = 2,
) -> Path:
    """A filled form as a project manager would save it: the example record, then raw edits
    typed over it. `fields` maps field id -> raw value; `rows` maps (table, index, column) ->
    raw value. None blanks a cell; text is stored as text even when it starts with '='."""
    from pmokit.forms.record import example_record

    form = forms[form_id]
    record = record or example_record(form, rows=rows_per_table)
    path = fill_form(blank_forms[lang][form_id], record, form, tmp_path / f"{form_id}.xlsx", lang)
    if not fields and not rows:
        return path
    book = openpyxl.load_workbook(path)
    layout = layout_form(form)
    for field_id, raw in (fields or {}).items():
        _write_raw(book, layout.field(field_id).name, 0, raw)
    for (table, index, column), raw in (rows or {}).items():
        name = next(c.name for c in layout.table(table).columns if c.column.id == column)
        _write_raw(book, name, index, raw)
    book.save(path)
    return path


def _write_raw(book, name: str, offset: int, raw) -> None:
    _write(book, name, offset, raw)
    sheet, ref = next(iter(book.defined_names[name].destinations))
    cell = book[sheet][ref.replace("$", "").split(":")[0]].offset(row=offset)
    if isinstance(raw, str):
        cell.data_type = "s"  # what a person typed, never a formula


def cell_of(
    forms: dict[str, FormSpec],
    form_id: str,
    field_id: str,
    table: str | None = None,
    index: int = 0,
) -> str:
    """The A1 address of a field, or of a table column in row `index`."""
    layout = layout_form(forms[form_id])
    if table is None:
        return layout.field(field_id).cell
    pos = layout.table(table)
    column = next(c for c in pos.columns if c.column.id == field_id)
    return f"{column.letter}{pos.first_row + 1 + index}"


DAY = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.timezone.utc)


class Desk:
    """A PMO's folder with its ledger, and a hand to submit forms into it."""

    def __init__(self, forms, blank_forms, tmp_path, backend="sqlite"):
        self.forms, self.blank_forms, self.tmp_path = forms, blank_forms, tmp_path
        self.backend = backend
        settings = load_settings(environ={}, cwd=tmp_path)
        if backend == "postgres":
            settings = replace(settings, ledger=os.environ["PMO_TEST_POSTGRES"])
        self.settings = settings
        # A shared PostgreSQL database starts each test empty; a SQLite file is new anyway.
        self.ledger = Ledger(settings.ledger_url(), forms, rebuild=backend == "postgres")
        self.count = 0

    def submit(self, form_id, days=0, **edits):
        return self.submit_at(form_id, DAY + dt.timedelta(days=days), **edits)

    def submit_at(self, form_id, received: dt.datetime, **edits):
        self.count += 1
        folder = self.tmp_path / f"s{self.count}"
        folder.mkdir()
        path = submission(self.forms, self.blank_forms, folder, form_id, **edits)
        arrival = Arrival(path.read_bytes(), path.name, received)
        return intake(arrival, self.settings, self.ledger, self.forms)

    def rows(self, table, *columns):
        """Rows in the order they were written (primary key): the same on every backend."""
        t = self.ledger.table(table)
        with self.ledger.read() as db:
            query = select(*(t.c[c] for c in columns)).order_by(*t.primary_key.columns)
            return [tuple(r) for r in db.execute(query)]

    def state(self):
        return self.rows("projects", "code", "state")[0][1]


# The ledger's tests run on SQLite, and also on PostgreSQL when PMO_TEST_POSTGRES names a
# server (.ci/run starts one): postgresql+psycopg://user:password@127.0.0.1/database
BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("PMO_TEST_POSTGRES") else [])


@pytest.fixture(params=BACKENDS)
def desk(forms, blank_forms, tmp_path, request):
    desk = Desk(forms, blank_forms, tmp_path, request.param)
    yield desk
    desk.ledger.close()


@pytest.fixture
def sqlite_desk(forms, blank_forms, tmp_path):
    desk = Desk(forms, blank_forms, tmp_path)
    yield desk
    desk.ledger.close()
