"""Every read of the registry's tables, in one place.

A :class:`Reader` works over one SQLite connection: read inside :meth:`Store.snapshot` and all
its answers come from one state of the registry. Rules, search, publishing, export, verification,
backup and the JSON views read through it; none of them writes SQL of their own.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import RegistryError
from ..models import (
    Campaign,
    Comment,
    Concern,
    Decision,
    DocumentItem,
    Evaluation,
    Event,
    Filing,
    Instrument,
    Relation,
    ReviewRecord,
)
from . import chain
from .fts import META
from .migrations import LOG_TRIGGERS, MIGRATIONS

Row = sqlite3.Row


def batches(ids: Iterable[int], size: int = 500) -> Iterator[tuple[list[int], str]]:
    """Sorted distinct ids in batches small enough for SQLite, each with its ``?,?,...`` marks."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), size):
        chunk = wanted[start : start + size]
        yield chunk, ",".join("?" * len(chunk))


def fold_sql(sql: str) -> str:
    """A statement with its white space and semicolons folded, for comparing definitions."""
    return " ".join(sql.replace(";", " ").split())


class Reader:
    """The registry's reads over a connection (and the clock that says what day it is)."""

    search_engine = "fts5"  # the engine whose index the search_* tables hold, for messages

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], str]):
        self.conn = conn
        self.clock = clock

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return self.conn.execute(sql, _bounded(params)).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.conn.execute(sql, _bounded(params)).fetchall()

    # -- the registry's state -----------------------------------------------------------------

    def today(self) -> dt.date:
        """Today, by the registry's clock."""
        return dt.date.fromisoformat(self.clock()[:10])

    def last_seq(self) -> int:
        """The sequence number of the newest event (0 for an empty log)."""
        row = self._one("SELECT coalesce(max(seq), 0) FROM events")
        return int(row[0]) if row else 0

    def head_hash(self) -> str:
        """The hash of the newest event: names the exact state of the registry."""
        return chain.head(self.conn)

    def hash_at(self, seq: int) -> str:
        """The hash of event ``seq`` ("" when there is no such event)."""
        row = self._one("SELECT hash FROM events WHERE seq = ?", (seq,))
        return str(row[0]) if row else ""

    def state(self) -> tuple[int, str, dt.date]:
        """(newest event, its hash, today): what a snapshot is checked against."""
        return self.last_seq(), self.head_hash(), self.today()

    # -- instruments --------------------------------------------------------------------------

    def instrument_row(self, instrument_id: int) -> Row | None:
        """The stored row of one instrument, every column."""
        return self._one("SELECT * FROM instruments WHERE id = ?", (instrument_id,))

    def instrument(self, instrument_id: int) -> Instrument | None:
        row = self.instrument_row(instrument_id)
        return Instrument.from_record(row) if row else None

    def identity_row(self, number_key: str, title_key: str) -> Row | None:
        """The row with this identity (canonical number, title key), if any."""
        return self._one(
            "SELECT * FROM instruments WHERE number_key = ? AND title_key = ?",
            (number_key, title_key),
        )

    def by_number(self, key: str, *, ending: bool = False) -> list[Instrument]:
        """Instruments whose canonical number is ``key`` (or, ``ending``, ends with it)."""
        if ending:
            rows = self._all(
                "SELECT * FROM instruments WHERE number_key LIKE ? ORDER BY id", ("%" + key,)
            )
        else:
            rows = self._all("SELECT * FROM instruments WHERE number_key = ? ORDER BY id", (key,))
        return [Instrument.from_record(r) for r in rows]

    def by_title(self, key: str, text: str) -> list[Instrument]:
        """Instruments whose title key is ``key`` or whose title is exactly ``text``."""
        rows = self._all(
            "SELECT * FROM instruments WHERE title_key = ? OR title = ? ORDER BY id", (key, text)
        )
        return [Instrument.from_record(r) for r in rows]

    def instruments(self) -> Iterator[Instrument]:
        """Every instrument, by id."""
        for row in self._all("SELECT * FROM instruments ORDER BY id"):
            yield Instrument.from_record(row)

    def instrument_rows(self) -> dict[int, Row]:
        """Every stored instrument row, by id."""
        return {row["id"]: row for row in self._all("SELECT * FROM instruments")}

    def instrument_ids(self) -> list[int]:
        """The id of every instrument, in order."""
        # unordered, SQLite reads a small index instead of every row; sorting here is cheaper
        return sorted(int(r[0]) for r in self._all("SELECT id FROM instruments"))

    def instrument_ids_by_title_length(self) -> list[int]:
        """The id of every instrument, shortest title first (then by id): the order the FTS5
        index numbers its rows in, so that a rebuild writes them in row order."""
        return [
            int(r[0]) for r in self._all("SELECT id FROM instruments ORDER BY length(title), id")
        ]

    def count(self) -> int:
        """How many instruments the registry holds."""
        row = self._one("SELECT count(*) FROM instruments")
        return int(row[0]) if row else 0

    def status_dates(self) -> list[tuple[int, str | None, str | None]]:
        """(id, effective_on, expires_on) of every instrument: what a status needs of it."""
        return [
            (int(r[0]), r[1], r[2])
            for r in self._all("SELECT id, effective_on, expires_on FROM instruments")
        ]

    def expiring_by(self, day: dt.date) -> set[int]:
        """Instruments with an expiry date up to ``day`` (a partial date such as "2027" sorts
        before every day it covers)."""
        rows = self._all(
            "SELECT id FROM instruments WHERE expires_on IS NOT NULL AND expires_on <= ?",
            (day.isoformat(),),
        )
        return {int(r[0]) for r in rows}

    def instruments_with_decisions(
        self, ids: Iterable[int] | None = None, batch: int = 500
    ) -> Iterator[tuple[Instrument, list[Decision]]]:
        """Instruments (all, or those ids) each with its decisions, read in batches."""
        if ids is None:
            ids = [r[0] for r in self.conn.execute("SELECT id FROM instruments")]
        for chunk, marks in batches(ids, batch):
            decisions: dict[int, list[Decision]] = {}
            for row in self._all(
                f"SELECT * FROM decisions WHERE instrument_id IN ({marks}) ORDER BY id", chunk
            ):
                decisions.setdefault(row["instrument_id"], []).append(Decision.from_record(row))
            for row in self._all(
                f"SELECT * FROM instruments WHERE id IN ({marks}) ORDER BY id", chunk
            ):
                yield Instrument.from_record(row), decisions.get(row["id"], [])

    # -- decisions ----------------------------------------------------------------------------

    def decision(self, decision_id: int) -> Decision | None:
        row = self._one("SELECT * FROM decisions WHERE id = ?", (decision_id,))
        return Decision.from_record(row) if row else None

    def decisions(
        self, instrument_id: int | None = None, state: str | None = None
    ) -> list[Decision]:
        """Decisions of one instrument (or of all), oldest first, optionally in one state."""
        clauses, params = [], []
        if instrument_id is not None:
            clauses.append("instrument_id = ?")
            params.append(instrument_id)
        if state is not None:
            clauses.append("state = ?")
            params.append(state)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._all(f"SELECT * FROM decisions {where} ORDER BY id", params)
        return [Decision.from_record(row) for row in rows]

    def decisions_by_instrument(self, ids: Iterable[int]) -> dict[int, list[Decision]]:
        """The decisions of those instruments, oldest first, by instrument (every id a key)."""
        out: dict[int, list[Decision]] = {int(i): [] for i in ids}
        for chunk, marks in batches(out):
            for row in self._all(
                f"SELECT * FROM decisions WHERE instrument_id IN ({marks}) ORDER BY id", chunk
            ):
                out[row["instrument_id"]].append(Decision.from_record(row))
        return out

    def decision_rows(self) -> dict[int, Row]:
        """Every stored decision row, by id."""
        return {row["id"]: row for row in self._all("SELECT * FROM decisions")}

    def open_decision(self, instrument_id: int) -> Decision | None:
        """The open (proposed) decision of an instrument, if any."""
        row = self._one(
            "SELECT * FROM decisions WHERE instrument_id = ? AND state = 'proposed'",
            (instrument_id,),
        )
        return Decision.from_record(row) if row else None

    def decisions_of_campaign(self, name: str, state: str | None = None) -> list[Decision]:
        """Decisions filed under a campaign (optionally in one state), oldest first."""
        if state is None:
            rows = self._all("SELECT * FROM decisions WHERE campaign = ? ORDER BY id", (name,))
        else:
            rows = self._all(
                "SELECT * FROM decisions WHERE campaign = ? AND state = ? ORDER BY id",
                (name, state),
            )
        return [Decision.from_record(r) for r in rows]

    def decided(self, states: Sequence[str], outcomes: Sequence[str]) -> set[int]:
        """Instruments with a decision in one of ``states`` and of one of ``outcomes``."""
        rows = self._all(
            f"SELECT DISTINCT instrument_id FROM decisions WHERE state IN "
            f"({','.join('?' * len(states))}) AND outcome IN ({','.join('?' * len(outcomes))})",
            (*states, *outcomes),
        )
        return {int(r[0]) for r in rows}

    # -- relations ----------------------------------------------------------------------------

    def relation(self, subject_id: int, kind: str, object_id: int) -> Relation | None:
        row = self._one(
            "SELECT * FROM relations WHERE subject_id = ? AND kind = ? AND object_id = ?",
            (subject_id, kind, object_id),
        )
        return Relation.from_record(row) if row else None

    def relations_of(self, instrument_id: int) -> list[Relation]:
        """Every relation with the instrument at one end, oldest first."""
        rows = self._all(
            "SELECT * FROM relations WHERE subject_id = ? OR object_id = ? ORDER BY id",
            (instrument_id, instrument_id),
        )
        return [Relation.from_record(r) for r in rows]

    def relations_of_kind(self, kind: str) -> list[tuple[int, int]]:
        """(subject id, object id) of every relation of one kind."""
        rows = self._all("SELECT subject_id, object_id FROM relations WHERE kind = ?", (kind,))
        return [(int(a), int(b)) for a, b in rows]

    def relation_rows(self, ids: Iterable[int] | None = None) -> list[tuple[int, int, str, int]]:
        """(relation id, subject id, kind, object id) of every relation (or of those with an
        end among ``ids``), once each, by relation id."""
        if ids is None:
            rows = self._all("SELECT id, subject_id, kind, object_id FROM relations")
            found = {int(r[0]): (int(r[0]), int(r[1]), r[2], int(r[3])) for r in rows}
        else:
            found = {}
            for chunk, marks in batches(ids):
                for rid, subject, kind, obj in self._all(
                    f"SELECT id, subject_id, kind, object_id FROM relations "
                    f"WHERE subject_id IN ({marks}) OR object_id IN ({marks})",
                    chunk + chunk,
                ):
                    found[int(rid)] = (int(rid), int(subject), kind, int(obj))
        return [found[rid] for rid in sorted(found)]

    # -- campaigns ----------------------------------------------------------------------------

    def campaign(self, name: str) -> Campaign | None:
        row = self._one("SELECT * FROM campaigns WHERE name = ?", (name,))
        return Campaign.from_record(row) if row else None

    def campaigns(self) -> list[Campaign]:
        """Every campaign, oldest first."""
        return [Campaign.from_record(r) for r in self._all("SELECT * FROM campaigns ORDER BY id")]

    def scope_rows(self, campaign_id: int) -> list[tuple[int, str]]:
        """(instrument id, department) of a campaign's current scope."""
        rows = self._all(
            "SELECT instrument_id, department FROM campaign_scope "
            "WHERE campaign_id = ? AND removed = 0 ORDER BY instrument_id",
            (campaign_id,),
        )
        return [(int(r[0]), r[1]) for r in rows]

    def concerns(
        self,
        campaign: str | None = None,
        instrument_id: int | None = None,
        states: Sequence[str] = (),
    ) -> list[Concern]:
        """Problems found in thematic cleanups, oldest first: of one campaign, one instrument,
        in some states."""
        where, params = [], []
        for column, value in (("campaign", campaign), ("instrument_id", instrument_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if states:
            where.append(f"state IN ({','.join('?' * len(states))})")
            params.extend(states)
        sql = "SELECT * FROM concerns" + (" WHERE " + " AND ".join(where) if where else "")
        return [Concern.from_record(r) for r in self._all(sql + " ORDER BY id", params)]

    def concern(self, concern_id: int) -> Concern | None:
        row = self._one("SELECT * FROM concerns WHERE id = ?", (concern_id,))
        return Concern.from_record(row) if row else None

    def items(self, campaign: str | None = None, outcome: str | None = None) -> list[DocumentItem]:
        """Items inside documents, oldest first: of a campaign, with one outcome ("" for the
        undecided)."""
        where, params = [], []
        if campaign is not None:
            where.append("campaign = ?")
            params.append(campaign)
        if outcome is not None:
            where.append("outcome = ?")
            params.append(outcome)
        sql = "SELECT * FROM items" + (" WHERE " + " AND ".join(where) if where else "")
        return [DocumentItem.from_record(r) for r in self._all(sql + " ORDER BY id", params)]

    def item(self, item_id: int) -> DocumentItem | None:
        row = self._one("SELECT * FROM items WHERE id = ?", (item_id,))
        return DocumentItem.from_record(row) if row else None

    def review_records(
        self, campaign: str | None = None, instrument_id: int | None = None
    ) -> list[ReviewRecord]:
        """Review records (审查记录), oldest first: of a campaign, of one measure."""
        where, params = [], []
        for column, value in (("campaign", campaign), ("instrument_id", instrument_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM review_records" + (" WHERE " + " AND ".join(where) if where else "")
        return [ReviewRecord.from_record(r) for r in self._all(sql + " ORDER BY id", params)]

    def by_registration(self, key: str) -> list[Instrument]:
        """Instruments whose registration number has this key (:func:`regclean.registration.key`)."""
        rows = self._all("SELECT * FROM instruments WHERE registration_key = ? ORDER BY id", (key,))
        return [Instrument.from_record(r) for r in rows]

    def registrations(self, issuer: str) -> list[str]:
        """The registration numbers an issuer's instruments carry."""
        rows = self._all(
            "SELECT registration_no FROM instruments WHERE issuer = ? AND registration_no <> ''",
            (issuer,),
        )
        return [str(r[0]) for r in rows]

    def of_kinds(self, kinds: Sequence[str]) -> set[int]:
        """Ids of the instruments of these kinds."""
        if not kinds:
            return set()
        marks = ",".join("?" * len(kinds))
        return {
            int(r[0])
            for r in self._all(f"SELECT id FROM instruments WHERE kind IN ({marks})", list(kinds))
        }

    def unregistered(self) -> set[int]:
        """Ids of instruments without a registration number."""
        return {
            int(r[0]) for r in self._all("SELECT id FROM instruments WHERE registration_no = ''")
        }

    def filings(self, instrument_id: int | None = None) -> list[Filing]:
        """Filings (备案), oldest first, of one document or of all."""
        if instrument_id is None:
            rows = self._all("SELECT * FROM filings ORDER BY id")
        else:
            rows = self._all(
                "SELECT * FROM filings WHERE instrument_id = ? ORDER BY id", (instrument_id,)
            )
        return [Filing.from_record(r) for r in rows]

    def evaluations(self, instrument_id: int | None = None) -> list[Evaluation]:
        """Evaluations before expiry, oldest first, of one document or of all."""
        if instrument_id is None:
            rows = self._all("SELECT * FROM evaluations ORDER BY id")
        else:
            rows = self._all(
                "SELECT * FROM evaluations WHERE instrument_id = ? ORDER BY id", (instrument_id,)
            )
        return [Evaluation.from_record(r) for r in rows]

    def comments(self, campaign: str | None = None) -> list[Comment]:
        """Comments on draft results, oldest first, of one campaign or of all."""
        if campaign is None:
            rows = self._all("SELECT * FROM comments ORDER BY id")
        else:
            rows = self._all("SELECT * FROM comments WHERE campaign = ? ORDER BY id", (campaign,))
        return [Comment.from_record(r) for r in rows]

    def campaign_rows(self) -> list[Row]:
        """Every stored campaign row."""
        return self._all("SELECT * FROM campaigns ORDER BY id")

    def scope_table(self, campaign_id: int) -> list[tuple[int, str, int]]:
        """(instrument id, department, removed) of every scope row of a campaign, removed ones
        included."""
        rows = self._all(
            "SELECT instrument_id, department, removed FROM campaign_scope WHERE campaign_id = ?",
            (campaign_id,),
        )
        return [(int(r[0]), r[1], int(r[2])) for r in rows]

    def scope_department(self, campaign_id: int, instrument_id: int) -> str | None:
        """The department responsible for an instrument in a campaign (None: not in scope)."""
        row = self._one(
            "SELECT department FROM campaign_scope "
            "WHERE campaign_id = ? AND instrument_id = ? AND removed = 0",
            (campaign_id, instrument_id),
        )
        return None if row is None else str(row[0])

    # -- the event log ------------------------------------------------------------------------

    def events(self, instruments: Iterable[int] | None = None) -> list[Event]:
        """The whole event log (or the events of some instruments), oldest first."""
        if instruments is None:
            return [Event.from_record(r) for r in self._all("SELECT * FROM events ORDER BY seq")]
        rows: list[Row] = []
        for chunk, marks in batches(instruments):
            rows += self._all(f"SELECT * FROM events WHERE instrument_id IN ({marks})", chunk)
        return [Event.from_record(r) for r in sorted(rows, key=lambda r: r["seq"])]

    def history(self, instrument_id: int) -> list[Event]:
        """The event log of one instrument, oldest first."""
        rows = self._all(
            "SELECT * FROM events WHERE instrument_id = ? ORDER BY seq", (instrument_id,)
        )
        return [Event.from_record(row) for row in rows]

    def event_rows(self) -> list[tuple[Any, ...]]:
        """(seq, at, actor, action, instrument_id, decision_id, payload, hash) of every event,
        in order: what the hash chain covers."""
        return [
            tuple(r)
            for r in self._all(
                "SELECT seq, at, actor, action, instrument_id, decision_id, payload, hash "
                "FROM events ORDER BY seq"
            )
        ]

    def event_rows_of(self, ids: Iterable[int]) -> list[tuple[Any, ...]]:
        """The events of those instruments (rows as :meth:`event_rows`), in order."""
        out: list[tuple[Any, ...]] = []
        for chunk in _chunks(sorted(set(ids))):
            out += [
                tuple(r)
                for r in self._all(
                    "SELECT seq, at, actor, action, instrument_id, decision_id, payload, hash FROM "
                    f"events WHERE instrument_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            ]
        return sorted(out)

    def event_rows_since(self, seq: int) -> list[tuple[Any, ...]]:
        """The events after position ``seq`` (rows as :meth:`event_rows`), in order."""
        return [
            tuple(r)
            for r in self._all(
                "SELECT seq, at, actor, action, instrument_id, decision_id, payload, hash FROM events "
                "WHERE seq > ? ORDER BY seq",
                (seq,),
            )
        ]

    def latest_events(self, ids: Iterable[int] | None = None) -> dict[int, tuple[str, int, str]]:
        """(day, seq, hash) of the newest event of each instrument (all, or those ids)."""
        query = (
            "SELECT e.instrument_id, e.at, e.seq, e.hash FROM events e JOIN "
            "(SELECT max(seq) AS seq FROM events WHERE instrument_id {} GROUP BY instrument_id) "
            "AS newest USING (seq)"
        )
        if ids is None:
            rows = self._all(query.format("IS NOT NULL"))
        else:
            rows = []
            for chunk, marks in batches(ids):
                rows += self._all(query.format(f"IN ({marks})"), chunk)
        return {int(r[0]): (str(r[1])[:10], int(r[2]), str(r[3])) for r in rows}

    def touched_since(self, seq: int, last_day: dt.date, today: dt.date) -> list[int]:
        """Instruments changed by events after ``seq``, or whose own dates fell between
        ``last_day`` and ``today``, in either order (their status may have changed with time)."""
        rows = self._all(
            "SELECT DISTINCT instrument_id FROM events WHERE seq > ? AND instrument_id IS NOT NULL",
            (seq,),
        )
        ids = {int(r[0]) for r in rows}
        if today != last_day:  # either way: a clock set back undoes what time did
            span = (min(last_day, today).isoformat(), max(last_day, today).isoformat())
            for column in ("expires_on", "effective_on"):
                ids |= {
                    int(r[0])
                    for r in self._all(
                        f"SELECT id FROM instruments WHERE {column} > ? AND {column} <= ?", span
                    )
                }
            # an approved decision that took effect in between changed its instrument's status
            ids |= {
                int(r[0])
                for r in self._all(
                    "SELECT instrument_id FROM decisions WHERE state = 'approved' "
                    "AND effective_on > ? AND effective_on <= ?",
                    span,
                )
            }
        return sorted(ids)

    # -- the database itself ------------------------------------------------------------------

    def integrity(self) -> str:
        """SQLite's integrity check: "ok", or what is wrong."""
        return str(self._one("PRAGMA integrity_check")[0])  # type: ignore[index]

    def foreign_key_problems(self) -> list[tuple[str, int, str]]:
        """(table, rowid, parent table) of every row that refers to a missing row."""
        return [(r[0], r[1], r[2]) for r in self._all("PRAGMA foreign_key_check")]

    def columns(self, table: str) -> list[str]:
        """The names of a table's columns, in order."""
        return [str(r[1]) for r in self._all(f"PRAGMA table_info({table})")]

    def tables(self) -> set[str]:
        """The names of the database's tables."""
        return {r[0] for r in self._all("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def known_triggers(self) -> set[str]:
        """The triggers regclean's own migrations create (the search index's among them)."""

        names = set()
        for _, sql in MIGRATIONS:
            names |= set(
                re.findall(
                    r"CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", str(sql), flags=re.I
                )
            )
        return names

    def log_triggers(self) -> dict[str, str]:
        """The triggers that keep the event log append-only, as this database defines them."""

        return dict(LOG_TRIGGERS)

    def triggers(self) -> dict[str, str]:
        """The database's triggers: name -> definition, white space folded."""
        rows = self._all("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return {r[0]: fold_sql(r[1] or "") for r in rows}

    def has_event(self, digest: str) -> int | None:
        """The sequence number of the event with this hash, if the log holds one."""
        row = self._one("SELECT seq FROM events WHERE hash = ?", (digest,))
        return int(row[0]) if row else None

    def search_meta(self) -> tuple[tuple[int, str] | None, dict[int, tuple[Any, ...]]]:
        """The FTS5 index's state (log position, day) and the values it keeps beside each
        instrument, in the order of ``store.fts.META``."""

        state = self._one("SELECT seq, day FROM search_state WHERE id = 1")
        rows = self._all(f"SELECT instrument_id, {', '.join(META)} FROM search_docs")
        return (
            (int(state[0]), str(state[1])) if state else None,
            {int(r[0]): tuple(r[1:]) for r in rows},
        )

    def search_index(self) -> tuple[int, set[int]] | None:
        """The FTS5 index's log position and the instruments it holds; None if never built."""
        row = self._one("SELECT seq FROM search_state WHERE id = 1")
        if row is None:
            return None
        ids = {int(r[0]) for r in self._all("SELECT instrument_id FROM search_docs")}
        return int(row[0]), ids

    def copy_to(self, target: Path, extra: dict[str, str] | None = None) -> None:
        """Copy the database into a new file with SQLite's online backup (others may keep
        writing), adding a one-row table ``extra`` names (``{"table": ..., column: value}``)."""
        copy = sqlite3.connect(target)
        try:
            self._copy(copy, extra)
        except sqlite3.Error as exc:  # a full disk, most often
            raise RegistryError(f"{target}: cannot write the copy: {exc}") from None
        finally:
            copy.close()

    def _copy(self, copy: sqlite3.Connection, extra: dict[str, str] | None) -> None:
        with copy:
            self.conn.backup(copy)
        if extra:
            values = dict(extra)
            table = values.pop("table")
            with copy:
                copy.execute(
                    f"CREATE TABLE {table} ({', '.join(f'{k} TEXT NOT NULL' for k in values)})"
                )
                copy.execute(
                    f"INSERT INTO {table} VALUES ({','.join('?' * len(values))})",
                    tuple(values.values()),
                )
        copy.execute("PRAGMA journal_mode = DELETE")


_SQLITE_MAX = 2**63 - 1


def _bounded(params: Sequence[Any]) -> Sequence[Any]:
    """Parameters SQLite can bind: an integer beyond its 64 bits (an id or a limit typed with
    twenty digits) is held at the bound — no stored id is that large, and a limit that large
    means every row."""
    if not any(isinstance(p, int) and not -_SQLITE_MAX <= p <= _SQLITE_MAX for p in params):
        return params
    return [max(-_SQLITE_MAX, min(_SQLITE_MAX, p)) if isinstance(p, int) else p for p in params]


def _chunks(values: list[int], size: int = 900) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
