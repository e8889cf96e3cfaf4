"""Search: what a clerk types finds what they mean, and the index never lies about the database."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest

from regclean import Registry, RegistryError, ValidationError
from regclean.search import SearchIndexError, bigrams

from .conftest import new_database, require_server

# The six target documents of ../shared/SEARCH-MEASUREMENTS.md's recall table, built in code.
DOCS = {
    "A": dict(title="温州市行政许可事项管理办法", doc_number="温政发〔2004〕12号", issuer="温州市人民政府",
              published_on="2004-03-20", full_text="为规范行政许可事项的办理，制定本办法。"),
    "B": dict(title="关于加强许可证管理的通知", doc_number="温政办〔2010〕3号", issuer="温州市人民政府办公室",
              published_on="2010-05-01", full_text="市人民政府各部门应当加强许可证的发放管理。"),
    "C": dict(title="关于做好人民政府信息公开工作的意见", doc_number="浙政办发〔2015〕7号",
              issuer="浙江省人民政府办公厅", published_on="2015-01-09",
              full_text="各级人民政府应当主动公开政府信息。"),
    "D": dict(title="杭州市人民政府关于2004年度行政许可清理的决定", doc_number="浙政发〔2012〕2004号",
              issuer="杭州市人民政府", published_on="2012-06-30",
              full_text="经市人民政府同意，现将2004年度行政许可项目清理结果公布。"),
    "E": dict(title="关于推进5G网络建设和PM2.5防治工作的通知", doc_number="国办发〔2019〕5号",
              issuer="国务院办公厅", published_on="2019-02-01",
              full_text="加快5G基站建设，降低PM2.5浓度。"),
    "F": dict(title="温州市行政许可监督检查办法", doc_number="温政发〔2006〕8号", issuer="温州市人民政府",
              published_on="2006-08-08",
              full_text="对行政许可事项实施监督检查，市人民政府统一领导。"),
}  # fmt: skip


@pytest.fixture(params=["whoosh", "fts5", "tsvector"])
def engine(request: pytest.FixtureRequest) -> str:
    """Every engine passes the same suite: recall, the query language, numbers, filters,
    sorting, status, snippets (the conformance tests below take ``fresh_registry``); tsvector
    on the PostgreSQL server .ci/run starts."""
    if request.param == "tsvector":
        require_server()
    return request.param


@pytest.fixture
def fresh_registry(tmp_path, clock, engine: str):
    database = new_database() if engine == "tsvector" else ""
    with Registry.init(tmp_path / "reg", jurisdiction="温州市", clock=clock,
                       search_engine=engine, database=database) as registry:  # fmt: skip
        yield registry


@pytest.fixture
def whoosh_registry(tmp_path, clock):
    """For what only the whoosh engine has: an index folder, its lock, its rebuilds."""
    with Registry.init(tmp_path / "reg", jurisdiction="温州市", clock=clock,
                       search_engine="whoosh") as registry:  # fmt: skip
        yield registry


@pytest.fixture
def whoosh_searchable(whoosh_registry: Registry) -> dict[str, int]:
    return {key: whoosh_registry.add_instrument(**values).id for key, values in DOCS.items()}


@pytest.fixture
def searchable(fresh_registry: Registry) -> dict[str, int]:
    return {key: fresh_registry.add_instrument(**values).id for key, values in DOCS.items()}


def found(registry: Registry, ids: dict[str, int], text: str, **filters) -> str:
    by_id = {v: k for k, v in ids.items()}
    return "".join(sorted(by_id[h.instrument.id] for h in registry.search(text, **filters)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("许可", "ABDF"),
        ("行政许可", "ADF"),
        ("行政许可事项", "AF"),  # the run, not scattered characters: D has 行政许可 but not 事项
        ('"行政许可事项"', "AF"),
        ("许可证", "B"),
        ("市人民政府", "ABDF"),
        ("人民政府", "ABCDF"),
        ("PM2.5", "E"),
        ("pm2.5", "E"),
        ("ＰＭ２．５", "E"),
        ("5G", "E"),
        ("温政发", "AF"),
        ("温政发〔2004〕12号", "A"),
        ("温政发[2004]12号", "A"),
        ("温政发（2004）12号", "A"),
        ("溫政發（2004）12號", "A"),
        ("温政发 2004 12", "A"),
        ("浙政发〔2012〕2004号", "D"),
        ("国办发〔2019〕5号", "E"),
    ],
)
def test_recall_on_typed_variants(
    fresh_registry: Registry, searchable, text: str, expected: str
) -> None:
    assert found(fresh_registry, searchable, text) == expected


def test_scattered_characters_do_not_match(fresh_registry: Registry, searchable) -> None:
    fresh_registry.add_instrument(title="行政事项与许可的若干规定")  # 行政…事项…许可, never the run
    assert found(fresh_registry, searchable | {"X": fresh_registry.count()}, "行政许可事项") == "AF"


def test_traditional_query_finds_simplified_text(fresh_registry: Registry, searchable) -> None:
    assert found(fresh_registry, searchable, "監督檢查") == "F"
    assert found(fresh_registry, searchable, "許可證") == "B"


def test_a_single_character_still_matches(fresh_registry: Registry, searchable) -> None:
    assert found(fresh_registry, searchable, "证") == "B"  # last character of a run


def test_partial_numbers_list_the_series(fresh_registry: Registry, searchable) -> None:
    assert found(fresh_registry, searchable, "温政发〔2004〕") == "A"
    assert found(fresh_registry, searchable, "温政发[2006]") == "F"
    assert found(fresh_registry, searchable, "温政办") == "B"


def test_one_number_two_documents_returns_both(fresh_registry: Registry) -> None:
    a = fresh_registry.add_instrument(title="甲条例", doc_number="国发〔1979〕1号")
    b = fresh_registry.add_instrument(title="乙条例", doc_number="国发〔1979〕1号")
    assert {h.instrument.id for h in fresh_registry.search("国发[1979]第1号")} == {a.id, b.id}


def test_query_language(fresh_registry: Registry, searchable) -> None:
    assert found(fresh_registry, searchable, "许可 -温州") == "D"  # B is issued by 温州市…办公室
    assert found(fresh_registry, searchable, "许可证 OR 信息公开") == "BC"
    assert found(fresh_registry, searchable, "标题:许可") == "ABDF"  # field: title only
    assert found(fresh_registry, searchable, "正文:监督检查") == "F"
    assert found(fresh_registry, searchable, "机关:国务院") == "E"
    assert found(fresh_registry, searchable, "“行政许可事项”") == "AF"  # Chinese quotes


def test_filters_and_sorting(fresh_registry: Registry, searchable) -> None:
    assert found(fresh_registry, searchable, "", year="2004..2010") == "ABF"
    assert found(fresh_registry, searchable, "许可", year="2006") == "F"
    assert found(fresh_registry, searchable, "", issuer="温州市人民政府") == "ABF"
    assert found(fresh_registry, searchable, "", kind="行政规范性文件") == "ABCDEF"
    newest = [h.instrument.id for h in fresh_registry.search("", year="2000..2030", sort="date")]
    assert newest[0] == searchable["E"] and newest[-1] == searchable["A"]
    oldest = [h.instrument.id for h in fresh_registry.search("许可", sort="date_asc")]
    assert oldest[0] == searchable["A"]
    with pytest.raises(ValidationError, match=r"Y1\.\.Y2"):
        fresh_registry.search("", year="2004年")
    with pytest.raises(ValidationError, match="give a query or at least one filter"):
        fresh_registry.search("")


def test_status_filter_follows_decisions(fresh_registry: Registry, searchable) -> None:
    fresh_registry.propose(searchable["A"], "废止", reason="已被新规定代替")
    assert found(fresh_registry, searchable, "", status="repealed") == ""
    fresh_registry.approve([searchable["A"]], by="市政府", effective_on="2024-01-01")
    assert found(fresh_registry, searchable, "", status="已废止") == "A"
    assert found(fresh_registry, searchable, "许可", status="现行有效") == "BDF"
    assert found(fresh_registry, searchable, "新规定代替") == "A"  # reasons are searchable
    fresh_registry.withdraw(searchable["A"], by="市政府", reason="错清")
    assert found(fresh_registry, searchable, "", status="repealed") == ""


def test_snippets_mark_the_match(fresh_registry: Registry, searchable) -> None:
    [hit] = fresh_registry.search("监督检查", limit=1)
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "监督检查"


def test_a_write_the_index_missed_is_replayed(fresh_registry: Registry, searchable) -> None:
    # Simulate a crash between the database commit and the index update.
    fresh_registry.store.on_commit.clear()
    fresh_registry.add_instrument(title="温州市新办法", doc_number="温政发〔2024〕1号")
    fresh_registry.propose("温州市行政许可监督检查办法", "repeal", reason="x")
    fresh_registry.approve(["温州市行政许可监督检查办法"], by="市政府", effective_on="2024-01-01")
    assert [h.instrument.title for h in fresh_registry.search("温州市新办法")] == ["温州市新办法"]
    assert found(fresh_registry, searchable, "", status="repealed") == "F"


def test_missing_and_damaged_index_are_named_and_reindex_repairs(
    whoosh_registry: Registry, whoosh_searchable
) -> None:
    whoosh_registry.index.close()
    shutil.rmtree(whoosh_registry.path / "index")
    with pytest.raises(SearchIndexError, match=r"missing.*regclean reindex"):
        whoosh_registry.search("许可")
    assert whoosh_registry.reindex() == 6
    assert found(whoosh_registry, whoosh_searchable, "许可") == "ABDF"
    whoosh_registry.index.close()
    for segment in (whoosh_registry.path / "index").glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in (whoosh_registry.path / "index").glob("*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(SearchIndexError, match="damaged"):
        whoosh_registry.search("许可")
    whoosh_registry.reindex()
    assert found(whoosh_registry, whoosh_searchable, "许可") == "ABDF"


def test_a_change_made_by_another_connection_is_seen(fresh_registry: Registry, searchable) -> None:
    other = Registry.open(fresh_registry.path)
    other.add_instrument(title="另一个进程写入的办法")
    other.close()
    assert len(fresh_registry.search("另一个进程")) == 1


@pytest.mark.sqlite_only("it reads registry.sqlite directly")
def test_the_database_stays_the_truth_when_the_index_cannot_be_written(
    whoosh_registry: Registry,
) -> None:
    whoosh_registry.index.close()
    shutil.rmtree(whoosh_registry.path / "index")
    doc = whoosh_registry.add_instrument(title="索引坏了也要保存的办法")
    assert whoosh_registry.get(doc.id).title == "索引坏了也要保存的办法"
    assert "missing" in whoosh_registry.index_problem
    conn = sqlite3.connect(whoosh_registry.path / "registry.sqlite")
    assert conn.execute("SELECT count(*) FROM instruments").fetchone()[0] == 1
    conn.close()


def test_bigrams() -> None:
    assert bigrams("行政许可 PM2.5 證") == ["行政", "政许", "许可", "pm2.5", "证"]


def test_a_locked_index_is_a_clear_error_not_a_traceback(
    whoosh_registry: Registry, whoosh_searchable
) -> None:
    from whoosh.filedb.filestore import FileStorage

    from regclean.search import SearchIndexError

    holder = FileStorage(str(whoosh_registry.path / "index")).open_index().writer()
    try:
        whoosh_registry.store.on_commit.clear()  # the write is committed; the index lags behind
        whoosh_registry.add_instrument(title="锁住时写入的办法")
        with pytest.raises(SearchIndexError, match="another process"):
            whoosh_registry.search("锁住时写入")
    finally:
        holder.cancel()
    assert [h.instrument.title for h in whoosh_registry.search("锁住时写入")] == [
        "锁住时写入的办法"
    ]


def test_the_characters_that_normalise_into_han_are_all_known() -> None:
    """Verification skips normalising a text that holds none of MAKES_HAN; that is exact only
    if every character whose normal form brings a Han character is in it, and no character
    normalises to nothing (which could join two Han runs). Checked over every code point."""
    from regclean.search import MAKES_HAN, normalise

    han = re.compile(r"[\u3400-\u9fff]")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        normal = normalise(char)
        assert normal, f"U+{code:04X} normalises to nothing"
        if normal != char and han.search(normal):
            assert MAKES_HAN.match(char), f"U+{code:04X} {char} -> {normal} is not in MAKES_HAN"


def test_a_word_written_with_compatibility_or_traditional_forms_is_still_found(
    fresh_registry: Registry,
) -> None:
    fresh_registry.add_instrument(
        title="某某通知", full_text="第㈠条 關於加強行政許可事項管理的規定"
    )
    fresh_registry.add_instrument(title="另一通知", full_text="行政 许可 事项分开写")
    hits = fresh_registry.search("行政许可事项")
    assert [h.instrument.title for h in hits] == ["某某通知"]


@pytest.mark.parametrize(
    ("stored", "issuer", "typed"),
    [
        ("省政府令第18号", "江西省人民政府", "江西省人民政府令第18号"),
        ("省政府令第18号", "江西省人民政府", "省政府令第18号"),
        ("政府令〔2010〕第15号", "河北省人民政府", "河北省人民政府令〔2010〕第15号"),
        ("(1990)农(检疫)字第14号", "", "农（检疫）字〔1990〕第14号"),
    ],
)
def test_search_answers_every_number_show_resolves(
    fresh_registry: Registry, stored: str, issuer: str, typed: str
) -> None:
    doc = fresh_registry.add_instrument(title="某规定", doc_number=stored, issuer=issuer)
    assert fresh_registry.get(typed).id == doc.id
    assert [hit.instrument.id for hit in fresh_registry.search(typed)] == [doc.id]


def test_an_index_of_an_earlier_version_is_rebuilt_not_refused(whoosh_registry: Registry) -> None:
    import json as json_

    doc = whoosh_registry.add_instrument(title="甲办法", doc_number="温政发〔2004〕12号")
    state_file = whoosh_registry.index.path / "regclean-state.json"
    state = json_.loads(state_file.read_text(encoding="utf-8"))
    state_file.write_text(json_.dumps({**state, "schema": 1}), encoding="utf-8")
    whoosh_registry.index.close()
    assert [h.instrument.id for h in whoosh_registry.search("甲办法")] == [doc.id]
    assert json_.loads(state_file.read_text(encoding="utf-8"))["schema"] != 1


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("外汇管理办法", "外匯"), ("臭氧层保护规定", "臭氧層"), ("建筑装饰管理办法", "裝飾"),
     ("新型墙体材料推广办法", "新型牆體材料"), ("關於加強外匯管理的通知", "外汇")],
)  # fmt: skip
def test_traditional_characters_from_opencc_find_simplified_ones(
    fresh_registry: Registry, stored: str, typed: str
) -> None:
    """The words the hand-made table missed (#12) are found in either script."""
    doc = fresh_registry.add_instrument(title=stored)
    assert [h.instrument.id for h in fresh_registry.search(typed)] == [doc.id]


def test_a_second_rebuild_is_refused_at_once_not_interleaved(whoosh_registry: Registry) -> None:
    """#17: two rebuilds at once wrote one folder and hung; the second is now refused clearly
    while another process holds the rebuild, and a killed rebuild's leftover is cleared."""
    import subprocess
    import sys

    lock = whoosh_registry.path / "index.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR"
         " | os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
         str(lock)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SearchIndexError, match="another process is rebuilding"):
            whoosh_registry.reindex()
    finally:
        holder.kill()
        holder.wait()
    (whoosh_registry.path / "index.new.killed").mkdir()
    whoosh_registry.add_instrument(title="甲办法")
    assert whoosh_registry.reindex() == 1
    assert not list(whoosh_registry.path.glob("index.new*"))


