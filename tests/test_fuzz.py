"""The bad-input sweep: random input to every parser gives a valid result or a clear regclean
error, never a traceback and never a partial write. The run ends by saying how many inputs were
tried (see conftest.py)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regclean import DocNumber, PartialDate, RegcleanError, Registry
from regclean.publish import PublishError

TRIED: Counter[str] = Counter()
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["温政发〔2004〕12号", "2004-02-30", "二〇〇四年三月", "废止", "保留", "=1+1",
                     "《X办法》", "\x00", "", "国令第1号", "删掉"]),
)  # fmt: skip


@pytest.fixture(scope="module")
def registry_folder() -> Path:
    folder = Path(tempfile.mkdtemp())
    Registry.init(folder / "reg").close()
    yield folder / "reg"
    shutil.rmtree(folder, ignore_errors=True)


def _state(registry: Registry) -> tuple[int, int, int]:
    return registry.count(), len(registry.decisions()), registry.last_seq()


def _import(registry_folder: Path, name: str, content: bytes) -> None:
    path = registry_folder.parent / name
    path.write_bytes(content)
    with Registry.open(registry_folder) as registry:
        before = _state(registry)
        with contextlib.suppress(RegcleanError):
            registry.import_file(path, dry_run=True)
        assert _state(registry) == before  # a dry run or a refused file writes nothing


@FUZZ
@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=6))
def test_csv_rows(registry_folder: Path, rows: list[list[str]]) -> None:
    TRIED["csv files"] += 1
    header = "文件名称,文号,发布日期,清理意见,理由\n"
    body = "\n".join(",".join(c.replace(",", "，").replace("\n", " ") for c in row) for row in rows)
    _import(registry_folder, "fuzz.csv", (header + body).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_every_format(registry_folder: Path, data: bytes) -> None:
    for suffix in (".csv", ".jsonl", ".html", ".txt", ".md", ".docx", ".pdf"):
        TRIED[f"{suffix} bytes"] += 1
        _import(registry_folder, f"fuzz{suffix}", data)


decision_lines = st.one_of(
    st.text(max_size=30),
    st.sampled_from([
        "温州市人民政府关于废止和修改部分规章的决定", "一、对下列规章予以废止：", "二、对下列规章予以修改。",
        "（一）对《甲办法》作如下修改：", "1.删去第三条。", "(2)《乙办法》（2003年5月6日温州市人民政府令第62号发布）",
        "①《丙规定》（根据2008年1月2日温州市人民政府令第84号修改）", "三、本决定自2024年6月1日起施行。",
        "本决定自公布之日起施行。", "2024年2月30日", "省政府令第", "《》（）", "对《》作如下修改",
        "《丁办法》已经2009年12月10日市人民政府常务会议通过,现予公布,自2010年2月1日起施行。",
        "政府令〔2010〕第15号", "不再保留", "继续有效", "宣布失效",
        "|序号|法规名称|发布机关及日期|发文字号|废止理由|", "|1|国务院关于甲|1965年1月2日|〔1965〕国甲字3|已|",
        "| |乙的规定|发布|号|代替|", "| | | | |", "|---|---|", "|", "下载地址: 点击此处下载",
        "1989年6月17日 中华人民共和国国务院令第37号发布", "2021年1月1日 施行", "發(fā)布", "(1999年3月14日)",
        "市政府批准市市政管委",
    ]),
)  # fmt: skip


@FUZZ
@given(st.lists(decision_lines, max_size=12))
def test_published_decisions(registry_folder: Path, lines: list[str]) -> None:
    """Random decisions, made of real phrases and noise, as text and as a page."""
    TRIED["decision texts"] += 1
    text = "\n".join(lines)
    _import(registry_folder, "fuzz.txt", text.encode("utf-8", "surrogatepass"))
    page = "".join(f"<p>{line}</p>" for line in lines)
    _import(
        registry_folder,
        "fuzz.html",
        f"<html><body>{page}</body></html>".encode("utf-8", "surrogatepass"),
    )


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["title", "标题", "文号", "outcome", "x"]), cells, max_size=4),
                max_size=5))  # fmt: skip
def test_json_lines(registry_folder: Path, objects: list[dict]) -> None:
    import json

    TRIED["jsonl files"] += 1
    _import(
        registry_folder,
        "fuzz.jsonl",
        "\n".join(json.dumps(o, ensure_ascii=False) for o in objects).encode(),
    )


@FUZZ
@given(st.text(max_size=40))
def test_query_strings(registry_folder: Path, text: str) -> None:
    TRIED["queries"] += 1
    with Registry.open(registry_folder) as registry:
        try:
            hits = registry.search(text or "x")
        except RegcleanError:
            return
        assert isinstance(hits, list)


@FUZZ
@given(st.text(max_size=20), st.text(max_size=20))
def test_values_through_the_registry(registry_folder: Path, number: str, date: str) -> None:
    TRIED["number/date values"] += 1
    for parse in (DocNumber.parse, PartialDate.parse):
        try:
            parse(number)
            parse(date)
        except RegcleanError:
            pass


@FUZZ
@given(st.text(max_size=200))
def test_stylesheet_overrides(registry_folder: Path, text: str) -> None:
    TRIED["stylesheet overrides"] += 1
    override = registry_folder / "catalogs"
    override.mkdir(exist_ok=True)
    (override / "index.xsl").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        with Registry.open(registry_folder) as registry, contextlib.suppress(PublishError):
            registry.publish(registry_folder.parent / "site")
    finally:
        shutil.rmtree(override)


# -- #26: the sweep's new kinds of input ----------------------------------------------------

SMALL = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# control and invisible characters: C0, DEL, C1, the non-characters a workbook cannot hold,
# variation selectors, tags, fillers, the grapheme joiner, bidi controls
hostile = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x1F),
        st.sampled_from(["\x7f", "\x85", "\x9b", "\ufffe", "\uffff", "\ufe0f", "\u034f", "\u2800",
                         "\u115f", "\uffa0", "\u17b4", "\U000e0041", "\U000e0100", "\u202e",
                         "\u200b", "=", "+", "-", "@", "办", "法", "〔", "〕", "号"]),
    ),
    min_size=1,
    max_size=16,
)  # fmt: skip


@SMALL
@given(st.fixed_dictionaries({f: hostile for f in ("title", "doc_number", "issuer",
                                                    "department", "full_text")}))  # fmt: skip
def test_control_characters_in_every_field(registry_folder: Path, values: dict) -> None:
    """Whatever a field holds, an import refuses it clearly or keeps it; the command line then
    shows it without obeying it, and the papers and exports write it without breaking."""
    import json

    from typer.testing import CliRunner

    from cli import app

    TRIED["control characters in fields"] += 1
    source = registry_folder.parent / "hostile.jsonl"
    source.write_text(json.dumps({**values, "published_on": "2020-01-01"}), encoding="utf-8")
    with Registry.open(registry_folder) as registry:
        try:
            report = registry.import_file(source)
        except RegcleanError:
            return
        ids = [i.id for i in registry.instruments()][-max(report.added, 1) :]
        registry.export(registry_folder.parent / "all.xlsx")
    runner = CliRunner()
    for args in (["show", str(ids[-1])], ["search", values["title"][:10] or "x"],
                 ["history", str(ids[-1])]):  # fmt: skip
        result = runner.invoke(app, ["--registry", str(registry_folder), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert not any(c in result.output for c in "\x1b\x07\x00\x9b"), args


@SMALL
@given(st.one_of(st.integers(min_value=-(10**40), max_value=10**40),
                 st.sampled_from(["9" * 100, "-0", "1e9", "0x10", "１２", "NaN"])))  # fmt: skip
def test_huge_numbers_in_every_numeric_option(registry_folder: Path, number: object) -> None:
    """An id, a limit or an event number out of every range is a usage error or a clear
    regclean error, never an overflow."""
    from typer.testing import CliRunner

    from cli import app

    TRIED["numbers in options"] += 1
    runner = CliRunner()
    value = str(number)
    for args in (["search", "办法", "--limit", value], ["show", value], ["history", value],
                 ["withdraw", value, "--by", "x"], ["problem", "confirm", value, "--by", "x"]):  # fmt: skip
        result = runner.invoke(app, ["--registry", str(registry_folder), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            repr(result.exception),
        )
        assert "Traceback" not in result.output, args


@SMALL
@given(st.integers(min_value=1, max_value=30), st.sampled_from(["A1", "A1:D3", "A1:C2", "B2:B2",
                                                                 "A1:Z99999", "", "ZZ1"]))  # fmt: skip
def test_stale_xlsx_dimensions(registry_folder: Path, rows: int, claimed: str) -> None:
    """Whatever a sheet's <dimension> claims, every row it holds is read."""
    import re
    import zipfile

    import openpyxl

    TRIED["xlsx dimensions"] += 1
    folder = registry_folder.parent
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["文件名称", "文号", "发布日期"])
    for i in range(rows):
        sheet.append([f"维度办法{i}", f"维政发〔2020〕{i + 1}号", "2020-01-01"])
    book.save(folder / "whole.xlsx")
    stale = folder / "stale.xlsx"
    with zipfile.ZipFile(folder / "whole.xlsx") as src, zipfile.ZipFile(stale, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>',
                              f'<dimension ref="{claimed}"/>'.encode(), data)  # fmt: skip
            out.writestr(item, data)
    with Registry.open(registry_folder) as registry:
        report = registry.import_file(stale, dry_run=True)
    assert report.added + report.updated + report.unchanged == rows


