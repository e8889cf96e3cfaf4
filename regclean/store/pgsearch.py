"""The search index on PostgreSQL: regclean's own tokens in a ``tsvector`` with a GIN index.

The same tokens as the FTS5 engine's (the CJK pairs and words of
:func:`regclean.search.index_text`), written as ``tsvector`` values exactly as made (no text
search parser: Debian's PostgreSQL has no Chinese one, and none is needed), and the same query
tree (:class:`~regclean.store.fts.Leaf`), so the query language is the FTS5 engine's word for
word. One table, ``search_docs``, holds per instrument the values filters and sorting use and:

- ``doc``: every field's tokens, each field weighted as the FTS5 engine weighs it (the title
  A, its core and the number B, issuer, department and reasons C, the body D), each token with
  the position of its first occurrence in a field (enough to weigh it; phrases are checked
  against the stored text, as on every engine), under a GIN index;
- ``titles``: the tokens of the title, its core and the number, without positions, under a
  GIN index of its own: the title tier of a query is one exact lookup there;
- ``core_v``, ``number_v``, ``issuer_v``, ``department_v``, ``reasons_v``: one field's tokens
  each, so that ``issuer:X`` is that field only (the weight narrows, these decide).

Relevance is the FTS5 engine's order: number matches first, then the documents whose title
fields match (shortest title first), then the others by ``ts_rank`` with the same weights, or,
for a word more than ``DENSE_FROM`` documents hold, shortest text first without scoring every
match (as the FTS5 engine does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from .fts import (
    COLUMNS,
    DENSE_FROM,
    META,
    STRIDE,
    TITLE_COLUMNS,
    Filters,
    Leaf,
    Tree,
    _has_column,
    _like,
    _meta_test,
    _split_numbers,
    sql_of,
)

# each field's weight in ``doc`` (ts_rank's weights are {D, C, B, A}: the FTS5 weights 1, 1, 2, 3)
WEIGHT = {"title": "A", "title_core": "B", "number_text": "B", "issuer": "C", "department": "C",
          "reasons": "C", "body": "D"}  # fmt: skip
RANK_WEIGHTS = "{0.333, 0.333, 0.667, 1.0}"
# the fields that share a weight keep a vector of their own, which decides a field:value test
OWN_VECTOR = {"title_core": "core_v", "number_text": "number_v", "issuer": "issuer_v",
              "department": "department_v", "reasons": "reasons_v"}  # fmt: skip
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this
MAX_LEXEME = 255  # characters of a token kept (PostgreSQL refuses a lexeme of 2 KB or more)
# what one vector may hold: PostgreSQL refuses a tsvector of 1 MB or more, so a text's words
# past this size (a body of some 100,000 distinct pairs) are left out of the index
MAX_VECTOR_BYTES = 800_000

SCHEMA = """
CREATE TABLE search_docs (
    docid BIGINT PRIMARY KEY,
    instrument_id BIGINT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    year INTEGER,
    date TEXT NOT NULL DEFAULT '',
    campaigns TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    title_len INTEGER NOT NULL DEFAULT 0,
    body_len INTEGER NOT NULL DEFAULT 0,
    doc TSVECTOR NOT NULL,
    titles TSVECTOR NOT NULL,
    core_v TSVECTOR NOT NULL,
    number_v TSVECTOR NOT NULL,
    issuer_v TSVECTOR NOT NULL,
    department_v TSVECTOR NOT NULL,
    reasons_v TSVECTOR NOT NULL);
CREATE INDEX search_docs_doc ON search_docs USING GIN (doc);
CREATE INDEX search_docs_titles ON search_docs USING GIN (titles);
CREATE INDEX search_docs_body_len ON search_docs (body_len, instrument_id);
CREATE INDEX search_docs_number ON search_docs (number text_pattern_ops);
CREATE INDEX search_docs_date ON search_docs (date, instrument_id);
CREATE INDEX search_docs_title_len ON search_docs (title_len, docid);
CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    day TEXT NOT NULL,
    orphans INTEGER NOT NULL DEFAULT 0);
CREATE TABLE search_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    next BIGINT NOT NULL);
-- derived data: every account keeps it up to date as it searches
GRANT SELECT, INSERT, UPDATE, DELETE ON search_docs, search_state, search_counter
    TO regclean_department, regclean_office;
