"""The SQLite FTS5 search index, kept inside the registry's own database.

Tables (migration 0010): ``search_fts``, an FTS5 table without content whose columns hold the
prepared tokens of each instrument's text fields (see :func:`regclean.search.index_text`);
``search_docs``, one row per indexed instrument (its FTS row, and the values filters and sorting
use); ``search_state``, the log position and day the index reflects. An FTS5 table without
content cannot delete a row on SQLite before 3.43, so an instrument indexed again gets a new
FTS row and the old one is left unreferenced; a rebuild clears them once they are many.

Queries arrive as a small tree (see :class:`Leaf`), never as SQL: ``match`` leaves become one
FTS5 expression where the whole tree allows it (ranked by BM25), else SQL set tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

COLUMNS = ("title", "title_core", "number_text", "issuer", "department", "reasons", "body")
WEIGHTS = (3.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0)  # BM25 weights, as the whoosh engine's boosts
TITLE_COLUMNS = ("title", "title_core", "number_text")
META = ("kind", "status", "year", "date", "campaigns", "number", "title_len", "body_len")
# A query whose words are in more documents than this is ordered without BM25 (which scores
# every match): title matches first, shortest title first, then the others, shortest first.
DENSE_FROM = 8000
# An instrument's FTS row number is its title's length times STRIDE plus a counter: FTS5 gives
# matches in row order, so the title matches of a dense query come shortest first by reading
# only as many as a page needs (ties: the order they were indexed in).
STRIDE = 1 << 32


@attrs.frozen
class Leaf:
    """One test of a query tree.

    kind ``match``: ``text`` (an FTS5 token, quoted here) in ``column`` (None: any), a prefix
    when ``prefix``; kind ``number``: the indexed number equals ``text`` (``op`` "="), ends with
    it ("suffix") or starts with it ("prefix"); kind ``meta``: the indexed value ``column`` (one
    of META, or instrument_id) equals ``text``, or for ``op`` "range" lies in ``A..B`` (either
    end may be empty); kind ``all``: every instrument; ``none``: none.
    """

    kind: str
    text: str = ""
    column: str | None = None
    prefix: bool = False
    op: str = "="


Tree = Any  # Leaf | ("and", [Tree]) | ("or", [Tree]) | ("not", Tree)


@attrs.frozen
class Filters:
    """Exact filters: statuses (any of), kind, a year range, a campaign, an issuer tree."""

    statuses: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()  # any of
    years: tuple[int, int] | None = None
    campaign: str = ""
    issuer: Tree = None


class FtsStore:
    """The FTS5 index tables of one registry database, over its connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._counts: dict[str, int] = {}  # documents per term, at the state below
        self._counted_at: Any = None

    # -- state ------------------------------------------------------------------------------

    def state(self) -> tuple[int, dt.date, int] | None:
        """(log position, day, unreferenced FTS rows) the index reflects; None if never built."""
        row = self.conn.execute(
            "SELECT seq, day, orphans FROM search_state WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return int(row[0]), dt.date.fromisoformat(row[1]), int(row[2])

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])

    # -- writing (inside the caller's transaction) -------------------------------------------

    def clear(self) -> None:
        self.conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        self.conn.execute("DELETE FROM search_docs")
        self.conn.execute("DELETE FROM search_state")
        self.conn.execute("DELETE FROM search_counter")

    def remove(self, instrument_ids: Iterable[int]) -> int:
        """Forget these instruments; returns how many were indexed (their FTS rows remain,
        unreferenced, until a rebuild)."""
        removed = 0
        ids = list(instrument_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            cursor = self.conn.execute(
                f"DELETE FROM search_docs WHERE instrument_id IN ({marks})", chunk
            )
            removed += cursor.rowcount
        return removed

    def add(self, docs: Iterable[tuple[int, Sequence[str], Sequence[Any]]]) -> int:
        """Index instruments: (id, the COLUMNS' prepared texts, the META values), written in
        batches under row numbers never given before (an unreferenced FTS row keeps its own):
        the title's length times STRIDE, plus the next count."""
        row = self.conn.execute("SELECT next FROM search_counter WHERE id = 1").fetchone()
        counter = int(row[0]) if row else 0
        title_len = META.index("title_len")
        docs_sql = (
            f"INSERT INTO search_docs (docid, instrument_id, {', '.join(META)}) VALUES "
            f"(?, ?, {', '.join('?' * len(META))})"
        )
        fts_sql = (
            f"INSERT INTO search_fts (rowid, {', '.join(COLUMNS)}) VALUES "
            f"(?, {', '.join('?' * len(COLUMNS))})"
        )
        count = 0
        batch: list[tuple[int, int, Sequence[str], Sequence[Any]]] = []
        for instrument_id, texts, meta in docs:
            counter += 1
            batch.append((int(meta[title_len]) * STRIDE + counter, instrument_id, texts, meta))
            if len(batch) >= 500:
                count += self._write(docs_sql, fts_sql, batch)
        count += self._write(docs_sql, fts_sql, batch)
        self.conn.execute(
            "INSERT OR REPLACE INTO search_counter (id, next) VALUES (1, ?)", (counter,)
        )
        return count

    def _write(self, docs_sql: str, fts_sql: str, batch: list) -> int:
        self.conn.executemany(docs_sql, [(d, i, *meta) for d, i, _, meta in batch])
        self.conn.executemany(fts_sql, [(d, *texts) for d, _, texts, _ in batch])
        written = len(batch)
        batch.clear()
        return written

    def optimize(self) -> None:
        """Merge the index into one segment (after a rebuild)."""
        self.conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    def set_state(self, seq: int, day: dt.date, orphans: int) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO search_state (id, seq, day, orphans) VALUES (1, ?, ?, ?)",
            (seq, day.isoformat(), orphans),
        )

    # -- reading -----------------------------------------------------------------------------

    def query(
        self, tree: Tree, filters: Filters, sort: str, limit: int | None, offset: int = 0
    ) -> list[tuple[int, float]]:
        """(instrument id, score) of the instruments matching ``tree`` and ``filters``, best
        first or by date (``date``, ``date_asc``). Relevance: number matches first, then title
        matches (the title, its core and the number), then BM25 over every field."""
        where, params = self._filters(filters)
        if sort == "relevance":
            numbers, text = _split_numbers(tree)
            expression = _fts_expression(text) if text is not None else None
            if expression is not None:
                count = None if limit is None else limit + offset
                first = (
                    self._select(numbers, where, params, "d.instrument_id", count)
                    if numbers
                    else []
                )
                if count is not None and self._estimate(text) > DENSE_FROM:
                    ranked = self._dense(text, expression, where, params, count)
                else:
                    ranked = self._ranked(text, expression, where, params, count)
                seen = {i for i, _ in first}
                merged = first + [r for r in ranked if r[0] not in seen]
                return merged[offset:] if limit is None else merged[offset : offset + limit]
        order = {
            "date": "d.date DESC, d.instrument_id DESC",
            "date_asc": "d.date ASC, d.instrument_id",
        }.get(sort, "d.instrument_id")
        # most documents match: walk them in date order and stop at the limit, instead of
        # sorting every match
        walk = sort != "relevance" and limit is not None and self._estimate(tree) > DENSE_FROM
        rows = self._select(
            tree,
            where,
            params,
            order,
            None if limit is None else limit + offset,
            index="search_docs_date" if walk else None,
        )
        return rows[offset:]

    def _select(
        self,
        tree: Tree,
        where: list[str],
        params: list[Any],
        order: str,
        limit: int | None,
        index: str | None = None,
    ) -> list[tuple[int, float]]:
        test, tree_params = _sql(tree)
        indexed = f" INDEXED BY {index}" if index else ""
        sql = (
            f"SELECT d.instrument_id FROM search_docs d{indexed} WHERE ({test})"
            + "".join(f" AND {w}" for w in where)
            + f" ORDER BY {order}"
        )
        values = [*tree_params, *params]
        if limit is not None:
            sql += " LIMIT ?"
            values.append(limit)
        return [(int(r[0]), 0.0) for r in self.conn.execute(sql, values)]

    def _estimate(self, tree: Tree) -> float:
        """How many documents a query may match (counted up to DENSE_FROM + 1 for each word:
        enough to tell a dense query from the others)."""
        if isinstance(tree, Leaf):
            if tree.kind != "match":
                return 0.0 if tree.kind != "all" else float("inf")
            if tree.prefix:
                return float("inf")  # a prefix spans many words: treated as dense
            return float(self._frequency(tree.text))
        op, parts = tree
        if op == "not":
            return float("inf")
        positive = [p for p in parts if not (isinstance(p, tuple) and p[0] == "not")]
        if not positive:
            return float("inf")
        if op == "and":  # one sparse word makes the whole sparse: stop there
            least = float("inf")
            for part in positive:
                least = min(least, self._estimate(part))
                if least <= DENSE_FROM:
                    break
            return least
        return sum(self._estimate(p) for p in positive)

    def _frequency(self, term: str) -> int:
        """How many documents hold a term; remembered while the index stays at one state (it
        only chooses how results are ordered, never which are found)."""
        state = self.conn.execute("SELECT seq, orphans FROM search_state").fetchone()
        if state != self._counted_at:
            self._counts.clear()
            self._counted_at = state
        if term not in self._counts:
            if len(self._counts) > 10_000:
                self._counts.clear()
            row = self.conn.execute(  # counting stops past DENSE_FROM: a dense word is cheap
                "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
                "LIMIT ?)",
                (_quoted(term), DENSE_FROM + 1),
            ).fetchone()
            self._counts[term] = int(row[0])
        return self._counts[term]

    def _dense(
        self, tree: Tree, expression: str, where: list[str], params: list[Any], limit: int
    ) -> list[tuple[int, float]]:
        """A query most documents match, without scoring every match: the title matches,
        shortest title first, then the others, shortest text first."""
        filters = "".join(f" AND {w}" for w in where)
        member = "d.docid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
        found: list[tuple[int, float]] = []
        if not _has_column(tree):
            found = self._titles(expression, where, params, limit)
        if len(found) < limit:
            rows = self.conn.execute(
                f"SELECT d.instrument_id FROM search_docs d WHERE {member}{filters} "
                "ORDER BY d.body_len, d.instrument_id LIMIT ?",
                [expression, *params, limit + len(found)],
            )
            seen = {i for i, _ in found}
            found += [(int(r[0]), 1.0) for r in rows if int(r[0]) not in seen]
        return found[:limit]

    def _titles(
        self, expression: str, where: list[str], params: list[Any], limit: int | None
    ) -> list[tuple[int, float]]:
        """The instruments whose title fields match, shortest title first: FTS5 gives rows in
        row order, and row numbers follow the titles' length (see STRIDE)."""
        title = _titles_of(expression)
        # words in the title fields match the query; a NOT must still hold in every field
        match = f"{expression} AND ({title})" if " NOT " in expression else title
        rows = self._joined("", match, where, params, "search_fts.rowid", limit)
        return [(int(r[0]), 2.0) for r in rows]

    def _ranked(
        self, tree: Tree, expression: str, where: list[str], params: list[Any], limit: int | None
    ) -> list[tuple[int, float]]:
        weights = ", ".join(map(str, WEIGHTS))
        if _has_column(tree):  # the query names its fields: no title tier
            return self._filtered(expression, weights, where, params, limit)
        return self._tiers(expression, weights, where, params, limit)

    def _tiers(
        self, expression: str, weights: str, where: list[str], params: list[Any], limit: int | None
    ) -> list[tuple[int, float]]:
        """The title matches, shortest title first (read in row order: a page of them, whatever
        their number), then, if they do not fill the page, the others by BM25 (its own FTS5
        query, so that BM25 scores only those; without filters it stops at the limit)."""
        title = _titles_of(expression)
        tier = (
            self._tier
            if not where
            else functools.partial(self._filtered, where=where, params=params)
        )
        found = self._titles(expression, where, params, limit)
        if limit is None or len(found) < limit:
            seen = {i for i, _ in found}
            rest = tier(
                f"{expression} NOT ({title})",
                weights,
                limit=None if limit is None else limit - len(found),
            )
            found += [r for r in rest if r[0] not in seen]
        return found

    def _filtered(
        self, match: str, weights: str, where: list[str], params: list[Any], limit: int | None
    ) -> list[tuple[int, float]]:
        """Matches that pass the filters, by BM25 (every match is scored: the filters are
        tested on the joined rows)."""
        score = f", bm25(search_fts, {weights}) AS score"
        rows = self._joined(score, match, where, params, "score, d.instrument_id", limit)
        return [(int(r[0]), -float(r[1])) for r in rows]

    def _joined(
        self,
        columns: str,
        match: str,
        where: list[str],
        params: list[Any],
        order: str,
        limit: int | None,
    ) -> list[Any]:
        """Rows of the matches joined to their instruments and filtered: instrument_id, then
        ``columns``, in ``order``, up to ``limit``."""
        sql = (
            f"SELECT d.instrument_id{columns} FROM search_fts JOIN search_docs d ON d.docid = "
            "search_fts.rowid WHERE search_fts MATCH ?"
            + "".join(f" AND {w}" for w in where)
            + f" ORDER BY {order}"
        )
        values = [match, *params]
        if limit is not None:
            sql += " LIMIT ?"
            values.append(limit)
        return self.conn.execute(sql, values).fetchall()

    def _tier(self, match: str, weights: str, limit: int | None) -> list[tuple[int, float]]:
        fetch = None if limit is None else limit + 8
        while True:
            sql = (
                f"SELECT rowid, bm25(search_fts, {weights}) AS score FROM search_fts "
                "WHERE search_fts MATCH ? ORDER BY score, rowid"
            )
            rows = self.conn.execute(
                sql + ("" if fetch is None else f" LIMIT {int(fetch)}"), [match]
            ).fetchall()
            docids = [r[0] for r in rows]
            owners: dict[int, int] = {}
            for start in range(0, len(docids), 500):
                chunk = docids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                owners.update(
                    self.conn.execute(
                        f"SELECT docid, instrument_id FROM search_docs WHERE docid IN ({marks})",
                        chunk,
                    )
                )
            found = [(owners[d], -float(score)) for d, score in rows if d in owners]
            if fetch is None or len(rows) < fetch or len(found) >= limit:  # type: ignore[operator]
                return found if limit is None else found[:limit]
            fetch *= 4

    def _filters(self, filters: Filters) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.statuses:
            where.append(f"d.status IN ({','.join('?' * len(filters.statuses))})")
            params += list(filters.statuses)
        if filters.kind:
            where.append(f"d.kind IN ({', '.join('?' * len(filters.kind))})")
            params.extend(filters.kind)
        if filters.years is not None:
            where.append("d.year BETWEEN ? AND ?")
            params += list(filters.years)
        if filters.campaign:
            where.append("(',' || d.campaigns || ',') LIKE ?")
            params.append(f"%,{_like(filters.campaign)},%")
            where[-1] += " ESCAPE '\\'"
        if filters.issuer is not None:
            test, issuer_params = _sql(filters.issuer)
            where.append(f"({test})")
            params += issuer_params
        return where, params


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _split_numbers(tree: Tree) -> tuple[Tree, Tree]:
    """(number tests, the rest) of a tree that is an OR of both, as a query that may be a
    partial number is (``温政发``: the words, or a number starting so); (None, tree) else."""
    if isinstance(tree, tuple) and tree[0] == "or":
        numbers = [p for p in tree[1] if isinstance(p, Leaf) and p.kind == "number"]
        rest = [p for p in tree[1] if not (isinstance(p, Leaf) and p.kind == "number")]
        if numbers and rest:
            return ("or", numbers), (rest[0] if len(rest) == 1 else ("or", rest))
    return None, tree


