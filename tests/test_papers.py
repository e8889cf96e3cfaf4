"""The papers of a cleanup: inspection report, statistics, the decision draft, the department form."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from regclean import NotFoundError, Registry, ValidationError
from regclean.papers import explanation_path, write

BUILD = Path(__file__).parent / "_build" / "papers"


@pytest.fixture
def cleanup(fresh_registry: Registry) -> Registry:
    """A campaign whose deadline (2026-06-30) has passed on the registry's day (2026-11-26):
    市司法局 repealed one (reviewed, approved), proposed one late, and missed one; 财政局 had one
    invalidated, proposed a revision of a 规章, and left nothing undecided."""
    reg = fresh_registry
    add = reg.add_instrument
    a = add(
        title="温州市甲管理办法",
        doc_number="温政发〔2010〕1号",
        issuer="温州市人民政府",
        department="市司法局",
        published_on="2010-01-01",
    )
    b = add(
        title="温州市乙实施办法",
        doc_number="温政发〔2012〕2号",
        issuer="温州市人民政府",
        department="市司法局",
        published_on="2012-01-01",
    )
    c = add(
        title="温州市丙暂行规定",
        doc_number="温政发〔2013〕3号",
        issuer="温州市人民政府",
        department="市司法局",
        published_on="2013-05-01",
    )
    d = add(
        title="温州市丁补助办法",
        doc_number="温财〔2015〕3号",
        issuer="温州市财政局",
        published_on="2015-01-01",
    )
    e = add(title="温州市戊管理规定", doc_number="温州市人民政府令第12号", issuer="温州市人民政府",
            department="温州市财政局", kind="规章", published_on="2016-03-01")  # fmt: skip
    reg.create_campaign("2024", cutoff="2024-12-31", deadline="2026-06-30",
                        title="2024年规章和规范性文件集中清理")  # fmt: skip
    reg.propose(a.id, "废止", reason="与上位法不一致", campaign="2024",
                department="市司法局", at="2026-03-01")  # fmt: skip
    reg.review([a.id], by="王审核", office="市司法局法规科", opinion="同意", at="2026-03-05")
    reg.propose(b.id, "继续有效", campaign="2024", department="市司法局", at="2026-07-15")
    reg.propose(d.id, "宣布失效", reason="调整对象已消失", campaign="2024",
                at="2026-04-01")  # fmt: skip
    reg.approve([a.id, d.id], by="市政府", decision_doc="温政发〔2026〕5号",
                effective_on="2026-05-01", at="2026-04-20")  # fmt: skip
    reg.propose(e.id, "修改", campaign="2024", department="温州市财政局", at="2026-05-01")
    assert c  # left undecided: missed
    return reg


def test_inspection_counts_each_department_and_states_the_numbers(cleanup: Registry) -> None:
    report = cleanup.inspection("2024")
    by_name = {s.department: s for s in report.departments}
    assert list(by_name) == ["市司法局", "温州市财政局"]
    justice = by_name["市司法局"]
    assert (justice.in_scope, justice.approved, justice.proposed, justice.undecided) == (3, 1, 1, 1)
    assert justice.summary() == (
        "应清理3件，已报送2件（已审定1件，待审定1件），未报送1件；清理意见中废止1件，继续有效1件；"
        "发现问题：漏清1件，逾期报送1件。"
    )
    missed = [f for f in justice.findings if f.code.value == "missed"]
    assert [(f.number, f.title) for f in missed] == [("温政发〔2013〕3号", "温州市丙暂行规定")]
    assert report.total.in_scope == 5 and report.total.undecided == 1
    assert report.summary().startswith(
        "截至2026年11月26日（报送期限2026年6月30日），应清理5件，已报送4件"
    )
    assert report.made.head == cleanup.head_hash()
    one = cleanup.inspection("2024", "温州市财政局")
    assert [s.department for s in one.departments] == ["温州市财政局"]
    assert one.title == "温州市财政局2024年规章和规范性文件集中清理检查报告"


def test_inspection_docx_holds_the_summary_tables_and_findings(
    cleanup: Registry, tmp_path: Path
) -> None:
    import docx

    [path] = write(cleanup.inspection("2024"), tmp_path / "检查报告.docx")
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2024年规章和规范性文件集中清理检查报告"
    assert any(t.startswith("截至2026年11月26日") and "漏清1件" in t for t in texts)
    assert "（一）市司法局" in texts and "（二）温州市财政局" in texts
    summary = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert summary[0][:5] == ["责任单位", "应清理", "已报送", "已审定", "未报送"]
    assert summary[1][:5] == ["市司法局", "3", "2", "1", "1"]
    assert summary[-1][:5] == ["合计", "5", "4", "2", "1"]
    findings = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert findings[1][:4] == ["1", "漏清", "温政发〔2013〕3号", "温州市丙暂行规定"]
    assert any(cleanup.head_hash() in t for t in texts)  # the state it was made from


def test_inspection_html_is_one_printable_page(cleanup: Registry, tmp_path: Path) -> None:
    from lxml import html

    [path] = write(cleanup.inspection("2024"), tmp_path / "report.html")
    page = html.parse(str(path)).getroot()
    assert page.get("lang") == "zh-CN"
    assert page.findtext(".//h1") == "2024年规章和规范性文件集中清理检查报告"
    assert "size: A4" in page.findtext(".//style")
    total = page.xpath("//tr[@class='total']/td/text()")
    assert total[:5] == ["合计", "5", "4", "2", "1"]
    assert "温州市丙暂行规定" in page.xpath("string(//section[@id='d1'])")
    assert page.findtext(".//footer//code") == cleanup.head_hash()


def test_statistics_count_approved_outcomes_and_what_is_unfinished(
    cleanup: Registry, tmp_path: Path
) -> None:
    import openpyxl

    stats = cleanup.statistics("2024")
    assert stats.header == ["责任单位", "清理总数", "继续有效", "修改", "废止", "宣布失效", "部分失效",
                            "不属于规范性文件", "未完成", "其中待审定"]  # fmt: skip
    cells = [r.cells(False) for r in stats.rows]
    assert cells == [["市司法局", 3, 0, 0, 1, 0, 0, 0, 2, 1],
                     ["温州市财政局", 2, 0, 0, 0, 1, 0, 0, 1, 1],
                     ["合计", 5, 0, 0, 1, 1, 0, 0, 3, 2]]  # fmt: skip
    [xlsx] = write(stats, tmp_path / "stats.xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["A1"].value == "2024年规章和规范性文件集中清理清理情况统计表"
    assert [c.value for c in sheet[3]] == stats.header
    assert [c.value for c in sheet[6]] == cells[2] and sheet["A6"].font.bold
    [path] = write(stats, tmp_path / "stats.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == stats.header and rows[3] == [str(c) for c in cells[2]]
    by_kind = cleanup.statistics("2024", by_kind=True)
    assert [r.cells(True)[:3] for r in by_kind.rows] == [
        ["市司法局", "行政规范性文件", 3], ["温州市财政局", "规章", 1],
        ["温州市财政局", "行政规范性文件", 1], ["合计", "规章", 1],
        ["合计", "行政规范性文件", 4], ["合计", "", 5]]  # fmt: skip


def _east_asian_font(run) -> str:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_decision_draft_is_an_official_document_with_its_catalogs(
    cleanup: Registry, tmp_path: Path
) -> None:
    import docx

    draft = cleanup.decision_draft(campaign="2024", title="温州市人民政府关于公布规范性文件清理结果的决定",
                                   number="温政发〔2026〕9号", signed_on="2026-11-20")  # fmt: skip
    assert [(a.number, a.outcome.value, len(a.rows)) for a in draft.annexes] == [
        (1, "repeal", 1), (2, "invalidate", 1), (3, "revise", 1), (4, "keep", 1)]  # fmt: skip
    assert draft.issuer == "温州市人民政府" and draft.reviewed == 4
    paths = write(draft, tmp_path / "决定.docx")
    assert paths == [tmp_path / "决定.docx", explanation_path(tmp_path / "决定.docx")]
    document = docx.Document(str(paths[0]))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["温政发〔2026〕9号", "温州市人民政府关于公布规范性文件清理结果的决定"]
    assert "一、对1件行政规范性文件予以废止（见附件1）。" in texts
    assert "三、对1件规章予以修改，由制定机关按程序修改后重新公布（见附件3）。" in texts
    assert "附件：1．决定废止的行政规范性文件目录" in texts
    assert texts.index("温州市人民政府") < texts.index("2026年11月20日") < texts.index("附件1")
    assert "决定宣布失效的行政规范性文件目录" in texts and "继续有效的行政规范性文件目录" in texts
    first = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert first[0] == ["序号", "文件名称", "文号", "发布日期", "制定机关", "理由"]
    assert first[1][:3] == ["1", "温州市甲管理办法", "温政发〔2010〕1号"]
    assert first[1][5] == "与上位法不一致"
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 28]  # A4, GB/T 9704 margins
    title = next(p for p in document.paragraphs if p.text == draft.title)
    assert _east_asian_font(title.runs[0]) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert _east_asian_font(body.runs[0]) == "仿宋_GB2312"
    common = write(draft, tmp_path / "common.docx", fonts="common")[0]
    title = next(p for p in docx.Document(str(common)).paragraphs if p.text == draft.title)
    assert _east_asian_font(title.runs[0]) == "宋体"
    explanation = [p.text for p in docx.Document(str(paths[1])).paragraphs if p.text]
    assert explanation[0] == f"关于《{draft.title}》的起草说明"
    assert ("本次共清理规章和行政规范性文件4件，其中拟废止1件，拟宣布失效1件，拟修改1件，拟继续有效1件。"
            "上述清理意见已经审定2件，待审定2件。") in explanation  # fmt: skip
    assert "拟废止、宣布失效等2件中：与上位法不一致1件；调整对象已消失1件。" in explanation
    assert "已经合法性审核1件（审核机构：市司法局法规科），尚未审核3件。" in explanation


def test_a_draft_of_chosen_instruments_and_the_errors_that_write_nothing(
    cleanup: Registry, tmp_path: Path
) -> None:
    draft = cleanup.decision_draft(refs=["温政发〔2010〕1号"], title="关于废止甲办法的决定")
    assert [(a.outcome.value, [r["title"] for r in a.rows]) for a in draft.annexes] == [
        ("repeal", ["温州市甲管理办法"])]  # fmt: skip
    undecided = cleanup.add_instrument(title="未决办法", doc_number="温政发〔2014〕7号")
    with pytest.raises(ValidationError, match="nothing is decided among the instruments given"):
        cleanup.decision_draft(refs=[undecided.id], title="关于某事的决定")
    cleanup.create_campaign("2025", cutoff="2024-12-31")
    with pytest.raises(ValidationError, match="nothing is decided in campaign '2025'"):
        cleanup.decision_draft(campaign="2025", title="关于某事的决定")
    with pytest.raises(ValidationError, match="not both"):
        cleanup.decision_draft(campaign="2024", refs=[undecided.id], title="关于某事的决定")
    with pytest.raises(NotFoundError, match="no campaign named 'nope'"):
        cleanup.inspection("nope")
    with pytest.raises(NotFoundError, match="its departments: 市司法局, 温州市财政局"):
        cleanup.department_form("2024", "市教育局")
    with pytest.raises(ValidationError, match="written as xlsx or csv"):
        write(cleanup.statistics("2024"), tmp_path / "stats.docx")
    assert list(tmp_path.iterdir()) == [tmp_path / "reg"]


def _fill(path: Path, answers: dict[str, tuple[str, str]]) -> None:
    """What a clerk does: choose an outcome (and write a reason) on some rows, save."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[3]]
    for row in sheet.iter_rows(min_row=4):
        title = row[header.index("文件名称")].value
        if title in answers:
            row[header.index("清理意见")].value, row[header.index("理由")].value = answers[title]
            row[header.index("经办人")].value = "李经办"
    book.save(path)


