"""The whoosh engine: an index folder beside the database, kept in step with the event log.
The only module that imports whoosh (and only when a registry uses this engine). A query
arrives as the tree every engine receives (:mod:`regclean.search.query`) and is translated into
whoosh's query objects here.

The index is derived data. It remembers the last event of the log it reflects
(``index/regclean-state.json``); before every search the events since then are replayed, so a
crash between a database commit and the index update can never show a wrong result, and
``Registry.reindex`` rebuilds it from the database at any time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh import fields, index, query
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage

from ..processes import die_with_parent
from ..store import Reader
from ..store.fts import Filters, Leaf, Tree
from .core import (
    _HAN_RUN,
    BUILD_MEMORY_MB,
    MAX_SEGMENTS,
    REBUILD_MIN,
    REBUILD_SHARE,
    SCHEMA_VERSION,
    STATE_FILE,
    SYNC_WAIT,
    TEXT_FIELDS,
    OldIndexError,
    SearchIndexError,
    _documents,
    _tokens,
    normalise,
)
from .engine import Engine


class BigramTokenizer(Tokenizer):
    """Han runs -> overlapping bigrams (a one-character run stays one token); Latin words and
    numbers -> themselves. Positions are consecutive, so a phrase of bigrams is a contiguous run."""

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for text, start in _tokens(normalise(value) if tokenize else value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:  # offsets in the normalised text (NFKC rarely changes Chinese lengths)
                token.startchar = start_char + start
                token.endchar = start_char + start + len(text)
            pos += 1
            yield token


def _schema() -> fields.Schema:
    analyzer = BigramTokenizer()

    def text(boost: float = 1.0) -> fields.TEXT:
        # No positions anywhere: a word's bigrams are ANDed, and whether they stand together
        # is checked against the database text.
        return fields.TEXT(
            analyzer=analyzer, phrase=False, field_boost=boost, multitoken_query="and"
        )

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=text(3.0),
        title_core=text(2.0),
        number=fields.ID(),
        number_text=text(2.0),
        issuer=text(),
        department=text(),
        reasons=text(),
        body=text(),
        kind=fields.ID(),
        status=fields.ID(),
        campaign=fields.KEYWORD(commas=True),
        year=fields.NUMERIC(int, bits=16, signed=False),
        date=fields.ID(sortable=True),
    )


@functools.cache
def _tied_writer() -> type:
    """whoosh's multi-process writer whose indexing processes die with this one (imported on
    first use: a search never needs it, and it costs a command's start-up ~30 ms)."""
    # whoosh loads only for a registry that uses it
    from whoosh.multiproc import MpWriter, SubWriterTask

    class TiedTask(SubWriterTask):  # type: ignore[misc]
        def __init__(self, *args: Any):
            super().__init__(*args)
            self.parent = os.getpid()

        def run(self) -> None:
            die_with_parent(self.parent)
            super().run()

    class TiedWriter(MpWriter):  # type: ignore[misc]
        def _new_task(self) -> Any:
            task = TiedTask(
                self.storage,
                self.indexname,
                self.jobqueue,
                self.resultqueue,
                self.subargs,
                self.multisegment,
            )
            self.tasks.append(task)
            task.start()
            return task

    return TiedWriter


