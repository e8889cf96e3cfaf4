"""Cleanup campaigns (清理工作): scope, responsibility, progress, inspection and the negative list.

"谁制定、谁清理；谁实施、谁清理": each instrument in a campaign's scope belongs to a department,
which owes a decision on it by the deadline. The scope is computed and frozen when the campaign is
created; later additions, removals and reassignments are logged. The inspection
(:func:`findings`) holds departments to account for 漏清 (missed), 延迟报送 (late) and more.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from . import decisions as decisions_
from . import filings, instruments
from .config import Settings
from .dates import PartialDate, iso, optional_date
from .decisions import located
from .errors import DuplicateError, NotFoundError, Problem, StateError, ValidationError
from .models import Campaign, Decision, Instrument, status_from
from .profiles import Profile
from .store import Reader, Store
from .text import fold
from .vocab import DecisionState, FindingCode, Kind, Outcome, Severity, Status

NEGATIVE_LIST_REASON = "未列入继续有效目录，依照负面清单规则自决定之日起失效"
EVALUATION_WINDOW_DAYS = 183  # evaluation starts 6 months before expiry


@attrs.frozen
class DepartmentProgress:
    """How far one department is with its share of a campaign.

    Attributes:
        department: the department (责任单位).
        in_scope: instruments it must decide on.
        proposed: with a proposal awaiting approval.
        approved: with an approved decision.
        undecided: with neither.
        overdue: the deadline has passed and something is undecided.
        outcomes: proposed or approved decisions by outcome.
        owed: ids of the undecided instruments.
    """

    department: str
    in_scope: int
    proposed: int
    approved: int
    undecided: int
    overdue: bool
    outcomes: dict[str, int]
    owed: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["owed"] = list(self.owed)
        return data


@attrs.frozen
class Finding:
    """One inspection finding.

    Attributes:
        code: missed, late, conflicting, basis_repealed, expired, evaluation_due or no_reason.
        severity: error, warning or info. Publishing refuses errors unless forced.
        instrument: the instrument's id.
        department: the department accountable.
        message: what is wrong, in plain words.
        number, title: the instrument's number and title, so that a reader knows which it is.
    """

    code: FindingCode
    severity: Severity
    instrument: int
    department: str
    message: str
    number: str = ""
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


def responsible(instrument: Instrument, mapping: Mapping[str, str] | None = None) -> str:
    """The department that owes the decision: its 责任单位, else the department the registry's
    ``[departments]`` table names for its issuer, else the issuer itself (谁制定谁清理)."""
    if instrument.department:
        return instrument.department
    return (mapping or {}).get(instrument.issuer) or instrument.issuer or "（未指定）"


# -- reading ----------------------------------------------------------------------------------


def get(reads: Reader, name: str) -> Campaign:
    """A campaign by name; NotFoundError naming the known ones otherwise."""
    found = reads.campaign(name)
    if found is None:
        known = ", ".join(c.name for c in reads.campaigns()) or "none yet"
        raise NotFoundError(f"no campaign named {name!r} (known: {known})")
    return found


# -- creating and scoping ---------------------------------------------------------------------


def create(
    store: Store,
    settings: Settings,
    name: str,
    *,
    cutoff: str | dt.date | PartialDate | None = None,
    deadline: str | dt.date | PartialDate | None = None,
    title: str = "",
    issuers: Sequence[str] = (),
    departments: Sequence[str] = (),
    kinds: Sequence[str | Kind] = (),
    by: str = "",
    profile: Profile | None = None,
    only: Sequence[int] | None = None,
    plan: str = "",
) -> Campaign:
    """Start a cleanup round (see :meth:`regclean.Registry.create_campaign`); its scope is
    computed now and frozen. A thematic profile sets the kinds in scope unless ``kinds`` does."""
    if not name.strip():
        raise ValidationError([Problem("a campaign needs a name", field="name")])
    cut = located(lambda: optional_date(cutoff), "campaign", "cutoff")
    due = located(lambda: optional_date(deadline), "campaign", "deadline")
    kind_values = [located(lambda k=k: Kind.parse(k), "campaign", "kind") for k in kinds]
    if not kind_values and profile is not None:
        kind_values = list(profile.kinds)
    scope = {
        "issuers": list(issuers),
        "departments": list(departments),
        "kinds": [k.value for k in kind_values],
    }
    if profile is not None and profile.name != "general":
        scope["profile"] = profile.name
    if plan:
        scope["plan"] = plan  # the yearly plan it was made from (its scope is the plan's)
        scope["plan_order"] = list(only or [])  # the plan's order, as it is published
    values = {
        "name": name.strip(),
        "title": title.strip(),
        "cutoff": iso(cut),
        "deadline": iso(due),
        "scope": json.dumps(scope, ensure_ascii=False),
    }
    with store.transaction():
        if store.reads.campaign(values["name"]) is not None:
            raise DuplicateError(f"campaign {values['name']!r} already exists")
        campaign_id = store.insert("campaigns", values)
        members = compute_scope(
            store.reads, settings, cut.last_day if cut else None, issuers, departments, kind_values
        )
        if only is not None:
            wanted = set(only)
            members = [(i, d) for i, d in members if i.id in wanted]
        store.insert_many(
            "campaign_scope",
            ("campaign_id", "instrument_id", "department"),
            [(campaign_id, i.id, department) for i, department in members],
        )
        # the members are logged, so that verify can replay the frozen scope
        store.log(
            "campaign",
            actor=by,
            payload={
                **values,
                "id": campaign_id,
                "scope": scope,
                "in_scope": len(members),
                "members": [[i.id, department] for i, department in members],
            },
        )
    return get(store.reads, values["name"])


def compute_scope(
    reads: Reader,
    settings: Settings,
    cutoff: dt.date | None,
    issuers: Sequence[str] = (),
    departments: Sequence[str] = (),
    kinds: Sequence[Kind] = (),
) -> list[tuple[Instrument, str]]:
    """Instruments in force on the cut-off (today without one) and made before it, narrowed by
    issuer, department, kind. One that expired after the cut-off stays in scope: the
    inspection reports it as expired, it is not silently dropped."""
    day = cutoff or reads.today()
    out = []
    for instrument, decisions in reads.instruments_with_decisions():
        own = instrument.own_date
        if cutoff is not None and own is not None and own.first_day > cutoff:
            continue
        if not status_from(instrument, decisions, day).in_force:
            continue
        if issuers and not any(fold(i) in fold(instrument.issuer) for i in issuers):
            continue
        department = responsible(instrument, settings.departments)
        if departments and department not in departments:
            continue
        if kinds and not any(instrument.kind in k.covered() for k in kinds):
            continue
        out.append((instrument, department))
    return out


def scope_rows(reads: Reader, campaign: Campaign) -> list[tuple[int, str]]:
    """(instrument id, department) of the campaign's current scope."""
    return reads.scope_rows(campaign.id)


