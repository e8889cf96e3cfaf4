"""The yearly review plan (年度清理计划): which documents an office will review in a year.

Offices review their stock on a rule: all of it every N years (``every 2 years``), or a share of
it each year (``20% a year``). The plan takes the documents in force, oldest review first (the
day of their latest approved decision, else their own date), then the nearest end of validity,
then those whose basis (上位法) has been repealed or changed, and keeps what the rule asks for.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import attrs

from .errors import Problem, ValidationError
from .models import Instrument, status_from
from .store import Reader
from .text import fold
from .vocab import DecisionState, Status


@attrs.frozen
class Rule:
    """A review rule: every ``years`` years, or ``share`` percent a year."""

    years: int = 0
    share: int = 0

    @classmethod
    def parse(cls, text: str) -> Rule:
        words = fold(text).lower()
        found = re.fullmatch(
            r"(?:every)?(\d{1,2})(?:years?|年)(?:一次|一轮)?|每(\d{1,2})年(?:一次|一轮)?", words
        )
        if found:
            years = int(found.group(1) or found.group(2))
            if years:
                return cls(years=years)
        found = re.fullmatch(r"(\d{1,3})%(?:ayear|peryear|每年)?|每年(\d{1,3})%", words)
        if found:
            share = int(found.group(1) or found.group(2))
            if 0 < share <= 100:
                return cls(share=share)
        raise ValidationError(
            [
                Problem(
                    "a rule is 'every 2 years' (每2年) or '20% a year' (每年20%)",
                    field="rule",
                    value=text,
                )
            ]
        )

    def __str__(self) -> str:
        return f"每{self.years}年一轮" if self.years else f"每年{self.share}%"


@attrs.frozen
class PlannedReview:
    """One document in a plan, with why it is there."""

    instrument: Instrument
    last_review: str
    expires_on: str
    basis_changed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.instrument.id,
            "title": self.instrument.title,
            "doc_number": self.instrument.doc_number,
            "issuer": self.instrument.issuer,
            "last_review": self.last_review,
            "expires_on": self.expires_on,
            "basis_changed": self.basis_changed,
        }


@attrs.frozen
class Plan:
    """A year's review plan: the rule, the stock it was drawn from, and the documents chosen."""

    year: int
    rule: Rule
    stock: int
    chosen: tuple[PlannedReview, ...]

    @property
    def title(self) -> str:
        return f"{self.year}年度规范性文件清理计划"


def plan(reads: Reader, year: int, rule: str | Rule) -> Plan:
    """The documents to review in ``year`` under ``rule``; see :meth:`regclean.Registry.plan`."""
    chosen_rule = rule if isinstance(rule, Rule) else Rule.parse(rule)
    if not 1990 <= year <= 2200:
        raise ValidationError([Problem("a plan's year is a year", field="year", value=str(year))])
    day = reads.today()  # the stock in force as the plan is made (one ending soon included)
    ended = set()
    for instrument, decisions in reads.instruments_with_decisions():
        if status_from(instrument, decisions, day) in (
            Status.REPEALED,
            Status.INVALID,
            Status.REPLACED,
        ):
            ended.add(instrument.id)
    changed_basis = {
        subject for subject, obj in reads.relations_of_kind("based_on") if obj in ended
    }
    changed_basis |= {
        subject
        for subject, obj in reads.relations_of_kind("based_on")
        if obj in reads.decided((DecisionState.APPROVED.value,), ("revise",))
    }
    stock = []
    for instrument, decisions in reads.instruments_with_decisions():
        if not status_from(instrument, decisions, day).in_force:
            continue
        reviewed = [
            d.decided_at[:10]
            for d in decisions
            if d.state is DecisionState.APPROVED and d.decided_at
        ]
        own = instrument.own_date
        last = max(reviewed) if reviewed else (own.first_day.isoformat() if own else "")
        stock.append(
            PlannedReview(
                instrument,
                last,
                instrument.expires_on.isoformat() if instrument.expires_on else "",
                instrument.id in changed_basis,
            )
        )
    stock.sort(
        key=lambda p: (
            p.last_review or "0000",
            p.expires_on or "9999",
            not p.basis_changed,
            p.instrument.id,
        )
    )
    if chosen_rule.years:
        limit = dt.date(year - chosen_rule.years, 12, 31).isoformat()
        chosen = [
            p for p in stock if not p.last_review or p.last_review <= limit or p.basis_changed
        ]
    else:
        chosen = stock[: math.ceil(len(stock) * chosen_rule.share / 100)]
    return Plan(year, chosen_rule, len(stock), tuple(chosen))