@SMALL
@given(st.binary(max_size=200), st.sampled_from(["", "迁移"]))
def test_planted_site_markers(registry_folder: Path, marker: bytes, reason: str) -> None:
    """A folder with a planted .regclean-site (any bytes) is no site: publishing there is
    refused, and no file of the folder is moved or removed."""
    TRIED["planted site markers"] += 1
    mine = Path(tempfile.mkdtemp()) / "mine"
    mine.mkdir()
    (mine / "报告.docx").write_bytes(b"a clerk's report")
    (mine / ".regclean-site").write_bytes(marker)
    before = sorted((p.name, p.read_bytes()) for p in mine.iterdir())
    try:
        with Registry.open(registry_folder) as registry, pytest.raises(PublishError):
            registry.publish(mine, replacing_history=reason)
        assert sorted((p.name, p.read_bytes()) for p in mine.iterdir()) == before
        assert [p.name for p in mine.parent.iterdir()] == ["mine"]
    finally:
        shutil.rmtree(mine.parent)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=30,
)  # fmt: skip


@pytest.mark.sqlite_only("it rewrites an event in registry.sqlite")
@SMALL
@given(st.one_of(json_values, st.just("deep")), st.sampled_from([1, 2, 3]))
def test_malformed_event_payloads(registry_folder: Path, payload: object, seq: int) -> None:
    """An event whose payload was rewritten behind regclean's back (any JSON, or nesting
    thousands deep) is a finding of verify, and history still lists the log: no traceback."""
    import json
    import sqlite3

    TRIED["event payloads"] += 1
    copy = Path(tempfile.mkdtemp()) / "reg"
    shutil.copytree(registry_folder, copy)
    with Registry.open(copy) as registry:
        registry.add_instrument(title="载荷办法", doc_number="载政发〔2020〕1号")
        registry.propose("载政发〔2020〕1号", "废止", reason="过时", by="x")
        assert registry.last_seq() >= 3  # the events the example may rewrite exist
    text = "[" * 5000 + "]" * 5000 if payload == "deep" else json.dumps(payload)
    conn = sqlite3.connect(copy / "registry.sqlite")
    (was,) = conn.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()
    with conn:
        conn.execute("DROP TRIGGER IF EXISTS events_no_update")
        conn.execute("UPDATE events SET payload = ? WHERE seq = ?", (text, seq))
    conn.close()
    try:
        with Registry.open(copy) as registry:
            report = registry.verify()
            assert report.ok is (text == was)  # the hash no longer matches what it holds
            for instrument in registry.instruments():
                registry.history(instrument.id)
    except RegcleanError:
        pass
    finally:
        shutil.rmtree(copy.parent)


@SMALL
@given(st.binary(max_size=400))
def test_broken_pdfs(registry_folder: Path, data: bytes) -> None:
    """Bytes that begin as a PDF does and then go wrong: a clear error, never a traceback."""
    TRIED["broken pdfs"] += 1
    _import(registry_folder, "fuzz.pdf", b"%PDF-1.4\n" + data + b"\n%%EOF\n")
