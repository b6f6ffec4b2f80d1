"""`/search` over stored items: the full-text index of migration 0006, ranked by relevance.

SQLite reads the FTS5 table `items_fts` (bm25), PostgreSQL the tsvector column `items.search`
through its GIN index (ts_rank); both get the same terms from store.search_text, so a query
means the same on both. Does not parse or fold text itself (store/search_text.py) and does
not keep the index up to date (the migration's triggers and generated column do).

Ranking: the CANDIDATES most recently stored matches (highest item ids, read straight off the
index) are ranked by relevance, then by publication date, newest first. Ranking every match
of a common word at a million items cost seconds on PostgreSQL; a bounded set keeps `/search`
under 100 ms, and for a news archive the recent matches are the ones asked about.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, text

from store.base import StoreBase
from store.reading import _item, _items_query
from store.records import ItemRow
from store.schema import items
from store.search_text import fts5_match, parse_query, tsquery

CANDIDATES = 1000
TITLE_WEIGHT = 2.5  # a word in the title counts 2.5 times one in the summary (ts_rank: A/B)

_SQLITE_HITS = text(
    f"SELECT rowid AS id, bm25(items_fts, {TITLE_WEIGHT}, 1.0) AS score FROM items_fts "
    "WHERE items_fts MATCH :match ORDER BY rowid DESC LIMIT :candidates"
)
# ts_rank's normalization 1 divides by 1 + log(length), as bm25 favours short documents.
_PG_HITS = text(
    "SELECT items.id AS id, -ts_rank(items.search, q.q, 1) AS score "
    "FROM items, to_tsquery('simple', :match) AS q(q) "
    "WHERE items.search @@ q.q ORDER BY items.id DESC LIMIT :candidates"
)


class SearchQueries(StoreBase):
    async def search_items(self, query: str, limit: int = 10) -> list[ItemRow]:
        """Stored items matching a typed search, best first, then newest.

        Raises store.search_text.SearchQueryError, whose message is for the person who
        typed the query (too many words, an unclosed quote, nothing to search for).
        """
        terms = parse_query(query)
        if self.dialect == "sqlite":
            hits_sql, match = _SQLITE_HITS, fts5_match(terms)
        else:
            hits_sql, match = _PG_HITS, tsquery(terms)
        hits = (
            hits_sql.bindparams(match=match, candidates=CANDIDATES)
            .columns(id=Integer, score=Float)
            .subquery("hits")
        )
        # score: lower is better on both (bm25 is negative, ts_rank is negated above).
        statement = (
            _items_query()
            .join(hits, hits.c.id == items.c.id)
            .order_by(hits.c.score, items.c.published_at.desc(), items.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [_item(r) for r in await conn.execute(statement)]
