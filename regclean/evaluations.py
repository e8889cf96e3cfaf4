"""The evaluation of a normative document before its validity ends (到期评估).

Before a document's 有效期 ends, its maker evaluates it: a report with a proposal (six months
before, by default), the legal affairs office's opinion (two months before), and the decision
(one month before): extend the validity (延长有效期, a new expiry and a new registration number),
revise it and publish it again (修改后重新发布), or repeal it (废止). The months are the registry's
(``[evaluation]``). Each step is recorded with its day, in order.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from . import campaigns as campaigns_
from . import decisions as decisions_
from . import instruments
from .config import Settings
from .dates import optional_date
from .decisions import full_day, located
from .errors import Problem, StateError, ValidationError
from .instruments import Ref
from .models import Evaluation, Instrument, status_from
from .store import Reader, Store
from .vocab import Outcome

STEPS = ("report", "opinion", "decision")
STEP_WORDS = {"report": "评估报告", "opinion": "法制机构意见", "decision": "评估决定"}
OUTCOMES = {"extend": "延长有效期", "revise": "修改后重新发布", "repeal": "废止"}
_OUTCOME_WORDS = {v: k for k, v in OUTCOMES.items()} | {"延期": "extend", "修改": "revise"}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day where it has fewer days)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def due_dates(expires: dt.date, settings: Settings) -> dict[str, dt.date]:
    """When each step of an evaluation is due, before ``expires``."""
    return {
        step: months_before(expires, m)
        for step, m in zip(STEPS, settings.evaluation_months, strict=True)
    }


def record(
    store: Store,
    settings: Settings,
    ref: Ref,
    step: str,
    *,
    on: Any,
    text: str = "",
    outcome: str = "",
    new_expiry: Any = None,
    by: str,
) -> Evaluation:
    """Record one step of a document's evaluation; see :meth:`regclean.Registry.evaluate`."""
    reads = store.reads
    instrument = instruments.get(reads, ref)
    where = f"instrument {instrument.id}"
    step = {"评估报告": "report", "意见": "opinion", "决定": "decision"}.get(step, step)
    if step not in STEPS:
        raise ValidationError(
            [
                Problem(
                    "a step is report (评估报告), opinion (法制机构意见) or decision (评估决定)",
                    where,
                    "step",
                    step,
                )
            ]
        )
    if instrument.expires_on is None:
        raise StateError(f"{where} has no end of validity (有效期) to evaluate before")
    day = full_day(on, where, "on")
    if day > reads.today():
        raise ValidationError(
            [
                Problem(
                    f"a step cannot be in the future (today {reads.today()})", where, "on", str(on)
                )
            ]
        )
    current = [e for e in reads.evaluations(instrument.id) if e.open]
    evaluation = current[-1] if current else None
    order = STEPS.index(step)
    done = {
        s: getattr(evaluation, f"{s}_on" if s != "decision" else "decided_on") if evaluation else ""
        for s in STEPS
    }
    if done[step]:
        raise StateError(f"{where}: the {STEP_WORDS[step]} was recorded on {done[step]}")
    for before in STEPS[:order]:
        if not done[before]:
            raise StateError(
                f"{where}: record the {STEP_WORDS[before]} before the {STEP_WORDS[step]}"
            )
        if day.isoformat() < done[before]:
            raise ValidationError(
                [
                    Problem(
                        f"the {STEP_WORDS[step]} on {day} is before the "
                        f"{STEP_WORDS[before]} on {done[before]}",
                        where,
                        "on",
                        str(on),
                    )
                ]
            )
    chosen, extended = "", ""
    if step == "decision":
        chosen = _OUTCOME_WORDS.get(outcome.strip(), outcome.strip())
        if chosen not in OUTCOMES:
            raise ValidationError(
                [
                    Problem(
                        "the decision is extend (延长有效期), revise (修改后重新"
                        "发布) or repeal (废止)",
                        where,
                        "outcome",
                        outcome,
                    )
                ]
            )
        if chosen == "extend":
            end = located(lambda: optional_date(new_expiry), where, "new_expiry")
            if end is None or end.last_day <= instrument.expires_on.last_day:
                raise ValidationError(
                    [
                        Problem(
                            f"an extension gives a new end of validity after "
                            f"{instrument.expires_on}",
                            where,
                            "new_expiry",
                            str(new_expiry),
                        )
                    ]
                )
            extended = end.isoformat()
    elif not text.strip():
        raise ValidationError(
            [Problem(f"the {STEP_WORDS[step]} says what it found", where, "text")]
        )
    with store.transaction():
        if evaluation is None:
            evaluation_id = store.insert(
                "evaluations",
                {
                    "instrument_id": instrument.id,
                    "expires_on": instrument.expires_on.isoformat(),
                    "recorded_by": by,
                    "recorded_at": store.clock(),
                },
            )
        else:
            evaluation_id = evaluation.id
        values = (
            {"decided_on": day.isoformat(), "outcome": chosen, "new_expiry": extended}
            if step == "decision"
            else {f"{step}_on": day.isoformat(), step: text.strip()}
        )
        store.update("evaluations", evaluation_id, values)
        store.log(
            "evaluate",
            actor=by,
            instrument_id=instrument.id,
            payload={
                "id": evaluation_id,
                "step": step,
                "on": day.isoformat(),
                "text": text.strip(),
                "outcome": chosen,
                "new_expiry": extended,
                "expires_on": instrument.expires_on.isoformat(),
            },
        )
        if chosen == "extend":
            instruments.update(store, settings, instrument.id, {"expires_on": extended}, by=by)
            if settings.registration_formats.get(instrument.issuer):  # renewed: a new number
                instruments.register(store, settings, instrument.id, by=by, renew=True)
        elif chosen in ("revise", "repeal") and reads.open_decision(instrument.id) is None:
            outcome_value = Outcome.REVISE if chosen == "revise" else Outcome.REPEAL
            decisions_.propose(
                store, instrument.id, outcome_value, reason=f"到期评估：{OUTCOMES[chosen]}", by=by
            )
    return next(e for e in reads.evaluations(instrument.id) if e.id == evaluation_id)


