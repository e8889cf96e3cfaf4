"""#25: PostgreSQL as a second store, against the real server .ci/run installs and starts (these
tests fail, not skip, where it is missing). The whole suite also runs on it in a second pass
(REGCLEAN_TEST_STORE=postgresql, see conftest.py)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from regclean import Registry, RegistryError, ValidationError
from regclean.backup import restore
from regclean.store.pg import translate

from .conftest import PG_SERVER, new_database, server_missing

_MISSING = server_missing()
if _MISSING and os.environ.get("REGCLEAN_REQUIRE_POSTGRESQL"):
    raise RuntimeError(f"no PostgreSQL server at {PG_SERVER} ({_MISSING}); .ci/run starts one")
if _MISSING:  # a developer's machine without the server: README says how to start one
    pytest.skip(f"no PostgreSQL server at {PG_SERVER}: {_MISSING}", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "regclean" / "data" / "published-decisions.csv"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


def _regclean(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "regclean", *args], capture_output=True,
                          text=True, env=_env())  # fmt: skip


def test_a_registry_on_the_server_through_the_command(tmp_path: Path) -> None:
    """What an office does: init with --database, import real rows, approve, verify, publish;
    the folder keeps the settings (the URL without a password), the server keeps the rows."""
    url = new_database()
    folder = tmp_path / "reg"
    made = _regclean("--registry", str(folder), "init", "--jurisdiction", "温州市",
                     "--database", url)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert not (folder / "registry.sqlite").exists()
    assert f'url = "{url}"' in (folder / "regclean.toml").read_text(encoding="utf-8")
    imported = _regclean("--registry", str(folder), "import", str(SAMPLE), "--by", "clerk")
    assert imported.returncode == 0, imported.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM instruments").fetchone()[0] == 30
    with Registry.open(folder) as registry:
        first = next(iter(registry.instruments()))
        registry.approve([first.id], by="法制办", decision_doc="温政发〔2026〕1号")
        assert registry.verify().ok
        assert registry.search(first.title[:4])
    published = _regclean("--registry", str(folder), "publish", str(tmp_path / "site"))
    assert published.returncode == 0, published.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    verified = _regclean("--registry", str(folder), "verify")
    assert verified.returncode == 0 and "ok" in verified.stdout


def test_the_server_itself_keeps_the_log_append_only(tmp_path: Path) -> None:
    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as registry:
        registry.add_instrument(title="温州市甲办法", doc_number="温政发〔2004〕12号")
    with psycopg.connect(url, autocommit=True) as conn:
        for attack in ("UPDATE events SET actor = 'forger'", "DELETE FROM events",
                       "TRUNCATE events CASCADE",
                       "INSERT INTO events (seq, at, action) VALUES (1, 'x', 'add')"):  # fmt: skip
            with pytest.raises(psycopg.Error, match=r"append-only|duplicate key"):
                conn.execute(attack)
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    with Registry.open(tmp_path / "reg") as registry:
        assert registry.verify().ok


def _writer(folder: str, department: int, count: int) -> None:
    office = "甲乙丙丁"[department]
    with Registry.open(folder, busy_timeout=60) as registry:
        for n in range(count):
            registry.add_instrument(title=f"温州市{office}局第{n}号办法",
                                    doc_number=f"温{office}发〔2024〕{n + 1}号")  # fmt: skip


def test_many_offices_write_at_once_and_nothing_is_lost(tmp_path: Path) -> None:
    """Four processes, one per department, adding at once: every write lands, once, and the
    hash chain is one line."""
    url = new_database()
    Registry.init(tmp_path / "reg", database=url).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path / "reg"), d, 15))
               for d in range(4)]  # fmt: skip
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with Registry.open(tmp_path / "reg") as registry:
        assert registry.count() == 60
        report = registry.verify()
        assert report.ok and report.events == 61, report.summary()


@pytest.mark.parametrize(
    "url, said",
    [
        ("postgresql://nobody@127.0.0.1:1/none", "cannot connect to PostgreSQL"),
        ("postgresql:///regclean_no_such_database", "does not exist"),
        ("postgresql://root:secret@127.0.0.1:5432/none?connect_timeout=2", "cannot connect"),
    ],
)
def test_a_wrong_server_or_database_is_one_clear_line(tmp_path: Path, url: str, said: str) -> None:
    folder = tmp_path / "reg"
    done = _regclean("--registry", str(folder), "init", "--database", url)
    assert done.returncode != 0 and said in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not folder.exists()  # nothing created by accident


def test_a_database_holding_other_tables_or_a_registry_is_refused(tmp_path: Path) -> None:
    other = new_database()
    with psycopg.connect(other, autocommit=True) as conn:
        conn.execute("CREATE TABLE payroll (id int)")
    with pytest.raises(RegistryError, match="holds other tables"):
        Registry.init(tmp_path / "a", database=other)
    used = new_database()
    Registry.init(tmp_path / "b", database=used).close()
    with pytest.raises(RegistryError, match="already holds a registry"):
        Registry.init(tmp_path / "c", database=used)
    assert not (tmp_path / "a").exists() and not (tmp_path / "c").exists()


def test_a_server_registry_backs_up_to_a_file_and_restores_onto_a_new_database(
    tmp_path: Path,
) -> None:
    """#25: `backup` of a registry on the server writes the same SQLite backup file (one
    snapshot); it restores into a folder as a SQLite registry, or with --database onto a new,
    empty database. Never over the database that holds a registry (its log is append-only):
    refused with what to do; what a folder named before is kept."""
    first = new_database()
    home = tmp_path / "reg"
    with Registry.init(home, jurisdiction="温州市", database=first) as registry:
        registry.import_file(SAMPLE, by="clerk")
        one = next(iter(registry.instruments()))
        registry.approve([one.id], by="法制办", decision_doc="温政发〔2026〕1号")
        head, count = registry.verify().head, registry.count()
        registry.backup(tmp_path / "copy.sqlite")
    restore(tmp_path / "copy.sqlite", tmp_path / "file")
    with Registry.open(tmp_path / "file") as copy:
        assert copy.count() == count and copy.verify().ok and copy.reads.has_event(head)
        assert not copy.settings.store_url and copy.settings.search_engine == "fts5"
        assert copy.search(one.title[:4])
    second = new_database()
    done = _regclean("--registry", str(tmp_path / "other"), "restore",
                     str(tmp_path / "copy.sqlite"), "--database", second)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Registry.open(tmp_path / "other") as copy:
        assert copy.settings.store_url == second and copy.settings.search_engine == "tsvector"
        assert copy.count() == count and copy.verify().ok and copy.reads.has_event(head)
        assert copy.search(one.title[:4])
    over = _regclean("--registry", str(home), "restore", str(tmp_path / "copy.sqlite"),
                     "--replace")  # fmt: skip
    assert over.returncode == 1 and "append-only" in over.stderr and "--database" in over.stderr
    used = _regclean("--registry", str(home), "restore", str(tmp_path / "copy.sqlite"),
                     "--replace", "--database", second)  # fmt: skip
    assert used.returncode == 1 and "empty" in used.stderr
    assert len(used.stderr.strip().splitlines()) == 1
    third = new_database()
    restore(tmp_path / "copy.sqlite", home, replace=True, database=third)
    with Registry.open(home) as moved:
        assert moved.settings.store_url == third and moved.count() == count
    assert (home / "regclean.toml.before-restore-1").read_text(encoding="utf-8").count(first)
    with psycopg.connect(first) as conn:  # the registry it named before, untouched
        assert conn.execute("SELECT count(*) FROM instruments").fetchone()[0] == count


def test_the_environment_names_the_server_with_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """regclean.toml keeps the URL without a password; REGCLEAN_DATABASE_URL may give it."""
    url = new_database()
    Registry.init(tmp_path / "reg", database=url).close()
    monkeypatch.setenv("REGCLEAN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(RegistryError, match="cannot connect"):
        Registry.open(tmp_path / "reg")
    monkeypatch.setenv("REGCLEAN_DATABASE_URL", url)
    with Registry.open(tmp_path / "reg") as registry:
        assert registry.verify().ok


def test_a_connection_lost_mid_command_leaves_nothing_half_written(tmp_path: Path) -> None:
    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as registry:
        registry.add_instrument(title="温州市甲办法")
        store = registry.store
        pid = store.conn.raw.info.backend_pid
        with (
            pytest.raises(RegistryError, match="connection to the server was lost"),
            store.transaction(),
        ):
            store.insert("instruments", {"title": "温州市乙办法", "title_core": "乙",
                                         "title_key": "乙", "kind": "normative"})  # fmt: skip
            with psycopg.connect(url, autocommit=True) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
            store.log("add", actor="x", instrument_id=2, payload={"title": "温州市乙办法"})
    with Registry.open(tmp_path / "reg") as registry:
        assert registry.count() == 1 and registry.verify().ok


def test_sqlite_marks_become_psycopg_marks_outside_quoted_text() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b = :name") == (
        "SELECT * FROM t WHERE a = %s AND b = %(name)s"
    )
    assert (
        translate("SELECT 'a?:b%' FROM t WHERE c LIKE ?")
        == "SELECT 'a?:b%%' FROM t WHERE c LIKE %s"
    )
    assert translate("SELECT x::text") == "SELECT x::text"


def test_text_the_server_cannot_hold_is_refused_naming_its_field(tmp_path: Path) -> None:
    """SQLite keeps a NUL in a title; PostgreSQL cannot: a clear error, nothing written."""
    with Registry.init(tmp_path / "reg", database=new_database()) as registry:
        with pytest.raises(ValidationError, match="NUL") as refused:
            registry.add_instrument(title="甲\x00办法", doc_number="温政发〔2010〕1号")
        assert "甲" in str(refused.value)  # the value is named
        assert registry.count() == 0 and registry.verify().ok


def test_verify_refuses_an_entry_of_a_type_regclean_does_not_write(tmp_path: Path) -> None:
    """On the server too: another program appends a chain-valid entry of its own type."""
    from regclean.store import chain

    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as registry:
        registry.add_instrument(title="温州市甲办法")
    with psycopg.connect(url, autocommit=True) as conn:
        prev = conn.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0]
        values = ("2026-11-26T01:00:00Z", "x", "hide", 1, None, "{}")
        conn.execute("INSERT INTO events (seq, at, actor, action, instrument_id, decision_id, "
                     "payload, hash) VALUES ((SELECT max(seq) + 1 FROM events), %s, %s, %s, %s, "
                     "%s, %s, %s)", (*values, chain.event_hash(prev, *values)))  # fmt: skip
        conn.execute("CREATE FUNCTION sneak() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$ BEGIN RETURN NEW; END $$")  # fmt: skip
        conn.execute("CREATE TRIGGER sneaky BEFORE UPDATE ON instruments "
                     "FOR EACH ROW EXECUTE FUNCTION sneak()")  # fmt: skip
        conn.execute("DROP TRIGGER events_no_delete ON events")
    with Registry.open(tmp_path / "reg") as registry:
        summary = registry.verify().summary()
    assert "'hide' is not an event regclean writes" in summary or "sneaky" in summary
    assert "the trigger sneaky is not regclean's" in summary
    assert "the trigger events_no_delete is gone" in summary


def test_a_registry_moves_to_the_server_and_back_with_its_whole_log(tmp_path: Path) -> None:
    """`regclean migrate --to URL` and back `--to registry.sqlite`: every row and event kept,
    the chain's head unchanged, verify ok on the copy; the store left behind is kept."""
    folder = tmp_path / "reg"
    with Registry.init(folder, jurisdiction="温州市", search_engine="fts5") as registry:  # SQLite
        registry.import_file(SAMPLE, by="clerk")
        first = next(iter(registry.instruments()))
        registry.approve([first.id], by="法制办", decision_doc="温政发〔2026〕1号")
        registry.create_campaign("2026", cutoff="2025-12-31")
        head, count = registry.verify().head, registry.count()
    url = new_database()
    moved = _regclean("--registry", str(folder), "migrate", "--to", url)
    assert moved.returncode == 0, moved.stderr
    assert "30 instruments" in moved.stdout and "verified" in moved.stdout
    assert (folder / "registry.sqlite.before-migrate").is_file()  # what was left, kept
    assert not (folder / "registry.sqlite").exists()
    with Registry.open(folder) as registry:
        assert registry.settings.store_url == url and registry.count() == count
        report = registry.verify()
        assert report.ok and report.head == head
        assert registry.settings.search_engine == "tsvector"  # FTS5's index moved to tsvector
        assert registry.search(first.title[:4])  # the index was made for the new store
        registry.add_instrument(title="温州市迁移后新办法")  # the server's keys go on from the copy
        head = registry.verify().head
    back = _regclean("--registry", str(folder), "migrate", "--to", "registry.sqlite")
    assert back.returncode == 0, back.stderr
    with Registry.open(folder) as registry:
        assert not registry.settings.store_url and registry.count() == count + 1
        assert registry.settings.search_engine == "fts5"
        assert [h.instrument.title for h in registry.search("迁移后")] == ["温州市迁移后新办法"]
        assert registry.verify().head == head and registry.verify().ok
    again = _regclean("--registry", str(folder), "migrate", "--to", url)
    assert again.returncode == 1 and "empty" in again.stderr  # the server still holds it
    assert len(again.stderr.strip().splitlines()) == 1