def test_a_search_waits_for_another_processs_index_update(whoosh_registry: Registry) -> None:
    """#17: while another process holds the index (rebuilding it after a large import), a
    search waits for it and then answers from the whole registry, instead of failing or
    answering from an index that misses the new instruments; a writer does not wait."""
    import subprocess
    import sys
    import time

    lock = whoosh_registry.path / "index.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR"
         " | os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(1.5)",
         str(lock)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        whoosh_registry.add_instrument(title="等待中登记的办法")  # committed; the index waits
        assert (
            time.monotonic() - started < 1.0 and "another process" in whoosh_registry.index_problem
        )
        hits = whoosh_registry.search("等待中登记")
        assert time.monotonic() - started >= 1.0  # it waited for the holder
        assert [h.instrument.title for h in hits] == ["等待中登记的办法"]
    finally:
        holder.kill()
        holder.wait()


def test_a_swap_cut_between_its_renames_is_undone_on_the_next_search(
    whoosh_registry: Registry,
) -> None:
    """A rebuild killed between its two renames leaves only ``index.old``: it is put back (under
    the index's lock) and brought up to date."""
    whoosh_registry.add_instrument(title="甲办法")
    path = whoosh_registry.path
    whoosh_registry.close()
    (path / "index").rename(path / "index.old")
    with Registry.open(path) as reg:
        reg.add_instrument(title="乙办法")
        assert [h.instrument.title for h in reg.search("办法", sort="date")] and {
            h.instrument.title for h in reg.search("办法")} == {"甲办法", "乙办法"}  # fmt: skip
    assert not (path / "index.old").exists()


