"""The screening pass: read a measure's text and list the clauses a person should look at.

The signals are the profile's (:mod:`regclean.profiles`): literal words, or two words close
together, each pointing at an item of a problem class, strong or weak. The text is cut into
articles (第N条) and each article into sentences; a sentence where a strong signal stands gives
one candidate per item its strong signals name, else one per item its weak signals name. A
candidate says where it stands (第N条, or 第N段 in a text without articles), quotes the
sentence, and names the words that raised it. Nothing is decided here: a person confirms or
dismisses each candidate (:func:`regclean.concerns.decide`).

    >>> from regclean.profiles import shipped
    >>> text = "第一条 为促进发展，制定本办法。第五条 对迁入企业，按对地方财政贡献给予奖励。"
    >>> [(c.clause, c.item, c.strength, c.words) for c in scan(text, shipped()["fair-competition"])]
    [('第五条', '10.2', 'strong', '按对地方财政贡献')]

Every step is linear in the text: screening a 5 MB text takes seconds (benchmarks/).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from .profiles import Profile
from .text import fold

# An article heading at the start of a line or after a sentence's end: 第十二条, 第12条
_ARTICLE = re.compile(
    r"(?:^|(?<=[\n。；;：:!！?？\s]))(第[一二三四五六七八九十百零〇两兩\d]{1,7}[条條])"
)
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_MAX_QUOTE = 300  # characters of a sentence quoted (a run-on sentence is cut, with …)


@attrs.frozen
class Candidate:
    """A clause the screening pass asks a person to look at.

    Attributes:
        item: the profile's item it may offend (``10.2``).
        problem_class: that item's class code.
        strength: ``strong`` or ``weak``.
        clause: where it stands: 第N条, or 第N段 in a text without articles.
        quote: the sentence, as the text has it.
        words: the words that raised it (the first signal that matched).
    """

    item: str
    problem_class: str
    strength: str
    clause: str
    quote: str
    words: str


def clauses(text: str) -> Iterator[tuple[str, str]]:
    """(where, sentence) for every sentence of a text: where is the article it belongs to
    (第N条), or its paragraph (第N段) when the text has no articles."""
    marks = list(_ARTICLE.finditer(text))
    if marks:
        if text[: marks[0].start()].strip():
            yield from _sentences("", text[: marks[0].start()])
        for n, mark in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
            yield from _sentences(fold(mark.group(1)), text[mark.end() : end])
        return
    paragraphs = [p for p in text.split("\n") if p.strip()]
    for n, paragraph in enumerate(paragraphs, start=1):
        yield from _sentences(f"第{n}段", paragraph)


def _sentences(where: str, text: str) -> Iterator[tuple[str, str]]:
    for found in _SENTENCE.finditer(text):
        sentence = found.group().strip()
        if sentence:
            yield where, sentence


# a place an issuer names at the start of its name: 江西省婺源县发展和改革委员会 -> 江西省, 婺源县
_PLACE = re.compile(
    r"[\u3400-\u9fff]{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡)"
)


def places_of(issuer: str) -> tuple[str, ...]:
    """The places an issuer's name begins with, each of which its measures call their own
    (婺源县发展和改革委员会 -> 婺源县); () for a body named without its place."""
    out: list[str] = []
    rest = issuer.strip().removeprefix("中共")
    while (found := _PLACE.match(rest)) and len(out) < 4:
        place, end = found.group(), found.end()
        if end < len(rest) and rest[end] in "市县区" and place[-1] in "州":
            place, end = place + rest[end], end + 1  # 扬州 is no place, 扬州市 is
        if len(place) < 2:
            break
        out.append(place)
        rest = rest[end:]
    return tuple(out)


def scan(text: str, profile: Profile, places: tuple[str, ...] = ()) -> list[Candidate]:
    """The candidates of one text under a profile, in the order of the text; ``places`` are
    the measure's own (see :func:`places_of`), which signals written with ``{本地}`` match as
    they match 本地, 本县, 我市 …"""
    classes = {i.number: c.code for c in profile.classes for i in c.items}
    strong = [s for s in profile.signals if s.strength == "strong"]
    weak = [s for s in profile.signals if s.strength == "weak"]
    out = []
    for where, sentence in clauses(text):
        folded = fold(sentence)
        for strength, signals in (("strong", strong), ("weak", weak)):
            hits: dict[str, str] = {}
            for signal in signals:
                if signal.item in hits:
                    continue
                words = signal.find(folded, places)
                if words is not None:
                    hits[signal.item] = words
            if hits:
                quote = sentence if len(sentence) <= _MAX_QUOTE else sentence[:_MAX_QUOTE] + "…"
                out += [
                    Candidate(item, classes[item], strength, where, quote, words)
                    for item, words in hits.items()
                ]
                break  # a sentence with a strong signal is not listed again for weak ones
    return out
