"""Full-text search with whoosh: the only module that imports whoosh.

Chinese has no spaces, so text is cut into overlapping character bigrams within runs of Han
characters (Latin words and numbers are tokens of their own). A query word of several characters
must match as a contiguous run, never as scattered characters; a single character still matches.
Text is folded first (NFKC, traditional -> simplified, lower case), so full-width, half-width and
traditional forms find each other.

The index is derived data. It remembers the last event of the log it reflects
(``index/regclean-state.json``); before every search the events since then are replayed, so a
crash between a database commit and the index update can never show a wrong result, and
``Registry.reindex`` rebuilds it from the database at any time.
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import functools
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from whoosh import fields, index, query
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import (
    FieldAliasPlugin,
    GtLtPlugin,
    MultifieldParser,
    PlusMinusPlugin,
    QueryParser,
)

from .docnumber import DocNumber
from .errors import Problem, RegcleanError, RegistryError, ValidationError
from .models import Decision, Instrument, status_from
from .store import Reader
from .store.fts import COLUMNS as FTS_COLUMNS
from .store.fts import Filters, FtsStore, Leaf
from .text import fold, fold_brackets, to_simplified, traditional
from .vocab import DecisionState, Kind, Status

STATE_FILE = "regclean-state.json"
# Re-index more than this many instruments, and more than this share of them, by rebuilding.
REBUILD_MIN = 2000
REBUILD_SHARE = 0.2
# Small updates commit without merging until the index has this many segments.
MAX_SEGMENTS = 12
SYNC_WAIT = 300.0  # seconds a search or a write waits for another process's index update
# Memory for each indexing process's posting pool during a rebuild; larger pools spill to disk less.
BUILD_MEMORY_MB = 2048
SCHEMA_VERSION = 3  # an index of an older version is rebuilt by the next sync
_RUNS = re.compile(r"[\u3400-\u9fff]+|[0-9a-z]+(?:\.[0-9]+)?")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
# Characters whose normal form holds a Han character they are not: the traditional characters
# OpenCC simplifies, and (under NFKC) radicals, compatibility ideographs, enclosed and squared
# ideographs. A text without any of them has the same Han runs before and after normalising
# (NFKC never deletes a character), so a Han word it lacks, its normal form lacks too.
# tests/test_search.py checks this list against every code point.
_OTHER_NEAR = (  # radicals, compatibility, enclosed and squared ideographs in the BMP
    "\u2e9f\u2ef3\u2f00-\u2fd5\u3038-\u303a\u3192-\u319f\u3220-\u3247\u3280-\u32b0"
    "\u32c0-\u32cb\u32ff\u3358-\u3370\u337b-\u337f\u33e0-\u33fe\uf900-\ufaff"
)
_OTHER_FAR = "\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f"  # beyond it


class _MakesHan:
    """Finds a character of the set above, built on first use (the traditional characters come
    from OpenCC's table, which only a search that verifies candidates needs). Characters beyond
    the Basic Multilingual Plane are looked for only in a text that has any: a character class
    holding them is matched by a slow linear scan, one without them by a bitmap."""

    @functools.cached_property
    def _patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        chars = traditional()
        bmp = "".join(c for c in chars if c <= "\uffff")
        astral = "".join(c for c in chars if c > "\uffff")
        return (re.compile(f"[{re.escape(bmp)}{_OTHER_NEAR}]"),
                re.compile(f"[{re.escape(astral)}{_OTHER_FAR}]"))  # fmt: skip

    def search(self, text: str) -> re.Match[str] | None:
        near, far = self._patterns
        found = near.search(text)
        if found is None and not text.isascii() and _ASTRAL.search(text):
            found = far.search(text)
        return found

    def match(self, text: str) -> re.Match[str] | None:
        near, far = self._patterns
        return near.match(text) or far.match(text)


MAKES_HAN = _MakesHan()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # a bitmap test, unlike max(text)


class SearchIndexError(RegcleanError):
    """The search index is missing, damaged or from another version: run ``regclean reindex``."""


class OldIndexError(SearchIndexError):
    """The index was made by an earlier version of regclean (rebuilt by the next sync)."""


def normalise(text: str) -> str:
    """The form text is indexed and queried in: NFKC, simplified characters, lower case."""
    return _fold_case_kept(text).lower()


def _fold_case_kept(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text))


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


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    for match in _RUNS.finditer(text):
        run = match.group(0)
        start = match.start()
        if len(run) > 1 and "\u3400" <= run[0] <= "\u9fff":
            for i in range(len(run) - 1):
                yield run[i : i + 2], start + i
        else:
            yield run, start


def bigrams(text: str) -> list[str]:
    """The tokens a text is indexed as (for tests and the benchmarks)."""
    return [token for token, _ in _tokens(normalise(text))]


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


TEXT_FIELDS = ["title", "title_core", "number_text", "issuer", "department", "reasons", "body"]
FIELD_ALIASES = {
    "title": ["标题", "名称", "文件名称"],
    "number_text": ["number", "文号", "发文字号", "doc_number"],
    "issuer": ["机关", "制定机关", "发布机关"],
    "department": ["部门", "责任单位"],
    "reasons": ["理由", "reason"],
    "body": ["正文", "全文", "text"],
    "kind": ["类别"],
    "status": ["状态"],
    "year": ["年份"],
    "campaign": ["批次"],
}


def die_with_parent(parent: int) -> None:
    """In a helper process: be killed when the process ``parent`` ends, however it ends (Linux;
    elsewhere nothing is asked). A killed rebuild leaves no indexing process behind."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


@functools.cache
def _tied_writer() -> type:
    """whoosh's multi-process writer whose indexing processes die with this one (imported on
    first use: a search never needs it, and it costs a command's start-up ~30 ms)."""
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
            task = TiedTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                            self.subargs, self.multisegment)  # fmt: skip
            self.tasks.append(task)
            task.start()
            return task

    return TiedWriter


