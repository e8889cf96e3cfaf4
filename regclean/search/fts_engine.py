"""The in-database engines: SQLite FTS5 tables inside the registry's database (see
:mod:`regclean.store.fts`), or a ``tsvector`` column on PostgreSQL (:mod:`regclean.store.pgsearch`).
The store turns the query tree into SQL; searching imports no whoosh.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import BusyError
from ..store import Reader
from ..store.fts import Filters, FtsStore, Leaf, Tree
from .core import (
    REBUILD_MIN,
    REBUILD_SHARE,
    SYNC_WAIT,
    SearchIndexError,
    _documents,
    _fts_doc,
)
from .engine import Engine


class FtsIndex(Engine):
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

    def ranked(
        self, tree: Tree, filters: Filters | None, sort: str, limit: int | None
    ) -> list[tuple[int, float]]:
        """See :meth:`regclean.search.engine.Engine.ranked`."""
        return self.fts.query(
            Leaf("all") if tree is None else tree, filters or Filters(), sort, limit
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
    from ..store import Store  # in the forked helper, which opens its own connection
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
