"""`/search` over stored items: the full-text index of migration 0006, ranked by relevance.

SQLite reads the FTS5 table `items_fts`, PostgreSQL the tsvector column `items.search`
through its GIN index; both get the same terms from store.search_text, so a query finds the
same items on both, and both rank them with the same function. Does not parse or fold text
itself (store/search_text.py). The index is kept up to date by the triggers of migrations
0006 and 0014 and, on SQLite, by `index_pending` after each poll cycle
(store/search_index.py): until then the items a cycle stored are matched from its queue.

Ranking: the CANDIDATES most recently stored matches (highest item ids; a poll stores a
feed's items oldest first, so within a poll too the highest ids are the newest) are ranked by
`search_text.relevance` (BM25F-like: term frequency, the title weighted, against length),
then by publication date, newest first. Ranking every match of a common word at a million
items cost seconds on PostgreSQL, and FTS5's bm25() alone cost 50-85 ms for two common words
(it counts every document of each term); the recent matches are the ones asked about in a
news archive. SQLite reads them straight off FTS5, which walks its index newest rowid first;
PostgreSQL, slice by slice of ids.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from store.reading import _item, _items_query
from store.records import ItemRow
from store.schema import items
from store.search_index import SearchIndexQueries
from store.search_text import fold, fts5_match, parse_query, relevance, tsquery

CANDIDATES = 100
RANKED_CHARS = 2000  # of a summary, read for ranking (a feed may give 20,000)
FIRST_SLICE = 8192  # PostgreSQL: item ids in the first slice searched; each next is 4x wider

_SQLITE_HITS = text(
    "SELECT rowid FROM items_fts WHERE items_fts MATCH :match ORDER BY rowid DESC LIMIT :candidates"
)
# The values are rendered into the SQL (literal_execute) so that the planner sees the
# tsquery and the id range: with parameters it assumes any tsquery matches 0.5% of the rows.
_PG_SLICE_SQL = (
    "SELECT id FROM items WHERE search @@ to_tsquery('simple', :match) "
    "AND id > :low AND id <= :high ORDER BY {order} DESC LIMIT :want"
)
_PG_PARAMS = (
    bindparam("match", type_=String, literal_execute=True),
    bindparam("low", type_=Integer, literal_execute=True),
    bindparam("high", type_=Integer, literal_execute=True),
    bindparam("want", type_=Integer, literal_execute=True),
)
# In the first slice the planner may walk the primary key back from the newest id: a common
# word fills the candidates within a few hundred rows. In a wider slice that walk looked for
# a rare word row by row (a second at a million items); `id + 0` makes it read the matches
# off the GIN index and sort them instead.
_PG_FIRST_SLICE = text(_PG_SLICE_SQL.format(order="id")).bindparams(*_PG_PARAMS)
_PG_WIDER_SLICE = text(_PG_SLICE_SQL.format(order="id + 0")).bindparams(*_PG_PARAMS)


class SearchQueries(SearchIndexQueries):
    async def search_items(self, query: str, limit: int = 10) -> list[ItemRow]:
        """Stored items matching a typed search, best first, then newest.

        Raises store.search_text.SearchQueryError, whose message is for the person who
        typed the query (too many words, an unclosed quote, nothing to search for).
        """
        terms = parse_query(query)
        async with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                # Items stored since the index was last filled are matched first (they are
                # the newest); the index gives the rest (store/search_index.py).
                ids = await self.queued_matches(conn, terms, CANDIDATES)
                want = CANDIDATES - len(ids)
                if want > 0:
                    hits = _SQLITE_HITS.bindparams(match=fts5_match(terms), candidates=want)
                    ids += [r[0] for r in await conn.execute(hits)]
            else:
                ids = await self._newest_matches_postgresql(conn, tsquery(terms))
            ranking = select(
                items.c.id,
                items.c.title,
                func.substr(items.c.summary, 1, RANKED_CHARS).label("summary"),
                items.c.published_at,
                items.c.link,
            ).where(items.c.id.in_(ids))
            candidates = (await conn.execute(ranking)).all()
            scores = relevance(terms, [(r.title, r.summary) for r in candidates])
            ranked = sorted(
                zip(scores, candidates, strict=True),
                key=lambda pair: (-pair[0], -pair[1].published_at.timestamp(), -pair[1].id),
            )
            best = _one_per_story([r for _, r in ranked], limit)
            rows = await conn.execute(_items_query().where(items.c.id.in_(best)))
            found = {r.id: _item(r) for r in rows}
        return [found[i] for i in best if i in found]

    async def _newest_matches_postgresql(self, conn: AsyncConnection, match: str) -> list[int]:
        """The ids of the newest CANDIDATES matches, a slice of ids at a time, newest first.

        A GIN index gives every match of a word at once, unordered, and each must be read
        from the table to be ordered by id: a word in a third of a million items cost
        seconds. Slices bound that: a common word fills the candidates from the first
        slice; a rare one widens the slice 4x a time, and its few matches are cheap to read.
        """
        high = await conn.scalar(select(func.max(items.c.id)))
        width = FIRST_SLICE
        ids: list[int] = []
        while high is not None and high > 0 and len(ids) < CANDIDATES:
            low = max(high - width, 0)
            params = {"match": match, "low": low, "high": high, "want": CANDIDATES - len(ids)}
            statement = _PG_FIRST_SLICE if width == FIRST_SLICE else _PG_WIDER_SLICE
            ids += [r[0] for r in await conn.execute(statement, params)]
            high, width = low, width * 4
        return ids


SAME_STORY = timedelta(days=2)  # one headline this close in time is one story's copies


def _one_per_story(ranked: list[Any], limit: int) -> list[int]:
    """The ids of the first `limit` rows, a story once: an article several feeds carry (one
    link), and wire copy several outlets carry under one headline within SAME_STORY (QA:
    eight copies of one headline filled a page of ten); one headline a month apart is two."""
    links: set[str] = set()
    titles: dict[str, list[datetime]] = {}
    best: list[int] = []
    for r in ranked:
        if r.link and r.link in links:
            continue
        title = " ".join(fold(r.title).split())
        when = titles.setdefault(title, [])
        if any(abs(r.published_at - t) <= SAME_STORY for t in when):
            continue
        when.append(r.published_at)
        if r.link:
            links.add(r.link)
        best.append(r.id)
        if len(best) == limit:
            break
    return best