@pytest.mark.sqlite_only("FTS5 is SQLite's")
def test_a_registry_switches_engines_with_one_command(whoosh_registry: Registry) -> None:
    """#14: `regclean reindex --engine fts5` builds the FTS5 index, writes the setting and drops
    the whoosh folder; the same searches find the same instruments; and back again."""
    from typer.testing import CliRunner

    from cli import app

    ids = {key: whoosh_registry.add_instrument(**values).id for key, values in DOCS.items()}
    queries = ["许可", "行政许可事项", "温政发", "PM2.5", "许可 -温州", "证"]
    before = {q: found(whoosh_registry, ids, q) for q in queries}
    path = whoosh_registry.path
    whoosh_registry.close()
    result = CliRunner().invoke(app, ["--registry", str(path), "reindex", "--engine", "fts5"])
    assert result.exit_code == 0 and "indexed 6 instruments (fts5)" in result.stdout
    assert not (path / "index").exists()
    assert 'engine = "fts5"' in (path / "regclean.toml").read_text(encoding="utf-8")
    with Registry.open(path) as reg:
        assert reg.settings.search_engine == "fts5"
        assert {q: found(reg, ids, q) for q in queries} == before
        assert reg.switch_engine("whoosh") == 6 and (path / "index").is_dir()
        assert reg.reads.search_index() is None  # the FTS5 tables emptied
        assert {q: found(reg, ids, q) for q in queries} == before


