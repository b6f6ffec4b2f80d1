"""`/search` over stored items: the full-text index of migration 0006, ranked by relevance.

SQLite reads the FTS5 table `items_fts` (bm25), PostgreSQL the tsvector column `items.search`
through its GIN index (ts_rank); both get the same terms from store.search_text, so a query
means the same on both. Does not parse or fold text itself (store/search_text.py) and does
not keep the index up to date (the migration's triggers and generated column do).

Ranking: the CANDIDATES most recently stored matches (highest item ids) are ranked by
relevance, then by publication date, newest first. Ranking every match of a common word at a
million items cost seconds on PostgreSQL; a bounded set keeps `/search` under 100 ms, and in
a news archive the recent matches are the ones asked about. SQLite reads them straight off
FTS5 (which walks its index by rowid, newest first); PostgreSQL, slice by slice of ids.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String, bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase
from store.reading import _item, _items_query
from store.records import ItemRow
from store.schema import items
from store.search_text import fts5_match, parse_query, tsquery

CANDIDATES = 200
TITLE_WEIGHT = 2.5  # a word in the title counts 2.5 times one in the summary (ts_rank: A/B)
FIRST_SLICE = 8192  # PostgreSQL: item ids in the first slice searched; each next is 4x wider

_SQLITE_HITS = text(
    f"SELECT rowid AS id, bm25(items_fts, {TITLE_WEIGHT}, 1.0) AS score FROM items_fts "
    "WHERE items_fts MATCH :match ORDER BY rowid DESC LIMIT :candidates"
).columns(id=Integer, score=Float)
# ts_rank's normalization 1 divides by 1 + log(length), as bm25 favours short documents. The
# values are rendered into the SQL (literal_execute) so that the planner sees the tsquery and
# the id range: with parameters it assumes any tsquery matches 0.5% of the rows.
_PG_SLICE = text(
    "SELECT id, -ts_rank(search, to_tsquery('simple', :match), 1) AS score, published_at "
    "FROM items WHERE search @@ to_tsquery('simple', :match) AND id > :low AND id <= :high "
    "ORDER BY id DESC LIMIT :want"
).bindparams(
    bindparam("match", type_=String, literal_execute=True),
    bindparam("low", type_=Integer, literal_execute=True),
    bindparam("high", type_=Integer, literal_execute=True),
    bindparam("want", type_=Integer, literal_execute=True),
)


class SearchQueries(StoreBase):
    async def search_items(self, query: str, limit: int = 10) -> list[ItemRow]:
        """Stored items matching a typed search, best first, then newest.

        Raises store.search_text.SearchQueryError, whose message is for the person who
        typed the query (too many words, an unclosed quote, nothing to search for).
        """
        terms = parse_query(query)
        async with self.engine.connect() as conn:
            if self.dialect != "sqlite":
                return await self._search_postgresql(conn, tsquery(terms), limit)
            hits = _SQLITE_HITS.bindparams(match=fts5_match(terms), candidates=CANDIDATES)
            found = hits.subquery("hits")
            # bm25 is negative: lower is better
            statement = (
                _items_query()
                .join(found, found.c.id == items.c.id)
                .order_by(found.c.score, items.c.published_at.desc(), items.c.id.desc())
                .limit(limit)
            )
            return [_item(r) for r in await conn.execute(statement)]

    async def _search_postgresql(
        self, conn: AsyncConnection, match: str, limit: int
    ) -> list[ItemRow]:
        """The newest CANDIDATES matches, a slice of ids at a time, newest slice first.

        A GIN index gives every match of a word at once, unordered, and each must be read
        from the table to be ordered by id: a word in a third of a million items cost
        seconds. Slices bound that: a common word fills the candidates from the first
        slice; a rare one widens the slice 4x a time, and its few matches are cheap to read.
        """
        high = await conn.scalar(select(func.max(items.c.id)))
        width = FIRST_SLICE
        hits: list[tuple[float, datetime, int]] = []
        while high is not None and high > 0 and len(hits) < CANDIDATES:
            low = max(high - width, 0)
            want = CANDIDATES - len(hits)
            rows = await conn.execute(
                _PG_SLICE, {"match": match, "low": low, "high": high, "want": want}
            )
            hits += [(r.score, r.published_at, r.id) for r in rows]
            high, width = low, width * 4
        # ts_rank negated: lower is better; then newest, then the latest stored
        best = sorted(hits, key=lambda h: (h[0], -h[1].timestamp(), -h[2]))[:limit]
        order = {item_id: n for n, (_, _, item_id) in enumerate(best)}
        rows = await conn.execute(_items_query().where(items.c.id.in_(list(order))))
        return sorted((_item(r) for r in rows), key=lambda it: order[it.id])
