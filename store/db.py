"""Engines, database URLs and migrations: how the store reaches SQLite or PostgreSQL.

Does not hold queries. SQLite is the zero-set-up default (one file, WAL, a busy timeout);
PostgreSQL is for several processes. Alembic owns the schema; `upgrade` runs it in-process.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolResetState

from store.errors import StoreError

SUPPORTED = "sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
MIGRATIONS = Path(__file__).parent / "migrations"


class StoreConfigError(StoreError):
    """A database URL the store cannot use; the message says what is allowed."""


class StoreUnavailable(StoreError):
    """The database named by a valid URL cannot be opened: the message says why, in one line."""


# What a failed first connection means, and what to do about it (asyncpg's and SQLite's words).
_HINTS = (
    ("password authentication failed", "check the user and password in DATABASE_URL"),
    ("role", "create that role or use another user in DATABASE_URL"),
    ("does not exist", "create the database (createdb NAME) or fix its name in DATABASE_URL"),
    ("connect call failed", "is the server running and listening on that host and port?"),
    ("connection refused", "is the server running and listening on that host and port?"),
    ("unable to open database file", "the data folder must exist and be writable"),
    ("readonly database", "the database file or its folder is not writable"),
    ("read-only file system", "the data folder must be on a writable file system"),
    ("permission denied", "the data folder or file must be writable by this user"),
)


def unavailable(url: str, exc: BaseException) -> StoreUnavailable:
    """One line that names the database (password hidden), the reason and the remedy."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    first = first.removeprefix("(sqlite3.OperationalError) ").strip()
    hint = next((h for key, h in _HINTS if key in first.lower()), "")
    parsed = make_url(url)
    where = parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)
    return StoreUnavailable(
        f"cannot open the database {where}: {first}" + (f"; {hint}" if hint else "")
    )


# "user:password@" in a URL too malformed to parse: the password is hidden all the same.
_USER_PASSWORD = re.compile(r"([^\s/:@]+):[^\s@]*@")


def shown_url(url: str) -> str:
    """The URL as errors and logs may print it: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _USER_PASSWORD.sub(r"\1:***@", url)


def async_url(url: str) -> str:
    """Map a user's URL to its async driver (aiosqlite, asyncpg), refusing other schemes and
    the slips people make writing one (two slashes, no database name, libpq's sslmode, the
    postgres:// that hosting providers hand out)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreConfigError(f"cannot parse {shown_url(url)!r}; use {SUPPORTED}") from exc
    except ValueError:  # "invalid literal for int()": the port
        raise StoreConfigError(
            f"cannot parse the database URL: its port must be a number; use {SUPPORTED}"
        ) from None
    if parsed.drivername == "postgres":  # Heroku's and others' spelling of postgresql
        parsed = parsed.set(drivername="postgresql")
    backend = parsed.get_backend_name()
    shown = parsed.render_as_string(hide_password=True)
    if backend == "sqlite":
        if parsed.host or not parsed.database:
            raise StoreConfigError(
                f"{shown} names no database file: write sqlite:///data/policywatch.db (three "
                "slashes before a relative path, four before an absolute one)"
            )
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend == "postgresql":
        if not parsed.database:
            raise StoreConfigError(
                f"{shown} names no database: add /NAME, e.g. "
                "postgresql://user@127.0.0.1:5432/policywatch (without it the server's "
                "maintenance database would be used)"
            )
        query = dict(parsed.query)
        if "sslmode" in query:  # libpq's spelling, as hosting providers write it; asyncpg's is ssl
            query["ssl"] = query.pop("sslmode")
        return parsed.set(drivername="postgresql+asyncpg", query=query).render_as_string(
            hide_password=False
        )
    raise StoreConfigError(f"unknown database scheme {parsed.drivername!r}; use {SUPPORTED}")


def make_engine(url: str) -> AsyncEngine:
    """An async engine; for SQLite, WAL mode and a busy timeout on every connection."""
    full = async_url(url)
    if full.startswith("sqlite"):
        database = make_url(full).database
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise unavailable(url, exc) from exc
        # A pool as large as a cycle's concurrent polls (10) plus the bot's own work: opening a
        # SQLite connection (and its pragmas) per query cost more than the query itself, and a
        # pool of 5 under 10 concurrent polls opened 54 overflow connections in one cycle.
        # The pool's rollback on return costs a trip to the driver's thread per transaction,
        # even after a commit left nothing to undo (most of a cycle's ~120 write transactions):
        # `_rollback_if_open` does it only when a transaction is still open.
        engine = create_async_engine(full, pool_size=16, max_overflow=8, pool_reset_on_return=None)

        @event.listens_for(engine.sync_engine, "reset")
        def _rollback_if_open(dbapi_conn: Any, _record: Any, state: PoolResetState) -> None:
            if (
                state.asyncio_safe
                and not state.transaction_was_reset
                and _in_transaction(dbapi_conn)
            ):
                dbapi_conn.rollback()

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_async_engine(full, pool_size=5, max_overflow=5, pool_pre_ping=True)


def _in_transaction(dbapi_conn: Any) -> bool:
    """Whether an aiosqlite connection (under SQLAlchemy's adapter) has a transaction open;
    True when that cannot be told, so the rollback is done."""
    inner = getattr(dbapi_conn, "_connection", None)
    return bool(getattr(inner, "in_transaction", True))


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


# pg_advisory_xact_lock(MIGRATE_LOCK): one process migrates at a time.
MIGRATE_LOCK = 0x7075


def _upgrade_sync(connection: Connection, revision: str) -> tuple[str | None, str | None]:
    # Processes started together on a new database (a sender and watchers) would each create
    # the tables (QA: "table audit_log already exists"): the first to take the lock migrates,
    # the others then find the schema at its revision. The lock is the transaction's.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(MIGRATE_LOCK)))
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    before = MigrationContext.configure(connection).get_current_revision()
    known = ScriptDirectory.from_config(cfg)
    if before is not None and _unknown(known, before):
        # A newer policywatch migrated this database (a rolling upgrade, a rollback of the
        # code, an older watcher on another machine): its schema is not ours to touch.
        head = known.get_current_head()
        raise StoreConfigError(
            f"the database is at schema {before}, newer than this policywatch knows (up to "
            f"{head}): upgrade policywatch here to the version the other processes run"
        )
    command.upgrade(cfg, revision)
    return before, MigrationContext.configure(connection).get_current_revision()


def _unknown(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is None
    except CommandError:  # "Can't locate revision identified by ..."
        return True


async def upgrade(engine: AsyncEngine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database to `revision` (idempotent; run at every start); the schema's
    revisions before and after (None before: the database was empty).

    The first connection of a run happens here, so this is where a database that cannot be
    opened (no server, wrong role, no such database, an unwritable folder) becomes one
    StoreUnavailable line instead of a driver's traceback.
    """
    try:
        conn = await engine.connect()
    except (DBAPIError, OSError) as exc:
        raise unavailable(engine.url.render_as_string(hide_password=False), exc) from exc
    try:
        async with conn.begin():
            return await conn.run_sync(_upgrade_sync, revision)
    finally:
        await conn.close()
