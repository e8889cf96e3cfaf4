"""Named schema migrations, applied in order, each in its own transaction, recorded when applied.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

import contextlib
import sqlite3

from ..docnumber import DocNumber
from ..text import title_key
from . import chain, tables

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_core",
        """
        CREATE TABLE instruments (
            id            INTEGER PRIMARY KEY,
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

        CREATE TABLE campaigns (
            id        INTEGER PRIMARY KEY,
            name      TEXT NOT NULL UNIQUE,
            title     TEXT NOT NULL DEFAULT '',
            cutoff    TEXT,
            deadline  TEXT,
            scope     TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE decisions (
            id              INTEGER PRIMARY KEY,
            instrument_id   INTEGER NOT NULL REFERENCES instruments (id),
            outcome         TEXT NOT NULL
                            CHECK (outcome IN ('keep', 'revise', 'repeal', 'invalidate')),
            reasons         TEXT NOT NULL DEFAULT '[]',
            basis           TEXT NOT NULL DEFAULT '',
            replaced_by     INTEGER REFERENCES instruments (id),
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
            withdraw_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX decisions_instrument ON decisions (instrument_id);
        -- at most one open (proposed) decision per instrument
        CREATE UNIQUE INDEX decisions_one_open ON decisions (instrument_id)
            WHERE state = 'proposed';

        CREATE TABLE relations (
            id          INTEGER PRIMARY KEY,
            subject_id  INTEGER NOT NULL REFERENCES instruments (id),
            kind        TEXT NOT NULL,
            object_id   INTEGER NOT NULL REFERENCES instruments (id),
            UNIQUE (subject_id, kind, object_id),
            CHECK (subject_id <> object_id)
        );

        CREATE TABLE events (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            at             TEXT NOT NULL,
            actor          TEXT NOT NULL DEFAULT '',
            action         TEXT NOT NULL,
            instrument_id  INTEGER REFERENCES instruments (id),
            decision_id    INTEGER REFERENCES decisions (id),
            payload        TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX events_instrument ON events (instrument_id);
        -- the log is append-only: history is never rewritten
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        """,
    ),
    (
        "0002_date_and_campaign_indexes",
        """
        CREATE INDEX instruments_expires ON instruments (expires_on);
        CREATE INDEX instruments_effective ON instruments (effective_on);
        CREATE INDEX decisions_campaign ON decisions (campaign);
        """,
    ),
    (
        "0003_campaign_scope",
        """
        ALTER TABLE campaigns ADD COLUMN closed_at TEXT;
        CREATE TABLE campaign_scope (
            campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
            instrument_id  INTEGER NOT NULL REFERENCES instruments (id),
            department     TEXT NOT NULL DEFAULT '',
            removed        INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
            PRIMARY KEY (campaign_id, instrument_id)
        );
        CREATE INDEX campaign_scope_instrument ON campaign_scope (instrument_id);
        """,
    ),
    (
        "0004_event_hash_chain",
        """
        DROP TRIGGER events_no_update;
        ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
        """,
    ),
    (
        "0005_decision_amendment",
        """
        ALTER TABLE decisions ADD COLUMN amendment TEXT NOT NULL DEFAULT '';
        """,
    ),
    # Derived keys recomputed by the step below: the canonical form of some numbers changed
    # (orders with a bracketed year, year-first numbers with a stray 第), and traditional
    # characters are now simplified by OpenCC's table instead of a hand-made one.
    ("0006_derived_keys", ""),
    # Two new outcomes (宣布部分条款失效, 不属于规范性文件) and the articles a partial
    # invalidation names. SQLite cannot change a CHECK constraint in place: the table is made
    # anew and copied (foreign keys off for this migration, checked after it).
    (
        "0007_more_outcomes",
        """
        CREATE TABLE decisions_new (
            id              INTEGER PRIMARY KEY,
            instrument_id   INTEGER NOT NULL REFERENCES instruments (id),
            outcome         TEXT NOT NULL
                            CHECK (outcome IN ('keep', 'revise', 'repeal', 'invalidate',
                                               'invalidate_in_part', 'not_normative')),
            reasons         TEXT NOT NULL DEFAULT '[]',
            basis           TEXT NOT NULL DEFAULT '',
            replaced_by     INTEGER REFERENCES instruments (id),
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
            articles        TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO decisions_new (id, instrument_id, outcome, reasons, basis, replaced_by,
            campaign, department, handler, state, proposed_by, proposed_at, decided_by,
            decided_at, decision_doc, decision_title, effective_on, published_on, withdrawn_by,
            withdrawn_at, withdraw_reason, amendment)
        SELECT id, instrument_id, outcome, reasons, basis, replaced_by, campaign, department,
            handler, state, proposed_by, proposed_at, decided_by, decided_at, decision_doc,
            decision_title, effective_on, published_on, withdrawn_by, withdrawn_at,
            withdraw_reason, amendment FROM decisions;
        DROP TABLE decisions;
        ALTER TABLE decisions_new RENAME TO decisions;
        CREATE INDEX decisions_instrument ON decisions (instrument_id);
        CREATE UNIQUE INDEX decisions_one_open ON decisions (instrument_id)
            WHERE state = 'proposed';
        CREATE INDEX decisions_campaign ON decisions (campaign);
        """,
    ),
]
MIGRATIONS.append(
    (
        # INSERT OR REPLACE deletes the row it replaces without firing a delete trigger (recursive
        # triggers are off by default, per connection): an event may only be added at the end.
        "0008_events_no_replace",
        """
    CREATE TRIGGER events_no_replace BEFORE INSERT ON events
        WHEN NEW.seq >= 1 AND NEW.seq <= (SELECT coalesce(max(seq), 0) FROM events)
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
    )
)

MIGRATIONS.append(
    (
        # the review step between proposal and approval (合法性审核): who, which office, when
        "0009_review",
        """
    ALTER TABLE decisions ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE decisions ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE decisions ADD COLUMN review_office TEXT NOT NULL DEFAULT '';
    ALTER TABLE decisions ADD COLUMN review_opinion TEXT NOT NULL DEFAULT '';
    """,
    )
)

MIGRATIONS.append(
    (
        # the FTS5 search engine's index, inside the database (see store/fts.py): derived data,
        # filled by the engine when a registry uses it; the FTS5 tables themselves are made by
        # a step (make_fts_tables) that leaves them out where SQLite was built without FTS5
        "0010_search_fts",
        """
    CREATE TABLE search_docs (
        docid INTEGER PRIMARY KEY AUTOINCREMENT,
        instrument_id INTEGER NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT '',
        year INTEGER,
        date TEXT NOT NULL DEFAULT '',
        campaigns TEXT NOT NULL DEFAULT '',
        number TEXT NOT NULL DEFAULT '',
        title_len INTEGER NOT NULL DEFAULT 0,
        body_len INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX search_docs_number ON search_docs (number);
    CREATE INDEX search_docs_date ON search_docs (date, instrument_id);
    CREATE INDEX search_docs_title_len ON search_docs (title_len, instrument_id);
    CREATE INDEX search_docs_body_len ON search_docs (body_len, instrument_id);
    CREATE TABLE search_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        day TEXT NOT NULL,
        orphans INTEGER NOT NULL DEFAULT 0);
    """,
    )
)

MIGRATIONS.append(
    (
        # the FTS5 index with the ascii tokenizer (see FTS_TABLES): emptied here, its tables made
        # anew by remake_fts_tables, and rebuilt by the engine
        "0011_search_tokens",
        """
    DELETE FROM search_docs;
    DELETE FROM search_state;
    """,
    )
)

MIGRATIONS.append(
    (
        # FTS5 row numbers in the order of the titles' length (see store/fts.py), counted here;
        # the index is emptied and remade, and rebuilt by the engine
        "0012_search_order",
        """
    CREATE TABLE search_counter (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next INTEGER NOT NULL);
    DELETE FROM search_docs;
    DELETE FROM search_state;
    """,
    )
)

MIGRATIONS.append(
    (
        # problems found in measures in a thematic cleanup, by class (see regclean.concerns)
        "0013_concerns",
        tables.table("concerns", tables.SQLITE)
        + """
    CREATE INDEX concerns_campaign ON concerns (campaign, instrument_id);
    """,
    )
)

MIGRATIONS.append(
    (
        # items inside a document a thematic cleanup decides one by one (see regclean.items)
        "0014_items",
        tables.table("items", tables.SQLITE)
        + """
    CREATE INDEX items_campaign ON items (campaign, instrument_id);
    """,
    )
)

MIGRATIONS.append(
    (
        # the review record of a measure in a fair-competition campaign (审查记录, the 审查表)
        "0015_review_records",
        tables.table("review_records", tables.SQLITE)
        + """
    CREATE INDEX review_records_instrument ON review_records (campaign, instrument_id);
    """,
    )
)

MIGRATIONS.append(
    (
        # registration numbers (统一登记号), kept unique by their key (every dash one "-")
        "0016_registration",
        """
    ALTER TABLE instruments ADD COLUMN registration_no TEXT NOT NULL DEFAULT '';
    ALTER TABLE instruments ADD COLUMN registration_key TEXT NOT NULL DEFAULT '';
    CREATE UNIQUE INDEX instruments_registration ON instruments (registration_key)
        WHERE registration_key <> '';
    """,
    )
)

MIGRATIONS.append(
    (
        # filing with the office above (备案) and its answers (see regclean.filings)
        "0017_filings",
        tables.table("filings", tables.SQLITE)
        + """
    CREATE INDEX filings_instrument ON filings (instrument_id);
    """,
    )
)

MIGRATIONS.append(
    (
        # the evaluation of a document before its validity ends (see regclean.evaluations)
        "0018_evaluations",
        tables.table("evaluations", tables.SQLITE)
        + """
    CREATE INDEX evaluations_instrument ON evaluations (instrument_id);
    """,
    )
)

MIGRATIONS.append(
    (
        # comments on draft results out for comment (see regclean.comments)
        "0019_comments",
        tables.table("comments", tables.SQLITE)
        + """
    CREATE INDEX comments_campaign ON comments (campaign, instrument_id);
    """,
    )
)

# the number keys again, now that 中华人民共和国X部令 is X部令 and a joint order may be written
# 甲局、乙署第4号令 (see recompute_keys): derived data, no event
MIGRATIONS.append(("0020_order_keys", ""))
# and again now that a standing committee's 公告 numbered within a term parses
# (…常务委员会公告（十四届）第40号, 主席令（九届）第37号)
MIGRATIONS.append(("0021_term_keys", ""))
# and again now that the term may stand inside the committee's name (甲市第十三届人民代表大会常务
# 委员会公告第6号 == 甲市人民代表大会常务委员会公告（十三届）第6号)
MIGRATIONS.append(("0022_term_inside_keys", ""))

# The triggers that keep the log append-only, as created (verify compares their definitions).
LOG_TRIGGERS = {
    "events_no_update": "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
    "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
    "events_no_delete": "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
    "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
    "events_no_replace": "CREATE TRIGGER events_no_replace BEFORE INSERT ON events "
    "WHEN NEW.seq >= 1 AND NEW.seq <= (SELECT coalesce(max(seq), 0) FROM events) "
    "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
}

# Migrations that rebuild a table others refer to run with foreign keys off (SQLite's own
# procedure for schema changes), and are checked with foreign_key_check before they commit.
FOREIGN_KEYS_OFF = frozenset({"0007_more_outcomes"})


def recompute_keys(conn: sqlite3.Connection) -> None:
    """Migration step: every instrument's title key, and the key of every parseable number
    qualified by the recorded issuer as when it was stored (derived data: no event is logged).
    Where a new key would make two instruments one, the later keeps its old key (both stay)."""
    rows = conn.execute(
        "SELECT id, title, doc_number, issuer, number_key, title_key FROM instruments ORDER BY id"
    ).fetchall()
    for instrument_id, title, raw, issuer, old_number, old_title in rows:
        number = DocNumber.try_parse(raw)
        new_number = number.qualified(issuer).key if number else old_number
        new_title = title_key(title)
        if (new_number, new_title) == (old_number, old_title):
            continue
        with contextlib.suppress(sqlite3.IntegrityError):
            conn.execute(
                "UPDATE instruments SET number_key = ?, title_key = ? WHERE id = ?",
                (new_number, new_title, instrument_id),
            )


# The indexed text is already split into tokens separated by spaces (see
# regclean.search.index_text), so FTS5's plain ascii tokenizer (every non-ASCII character is part
# of a token) reads it as unicode61 would, at half the cost; '.' stays inside words (pm2.5).
FTS_TABLES = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, title_core, number_text, issuer, "
    "department, reasons, body, content='', detail=column, tokenize=\"ascii tokenchars '.'\")",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
)
FTS_HASHSIZE = 64 * 1024 * 1024  # bytes of terms FTS5 gathers in memory before it writes them


def has_fts5(conn: sqlite3.Connection) -> bool:
    """True when this SQLite was built with FTS5 (Python's own nearly always is)."""
    return bool(conn.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0])


def make_fts_tables(conn: sqlite3.Connection) -> None:
    """Migration step: the FTS5 engine's tables, where SQLite has FTS5 (else the registry works
    with the whoosh engine, and choosing FTS5 is a clear error)."""
    if has_fts5(conn):
        for statement in FTS_TABLES:
            conn.execute(statement)
        with contextlib.suppress(sqlite3.OperationalError):  # an SQLite without the option
            conn.execute(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', ?)", (FTS_HASHSIZE,)
            )


def remake_fts_tables(conn: sqlite3.Connection) -> None:
    """Migration step: the FTS5 tables made anew in their current form (the index is derived
    data: the engine rebuilds it when it next searches or writes)."""
    conn.execute("DROP TABLE IF EXISTS search_vocab")
    conn.execute("DROP TABLE IF EXISTS search_fts")
    make_fts_tables(conn)


POST_STEPS = {"0004_event_hash_chain": chain.backfill, "0006_derived_keys": recompute_keys,
              "0020_order_keys": recompute_keys, "0021_term_keys": recompute_keys,
              "0022_term_inside_keys": recompute_keys,
              "0010_search_fts": make_fts_tables,
              "0011_search_tokens": remake_fts_tables,
              "0012_search_order": remake_fts_tables}  # fmt: skip