@attrs.frozen
class SearchHit:
    """One search result.

    Attributes:
        instrument: the instrument found.
        status: its status today.
        score: relevance (0 when sorted by date or listing by filters only).
        snippet: a short passage around the first match ("" if none).
        highlights: (start, end) offsets of matches within ``snippet``.
    """

    instrument: Instrument
    status: Status
    score: float
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()


@attrs.frozen
class _Doc:
    """What the index needs of one instrument, read from the database."""

    instrument: Instrument
    decisions: tuple[Decision, ...]

    def fields(self, today: dt.date) -> dict[str, Any]:
        i = self.instrument
        date = i.published_on or i.signed_on or i.effective_on
        reasons = " ".join(d.reason_text for d in self.decisions)
        campaigns = ",".join(sorted({d.campaign for d in self.decisions if d.campaign}))
        values: dict[str, Any] = {
            "id": str(i.id),
            "title": i.title,
            "title_core": i.title_core,
            # the stored key, as `show` finds it: 省政府令第18号 of 江西省人民政府 is found as
            # 江西省人民政府令第18号 too (and, typed generic, by its suffix)
            "number": i.number_key or fold_brackets(fold(i.doc_number)),
            "number_text": f"{i.doc_number} {i.number.key if i.number else ''}",
            "issuer": i.issuer,
            "department": i.department,
            "reasons": reasons,
            "body": i.full_text,
            "kind": i.kind.value,
            "status": status_from(i, list(self.decisions), today).value,
            "campaign": campaigns,
            "date": date.isoformat() if date else "",
        }
        if date:
            values["year"] = date.year
        return {k: v for k, v in values.items() if v != ""}


class SearchIndex:
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
            import fcntl
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
        _check_request(limit, sort)
        searcher = self._searcher_now()
        schema = searcher.schema
        parsed = parse_query(text, schema, searcher.doc_frequency)
        flt = _filters(schema, status, kind, issuer, year, campaign)
        _check_request(limit, sort, parsed.query is not None or flt is not None)
        q = parsed.query or query.Every()
        sortedby = "date" if sort.startswith("date") else None
        want = limit or 10**9
        # Matches in the body need their contiguity checked, so ask whoosh for more than
        # wanted and widen until enough pass or the results run out.
        fetch = None if limit is None else (want * 3 if parsed.verify else want)
        today = reads.today()
        judged: dict[int, SearchHit | None] = {}  # read and verified in an earlier round
        while True:
            results = searcher.search(
                q, filter=flt, limit=fetch, sortedby=sortedby, reverse=(sort == "date")
            )
            ranked = [(int(hit["id"]), hit.score or 0.0) for hit in results]
            hits = _hits(reads, ranked, parsed, today, want, bool(sortedby), judged)
            if len(hits) >= want or fetch is None or len(results) < fetch:
                return hits
            fetch *= 4


