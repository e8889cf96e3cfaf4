"""Database files that are not the open registry: backups, read and prepared for a restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import RegistryError

BACKUP_TABLE = "regclean_backup"  # inside a backup: the settings and the head it was made at


def read_backup(source: Path, table: str) -> tuple[tuple[str, ...], str]:
    """The one row of ``table`` in a backup file, and SQLite's integrity check of the file
    ("ok" or what is wrong). RegistryError when it is not a regclean backup."""
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            row = conn.execute(f"SELECT * FROM {table}").fetchone()
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise RegistryError(f"{source}: not a regclean backup ({exc})") from None
    if row is None:
        raise RegistryError(f"{source}: not a regclean backup (its {table} table is empty)")
    return tuple(row), str(check)


def drop_table(path: Path, table: str) -> None:
    """Remove a table from a database file that is not open elsewhere."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(f"DROP TABLE {table}")
    finally:
        conn.close()


def add_table(path: Path, table: str, values: dict[str, str]) -> None:
    """Add a one-row table of text columns to a database file that is not open elsewhere, and
    leave the file on its own (no journal beside it)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                f"CREATE TABLE {table} ({', '.join(f'{k} TEXT NOT NULL' for k in values)})"
            )
            conn.execute(
                f"INSERT INTO {table} VALUES ({','.join('?' * len(values))})",
                tuple(values.values()),
            )
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