def counts_for(campaign: Campaign, decision: Decision) -> bool:
    """Whether a decision on an instrument in a campaign's scope counts for that campaign: filed
    under it, or filed under none and proposed (at the time stated) within its period, from the
    cut-off on and, once it is closed, not after. A decision of another campaign never does."""
    if decision.campaign:
        return decision.campaign == campaign.name
    day = decision.proposed_at[:10]
    if campaign.cutoff is not None and day < campaign.cutoff.first_day.isoformat():
        return False
    return not campaign.closed_at or day <= campaign.closed_at[:10]


def decisions_of(reads: Reader, campaign: Campaign) -> dict[int, list[Decision]]:
    """The decisions that count for a campaign, by instrument (see :func:`counts_for`)."""
    return _campaign_decisions(reads, campaign)


def _campaign_decisions(reads: Reader, campaign: Campaign) -> dict[int, list[Decision]]:
    """The decisions that count for a campaign, by instrument (see :func:`counts_for`)."""
    scope = [instrument_id for instrument_id, _ in scope_rows(reads, campaign)]
    by_instrument: dict[int, list[Decision]] = defaultdict(list)
    for instrument_id, decisions in reads.decisions_by_instrument(scope).items():
        by_instrument[instrument_id] = [d for d in decisions if counts_for(campaign, d)]
    return by_instrument


# -- progress and inspection ------------------------------------------------------------------


