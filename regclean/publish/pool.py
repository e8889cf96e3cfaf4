"""Rendering many instrument pages in forked worker processes.

Each worker opens its own connection to the registry (a :class:`regclean.store.Store`, never a
whole registry), reads its share of the instruments in its own snapshot, checks that snapshot
against the publish's (head, hash, day), and writes the pages into the staging folder. A worker
that finds the registry moved on hands its pages back; the publishing process renders those
from its own snapshot. The workers are forked before the publishing process reads anything
big, so that they share nothing they would have to copy.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from .. import urls
from ..catalog import CatalogDef
from ..config import Settings
from ..store import Store, open_store
from . import twins, xmlview
from .render import Catalogs
from .site import Entry, SiteData, gather
from .staging import Staging

Progress = Callable[[int, int], None]  # (instrument pages done, pages to render)


def instrument_page(folder: Catalogs, data: SiteData, entry: Entry, lang: str) -> bytes:
    """One instrument's page."""
    page = xmlview.instrument_page(data, entry, lang)
    xmlview.sub(page, "jsonld", twins.jsonld(data, entry))
    return folder.render("instrument.xsl", page)


@attrs.frozen
class Job:
    """What a forked page worker works for (inherited by the fork, never pickled)."""

    home: Path
    clock: Callable[[], str]
    settings: Settings
    folder: Catalogs
    lang: str
    definitions: list[CatalogDef]
    staging: Staging | None  # None: every page is rendered here
    state: tuple[int, str, Any]  # (head, hash, day) of the publish's snapshot


_JOB: list[Job] = []  # the job of this process's pool (set before forking)
_STORE: list[Store] = []  # a worker's own connection, opened once


def render_chunk(ids: list[int]) -> list[int]:
    """In a page worker: read these instruments and write their pages into the staging folder;
    the ids left undone (the registry moved on since the publish began: the publishing process
    renders those from its own snapshot)."""
    job = _JOB[0]
    if not _STORE:
        _STORE.append(open_store(job.home, job.settings.store_url, clock=job.clock))
    store = _STORE[0]
    with store.snapshot():
        if store.reads.state() != job.state:
            return ids
        data = gather(
            store.reads,
            job.settings,
            job.definitions,
            events_for=set(ids),
            ids=set(ids),
            with_progress=False,
        )
    for instrument_id in ids:
        content = instrument_page(job.folder, data, data.entries[instrument_id], job.lang)
        job.staging.write(urls.instrument(instrument_id), content)  # type: ignore[union-attr]
    return []


def _keep_memory() -> None:
    """In a page worker: ask the C allocator (glibc) to keep freed memory for the next page
    instead of handing it back to the system and faulting it in again each time."""
    try:
        import ctypes  # POSIX only

        libc = ctypes.CDLL(None)
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 64 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


class InstrumentPages:
    """The instrument pages to render. Many of them, on a system that forks, are rendered by
    worker processes while this process reads the whole registry and makes the aggregate
    files; otherwise here. Create it before reading anything big."""

    PARALLEL_FROM = 2000
    CHUNK = 1000

    def __init__(self, job: Job, ids: list[int], progress: Progress | None = None):
        self.job, self.ids, self.progress = job, ids, progress
        self.done = 0
        self.written = 0
        self.pool: Any = None
        self.result: Any = None
        job.folder.stylesheet("instrument.xsl")  # compiled (and checked) once, before any fork
        cores = os.cpu_count() or 1
        methods = multiprocessing.get_all_start_methods()
        parallel = job.staging is not None and len(ids) >= self.PARALLEL_FROM
        if not parallel or cores < 2 or "fork" not in methods:
            return
        assert job.staging is not None
        (job.staging.path / "instruments").mkdir(parents=True, exist_ok=True)
        _JOB[:] = [job]
        self.pool = multiprocessing.get_context("fork").Pool(cores, initializer=_keep_memory)
        chunks = [ids[k : k + self.CHUNK] for k in range(0, len(ids), self.CHUNK)]
        self.result = [
            self.pool.apply_async(
                render_chunk, (chunk,), callback=functools.partial(self._chunk_done, len(chunk))
            )
            for chunk in chunks
        ]
        self.pool.close()

    def _chunk_done(self, size: int, undone: list[int]) -> None:
        self._advanced(size - len(undone))

    def _advanced(self, count: int) -> None:
        """``count`` more pages are done (here, or in the pool's result thread)."""
        if self.progress is not None and count:
            self.done += count
            self.progress(self.done, len(self.ids))

    def here(self, changed: set[int] | None) -> set[int] | None:
        """The instruments whose event logs this process needs (None: all)."""
        return set() if self.pool is not None else changed

    def finish(
        self, data: SiteData, events_of: Callable[[list[int]], list[Any]]
    ) -> dict[str, bytes]:
        """The pages rendered here, by path (those the workers wrote are counted in
        ``written``). ``events_of(ids)`` reads the event logs of pages handed back."""
        left = self.ids
        if self.pool is not None:
            try:
                left = [i for result in self.result for i in result.get()]
                self.pool.join()
            finally:
                _JOB.clear()
            self.written = len(self.ids) - len(left)
        if left and self.pool is not None:  # the registry moved on: from this snapshot
            events: dict[int, list] = {}
            for event in events_of(left):
                events.setdefault(event.instrument_id, []).append(event)
            data = attrs.evolve(
                data,
                entries={
                    i: attrs.evolve(data.entries[i], events=tuple(events.get(i, ()))) for i in left
                },
            )
        out = {}
        for n, i in enumerate(left, start=1):
            out[urls.instrument(i)] = instrument_page(
                self.job.folder, data, data.entries[i], self.job.lang
            )
            if n % 100 == 0 or n == len(left):
                self._advanced(n - (n - 1) // 100 * 100)
        return out

    def cancel(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            _JOB.clear()
