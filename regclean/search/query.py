"""The query language, parsed once for every engine.

What a clerk types becomes a :class:`ParsedQuery`: a query tree of :class:`~regclean.store.fts.Leaf`
tests joined by ``and``, ``or`` and ``not`` (the tree the in-database engines turn into SQL), and
the words every hit must hold contiguously. Each engine translates the tree into its own terms:
:mod:`regclean.store.fts` into an FTS5 expression, :mod:`regclean.store.pgsearch` into
``tsquery`` values, :mod:`regclean.search.whoosh_engine` into whoosh queries. The filters of a
search (status, kind, issuer, year, campaign) become one :class:`~regclean.store.fts.Filters`.

The language: words and "phrases" (all of them), ``field:value`` (English or Chinese field
names), ``field:(a OR b)``, ``-word`` and ``NOT word`` (excluded), ``+word`` (then only the ``+``
words must match; the others rank), ``OR`` between two words (either), ``年份:>=2010``, a whole
document number in any spelling (that number exactly), and a partial one (``温政发〔2004〕``, the
series).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from ..docnumber import DocNumber
from ..errors import Problem, ValidationError, VocabularyError
from ..models import Decision, Instrument
from ..store.fts import Filters, Leaf, Tree
from ..text import fold, fold_brackets
from ..vocab import Kind, Status
from .core import _HAN_RUN, MAKES_HAN, TEXT_FIELDS, _fold_case_kept, _tokens, normalise

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


@attrs.frozen
class ParsedQuery:
    """A query as every engine receives it.

    Attributes:
        query: the query tree (see :class:`regclean.store.fts.Leaf`), or None for an empty
            query.
        words: the positive words and phrases of the query, normalised (for snippets).
        verify: their runs of at least three Han characters, which must stand contiguously in
            the database text (no index keeps positions).
        any_of: the query joins words with OR, so one verified word is enough.
    """

    query: Tree
    words: tuple[str, ...]
    verify: tuple[str, ...]
    any_of: bool = False

    def accepts(self, instrument: Instrument, decisions: Sequence[Decision]) -> bool:
        """True when the instrument's text holds the words to verify (any of them after OR)."""
        if not self.verify:
            return True
        number = instrument.number.key if instrument.number else ""
        raw = "\n".join(
            [
                instrument.title,
                instrument.title_core,
                instrument.doc_number,
                number,
                instrument.registration_no,
                instrument.issuer,
                instrument.department,
                instrument.full_text,
                *(d.reason_text for d in decisions),
            ]
        )
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
_TOKEN = re.compile(
    r'(?P<sign>[+-]?)(?:(?P<field>[^\s:"()]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s()"]+))'
)
_OPERATORS = {"AND", "OR", "NOT"}
_GROUP = re.compile(r'([^\s:"()]+):\(([^()]*)\)')
_ALIASES = {
    alias.lower(): name for name, aliases in FIELD_ALIASES.items() for alias in (name, *aliases)
}
_META_FIELDS = {"status": "status", "kind": "kind", "campaign": "campaigns"}


def parse_query(text: str) -> ParsedQuery:
    """What a clerk types, as the query tree every engine translates (see the module's text).

    >>> parse_query("许可 -温州").query  # doctest: +NORMALIZE_WHITESPACE
    ('and', [Leaf(kind='match', text='许可', column=None, prefix=False, op='='),
             ('not', Leaf(kind='match', text='温州', column=None, prefix=False, op='='))])
    """
    text = _fold_case_kept(text.translate(_QUOTES)).strip()
    if not text:
        return ParsedQuery(None, (), ())
    number = DocNumber.try_parse(text)
    if number is not None:
        leaves = [Leaf("number", number.key)]
        if number.is_generic_order:  # 市政府令第60号 typed without its government: any one's
            leaves.append(Leaf("number", number.key, op="suffix"))
        return ParsedQuery(("or", leaves), (), ())
    clauses: list[tuple[str, Any]] = []  # (sign, tree); OR joins the clauses either side
    joined: list[bool] = []
    pending_not = pending_or = False
    # field:(a OR b) applies the field to each word; other brackets only group, and are read
    # as spaces (words are ANDed, OR joins its neighbours, either way)
    text_in = _GROUP.sub(
        lambda m: " ".join(
            w if w in _OPERATORS else f"{m.group(1)}:{w}" for w in m.group(2).split()
        ),
        text,
    )
    for match in _TOKEN.finditer(_spaced_numbers(text_in).replace("(", " ").replace(")", " ")):
        word = match.group("word")
        if match.group("sign") == "" and match.group("field") is None and word in _OPERATORS:
            pending_not, pending_or = word == "NOT", word == "OR" and bool(clauses)
            continue
        tree = _clause(match.group("field"), match.group("phrase"), word)
        if tree is None:
            continue
        sign = "-" if pending_not else match.group("sign")
        clauses.append((sign, tree))
        joined.append(pending_or)
        pending_not = pending_or = False
    tree = _combine(clauses, joined)
    prefix = _number_prefix(text)
    if prefix:
        tree = (
            ("or", [tree, Leaf("number", prefix, op="prefix")])
            if tree
            else Leaf("number", prefix, op="prefix")
        )
    words = tuple(_positive_words(text.lower()))
    # with +word, the words without + are optional (they only rank): only the others must hold
    required = [w[1:] for w in words if w.startswith("+")] or words
    words = tuple(w.lstrip("+") for w in words)
    verify = tuple(run for w in required for run in _HAN_RUN.findall(w) if len(run) >= 3)
    any_of = bool(re.search(r"(^|\s)OR(\s|$)", text))
    return ParsedQuery(tree, words, verify, any_of)