def progress(reads: Reader, campaign: Campaign) -> list[DepartmentProgress]:
    """One row per department: in scope, proposed, approved, undecided, overdue, what it owes."""
    today = reads.today()
    overdue_day = campaign.deadline is not None and today > campaign.deadline.last_day
    decided = _campaign_decisions(reads, campaign)
    groups: dict[str, list[int]] = defaultdict(list)
    for instrument_id, department in scope_rows(reads, campaign):
        groups[department].append(instrument_id)
    out = []
    for department in sorted(groups):
        proposed = approved = 0
        outcomes: dict[str, int] = defaultdict(int)
        owed = []
        for instrument_id in groups[department]:
            live = [d for d in decided.get(instrument_id, []) if d.state in _LIVE]
            if not live:
                owed.append(instrument_id)
                continue
            latest = live[-1]
            outcomes[latest.outcome.value] += 1
            if latest.state is DecisionState.APPROVED:
                approved += 1
            else:
                proposed += 1
        out.append(
            DepartmentProgress(
                department=department,
                in_scope=len(groups[department]),
                proposed=proposed,
                approved=approved,
                undecided=len(owed),
                overdue=bool(owed) and overdue_day,
                outcomes=dict(sorted(outcomes.items())),
                owed=tuple(owed),
            )
        )
    return out


_LIVE = (DecisionState.PROPOSED, DecisionState.APPROVED)


def check(
    reads: Reader, settings: Settings, campaign: str | None = None, *, errors_only: bool = False
) -> list[Finding]:
    """Inspection findings of one campaign, or (None) of the whole registry and every
    campaign (see :meth:`regclean.Registry.check`)."""
    if campaign:
        return findings(reads, settings, get(reads, campaign), errors_only=errors_only)
    found = findings(reads, settings, None, errors_only=errors_only)
    for each in reads.campaigns():
        found += findings(reads, settings, each, errors_only=errors_only)
    return sorted_findings(found)


def findings(
    reads: Reader,
    settings: Settings,
    campaign: Campaign | None = None,
    *,
    errors_only: bool = False,
) -> list[Finding]:
    """Inspection findings over a campaign (missed, late, conflicting) and the whole registry
    (basis_repealed, expired, evaluation_due, no_reason); with ``errors_only``, only those of
    severity error, which is quicker (what publishing checks before it starts)."""
    out: list[Finding] = []
    if campaign is not None:
        out += _campaign_findings(reads, campaign)
    out += _registry_findings(reads, settings, campaign, errors_only)
    if errors_only:
        out = [f for f in out if f.severity is Severity.ERROR]
    return sorted_findings(_named(reads, out))