def test_verify_covers_the_fts5_index(tmp_path, clock) -> None:
    """#14: an instrument missing from the FTS5 index (or one indexed that does not exist) is
    reported by verify while the index claims to be current."""
    with Registry.init(tmp_path / "reg", clock=clock, search_engine="fts5") as reg:
        for values in DOCS.values():
            reg.add_instrument(**values)
        reg.search("许可")
        assert reg.verify().ok
    conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
    with conn:
        conn.execute("DELETE FROM search_docs WHERE instrument_id = 3")
    conn.close()
    with Registry.open(tmp_path / "reg", clock=clock) as reg:
        (problem,) = reg.verify().problems
        assert "search index (fts5): 1 instrument(s) not indexed (e.g. 3)" in problem
        reg.reindex()
        assert reg.verify().ok


def test_a_title_match_ranks_before_body_matches(fresh_registry: Registry) -> None:
    """#14: a word that most documents hold in their body: the ones that hold it in their title
    come first, then the others by relevance."""
    for n in range(8):
        fresh_registry.add_instrument(title=f"关于第{n}项工作的通知",
                                      full_text="加强安全生产管理。" * (n + 3))  # fmt: skip
    titled = fresh_registry.add_instrument(title="温州市安全生产管理办法", full_text="总则。")
    hits = fresh_registry.search("安全生产")
    assert hits[0].instrument.id == titled.id and len(hits) == 9


