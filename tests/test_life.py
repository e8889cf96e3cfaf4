"""A document's life between cleanups (#24): registration numbers, filing with the office above
and its clocks, the quarter's 备案目录 and rates, on a real document (tests/data/SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from lxml import html
from typer.testing import CliRunner

from cli import app
from regclean import Registry, papers
from regclean.errors import DuplicateError, StateError, ValidationError
from regclean.registration import Format, key

DATA = Path(__file__).parent / "data"
HUANGPU = DATA / "huangpu-2021-18-excerpt.txt"  # 统一编号 HP0120210019 above 穗埔府规〔2021〕18号
ISSUER = "广州市黄埔区人民政府"
SETTINGS = f"""
[registration]
required = "yes"

[registration.formats]
"{ISSUER}" = "HP01{{year}}{{serial:4}}"

[filing]
days = 30
to = "广州市司法局"
since = "2021-01-01"
"""


@pytest.fixture
def life(tmp_path: Path) -> Registry:
    folder = tmp_path / "reg"
    Registry.init(folder).close()
    settings = folder / "regclean.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + SETTINGS, encoding="utf-8")
    registry = Registry.open(folder)
    yield registry
    registry.close()


def test_registration_formats_read_every_dash_and_refuse_a_bad_format() -> None:
    fmt = Format.parse("HP01{year}{serial:4}")
    assert fmt.read("HP0120210019") == (2021, 19) and fmt.make(2021, 20) == "HP0120210020"
    assert Format.parse("HFGS—{year}—{serial}").read("HFGS–2022―7") == (2022, 7)
    assert key("hfgs—2022－7") == "HFGS-2022-7"
    with pytest.raises(ValueError, match=r"\{year\} and \{serial\}"):
        Format.parse("HFGS-{serial}")


def test_a_bad_registration_setting_names_the_file(tmp_path: Path) -> None:
    from regclean.config import Settings
    from regclean.errors import RegistryError

    path = tmp_path / "regclean.toml"
    path.write_text('[registration.formats]\n"某市" = "NO-{serial}"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match=r"regclean.toml: \[registration.formats\] 某市"):
        Settings.load(path)
    path.write_text("[filing]\ndays = 0\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="days = 1 to 365"):
        Settings.load(path)


def test_one_document_through_registration_and_filing(life: Registry, tmp_path: Path) -> None:
    registry = life
    # the page's 统一编号 is read on import, in the issuer's format
    registry.import_file(HUANGPU, by="录入员")
    (doc,) = registry.instruments()
    assert doc.registration_no == "HP0120210019"
    assert registry.get("HP0120210019").id == doc.id
    # a second document of the issuer gets the next number of its year; a taken one is refused
    other = registry.add_instrument(title="广州市黄埔区人民政府关于印发某办法的通知",
                                    doc_number="穗埔府规〔2021〕20号", issuer=ISSUER,
                                    kind="行政规范性文件", published_on="2021-12-31", by="录入员")  # fmt: skip
    assert [f.code.value for f in registry.check() if f.instrument == other.id] == [
        "not_filed", "unregistered"]  # fmt: skip
    assert registry.register(other.id, by="法制科").registration_no == "HP0120210020"
    with pytest.raises(DuplicateError, match="already taken by instrument"):
        registry.update_instrument(other.id, registration_no="HP0120210019", by="法制科")
    with pytest.raises(ValidationError, match="not a registration number of 广州市黄埔区人民政府"):
        registry.update_instrument(other.id, registration_no="HFGS-2021-1", by="法制科")
    # filed late (a finding), deferred, corrected and registered
    with pytest.raises(StateError, match="never filed"):
        registry.answer_filing(doc.id, "registered", on="2022-02-20", by="法制科")
    with pytest.raises(ValidationError, match="before the document was published"):
        registry.file(doc.id, on="2021-12-01", by="法制科")
    registry.file(doc.id, on="2022-02-15", materials=["备案报告", "正文", "制定说明"], by="法制科")
    late = [f for f in registry.check() if f.instrument == doc.id]
    # (its validity ends 2026-12-31, within six months of today: its evaluation is due too)
    assert [f.code.value for f in late] == ["filed_late", "evaluation_due"]
    assert "2022-01-30" in late[0].message
    with pytest.raises(ValidationError, match="before the filing on 2022-02-15"):
        registry.answer_filing(doc.id, "暂缓登记", on="2022-02-10", until="2022-03-10",
                               reason="缺少合法性审核意见", by="省司法厅")  # fmt: skip
    registry.answer_filing(doc.id, "暂缓登记", on="2022-02-20", until="2022-03-10",
                           reason="缺少合法性审核意见", by="省司法厅")  # fmt: skip
    registry.filing_opinion(doc.id, "第五条的表述应与上位法一致", by="省司法厅")
    registry.answer_filing(doc.id, "予以备案", on="2022-03-05", by="省司法厅")
    with pytest.raises(StateError, match="already answered"):
        registry.answer_filing(doc.id, "refused", on="2022-03-06", reason="x", by="省司法厅")
    (filing,) = registry.filings(doc.id)
    assert (filing.state, filing.deferred_on, filing.answered_on) == ("registered", "2022-02-20",
                                                                      "2022-03-05")  # fmt: skip
    # the quarter: the 备案目录 lists it, and the rates count from the records
    registry.file(other.id, on="2022-01-10", by="法制科")
    registry.answer_filing(other.id, "registered", on="2022-01-20", by="省司法厅")
    q4 = registry.filing_quarter("2021Q4")  # both were published on 2021-12-31
    assert (q4.reporting.numerator, q4.reporting.denominator) == (2, 2)
    assert (q4.timely.numerator, q4.regular.numerator) == (1, 1)  # one late, one deferred
    q1 = registry.filing_quarter("2022年第一季度")
    assert [r["registration_no"] for r in q1.registered] == ["HP0120210019", "HP0120210020"]
    (sheet,) = papers.write(registry.filing_catalog("2022Q1"), tmp_path / "备案目录.xlsx")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0][0] == "2022年第一季度规范性文件备案目录"
    assert rows[3][:4] == ("1", "广州市黄埔区人民政府关于印发广州市黄埔区农村集体资产交易管理办法的通知",
            "穗埔府规〔2021〕18号", "HP0120210019")  # fmt: skip
    assert any(r[0] == "报备及时率" and r[2:4] == (0, 0) for r in rows)  # nothing published in Q1
    # every step shows on its page; the quarter's 备案目录 is a page of the site
    registry.publish(tmp_path / "site")
    quarter = html.fromstring((tmp_path / "site" / "filings" / "2022Q1.html").read_bytes())
    assert quarter.xpath("string(//h1)") == "2022年第一季度备案目录"
    assert [r.xpath("string(td[3])") for r in quarter.xpath("//table[@class='filings']/tbody/tr")] == [
        "HP0120210019", "HP0120210020"]  # fmt: skip
    # the catalogs show it too (the kept catalog lists the document in force)
    registry.propose(doc.id, "继续有效", by="区司法局")
    registry.approve(
        [doc.id], by="区人民政府", decision_title="关于公布继续有效规范性文件目录的通知"
    )
    registry.publish(tmp_path / "site")
    kept = (tmp_path / "site" / "catalogs" / "kept.html").read_text("utf-8")
    assert "HP0120210019" in kept
    twin = json.loads((tmp_path / "site" / "catalogs" / "kept.json").read_text("utf-8"))
    assert twin["rows"][0]["registration_no"] == "HP0120210019"
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "filings/2022Q1.html" in index and "filings/2021Q4.html" not in index
    page = html.fromstring((tmp_path / "site" / "instruments" / f"{doc.id}.html").read_bytes())
    text = page.text_content()
    assert "统一登记号" in text and "HP0120210019" in text
    assert "报送备案" in text and "备案审查结果" in text and "备案审查意见" in text
    # evaluated before expiry (it ends 2026-12-31) and renewed under a new number
    (due,) = [d for d in registry.due("6m") if d.instrument.id == doc.id]
    assert (due.step, due.due_on, due.overdue) == ("report", "2026-06-30", True)
    with pytest.raises(StateError, match="record the 评估报告 before the 法制机构意见"):
        registry.evaluate(doc.id, "opinion", on="2026-11-20", text="同意", by="区司法局")
    registry.evaluate(doc.id, "report", on="2026-11-01", by="区农业农村局",
                      text="实施情况良好，建议延长有效期")  # fmt: skip
    with pytest.raises(ValidationError, match="on 2026-10-01 is before the 评估报告 on 2026-11-01"):
        registry.evaluate(doc.id, "opinion", on="2026-10-01", text="同意", by="区司法局")
    registry.evaluate(doc.id, "opinion", on="2026-11-20", text="同意延长有效期", by="区司法局")
    import docx

    (skeleton,) = papers.write(registry.evaluation_report(doc.id), tmp_path / "评估报告.docx")
    document = docx.Document(skeleton)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert cells[cells.index("统一登记号") + 1] == "HP0120210019"
    assert cells[cells.index("法制机构意见") + 1 : cells.index("法制机构意见") + 4] == [
        "2026-10-31", "2026-11-20", "同意延长有效期"]  # fmt: skip
    assert "四、评估结论和建议" in [p.text for p in document.paragraphs]
    registry.publish(tmp_path / "site1")
    banner = (tmp_path / "site1" / "instruments" / f"{doc.id}.html").read_text("utf-8")
    assert "有效期至2026年12月31日，评估中" in banner
    assert [d.step for d in registry.due("6m") if d.instrument.id == doc.id] == ["decision"]
    registry.evaluate(doc.id, "decision", on="2026-12-01", outcome="延长有效期",
                      new_expiry="2031-12-31", by="区人民政府")  # fmt: skip
    renewed = registry.get(doc.id)
    assert str(renewed.expires_on) == "2031-12-31"
    assert renewed.registration_no == f"HP01{registry.today().year}0001"
    assert not [
        f for f in registry.check() if f.instrument == doc.id and f.code.value == "evaluation_due"
    ]
    history = [e.payload for e in registry.events() if e.action == "update"]
    assert history[-1]["registration_no"] == ["HP0120210019", renewed.registration_no]
    # search finds it by its new number in any dash form
    assert [h.instrument.id for h in registry.search(renewed.registration_no)] == [doc.id]
    # the next cleanup's draft results out for comment, the comments answered, the decision
    registry.create_campaign("2027清理", by="区司法局")
    registry.propose(
        doc.id, "修改", reason="与上位法不一致", campaign="2027清理", by="区农业农村局"
    )
    papers.write(registry.results_draft("2027清理", until="2026-12-31", contact="区司法局"),
                 tmp_path / "征求意见稿.html")  # fmt: skip
    sheet = tmp_path / "意见.csv"
    sheet.write_text(f"意见人,日期,文号,意见\n某合作社,2026-12-02,{renewed.registration_no},建议修改第五条\n",
                     encoding="utf-8")  # fmt: skip
    (comment,) = registry.import_comments("2027清理", sheet, by="区司法局")
    registry.answer_comment(comment.id, "采纳", by="区司法局")
    registry.approve([doc.id], by="区人民政府", decision_doc="穗埔府规〔2026〕1号",
                     decision_title="关于修改部分规范性文件的决定", effective_on="2026-12-03")  # fmt: skip
    registry.publish(tmp_path / "site2")
    page = (tmp_path / "site2" / "instruments" / f"{doc.id}.html").read_text("utf-8")
    assert "到期评估" in page and renewed.registration_no in page
    assert "征求意见" in page and "意见采纳情况" in page and "关于修改部分规范性文件的决定" in page
    assert registry.verify().ok


def test_the_command_line_files_and_answers(life: Registry, tmp_path: Path) -> None:
    runner = CliRunner()
    reg = ["--registry", str(life.path)]
    life.close()
    imported = runner.invoke(app, [*reg, "import", str(HUANGPU), "--by", "录入员"])
    assert imported.exit_code == 0, imported.output
    filed = runner.invoke(app, [*reg, "file", "穗埔府规〔2021〕18号", "--at", "2022-01-15",
                                "--material", "备案报告"])  # fmt: skip
    assert filed.exit_code == 0 and "广州市司法局" in filed.output
    never = runner.invoke(app, [*reg, "filing", "registered", "HP0120210099", "--at", "2022-01-20"])
    assert never.exit_code == 1 and "no instrument matches" in never.output
    done = runner.invoke(app, [*reg, "filing", "registered", "HP0120210019", "--at", "2022-01-20"])
    assert done.exit_code == 0, done.output
    report = runner.invoke(app, [*reg, "report", "filing", "--quarter", "2021Q4",
                                 "--out", str(tmp_path / "q.xlsx")])  # fmt: skip
    assert report.exit_code == 0 and "报备率: 100.0%（1/1）" in report.output
    assert "报备及时率: 100.0%（1/1）" in report.output


def test_draft_results_out_for_comment_then_the_decision(life: Registry, tmp_path: Path) -> None:
    registry = life
    registry.import_file(HUANGPU, by="录入员")
    (doc,) = registry.instruments()
    registry.create_campaign("2026清理", title="黄埔区2026年规范性文件清理", by="区司法局")
    registry.propose(
        doc.id, "修改", reason="与上位法不一致", campaign="2026清理", by="区农业农村局"
    )
    # the draft: a page of its own, marked, with the comment period and where to send comments
    draft = registry.results_draft("2026清理", until="2026-12-31", contact="区司法局 020-00000000")
    (page,) = papers.write(draft, tmp_path / "征求意见稿.html")
    text = html.fromstring(page.read_bytes()).text_content()
    assert "征求意见稿" in text and "2026-12-31" in text and "区司法局 020-00000000" in text
    assert "穗埔府规〔2021〕18号" in text and "修改" in text
    with pytest.raises(ValidationError, match="comment period ends"):
        registry.results_draft("2026清理", until="2020-01-01", contact="x")
    # comments from a sheet: a bad row is named with the others, and nothing is recorded
    sheet = tmp_path / "意见.csv"
    sheet.write_text("意见人,日期,文号,意见\n某合作社,2026-12-02,穗埔府规〔2021〕18号,建议保留第五条\n"
                     "某公司,2026-12-02,穗埔府规〔2021〕99号,建议废止\n,2026-12-02,穗埔府规〔2021〕18号,x\n",
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        registry.import_comments("2026清理", sheet, by="区司法局")
    assert "意见.csv row 3" in str(raised.value) and "意见.csv row 4" in str(raised.value)
    assert registry.comments("2026清理") == []
    sheet.write_text("意见人,日期,文号,意见\n某合作社,2026-12-02,穗埔府规〔2021〕18号,建议保留第五条\n"
                     "某公司,2026-12-02,HP0120210019,建议修改交易期限\n", encoding="utf-8")  # fmt: skip
    first, second = registry.import_comments("2026清理", sheet, by="区司法局")
    with pytest.raises(ValidationError, match="gives its reason"):
        registry.answer_comment(first.id, "不采纳", by="区司法局")
    registry.answer_comment(first.id, "不采纳", reason="第五条与上位法不一致", by="区司法局")
    registry.answer_comment(second.id, "采纳", by="区司法局")
    report = registry.comment_report("2026清理")
    assert report.summary == "共收到意见2条，采纳1条，部分采纳0条，不采纳1条，未答复0条。"
    (sheet_out,) = papers.write(report, tmp_path / "采纳情况.xlsx")
    rows = list(openpyxl.load_workbook(sheet_out).active.iter_rows(values_only=True))
    assert rows[3][1:3] == ("某合作社", "2026-12-02") and rows[3][6] == "不采纳"
    # then the decision, published
    registry.approve([doc.id], by="区人民政府", decision_doc="穗埔府规〔2026〕1号",
                     decision_title="关于修改部分规范性文件的决定", effective_on="2026-12-03")  # fmt: skip
    registry.publish(tmp_path / "site")
    page = (tmp_path / "site" / "instruments" / f"{doc.id}.html").read_text("utf-8")
    assert "关于修改部分规范性文件的决定" in page and "征求意见" in page
    assert registry.verify().ok


def test_the_yearly_plan_and_its_campaign(life: Registry, tmp_path: Path) -> None:
    from regclean.plans import Rule

    registry = life
    registry.import_file(HUANGPU, by="录入员")  # signed 2021-12-31, valid to 2026-12-31
    older = registry.add_instrument(title="广州市黄埔区人民政府关于印发甲办法的通知", issuer=ISSUER,
                                    doc_number="穗埔府规〔2018〕3号", kind="行政规范性文件",
                                    published_on="2018-03-01", by="录入员")  # fmt: skip
    basis = registry.add_instrument(title="广州市乙条例", kind="地方性法规", published_on="2015-01-01",
                                    by="录入员")  # fmt: skip
    reviewed = registry.add_instrument(title="广州市黄埔区人民政府关于印发丙办法的通知", issuer=ISSUER,
                                       doc_number="穗埔府规〔2017〕1号", kind="行政规范性文件",
                                       published_on="2017-01-01", by="录入员")  # fmt: skip
    registry.propose(reviewed.id, "继续有效", by="区司法局", at="2026-06-01")
    registry.approve([reviewed.id], by="区人民政府", at="2026-06-02")
    registry.relate(older.id, "based_on", basis.id, by="录入员")
    registry.propose(basis.id, "废止", reason="已被新条例代替", by="区司法局")
    registry.approve([basis.id], by="市人大常委会")
    assert str(Rule.parse("每2年一轮")) == "每2年一轮" and Rule.parse("20% a year").share == 20
    with pytest.raises(ValidationError, match="every 2 years"):
        Rule.parse("often")
    every = registry.plan(2027, "every 2 years")
    # oldest review first; the document reviewed in 2026 waits for the next round
    assert [p.instrument.doc_number for p in every.chosen] == ["穗埔府规〔2018〕3号",
                                                               "穗埔府规〔2021〕18号"]  # fmt: skip
    assert every.chosen[0].basis_changed and every.stock == 3
    share = registry.plan(2027, "每年20%")
    assert [p.instrument.doc_number for p in share.chosen] == [
        "穗埔府规〔2018〕3号"
    ]  # ceil(20% of 3)
    (sheet,) = papers.write(every, tmp_path / "计划.xlsx")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0][0] == "2027年度规范性文件清理计划" and "在效文件3件，列入计划2件" in rows[1][0]
    campaign = registry.campaign_from_plan("2027清理", every, deadline="2027-06-30", by="区司法局")
    assert sorted(i for p in registry.progress(campaign.name) for i in p.owed) == sorted(
        p.instrument.id for p in every.chosen)  # fmt: skip
    assert campaign.scope["plan"] == "2027 每2年一轮" and registry.verify().ok
    registry.publish(tmp_path / "site", force=True)  # (its basis was repealed: an error finding)
    page = html.fromstring((tmp_path / "site" / "campaigns" / f"{campaign.id}.html").read_bytes())
    assert "清理计划（2027 每2年一轮）" in page.text_content()
    assert [r.xpath("string(td[2])") for r in page.xpath("//table[@class='plan']/tbody/tr")] == [
        "穗埔府规〔2018〕3号", "穗埔府规〔2021〕18号"]  # fmt: skip