def sorted_findings(found: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; duplicates dropped."""
    return sorted(
        set(found), key=lambda f: (f.severity.rank, f.code.value, f.instrument, f.message)
    )


def _campaign_findings(reads: Reader, campaign: Campaign) -> list[Finding]:
    out = []
    today = reads.today()
    decided = _campaign_decisions(reads, campaign)
    deadline = campaign.deadline.last_day if campaign.deadline else None
    for instrument_id, department in scope_rows(reads, campaign):
        # a deadline counts by the stated time of the act (a back-entered round is judged by
        # when it happened, not by when it was typed in)
        decisions = decided.get(instrument_id, [])
        live = [d for d in decisions if d.state in _LIVE]
        if deadline and today > deadline and not live:
            out.append(
                _finding(
                    "missed",
                    instrument_id,
                    department,
                    f"in the scope of {campaign.name} and undecided after the deadline {deadline}",
                )
            )
        for d in live:
            if deadline and d.proposed_at[:10] > deadline.isoformat():
                out.append(
                    _finding(
                        "late",
                        instrument_id,
                        d.department or department,
                        f"proposed on {d.proposed_at[:10]}, after the deadline {deadline}",
                    )
                )
        # a rejected proposal still shows a department's view; a withdrawn one was taken back
        proposals = [d for d in decisions if d.state is not DecisionState.WITHDRAWN]
        views = {(d.department or department, d.outcome) for d in proposals}
        if len({o for _, o in views}) > 1 and len({dep for dep, _ in views}) > 1:
            listed = "; ".join(f"{dep}: {o.zh}" for dep, o in sorted(views, key=lambda v: v[0]))
            out.append(
                _finding(
                    "conflicting",
                    instrument_id,
                    department,
                    f"departments propose different outcomes ({listed})",
                )
            )
    return out


def _registry_findings(
    reads: Reader, settings: Settings, campaign: Campaign | None, errors_only: bool = False
) -> list[Finding]:
    out = []
    today = reads.today()
    window = today + dt.timedelta(days=EVALUATION_WINDOW_DAYS)
    statuses: dict[int, Status] = {}
    entries: dict[int, tuple[Instrument, list[Decision]]] = {}
    for instrument, decisions in reads.instruments_with_decisions(
        _may_have_findings(reads, window, errors_only, settings)
    ):
        entries[instrument.id] = (instrument, decisions)
        statuses[instrument.id] = status_from(instrument, decisions, today)
    in_scope = None if campaign is None else {i for i, _ in scope_rows(reads, campaign)}
    for subject, obj in reads.relations_of_kind("based_on"):
        ended = statuses.get(obj) in (Status.REPEALED, Status.INVALID)
        wanted = in_scope is None or subject in in_scope
        if subject in statuses and statuses[subject].in_force and ended and wanted:
            basis = entries[obj][0]
            message = f"in force, but its basis {basis.title_core} ({basis.doc_number}) is {statuses[obj].zh}"
            out.append(
                _finding(
                    "basis_repealed",
                    subject,
                    responsible(entries[subject][0], settings.departments),
                    message,
                )
            )
    if errors_only:  # basis_repealed is the only error among them
        return out
    for instrument_id, (instrument, decisions) in entries.items():
        if in_scope is not None and instrument_id not in in_scope:
            continue
        live = [d for d in decisions if d.state in _LIVE]
        department = responsible(instrument, settings.departments)
        if statuses[instrument_id] is Status.EXPIRED and not live:
            out.append(
                _finding(
                    "expired",
                    instrument_id,
                    department,
                    f"its validity period ended on {instrument.expires_on} and no decision records it",
                )
            )
        expires = instrument.expires_on
        if statuses[instrument_id].in_force and expires and today <= expires.last_day <= window:
            out.append(
                _finding(
                    "evaluation_due",
                    instrument_id,
                    department,
                    f"expires on {expires}: evaluate it now (6 months before expiry)",
                )
            )
        if (
            settings.registration_required == "yes"
            and statuses[instrument_id].in_force
            and not instrument.registration_no
            and instrument.kind.family in _REGISTERED
        ):
            out.append(
                _finding(
                    "unregistered",
                    instrument_id,
                    department,
                    "in force without a registration number (统一登记号): it may not "
                    "serve as a basis of administration",
                )
            )
        for d in live:
            if d.outcome in (Outcome.REPEAL, Outcome.INVALIDATE) and not d.reasons:
                out.append(
                    _finding(
                        "no_reason",
                        instrument_id,
                        d.department or department,
                        f"decision {d.id} ({d.outcome.zh}) gives no reason",
                    )
                )
    for code, instrument_id, message in filings.findings(
        reads, settings, {i: e for i, e in entries.items() if in_scope is None or i in in_scope}
    ):
        out.append(
            _finding(
                code,
                instrument_id,
                responsible(entries[instrument_id][0], settings.departments),
                message,
            )
        )
    return out


_REGISTERED = (Kind.NORMATIVE,)  # the kinds 统一登记 applies to: normative documents


def _may_have_findings(
    reads: Reader, window: dt.date, errors_only: bool, settings: Settings | None = None
) -> set[int]:
    """The instruments a registry-wide finding can be about, found by SQL so that the rest
    need not be read: the ends of based_on relations (basis_repealed), those with an expiry
    date up to ``window`` (expired, evaluation_due; a partial date such as "2027" sorts before
    every day it covers), and those with a live repeal or invalidation (no_reason)."""
    ids = {i for pair in reads.relations_of_kind("based_on") for i in pair}
    if errors_only:
        return ids
    ids |= reads.expiring_by(window)
    if settings is not None and settings.registration_required == "yes":
        ids |= reads.unregistered()
    if settings is not None and settings.filing_days:
        ids |= reads.of_kinds([k.value for k in Kind if k.family in filings.FILED_KINDS])
    return ids | reads.decided(
        (DecisionState.PROPOSED.value, DecisionState.APPROVED.value),
        (Outcome.REPEAL.value, Outcome.INVALIDATE.value),
    )


def _finding(code: str, instrument: int, department: str, message: str) -> Finding:
    kind = FindingCode.parse(code)
    return Finding(kind, kind.severity, instrument, department, message)


def _named(reads: Reader, found: list[Finding]) -> list[Finding]:
    """The findings with their instruments' numbers and titles."""
    known = {i.id: i for i, _ in reads.instruments_with_decisions({f.instrument for f in found})}
    return [
        attrs.evolve(f, number=known[f.instrument].doc_number, title=known[f.instrument].title)
        if f.instrument in known
        else f
        for f in found
    ]


# -- closing, scope changes, reassignment -----------------------------------------------------


def close(
    store: Store,
    campaign: Campaign,
    *,
    by: str,
    declare_void: bool = False,
    dry_run: bool = False,
    decision_doc: str = "",
    decision_title: str = "",
    effective_on: Any = None,
) -> list[int]:
    """Close a campaign. With ``declare_void``, every in-scope instrument still in force without
    an approved keep decision is declared invalid (the negative-list rule), as one logged batch.
    Returns the ids so declared (or that would be, with ``dry_run``)."""
    if campaign.closed_at:
        raise StateError(f"campaign {campaign.name} was closed at {campaign.closed_at}")
    if not by.strip():
        raise ValidationError([Problem("who closes it is required", field="by")])
    reads = store.reads
    today = reads.today()
    decided = _campaign_decisions(reads, campaign)
    void = []
    if declare_void:
        for instrument_id, _department in scope_rows(reads, campaign):
            kept = any(
                d.outcome is Outcome.KEEP and d.state is DecisionState.APPROVED
                for d in decided.get(instrument_id, [])
            )
            if not kept and decisions_.status_on(reads, instrument_id, today).in_force:
                void.append(instrument_id)
    if dry_run:
        return void
    with store.transaction():
        for instrument_id in void:
            if reads.open_decision(instrument_id) is not None:
                decisions_.withdraw(
                    store, instrument_id, by=by, reason=f"{campaign.name} 闭合：依负面清单规则处理"
                )
            decisions_.propose(
                store,
                instrument_id,
                Outcome.INVALIDATE,
                reason=NEGATIVE_LIST_REASON,
                by=by,
                campaign=campaign.name,
            )
        if void:
            decisions_.approve(
                store,
                void,
                by=by,
                decision_doc=decision_doc,
                decision_title=decision_title,
                effective_on=effective_on,
            )
        closed_at = store.clock()
        store.update("campaigns", campaign.id, {"closed_at": closed_at})
        store.log(
            "campaign_close",
            actor=by,
            payload={
                "campaign": campaign.name,
                "declared_void": void,
                "closed_at": closed_at,
                "rule": "negative_list" if declare_void else "",
            },
        )
    return void


def change_scope(
    store: Store,
    settings: Settings,
    campaign: Campaign,
    refs: Iterable[Any],
    *,
    add: bool,
    by: str,
    reason: str = "",
) -> list[int]:
    """Add instruments to a campaign's scope, or remove them (logged, never deleted)."""
    found = [instruments.get(store.reads, ref) for ref in refs]
    ids = [instrument.id for instrument in found]
    with store.transaction():
        for instrument in found:
            instrument_id = instrument.id
            store.upsert(
                "campaign_scope",
                {
                    "campaign_id": campaign.id,
                    "instrument_id": instrument_id,
                    "department": responsible(instrument, settings.departments),
                    "removed": 0 if add else 1,
                },
                key=("campaign_id", "instrument_id"),
                update=("removed",),
            )
            store.log(
                "scope_add" if add else "scope_remove",
                actor=by,
                instrument_id=instrument_id,
                payload={
                    "campaign": campaign.name,
                    "reason": reason,
                    "department": responsible(instrument, settings.departments),
                },
            )
    return ids


def assign(store: Store, campaign: Campaign, ref: Any, department: str, *, by: str) -> str:
    """Make another department responsible for an instrument in a campaign (logged)."""
    instrument = instruments.get(store.reads, ref)
    before = store.reads.scope_department(campaign.id, instrument.id)
    if before is None:
        raise StateError(f"instrument {instrument.id} is not in the scope of {campaign.name}")
    if not department.strip():
        raise ValidationError([Problem("a department is required", field="department")])
    with store.transaction():
        store.update_where(
            "campaign_scope",
            {"campaign_id": campaign.id, "instrument_id": instrument.id},
            {"department": department.strip()},
        )
        store.log(
            "assign",
            actor=by,
            instrument_id=instrument.id,
            payload={"campaign": campaign.name, "from": before, "to": department.strip()},
        )
    return before