@pytest.mark.parametrize("store", ["fts5", "tsvector"])
def test_a_word_most_documents_hold_is_ordered_without_scoring_every_match(
    tmp_path, clock, monkeypatch, store: str
) -> None:
    """#14, #25: on the in-database engines, a query whose words are in more documents than
    DENSE_FROM is answered without scoring every match: title matches first, shortest title
    first, then the others, shortest text first. It finds the same instruments as the scored
    path."""
    from regclean.store import fts, pgsearch

    if store == "tsvector":
        require_server()
    database = new_database() if store == "tsvector" else ""
    with Registry.init(tmp_path / "reg", clock=clock, search_engine=store,
                       database=database) as reg:  # fmt: skip
        body = [reg.add_instrument(title=f"关于第{n}项工作的通知", full_text="安全生产。" * (9 - n)).id
                for n in range(6)]  # fmt: skip
        long_title = reg.add_instrument(
            title="温州市安全生产监督管理若干规定", full_text="总则。"
        ).id
        short_title = reg.add_instrument(title="安全生产规定", full_text="总则。").id
        scored = {h.instrument.id for h in reg.search("安全生产", limit=50)}
        monkeypatch.setattr(fts, "DENSE_FROM", 2)
        monkeypatch.setattr(pgsearch, "DENSE_FROM", 2)
        ordered = [h.instrument.id for h in reg.search("安全生产", limit=50)]
        assert set(ordered) == scored and len(ordered) == 8
        assert ordered[:2] == [short_title, long_title]
        assert ordered[2:] == list(reversed(body))  # the shortest text first
        assert [h.instrument.id for h in reg.search("安全生产", limit=3)] == ordered[:3]


