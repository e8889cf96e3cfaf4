"""``regclean verify``: is the registry whole, and is it what its log says it is?

Four checks, each naming the first thing wrong:

1. SQLite's own integrity and foreign-key checks.
2. The event log is still append-only (its triggers are in place).
3. The hash chain: every event's hash covers its content and the previous hash.
4. Replay: the instruments, decisions and relations the log describes equal the stored ones.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from .fields import INSTRUMENT_FIELDS
from .store import Reader, chain

DECISION_CHECKED = ("instrument_id", "outcome", "state", "decided_by", "decision_doc", "effective_on",
                    "withdrawn_by", "withdraw_reason", "campaign")  # fmt: skip


@attrs.frozen
class VerifyReport:
    """The outcome of a verification.

    Attributes:
        events: how many events were checked.
        head: the hash of the newest event (what a published site names).
        problems: what is wrong, first broken link first; empty when all is well.
    """

    events: int
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (
                f"ok: {self.events} events, the chain and the stored state agree; head {self.head}"
            )
        return "\n".join([f"FAILED ({len(self.problems)} problem(s)):", *self.problems])


def verify(reads: Reader) -> VerifyReport:
    """Run every check; never raises for a damaged registry, reports instead."""
    problems: list[str] = []
    integrity = reads.integrity()
    if integrity != "ok":
        problems.append(f"database integrity: {integrity}")
    for table, rowid, parent in reads.foreign_key_problems():
        problems.append(f"{table} row {rowid} refers to a missing {parent}")
    triggers = reads.triggers()
    for name in ("events_no_update", "events_no_delete"):
        if name not in triggers:
            problems.append(f"the trigger {name} is gone: the event log is no longer append-only")
    events = reads.event_rows()
    problems += _check_chain(events)
    if not problems:
        problems += _check_state(reads, events)
    head = events[-1][7] if events else chain.GENESIS
    return VerifyReport(len(events), head, tuple(problems))


def _check_chain(events: list[Any]) -> list[str]:
    prev = chain.GENESIS
    expected_seq = None
    for seq, at, actor, action, instrument_id, decision_id, payload, stored in events:
        if expected_seq is not None and seq != expected_seq:
            return [
                f"event {expected_seq}: missing (the log jumps from {expected_seq - 1} to {seq})"
            ]
        computed = chain.event_hash(prev, at, actor, action, instrument_id, decision_id, payload)
        if computed != stored:
            return [f"event {seq} ({action}): its hash does not match its content or the event "
                    f"before it; the log was altered at or before this event"]  # fmt: skip
        prev = stored
        expected_seq = seq + 1
    return []


def _check_state(reads: Reader, events: list[Any]) -> list[str]:
    instruments: dict[int, dict[str, Any]] = {}
    decisions: dict[int, dict[str, Any]] = {}
    relations: set[tuple[int, str, int]] = set()
    for _seq, _at, actor, action, instrument_id, decision_id, payload_text, _hash in events:
        payload = json.loads(payload_text)
        if action == "add":
            instruments[instrument_id] = {k: payload.get(k) for k in INSTRUMENT_FIELDS}
        elif action == "update":
            for key, (_old, new) in payload.items():
                instruments.setdefault(instrument_id, {})[key] = new
        elif action == "propose":
            decisions[decision_id] = {"instrument_id": instrument_id, "state": "proposed",
                                      "outcome": payload.get("outcome"), "campaign": payload.get("campaign")}  # fmt: skip
        elif action == "approve":
            decisions[decision_id] |= {"state": "approved", "decided_by": actor,
                                       "decision_doc": payload.get("decision_doc"),
                                       "effective_on": payload.get("effective_on")}  # fmt: skip
        elif action in ("withdraw", "reject"):
            state = "withdrawn" if action == "withdraw" else "rejected"
            decisions[decision_id] |= {"state": state, "withdraw_reason": payload.get("reason")}
            if action == "withdraw":
                decisions[decision_id]["withdrawn_by"] = actor
            else:
                decisions[decision_id]["decided_by"] = actor
        elif action == "relate":
            relations.add((instrument_id, payload["kind"], payload["object"]))
    problems = _compare_instruments(reads, instruments)
    problems += _compare_decisions(reads, decisions)
    stored = {(subject, kind, obj) for _, subject, kind, obj in reads.relation_rows()}
    for extra in sorted(stored - relations):
        problems.append(f"relation {extra} is stored but was never logged")
    for missing in sorted(relations - stored):
        problems.append(f"relation {missing} was logged but is not stored")
    return problems


def _norm(value: Any) -> Any:
    return None if value in ("", None) else value


def _compare_instruments(reads: Reader, logged: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    stored = reads.instrument_rows()
    for instrument_id in sorted(set(stored) | set(logged)):
        if instrument_id not in logged:
            problems.append(f"instrument {instrument_id} is stored but was never logged")
            continue
        if instrument_id not in stored:
            problems.append(f"instrument {instrument_id} was logged but is not stored")
            continue
        row = stored[instrument_id]
        for key in INSTRUMENT_FIELDS:
            have = row[key]
            if key == "full_text" and have:
                have = {
                    "chars": len(have),
                    "sha256": hashlib.sha256(have.encode("utf-8")).hexdigest(),
                }
            if _norm(have) != _norm(logged[instrument_id].get(key)):
                problems.append(f"instrument {instrument_id}, field {key}: the log says "
                                f"{logged[instrument_id].get(key)!r}, the database holds {row[key]!r}")  # fmt: skip
    return problems


def _compare_decisions(reads: Reader, logged: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    stored = reads.decision_rows()
    for decision_id in sorted(set(stored) | set(logged)):
        if decision_id not in logged or decision_id not in stored:
            where = "stored but never logged" if decision_id in stored else "logged but not stored"
            problems.append(f"decision {decision_id} is {where}")
            continue
        for key in DECISION_CHECKED:
            if key in logged[decision_id] and _norm(stored[decision_id][key]) != _norm(
                logged[decision_id][key]
            ):
                problems.append(f"decision {decision_id}, field {key}: the log says "
                                f"{logged[decision_id][key]!r}, the database holds {stored[decision_id][key]!r}")  # fmt: skip
    return problems
