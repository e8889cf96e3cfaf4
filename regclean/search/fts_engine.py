"""The FTS5 engine: SQLite FTS5 tables inside the registry's database (see
:mod:`regclean.store.fts`), with a query parser of its own, so that searching imports no whoosh.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..docnumber import DocNumber
from ..errors import BusyError, VocabularyError
from ..store import Reader
from ..store.fts import Filters, FtsStore, Leaf
from ..vocab import Kind, Status
from .core import (
    _HAN_RUN,
    _QUOTES,
    FIELD_ALIASES,
    REBUILD_MIN,
    REBUILD_SHARE,
    SYNC_WAIT,
    TEXT_FIELDS,
    ParsedQuery,
    SearchHit,
    SearchIndexError,
    _check_request,
    _documents,
    _fold_case_kept,
    _fts_doc,
    _number_prefix,
    _positive_words,
    _spaced_numbers,
    _tokens,
    normalise,
    parse_year_range,
    widened,
)


class FtsIndex:
    """The search index as FTS5 tables inside the registry's database (see
    :mod:`regclean.store.fts`), kept in step with the event log like the whoosh index."""

    REBUILD_ORPHANS = 0.25  # rebuild when unreferenced FTS rows pass this share of the live ones

    def __init__(self, store: Any):
        if not store.search_engine:
            raise SearchIndexError(
                f"{store.path}: this Python's SQLite was built without FTS5; set [search] engine "
                '= "whoosh" in regclean.toml'
            )
        self.store = store
        self.fts: FtsStore = store.fts

    def exists(self) -> bool:
        return self.fts.state() is not None

    def close(self) -> None:
        pass

    def rebuild(self, reads: Reader) -> int:
        if self.store.read_only:
            raise SearchIndexError(f"{self.store.path}: the registry is read-only")
        with self.store.transaction(derived=True):
            return self._rebuild(reads)

    def _rebuild(self, reads: Reader) -> int:
        today = reads.today()
        self.fts.clear()
        count = self.fts.add(_prepared(self.store, reads, today))
        self.fts.optimize()  # one segment: every later query reads less (1.4 s at 100k)
        self.fts.set_state(reads.last_seq(), today, 0)
        return count

    def sync(self, reads: Reader, *, wait: float | None = None) -> int:
        """Replay what the index has not seen, in one write of derived data (a read-only
        registry is searched as its index stands). Another process's write (a large import
        being indexed) is waited for, up to ``SYNC_WAIT`` seconds or ``wait``."""
        state = self.fts.state()
        if state is not None and state[0] == reads.last_seq() and state[1] == reads.today():
            return 0
        if self.store.read_only:
            return 0
        try:
            with self.store.transaction(derived=True, wait=SYNC_WAIT if wait is None else wait):
                return self._sync(reads)
        except BusyError:
            raise SearchIndexError(
                f"{self.store.path}: another process is updating the search index; try again "
                "when it has finished"
            ) from None

    def _sync(self, reads: Reader) -> int:
        """Inside the write lock: what changed since the index last saw the log."""
        state = self.fts.state()  # again, now that this holds the write lock
        seq, today = reads.last_seq(), reads.today()
        if state is None:
            return self._rebuild(reads)
        if state[0] == seq and state[1] == today:
            return 0
        ids = reads.touched_since(state[0], state[1], today)
        live = self.fts.count()
        orphans = state[2] + len(ids)
        if len(ids) > max(REBUILD_MIN, REBUILD_SHARE * live) or (
            orphans > self.REBUILD_ORPHANS * max(live, REBUILD_MIN)
        ):
            self._rebuild(reads)
            return len(ids)
        removed = self.fts.remove(ids)
        self.fts.add(_fts_doc(doc, today) for doc in _documents(reads, ids))
        self.fts.set_state(seq, today, state[2] + removed)
        return len(ids)

    def search(
        self,
        reads: Reader,
        text: str = "",
        *,
        status: str | Status | Sequence[str | Status] | None = None,
        kind: str | Kind | None = None,
        issuer: str | None = None,
        year: str | int | None = None,
        campaign: str | None = None,
        sort: str = "relevance",
        limit: int | None = 20,
    ) -> list[SearchHit]:
        """Search (see :meth:`regclean.Registry.search`)."""
        _check_request(limit, sort, text=text)
        parsed = parse_fts(text)
        filters = _fts_filters(status, kind, issuer, year, campaign)
        _check_request(limit, sort, parsed.query is not None or filters is not None)
        tree = parsed.query if parsed.query is not None else Leaf("all")
        return widened(
            reads,
            parsed,
            limit,
            sort != "relevance",
            lambda n: self.fts.query(tree, filters or Filters(), sort, n),
        )


PREPARE_CHUNK = 1000
PARALLEL_FROM = 4000  # instruments from which a rebuild prepares their text on every core


def _prepared(store: Any, reads: Reader, today: dt.date) -> Iterator[tuple[int, list, list]]:
    """Every instrument's prepared text, shortest title first. Preparing is most of a rebuild's work, so
    with many instruments it runs in forked processes (one per core, each reading the committed
    registry through its own connection) while this process writes what they return."""

    ids = reads.instrument_ids_by_title_length()  # row numbers then come in ascending order
    cores = os.cpu_count() or 1
    if (
        len(ids) < PARALLEL_FROM
        or cores < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from (_fts_doc(doc, today) for doc in _documents(reads, ids))
        return
    where = getattr(store, "url", "") or str(store.path)  # a server's URL, or the file
    chunks = [
        (where, today.isoformat(), ids[k : k + PREPARE_CHUNK])
        for k in range(0, len(ids), PREPARE_CHUNK)
    ]
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        for done in pool.imap(_prepare_chunk, chunks):
            yield from done


def _prepare_chunk(job: tuple[str, str, list[int]]) -> list[tuple[int, list, list]]:
    """In a forked process: the prepared text of these instruments."""
    from ..store import Store
    from ..store.pg import PgStore, is_url

    where, day, ids = job
    store = (
        PgStore(where, clock=lambda: f"{day}T00:00:00Z") if is_url(where) else Store(Path(where))
    )
    try:
        today = dt.date.fromisoformat(day)
        return [_fts_doc(doc, today) for doc in _documents(store.reads, ids)]
    finally:
        store.close()


# -- the query language, parsed for FTS5 ---------------------------------------------------

_TOKEN = re.compile(
    r'(?P<sign>[+-]?)(?:(?P<field>[^\s:"()]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s()"]+))'
)
_OPERATORS = {"AND", "OR", "NOT"}
_GROUP = re.compile(r'([^\s:"()]+):\(([^()]*)\)')
_ALIASES = {
    alias.lower(): name for name, aliases in FIELD_ALIASES.items() for alias in (name, *aliases)
}
_META_FIELDS = {"status": "status", "kind": "kind", "campaign": "campaigns"}


def parse_fts(text: str) -> ParsedQuery:
    """What a clerk types (see :func:`regclean.search.whoosh_engine.parse_query`, whose language
    this reads the same way) as the FTS5 engine's query tree: words and "phrases" (all of
    them), field:value, -word and NOT word (excluded), +word (then only the + words must
    match), OR between two words (either), a whole document number, and a partial one."""
    text = _fold_case_kept(text.translate(_QUOTES)).strip()
    if not text:
        return ParsedQuery(None, (), ())
    number = DocNumber.try_parse(text)
    if number is not None:
        leaves = [Leaf("number", number.key)]
        if number.is_generic_order:
            leaves.append(Leaf("number", number.key, op="suffix"))
        return ParsedQuery(("or", leaves), (), ())
    clauses: list[tuple[str, Any]] = []  # (sign, tree); OR joins the clauses either side
    joined: list[bool] = []
    pending_not = pending_or = False
    # field:(a OR b) applies the field to each word; other brackets only group, and are read
    # as spaces (words are ANDed, OR joins its neighbours, either way)
    text_in = _GROUP.sub(
        lambda m: " ".join(
            w if w in _OPERATORS else f"{m.group(1)}:{w}" for w in m.group(2).split()
        ),
        text,
    )
    for match in _TOKEN.finditer(_spaced_numbers(text_in).replace("(", " ").replace(")", " ")):
        word = match.group("word")
        if match.group("sign") == "" and match.group("field") is None and word in _OPERATORS:
            pending_not, pending_or = word == "NOT", word == "OR" and bool(clauses)
            continue
        tree = _clause(match.group("field"), match.group("phrase"), word)
        if tree is None:
            continue
        sign = "-" if pending_not else match.group("sign")
        clauses.append((sign, tree))
        joined.append(pending_or)
        pending_not = pending_or = False
    tree = _combine(clauses, joined)
    prefix = _number_prefix(text)
    if prefix:
        tree = (
            ("or", [tree, Leaf("number", prefix, op="prefix")])
            if tree
            else Leaf("number", prefix, op="prefix")
        )
    words = tuple(_positive_words(text.lower()))
    required = [w[1:] for w in words if w.startswith("+")] or words
    words = tuple(w.lstrip("+") for w in words)
    verify = tuple(run for w in required for run in _HAN_RUN.findall(w) if len(run) >= 3)
    any_of = bool(re.search(r"(^|\s)OR(\s|$)", text))
    return ParsedQuery(tree, words, verify, any_of)


def _combine(clauses: list[tuple[str, Any]], joined: list[bool]) -> Any:
    """The clauses as one tree: OR binds the clauses it stands between, the rest are ANDed;
    with +clauses, the clauses without a sign only rank, so they are left out."""
    groups: list[tuple[str, list[Any]]] = []
    for (sign, tree), after_or in zip(clauses, joined, strict=True):
        if after_or and groups and groups[-1][0] != "-" and sign != "-":
            groups[-1][1].append(tree)
        else:
            groups.append((sign, [tree]))
    if any(sign == "+" for sign, _ in groups):
        groups = [(sign, parts) for sign, parts in groups if sign in ("+", "-")]
    positive = [p[0] if len(p) == 1 else ("or", p) for sign, p in groups if sign != "-"]
    negative = [p[0] if len(p) == 1 else ("or", p) for sign, p in groups if sign == "-"]
    if not positive and not negative:
        return None
    parts = positive + [("not", n) for n in negative]
    if not positive:
        parts = [Leaf("all"), *parts]
    return parts[0] if len(parts) == 1 else ("and", parts)


def _clause(field: str | None, phrase: str | None, word: str | None) -> Any:
    """One word, phrase or field:value as a tree; None when it holds nothing to look for."""
    value = phrase if phrase is not None else (word or "")
    name = _ALIASES.get(field.lower()) if field else None
    if field and name is None:  # not a field: the whole thing is text
        value = f"{field}:{value}"
    if name == "kind" and value.strip():
        try:  # 类别:规章 finds 地方政府规章 and 部门规章 too
            kinds = Kind.parse(value.strip()).covered()
        except VocabularyError:
            return Leaf("meta", value.strip(), "kind")
        leaves = [Leaf("meta", k.value, "kind") for k in kinds]
        return leaves[0] if len(leaves) == 1 else ("or", leaves)
    if name in _META_FIELDS:
        return Leaf("meta", value.strip(), _META_FIELDS[name]) if value.strip() else None
    if name == "year":
        return _year(value)
    column = name if name in TEXT_FIELDS else None
    prefix = phrase is None and value.endswith("*")
    value = re.sub(r"[*?]|[\^~][0-9.]*$", " ", value)
    tokens = [t for t, _ in _tokens(normalise(value))]
    if not tokens:
        return None
    leaves: list[Any] = []
    for n, token in enumerate(tokens):
        if prefix and n == len(tokens) - 1:
            leaves.append(Leaf("match", token, column, prefix=True))
        elif len(token) == 1 and _HAN_RUN.fullmatch(token):  # one character: a pair it
            leaves.append(
                (
                    "or",
                    [
                        Leaf("match", token, column),  # starts, or a run it ends
                        Leaf("match", token, column, prefix=True),
                    ],
                )
            )
        else:
            leaves.append(Leaf("match", token, column))
    return leaves[0] if len(leaves) == 1 else ("and", leaves)


def _year(value: str) -> Any:
    found = re.fullmatch(r"\s*([<>]=?)?\s*(\d{4})\s*", value)
    if not found:
        return None
    op, year = found.group(1) or "", int(found.group(2))
    low = {">": year + 1, ">=": year, "": year}.get(op)
    high = {"<": year - 1, "<=": year, "": year}.get(op)
    return Leaf(
        "meta", f"{'' if low is None else low}..{'' if high is None else high}", "year", op="range"
    )


def _fts_filters(
    status: Any, kind: Any, issuer: str | None, year: Any, campaign: Any
) -> Filters | None:
    if not (status or kind or issuer or year or campaign):
        return None
    statuses: tuple[str, ...] = ()
    if status:
        values = [status] if isinstance(status, (str, Status)) else list(status)
        statuses = tuple(Status.parse(v).value for v in values)
    issuer_tree = None
    if issuer:
        tokens = [t for t, _ in _tokens(normalise(issuer))]
        leaves = [Leaf("match", t, "issuer") for t in tokens] or [Leaf("none")]
        issuer_tree = leaves[0] if len(leaves) == 1 else ("and", leaves)
    return Filters(
        statuses,
        tuple(k.value for k in Kind.parse(kind).covered()) if kind else (),
        parse_year_range(str(year)) if year else None,
        campaign or "",
        issuer_tree,
    )