def _titles_of(expression: str) -> str:
    """The expression limited to the title fields (the title, its core and the number)."""
    return f"{{{' '.join(TITLE_COLUMNS)}}} : {expression}"


def _has_column(tree: Tree) -> bool:
    if isinstance(tree, Leaf):
        return tree.column is not None
    op, parts = tree
    return _has_column(parts) if op == "not" else any(_has_column(p) for p in parts)


_META_COLUMNS = {"kind", "status", "year", "date", "campaigns", "instrument_id"}


def _meta_test(leaf: Leaf) -> tuple[str, list[Any]]:
    """A test of a value kept beside the text (kind, status, year …) on ``d``, in SQL both
    SQLite and PostgreSQL read (the tsvector engine uses it too)."""
    if leaf.column not in _META_COLUMNS:
        return "FALSE", []
    if leaf.op == "range":
        low, _, high = leaf.text.partition("..")
        tests, params = [], []
        if low:
            tests.append(f"d.{leaf.column} >= ?")
            params.append(int(low))
        if high:
            tests.append(f"d.{leaf.column} <= ?")
            params.append(int(high))
        return " AND ".join(tests) or f"d.{leaf.column} IS NOT NULL", params
    if leaf.column == "campaigns":
        return "(',' || d.campaigns || ',') LIKE ? ESCAPE '\\'", [f"%,{_like(leaf.text)},%"]
    if leaf.column in ("year", "instrument_id"):
        try:
            return f"d.{leaf.column} = ?", [int(leaf.text)]
        except ValueError:
            return "FALSE", []
    return f"d.{leaf.column} = ?", [leaf.text]


