"""PostgreSQL as a second store: one registry on a server that many offices reach at once.

The same behaviour as the SQLite store, over psycopg 3: every command is one transaction
(writers serialised on the chain head by a transaction-scoped advisory lock, so the log's hash
chain stays a line), snapshots for consistent reads (``REPEATABLE READ``), and the event log made
append-only by the database itself (UPDATE, DELETE and TRUNCATE of ``events`` raise, and no event
can be inserted before the last). The rest of regclean speaks to it through the same
:class:`~regclean.store.Store` methods and :class:`~regclean.store.Reader` queries; this module
translates SQLite's parameter marks (``?``, ``:name``) to psycopg's.

A registry folder keeps its settings (``regclean.toml``, ``[store] url = …``), its site key and
its search index; the rows and the log live on the server.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..docnumber import DocNumber
from ..errors import BusyError, Problem, RegistryError, ValidationError
from ..text import title_key
from . import Store, pgsearch, tables
from .reads import Reader, fold_sql

URL_SCHEMES = ("postgresql://", "postgres://")
_LOCK = 7_231_001  # the advisory lock every writer takes: the chain head's


def is_url(text: str | Path) -> bool:
    """True for a PostgreSQL connection URL."""
    return str(text).startswith(URL_SCHEMES)


def without_password(url: str) -> str:
    """A URL as regclean.toml keeps it: the password left to ~/.pgpass or the environment."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", url)


