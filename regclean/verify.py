"""``regclean verify``: is the registry whole, and is it what its log says it is?

Four checks, each naming the first thing wrong:

1. SQLite's own integrity and foreign-key checks.
2. The event log is still append-only (its triggers are in place).
3. The hash chain: every event's hash covers its content and the previous hash.
4. Replay: the instruments, decisions and relations the log describes equal the stored ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from . import urls
from .docnumber import DocNumber
from .errors import RegistryError
from .events import EVENTS
from .fields import INSTRUMENT_FIELDS
from .instruments import logged as logged_value
from .registration import key as registration_key
from .search.core import index_meta
from .store import Reader, chain
from .store.files import BACKUP_TABLE, read_backup
from .store.fts import META
from .store.reads import fold_sql
from .text import title_key


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


# the tables every registry has (migrations keep them)
TABLES = ("instruments", "decisions", "events", "relations", "campaigns", "campaign_scope",
          "concerns", "items", "review_records", "filings", "evaluations", "comments",
          "migrations")  # fmt: skip


def verify(reads: Reader, anchors: Sequence[str] = (), *, index: bool = True) -> VerifyReport:
    """Run every check; never raises for a damaged registry, reports instead.

    ``anchors`` are heads recorded outside the database (see :func:`anchor_of`): each must be
    the hash of an event of this chain, or the history was rewritten (or is another registry's).
    """
    problems: list[str] = []
    integrity = reads.integrity()
    if integrity != "ok":
        problems.append(f"database integrity: {integrity}")
    missing = [t for t in TABLES if t not in reads.tables()]
    if missing:  # nothing else can be checked against tables that are gone
        problems += [f"the table {t} is gone" for t in missing]
        return VerifyReport(0, "", tuple(problems))
    log_triggers = reads.log_triggers()
    known = set(log_triggers) | set(reads.known_triggers())
    for name in sorted(set(reads.triggers()) - known):
        problems.append(
            f"the trigger {name} is not regclean's: a table may be changed behind the log's back"
        )
    for table, rowid, parent in reads.foreign_key_problems():
        problems.append(f"{table} row {rowid} refers to a missing {parent}")
    triggers = reads.triggers()
    for name, definition in log_triggers.items():
        if name not in triggers:
            problems.append(f"the trigger {name} is gone: the event log is no longer append-only")
        elif triggers[name] != fold_sql(definition):
            problems.append(f"the trigger {name} was changed: the event log may not be append-only")
    events = reads.event_rows()
    problems += _check_chain(events)
    if not problems:
        problems += _check_state(reads, events)
    if index:  # the registry's search index (a published site builds its own)
        problems += _check_search_index(reads)
    for anchor in anchors:
        if reads.has_event(anchor) is None:
            problems.append(
                f"the anchor {anchor[:16]}… is not an event of this registry's chain: "
                "its history was rewritten since, or it is another registry"
            )
    head = events[-1][7] if events else chain.GENESIS
    return VerifyReport(len(events), head, tuple(problems))


def _check_search_index(reads: Reader) -> list[str]:
    """The in-database engine's index (FTS5, tsvector), when it says it is current, holds every instrument once and
    nothing else (whoosh's index is checked by its own state file as it is searched)."""
    indexed = reads.search_index()
    if indexed is None:
        return []
    seq, ids = indexed
    if seq != reads.last_seq():
        return []  # behind: the next search brings it up to date
    stored = set(reads.instrument_ids())
    missing, extra = sorted(stored - ids), sorted(ids - stored)
    if not missing and not extra:
        return _check_index_values(reads)
    what = "; ".join(
        part
        for part in (
            f"{len(missing)} instrument(s) not indexed (e.g. {missing[0]})" if missing else "",
            f"{len(extra)} indexed that do not exist (e.g. {extra[0]})" if extra else "",
        )
        if part
    )
    return [f"search index ({reads.search_engine}): {what}; rebuild it with `regclean reindex`"]


def _check_index_values(reads: Reader) -> list[str]:
    """The values the index keeps beside each instrument (status, kind, year, number …) are
    what the registry says today: a forged status would hide documents from ``--status``."""

    state, kept = reads.search_meta()
    today = reads.today()
    if state is None or state != (reads.last_seq(), today.isoformat()):
        return []  # behind (a day passed, or a write): the next search brings it up to date
    problems = []
    for instrument_id, values in index_meta(reads, today):
        have = kept.get(instrument_id)
        if have is None:
            continue
        for name, want, got in zip(META, values, have, strict=True):
            if (want if want is not None else None) != got and not (
                want in ("", None) and got in ("", None)
            ):
                problems.append(
                    f"search index ({reads.search_engine}): instrument {instrument_id}, "
                    f"field {name}: "
                    f"{got!r} in the index, {want!r} in the registry; rebuild it "
                    "with `regclean reindex`"
                )
    return problems


def anchor_of(text: str) -> str:
    """The head a reference names: a hash (64 hex digits), a published site's folder (its
    manifest), or a backup file (the head stored in it). RegistryError when it names none."""
    value = text.strip()
    if re.fullmatch(r"[0-9a-f]{64}", value):
        return value
    path = Path(value)
    if (path / urls.MARKER).is_file():
        try:
            return str(json.loads((path / urls.MARKER).read_text(encoding="utf-8"))["hash"])
        except (OSError, ValueError, KeyError) as exc:
            raise RegistryError(f"{path}: the site's manifest names no head ({exc})") from None
    if path.is_file():
        (_settings, head), _check = read_backup(path, BACKUP_TABLE)
        return head
    raise RegistryError(f"{text}: not a head hash, a published site or a backup")


def verify_changes(reads: Reader, ids: set[int], since: int) -> list[str]:
    """What a republish checks before it prints the instruments it renders anew: the chain
    from the earlier site's head (``since``, whose hash the republish has matched) to now, and
    those instruments and their decisions against the replay of their own events. The pages
    of the other instruments are carried over from the earlier site, as it printed them."""
    start = reads.hash_at(since) if since else chain.GENESIS
    problems = _check_chain(reads.event_rows_since(since), start, since + 1)
    if problems or not ids:
        return problems
    replay = _Replay()
    for seq, at, actor, action, instrument_id, decision_id, payload, _ in reads.event_rows_of(ids):
        try:
            replay.apply(at, actor, action, instrument_id, decision_id, json.loads(payload))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            return [f"event {seq} ({action}): its payload cannot be replayed ({exc})"]
    logged = {i: v for i, v in replay.instruments.items() if i in ids}
    problems = [p for p in _compare_instruments(reads, logged, ids)]
    mine = {d: v for d, v in replay.decisions.items() if v.get("instrument_id") in ids}
    return problems + _compare_decisions(reads, mine, ids)


def _check_chain(
    events: list[Any], prev: str = chain.GENESIS, first: int | None = None
) -> list[str]:
    expected_seq = None
    for seq, at, actor, action, instrument_id, decision_id, payload, stored in events:
        if expected_seq is not None and seq != expected_seq:
            return [
                f"event {expected_seq}: missing (the log jumps from {expected_seq - 1} to {seq})"
            ]
        computed = chain.event_hash(prev, at, actor, action, instrument_id, decision_id, payload)
        if computed != stored:
            return [
                f"event {seq} ({action}): its hash does not match its content or the event "
                f"before it; the log was altered at or before this event"
            ]
        prev = stored
        expected_seq = seq + 1
    return []


_UNKNOWN = object()  # a field an older log does not record: not compared
DECISION_COLUMNS = (
    "instrument_id", "outcome", "reasons", "basis", "replaced_by", "campaign", "department",
    "handler", "state", "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_doc",
    "decision_title", "effective_on", "published_on", "withdrawn_by", "withdrawn_at",
    "withdraw_reason", "amendment", "articles", "reviewed_by", "reviewed_at", "review_office",
    "review_opinion",
)  # fmt: skip


@attrs.define
class _Replay:
    """The registry's state as the log describes it."""

    instruments: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    decisions: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    relations: set[tuple[int, str, int]] = attrs.field(factory=set)
    campaigns: dict[str, dict[str, Any]] = attrs.field(factory=dict)  # by name
    scope: dict[tuple[str, int], dict[str, Any]] = attrs.field(factory=dict)
    scoped: set[str] = attrs.field(factory=set)  # campaigns whose members the log names
    concerns: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    items: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    reviews: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    filings: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    evaluations: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    comments: dict[int, dict[str, Any]] = attrs.field(factory=dict)

    def apply(self, at: str, actor: str, action: str, iid: Any, did: Any, p: dict) -> None:
        """Apply one event by its type in the catalogue (:mod:`regclean.events`); an event of
        no known type cannot be replayed."""
        kind = EVENTS.get(action)
        if kind is None:
            raise UnknownEventError(f"{action!r} is not an event regclean writes")
        if kind.replay:
            getattr(self, kind.replay)(actor, iid, did, p)

    def added(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.instruments[iid] = {k: p.get(k) for k in (*INSTRUMENT_FIELDS, "title_core")}

    def updated(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        for key, (_old, new) in p.items():
            self.instruments.setdefault(iid, {})[key] = new

    def proposed(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        record = dict.fromkeys(DECISION_COLUMNS, _UNKNOWN)
        record |= {
            "instrument_id": iid,
            "state": "proposed",
            "decided_by": "",
            "decided_at": "",
            "decision_doc": "",
            "decision_title": "",
            "effective_on": None,
            "published_on": None,
            "withdrawn_by": "",
            "withdrawn_at": "",
            "withdraw_reason": "",
            "amendment": "",
            "articles": "",
            "reviewed_by": "",
            "reviewed_at": "",
            "review_office": "",
            "review_opinion": "",
        }
        record |= {k: v for k, v in p.items() if k in DECISION_COLUMNS}
        self.decisions[did] = record

    def approved(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.decisions[did] |= {"state": "approved", "decided_by": actor} | {
            k: p.get(k)
            for k in (
                "decided_at",
                "decision_doc",
                "decision_title",
                "effective_on",
                "published_on",
            )
        }

    def reviewed(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.decisions[did] |= {
            "reviewed_by": actor,
            "reviewed_at": p.get("at"),
            "review_office": p.get("office"),
            "review_opinion": p.get("opinion"),
        }

    def withdrawn(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.decisions[did] |= {
            "state": "withdrawn",
            "withdraw_reason": p.get("reason"),
            "withdrawn_by": actor,
            "withdrawn_at": p.get("at", _UNKNOWN),
        }

    def rejected(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.decisions[did] |= {
            "state": "rejected",
            "withdraw_reason": p.get("reason"),
            "decided_by": actor,
            "decided_at": p.get("at", _UNKNOWN),
        }

    def related(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.relations.add((iid, p["kind"], p["object"]))

    def campaign_opened(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.campaigns[p["name"]] = {k: p.get(k) for k in ("title", "cutoff", "deadline")} | {
            "scope": p.get("scope"),
            "closed_at": None,
        }
        if "members" in p:
            self.scoped.add(p["name"])
            for instrument_id, department in p["members"]:
                self.scope[(p["name"], instrument_id)] = {"department": department, "removed": 0}

    def campaign_closed(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        if p.get("campaign") in self.campaigns:
            self.campaigns[p["campaign"]]["closed_at"] = p.get("closed_at", _UNKNOWN)

    def scope_added(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self._scope(iid, p, removed=0)

    def scope_removed(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self._scope(iid, p, removed=1)

    def _scope(self, iid: Any, p: dict, removed: int) -> None:
        key = (p.get("campaign"), iid)
        if key in self.scope:
            self.scope[key]["removed"] = removed
        else:
            self.scope[key] = {"department": p.get("department", _UNKNOWN), "removed": removed}

    def assigned(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        if (p.get("campaign"), iid) in self.scope:
            self.scope[(p.get("campaign"), iid)]["department"] = p.get("to")

    def concern_found(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.concerns[p["id"]] = {k: p[k] for k in _CONCERN_LOGGED} | {
            "instrument_id": iid,
            "found_by": actor,
            "decided_by": "",
            "decided_at": "",
            "reason": "",
        }

    def concern_decided(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.concerns[p["id"]] |= {
            "state": p["state"],
            "reason": p["reason"],
            "decided_by": actor,
            "decided_at": p["at"],
        }

    def item_added(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.items[p["id"]] = {
            k: p[k] for k in ("campaign", "kind", "name", "article", "text", "added_at")
        } | {
            "instrument_id": iid,
            "added_by": actor,
            "outcome": "",
            "reason": "",
            "basis": "",
            "decided_by": "",
            "decided_at": "",
        }

    def item_decided(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.items[p["id"]] |= {
            "outcome": p["outcome"],
            "reason": p["reason"],
            "basis": p["basis"],
            "decided_by": actor,
            "decided_at": p["at"],
        }

    def review_recorded(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.reviews[p["id"]] = {
            k: p[k]
            for k in (
                "campaign",
                "stage",
                "reviewer",
                "reviewed_on",
                "findings",
                "exception",
                "conclusion",
                "recorded_at",
            )
        } | {"instrument_id": iid, "recorded_by": actor}

    def filed(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.filings[p["id"]] = {
            "instrument_id": iid,
            "filed_to": p["filed_to"],
            "filed_on": p["filed_on"],
            "materials": p["materials"],
            "state": "filed",
            "answered_on": "",
            "until": "",
            "reason": "",
            "deferred_on": "",
            "opinion": "",
            "recorded_by": actor,
        }

    def filing_answered(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        record = self.filings[p["id"]]
        if p["state"] == "deferred":
            record["deferred_on"] = p["answered_on"]
        record |= {k: p[k] for k in ("state", "answered_on", "until", "reason")}

    def filing_opinion(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.filings[p["id"]]["opinion"] = p["opinion"]

    def evaluated(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        record = self.evaluations.setdefault(
            p["id"],
            {
                "instrument_id": iid,
                "expires_on": p["expires_on"],
                "report_on": "",
                "report": "",
                "opinion_on": "",
                "opinion": "",
                "decided_on": "",
                "outcome": "",
                "new_expiry": "",
                "recorded_by": actor,
            },
        )
        step = p["step"]
        if step == "decision":
            record |= {
                "decided_on": p["on"],
                "outcome": p["outcome"],
                "new_expiry": p["new_expiry"],
            }
        else:
            record |= {f"{step}_on": p["on"], step: p["text"]}

    def commented(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.comments[p["id"]] = {
            k: p[k] for k in ("campaign", "commenter", "received_on", "opinion")
        } | {
            "instrument_id": iid,
            "answer": "",
            "answer_reason": "",
            "answered_by": "",
            "answered_on": "",
            "recorded_by": actor,
        }

    def comment_answered(self, actor: str, iid: Any, did: Any, p: dict) -> None:
        self.comments[p["id"]] |= {
            "answer": p["answer"],
            "answer_reason": p["reason"],
            "answered_by": actor,
            "answered_on": p["on"],
        }


_CONCERN_LOGGED = ("campaign", "class", "item", "clause", "quote", "note", "enterprise",
                   "signal", "state", "found_at")  # fmt: skip


class UnknownEventError(ValueError):
    """A log entry of a type regclean does not write."""


def _check_state(reads: Reader, events: list[Any]) -> list[str]:
    replay = _Replay()
    for seq, at, actor, action, instrument_id, decision_id, payload_text, _hash in events:
        try:
            replay.apply(at, actor, action, instrument_id, decision_id, json.loads(payload_text))
        except UnknownEventError as exc:
            return [
                f"event {seq} ({action}): {exc}; the log was written by something other "
                "than regclean"
            ]
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            # a chain-valid event whose payload does not say what its action needs
            return [
                f"event {seq} ({action}): its payload cannot be replayed ({type(exc).__name__}: "
                f"{exc}); the log was written by something other than regclean"
            ]
    problems = _compare_instruments(reads, replay.instruments)
    problems += _compare_decisions(reads, replay.decisions)
    rows = {(subject, kind, obj): rid for rid, subject, kind, obj in reads.relation_rows()}
    stored = set(rows)
    for extra in sorted(stored - replay.relations):
        problems.append(
            f"relation {rows[extra]}, fields subject_id/kind/object_id: {extra} is "
            "stored but was never logged"
        )
    for missing in sorted(replay.relations - stored):
        problems.append(f"relation {missing} was logged but is not stored")
    problems += _compare_campaigns(reads, replay)
    problems += _compare_concerns(reads, replay.concerns)
    problems += _compare_items(reads, replay.items)
    problems += _compare_rows(
        "review record", {r.id: r.to_json() for r in reads.review_records()}, replay.reviews
    )
    problems += _compare_rows(
        "filing", {f.id: f.to_json() for f in reads.filings()}, replay.filings
    )
    problems += _compare_rows(
        "evaluation", {e.id: e.to_json() for e in reads.evaluations()}, replay.evaluations
    )
    problems += _compare_rows(
        "comment", {c.id: c.to_json() for c in reads.comments()}, replay.comments
    )
    return problems


def _compare_rows(
    what: str, stored: dict[int, dict[str, Any]], logged: dict[int, dict[str, Any]]
) -> list[str]:
    """Rows against what the log says of them, field by field."""
    problems = []
    for row_id in sorted(set(stored) | set(logged)):
        if row_id not in logged or row_id not in stored:
            where = "stored but was never logged" if row_id in stored else "logged but not stored"
            problems.append(f"{what} {row_id} is {where}")
            continue
        for key, said in logged[row_id].items():
            if _differs(stored[row_id][key], said):
                problems.append(
                    f"{what} {row_id}, field {key}: the log says {said!r}, "
                    f"the database holds {stored[row_id][key]!r}"
                )
    return problems


def _compare_items(reads: Reader, logged: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    stored = {i.id: i.to_json() for i in reads.items()}
    for item_id in sorted(set(stored) | set(logged)):
        if item_id not in logged or item_id not in stored:
            where = "stored but was never logged" if item_id in stored else "logged but not stored"
            problems.append(f"item {item_id} is {where}")
            continue
        for key, said in logged[item_id].items():
            have = stored[item_id][key]
            if _differs(have, said):
                problems.append(
                    f"item {item_id}, field {key}: the log says {said!r}, "
                    f"the database holds {have!r}"
                )
    return problems


def _compare_concerns(reads: Reader, logged: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    stored = {c.id: c.to_json() for c in reads.concerns()}
    for concern_id in sorted(set(stored) | set(logged)):
        if concern_id not in logged or concern_id not in stored:
            where = (
                "stored but was never logged" if concern_id in stored else "logged but not stored"
            )
            problems.append(f"problem {concern_id} is {where}")
            continue
        for key, said in logged[concern_id].items():
            have = stored[concern_id][key]
            if _differs(int(have) if isinstance(have, bool) else have, said):
                problems.append(
                    f"problem {concern_id}, field {key}: the log says {said!r}, "
                    f"the database holds {have!r}"
                )
    return problems


def _norm(value: Any) -> Any:
    return None if value in ("", None) else value


def _differs(have: Any, logged: Any) -> bool:
    return logged is not _UNKNOWN and _norm(have) != _norm(logged)


def _compare_instruments(
    reads: Reader, logged: dict[int, dict[str, Any]], only: set[int] | None = None
) -> list[str]:
    problems = []
    stored = reads.instrument_rows()
    if only is not None:
        stored = {i: row for i, row in stored.items() if i in only}
    for instrument_id in sorted(set(stored) | set(logged)):
        if instrument_id not in logged:
            problems.append(f"instrument {instrument_id} is stored but was never logged")
            continue
        if instrument_id not in stored:
            problems.append(f"instrument {instrument_id} was logged but is not stored")
            continue
        row = stored[instrument_id]
        for key in (*INSTRUMENT_FIELDS, "title_core"):
            have = logged_value(key, row[key])
            if key in logged[instrument_id] and _differs(have, logged[instrument_id][key]):
                problems.append(
                    f"instrument {instrument_id}, field {key}: the log says "
                    f"{logged[instrument_id].get(key)!r}, the database holds {row[key]!r}"
                )
        problems += _derived_keys(instrument_id, row)
    return problems


def _derived_keys(instrument_id: int, row: Any) -> list[str]:
    """The keys are derived, not logged: they must be what the stored fields give (a generic
    order's key is qualified by its issuer, or not when the issuer was inferred)."""
    problems = []
    if row["title_key"] != title_key(row["title"]):
        problems.append(
            f"instrument {instrument_id}, field title_key: derived from the title it "
            f"is {title_key(row['title'])!r}, the database holds {row['title_key']!r}"
        )
    number = DocNumber.try_parse(row["doc_number"])
    allowed = {number.key, number.qualified(row["issuer"]).key} if number else {row["number_key"]}
    if row["doc_number"] and row["number_key"] not in allowed:
        problems.append(
            f"instrument {instrument_id}, field number_key: derived from the number "
            f"it is one of {sorted(allowed)!r}, the database holds {row['number_key']!r}"
        )
    expected = registration_key(row["registration_no"]) if row["registration_no"] else ""
    if row["registration_key"] != expected:
        problems.append(
            f"instrument {instrument_id}, field registration_key: derived from the "
            f"registration number it is {expected!r}, the database holds "
            f"{row['registration_key']!r}"
        )
    if not row["doc_number"] and row["number_key"]:
        problems.append(
            f"instrument {instrument_id}, field number_key: the instrument has no "
            f"number, the database holds {row['number_key']!r}"
        )
    return problems


def _compare_decisions(
    reads: Reader, logged: dict[int, dict[str, Any]], only: set[int] | None = None
) -> list[str]:
    problems = []
    stored = reads.decision_rows()
    if only is not None:
        stored = {d: row for d, row in stored.items() if row["instrument_id"] in only}
    for decision_id in sorted(set(stored) | set(logged)):
        if decision_id not in logged or decision_id not in stored:
            where = "stored but never logged" if decision_id in stored else "logged but not stored"
            problems.append(f"decision {decision_id} is {where}")
            continue
        for key in DECISION_COLUMNS:
            have = stored[decision_id][key]
            said = logged[decision_id].get(key, _UNKNOWN)
            if key == "reasons" and said is not _UNKNOWN:
                have = json.loads(have or "[]")
            if _differs(have, said):
                problems.append(
                    f"decision {decision_id}, field {key}: the log says "
                    f"{said!r}, the database holds {stored[decision_id][key]!r}"
                )
    return problems


def _compare_campaigns(reads: Reader, replay: _Replay) -> list[str]:
    problems = []
    rows = {row["name"]: row for row in reads.campaign_rows()}  # raw: a damaged date is reported
    for name in sorted(set(rows) | set(replay.campaigns)):
        if name not in replay.campaigns or name not in rows:
            where = "stored but never logged" if name in rows else "logged but not stored"
            problems.append(f"campaign {name} is {where}")
            continue
        logged, row = replay.campaigns[name], rows[name]
        for key in ("title", "cutoff", "deadline", "closed_at"):
            if _differs(row[key], logged[key]):
                problems.append(
                    f"campaign {name}, field {key}: the log says {logged[key]!r}, "
                    f"the database holds {row[key]!r}"
                )
        if logged["scope"] is not None and json.loads(row["scope"] or "{}") != logged["scope"]:
            problems.append(
                f"campaign {name}, field scope: the log says {logged['scope']!r}, "
                f"the database holds {row['scope']!r}"
            )
        if name not in replay.scoped:
            continue  # an older log: its members were not recorded
        have = {iid: (dep, removed) for iid, dep, removed in reads.scope_table(row["id"])}
        said = {iid: v for (c, iid), v in replay.scope.items() if c == name}
        for instrument_id in sorted(set(have) | set(said)):
            where = f"campaign scope of {name}, instrument {instrument_id}"
            if instrument_id not in said or instrument_id not in have:
                what = (
                    "stored but never logged" if instrument_id in have else "logged but not stored"
                )
                problems.append(f"{where} is {what}")
                continue
            department, removed = have[instrument_id]
            for key, value in (("department", department), ("removed", removed)):
                if _differs(value, said[instrument_id][key]):
                    problems.append(
                        f"{where}, field {key}: the log says "
                        f"{said[instrument_id][key]!r}, the database holds {value!r}"
                    )
    return problems