def _check_request(limit: int | None, sort: str, asks: bool = True) -> None:
    """What every engine refuses alike: a limit below 1, an unknown sort, and a search with
    neither a query nor a filter (``asks`` False)."""
    if limit is not None and limit < 1:
        raise ValidationError([Problem("the limit must be 1 or more", field="limit",
                                       value=limit)])  # fmt: skip
    if not asks:
        raise ValidationError([Problem("give a query or at least one filter", field="query")])
    if sort not in ("relevance", "date", "date_asc"):
        raise ValidationError(
            [Problem("sort must be relevance, date or date_asc", field="sort", value=sort)]
        )


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
    for start in range(0, len(ranked), 200):  # read in batches, only as far as needed
        batch = ranked[start : start + 200]
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
                found = judged[instrument_id] = SearchHit(instrument, status, 0.0, snippet,
                                                          spans)  # fmt: skip
            hits.append(attrs.evolve(found, score=0.0 if by_date else round(float(score), 4)))
            if len(hits) >= want:
                return hits
    return hits


def _documents(reads: Reader, ids: Iterable[int] | None) -> Iterator[_Doc]:
    for instrument, decisions in reads.instruments_with_decisions(ids):
        yield _Doc(instrument, tuple(d for d in decisions if d.state is not DecisionState.REJECTED))


# -- the query language -------------------------------------------------------------------


@attrs.frozen
class ParsedQuery:
    """A query ready for whoosh, and the words every hit must contain contiguously.

    Attributes:
        query: the whoosh query, or None for an empty query.
        words: the positive words and phrases of the query, normalised (for snippets).
        verify: their runs of at least three Han characters, which must stand contiguously in
            the database text (the index holds no positions).
        any_of: the query joins words with OR, so one verified word is enough.
    """

    query: Any
    words: tuple[str, ...]
    verify: tuple[str, ...]
    any_of: bool = False

    def accepts(self, instrument: Instrument, decisions: Sequence[Decision]) -> bool:
        """True when the instrument's text holds the words to verify (any of them after OR)."""
        if not self.verify:
            return True
        number = instrument.number.key if instrument.number else ""
        raw = "\n".join([instrument.title, instrument.title_core, instrument.doc_number, number,
                         instrument.issuer, instrument.department, instrument.full_text,
                         *(d.reason_text for d in decisions)])  # fmt: skip
        folded: list[str] = []
        changes_han = MAKES_HAN.search(raw) is not None

        def holds(word: str) -> bool:
            if word in raw:  # the Han runs of the text as stored: enough, mostly
                return True
            if not changes_han:  # normalising would not make the word: skip it (200 µs/3 KB)
                return False
            if not folded:
                folded.append(normalise(raw))
            return word in folded[0]

        return any(map(holds, self.verify)) if self.any_of else all(map(holds, self.verify))


_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"'})
_WORD = re.compile(r'(-?)(?:"([^"]*)"|(\S+))')
_NUMBER_PREFIX = re.compile(r"^[\u3400-\u9fff]+(?:\(\d{4}\)?)?\d*$")


def parse_query(
    text: str, schema: fields.Schema, frequency: Callable[[str, str], int] | None = None
) -> ParsedQuery:
    """Parse what a clerk types: words, "exact phrases", field:value, -exclusion, OR.

    A whole query that is a document number in any spelling finds that number exactly; a partial
    number (``温政发〔2004〕``, ``温人防办``) also lists the series.
    """
    # Case is kept for the parser (OR, AND, NOT are upper case); the analyzer lowers the words.
    text = _fold_case_kept(text.translate(_QUOTES)).strip()
    if not text:
        return ParsedQuery(None, (), ())
    number = DocNumber.try_parse(text)
    if number is not None:
        q = query.Or([query.Term("number", number.key), _suffix_order(number)])
        return ParsedQuery(q, (), ())
    parser = MultifieldParser(TEXT_FIELDS, schema, fieldboosts=None)
    parser.add_plugin(PlusMinusPlugin())
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    parsed = _adapt(_parse_leniently(parser, _spaced_numbers(text)), frequency)
    prefix = _number_prefix(text)
    if prefix:
        parsed = query.Or([parsed, query.Prefix("number", prefix, boost=5.0)])
    words = tuple(_positive_words(text.lower()))
    # with +word, the words without + are optional (they only rank): only the others must hold
    required = [w[1:] for w in words if w.startswith("+")] or words
    words = tuple(w.lstrip("+") for w in words)
    verify = tuple(run for w in required for run in _HAN_RUN.findall(w) if len(run) >= 3)
    any_of = bool(re.search(r"(^|\s)OR(\s|$)", text))
    return ParsedQuery(parsed, words, verify, any_of)