def shown(url: str) -> str:
    """A URL as it may be printed: without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class Row(tuple):
    """A row read by name or by position, as SQLite's rows are."""

    __slots__ = ()
    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                raise IndexError(f"no column {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names = tuple(d.name for d in cursor.description or ())
    kind = type("Row", (Row,), {"__slots__": (), "_names": names})
    return lambda values: kind(values)


_MARK = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|(?<![:\w]):(\w+)|%")


def translate(sql: str) -> str:
    """SQLite's marks as psycopg's: ``?`` -> ``%s``, ``:name`` -> ``%(name)s``, ``%`` ->
    ``%%``; quoted text is left as it is."""

    def mark(found: re.Match[str]) -> str:
        text = found.group(0)
        if text.startswith(("'", '"')):
            return text.replace("%", "%%")
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        return f"%({found.group(1)})s"

    return _MARK.sub(mark, sql)


def _storable(params: Sequence[Any] | Mapping[str, Any]) -> None:
    """ValidationError for a value PostgreSQL cannot store (text holding NUL, which SQLite
    keeps), naming the column where the statement names it; nothing is sent."""
    named = params.items() if isinstance(params, Mapping) else enumerate(params or ())
    for key, value in named:
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(
                [
                    Problem(
                        "a NUL character (\\x00) cannot be stored on a PostgreSQL registry; remove it",
                        field=str(key) if isinstance(key, str) else "",
                        value=value,
                    )
                ]
            )


class _Cursor:
    def __init__(self, cursor: Any):
        self._cursor = cursor

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


class Connection:
    """A psycopg connection that takes SQLite's parameter marks (what Reader and Store send).
    A connection the server dropped (a restart, a network cut) is a RegistryError saying so."""

    def __init__(self, raw: Any, where: str = ""):
        self.raw = raw
        self.where = where

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> _Cursor:
        _storable(params)
        with self._kept():
            return _Cursor(self.raw.execute(translate(sql), params or None))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            _storable(row)
        with self._kept(), self.raw.cursor() as cursor:
            cursor.executemany(translate(sql), rows)

    @contextlib.contextmanager
    def _kept(self) -> Iterator[None]:
        import psycopg  # psycopg loads only for a registry on a server

        try:
            yield
        except psycopg.OperationalError as exc:
            lost = (
                self.raw.closed
                or isinstance(exc, psycopg.errors.AdminShutdown)
                or self.raw.info.status != psycopg.pq.ConnStatus.OK
            )
            if not lost:
                raise  # a lock timeout, a cancelled statement: the caller's to say
            raise _lost(self.where, exc) from None

    @property
    def in_transaction(self) -> bool:
        import psycopg  # psycopg loads only for a registry on a server

        return bool(self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)

    def close(self) -> None:
        self.raw.close()


def connect(url: str, timeout: float = 10.0) -> Connection:
    """A connection to the server, or RegistryError in one line (a wrong URL, password or
    database, a server that is down)."""
    try:
        import psycopg  # psycopg loads only for a registry on a server
    except ImportError:
        raise RegistryError(
            "a PostgreSQL registry needs psycopg: pip install 'regclean[postgresql]'"
        ) from None
    try:
        raw = psycopg.connect(
            url, autocommit=True, row_factory=_row_factory, connect_timeout=max(1, int(timeout))
        )
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise RegistryError(f"{shown(url)}: cannot connect to PostgreSQL: {reason}") from None
    return Connection(raw, shown(url))


def _append_only() -> str:
    return "RAISE EXCEPTION 'the event log is append-only'"


# The schema of a PostgreSQL registry: the SQLite schema of the latest migration, in
# PostgreSQL's words. Appended to as the SQLite migrations are; never edited once shipped.
SCHEMA: list[tuple[str, str]] = [
    (
        "pg_0001_schema",
        """
        CREATE TABLE instruments (
            id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            title         TEXT NOT NULL CHECK (title <> ''),
            title_core    TEXT NOT NULL,
            title_key     TEXT NOT NULL,
            doc_number    TEXT NOT NULL DEFAULT '',
            number_key    TEXT NOT NULL DEFAULT '',
            kind          TEXT NOT NULL,
            issuer        TEXT NOT NULL DEFAULT '',
            department    TEXT NOT NULL DEFAULT '',
            signed_on     TEXT,
            published_on  TEXT,
            effective_on  TEXT,
            expires_on    TEXT,
            jurisdiction  TEXT NOT NULL DEFAULT '',
            source_url    TEXT NOT NULL DEFAULT '',
            index_no      TEXT NOT NULL DEFAULT '',
            subject       TEXT NOT NULL DEFAULT '',
            full_text     TEXT NOT NULL DEFAULT '',
            validity      TEXT NOT NULL DEFAULT '',
            UNIQUE (number_key, title_key)
        );
        CREATE INDEX instruments_number ON instruments (number_key);
        CREATE INDEX instruments_title ON instruments (title_key);
        CREATE INDEX instruments_expires ON instruments (expires_on);
        CREATE INDEX instruments_effective ON instruments (effective_on);
        CREATE TABLE campaigns (
            id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            title      TEXT NOT NULL DEFAULT '',
            cutoff     TEXT,
            deadline   TEXT,
            scope      TEXT NOT NULL DEFAULT '{}',
            closed_at  TEXT
        );
        CREATE TABLE decisions (
            id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            instrument_id   BIGINT NOT NULL REFERENCES instruments (id),
            outcome         TEXT NOT NULL
                            CHECK (outcome IN ('keep', 'revise', 'repeal', 'invalidate',
                                               'invalidate_in_part', 'not_normative')),
            reasons         TEXT NOT NULL DEFAULT '[]',
            basis           TEXT NOT NULL DEFAULT '',
            replaced_by     BIGINT REFERENCES instruments (id),
            campaign        TEXT REFERENCES campaigns (name),
            department      TEXT NOT NULL DEFAULT '',
            handler         TEXT NOT NULL DEFAULT '',
            state           TEXT NOT NULL
                            CHECK (state IN ('proposed', 'approved', 'withdrawn', 'rejected')),
            proposed_by     TEXT NOT NULL DEFAULT '',
            proposed_at     TEXT NOT NULL,
            decided_by      TEXT NOT NULL DEFAULT '',
            decided_at      TEXT NOT NULL DEFAULT '',
            decision_doc    TEXT NOT NULL DEFAULT '',
            decision_title  TEXT NOT NULL DEFAULT '',
            effective_on    TEXT,
            published_on    TEXT,
            withdrawn_by    TEXT NOT NULL DEFAULT '',
            withdrawn_at    TEXT NOT NULL DEFAULT '',
            withdraw_reason TEXT NOT NULL DEFAULT '',
            amendment       TEXT NOT NULL DEFAULT '',
            articles        TEXT NOT NULL DEFAULT '',
            reviewed_by     TEXT NOT NULL DEFAULT '',
            reviewed_at     TEXT NOT NULL DEFAULT '',
            review_office   TEXT NOT NULL DEFAULT '',
            review_opinion  TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX decisions_instrument ON decisions (instrument_id);
        CREATE UNIQUE INDEX decisions_one_open ON decisions (instrument_id)
            WHERE state = 'proposed';
        CREATE INDEX decisions_campaign ON decisions (campaign);
        CREATE TABLE relations (
            id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            subject_id  BIGINT NOT NULL REFERENCES instruments (id),
            kind        TEXT NOT NULL,
            object_id   BIGINT NOT NULL REFERENCES instruments (id),
            UNIQUE (subject_id, kind, object_id),
            CHECK (subject_id <> object_id)
        );
        CREATE TABLE campaign_scope (
            campaign_id    BIGINT NOT NULL REFERENCES campaigns (id),
            instrument_id  BIGINT NOT NULL REFERENCES instruments (id),
            department     TEXT NOT NULL DEFAULT '',
            removed        INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
            PRIMARY KEY (campaign_id, instrument_id)
        );
        CREATE INDEX campaign_scope_instrument ON campaign_scope (instrument_id);
        CREATE TABLE events (
            seq            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            at             TEXT NOT NULL,
            actor          TEXT NOT NULL DEFAULT '',
            action         TEXT NOT NULL,
            instrument_id  BIGINT REFERENCES instruments (id),
            decision_id    BIGINT REFERENCES decisions (id),
            payload        TEXT NOT NULL DEFAULT '{}',
            hash           TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX events_instrument ON events (instrument_id);
        CREATE INDEX events_hash ON events (hash);
        CREATE FUNCTION regclean_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$;
        CREATE FUNCTION regclean_no_replace() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.seq <= (SELECT coalesce(max(seq), 0) FROM events) THEN
                    RAISE EXCEPTION 'the event log is append-only';
                END IF;
                RETURN NEW;
            END $$;
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            FOR EACH ROW EXECUTE FUNCTION regclean_append_only();
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION regclean_append_only();
        CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION regclean_append_only();
        CREATE TRIGGER events_no_replace BEFORE INSERT ON events
            FOR EACH ROW EXECUTE FUNCTION regclean_no_replace();
        """,
    ),
    (
        "pg_0002_accounts",
        """
        CREATE TABLE accounts (
            role        TEXT PRIMARY KEY,
            department  TEXT NOT NULL DEFAULT '',
            can         TEXT NOT NULL CHECK (can IN ('propose', 'office'))
        );
        -- who wrote each event, as the server knows it: never what a client says
        ALTER TABLE events ADD COLUMN role TEXT NOT NULL DEFAULT '';
        CREATE FUNCTION regclean_event_role() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.role := current_user; RETURN NEW; END $$;
        CREATE TRIGGER events_role BEFORE INSERT ON events
            FOR EACH ROW EXECUTE FUNCTION regclean_event_role();
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regclean_department') THEN
                CREATE ROLE regclean_department NOLOGIN;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regclean_office') THEN
                CREATE ROLE regclean_office NOLOGIN;
            END IF;
        END $$;
        CREATE FUNCTION regclean_department() RETURNS TEXT LANGUAGE sql STABLE AS $$
            SELECT department FROM accounts WHERE role = current_user $$;
        -- a department proposes and withdraws for its own instruments only; the legal affairs
        -- office (and the registry's owner) for any
        ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
        CREATE POLICY decisions_seen ON decisions FOR SELECT USING (true);
        CREATE POLICY decisions_office ON decisions FOR ALL TO regclean_office
            USING (true) WITH CHECK (true);
        CREATE POLICY decisions_proposed ON decisions FOR INSERT TO regclean_department
            WITH CHECK (state = 'proposed' AND EXISTS (SELECT 1 FROM instruments i
                WHERE i.id = instrument_id AND i.department = regclean_department()));
        CREATE POLICY decisions_withdrawn ON decisions FOR UPDATE TO regclean_department
            USING (state = 'proposed' AND EXISTS (SELECT 1 FROM instruments i
                WHERE i.id = instrument_id AND i.department = regclean_department()))
            WITH CHECK (state = 'withdrawn');
        """,
    ),
]
# What each kind of account may do, beyond reading everything.
SCHEMA.append(("pg_0003_search", pgsearch.SCHEMA))  # the tsvector search engine's index
SCHEMA.append(
    (
        # problems found in measures in a thematic cleanup (SQLite's 0013_concerns); the legal
        # affairs office records and decides them
        "pg_0004_concerns",
        tables.table("concerns", tables.POSTGRESQL)
        + """
        CREATE INDEX concerns_campaign ON concerns (campaign, instrument_id);
        GRANT SELECT ON concerns TO regclean_department, regclean_office;
        GRANT INSERT, UPDATE ON concerns TO regclean_office;
        GRANT USAGE ON SEQUENCE concerns_id_seq TO regclean_office;
        """,
    )
)

SCHEMA.append(
    (
        # items inside a document (SQLite's 0014_items)
        "pg_0005_items",
        tables.table("items", tables.POSTGRESQL)
        + """
        CREATE INDEX items_campaign ON items (campaign, instrument_id);
        GRANT SELECT ON items TO regclean_department, regclean_office;
        GRANT INSERT, UPDATE ON items TO regclean_office;
        GRANT USAGE ON SEQUENCE items_id_seq TO regclean_office;
        """,
    )
)

SCHEMA.append(
    (
        # the review record of a measure (SQLite's 0015_review_records)
        "pg_0006_review_records",
        tables.table("review_records", tables.POSTGRESQL)
        + """
        CREATE INDEX review_records_instrument ON review_records (campaign, instrument_id);
        GRANT SELECT ON review_records TO regclean_department, regclean_office;
        GRANT INSERT ON review_records TO regclean_office;
        GRANT USAGE ON SEQUENCE review_records_id_seq TO regclean_office;
        """,
    )
)

SCHEMA.append(
    (
        # registration numbers (SQLite's 0016_registration)
        "pg_0007_registration",
        """
        ALTER TABLE instruments ADD COLUMN registration_no TEXT NOT NULL DEFAULT '';
        ALTER TABLE instruments ADD COLUMN registration_key TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX instruments_registration ON instruments (registration_key)
            WHERE registration_key <> '';
        """,
    )
)

SCHEMA.append(
    (
        # filings (SQLite's 0017_filings)
        "pg_0008_filings",
        tables.table("filings", tables.POSTGRESQL)
        + """
        CREATE INDEX filings_instrument ON filings (instrument_id);
        GRANT SELECT ON filings TO regclean_department, regclean_office;
        GRANT INSERT, UPDATE ON filings TO regclean_office;
        GRANT USAGE ON SEQUENCE filings_id_seq TO regclean_office;
        """,
    )
)

SCHEMA.append(
    (
        # evaluations before expiry (SQLite's 0018_evaluations)
        "pg_0009_evaluations",
        tables.table("evaluations", tables.POSTGRESQL)
        + """
        CREATE INDEX evaluations_instrument ON evaluations (instrument_id);
        GRANT SELECT ON evaluations TO regclean_department, regclean_office;
        GRANT INSERT, UPDATE ON evaluations TO regclean_office;
        GRANT USAGE ON SEQUENCE evaluations_id_seq TO regclean_office;
        """,
    )
)

SCHEMA.append(
    (
        # comments on draft results (SQLite's 0019_comments)
        "pg_0010_comments",
        tables.table("comments", tables.POSTGRESQL)
        + """
        CREATE INDEX comments_campaign ON comments (campaign, instrument_id);
        GRANT SELECT ON comments TO regclean_department, regclean_office;
        GRANT INSERT, UPDATE ON comments TO regclean_office;
        GRANT USAGE ON SEQUENCE comments_id_seq TO regclean_office;
        """,
    )
)

# the number keys again (SQLite's 0020_order_keys), by the step after it (see migrate)
SCHEMA.append(("pg_0011_order_keys", "SELECT 1"))
# and again for numbers within a term (SQLite's 0021_term_keys)
SCHEMA.append(("pg_0012_term_keys", "SELECT 1"))
# and for the term inside the committee's name (SQLite's 0022_term_inside_keys)
SCHEMA.append(("pg_0013_term_inside_keys", "SELECT 1"))

GRANTS = {
    "propose": ("GRANT INSERT, UPDATE ON decisions TO {role}", "GRANT INSERT ON events TO {role}"),
    "office": (
        "GRANT INSERT, UPDATE ON instruments, decisions, relations, campaigns, campaign_scope, "
        "concerns, items, review_records, filings, evaluations, comments "
        "TO {role}",
        "GRANT INSERT ON events TO {role}",
    ),
}
# The triggers that keep the log append-only, as PostgreSQL prints them (verify checks them).
LOG_TRIGGERS = {
    "events_no_update": "CREATE TRIGGER events_no_update BEFORE UPDATE ON public.events FOR EACH "
    "ROW EXECUTE FUNCTION regclean_append_only()",
    "events_no_delete": "CREATE TRIGGER events_no_delete BEFORE DELETE ON public.events FOR EACH "
    "ROW EXECUTE FUNCTION regclean_append_only()",
    "events_no_truncate": "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON public.events FOR "
    "EACH STATEMENT EXECUTE FUNCTION regclean_append_only()",
    "events_no_replace": "CREATE TRIGGER events_no_replace BEFORE INSERT ON public.events FOR "
    "EACH ROW EXECUTE FUNCTION regclean_no_replace()",
}
_KEYS = {"events": "seq"}  # a table's generated key, where it is not ``id``
_NO_KEY = {"campaign_scope", "migrations"}


class PgReader(Reader):
    """The registry's reads on PostgreSQL: the same queries; the database's own checks in its
    own words."""

    search_engine = "tsvector"

    def integrity(self) -> str:
        return "ok"  # PostgreSQL checks pages and constraints as it writes them

    def foreign_key_problems(self) -> list[tuple[str, int, str]]:
        return []  # references are enforced by the server, never switched off

    def tables(self) -> set[str]:
        rows = self._all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {str(r[0]) for r in rows}

    def columns(self, table: str) -> list[str]:
        rows = self._all(
            "SELECT column_name FROM information_schema.columns WHERE table_schema "
            "= current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [str(r[0]) for r in rows]

    def known_triggers(self) -> set[str]:
        return {*LOG_TRIGGERS, "events_role"}

    def log_triggers(self) -> dict[str, str]:
        return dict(LOG_TRIGGERS)

    def triggers(self) -> dict[str, str]:
        rows = self._all(
            "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
        )
        return {str(r[0]): fold_sql(str(r[1])) for r in rows}

    def copy_to(self, target: Path, extra: dict[str, str] | None = None) -> None:
        raise RegistryError(
            "a PostgreSQL registry is copied row by row (regclean.backup.backup), not with "
            "SQLite's backup API"
        )


class PgStore(Store):
    """A registry's rows and log on a PostgreSQL server (see the module's notes). Its write API
    (``update``, ``insert_many``, ``upsert``, ``update_where``, ``log``) is the SQLite store's,
    over this connection."""

    def __init__(self, url: str, *, clock: Callable[[], str], busy_timeout: float = 10.0):
        self.url = url
        self.path = Path(shown(url))  # for messages only
        self.clock = clock
        self.read_only = False
        self.busy_timeout = busy_timeout
        self.conn = connect(url, busy_timeout)
        self._depth = 0
        self._head: str | None = None
        self.on_commit: list[Callable[[], None]] = []
        self.reads = PgReader(self.conn, clock)  # type: ignore[arg-type]
        self.fts = pgsearch.PgFtsStore(self.conn)  # type: ignore[assignment]
        self._file = None

    @property
    def has_fts5(self) -> bool:
        return False  # FTS5 is SQLite's: a PostgreSQL registry searches with tsvector

    @property
    def search_engine(self) -> str:
        """The engine that searches inside this store: ``tsvector``."""
        return "tsvector"

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self, *, derived: bool = False, wait: float | None = None) -> Iterator[Any]:
        """One write transaction; nested calls join the outer one. Writers queue on one lock
        (the chain head's) for up to ``wait`` seconds (else the busy timeout), then BusyError."""
        import psycopg  # psycopg loads only for a registry on a server

        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        patience = self.busy_timeout if wait is None else wait
        self.conn.execute("BEGIN")
        try:
            self.conn.execute(f"SET LOCAL lock_timeout = {max(1, int(patience * 1000))}")
            self.conn.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
        except psycopg.errors.LockNotAvailable:
            self.conn.execute("ROLLBACK")
            raise BusyError(
                f"{self.path}: the registry is busy (another writer holds it)"
            ) from None
        except BaseException:
            with contextlib.suppress(Exception):
                self.conn.raw.execute("ROLLBACK")
            raise
        self._depth = 1
        self._head = None
        try:
            yield self.conn
        except BaseException as exc:
            with contextlib.suppress(Exception):
                self.conn.raw.execute("ROLLBACK")
            raise _clear(self.path, exc) or exc from None
        else:
            try:
                self.conn.execute("COMMIT")
            except psycopg.Error as exc:
                raise _clear(self.path, exc) or exc from None
        finally:
            self._depth = 0
            self._head = None
        if not derived:
            for callback in self.on_commit:
                callback()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Any]:
        """Reads that all see one state of the registry (a repeatable-read transaction)."""
        if self._depth or self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            self.conn.execute("SELECT 1 FROM events LIMIT 1")
            yield self.conn
        finally:
            with contextlib.suppress(Exception):  # a connection lost meanwhile says so above
                self.conn.raw.execute("ROLLBACK")

    def migrate(self) -> list[str]:
        """Create the schema, or apply what is missing of it; return the steps applied."""
        import psycopg  # psycopg loads only for a registry on a server

        exists = self.conn.execute("SELECT to_regclass('migrations')").fetchone()[0]
        if exists is None:
            tables = self.conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                "current_schema()"
            ).fetchone()[0]
            if tables:
                raise RegistryError(
                    f"{self.path}: the database holds other tables and no "
                    "regclean registry; use an empty database"
                )
        if exists is not None:  # an account without rights to change the schema opens it too
            done = {r[0] for r in self.conn.execute("SELECT name FROM migrations").fetchall()}
            if all(name in done for name, _ in SCHEMA):
                return []
        applied = []
        with self.transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in self.conn.execute("SELECT name FROM migrations").fetchall()}
            for name, sql in SCHEMA:
                if name in done:
                    continue
                try:
                    self.conn.raw.execute(sql)
                except psycopg.Error as exc:
                    raise RegistryError(
                        f"{self.path}: step {name} of the schema cannot be "
                        f"applied: {' '.join(str(exc).split())}"
                    ) from None
                rekeyed = ("pg_0011_order_keys", "pg_0012_term_keys", "pg_0013_term_inside_keys")
                if name in rekeyed and "pg_0001_schema" in done:
                    self._recompute_keys()  # a registry made before: its keys again
                self.conn.execute(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, self.clock())
                )
                applied.append(name)
        return applied

    def _recompute_keys(self) -> None:
        """Every instrument's title key and number key as the code derives them now (derived
        data, no event); where a new key would make two instruments one, the later keeps its
        old key, as SQLite's step does."""
        rows = self.conn.execute(
            "SELECT id, title, doc_number, issuer, number_key, title_key FROM instruments "
            "ORDER BY id"
        ).fetchall()
        for instrument_id, title, raw, issuer, old_number, old_title in rows:
            number = DocNumber.try_parse(raw)
            new_number = number.qualified(issuer).key if number else old_number
            new_title = title_key(title)
            if (new_number, new_title) == (old_number, old_title):
                continue
            taken = self.conn.execute(
                "SELECT 1 FROM instruments WHERE number_key = ? AND title_key = ? AND id <> ?",
                (new_number, new_title, instrument_id),
            ).fetchone()
            if taken is None:
                self.conn.execute(
                    "UPDATE instruments SET number_key = ?, title_key = ? WHERE id = ?",
                    (new_number, new_title, instrument_id),
                )

    def add_account(self, role: str, department: str, can: str, password: str) -> None:
        """Create a login role for an office (inside a transaction): it reads everything and
        writes what ``can`` allows (``propose``: a department's proposals and withdrawals, for
        its own instruments only; ``office``: the legal affairs office's review and approval);
        the server enforces both."""
        from psycopg import sql  # psycopg loads only for a registry on a server

        self._require_transaction()
        if not re.fullmatch(r"[\w\u3400-\u9fff.-]{1,60}", role):
            raise RegistryError(f"{role!r}: an account's name is letters, digits, . - _ only")
        name = sql.Identifier(role).as_string(self.conn.raw)
        exists = self.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (role,)).fetchone()
        if exists:
            raise RegistryError(f"{self.path}: the account {role} already exists")
        secret = sql.Literal(password).as_string(self.conn.raw)
        self.conn.raw.execute(f"CREATE ROLE {name} LOGIN PASSWORD {secret}")
        group = "regclean_department" if can == "propose" else "regclean_office"
        self.conn.raw.execute(f"GRANT {group} TO {name}")
        database = sql.Identifier(self.conn.execute("SELECT current_database()").fetchone()[0])
        self.conn.raw.execute(
            f"GRANT CONNECT ON DATABASE {database.as_string(self.conn.raw)} TO {name}"
        )
        self.conn.raw.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
        self.conn.raw.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")
        for grant in GRANTS[can]:
            self.conn.raw.execute(grant.format(role=name))
        self.conn.execute(
            "INSERT INTO accounts (role, department, can) VALUES (?, ?, ?)", (role, department, can)
        )

    def applied_migrations(self) -> list[str]:
        rows = self.conn.execute("SELECT name FROM migrations ORDER BY name").fetchall()
        return [str(r[0]) for r in rows]

    def after_copy(self) -> None:
        """After rows were copied in with their ids: each generated key goes on from the
        largest copied."""
        for table, key in (
            ("instruments", "id"),
            ("campaigns", "id"),
            ("decisions", "id"),
            ("relations", "id"),
            ("concerns", "id"),
            ("items", "id"),
            ("review_records", "id"),
            ("filings", "id"),
            ("evaluations", "id"),
            ("comments", "id"),
            ("events", "seq"),
        ):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), "
                f"coalesce((SELECT max({key}) FROM {table}), 0) + 1, false)"
            )

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        """Insert one row (inside a transaction) and return its generated key."""
        self._require_transaction()
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        if table in _NO_KEY:
            self.conn.execute(sql, values)
            return 0
        if table == "events":  # numbered here, under the writers' lock: a sequence would skip
            # the numbers of rolled-back transactions, and a gap in the log reads as a deletion
            values = {
                "seq": self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM events").fetchone()[
                    0
                ],
                **values,
            }
            columns = ", ".join(values)
            marks = ", ".join(f":{name}" for name in values)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        row = self.conn.execute(f"{sql} RETURNING {_KEYS.get(table, 'id')}", values).fetchone()
        return int(row[0])