def parse_filters(
    status: str | Status | Sequence[str | Status] | None = None,
    kind: str | Kind | None = None,
    issuer: str | None = None,
    year: str | int | None = None,
    campaign: str | None = None,
) -> Filters | None:
    """A search's filters as one value every engine translates; None when there are none.
    A status or kind is read in English or Chinese; a year is ``Y`` or ``Y1..Y2``."""
    if not (status or kind or issuer or year or campaign):
        return None
    statuses: tuple[str, ...] = ()
    if status:
        values = [status] if isinstance(status, (str, Status)) else list(status)
        statuses = tuple(Status.parse(v).value for v in values)
    issuer_tree = None
    if issuer:
        tokens = [t for t, _ in _tokens(normalise(issuer))]
        leaves = [Leaf("match", t, "issuer") for t in tokens] or [Leaf("none")]
        issuer_tree = leaves[0] if len(leaves) == 1 else ("and", leaves)
    return Filters(
        statuses,
        tuple(k.value for k in Kind.parse(kind).covered()) if kind else (),
        parse_year_range(str(year)) if year else None,
        campaign or "",
        issuer_tree,
    )


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


def _combine(clauses: list[tuple[str, Any]], joined: list[bool]) -> Tree:
    """The clauses as one tree: OR binds the clauses it stands between, the rest are ANDed;
    with +clauses, the clauses without a sign only rank, so they are left out."""
    groups: list[tuple[str, list[Any]]] = []
    for (sign, tree), after_or in zip(clauses, joined, strict=True):
        if after_or and groups and groups[-1][0] != "-" and sign != "-":
            groups[-1][1].append(tree)
        else:
            groups.append((sign, [tree]))
    if any(sign == "+" for sign, _ in groups):
        groups = [(sign, parts) for sign, parts in groups if sign in ("+", "-")]
    positive = [p[0] if len(p) == 1 else ("or", p) for sign, p in groups if sign != "-"]
    negative = [p[0] if len(p) == 1 else ("or", p) for sign, p in groups if sign == "-"]
    if not positive and not negative:
        return None
    parts = positive + [("not", n) for n in negative]
    if not positive:
        parts = [Leaf("all"), *parts]
    return parts[0] if len(parts) == 1 else ("and", parts)


def _clause(field: str | None, phrase: str | None, word: str | None) -> Tree:
    """One word, phrase or field:value as a tree; None when it holds nothing to look for."""
    value = phrase if phrase is not None else (word or "")
    name = _ALIASES.get(field.lower()) if field else None
    if field and name is None:  # not a field: the whole thing is text
        value = f"{field}:{value}"
    if name == "kind" and value.strip():
        try:  # 类别:规章 finds 地方政府规章 and 部门规章 too
            kinds = Kind.parse(value.strip()).covered()
        except VocabularyError:
            return Leaf("meta", value.strip(), "kind")
        leaves = [Leaf("meta", k.value, "kind") for k in kinds]
        return leaves[0] if len(leaves) == 1 else ("or", leaves)
    if name in _META_FIELDS:
        return Leaf("meta", value.strip(), _META_FIELDS[name]) if value.strip() else None
    if name == "year":
        return _year(value)
    column = name if name in TEXT_FIELDS else None
    prefix = phrase is None and value.endswith("*")
    value = re.sub(r"[*?]|[\^~][0-9.]*$", " ", value)
    tokens = [t for t, _ in _tokens(normalise(value))]
    if not tokens:
        return None
    leaves: list[Any] = []
    for n, token in enumerate(tokens):
        if prefix and n == len(tokens) - 1:
            leaves.append(Leaf("match", token, column, prefix=True))
        elif len(token) == 1 and _HAN_RUN.fullmatch(token):  # one character: a pair it
            leaves.append(
                (
                    "or",
                    [
                        Leaf("match", token, column),  # starts, or a run it ends
                        Leaf("match", token, column, prefix=True),
                    ],
                )
            )
        else:
            leaves.append(Leaf("match", token, column))
    return leaves[0] if len(leaves) == 1 else ("and", leaves)


def _year(value: str) -> Tree:
    found = re.fullmatch(r"\s*([<>]=?)?\s*(\d{4})\s*", value)
    if not found:
        return None
    op, year = found.group(1) or "", int(found.group(2))
    low = {">": year + 1, ">=": year, "": year}.get(op)
    high = {"<": year - 1, "<=": year, "": year}.get(op)
    return Leaf(
        "meta", f"{'' if low is None else low}..{'' if high is None else high}", "year", op="range"
    )


def _spaced_numbers(text: str) -> str:
    # 温政发[2004]12号 inside a longer query: the year's brackets would be read as query syntax.
    return re.sub(r"[\[【〔(（﹝](\d{4})[\]】〕)）﹞]", r" \1 ", text)


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
