"""Cleanup campaigns (清理工作): scope, responsibility, progress, inspection and the negative list.

"谁制定、谁清理；谁实施、谁清理": each instrument in a campaign's scope belongs to a department,
which owes a decision on it by the deadline. The scope is computed and frozen when the campaign is
created; later additions, removals and reassignments are logged. The inspection
(:func:`findings`) holds departments to account for 漏清 (missed), 延迟报送 (late) and more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .errors import Problem, StateError, ValidationError
from .models import Campaign, Decision, Instrument, status_from
from .vocab import DecisionState, Kind, Outcome, Status

if TYPE_CHECKING:
    from .registry import Registry

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
    """

    code: str
    severity: str
    instrument: int
    department: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


SEVERITY = {
    "missed": "error",  # 漏清
    "conflicting": "error",
    "basis_repealed": "error",
    "late": "warning",  # 延迟报送
    "expired": "warning",
    "no_reason": "warning",
    "evaluation_due": "info",
}


def responsible(instrument: Instrument, mapping: Mapping[str, str] | None = None) -> str:
    """The department that owes the decision: its 责任单位, else the department the registry's
    ``[departments]`` table names for its issuer, else the issuer itself (谁制定谁清理)."""
    if instrument.department:
        return instrument.department
    return (mapping or {}).get(instrument.issuer) or instrument.issuer or "（未指定）"


def compute_scope(
    registry: Registry,
    cutoff: dt.date | None,
    issuers: Sequence[str] = (),
    departments: Sequence[str] = (),
    kinds: Sequence[Kind] = (),
) -> list[tuple[Instrument, str]]:
    """Instruments in force and made before the cut-off, narrowed by issuer, department, kind."""
    today = registry.today()
    out = []
    for instrument, decisions in registry.instruments_with_decisions():
        own = instrument.own_date
        if cutoff is not None and own is not None and own.first_day > cutoff:
            continue
        if status_from(instrument, decisions, today) is not Status.IN_FORCE:
            continue
        if issuers and not any(i in instrument.issuer for i in issuers):
            continue
        department = responsible(instrument, registry.settings.departments)
        if departments and department not in departments:
            continue
        if kinds and instrument.kind not in kinds:
            continue
        out.append((instrument, department))
    return out


def scope_rows(registry: Registry, campaign: Campaign) -> list[tuple[int, str]]:
    """(instrument id, department) of the campaign's current scope."""
    rows = registry.store.all(
        "SELECT instrument_id, department FROM campaign_scope "
        "WHERE campaign_id = ? AND removed = 0 ORDER BY instrument_id",
        (campaign.id,),
    )
    return [(int(r[0]), r[1]) for r in rows]


def _campaign_decisions(registry: Registry, campaign: Campaign) -> dict[int, list[Decision]]:
    by_instrument: dict[int, list[Decision]] = defaultdict(list)
    for decision in registry.decisions_of_campaign(campaign.name):
        by_instrument[decision.instrument_id].append(decision)
    return by_instrument


def progress(registry: Registry, campaign: Campaign) -> list[DepartmentProgress]:
    """One row per department: in scope, proposed, approved, undecided, overdue, what it owes."""
    today = registry.today()
    overdue_day = campaign.deadline is not None and today > campaign.deadline.last_day
    decided = _campaign_decisions(registry, campaign)
    groups: dict[str, list[int]] = defaultdict(list)
    for instrument_id, department in scope_rows(registry, campaign):
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


def findings(
    registry: Registry, campaign: Campaign | None = None, *, errors_only: bool = False
) -> list[Finding]:
    """Inspection findings over a campaign (missed, late, conflicting) and the whole registry
    (basis_repealed, expired, evaluation_due, no_reason); with ``errors_only``, only those of
    severity error, which is quicker (what publishing checks before it starts)."""
    out: list[Finding] = []
    if campaign is not None:
        out += _campaign_findings(registry, campaign)
    out += _registry_findings(registry, campaign, errors_only)
    if errors_only:
        out = [f for f in out if f.severity == "error"]
    return sorted_findings(out)


