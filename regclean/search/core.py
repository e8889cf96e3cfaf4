"""What both search engines share: how text is folded and cut into pieces, the hits and their
snippets, the checks on a request, and the parts of the query language that need no parser.

Chinese has no spaces, so text is cut into overlapping character bigrams within runs of Han
characters (Latin words and numbers are tokens of their own). A query word of several characters
must match as a contiguous run, never as scattered characters; a single character still matches.
Text is folded first (NFKC, traditional -> simplified, lower case), so full-width, half-width and
traditional forms find each other.
"""

from __future__ import annotations

import array
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from ..errors import RegcleanError
from ..models import Decision, Instrument, status_from
from ..store import Reader
from ..store.fts import COLUMNS as FTS_COLUMNS
from ..text import fold, fold_brackets, to_simplified, traditional
from ..vocab import DecisionState, Status

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
        return (
            re.compile(f"[{re.escape(bmp)}{_OTHER_NEAR}]"),
            re.compile(f"[{re.escape(astral)}{_OTHER_FAR}]"),
        )

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


TEXT_FIELDS = ["title", "title_core", "number_text", "issuer", "department", "reasons", "body"]


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
            "number_text": f"{i.doc_number} {i.number.key if i.number else ''} {i.registration_no}",
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


def _documents(reads: Reader, ids: Iterable[int] | None) -> Iterator[_Doc]:
    for instrument, decisions in reads.instruments_with_decisions(ids):
        yield _Doc(instrument, tuple(d for d in decisions if d.state is not DecisionState.REJECTED))


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
    return doc.instrument.id, texts, _meta(values)


def _meta(values: dict[str, Any]) -> list[Any]:
    """The values the FTS5 index keeps beside an instrument's text (store.fts.META's order)."""
    return [
        values.get("kind", ""),
        values.get("status", ""),
        values.get("year"),
        values.get("date", ""),
        values.get("campaign", ""),
        values.get("number", ""),
        len(values.get("title", "")),
        len(values.get("body", "")),
    ]


def index_meta(reads: Reader, today: dt.date) -> Iterator[tuple[int, list[Any]]]:
    """What the FTS5 index should keep beside each instrument on ``today`` (for ``verify``)."""
    for doc in _documents(reads, None):
        yield doc.instrument.id, _meta(doc.fields(today))
