"""Open the ledger database, create or migrate its tables, and give out write transactions.

SQLite runs in WAL mode with synchronous=FULL and every write transaction starts with
BEGIN IMMEDIATE (research/reliability.md §3.2: deferred BEGIN loses writes to "database is
locked"); PostgreSQL needs none of that.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Engine,
    MetaData,
    Numeric,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from pmokit.base.errors import LedgerError
from pmokit.forms.schema import FormSpec
from pmokit.ledger.migrations import MIGRATIONS
from pmokit.ledger.tables import SCHEMA_VERSION, build_metadata, forms_fingerprint
from pmokit.utils.mounts import network_filesystem


def read_only_access(path: Path) -> str | None:
    """How a ledger we may read but not write is opened (a snapshot on a read-only share,
    another account's ledger): `mode=ro`, or `immutable=1` where not even SQLite's shared-memory
    file can be made beside it (then no one may be writing it either). None: it is writable."""
    if os.access(path.parent, os.W_OK):
        return None if os.access(path, os.W_OK) else "mode=ro"
    return "immutable=1"


def _sqlite_engine(url: str, create: bool = True) -> Engine:
    path = Path(url.removeprefix("sqlite:///"))
    if not create and not path.exists():
        raise NoLedgerError(path)
    access = read_only_access(path) if path.exists() else None
    if access and create:  # ingest and watch record: say so before anything is tried
        raise LedgerError(
            f"台账 {path} 是只读的：导入和监视需要能写入它及其所在文件夹",
            f"the ledger {path} is read-only: ingest and watch need to write it and its folder",
        )
    if access:
        return create_engine(f"sqlite:///file:{path}?{access}&uri=true", poolclass=NullPool)
    remote = network_filesystem(path.parent)
    if remote:  # SQLite's locks do not hold over SMB or NFS: the ledger would corrupt
        raise LedgerError(
            f"台账 {path} 位于网络文件系统（{remote}）上，SQLite 在网络共享上会损坏：请在 pmo.toml"
            " 中把 ledger 设为本机路径或 PostgreSQL 地址",
            f"the ledger {path} is on a network file system ({remote}); SQLite needs a local"
            " disk: set `ledger` in pmo.toml to a local path or a PostgreSQL URL",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(
            f"无法创建 {path.parent}：{exc.strerror}",
            f"cannot create {path.parent}: {exc.strerror}",
        ) from None
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        # Writers take the write lock up front; readers must not (they would block the writer).
        write = connection.get_execution_options().get("pmo_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")

    return engine


WRITE_LOCK = 0x706D6F6B  # "pmok": the PostgreSQL advisory lock every write transaction holds
REBUILD_LOCK_WAIT = "30s"  # how long a rebuild waits for PostgreSQL readers to let go


class NoLedgerError(LedgerError):
    """A read command pointed at a ledger that does not exist: say where we looked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"这里还没有台账：{path} 不存在。请在 PMO 的文件夹（pmo.toml 所在处）运行，或用"
            " pmo ingest / pmo watch 建立台账",
            f"no ledger here: {path} does not exist. Run this in the PMO's folder (where pmo.toml"
            " is), or create the ledger with pmo ingest / pmo watch",
        )


def _cannot_open(url: str, exc: Exception) -> LedgerError:
    if isinstance(exc, ImportError) and url.startswith("postgresql"):
        return LedgerError(
            f"无法打开台账 {url}：缺少 PostgreSQL 驱动（{exc}）。请安装："
            ' pip install "pmokit[postgres]"，并使用 postgresql+psycopg:// 地址',
            f"cannot open the ledger {url}: its PostgreSQL driver is missing ({exc}). Install it:"
            ' pip install "pmokit[postgres]", and use a postgresql+psycopg:// URL',
        )
    reason = database_reason(exc)
    return LedgerError(f"无法打开台账 {url}：{reason}", f"cannot open the ledger {url}: {reason}")