_SYNTAX = re.compile(r"""[<>:"()*?+\-^~\[\]{}=!]""")


def _parse_leniently(parser: Any, text: str) -> Any:
    """whoosh's parser can fail on stray syntax (``<0``); then the text is read as plain words."""
    try:
        return parser.parse(text)
    except Exception:  # whoosh raises IndexError, ValueError ... on odd syntax
        plain = _SYNTAX.sub(" ", text).strip()
        try:
            return parser.parse(plain) if plain else query.NullQuery
        except Exception:
            raise ValidationError(
                [Problem("cannot read this query", field="query", value=text)]
            ) from None


def _spaced_numbers(text: str) -> str:
    # 温政发[2004]12号 inside a longer query: the year's brackets would be read as query syntax.
    return re.sub(r"[\[【〔(（﹝](\d{4})[\]】〕)）﹞]", r" \1 ", text)


def _suffix_order(number: DocNumber) -> Any:
    """市政府令第60号 typed without its government: match any government's order 60."""
    if not number.is_generic_order:
        return query.NullQuery
    return query.Wildcard("number", "*" + number.key)


def _number_prefix(text: str) -> str:
    folded = fold_brackets(fold(text)).rstrip("号")
    if " " in text or not _NUMBER_PREFIX.match(folded):
        return ""
    return re.sub(r"\((\d{4})\)?", r"〔\1〕", folded)


def _positive_words(text: str) -> Iterator[str]:
    """The words and phrases a hit must contain (field:value counts its value)."""
    for match in _WORD.finditer(text):
        negative, phrase, word = match.groups()
        value = phrase if phrase is not None else word
        if negative or not value or value in ("and", "or", "not"):
            continue
        if phrase is None and ":" in value:
            value = value.split(":", 1)[1].strip('"')
        if value:
            yield value.strip()


# A long Chinese word is looked up by at most this many of its bigrams, the rarest ones.
WORD_TERMS = 3


def _adapt(q: Any, frequency: Callable[[str, str], int] | None = None) -> Any:
    """Fit a parsed query to the index: a one-character Han term matches any bigram holding
    that character; a phrase (the index holds no positions) becomes an AND of its bigrams; a
    long word is looked up by its rarest bigrams only. Whether the whole word stands together
    is then verified against the database text, so fewer bigrams find the same documents."""
    if isinstance(q, query.Phrase):
        q = query.And([query.Term(q.fieldname, word) for word in q.words], boost=q.boost)
    if frequency is not None and _is_long_word(q):
        field = q.subqueries[0].fieldname
        rarest = sorted(q.subqueries, key=lambda t: frequency(field, t.text))[:WORD_TERMS]
        return query.And(rarest, boost=q.boost)
    single = isinstance(q, query.Term) and isinstance(q.text, str) and len(q.text) == 1
    if single and _HAN_RUN.fullmatch(q.text) and q.fieldname in TEXT_FIELDS:
        return query.Or(
            [q, query.Prefix(q.fieldname, q.text), query.Wildcard(q.fieldname, "*" + q.text)]
        )
    return q.apply(lambda sub: _adapt(sub, frequency))


def _is_long_word(q: Any) -> bool:
    """An AND of more than WORD_TERMS Han bigrams of one field: the pieces of one long word."""
    if not isinstance(q, query.And) or len(q.subqueries) <= WORD_TERMS:
        return False
    terms = q.subqueries
    return all(
        isinstance(t, query.Term) and isinstance(t.text, str) and len(t.text) == 2
        and _HAN_RUN.fullmatch(t.text) and t.fieldname == terms[0].fieldname
        for t in terms
    )  # fmt: skip