"""


def _lexeme(token: str) -> str:
    """A token as a quoted lexeme of a tsvector or tsquery literal."""
    token = token[:MAX_LEXEME]
    if "'" in token or "\\" in token:
        token = token.replace("\\", "\\\\").replace("'", "''")
    return "'" + token + "'"


def vector(fields: Iterable[tuple[str, str]]) -> str:
    """A tsvector literal of (prepared text, weight) pairs: each token once per field, at the
    position of its first occurrence there (counted across the fields) with the field's weight;
    with no weight given, each token once, without a position. A vector stops taking new tokens
    at MAX_VECTOR_BYTES (the title fields come first, so they are always in)."""
    positions: dict[str, list[str]] = {}
    at = size = 0
    for text, weight in fields:
        tokens = text.split()
        # each token's first place in this field (read backwards, the first place is the last
        # one a token is given: the loop runs in C), then in the order of the text, so that a
        # full vector keeps a text's opening
        first = dict(zip(reversed(tokens), range(at + len(tokens), at, -1), strict=True))
        at += len(tokens)
        for token, place in sorted(first.items(), key=itemgetter(1)):
            token = token[:MAX_LEXEME]
            marks = positions.get(token)
            if marks is None:
                size += len(token.encode("utf-8")) + 8  # the lexeme, its entry, a position
                if size > MAX_VECTOR_BYTES:
                    break  # full: later words of a very long text stay out of the index
                marks = positions[token] = []
            if weight:
                marks.append(f"{min(place, MAX_POSITION)}{weight}")
    return " ".join(
        f"{_lexeme(t)}:{','.join(p)}" if p else _lexeme(t) for t, p in positions.items()
    )


def _query_leaf(leaf: Leaf) -> str:
    """One match leaf as a tsquery operand: the token, a prefix (:*), its field's weight."""
    weight = WEIGHT[leaf.column] if leaf.column else ""
    suffix = ("*" if leaf.prefix else "") + weight
    return _lexeme(leaf.text) + (f":{suffix}" if suffix else "")


def _tsquery(tree: Tree) -> str | None:
    """The tree as one tsquery; None when it holds a test a tsquery cannot make (a number, a
    value kept beside the text, everything, a field that shares its weight, or a NOT without a
    positive side)."""
    if isinstance(tree, Leaf):
        if tree.kind != "match" or (tree.column in OWN_VECTOR):
            return None
        return _query_leaf(tree)
    op, parts = tree
    if op == "not":
        return None
    if op == "and":
        positive = [p for p in parts if not (isinstance(p, tuple) and p[0] == "not")]
        negative = [p[1] for p in parts if isinstance(p, tuple) and p[0] == "not"]
        if not positive:
            return None
        pos = [_tsquery(p) for p in positive]
        neg = [_tsquery(n) for n in negative]  # a NOT holds in every field
        if any(q is None for q in pos + neg):
            return None
        return "(" + " & ".join([*pos, *(f"!({n})" for n in neg)]) + ")"  # type: ignore[list-item]
    found = [_tsquery(p) for p in parts]
    if any(q is None for q in found):
        return None
    return "(" + " | ".join(found) + ")"  # type: ignore[arg-type]


def _sql(tree: Tree) -> tuple[str, list[Any]]:
    """The tree as an SQL test on ``d`` (search_docs): one GIN lookup where a tsquery can say
    it all, else the parts as tests of their own (combined as on FTS5: :func:`fts.sql_of`)."""

    def whole(part: Tree) -> tuple[str, list[Any]] | None:
        query = _tsquery(part)
        return ("d.doc @@ ?::tsquery", [query]) if query is not None else None

    def leaf(part: Leaf) -> tuple[str, list[Any]]:
        if part.kind in ("all", "none"):
            return ("TRUE" if part.kind == "all" else "FALSE"), []
        if part.kind == "match":  # a field that shares its weight: narrowed, then decided
            own = _lexeme(part.text) + (":*" if part.prefix else "")
            return (
                f"(d.doc @@ ?::tsquery AND d.{OWN_VECTOR[part.column]} @@ ?::tsquery)",
                [_query_leaf(part), own],
            )
        if part.kind == "meta":
            return _meta_test(part)
        if part.op == "=":
            return "d.number = ?", [part.text]
        if part.op == "prefix":
            return "d.number LIKE ? ESCAPE '\\'", [f"{_like(part.text)}%"]
        return "d.number LIKE ? ESCAPE '\\'", [f"%{_like(part.text)}"]

    return sql_of(tree, whole, leaf)


