"""Test databases: a fresh SQLite file or a fresh PostgreSQL database per test.

PostgreSQL is expected at 127.0.0.1:5432 (database `test`, user `postgres`, no password), or
wherever POLICYWATCH_TEST_PG says. Without it the PostgreSQL cases skip with the reason;
under CI=true they fail instead, because CI must exercise both databases.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Iterator

import pytest

PG_ADMIN = os.environ.get("POLICYWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_counter = itertools.count()
_pg_state: dict[str, object] = {}


def _pg_url(database: str) -> str:
    base, _, _ = PG_ADMIN.rpartition("/")
    return f"{base}/{database}"


async def _pg_exec(sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(PG_ADMIN.replace("postgresql://", "postgres://"), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    if "ok" in _pg_state:
        return None if _pg_state["ok"] else str(_pg_state["why"])
    try:
        asyncio.run(_pg_exec("SELECT 1"))
        _pg_state["ok"] = True
        return None
    except Exception as exc:  # any failure to connect means "not here"
        _pg_state["ok"] = False
        _pg_state["why"] = f"PostgreSQL not reachable at {PG_ADMIN}: {exc}"
        return str(_pg_state["why"])


def require_pg() -> None:
    why = pg_available()
    if why is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why} (CI=true: PostgreSQL tests must run)")
    pytest.skip(why)


def _template() -> str:
    """A database migrated once per test session; each test copies it (fast)."""
    if "template" not in _pg_state:
        from store import make_engine, upgrade

        name = f"pw_template_{os.getpid()}"
        asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}"'))
        asyncio.run(_pg_exec(f'CREATE DATABASE "{name}"'))

        async def migrate() -> None:
            engine = make_engine(_pg_url(name))
            await upgrade(engine)
            await engine.dispose()

        asyncio.run(migrate())
        _pg_state["template"] = name
    return str(_pg_state["template"])


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A URL of an empty, migrated database of the kind the test is parametrized with."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/policywatch.db"
        return
    require_pg()
    template = _template()
    name = f"pw_{os.getpid()}_{next(_counter)}"
    asyncio.run(_pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url(name)
    finally:
        asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def cleanup_template() -> None:
    if "template" in _pg_state:
        asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{_pg_state["template"]}" WITH (FORCE)'))


BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
