"""The published site's own search (``search.html``): an index of every instrument's title,
document number (in the spellings people copy) and issuer, in small files that the browser
fetches as a query needs them. No server: the files are static, and ``search.js`` reads them.

Files, under ``search/``:

- ``meta.json``: the format, the number of term shards, instruments per record shard, and the
  table of traditional characters the browser folds to simplified ones (only those whose
  simplified form occurs in the index).
- ``t/N.json``: term shards. A term is a pair of adjacent characters (or one character standing
  alone) of the folded text; its shard is a hash of the term. Each maps a term to the ids that
  hold it, as ascending gaps in base 36 joined by commas, or, for a term in more than ``BIG``
  instruments, to that count, its ids being in ``b/HEX.txt`` (HEX: the term's UTF-8 bytes).
- ``r/N.json``: the records of instruments ``N*RECORDS`` to ``N*RECORDS+RECORDS-1``: what a result
  shows (title, number, issuer, status, decision, date) and the folded text a match is checked
  against.

A query is folded as the index is (:func:`fold`); the browser fetches the term shards of its
terms, takes the ids of the rarest term (with the next rarest, when small), and reads the
records of those ids until it has a page of results. A republish rewrites only the shards whose
terms or records changed, patching them from the earlier site's files; the others are carried
over.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..text import fold_brackets, t2s_table, to_simplified

FOLDER = "search"
META = f"{FOLDER}/meta.json"
FORMAT = 1
RECORDS = 32  # instruments per record shard
BIG = 1000  # a term in more instruments than this has a file of its own
TARGET = 3000  # bytes a term shard aims at (the number of shards follows from it)
MIN_SHARDS = 16

_BRACKETS = str.maketrans({"(": "〔", ")": "〕"})  # after text.fold_brackets
_NOT_KEPT = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff〔〕]+")
_STRAY = re.compile(r"〕第*0*(?=\d)|〕第+")


def fold(text: str) -> str:
    """A text as the site's search reads it: NFKC, lower case, simplified characters, every
    bracket of a number as 〔〕, the stray 第 of 〔2010〕第15号 dropped, and anything that is not a
    letter, digit or Han character a space; the zeros a serial number is padded with after
    the year go too. ``search.js`` folds a query the same way.

    >>> fold("溫政發［2004］第12號 《办法》")
    '温政发〔2004〕12号 办法'
    >>> fold("温政发[2004]第012号")
    '温政发〔2004〕12号'
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = fold_brackets(to_simplified(text)).translate(_BRACKETS)
    text = _STRAY.sub("〕", text)
    return _NOT_KEPT.sub(" ", text).strip()


def terms(folded: str) -> set[str]:
    """The terms of a folded text: each pair of adjacent characters within a word, and a word
    of one character itself."""
    out: set[str] = set()
    for word in folded.split():
        if len(word) == 1:
            out.add(word)
        else:
            out.update(word[k : k + 2] for k in range(len(word) - 1))
    return out


def number_spellings(raw: str, key: str) -> list[str]:
    """A document number as written, its canonical key, and the short forms people cite an
    order by (山东省人民政府令第114号: 山东省政府令第114号, 省政府令第114号)."""
    out = [raw, key] if key and key != raw else [raw]
    for value in list(out):
        if "人民政府令" in value:
            short = value.replace("人民政府令", "政府令")
            out.append(short)
            level = re.match(r"^.*?([省市县区])政府令", short)
            if level:
                out.append(short[level.start(1) :])
    return out


def entry_text(title: str, numbers: Iterable[str], issuer: str) -> str:
    """The folded text an instrument is found by."""
    return " ".join(filter(None, (fold(title), *(fold(n) for n in numbers), fold(issuer))))


def shard_of(term: str, shards: int) -> int:
    return zlib.crc32(term.encode("utf-8")) % shards


def big_file(term: str) -> str:
    return f"{FOLDER}/b/{term.encode('utf-8').hex()}.txt"


def term_file(shard: int) -> str:
    return f"{FOLDER}/t/{shard}.json"


def record_file(block: int) -> str:
    return f"{FOLDER}/r/{block}.json"


def encode_ids(ids: Iterable[int]) -> str:
    """Ascending ids as gaps in base 36, joined by commas: 3,10,11 -> "3,7,1"."""
    out, last = [], 0
    for i in sorted(ids):
        out.append(_base36(i - last))
        last = i
    return ",".join(out)


def decode_ids(text: str) -> list[int]:
    out, last = [], 0
    for part in text.split(","):
        if part:
            last += int(part, 36)
            out.append(last)
    return out


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


def _dump(value: Any) -> bytes:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    ).encode("utf-8")


# -- building -----------------------------------------------------------------------------------

Item = tuple[list[Any], str]  # (record, folded text) of one instrument