def test_accounts_the_server_enforces(tmp_path: Path) -> None:
    """A department's account proposes and withdraws for its own instruments only; it cannot
    approve nor touch another department's; the office's account approves; every event names
    the server's account that wrote it, whatever --by said."""
    url = new_database()
    office = tmp_path / "office"
    with Registry.init(office, jurisdiction="温州市", database=url) as registry:
        own = registry.add_instrument(title="温州市交通甲办法", department="市交通运输局")
        other = registry.add_instrument(title="温州市教育乙办法", department="市教育局")
    env = {**_env(), "REGCLEAN_ACCOUNT_PASSWORD": "s3cret-交通"}
    suffix = uuid.uuid4().hex[:6]
    traffic, legal = f"traffic_{suffix}", f"legal_{suffix}"
    for name, options in ((traffic, ["--department", "市交通运输局", "--can", "propose"]),
                          (legal, ["--can", "office"])):  # fmt: skip
        made = subprocess.run([sys.executable, "-m", "regclean", "--registry", str(office),
                               "accounts", "add", name, *options, "--by", "法制科"],
                              capture_output=True, text=True, env=env)  # fmt: skip
        assert made.returncode == 0, made.stderr
    database = url.rsplit("/", 1)[1]

    def as_account(name: str) -> dict[str, str]:
        return {**env, "REGCLEAN_DATABASE_URL":
                f"postgresql://{name}:s3cret-交通@127.0.0.1/{database}"}  # fmt: skip

    def run(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "regclean", "--registry", str(office), *args],
                              capture_output=True, text=True, env=as_account(name))  # fmt: skip

    proposed = run(traffic, "mark", str(own.id), "废止", "--reason", "已过时", "--by", "张三")
    assert proposed.returncode == 0, proposed.stderr
    refused = run(traffic, "mark", str(other.id), "废止", "--reason", "x", "--by", "李四")
    assert refused.returncode == 1 and "own department's instruments" in refused.stderr
    assert "Traceback" not in refused.stderr
    approving = run(traffic, "approve", str(own.id), "--by", "张三", "--decision-doc",
                    "温政发〔2026〕1号")  # fmt: skip
    assert approving.returncode == 1 and "server refused" in approving.stderr
    approved = run(legal, "approve", str(own.id), "--by", "王五", "--decision-doc",
                   "温政发〔2026〕1号")  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    with psycopg.connect(url) as conn:
        written = conn.execute("SELECT action, actor, role FROM events WHERE action IN "
                               "('propose', 'approve') ORDER BY seq").fetchall()  # fmt: skip
    assert written == [("propose", "张三", traffic), ("approve", "王五", legal)]
    found = run(traffic, "search", "交通甲")  # a department keeps the derived index as it searches
    assert found.returncode == 0 and "温州市交通甲办法" in found.stdout, found.stderr
    with Registry.open(office) as registry:
        assert registry.verify().ok


