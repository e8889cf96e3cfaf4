"""Moving a registry's rows and whole log from one store to another (SQLite file to PostgreSQL
server and back), every id and sequence number kept, so the hash chain is the same chain and
``verify`` passes on the copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import RegistryError
from . import Store

# In an order that satisfies every reference: campaigns before the decisions naming them,
# decisions before the events naming them.
TABLES = (
    ("instruments", "id"),
    ("campaigns", "id"),
    ("decisions", "id"),
    ("relations", "id"),
    ("campaign_scope", "campaign_id, instrument_id"),
    ("concerns", "id"),
    ("items", "id"),
    ("review_records", "id"),
    ("filings", "id"),
    ("evaluations", "id"),
    ("comments", "id"),
    ("events", "seq"),
)
_BATCH = 1000


def copy_rows(
    source: Store, target: Store, check: Callable[[], None] = lambda: None
) -> dict[str, int]:
    """Copy every row of the registry's tables from ``source`` into the empty ``target`` (its
    schema made), inside one transaction of the target, reading one snapshot of the source;
    the number of rows of each table. ``check`` runs inside that transaction before it commits
    (an error undoes the copy). RegistryError when the target already holds rows."""
    counts: dict[str, int] = {}
    with source.snapshot(), target.transaction(derived=True):
        for table, _ in TABLES:
            if target.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
                raise RegistryError(
                    f"{target.path}: the target already holds {table}; a registry "
                    "moves only into an empty store"
                )
        for table, order in TABLES:
            cursor = source.conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
            rows = cursor.fetchall()
            counts[table] = len(rows)
            if not rows:
                continue
            wanted = set(target.reads.columns(table))  # a column one store alone has stays
            columns = [c for c in rows[0].keys() if c in wanted]  # noqa: SIM118 (a row, not a dict)
            rows = [tuple(row[c] for c in columns) for row in rows]
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for start in range(0, len(rows), _BATCH):
                batch: list[Any] = rows[start : start + _BATCH]
                target.conn.executemany(sql, batch)
        target.after_copy()
        check()
    return counts