def test_a_large_rebuild_prepares_on_every_core_and_indexes_the_same(
    tmp_path, clock, monkeypatch
) -> None:
    """#14: the FTS5 engine prepares a large rebuild's text in forked processes; the index is
    the one a rebuild in this process makes."""
    import regclean.search.fts_engine as search

    with Registry.init(tmp_path / "reg", clock=clock, search_engine="fts5") as reg:
        for n in range(30):
            reg.add_instrument(title=f"温州市第{n}号管理办法", doc_number=f"温政发〔2020〕{n + 1}号",
                               full_text=f"为规范第{n}项工作，制定本办法。")  # fmt: skip
        queries = ["管理办法", "第7号", "温政发〔2020〕8号", "规范", "办"]
        alone = {q: [h.instrument.id for h in reg.search(q, limit=None)] for q in queries}
        monkeypatch.setattr(search, "PARALLEL_FROM", 5)
        monkeypatch.setattr(search, "PREPARE_CHUNK", 7)
        assert reg.reindex() == 30
        assert {q: [h.instrument.id for h in reg.search(q, limit=None)] for q in queries} == alone
        assert reg.verify().ok and all(alone.values())


@pytest.mark.sqlite_only("SQLite built without FTS5")
def test_without_fts5_a_registry_searches_with_whoosh(tmp_path, clock, monkeypatch) -> None:
    """#14: where Python's SQLite lacks FTS5 (it rarely does), a new registry is made with the
    whoosh engine, and one that asks for FTS5 is told what to set instead."""
    from regclean.store import Store

    monkeypatch.setattr(Store, "has_fts5", property(lambda self: False))
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        assert reg.settings.search_engine == "whoosh"
        reg.add_instrument(title="温州市城市绿化管理办法")
        assert [h.instrument.title for h in reg.search("绿化")] == ["温州市城市绿化管理办法"]
    with pytest.raises(RegistryError, match=r'built without FTS5; use search_engine="whoosh"'):
        Registry.init(tmp_path / "other", clock=clock, search_engine="fts5")
    assert not list((tmp_path / "other").glob("*"))  # nothing left half-made


def test_the_rest_of_the_query_language_on_every_engine(
    fresh_registry: Registry, searchable
) -> None:
    """+required words (the others only rank), and the fields kept beside the text: 状态:,
    类别:, 年份: (a year, or later than one with >)."""
    fresh_registry.propose(searchable["A"], "废止", reason="过时", campaign="")
    fresh_registry.approve([searchable["A"]], by="市政府", effective_on="2024-01-01")
    assert found(fresh_registry, searchable, "+许可证 信息公开") == "B"
    assert found(fresh_registry, searchable, "状态:repealed") == "A"
    assert found(fresh_registry, searchable, "许可 状态:in_force") == "BDF"
    assert found(fresh_registry, searchable, "类别:normative 温州") == "ABF"
    assert found(fresh_registry, searchable, "年份:2004") == "A"
    assert found(fresh_registry, searchable, "许可 年份:>2006") == "BD"