class SearchIndex(Engine):
    """The whoosh index of one registry, kept in step with its event log."""

    def __init__(self, path: Path, *, mmap: bool = True):
        self.path = Path(path)
        # whoosh's mmap storage copies each segment into memory as it opens: faster queries for
        # a long-lived process, a slower start and more memory for a one-shot command.
        self.mmap = mmap
        self._index: index.Index | None = None
        self._searcher: Any = None
        self._held = False  # this object holds the index's lock (see _locked)

    # -- state ----------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.path / STATE_FILE).is_file() and index.exists_in(str(self.path))

    def _recover(self) -> None:
        """A rebuild killed between its two renames leaves the previous index as ``index.old``:
        put it back (the event log then brings it up to date)."""
        old = self.path.with_name(self.path.name + ".old")
        if not self.path.exists() and old.is_dir():
            try:  # only when no rebuild is under way: a live one is between its renames
                with self._locked(wait=0.0):
                    if not self.path.exists() and old.is_dir():
                        old.rename(self.path)
            except SearchIndexError:
                pass

    def state(self) -> dict[str, Any]:
        self._recover()
        try:
            data = json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SearchIndexError(
                f"{self.path}: the search index is missing; rebuild it with `regclean reindex`"
            ) from None
        except (OSError, ValueError) as exc:
            raise SearchIndexError(
                f"{self.path / STATE_FILE}: unreadable ({exc}); rebuild with `regclean reindex`"
            ) from None
        if data.get("schema") != SCHEMA_VERSION:
            raise OldIndexError(
                f"{self.path}: index format {data.get('schema')} is not {SCHEMA_VERSION}; "
                "rebuild it with `regclean reindex`"
            )
        return data

    def _write_state(self, seq: int, day: dt.date, target: Path | None = None) -> None:
        folder = target or self.path
        tmp = folder / (STATE_FILE + ".tmp")
        data = {"schema": SCHEMA_VERSION, "seq": seq, "day": day.isoformat()}
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, folder / STATE_FILE)

    def _open(self) -> index.Index:
        if self._index is None:
            self.state()
            try:
                self._index = FileStorage(str(self.path), supports_mmap=self.mmap).open_index()
            except Exception as exc:  # whoosh raises many kinds on a damaged index
                raise SearchIndexError(
                    f"{self.path}: the search index is damaged ({type(exc).__name__}: {exc}); "
                    "rebuild it with `regclean reindex`"
                ) from None
        return self._index

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._index = None

    # -- building -------------------------------------------------------------------------

    def remove(self) -> None:
        """Delete the index folder (the registry switched to another engine)."""
        self.close()
        with self._locked(wait=SYNC_WAIT):
            shutil.rmtree(self.path, ignore_errors=True)

    def rebuild(self, reads: Reader) -> int:
        """Build a fresh index from the database in a side folder, then swap it in. One rebuild
        at a time: a second, in this or another process, is refused at once (SearchIndexError)
        instead of both writing the same folder."""
        with self._locked(wait=0.0):
            return self._rebuild(reads)

    @contextlib.contextmanager
    def _locked(self, wait: float) -> Iterator[None]:
        """The index's lock (``index.lock``), held by whoever rebuilds or updates the index: one
        at a time, so that an update cannot land in a folder a rebuild is about to replace.
        Waits up to ``wait`` seconds for another holder, then SearchIndexError. Held already by
        this object, it is held again at once."""
        if self._held:
            yield
            return
        try:
            import fcntl  # POSIX only
        except ImportError:  # not a POSIX system: one writer at a time by habit
            yield
            return
        lock = self.path.with_name(self.path.name + ".lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise SearchIndexError(
                            f"{self.path}: another process is rebuilding the search index; "
                            "try again when it has finished"
                        ) from None
                    time.sleep(0.05)
            self._held = True
            try:
                yield
            finally:
                self._held = False
        finally:
            os.close(descriptor)

    def _rebuild(self, reads: Reader) -> int:
        self.close()
        for leftover in self.path.parent.glob(self.path.name + ".new*"):  # of a killed rebuild
            shutil.rmtree(leftover, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=self.path.name + ".new.", dir=self.path.parent))
        seq = reads.last_seq()
        today = reads.today()
        built = index.create_in(str(staging), _schema())
        # Two processes nearly double the build rate on two cores; not worth it for small sets.
        procs = 2 if reads.count() > 2000 and (os.cpu_count() or 1) > 1 else 1
        if procs > 1:
            writer = _tied_writer()(built, procs=procs, multisegment=True, limitmb=BUILD_MEMORY_MB)
        else:
            writer = built.writer(limitmb=BUILD_MEMORY_MB)
        count = 0
        for doc in _documents(reads, None):
            writer.add_document(**doc.fields(today))
            count += 1
        writer.commit()
        built.close()
        self._write_state(seq, today, staging)
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        staging.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)
        return count

    def sync(self, reads: Reader, *, wait: float | None = None) -> int:
        """Replay the events the index has not seen (and the date changes since it last ran).

        Returns how many instruments were re-indexed. Raises SearchIndexError if the index is
        missing or damaged. Another process's update or rebuild is waited for (up to
        ``SYNC_WAIT`` seconds, or ``wait``), then what it left is checked again.
        """
        try:
            state = json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
            current = state.get("schema") == SCHEMA_VERSION and state["seq"] == reads.last_seq()
            if current and dt.date.fromisoformat(state["day"]) == reads.today():
                return 0  # up to date: no lock needed to know it
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # missing, damaged or changing: looked at again under the lock
        with self._locked(wait=SYNC_WAIT if wait is None else wait):
            return self._sync(reads)

    def _sync(self, reads: Reader) -> int:
        try:
            state = self.state()
        except OldIndexError:  # made by an earlier version: built afresh
            return self._rebuild(reads)
        seq = reads.last_seq()
        today = reads.today()
        last_day = dt.date.fromisoformat(state["day"])
        if seq == state["seq"] and today == last_day:
            return 0
        ids = reads.touched_since(state["seq"], last_day, today)
        if len(ids) > max(REBUILD_MIN, REBUILD_SHARE * reads.count()):
            # A bulk change (a large import): building afresh on two processes is faster
            # than updating document by document.
            self._rebuild(reads)
            return len(ids)
        self._open()  # names a missing or damaged index
        # whoosh's mmap storage copies every segment into memory when a reader opens (about
        # 75 ms at 100k instruments); a writer reads little, so it reads the files directly.
        ix = FileStorage(str(self.path), supports_mmap=False).open_index()
        if ids:
            try:
                writer = ix.writer(timeout=5.0)
            except index.LockError:
                raise SearchIndexError(
                    f"{self.path}: another process is updating the search index; try again"
                ) from None
            try:
                present = set()
                for doc in _documents(reads, ids):
                    writer.update_document(**doc.fields(today))
                    present.add(doc.instrument.id)
                for instrument_id in set(ids) - present:
                    writer.delete_by_term("id", str(instrument_id))
            except BaseException:
                writer.cancel()
                raise
            # Merging segments costs more than the update itself on a large index: let small
            # segments pile up to a point, then merge them in one go.
            writer.commit(merge=len(ix._segments()) >= MAX_SEGMENTS)
        self._write_state(seq, today)
        return len(ids)

    # -- searching ------------------------------------------------------------------------

    def _searcher_now(self) -> Any:
        ix = self._open()
        if self._searcher is not None and not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers and misses deletions made in
            # them since, so an updated document would show twice.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = ix.searcher()
        return self._searcher

    def ranked(
        self, tree: Tree, filters: Filters | None, sort: str, limit: int | None
    ) -> list[tuple[int, float]]:
        """See :meth:`regclean.search.engine.Engine.ranked`."""
        searcher = self._searcher_now()
        q = query.Every() if tree is None else whoosh_query(tree, searcher.doc_frequency)
        found = searcher.search(
            q,
            filter=None if filters is None else whoosh_filter(filters),
            limit=limit,
            sortedby="date" if sort.startswith("date") else None,
            reverse=(sort == "date"),
        )
        return [(int(hit["id"]), hit.score or 0.0) for hit in found]


