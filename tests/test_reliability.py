"""Nothing lost, nothing forged: tampering, concurrent writers, kill -9, backup and restore.

Every test here uses real processes and real signals against a real SQLite database.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from regclean import Registry, RegistryError, ValidationError
from regclean.backup import restore
from regclean.publish import PublishError

from .test_publish import build_sample

ROOT = Path(__file__).resolve().parents[1]


def python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def write_rows(path: Path, count: int, start: int = 0) -> Path:
    lines = ["文件名称,文号,发布日期,正文"]
    lines += [f"测试办法{i},温政发〔2020〕{i + 1}号,2020-01-01,为规范测试工作制定本办法第{i}条"
              for i in range(start, start + count)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- tampering ------------------------------------------------------------------------------


def test_verify_passes_on_an_honest_registry(fresh_registry: Registry) -> None:
    build_sample(fresh_registry)
    report = fresh_registry.verify()
    assert report.ok, report.summary()
    assert report.head == fresh_registry.head_hash() and report.events > 20


@pytest.mark.sqlite_only("it edits registry.sqlite behind the registry's back")
def test_a_change_behind_the_registrys_back_is_found(fresh_registry: Registry) -> None:
    build_sample(fresh_registry)
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    with conn:
        conn.execute("UPDATE decisions SET outcome = 'keep' WHERE id = 1")
        conn.execute("UPDATE instruments SET title = '改过的标题' WHERE id = 2")
    conn.close()
    report = fresh_registry.verify()
    assert not report.ok
    assert (
        "decision 1, field outcome: the log says 'repeal', the database holds 'keep'"
        in report.problems
    )
    assert any(p.startswith("instrument 2, field title") for p in report.problems)


@pytest.mark.sqlite_only("it edits registry.sqlite behind the registry's back")
def test_a_forged_event_breaks_the_chain_at_that_event(fresh_registry: Registry) -> None:
    build_sample(fresh_registry)
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    with conn:
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET actor = '伪造者' WHERE seq = 5")
    conn.close()
    report = fresh_registry.verify()
    assert any("append-only" in p for p in report.problems)
    assert any(p.startswith("event 5 ") for p in report.problems)


@pytest.mark.sqlite_only("it edits registry.sqlite behind the registry's back")
def test_a_deleted_event_is_named(fresh_registry: Registry) -> None:
    build_sample(fresh_registry)
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    with conn:
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("DELETE FROM events WHERE seq = 7")
    conn.close()
    assert any("event 7: missing" in p for p in fresh_registry.verify().problems)


def test_the_published_site_names_the_head_hash(fresh_registry: Registry, tmp_path: Path) -> None:
    build_sample(fresh_registry)
    fresh_registry.publish(tmp_path / "site")
    head = fresh_registry.head_hash()
    data = json.loads(
        (tmp_path / "site" / "catalogs" / "repealed.json").read_text(encoding="utf-8")
    )
    assert data["head_hash"] == head
    assert head[:16] in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


# -- concurrency ----------------------------------------------------------------------------

WRITER = """
import sys
from regclean import Registry
path, worker = sys.argv[1], int(sys.argv[2])
with Registry.open(path, busy_timeout=30) as reg:
    for i in range(20):
        doc = reg.add_instrument(title=f"并发办法{worker}-{i}", doc_number=f"温政发〔2021〕{worker * 100 + i}号")
        if i % 4 == 0:
            reg.propose(doc.id, "废止", reason="并发测试", by=f"worker{worker}")