def database_reason(exc: Exception) -> str:
    """The database's own words, without SQLAlchemy's statement dump and help link."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


class Ledger:
    """The ledger of one PMO: tables built from the form specs, migrated on open."""

    def __init__(
        self,
        url: str,
        forms: dict[str, FormSpec],
        rebuild: bool = False,
        create: bool = True,
        prepare: bool = True,
    ) -> None:
        """Open (and migrate) the ledger at `url`; with `create` off, a SQLite ledger that does
        not exist yet is a NoLedgerError rather than a new empty one (read commands). With
        `rebuild`, it is emptied and made anew at once; with `prepare` off, what it holds is
        neither read nor changed until rebuilding() (it may be of specs since changed)."""
        self.url, self.forms = url, forms
        self._joined: Connection | None = None  # rebuilding()'s transaction, while it runs
        self.metadata = build_metadata(forms)
        sqlite = url.startswith("sqlite")
        # a new SQLite file is said to the user (pmo ingest, pmo watch): never a silent new PMO
        path = Path(url.removeprefix("sqlite:///"))
        self.created = sqlite and not path.exists()
        # Read commands (create off) read a ledger they may not write, without writing to it.
        self.read_only = sqlite and not create and path.exists() and bool(read_only_access(path))
        try:
            self.engine = _sqlite_engine(url, create) if sqlite else create_engine(url)
        except (SQLAlchemyError, ImportError) as exc:  # a bad URL, or its driver is missing
            raise _cannot_open(url, exc) from None
        try:
            if rebuild:
                with self.rebuilding():
                    pass
            elif prepare:
                self._prepare()
        except (SQLAlchemyError, LedgerError) as exc:
            self.engine.dispose()
            if isinstance(exc, LedgerError):
                raise
            raise _cannot_open(url, exc) from None

    def table(self, name: str):
        return self.metadata.tables[name]

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed on success, rolled back on any exception; a database
        failure becomes a LedgerError (one line for the user, exit 3), not a traceback.
        Inside rebuilding(), each write is a savepoint of its one transaction."""
        if self._joined is not None:
            with self._joined.begin_nested():  # a write that fails leaves nothing of itself
                yield self._joined
            return
        try:
            with self.engine.connect() as connection:
                connection.execution_options(pmo_write=True)
                with connection.begin():
                    if connection.dialect.name == "postgresql":  # one writer at a time, as
                        # SQLite's BEGIN IMMEDIATE: arrival numbers, duplicates and supersession
                        # are decided against a ledger no one else is changing meanwhile
                        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                    yield connection
        except SQLAlchemyError as exc:
            raise LedgerError(
                f"台账写入失败：{database_reason(exc)}",
                f"the ledger could not be written: {database_reason(exc)}",
            ) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection to read with (inside rebuilding(), its transaction: what it has written
        so far is what a rebuild's checks must see)."""
        if self._joined is not None:
            yield self._joined
            return
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def rebuilding(self) -> Iterator[Connection]:
        """One transaction in which the ledger is emptied, made anew from today's specs and
        filled: it commits whole or not at all, so a crash, or a rebuild that would change
        history, leaves the ledger as it was."""
        with self.write() as db:
            if db.dialect.name == "postgresql":  # dropping waits for readers: not for ever
                db.exec_driver_sql(f"SET LOCAL lock_timeout = '{REBUILD_LOCK_WAIT}'")
            existing = MetaData()
            existing.reflect(db)  # every table, form tables of specs since changed included
            existing.drop_all(db)
            self._create(db)
            self._joined = db
            try:
                yield db
            finally:
                self._joined = None

    def _prepare(self) -> None:
        if self.read_only:
            return self._check_read_only()
        with self.write() as db:
            if not inspect(db).has_table("meta"):
                return self._create(db)
            meta = dict(
                db.execute(select(self.table("meta").c.key, self.table("meta").c.value)).all()
            )
            self._migrate(db, int(meta.get("schema_version", "0")))
            if meta.get("forms") != forms_fingerprint(self.forms):
                raise LedgerError(
                    "表单定义已变更，台账需重建：请运行 pmo ledger rebuild",
                    "the form specs changed since this ledger was built; run `pmo ledger rebuild`",
                )

    def _create(self, db: Connection) -> None:
        """Today's tables, and the meta rows that say which pmokit and specs built them."""
        self.metadata.create_all(db)
        db.execute(
            insert(self.table("meta")),
            [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "forms", "value": forms_fingerprint(self.forms)},
            ],
        )

    def _check_read_only(self) -> None:
        """A ledger opened read-only is read as it is: it must be of this pmokit and these forms."""
        with self.read() as db:
            rows = db.execute(select(self.table("meta").c.key, self.table("meta").c.value)).all()
        meta = dict(rows)
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise LedgerError(
                f"台账 {self.url} 是只读的，需由可写入它的账户先用当前 pmokit 打开一次（升级结构）",
                f"the ledger {self.url} is read-only and needs upgrading by this pmokit: open it"
                " once from an account that can write it",
            )
        if meta.get("forms") != forms_fingerprint(self.forms):
            raise LedgerError(
                f"台账 {self.url} 是只读的，且表单定义已变更：需由可写入它的账户运行 pmo ledger"
                " rebuild",
                f"the ledger {self.url} is read-only and the form specs changed: an account that"
                " can write it must run `pmo ledger rebuild`",
            )

    def _migrate(self, db: Connection, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"台账结构版本 {version} 比当前 pmokit 更新，请升级 pmokit",
                f"the ledger is schema version {version}, newer than this pmokit",
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](db)
        db.execute(
            text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(SCHEMA_VERSION)},
        )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _converter(kind, dialect: str):
    """How a raw driver value becomes what SQLAlchemy would have returned; None: as it is.
    psycopg already returns dates and Decimals; SQLite returns dates as text, numbers as such."""
    if isinstance(kind, Boolean):
        return bool
    if dialect != "sqlite":
        return None
    if isinstance(kind, Date):
        return dt.date.fromisoformat
    if isinstance(kind, Numeric):
        return lambda v: Decimal(str(v))
    return None