# A long Chinese word is looked up by at most this many of its bigrams, the rarest ones.
WORD_TERMS = 3


def whoosh_query(tree: Tree, frequency: Callable[[str, str], int] | None = None) -> Any:
    """The query tree (see :mod:`regclean.search.query`) as a whoosh query.

    A word in no named field is looked for in every text field, each weighted by its boost in
    the schema; a one-character Han word matches any bigram holding that character; a long
    word is looked up by its rarest bigrams only (whether the whole word stands together is
    verified against the database text, so fewer bigrams find the same documents)."""
    if isinstance(tree, Leaf):
        return _leaf(tree)
    op, parts = tree
    if op == "not":
        return query.Not(whoosh_query(parts, frequency))
    if op == "or":
        return query.Or([whoosh_query(p, frequency) for p in parts])
    negative = [p[1] for p in parts if isinstance(p, tuple) and p[0] == "not"]
    positive = [p for p in parts if not (isinstance(p, tuple) and p[0] == "not")]
    if not negative and _is_one_word(positive):
        return _word(positive, frequency)
    q = query.And([whoosh_query(p, frequency) for p in positive]) if positive else query.Every()
    if negative:
        q = query.AndNot(q, query.Or([whoosh_query(n, frequency) for n in negative]))
    return q


def whoosh_filter(filters: Filters) -> Any:
    """A search's filters (see :func:`regclean.search.query.parse_filters`) as a whoosh query."""
    parts = []
    if filters.statuses:
        parts.append(query.Or([query.Term("status", s) for s in filters.statuses]))
    if filters.kind:
        parts.append(query.Or([query.Term("kind", k) for k in filters.kind]))
    if filters.issuer is not None:
        parts.append(whoosh_query(filters.issuer))
    if filters.years:
        parts.append(query.NumericRange("year", *filters.years))
    if filters.campaign:
        parts.append(query.Term("campaign", filters.campaign))
    return parts[0] if len(parts) == 1 else query.And(parts)