def build_full(items: dict[int, Item]) -> dict[str, bytes]:
    """Every file of the search index, from each instrument's record and folded text."""
    postings: dict[str, list[int]] = defaultdict(list)
    for instrument_id in sorted(items):
        for term in terms(items[instrument_id][1]):
            postings[term].append(instrument_id)
    inline = sum(len(t) * 3 + 3 * len(ids) + 4 for t, ids in postings.items() if len(ids) <= BIG)
    shards = MIN_SHARDS
    while shards * TARGET < inline:
        shards *= 2
    files: dict[str, bytes] = {}
    tables: list[dict[str, Any]] = [{} for _ in range(shards)]
    for term, ids in postings.items():
        tables[shard_of(term, shards)][term] = _posting(term, ids, files)
    for shard, table in enumerate(tables):
        files[term_file(shard)] = _dump(table)
    blocks: dict[int, dict[str, Any]] = defaultdict(dict)
    for instrument_id, (record, text) in items.items():
        blocks[instrument_id // RECORDS][str(instrument_id)] = [*record, text]
    for block, records in blocks.items():
        files[record_file(block)] = _dump(records)
    files[META] = _dump(_meta(shards, len(items)))
    return files


def _posting(term: str, ids: list[int], files: dict[str, bytes]) -> Any:
    if len(ids) > BIG:
        files[big_file(term)] = (encode_ids(ids) + "\n").encode("ascii")
        return len(ids)
    return encode_ids(ids)


def _meta(shards: int, count: int) -> dict[str, Any]:
    """The format, the shard counts, and the table of traditional characters the browser folds
    a query with: OpenCC's, for the characters of the basic CJK block whose simplified form is
    one character of GB 2312 (2,576 pairs, 15 KB; the same for every site)."""
    return {
        "format": FORMAT,
        "shards": shards,
        "records": RECORDS,
        "big": BIG,
        "count": count,
        "variants": _variants(),
    }


@functools.cache
def _variants() -> str:
    pairs = sorted(
        (chr(k), v)
        for k, v in t2s_table().items()
        if len(v) == 1 and chr(k) != v and 0x4E00 <= k <= 0x9FFF and _common(v)
    )
    return "".join(k + v for k, v in pairs)


def _common(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


class Stale(Exception):
    """An earlier site's search file cannot be patched (missing, modified, unreadable)."""


def build_partial(
    items: dict[int, Item],
    changed: set[int],
    count: int,
    earlier: Path,
    sealed: int,
) -> tuple[dict[str, bytes], list[str]]:
    """The search files of a republish: the record files of the changed instruments (``items``
    holds theirs) and the term shards of every term one of them gained or lost, patched from
    the earlier site's files (which also say what the changed instruments were); every other
    file carried over (returned as paths to link). ``count``: instruments in the new site.
    Stale when an earlier file is unusable."""
    meta = json.loads(_read(earlier, META, sealed))
    if meta.get("format") != FORMAT or meta.get("records") != RECORDS or meta.get("big") != BIG:
        raise Stale("the earlier site's search index has another format")
    shards = int(meta["shards"])
    files: dict[str, bytes] = {}
    adds: dict[str, set[int]] = defaultdict(set)  # only terms an instrument gained or lost
    removes: dict[str, set[int]] = defaultdict(set)
    for block in sorted({i // RECORDS for i in changed}):
        path = record_file(block)
        try:
            records = json.loads(_read(earlier, path, sealed))
        except Stale:
            if (earlier / path).exists() or (earlier / path).is_symlink():
                raise
            records = {}  # a block of new instruments
        for i in range(block * RECORDS, (block + 1) * RECORDS):
            if i not in changed:
                continue
            before = terms(records[str(i)][-1]) if str(i) in records else set()
            now = terms(items[i][1]) if i in items else set()
            for term in now - before:
                adds[term].add(i)
            for term in before - now:
                removes[term].add(i)
            if i in items:
                records[str(i)] = [*items[i][0], items[i][1]]
            else:
                records.pop(str(i), None)
        files[path] = _dump({k: records[k] for k in sorted(records, key=int)})
    by_shard: dict[int, set[str]] = defaultdict(set)
    for term in adds.keys() | removes.keys():
        by_shard[shard_of(term, shards)].add(term)
    replaced_big: set[str] = set()
    for shard, wanted in by_shard.items():
        table = json.loads(_read(earlier, term_file(shard), sealed))
        for term in wanted:
            value = table.get(term)
            if isinstance(value, int):
                ids = set(decode_ids(_read(earlier, big_file(term), sealed).decode("ascii")))
                replaced_big.add(big_file(term))
            else:
                ids = set(decode_ids(value or ""))
            ids = (ids - removes.get(term, set())) | adds.get(term, set())
            if ids:
                table[term] = _posting(term, sorted(ids), files)
            else:
                table.pop(term, None)
        files[term_file(shard)] = _dump(table)
    files[META] = _dump(_meta(shards, count))
    linked = [
        path for path in _site_files(earlier) if path not in files and path not in replaced_big
    ]
    return files, linked


def _read(earlier: Path, relative: str, sealed: int) -> bytes:
    path = earlier / relative
    try:
        if path.is_symlink() or path.stat().st_mtime_ns > sealed:
            raise Stale(f"{relative} was changed after the site was published")
        return path.read_bytes()
    except OSError as exc:
        raise Stale(f"{relative}: {exc.strerror}") from None


def _site_files(earlier: Path) -> list[str]:
    """The search files of the earlier site, as site paths."""
    out = []
    for sub in ("t", "r", "b"):
        folder = earlier / FOLDER / sub
        if folder.is_dir():
            out += [f"{FOLDER}/{sub}/{p.name}" for p in folder.iterdir()]
    return sorted(out)