IN_CHUNK = 900  # values per IN (...) list: under every driver's limit


def in_chunks(ids: list) -> Iterator[list]:
    """`ids` in pieces small enough for one IN (...) list each."""
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def fast_rows(db: Connection, statement, typed: bool = True) -> list[tuple]:
    """A large read as plain tuples: the statement compiled to SQL and run on the driver's own
    cursor, skipping SQLAlchemy's per-row processing (half the time of a 50 000-row read), each
    value converted by its column's type — or, not `typed`, as the driver gives it (SQLite:
    dates as ISO text, decimals as floats), for a reader that converts whole columns itself."""
    sql = str(statement.compile(dialect=db.dialect, compile_kwargs={"literal_binds": True}))
    convert = [
        (i, f)
        for i, c in enumerate(statement.selected_columns)
        if typed and (f := _converter(c.type, db.dialect.name)) is not None
    ]
    cursor = db.connection.cursor()
    try:
        cursor.execute(sql)
        raw = cursor.fetchall()
    finally:
        cursor.close()
    if not raw or not convert:
        return [tuple(row) for row in raw]
    # Converted a column at a time: the transposing and the loops stay in C where they can.
    columns = list(zip(*raw, strict=True))
    for i, f in convert:
        columns[i] = [None if v is None else f(v) for v in columns[i]]
    return list(zip(*columns, strict=True))


def ledger_summary(ledger: Ledger, day_start: dt.datetime) -> dict[str, dict[str, int]]:
    """Submissions by outcome (all, and received since `day_start`) and projects by state."""
    submissions, projects = ledger.table("submissions"), ledger.table("projects")
    since = day_start.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    with ledger.read() as db:
        outcomes = db.execute(
            select(submissions.c.outcome, func.count()).group_by(submissions.c.outcome)
        ).all()
        today = db.execute(
            select(submissions.c.outcome, func.count())
            .where(submissions.c.received_utc >= since)
            .group_by(submissions.c.outcome)
        ).all()
        states = db.execute(select(projects.c.state, func.count()).group_by(projects.c.state)).all()
    return {
        "submissions": dict(sorted(outcomes)),
        "today": dict(sorted(today)),
        "projects": dict(sorted(states)),
    }
