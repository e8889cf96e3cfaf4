"""Full-text search: engines behind one interface (``sync``, ``rebuild``, ``search``,
``close``). :class:`FtsIndex` keeps the index inside the registry's database (SQLite FTS5, the
engine of new registries, or PostgreSQL's ``tsvector``); :class:`SearchIndex` keeps a whoosh
index folder beside it. The query language is parsed once (:mod:`regclean.search.query`) into a
tree each engine translates; :mod:`regclean.search.engine` turns any engine's ranked results
into verified hits; the folding and cutting of text is :mod:`regclean.search.core`. whoosh is
imported only when a registry uses it (:mod:`regclean.search.whoosh_engine`), so a search on
the other engines starts without it.
"""

from __future__ import annotations

from typing import Any

from ..processes import die_with_parent
from .core import (
    MAKES_HAN,
    SYNC_WAIT,
    TEXT_FIELDS,
    OldIndexError,
    SearchHit,
    SearchIndexError,
    bigrams,
    index_text,
    normalise,
)
from .engine import Engine
from .fts_engine import FtsIndex
from .query import FIELD_ALIASES, ParsedQuery, parse_filters, parse_query, parse_year_range

__all__ = ["FIELD_ALIASES", "MAKES_HAN", "SYNC_WAIT", "TEXT_FIELDS", "BigramTokenizer", "Engine",
           "FtsIndex", "OldIndexError", "ParsedQuery", "SearchHit", "SearchIndex",
           "SearchIndexError", "bigrams", "die_with_parent", "index_text", "normalise",
           "parse_filters", "parse_query", "parse_year_range"]  # fmt: skip

_WHOOSH = {"SearchIndex", "BigramTokenizer"}


def __getattr__(name: str) -> Any:
    """The whoosh engine's names, imported on first use."""
    if name in _WHOOSH:
        from . import whoosh_engine  # whoosh loads only for a registry that uses it

        return getattr(whoosh_engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
