"""The registry: the public Python API of regclean.

    >>> reg = Registry.init(tmp_path / "reg", jurisdiction="温州市")
    >>> doc = reg.add_instrument(title="关于印发《温州市X办法》的通知", doc_number="温政发〔2004〕12号")
    >>> reg.get("温政发[2004]12号").title_core
    '温州市X办法'

A registry is a folder holding ``registry.sqlite`` (the truth), ``regclean.toml`` (settings) and
derived data. Every method that changes something runs in one transaction and appends to the
event log; a failing call changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from . import campaigns
from .config import Settings
from .dates import PartialDate, optional_date
from .docnumber import DocNumber, number_key
from .errors import (
    AmbiguousReferenceError,
    DuplicateError,
    NotFoundError,
    Problem,
    RegistryError,
    StateError,
    ValidationError,
)
from .fields import INSTRUMENT_FIELDS, instrument_columns
from .models import Campaign, Decision, Event, Instrument, Reason, Relation, status_from
from .search import SearchHit, SearchIndex, SearchIndexError
from .store import Clock, Store, utc_now
from .text import title_key
from .vocab import DecisionState, Kind, Outcome, RelationKind, Status

DB_NAME = "registry.sqlite"
SETTINGS_NAME = "regclean.toml"
INDEX_NAME = "index"

Ref = int | str | Instrument


@attrs.frozen
class Change:
    """What an upsert did to one instrument: ``added``, ``updated`` or ``unchanged``."""

    instrument: Instrument
    action: str
    changed: tuple[str, ...] = ()


class Registry:
    """One cleanup registry on disk. Use :meth:`init` or :meth:`open`, and :meth:`close`
    (or a ``with`` block) when done."""

    def __init__(self, path: Path, store: Store, settings: Settings, *, index_mmap: bool = True):
        self.path = path
        self.store = store
        self.settings = settings
        self.index = SearchIndex(path / INDEX_NAME, mmap=index_mmap)
        #: Why the last automatic index update failed, if it did (search repairs or names it).
        self.index_problem: str = ""
        store.on_commit.append(self._after_commit)

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: str | Path,
        *,
        jurisdiction: str = "",
        site_title: str | None = None,
        base_url: str = "",
        lang: str = "zh",
        clock: Clock = utc_now,
    ) -> Registry:
        """Create a new registry folder; RegistryError if one is already there."""
        path = Path(path)
        if (path / DB_NAME).exists():
            raise RegistryError(f"{path}: a registry already exists here")
        if path.exists() and not path.is_dir():
            raise RegistryError(f"{path}: exists and is not a folder")
        settings = Settings(jurisdiction=jurisdiction, base_url=base_url, lang=lang)
        if site_title:
            settings = attrs.evolve(settings, site_title=site_title)
        path.mkdir(parents=True, exist_ok=True)
        (path / SETTINGS_NAME).write_text(settings.dump(), encoding="utf-8")
        store = Store(path / DB_NAME, clock=clock)
        store.migrate()
        registry = cls(path, store, settings)
        with store.transaction():
            store.log("init", payload=attrs.asdict(settings))
        registry.reindex()
        return registry

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: Clock = utc_now,
        busy_timeout: float = 10.0,
        index_mmap: bool = True,
    ) -> Registry:
        """Open an existing registry (applying pending migrations).

        A writer blocked by another waits up to ``busy_timeout`` seconds, then fails with
        RegistryError; nothing is half-written either way. ``index_mmap=False`` suits a
        one-shot command: the search index opens in milliseconds instead of being copied into
        memory (queries then read the files directly).
        """
        path = Path(path)
        if not (path / DB_NAME).is_file():
            raise RegistryError(
                f"{path}: no registry here (no {DB_NAME}); create one with `regclean init`"
            )
        settings = Settings.load(path / SETTINGS_NAME)
        store = Store(path / DB_NAME, clock=clock, busy_timeout=busy_timeout)
        store.migrate()
        return cls(path, store, settings, index_mmap=index_mmap)

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- instruments --------------------------------------------------------------------------

    def add_instrument(self, *, by: str = "", **values: Any) -> Instrument:
        """Add a new instrument; DuplicateError if one with the same identity exists.

        Keyword arguments are the instrument fields (``title``, ``doc_number``, ``kind``,
        ``issuer``, ``published_on``, ...). Identity is (canonical number, title core): one 文号
        may carry several documents, each is its own instrument.
        """
        columns = instrument_columns(
            values,
            jurisdiction=self.settings.jurisdiction,
            validity_defaults=self.settings.validity,
        )
        with self.store.transaction():
            existing = self._by_identity(columns)
            if existing is not None:
                raise DuplicateError(
                    f"already in the registry as id {existing.id}: {existing.title} "
                    f"({existing.doc_number or 'no number'})"
                )
            return self._insert_instrument(columns, by, "add")

    def upsert_instrument(self, *, by: str = "", **values: Any) -> Change:
        """Add the instrument, or update the one with the same identity where values differ.

        Empty values never erase recorded ones. Returns what happened, for import summaries.
        """
        columns = instrument_columns(
            values,
            jurisdiction=self.settings.jurisdiction,
            validity_defaults=self.settings.validity,
        )
        return self.upsert_columns(columns, by=by)

    def upsert_columns(self, columns: Mapping[str, Any], *, by: str = "") -> Change:
        """:meth:`upsert_instrument` for columns already checked by
        :func:`regclean.fields.instrument_columns` (what import uses, to check each row once)."""
        with self.store.transaction():
            row = self.store.one(
                "SELECT * FROM instruments WHERE number_key = ? AND title_key = ?",
                (columns["number_key"], columns["title_key"]),
            )
            if row is None:
                new_id = self.store.insert("instruments", columns)
                self.store.log("add", actor=by, instrument_id=new_id, payload=_public(columns))
                return Change(Instrument.from_record({**columns, "id": new_id}), "added")
            changes = {k: v for k, v in columns.items() if v not in ("", None) and row[k] != v}
            if not changes:
                return Change(Instrument.from_record(row), "unchanged")
            self._write_update(row["id"], row, changes, by)
            return Change(self.get(row["id"]), "updated", tuple(sorted(changes)))

    def update_instrument(self, ref: Ref, *, by: str = "", **changes: Any) -> Instrument:
        """Change fields of an instrument (logged with old and new values)."""
        instrument = self.get(ref)
        row = self.store.one("SELECT * FROM instruments WHERE id = ?", (instrument.id,))
        assert row is not None
        merged = {k: row[k] for k in INSTRUMENT_FIELDS}
        merged.update(changes)
        columns = instrument_columns(
            merged, f"instrument {instrument.id}", validity_defaults=self.settings.validity
        )
        diff = {k: v for k, v in columns.items() if row[k] != v}
        with self.store.transaction():
            if {"title_key", "number_key"} & set(diff):
                other = self._by_identity(columns)
                if other is not None and other.id != instrument.id:
                    raise DuplicateError(f"the change would duplicate instrument id {other.id}")
            self._write_update(instrument.id, row, diff, by)
        return self.get(instrument.id)

    def _insert_instrument(self, columns: dict[str, Any], by: str, action: str) -> Instrument:
        new_id = self.store.insert("instruments", columns)
        self.store.log(action, actor=by, instrument_id=new_id, payload=_public(columns))
        return self.get(new_id)

    def _write_update(self, instrument_id: int, row: Any, diff: dict[str, Any], by: str) -> None:
        if not diff:
            return
        self.store.update("instruments", instrument_id, diff)
        payload = {
            k: [_logged(k, row[k]), _logged(k, v)] for k, v in diff.items() if k not in _DERIVED
        }
        self.store.log("update", actor=by, instrument_id=instrument_id, payload=payload)

    def _by_identity(self, columns: Mapping[str, Any]) -> Instrument | None:
        row = self.store.one(
            "SELECT * FROM instruments WHERE number_key = ? AND title_key = ?",
            (columns["number_key"], columns["title_key"]),
        )
        return Instrument.from_record(row) if row else None

    # -- finding ------------------------------------------------------------------------------

    def get(self, ref: Ref) -> Instrument:
        """One instrument by id, by any variant of its number, or by its exact title or core.

        NotFoundError if nothing matches; AmbiguousReferenceError if a number carries several
        documents (use the id or the title then).
        """
        found = self.find(ref)
        if not found:
            raise NotFoundError(f"no instrument matches {str(ref)!r} (by id, 文号 or exact title)")
        if len(found) > 1:
            raise AmbiguousReferenceError(str(ref), [(i.id, i.title, i.doc_number) for i in found])
        return found[0]

    def find(self, ref: Ref) -> list[Instrument]:
        """Every instrument a reference can mean (empty when none)."""
        if isinstance(ref, Instrument):
            ref = ref.id
        if isinstance(ref, int) or (isinstance(ref, str) and re.fullmatch(r"#?\d+", ref.strip())):
            row = self.store.one(
                "SELECT * FROM instruments WHERE id = ?", (int(str(ref).strip().lstrip("#")),)
            )
            return [Instrument.from_record(row)] if row else []
        text = str(ref).strip()
        if not text:
            return []
        rows = self._rows_by_number(text) or self.store.all(
            "SELECT * FROM instruments WHERE title_key = ? OR title = ? ORDER BY id",
            (title_key(text), text),
        )
        return [Instrument.from_record(row) for row in rows]

    def _rows_by_number(self, text: str) -> list[Any]:
        number = DocNumber.try_parse(text)
        key = number.key if number else number_key(text)
        rows = self.store.all("SELECT * FROM instruments WHERE number_key = ? ORDER BY id", (key,))
        if not rows and number is not None and number.is_generic_order:
            # 市政府令第60号 was stored qualified by its issuer: 济南市政府令第60号.
            rows = self.store.all(
                "SELECT * FROM instruments WHERE number_key LIKE ? ORDER BY id", ("%" + key,)
            )
        return rows

    def instruments(self) -> Iterator[Instrument]:
        """Every instrument, by id."""
        for row in self.store.all("SELECT * FROM instruments ORDER BY id"):
            yield Instrument.from_record(row)

    def instrument_ids(self) -> list[int]:
        """The id of every instrument, in order."""
        # unordered, SQLite reads a small index instead of every row; sorting here is cheaper
        return sorted(int(r[0]) for r in self.store.all("SELECT id FROM instruments"))

    def count(self) -> int:
        """How many instruments the registry holds."""
        row = self.store.one("SELECT count(*) FROM instruments")
        return int(row[0]) if row else 0

    # -- decisions ----------------------------------------------------------------------------

    def propose(
        self,
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
    ) -> Decision:
        """File a proposed decision (拟定清理意见) on an instrument.

        ``outcome`` takes the English value or any Chinese word (保留, 修订, 废止, 失效 ...).
        At most one decision per instrument is open at a time, and none can be proposed on an
        instrument whose force an approved decision has already ended. With
        ``require_reason``, every outcome but keep needs a reason.
        """
        instrument = self.get(ref)
        outcome = _located(lambda: Outcome.parse(outcome), f"instrument {instrument.id}", "outcome")
        all_reasons = tuple(reasons) + ((Reason.from_text(reason),) if reason.strip() else ())
        if require_reason and not all_reasons and outcome is not Outcome.KEEP:
            raise ValidationError(
                [
                    Problem(
                        f"a reason is required for {outcome.zh} ({outcome.value})",
                        f"instrument {instrument.id}",
                        "reason",
                    )
                ]
            )
        successor = self._successor(instrument, outcome, replaced_by)
        with self.store.transaction():
            self._check_can_propose(instrument)
            if campaign:
                self.campaign(campaign)
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
                "proposed_at": self.store.clock(),
            }
            decision_id = self.store.insert("decisions", values)
            payload = {k: v for k, v in values.items() if k not in ("instrument_id", "state")}
            payload["reasons"] = [r.to_json() for r in all_reasons]
            self.store.log(
                "propose",
                actor=by,
                instrument_id=instrument.id,
                decision_id=decision_id,
                payload=payload,
            )
            return self.decision(decision_id)

    def _successor(
        self, instrument: Instrument, outcome: Outcome, replaced_by: Ref | None
    ) -> Instrument | None:
        if replaced_by is None or replaced_by == "":
            return None
        if outcome not in (Outcome.REVISE, Outcome.REPEAL):
            raise ValidationError(
                [
                    Problem(
                        "only a revise (修改) or repeal (废止) decision names a replacing instrument",
                        f"instrument {instrument.id}",
                        "replaced_by",
                    )
                ]
            )
        successor = self.get(replaced_by)
        if successor.id == instrument.id:
            raise ValidationError(
                [
                    Problem(
                        "an instrument cannot replace itself",
                        f"instrument {instrument.id}",
                        "replaced_by",
                        replaced_by,
                    )
                ]
            )
        return successor

    def _check_can_propose(self, instrument: Instrument) -> None:
        for decision in self.decisions(instrument.id):
            if decision.is_open:
                raise StateError(
                    f"instrument {instrument.id} ({instrument.title_core}) already has an open "
                    f"proposal (decision {decision.id}: {decision.outcome.zh}); approve or "
                    f"withdraw it first"
                )
            if decision.state is DecisionState.APPROVED and decision.outcome.ends_force:
                raise StateError(
                    f"instrument {instrument.id} ({instrument.title_core}) was already decided "
                    f"{decision.outcome.zh} ({decision.outcome.value}) by decision {decision.id}; "
                    f"withdraw that decision first"
                )

    def approve(
        self,
        refs: Iterable[Ref] = (),
        *,
        by: str,
        campaign: str = "",
        decision_doc: str = "",
        decision_title: str = "",
        effective_on: str | dt.date | PartialDate | None = None,
        published_on: str | dt.date | PartialDate | None = None,
    ) -> list[Decision]:
        """Approve the open proposals on the given instruments (and, with ``campaign``, every
        open proposal filed under it), all at once or none.

        ``effective_on`` defaults to today; it may not fall before an instrument's own date.
        """
        if not by.strip():
            raise ValidationError([Problem("approver is required", field="by")])
        effective = _located(lambda: optional_date(effective_on), "approval", "effective_on")
        effective = effective or PartialDate.from_date(self._today())
        published = _located(lambda: optional_date(published_on), "approval", "published_on")
        if decision_doc.strip():
            _located(lambda: DocNumber.parse(decision_doc), "approval", "decision_doc")
        with self.store.transaction():
            targets = self._approval_targets(refs, campaign)
            if not targets:
                raise StateError("nothing to approve: no open proposals match")
            approved = []
            for decision in targets:
                self._check_effective(decision, effective)
                values = {
                    "state": DecisionState.APPROVED.value,
                    "decided_by": by,
                    "decided_at": self.store.clock(),
                    "decision_doc": decision_doc.strip(),
                    "decision_title": decision_title.strip(),
                    "effective_on": effective.isoformat(),
                    "published_on": published.isoformat() if published else None,
                }
                self.store.update("decisions", decision.id, values)
                payload = {k: v for k, v in values.items() if k not in ("state", "decided_by")}
                payload["outcome"] = decision.outcome.value
                self.store.log(
                    "approve",
                    actor=by,
                    instrument_id=decision.instrument_id,
                    decision_id=decision.id,
                    payload=payload,
                )
                if decision.replaced_by:
                    self._relate(
                        decision.replaced_by, RelationKind.REPLACES, decision.instrument_id, by
                    )
                approved.append(self.decision(decision.id))
            return approved

    def _approval_targets(self, refs: Iterable[Ref], campaign: str) -> list[Decision]:
        targets: dict[int, Decision] = {}
        for ref in refs:
            instrument = self.get(ref)
            decision = self._open_decision(instrument)
            if decision is None:
                raise StateError(self._no_open_message(instrument, "approve"))
            targets[decision.id] = decision
        if campaign:
            self.campaign(campaign)
            rows = self.store.all(
                "SELECT * FROM decisions WHERE campaign = ? AND state = 'proposed'", (campaign,)
            )
            targets.update((row["id"], Decision.from_record(row)) for row in rows)
        return [targets[k] for k in sorted(targets)]

    def _no_open_message(self, instrument: Instrument, verb: str) -> str:
        latest = self.decisions(instrument.id)
        if not latest:
            return f"cannot {verb}: instrument {instrument.id} has no decision"
        last = latest[-1]
        return (
            f"cannot {verb}: instrument {instrument.id} has no open proposal "
            f"(its latest decision {last.id} is {last.state.value} {last.state.zh})"
        )

    def _check_effective(self, decision: Decision, effective: PartialDate) -> None:
        instrument = self.get(decision.instrument_id)
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

    def withdraw(self, ref: Ref, *, by: str, reason: str) -> Decision:
        """Withdraw the open proposal, or else the latest approved decision, of an instrument.

        Nothing is deleted: the decision keeps its history and is marked withdrawn (撤回).
        """
        return self._close(
            ref, by=by, reason=reason, state=DecisionState.WITHDRAWN, allow_approved=True
        )

    def reject(self, ref: Ref, *, by: str, reason: str) -> Decision:
        """Reject the open proposal of an instrument (未通过审核)."""
        return self._close(
            ref, by=by, reason=reason, state=DecisionState.REJECTED, allow_approved=False
        )

    def _close(
        self, ref: Ref, *, by: str, reason: str, state: DecisionState, allow_approved: bool
    ) -> Decision:
        problems = []
        if not by.strip():
            problems.append(Problem("who does it is required", field="by"))
        if not reason.strip():
            problems.append(Problem("a reason is required", field="reason"))
        if problems:
            raise ValidationError(problems)
        instrument = self.get(ref)
        verb = "withdraw" if state is DecisionState.WITHDRAWN else "reject"
        with self.store.transaction():
            decision = self._open_decision(instrument)
            if decision is None and allow_approved:
                approved = [
                    d for d in self.decisions(instrument.id) if d.state is DecisionState.APPROVED
                ]
                decision = approved[-1] if approved else None
            if decision is None:
                raise StateError(self._no_open_message(instrument, verb))
            values = {"state": state.value}
            if state is DecisionState.WITHDRAWN:
                values |= {
                    "withdrawn_by": by,
                    "withdrawn_at": self.store.clock(),
                    "withdraw_reason": reason.strip(),
                }
            else:
                values |= {
                    "decided_by": by,
                    "decided_at": self.store.clock(),
                    "withdraw_reason": reason.strip(),
                }
            self.store.update("decisions", decision.id, values)
            self.store.log(
                verb,
                actor=by,
                instrument_id=instrument.id,
                decision_id=decision.id,
                payload={
                    "reason": reason.strip(),
                    "was": decision.state.value,
                    "outcome": decision.outcome.value,
                },
            )
            return self.decision(decision.id)

    def _open_decision(self, instrument: Instrument) -> Decision | None:
        row = self.store.one(
            "SELECT * FROM decisions WHERE instrument_id = ? AND state = 'proposed'",
            (instrument.id,),
        )
        return Decision.from_record(row) if row else None

    def decision(self, decision_id: int) -> Decision:
        """One decision by its id."""
        row = self.store.one("SELECT * FROM decisions WHERE id = ?", (decision_id,))
        if row is None:
            raise NotFoundError(f"no decision with id {decision_id}")
        return Decision.from_record(row)

    def decisions(
        self, ref: Ref | None = None, *, state: DecisionState | str | None = None
    ) -> list[Decision]:
        """Decisions of one instrument (or of all), oldest first, optionally in one state."""
        clauses, params = [], []
        if ref is not None:
            instrument_id = ref if isinstance(ref, int) else self.get(ref).id
            clauses.append("instrument_id = ?")
            params.append(instrument_id)
        if state is not None:
            clauses.append("state = ?")
            params.append(DecisionState.parse(state).value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.store.all(f"SELECT * FROM decisions {where} ORDER BY id", params)
        return [Decision.from_record(row) for row in rows]

    # -- status -------------------------------------------------------------------------------

    def status_on(self, ref: Ref, day: str | dt.date | PartialDate | None = None) -> Status:
        """The status of an instrument on a day (today by default), derived from its approved
        decisions and its own dates: point-in-time, never stored."""
        instrument = self.get(ref)
        return status_from(instrument, self.decisions(instrument.id), self._day(day))

    def counts_by_status(self, day: str | dt.date | PartialDate | None = None) -> dict[Status, int]:
        """How many instruments have each status on a day (today by default)."""
        on = self._day(day)
        by_instrument: dict[int, list[Decision]] = {}
        for decision in self.decisions(state=DecisionState.APPROVED):
            by_instrument.setdefault(decision.instrument_id, []).append(decision)
        # A status needs an instrument's two dates and its decisions, not the whole row.
        rows = self.store.all("SELECT id, effective_on, expires_on FROM instruments")
        counts = Counter(
            status_from(_Dates(_partial(row[1]), _partial(row[2])),  # type: ignore[arg-type]
                        by_instrument.get(row[0], []), on)
            for row in rows
        )  # fmt: skip
        return {status: counts.get(status, 0) for status in Status}

    def _day(self, day: str | dt.date | PartialDate | None) -> dt.date:
        if day is None:
            return self._today()
        if isinstance(day, dt.date):
            return day
        parsed = day if isinstance(day, PartialDate) else PartialDate.parse(day)
        return parsed.last_day

    def _today(self) -> dt.date:
        return dt.date.fromisoformat(self.store.clock()[:10])

    # -- relations, campaigns, history --------------------------------------------------------

    def relate(self, subject: Ref, kind: RelationKind | str, obj: Ref, *, by: str = "") -> Relation:
        """Record that ``subject`` amends / repeals / replaces / is based_on / cites ``obj``."""
        relation = _located(lambda: RelationKind.parse(kind), "relation", "kind")
        a, b = self.get(subject), self.get(obj)
        if a.id == b.id:
            raise ValidationError(
                [Problem("an instrument cannot relate to itself", field="relation")]
            )
        with self.store.transaction():
            return self._relate(a.id, relation, b.id, by)

    def _relate(self, subject_id: int, kind: RelationKind, object_id: int, by: str) -> Relation:
        row = self.store.one(
            "SELECT * FROM relations WHERE subject_id = ? AND kind = ? AND object_id = ?",
            (subject_id, kind.value, object_id),
        )
        if row is None:
            new_id = self.store.insert(
                "relations", {"subject_id": subject_id, "kind": kind.value, "object_id": object_id}
            )
            self.store.log(
                "relate",
                actor=by,
                instrument_id=subject_id,
                payload={"kind": kind.value, "object": object_id},
            )
            self.store.log(
                "related",
                actor=by,
                instrument_id=object_id,
                payload={"kind": kind.inverse, "object": subject_id},
            )
            row = self.store.one("SELECT * FROM relations WHERE id = ?", (new_id,))
        return Relation.from_record(row)

    def relations(self, ref: Ref) -> list[tuple[str, Instrument]]:
        """Every relation of an instrument as (relation name, other instrument), inverses
        named as such (``replaced_by``, ``basis_for``)."""
        instrument = self.get(ref)
        out: list[tuple[str, Instrument]] = []
        for row in self.store.all(
            "SELECT * FROM relations WHERE subject_id = ? OR object_id = ? ORDER BY id",
            (instrument.id, instrument.id),
        ):
            relation = Relation.from_record(row)
            if relation.subject_id == instrument.id:
                out.append((relation.kind.value, self.get(relation.object_id)))
            else:
                out.append((relation.kind.inverse, self.get(relation.subject_id)))
        return out

    def create_campaign(
        self,
        name: str,
        *,
        cutoff: str | dt.date | PartialDate | None = None,
        deadline: str | dt.date | PartialDate | None = None,
        title: str = "",
        issuers: Sequence[str] = (),
        departments: Sequence[str] = (),
        kinds: Sequence[str | Kind] = (),
        by: str = "",
    ) -> Campaign:
        """Start a cleanup round (清理工作). Its scope — instruments in force and made before the
        cut-off, narrowed by issuer (part of the name), department and kind — is computed now
        and frozen; later changes go through :meth:`campaign_scope` and are logged."""
        if not name.strip():
            raise ValidationError([Problem("a campaign needs a name", field="name")])
        cut = _located(lambda: optional_date(cutoff), "campaign", "cutoff")
        due = _located(lambda: optional_date(deadline), "campaign", "deadline")
        kind_values = [_located(lambda k=k: Kind.parse(k), "campaign", "kind") for k in kinds]
        scope = {"issuers": list(issuers), "departments": list(departments),
                 "kinds": [k.value for k in kind_values]}  # fmt: skip
        values = {"name": name.strip(), "title": title.strip(), "cutoff": _iso(cut),
                  "deadline": _iso(due), "scope": json.dumps(scope, ensure_ascii=False)}  # fmt: skip
        with self.store.transaction():
            if self.store.one("SELECT 1 FROM campaigns WHERE name = ?", (values["name"],)):
                raise DuplicateError(f"campaign {values['name']!r} already exists")
            campaign_id = self.store.insert("campaigns", values)
            members = campaigns.compute_scope(
                self, cut.last_day if cut else None, issuers, departments, kind_values
            )
            self.store.conn.executemany(
                "INSERT INTO campaign_scope (campaign_id, instrument_id, department) VALUES (?, ?, ?)",
                [(campaign_id, i.id, department) for i, department in members],
            )
            self.store.log(
                "campaign", actor=by, payload={**values, "scope": scope, "in_scope": len(members)}
            )
        return self.campaign(values["name"])

    def campaign_scope(
        self, name: str, refs: Iterable[Ref], *, add: bool = True, by: str = "", reason: str = ""
    ) -> list[int]:
        """Add instruments to a campaign's scope (or remove them, ``add=False``); logged."""
        return campaigns.change_scope(
            self, self.campaign(name), refs, add=add, by=by, reason=reason
        )

    def assign(self, name: str, ref: Ref, department: str, *, by: str = "") -> str:
        """Make ``department`` responsible for an instrument in a campaign; returns the previous one."""
        return campaigns.assign(self, self.campaign(name), ref, department, by=by)

    def progress(self, name: str) -> list[campaigns.DepartmentProgress]:
        """Per-department progress of a campaign (in scope, proposed, approved, undecided, overdue)."""
        return campaigns.progress(self, self.campaign(name))

    def check(
        self, campaign: str | None = None, *, errors_only: bool = False
    ) -> list[campaigns.Finding]:
        """Inspection findings: missed, late, conflicting, basis_repealed, expired,
        evaluation_due, no_reason (each with a severity). Without a campaign: the whole
        registry and every campaign. ``errors_only``: only error-level findings (quicker)."""
        if campaign:
            return campaigns.findings(self, self.campaign(campaign), errors_only=errors_only)
        found = campaigns.findings(self, None, errors_only=errors_only)
        for c in self.campaigns():
            found += campaigns.findings(self, c, errors_only=errors_only)
        return campaigns.sorted_findings(found)

    def close_campaign(
        self,
        name: str,
        *,
        by: str,
        declare_void: bool = False,
        dry_run: bool = False,
        decision_doc: str = "",
        decision_title: str = "",
        effective_on: str | dt.date | PartialDate | None = None,
    ) -> list[int]:
        """Close a campaign; with ``declare_void``, apply the negative-list rule (see
        :func:`regclean.campaigns.close`). Returns the instruments declared void."""
        return campaigns.close(self, self.campaign(name), by=by, declare_void=declare_void,
                               dry_run=dry_run, decision_doc=decision_doc,
                               decision_title=decision_title, effective_on=effective_on)  # fmt: skip

    def decisions_of_campaign(self, name: str) -> list[Decision]:
        """Decisions filed under a campaign, oldest first."""
        rows = self.store.all("SELECT * FROM decisions WHERE campaign = ? ORDER BY id", (name,))
        return [Decision.from_record(r) for r in rows]

    def relations_of_kind(self, kind: str | RelationKind) -> list[tuple[int, int]]:
        """(subject id, object id) of every relation of one kind."""
        value = RelationKind.parse(kind).value
        rows = self.store.all(
            "SELECT subject_id, object_id FROM relations WHERE kind = ?", (value,)
        )
        return [(int(a), int(b)) for a, b in rows]

    def relations_touching(
        self, ids: Iterable[int], with_kind: bool = False
    ) -> list[tuple[int, ...]]:
        """(subject id, object id) of every relation with an end among ``ids``, once each; with
        ``with_kind``, (relation id, subject id, kind, object id)."""
        found: dict[int, tuple[int, ...]] = {}
        for chunk, marks in _batches(ids):
            rows = self.store.all(
                f"SELECT id, subject_id, kind, object_id FROM relations "
                f"WHERE subject_id IN ({marks}) OR object_id IN ({marks})",
                chunk + chunk,
            )
            for rid, subject, kind, obj in rows:
                found[int(rid)] = (
                    (int(rid), int(subject), kind, int(obj))
                    if with_kind
                    else (int(subject), int(obj))
                )
        return [found[rid] for rid in sorted(found)]

    def open_decision(self, ref: Ref) -> Decision | None:
        """The open (proposed) decision of an instrument, if any."""
        return self._open_decision(self.get(ref))

    def campaign(self, name: str) -> Campaign:
        """A campaign by name; NotFoundError naming the known ones otherwise."""
        row = self.store.one("SELECT * FROM campaigns WHERE name = ?", (name,))
        if row is None:
            known = ", ".join(c.name for c in self.campaigns()) or "none yet"
            raise NotFoundError(f"no campaign named {name!r} (known: {known})")
        return Campaign.from_record(row)

    def campaigns(self) -> list[Campaign]:
        """Every campaign, oldest first."""
        return [
            Campaign.from_record(r) for r in self.store.all("SELECT * FROM campaigns ORDER BY id")
        ]

    def history(self, ref: Ref) -> list[Event]:
        """The event log of one instrument, oldest first."""
        instrument = self.get(ref)
        rows = self.store.all(
            "SELECT * FROM events WHERE instrument_id = ? ORDER BY seq", (instrument.id,)
        )
        return [Event.from_record(row) for row in rows]

    def events(self, instruments: Iterable[int] | None = None) -> list[Event]:
        """The whole event log (or the events of some instruments), oldest first."""
        if instruments is None:
            return [
                Event.from_record(r) for r in self.store.all("SELECT * FROM events ORDER BY seq")
            ]
        rows = []
        for chunk, marks in _batches(instruments):
            rows += self.store.all(f"SELECT * FROM events WHERE instrument_id IN ({marks})", chunk)
        return [Event.from_record(r) for r in sorted(rows, key=lambda r: r["seq"])]

    # -- search -------------------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        *,
        status: str | Status | Sequence[str | Status] | None = None,
        kind: str | None = None,
        issuer: str | None = None,
        year: str | int | None = None,
        campaign: str | None = None,
        sort: str = "relevance",
        limit: int | None = 20,
    ) -> list[SearchHit]:
        """Full-text search over titles, numbers, issuers, departments, reasons and full text.

        ``text`` is a query a clerk can type: words (Chinese or not), "exact phrases",
        ``field:value`` (标题:, 文号:, 机关:, 部门:, 理由:, 正文:), ``-word`` to exclude, ``OR``.
        A document number in any spelling finds it exactly; a partial one (``温政发〔2004〕``)
        lists the series. Filters: ``status``, ``kind``, ``issuer``, ``year`` (``2004`` or
        ``2000..2010``), ``campaign``. ``sort`` is relevance, date (newest first) or date_asc.
        An empty query with filters lists everything that matches them.
        """
        self.index.sync(self)
        self.index_problem = ""
        return self.index.search(
            self,
            text,
            status=status,
            kind=kind,
            issuer=issuer,
            year=year,
            campaign=campaign,
            sort=sort,
            limit=limit,
        )

    def reindex(self) -> int:
        """Rebuild the search index from the database; returns how many instruments it holds."""
        count = self.index.rebuild(self)
        self.index_problem = ""
        return count

    def _after_commit(self) -> None:
        """Bring the index up to date after a write. The database already holds the change, so
        a failure here is only remembered: the next search replays what the index missed."""
        try:
            self.index.sync(self)
        except (SearchIndexError, OSError) as exc:
            self.index_problem = str(exc)
        except Exception as exc:  # a lock held by another writer, or a damaged index
            self.index_problem = f"{type(exc).__name__}: {exc}"

    def last_seq(self) -> int:
        """The sequence number of the newest event (0 for an empty log)."""
        row = self.store.one("SELECT coalesce(max(seq), 0) FROM events")
        return int(row[0]) if row else 0

    def today(self) -> dt.date:
        """Today, by the registry's clock."""
        return self._today()

    def touched_since(self, seq: int, last_day: dt.date, today: dt.date) -> list[int]:
        """Instruments changed by events after ``seq``, or whose own dates fell between
        ``last_day`` and ``today``, in either order (their status may have changed with time)."""
        rows = self.store.all(
            "SELECT DISTINCT instrument_id FROM events WHERE seq > ? AND instrument_id IS NOT NULL",
            (seq,),
        )
        ids = {int(r[0]) for r in rows}
        if today != last_day:  # either way: a clock set back undoes what time did
            span = (min(last_day, today).isoformat(), max(last_day, today).isoformat())
            for column in ("expires_on", "effective_on"):
                ids |= {
                    int(r[0])
                    for r in self.store.all(
                        f"SELECT id FROM instruments WHERE {column} > ? AND {column} <= ?", span
                    )
                }
            # an approved decision that took effect in between changed its instrument's status
            ids |= {
                int(r[0])
                for r in self.store.all(
                    "SELECT instrument_id FROM decisions WHERE state = 'approved' "
                    "AND effective_on > ? AND effective_on <= ?",
                    span,
                )
            }
        return sorted(ids)

    def instruments_with_decisions(
        self, ids: Iterable[int] | None = None, batch: int = 500
    ) -> Iterator[tuple[Instrument, list[Decision]]]:
        """Instruments (all, or those ids) each with its decisions, read in batches."""
        if ids is None:
            ids = [r[0] for r in self.store.conn.execute("SELECT id FROM instruments")]
        for chunk, marks in _batches(ids, batch):
            decisions: dict[int, list[Decision]] = {}
            for row in self.store.all(
                f"SELECT * FROM decisions WHERE instrument_id IN ({marks}) ORDER BY id", chunk
            ):
                decisions.setdefault(row["instrument_id"], []).append(Decision.from_record(row))
            for row in self.store.all(
                f"SELECT * FROM instruments WHERE id IN ({marks}) ORDER BY id", chunk
            ):
                yield Instrument.from_record(row), decisions.get(row["id"], [])

    def export(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        status: str | Status | Sequence[str | Status] | None = None,
        catalog: str | None = None,
    ) -> int:
        """Write instruments to a spreadsheet (csv, xlsx or jsonl, by suffix or ``format``);
        see :mod:`regclean.ingest.export`. Returns how many rows were written."""
        from .ingest.export import export

        return export(self, path, format=format, status=status, catalog=catalog)

    # -- integrity ----------------------------------------------------------------------------

    def verify(self) -> Any:
        """Check the database, the hash chain of the log, and that the stored state is what the
        log says (see :mod:`regclean.verify`). Returns a report; never raises for damage."""
        from .verify import verify

        return verify(self)

    def backup(self, target: str | Path) -> Path:
        """A consistent copy of the database (SQLite's online backup: others may keep writing),
        with the registry's settings inside it. Written to a temporary file, then renamed."""
        from .backup import backup

        return backup(self, Path(target))

    def head_hash(self) -> str:
        """The hash of the newest event: names the exact state of the registry."""
        from .store import chain

        return chain.head(self.store.conn)

    def hash_at(self, seq: int) -> str:
        """The hash of event ``seq`` ("" when there is no such event)."""
        row = self.store.one("SELECT hash FROM events WHERE seq = ?", (seq,))
        return str(row[0]) if row else ""

    def latest_events(self, ids: Iterable[int] | None = None) -> dict[int, tuple[str, int, str]]:
        """(day, seq, hash) of the newest event of each instrument (all, or those ids)."""
        query = (
            "SELECT e.instrument_id, e.at, e.seq, e.hash FROM events e JOIN "
            "(SELECT max(seq) AS seq FROM events WHERE instrument_id {} GROUP BY instrument_id) "
            "USING (seq)"
        )
        if ids is None:
            rows = self.store.all(query.format("IS NOT NULL"))
        else:
            rows = []
            for chunk, marks in _batches(ids):
                rows += self.store.all(query.format(f"IN ({marks})"), chunk)
        return {int(r[0]): (str(r[1])[:10], int(r[2]), str(r[3])) for r in rows}

    # -- publishing ---------------------------------------------------------------------------

    def publish(
        self,
        outdir: str | Path,
        *,
        lang: str = "zh",
        force: bool = False,
        incremental: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> Any:
        """Write the public catalog site to ``outdir`` (see :mod:`regclean.publish`).

        Refuses while the inspection has error-level findings (missed, conflicting,
        basis_repealed), naming them, unless ``force``. Over an earlier site only the changed
        instrument pages are rendered, unless ``incremental=False``. ``progress(done, total)``
        is called as instrument pages are rendered.
        """
        from .publish import PublishError, publish

        errors = [] if force else self.check(errors_only=True)
        if errors:
            listed = "\n".join(
                f"  {f.code} [{f.instrument}] {f.department}: {f.message}" for f in errors[:20]
            )
            more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
            raise PublishError(
                f"{len(errors)} error-level inspection finding(s); fix them or publish with force "
                f"(--force):\n{listed}{more}"
            )
        return publish(self, outdir, lang=lang, incremental=incremental, progress=progress)

    # -- import -------------------------------------------------------------------------------

    def import_file(self, paths: str | Path | Sequence[str | Path], **options: Any) -> Any:
        """Load instruments (and proposed decisions) from files; see :mod:`regclean.ingest`."""
        from .ingest import import_files

        if isinstance(paths, (str, Path)):
            paths = [paths]
        return import_files(self, [Path(p) for p in paths], **options)


_DERIVED = frozenset({"title_key", "number_key"})


class _Dates(NamedTuple):
    """The dates of an instrument that its status depends on."""

    effective_on: PartialDate | None
    expires_on: PartialDate | None


def _partial(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def _batches(ids: Iterable[int], size: int = 500) -> Iterator[tuple[list[int], str]]:
    """Sorted distinct ids in batches small enough for SQLite, each with its ``?,?,...`` marks."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), size):
        chunk = wanted[start : start + size]
        yield chunk, ",".join("?" * len(chunk))


def _logged(key: str, value: Any) -> Any:
    """A column's value as the log keeps it: the full text stands as its length and SHA-256,
    so the log proves what it was without holding every body twice."""
    if key == "full_text" and value:
        return {"chars": len(value), "sha256": hashlib.sha256(value.encode("utf-8")).hexdigest()}
    return value


def _public(columns: Mapping[str, Any]) -> dict[str, Any]:
    """Columns as logged when added: derived keys and empty values left out."""
    return {
        k: _logged(k, v) for k, v in columns.items() if k not in _DERIVED and v not in ("", None)
    }


def _iso(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def _located(make: Any, record: str, field: str) -> Any:
    try:
        return make()
    except ValidationError as exc:
        raise exc.located(record, field) from None
