"""Text normalisation for comparing Chinese titles and numbers the way a person reads them.

Full-width and half-width forms, traditional and simplified characters, and the many book-title
and year brackets clerks type are folded to one form. The raw text is always kept elsewhere; these
functions only build comparison keys.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import re
import unicodedata
from pathlib import Path

# Traditional -> simplified comes from OpenCC (the t2s dictionary), character by character: the
# first choice of each character, never a phrase, so that a key never depends on the characters
# around it and keeps the text's length (search highlights rely on that). The table is derived
# once and kept in the user's cache folder (about 5,000 entries; deriving it takes ~40 ms).
_CJK_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))


def _cache_file() -> Path | None:
    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        return None
    installed = Path(spec.origin)
    stamp = hashlib.sha256(f"{installed}\0{installed.stat().st_mtime_ns}".encode()).hexdigest()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "regclean" / f"t2s-{stamp[:16]}.json"


@functools.cache
def t2s_table() -> dict[int, str]:
    """Every character OpenCC's t2s dictionary simplifies, as a :meth:`str.translate` table."""
    cached = _cache_file()
    try:
        if cached is not None:
            return {int(k): v for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        pass
    import opencc  # OpenCC loads only to derive its table, once

    chars = [chr(c) for start, stop in _CJK_RANGES for c in range(start, stop)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            temp.write_text(json.dumps(table), encoding="utf-8")
            os.replace(temp, cached)
        except OSError:  # a read-only home: derived again next time
            pass
    return table


def traditional() -> str:
    """Every character that :func:`to_simplified` changes."""
    return "".join(map(chr, sorted(t2s_table())))


# Every bracket a clerk or a website uses around a year or a qualifier, folded to ASCII.
_OPEN_BRACKETS = "〔［[【﹝〖(（｛{"
_CLOSE_BRACKETS = "〕］]】﹞〗)）｝}"
_BRACKET_TABLE = str.maketrans(
    {**dict.fromkeys(_OPEN_BRACKETS, "("), **dict.fromkeys(_CLOSE_BRACKETS, ")")}
)

# Book-title marks: 《》 and the stand-ins people type for them, including the inner 〈〉.
_BOOK_OPEN = "《〈<＜"
_BOOK_CLOSE = "》〉>＞"
_BOOK_TABLE = str.maketrans({**dict.fromkeys(_BOOK_OPEN, "《"), **dict.fromkeys(_BOOK_CLOSE, "》")})

_SPACE = re.compile(r"\s+")
# Characters a reader does not see, which would make two spellings of one title or number
# differ (and a right-to-left override would reorder a published title): the format characters
# (Unicode category Cf) that occur in text — soft hyphen, Arabic letter mark, Mongolian vowel
# separator, zero-width space and joiners, directional marks, embeddings, overrides and
# isolates, word joiner and invisible operators, the byte order mark.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
# (also the combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian
# variation selectors, the braille blank, variation selectors 1-256 and tag characters: each
# renders as nothing, and would make one title two)


def visible(text: str) -> str:
    """The text without the characters a reader does not see (zero-width spaces, directional
    overrides, a byte order mark ...)."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


# Chinese numeric zero written as 〇, ○, the digit 0 or the letter O is handled in dates.py.


def to_simplified(text: str) -> str:
    """Traditional characters to simplified ones, as OpenCC gives them (國發 -> 国发, 外匯 -> 外汇,
    臭氧層 -> 臭氧层); the length never changes."""
    if text.isascii():
        return text
    return text.translate(t2s_table())


def issuer_name(text: str) -> str:
    """An issuer as it is listed and grouped: NFKC, simplified characters, single spaces
    (惠州市人民政府辦公室 and 惠州市人民政府办公室 are one issuer)."""
    return " ".join(to_simplified(unicodedata.normalize("NFKC", text)).split())


def fold(text: str) -> str:
    """NFKC, simplified characters, no white space: the base of every comparison key.

    NFKC turns full-width digits, letters and （）：； into their ASCII forms, and the small
    tortoise-shell brackets ﹝﹞ into 〔〕.
    """
    text = visible(unicodedata.normalize("NFKC", text))
    return _SPACE.sub("", to_simplified(text))


def fold_brackets(text: str) -> str:
    """Fold every year/qualifier bracket (〔〕[]（）【】﹝﹞〖〗) to ASCII parentheses."""
    return text.translate(_BRACKET_TABLE)


def fold_book_marks(text: str) -> str:
    """Fold 〈〉 <> ＜＞ to 《》."""
    return text.translate(_BOOK_TABLE)


_WRAPPER = re.compile(
    r"""
    关于(?:印发|转发|发布|公布|颁发|颁布|修订|修改)   # the verb of the wrapper notice
    (?:《(?P<core>[^《》]+)》|(?P<bare>[^《》]+?))     # the inner title, with or without marks
    (?:的)?(?:通知|决定|通告|公告|意见|批复)$          # the kind of wrapper
    """,
    re.VERBOSE,
)


def title_core(title: str) -> str:
    """The inner title people search for and cite.

    `关于印发《温州市X办法》的通知` -> `温州市X办法`; `《山东省信访规定》` -> `山东省信访规定`.
    Book-title marks may be 《》, 〈〉, <>, ＜＞ or absent. White space is dropped and
    full-width punctuation kept as NFKC gives it, so the result is also readable.
    """
    text = fold_book_marks(unicodedata.normalize("NFKC", title)).strip()
    text = _SPACE.sub("", text)
    # Unwrap marks that enclose the whole title, possibly several times (《《X》》).
    while text.startswith("《") and text.endswith("》") and _balanced(text[1:-1]):
        text = text[1:-1]
    match = _WRAPPER.search(text)
    if match:
        inner = match.group("core") or match.group("bare")
        if inner:
            text = inner
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "《":
            depth += 1
        elif char == "》":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def title_key(title: str) -> str:
    """Comparison key of a title: its core, folded, with brackets and marks unified."""
    return fold_brackets(fold(title_core(title))).replace("《", "").replace("》", "")


# A status a page or a catalog prints in a title: 【已失效】X, X（已废止）, X(失效)
_TITLE_MARK = re.compile(
    r"^\s*[【\[（(〔]\s*(?P<head>{0})\s*[】\]）)〕]\s*|\s*[【\[（(〔]\s*(?P<tail>{0})\s*[】\]）)〕]\s*$".format(
        r"已(?:失效|废止|宣布失效|修改|被修改|部分失效|被代替)|失效|废止|宣布失效|部分失效"
    )
)


def title_mark(title: str) -> tuple[str, str]:
    """(the title without a status mark, the mark's words): 【已失效】X -> (X, 已失效),
    X（已废止） -> (X, 已废止); (title, "") when it carries none.

    >>> title_mark("【已失效】关于印发甲市乙办法的通知"), title_mark("甲办法(修订)")
    (('关于印发甲市乙办法的通知', '已失效'), ('甲办法(修订)', ''))
    """
    found = _TITLE_MARK.search(to_simplified(title))
    if found is None:
        return title, ""
    return (title[: found.start()] + title[found.end() :]).strip(), (
        found.group("head") or found.group("tail")
    )


# What XML 1.0 cannot hold (and so neither a workbook nor a Word file): C0 controls other than
# tab, line feed and carriage return, U+FFFE and U+FFFF, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    r"""The text without the characters a workbook or a Word file cannot store (NUL, VT, ESC,
    U+FFFE …): they are left out of the copy written, never a crash; the registry keeps the
    text as it was given.

    >>> xml_safe("甲\x00办\x1b[2J法\ufffe")
    '甲办[2J法'
    """
    return _NOT_XML.sub("", text)


# What a terminal would obey rather than show: C0 and C1 controls (ESC clears the screen, BEL
# rings), other than line feed and tab.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""Text fit to print to a terminal: a control character is shown as its escape (\x1b),
    never obeyed. The registry keeps the text as it was given.

    >>> printable("甲办法\x1b[2J\x07")
    '甲办法\\x1b[2J\\x07'
    """
    return _TERMINAL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
