"""Decisions and relations: proposing, approving, withdrawing, rejecting, and what they mean
for an instrument's status on a day.

The rules: at most one open (proposed) decision per instrument; an open proposal may be
reviewed once (合法性审核), and is then approved no earlier than its review; none on an instrument whose
force an approved decision has ended; an approval's effective date never falls before the
instrument's own date; only revise and repeal name a replacing instrument, recorded as a
relation when approved. Every write runs in one store transaction and is logged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

import attrs

from .dates import PartialDate, iso, optional_date
from .docnumber import DocNumber
from .errors import NotFoundError, Problem, StateError, ValidationError
from .instruments import Ref, get
from .models import Decision, Instrument, Reason, Relation, status_from
from .store import Reader, Store
from .vocab import DecisionState, Outcome, RelationKind, Status

Day = str | dt.date | PartialDate | None
When = str | dt.datetime | dt.date | None  # the time an act really happened (--at)
T = TypeVar("T")
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$")


def stated_time(store: Store, at: When, instrument: Instrument | None, record: str) -> str:
    """The time an act is recorded at: now, or the time it really happened (back-entering an
    earlier cleanup), as ``YYYY-MM-DDTHH:MM:SSZ``; never in the future, never before the
    instrument's own date. A day alone, or a date as clerks write it, means its start."""
    now = store.clock()
    if at is None or at == "":
        return now
    if isinstance(at, dt.datetime):
        text = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif isinstance(at, dt.date):
        text = f"{at.isoformat()}T00:00:00Z"
    else:
        found = _TIME.match(str(at).strip())
        if found:
            day, hh, mm, ss = found.groups()
            text = f"{day}T{hh or '00'}:{mm or '00'}:{ss or '00'}Z"
        else:
            date = located(lambda: PartialDate.parse(str(at)), record, "at")
            if date.day is None:
                raise ValidationError(
                    [Problem("the time of an act needs a full date", record, "at", at)]
                )
            text = f"{date.isoformat()}T00:00:00Z"
    try:
        dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise ValidationError(
            [Problem("not a time: use 2024-03-05 or 2024-03-05T10:30", record, "at", at)]
        ) from None
    if text > now:
        raise ValidationError(
            [Problem(f"an act cannot be recorded in the future (now {now})", record, "at", at)]
        )
    own = instrument.own_date if instrument is not None else None
    if own is not None and text[:10] < own.first_day.isoformat():
        raise ValidationError(
            [Problem(f"before the instrument's own date {own}", record, "at", at)]
        )
    return text


def located(make: Callable[[], T], record: str, field: str) -> T:
    """``make()``, with the record and field named in the ValidationError it may raise."""
    try:
        return make()
    except ValidationError as exc:
        raise exc.located(record, field) from None


def full_day(value: Any, record: str, field: str) -> dt.date:
    """The day a full date names (a day of a step, a filing, an answer); ValidationError naming
    the record and field for anything else, a year or month alone included."""
    found = located(lambda: optional_date(value), record, field)
    if found is None or found.day is None:
        raise ValidationError([Problem("a full date is required", record, field, str(value))])
    return found.first_day


# -- reading ----------------------------------------------------------------------------------


def decision(reads: Reader, decision_id: int) -> Decision:
    """One decision by its id; NotFoundError if there is none."""
    found = reads.decision(decision_id)
    if found is None:
        raise NotFoundError(f"no decision with id {decision_id}")
    return found


def decisions(
    reads: Reader, ref: Ref | None = None, *, state: DecisionState | str | None = None
) -> list[Decision]:
    """Decisions of one instrument (or of all), oldest first, optionally in one state."""
    instrument_id = None
    if ref is not None:
        instrument_id = ref if isinstance(ref, int) else get(reads, ref).id
    value = DecisionState.parse(state).value if state is not None else None
    return reads.decisions(instrument_id, value)


def decided_under(reads: Reader, number: str) -> list[tuple[Decision, Instrument]]:
    """What a decision document decided: the decisions recorded under the number (its 令号 or
    文号 in any spelling; a generic 省政府令第N号 also finds the same order written in full), each
    with its instrument, oldest first."""
    wanted = located(lambda: DocNumber.parse(number), "decision", "number")
    out = []
    for decision in reads.decisions():
        found = DocNumber.try_parse(decision.decision_doc) if decision.decision_doc else None
        if found is None:
            continue
        if found.key == wanted.key or (
            (found.is_generic_order or wanted.is_generic_order)
            and found.serial == wanted.serial
            and found.qualified(decision.decided_by).key
            == wanted.qualified(decision.decided_by).key
        ):
            out.append((decision, get(reads, decision.instrument_id)))
    return out


