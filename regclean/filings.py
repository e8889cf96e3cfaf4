"""Filing with the office above (备案): a document is filed within the registry's days of its
publication (``[filing] days``, 30 where the rules say so), and the office answers — registered
(予以备案), deferred for correction by a date (暂缓登记, 限期补正) or refused (不予备案) — and may issue
a review opinion (审查意见). Late and missing filings are inspection findings; a quarter's 备案目录
and the three rates (报备率, 报备及时率, 规范率) are counted from the records.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

import attrs

from . import instruments
from .config import Settings
from .decisions import full_day
from .errors import Problem, StateError, ValidationError
from .instruments import Ref
from .models import Filing, Instrument
from .store import Reader, Store
from .vocab import Kind

ANSWERS = ("registered", "deferred", "refused")
ANSWER_WORDS = {"registered": "予以备案", "deferred": "暂缓登记", "refused": "不予备案",
                "filed": "已报送"}  # fmt: skip
_WORDS = {"予以备案": "registered", "备案": "registered", "登记": "registered",
          "暂缓登记": "deferred", "暂缓": "deferred", "限期补正": "deferred",
          "不予备案": "refused", "不予登记": "refused"}  # fmt: skip
FILED_KINDS = (Kind.NORMATIVE, Kind.RULE)  # by family: 规章 and 行政规范性文件 are filed


def must_file(instrument: Instrument, settings: Settings) -> bool:
    """Whether the registry watches this document's filing: filings are watched (``[filing]
    days``), it is a rule or normative document, and it was published on or after ``since``."""
    if not settings.filing_days or instrument.kind.family not in FILED_KINDS:
        return False
    published = instrument.published_on or instrument.signed_on
    if published is None:
        return False
    return not settings.filing_since or published.first_day.isoformat() >= settings.filing_since


def duefull_day(instrument: Instrument, settings: Settings) -> dt.date | None:
    """The last day its filing is on time: publication plus the registry's days."""
    published = instrument.published_on or instrument.signed_on
    if published is None or not settings.filing_days:
        return None
    return published.last_day + dt.timedelta(days=int(settings.filing_days))


def file(
    store: Store,
    settings: Settings,
    ref: Ref,
    *,
    on: Any,
    to: str = "",
    materials: Sequence[str] = (),
    by: str,
) -> Filing:
    """Record that a document was filed with the office above; see :meth:`regclean.Registry.file`."""
    reads = store.reads
    instrument = instruments.get(reads, ref)
    record = f"instrument {instrument.id}"
    day = full_day(on, record, "on")
    if day > reads.today():
        raise ValidationError(
            [
                Problem(
                    f"a filing cannot be in the future (today {reads.today()})",
                    record,
                    "on",
                    str(on),
                )
            ]
        )
    published = instrument.published_on or instrument.signed_on
    if published is not None and day < published.first_day:
        raise ValidationError(
            [
                Problem(
                    f"filed on {day} is before the document was published ({published})",
                    record,
                    "on",
                    str(on),
                )
            ]
        )
    office = (to or settings.filing_to).strip()
    if not office:
        raise ValidationError(
            [
                Problem(
                    "say where it was filed (to=…, or [filing] to in regclean.toml)", record, "to"
                )
            ]
        )
    open_ones = [f for f in reads.filings(instrument.id) if f.state in ("filed", "deferred")]
    if open_ones:
        raise StateError(
            f"{record} was filed on {open_ones[-1].filed_on} and awaits its answer "
            f"({ANSWER_WORDS[open_ones[-1].state]}): record the answer first"
        )
    values = {
        "instrument_id": instrument.id,
        "filed_to": office,
        "filed_on": day.isoformat(),
        "materials": json.dumps([m.strip() for m in materials if m.strip()], ensure_ascii=False),
        "state": "filed",
        "recorded_by": by,
        "recorded_at": store.clock(),
    }
    with store.transaction():
        filing_id = store.insert("filings", values)
        store.log(
            "file",
            actor=by,
            instrument_id=instrument.id,
            payload={
                "id": filing_id,
                "filed_to": office,
                "filed_on": day.isoformat(),
                "materials": json.loads(values["materials"]),
            },
        )
    return reads.filings(instrument.id)[-1]