def _filters(
    schema: fields.Schema,
    status: Any,
    kind: Any,
    issuer: str | None,
    year: Any,
    campaign: str | None,
) -> Any:
    parts = []
    if status:
        values = [status] if isinstance(status, (str, Status)) else list(status)
        parts.append(query.Or([query.Term("status", Status.parse(v).value) for v in values]))
    if kind:
        parts.append(query.Term("kind", Kind.parse(kind).value))
    if issuer:
        parts.append(_adapt(QueryParser("issuer", schema).parse(f'"{normalise(issuer)}"')))
    if year:
        first, last = parse_year_range(str(year))
        parts.append(query.NumericRange("year", first, last))
    if campaign:
        parts.append(query.Term("campaign", campaign))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def parse_year_range(text: str) -> tuple[int, int]:
    """``2004`` -> (2004, 2004); ``2000..2010`` -> (2000, 2010); a bad value names itself."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:(?:\.\.|-|~|至)\s*(\d{4}))?\s*", text)
    if not match:
        raise ValidationError(
            [
                Problem(
                    "year must be Y or Y1..Y2 (e.g. 2004 or 2000..2010)", field="year", value=text
                )
            ]
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValidationError(
            [Problem("the range ends before it starts", field="year", value=text)]
        )
    return first, last


# Characters that NFKC or simplification turn into letters, digits or Han characters (full-width
# letters and digits, enclosed, squared and mathematical forms, ligatures, roman numerals), and
# the traditional characters: a text without any is searched as it is, lower-cased.
_FOLDS_INTO_WORDS = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u00b2\u00b3\u00b9\u2070-\u209f\u2150-\u218f"
    "\u2460-\u24ff\u2776-\u2793\u3200-\u33ff\ufb00-\ufb06\U0001d400-\U0001d7ff"
    "\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]"
)


def _fold_needed(text: str) -> bool:
    return bool(_FOLDS_INTO_WORDS.search(text)) or MAKES_HAN.search(text) is not None


def _snippet(
    instrument: Instrument, words: Sequence[str], width: int = 36
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A passage of the body (or the title) around the first query word, with match offsets."""
    for source in (instrument.full_text, instrument.title):
        if not source:
            continue
        folded = normalise(source) if _fold_needed(source) else source.lower()
        found = [(folded.find(w), w) for w in words if w and folded.find(w) >= 0]
        if not found:
            continue
        first = min(found)[0]
        start = max(0, first - width // 3)
        end = min(len(source), start + width * 2)
        if len(folded) != len(source):  # NFKC changed lengths: show the folded text
            source = folded
        piece = source[start:end]
        piece_folded = folded[start:end]
        spans = []
        for _, word in found:
            at = piece_folded.find(word)
            while at >= 0:
                spans.append((at, at + len(word)))
                at = piece_folded.find(word, at + len(word))
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(source) else ""
        shift = len(prefix)
        spans = sorted({(a + shift, b + shift) for a, b in spans})
        return prefix + piece.replace("\n", " ") + suffix, tuple(spans)
    return "", ()


# -- the FTS5 engine ------------------------------------------------------------------------

_NOT_HAN = re.compile(r"[^\u3400-\u9fff]+")
_LATIN = re.compile(r"[0-9a-z]+(?:\.[0-9]+)?")


# Punctuation of Chinese prose, which NFKC would only turn into other punctuation: made spaces
# first, so that most texts need no NFKC pass at all.
_PROSE_PUNCTUATION = re.compile(
    r"[\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20"
    r"\uff3b-\uff40\uff5b-\uff65\u2014-\u201f\u2026]+"
)


def _normalise_fast(text: str) -> str:
    """:func:`normalise` for indexing, skipping each step that would not change the words:
    Chinese punctuation becomes spaces, and NFKC and simplification run only on a text that
    needs them (most policy prose does not)."""
    text = _PROSE_PUNCTUATION.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if MAKES_HAN.search(text):  # a traditional character (or a form NFKC left)
        text = to_simplified(text)
    return text.lower()


def index_text(text: str) -> str:
    """A text as the FTS5 engine indexes it: its Han characters as overlapping pairs, and its
    other words, separated by spaces (FTS5's own tokenizer then splits on them). The last
    character of each Han run also stands alone, so one character is found by ``X OR X*``.

    >>> index_text("行政许可, PM2.5").split()
    ['行政', '政许', '许可', '可', 'pm2.5']
    """
    if not text:
        return ""
    text = _normalise_fast(text)
    han = _NOT_HAN.sub(" ", text).strip()
    pairs = ""
    if han:
        codes = array.array("I")
        codes.frombytes((han + " ").encode("utf-32-le"))
        out = array.array("I", [32]) * (3 * (len(codes) - 1))
        out[0::3] = codes[:-1]
        out[1::3] = codes[1:]
        pairs = out.tobytes().decode("utf-32-le")  # FTS5 splits on any run of spaces
    others = " ".join(_LATIN.findall(text))
    return f"{pairs} {others}".strip()


def _fts_doc(doc: _Doc, today: dt.date) -> tuple[int, list[str], list[Any]]:
    values = doc.fields(today)
    texts = [index_text(values.get(name, "")) for name in FTS_COLUMNS]
    meta = [values.get("kind", ""), values.get("status", ""), values.get("year"),
            values.get("date", ""), values.get("campaign", ""), values.get("number", ""),
            len(values.get("title", "")), len(values.get("body", ""))]  # fmt: skip
    return doc.instrument.id, texts, meta


def _tree(q: Any) -> Any:
    """A whoosh query (as :func:`parse_query` makes it) as the FTS5 engine's query tree."""
    if isinstance(q, query.AndMaybe):  # +required optional: the optional part only ranks
        return _tree(q.a)
    if isinstance(q, query.Require):
        return ("and", [_tree(q.a), _tree(q.b)])
    if isinstance(q, query.AndNot):
        return ("and", [_tree(q.a), ("not", _tree(q.b))])
    if isinstance(q, query.Not):
        return ("not", _tree(q.query))
    if isinstance(q, query.And):
        return ("and", [_tree(s) for s in q.subqueries])
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        return _collapse([_tree(s) for s in q.subqueries])
    if isinstance(q, query.Every):
        return Leaf("all")
    if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
        return Leaf("none")
    field = getattr(q, "fieldname", "")
    if isinstance(q, query.NumericRange) and field == "year":
        low = None if q.start is None else q.start + (1 if q.startexcl else 0)
        high = None if q.end is None else q.end - (1 if q.endexcl else 0)
        return Leaf("meta", f"{'' if low is None else low}..{'' if high is None else high}",
                    "year", op="range")  # fmt: skip
    raw = getattr(q, "text", "")
    if field == "year" and isinstance(raw, bytes):  # 年份:2004, as whoosh encodes a number
        year = _schema()["year"].from_bytes(raw)
        return Leaf("meta", f"{year}..{year}", "year", op="range")
    if field in ("status", "kind", "campaign", "date", "id") and isinstance(q, query.Term):
        return Leaf(
            "meta", str(raw), {"campaign": "campaigns", "id": "instrument_id"}.get(field, field)
        )
    text = str(raw)
    if field == "number":
        if isinstance(q, query.Prefix):
            return Leaf("number", text, op="prefix")
        if isinstance(q, query.Wildcard):
            return Leaf("number", text.lstrip("*"), op="suffix")
        return Leaf("number", text)
    if field in TEXT_FIELDS:
        if isinstance(q, query.Prefix):
            return Leaf("match", text, field, prefix=True)
        if isinstance(q, query.Wildcard):  # *X: a character at the end of its run
            return Leaf("match", text.strip("*"), field)
        if isinstance(q, query.Term):
            return Leaf("match", text, field)
    raise ValidationError([Problem("cannot search this with the FTS5 engine", field="query",
                                   value=str(q))])  # fmt: skip


def _columns(tree: Any) -> set[str | None]:
    if isinstance(tree, Leaf):
        return {tree.column} if tree.kind == "match" else {"-"}
    op, parts = tree
    return _columns(parts) if op == "not" else set().union(*(_columns(p) for p in parts))


def _anywhere(tree: Any) -> Any:
    if isinstance(tree, Leaf):
        return attrs.evolve(tree, column=None) if tree.kind == "match" else tree
    op, parts = tree
    return (op, _anywhere(parts)) if op == "not" else (op, [_anywhere(p) for p in parts])


def _collapse(parts: list[Any]) -> Any:
    """An OR of one test repeated over every text field is the test anywhere in the row (a word
    split across fields is then rejected by the verification against the database text)."""
    columns = [_columns(p) for p in parts]
    single = all(len(c) == 1 and None not in c and "-" not in c for c in columns)
    if single and {next(iter(c)) for c in columns} == set(TEXT_FIELDS):
        bare = [_anywhere(p) for p in parts]
        if all(b == bare[0] for b in bare):
            return bare[0]
    return ("or", parts)


class FtsIndex:
    """The search index as FTS5 tables inside the registry's database (see
    :mod:`regclean.store.fts`), kept in step with the event log like the whoosh index."""

    REBUILD_ORPHANS = 0.25  # rebuild when unreferenced FTS rows pass this share of the live ones

    def __init__(self, store: Any):
        if not store.has_fts5:
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
        count = self.fts.add(_prepared(self.store.path, reads, today))
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
        except RegistryError as exc:
            if "busy" not in str(exc):
                raise
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
        _check_request(limit, sort)
        schema = _schema()
        parsed = parse_query(text, schema, None)
        filters = _fts_filters(schema, status, kind, issuer, year, campaign)
        _check_request(limit, sort, parsed.query is not None or filters is not None)
        tree = _tree(parsed.query) if parsed.query is not None else Leaf("all")
        want = limit or 10**9
        fetch = None if limit is None else (want * 3 if parsed.verify else want)
        today = reads.today()
        judged: dict[int, SearchHit | None] = {}
        by_date = sort != "relevance"
        while True:
            ranked = self.fts.query(tree, filters or Filters(), sort, fetch)
            hits = _hits(reads, ranked, parsed, today, want, by_date, judged)
            if len(hits) >= want or fetch is None or len(ranked) < fetch:
                return hits
            fetch *= 4


PREPARE_CHUNK = 1000
PARALLEL_FROM = 4000  # instruments from which a rebuild prepares their text on every core


def _prepared(path: Path, reads: Reader, today: dt.date) -> Iterator[tuple[int, list, list]]:
    """Every instrument's prepared text, in id order. Preparing is most of a rebuild's work, so
    with many instruments it runs in forked processes (one per core, each reading the committed
    registry through its own connection) while this process writes what they return."""
    import multiprocessing

    ids = reads.instrument_ids()
    cores = os.cpu_count() or 1
    if (
        len(ids) < PARALLEL_FROM
        or cores < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from (_fts_doc(doc, today) for doc in _documents(reads, ids))
        return
    chunks = [(str(path), today.isoformat(), ids[k : k + PREPARE_CHUNK])
              for k in range(0, len(ids), PREPARE_CHUNK)]  # fmt: skip
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        for done in pool.imap(_prepare_chunk, chunks):
            yield from done


def _prepare_chunk(job: tuple[str, str, list[int]]) -> list[tuple[int, list, list]]:
    """In a forked process: the prepared text of these instruments."""
    from .store import Store

    path, day, ids = job
    store = Store(Path(path))
    try:
        today = dt.date.fromisoformat(day)
        return [_fts_doc(doc, today) for doc in _documents(store.reads, ids)]
    finally:
        store.close()


def _fts_filters(
    schema: fields.Schema, status: Any, kind: Any, issuer: str | None, year: Any, campaign: Any
) -> Filters | None:
    if not (status or kind or issuer or year or campaign):
        return None
    statuses: tuple[str, ...] = ()
    if status:
        values = [status] if isinstance(status, (str, Status)) else list(status)
        statuses = tuple(Status.parse(v).value for v in values)
    issuer_tree = None
    if issuer:
        issuer_tree = _tree(_adapt(QueryParser("issuer", schema).parse(f'"{normalise(issuer)}"')))
    return Filters(statuses, Kind.parse(kind).value if kind else "",
                   parse_year_range(str(year)) if year else None, campaign or "", issuer_tree)  # fmt: skip
