"""Backup and restore: a registry's database as one SQLite file, settings included."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .config import SETTINGS_NAME
from .errors import RegistryError
from .store import DB_NAME, Reader
from .store.files import drop_table, read_backup

BACKUP_TABLE = "regclean_backup"


def backup(reads: Reader, home: Path, target: Path) -> Path:
    """Copy the database of the registry in folder ``home`` with SQLite's online backup API,
    then store the settings in the copy."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        settings_file = home / SETTINGS_NAME
        settings = settings_file.read_text(encoding="utf-8") if settings_file.exists() else ""
        extra = {"table": BACKUP_TABLE, "settings": settings, "head": reads.head_hash()}
        reads.copy_to(Path(temp), extra)
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
    (settings, _head), check = read_backup(source, BACKUP_TABLE)
    if check != "ok":
        raise RegistryError(f"{source}: the backup is damaged ({check})")
    database = folder / DB_NAME
    if database.exists() and not replace:
        raise RegistryError(
            f"{folder}: a registry is already there; restore with --replace to overwrite it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".restore.", dir=folder)
    os.close(handle)
    shutil.copyfile(source, temp)
    drop_table(Path(temp), BACKUP_TABLE)
    kept = folder / f"{DB_NAME}.before-restore"
    if database.exists():
        os.replace(database, kept)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    os.replace(temp, database)
    if settings:
        (folder / SETTINGS_NAME).write_text(settings, encoding="utf-8")
    shutil.rmtree(folder / "index", ignore_errors=True)
    kept.unlink(missing_ok=True)
    return database
