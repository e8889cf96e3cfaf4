"""SQLite storage: the only module that talks to sqlite3.

The database is the source of truth. It runs in WAL mode with foreign keys on; every write goes
through :meth:`Store.transaction` (one ``BEGIN IMMEDIATE`` ... ``COMMIT``), and every change
appends to the event log, which triggers keep append-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import events
from ..errors import BusyError, RegistryError, ReplacedError
from . import chain
from .fts import FtsStore
from .migrations import FOREIGN_KEYS_OFF, MIGRATIONS, POST_STEPS, has_fts5
from .reads import Reader, batches

__all__ = ["DB_NAME", "Clock", "Reader", "Store", "batches", "open_store", "utc_now"]

DB_NAME = "registry.sqlite"  # inside a registry folder
Clock = Callable[[], str]


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with seconds (``2026-11-26T09:41:42Z``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _full(path: Path, exc: BaseException) -> RegistryError | None:
    """A clear error for SQLite's "database or disk is full"; None for any other."""
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return RegistryError(
            f"{path}: the disk is full: nothing was written (free some space and try again)"
        )
    return None


class Store:
    """A connection to one ``registry.sqlite`` with transactions, migrations and the event log."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Clock = utc_now,
        busy_timeout: float = 10.0,
        read_only: bool | None = None,
    ):
        self.path = Path(path)
        self.clock = clock
        if read_only is None:  # a read-only mount or folder: SQLite could not even read (WAL)
            read_only = self.path.exists() and not (
                os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)
            )
        self.read_only = read_only
        self._file: tuple[int, int] | None = None  # (device, inode) of the file opened
        try:
            if read_only:  # nothing may change under it: no lock, no -shm file to write
                uri = f"file:{urllib.parse.quote(str(self.path.absolute()))}?mode=ro&immutable=1"
                self.conn = sqlite3.connect(
                    uri, uri=True, isolation_level=None, check_same_thread=False
                )
            else:
                self.conn = sqlite3.connect(
                    self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False
                )
        except sqlite3.Error as exc:
            raise RegistryError(f"{self.path}: cannot open the database: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        self._head: str | None = None  # the chain's head, known only inside a write transaction
        self.on_commit: list[Callable[[], None]] = []
        #: Every read of the registry's tables, over this connection.
        self.reads = Reader(self.conn, clock)
        #: The FTS5 search index's tables, over this connection.
        self.fts = FtsStore(self.conn)
        try:
            if read_only:
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._file = self._identity()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise RegistryError(f"{self.path}: not a regclean database: {exc}") from None

    def close(self) -> None:
        self.conn.close()

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def _still_the_registry(self) -> None:
        """Inside a transaction (the lock held): ReplacedError when the file at the registry's
        path is no longer the one this connection has open (a restore replaced it: a write here
        would land in the old file, and be lost)."""
        if self._file is not None and self._identity() != self._file:
            self.conn.execute("ROLLBACK")
            raise ReplacedError(
                f"{self.path}: the registry was restored (its database replaced) after this "
                "handle opened it; nothing was written: open the registry again"
            )

    @property
    def has_fts5(self) -> bool:
        """True when this SQLite was built with FTS5, which the FTS5 search engine needs."""
        return has_fts5(self.conn)

    @property
    def search_engine(self) -> str:
        """The engine that searches inside this store (``fts5``), or "" where SQLite lacks it."""
        return "fts5" if self.has_fts5 else ""

    # -- transactions -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(
        self, *, derived: bool = False, wait: float | None = None
    ) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one. Rolls back on any error.
        ``derived``: a write of derived data only (the search index), after which the
        ``on_commit`` callbacks are not run. ``wait``: seconds to wait for another writer
        (else the connection's busy timeout), then RegistryError."""
        if self.read_only:
            raise RegistryError(
                f"{self.path}: the registry is read-only (a read-only folder or mount): it can be "
                "read, searched, verified and published from, not changed"
            )
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if wait is not None:
            usual = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
            self.conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise BusyError(
                f"{self.path}: the registry is busy (another writer holds it): {exc}"
            ) from None
        finally:
            if wait is not None:
                self.conn.execute(f"PRAGMA busy_timeout = {int(usual)}")
        self._still_the_registry()  # checked under the lock a restore takes to replace the file
        self._depth = 1
        self._head = None
        try:
            yield self.conn
        except BaseException as exc:
            if self.conn.in_transaction:  # SQLite may have rolled back itself (a full disk)
                self.conn.execute("ROLLBACK")
            raise _full(self.path, exc) or exc from None
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _full(self.path, exc) or exc from None
        finally:
            self._depth = 0
            self._head = None
        if not derived:
            for callback in self.on_commit:
                callback()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads that all see one state of the registry, whatever other processes commit
        meanwhile (a WAL read transaction). Inside a transaction, that transaction's state."""
        if self._depth or self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN DEFERRED")
        self.conn.execute("SELECT 1 FROM events LIMIT 1")  # the snapshot starts here
        self._still_the_registry()
        try:
            yield self.conn
        finally:
            self.conn.execute("ROLLBACK")

    # -- migrations ---------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied; return their names."""
        if self.read_only:
            done = {row[0] for row in self.conn.execute("SELECT name FROM migrations")}
            pending = [name for name, _ in MIGRATIONS if name not in done]
            if pending:
                raise RegistryError(
                    f"{self.path}: the registry is read-only and was written by an older "
                    f"version (it lacks migration {pending[0]}); open it once where it can be "
                    "written, or with that version"
                )
            return []
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self.conn.execute("SELECT name FROM migrations")}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            rebuilding = name in FOREIGN_KEYS_OFF
            if rebuilding:
                self.conn.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.transaction() as conn:
                    for statement in _statements(sql):
                        try:
                            conn.execute(statement)
                        except sqlite3.OperationalError as exc:  # e.g. its record was deleted
                            raise RegistryError(
                                f"{self.path}: migration {name} cannot be applied ({exc}); is "
                                "its row missing from the migrations table?"
                            ) from None
                    if name in POST_STEPS:
                        POST_STEPS[name](conn)
                    if rebuilding and conn.execute("PRAGMA foreign_key_check").fetchone():
                        raise RegistryError(f"{self.path}: migration {name} broke a reference")
                    conn.execute(
                        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                        (name, self.clock()),
                    )
            finally:
                if rebuilding:
                    self.conn.execute("PRAGMA foreign_keys = ON")
            applied.append(name)
        return applied

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM migrations ORDER BY name")]

    # -- reading and writing ------------------------------------------------------------------

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        """Insert one row (inside a transaction) and return its rowid."""
        self._require_transaction()
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        cursor = self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
        return int(cursor.lastrowid or 0)

    def update(self, table: str, row_id: int, values: Mapping[str, Any]) -> None:
        """Update columns of one row by id (inside a transaction)."""
        self._require_transaction()
        if not values:
            return
        sets = ", ".join(f"{name} = :{name}" for name in values)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = :_id", {**values, "_id": row_id})

    def insert_many(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert many rows at once (inside a transaction)."""
        self._require_transaction()
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def upsert(
        self, table: str, values: Mapping[str, Any], key: Sequence[str], update: Sequence[str]
    ) -> None:
        """Insert one row, or where a row with the same ``key`` columns exists, set its
        ``update`` columns to ``values`` (inside a transaction)."""
        self._require_transaction()
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        sets = ", ".join(f"{name} = excluded.{name}" for name in update)
        self.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}",
            values,
        )

    def update_where(self, table: str, where: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        """Update columns of the rows whose ``where`` columns equal the given values."""
        self._require_transaction()
        sets = ", ".join(f"{name} = :v_{name}" for name in values)
        test = " AND ".join(f"{name} = :w_{name}" for name in where)
        params = {f"v_{k}": v for k, v in values.items()} | {f"w_{k}": v for k, v in where.items()}
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE {test}", params)

    def log(
        self,
        action: str,
        *,
        actor: str = "",
        instrument_id: int | None = None,
        decision_id: int | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one event (inside a transaction) and return its sequence number. Only the
        events of the catalogue (:mod:`regclean.events`) are written, each with the payload its
        type carries."""
        events.check(action, payload or {}, instrument_id=instrument_id, decision_id=decision_id)
        values = {
            "at": self.clock(),
            "actor": actor,
            "action": action,
            "instrument_id": instrument_id,
            "decision_id": decision_id,
            "payload": json.dumps(payload or {}, ensure_ascii=False, sort_keys=True),
        }
        # Inside the write transaction, so concurrent writers chain one after another; the head
        # is read once per transaction and then carried along.
        if self._head is None:
            self._head = chain.head(self.conn)
        values["hash"] = chain.event_hash(self._head, **values)
        seq = self.insert("events", values)
        self._head = values["hash"]
        return seq

    def after_copy(self) -> None:
        """After rows were copied in with their ids (:mod:`regclean.store.moving`): SQLite's
        keys go on from the largest by themselves."""

    def _require_transaction(self) -> None:
        if not self._depth:
            raise RuntimeError("writes must happen inside Store.transaction()")


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def open_store(
    folder: Path, url: str = "", *, clock: Clock = utc_now, busy_timeout: float = 10.0
) -> Store:
    """The store of a registry folder: its ``registry.sqlite``, or, given a PostgreSQL URL,
    that server's database (:mod:`regclean.store.pg`)."""
    if url:
        from .pg import PgStore  # pg builds on this module's Store: importing it above is a cycle

        return PgStore(url, clock=clock, busy_timeout=busy_timeout)
    return Store(Path(folder) / DB_NAME, clock=clock, busy_timeout=busy_timeout)