def sorted_findings(found: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; duplicates dropped."""
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(set(found), key=lambda f: (order[f.severity], f.code, f.instrument, f.message))


def _campaign_findings(registry: Registry, campaign: Campaign) -> list[Finding]:
    out = []
    today = registry.today()
    decided = _campaign_decisions(registry, campaign)
    deadline = campaign.deadline.last_day if campaign.deadline else None
    for instrument_id, department in scope_rows(registry, campaign):
        decisions = decided.get(instrument_id, [])
        live = [d for d in decisions if d.state in _LIVE]
        if deadline and today > deadline and not live:
            out.append(_finding("missed", instrument_id, department,
                                f"in the scope of {campaign.name} and undecided after the deadline {deadline}"))  # fmt: skip
        for d in live:
            if deadline and d.proposed_at[:10] > deadline.isoformat():
                out.append(_finding("late", instrument_id, d.department or department,
                                    f"proposed on {d.proposed_at[:10]}, after the deadline {deadline}"))  # fmt: skip
        proposals = [d for d in decisions if d.state is not DecisionState.WITHDRAWN or d.decided_by]
        views = {(d.department or department, d.outcome) for d in proposals}
        if len({o for _, o in views}) > 1 and len({dep for dep, _ in views}) > 1:
            listed = "; ".join(f"{dep}: {o.zh}" for dep, o in sorted(views, key=lambda v: v[0]))
            out.append(_finding("conflicting", instrument_id, department,
                                f"departments propose different outcomes ({listed})"))  # fmt: skip
    return out


def _registry_findings(
    registry: Registry, campaign: Campaign | None, errors_only: bool = False
) -> list[Finding]:
    out = []
    today = registry.today()
    window = today + dt.timedelta(days=EVALUATION_WINDOW_DAYS)
    statuses: dict[int, Status] = {}
    entries: dict[int, tuple[Instrument, list[Decision]]] = {}
    for instrument, decisions in registry.instruments_with_decisions(
        _may_have_findings(registry, window, errors_only)
    ):
        entries[instrument.id] = (instrument, decisions)
        statuses[instrument.id] = status_from(instrument, decisions, today)
    in_scope = None if campaign is None else {i for i, _ in scope_rows(registry, campaign)}
    for subject, obj in registry.relations_of_kind("based_on"):
        ended = statuses.get(obj) in (Status.REPEALED, Status.INVALID)
        wanted = in_scope is None or subject in in_scope
        if statuses.get(subject) is Status.IN_FORCE and ended and wanted:
            basis = entries[obj][0]
            message = f"in force, but its basis {basis.title_core} ({basis.doc_number}) is {statuses[obj].zh}"
            out.append(
                _finding(
                    "basis_repealed",
                    subject,
                    responsible(entries[subject][0], registry.settings.departments),
                    message,
                )
            )
    if errors_only:  # basis_repealed is the only error among them
        return out
    for instrument_id, (instrument, decisions) in entries.items():
        if in_scope is not None and instrument_id not in in_scope:
            continue
        live = [d for d in decisions if d.state in _LIVE]
        department = responsible(instrument, registry.settings.departments)
        if statuses[instrument_id] is Status.EXPIRED and not live:
            out.append(_finding("expired", instrument_id, department,
                                f"its validity period ended on {instrument.expires_on} and no decision records it"))  # fmt: skip
        expires = instrument.expires_on
        if (
            statuses[instrument_id] is Status.IN_FORCE
            and expires
            and today <= expires.last_day <= window
        ):
            out.append(_finding("evaluation_due", instrument_id, department,
                                f"expires on {expires}: evaluate it now (6 months before expiry)"))  # fmt: skip
        for d in live:
            if d.outcome in (Outcome.REPEAL, Outcome.INVALIDATE) and not d.reasons:
                out.append(_finding("no_reason", instrument_id, d.department or department,
                                    f"decision {d.id} ({d.outcome.zh}) gives no reason"))  # fmt: skip
    return out


def _may_have_findings(registry: Registry, window: dt.date, errors_only: bool) -> set[int]:
    """The instruments a registry-wide finding can be about, found by SQL so that the rest
    need not be read: the ends of based_on relations (basis_repealed), those with an expiry
    date up to ``window`` (expired, evaluation_due; a partial date such as "2027" sorts before
    every day it covers), and those with a live repeal or invalidation (no_reason)."""
    ids = {i for pair in registry.relations_of_kind("based_on") for i in pair}
    if errors_only:
        return ids
    rows = registry.store.all(
        "SELECT id FROM instruments WHERE expires_on IS NOT NULL AND expires_on <= ?",
        (window.isoformat(),),
    )
    ids |= {int(r[0]) for r in rows}
    rows = registry.store.all(
        "SELECT DISTINCT instrument_id FROM decisions WHERE state IN (?, ?) AND outcome IN (?, ?)",
        (DecisionState.PROPOSED.value, DecisionState.APPROVED.value, Outcome.REPEAL.value,
         Outcome.INVALIDATE.value),
    )  # fmt: skip
    return ids | {int(r[0]) for r in rows}


def _finding(code: str, instrument: int, department: str, message: str) -> Finding:
    return Finding(code, SEVERITY[code], instrument, department, message)


def close(
    registry: Registry,
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
    today = registry.today()
    decided = _campaign_decisions(registry, campaign)
    void = []
    if declare_void:
        for instrument_id, _department in scope_rows(registry, campaign):
            kept = any(d.outcome is Outcome.KEEP and d.state is DecisionState.APPROVED
                       for d in decided.get(instrument_id, []))  # fmt: skip
            if not kept and registry.status_on(instrument_id, today) is Status.IN_FORCE:
                void.append(instrument_id)
    if dry_run:
        return void
    with registry.store.transaction():
        for instrument_id in void:
            if registry.open_decision(instrument_id) is not None:
                registry.withdraw(
                    instrument_id, by=by, reason=f"{campaign.name} 闭合：依负面清单规则处理"
                )
            registry.propose(instrument_id, Outcome.INVALIDATE, reason=NEGATIVE_LIST_REASON, by=by,
                             campaign=campaign.name)  # fmt: skip
        if void:
            registry.approve(void, by=by, decision_doc=decision_doc, decision_title=decision_title,
                             effective_on=effective_on)  # fmt: skip
        registry.store.conn.execute(
            "UPDATE campaigns SET closed_at = ? WHERE id = ?", (registry.store.clock(), campaign.id)
        )
        registry.store.log("campaign_close", actor=by,
                           payload={"campaign": campaign.name, "declared_void": void,
                                    "rule": "negative_list" if declare_void else ""})  # fmt: skip
    return void


def change_scope(
    registry: Registry,
    campaign: Campaign,
    refs: Iterable[Any],
    *,
    add: bool,
    by: str,
    reason: str = "",
) -> list[int]:
    """Add instruments to a campaign's scope, or remove them (logged, never deleted)."""
    ids = [registry.get(ref).id for ref in refs]
    with registry.store.transaction():
        for instrument_id in ids:
            department = responsible(registry.get(instrument_id), registry.settings.departments)
            registry.store.conn.execute(
                "INSERT INTO campaign_scope (campaign_id, instrument_id, department, removed) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, instrument_id) "
                "DO UPDATE SET removed = excluded.removed",
                (campaign.id, instrument_id, department, 0 if add else 1),
            )
            registry.store.log("scope_add" if add else "scope_remove", actor=by, instrument_id=instrument_id,
                               payload={"campaign": campaign.name, "reason": reason})  # fmt: skip
    return ids


def assign(registry: Registry, campaign: Campaign, ref: Any, department: str, *, by: str) -> str:
    """Make another department responsible for an instrument in a campaign (logged)."""
    instrument = registry.get(ref)
    row = registry.store.one(
        "SELECT department FROM campaign_scope WHERE campaign_id = ? AND instrument_id = ? AND removed = 0",
        (campaign.id, instrument.id),
    )
    if row is None:
        raise StateError(f"instrument {instrument.id} is not in the scope of {campaign.name}")
    if not department.strip():
        raise ValidationError([Problem("a department is required", field="department")])
    with registry.store.transaction():
        registry.store.conn.execute(
            "UPDATE campaign_scope SET department = ? WHERE campaign_id = ? AND instrument_id = ?",
            (department.strip(), campaign.id, instrument.id),
        )
        registry.store.log("assign", actor=by, instrument_id=instrument.id,
                           payload={"campaign": campaign.name, "from": row[0], "to": department.strip()})  # fmt: skip
    return row[0]
