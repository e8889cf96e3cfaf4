"""Full-text search: two engines behind one interface (``sync``, ``rebuild``, ``search``,
``close``). :class:`FtsIndex` keeps SQLite FTS5 tables inside the registry's database (the
engine of new registries); :class:`SearchIndex` keeps a whoosh index folder beside it. What they
share is in :mod:`regclean.search.core`; whoosh is imported only when a registry uses it
(:mod:`regclean.search.whoosh_engine`), so a search on the FTS5 engine starts without it.
"""

from __future__ import annotations

from typing import Any

from ..processes import die_with_parent
from .core import (
    FIELD_ALIASES,
    MAKES_HAN,
    SYNC_WAIT,
    TEXT_FIELDS,
    OldIndexError,
    ParsedQuery,
    SearchHit,
    SearchIndexError,
    bigrams,
    index_text,
    normalise,
    parse_year_range,
)
from .fts_engine import FtsIndex, parse_fts

__all__ = ["FIELD_ALIASES", "MAKES_HAN", "SYNC_WAIT", "TEXT_FIELDS", "BigramTokenizer",
           "FtsIndex", "OldIndexError", "ParsedQuery", "SearchHit", "SearchIndex",
           "SearchIndexError", "bigrams", "die_with_parent", "index_text", "normalise",
           "parse_fts", "parse_query", "parse_year_range"]  # fmt: skip

_WHOOSH = {"SearchIndex", "BigramTokenizer", "parse_query"}


def __getattr__(name: str) -> Any:
    """The whoosh engine's names, imported on first use."""
    if name in _WHOOSH:
        from . import whoosh_engine  # whoosh loads only for a registry that uses it

        return getattr(whoosh_engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