def test_a_write_undone_after_it_logged_leaves_no_gap_in_the_log(tmp_path: Path) -> None:
    """A transaction rolled back after appending an event (a later check failed) must not use
    up its number: a gap in the log reads as a deleted event."""
    with Registry.init(tmp_path / "reg", database=new_database()) as registry:
        registry.add_instrument(title="温州市甲办法")
        store = registry.store
        with pytest.raises(RuntimeError), store.transaction():
            store.log("note", actor="x", instrument_id=1,
                      payload={"amended_by": "甲政令第1号", "source": "t"})  # fmt: skip
            raise RuntimeError("a later check failed")
        registry.add_instrument(title="温州市乙办法")
        report = registry.verify()
        assert report.ok and report.events == 3, report.summary()


def test_verify_covers_the_tsvector_index(tmp_path: Path) -> None:
    """#25: the search index on the server is checked as the FTS5 one is: an instrument missing
    from it, or a value forged beside it (a status that would hide it from --status), is
    reported while the index claims to be current; reindex repairs it."""
    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as reg:
        kept = reg.add_instrument(title="温州市城市绿化管理办法", issuer="温州市人民政府")
        gone = reg.add_instrument(title="温州市市容管理办法", issuer="温州市人民政府")
        reg.search("绿化")
        assert reg.verify().ok
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE search_docs SET status = 'repealed' WHERE instrument_id = %s",
                     (kept.id,))  # fmt: skip
        conn.execute("DELETE FROM search_docs WHERE instrument_id = %s", (gone.id,))
    with Registry.open(tmp_path / "reg") as reg:
        (problem,) = reg.verify().problems
        assert f"1 instrument(s) not indexed (e.g. {gone.id})" in problem
        reg.reindex()
        assert reg.verify().ok
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE search_docs SET status = 'repealed' WHERE instrument_id = %s",
                     (kept.id,))  # fmt: skip
    with Registry.open(tmp_path / "reg") as reg:
        (problem,) = reg.verify().problems
        assert f"instrument {kept.id}, field status: 'repealed' in the index" in problem