print("done")
"""


@pytest.mark.slow
def test_concurrent_writers_lose_and_duplicate_nothing(fresh_registry: Registry) -> None:
    workers = [python(WRITER, str(fresh_registry.path), str(n)) for n in range(4)]
    for worker in workers:
        _out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
    assert fresh_registry.count() == 80
    assert len(fresh_registry.decisions()) == 20
    assert fresh_registry.verify().ok
    assert len(fresh_registry.search("并发办法", limit=None)) == 80  # the index caught up


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_a_blocked_writer_waits_then_fails_clearly(fresh_registry: Registry) -> None:
    holder = python(HOLDER, str(fresh_registry.path / "registry.sqlite"), "4")
    assert holder.stdout.readline().strip() == "holding"
    with Registry.open(fresh_registry.path, busy_timeout=0.5) as other:
        started = time.monotonic()
        with pytest.raises(RegistryError, match="busy"):
            other.add_instrument(title="等不到的办法")
        assert 0.4 < time.monotonic() - started < 3.5
    holder.wait(timeout=10)
    assert fresh_registry.count() == 0
    assert fresh_registry.add_instrument(title="锁释放后的办法").id == 1


PUBLISH_LOCK_HOLDER = """
import fcntl, sys, time
with open(sys.argv[1], "a+") as handle:
    fcntl.flock(handle, fcntl.LOCK_EX)
    handle.truncate(0)
    handle.write("process 4242 (a test holding the lock)")
    handle.flush()
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_publish_to_the_same_folder_is_refused_clearly(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """Two publishes to one folder would clean away each other's staging; the second is
    refused at once, naming the first, and the site it would have replaced is untouched."""
    pytest.importorskip("fcntl")

    build_sample(fresh_registry)
    site = tmp_path / "site"
    fresh_registry.publish(site, force=True)
    before = sorted(p.name for p in tmp_path.iterdir())
    holder = python(PUBLISH_LOCK_HOLDER, str(tmp_path / ".site.lock"), "3")
    assert holder.stdout.readline().strip() == "holding"
    fresh_registry.update_instrument("温政发〔2012〕1号", title="锁住时改的办法")
    with pytest.raises(
        PublishError, match=r"another publish to this folder is running \(process 4242"
    ):
        fresh_registry.publish(site, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no staging left, nothing swapped
    assert "锁住时改的办法" not in (site / "registry.xml").read_text(encoding="utf-8")
    holder.wait(timeout=10)
    assert fresh_registry.publish(site, force=True).rerendered == 1


def test_a_publish_reads_one_state_while_others_write(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """Publishing reads through a snapshot: a decision committed by another process meanwhile
    is not half in the site (its catalogs, counts and head all agree), and the next publish
    has it."""
    build_sample(fresh_registry)
    with fresh_registry.store.snapshot():
        head = fresh_registry.last_seq()
        with Registry.open(fresh_registry.path) as other:  # another writer, committed
            other.add_instrument(title="快照之后登记的办法", issuer="温州市人民政府")
        assert fresh_registry.last_seq() == head
        assert fresh_registry.count() == 6
    assert fresh_registry.last_seq() > head and fresh_registry.count() == 7
    report = fresh_registry.publish(tmp_path / "site", force=True)
    assert report.head == fresh_registry.last_seq() and report.instruments == 7


# -- crashes --------------------------------------------------------------------------------

IMPORTER = """
import sys
from regclean import Registry
with Registry.open(sys.argv[1]) as reg:
    print("importing", flush=True)
    reg.import_file(sys.argv[2])
print("finished", flush=True)
"""


@pytest.mark.slow
def test_kill_during_a_large_import_keeps_all_or_none(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    fresh_registry.add_instrument(title="之前的办法")
    rows = write_rows(tmp_path / "big.csv", 20000)
    job = python(IMPORTER, str(fresh_registry.path), str(rows))
    assert job.stdout.readline().strip() == "importing"
    time.sleep(1.5)
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=10)
    with Registry.open(fresh_registry.path) as reg:
        assert reg.count() in (1, 20001)  # all or none of the interrupted import
        assert reg.verify().ok
        assert len(reg.search("测试办法", limit=None)) == reg.count() - 1
        assert [h.instrument.title for h in reg.search("之前的办法")] == ["之前的办法"]


REINDEXER = """
import sys
from regclean import Registry
with Registry.open(sys.argv[1]) as reg:
    print("reindexing", flush=True)
    reg.reindex()
print("finished", flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["whoosh", "fts5"])
def test_kill_during_reindex_leaves_a_working_index(tmp_path: Path, clock, engine: str) -> None:
    fresh_registry = Registry.init(tmp_path / "reg", clock=clock, search_engine=engine)
    fresh_registry.import_file(write_rows(tmp_path / "rows.csv", 3000))
    before = [h.instrument.id for h in fresh_registry.search("测试办法", limit=None)]
    fresh_registry.close()
    job = python(REINDEXER, str(fresh_registry.path))
    assert job.stdout.readline().strip() == "reindexing"
    helpers = _children(job.pid, wait=10.0) if engine == "whoosh" else []
    assert helpers or engine == "fts5"  # whoosh's indexing processes (#17); FTS5 has none
    if engine == "fts5":
        time.sleep(0.3)  # inside its one transaction
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=10)
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in helpers if _alive(pid)], "indexing processes outlived their parent"
    with Registry.open(fresh_registry.path) as reg:
        assert sorted(h.instrument.id for h in reg.search("测试办法", limit=None)) == sorted(before)
        assert reg.verify().ok
        reg.add_instrument(title="重建中断之后的办法")
        assert len(reg.search("重建中断")) == 1


def _children(pid: int, wait: float) -> list[int]:
    """The child processes of ``pid``, once it has some (waiting up to ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                found += [int(p) for p in (task / "children").read_text().split()]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


PUBLISHER = """
import sys
from regclean import Registry
with Registry.open(sys.argv[1]) as reg:
    print("publishing", flush=True)
    reg.publish(sys.argv[2])
print("finished", flush=True)
"""


@pytest.mark.slow
def test_kill_during_publish_keeps_the_previous_site(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    fresh_registry.import_file(write_rows(tmp_path / "rows.csv", 3000))
    site = tmp_path / "site"
    fresh_registry.publish(site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    fresh_registry.add_instrument(title="新加的办法")
    job = python(PUBLISHER, str(fresh_registry.path), str(site))
    assert job.stdout.readline().strip() == "publishing"
    time.sleep(0.8)
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=10)
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before or len(after) == len(before) + 1  # the old site whole, or the new one
    fresh_registry.publish(site)  # the next publish cleans what the killed one left
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    left.remove(".site.lock")  # the publish lock stays, empty and unlocked
    assert len(left) <= 1 and all(name.endswith(".old") for name in left)  # only the previous site


# -- backup and restore -------------------------------------------------------------------

BUSY_WRITER = """
import sys, time
from regclean import Registry
with Registry.open(sys.argv[1], busy_timeout=30) as reg:
    print("writing", flush=True)
    for i in range(200):
        reg.add_instrument(title=f"备份期间写入的办法{i}")
"""


@pytest.mark.slow
def test_backup_while_another_process_writes_restores_and_verifies(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    build_sample(fresh_registry)
    writer = python(BUSY_WRITER, str(fresh_registry.path))
    assert writer.stdout.readline().strip() == "writing"
    backup = fresh_registry.backup(tmp_path / "backup.sqlite")
    writer.communicate(timeout=120)
    restore(backup, tmp_path / "restored")
    with Registry.open(tmp_path / "restored") as restored:
        report = restored.verify()
        assert report.ok, report.summary()
        assert 6 <= restored.count() <= 206
        restored.reindex()
        assert restored.get("温政发〔2004〕12号").title_core == "温州市城市绿化管理办法"
        assert (tmp_path / "restored" / "regclean.toml").read_text(encoding="utf-8").startswith("#")
    with pytest.raises(RegistryError, match="already there"):
        restore(backup, tmp_path / "restored")
    with pytest.raises(RegistryError, match="not a regclean backup"):
        restore(tmp_path / "restored" / "regclean.toml", tmp_path / "elsewhere")


# -- anchored history (#17) -------------------------------------------------------------------


@pytest.mark.sqlite_only("SQLite's triggers (test_postgresql covers the server's)")
def test_events_cannot_be_replaced_even_from_another_connection(
    fresh_registry: Registry,
) -> None:
    """INSERT OR REPLACE deletes without firing the delete trigger: a trigger on insert stops
    it, whatever the connection's settings."""
    import sqlite3

    fresh_registry.add_instrument(title="甲办法")
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), conn:
        conn.execute("INSERT OR REPLACE INTO events (seq, at, actor, action, payload, hash) "
                     "VALUES (1, 'x', 'x', 'init', '{}', 'x')")  # fmt: skip
    conn.close()
    assert fresh_registry.verify().ok


@pytest.mark.sqlite_only("it rewrites a SQLite trigger (test_postgresql drops one on the server)")
def test_a_trigger_rewritten_to_do_nothing_is_found(fresh_registry: Registry) -> None:
    import sqlite3

    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    with conn:
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT 1; END")
    conn.close()
    assert any("events_no_delete was changed" in p for p in fresh_registry.verify().problems)


@pytest.mark.sqlite_only("backups are SQLite files")
def test_an_anchor_from_a_site_or_a_backup_catches_a_rewritten_history(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A chain recomputed from scratch passes verify on its own; the head a published site or a
    backup recorded, and a hash written down, do not belong to it."""
    import sqlite3

    from regclean.store import chain

    fresh_registry.add_instrument(title="甲办法", doc_number="温政发〔2004〕12号")
    fresh_registry.publish(tmp_path / "site")
    fresh_registry.backup(tmp_path / "backup.sqlite")
    head = fresh_registry.head_hash()
    anchors = [str(tmp_path / "site"), str(tmp_path / "backup.sqlite"), head]
    assert fresh_registry.verify(anchors).ok
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")  # an insider with the file
    with conn:
        for name in ("events_no_update", "events_no_delete", "events_no_replace"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE events SET actor = '伪造' WHERE action = 'add'")
        prev = chain.GENESIS
        for row in conn.execute("SELECT seq, at, actor, action, instrument_id, decision_id, payload "
                                "FROM events ORDER BY seq").fetchall():  # fmt: skip
            prev = chain.event_hash(prev, *row[1:])
            conn.execute("UPDATE events SET hash = ? WHERE seq = ?", (prev, row[0]))
        from regclean.store.migrations import LOG_TRIGGERS

        for sql in LOG_TRIGGERS.values():
            conn.execute(sql)
    conn.close()
    assert fresh_registry.verify().ok  # the rewritten chain is consistent in itself
    report = fresh_registry.verify(anchors)
    assert len([p for p in report.problems if "not an event of this registry's chain" in p]) == 3


# -- restore that cannot lose data (#17) ------------------------------------------------------


@pytest.mark.sqlite_only("backups are SQLite files")
def test_a_backup_that_fails_verification_changes_nothing(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    import sqlite3

    build_sample(fresh_registry)
    backup = fresh_registry.backup(tmp_path / "backup.sqlite")
    fresh_registry.add_instrument(title="备份之后登记的办法")  # newer than the backup
    head, count = fresh_registry.head_hash(), fresh_registry.count()
    conn = sqlite3.connect(backup)  # the backup tampered with
    with conn:
        conn.execute("UPDATE instruments SET title = '篡改' WHERE id = 1")
    conn.close()
    with pytest.raises(RegistryError, match="does not verify, nothing was restored"):
        restore(backup, fresh_registry.path, replace=True)
    assert (fresh_registry.head_hash(), fresh_registry.count()) == (head, count)
    assert fresh_registry.verify().ok
    assert (
        sorted(p.name for p in fresh_registry.path.iterdir() if p.name.startswith(".restore")) == []
    )


@pytest.mark.sqlite_only("restore replaces registry.sqlite")
def test_a_restore_is_recorded_and_keeps_the_replaced_registry(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    build_sample(fresh_registry)
    backup = fresh_registry.backup(tmp_path / "backup.sqlite")
    backed_up = fresh_registry.head_hash()
    fresh_registry.add_instrument(title="备份之后登记的办法")
    replaced = fresh_registry.head_hash()
    fresh_registry.close()
    restore(backup, fresh_registry.path, replace=True)
    assert (fresh_registry.path / "registry.sqlite.before-restore-1").is_file()
    with Registry.open(fresh_registry.path) as restored:
        last = restored.events()[-1]
        assert last.action == "restore"
        assert (last.payload["head"], last.payload["replaced_head"]) == (backed_up, replaced)
        assert restored.verify([backed_up]).ok and not restored.find("备份之后登记的办法")


def test_publish_and_import_write_through_no_planted_link(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """#17: a symbolic link planted as the publish lock or as NAME.rejected.csv is refused,
    and the file it points to is left alone; rejected rows are formula-guarded."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    fresh_registry.add_instrument(title="甲办法")
    (tmp_path / ".site.lock").symlink_to(victim)
    with pytest.raises(PublishError, match="symbolic link"):
        fresh_registry.publish(tmp_path / "site")
    source = tmp_path / "form.csv"
    source.write_text("文件名称,发布日期\n=HYPERLINK(\"x\"),2004-13-01\n乙办法,2004-01-01\n",
                      encoding="utf-8")  # fmt: skip
    (tmp_path / "form.rejected.csv").symlink_to(victim)
    with pytest.raises(ValidationError, match="cannot write the rejected rows"):
        fresh_registry.import_file(source, skip_invalid=True)
    assert victim.read_text(encoding="utf-8") == "keep me"
    (tmp_path / "form.rejected.csv").unlink()
    fresh_registry.import_file(source, skip_invalid=True)
    rejected = (tmp_path / "form.rejected.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in rejected


def test_nothing_beside_the_site_is_removed_unless_regclean_made_it(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """#17, #26: a user's .site.backup (even holding a copy of the site) survives publishing; the
    leftovers regclean made (a killed publish's staging, an old site) do not; a folder named and
    marked like a staging folder, but not signed by this registry, is kept."""
    import shutil as shutil_

    from regclean.publish.signing import site_key
    from regclean.publish.staging import Staging

    fresh_registry.add_instrument(title="甲办法")
    site = tmp_path / "site"
    fresh_registry.publish(site)
    shutil_.copytree(site, tmp_path / ".site.backup")
    killed = Staging.beside(site, site_key(fresh_registry.path)).path  # a killed publish's
    (killed / "index.html").write_text("half", encoding="utf-8")
    planted = tmp_path / ".site.pl4nt3d_"
    planted.mkdir()
    (planted / ".regclean-staging").touch()
    (planted / "mine.txt").write_text("keep", encoding="utf-8")
    fresh_registry.add_instrument(title="乙办法")
    fresh_registry.publish(site)
    fresh_registry.publish(site)  # the chores of the one before are done by now
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site."))
    assert ".site.backup" in left and killed.name not in left
    assert (planted / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_odd_values_give_clear_errors_not_tracebacks(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from cli import app

    fresh_registry.add_instrument(title="甲\x01办法")  # a control character in a title
    assert fresh_registry.export(tmp_path / "x.xlsx") == 1
    with pytest.raises(ValidationError, match="limit"):
        fresh_registry.search("甲", limit=-5)
    result = CliRunner().invoke(app, ["--registry", str(fresh_registry.path), "search", "甲",
                                      "--limit", "-5"])  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.sqlite_only("it edits registry.sqlite and its migrations")
def test_verify_reports_a_payload_it_cannot_replay_and_open_names_a_lost_migration(
    fresh_registry: Registry,
) -> None:
    """#17: a chain-valid event whose payload is not what its action needs, and a deleted row of
    the migrations table, are reported, not raised as tracebacks."""
    import sqlite3 as sqlite3_

    from .conftest import append_forged_event

    fresh_registry.add_instrument(title="甲办法")
    append_forged_event(fresh_registry.path / "registry.sqlite", "update", "[not, json")
    report = fresh_registry.verify()
    conn = sqlite3_.connect(fresh_registry.path / "registry.sqlite")
    assert not report.ok and "payload cannot be replayed" in report.summary()
    with conn:
        conn.execute("DELETE FROM migrations WHERE name = '0005_decision_amendment'")
    conn.close()
    with pytest.raises(RegistryError, match="migration 0005_decision_amendment cannot be applied"):
        Registry.open(fresh_registry.path)


@pytest.fixture
def read_only_mount(tmp_path: Path):
    """A folder and a read-only bind mount of it (needs root, as CI runs; skipped otherwise)."""
    source, mounted = tmp_path / "source", tmp_path / "mounted"
    source.mkdir()
    mounted.mkdir()
    made = subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mounted)],
                          capture_output=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {made.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], check=True)
        yield source, mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=False)


@pytest.mark.sqlite_only("a read-only SQLite file")
def test_a_registry_on_a_read_only_mount_is_read_searched_verified_and_published(
    read_only_mount, tmp_path: Path, clock
) -> None:
    """#17: SQLite in WAL mode must write its -shm file even to read; a registry on a read-only
    mount is opened immutable instead, and a write says plainly that it is read-only."""
    source, mounted = read_only_mount
    with Registry.init(source / "reg", jurisdiction="温州市", clock=clock) as reg:
        build_sample(reg)
        found = [h.instrument.doc_number for h in reg.search("绿化")]
    with Registry.open(mounted / "reg", clock=clock) as reg:
        assert reg.store.read_only
        assert reg.get("温政发〔2024〕5号").title == "温州市城市绿化管理办法（2024年修订）"
        assert [h.instrument.doc_number for h in reg.search("绿化")] == found and found
        assert reg.verify().ok
        report = reg.publish(tmp_path / "site")
        assert report.instruments == 6 and (tmp_path / "site" / "index.html").exists()
        with pytest.raises(RegistryError, match="read-only"):
            reg.add_instrument(title="新办法")
    result = subprocess.run([sys.executable, "-m", "regclean", "--registry", str(mounted / "reg"),
                             "edit", "温政发〔2024〕5号", "--title", "改"],
                            capture_output=True, text=True)  # fmt: skip
    assert (
        result.returncode == 1 and "read-only" in result.stderr and "Traceback" not in result.stderr
    )


@pytest.mark.sqlite_only("backups are SQLite files")
def test_a_killed_backups_temporary_file_is_removed_by_the_next(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """#17: a killed backup left `.backup.sqlite.XXXXXXXX` beside its target; the next backup
    removes it, but not the file of a backup still being written (it is locked), nor any other
    file."""
    import fcntl

    target = tmp_path / "backup.sqlite"
    leftover = tmp_path / ".backup.sqlite.k1ll3d_x"
    leftover.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    busy = tmp_path / ".backup.sqlite.busy_now"
    busy.write_bytes(b"")
    mine = tmp_path / ".backup.sqlite.notes.txt"
    mine.write_text("a clerk's note", encoding="utf-8")
    holder = python(
        "import fcntl, sys, time\n"
        "f = open(sys.argv[1], 'rb'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True)\n"
        "time.sleep(30)\n",
        str(busy),
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        fresh_registry.backup(target)
        assert not leftover.exists() and busy.exists() and mine.exists()
        assert sorted(p.name for p in tmp_path.glob(".backup.sqlite.*")) == [busy.name, mine.name]
    finally:
        holder.kill()
        holder.wait()
    with open(busy, "rb") as f:  # the lock went with its holder
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 3 MB file system (a tmpfs mount: needs root, as CI runs; skipped otherwise)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                          capture_output=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.sqlite_only("a full disk under registry.sqlite")
def test_a_full_disk_gives_a_clear_error_and_writes_nothing_partial(
    small_disk: Path, tmp_path: Path, clock
) -> None:
    """#17: a full disk during export, backup, publish and import is an error naming what could
    not be written (exit 1, no traceback), and leaves no partial file and no partial import."""
    from typer.testing import CliRunner

    from cli import app

    reg = tmp_path / "reg"
    with Registry.init(reg, clock=clock) as registry:
        registry.import_file(write_rows(tmp_path / "rows.csv", 3000))
    filler = small_disk / "filler"
    with open(filler, "wb") as f, contextlib.suppress(OSError):  # leave about 100 KB free
        f.write(b"\0" * (3 * 2**20 - 100 * 2**10))
    runner = CliRunner()
    for args in (["export", str(small_disk / "all.csv")], ["backup", str(small_disk / "b.sqlite")],
                 ["publish", str(small_disk / "site")]):  # fmt: skip
        result = runner.invoke(app, ["--registry", str(reg), *args])
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output, args
        assert "No space left" in result.output or "disk is full" in result.output, args
        left = sorted(p.name for p in small_disk.iterdir() if p.name != ".site.lock")
        assert left == ["filler"], args  # (the publish lock stays, as after every publish)
    # a registry on the full disk: an import that does not fit changes nothing
    filler.unlink()
    on_disk = small_disk / "reg"
    with Registry.init(on_disk, clock=clock) as registry:
        registry.add_instrument(title="已有的办法")
    with open(filler, "wb") as f, contextlib.suppress(OSError):
        f.write(b"\0" * (3 * 2**20))
    result = runner.invoke(app, ["--registry", str(on_disk), "import", str(tmp_path / "rows.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot rollback" not in result.output and "full" in result.output, result.output
    filler.unlink()
    with Registry.open(on_disk, clock=clock) as registry:
        assert registry.count() == 1 and registry.verify().ok


@pytest.mark.slow
@pytest.mark.sqlite_only("a full disk under registry.sqlite")
def test_an_import_on_a_filling_disk_is_all_or_nothing_at_every_level(
    small_disk: Path, tmp_path: Path
) -> None:
    """#26: the disk fills at a different moment of an import at each level of free space
    (while rows are written, at the commit, while the search index catches up): each import
    either lands whole or says the disk is full and changes nothing; never SQLite's "cannot
    rollback", never a registry that no longer verifies."""
    rows = write_rows(tmp_path / "rows.csv", 600)
    outcomes = set()
    for free_kb in range(0, 1500, 60):
        for item in small_disk.iterdir():
            shutil.rmtree(item) if item.is_dir() else item.unlink()
        reg = small_disk / "reg"
        with Registry.init(reg) as registry:
            registry.add_instrument(title="已有的办法")
        used = sum(f.stat().st_size for f in reg.rglob("*") if f.is_file())
        filler = small_disk / "filler"
        with open(filler, "wb") as f, contextlib.suppress(OSError):
            f.write(b"\0" * max(0, 3 * 2**20 - used - free_kb * 1024 - 64 * 1024))
        result = subprocess.run(
            [sys.executable, "-m", "regclean", "--registry", str(reg), "import", str(rows)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parents[1],
        )
        filler.unlink()
        said = result.stdout + result.stderr
        assert "Traceback" not in said and "cannot rollback" not in said, (free_kb, said)
        with Registry.open(reg) as registry:
            count, ok = registry.count(), registry.verify().ok
        assert ok, free_kb
        if result.returncode == 0:
            assert count == 601, free_kb
        else:
            assert "disk is full" in said and count == 1, (free_kb, said)
        outcomes.add(result.returncode)
    assert outcomes == {0, 1}  # the levels span both: too little room, and enough
