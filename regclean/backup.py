"""Backup and restore: a registry's database as one SQLite file, settings included."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from pathlib import Path

from .config import SETTINGS_NAME
from .errors import RegistryError
from .store import DB_NAME, Reader, Store
from .store.files import BACKUP_TABLE, drop_table, read_backup
from .verify import verify


def backup(reads: Reader, home: Path, target: Path) -> Path:
    """Copy the database of the registry in folder ``home`` with SQLite's online backup API,
    then store the settings in the copy. The copy is made in a temporary file beside the target,
    locked while it is written; one that a killed backup left is removed by the next."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    fcntl.flock(handle, fcntl.LOCK_EX)  # released when this process ends, however it ends
    try:
        settings_file = home / SETTINGS_NAME
        settings = settings_file.read_text(encoding="utf-8") if settings_file.exists() else ""
        extra = {"table": BACKUP_TABLE, "settings": settings, "head": reads.head_hash()}
        reads.copy_to(Path(temp), extra)
        os.replace(temp, target)
    except BaseException:
        for leftover in (temp, *(f"{temp}{s}" for s in _SIDE_FILES)):
            Path(leftover).unlink(missing_ok=True)
        raise
    finally:
        os.close(handle)
    return target


_SIDE_FILES = ("-journal", "-wal", "-shm")  # SQLite's, beside a database being written


def _remove_leftovers(target: Path) -> None:
    """Remove the temporary files of killed backups to ``target`` (named by ``backup``, and no
    longer locked by a live one)."""
    own = re.compile(re.escape(f".{target.name}.") + r"[A-Za-z0-9_]{8}")
    for path in target.parent.glob(f".{target.name}.*"):
        base = path.name.removesuffix("-journal").removesuffix("-wal").removesuffix("-shm")
        if path.name != base and own.fullmatch(base) and not path.is_symlink():
            if not (path.parent / base).exists():  # SQLite's side file of a removed copy
                path.unlink(missing_ok=True)
            continue
        if not own.fullmatch(path.name) or path.is_symlink() or not path.is_file():
            continue
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a backup to the same file is being written right now
        else:
            for leftover in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
                leftover.unlink(missing_ok=True)
        finally:
            os.close(descriptor)


def restore(source: Path, folder: Path, *, replace: bool = False, by: str = "") -> Path:
    """Make ``folder`` a registry holding the backup ``source``; its index is rebuilt on open.

    Nothing is lost whatever happens. The backup is first restored into a staging copy beside
    the registry and verified there (its chain, its stored state, and the head it was made at);
    a backup that fails leaves the registry exactly as it was. An existing registry is replaced
    only with ``replace``, while this holds its write lock (a writer meanwhile waits, or the
    restore is refused as busy). Each restore keeps what it replaced under a number of its own:
    ``registry.sqlite.before-restore-N`` and ``regclean.toml.before-restore-N``. A handle that
    opened the registry before (a service, another process) finds it replaced at its next
    transaction or snapshot and is refused (:class:`~regclean.errors.ReplacedError`) instead of
    writing into the replaced file. The backup's settings are checked before anything changes.
    The restore is recorded in the log of the result.
    """
    source, folder = Path(source), Path(folder)
    (settings, head), check = read_backup(source, BACKUP_TABLE)
    if check != "ok":
        raise RegistryError(f"{source}: the backup is damaged ({check})")
    if settings:
        _check_settings(source, settings)
    database = folder / DB_NAME
    if database.exists() and not replace:
        raise RegistryError(
            f"{folder}: a registry is already there; restore with --replace to overwrite it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore.", dir=folder))
    try:
        copy = staging / DB_NAME
        shutil.copyfile(source, copy)
        drop_table(copy, BACKUP_TABLE)
        _check_restored(source, copy, head)
        live = Store(database) if database.exists() else None
        try:
            if live is not None:
                live.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            with live.transaction() if live is not None else contextlib.nullcontext():
                before = live.reads.head_hash() if live is not None else ""
                if live is not None:
                    number = _next_safety_number(folder)
                    shutil.copyfile(database, folder / f"{DB_NAME}.before-restore-{number}")
                    if (folder / SETTINGS_NAME).exists():
                        shutil.copyfile(folder / SETTINGS_NAME,
                                        folder / f"{SETTINGS_NAME}.before-restore-{number}")  # fmt: skip
                os.replace(copy, database)
        finally:
            if live is not None:
                live.close()
        for suffix in ("-wal", "-shm"):  # the replaced database's, now stale
            Path(str(database) + suffix).unlink(missing_ok=True)
        if settings:
            (folder / SETTINGS_NAME).write_text(settings, encoding="utf-8")
        for leftover in folder.glob("index*"):  # the index and a killed rebuild's folders
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
        restored = Store(database)
        try:
            with restored.transaction():
                restored.log("restore", actor=by, payload={
                    "backup": source.name, "head": head, "replaced_head": before})  # fmt: skip
        finally:
            restored.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return database


def _next_safety_number(folder: Path) -> int:
    """The number of this restore's safety copies: one more than any earlier restore's."""
    taken = [int(m.group(1)) for p in folder.glob("*.before-restore-*")
             if (m := re.fullmatch(r".*\.before-restore-(\d{1,9})", p.name))]  # fmt: skip
    return max(taken, default=0) + 1


def _check_settings(source: Path, settings: str) -> None:
    """The settings stored in a backup are valid settings (else nothing is restored)."""
    from .config import Settings

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / SETTINGS_NAME
        path.write_text(settings, encoding="utf-8")
        try:
            Settings.load(path)
        except RegistryError as exc:
            said = str(exc).removeprefix(f"{path}: ")
            raise RegistryError(f"{source}: the settings stored in the backup are not valid "
                                f"({said}); nothing was restored") from None  # fmt: skip


def _check_restored(source: Path, copy: Path, head: str) -> None:
    """The restored copy verifies, and its head is the one the backup was made at."""
    store = Store(copy)
    try:
        store.migrate()
        report = verify(store.reads)
        problems = list(report.problems)
        if head and report.head != head and store.reads.has_event(head) is None:
            problems.append(f"its log does not reach the head it was made at ({head[:16]}…)")
    finally:
        store.close()
    if problems:
        listed = "; ".join(problems[:5])
        raise RegistryError(f"{source}: the backup does not verify, nothing was restored: {listed}")