def test_a_very_long_text_is_kept_and_found_on_the_server(tmp_path: Path) -> None:
    """#25: PostgreSQL refuses a tsvector of 1 MB; a body of 400,000 characters is still
    stored whole and found by its title and its opening words (the index keeps what fits)."""
    import random

    rng = random.Random(1)
    body = "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(400_000))
    with Registry.init(tmp_path / "reg", database=new_database()) as reg:
        doc = reg.add_instrument(title="温州市超长文件管理办法", full_text=body)
        assert reg.get(doc.id).full_text == body
        assert [h.instrument.id for h in reg.search("超长文件")] == [doc.id]
        assert [h.instrument.id for h in reg.search(body[100:104])] == [doc.id]
        assert reg.verify().ok


def test_keys_of_national_orders_are_recomputed_on_the_server(tmp_path: Path) -> None:
    """The server's step pg_0011_order_keys does what SQLite's 0020 does: a registry made
    before, holding an order's old key, is found by its number and verifies after it opens."""
    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as reg:
        order = reg.add_instrument(title="公安机关办理甲案件程序规定",
                                   doc_number="中华人民共和国公安部令第125号")  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE instruments SET number_key = '中华人民共和国公安部令第125号'")
        conn.execute("DELETE FROM migrations WHERE name = 'pg_0011_order_keys'")
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("公安部令第125号").id == order.id
        assert reg.verify().ok


