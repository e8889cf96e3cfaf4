"""Backup and restore: a registry's database as one SQLite file, settings included.

A registry on a PostgreSQL server is backed up into the same kind of file (its rows and whole
log copied into a SQLite database inside one snapshot), and a backup is restored onto a server
into a new, empty database (``database=``): the server's log is append-only, so a registry is
never restored over the database that holds it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import attrs

from .config import IN_DATABASE, SETTINGS_NAME, Settings
from .errors import RegistryError
from .store import DB_NAME, Store, utc_now
from .store.files import BACKUP_TABLE, add_table, drop_table, read_backup
from .store.moving import copy_rows
from .store.pg import PgStore, is_url, shown, without_password
from .verify import verify


def backup(store: Store, home: Path, target: Path) -> Path:
    """Copy the database of the registry in folder ``home`` with SQLite's online backup API (a
    server's rows and log: into a SQLite file, from one snapshot), then store the settings in
    the copy (a server's: as the settings of that file). The copy is made in a temporary file
    beside the target, locked while it is written; one that a killed backup left is removed by
    the next."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    fcntl.flock(handle, fcntl.LOCK_EX)  # released when this process ends, however it ends
    try:
        settings_file = home / SETTINGS_NAME
        settings = settings_file.read_text(encoding="utf-8") if settings_file.exists() else ""
        if getattr(store, "url", ""):
            _copy_from_server(store, Path(temp), settings_file)
        else:
            extra = {"table": BACKUP_TABLE, "settings": settings, "head": store.reads.head_hash()}
            store.reads.copy_to(Path(temp), extra)
        os.replace(temp, target)
    except BaseException:
        for leftover in (temp, *(f"{temp}{s}" for s in _SIDE_FILES)):
            Path(leftover).unlink(missing_ok=True)
        raise
    finally:
        os.close(handle)
    return target


_SIDE_FILES = ("-journal", "-wal", "-shm")  # SQLite's, beside a database being written


def _copy_from_server(store: Store, temp: Path, settings_file: Path) -> None:
    """A server registry's rows and whole log into the SQLite file ``temp`` (one snapshot of the
    server), with its settings as a SQLite registry's (no server URL; the FTS5 engine for
    tsvector) and the head the copy was made at."""
    settings = Settings.load(settings_file)
    engine = "fts5" if settings.search_engine in IN_DATABASE else settings.search_engine
    settings = attrs.evolve(settings, store_url="", search_engine=engine)
    copy = Store(temp)
    try:
        copy.migrate()
        head: list[str] = []
        copy_rows(store, copy, lambda: head.append(copy.reads.head_hash()))
    finally:
        copy.close()
    add_table(temp, BACKUP_TABLE, {"settings": settings.dump(), "head": head[0]})


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


def restore(
    source: Path, folder: Path, *, replace: bool = False, by: str = "", database: str = ""
) -> Path:
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

    ``database``: a PostgreSQL URL of an empty database to restore onto; the folder's settings
    then name it (the registry a folder named before is left as it was, on its server or in
    ``registry.sqlite.before-restore-N``). A registry on a server is only ever restored this
    way: its log is append-only, so nothing is restored over it. Returns where the rows are.
    """
    source, folder = Path(source), Path(folder)
    (settings, head), check = read_backup(source, BACKUP_TABLE)
    if check != "ok":
        raise RegistryError(f"{source}: the backup is damaged ({check})")
    if settings:
        _check_settings(source, settings)
    if database or _on_server(folder):
        if not database:
            raise RegistryError(
                f"{folder}: the registry is on a PostgreSQL server, whose log "
                "is append-only: restore onto a new, empty database "
                "(database=URL)"
            )
        return _restore_to_server(source, folder, settings, head, database, replace, by)
    database = folder / DB_NAME
    staging, copy = _staged(source, folder, head, held=database.exists(), replace=replace)
    try:
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
                        shutil.copyfile(
                            folder / SETTINGS_NAME,
                            folder / f"{SETTINGS_NAME}.before-restore-{number}",
                        )
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
                restored.log(
                    "restore",
                    actor=by,
                    payload={"backup": source.name, "head": head, "replaced_head": before},
                )
        finally:
            restored.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return database


def _staged(
    source: Path, folder: Path, head: str, *, held: bool, replace: bool
) -> tuple[Path, Path]:
    """The backup restored into a staging folder beside the registry and verified there: (the
    staging folder, the copy in it). RegistryError, with nothing left behind, when a registry is
    there and ``replace`` was not given, or when the copy does not verify."""
    if held and not replace:
        raise RegistryError(
            f"{folder}: a registry is already there; restore with replace=True to overwrite it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore.", dir=folder))
    copy = staging / DB_NAME
    try:
        shutil.copyfile(source, copy)
        drop_table(copy, BACKUP_TABLE)
        _check_restored(source, copy, head)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, copy


def _on_server(folder: Path) -> bool:
    path = folder / SETTINGS_NAME
    return path.is_file() and bool(Settings.load(path).store_url)


def _restore_to_server(
    source: Path, folder: Path, settings: str, head: str, url: str, replace: bool, by: str
) -> Path:
    """Restore a backup onto the empty database ``url``: verified in a staging copy first,
    copied in one transaction of the server (verified there again, with the same head), then
    the folder's settings name it; what the folder held before is kept aside, never removed."""
    if not is_url(url):
        raise RegistryError(f"{url}: not a postgresql:// URL")
    sqlite_file = folder / DB_NAME
    held = sqlite_file.exists() or (folder / SETTINGS_NAME).exists()
    staging, copy = _staged(source, folder, head, held=held, replace=replace)
    try:
        origin, target = Store(copy), PgStore(url, clock=utc_now)
        try:
            target.migrate()

            def check() -> None:
                report = verify(target.reads)
                if not report.ok or report.head != origin.reads.head_hash():
                    raise RegistryError(
                        f"{shown(url)}: the copy does not verify "
                        f"({report.summary()}); nothing was restored"
                    )

            copy_rows(origin, target, check)
            with target.transaction():
                target.log(
                    "restore",
                    actor=by,
                    payload={"backup": source.name, "head": head, "replaced_head": ""},
                )
        finally:
            origin.close()
            target.close()
        number = _next_safety_number(folder)
        if sqlite_file.exists():  # a handle on it is refused at its next transaction
            os.replace(sqlite_file, folder / f"{DB_NAME}.before-restore-{number}")
            for suffix in ("-wal", "-shm"):
                Path(str(sqlite_file) + suffix).unlink(missing_ok=True)
        if (folder / SETTINGS_NAME).exists():
            shutil.copyfile(
                folder / SETTINGS_NAME, folder / f"{SETTINGS_NAME}.before-restore-{number}"
            )
        base = _loaded(settings, staging) if settings else Settings()
        engine = "tsvector" if base.search_engine in IN_DATABASE else base.search_engine
        kept = attrs.evolve(base, store_url=without_password(url), search_engine=engine)
        (folder / SETTINGS_NAME).write_text(kept.dump(), encoding="utf-8")
        for leftover in folder.glob("index*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Path(shown(url))


def _loaded(settings: str, scratch: Path) -> Any:
    path = scratch / SETTINGS_NAME
    path.write_text(settings, encoding="utf-8")
    return Settings.load(path)


def _next_safety_number(folder: Path) -> int:
    """The number of this restore's safety copies: one more than any earlier restore's."""
    taken = [
        int(m.group(1))
        for p in folder.glob("*.before-restore-*")
        if (m := re.fullmatch(r".*\.before-restore-(\d{1,9})", p.name))
    ]
    return max(taken, default=0) + 1


def _check_settings(source: Path, settings: str) -> None:
    """The settings stored in a backup are valid settings (else nothing is restored)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / SETTINGS_NAME
        path.write_text(settings, encoding="utf-8")
        try:
            Settings.load(path)
        except RegistryError as exc:
            said = str(exc).removeprefix(f"{path}: ")
            raise RegistryError(
                f"{source}: the settings stored in the backup are not valid "
                f"({said}); nothing was restored"
            ) from None


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