class PgFtsStore:
    """The search index tables of a PostgreSQL registry, over its connection: the interface of
    :class:`~regclean.store.fts.FtsStore`, which :class:`~regclean.search.FtsIndex` drives."""

    def __init__(self, conn: Any):
        self.conn = conn

    # -- state ------------------------------------------------------------------------------

    def state(self) -> tuple[int, dt.date, int] | None:
        row = self.conn.execute(
            "SELECT seq, day, orphans FROM search_state WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return int(row[0]), dt.date.fromisoformat(row[1]), int(row[2])

    def count(self) -> int:
        """How many instruments the index holds, as the planner's statistics say (refreshed by
        every rebuild); it only decides when a rebuild pays, so an estimate serves, and counting
        100,000 rows after every write would not."""
        row = self.conn.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'search_docs'::regclass"
        ).fetchone()
        if row is None or row[0] is None or float(row[0]) < 0:
            return int(self.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])
        return int(row[0])

    # -- writing (inside the caller's transaction) -------------------------------------------

    def clear(self) -> None:
        for table in ("search_docs", "search_state", "search_counter"):
            self.conn.execute(f"DELETE FROM {table}")

    def remove(self, instrument_ids: Iterable[int]) -> int:
        """Forget these instruments; returns how many were indexed (nothing is left behind:
        a tsvector row is deleted with its instrument's)."""
        ids = list(instrument_ids)
        removed = 0
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            cursor = self.conn.execute(
                "DELETE FROM search_docs WHERE instrument_id = ANY(?)", (chunk,)
            )
            removed += cursor.rowcount
        return removed

    def add(self, docs: Iterable[tuple[int, Sequence[str], Sequence[Any]]]) -> int:
        """Index instruments: (id, the COLUMNS' prepared texts, the META values), under row
        numbers in the order of the titles' length (as the FTS5 engine numbers them)."""
        row = self.conn.execute("SELECT next FROM search_counter WHERE id = 1").fetchone()
        counter = int(row[0]) if row else 0
        title_len = META.index("title_len")
        sql = (
            f"INSERT INTO search_docs (docid, instrument_id, {', '.join(META)}, doc, titles, "
            f"core_v, number_v, issuer_v, department_v, reasons_v) VALUES (?, ?, "
            f"{', '.join('?' * len(META))}, ?::tsvector, ?::tsvector, ?::tsvector, "
            "?::tsvector, ?::tsvector, ?::tsvector, ?::tsvector)"
        )
        batch: list[tuple[Any, ...]] = []
        count = 0
        for instrument_id, texts, meta in docs:
            counter += 1
            fields = dict(zip(COLUMNS, texts, strict=True))
            own = [vector([(fields[name], "")]) for name in OWN_VECTOR]
            titles = vector([(" ".join(fields[name] for name in TITLE_COLUMNS), "")])
            batch.append(
                (
                    int(meta[title_len]) * STRIDE + counter,
                    instrument_id,
                    *meta,
                    vector((fields[name], WEIGHT[name]) for name in COLUMNS),
                    titles,
                    *own,
                )
            )
            if len(batch) >= 500:
                self.conn.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            self.conn.executemany(sql, batch)
            count += len(batch)
        self.conn.execute(
            "INSERT INTO search_counter (id, next) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET next = excluded.next",
            (counter,),
        )
        return count

    def optimize(self) -> None:
        """After a rebuild: the planner's statistics of the new rows."""
        self.conn.execute("ANALYZE search_docs")

    def set_state(self, seq: int, day: dt.date, orphans: int) -> None:
        self.conn.execute(
            "INSERT INTO search_state (id, seq, day, orphans) VALUES (1, ?, ?, ?) ON CONFLICT "
            "(id) DO UPDATE SET seq = excluded.seq, day = excluded.day, orphans = excluded.orphans",
            (seq, day.isoformat(), orphans),
        )

    # -- reading -----------------------------------------------------------------------------

    def query(
        self, tree: Tree, filters: Filters, sort: str, limit: int | None, offset: int = 0
    ) -> list[tuple[int, float]]:
        """(instrument id, score) of the instruments matching ``tree`` and ``filters``, best
        first or by date (``date``, ``date_asc``): the FTS5 engine's order (see the module)."""
        where, params = self._filters(filters)
        count = None if limit is None else limit + offset
        if sort == "relevance":
            numbers, text = _split_numbers(tree)
            query = _tsquery(text) if text is not None else None
            if query is not None or (text is not None and _has_match(text)):
                first = (
                    self._select(numbers, where, params, "d.instrument_id", count)
                    if (numbers)
                    else []
                )
                ranked = self._ranked(text, where, params, count)
                seen = {i for i, _ in first}
                merged = first + [r for r in ranked if r[0] not in seen]
                return merged[offset:] if limit is None else merged[offset : offset + limit]
        order = {
            "date": "d.date DESC, d.instrument_id DESC",
            "date_asc": "d.date ASC, d.instrument_id",
        }.get(sort, "d.instrument_id")
        return self._select(tree, where, params, order, count)[offset:]

    def _select(
        self,
        tree: Tree,
        where: list[str],
        params: list[Any],
        order: str,
        limit: int | None,
        score: str = "",
        score_params: Sequence[Any] = (),
    ) -> list[tuple[int, float]]:
        test, tree_params = _sql(tree)
        sql = (
            f"SELECT d.instrument_id{score or ', 0.0'} FROM search_docs d WHERE ({test})"
            + "".join(f" AND {w}" for w in where)
            + f" ORDER BY {order}"
        )
        values = [*score_params, *tree_params, *params]
        if limit is not None:
            sql += " LIMIT ?"
            values.append(limit)
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, values)]

    def _ranked(
        self, tree: Tree, where: list[str], params: list[Any], limit: int | None
    ) -> list[tuple[int, float]]:
        """The title matches, shortest title first, then the other matches by ts_rank (or, for
        a query most documents match, shortest text first); a query that names its fields has
        no title tier."""
        query = _positive_query(tree)
        score = f", ts_rank('{RANK_WEIGHTS}', d.doc, ?::tsquery, 1)"
        if _has_column(tree) or query is None:
            return self._select(
                tree,
                where,
                params,
                "2 DESC, d.instrument_id",
                limit,
                score if query else "",
                [query] if query else [],
            )
        title = "d.titles @@ ?::tsquery"  # the words in the title fields; a NOT holds anywhere
        found = self._select(tree, [*where, title], [*params, query], "d.title_len, d.docid", limit)
        found = [(i, 2.0) for i, _ in found]
        if limit is None or len(found) < limit:
            rest_limit = None if limit is None else limit - len(found)
            dense = limit is not None and self._frequency(query) > DENSE_FROM  # only when needed
            if dense:  # most documents hold it: shortest text first, nothing scored
                rest = self._select(
                    tree,
                    [*where, f"NOT ({title})"],
                    [*params, query],
                    "d.body_len, d.instrument_id",
                    rest_limit,
                )
            else:
                rest = self._select(
                    tree,
                    [*where, f"NOT ({title})"],
                    [*params, query],
                    "2 DESC, d.instrument_id",
                    rest_limit,
                    score,
                    [query],
                )
            seen = {i for i, _ in found}
            found += [(i, 1.0 if dense else s) for i, s in rest if i not in seen]
        return found

    def _frequency(self, query: str) -> int:
        """How many documents a query's words match, counted up to DENSE_FROM + 1 (enough to
        tell a dense query from the others)."""
        row = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE doc @@ ?::tsquery LIMIT ?) m",
            (query, DENSE_FROM + 1),
        ).fetchone()
        return int(row[0])

    def _filters(self, filters: Filters) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.statuses:
            where.append("d.status = ANY(?)")
            params.append(list(filters.statuses))
        if filters.kind:
            where.append("d.kind = ANY(?)")
            params.append(list(filters.kind))
        if filters.years is not None:
            where.append("d.year BETWEEN ? AND ?")
            params += list(filters.years)
        if filters.campaign:
            where.append("(',' || d.campaigns || ',') LIKE ? ESCAPE '\\'")
            params.append(f"%,{_like(filters.campaign)},%")
        if filters.issuer is not None:
            test, issuer_params = _sql(filters.issuer)
            where.append(f"({test})")
            params += issuer_params
        return where, params


def _has_match(tree: Tree) -> bool:
    if isinstance(tree, Leaf):
        return tree.kind == "match"
    op, parts = tree
    return _has_match(parts) if op == "not" else any(_has_match(p) for p in parts)


def _positive_query(tree: Tree) -> str | None:
    """A tsquery of the words a tree looks for (to rank by), its field tests read as words."""
    if isinstance(tree, Leaf):
        return _lexeme(tree.text) + (":*" if tree.prefix else "") if tree.kind == "match" else None
    op, parts = tree
    if op == "not":
        return None
    found = [q for p in parts if (q := _positive_query(p)) is not None]
    if not found:
        return None
    return "(" + (" & " if op == "and" else " | ").join(found) + ")"
