"""Every format departments send, the layouts seen in the wild, exports, and hostile files."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from regclean import Registry, ValidationError
from regclean.ingest.columns import field_for, split_combined


def test_xlsx_with_title_rows_merged_header_and_real_dates(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["附件1：拟废止的规范性文件目录"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "文件名称", "文号", "发布", None, "清理意见"])
    sheet.merge_cells("D2:E2")
    sheet.append([None, None, None, "机关", "日期", None])
    import datetime as dt

    sheet.append(
        [
            1,
            "关于印发《温州市X办法》的通知",
            "温政发〔2004〕12号",
            "温州市人民政府",
            dt.datetime(2004, 3, 20),
            "拟废止",
        ]
    )
    sheet.append(
        [2, "温州市Y规定", "温政办〔2010〕3号", "温州市人民政府办公室", "2010.5.1", "保留"]
    )
    path = tmp_path / "form.xlsx"
    book.save(path)
    report = fresh_registry.import_file(path, department="市司法局")
    assert (report.added, report.proposals) == (2, 2)
    assert report.mapping[str(path)]["发布机关"] == "issuer"
    assert report.mapping[str(path)]["发布日期"] == "published_on"
    x = fresh_registry.get("温政发[2004]12号")
    assert (x.issuer, str(x.published_on), x.department) == (
        "温州市人民政府",
        "2004-03-20",
        "市司法局",
    )
    assert fresh_registry.decisions(x.id)[0].outcome.value == "repeal"


def test_html_catalog_tables_with_spans(fresh_registry: Registry, tmp_path: Path) -> None:
    page = tmp_path / "decision.html"
    page.write_text("""<html><body><h1>关于废止部分规范性文件的决定</h1>
    <table><tr><th>序号</th><th>文件名称</th><th>发布机关及文号</th><th>理由</th></tr>
    <tr><td>1</td><td>《甲办法》</td><td>温州市人民政府 温政发〔2004〕12号</td><td rowspan="2">与上位法相抵触</td></tr>
    <tr><td>2</td><td>《乙办法》</td><td>温州市人民政府温政发[2005]3号</td></tr>
    </table>
    <table><tr><td colspan="2">附件2</td></tr></table>
    <table><tr><th>序号</th><th>规章名称</th><th>发布机关及日期</th></tr>
    <tr><td>1</td><td>丙规定</td><td>温州市人民政府 2001年5月19日发布</td></tr></table>
    </body></html>""", encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(page)
    assert report.added == 3
    b = fresh_registry.get("温政发〔2005〕3号")
    assert b.title_core == "乙办法" and b.issuer == "温州市人民政府"
    c = fresh_registry.get("丙规定")
    assert str(c.published_on) == "2001-05-19" and c.issuer == "温州市人民政府"


def test_inline_list_of_rules(fresh_registry: Registry, tmp_path: Path) -> None:
    text = tmp_path / "changzhou.txt"
    text.write_text("常州市人民政府决定废止下列规章：\n"
                    "一、《常州市城市市容管理办法》（2016年12月1日常州市人民政府令第2号发布）\n"
                    "二、《常州市生活垃圾分类管理办法》（2018年11月23日常州市人民政府令第8号发布）\n",
                    encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(text)
    assert report.added == 2
    doc = fresh_registry.get("常州市政府令第8号")
    assert doc.title_core == "常州市生活垃圾分类管理办法" and str(doc.published_on) == "2018-11-23"
    assert doc.kind.value == "local_rule"  # an order of a city government


def test_json_lines(fresh_registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"标题": "甲办法", "文号": "温政发〔2004〕12号", "outcome": "repeal",
                                "reason": "过时"}, ensure_ascii=False) + "\n\n"
                    + json.dumps({"title": "乙办法", "published_on": "2004年"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(path)
    assert (report.added, report.proposals) == (2, 1)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "甲"}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.jsonl, line 2"):
        fresh_registry.import_file(bad)


def test_mapping_override_and_ignore(fresh_registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("文件,号码,说明\n甲办法,温政发〔2004〕12号,内部备注\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no header row"):
        fresh_registry.import_file(path)
    report = fresh_registry.import_file(
        path, mapping={"文件": "title", "号码": "文号", "说明": "ignore"}
    )
    assert report.mapping[str(path)] == {"文件": "title", "号码": "doc_number"}
    assert fresh_registry.get("温政发〔2004〕12号").title == "甲办法"
    with pytest.raises(ValidationError, match="does not have"):
        fresh_registry.import_file(path, mapping={"文件": "title", "名字": "title"})
    with pytest.raises(ValidationError, match="unknown field"):
        fresh_registry.import_file(path, mapping={"文件": "title", "号码": "titel"})


def test_skip_invalid_writes_the_bad_rows_for_fixing(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "form.csv"
    path.write_text("文件名称,文号,发布日期\n甲办法,温政发〔2004〕12号,2004-03-20\n"
                    "乙办法,温政发2004,2004-13-01\n丙办法,,\n", encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(path, skip_invalid=True)
    assert (report.added, report.skipped) == (2, 1)
    rejected = tmp_path / "form.rejected.csv"
    rows = list(csv.reader(rejected.open(encoding="utf-8-sig")))
    assert rows[0] == ["文件名称", "文号", "发布日期", "问题"]
    assert rows[1][:3] == ["乙办法", "温政发2004", "2004-13-01"]
    assert "doc_number" in rows[1][3] and "published_on" in rows[1][3]
    # the clerk fixes the row and imports the rejected file
    rows[1][1], rows[1][2] = "温政发〔2004〕13号", "2004-12-01"
    with rejected.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    assert fresh_registry.import_file(rejected).added == 1
    assert fresh_registry.count() == 3


def test_combined_columns_split() -> None:
    assert split_combined({"issuer_and_number": "国务院 国发〔1988〕5号"}) == {
        "doc_number": "国发〔1988〕5号", "issuer": "国务院"}  # fmt: skip
    assert split_combined({"issuer_and_number": "国务院令第473号"}) == {
        "doc_number": "国务院令第473号"
    }
    assert split_combined({"issuer_and_number": "温州市人民防空办公室温人防办〔2015〕39号"}) == {
        "doc_number": "温人防办〔2015〕39号", "issuer": "温州市人民防空办公室"}  # fmt: skip
    assert split_combined({"issuer_and_date": "国务院 1988年5月5日"}) == {
        "published_on": "1988年5月5日", "issuer": "国务院"}  # fmt: skip
    assert field_for("發文字號") == "doc_number" and field_for(" 文件名称 ") == "title"


def test_xxe_and_billion_laughs_are_not_expanded(fresh_registry: Registry, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xxe = tmp_path / "xxe.html"
    xxe.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>
<html><body><table><tr><th>文件名称</th><th>文号</th></tr>
<tr><td>甲办法&xxe;</td><td>温政发〔2004〕12号</td></tr></table></body></html>""",
        encoding="utf-8",
    )
    fresh_registry.import_file(xxe)
    assert "TOP-SECRET" not in fresh_registry.get("温政发〔2004〕12号").title
    laughs = tmp_path / "laughs.html"
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    laughs.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY l0 "ha">{entities}]>
<html><body><table><tr><th>文件名称</th></tr><tr><td>乙办法&l9;</td></tr></table></body></html>""",
                      encoding="utf-8")  # fmt: skip
    fresh_registry.import_file(laughs)
    [doc] = [i for i in fresh_registry.instruments() if i.title.startswith("乙办法")]
    assert len(doc.title) < 100 and "haha" not in doc.title


def test_export_round_trip_and_formula_safety(registry_with_rows: Registry, tmp_path: Path) -> None:
    registry_with_rows.update_instrument("省政府令第114号", department="=cmd|' /C calc'!A0")
    out = tmp_path / "all.csv"
    assert registry_with_rows.export(out) == 30
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["文件名称"] and "清理意见" in rows[0]
    assert [r["责任单位"] for r in rows if r["文号"] == "省政府令第114号"] == [
        "'=cmd|' /C calc'!A0"
    ]
    again = Registry.init(tmp_path / "again")
    report = again.import_file(out)
    assert (report.added, report.proposals) == (30, 30)
    assert (
        again.get("鲁政发〔1983〕90号").title == registry_with_rows.get("鲁政发〔1983〕90号").title
    )
    again.close()


def test_export_xlsx_and_catalog_layout(registry_with_rows: Registry, tmp_path: Path) -> None:
    registry_with_rows.approve(["省政府令第114号"], by="山东省人民政府", effective_on="2016")
    path = tmp_path / "repealed.xlsx"
    assert registry_with_rows.export(path, catalog="repealed") == 1
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == [
        "序号", "文件名称", "文号", "发布日期", "日期依据", "制定机关", "理由",
        "决定", "决定文号", "生效日期",  # a repeal catalog names its decision and its day (#12)
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == "山东省信访规定"
    assert sheet["J2"].value == "2016"
    assert sheet.column_dimensions["B"].width >= 40
    with pytest.raises(ValidationError, match="no catalog named"):
        registry_with_rows.export(tmp_path / "x.csv", catalog="nope")
    kept = tmp_path / "kept.csv"
    registry_with_rows.add_instrument(title="丁办法", doc_number="温政发〔2020〕9号",
                                      signed_on="2020-03-02", validity="10年")  # fmt: skip
    registry_with_rows.propose("丁办法", "保留", by="tester")
    registry_with_rows.approve(["丁办法"], by="温州市人民政府", effective_on="2021-01-01")
    registry_with_rows.export(kept, catalog="kept")
    header, row = list(csv.reader(kept.read_text(encoding="utf-8-sig").splitlines()))[:2]
    assert header[-2:] == ["有效期", "失效日期"]  # the kept catalog shows how long (#12)
    cells = dict(zip(header, row, strict=True))
    assert {k: cells[k] for k in ("文件名称", "发布日期", "日期依据", "有效期", "失效日期")} == {
        "文件名称": "丁办法", "发布日期": "2020-03-02", "日期依据": "成文日期（未见发布日期）",
        "有效期": "10年", "失效日期": "2030-03-01"}  # fmt: skip
    assert registry_with_rows.export(tmp_path / "r.jsonl", status="repealed") == 1
    assert json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8"))["status"] == "repealed"


def test_formula_cells_stay_text_in_xlsx(fresh_registry: Registry, tmp_path: Path) -> None:
    fresh_registry.add_instrument(title='=HYPERLINK("http://x")')
    path = tmp_path / "x.xlsx"
    fresh_registry.export(path)
    cell = openpyxl.load_workbook(path).active["B2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_count_rows_for_the_progress_bar(sample_csv: Path, tmp_path: Path) -> None:
    from regclean.ingest import count_rows

    text = tmp_path / "list.txt"
    text.write_text("一、《甲办法》（2016年12月1日某市人民政府令第2号发布）\n", encoding="utf-8")
    assert count_rows([sample_csv, text]) == 31


def test_hostile_files_get_clear_errors_within_bounds(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """#17: a few cells with huge spans, values nested 100,000 deep, and a 30,000-character
    combined cell: a clear error or a correct import, never a traceback or gigabytes."""
    spans = tmp_path / "spans.html"
    row = "<tr>" + '<td colspan="100" rowspan="100">x</td>' * 1500 + "</tr>"
    spans.write_text(f"<table><tr><th>文件名称</th></tr>{row}</table>", encoding="utf-8")
    with pytest.raises(ValidationError, match="too large once its spans are expanded"):
        fresh_registry.import_file(spans)
    nested = tmp_path / "nested.jsonl"
    nested.write_text('{"title": ' + "[" * 100000 + "]" * 100000 + "}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"nested\.jsonl, line 1: values nested too deeply"):
        fresh_registry.import_file(nested)
    blank = tmp_path / "blank.txt"  # 40 KB of whitespace took 26 s to refuse
    blank.write_text(" \t" * 20000 + "\u3000" * 5000, encoding="utf-8")
    with pytest.raises(ValidationError, match="no catalog table, no list"):
        fresh_registry.import_file(blank)
    long_cell = tmp_path / "long.csv"
    long_cell.write_text("文件名称,发布机关及文号\n甲办法," + "温" * 30000 + "\n", encoding="utf-8")
    assert fresh_registry.import_file(long_cell).added == 1
    assert fresh_registry.get("甲办法").issuer == "温" * 30000


def test_a_compression_bomb_workbook_is_refused_before_it_is_parsed(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["文件名称"])
    book.active.append(["甲办法"])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] += b" " * (300 << 20)  # 300 MB of nothing, compressed
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ValidationError, match="compression bomb"):
        fresh_registry.import_file(path)
    assert fresh_registry.count() == 0


@pytest.mark.slow
def test_a_large_workbook_is_streamed_with_its_merged_header(tmp_path: Path) -> None:
    """#17: every workbook is read a row at a time; its merged header cells are still read
    (from the sheet's XML), so a large department form maps 发布 + 日期 as a small one does,
    in bounded memory (here 50 columns x 8,000 rows, over 10 MB unpacked)."""
    import subprocess
    import sys

    path = tmp_path / "large.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    filler = [f"备注{n}" for n in range(44)]
    sheet.append(["序号", "文件名称", "文号", "发布", None, "清理意见", *filler])
    sheet.append([None, None, None, "机关", "日期", None, *([None] * 44)])
    for n in range(8000):
        sheet.append([n + 1, f"温州市第{n}号办法", f"温政发〔2010〕{n + 1}号", "温州市人民政府",
                      "2010-05-01", "保留", *(f"内容{n}-{k}" for k in range(44))])  # fmt: skip
    book.save(path)
    # a write-only workbook cannot merge cells: the range goes into the sheet's XML after its
    # rows, where Excel writes it
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    name = next(p for p in parts if p.startswith("xl/worksheets/sheet"))
    parts[name] = parts[name].replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="D1:E1"/></mergeCells>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    code = (
        "import json, sys\n"
        "from regclean import Registry\n"
        "with Registry.init(sys.argv[2]) as reg:\n"
        "    report = reg.import_file(sys.argv[1], dry_run=True)\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"  # this program's peak
        "print(json.dumps([report.rows, report.mapping[sys.argv[1]], int(status.split()[0])]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "reg")],
                          capture_output=True, text=True, check=True)  # fmt: skip
    rows, mapping, peak_kb = json.loads(done.stdout)
    assert rows == 8000
    assert mapping["发布机关"] == "issuer" and mapping["发布日期"] == "published_on"
    assert peak_kb < 400 * 1024, f"peak {peak_kb // 1024} MB"


# -- PDF -------------------------------------------------------------------------------------


def test_a_pdf_page_is_unwrapped_where_the_typesetter_broke_it() -> None:
    """A line that stops short of the margin by less than the next line's first word, ending no
    sentence, goes on in the next; a short line, a sentence's end, an item or a table row's end
    does not; page numbers go; the space between Chinese and a number goes, except where it
    parts a catalog row's number from its title."""
    from regclean.ingest.pdf import unwrapped

    def line(text: str, x1: float | None = None) -> tuple[str, float, float]:
        from regclean.ingest.pdf import width

        return text, 50.0, 50.0 + 5.0 * width(text) if x1 is None else x1

    page = [
        line("甲市人民政府关于废止部分规范性文件的决定"),  # a title: short
        line("  经市政府同意,决定对下列文件予以废止。现将有关事项通知如下,请各单位认真遵", 540),
        line("照执行。"),  # broken mid-word: joined
        line("  一、《甲市乙管理办法》(甲政发〔2010〕3 号)自本决定公布之日起废止,不再执", 540),
        line("行,其后续工作由市财政局负责办理并报市政府备案,特此说明,各单位遵照执行。"),
        line("二、本决定自公布之日起施行。", 540),  # ends a sentence: not joined
        line("1 关于丙的通知 甲政办发〔2011〕4 号 已被新文件替代", 540),
        line("2 关于丁的通知 甲政办发〔2012〕5 号 调整对象已消失"),  # a row's number: not joined
        line("|1 |关于戊的通知|甲政发〔2013〕6号|", 540),
        line("| |(续)| |"),  # a drawn table's row ends with |
        line("- 2 -"),  # a page number
        line("  《甲市乙管理办法》已经市政府第 9 次常务会议通过,现予公布,自", 520),
        line("2014 年 1 月 1 日起施行。"),  # 2014 did not fit in the 20 points left: joined
        line("Original URL: http://example.org/bin/a.exe?", 300),  # broken at its ?: joined
        line("word=&K=d70&rec=202"),
    ]
    assert unwrapped(page) == [
        "甲市人民政府关于废止部分规范性文件的决定",
        "  经市政府同意,决定对下列文件予以废止。现将有关事项通知如下,请各单位认真遵照执行。",
        "  一、《甲市乙管理办法》(甲政发〔2010〕3号)自本决定公布之日起废止,不再执"
        "行,其后续工作由市财政局负责办理并报市政府备案,特此说明,各单位遵照执行。",
        "二、本决定自公布之日起施行。",
        "1 关于丙的通知 甲政办发〔2011〕4号 已被新文件替代",
        "2 关于丁的通知 甲政办发〔2012〕5号 调整对象已消失",
        "|1 |关于戊的通知|甲政发〔2013〕6号|",
        "| |(续)| |",
        "  《甲市乙管理办法》已经市政府第9次常务会议通过,现予公布,自2014年1月1日起施行。",
        "Original URL: http://example.org/bin/a.exe?word=&K=d70&rec=202",
    ]


def test_a_run_of_titles_broken_at_a_title_goes_on_in_the_next_line() -> None:
    """Batch 19's report printed to PDF: a line that ends with a title at the margin goes on when
    the next line carries on the run and ends it with 等 (《B》《C》等。, or 等 alone); a summary
    line naming a title and a count (《X》等7件…) starts anew; so does a signature's date under a
    signature set right (batch 23)."""
    from regclean.ingest.pdf import unwrapped, width

    def line(text: str, x1: float | None = None) -> tuple[str, float, float]:
        return text, 50.0, 50.0 + 5.0 * width(text) if x1 is None else x1

    page = [
        line("对适用期已过的43件行政法规宣布失效,比如,《甲乙办法》", 540),
        line("《丙丁办法》《戊己条例》等。"),
        line("审议了关于废止《庚辛条例》", 540),
        line("等地方性法规的议案。"),
        line("三、下列文件继续有效:《壬癸办法》", 540),
        line("《子丑办法》等7件规范性文件继续有效。"),
        line("                    甲乙部部长 丙丁", 540),  # a signature set right, at the margin
        line("2018年9月28日"),  # its date: a line of its own
    ]
    assert unwrapped(page) == [
        "对适用期已过的43件行政法规宣布失效,比如,《甲乙办法》《丙丁办法》《戊己条例》等。",
        "审议了关于废止《庚辛条例》等地方性法规的议案。",
        "三、下列文件继续有效:《壬癸办法》",
        "《子丑办法》等7件规范性文件继续有效。",
        "                    甲乙部部长 丙丁",
        "2018年9月28日",
    ]


def test_a_pdf_without_text_or_not_a_pdf_is_refused_saying_why(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    scan = tmp_path / "扫描件.pdf"  # a page with no text on it, as a scan's pages are pictures
    scan.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    with pytest.raises(ValidationError, match=r"扫描件\.pdf.*holds no text.*OCR"):
        fresh_registry.import_file(scan)
    fake = tmp_path / "附件.pdf"
    fake.write_bytes("这不是PDF文件".encode())
    with pytest.raises(ValidationError, match=r"附件\.pdf.*not a readable PDF"):
        fresh_registry.import_file(fake)
    assert fresh_registry.count() == 0


# -- the older Office formats -------------------------------------------------------------------


def _saved_as(source: Path, suffix: str) -> Path:
    """``source`` saved by LibreOffice in an older format (.doc, .xls), as an office sends it."""
    import subprocess

    subprocess.run(["soffice", "--headless", "--convert-to", suffix.lstrip("."), "--outdir",
                    str(source.parent), str(source)], check=True, capture_output=True,
                   timeout=120)  # fmt: skip
    return source.with_suffix(suffix)


@pytest.mark.slow
def test_a_doc_and_an_xls_read_as_their_newer_forms(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A decision saved as Word 97-2003 and a returned form saved as Excel 97-2003 (as WPS does
    by default) import as the .txt and .xlsx they were saved from."""
    decision = tmp_path / "决定.txt"
    decision.write_text(
        "甲市人民政府关于废止部分规章的决定\n甲市人民政府令\n第5号\n"
        "《甲市人民政府关于废止部分规章的决定》已经2020年3月1日市人民政府第9次常务会议通过，现予公布，"
        "自公布之日起施行。\n市长 乙\n2020年3月5日\n市人民政府决定对下列规章予以废止：\n"
        "一、《甲市丙管理办法》（2001年6月1日甲市人民政府令第12号发布）\n",
        encoding="utf-8",
    )
    form = tmp_path / "清理意见表.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["文件名称", "文号", "发布日期", "清理意见", "理由"])
    book.active.append(
        ["甲市丁规定", "甲政发〔2010〕3号", "2010-01-01", "宣布失效", "调整对象已消失"]
    )
    book.save(form)
    report = fresh_registry.import_file(_saved_as(decision, ".doc"))
    assert report.added == 1
    repealed = fresh_registry.get("甲市人民政府令第12号")
    assert (repealed.title, fresh_registry.decisions(repealed.id)[-1].outcome.zh) == (
        "甲市丙管理办法",
        "废止",
    )
    assert fresh_registry.import_file(_saved_as(form, ".xls")).added == 1
    assert (
        fresh_registry.decisions(fresh_registry.get("甲政发〔2010〕3号").id)[-1].outcome.zh
        == "宣布失效"
    )
    broken = tmp_path / "附件.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0 not really a Word file")
    with pytest.raises(ValidationError, match=r"附件\.doc"):
        fresh_registry.import_file(broken)


def test_a_doc_without_libreoffice_says_how_to_save_it(
    fresh_registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without LibreOffice
    old = tmp_path / "附件1.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match=r"附件1\.doc.*needs LibreOffice.*save it as \.docx"):
        fresh_registry.import_file(old)
    assert fresh_registry.count() == 0


@pytest.mark.slow
def test_a_catalog_table_printed_to_pdf_reads_as_the_word_file_it_was_printed_from(
    tmp_path: Path, clock, sample_csv: Path
) -> None:
    """A catalog annex is often published as a PDF of a Word table. Printed to PDF by
    LibreOffice, the shared real rows (running over a page) import as the Word file does: the
    table is found by its drawn rules, each cell's wrapped lines joined, one row a line."""
    import subprocess

    from docx import Document

    with sample_csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    document = Document()
    document.add_paragraph("附件")
    document.add_paragraph("决定废止的规范性文件目录")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ["序号", "文件名称", "文号", "理由"], strict=True):
        cell.text = name
    for number, row in enumerate(rows, start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, [str(number), row["title"], row["doc_number"], row["reason"]],
                               strict=True):  # fmt: skip
            cell.text = value
    word = tmp_path / "废止目录.docx"
    document.save(word)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(word)], check=True, capture_output=True, timeout=120)  # fmt: skip
    read = {}
    for source in (word, word.with_suffix(".pdf")):
        with Registry.init(tmp_path / source.suffix.lstrip("."), clock=clock) as registry:
            report = registry.import_file(source)
            read[source.suffix] = (
                report.added,
                sorted(
                    (i.title, i.doc_number, i.issuer, i.kind.zh) for i in registry.instruments()
                ),
                sorted((d.outcome.zh, d.reason_text) for d in registry.decisions()),
            )
    assert read[".pdf"] == read[".docx"]
    assert read[".pdf"][0] == len(rows) >= 30  # over a page: a row is carried over