def test_the_department_form_offers_the_outcomes_and_imports_back(
    cleanup: Registry, tmp_path: Path
) -> None:
    import openpyxl

    cleanup.create_campaign("2025", cutoff="2026-10-31", deadline="2027-06-30")
    form = cleanup.department_form("2025", "市司法局")
    assert [r[1] for r in form.rows] == ["温州市乙实施办法", "温州市丙暂行规定"]  # 甲 is repealed
    [path] = write(form, tmp_path / "form.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "市司法局2025清理意见表"
    assert [c.value for c in sheet[3]][:8] == ["序号", "文件名称", "文号", "发布日期", "制定机关",
                                              "责任单位", "清理批次", "清理意见"]  # fmt: skip
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and str(validation.sqref) == "H4:H5"
    assert validation.formula1 == '"继续有效,修改,废止,宣布失效,宣布部分条款失效,不属于规范性文件"'
    _fill(path, {"温州市丙暂行规定": ("废止", "调整对象已消失")})
    report = cleanup.import_file(path)
    assert (report.rows, report.proposals, report.added) == (2, 1, 0)
    [proposal] = [d for d in cleanup.decisions() if d.campaign == "2025"]
    assert proposal.outcome.value == "repeal" and proposal.department == "市司法局"
    assert proposal.handler == "李经办" and proposal.reason_text == "调整对象已消失"
    assert cleanup.get("温政发〔2013〕3号").id == proposal.instrument_id
    progress = {p.department: p for p in cleanup.progress("2025")}
    assert progress["市司法局"].proposed == 1 and progress["市司法局"].undecided == 1


def test_the_papers_from_the_command_line(cleanup: Registry, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    base = ["--registry", str(cleanup.path)]
    cleanup.close()
    done = runner.invoke(
        app, [*base, "report", "inspection", "--campaign", "2024", "--format", "html"]
    )
    assert done.exit_code == 0, done.output
    assert "wrote 2024年规章和规范性文件集中清理检查报告.html" in done.output
    assert (tmp_path / "2024年规章和规范性文件集中清理检查报告.html").exists()
    done = runner.invoke(
        app, [*base, "report", "stats", "--campaign", "2024", "--by-kind", "-o", "s.csv"]
    )
    assert (
        done.exit_code == 0
        and (tmp_path / "s.csv").read_text(encoding="utf-8-sig").count("\n") == 7
    )
    done = runner.invoke(app, [*base, "draft", "decision", "--campaign", "2024", "--title", "关于清理结果的决定",
                               "--number", "温政发〔2026〕9号", "-o", "d.docx"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert {"wrote d.docx", "wrote d-起草说明.docx"} <= set(done.output.splitlines())
    done = runner.invoke(app, [*base, "form", "--campaign", "2024", "--department", "市司法局"])
    assert (
        done.exit_code == 0
        and (tmp_path / "市司法局2024年规章和规范性文件集中清理清理意见表.xlsx").exists()
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    for args in (["report", "inspection", "--campaign", "nope"],
                 ["report", "stats", "--campaign", "2024", "--department", "市教育局"],
                 ["draft", "decision", "--campaign", "2024"],
                 ["report", "inspection", "--campaign", "2024", "--format", "pdf", "-o", "x.pdf"]):  # fmt: skip
        done = runner.invoke(app, [*base, *args])
        assert done.exit_code == 1 and done.output.startswith("error: "), args
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.slow
def test_libreoffice_opens_every_paper_and_reads_a_form_it_saved(
    cleanup: Registry, tmp_path: Path
) -> None:
    """Each DOCX and XLSX converts to PDF in LibreOffice (headless) and its first page renders
    (tests/_build/papers/*.png, to look at); a form LibreOffice re-saves imports back."""
    office, render = shutil.which("soffice"), shutil.which("pdftoppm")
    if not office or not render:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice or poppler is not installed: .ci/run installs them")
        pytest.skip("LibreOffice or poppler is not installed (apt-get install "
                    "libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)")  # fmt: skip
    cleanup.create_campaign("2025", cutoff="2026-10-31", deadline="2027-06-30")
    papers = tmp_path / "papers"
    written = [
        *write(cleanup.inspection("2024"), papers / "inspection.docx"),
        *write(cleanup.statistics("2024", by_kind=True), papers / "stats.xlsx"),
        *write(cleanup.decision_draft(campaign="2024", title="关于公布规范性文件清理结果的决定",
                                      number="温政发〔2026〕9号"), papers / "decision.docx"),
        *write(cleanup.department_form("2025", "市司法局"), papers / "form.xlsx"),
    ]  # fmt: skip
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    pdfs = tmp_path / "pdf"
    subprocess.run([office, profile, "--headless", "--convert-to", "pdf", "--outdir", str(pdfs),
                    *map(str, written)], check=True, capture_output=True, timeout=180)  # fmt: skip
    BUILD.mkdir(parents=True, exist_ok=True)
    for path in written:
        pdf = pdfs / f"{path.stem}.pdf"
        assert pdf.stat().st_size > 1000, path
        subprocess.run([render, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(BUILD / path.stem)], check=True, timeout=60)  # fmt: skip
        assert (BUILD / f"{path.stem}.png").stat().st_size > 1000
    text = subprocess.run(["pdftotext", str(pdfs / "decision.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "关于公布规范性文件清理结果的决定" in text
    assert re.search(r"附件\s*1\s+决定废止的行政规范性文件目录", text)  # annex 1 on its own page
    _fill(papers / "form.xlsx", {"温州市丙暂行规定": ("修改", "部分条款与上位法不一致")})
    saved = tmp_path / "saved"
    subprocess.run([office, profile, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(saved), str(papers / "form.xlsx")], check=True,
                   capture_output=True, timeout=180)  # fmt: skip
    report = cleanup.import_file(saved / "form.xlsx")
    assert report.proposals == 1
    [proposal] = [d for d in cleanup.decisions() if d.campaign == "2025"]
    assert proposal.outcome.value == "revise" and proposal.department == "市司法局"


def test_a_returned_form_files_proposals_only_on_its_departments_instruments(
    cleanup: Registry, tmp_path: Path
) -> None:
    """#26: a department's returned form could file proposals on another department's
    instrument (a row added, or its 责任单位 edited)."""
    import openpyxl

    cleanup.create_campaign("2025", cutoff="2026-10-31", deadline="2027-06-30")
    [path] = write(cleanup.department_form("2025", "市司法局"), tmp_path / "form.xlsx")
    _fill(path, {"温州市丙暂行规定": ("废止", "调整对象已消失")})
    book = openpyxl.load_workbook(path)
    sheet = book.active
    other = cleanup.get("温财〔2015〕3号")  # 温州市财政局's
    sheet.append([9, other.title, other.doc_number, "2015-01-01", other.issuer, "市司法局", "2025",
                  "废止", "替财政局清理", "", "李经办"])  # fmt: skip
    book.save(path)
    before = len(cleanup.decisions())
    with pytest.raises(ValidationError, match="市司法局's for campaign 2025"):
        cleanup.import_file(path)
    assert len(cleanup.decisions()) == before  # nothing, not even the row that was its own