def test_an_fts5_search_waits_for_another_writer_instead_of_failing(tmp_path, clock) -> None:
    """#14/#17: while another process holds the database's write lock (a large import being
    indexed), a search whose index must catch up waits for it; a writer's own catch-up does not
    wait, and says so."""
    import subprocess
    import sys
    import time

    with Registry.init(tmp_path / "reg", clock=clock, search_engine="fts5") as reg:
        for values in DOCS.values():
            reg.add_instrument(**values)
        conn = sqlite3.connect(tmp_path / "reg" / "registry.sqlite")
        with conn:  # the index forgets the last event (derived data: nothing else changes)
            conn.execute("UPDATE search_state SET seq = seq - 1")
        conn.close()
        holder = subprocess.Popen(
            [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], "
             "isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('held', flush=True); "
             "time.sleep(1.5); c.execute('ROLLBACK')", str(tmp_path / "reg" / "registry.sqlite")],
            stdout=subprocess.PIPE, text=True)  # fmt: skip
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            with pytest.raises(SearchIndexError, match="another process is updating"):
                reg.index.sync(reg.store.reads, wait=0.0)
            started = time.monotonic()
            hits = reg.search("许可证")
            assert time.monotonic() - started >= 0.5
            assert [h.instrument.doc_number for h in hits] == ["温政办〔2010〕3号"]
        finally:
            holder.kill()
            holder.wait()


def test_groups_and_single_characters_inside_words(fresh_registry: Registry, searchable) -> None:
    """标题:(a OR b) applies the field to both; brackets group an OR; a wildcard inside a word
    finds the characters around it."""
    assert found(fresh_registry, searchable, "标题:(许可证 OR 信息公开)") == "BC"
    assert found(fresh_registry, searchable, "(许可证 OR 信息公开) 政府") == "BC"
    assert found(fresh_registry, searchable, "许*可") == "ABDF"


def test_dense_words_by_date_find_what_the_plain_plans_find(tmp_path, clock, monkeypatch) -> None:
    """#14: the FTS5 engine's shortcut for a dense word sorted by date (walking the documents in
    date order and stopping at the limit) returns what sorting every match returns."""
    from regclean.store import fts

    with Registry.init(tmp_path / "reg", clock=clock, search_engine="fts5") as reg:
        for n in range(12):
            reg.add_instrument(title=f"第{n}号行政许可事项管理办法" if n % 3 else f"第{n}号通知",
                               full_text="行政许可事项。" if n % 2 else "许可事项行政。",
                               published_on=f"20{10 + n}-01-0{1 + n % 9}")  # fmt: skip
        queries = [("许可", "date"), ("许可", "date_asc"), ("行政许可事项管理", "relevance"),
                   ("行政许可事项", "relevance"), ("许可事项行政", "date")]  # fmt: skip
        plain = {
            q: [h.instrument.id for h in reg.search(q[0], sort=q[1], limit=5)] for q in queries
        }
        monkeypatch.setattr(fts, "DENSE_FROM", 2)  # every word dense: walked in date order
        reg.store.fts._counts.clear()
        walked = {q: [h.instrument.id for h in reg.search(q[0], sort=q[1], limit=5)]
                  for q in queries}  # fmt: skip
        for q in queries:
            if q[1] != "relevance":
                assert walked[q] == plain[q], q
            else:  # relevance: the same instruments (dense words are ordered apart)
                assert set(walked[q]) == set(plain[q]) and plain[q], q


def test_on_fts5_title_matches_come_shortest_title_first(tmp_path, clock) -> None:
    """#14: on the FTS5 engine the documents whose title holds the query come first, the
    shorter the title the sooner (read in row order, however many there are), then the
    documents that hold it elsewhere."""
    with Registry.init(tmp_path / "reg", clock=clock, search_engine="fts5") as reg:
        body = [reg.add_instrument(title=f"关于第{n}项工作的通知", full_text="扬尘治理。" * (n + 1)).id
                for n in range(3)]  # fmt: skip
        long_ = reg.add_instrument(
            title="温州市建设工程施工扬尘污染防治管理办法", full_text="总则。"
        ).id
        short = reg.add_instrument(title="扬尘污染防治办法", full_text="总则。").id
        middle = reg.add_instrument(title="温州市扬尘污染防治规定", full_text="总则。").id
        order = [h.instrument.id for h in reg.search("扬尘")]
        assert order[:3] == [short, middle, long_]
        assert sorted(order[3:]) == sorted(body)  # then the others (by BM25)
        assert [h.instrument.id for h in reg.search("扬尘", limit=2)] == [short, middle]