def _alt_chunk_docx(path: Path, part: str, content_type: str, data: bytes) -> Path:
    """A Word file as web tools that "export to Word" write it: the body one w:altChunk whose
    part (a web page, a web archive) Word renders in its place; no paragraph of its own."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as docx:
        docx.writestr("[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/word/{part}" ContentType="{content_type}"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')  # fmt: skip
        docx.writestr("_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')  # fmt: skip
        docx.writestr("word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="htmlChunk" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="{part}"/></Relationships>')  # fmt: skip
        docx.writestr("word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}" xmlns:r="{r}"><w:body>'
            '<w:altChunk r:id="htmlChunk"/><w:sectPr/></w:body></w:document>')  # fmt: skip
        docx.writestr(f"word/{part}", data)
    return path


def test_a_word_file_whose_text_is_an_embedded_web_page(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """Batch 18: a Word file whose text is an altChunk — a web archive (.mht, quoted-printable)
    holding the page — is read from the page: its catalog table becomes rows, as in a Word
    table; a chunk of a type regclean does not read is refused, naming the type."""
    page = ("<html><head><meta charset=\"utf-8\" /></head><body><h1>甲市人民政府关于公布规范性文件清理结果的通知</h1>"
            "<p>附件：废止的规范性文件目录</p><table><tr><th>序号</th><th>文件名称</th><th>文号</th></tr>"
            "<tr><td>1</td><td>甲市乙管理办法</td><td>甲政发〔2010〕3号</td></tr></table></body></html>")  # fmt: skip
    import quopri

    mht = (b"MIME-Version: 1.0\nContent-Type: multipart/related; type=\"text/html\"; "
           b"boundary=\"----=part\"\n\n------=part\nContent-Type: text/html; charset=\"utf-8\"\n"
           b"Content-Transfer-Encoding: quoted-printable\n\n") + quopri.encodestring(
        page.encode("utf-8")) + b"\n------=part--\n"  # fmt: skip
    source = _alt_chunk_docx(tmp_path / "export.docx", "afchunk.mht", "message/rfc822", mht)
    fresh_registry.import_file(source, by="clerk")
    (doc,) = fresh_registry.instruments()
    assert (doc.title, doc.doc_number) == ("甲市乙管理办法", "甲政发〔2010〕3号")
    rtf = _alt_chunk_docx(tmp_path / "rtf.docx", "chunk.rtf", "application/rtf", b"{\\rtf1 x}")
    with pytest.raises(ValidationError, match=r"rtf\.docx.*application/rtf"):
        fresh_registry.import_file(rtf, by="clerk")
    assert fresh_registry.count() == 1