def day_of(reads: Reader, day: Day) -> dt.date:
    """The day a status is asked for: today by the registry's clock when None; the last day a
    partial date covers."""
    if day is None:
        return reads.today()
    if isinstance(day, dt.date):
        return day
    parsed = day if isinstance(day, PartialDate) else PartialDate.parse(day)
    return parsed.last_day


def status_on(reads: Reader, ref: Ref, day: Day = None) -> Status:
    """The status of an instrument on a day, derived from its approved decisions and its own
    dates: point-in-time, never stored."""
    instrument = get(reads, ref)
    return status_from(instrument, reads.decisions(instrument.id), day_of(reads, day))


class _Dates(NamedTuple):
    """The dates of an instrument that its status depends on."""

    effective_on: PartialDate | None
    expires_on: PartialDate | None


def _partial(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def counts_by_status(reads: Reader, day: Day = None) -> dict[Status, int]:
    """How many instruments have each status on a day (today by default)."""
    on = day_of(reads, day)
    by_instrument: dict[int, list[Decision]] = {}
    for d in reads.decisions(state=DecisionState.APPROVED.value):
        by_instrument.setdefault(d.instrument_id, []).append(d)
    # A status needs an instrument's two dates and its decisions, not the whole row.
    counts = Counter(
        status_from(
            _Dates(_partial(effective), _partial(expires)),  # type: ignore[arg-type]
            by_instrument.get(instrument_id, []),
            on,
        )
        for instrument_id, effective, expires in reads.status_dates()
    )
    return {status: counts.get(status, 0) for status in Status}


def relations(reads: Reader, ref: Ref) -> list[tuple[str, Instrument]]:
    """Every relation of an instrument as (relation name, other instrument), inverses named as
    such (``replaced_by``, ``basis_for``)."""
    instrument = get(reads, ref)
    out: list[tuple[str, Instrument]] = []
    for relation in reads.relations_of(instrument.id):
        if relation.subject_id == instrument.id:
            out.append((relation.kind.value, get(reads, relation.object_id)))
        else:
            out.append((relation.kind.inverse, get(reads, relation.subject_id)))
    return out


# -- proposing --------------------------------------------------------------------------------


def propose(
    store: Store,
    ref: Ref,
    outcome: Outcome | str,
    *,
    reason: str = "",
    reasons: Sequence[Reason] = (),
    basis: str = "",
    by: str = "",
    department: str = "",
    handler: str = "",
    campaign: str = "",
    replaced_by: Ref | None = None,
    require_reason: bool = False,
    amendment: str = "",
    articles: str = "",
    at: When = None,
) -> Decision:
    """File a proposed decision (拟定清理意见) on an instrument (see
    :meth:`regclean.Registry.propose`); ``amendment`` keeps the text of an amending decision
    on a revision."""
    reads = store.reads
    instrument = get(reads, ref)
    record = f"instrument {instrument.id}"
    outcome = located(lambda: Outcome.parse(outcome), record, "outcome")
    all_reasons = tuple(reasons) + ((Reason.from_text(reason),) if reason.strip() else ())
    if require_reason and not all_reasons and outcome is not Outcome.KEEP:
        raise ValidationError(
            [Problem(f"a reason is required for {outcome.zh} ({outcome.value})", record, "reason")]
        )
    if outcome is Outcome.INVALIDATE_IN_PART and not (articles.strip() or all_reasons):
        raise ValidationError(
            [
                Problem(
                    "a partial invalidation (宣布部分条款失效) names the articles that lapse",
                    record,
                    "articles",
                )
            ]
        )
    if articles.strip() and outcome is not Outcome.INVALIDATE_IN_PART:
        raise ValidationError(
            [
                Problem(
                    "only a partial invalidation (宣布部分条款失效) names articles",
                    record,
                    "articles",
                    articles,
                )
            ]
        )
    successor = _successor(reads, instrument, outcome, replaced_by)
    with store.transaction():
        _check_can_propose(reads, instrument)
        if campaign and reads.campaign(campaign) is None:
            raise _no_campaign(reads, campaign)
        values = {
            "instrument_id": instrument.id,
            "outcome": outcome.value,
            "reasons": json.dumps([r.to_json() for r in all_reasons], ensure_ascii=False),
            "basis": basis.strip(),
            "replaced_by": successor.id if successor else None,
            "campaign": campaign or None,
            "department": department.strip() or instrument.department,
            "handler": handler.strip(),
            "state": DecisionState.PROPOSED.value,
            "proposed_by": by,
            "proposed_at": stated_time(store, at, instrument, record),
        }
        if amendment.strip():
            if outcome is not Outcome.REVISE:
                raise ValidationError(
                    [Problem("only a revision (修改) carries amendment text", record, "amendment")]
                )
            values["amendment"] = amendment.strip()
        if articles.strip():
            values["articles"] = articles.strip()
        decision_id = store.insert("decisions", values)
        payload = {k: v for k, v in values.items() if k not in ("instrument_id", "state")}
        payload["reasons"] = [r.to_json() for r in all_reasons]
        store.log(
            "propose",
            actor=by,
            instrument_id=instrument.id,
            decision_id=decision_id,
            payload=payload,
        )
        return decision(reads, decision_id)


def propose_many(
    store: Store, refs: Sequence[Ref], outcome: Outcome | str, **options: Any
) -> list[Decision]:
    """:func:`propose` the same outcome on several instruments, all at once or none; every
    problem is reported together, each naming its reference."""
    problems: list[Problem] = []
    made: list[Decision] = []
    with store.transaction():
        for ref in refs:
            try:
                made.append(propose(store, ref, outcome, **options))
            except ValidationError as exc:
                problems += [attrs.evolve(p, record=p.record or str(ref)) for p in exc.problems]
            except (StateError, NotFoundError) as exc:
                problems.append(Problem(str(exc), str(ref)))
        if problems:
            raise ValidationError(problems)
    return made


def _no_campaign(reads: Reader, name: str) -> NotFoundError:
    known = ", ".join(c.name for c in reads.campaigns()) or "none yet"
    return NotFoundError(f"no campaign named {name!r} (known: {known})")


def _successor(
    reads: Reader, instrument: Instrument, outcome: Outcome, replaced_by: Ref | None
) -> Instrument | None:
    if replaced_by is None or replaced_by == "":
        return None
    record = f"instrument {instrument.id}"
    if outcome not in (Outcome.REVISE, Outcome.REPEAL):
        raise ValidationError(
            [
                Problem(
                    "only a revise (修改) or repeal (废止) decision names a replacing instrument",
                    record,
                    "replaced_by",
                )
            ]
        )
    successor = get(reads, replaced_by)
    if successor.id == instrument.id:
        raise ValidationError(
            [Problem("an instrument cannot replace itself", record, "replaced_by", replaced_by)]
        )
    return successor


def _check_can_propose(reads: Reader, instrument: Instrument) -> None:
    for d in reads.decisions(instrument.id):
        if d.is_open:
            raise StateError(
                f"instrument {instrument.id} ({instrument.title_core}) already has an open "
                f"proposal (decision {d.id}: {d.outcome.zh}); approve or withdraw it first"
            )
        if d.state is DecisionState.APPROVED and d.outcome.ends_force:
            raise StateError(
                f"instrument {instrument.id} ({instrument.title_core}) was already decided "
                f"{d.outcome.zh} ({d.outcome.value}) by decision {d.id}; "
                f"withdraw that decision first"
            )


# -- approving --------------------------------------------------------------------------------


def approve(
    store: Store,
    refs: Iterable[Ref] = (),
    *,
    by: str,
    campaign: str = "",
    decision_doc: str = "",
    decision_title: str = "",
    effective_on: Day = None,
    published_on: Day = None,
    at: When = None,
    require_review: bool = False,
) -> list[Decision]:
    """Approve the open proposals on the given instruments (and, with ``campaign``, every open
    proposal filed under it), all at once or none (see :meth:`regclean.Registry.approve`).
    With ``require_review`` a proposal that was not reviewed (合法性审核) is refused."""
    reads = store.reads
    if not by.strip():
        raise ValidationError([Problem("approver is required", field="by")])
    effective = located(lambda: optional_date(effective_on), "approval", "effective_on")
    effective = effective or PartialDate.from_date(reads.today())
    published = located(lambda: optional_date(published_on), "approval", "published_on")
    if decision_doc.strip():
        located(lambda: DocNumber.parse(decision_doc), "approval", "decision_doc")
    with store.transaction():
        targets = _approval_targets(reads, refs, campaign)
        if not targets:
            raise StateError("nothing to approve: no open proposals match")
        unreviewed = [t for t in targets if not t.reviewed_by]
        if require_review and unreviewed:
            raise ValidationError(
                [
                    Problem(
                        "not reviewed yet (未经合法性审核): run review first, as this registry's "
                        "settings ask (require_review)",
                        f"instrument {t.instrument_id}",
                        "state",
                    )
                    for t in unreviewed
                ]
            )
        approved = []
        for target in targets:
            instrument = get(reads, target.instrument_id)
            _check_effective(instrument, effective)
            record = f"instrument {instrument.id}"
            decided_at = stated_time(store, at, instrument, record)
            if decided_at < target.proposed_at:
                raise ValidationError(
                    [
                        Problem(
                            f"approved before it was proposed ({target.proposed_at})",
                            record,
                            "at",
                            at,
                        )
                    ]
                )
            if target.reviewed_at and decided_at < target.reviewed_at:
                raise ValidationError(
                    [
                        Problem(
                            f"approved before it was reviewed ({target.reviewed_at})",
                            record,
                            "at",
                            at,
                        )
                    ]
                )
            values = {
                "state": DecisionState.APPROVED.value,
                "decided_by": by,
                "decided_at": decided_at,
                "decision_doc": decision_doc.strip(),
                "decision_title": decision_title.strip(),
                "effective_on": effective.isoformat(),
                "published_on": iso(published),
            }
            store.update("decisions", target.id, values)
            payload = {k: v for k, v in values.items() if k not in ("state", "decided_by")}
            payload["outcome"] = target.outcome.value
            store.log(
                "approve",
                actor=by,
                instrument_id=target.instrument_id,
                decision_id=target.id,
                payload=payload,
            )
            if target.replaced_by:
                _relate(store, target.replaced_by, RelationKind.REPLACES, target.instrument_id, by)
            approved.append(decision(reads, target.id))
        return approved


def _approval_targets(
    reads: Reader, refs: Iterable[Ref], campaign: str, verb: str = "approve"
) -> list[Decision]:
    targets: dict[int, Decision] = {}
    for ref in refs:
        instrument = get(reads, ref)
        found = reads.open_decision(instrument.id)
        if found is None:
            raise StateError(_no_open_message(reads, instrument, verb))
        targets[found.id] = found
    if campaign:
        if reads.campaign(campaign) is None:
            raise _no_campaign(reads, campaign)
        proposed = reads.decisions_of_campaign(campaign, DecisionState.PROPOSED.value)
        targets.update((d.id, d) for d in proposed)
    return [targets[k] for k in sorted(targets)]


def _no_open_message(reads: Reader, instrument: Instrument, verb: str) -> str:
    latest = reads.decisions(instrument.id)
    if not latest:
        return f"cannot {verb}: instrument {instrument.id} has no decision"
    last = latest[-1]
    return (
        f"cannot {verb}: instrument {instrument.id} has no open proposal "
        f"(its latest decision {last.id} is {last.state.value} {last.state.zh})"
    )


def _check_effective(instrument: Instrument, effective: PartialDate) -> None:
    own = instrument.own_date
    if own and effective.last_day < own.first_day:
        raise ValidationError(
            [
                Problem(
                    f"effective date {effective} is before the instrument's own date {own}",
                    f"instrument {instrument.id}",
                    "effective_on",
                    str(effective),
                )
            ]
        )


# -- reviewing (合法性审核) --------------------------------------------------------------------


def review(
    store: Store,
    refs: Iterable[Ref] = (),
    *,
    by: str,
    office: str = "",
    opinion: str = "",
    campaign: str = "",
    at: When = None,
) -> list[Decision]:
    """Record the review (合法性审核) of the open proposals on the given instruments (and, with
    ``campaign``, of every open proposal under it not yet reviewed), all at once or none (see
    :meth:`regclean.Registry.review`)."""
    if not by.strip():
        raise ValidationError([Problem("reviewer is required", field="by")])
    reads = store.reads
    refs = list(refs)
    with store.transaction():
        targets = _approval_targets(reads, refs, campaign, "review")
        if campaign:  # a campaign's sweep leaves the reviewed ones alone; named ones are checked
            named = {get(reads, ref).id for ref in refs}
            targets = [t for t in targets if t.instrument_id in named or not t.reviewed_by]
        if not targets:
            raise StateError("nothing to review: no open proposals match")
        done = [t for t in targets if t.reviewed_by]
        if done:
            raise StateError(
                "; ".join(
                    f"instrument {t.instrument_id}: its proposal was already "
                    f"reviewed by {t.reviewed_by} ({t.reviewed_at})"
                    for t in done
                )
            )
        reviewed = []
        for target in targets:
            instrument = get(reads, target.instrument_id)
            record = f"instrument {instrument.id}"
            when = stated_time(store, at, instrument, record)
            if when < target.proposed_at:
                raise ValidationError(
                    [
                        Problem(
                            f"reviewed before it was proposed ({target.proposed_at})",
                            record,
                            "at",
                            at,
                        )
                    ]
                )
            values = {
                "reviewed_by": by.strip(),
                "reviewed_at": when,
                "review_office": office.strip(),
                "review_opinion": opinion.strip(),
            }
            store.update("decisions", target.id, values)
            store.log(
                "review",
                actor=by.strip(),
                instrument_id=target.instrument_id,
                decision_id=target.id,
                payload={
                    "at": when,
                    "office": office.strip(),
                    "opinion": opinion.strip(),
                    "outcome": target.outcome.value,
                },
            )
            reviewed.append(decision(reads, target.id))
        return reviewed


# -- withdrawing and rejecting ----------------------------------------------------------------


def withdraw(store: Store, ref: Ref, *, by: str, reason: str, at: When = None) -> Decision:
    """Withdraw the open proposal, or else the latest approved decision, of an instrument.
    Nothing is deleted: the decision keeps its history and is marked withdrawn (撤回)."""
    return _close(store, ref, by=by, reason=reason, state=DecisionState.WITHDRAWN, at=at)


def reject(store: Store, ref: Ref, *, by: str, reason: str, at: When = None) -> Decision:
    """Reject the open proposal of an instrument (未通过审核)."""
    return _close(store, ref, by=by, reason=reason, state=DecisionState.REJECTED, at=at)


def _close(
    store: Store, ref: Ref, *, by: str, reason: str, state: DecisionState, at: When = None
) -> Decision:
    problems = []
    if not by.strip():
        problems.append(Problem("who does it is required", field="by"))
    if not reason.strip():
        problems.append(Problem("a reason is required", field="reason"))
    if problems:
        raise ValidationError(problems)
    reads = store.reads
    instrument = get(reads, ref)
    withdrawing = state is DecisionState.WITHDRAWN
    verb = "withdraw" if withdrawing else "reject"
    with store.transaction():
        target = reads.open_decision(instrument.id)
        if target is None and withdrawing:  # a withdrawal may take back an approved decision
            approved = reads.decisions(instrument.id, DecisionState.APPROVED.value)
            target = approved[-1] if approved else None
        if target is None:
            raise StateError(_no_open_message(reads, instrument, verb))
        values: dict[str, Any] = {"state": state.value}
        when = stated_time(store, at, instrument, f"instrument {instrument.id}")
        if withdrawing:
            values |= {"withdrawn_by": by, "withdrawn_at": when}
        else:
            values |= {"decided_by": by, "decided_at": when}
        values["withdraw_reason"] = reason.strip()
        store.update("decisions", target.id, values)
        store.log(
            verb,
            actor=by,
            instrument_id=instrument.id,
            decision_id=target.id,
            payload={
                "reason": reason.strip(),
                "was": target.state.value,
                "outcome": target.outcome.value,
                "at": when,
            },
        )
        return decision(reads, target.id)


# -- relations --------------------------------------------------------------------------------


def relate(
    store: Store, subject: Ref, kind: RelationKind | str, obj: Ref, *, by: str = ""
) -> Relation:
    """Record that ``subject`` amends / repeals / replaces / is based_on / cites ``obj``."""
    relation = located(lambda: RelationKind.parse(kind), "relation", "kind")
    a, b = get(store.reads, subject), get(store.reads, obj)
    if a.id == b.id:
        raise ValidationError([Problem("an instrument cannot relate to itself", field="relation")])
    with store.transaction():
        return _relate(store, a.id, relation, b.id, by)


def _relate(store: Store, subject_id: int, kind: RelationKind, object_id: int, by: str) -> Relation:
    found = store.reads.relation(subject_id, kind.value, object_id)
    if found is not None:
        return found
    store.insert(
        "relations", {"subject_id": subject_id, "kind": kind.value, "object_id": object_id}
    )
    store.log(
        "relate",
        actor=by,
        instrument_id=subject_id,
        payload={"kind": kind.value, "object": object_id},
    )
    store.log(
        "related",
        actor=by,
        instrument_id=object_id,
        payload={"kind": kind.inverse, "object": subject_id},
    )
    created = store.reads.relation(subject_id, kind.value, object_id)
    assert created is not None
    return created