def _lost(where: object, exc: BaseException) -> RegistryError:
    """The one message for a connection the server dropped (a restart, a network cut)."""
    return RegistryError(
        f"{where}: the connection to the server was lost (a restart, a network "
        "cut); what the server did not commit was not written "
        f"({' '.join(str(exc).split())})"
    )


def _clear(where: Path, exc: BaseException) -> RegistryError | None:
    """A clear error for a connection lost mid-command, or a right the account lacks; None for
    any other."""
    try:
        import psycopg  # psycopg loads only for a registry on a server
    except ImportError:  # pragma: no cover
        return None
    text = " ".join(str(exc).split())
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        if "row-level security" in text:
            return RegistryError(
                f"{where}: the server refused it: this account may propose and "
                "withdraw only for its own department's instruments "
                f"(row-level security: {text})"
            )
        return RegistryError(
            f"{where}: the server refused it: this account lacks the right "
            f"({text}); the legal affairs office grants rights with "
            "`regclean accounts add`"
        )
    if isinstance(exc, psycopg.OperationalError):
        state = getattr(exc, "sqlstate", None) or ""
        if not state or state.startswith("08") or state in ("57P01", "57P02", "57P03"):
            return _lost(where, exc)  # no answer, or the server shutting down: the link is gone
        return RegistryError(f"{where}: the server refused it ({text}); nothing was written")
    return None
