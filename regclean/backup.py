"""Backup and restore: a registry's database as one SQLite file, settings included."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RegistryError

if TYPE_CHECKING:
    from .registry import Registry

BACKUP_TABLE = "regclean_backup"


def backup(registry: Registry, target: Path) -> Path:
    """Copy the database with SQLite's online backup API, then store the settings in the copy."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        copy = sqlite3.connect(temp)
        with copy:
            registry.store.conn.backup(copy)
        settings = (registry.path / "regclean.toml").read_text(encoding="utf-8") if (
            registry.path / "regclean.toml").exists() else ""  # fmt: skip
        with copy:
            copy.execute(
                f"CREATE TABLE {BACKUP_TABLE} (settings TEXT NOT NULL, head TEXT NOT NULL)"
            )
            copy.execute(
                f"INSERT INTO {BACKUP_TABLE} VALUES (?, ?)", (settings, registry.head_hash())
            )
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.close()
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def restore(source: Path, folder: Path, *, replace: bool = False) -> Path:
    """Make ``folder`` a registry holding the backup ``source`` (its index is rebuilt on open).

    An existing registry there is replaced only with ``replace``; it is kept as
    ``registry.sqlite.before-restore`` until the restore has succeeded.
    """
    source, folder = Path(source), Path(folder)
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        settings, _head = conn.execute(f"SELECT settings, head FROM {BACKUP_TABLE}").fetchone()
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
    except sqlite3.Error as exc:
        raise RegistryError(f"{source}: not a regclean backup ({exc})") from None
    if check != "ok":
        raise RegistryError(f"{source}: the backup is damaged ({check})")
    database = folder / "registry.sqlite"
    if database.exists() and not replace:
        raise RegistryError(
            f"{folder}: a registry is already there; restore with --replace to overwrite it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".restore.", dir=folder)
    os.close(handle)
    shutil.copyfile(source, temp)
    copy = sqlite3.connect(temp)
    with copy:
        copy.execute(f"DROP TABLE {BACKUP_TABLE}")
    copy.close()
    kept = folder / "registry.sqlite.before-restore"
    if database.exists():
        os.replace(database, kept)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    os.replace(temp, database)
    if settings:
        (folder / "regclean.toml").write_text(settings, encoding="utf-8")
    shutil.rmtree(folder / "index", ignore_errors=True)
    kept.unlink(missing_ok=True)
    return database
