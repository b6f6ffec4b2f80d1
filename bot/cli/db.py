"""`policywatch db upgrade`: apply the database migrations (also done at every start)."""

from __future__ import annotations

import argparse

from bot.app.dbfile import announce_created, missing_database
from bot.app.settings import Settings
from store import make_engine, upgrade


async def db(args: argparse.Namespace, settings: Settings) -> int:
    new_file = missing_database(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        before, after = await upgrade(engine)
    finally:
        await engine.dispose()
    announce_created(new_file)
    if before is None:
        print(f"created every table: the database is at schema {after}")
    elif before != after:
        print(f"migrated the database from schema {before} to {after}")
    else:
        print(f"database is up to date (schema {after})")
    return 0