@attrs.frozen
class Due:
    """A document whose evaluation is coming: what is next, and by when."""

    instrument: Instrument
    department: str
    expires_on: str
    step: str
    due_on: str
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.instrument.id,
            "title": self.instrument.title,
            "doc_number": self.instrument.doc_number,
            "department": self.department,
            "expires_on": self.expires_on,
            "step": self.step,
            "step_zh": STEP_WORDS[self.step],
            "due_on": self.due_on,
            "overdue": self.overdue,
        }


def within(text: str | int) -> int:
    """Days in ``6m``, ``6个月``, ``90d``, ``90天`` (or a number of days)."""
    if isinstance(text, int):
        return text
    found = re.fullmatch(r"\s*(\d{1,4})\s*(m|个月|月|d|天|日)?\s*", str(text))
    if not found:
        raise ValidationError(
            [Problem("a span is 6m (6个月) or 90d (90天)", field="within", value=text)]
        )
    n = int(found.group(1))
    return n * 30 + n // 2 if found.group(2) in ("m", "个月", "月") else n


def due(reads: Reader, settings: Settings, within_days: int) -> list[Due]:
    """Documents in force whose validity ends within ``within_days`` (or has an evaluation
    open), with the next step of their evaluation and its due date, by department."""
    today = reads.today()
    horizon = today + dt.timedelta(days=within_days)
    out = []
    ids = reads.expiring_by(horizon) | {e.instrument_id for e in reads.evaluations() if e.open}
    for instrument, decisions in reads.instruments_with_decisions(ids):
        expires = instrument.expires_on
        if expires is None or not status_from(instrument, decisions, today).in_force:
            continue
        evaluations = [e for e in reads.evaluations(instrument.id) if e.open]
        done = evaluations[-1] if evaluations else None
        step = next(
            (
                s
                for s in STEPS
                if not (done and getattr(done, f"{s}_on" if s != "decision" else "decided_on"))
            ),
            "decision",
        )
        due_on = due_dates(expires.last_day, settings)[step]
        out.append(
            Due(
                instrument,
                campaigns_.responsible(instrument, settings.departments),
                expires.isoformat(),
                step,
                due_on.isoformat(),
                due_on < today,
            )
        )
    return sorted(out, key=lambda d: (d.department, d.due_on, d.instrument.id))