def answer(
    store: Store,
    ref: Ref,
    state: str,
    *,
    on: Any,
    until: Any = None,
    reason: str = "",
    by: str,
) -> Filing:
    """Record the office's answer to a document's latest filing; see
    :meth:`regclean.Registry.answer_filing`."""
    reads = store.reads
    instrument = instruments.get(reads, ref)
    record = f"instrument {instrument.id}"
    chosen = _WORDS.get(state.strip(), state.strip())
    if chosen not in ANSWERS:
        raise ValidationError(
            [
                Problem(
                    "an answer is registered (予以备案), deferred (暂缓登记) or refused (不予备案)",
                    record,
                    "state",
                    state,
                )
            ]
        )
    filings = reads.filings(instrument.id)
    if not filings:
        raise StateError(f"{record} was never filed: record the filing first")
    filing = filings[-1]
    if filing.state not in ("filed", "deferred"):
        raise StateError(
            f"{record}'s filing of {filing.filed_on} was already answered: "
            f"{ANSWER_WORDS[filing.state]} on {filing.answered_on}"
        )
    day = full_day(on, record, "on")
    after = filing.answered_on or filing.filed_on
    if day.isoformat() < after:
        what = "the deferral" if filing.answered_on else "the filing"
        raise ValidationError(
            [Problem(f"answered on {day} is before {what} on {after}", record, "on", str(on))]
        )
    if day > reads.today():
        raise ValidationError(
            [
                Problem(
                    f"an answer cannot be in the future (today {reads.today()})",
                    record,
                    "on",
                    str(on),
                )
            ]
        )
    end = ""
    if chosen == "deferred":
        if until in (None, ""):
            raise ValidationError(
                [Problem("a deferral gives the day to correct it by (限期补正)", record, "until")]
            )
        end_day = full_day(until, record, "until")
        if end_day <= day:
            raise ValidationError(
                [
                    Problem(
                        f"correct by {end_day} is not after the deferral on {day}",
                        record,
                        "until",
                        str(until),
                    )
                ]
            )
        end = end_day.isoformat()
    if chosen in ("deferred", "refused") and not reason.strip():
        raise ValidationError(
            [Problem(f"{ANSWER_WORDS[chosen]} gives its reason", record, "reason")]
        )
    values: dict[str, Any] = {
        "state": chosen,
        "answered_on": day.isoformat(),
        "until": end,
        "reason": reason.strip(),
    }
    if chosen == "deferred":
        values["deferred_on"] = day.isoformat()
    with store.transaction():
        store.update("filings", filing.id, values)
        store.log(
            "file_answer",
            actor=by,
            instrument_id=instrument.id,
            payload={
                "id": filing.id,
                "state": chosen,
                "answered_on": day.isoformat(),
                "until": end,
                "reason": reason.strip(),
            },
        )
    return reads.filings(instrument.id)[-1]


def opinion(store: Store, ref: Ref, text: str, *, by: str) -> Filing:
    """Record the office's review opinion (审查意见) on a document's latest filing."""
    reads = store.reads
    instrument = instruments.get(reads, ref)
    filings = reads.filings(instrument.id)
    if not filings:
        raise StateError(f"instrument {instrument.id} was never filed: an opinion answers a filing")
    if not text.strip():
        raise ValidationError(
            [Problem("the opinion's text is required", f"instrument {instrument.id}", "text")]
        )
    with store.transaction():
        store.update("filings", filings[-1].id, {"opinion": text.strip()})
        store.log(
            "file_opinion",
            actor=by,
            instrument_id=instrument.id,
            payload={"id": filings[-1].id, "opinion": text.strip()},
        )
    return reads.filings(instrument.id)[-1]


# -- what an inspection finds ------------------------------------------------------------------


def findings(
    reads: Reader, settings: Settings, entries: dict[int, tuple[Instrument, Any]]
) -> list[tuple[str, int, str]]:
    """(code, instrument id, message) of the late and missing filings among ``entries``."""
    if not settings.filing_days:
        return []
    today = reads.today()
    by_instrument: dict[int, list[Filing]] = {}
    for filing in reads.filings():
        by_instrument.setdefault(filing.instrument_id, []).append(filing)
    out = []
    for instrument_id, (instrument, _decisions) in entries.items():
        if not must_file(instrument, settings):
            continue
        due = duefull_day(instrument, settings)
        assert due is not None
        filed = by_instrument.get(instrument_id, [])
        if not filed and today > due:
            out.append(
                (
                    "not_filed",
                    instrument_id,
                    f"published on {instrument.published_on or instrument.signed_on} "
                    f"and not filed by {due} ({settings.filing_days} days)",
                )
            )
        elif filed and filed[0].filed_on > due.isoformat():
            out.append(
                (
                    "filed_late",
                    instrument_id,
                    f"filed on {filed[0].filed_on}, after {due} "
                    f"({settings.filing_days} days from publication)",
                )
            )
    return out