def _fts_expression(tree: Tree) -> str | None:
    """The tree as one FTS5 expression; None when it holds a test FTS5 cannot make (a number,
    everything, or a NOT without a positive side)."""
    if isinstance(tree, Leaf):
        if tree.kind != "match":
            return None
        phrase = _quoted(tree.text) + ("*" if tree.prefix else "")
        return f"{tree.column} : {phrase}" if tree.column else phrase
    op, parts = tree
    if op == "not":
        return None
    if op == "and":
        positive = [p for p in parts if not (isinstance(p, tuple) and p[0] == "not")]
        negative = [p[1] for p in parts if isinstance(p, tuple) and p[0] == "not"]
        if not positive:
            return None
        pos = [_fts_expression(p) for p in positive]
        neg = [_fts_expression(n) for n in negative]
        if any(e is None for e in pos + neg):
            return None
        expression = "(" + " AND ".join(pos) + ")"  # type: ignore[arg-type]
        if neg:  # one flat group: nesting a NOT per word overflowed FTS5's parser at ~90
            expression = f"({expression} NOT ({' OR '.join(neg)}))"  # type: ignore[arg-type]
        return expression
    found = [_fts_expression(p) for p in parts]
    if any(e is None for e in found):
        return None
    return "(" + " OR ".join(found) + ")"  # type: ignore[arg-type]


