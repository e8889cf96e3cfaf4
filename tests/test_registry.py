"""The registry facade: identity, lookup, the life of a decision, point-in-time status, the log."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from regclean import (
    AmbiguousReferenceError,
    DecisionState,
    DuplicateError,
    NotFoundError,
    Outcome,
    Registry,
    RegistryError,
    StateError,
    Status,
    ValidationError,
)


def test_one_number_can_carry_two_documents(fresh_registry: Registry) -> None:
    a = fresh_registry.add_instrument(title="甲条例", doc_number="国发〔1979〕1号")
    b = fresh_registry.add_instrument(title="乙条例", doc_number="国发[1979]1号")
    assert a.id != b.id
    assert {i.id for i in fresh_registry.find("国发（1979）1号")} == {a.id, b.id}
    with pytest.raises(AmbiguousReferenceError) as info:
        fresh_registry.get("国发〔1979〕1号")
    assert "甲条例" in str(info.value) and "乙条例" in str(info.value)
    assert fresh_registry.get("乙条例").id == b.id


def test_identity_is_number_and_title_core(fresh_registry: Registry) -> None:
    fresh_registry.add_instrument(
        title="关于印发《温州市X办法》的通知", doc_number="温政发〔2004〕12号"
    )
    with pytest.raises(DuplicateError, match="already in the registry"):
        fresh_registry.add_instrument(title="《温州市X办法》", doc_number="溫政發[2004]12號")
    assert fresh_registry.count() == 1


def test_found_by_id_any_number_variant_or_exact_title(fresh_registry: Registry) -> None:
    doc = fresh_registry.add_instrument(
        title="关于印发《温州市X办法》的通知", doc_number="温政发〔2004〕12号"
    )
    for ref in [doc.id, str(doc.id), f"#{doc.id}", "温政发[2004]第012号", "溫政發（2004）12號",
                "关于印发《温州市X办法》的通知", "温州市X办法", "《温州市X办法》"]:  # fmt: skip
        assert fresh_registry.get(ref).id == doc.id, ref
    with pytest.raises(NotFoundError, match="no instrument matches"):
        fresh_registry.get("温政发〔2004〕13号")


def test_generic_order_numbers_are_found_in_full(fresh_registry: Registry) -> None:
    doc = fresh_registry.add_instrument(
        title="济南市市区山岭管理办法", doc_number="市政府令第7号", issuer="济南市人民政府"
    )
    assert fresh_registry.get("济南市人民政府令第7号").id == doc.id
    assert fresh_registry.get("市政府令第7号").id == doc.id


def test_bad_values_name_the_field(fresh_registry: Registry) -> None:
    with pytest.raises(ValidationError) as info:
        fresh_registry.add_instrument(title="", doc_number="garbage", published_on="2004-02-30")
    fields = {p.field for p in info.value.problems}
    assert fields == {"title", "doc_number", "published_on"}
    assert fresh_registry.count() == 0


def test_unknown_field_is_an_error_not_silence(fresh_registry: Registry) -> None:
    with pytest.raises(ValidationError, match="unknown instrument field"):
        fresh_registry.add_instrument(title="X", doc_nubmer="温政发〔2004〕12号")


@pytest.fixture
def doc(fresh_registry: Registry):
    return fresh_registry.add_instrument(
        title="温州市X办法", doc_number="温政发〔2004〕12号", published_on="2004-03-20"
    )


def test_propose_approve_and_status_on_dates(fresh_registry: Registry, doc) -> None:
    decision = fresh_registry.propose(doc.id, "废止", reason="与上位法相抵触", by="张三")
    assert decision.state is DecisionState.PROPOSED
    assert fresh_registry.status_on(doc.id) is Status.IN_FORCE  # a proposal changes nothing
    [approved] = fresh_registry.approve(
        [doc.id], by="李四", decision_doc="温政发〔2024〕1号", effective_on="2024-06-01"
    )
    assert approved.state is DecisionState.APPROVED
    assert fresh_registry.status_on(doc.id, "2024-05-31") is Status.IN_FORCE
    assert fresh_registry.status_on(doc.id, "2024-06-01") is Status.REPEALED
    assert fresh_registry.status_on(doc.id, dt.date(2030, 1, 1)) is Status.REPEALED
    counts = fresh_registry.counts_by_status("2024-07-01")
    assert counts[Status.REPEALED] == 1 and counts[Status.IN_FORCE] == 0


def test_one_open_decision_per_instrument(fresh_registry: Registry, doc) -> None:
    fresh_registry.propose(doc.id, "keep")
    with pytest.raises(StateError, match="already has an open proposal"):
        fresh_registry.propose(doc.id, "repeal", reason="x")
    assert len(fresh_registry.decisions(doc.id)) == 1


def test_no_approving_twice_or_approving_a_withdrawn_decision(
    fresh_registry: Registry, doc
) -> None:
    fresh_registry.propose(doc.id, "repeal", reason="x")
    fresh_registry.approve([doc.id], by="李四", effective_on="2024-01-01")
    with pytest.raises(StateError, match="no open proposal"):
        fresh_registry.approve([doc.id], by="李四")
    fresh_registry.withdraw(doc.id, by="李四", reason="错清")
    with pytest.raises(StateError, match="withdrawn"):
        fresh_registry.approve([doc.id], by="李四")
    assert fresh_registry.status_on(doc.id) is Status.IN_FORCE


def test_a_repealed_instrument_takes_no_new_proposal(fresh_registry: Registry, doc) -> None:
    fresh_registry.propose(doc.id, "repeal", reason="x")
    fresh_registry.approve([doc.id], by="李四", effective_on="2024-01-01")
    with pytest.raises(StateError, match="already decided 废止"):
        fresh_registry.propose(doc.id, "keep")


def test_effective_date_not_before_the_instrument(fresh_registry: Registry, doc) -> None:
    fresh_registry.propose(doc.id, "repeal", reason="x")
    with pytest.raises(ValidationError, match="before the instrument's own date 2004-03-20"):
        fresh_registry.approve([doc.id], by="李四", effective_on="2004-03-19")
    assert fresh_registry.decisions(doc.id)[0].state is DecisionState.PROPOSED


def test_approval_is_all_or_nothing(fresh_registry: Registry, doc) -> None:
    old = fresh_registry.add_instrument(
        title="温州市Y办法", doc_number="温政发〔2010〕1号", published_on="2010-01-01"
    )
    fresh_registry.propose(doc.id, "repeal", reason="x")
    fresh_registry.propose(old.id, "repeal", reason="x")
    with pytest.raises(ValidationError):
        fresh_registry.approve([doc.id, old.id], by="李四", effective_on="2005-01-01")
    assert [d.state for d in fresh_registry.decisions()] == [DecisionState.PROPOSED] * 2


def test_replacing_instrument_becomes_a_relation(fresh_registry: Registry, doc) -> None:
    new = fresh_registry.add_instrument(
        title="温州市X办法（2024年修订）", doc_number="温政发〔2024〕5号"
    )
    fresh_registry.propose(doc.id, "revise", reason="制定依据发生重大变化", replaced_by=new.id)
    fresh_registry.approve([doc.id], by="李四", effective_on="2024-05-01")
    # #13: a revision that names the text replacing it ends its force on that day
    assert fresh_registry.status_on(doc.id) is Status.REPLACED
    assert fresh_registry.status_on(doc.id, "2024-04-30") is Status.IN_FORCE
    assert [(name, other.id) for name, other in fresh_registry.relations(doc.id)] == [
        ("replaced_by", new.id)
    ]
    assert [(name, other.id) for name, other in fresh_registry.relations(new.id)] == [
        ("replaces", doc.id)
    ]


def test_keep_cannot_name_a_replacement(fresh_registry: Registry, doc) -> None:
    other = fresh_registry.add_instrument(title="Z办法")
    with pytest.raises(ValidationError, match="replacing instrument"):
        fresh_registry.propose(doc.id, "keep", replaced_by=other.id)


def test_expired_and_not_yet_in_force(fresh_registry: Registry) -> None:
    doc = fresh_registry.add_instrument(
        title="暂行办法", effective_on="2020-01-01", expires_on="2022-12-31"
    )
    assert fresh_registry.status_on(doc.id, "2019-12-31") is Status.NOT_YET_IN_FORCE
    assert fresh_registry.status_on(doc.id, "2021-06-01") is Status.IN_FORCE
    assert fresh_registry.status_on(doc.id, "2023-01-01") is Status.EXPIRED


def test_a_partial_effective_date_counts_from_its_end(fresh_registry: Registry, doc) -> None:
    fresh_registry.propose(doc.id, "invalidate", reason="适用期已过")
    fresh_registry.approve([doc.id], by="国务院", effective_on="2008")
    assert fresh_registry.status_on(doc.id, "2008-06-30") is Status.IN_FORCE
    assert fresh_registry.status_on(doc.id, "2008-12-31") is Status.INVALID


def test_history_records_every_step(fresh_registry: Registry, doc) -> None:
    fresh_registry.propose(doc.id, "修订", reason="不适应改革要求", by="张三")
    fresh_registry.withdraw(doc.id, by="张三", reason="报错了")
    fresh_registry.propose(doc.id, "保留", by="张三")
    fresh_registry.approve([doc.id], by="李四", effective_on="2024-01-01")
    actions = [(e.action, e.actor) for e in fresh_registry.history(doc.id)]
    assert actions == [("add", ""), ("propose", "张三"), ("withdraw", "张三"),
                       ("propose", "张三"), ("approve", "李四")]  # fmt: skip
    assert fresh_registry.history(doc.id)[2].payload["reason"] == "报错了"


@pytest.mark.sqlite_only("it edits registry.sqlite (test_postgresql covers the server's triggers)")
def test_the_event_log_is_append_only(fresh_registry: Registry, doc) -> None:
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET actor = 'forger'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()


def test_update_is_logged_with_old_and_new(fresh_registry: Registry, doc) -> None:
    fresh_registry.update_instrument(doc.id, issuer="温州市人民政府", by="王五")
    event = fresh_registry.history(doc.id)[-1]
    assert event.action == "update" and event.payload["issuer"] == ["", "温州市人民政府"]


@pytest.mark.sqlite_only("SQLite's WAL and its migrations")
def test_registry_on_disk_is_wal_with_recorded_migrations(fresh_registry: Registry) -> None:
    conn = sqlite3.connect(fresh_registry.path / "registry.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    from regclean.store.migrations import MIGRATIONS

    recorded = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert recorded == [name for name, _ in MIGRATIONS] and recorded[0] == "0001_core"
    conn.close()
    assert fresh_registry.store.one("PRAGMA foreign_keys")[0] == 1
    settings = (fresh_registry.path / "regclean.toml").read_text(encoding="utf-8")
    assert 'jurisdiction = "温州市"' in settings


def test_reopening_keeps_everything(tmp_path: Path, clock) -> None:
    with Registry.init(tmp_path / "r", clock=clock) as registry:
        registry.add_instrument(title="A办法", doc_number="浙政发〔2012〕2004号")
    with Registry.open(tmp_path / "r") as registry:
        assert registry.get("浙政发[2012]2004号").title == "A办法"


def test_open_and_init_errors(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no registry here"):
        Registry.open(tmp_path / "nothing")
    Registry.init(tmp_path / "r").close()
    with pytest.raises(RegistryError, match="already exists"):
        Registry.init(tmp_path / "r")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "registry.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(RegistryError, match="not a regclean database"):
        Registry.open(tmp_path / "bad")


def test_outcome_words_in_chinese(fresh_registry: Registry, doc) -> None:
    assert fresh_registry.propose(doc.id, "宣布失效", reason="x").outcome is Outcome.INVALIDATE


def test_campaign_must_exist(fresh_registry: Registry, doc) -> None:
    with pytest.raises(NotFoundError, match="no campaign named"):
        fresh_registry.propose(doc.id, "keep", campaign="2024")
    fresh_registry.create_campaign("2024", cutoff="2023-12-31", deadline="2024-06-30")
    fresh_registry.propose(doc.id, "keep", campaign="2024")
    [approved] = fresh_registry.approve(campaign="2024", by="李四", effective_on="2024-07-01")
    assert approved.campaign == "2024"


def test_counts_by_status_agree_with_each_instruments_status(fresh_registry: Registry) -> None:
    """The counts read only the dates and the approved decisions; they must agree with the
    status of each instrument, expired and not yet in force included, on any day."""
    reg = fresh_registry
    reg.add_instrument(title="甲办法", expires_on="2025")
    reg.add_instrument(title="乙办法", effective_on="2027-03")
    reg.add_instrument(title="丙办法", published_on="2020-01-01")
    gone = reg.add_instrument(title="丁办法", published_on="2019-01-01")
    reg.propose(gone.id, "失效", reason="适用期已过", by="张三")
    reg.approve([gone.id], by="市政府", effective_on="2026-01-01")
    for day in ("2024-12-31", "2025-12-31", "2026-11-26", "2027-03-31"):
        expected: dict[Status, int] = dict.fromkeys(Status, 0)
        for instrument in reg.instruments():
            expected[reg.status_on(instrument.id, day)] += 1
        assert reg.counts_by_status(day) == expected, day
    assert reg.counts_by_status("2026-11-26")[Status.EXPIRED] == 1
    assert reg.counts_by_status("2026-11-26")[Status.NOT_YET_IN_FORCE] == 1


@pytest.mark.sqlite_only("a SQLite migration step")
def test_keys_of_numbers_whose_canonical_form_changed_are_recomputed(tmp_path: Path) -> None:
    """A registry made before migration 0006 stored 农检疫字第〔1990〕14号 (the stray 第 kept):
    opened now, the key is recomputed and every spelling finds the document."""
    import sqlite3

    with Registry.init(tmp_path / "reg") as reg:
        doc = reg.add_instrument(title="某规定", doc_number="(1990)农(检疫)字第14号")
    conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
    with conn:
        conn.execute("UPDATE instruments SET number_key = '农检疫字第〔1990〕14号'")
        conn.execute("UPDATE instruments SET title_key = '某規定'")
        conn.execute("DELETE FROM migrations WHERE name = '0006_derived_keys'")
    conn.close()
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("农（检疫）字〔1990〕第14号").id == doc.id
        assert reg.get("某規定").id == doc.id
        assert reg.verify().ok


@pytest.mark.sqlite_only("a SQLite migration step")
def test_keys_of_national_orders_are_recomputed_when_a_registry_is_opened(tmp_path: Path) -> None:
    """Migration 0020: a registry made before stored 中华人民共和国公安部令第125号 under that key
    and a joint 甲局、乙署第4号令 under none; opened now, each is found by every spelling and
    verify finds nothing forged."""
    import sqlite3

    with Registry.init(tmp_path / "reg") as reg:
        order = reg.add_instrument(title="公安机关办理甲案件程序规定",
                                   doc_number="中华人民共和国公安部令第125号")  # fmt: skip
        joint = reg.add_instrument(title="乙类药品进口管理办法", doc_number="甲局、乙署第4号令")
    conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
    with conn:
        conn.execute("UPDATE instruments SET number_key = '中华人民共和国公安部令第125号' "
                     "WHERE id = ?", (order.id,))  # fmt: skip
        conn.execute("UPDATE instruments SET number_key = '' WHERE id = ?", (joint.id,))
        conn.execute("DELETE FROM migrations WHERE name = '0020_order_keys'")
    conn.close()
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("公安部令第125号").id == order.id
        assert reg.get("甲局、乙署令第4号").id == joint.id
        assert reg.verify().ok


@pytest.mark.sqlite_only("a SQLite migration step")
def test_keys_of_numbers_within_a_term_are_recomputed_when_a_registry_is_opened(
    tmp_path: Path,
) -> None:
    """Migration 0021: a standing committee's 公告 numbered within a term did not parse, so a
    registry made before holds no key for it; opened now, it is found by the number in any
    spelling (Chinese or Arabic serial, either brackets) and verify finds nothing forged."""
    import sqlite3

    with Registry.init(tmp_path / "reg") as reg:
        decision = reg.add_instrument(
            title="安徽省人民代表大会常务委员会关于修改和废止部分地方性法规的决定",
            doc_number="安徽省人民代表大会常务委员会公告（十四届）第四十号",
        )
    conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
    with conn:
        conn.execute("UPDATE instruments SET number_key = '' WHERE id = ?", (decision.id,))
        conn.execute("DELETE FROM migrations WHERE name = '0021_term_keys'")
    conn.close()
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("安徽省人民代表大会常务委员会公告(十四届)第40号").id == decision.id
        assert reg.verify().ok


@pytest.mark.sqlite_only("a SQLite migration step")
def test_keys_of_a_term_inside_a_committees_name_are_recomputed(tmp_path: Path) -> None:
    """Migration 0022: a 公告 whose term stands inside the committee's name was keyed apart from
    the same number with the term in brackets; opened now, either spelling finds it."""
    import sqlite3

    with Registry.init(tmp_path / "reg") as reg:
        rule = reg.add_instrument(
            title="宁波市预防和制止家庭暴力条例",
            doc_number="宁波市第十三届人民代表大会常务委员会公告第6号",
        )
    conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
    with conn:
        conn.execute(
            "UPDATE instruments SET number_key = '宁波市第十三届人民代表大会常务委员会公告第6号'"
        )
        conn.execute("DELETE FROM migrations WHERE name = '0022_term_inside_keys'")
    conn.close()
    with Registry.open(tmp_path / "reg") as reg:
        assert reg.get("宁波市人民代表大会常务委员会公告（十三届）第6号").id == rule.id
        assert reg.verify().ok


@pytest.mark.parametrize(
    ("line", "message"),
    [('time_zone = "Mars/Base"', "not a known time zone"),
     ('publish_handlers = "maybe"', "publish_handlers must be yes or no"),
     ('require_review = "也许"', "require_review must be yes or no"),
     ('[search]\nengine = "lucene"', r"\[search\] engine must be one of whoosh, fts5")],
)  # fmt: skip
def test_a_bad_setting_names_the_file(tmp_path: Path, line: str, message: str) -> None:
    Registry.init(tmp_path / "reg").close()
    (tmp_path / "reg" / "regclean.toml").write_text(f"[registry]\n{line}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"regclean\.toml: .*{message}"):
        Registry.open(tmp_path / "reg")


def test_a_search_index_made_before_the_ascii_tokenizer_is_remade_and_still_finds(
    tmp_path: Path,
) -> None:
    """Migration 0011 gives the FTS5 index the ascii tokenizer: a registry indexed before it
    (unicode61) is opened, its index emptied and rebuilt, and every word is found again."""
    import sqlite3

    with Registry.init(tmp_path / "reg", search_engine="fts5") as reg:
        doc = reg.add_instrument(title="温州市PM2.5防治办法", doc_number="温政发〔2004〕12号",
                                 full_text="大气污染防治，行政许可。")  # fmt: skip
        assert [h.instrument.id for h in reg.search("行政许可")] == [doc.id]
    conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
    with conn:
        conn.execute("DROP TABLE search_vocab")
        conn.execute("DROP TABLE search_fts")
        conn.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, title_core, number_text, issuer, "
            "department, reasons, body, content='', detail=column, "
            "tokenize=\"unicode61 remove_diacritics 0 tokenchars '.'\")"
        )
        conn.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')")
        conn.execute("DELETE FROM migrations WHERE name = '0011_search_tokens'")
    conn.close()
    with Registry.open(tmp_path / "reg") as reg:
        sql = reg.store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_fts'"
        ).fetchone()[0]
        assert "tokenize=\"ascii tokenchars '.'\"" in sql
        for query in ("行政许可", "pm2.5", "温政发〔2004〕12号", "防治"):
            assert [h.instrument.id for h in reg.search(query)] == [doc.id], query
        assert reg.verify().ok