# -- a quarter: the 备案目录 and the rates ------------------------------------------------------


@attrs.frozen
class Rate:
    """A rate with what it is counted from."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None

    def __str__(self) -> str:
        shown = "—" if self.percent is None else f"{self.percent}%"
        return f"{shown}（{self.numerator}/{self.denominator}）"


@attrs.frozen
class QuarterFilings:
    """A quarter's filings.

    Attributes:
        quarter: ``2025Q1``.
        first, last: its first and last day.
        registered: the documents registered (予以备案) in the quarter, as catalog rows.
        reporting: 报备率: of the documents published in the quarter that must be filed, those
            filed; timely: 报备及时率: those filed on time; regular: 规范率: of those filed, those
            registered without a deferral or a refusal.
    """

    quarter: str
    first: dt.date
    last: dt.date
    registered: tuple[dict[str, Any], ...]
    reporting: Rate
    timely: Rate
    regular: Rate


def quarter_days(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2025Q1`` (also 2025-Q1, 2025年第一季度)."""
    found = re.fullmatch(
        r"\s*(\d{4})\s*[-年]?\s*(?:Q|q|第)?\s*([1-4一二三四])\s*(?:季度)?\s*", quarter
    )
    if not found:
        raise ValidationError(
            [Problem("a quarter is written 2025Q1", field="quarter", value=quarter)]
        )
    year, q = int(found.group(1)), "1234一二三四".index(found.group(2)) % 4 + 1
    first = dt.date(year, 3 * q - 2, 1)
    last = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
    return first, last


def quarter(reads: Reader, settings: Settings, name: str) -> QuarterFilings:
    """The filings of a quarter: its 备案目录 and its three rates."""
    return quarters(reads, settings, [name])[0]


def quarters(reads: Reader, settings: Settings, names: Sequence[str]) -> list[QuarterFilings]:
    """The filings of several quarters, the filings and the stock that must be filed read once
    for all of them (the site shows every quarter with documents registered)."""
    by_instrument: dict[int, list[Filing]] = {}
    for filing in reads.filings():
        by_instrument.setdefault(filing.instrument_id, []).append(filing)
    watched = reads.of_kinds([k.value for k in Kind if k.family in FILED_KINDS])
    wanted = (watched if settings.filing_days else set()) | set(by_instrument)
    every = {i.id: i for i, _ in reads.instruments_with_decisions(wanted)} if wanted else {}
    return [_quarter(settings, name, by_instrument, every) for name in names]


def _quarter(
    settings: Settings,
    name: str,
    by_instrument: dict[int, list[Filing]],
    every: dict[int, Instrument],
) -> QuarterFilings:
    first, last = quarter_days(name)
    label = f"{first.year}Q{(first.month + 2) // 3}"
    rows = []
    for instrument_id, filings in sorted(by_instrument.items()):
        for filing in filings:
            if (
                filing.state == "registered"
                and first.isoformat() <= filing.answered_on <= last.isoformat()
            ):
                i = every[instrument_id]
                day = i.published_on or i.signed_on
                rows.append(
                    {
                        "title": i.title,
                        "doc_number": i.doc_number,
                        "issuer": i.issuer,
                        "registration_no": i.registration_no,
                        "published_on": day.isoformat() if day else "",
                        "filed_on": filing.filed_on,
                        "registered_on": filing.answered_on,
                        "id": i.id,
                    }
                )
    published = []
    for instrument in every.values():
        day = instrument.published_on or instrument.signed_on
        if must_file(instrument, settings) and day is not None and first <= day.first_day <= last:
            published.append(instrument)
    filed = [i for i in published if by_instrument.get(i.id)]
    on_time = [
        i
        for i in filed
        if by_instrument[i.id][0].filed_on <= (duefull_day(i, settings) or last).isoformat()
    ]
    regular = [
        i
        for i in filed
        if all(not f.deferred_on and f.state != "refused" for f in by_instrument[i.id])
    ]
    return QuarterFilings(
        label,
        first,
        last,
        tuple(rows),
        Rate(len(filed), len(published)),
        Rate(len(on_time), len(published)),
        Rate(len(regular), len(filed)),
    )