def sql_of(
    tree: Tree,
    whole: Callable[[Tree], tuple[str, list[Any]] | None],
    leaf: Callable[[Leaf], tuple[str, list[Any]]],
) -> tuple[str, list[Any]]:
    """The tree as an SQL test on ``d`` (search_docs): ``whole(tree)`` where one test of the
    engine's own can say it all, else ``leaf`` for each leaf and the parts combined with NOT,
    AND and OR (the combining both in-database engines share)."""
    found = whole(tree)
    if found is not None:
        return found
    if isinstance(tree, Leaf):
        return leaf(tree)
    op, parts = tree
    if op == "not":
        test, params = sql_of(parts, whole, leaf)
        return f"NOT ({test})", params
    none = Leaf("none")
    parts = [p for p in parts if p != none] if op == "or" else parts
    if (op == "and" and none in parts) or not parts:
        return "FALSE", []
    tests, params = [], []
    for part in parts:
        test, more = sql_of(part, whole, leaf)
        tests.append(f"({test})")
        params += more
    return (" AND " if op == "and" else " OR ").join(tests), params


def _sql(tree: Tree) -> tuple[str, list[Any]]:
    """The tree as an SQL test on ``d`` (search_docs), FTS5 parts as set tests."""

    def whole(part: Tree) -> tuple[str, list[Any]] | None:
        expression = _fts_expression(part)
        if expression is None:
            return None
        return "d.docid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)", [expression]

    def leaf(part: Leaf) -> tuple[str, list[Any]]:
        if part.kind in ("all", "none"):
            return ("TRUE" if part.kind == "all" else "FALSE"), []
        if part.kind == "meta":
            return _meta_test(part)
        if part.op == "=":
            return "d.number = ?", [part.text]
        if part.op == "prefix":  # a range, which the index on the number answers
            return "d.number >= ? AND d.number < ?", [part.text, part.text + "\U0010ffff"]
        return "d.number LIKE ? ESCAPE '\\'", [f"%{_like(part.text)}"]

    return sql_of(tree, whole, leaf)
