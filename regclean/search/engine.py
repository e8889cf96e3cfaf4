"""What every engine does alike around its own index: the checks on a request, the query and
filters parsed once (:mod:`regclean.search.query`), and the ranked results turned into hits,
verified against the stored text and given snippets. An engine supplies only ``ranked``: the
(instrument id, score) pairs of its index for a query tree and filters, best first or by date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ..errors import Problem, ValidationError
from ..models import status_from
from ..store import Reader
from ..store.fts import Filters, Tree
from ..vocab import Kind, Status
from .core import SearchHit, _snippet
from .query import ParsedQuery, parse_filters, parse_query


class Engine:
    """The search every engine offers; a subclass gives :meth:`ranked`."""

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
        parsed = parse_query(text)
        filters = parse_filters(status, kind, issuer, year, campaign)
        _check_request(limit, sort, parsed.query is not None or filters is not None)
        return widened(
            reads,
            parsed,
            limit,
            sort != "relevance",
            lambda n: self.ranked(parsed.query, filters, sort, n),
        )

    def ranked(
        self, tree: Tree, filters: Filters | None, sort: str, limit: int | None
    ) -> list[tuple[int, float]]:
        """(instrument id, score) of at most ``limit`` (None: all) instruments matching the
        query tree (None: every instrument) and the filters, best first (``sort``
        ``relevance``) or by date (``date``, ``date_asc``)."""
        raise NotImplementedError


MAX_LIMIT = 1_000_000  # hits one search may ask for


MAX_QUERY = 400  # characters: a title and a few words, many times over


def _check_request(limit: int | None, sort: str, asks: bool = True, text: str = "") -> None:
    """What every engine refuses alike: a limit out of range, an unknown sort, a query longer
    than any question (whose cost grows with every word: 44 s for 1,000 characters on whoosh),
    and a search with neither a query nor a filter (``asks`` False)."""
    if len(text) > MAX_QUERY:
        raise ValidationError(
            [
                Problem(
                    f"the query is {len(text):,} characters long; a search "
                    f"takes at most {MAX_QUERY}",
                    field="query",
                )
            ]
        )
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            [Problem(f"the limit must be from 1 to {MAX_LIMIT:,}", field="limit", value=limit)]
        )
    if not asks:
        raise ValidationError([Problem("give a query or at least one filter", field="query")])
    if sort not in ("relevance", "date", "date_asc"):
        raise ValidationError(
            [Problem("sort must be relevance, date or date_asc", field="sort", value=sort)]
        )


def widened(
    reads: Reader,
    parsed: ParsedQuery,
    limit: int | None,
    by_date: bool,
    ranked_of: Callable[[int | None], list[tuple[int, float]]],
) -> list[SearchHit]:
    """The first ``limit`` hits of an engine's ranked (id, score) results, ``ranked_of(n)``
    giving at most ``n`` (None: all). Matches whose words must be checked against the stored
    text are asked for three times over, and four times more each round until enough pass or
    the results run out; what was read and checked is never read again."""
    want = limit or 10**9
    fetch = None if limit is None else (want * 3 if parsed.verify else want)
    today = reads.today()
    judged: dict[int, Any] = {}
    while True:
        ranked = ranked_of(fetch)
        hits = _hits(reads, ranked, parsed, today, want, by_date, judged)
        if len(hits) >= want or fetch is None or len(ranked) < fetch:
            return hits
        fetch *= 4


def _hits(
    reads: Reader,
    ranked: list[tuple[int, float]],
    parsed: ParsedQuery,
    today: dt.date,
    want: int,
    by_date: bool,
    judged: dict[int, Any],
) -> list[SearchHit]:
    """The first ``want`` of the ranked (id, score) results that pass verification, as hits.
    ``judged`` keeps what was read and verified between rounds of a widening search, so nothing
    is done twice: None (rejected), the instrument with its decisions (accepted), or its hit."""
    hits = []
    start, size = 0, max(want, 8)
    while start < len(ranked):  # read in batches, only as far as needed: a page first
        batch = ranked[start : start + size]
        start, size = start + size, 200
        unread = [i for i, _ in batch if i not in judged]
        for instrument, decisions in reads.instruments_with_decisions(unread):
            accepted = parsed.accepts(instrument, decisions)
            judged[instrument.id] = (instrument, decisions) if accepted else None
        for instrument_id, score in batch:
            found = judged.get(instrument_id)  # None too when the index ran ahead
            if found is None:
                continue
            if isinstance(found, tuple):  # the snippet only for hits that are shown
                instrument, decisions = found
                snippet, spans = _snippet(instrument, parsed.words)
                status = status_from(instrument, decisions, today)
                found = judged[instrument_id] = SearchHit(instrument, status, 0.0, snippet, spans)
            hits.append(attrs.evolve(found, score=0.0 if by_date else round(float(score), 4)))
            if len(hits) >= want:
                return hits
    return hits