_META = {"kind": "kind", "status": "status", "campaigns": "campaign", "instrument_id": "id"}


def _leaf(leaf: Leaf) -> Any:
    if leaf.kind == "all":
        return query.Every()
    if leaf.kind == "none":
        return query.NullQuery
    if leaf.kind == "number":
        if leaf.op == "suffix":
            return query.Wildcard("number", "*" + leaf.text)
        if leaf.op == "prefix":  # a partial number lists its series, above words that match
            return query.Prefix("number", leaf.text, boost=5.0)
        return query.Term("number", leaf.text)
    if leaf.kind == "meta":
        if leaf.column == "year":
            low, _, high = leaf.text.partition("..") if leaf.op == "range" else (leaf.text,) * 3
            try:
                return query.NumericRange(
                    "year", int(low) if low else None, int(high) if high else None
                )
            except ValueError:
                return query.NullQuery
        field = _META.get(leaf.column or "")
        return query.Term(field, leaf.text) if field else query.NullQuery
    fields_ = [leaf.column] if leaf.column else TEXT_FIELDS
    return (
        query.Or([_term(name, leaf) for name in fields_])
        if len(fields_) > 1
        else _term(fields_[0], leaf)
    )


def _term(field: str, leaf: Leaf) -> Any:
    if leaf.prefix:
        return query.Prefix(field, leaf.text)
    if len(leaf.text) == 1 and _HAN_RUN.fullmatch(leaf.text):  # or a run it ends
        return query.Or([query.Term(field, leaf.text), query.Wildcard(field, "*" + leaf.text)])
    return query.Term(field, leaf.text)


def _is_one_word(parts: list[Any]) -> bool:
    """Han bigrams of one column that chain (行政, 政许, 许可): the pieces of one word, which
    stand in one field together (two words, 管理 办法, do not chain)."""
    return (
        len(parts) > 1
        and all(
            isinstance(p, Leaf)
            and p.kind == "match"
            and not p.prefix
            and len(p.text) == 2
            and _HAN_RUN.fullmatch(p.text)
            and p.column == parts[0].column
            for p in parts
        )
        and all(a.text[1] == b.text[0] for a, b in itertools.pairwise(parts))
    )


def _word(bigrams: list[Leaf], frequency: Callable[[str, str], int] | None) -> Any:
    """One word's bigrams all in one field (any text field, each weighted by its boost, unless
    the word names its field); a long word by its rarest bigrams only."""
    fields_ = [bigrams[0].column] if bigrams[0].column else TEXT_FIELDS

    def in_field(name: str) -> Any:
        chosen = bigrams
        if frequency is not None and len(bigrams) > WORD_TERMS:
            chosen = sorted(bigrams, key=lambda b: frequency(name, b.text))[:WORD_TERMS]
        return query.And([query.Term(name, b.text) for b in chosen])

    return in_field(fields_[0]) if len(fields_) == 1 else query.Or([in_field(f) for f in fields_])
