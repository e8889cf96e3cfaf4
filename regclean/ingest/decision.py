"""A decision, result notice or page of one document as a table: one row per item it decides
(see :mod:`regclean.ingest.published`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..docnumber import DocNumber
from ..errors import Problem, ValidationError
from ..vocab import Kind, Outcome
from .columns import Table, _joined_tables, detect_encoding
from .explain import explain_reading
from .published import REPLACED, issuer_in_title, reading
from .texttable import text_tables


def _published_table(path: Path, text: str) -> Table:
    """A published decision, or a bare list of rules, as a table: one row per item, with its own
    outcome or that of the heading it stands under (see :mod:`regclean.ingest.published`). A
    result notice that lists nothing is a table of no rows that still carries its decision."""

    read = reading(path, text)
    if read.problems:
        raise ValidationError(read.problems)
    decision, items = read.decision, read.items
    explained = explain_reading(path, read)
    line_counts = explained.counts()
    passing = tuple(
        f"line {line.number}: {line.gives}"
        for line in explained.lines
        if "in passing" in line.gives
    )
    header = (
        "title",
        "doc_number",
        "published_on",
        "issuer",
        "kind",
        "outcome",
        "amendment",
        "amended_by",
        "effective_on",
        "signed_on",
        "expires_on",
        "registration_no",
        "status",
        "reason",
        "item",
    )
    mapping = dict(enumerate(header[:14]))
    # a government's decision on its own rules, a standing committee's on its own 法规, a
    # court's on its own interpretations
    own_rules = decision.kind is not None and decision.kind.family in (
        Kind.RULE,
        Kind.REGULATION,
        Kind.JUDICIAL,
    )

    single_keep = len(items) == 1 and items[0].outcome is Outcome.KEEP

    def rows() -> Iterator[tuple[str, list[Any]]]:
        for item in items:
            number = DocNumber.try_parse(item.doc_number)
            # the page names it (发布机关), the order that issued it, or its own title does
            # (花垣县人民政府办公室关于印发…的通知)
            issuer = item.issuer or issuer_in_title(item.title)
            generic = number is not None and number.is_generic_order
            if not issuer and decision.issuer and generic:
                if number.qualified(decision.issuer) != number:  # 省政府令 of 陕西省人民政府
                    issuer = decision.issuer
            elif (
                not issuer
                and decision.issuer
                # (a document a page's document replaces may be anyone's: its number says)
                and item.note != REPLACED
                and (own_rules or item.outcome is Outcome.REVISE or single_keep)
                and (number is None or not number.is_order)
            ):
                # a government's decision on its own rules; and what a body revises, or keeps
                # in force by a notice on that one document (延长《X》有效期), is its own (no body
                # amends or extends another's text), when nothing else names its maker
                issuer = decision.issuer
            if not issuer and number is not None:
                issuer = _own_office(number, decision.issuer)
            if not issuer and number is not None and _same_series(number, decision.number):
                issuer = decision.issuer  # 沪规划资源规 in 沪规划资源用's notice: the bureau's own
            # a page of one document is of its own rank, not of the words its text uses
            kind = item.kind or (None if item.where.startswith("the page") else decision.kind)
            yield (
                item.where,
                [
                    item.title,
                    item.doc_number,
                    item.published_on,
                    issuer,
                    kind.zh if kind else "",
                    item.outcome.zh if item.outcome else "",
                    item.amendment,
                    "、".join(item.amended_by),
                    item.effective_on,
                    item.signed_on,
                    item.expires_on,
                    item.registration_no,
                    item.status,
                    item.reason,
                    item.text,
                ],
            )

    has_outcomes = any(item.outcome is not None for item in items)
    notes = tuple(f"{item.where}: 《{item.title}》 {item.note}" for item in items if item.note)
    notes += passing
    carried = decision if has_outcomes or (not items and decision.is_result_notice) else None
    return Table(path, header, mapping, rows, carried, reader_notes=notes, line_counts=line_counts)


def read_text(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """A plain-text copy of a decision, a result notice or a page, or the catalog tables it
    prints between ``|`` marks (:mod:`.texttable`)."""

    text = _read_text(path)
    tables = text_tables(path, text, overrides)
    if tables:
        return _joined_tables(path, tables, overrides, (), text)
    return _published_table(path, text)


def _read_text(path: Path) -> str:
    encoding = detect_encoding(path)
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [Problem(f"invalid {encoding} text at byte {exc.start}", str(path))]
        ) from None


# the code a local government numbers its own documents with: its place's short name, then 府 or
# 政 for the government, 府办 or 政办 for its office, then the series (发, 函, 规, 字, …)
_OWN_CODE = re.compile(
    r"^(?P<place>[\u3400-\u9fff]{1,3}?)(?P<body>府办|政办|府|政)[\u3400-\u9fff]{0,2}$"
)


def _same_series(number: DocNumber, decision_number: str) -> bool:
    """A document numbered in the deciding body's own code, whatever the series after it (沪规划资源
    规〔2020〕15号 under the notice 沪规划资源用〔2025〕457号, 浦科经委规 under 浦科经委规): the
    codes agree but for their last character, and on three characters at least."""
    own = DocNumber.try_parse(decision_number) if decision_number else None
    if own is None or own.family != "standard" or number.family != "standard":
        return False
    mine, theirs = own.issuer, number.issuer
    shared = next(
        (at for at, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
        min(len(mine), len(theirs)),
    )
    return shared >= 3 and shared >= max(len(mine), len(theirs)) - 1


def _own_office(number: DocNumber, decider: str) -> str:
    """Who issued a document the decision of a local government names by number alone, when the
    number is in the government's own series: 河府〔2008〕148号 in 河源市人民政府's decision is
    its own, 河府办〔2004〕84号 its office's (温政办函 is 温州市人民政府办公室's). A number of
    another series (a department's 温财发) names nobody here: ""."""
    government = re.fullmatch(r"(?P<place>[\u3400-\u9fff]{2,20}?)人民政府", decider)
    code = _OWN_CODE.match(number.issuer) if number.family == "standard" else None
    if government is None or code is None:
        return ""
    place = government.group("place")
    if not all(ch in place for ch in code.group("place")):
        return ""
    office = code.group("body").endswith("办")
    return f"{place}人民政府办公室" if office else f"{place}人民政府"