def test_keys_of_numbers_within_a_term_are_recomputed_on_the_server(tmp_path: Path) -> None:
    """The server's step pg_0012_term_keys does what SQLite's 0021 does: a 公告 numbered within
    a term, stored without a key before it parsed, is found by its number after the registry
    opens, and the registry verifies."""
    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as reg:
        decision = reg.add_instrument(
            title="安徽省人民代表大会常务委员会关于修改和废止部分地方性法规的决定",
            doc_number="安徽省人民代表大会常务委员会公告（十四届）第四十号",
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE instruments SET number_key = ''")
        conn.execute("DELETE FROM migrations WHERE name = 'pg_0012_term_keys'")
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("安徽省人民代表大会常务委员会公告(十四届)第40号").id == decision.id
        assert reg.verify().ok


def test_keys_of_a_term_inside_a_committees_name_are_recomputed_on_the_server(
    tmp_path: Path,
) -> None:
    """The server's step pg_0013_term_inside_keys does what SQLite's 0022 does."""
    url = new_database()
    with Registry.init(tmp_path / "reg", database=url) as reg:
        rule = reg.add_instrument(
            title="宁波市预防和制止家庭暴力条例",
            doc_number="宁波市第十三届人民代表大会常务委员会公告第6号",
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE instruments SET number_key = ''")
        conn.execute("DELETE FROM migrations WHERE name = 'pg_0013_term_inside_keys'")
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("宁波市人民代表大会常务委员会公告（十三届）第6号").id == rule.id
        assert reg.verify().ok
