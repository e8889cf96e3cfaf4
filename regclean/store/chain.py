"""The hash chain of the event log: each event's hash covers its content and the previous hash.

Changing, removing or reordering any stored event changes every hash after it, so
``regclean verify`` finds the first broken link. The head hash names the state a published site
was made from.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

GENESIS = "0" * 64


def event_hash(
    prev: str, at: str, actor: str, action: str, instrument_id: Any, decision_id: Any, payload: str
) -> str:
    """SHA-256 over the previous hash and the event's fields, as canonical JSON."""
    content = json.dumps(
        [prev, at, actor, action, instrument_id, decision_id, payload],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def head(conn: sqlite3.Connection) -> str:
    """The hash of the newest event (the genesis value for an empty log)."""
    row = conn.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] else GENESIS


def backfill(conn: sqlite3.Connection) -> None:
    """Migration step: hash the events logged before the chain existed, then lock the log."""
    prev = GENESIS
    rows = conn.execute(
        "SELECT seq, at, actor, action, instrument_id, decision_id, payload FROM events ORDER BY seq"
    ).fetchall()
    for seq, at, actor, action, instrument_id, decision_id, payload in rows:
        prev = event_hash(prev, at, actor, action, instrument_id, decision_id, payload)
        conn.execute("UPDATE events SET hash = ? WHERE seq = ?", (prev, seq))
    conn.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
