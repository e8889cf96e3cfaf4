"""Published decisions (决定) read as what they are: each item decided under its heading, under
that decision, field by field, on real texts that governments published (tests/data)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from regclean import DecisionState, Kind, Outcome, Registry, Status, ValidationError

DATA = Path(__file__).resolve().parent / "data"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(DATA / name, target)
    return target


def _rows(reg: Registry) -> list[tuple]:
    out = []
    for i in reg.instruments():
        (d,) = reg.decisions(i.id)
        out.append((i.title, i.doc_number, i.issuer, i.kind, str(i.published_on or ""),
                    d.outcome, d.state, d.decision_title, d.decision_doc, str(d.effective_on)))  # fmt: skip
    return out


def test_shaanxi_2018_revisions_and_repeals(tmp_path: Path, clock) -> None:
    """Two rules revised in 对《X》作如下修改 blocks (amendment text kept), seven repealed in a
    1.《X》（…令第N号发布） list; 自公布之日起施行 with no date in the text: the day is given."""
    source = _copy(tmp_path, "shaanxi-2018-revise-repeal.txt")
    with Registry.init(tmp_path / "reg", jurisdiction="陕西省", clock=clock) as reg:
        report = reg.import_file(source, effective_on="2018-10-01")
        rows = _rows(reg)
        amended = reg.decisions("陕西省渭河流域生态环境保护办法")[0].amendment
    title = "陕西省人民政府关于修改、废止部分省政府规章的决定"
    gov = "陕西省人民政府"
    revised = [(t, "", gov, Kind.LOCAL_RULE, "", Outcome.REVISE, DecisionState.APPROVED, title, "",
                "2018-10-01") for t in ("陕西省渭河流域生态环境保护办法",
                                        "陕西省〈失业保险条例〉实施办法")]  # fmt: skip
    repealed = [
        ("陕西省收费证管理办法", "152", "2011-06-28"), ("陕西省统计登记管理办法", "55", "2000-03-21"),
        ("陕西省农业机械事故处理办法", "56", "2000-03-31"),
        ("陕西省农机安全监督管理办法", "25", "1995-11-09"),
        ("陕西省果树种子苗木管理办法", "80", "2002-03-25"),
        ("陕西省组织机构代码管理办法", "39", "1996-10-24"), ("陕西省室内装饰管理规定", "75", "2002-01-11"),
    ]  # fmt: skip
    assert rows == revised + [
        (t, f"陕西省人民政府令第{n}号", gov, Kind.LOCAL_RULE, day, Outcome.REPEAL,
         DecisionState.APPROVED, title, "", "2018-10-01") for t, n, day in repealed
    ]  # fmt: skip
    assert amended.splitlines()[0] == "1.删去第三十一条。" and "停产整治" in amended
    assert report.approved == 9 and report.proposals == 9


def test_shandong_2016_items_without_book_marks_and_the_signature_date(
    tmp_path: Path, clock
) -> None:
    """Items written 山东省信访规定(省政府令第114号); the generic 省政府令 belongs to the decision's
    issuer; 自公布之日起施行 takes the governor's signature date, 2016-04-15."""
    source = _copy(tmp_path, "shandong-2016-repeal.txt")
    with Registry.init(tmp_path / "reg", jurisdiction="济南市", clock=clock) as reg:
        reg.import_file(source)
        rows = _rows(reg)
        found = reg.get("山东省人民政府令第114号").title
        status = reg.status_on("鲁政发〔1983〕90号", "2016-04-15")
    title = "山东省人民政府关于废止《山东省信访规定》等3件省政府规章的决定"
    assert rows == [
        (t, n, "山东省人民政府", Kind.LOCAL_RULE, "", Outcome.REPEAL, DecisionState.APPROVED, title, "",
         "2016-04-15")
        for t, n in (("山东省信访规定", "省政府令第114号"), ("山东省安全生产监督管理规定", "省政府令第141号"),
                     ("山东省高等教育自学考试若干规定", "鲁政发〔1983〕90号"))
    ]  # fmt: skip
    assert found == "山东省信访规定" and status is Status.REPEALED


def test_a_decisions_own_dates_are_the_dates_on_record(tmp_path: Path, clock) -> None:
    """#22: …已经2016年2月26日省政府第73次常务会议通过 and signed 2016-04-15: its items are proposed
    on the day it was adopted and approved on the day it was signed, not on the day of import
    (the events keep their own time of entry). With --proposed, approving at the signing day
    works; a time of proposal can be given for any file."""
    source = _copy(tmp_path, "shandong-2016-repeal.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(source)
        (decision,) = reg.decisions("山东省人民政府令第114号")
        assert (decision.proposed_at[:10], decision.decided_at[:10]) == ("2016-02-26", "2016-04-15")
        logged = [e for e in reg.history("山东省人民政府令第114号") if e.action == "approve"]
        assert logged and logged[0].at.startswith("2026-11-26")  # entered today
    with Registry.init(tmp_path / "reg2", clock=clock) as reg:
        reg.import_file(source, proposed=True)
        approved = reg.approve(["山东省人民政府令第114号"], by="山东省人民政府", at="2016-04-15",
                               effective_on="2016-04-15")  # fmt: skip
        assert approved[0].decided_at.startswith("2016-04-15")
    rows = tmp_path / "rows.csv"
    rows.write_text("文件名称,文号,清理意见\n甲办法,温政发〔2004〕12号,废止\n", encoding="utf-8")
    with Registry.init(tmp_path / "reg3", clock=clock) as reg:
        reg.import_file(rows, at="2024-03-05")
        assert reg.decisions("温政发〔2004〕12号")[0].proposed_at.startswith("2024-03-05")


def test_an_order_page_names_the_decision_and_its_day(tmp_path: Path, clock) -> None:
    """陕西省人民政府令第148号: number and date from the page, the revision's first amendment."""
    source = _copy(tmp_path, "shaanxi-2011-order148-excerpt.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(source)
        (decision,) = reg.decisions()
        instrument = reg.get(decision.instrument_id)
    assert instrument.title == "陕西省〈征收教育费附加的暂行规定〉实施办法"
    assert instrument.issuer == "陕西省人民政府" and instrument.kind is Kind.LOCAL_RULE
    assert (decision.outcome, decision.decision_doc, decision.decision_title,
            str(decision.effective_on)) == (Outcome.REVISE, "陕西省人民政府令第148号",
                                            "陕西省人民政府关于修改部分省政府规章的决定", "2011-02-25")  # fmt: skip
    assert decision.amendment.splitlines() == ["1.将第二条、第三条中的“产品税”修改为“消费税”;",
                                               "2.删去第三条第一款、第三款、第四款;"]  # fmt: skip


def test_a_standing_committee_amends_its_regulations_inline(tmp_path: Path, clock) -> None:
    """甘肃省人大常委会: items numbered 1. 2. name their 条例 inside the amendment sentence
    (1.在《X》第七条中增加…, 2.将《Y》第七条…修改为…); the amendment runs on over the unnumbered
    lines; the page's short name (甘肃省人大常委会) gives way to the title's full one; the excerpt
    states no day, so the revisions wait as proposals."""
    source = _copy(tmp_path, "gansu-npc-revise-excerpt.txt")
    with Registry.init(tmp_path / "reg", jurisdiction="甘肃省", clock=clock) as reg:
        report = reg.import_file(source)
        rows = _rows(reg)
        energy = reg.decisions("甘肃省农村能源建设管理条例")[0].amendment.splitlines()
        weather = reg.decisions("甘肃省气象条例")[0].amendment.splitlines()
    assert rows == [
        (t, "", "甘肃省人民代表大会常务委员会", Kind.LOCAL_REGULATION, "", Outcome.REVISE,
         DecisionState.PROPOSED, "", "", "None")
        for t in ("甘肃省农村能源建设管理条例", "甘肃省气象条例")
    ]  # fmt: skip
    assert (
        energy[0].startswith("在《甘肃省农村能源建设管理条例》第七条中增加一项")
        and len(energy) == 5
    )
    assert energy[-1].startswith("第二十七条后增加一条作为第二十九条")
    assert weather[0].startswith("将《甘肃省气象条例》第七条") and weather[1].startswith(
        "第十条第四项"
    )
    assert report.proposals == 2 and report.approved == 0
    (note,) = report.notes
    assert "gansu-npc-revise-excerpt.txt" in note and "effective_on" in note


def test_an_order_page_numbered_by_its_order_alone(tmp_path: Path, clock) -> None:
    """甘肃省人民政府令 printed 第153号 under the title; 本决定自公布之日起30日后实施 with the
    governor's date 2019年12月23日 takes effect on 2020-01-22; 一、对《X》作出修改 heads the
    amendment."""
    source = _copy(tmp_path, "gansu-2019-order153-revise-excerpt.txt")
    with Registry.init(tmp_path / "reg", jurisdiction="甘肃省", clock=clock) as reg:
        reg.import_file(source)
        rows = _rows(reg)
        amendment = reg.decisions()[0].amendment.splitlines()
    assert rows == [
        ("甘肃省城市市容和环境卫生管理办法", "", "甘肃省人民政府", Kind.LOCAL_RULE, "", Outcome.REVISE,
         DecisionState.APPROVED,
         "甘肃省人民政府关于修改《甘肃省城市市容和环境卫生管理办法》等5件政府规章的决定",
         "甘肃省人民政府令第153号", "2020-01-22")
    ]  # fmt: skip
    assert amendment[0] == "1.将第二条修改为:“在本省城市内,一切单位和个人都应当遵守本办法。”"
    assert amendment[-1].startswith("“街道办事处") and len(amendment) == 5


@pytest.mark.parametrize(
    ("sentence", "day"),
    [("本决定自公布之日起30日后施行。", "2019-01-31"), ("本决定自发布之日起三十日后实施。", "2019-01-31"),
     ("本决定自公布之日起施行。", "2019-01-01"), ("本决定自2019年3月1日起施行。", "2019-03-01")],
)  # fmt: skip
def test_the_day_a_decision_takes_effect(sentence: str, day: str) -> None:
    from regclean.ingest.published import lines_of, read_decision

    lines = lines_of(f"某市人民政府关于废止部分规章的决定\n2019年1月1日\n{sentence}")
    assert read_decision(lines).effective.isoformat() == day


def test_proposed_files_the_items_as_proposals(tmp_path: Path, clock) -> None:
    source = _copy(tmp_path, "changzhou-2024-repeal.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(source, proposed=True)
        states = {(d.outcome, d.state) for d in reg.decisions()}
    assert states == {(Outcome.REPEAL, DecisionState.PROPOSED)} and report.approved == 0


def test_without_its_date_the_items_wait_as_proposals_and_the_report_says_so(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """Nothing is approved on a guessed day; importing again with the day approves them."""
    source = _copy(tmp_path, "changzhou-2024-repeal.txt")
    report = fresh_registry.import_file(source)
    assert {d.state for d in fresh_registry.decisions()} == {DecisionState.PROPOSED}
    (note,) = report.notes
    assert "自公布之日起施行" in note and "changzhou-2024-repeal.txt" in note
    again = fresh_registry.import_file(source, effective_on="2024-12-20")
    assert again.approved == 2 and again.proposals == 0
    assert {d.state for d in fresh_registry.decisions()} == {DecisionState.APPROVED}


def test_importing_the_same_decision_twice_changes_nothing(tmp_path: Path, clock) -> None:
    source = _copy(tmp_path, "shandong-2016-repeal.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(source)
        before = len(reg.events())
        again = reg.import_file(source)
        assert len(reg.events()) == before and again.approved == 0 and again.unchanged == 3


def test_an_open_proposal_is_approved_by_the_decision_that_enacts_it(tmp_path: Path, clock) -> None:
    """A department proposed the repeal; the published decision approves that proposal."""
    source = _copy(tmp_path, "changzhou-2024-repeal.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        doc = reg.add_instrument(title="常州市城市市容管理办法", doc_number="常州市人民政府令第2号")
        reg.propose(doc.id, "废止", reason="与上位法不一致", by="市城管局")
        reg.import_file(source, effective_on="2024-12-20")
        (decision,) = reg.decisions(doc.id)
    assert decision.state is DecisionState.APPROVED and decision.reason_text == "与上位法不一致"
    assert str(decision.effective_on) == "2024-12-20"


def test_a_conflicting_item_rolls_back_the_whole_decision(tmp_path: Path, clock) -> None:
    source = _copy(tmp_path, "changzhou-2024-repeal.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        doc = reg.add_instrument(
            title="常州市生活垃圾分类管理办法", doc_number="常州市人民政府令第8号"
        )
        reg.propose(doc.id, "继续有效", by="市城管局")
        before = len(reg.events())
        with pytest.raises(ValidationError) as caught:
            reg.import_file(source, effective_on="2024-12-20")
        assert "item 2" in str(caught.value) and "open proposal" in str(caught.value)
        assert len(reg.events()) == before and reg.count() == 1


def test_the_same_decision_as_an_html_page(tmp_path: Path, clock) -> None:
    """A page whose paragraphs hold the text reads like the text."""
    text = (DATA / "shandong-2016-repeal.txt").read_text(encoding="utf-8")
    page = tmp_path / "decision.html"
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    page.write_text(f"<html><head><meta charset='utf-8'></head><body>{paragraphs}</body></html>",
                    encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page)
        assert len(_rows(reg)) == 3
        assert {row[5] for row in _rows(reg)} == {Outcome.REPEAL}


@pytest.mark.parametrize("marker", ["一、", "（一）", "(一)", "1.", "1、", "(1)", "①"])
def test_every_list_numbering_is_read(
    marker: str, fresh_registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "list.txt"
    source.write_text(
        f"市政府决定废止以下规章：\n{marker}《甲办法》（2001年2月3日温州市人民政府令第5号发布）\n",
        encoding="utf-8",
    )
    fresh_registry.import_file(source, effective_on="2024-01-01")
    (instrument,) = fresh_registry.instruments()
    assert (instrument.title, instrument.doc_number, str(instrument.published_on)) == (
        "甲办法", "温州市人民政府令第5号", "2001-02-03")  # fmt: skip
    assert fresh_registry.status_on(instrument.id) is Status.REPEALED


def test_amending_orders_become_relations_or_notes(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """（一）《X》（…令第62号发布，根据…令第84号、…令第154号修改）, the shape of a 政府令 page: an
    amending order in the registry is related; one that is not is noted in the history."""
    amender = fresh_registry.add_instrument(title="关于修改部分规章的决定",
                                            doc_number="温州市人民政府令第84号")  # fmt: skip
    source = tmp_path / "order.txt"
    source.write_text(
        "温州市人民政府关于废止部分市政府规章的决定\n"
        "市政府决定对以下规章予以废止：\n"
        "（一）《温州市甲管理办法》（2003年5月6日温州市人民政府令第62号发布，根据2008年1月2日温州市"
        "人民政府令第84号、2015年3月4日温州市人民政府令第154号修改）\n"
        "本决定自2024年6月1日起施行。\n",
        encoding="utf-8",
    )
    report = fresh_registry.import_file(source)
    item = fresh_registry.get("温州市人民政府令第62号")
    assert ("amended_by", amender.id) in [(k, o.id) for k, o in fresh_registry.relations(item)]
    notes = [e.payload for e in fresh_registry.history(item) if e.action == "note"]
    assert [n["amended_by"] for n in notes] == ["温州市人民政府令第154号"]
    assert len(report.notes) == 1
    (decision,) = fresh_registry.decisions(item)
    assert str(decision.effective_on) == "2024-06-01"
    assert decision.decision_title == "温州市人民政府关于废止部分市政府规章的决定"


def test_a_bare_list_without_headings_imports_instruments_only(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "list.txt"
    source.write_text("一、《甲办法》（2001年2月3日温州市人民政府令第5号发布）\n", encoding="utf-8")
    report = fresh_registry.import_file(source)
    assert fresh_registry.count() == 1 and fresh_registry.decisions() == []
    assert report.approved == 0


def test_the_cli_imports_a_decision_with_its_day(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli import app

    source = _copy(tmp_path, "changzhou-2024-repeal.txt")
    registry = str(tmp_path / "reg")
    runner = CliRunner()
    assert runner.invoke(app, ["--registry", registry, "init"]).exit_code == 0
    result = runner.invoke(app, ["--registry", registry, "import", str(source),
                                 "--effective", "2024-12-20", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["approved"] == 2
    assert report["decided_by"][str(source)]["effective_on"] == "2024-12-20"


def test_a_disclosure_inventory_in_gb18030(tmp_path: Path, clock) -> None:
    """Real 信息公开 metadata: 成文日期 and 发文日期 (the latter with a time), 有效性 有效 or blank."""
    source = _copy(tmp_path, "xxgk-metadata-inventory.csv")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(source)
        gaoqing = reg.get("高政发〔2021〕1号")
        zhenba = reg.get("镇政发〔2024〕7号")
        statuses = {reg.status_on(i.id) for i in (gaoqing, zhenba)}
        assert reg.decisions() == []
    assert (gaoqing.issuer, str(gaoqing.signed_on), str(gaoqing.published_on), gaoqing.index_no,
            gaoqing.subject) == ("高青县人民政府办公室", "2021-03-26", "2021-03-26",
                                 "11370322004222241N/2021-5135380", "综合政务-文秘工作")  # fmt: skip
    assert (zhenba.title, str(zhenba.published_on), zhenba.signed_on) == (
        "镇巴县人民政府工作规则", "2024-04-06", None)  # fmt: skip
    assert statuses == {Status.IN_FORCE} and report.added == 2


def test_a_status_column_is_recorded_as_what_the_source_states(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """有效性 已废止 / 已失效 (with its 失效日期) become approved decisions attributed to the file;
    已被代替, no successor named, ends its force all the same (宣布失效, the file's words kept);
    有效 and 暂无 add nothing; importing again adds nothing."""
    source = tmp_path / "inventory.csv"
    source.write_text(
        "标题,发文字号,成文日期,有效性,失效日期\n"
        "甲办法,温政发〔2015〕1号,2015-01-05,已废止,\n"
        "乙办法,温政发〔2016〕2号,2016-02-01,已失效,2021-02-01\n"
        "丙办法,温政发〔2020〕3号,2020-03-01,有效,\n"
        "丁办法,温政发〔2020〕4号,2020-04-01,暂无,\n"
        "戊办法,温政发〔2014〕5号,2014-05-01,已被代替,\n",
        encoding="utf-8",
    )
    report = fresh_registry.import_file(source)
    repealed, invalid = fresh_registry.get("甲办法"), fresh_registry.get("乙办法")
    (d1,) = fresh_registry.decisions(repealed)
    (d2,) = fresh_registry.decisions(invalid)
    assert (d1.outcome, d1.state, d1.decided_by) == (Outcome.REPEAL, DecisionState.APPROVED,
                                                     "inventory.csv")  # fmt: skip
    assert (d2.outcome, str(d2.effective_on)) == (Outcome.INVALIDATE, "2021-02-01")
    assert "inventory.csv" in d2.reason_text and "已失效" in d2.reason_text
    assert fresh_registry.status_on(invalid) is Status.INVALID
    assert fresh_registry.status_on("丙办法") is Status.IN_FORCE
    (d5,) = fresh_registry.decisions("戊办法")
    assert d5.outcome is Outcome.INVALIDATE and "已被代替" in d5.reason_text
    assert fresh_registry.status_on("戊办法") is Status.INVALID
    assert report.approved == 3 and len(report.notes) == 2  # 甲办法 and 戊办法 had no date
    assert fresh_registry.import_file(source).approved == 0


def test_an_unknown_status_names_its_column(fresh_registry: Registry, tmp_path: Path) -> None:
    source = tmp_path / "inventory.csv"
    source.write_text("标题,时效性\n甲办法,好像有效\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        fresh_registry.import_file(source)
    (problem,) = caught.value.problems
    assert (problem.field, problem.column, problem.value) == ("status", "时效性", "好像有效")


@pytest.mark.parametrize(
    ("name", "title", "number", "issuer", "published", "effective"),
    [
        ("hebei-order-2010-15.txt", "河北省人工影响天气管理规定", "政府令〔2010〕第15号", "河北省人民政府",
         "2010-12-25", "2011-02-01"),
        ("xiamen-order-136.txt", "厦门市大嶝对台小额商品交易市场管理规定", "厦门市人民政府令第136号",
         "厦门市人民政府", "2009-12-23", "2010-02-01"),
    ],
)  # fmt: skip
def test_a_promulgation_page_is_its_rule(
    tmp_path: Path,
    clock,
    name: str,
    title: str,
    number: str,
    issuer: str,
    published: str,
    effective: str,
) -> None:
    """A 政府令 page promulgating one rule: its order number (with a bracketed year and no
    government on the 河北 page), the signature date (二OO九年… with the letter O), the day it
    takes effect, the issuer; a 规章, with no decision."""
    source = _copy(tmp_path, name)
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(source)
        (rule,) = reg.instruments()
        found = reg.get(
            f"{issuer.removesuffix('人民政府')}人民政府令{number.partition('令')[2]}"
        ).id
        assert reg.decisions() == [] and found == rule.id
    assert (rule.title, rule.doc_number, rule.issuer, rule.kind, str(rule.published_on),
            str(rule.effective_on)) == (title, number, issuer, Kind.LOCAL_RULE, published, effective)  # fmt: skip


def _docx(path: Path, blocks: list) -> Path:
    """A Word file of paragraphs (str) and tables (lists of rows), in order."""
    from docx import Document

    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    document.save(str(path))
    return path


def test_a_decision_in_word_paragraphs(tmp_path: Path, clock) -> None:
    """The 山东 decision as a .docx of paragraphs reads like its text."""
    lines = (DATA / "shandong-2016-repeal.txt").read_text(encoding="utf-8").splitlines()
    source = _docx(tmp_path / "decision.docx", lines)
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(source)
        assert [row[:2] for row in _rows(reg)] == [
            ("山东省信访规定", "省政府令第114号"), ("山东省安全生产监督管理规定", "省政府令第141号"),
            ("山东省高等教育自学考试若干规定", "鲁政发〔1983〕90号")]  # fmt: skip
    assert report.approved == 3


def test_a_decision_with_annexed_catalog_tables_in_word(tmp_path: Path, clock) -> None:
    """A 决定 whose catalogs are annexed as Word tables, each under its heading: every row takes
    its table's outcome, approved under the decision (rows from the real 陕西 2018 decision,
    set out as the annexed tables many decisions use)."""
    source = _docx(tmp_path / "decision.docx", [
        "陕西省人民政府关于废止和宣布失效部分省政府规章的决定",
        "本决定自2018年10月1日起施行。",
        "附件1 废止的省政府规章目录",
        [["序号", "规章名称", "文号", "发布日期"],
         ["1", "陕西省收费证管理办法", "陕西省人民政府令第152号", "2011年6月28日"],
         ["2", "陕西省统计登记管理办法", "陕西省人民政府令第55号", "2000年3月21日"]],
        "附件2 宣布失效的省政府规章目录",
        [["序号", "规章名称", "文号", "发布日期"],
         ["1", "陕西省室内装饰管理规定", "陕西省人民政府令第75号", "2002年1月11日"]],
    ])  # fmt: skip
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(source)
        rows = _rows(reg)
    assert [(r[0], r[3], r[5], r[9]) for r in rows] == [
        ("陕西省收费证管理办法", Kind.LOCAL_RULE, Outcome.REPEAL, "2018-10-01"),
        ("陕西省统计登记管理办法", Kind.LOCAL_RULE, Outcome.REPEAL, "2018-10-01"),
        ("陕西省室内装饰管理规定", Kind.LOCAL_RULE, Outcome.INVALIDATE, "2018-10-01"),
    ]
    assert {r[7] for r in rows} == {"陕西省人民政府关于废止和宣布失效部分省政府规章的决定"}
    assert report.approved == 3


def test_a_damaged_word_file_is_named(fresh_registry: Registry, tmp_path: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError, match=r"broken\.docx.*not a readable \.docx"):
        fresh_registry.import_file(bad)


def test_annexed_catalog_tables_on_a_page_take_their_headings_outcome(
    tmp_path: Path, clock
) -> None:
    page = tmp_path / "decision.html"
    page.write_text("""<html><body><h1>温州市人民政府关于废止和宣布失效一批规范性文件的决定</h1>
    <p>本决定自2024年6月1日起施行。</p>
    <h3>附件1 废止的规范性文件目录</h3>
    <table><tr><th>序号</th><th>文件名称</th><th>文号</th></tr>
    <tr><td>1</td><td>甲办法</td><td>温政发〔2004〕12号</td></tr></table>
    <div><p>附件2 宣布失效的规范性文件目录</p>
    <table><tr><th>序号</th><th>文件名称</th><th>文号</th></tr>
    <tr><td>1</td><td>乙办法</td><td>温政发〔2005〕3号</td></tr></table></div>
    </body></html>""", encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page)
        assert [(r[0], r[5], r[6], r[9]) for r in _rows(reg)] == [
            ("甲办法", Outcome.REPEAL, DecisionState.APPROVED, "2024-06-01"),
            ("乙办法", Outcome.INVALIDATE, DecisionState.APPROVED, "2024-06-01"),
        ]


def test_an_item_that_cannot_be_read_is_named_not_dropped(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "decision.txt"
    source.write_text(
        "市政府决定废止以下规章：\n一、《甲办法》（2001年2月3日温州市人民政府令第5号发布）\n"
        "二、《乙办法》（2002年3月4日温州市人民政府令第6号发布\n"  # the closing bracket lost
        "三、《丙办法》（2003年4月5日温州市人民政府令第7号发布）\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        fresh_registry.import_file(source, effective_on="2024-01-01")
    (problem,) = caught.value.problems
    assert problem.record == "decision.txt, item 2 (line 3)" and "乙办法" in str(problem.value)
    assert fresh_registry.count() == 0


def test_a_text_cut_off_inside_its_last_item_reads_that_item_as_far_as_it_goes(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    # a copy that ends inside the last item's brackets (batch 24's 解读, cut by the page): the
    # item is read with what it gives, and the import says the text ends there
    source = tmp_path / "decision.txt"
    source.write_text(
        "废止的市政府规范性文件有2件，分别为：\n"
        "1.《甲办法》（文号：河府〔2008〕148号，发布日期：2008年12月17日）\n"
        "2.《乙办法》（文号：河府〔2008〕151号\n",
        encoding="utf-8",
    )
    report = fresh_registry.import_file(source, effective_on="2025-01-01")
    rows = {i.title: i for i in fresh_registry.instruments()}
    assert rows["乙办法"].doc_number == "河府〔2008〕151号"
    assert fresh_registry.status_on(rows["乙办法"].id) is Status.REPEALED
    assert any("乙办法" in note and "ends inside" in note for note in report.notes)


def test_the_page_of_one_normative_document_is_that_document(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A district government's 规范性文件 as its 信息公开 page prints it: a 基本信息 block whose
    labels are spaced out to align (文  号), 实施日期 and 失效日期, 发布机关, then the notice and
    its signature date. It imports as that one instrument, field by field, with no decision;
    read ahead in a forked process it imports the same."""
    import regclean.ingest as ingest

    source = _copy(tmp_path, "huangpu-2021-18-excerpt.txt")
    for ahead in (False, True):
        if ahead:
            monkeypatch.setattr(ingest, "READ_AHEAD_FROM", 0)
        with Registry.init(tmp_path / f"reg-{ahead}", clock=clock) as reg:
            report = reg.import_file(source)
            assert (report.added, report.proposals) == (1, 0)
            doc = reg.get("穗埔府规〔2021〕18号")
            assert (
                doc.title
                == "广州市黄埔区人民政府关于印发广州市黄埔区农村集体资产交易管理办法的通知"
            )
            assert doc.title_core == "广州市黄埔区农村集体资产交易管理办法"
            assert (doc.issuer, doc.kind) == ("广州市黄埔区人民政府", Kind.NORMATIVE)
            assert (str(doc.signed_on), str(doc.effective_on), str(doc.expires_on)) == (
                "2021-12-31", "2022-01-01", "2026-12-31")  # fmt: skip
            assert doc.published_on is None  # the page gives no 发布日期
            assert reg.decisions() == []
            assert reg.status_on(doc.id, "2026-12-31") is Status.IN_FORCE
            assert reg.status_on(doc.id, "2027-01-01") is Status.EXPIRED


def test_a_status_mark_in_a_title_is_a_status_not_part_of_the_title(tmp_path: Path, clock) -> None:
    """#22: 【已失效】 in a page's 名称, （已废止） after a catalog's title: the instrument is not
    entered in force, and its title is the title without the mark; (修订) is part of a title."""
    page = tmp_path / "page.txt"
    page.write_text("名称：【已失效】甲市人民政府关于印发甲市乙办法的通知\n文号：甲政发〔2015〕3号\n"
                    "成文日期：2015-04-01\n甲市人民政府关于印发甲市乙办法的通知\n甲政发〔2015〕3号\n"
                    "各区人民政府：\n现将《甲市乙办法》印发给你们。\n甲市人民政府\n2015年4月1日\n",
                    encoding="utf-8")  # fmt: skip
    rows = tmp_path / "rows.csv"
    rows.write_text("文件名称,文号\n丙办法（已废止）,甲政发〔2016〕1号\n丁办法(修订),甲政发〔2017〕2号\n",
                    encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page)
        reg.import_file(rows)
        doc = reg.get("甲政发〔2015〕3号")
        assert doc.title == "甲市人民政府关于印发甲市乙办法的通知"
        assert reg.status_on(doc.id) is Status.INVALID
        assert reg.get("甲政发〔2016〕1号").title == "丙办法"
        assert reg.status_on("甲政发〔2016〕1号") is Status.REPEALED
        assert reg.get("甲政发〔2017〕2号").title == "丁办法(修订)"
        assert reg.status_on("甲政发〔2017〕2号") is Status.IN_FORCE


def _annexes(folder: Path, listed: dict[str, list[str]]) -> None:
    """Catalog files as departments attach them: a title row naming the catalog, a header,
    rows (the rows are made up here; the notice is real)."""
    for n, (name, titles) in enumerate(listed.items(), start=1):
        rows = "".join(f"{i},{t},花政办发〔2022〕{n * 10 + i}号\n" for i, t in enumerate(titles, 1))
        (folder / f"附件{n}.csv").write_text(f"附件{n}：{name}\n序号,文件名称,文号\n{rows}",
                                           encoding="utf-8")  # fmt: skip


def test_a_result_notice_imported_with_its_annexes(tmp_path: Path, clock) -> None:
    """#22: the 花垣县 notice (tests/corpus/batch1) names one document of each outcome and counts
    the rest, which are in its annexes. Given with its annexes (files, a folder or a .zip),
    every row is decided under the notice with its annex's outcome; the counts it states are
    checked against the rows; a count the annexes do not match is a problem."""
    import zipfile

    from .corpus.score import HERE

    notice = HERE / "batch1" / "huayuan-2024-result.txt"
    folder = tmp_path / "sent"
    folder.mkdir()
    shutil.copyfile(notice, folder / "通知.txt")
    office = "花垣县人民政府办公室关于印发"
    named = [f"{office}〈花垣县县级储备粮管理办法〉的通知", f"{office}〈花垣县行政许可事项清单(2022年版)〉的通知",
             f"{office}〈花垣县农村土地经营权流转管理办法实施细则(试行)〉的通知"]  # fmt: skip
    _annexes(folder, {"继续有效的规范性文件目录": [named[0]] + [f"继续有效文件{i}" for i in range(6)],
                      "失效的规范性文件目录": [named[1]] + [f"失效文件{i}" for i in range(3)],
                      "废止的规范性文件目录": [named[2], "废止文件0"]})  # fmt: skip
    archive = tmp_path / "sent.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.iterdir()):
            out.write(path, path.name)
    for n, given in enumerate(([folder], [archive], sorted(folder.iterdir()))):
        with Registry.init(tmp_path / f"reg{n}", clock=clock) as reg:
            report = reg.import_file(given)
            outcomes = [reg.decisions(i.id)[-1].outcome for i in reg.instruments()]
            assert len(outcomes) == 13  # the three it names are listed again in the annexes
            assert (outcomes.count(Outcome.KEEP), outcomes.count(Outcome.INVALIDATE),
                    outcomes.count(Outcome.REPEAL)) == (7, 4, 2)  # fmt: skip
            assert not any("is not in the input" in note for note in report.notes), report.notes
    short = folder / "附件3.csv"
    short.write_text("附件3：废止的规范性文件目录\n序号,文件名称,文号\n1,废止文件0,花政办发〔2022〕31号\n",
                     encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "reg-short", clock=clock) as reg:
        with pytest.raises(ValidationError, match="states 2 废止 but its annexes list 1"):
            reg.import_file([folder])
        assert list(reg.instruments()) == []
    short.unlink()  # the annex of repeals not given: the one named is recorded, the rest said
    with Registry.init(tmp_path / "reg-missing", clock=clock) as reg:
        report = reg.import_file([folder])
        assert any("states 2 废止 but lists 1; the rest are not in the input" in note
                   for note in report.notes), report.notes  # fmt: skip
        assert reg.decisions(named[2])[-1].outcome is Outcome.REPEAL


def test_a_zip_cannot_write_outside_its_folder(tmp_path: Path, clock) -> None:
    import zipfile

    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as out:
        out.writestr("../../escaped.csv", "文件名称\n甲办法\n")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        with pytest.raises(ValidationError, match="outside the archive's folder"):
            reg.import_file(bad)
        assert list(reg.instruments()) == []
    assert not (tmp_path.parent / "escaped.csv").exists()


def test_a_decision_document_is_found_by_its_number(tmp_path: Path, clock) -> None:
    """#22: "what did 令第148号 decide?" — the decisions recorded under a decision's number, in
    any spelling (the generic 省政府令 of the government that decided too)."""
    from typer.testing import CliRunner

    from cli import app

    source = _copy(tmp_path, "shaanxi-2011-order148-excerpt.txt")
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(source)
        for spelling in ("陕西省人民政府令第148号", "陕西省政府令第148号", "省政府令第148号"):
            ((decision, instrument),) = reg.decided_under(spelling)
            assert decision.outcome is Outcome.REVISE and "教育费附加" in instrument.title
        assert reg.decided_under("陕西省人民政府令第149号") == []
    result = CliRunner().invoke(app, ["--registry", str(tmp_path / "reg"), "decided",
                                      "省政府令第148号"])  # fmt: skip
    assert result.exit_code == 0 and "修改 (revise)" in result.output


def test_the_next_section_glued_to_the_last_item_is_read_apart(tmp_path: Path, clock) -> None:
    """#22: a copied page ran 三、本决定自公布之日起施行 onto the last item's line; the item is read,
    the closing too, nothing refused."""
    source = tmp_path / "glued.txt"
    source.write_text("甲市人民政府关于废止部分规章的决定\n二、对下列规章予以废止：\n"
                      "1.《甲市乙办法》（2001年3月1日甲市人民政府令第5号发布）三、本决定自公布之日起施行。\n"
                      "甲市人民政府\n2024年5月6日\n", encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(source)
        (decision,) = reg.decisions("甲市人民政府令第5号")
    assert decision.outcome is Outcome.REPEAL and str(decision.effective_on) == "2024-05-06"
    assert report.approved == 1


def test_outcome_words_are_understood_by_their_parts(tmp_path: Path, clock) -> None:
    """#22: a column's words are read by verb, negation and object, not as a list of phrases."""
    rows = tmp_path / "form.csv"
    rows.write_text("文件名称,文号,清理意见\n甲办法,甲政发〔2010〕1号,经审查确认不属于规范性文件\n"
                    "乙办法,甲政发〔2010〕2号,拟予废止\n丙办法,甲政发〔2010〕3号,建议继续保留\n",
                    encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(rows)
        outcomes = [reg.decisions(f"甲政发〔2010〕{n}号")[0].outcome for n in (1, 2, 3)]
    assert outcomes == [Outcome.NOT_NORMATIVE, Outcome.REPEAL, Outcome.KEEP]
    merged = tmp_path / "merged.csv"
    merged.write_text("文件名称,清理意见\n丁办法,废止或宣布失效\n", encoding="utf-8")
    with (
        Registry.init(tmp_path / "reg2", clock=clock) as reg,
        pytest.raises(ValidationError, match="choose 废止"),
    ):
        reg.import_file(merged)


def test_a_catalog_printed_as_a_text_table_with_wrapped_cells(tmp_path: Path, clock) -> None:
    """#22, batch 5: law databases print old gazette tables between | marks, a long cell wrapped
    onto the rows below with the 序号 blank. Each wrapped row continues its row; the 废止理由
    column gives the rows their outcome; 法规名称 beside 国务院 is a 行政法规; the title names the
    issuer where the issuer column gives only a date."""
    table = tmp_path / "t.txt"
    table.write_text(
        "|序号| 法规名称 | 发布机关及日期 | 发文字号 | 废止理由 |\n"
        "|1 |国务院关于甲乙丙|1965年1月2日|〔1965〕国甲字3|已被新规定 |\n"
        "| |丁的暂行规定 |发布 |号 |所代替。 |\n"
        "|2 |戊己庚辛暂行办|1974年3月4日国|国发〔1974〕5号 |已被 |\n"
        "| |法 |务院发布 | |代替。 |\n"
        "\n|序号| 法规名称 | 发布机关及日期 | 发文字号 | 废止理由 |\n"
        "|3 |国务院批转关于壬|1979年5月6日|国发〔1979〕7号|已过时。 |\n"
        "| |癸的报告 | | | |\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(table, by="clerk")
        got = sorted((i.title, i.doc_number, i.issuer, i.kind, str(i.published_on),
                      reg.decisions(i.id)[-1].outcome) for i in reg.instruments())  # fmt: skip
    assert got == [
        ("国务院关于甲乙丙丁的暂行规定", "〔1965〕国甲字3号", "国务院", Kind.ADMIN_REGULATION,
         "1965-01-02", Outcome.REPEAL),
        ("国务院批转关于壬癸的报告", "国发〔1979〕7号", "国务院", Kind.ADMIN_REGULATION,
         "1979-05-06", Outcome.REPEAL),
        ("戊己庚辛暂行办法", "国发〔1974〕5号", "国务院", Kind.ADMIN_REGULATION, "1974-03-04",
         Outcome.REPEAL),
    ]  # fmt: skip


def test_a_markdown_export_and_its_lines_of_record(tmp_path: Path, clock) -> None:
    """#22, batch 5: a law collection's Markdown (# title, dated lines of record, an INFO END
    comment) imports like the page it is: the order that promulgated it gives the number, the
    date and the issuer, and the issuer's rank gives the kind."""
    source = tmp_path / "rule.md"
    source.write_text(
        "# 甲乙调解委员会组织条例\n\n1989年5月5日 国务院第40次常务会议通过\n\n"
        "1989年6月17日 中华人民共和国国务院令第37号发布\u3000\n\n<!-- INFO END -->\n\n"
        "第一条 为了甲乙，制定本条例。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(source, by="clerk")
        (doc,) = reg.instruments()
    assert (doc.title, doc.issuer, doc.kind, str(doc.signed_on or doc.published_on)) == (
        "甲乙调解委员会组织条例", "国务院", Kind.ADMIN_REGULATION, "1989-06-17")  # fmt: skip
    assert doc.doc_number.endswith("国务院令第37号")


def test_a_mirrors_pinyin_aids_are_not_part_of_the_text(tmp_path: Path, clock) -> None:
    """#22, batch 5: a mirror that prints toned pinyin in brackets after some characters
    (發(fā)布, 規(guī)范) prints the same document; the title is read without them, and its
    【已失效】 mark is its status."""
    page = tmp_path / "page.txt"
    page.write_text(
        "名  稱: 【已失效】甲市人民政府關于印發(fā)《甲市乙規(guī)定》的通知\n"
        "文  號: 甲府〔2017〕4號\n發(fā)布日期: 2017-04-06\n\n甲府〔2017〕4號\n"
        "各縣、區(qū)人民政府:\n《甲市乙規(guī)定》現(xiàn)印發(fā)給你們。\n甲市人民政府\n2017年4月5日\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page, by="clerk")
        (doc,) = reg.instruments()
        assert doc.title == "甲市人民政府關于印發《甲市乙規定》的通知"
        assert reg.status_on(doc.id).value == "invalid"


def test_a_page_that_prints_two_documents_records_both(tmp_path: Path, clock) -> None:
    """#22, batch 5: a law database page that runs on into a second document after the first's
    download link holds two documents, each with its own title, issuer, number and date; the
    issuer printed between two printings of a title is its issuer; a date in brackets under a
    notice's title dates it, and a salutation ended by a semicolon still starts the text."""
    page = tmp_path / "page.txt"
    page.write_text(
        "甲会代表会议关于乙的决议\n下载地址: 点击此处下载\n甲会代表会议关于乙的决议\n甲会\n"
        "甲会代表会议关于乙的决议\n一九五○年一月十日通过 一九五○年二月九日丙会批准\n"
        "决议正文。\n下载地址: 点击此处下载\n"
        "丁市人民政府办公室关于印发《丁市戊制度》的通知\n陕西省丁市人民政府办公室\n"
        "丁政办发〔2008〕12号\n丁市人民政府办公室关于印发《丁市戊制度》的通知\n"
        "各县市区人民政府,市人民政府各工作部门;\n《丁市戊制度》已经市政府同意,现印发你们。\n"
        "二00八年九月七日\n丁市戊制度\n为了戊,制定本制度。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page, by="clerk")
        got = sorted((i.title, i.doc_number, i.issuer, str(i.published_on or i.signed_on))
                     for i in reg.instruments())  # fmt: skip
    assert got == [
        ("丁市人民政府办公室关于印发《丁市戊制度》的通知", "丁政办发〔2008〕12号",
         "丁市人民政府办公室", "2008-09-07"),
        ("甲会代表会议关于乙的决议", "", "甲会", "1950-01-10"),
    ]  # fmt: skip


def test_a_notice_dated_in_brackets_that_carries_its_rule(tmp_path: Path, clock) -> None:
    """#22, batch 5: 《X》已经市人民政府批准,现予发布 inside a notice titled 关于印发《X》的通知 is the
    notice's own sentence: the page is the notice (not X); its date is the one in brackets under
    the title; the issuer line's province is the law database's, not the city's name."""
    page = tmp_path / "page.txt"
    page.write_text(
        "市政府关于印发《甲市乙规定》的通知\n下载地址: 点击此处下载\n"
        "市政府关于印发《甲市乙规定》的通知\n江苏省甲市人民政府\n"
        "市政府关于印发《甲市乙规定》的通知\n(1999年3月14日)\n各县(市)、区人民政府:\n"
        "《甲市乙规定》已经市人民政府批准,现予发布。请认真遵照执行。\n甲市乙规定\n第一条 为了乙。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page, by="clerk")
        (doc,) = reg.instruments()
    assert (doc.title, doc.issuer, str(doc.published_on or doc.signed_on)) == (
        "市政府关于印发《甲市乙规定》的通知", "甲市人民政府", "1999-03-14")  # fmt: skip


def test_records_run_together_a_made_regulation_and_an_undated_text(tmp_path: Path, clock) -> None:
    """#22, batch 6: a line of record holding two records (…批准2015年9月24日…公告公布: the
    publication is the second); a regulation 制定 (made) by a standing committee is adopted
    like one 通过; a title over its articles is that document though nothing dates it."""
    made = tmp_path / "made.md"
    made.write_text(
        "# 甲市乙丙条例\n2015年8月26日 甲市第十五届人民代表大会常务委员会第二十九次会议通过\n"
        "2015年9月24日 丁省人民代表大会常务委员会第十六次会议批准2015年9月24日甲市人民代表大会"
        "常务委员会公告公布\n2015年11月1日 施行\n<!-- INFO END -->\n第一条 为了乙丙，制定本条例。\n",
        encoding="utf-8",
    )
    wuxi = tmp_path / "wuxi.txt"
    wuxi.write_text("戊市排水管理条例\n(2009年10月29日戊市第十四届人民代表大会常务委员会第十四次"
                    "会议制定 2009年11月23日丁省人民代表大会常务委员会第十二次会议批准)\n"
                    "第一章 总 则\n第一条 为了排水，制定本条例。\n", encoding="utf-8")  # fmt: skip
    bare = tmp_path / "bare.md"
    bare.write_text("# 己市保护电力设施规定\n<!-- INFO END -->\n第一条 为了保护电力设施，制定本规定。\n",
                    encoding="utf-8")  # fmt: skip
    got = {}
    for source in (made, wuxi, bare):
        with Registry.init(tmp_path / source.stem, clock=clock) as reg:
            reg.import_file(source, by="clerk")
            (doc,) = reg.instruments()
            got[source.stem] = (doc.title, doc.issuer, str(doc.published_on or doc.signed_on or ""),
                                str(doc.effective_on or ""))  # fmt: skip
    assert got == {
        "made": ("甲市乙丙条例", "甲市人民代表大会常务委员会", "2015-09-24", "2015-11-01"),
        "wuxi": ("戊市排水管理条例", "戊市人民代表大会常务委员会", "2009-10-29", ""),
        "bare": ("己市保护电力设施规定", "", "", ""),
    }


def test_an_interpretation_names_the_decision_it_explains(tmp_path: Path, clock) -> None:
    """#22, batch 7: a 解读 is about the decision its title line names (关于X的政策解读, 《X》文件
    解读如下) or its sentence on taking effect names (《X》自发布之日2025年3月3日起施行); its
    summary may be led by its sentence (决定…对《Y》等35份…予以V), counted in 份; 废止或失效 is
    recorded as 废止 and the report asks for the choice; glossed labels count as their outcome,
    and 拟修改 beside decided results is a result."""
    titled = tmp_path / "titled.txt"
    titled.write_text(
        "《甲市乙区人民政府关于公布2025年度行政规范性文件清理结果的通知》文件解读如下:\n"
        "一、制定背景\n为推进依法行政,对行政规范性文件进行清理。\n三、主要内容\n"
        "(一)经乙区人民政府常务会研究同意,决定自公布之日起对《乙县人民政府关于丙的通告》等35份"
        "行政规范性文件予以废止或失效。\n"
        "(二)经乙区人民政府常务会研究同意,决定自公布之日起对《乙县人民政府关于丁的通知》等79份"
        "行政规范性文件予以保留。\n",
        encoding="utf-8",
    )
    dated = tmp_path / "dated.txt"
    dated.write_text(
        "三、主要內容\n清理結果為:保留(繼續有效)45件,宣布失效(廢止)16件,擬修改3件。\n"
        "四、實施時間\n《甲市戊區人民政府關于公布2024年度行政規范性文件清理結果的通告》自發布之日"
        "2025年3月3日起施行。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(titled, by="clerk")
        got = sorted((i.title, i.issuer, reg.decisions(i.id)[-1].outcome)
                     for i in reg.instruments())  # fmt: skip
        (decided,) = report.decided_by.values()
        assert decided["title"] == "甲市乙区人民政府关于公布2025年度行政规范性文件清理结果的通知"
        assert decided["issuer"] == "甲市乙区人民政府"
        assert any("废止或失效" in note and "宣布失效" in note for note in report.notes)
        other = reg.import_file(dated, by="clerk")
    assert got == [("乙县人民政府关于丁的通知", "乙县人民政府", Outcome.KEEP),
                   ("乙县人民政府关于丙的通告", "乙县人民政府", Outcome.REPEAL)]  # fmt: skip
    (stated,) = other.stated_counts.values()
    assert stated == {"keep": 45, "invalidate": 16, "revise": 3}
    (decided,) = other.decided_by.values()
    assert (decided["issuer"], decided["effective"]) == ("甲市戊区人民政府", "2025-03-03")


def test_a_drafting_note_reports_other_decisions_without_taking_their_counts(
    tmp_path: Path, clock
) -> None:
    """#22, batch 7: an explanation whose background reports what other governments did (印发了
    《…》，对310件…予以废止) and whose own result is proposed (拟废止文件39件) records nothing
    and says why; the other governments' counts are not its own."""
    note = tmp_path / "note.txt"
    note.write_text(
        "一、起草背景\n甲省人民政府2024年2月6日印发了《甲省人民政府关于废止部分行政规范性文件的"
        "决定》,对310件行政规范性文件予以废止。\n三、内容说明\n本次清理共拟废止文件39件。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        with pytest.raises(ValidationError, match="proposed results only"):
            reg.import_file(note, by="clerk")
        assert list(reg.instruments()) == []


def test_a_joint_revision_led_by_its_sentence(tmp_path: Path, clock) -> None:
    """#22, batch 7: 根据…，现决定对《X》（法释〔2009〕19号，以下简称《解释》）作如下修改： opens the
    revision of X, whatever its items then call it; X's issuers are the two its title names; a
    法释 number is a judicial interpretation (司法解释), no 行政规范性文件."""
    decision = tmp_path / "joint.txt"
    decision.write_text(
        "甲市中级人民法院、甲市人民检察院关于修改《关于办理丙案件若干问题的解释》的决定\n2018年12月1日 施行\n"
        "根据司法实践情况，现决定对《甲市中级人民法院、甲市人民检察院关于办理丙案件若干问题的解释》（法释〔2009〕19号，"
        "以下简称《解释》）作如下修改：\n一、将《解释》原第六条修改为：“丁。”\n"
        "二、增加一条，作为《解释》第七条：“戊。”\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(decision, by="clerk")
        (doc,) = reg.instruments()
        (made,) = reg.decisions(doc.id)
    assert (doc.title, doc.doc_number, doc.issuer, doc.kind, made.outcome) == (
        "甲市中级人民法院、甲市人民检察院关于办理丙案件若干问题的解释", "法释〔2009〕19号",
        "甲市中级人民法院、甲市人民检察院", Kind.JUDICIAL, Outcome.REVISE)  # fmt: skip


def test_a_report_names_the_decision_it_reports_and_the_examples_it_gives(
    tmp_path: Path, clock
) -> None:
    """#22, batch 8: a text without a title of its own that says a result decision was issued
    (于2025年12月9日印发了《…的决定》(甲政规〔2025〕1号), 市政府发布《…》) is about that decision:
    its title, number and date; a paragraph about one outcome's instruments names some as
    examples (宣布失效的292个文件…《A》《B》等), which are recorded with a note; an earlier
    cleanup's count (27个…被废止) is not this one's; two outcomes not told apart (废止或宣布失效
    7件, 失效和废止38件) are said as such."""
    news = tmp_path / "news.txt"
    news.write_text(
        "甲市人民政府于2025年12月9日印发了《甲市人民政府关于宣布失效一批市政府文件的决定》"
        "(甲政规〔2025〕1号),292件市政府文件被宣布失效。\n"
        "宣布失效的292个文件有各个时间阶段的。《关于乙的通知》《关于丙的决定》等在1988年制定,"
        "也有近几年出台的,如《甲市人民政府办公室关于丁的通知》等。\n"
        "2015年,甲市政府进行过一次清理,27个文件被废止。此次另有失效和废止38件。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(news, by="clerk")
        got = sorted((i.title, i.issuer, reg.decisions(i.id)[-1].outcome)
                     for i in reg.instruments())  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["title"], decided["number"], decided["dated"]) == (
        "甲市人民政府关于宣布失效一批市政府文件的决定", "甲政规〔2025〕1号", "2025-12-09")  # fmt: skip
    assert got == [("关于丙的决定", "", Outcome.INVALIDATE), ("关于乙的通知", "", Outcome.INVALIDATE),
                   ("甲市人民政府办公室关于丁的通知", "甲市人民政府办公室", Outcome.INVALIDATE)]  # fmt: skip
    (stated,) = report.stated_counts.values()
    assert stated == {"invalidate": 292}  # not the earlier cleanup's 27
    assert any("named as an example of the 292" in note for note in report.notes)
    assert any("38 废止或宣布失效" in note for note in report.notes)


def test_a_title_printed_under_its_issuer_over_two_lines(tmp_path: Path, clock) -> None:
    """#22, batch 8: a page whose heading is the whole title, then prints it as the document
    does (the issuer alone on its line, 关于…的通知 under it) records the whole title once; a
    law database's issuer line above a title that starts with 关于 stays the issuer's line."""
    page = tmp_path / "page.txt"
    page.write_text(
        "甲自治区人民政府关于印发《甲自治区乙暂行办法》的通知\n甲自治区人民政府\n"
        "关于印发《甲自治区乙暂行办法》的通知\n甲政发〔2024〕19号\n各盟市人民政府:\n"
        "现将《甲自治区乙暂行办法》印发给你们,请认真遵照执行。\n2024年6月4日\n(此件公开发布)\n"
        "甲自治区乙暂行办法\n第一条 为了乙,制定本办法。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page, by="clerk")
        (doc,) = reg.instruments()
    assert (doc.title, doc.issuer, doc.doc_number, str(doc.published_on or doc.signed_on)) == (
        "甲自治区人民政府关于印发《甲自治区乙暂行办法》的通知", "甲自治区人民政府",
        "甲政发〔2024〕19号", "2024-06-04")  # fmt: skip


def test_a_page_posted_years_later_and_a_relayed_report(tmp_path: Path, clock) -> None:
    """#22, batch 9 (gov.cn's pages): a 发布日期 years after the 成文日期 is the day the page went
    up, not the document's; a 转发 notice is issued by who relays it (甲办公厅转发乙局关于…),
    not by the report it carries and that signs last; a page of one document is of its own
    rank, whatever its text says of 规章; a 批复 on one matter is no normative document."""
    relay = tmp_path / "relay.html"
    relay.write_text(
        "<table><tr><td><b>发文机关：</b></td><td>甲办公厅</td><td><b>成文日期：</b></td>"
        "<td>1996年02月05日</td></tr><tr><td><b>标　　题：</b></td><td colspan='3'>"
        "甲办公厅转发乙局关于加强丙工作意见报告的通知</td></tr><tr><td><b>发文字号：</b></td>"
        "<td>甲办发〔1996〕2号</td><td><b>发布日期：</b></td><td>2018年12月24日</td></tr></table>"
        "<p>甲办公厅转发乙局关于加强丙工作意见报告的通知</p><p>甲办发〔1996〕2号</p>"
        "<p>各省人民政府：</p><p>乙局《关于加强丙工作意见的报告》已经同意，现转发给你们。"
        "各地要修改或废止与规章不一致的规定。</p><p>甲办公厅</p><p>一九九六年二月五日</p>"
        "<p>关于加强丙工作意见的报告</p><p>一、加强丙。</p><p>乙局</p><p>一九九六年一月二十五日</p>",
        encoding="utf-8",
    )
    answer = tmp_path / "answer.txt"
    answer.write_text("丁市人民政府关于同意戊迁址新建的批复\n丁函〔1996〕95号\n戊：\n请示收悉，现批复如下：同意。\n"
                      "丁市人民政府\n一九九六年十一月五日\n", encoding="utf-8")  # fmt: skip
    got = {}
    for source in (relay, answer):
        with Registry.init(tmp_path / source.stem, clock=clock) as reg:
            reg.import_file(source, by="clerk")
            (doc,) = reg.instruments()
            got[source.stem] = (doc.issuer, doc.kind, str(doc.published_on or doc.signed_on))
    assert got == {"relay": ("甲办公厅", Kind.NORMATIVE, "1996-02-05"),
                   "answer": ("丁市人民政府", Kind.OTHER, "1996-11-05")}  # fmt: skip


def test_a_title_a_mirror_garbled_is_restored_from_the_texts_name_for_itself(
    tmp_path: Path, clock
) -> None:
    """#22, batch 2: a mirror printed 條 as ?xiàng)l in every printing of the title; the text
    calls itself 本條例, which gives the character back."""
    page = tmp_path / "page.txt"
    page.write_text(
        "甲省人民代表大會常務委員會公告\n(第四十三號)\n《甲省乙管理?xiàng)l例》已經1996年12月31日甲省"
        "第八屆人民代表大會常務委員會第二十八次會議通過,現予公布,自1997年3月1日起施行。\n"
        "甲省人民代表大會常務委員會\n1996年12月31日\n甲省乙管理?xiàng)l例\n第一條 為了乙,制定本條例。\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        reg.import_file(page, by="clerk")
        (doc,) = reg.instruments()
    assert (doc.title, doc.doc_number) == ("甲省乙管理条例", "甲省人民代表大会常务委员会公告第43号")


def _imported(tmp_path: Path, clock, text: str) -> tuple[Registry, Any]:
    source = tmp_path / "decision.txt"
    source.write_text(text, encoding="utf-8")
    registry = Registry.init(tmp_path / "reg", clock=clock)
    return registry, registry.import_file(source, by="clerk")


def _the_document(folder: Path, clock, text: str) -> Any:
    """The one instrument a text imports into a fresh registry in ``folder``."""
    folder.mkdir()
    registry, _ = _imported(folder, clock, text)
    with registry:
        (doc,) = registry.instruments()
    return doc


def test_a_revision_opens_after_any_preamble_and_with_either_zuo(tmp_path: Path, clock) -> None:
    """Batch 11: 对《X》作如下修改 opens a revision whatever stands before it (根据《Y》，…会议决定),
    and 做 is 作 as a clerk writes it; with no numbered amendment under it, X is still revised."""
    registry, _ = _imported(tmp_path, clock,
        "甲法院关于修改《甲法院关于审理乙纠纷案件的规定》的决定\n"
        "根据《中华人民共和国丙法》，甲法院审判委员会第1次会议决定对《甲法院关于审理乙纠纷案件的规定》做如下修改：\n"
        "将第十二条修改为：“丁。”\n本决定自2021年12月1日起施行。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "甲法院关于审理乙纠纷案件的规定"
        assert registry.decisions(doc.id)[-1].outcome is Outcome.REVISE


def test_what_a_body_revises_is_its_own_and_a_supreme_courts_rules_are_interpretations(
    tmp_path: Path, clock
) -> None:
    """Batch 11: an instrument a decision revises, named without its maker, is the deciding
    body's (no body amends another's text); a 规定 or 批复 of the 最高人民法院 is a 司法解释,
    as a 解释 is, and a lower court's is not."""
    registry, _ = _imported(tmp_path, clock,
        "最高人民法院关于修改《关于甲法院案件管辖的规定》的决定\n2021年3月1日 最高人民法院审判委员会第1次会议通过\n"
        "根据审判实践需要，经最高人民法院审判委员会第1次会议决定，对《关于甲法院案件管辖的规定》作如下修改：\n"
        "一、将第一条修改为：“乙。”\n本决定自2021年4月22日起施行。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.issuer, doc.kind) == ("最高人民法院", Kind.JUDICIAL)
    from regclean.fields import infer_kind

    assert infer_kind(None, "最高人民法院", "最高人民法院关于甲问题的批复") is Kind.JUDICIAL
    assert infer_kind(None, "甲省高级人民法院", "甲省高级人民法院关于乙的规定") is Kind.OTHER


def test_a_city_naming_itself_by_its_level_and_a_decision_issued_as_an_order(
    tmp_path: Path, clock
) -> None:
    """Batch 11: 市第十二届人民政府…常务会议 names the city government by its level; its full name
    is the one the title gives. A decision issued as a government's order amends a rule
    (地方政府规章); one on 部分政策性文件 issued the same way does not make them rules."""
    registry, report = _imported(tmp_path, clock,
        "甲市人民政府关于修改《甲市乙管理办法》的决定\n甲市人民政府令\n(第166号)\n"
        "《甲市人民政府关于修改〈甲市乙管理办法〉的决定》已经二○○九年四月十一日市第十二届人民政府第二十四次"
        "常务会议讨论通过,现予发布。自二○○九年七月一日起施行。\n市长 丙\n二○○九年四月二十一日\n"
        "市政府决定对《甲市乙管理办法》做如下修改:\n一、删除第三条中的“、利用”。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, doc.kind) == (
            "甲市乙管理办法",
            "甲市人民政府",
            Kind.LOCAL_RULE,
        )
        decided = next(iter(report.decided_by.values()))
        assert decided["issuer"] == "甲市人民政府" and decided["number"] == "甲市人民政府令第166号"
    other = tmp_path / "other"
    other.mkdir()
    registry, _ = _imported(other, clock,
        "丁市人民政府关于废止部分政策性文件的决定\n丁市人民政府令\n第48号\n"
        "经过清理，市政府决定：\n一、对制定文件所依据的法律、法规发生重大变化的2件文件予以废止。\n"
        "1.关于戊的通知（丁市府发〔2000〕65号）\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.kind is Kind.NORMATIVE  # a numbered notice, not a rule nor a 法规


def test_a_title_or_record_broken_where_the_page_wrapped_is_read_whole(
    tmp_path: Path, clock
) -> None:
    """Batch 11: a line that leaves 《 or ( open and a next line that closes it are one line (a
    page wrapped the title or the adoption record there); a markdown bullet (- ) is decoration,
    so the page's 【label】 metadata under it is read."""
    registry, _ = _imported(tmp_path, clock,
        "- 【發布日期】1992-10-24\n- 【生效日期】1993-01-01\n"
        "甲省實施《中華人民共和國乙法》辦法\n甲省實施《中華人民共和國\n乙法》辦法\n"
        "(1992年10月24日甲省第七屆人民代表大會\n常務委員會第三十三次會議通過)\n"
        "第一條 根據《中華人民共和國乙法》,制定本辦法。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.kind) == (
            "甲省實施《中華人民共和國乙法》辦法",
            Kind.LOCAL_REGULATION,
        )
        assert (str(doc.published_on), str(doc.effective_on)) == ("1992-10-24", "1993-01-01")
        assert doc.issuer == "甲省人民代表大会常务委员会"


def test_a_decision_on_a_matter_is_itself_one_document(tmp_path: Path, clock) -> None:
    """Batch 11: a 决定 that decides a matter (to publish a gazette), names no instrument and no
    cleanup, and was adopted on a day, is the one document of its page."""
    registry, _ = _imported(tmp_path, clock,
        "甲院關於出版「甲院公報」的决定\n一九五五年二月十日甲院常務會議通過\n"
        "一、决定出版「甲院公報」。\n二、各部出版的公報,應即停止出版。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "甲院關於出版「甲院公報」的决定"
        assert str(doc.published_on or doc.signed_on) == "1955-02-10"
        assert registry.decisions(doc.id) == []


def test_an_approval_naming_its_annexed_catalogs_in_a_sentence_says_they_are_missing(
    tmp_path: Path, clock
) -> None:
    """Batch 11: a decision approving a report 以及附件一《…失效的法律目录》 names a catalog of
    results that the page does not hold: nothing is recorded, the annex is said missing, and
    the decision's title (a database's [现行有效] after it) and its day ((…日通过)) are read."""
    registry, report = _imported(tmp_path, clock,
        "甲常务委员会关于批准乙委员会关于对1978年底以前颁布的法律进行清理情况和意见报告的决定 [现行有效]\n"
        "(1987年11月24日通过)\n"
        "甲常务委员会第二十三次会议决定:批准《乙委员会关于清理的情况和意见的报告》以及附件一《1978年底以前颁布的已经失效的法律目录》。\n")  # fmt: skip
    with registry:
        assert list(registry.instruments()) == []
        decided = next(iter(report.decided_by.values()))
        assert decided["title"].endswith("意见报告的决定") and decided["dated"] == "1987-11-24"
        assert any("1978年底以前颁布的已经失效的法律目录" in note and "not in the input" in note
                   for note in report.notes)  # fmt: skip


def test_a_copying_sites_stamp_to_the_minute_never_dates_a_document(tmp_path: Path, clock) -> None:
    """Batch 13: a law database prints when it posted its copy (时间:2024-07-22 14:39:19); no
    document is dated to the minute, so the rule is imported undated rather than of 2024, and a
    city government's order numbered 甲政令[1997]29号 promulgates a 地方政府规章."""
    registry, _ = _imported(tmp_path, clock,
        "甲市鼓励投资的规定\n作者:法律资料网 时间:2024-07-22 14:39:19 来源:法律资料网\n"
        "甲市鼓励投资的规定\n辽宁省甲市人民政府\n甲市鼓励投资的规定\n甲政令[1997]29号\n"
        "第一条 为鼓励投资,制定本规定。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.kind, doc.issuer) == (
            "甲市鼓励投资的规定",
            Kind.LOCAL_RULE,
            "甲市人民政府",
        )
        assert doc.published_on is None and doc.signed_on is None


def test_records_in_brackets_run_together_or_without_a_year_are_read_as_far_as_they_go(
    tmp_path: Path, clock
) -> None:
    """Batch 13: a record in brackets holding two records (…令第4号公布 自…起施行) gives both
    days; an adoption note without a year still names the body that adopted it."""
    registry, _ = _imported(tmp_path, clock,
        "甲省重大行政決策程式暫行規定\n"
        "(2021年6月21日甲省人民政府令第4號公布 自2021年8月1日起施行)\n"
        "第一條 為了規範決策,制定本規定。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (str(doc.published_on or doc.signed_on), str(doc.effective_on)) == (
            "2021-06-21",
            "2021-08-01",
        )
        assert doc.doc_number == "甲省人民政府令第4号"
    (tmp_path / "yearless").mkdir()
    registry, _ = _imported(tmp_path / "yearless", clock,
        "乙市地方立法條例\n(2月21日乙市第七屆人民代表大會第七次會議通過,"
        "5月27日甲省第十二屆人民代表大會常務委員會第二十二次會議批準)\n"
        "第一條 為了規範地方立法活動,制定本條例。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.issuer, doc.kind) == ("乙市人民代表大会", Kind.LOCAL_REGULATION)
        assert doc.published_on is None and doc.signed_on is None  # no year, no day


def test_an_organs_rules_for_its_own_office_revised_on_days_printed_without_year_and_month(
    tmp_path: Path, clock
) -> None:
    """Batch 13: a standing committee office's rules (…常务委员会机关公文处理办法), the title broken
    inside the organ's name and printed whole above; the revisions' dates lost 年 and 月
    (2023828日) and the records broke inside the organ's name: dated by the latest revision,
    issued by the committee whose 主任会议 revised them, and no regulation."""
    registry, _ = _imported(tmp_path, clock,
        "甲州人民代表大会常务委员会机关公文处理办法\n更新日期:2024-01-12\n"
        "甲州人民代表大会\n常务委员会机关公文处理办法\n"
        "2017822日甲州第十二届人民代表大会\n常务委员会第六次主任会议修订\n"
        "2023828日甲州第十届人民代表大会\n常务委员会第二十次主任会议修订\n"
        "第一条为规范公文处理,制定本办法。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "甲州人民代表大会常务委员会机关公文处理办法"
        assert (doc.issuer, doc.kind) == ("甲州人民代表大会常务委员会", Kind.OTHER)
        assert str(doc.published_on or doc.signed_on) == "2023-08-28"


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("2023828日通过", "2023年8月28日通过"),  # 82 is no month
        ("2017122日通过", "2017122日通过"),  # 1-22 or 12-2: left as printed
        ("20191231日", "2019年12月31日"),
        ("2019802日", "2019802日"),  # 8-02 is never printed so; 80 is no month
        ("第2023828号", "第2023828号"),  # not led by a date
    ],
)
def test_a_date_printed_without_year_and_month_is_read_only_where_one_cut_is_a_day(
    printed: str, read: str
) -> None:
    from regclean.ingest.published import _date_spelled

    assert _date_spelled(printed) == read


def test_a_work_arrangement_is_no_normative_document() -> None:
    """Batch 13: a notice arranging the year's work (关于做好…工作的通知), as 国办发〔2018〕37号
    leaves 工作部署 out of 行政规范性文件; a rule the notice issues stays one."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    number = DocNumber.parse("甲环发〔2017〕41号")
    assert infer_kind(number, "甲市环境保护局",
                      "关于做好2017年政府环境信息与政务公开工作的通知") == Kind.OTHER  # fmt: skip
    assert infer_kind(number, "甲市环境保护局",
                      "甲市环境保护局关于印发排污许可管理办法的通知") == Kind.NORMATIVE  # fmt: skip


def test_a_heading_of_number_and_title_and_a_numbered_announcement(tmp_path: Path, clock) -> None:
    """Batch 14: an article's heading puts the number before the title with a mark between
    (…公告2023年第5号丨关于…的公告); a numbered 公告 announces and is 其他文件, as DOMAIN.md files
    them; a crawler's address line is no line of the document."""
    registry, _ = _imported(tmp_path, clock,
        "查看原文\n甲关总署公告2023年第5号丨关于2023年乙类农产品触发水平数量的公告\n"
        "Original URL: http://example.org/a?b=1\n2023年第5号\n根据有关规定，现予公布。\n特此公告。\n"
        "甲关总署\n2023年1月29日\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, doc.issuer, doc.kind) == (
            "关于2023年乙类农产品触发水平数量的公告",
            "甲关总署公告2023年第5号",
            "甲关总署",
            Kind.OTHER,
        )
        assert str(doc.published_on or doc.signed_on) == "2023-01-29"


def test_a_title_broken_over_four_lines_and_a_number_that_lost_its_bracket(
    tmp_path: Path, clock
) -> None:
    """Batch 14: a title whose 《 stays open over several lines is one line; a number alone on
    its line that lost its 〕 and 号 (甲政办发〔201746) is read with them."""
    registry, _ = _imported(tmp_path, clock,
        "甲市人民政府办公室关于印发《甲市落实〈乙若干措施〉实施方案》的通知\n"
        "甲政办发〔201746\n甲市人民政府办公室\n关于印发《甲市落实〈乙\n若干\n措施〉实施方案》的通知\n"
        "各县市区人民政府:\n现将《甲市落实〈乙若干措施〉实施方案》印发给你们。\n"
        "甲市人民政府办公室\n2023年3月15日\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "甲市人民政府办公室关于印发《甲市落实〈乙若干措施〉实施方案》的通知"
        assert (doc.doc_number, doc.issuer) == ("甲政办发〔2017〕46号", "甲市人民政府办公室")


def test_a_joint_notice_without_number_or_date_is_still_its_makers(tmp_path: Path, clock) -> None:
    """Batch 14: a page copying a joint notice without its head (no number, no date) still
    holds a document when its title names its makers and it addresses organs; it is imported
    undated, never dated by the copying site's stamp."""
    registry, _ = _imported(tmp_path, clock,
        "甲委办公厅、乙部办公厅关于严格执行丙规定的通知\n时间:2024-07-06 04:42:50 来源: 法律资料网\n"
        "甲委办公厅、乙部办公厅关于严格执行丙规定的通知\n各省、自治区、直辖市甲委、乙厅:\n"
        "一、公民个人的丙，只能依据规定确定。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.issuer == "甲委办公厅、乙部办公厅"
        assert doc.published_on is None and doc.signed_on is None


def test_a_prefecture_office_and_rules_for_named_firms() -> None:
    """Batch 14: a prefecture's administration (行署办公室) is an organ; rules made for named
    enterprises bind them, not the public."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind
    from regclean.ingest.published import _ORGAN

    assert re.fullmatch(_ORGAN, "甲地区行署办公室")
    number = DocNumber.parse("甲府办发〔2008〕52号")
    title = "甲市人民政府办公室关于转发甲市城乡建设投资(集团)有限公司管理办法的通知"
    assert infer_kind(number, "甲市人民政府办公室", title) == Kind.OTHER


def test_a_national_departments_orders_and_adoptions(tmp_path: Path, clock) -> None:
    """Batch 15: 中华人民共和国甲部令 is 甲部令 (number and issuer); a joint order written with
    its number before 令 (甲局、乙署第4号令); a record 修订发布 followed by 。根据; a rule known only
    by its adoption at a department's 部务会议 is that department's 部门规章."""
    from regclean.docnumber import DocNumber

    assert (
        DocNumber.parse("中华人民共和国公安部令第１２５号").key
        == DocNumber.parse("公安部令第125号").key
    )
    assert DocNumber.parse("甲局、乙署第4号令").key == "甲局、乙署令第4号"
    cases = {
        "joint": ("# 丙类药品进口管理办法\n\n2003年8月18日 甲局、乙署第4号令公布\n\n2004年1月1日 施行\n\n"
                  "第一条 为规范丙，制定本办法。\n", ("甲局、乙署", "甲局、乙署令第4号", "2003-08-18")),
        "revised": ("# 公安机关办理丁案件程序规定\n\n2012年12月13日 公安部令第127号修订发布。根据\n\n"
                    "2020年07月20日 公安部令第159号《公安部关于修改〈公安机关办理丁案件程序规定〉的决定》修正）\n\n"
                    "第一条 为了规范丁，制定本规定。\n", ("公安部", "公安部令第127号", "2012-12-13")),
        "adopted": ("# 企业职工戊休假实施办法\n\n2008年7月17日 经甲乙部第6次部务会议通过\n\n"
                    "第一条 为了实施戊，制定本办法。\n", ("甲乙部", "", "2008-07-17")),
    }  # fmt: skip
    for name, (text, (issuer, number, day)) in cases.items():
        (tmp_path / name).mkdir()
        registry, _ = _imported(tmp_path / name, clock, text)
        with registry:
            (doc,) = registry.instruments()
            key = DocNumber.parse(doc.doc_number).key if doc.doc_number else ""
            assert (doc.issuer, key, doc.kind) == (issuer, number, Kind.DEPARTMENT_RULE)
            assert str(doc.published_on or doc.signed_on) == day


def test_a_page_without_a_title_line_is_named_by_what_it_says_it_issues(
    tmp_path: Path, clock
) -> None:
    """Batch 15: a wiki entry whose opening sentence says who issued 《X》 and when (a month) is
    X; a page that kept its HTML markup as text is read by its blocks, and the notice it holds,
    with no title of its own, is named by what it issues (现将《X》印发给你们)."""
    (tmp_path / "wiki").mkdir()
    registry, _ = _imported(tmp_path / "wiki", clock,
        "發布信息\n2023年12月,中共甲省委辦公廳、甲省人民政府辦公廳發布《甲省乙責任制實施細則》,"
        "自發布之日起施行。\n內容全文\n第一條 為了落實乙責任制,制定本實施細則。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == (
            "甲省乙責任制實施細則",
            "中共甲省委办公厅、甲省人民政府办公厅",  # an issuer is stored simplified
        )
        assert str(doc.published_on or doc.signed_on) == "2023-12"
    (tmp_path / "markup").mkdir()
    registry, _ = _imported(tmp_path / "markup", clock,
        "发文机关:甲省人民政府\n发布日期:2018年03月27\n文号 :甲政发〔2018〕13号\n"
        "<p>各市、县人民政府:</p><p> 现将《甲省乙实施方案》印发给你们,请认真组织实施。</p>"
        '<p style="text-align: right;"> 甲省人民政府</p><p style="text-align: right;"> 2018年3月27日</p>'
        "<p><strong>甲省乙实施方案</strong></p><p>一、指导思想&nbsp;</p>")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, doc.issuer) == (
            "甲省乙实施方案",
            "甲政发〔2018〕13号",
            "甲省人民政府",
        )
        assert str(doc.published_on or doc.signed_on) == "2018-03-27"


def test_a_national_law_is_a_law_and_a_page_naming_nothing_records_nothing(
    tmp_path: Path, clock
) -> None:
    """Batch 16: 中华人民共和国X法 is a title; what the national people's congress or its
    standing committee adopts is a 法律, not a 地方性法规; a page whose document has no title
    (glued labels and 通 知 only) records nothing and says why."""
    (tmp_path / "law").mkdir()
    registry, _ = _imported(tmp_path / "law", clock,
        "# 中华人民共和国甲乙法\n\n1996年3月1日 第八届全国人民代表大会常务委员会第十八次会议通过\n\n"
        "<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 根据中华人民共和国宪法，制定本法。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.kind, doc.issuer) == (
            "中华人民共和国甲乙法",
            Kind.LAW,
            "全国人民代表大会常务委员会",
        )
    (tmp_path / "untitled").mkdir()
    source = tmp_path / "untitled" / "page.txt"
    source.write_text("發文機關國務院\n發文字號國辦發〔1988〕25號\n通 知\n為此,特通知如下:\n"
                      "一、 從現在起,國務院發布行政法規,由國務院總理簽署發布令。\n", encoding="utf-8")  # fmt: skip
    with Registry.init(tmp_path / "untitled" / "reg", clock=clock) as registry:
        with pytest.raises(ValidationError, match="nothing is recorded"):
            registry.import_file(source, by="clerk")
        assert registry.count() == 0


def test_a_markdown_sites_page_is_read_by_its_front_matter(tmp_path: Path, clock) -> None:
    """Batch 17: a page of a Markdown site (VuePress, Hugo) opens with YAML front matter whose
    title and author are the page's 名称 and 发布机构; its ::: containers, {align="center"}
    attributes, [[toc]] and lines of anchor links are decoration, &emsp; a space, a 版记's
    印发 line dates a document without a signature, and a department's unnumbered 规定 is a
    行政规范性文件."""
    (tmp_path / "md").mkdir()
    registry, _ = _imported(tmp_path / "md", clock,
        "---\ntitle: 甲省乙厅丙行为裁量规定\nshortTitle: 丙裁量\ndate: 2022-01-01\n"
        "author: 甲省乙厅\ncategory:\n  - 自由裁量\n---\n\n::: details 目录\n\n"
        "- 第1~2条：\n  [1](#t1)&emsp;[2](#t2)\n\n:::\n\n## 第一章&emsp;总则{align=\"center\"}\n\n"
        "<p id=\"t1\">&emsp;&emsp;<b>第一条</b>&emsp;为规范丙行为，制定本规定。</p>\n"
        "<p id=\"t2\">&emsp;&emsp;<b>第二条</b>&emsp;本规定自2022年1月1日起施行。</p>\n\n"
        "::: right\n\n甲省乙厅办公室\n\n2021年11月14日印发\n\n:::\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, doc.kind) == (
            "甲省乙厅丙行为裁量规定", "甲省乙厅", Kind.NORMATIVE)  # fmt: skip
        assert str(doc.signed_on) == "2021-11-14"
        assert str(doc.effective_on) == "2022-01-01"


@pytest.mark.parametrize(
    ("sentence", "decided"),
    [("经研究，市人民政府决定废止《甲市乙管理暂行办法》（2000年6月14日甲市人民政府令第84号公布）。",
      [("甲市乙管理暂行办法", Outcome.REPEAL, "甲市人民政府令第84号")]),
     ("常务委员会第十三次会议决定对《甲省乙条例》等7件地方性法规作出修改，废止《甲省丙条例》。",
      [("甲省丙条例", Outcome.REPEAL, "")]),
     ("市人民政府决定宣布失效《甲市丁规定》和《甲市戊办法》。",
      [("甲市丁规定", Outcome.INVALIDATE, ""), ("甲市戊办法", Outcome.INVALIDATE, "")]),
     ("市人民政府决定拟废止《甲市乙管理暂行办法》。", []),
     ("根据《国务院关于废止《甲条例》的决定》，现通知如下。", [])],
)  # fmt: skip
def test_what_a_sentence_of_the_decision_repeals_by_name(
    sentence: str, decided: list[tuple[str, Outcome, str]]
) -> None:
    """Batch 17: a decision that repeals in a sentence of its own (决定废止《X》, …，废止《Y》)
    decides what the verb names, with the record after it; a proposal (拟) or a title's words
    (关于废止《X》的决定) decide nothing."""
    from regclean.ingest.published import read_items

    found = [(i.title, i.outcome, i.doc_number) for i in read_items([sentence])]
    assert found == decided


def test_a_heading_whose_list_is_not_in_the_file_names_what_it_falls_on(
    tmp_path: Path, clock
) -> None:
    """Batch 17: a standing committee's decision copied without its list (决定自即日起废止下列
    地方性法规:) records the titles its own sentence names as repealed, saying that the list is
    not in the file, and the deciding body is the one whose session decides."""
    registry, report = _imported(tmp_path, clock,
        "甲省第九届人民代表大会常务委员会第三十次会议审议了省人民政府所作的关于废止《甲省乙条例》"
        "等三项地方性法规的议案及其说明。会议认为，《甲省乙条例》等地方性法规已无存在的必要，"
        "决定自即日起废止下列地方性法规：\nThe meeting decided to repeal the following.\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("甲省乙条例", "甲省人民代表大会常务委员会")
        assert registry.decisions(doc.id)[-1].outcome is Outcome.REPEAL
    assert any("the list itself is not in this file" in note for note in report.notes)


def test_a_record_wrapped_over_many_lines_and_a_congress_written_short(
    tmp_path: Path, clock
) -> None:
    """Batch 18: a law's record that a narrow page wrapped over seven lines is one record (its
    adoption dates the law and names its maker); and an encyclopedia's 十一届全国人大三次会议上
    表决通过 is the national people's congress, whatever an article says 经…决定."""
    (tmp_path / "wrapped").mkdir()
    registry, _ = _imported(tmp_path / "wrapped", clock,
        "中华人民共和国甲乙管理法\n(1992年9月4日第七届全国人民代表大会常务委员会\n第二十七次会议通过\n"
        "根据1995年2月28日第八届全国人民代表大会常务委\n员会第十二次会议《关于修改〈中华人民共和国甲\n"
        "乙管理法〉的决定》修正\n2001年4月28日第九届全国人民代表大会常务委员会\n第二十一次会议修订)\n"
        "第一条 为了甲乙，制定本法。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.kind, doc.issuer) == (Kind.LAW, "全国人民代表大会常务委员会")
        assert str(doc.published_on or doc.signed_on) in ("1992-09-04", "2001-04-28")
    (tmp_path / "wiki").mkdir()
    registry, _ = _imported(tmp_path / "wiki", clock,
        "《中华人民共和国丙法》\n中华人民共和国丙法 《丙法》是中国制定的法律。该法律制定于1953年，"
        "2010年3月14日，在十一届全国人大三次会议上表决通过。\n第一章 总则\n"
        "第十条 代表名额，经全国人民代表大会常务委员会决定，可以另加百分之五。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.kind, doc.issuer) == (
            "中华人民共和国丙法", Kind.LAW, "全国人民代表大会")  # fmt: skip


def test_a_report_names_examples_after_its_count_and_dates_the_day_it_gives(
    tmp_path: Path, clock
) -> None:
    """Batch 19: a report's clause that counts one outcome's instruments names its examples after
    the count (对…的49件行政法规予以废止，比如，《A》《B》等; 下列7件…决定予以废止：一是《C》), in
    traditional characters too, with the maker the next clause gives (该决定是1950年政务院公布);
    the day it says the decision was promulgated (15日签署…令，公布《…》) takes its month from the
    dateline (北京1月23日电); a count of what was reviewed (现行的691件…的逐一清理) is no result."""
    (tmp_path / "news").mkdir()
    registry, report = _imported(tmp_path / "news", clock,
        "甲國清理現行行政法規\n時間:2008-01-24 08:02 來源:新華網\n"
        "新華網北京1月23日電 國務院總理15日簽署國務院令,公布《國務院關於廢止部分行政法規的決定》,"
        "自公布之日起生效。\n"
        "《決定》對主要內容被新的法律所代替的49件行政法規予以廢止,比如,《甲辦法》《乙條例》等;"
        "對適用期已過的43件行政法規宣布失效,比如,《丙辦法》等。\n")  # fmt: skip
    with registry:
        got = sorted((i.title, i.kind, registry.decisions(i.id)[-1].outcome)
                     for i in registry.instruments())  # fmt: skip
    assert got == [("丙辦法", Kind.ADMIN_REGULATION, Outcome.INVALIDATE),
                   ("乙條例", Kind.ADMIN_REGULATION, Outcome.REPEAL),
                   ("甲辦法", Kind.ADMIN_REGULATION, Outcome.REPEAL)]  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["dated"], decided["effective"]) == ("2008-01-15", "2008-01-15")
    (tmp_path / "qa").mkdir()
    registry, report = _imported(tmp_path / "qa", clock,
        "2011年1月8日,国务院总理签署国务院令,公布《国务院关于废止和修改部分行政法规的决定》。"
        "经对截至2009年底现行的691件行政法规的逐一清理,对其中与新制定或修改的法律不一致的,"
        "提出了建议。经国务院常务会议讨论决定,废止行政法规7件,修改行政法规107件中的172个条款。"
        "问:为何废止? 答:下列7件行政法规,实际已不再适用,决定予以废止: 一是《关于甲的决定》。"
        "该决定是1950年政务院公布\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("关于甲的决定", "政务院")
        assert registry.decisions(doc.id)[-1].outcome is Outcome.REPEAL
    (decided,) = report.decided_by.values()
    assert decided["dated"] == "2011-01-08"
    (stated,) = report.stated_counts.values()
    assert stated == {"repeal": 7, "revise": 107}  # not the 691 reviewed


def test_a_report_naming_what_it_revises_without_book_title_marks(tmp_path: Path, clock) -> None:
    """Batch 19: a report of a decision that names the regulations it revises bare, the verb
    leading the clause (修改甲条例，将…; 修改乙实施细则等3部行政法规; 在丙丁条例中引入…), records
    each; 修改了相关规定 names nothing; 7部 counts as 7件 does."""
    registry, report = _imported(tmp_path, clock,
        "甲社北京4月2日电 国务院总理日前签署国务院令,公布《国务院关于修改和废止部分行政法规的决定》,"
        "自公布之日起施行。\n决定对7部行政法规的部分条款予以修改,对10部行政法规予以废止。\n"
        "关于取消许可方面,修改乙实施细则等3部行政法规,取消丁许可。\n"
        "关于优化流程方面,修改甲乙条例,将注册调整为备案,修改了相关规定。\n"
        "比如,取消戊审批后,在丙丁条例中引入“备案”的监管措施。\n")  # fmt: skip
    with registry:
        got = sorted((i.title, registry.decisions(i.id)[-1].outcome)
                     for i in registry.instruments())  # fmt: skip
    assert got == [("丙丁条例", Outcome.REVISE), ("乙实施细则", Outcome.REVISE),
                   ("甲乙条例", Outcome.REVISE)]  # fmt: skip
    (stated,) = report.stated_counts.values()
    assert stated == {"revise": 7, "repeal": 10}


def test_a_record_of_the_state_councils_approval(tmp_path: Path, clock) -> None:
    """Batch 19: a rule whose only record is 1982年8月30日 国务院批准 is a 行政法规 of that day;
    the organ its title names before 对 issued it, else the State Council did."""
    (tmp_path / "ministry").mkdir()
    registry, _ = _imported(tmp_path / "ministry", clock,
        "# 甲乙部对部分丙实行管制的暂行规定\n\n1982年8月30日 国务院批准\n\n<!-- INFO END -->\n\n"
        "第一条 为了甲，特制订本规定。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.kind, doc.issuer, str(doc.published_on or doc.signed_on)) == (
            Kind.ADMIN_REGULATION, "甲乙部", "1982-08-30")  # fmt: skip
    (tmp_path / "zone").mkdir()
    registry, _ = _imported(tmp_path / "zone", clock,
        "# 甲市乙试验区暂行条例\n\n1988年5月10日 国务院批准\u3000\n\n<!-- INFO END -->\n\n"
        "第一条 为促进甲，制定本条例。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.kind, doc.issuer) == (Kind.ADMIN_REGULATION, "国务院")


def test_an_interpretation_names_its_decision_short_and_is_posted_later(
    tmp_path: Path, clock
) -> None:
    """Batch 19: a 解读 of 《市政府关于…的决定》 from 来源:甲市司法局 is of 甲市人民政府's decision,
    dated by its adoption (经2021年3月1日…常务会议审议通过), not by the day the 解读 was posted;
    继续施行254件 are kept."""
    _, report = _imported(tmp_path, clock,
        "《市政府关于废止和宣布失效部分行政规范性文件的决定》解读\n"
        "来源:甲市司法局   发布日期:2021-03-16 10:55\n"
        "《市政府关于废止和宣布失效部分行政规范性文件的决定》,经2021年3月1日市政府第129次常务会议"
        "审议通过,自发布之日起施行。\n一、主要内容\n"
        "经清理,市政府决定废止市政府行政规范性文件27件,宣布失效7件,继续施行254件。\n")  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["issuer"], decided["dated"]) == ("甲市人民政府", "2021-03-01")
    (stated,) = report.stated_counts.values()
    assert stated == {"repeal": 27, "invalidate": 7, "keep": 254}


def test_a_localitys_measures_implementing_a_law_are_its_regulation() -> None:
    """Batch 19: 甲市实施《中华人民共和国乙法》办法, with no record to say who made it, is a
    地方性法规 (a locality's act on a national law); 甲市乙办法 stays 其他文件."""
    from regclean.fields import infer_kind

    assert infer_kind(None, "", "甲市实施《中华人民共和国乙法》办法") is Kind.LOCAL_REGULATION
    assert infer_kind(None, "", "甲市乙办法") is Kind.OTHER


def test_a_notice_copied_from_its_salutation_and_a_form_addressed_to_one_organ(
    tmp_path: Path, clock
) -> None:
    """Batch 20: a notice copied from its salutation, without a title line, is the document it
    issues (《X》已经市政府同意，现印发你们), in traditional characters too, signed and dated; a
    ministry's notice addressed to one organ (××省民政局:), though undated, is its page's one
    document."""
    (tmp_path / "salutation").mkdir()
    registry, _ = _imported(tmp_path / "salutation", clock,
        "各區(qū)、縣人民政府,市人民政府各工作部門:\n"
        "《甲市乙資源共享管理辦法》已經市政府同意,現(xiàn)印發(fā)你們,請認真抓好貫徹落實。\n"
        "甲市人民政府\n2018年11月8日\n甲市乙資源共享管理辦法\n第一章 總 則\n"
        "第一條 為加強乙管理,制定本辦法。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, doc.kind, str(doc.signed_on)) == (
            "甲市乙資源共享管理辦法", "甲市人民政府", Kind.NORMATIVE, "2018-11-08")  # fmt: skip
    (tmp_path / "form").mkdir()
    registry, _ = _imported(tmp_path / "form", clock,
        "甲乙部关于灾区丙救济款发放使用问题的通知\n甲乙部\n××省民政局:\n"
        "为了帮助今年遭灾严重地区的群众,我部已于×月×日拨给你省救灾款××万元。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("甲乙部关于灾区丙救济款发放使用问题的通知", "甲乙部")


def test_a_notice_before_the_rules_it_issues_is_the_document(tmp_path: Path, clock) -> None:
    """Batch 20: a page that prints a notice (its title broken over lines under its issuer, its
    number without 〕 and 号) and then the rules it issues records the notice, with that number
    and the date under its signature, not the rules."""
    registry, _ = _imported(tmp_path, clock,
        "甲市乙区人民政府办公室关于印发甲市乙区城市丙管理实施细则的通知\n2020-11-13 14:42\n"
        "来源:乙区人民政府\n乙区府办发〔202026\n甲市乙区人民政府办公室\n关于印发甲市乙区城市丙管理\n"
        "实施细则的通知\n各街道办事处,区级各部门\n"
        "《甲市乙区城市丙管理实施细则》已经区政府常务会审议通过,现印发你们,请认真遵照执行。\n"
        "甲市乙区人民政府办公室\n2020年10月28日\n甲市乙区城市丙管理实施细则\n第一章总则\n"
        "第一条为提升丙管理水平,制定本实施细则。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, str(doc.published_on or doc.signed_on)) == (
            "甲市乙区人民政府办公室关于印发甲市乙区城市丙管理实施细则的通知",
            "乙区府办发〔2020〕26号", "2020-10-28")  # fmt: skip


def test_a_garbled_regulation_on_a_page_of_pipes_and_a_posting_stamp(tmp_path: Path, clock) -> None:
    """Batch 20: a flattened metadata table (索引号: | 信息分类: | — empty fields, not values),
    the standing committee's name broken above its 公告's number, a 条 a mirror garbled in
    every title (治理?xiàng)l例, restored from 本條例: the 公告's full name is kept); and a page's posting stamp to the minute
    does not date a regulation its 公告 dates."""
    (tmp_path / "pipes").mkdir()
    registry, _ = _imported(tmp_path / "pipes", clock,
        "索 引 號(hào): | 信息分類(lèi): | ||\n發(fā)布機(jī)構(gòu): | 發(fā)文日期: | 2023-06-27 | |\n"
        "名 稱(chēng): | 甲州乙治理?xiàng)l例 |\n甲回族自治州人民代表大會(huì)\n常務(wù)委員會(huì)公告\n(第5號(hào))\n"
        "《甲回族自治州乙治理?xiàng)l例》已于2022年12月26日由甲回族自治州第十六屆人民代表大會(huì)常務(wù)委員會(huì)"
        "第六次會(huì)議通過(guò),現(xiàn)予公布,自2023年7月1日起施行。\n甲回族自治州人民代表大會(huì)常務(wù)委員會(huì)\n"
        "2023年6月27日\n第一條 為加強(qiáng)乙治理,制定本條例。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.kind, doc.doc_number) == (
            "甲回族自治州乙治理条例", Kind.LOCAL_REGULATION, "甲回族自治州人民代表大会常务委员会公告第5号")  # fmt: skip
    (tmp_path / "stamp").mkdir()
    registry, _ = _imported(tmp_path / "stamp", clock,
        "甲省乙促进条例\n(2023年9月27日甲省第十四届人民代表大会常务委员会\n第四次会议通过)\n"
        "来源:甲日报    发布时间:2023-10-12 07:32\n甲省人民代表大会常务委员会公告\n(第四号)\n"
        "《甲省乙促进条例》已由甲省第十四届人民代表大会常务委员会第四次会议于2023年9月27日通过,"
        "现予公布,自2023年11月1日起施行。\n甲省人民代表大会常务委员会\n2023年9月27日\n"
        "第一条 为了乙,制定本条例。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert str(doc.published_on or doc.signed_on) == "2023-09-27"


def test_a_kind_is_inferred_from_the_simplified_title_and_never_for_a_party_organ() -> None:
    """Batch 20: 管理辦法 is a 办法 (the title is read in simplified characters); a regional
    government printed short (甲自治区政府) is an administrative organ; a 细则 of a party
    organ, jointly or alone, is no 行政规范性文件."""
    from regclean.fields import infer_kind

    assert infer_kind(None, "甲市人民政府", "甲市乙管理辦法") is Kind.NORMATIVE
    assert infer_kind(None, "甲自治区政府", "甲自治区乙管理办法") is Kind.NORMATIVE
    assert infer_kind(None, "中共甲省委办公厅、甲省人民政府办公厅", "甲省乙实施细则") is Kind.OTHER


def test_a_commentary_records_the_document_it_explains(tmp_path: Path, clock) -> None:
    """Batch 21: a commentary headed 《X》的理解与适用 records X, with the day, number and maker
    its opening sentence gives, the day it took effect (并于5月1日起施行: the year the sentence's),
    and the status a line of the page marks it with ((原规定已失效,被…代替))."""
    (tmp_path / "in-force").mkdir()
    registry, _ = _imported(tmp_path / "in-force", clock,
        "《最高人民法院关于审理甲乙案件的规定》的理解与适用\n文/甲 乙\n"
        "2016年4月27日,最高人民法院发布《关于审理甲乙案件的规定》(法释[2016]11号,以下简称《规定》),"
        "并于5月1日起施行。为准确理解和适用《规定》,现说明如下\n一、制定背景\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.kind, doc.issuer, doc.doc_number, str(doc.published_on),
                str(doc.effective_on), registry.status_on(doc.id)) == (
            "最高人民法院关于审理甲乙案件的规定", Kind.JUDICIAL, "最高人民法院", "法释[2016]11号",
            "2016-04-27", "2016-05-01", Status.IN_FORCE)  # fmt: skip
    (tmp_path / "lapsed").mkdir()
    registry, _ = _imported(tmp_path / "lapsed", clock,
        "《最高人民法院关于审理丙丁案件的解释》的理解与适用\n文/丙\n(原规定已失效,被2014年新的规定代替)\n"
        "2009年5月26日,最高人民法院发布了《关于审理丙丁案件的解释》(法释[2009]9号,以下简称《解释》),"
        "自2009年5月27日起施行。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert registry.status_on(doc.id) is Status.INVALID  # its force ended: 已被代替


def test_forum_noise_a_three_line_title_and_a_second_order(tmp_path: Path, clock) -> None:
    """Batch 21: a forum's anti-copy noise (runs of short ASCII tokens) is no text, and the 通告 it
    quotes after words of its own is the document, a rule of general application; a title broken
    over three lines is one title; a record of one order 发布, then 根据 another 修订, dates the
    rule and numbers it."""
    (tmp_path / "forum").mkdir()
    registry, _ = _imported(tmp_path / "forum", clock,
        "通告属公布性公文,一般行政机关可以使用。! L ~3 e& ]; L7 L\n一、; | `6 J8 r8 `1 k\" t: [\" v7 y7 H\n"
        "先看例文。/ `2 N! c' ]8 j\n甲市人民政府关于对乙车辆实施限制通行措施 ! m! S, O3 Z8 P6 m. P\n"
        "8 l0 J5 S3 p; c8 `0 X$ o\n的通告\n"
        "3 m9 N' x! z( k为改善空气质量,市政府决定对乙车辆限制通行,特通告如下:1 I\" Y6 m; m' h3 B- _2 T\n"
        "一、自2010年1月10日起,禁止乙车辆通行。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, doc.kind) == (
            "甲市人民政府关于对乙车辆实施限制通行措施的通告", "甲市人民政府", Kind.NORMATIVE)  # fmt: skip
    (tmp_path / "three").mkdir()
    registry, _ = _imported(tmp_path / "three", clock,
        "甲省人民政府办公厅关于印发甲省\n进一步支持民间投资\n实行方案的通知\n甲府办〔2023〕5号\n"
        "各地级以上市人民政府:\n《甲省进一步支持民间投资的实行方案》已经省人民政府同意,现印发给你们。\n"
        "甲省人民政府办公厅\n2023年3月17日\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "甲省人民政府办公厅关于印发甲省进一步支持民间投资实行方案的通知"
    (tmp_path / "orders").mkdir()
    registry, _ = _imported(tmp_path / "orders", clock,
        "甲省实施《乙条例》办法(2004年修正)\n甲省人民政府\n"
        "(1998年11月17日甲省人民政府令第96号发布 根据2004年7月15日甲省人民政府令第172号修订)\n"
        "第一章 总则\n第一条 为实施《乙条例》,制定本办法。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.kind, doc.doc_number, str(doc.published_on or doc.signed_on)) == (
            Kind.LOCAL_RULE, "甲省人民政府令第96号", "1998-11-17")  # fmt: skip


def test_a_spaced_title_a_relay_ending_on_its_title_and_a_databases_note(
    tmp_path: Path, clock
) -> None:
    """Batch 22: a title spaced out on its line (…工作的 通 知) is one title; a relay's title ends
    on the 》 of what it relays (…转发甲部《关于…的通知》), and its annex is that notice, not a
    catalog; a database's note after a decision's title (…的决定 附:修正本) is no part of it."""
    (tmp_path / "spaced").mkdir()
    registry, _ = _imported(tmp_path / "spaced", clock,
        "甲县人民政府办公室 关于推进全县乙工作的 通 知\n时间:2019年06月17日 点击次数:28596\n"
        "甲政办〔2019〕26号\n各乡(镇)人民政府,县政府各部门:\n现就有关工作要求通知如下:\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, str(doc.published_on)) == (
            "甲县人民政府办公室关于推进全县乙工作的通知", "甲政办〔2019〕26号", "2019-06-17")  # fmt: skip
    (tmp_path / "relay").mkdir()
    registry, _ = _imported(tmp_path / "relay", clock,
        "甲市财政局、甲市水利局转发乙部、丙部《关于颁发〈丁补助费使用管理暂行办法〉的通知》\n"
        "甲市财政局 市水利局\n各区、县财政局、水利局:\n"
        "现将乙部、丙部《关于颁发〈丁补助费使用管理暂行办法〉的通知》(〔94〕财农字第345号)转发给你们。\n"
        "附件:乙部 丙部关于颁发《丁补助费使用管理暂行办法》的通知(94)财农字第345号\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == (
            "甲市财政局、甲市水利局转发乙部、丙部《关于颁发〈丁补助费使用管理暂行办法〉的通知》",
            "甲市财政局、甲市水利局")  # fmt: skip
    (tmp_path / "note").mkdir()
    _, report = _imported(tmp_path / "note", clock,
        "甲省人民代表大会常务委员会关于修改《甲省乙条例》的决定 附:修正本\n"
        "(1999年12月10日甲省第九届人民代表大会常务委员会第十二次会议通过)\n"
        "  甲省第九届人民代表大会常务委员会第十二次会议决定对《甲省乙条例》作如下修改:\n"
        "  一、第三条第二款修改为:\"丙。\"\n")  # fmt: skip
    (decided,) = report.decided_by.values()
    assert decided["title"] == "甲省人民代表大会常务委员会关于修改《甲省乙条例》的决定"


def test_an_organ_said_to_issue_a_document_at_a_texts_opening(tmp_path: Path, clock) -> None:
    """Batch 22: a text that opens by saying an organ issued a document records it: its title in
    corner brackets (「关于…的指示」) or with no marks up to its kind (发布关于…的指令), its maker,
    and the date a signature run into the paragraph's end gives (…总理某某一九五○年二月二十七日)."""
    (tmp_path / "corner").mkdir()
    registry, _ = _imported(tmp_path / "corner", clock,
        "论文部分内容阅读\n政务院四月二十四日发出「关于甲乙工作的指示」,要各级人民政府遵照执行。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("关于甲乙工作的指示", "政务院")
    (tmp_path / "bare").mkdir()
    registry, _ = _imported(tmp_path / "bare", clock,
        "论文部分内容阅读\n中央人民政府政务院发布关于实施丙部一九五○年丁计划的指令中央人民政府政务院已经"
        "批准丙部的计划。政务院要求各级人民政府切实执行。总理周恩来一九五○年二月二十七日\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, str(doc.published_on or doc.signed_on)) == (
            "关于实施丙部一九五○年丁计划的指令", "中央人民政府政务院", "1950-02-27")  # fmt: skip


def test_an_undated_sectioned_text_and_a_committees_announcement_in_a_record(
    tmp_path: Path, clock
) -> None:
    """Batch 23: a law database's page of a document in sections (一、(一) 1.) under its title
    and its maker's line, though it gives no number or date, is that document; a record that
    names the standing committee's 公告 (…第十三届人民代表大会常务委员会公告第6号公布) numbers the
    regulation as printed."""
    (tmp_path / "sections").mkdir()
    registry, _ = _imported(tmp_path / "sections", clock,
        "甲省政府系统乙审批办法\n时间:2024-07-26 10:34:03 来源: 法律资料网\n甲省政府系统乙审批办法\n"
        "甲省人民政府办公厅\n\n甲省政府系统乙审批办法\n甲省人民政府办公厅\n"
        "一、乙分类和规格\n(一)以省政府名义奖励的:\n1.国家法律规定的奖项;\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("甲省政府系统乙审批办法", "甲省人民政府办公厅")
    (tmp_path / "record").mkdir()
    registry, _ = _imported(tmp_path / "record", clock,
        "# 甲市预防乙条例\n\n2008年6月19日 甲市第十三届人民代表大会常务委员会第十次会议通过\n\n"
        "2008年10月6日 甲市第十三届人民代表大会常务委员会公告第6号公布\n\n<!-- INFO END -->\n\n"
        "第一条 为了乙,制定本条例。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.doc_number == "甲市第十三届人民代表大会常务委员会公告第6号"


def test_an_unnumbered_notice_to_the_organs_below_at_large_is_normative(
    tmp_path: Path, clock
) -> None:
    """Batch 14's joint notice, read again: unnumbered, but addressed to the organs below at
    large (各省、自治区、直辖市…：), a notice of administrative organs is what a numbered one would
    be, a 行政规范性文件; one addressed to a single named organ stays 其他文件."""
    (tmp_path / "at-large").mkdir()
    registry, _ = _imported(tmp_path / "at-large", clock,
        "甲委办公厅、乙部办公厅关于严格执行丙有关规定的通知\n甲委办公厅 乙部办公厅\n"
        "各省、自治区、直辖市甲委、乙厅:\n近年来,一些地方出现了丙的现象。现就有关事项通知如下:\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.kind is Kind.NORMATIVE
    (tmp_path / "one").mkdir()
    registry, _ = _imported(tmp_path / "one", clock,
        "甲乙部关于丙救济款发放问题的通知\n甲乙部\n丁省民政局:\n我部已拨给你省救灾款。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.kind is Kind.OTHER


def test_a_reported_decision_named_short_its_reasons_and_its_governments_own_numbers(
    tmp_path: Path, clock
) -> None:
    """Batch 24: a 解读 that says 甲市政府印发《关于废止…的决定》 is of 甲市人民政府's decision,
    dated by its sentence (not by the page's own 成文日期), in force as that sentence says (自
    《决定》印发之日起停止执行); each item's 废止理由 under it is the decision's reason, and the day
    it says the document took effect is its effective day; a number in the government's own
    series names its maker (甲府 the government, 甲府办 its office); an aside in brackets does not
    cut the count's clause (废止的市政府（含市府办公室）规范性文件有2件)."""
    registry, report = _imported(tmp_path, clock,
        "成文日期: | 2024-12-20 | 发布机构: | 甲市司法局 |\n"
        "2024年12月10日,甲市政府印发《关于废止一批行政规范性文件的决定》(以下简称《决定》),"
        "2件行政规范性文件自《决定》印发之日起停止执行。现就有关内容解读如下:\n"
        "二、主要内容\n废止的市政府(含市府办公室)规范性文件有2件,分别为:\n"
        "1.《甲市乙办法(试行)》(文号:甲府办〔2004〕84号,发布日期:2004年11月8日)\n"
        "废止理由:一是该办法于2004年11月8日起施行,但未写明有效期;二是任务已完成。\n"
        "2.《甲市丙办法》(文号:甲府〔2008〕148号,发布日期:2008年12月17日)\n")  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["title"], decided["issuer"], decided["dated"], decided["effective"]) == (
        "关于废止一批行政规范性文件的决定",
        "甲市人民政府",
        "2024-12-10",
        "2024-12-10",
    )
    assert next(iter(report.stated_counts.values())) == {"repeal": 2}
    with registry:
        first, second = registry.instruments()
        assert (first.issuer, str(first.effective_on)) == ("甲市人民政府办公室", "2004-11-08")
        assert second.issuer == "甲市人民政府"
        (decision,) = registry.decisions(first.id)
        assert "任务已完成" in decision.reasons[0].text
        assert registry.status_on(first.id, "2025-01-01") is Status.REPEALED


def test_an_interpretation_finds_its_decisions_number_and_counts_listed_together(
    tmp_path: Path, clock
) -> None:
    """Batch 24: a 解读 titled 《X》政策解读 takes X's number and day from the sentence that says
    it was issued (…印发了《X》(沁政〔2024〕13号)); counts listed in one clause (决定保留33件、废止
    7件、失效28件) are each read; 拟 qualifies the count after it, not one before (宣布失效4件、拟…);
    the documents listed under 二、文件依据 are what the text rests on, never items."""
    (tmp_path / "listed").mkdir()
    _, report = _imported(tmp_path / "listed", clock,
        "《甲市人民政府关于公布市政府部分文件清理结果的决定》政策解读\n"
        "2024年11月15日,市政府办印发了《甲市人民政府关于公布市政府部分文件清理结果的决定》"
        "(甲政〔2024〕13号)。现解读如下:\n一、主要内容\n"
        "经2024年10月12日市政府第40次常务会议研究,决定保留33件、废止7件、失效28件。\n")  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["number"], decided["dated"]) == ("甲政〔2024〕13号", "2024-11-15")
    assert next(iter(report.stated_counts.values())) == {"keep": 33, "repeal": 7, "invalidate": 28}
    (tmp_path / "basis").mkdir()
    registry, report = _imported(tmp_path / "basis", clock,
        "《关于公布规范性文件全面清理结果的决定》政策解读\n二、文件依据\n"
        "1、《甲省规范性文件管理办法》(省政府令242号)\n2、《关于开展清理工作的通知》(甲政办函〔2025〕11号)\n"
        "三、主要内容\n经过全面清理,宣布失效的规范性文件共计4件、拟\n")  # fmt: skip
    with registry:
        assert registry.count() == 0
    assert next(iter(report.stated_counts.values())) == {"invalidate": 4}


def test_a_title_with_its_gazette_issue_a_makers_line_and_a_headless_plan(
    tmp_path: Path, clock
) -> None:
    """Batch 24: a title followed by the gazette issue that printed it (…的通知(2002年1号)) is
    that title, and a text in sections under a title that names its maker is that document;
    makers a law database lists spaced on their own line (教育部 劳动人事部 国家计委) issued it jointly, a
    list the site cut (…等) giving way to a complete one; the second page of a plan, with no
    title, number or count and only the names of the catalogs to come, records nothing."""
    (tmp_path / "gazette").mkdir()
    registry, _ = _imported(tmp_path / "gazette", clock,
        "甲院办公厅关于向地方发送公报及有关事项的通知(2002年1号)\n为做好公报发送工作,现将有关事项通知如下:\n"
        "一、请各地报送通信地址。\n二、在公报上刊登的文本为标准文本。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == (
            "甲院办公厅关于向地方发送公报及有关事项的通知",
            "甲院办公厅",
        )
    (tmp_path / "makers").mkdir()
    registry, _ = _imported(tmp_path / "makers", clock,
        "关于改革乙教育结构的意见\n甲教育部 乙人事部 丙财政部 等\n关于改革乙教育结构的意见\n甲教育部 乙人事部 丙财政部 丁计委\n\n"
        "为了使改革乙教育结构的工作更快地进行下去,应着重解决好以下几个问题:\n一、提高认识\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.issuer == "甲教育部、乙人事部、丙财政部、丁计委"
    source = tmp_path / "plan.txt"
    source.write_text(
        "(四)总结阶段。县政府总结本次清理工作。\n附件:\n1. 废止的规范性文件目录\n"
        "2. 现行有效的规范性文件目录\n二00九年四月二日\n附件1:\n废止的规范性文件目录\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "plan-reg", clock=clock) as reg:
        with pytest.raises(ValidationError, match="nothing is recorded"):
            reg.import_file(source)
        assert reg.count() == 0


def test_a_notice_issuing_cleanup_rules_is_a_document_not_a_result(tmp_path: Path, clock) -> None:
    """Batch 25: 关于印发…清理规定的通知 issues rules about cleanups; it is the page's one
    document (number in brackets under its title, dated in Chinese numerals), and the 拟废止 its
    rules speak of decide nothing."""
    registry, _ = _imported(tmp_path, clock,
        "甲盟行政公署关于印发甲盟规范性文件定期清理规定的通知\n(甲署发〔2009〕23号)\n"
        "各旗人民政府,盟直各部门:\n《甲盟规范性文件定期清理规定》已经行政公署常务会议通过。现印发给你们。\n"
        "二○○九年三月二十七日\n甲盟规范性文件定期清理规定\n"
        "第一条 清理责任主体应当提出\"拟废止\"或\"拟修改\"建议。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, doc.issuer, str(doc.signed_on)) == (
            "甲盟行政公署关于印发甲盟规范性文件定期清理规定的通知",
            "甲署发〔2009〕23号",
            "甲盟行政公署",
            "2009-03-27",
        )
        assert doc.kind is Kind.NORMATIVE and not registry.decisions(doc.id)


def test_lost_spaces_printed_as_question_marks_and_documents_counted_in_ge(
    tmp_path: Path, clock
) -> None:
    """Batch 25: a copy that printed the spaces it lost as question marks still signs and dates
    its notice (????甲省乙委员会 / ????2025年8月5日); 10个委文件 counts documents, 三个方面 does
    not; a page naming no maker but its source (?来源:甲市教育委员会) is that organ's."""
    (tmp_path / "signed").mkdir()
    _, report = _imported(tmp_path / "signed", clock,
        "各市乙委,委机关各处室:\n经研究,从三个方面清理,决定对第二批10个委文件(详见附件)宣布失效。\n"
        "?????附件:宣布失效的第二批委文件目录\n????甲省乙委员会\n????2025年8月5日\n")  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["issuer"], decided["dated"]) == ("甲省乙委员会", "2025-08-05")
    assert next(iter(report.stated_counts.values())) == {"invalidate": 10}
    (tmp_path / "source").mkdir()
    _, report = _imported(tmp_path / "source", clock,
        "三、清理结果\n本次清理政策性文件共3179件,市教委文件失效1926件,其中规范性文件失效29件。\n"
        "?来源:甲市教育委员会\n")  # fmt: skip
    (decided,) = report.decided_by.values()
    assert decided["issuer"] == "甲市教育委员会"
    assert next(iter(report.stated_counts.values())) == {"invalidate": 1926}


def test_a_sites_tag_before_a_title_and_a_party_and_government_notice(
    tmp_path: Path, clock
) -> None:
    """Batch 25: a site's tag of place before the title (北京:关于印发…的通知) is no part of it,
    while 附件:《…》 stays an annex; a notice addressed at large that a party office issues with a
    government office is no 行政规范性文件 (as a party organ's alone is not)."""
    registry, _ = _imported(tmp_path, clock,
        "甲市:关于印发《甲市乙责任制实施细则》的通知\n"
        "各区委、区政府,市委各部委办,市各国家机关:\n经市委、市政府同意,现将《甲市乙责任制实施细则》印发给你们。\n"
        "中共甲市委办公厅\n甲市人民政府办公厅\n2023年7月20日\n甲市乙责任制实施细则\n第一章 总则\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "关于印发《甲市乙责任制实施细则》的通知"
        assert doc.issuer == "中共甲市委办公厅、甲市人民政府办公厅"
        assert (doc.kind, str(doc.signed_on)) == (Kind.OTHER, "2023-07-20")


def test_a_decision_on_items_is_itself_the_document_and_repeals_no_rule(
    tmp_path: Path, clock
) -> None:
    """Batch 26: a decision cancelling permits (…取消与设定行政许可项目的决定), issued by order,
    is itself the one document, a rule; the rules its annex names as what set each permit are
    not repealed by it, and no count of items (13项) is a count of documents."""
    registry, _ = _imported(tmp_path, clock,
        "甲省人民政府关于取消与设定行政许可项目的决定\n甲省人民政府\n\n甲省人民政府关于取消与设定行政许可项目的决定\n"
        "省政府令第180号\n《甲省人民政府关于取消与设定行政许可项目的决定》已经省人民政府第28次常务会议审议通过,现予公布。\n"
        "省 长\n二○○四年八月十二日\n甲省人民政府关于取消与设定行政许可项目的决定\n"
        "省人民政府决定第二批取消13项省政府规章设定的行政许可(审批)项目。\n"
        "附件:第二批取消省政府规章设定的行政许可(审批)项目目录\n部门 序号 项目名称 设定依据\n"
        "民政厅\n1 公墓竣工验收《甲省公墓管理办法》\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, doc.kind) == (
            "甲省人民政府关于取消与设定行政许可项目的决定",
            "甲省人民政府令第180号",
            Kind.LOCAL_RULE,
        )
        assert not registry.decisions(doc.id)


def test_titles_a_copying_site_decorated_and_a_databases_title_around_its_maker(
    tmp_path: Path, clock
) -> None:
    """Batch 26: an essay site's decoration ((2013)(2013)…(通用3篇), …篇1) and a column's tag
    (政务服务丨…) are no part of the title, which is read whole even where the page prints its
    maker on the line above the rest of it; a title printed on either side of its maker's line
    (title / 甲省人民检察院 / title), as law databases print it, is the page's document though it gives
    no number or date, however long the title; an office's rules for handling official
    documents (公文处理) are 其他文件."""
    (tmp_path / "essay").mkdir()
    registry, _ = _imported(tmp_path / "essay", clock,
        "(2013)(2013)甲院关于取消一批乙项目等事项的决定(通用3篇)\n\n(2013)(2013)甲院关于取消一批乙项目等事项的决定 篇1\n"
        "甲院关于取消一批乙项目等事项的决定\n甲发〔2013〕19号\n各省、自治区、直辖市人民政府:\n经研究论证,甲院决定取消乙项目71项。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number) == (
            "甲院关于取消一批乙项目等事项的决定",
            "甲发〔2013〕19号",
        )
    (tmp_path / "column").mkdir()
    registry, _ = _imported(tmp_path / "column", clock,
        "政务服务丨甲市人民政府关于深化乙改革的实施意见\n- 发布日期:2021-07-19\n甲市人民政府\n"
        "关于深化乙改革的实施意见\n甲政字〔2021〕30号\n各县(市、区)人民政府,市政府各部门:\n为深化乙改革,制定本意见。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("甲市人民政府关于深化乙改革的实施意见", "甲市人民政府")
    title = (
        "甲省人民检察院关于检察机关贯彻执行《"
        + "乙" * 40
        + "规定》和《"
        + "丙" * 30
        + "规定》的实施办法(试行)"
    )
    (tmp_path / "database").mkdir()
    registry, _ = _imported(tmp_path / "database", clock,
        f"{title}\n{title}\n甲省人民检察院\n{title}\n为认真贯彻执行《{'乙' * 40}规定》,防止干预司法活动\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, doc.kind) == (title, "甲省人民检察院", Kind.OTHER)
    from regclean.fields import infer_kind

    assert (
        infer_kind(None, "甲盟行政公署办公室", "甲盟行政公署办公室公文处理实施细则") is Kind.OTHER
    )


def test_what_a_pdf_of_a_page_breaks_a_gloss_a_title_with_its_issue_and_a_bracket() -> None:
    """The corpus printed to PDF (batches 24 and 25): a reading aid the line break parted from
    its character (國務\\n(wù)院) is still an aid; a title broken before 的通知 keeps its gazette
    issue out of it; a font that draws a number's closing bracket after its serial (﹝2022 11﹞号)
    gives the number back as printed."""
    from regclean.ingest.pdf import _MOVED_BRACKET
    from regclean.ingest.published import lines_of, read_decision, read_document_page, reading_copy

    assert lines_of("掌握國務\n(wù)院的規定") == ["掌握國務", "院的規定"]
    lines = reading_copy(lines_of(
        "國務院辦公廳關於向地方發送公報及有關事項\n的通知(2002年1號)\n一、請各省報送地址。\n二、刊登的文本為標準文本。\n"
    ))  # fmt: skip
    (doc,) = read_document_page(lines, read_decision(lines))
    assert doc.title == "国务院办公厅关于向地方发送公报及有关事项的通知"
    moved = _MOVED_BRACKET.sub(
        r"\g<open>\g<year>\g<close>\g<serial>号", "(临东政办字﹝2022 11﹞ 号)"
    )
    assert moved == "(临东政办字﹝2022﹞11号)"


def test_a_headline_an_organ_issuing_revised_rules_and_a_notice_that_just_issues(
    tmp_path: Path, clock
) -> None:
    """Batch 27: a news release's headline (甲检印发修订后的《X》 涉…) is no title; its sentence
    that the organ issued the revised rules on a day (5月13日, the year from the posting date)
    names the document; a notice from its salutation that ends 现予印发。 issues its 《X》; a
    database's excerpt mark after a title ((摘录)) keeps the title one line, and is no part of it; a government's rules
    for its own meetings are 其他文件."""
    (tmp_path / "news").mkdir()
    registry, _ = _imported(tmp_path / "news", clock,
        "甲检印发修订后的《甲省人民检察院乙工作规定》 涉群众利益的乙可公开征求意见\n\n发布时间:2019年5月13日\n\n"
        "甲省人民检察院5月13日印发修订后的《甲省人民检察院乙工作规定》(下称修订后的《规定》),对乙工作予以规范。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("甲省人民检察院乙工作规定", "甲省人民检察院")
        assert str(doc.published_on or doc.signed_on) == "2019-05-13"
    (tmp_path / "issues").mkdir()
    registry, _ = _imported(tmp_path / "issues", clock,
        "甲管委会,各乡镇人民政府,市级各部门:\n《甲市人民政府常务会议议事规则》已经2024年11月13日召开的市人民政府第93次常务会议通过,现予印发。\n"
        "甲市人民政府\n2024年11月20日\n甲市人民政府常务会议议事规则\n第一章 总 则\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer, doc.kind) == (
            "甲市人民政府常务会议议事规则",
            "甲市人民政府",
            Kind.OTHER,
        )
    (tmp_path / "excerpt").mkdir()
    registry, _ = _imported(tmp_path / "excerpt", clock,
        "甲乙部关于丙问题的复函(摘录)\n甲乙部\n\n甲乙部关于丙问题的复函(摘录)\n甲乙部\n复函\n丙省人事局:\n一、乙应从重新参加工作之日起算。\n1963年2月1日\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.issuer) == ("甲乙部关于丙问题的复函", "甲乙部")
    from regclean.fields import infer_kind

    assert (
        infer_kind(None, "甲市人民政府", "甲市人民政府办理人大代表建议工作规则") is Kind.NORMATIVE
    )


def test_a_law_collections_pages_judicial_interpretations_short_titles_and_regulations(
    tmp_path: Path, clock
) -> None:
    """The sweep over LawRefBook/Laws (docs/corpus.md): a judicial interpretation's title ends in
    解释, numbered in a series ((一)); a title may be as short as 信访条例; a provision that cites a
    law in its own sentence ((一)《甲法》禁止…；) is text, not an item it failed to read; a line of
    record that names a revision decision counting documents (…关于修改《X》等九件地方性法规的决定
    第一次修正) states no count of its own; a 条例 without a record is its locality's when its text
    speaks of 本省, else the State Council's; approval by the State Council makes a regulation of
    what a ministry's order issues; two makers a space apart are two; the title printed with its
    makers is preferred to a later printing without them."""

    def one(name: str, text: str):  # type: ignore[no-untyped-def]
        return _the_document(tmp_path / name, clock, text)

    doc = one("judicial",
        "# 最高人民法院、最高人民检察院关于办理甲刑事案件适用法律若干问题的解释（一）\n\n"
        "2023年3月20日 最高人民法院审判委员会第1880次会议通过\n\n<!-- INFO END -->\n\n"
        "最高人民法院 最高人民检察院 关于办理甲刑事案件适用法律 若干问题的解释（一）\n法释〔2024〕10号\n"
        "第一条 具有下列情形之一的,应当认定为情节严重:\n（一）《甲法》禁止的行为;\n")  # fmt: skip
    assert doc.title == "最高人民法院、最高人民检察院关于办理甲刑事案件适用法律若干问题的解释（一）"
    assert doc.kind is Kind.JUDICIAL
    doc = one("short", "# 信访条例\n\n2005年1月5日 国务院第76次常务会议通过\n\n"
              "2005年1月10日 中华人民共和国国务院令第431号公布\n\n<!-- INFO END -->\n\n第一条 为了保持联系,制定本条例。\n")  # fmt: skip
    assert (doc.title, doc.kind) == ("信访条例", Kind.ADMIN_REGULATION)
    doc = one("local",
        "# 甲省文物保护条例\n\n2010年9月29日 甲省第十一届人民代表大会常务委员会第十九次会议通过\n\n"
        "2016年3月30日 甲省第十二届人民代表大会常务委员会第二十次会议关于修改《甲省乙条例》等九件地方性法规的决定第一次修正\n\n"
        "<!-- INFO END -->\n\n第二条 本省行政区域内文物保护及其相关活动,适用本条例。\n")  # fmt: skip
    assert (doc.title, doc.kind) == ("甲省文物保护条例", Kind.LOCAL_REGULATION)
    doc = one(
        "national", "# 人体器官甲条例\n\n<!-- INFO END -->\n\n第一条 为了规范甲,制定本条例。\n"
    )
    assert doc.kind is Kind.ADMIN_REGULATION
    doc = one("approved", "# 甲交易所管理规定\n\n1996年9月19日 经国务院批准\u3000\n\n"
              "1996年10月3日 中华人民共和国交通部令第8号发布\u3000\n\n<!-- INFO END -->\n\n第一条 为了甲,制定本规定。\n")  # fmt: skip
    assert doc.kind is Kind.ADMIN_REGULATION


def test_a_1950s_circular_quoting_its_report_and_a_file_sharing_sites_heading(
    tmp_path: Path, clock
) -> None:
    """Batch 28: a circular whose title quotes the report it issues in double quotes (…秘书处印发
    “关于…的检查报告”, read as book-title marks), dated on the line under it with dots, is that
    circular, its maker the office before 印发; a file-sharing site's heading (…管理办法.docx) is the title without its
    extension, and a rule whose articles a copy ran into one line (…第一章总则第一条…) is a rule's
    text; a report alone (…工作情况的报告) stays no document."""
    (tmp_path / "circular").mkdir()
    registry, _ = _imported(tmp_path / "circular", clock,
        "文章全文:\n\n中共甲省委办公厅秘书处印发“关于乙专区在整顿工作中几个问题的检查报告”\n1959.09.09\n\n"
        "印发到会同志各一份阅并讨论。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "中共甲省委办公厅秘书处印发《关于乙专区在整顿工作中几个问题的检查报告》"
        assert (doc.issuer, str(doc.published_on or doc.signed_on), doc.kind) == (
            "中共甲省委办公厅秘书处",
            "1959-09-09",
            Kind.OTHER,
        )
    (tmp_path / "file").mkdir()
    registry, _ = _imported(tmp_path / "file", clock,
        "市级甲轮换管理办法.docx\n- 资源ID:1816126\n市级甲轮换管理办法.docx\n"
        "市级甲轮换管理办法第一章总则第一条为加强市级甲轮换管理,制定本办法。第二条市级甲轮换,是指…\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.title == "市级甲轮换管理办法"
    source = tmp_path / "report.txt"
    source.write_text("甲省人大常委会法制工作委员会关于规范性文件备案审查工作情况的调研报告\n省人大常委会:\n现将情况报告如下。\n",
                      encoding="utf-8")  # fmt: skip
    with (
        Registry.init(tmp_path / "report-reg", clock=clock) as reg,
        pytest.raises(ValidationError, match="nothing is recorded"),
    ):
        reg.import_file(source)


def test_a_decision_flattened_onto_one_line_and_one_with_its_years_lost(
    tmp_path: Path, clock
) -> None:
    """Batch 29: a document-sharing site's copy that flattened the whole decision onto one line,
    each printed line's break a space, reads as the decision it is: its title (not the site's
    2018年 filed before it), counts of two sorts under one outcome summed (对18部规章和4部规范性
    文件…予以修改: 22), the annex's items with their records; the annex of the repealed, of which
    the text lists none, is said to be missing. A forum's copy whose records lost every year
    (年5月2日甲部令年第3号公布) still lists items, and no day's 日 is taken into a number."""
    flat = tmp_path / "flat"
    flat.mkdir()
    registry, report = _imported(flat, clock,
        "2018年甲部关于修改和废止部分规章、规范性文件的决定\n加入Vip免费下载 立即下载\n"
        "甲部关于修改和废止 部分规章、规范性 文件的决定 为了依法保障改革措 施落实,甲部对规章和规范性文件"
        "进行了全面清理。经 过清理,甲部决定: 一、对18部规章和4部规范性文件的部分条款予以修改 。(附件1) "
        "二、对3部规章和36部规范性文件予以废止。(附件 2) 本决定自公布之日起施行。    "
        "附件:1.甲部决定修改的规章和规范性文件 2.甲部决定废止的规章和规范性文件   附件1 甲部决定修改的"
        "规章和规范性文件 一、修改的规章 1.乙管理办法(2004年7月12日甲部 令第39号公布)   将第十三条第二款"
        "修改为:“丙项目,由省级甲行政主管部门评估和审 批。” 第三十三条第二款中的“审批权限”修改为“初步设计审 "
        "批权限”。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, str(doc.published_on), doc.kind, doc.issuer) == (
            "乙管理办法", "甲部令第39号", "2004-07-12", Kind.DEPARTMENT_RULE, "甲部",
        )  # fmt: skip
        assert registry.decisions(doc.id)[-1].outcome is Outcome.REVISE
    (decided,) = report.decided_by.values()
    assert decided["title"] == "甲部关于修改和废止部分规章、规范性文件的决定"
    assert next(iter(report.stated_counts.values())) == {"revise": 22, "repeal": 39}
    assert any(
        "甲部决定废止的规章和规范性文件" in n and "not in the input" in n for n in report.notes
    )
    forum = tmp_path / "forum"
    forum.mkdir()
    registry, _ = _imported(forum, clock,
        "甲部关于修改部分规章的决定\n甲部决定:\n一、对5部规章的部分条款予以修改。\n本决定自公布之日起施行。\n"
        "一、修改的规章\n8.乙生产许可管理办法(年5月2日甲部令年第3号公布,年12月31日甲部令年第5号修订)\n"
        "删去第十七条。\n11.丙机构管理办法(年11月26日甲部令第19号公布,年5月30日甲部令年第3号修订)\n"
        "删去第八条第二款。\n13.兽\n")  # fmt: skip
    with registry:
        got = sorted((i.title, i.doc_number, i.issuer) for i in registry.instruments())
    assert got == [("丙机构管理办法", "甲部令第19号", "甲部"), ("乙生产许可管理办法", "", "甲部")]


def test_a_ministry_order_repealing_by_verb_with_the_record_before_its_titles(
    tmp_path: Path, clock
) -> None:
    """Batch 29: an item its verb leads with the record between verb and titles (废止1999年8月24日
    甲部、乙部、丙局联合发布的《A》（…令第5号）、《B》（…）) repeals both, issued jointly on that
    day under the joint order's number; 将《X》（甲部令第25号）第十条修改为 takes the number in its
    brackets; a ministry's 规章 are 部门规章; the order's sentence (《X的决定》已经…会议审议通过，现予
    公布) names the decision where no line gives its title alone; an item of 对《X》（…作如下修改
    cut inside its record, among such items, is revised too."""
    registry, report = _imported(tmp_path, clock,
        "《甲部关于废止和修改部分规章的决定》甲部令第38号\n中华人民共和国甲部令第38号\n"
        "《甲部关于废止和修改部分规章的决定》已经2015年9月10日第33次部长办公会议审议通过,现予公布,自公布之日起施行。\n"
        "甲部部长\n2015年11月10日\n我部决定废止和修改部分规章,具体如下:\n"
        "一、 对2部规章予以废止\n"
        "(一)经商乙部同意,废止1999年8月24日甲部、乙部、丙局联合发布的《丁规定》(甲部、乙部、丙局令第5号)、"
        "《丁规定实施细则(试行)》(甲部、乙部、丙局令第6号)。\n"
        "二、 对2部规章的部分条款予以修改\n(一)将《戊规定》(甲部令第25号)第十条修改为:“己。”\n"
        "(二)对《庚办法》(甲部令第9号公布,根据甲部令第19号修改)作如下修改:\n将第八条修改为:“辛。”\n"
        "(三)对《壬办法》(甲部令第\n")  # fmt: skip
    with registry:
        got = {i.title: (i.doc_number, i.issuer, str(i.published_on or ""), i.kind,
                         registry.decisions(i.id)[-1].outcome)
               for i in registry.instruments()}  # fmt: skip
    joint = "甲部、乙部、丙局"
    assert got == {
        "丁规定": (f"{joint}令第5号", joint, "1999-08-24", Kind.DEPARTMENT_RULE, Outcome.REPEAL),
        "丁规定实施细则(试行)": (f"{joint}令第6号", joint, "1999-08-24", Kind.DEPARTMENT_RULE,
                                 Outcome.REPEAL),
        "戊规定": ("甲部令第25号", "甲部", "", Kind.DEPARTMENT_RULE, Outcome.REVISE),
        "庚办法": ("甲部令第9号", "甲部", "", Kind.DEPARTMENT_RULE, Outcome.REVISE),
        "壬办法": ("", "甲部", "", Kind.DEPARTMENT_RULE, Outcome.REVISE),
    }  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["title"], decided["number"], decided["dated"]) == (
        "甲部关于废止和修改部分规章的决定", "中华人民共和国甲部令第38号", "2015-11-10",
    )  # fmt: skip


def test_a_decision_known_by_its_record_and_a_preamble_that_leads_into_its_list(
    tmp_path: Path, clock
) -> None:
    """Batch 29: a page that lost its title and begins with the decision's record in brackets
    (…人民政府令第7号公布 自公布之日起施行) is that order's decision, dated and in force that day;
    a preamble that counts what it revises and leads into the list (修改《A》等42件…规章，具体如下:)
    gives the items under it their outcome."""
    registry, report = _imported(tmp_path, clock,
        "(2004年6月29日甲自治区人民政府令第7号公布 自公布之日起施行)\n全文\n"
        "经2004年6月28日自治区人民政府第19次常务会议讨论决定,修改《甲自治区乙暂行规定》(甲政发[1980]94号)"
        "等42件自治区人民政府规章,具体如下:\n一、甲自治区乙暂行规定(1980年4月26日甲政发[1980]94号)\n"
        "(一)删去第一条第五项。\n")  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.doc_number, str(doc.published_on), doc.kind) == (
            "甲政发[1980]94号", "1980-04-26", Kind.LOCAL_RULE,
        )  # fmt: skip
        assert registry.decisions(doc.id)[-1].outcome is Outcome.REVISE
    (decided,) = report.decided_by.values()
    assert (decided["number"], decided["issuer"], decided["dated"], decided["effective"]) == (
        "甲自治区人民政府令第7号", "甲自治区人民政府", "2004-06-29", "2004-06-29",
    )  # fmt: skip
    assert next(iter(report.stated_counts.values())) == {"revise": 42}


def test_pages_glued_labels_a_party_group_an_unsigned_notice_and_a_reported_one(
    tmp_path: Path, clock
) -> None:
    """Batch 29: labels a law site ran into their values (发文字号皖交发〔2021〕63号, three or more
    at the head) are read as labels, and a party group's (党组) numbered document is 其他文件; a
    notice without signature whose sentence says who adopted it (已经自治州人民政府审议通过) is
    that body's, named in full as the title names it; a law database's edition tag (2019修订) is
    no part of a title; a page that reports its notice (X日，甲局向各乙单位发出《Y》…自X起，…实行)
    is dated by that sentence, addressed at large, in force from that day."""

    def one(name: str, text: str):  # type: ignore[no-untyped-def]
        return _the_document(tmp_path / name, clock, text)

    doc = one("glued",
        "发文机关中共甲省乙厅党组\n发文日期2021年12月21日\n时效性现行有效\n发文字号甲乙发〔2021〕63号\n"
        "施行日期2021年12月21日\n效力级别地方党内规范性文件\n厅直各单位:\n"
        "经厅党组会议审议同意,现将《关于丙的实施意见》印发给你们,请认真抓好落实。\n中共甲省乙厅党组\n2021年12月21日\n"
        "关于丙的实施意见\n一、总体要求\n")  # fmt: skip
    assert (doc.title, doc.issuer, doc.doc_number, doc.kind, str(doc.effective_on)) == (
        "关于丙的实施意见", "中共甲省乙厅党组", "甲乙发〔2021〕63号", Kind.OTHER, "2021-12-21",
    )  # fmt: skip
    doc = one("unsigned",
        "各县市人民政府,州人民政府各部门:\n《甲蒙古自治州人民政府工作规则》已经自治州人民政府审议通过,现予印发。\n"
        "2024年10月22日\n(此件公开发布)\n甲蒙古自治州人民政府工作规则\n第一章 总则\n")  # fmt: skip
    assert (doc.issuer, doc.kind) == ("甲蒙古自治州人民政府", Kind.OTHER)
    doc = one("edition",
        "甲市人民政府关于印发《甲市人民政府工作规则》的通知(2019修订)\n\n"
        "甲市人民政府关于印发《甲市人民政府工作规则》的通知\n各县(市、区)人民政府:\n"
        "新修订的《甲市人民政府工作规则》已经市政府常务会议审议通过。现印发给你们,自印发之日起施行。\n"
        "甲市人民政府\n2019年11月29日\n")  # fmt: skip
    assert (doc.title, str(doc.effective_on)) == (
        "甲市人民政府关于印发《甲市人民政府工作规则》的通知", "2019-11-29",
    )  # fmt: skip
    doc = one("reported",
        "关于乙实行备案制度的通知\n\n甲总局\n\n关于乙实行备案制度的通知\n\n"
        "2003年11月26日,甲总局丙局向各丁单位发出《关于乙实行备案制度的通知》,《通知》指出,根据《戊规定》"
        "(甲总局令第20号)第十二条的规定,自2003年12月1日起,各丁单位选送影片实行备案制度。具体要求如下:\n"
        "一、各丁单位应当向我局备案;\n")  # fmt: skip
    assert (str(doc.published_on), str(doc.effective_on), doc.kind) == (
        "2003-11-26", "2003-12-01", Kind.NORMATIVE,
    )  # fmt: skip


def test_a_gazettes_masthead_run_into_its_contents_is_no_title(tmp_path: Path, clock) -> None:
    """Batch 29: a line of a gazette's masthead and contents, spaced, with figures and letters
    before its 关于 (出版日期 2019年3月20日ISSN…公报室 通知决定 关于印发《X》 的通知), names no
    document of the page: nothing is recorded."""
    source = tmp_path / "gazette.txt"
    source.write_text(
        "1 甲部公报 2019年第3期 目录 规章规范 甲部令 2019年第1号/4 甲部关于乙的实施意见 /6\n\n"
        "com 刊号 印刷 丙印刷有限公司 出版日期 2019年3月20日ISSN1672―6065 CN11―5150/D 甲部公报室 通知决定 "
        "关于印发《丁工作方案》 的通知\n",
        encoding="utf-8",
    )
    with (
        Registry.init(tmp_path / "reg", clock=clock) as reg,
        pytest.raises(ValidationError, match="nothing is recorded"),
    ):
        reg.import_file(source)


def _shanghai_page(
    title: str, number: str, organ: str, day: str, body: str, status: str = "有效"
) -> str:
    """A page as the Shanghai repository copies it (front matter, a note, the # title)."""
    return (f"---\n标题: {title}\n文号: {number}\n发布单位: {organ}\n发布日期: {day}\n状态: {status}\n---\n\n"
            f"> 本文正文由脚本自官方公开页面提取，仅供检索查阅。\n\n# {title}\n\n{body}")  # fmt: skip


def test_a_notice_that_keeps_one_document_in_force_or_extends_it(tmp_path: Path, clock) -> None:
    """Batch 30: a notice titled by what it does to one document (关于《X》继续适用的通知, 关于延长《X》
    有效期的通知) is a decision on it, not a document of its own: the document is kept (继续适用,
    需继续实施，有效期延长至…), with the number in its brackets, the month and maker its sentence
    gives (2023年11月甲委员会印发的《X》), or, where none, the deciding body's own (a number in the
    body's own code, or the one document a body extends: no body extends another's)."""

    def one(name: str, text: str):  # type: ignore[no-untyped-def]
        (tmp_path / name).mkdir()
        registry, report = _imported(tmp_path / name, clock, text)
        with registry:
            (doc,) = registry.instruments()
            outcome = registry.decisions(doc.id)[-1].outcome
        (decided,) = report.decided_by.values()
        return doc, outcome, decided

    doc, outcome, decided = one("continued", _shanghai_page(
        "关于《甲市乙管理办法》继续适用的通知", "沪甲用〔2025〕457号", "甲市甲局", "2025-11-28",
        "各区甲局:\n\n经研究，《甲市乙管理办法》（沪甲规〔2020〕15号）继续适用。\n\n特此通知。\n\n"
        "甲市甲局\n\n2025年11月28日\n"))  # fmt: skip
    assert (doc.title, doc.doc_number, doc.issuer, doc.kind, outcome) == (
        "甲市乙管理办法", "沪甲规〔2020〕15号", "甲市甲局", Kind.NORMATIVE, Outcome.KEEP,
    )  # fmt: skip
    assert (decided["title"], decided["number"], decided["dated"]) == (
        "关于《甲市乙管理办法》继续适用的通知", "沪甲用〔2025〕457号", "2025-11-28",
    )  # fmt: skip
    doc, outcome, decided = one("extended", _shanghai_page(
        "关于延长《丙实施细则（试行）》有效期的通知", "浦丙规〔2024〕11号", "甲区丙委员会", "2024-12-27",
        "各街道办事处：\n\n经评估，2023年11月甲区丙委员会印发的《丙实施细则(试行)》(浦丙规〔2023〕5号)需继续实施，"
        "有效期延长至2026年12月3日。\n\n特此通知。\n\n甲区丙委员会\n\n甲区丁局\n\n2024年12月27日\n"))  # fmt: skip
    assert (doc.issuer, str(doc.published_on), outcome) == ("甲区丙委员会", "2023-11", Outcome.KEEP)
    assert decided["issuer"] == "甲区丙委员会、甲区丁局"
    doc, outcome, _ = one("with-text", _shanghai_page(
        "甲区戊局关于延长《甲区己暂行规定》有效期的通知", "甲戊〔2024〕30号", "甲区戊局", "2024-10-31",
        "各镇人民政府：\n\n经评估，《甲区己暂行规定》需要继续实施，有效期延长至2026年11月1日。\n\n特此通知。\n\n"
        "甲区戊局\n\n2024年10月31日\n\n甲区己暂行规定\n\n第一章   总则\n\n"
        "第一条  为加强己，根据《中华人民共和国庚法》等法律，制定《甲区己暂行规定》。\n\n"
        "第四十三条  本规定自2024年11月1日起实施，有效期二年。\n"))  # fmt: skip
    assert (doc.title, doc.issuer, doc.kind, outcome) == (
        "甲区己暂行规定", "甲区戊局", Kind.NORMATIVE, Outcome.KEEP,
    )  # fmt: skip


def test_a_notice_revising_and_reissuing_a_document_and_a_pages_status(
    tmp_path: Path, clock
) -> None:
    """Batch 30: 决定对《X》（…）作如下修订并重新发布，自…起施行 revises X, the notice in force that
    day; a title with a space before its 《 (…关于修改 《X》的通知) is the decision's; the reissued
    text's labelled provisions (（三）适用范围。本细则适用于…法律法规…保留…) are not headings that
    name a kind; a page's 状态 label (失效) is its document's status, and 自印发之日起实行 its day in
    force."""
    (tmp_path / "revised").mkdir()
    registry, report = _imported(tmp_path / "revised", clock, _shanghai_page(
        "关于修订《甲市乙规划管理规定》的通知", "沪甲规〔2025〕4号", "甲市甲局", "2025-04-30",
        "各区甲局:\n\n经研究，决定对《甲市乙规划管理规定》（沪丙规〔2015〕303号）作如下修订并重新发布，"
        "自2025年5月1日起施行，有效期至2030年4月30日，请遵照执行。\n\n1.将第四条中的“丙”修改为“丁”。\n\n"
        "2.删除第十六条（施行日期）。\n\n特此通知。\n\n甲市甲局\n\n2025年4月30日\n\n甲市乙规划管理规定\n\n"
        "第一条（目的、依据）\n\n为了规范乙，制定本规定。\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number, registry.decisions(doc.id)[-1].outcome) == (
            "甲市乙规划管理规定", "沪丙规〔2015〕303号", Outcome.REVISE,
        )  # fmt: skip
    (decided,) = report.decided_by.values()
    assert (decided["title"], decided["effective"]) == (
        "关于修订《甲市乙规划管理规定》的通知",
        "2025-05-01",
    )
    (tmp_path / "spaced").mkdir()
    registry, report = _imported(tmp_path / "spaced", clock, _shanghai_page(
        "甲市戊局、甲市甲局关于修改 《甲市己实施细则》的通知", "沪戊规〔2021〕176号", "甲市戊局", "2021-05-17",
        "各有关单位：\n\n现决定对《甲市己实施细则》作如下修改：\n\n将第一条中的“庚”修改为“辛”。\n\n"
        "现将修改后的文件重新印发，自印发之日起施行。\n\n甲市戊局\n\n甲市甲局\n\n2021年5月17日\n\n甲市己实施细则\n\n"
        "一、指导思想和适用范围\n\n（三）适用范围。本细则适用于按照《甲市壬条例》等法律法规确定的保护保留对象的保护管理工作。\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.kind, registry.decisions(doc.id)[-1].outcome) == (
            Kind.NORMATIVE,
            Outcome.REVISE,
        )
    (decided,) = report.decided_by.values()
    assert decided["title"] == "甲市戊局、甲市甲局关于修改《甲市己实施细则》的通知"
    (tmp_path / "invalid").mkdir()
    registry, _ = _imported(tmp_path / "invalid", clock, _shanghai_page(
        "关于印发《甲区癸实施办法（试行）》的通知", "甲癸〔2024〕2号", "甲区癸局", "2024-09-10",
        "各街道办事处:\n\n现将《甲区癸实施办法（试行）》印发给你们，请认真按照执行。\n\n甲区癸局\n\n2024年9月10日\n\n"
        "甲区癸实施办法（试行）\n\n第一条 为推进癸，制定本办法。\n\n第十一条 本实施办法自印发之日起实行，有效期至2026年9月9日。\n",
        status="失效"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (str(doc.effective_on), registry.status_on(doc.id)) == ("2024-09-10", Status.INVALID)


def test_an_organ_extending_without_guanyu_a_partial_revision_and_a_standards_approval(
    tmp_path: Path, clock
) -> None:
    """Batch 31: a title of an organ acting on a document without 关于 (甲局延长《X》有效期的通知) is
    the decision's; 对《X》（…）部分内容作如下修改 opens a revision; a day and the verb alone (本规定自
    2024年12月15日施行) is the day in force, and a title's 自愿…实施 is no day at all; a notice
    approving a technical standard's revision (关于批准《X标准》局部修订的通知) is 其他文件."""

    def imported(name: str, text: str):  # type: ignore[no-untyped-def]
        (tmp_path / name).mkdir()
        return _imported(tmp_path / name, clock, text)

    registry, report = imported("extended", _shanghai_page(
        "甲区乙局延长《甲区丙管理办法》有效期的通知", "甲乙规〔2025〕1号", "甲市甲区乙局", "2025-05-20",
        "各有关单位：\n\n经评估，《甲区丙管理办法》（甲乙规〔2021〕1号）需继续实施，有效期延长至2026年12月31日。\n\n"
        "特此通知。\n\n甲市甲区乙局\n\n2025年5月20日\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, registry.decisions(doc.id)[-1].outcome) == (
            "甲区丙管理办法",
            Outcome.KEEP,
        )
    (decided,) = report.decided_by.values()
    assert decided["title"] == "甲区乙局延长《甲区丙管理办法》有效期的通知"
    registry, report = imported("partial", _shanghai_page(
        "关于修改《丁镇戊实施细则》的通知", "丁府规〔2025〕1号", "甲区丁镇人民政府", "2025-02-14",
        "各村居委：\n\n经研究，现决定对《丁镇戊实施细则》(丁府规〔2023〕4号)部分内容作如下修改：\n\n"
        "一、将第十七条中的“己”修改为“庚”。\n\n本文件自2025年3月17日起实施，有效期至2027年12月31日。\n\n"
        "甲区丁镇人民政府\n\n2025年1月26日\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.doc_number, registry.decisions(doc.id)[-1].outcome) == (
            "丁府规〔2023〕4号", Outcome.REVISE,
        )  # fmt: skip
    (decided,) = report.decided_by.values()
    assert decided["effective"] == "2025-03-17"
    registry, _ = imported("rules", _shanghai_page(
        "甲市灵活就业人员自愿缴存、提取和使用辛实施办法", "甲辛管委会〔2025〕1号", "甲市辛管理委员会", "2025-04-14",
        "第一条 为支持灵活就业人员缴存辛，制订本办法。\n\n第二十六条 本办法自2025年6月1日施行，有效期五年。\n\n"
        "甲市辛管理委员会\n\n二○二五年四月十日\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert str(doc.effective_on) == "2025-06-01"
    registry, _ = imported("standard", _shanghai_page(
        "甲市壬委员会关于批准《公共建筑节能设计标准》局部修订的通知", "甲建标定〔2024〕285号", "甲市壬委员会",
        "2024-09-26", "各有关单位：\n\n经审核，现批准《公共建筑节能设计标准》（DG/TJ08-107-2015）局部修订的条文，"
        "自2024年9月1日起实施。经此次修改的原条文同时废止。\n\n特此通知。\n\n2024年6月11日\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert doc.kind is Kind.OTHER


def test_a_notice_kept_after_review_annex_forms_and_what_binds_no_one(
    tmp_path: Path, clock
) -> None:
    """Batch 32: 《…关于印发〈X〉的通知》（…）经评估继续有效 keeps that notice (the review's words between
    its record and 继续有效); numbered names under 附件： alone on its line (1、《…申报表》) are the
    annexes, not documents decided, and the notice is the page's document; a plan issued
    (印发《…规划》), flags awarded (授旗), a list announced (关于公布…机构的通知) and a design
    atlas approved as a standard design are 其他文件."""

    def imported(name: str, text: str):  # type: ignore[no-untyped-def]
        (tmp_path / name).mkdir()
        return _imported(tmp_path / name, clock, text)

    title = "甲市人民政府关于《甲市人民政府关于印发〈甲市乙暂行办法〉的通知》继续有效的通知"
    registry, report = imported("kept", _shanghai_page(title, "甲府规〔2018〕23号", "甲市人民政府", "2018-12-05",
        "各区人民政府：\n\n《甲市人民政府关于印发〈甲市乙暂行办法〉的通知》（甲府发〔2011〕3号）经评估继续有效，请继续按照执行。\n\n"
        "甲市人民政府\n\n2018年11月28日\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.doc_number, doc.issuer, registry.decisions(doc.id)[-1].outcome) == (
            "甲府发〔2011〕3号", "甲市人民政府", Outcome.KEEP,
        )  # fmt: skip
    (decided,) = report.decided_by.values()
    assert decided["title"] == title
    registry, _ = imported("forms", _shanghai_page(
        "甲市丙委员会关于丁有关问题的通知", "甲建房管〔2016〕567号", "甲市丙委员会", "2016-07-20",
        "各有关单位：\n\n现就丁有关问题通知如下：\n\n一、房地产企业应当履行书面告知义务。\n\n特此通知。\n\n附件：\n\n"
        "1、《购房人家庭成员及名下住房情况申报表》\n\n2、《房屋交易审核情况通知书》\n\n二○一六年七月二十日\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.title, doc.doc_number) == (
            "甲市丙委员会关于丁有关问题的通知",
            "甲建房管〔2016〕567号",
        )
    for name, notice in (
        ("plan", "甲市人民政府办公厅关于印发《甲市住房发展“十四五”规划》的通知"),
        ("flags", "甲市丙委员会关于向甲公司等六支应急抢险队伍授旗的通知"),
        ("list", "甲市丙委员会关于公布甲市超低能耗建筑项目第三方测评机构的通知"),
        ("atlas", "甲市丙委员会关于批准《光纤到户工程设计安装图集》为甲市建筑标准设计的通知"),
    ):
        registry, _ = imported(name, _shanghai_page(notice, "甲建〔2021〕792号", "甲市丙委员会", "2021-12-02",
                                                    "各有关单位：\n\n特此通知。\n\n2021年12月2日\n"))  # fmt: skip
        with registry:
            (doc,) = registry.instruments()
            assert doc.kind is Kind.OTHER, notice


def test_what_a_pdf_of_a_markdown_page_breaks() -> None:
    """The corpus printed to PDF (batches 30 to 32): the lines the typesetter broke are joined
    again where a title's last words (…管理办法》 / 的通知) or a title's record (…印发的《X》 /
    （沪发改规范﹝2020﹞3号）需继续实施) went down a line, but never a front matter's closing rule
    (---) onto a web address, nor a page's label (文号: …) onto the line above it."""
    from regclean.ingest.pdf import unwrapped

    full = "甲" * 40  # a line set to the right margin: 80 cells wide, from 0 to 400
    page = [
        ("标题: 甲市乙委员会关于印发《甲市丙管理办法》", 0.0, 400.0),
        ("的通知", 0.0, 30.0),
        ("文号: 甲建规范〔2026〕2号", 0.0, 100.0),
        ("官方链接: https://example.gov.cn/zhengce/detail/0025::5709c641", 0.0, 400.0),
        ("0ea", 0.0, 15.0),
        ("---", 0.0, 15.0),
        ("经评估，2020年3月甲委员会印发的《甲市丁管理办法》", 0.0, 395.0),
        ("（甲发改规范﹝2020﹞3号）需继续实施，有效期延长至2030年4月30日。", 0.0, 300.0),
        (full, 0.0, 400.0),
        ("文号: 甲〔2026〕3号", 0.0, 80.0),
    ]
    assert unwrapped(page) == [
        "标题: 甲市乙委员会关于印发《甲市丙管理办法》的通知",
        "文号: 甲建规范〔2026〕2号",
        "官方链接: https://example.gov.cn/zhengce/detail/0025::5709c6410ea",
        "---",
        "经评估，2020年3月甲委员会印发的《甲市丁管理办法》（甲发改规范﹝2020﹞3号）需继续实施，有效期延长至2030年4月30日。",
        full,
        "文号: 甲〔2026〕3号",
    ]


def test_a_congress_decision_enacting_provisions_and_a_revision_reprinting_its_document(
    tmp_path: Path, clock
) -> None:
    """Batch 33: a standing committee's 决定 that enacts provisions (关于加强甲市乙管理的决定, adopted
    from the government's 《…（草案）》 it names, 本决定自…起施行) is a 地方性法规 of its own, adopted
    and in force on the days it states; its provision naming another text (六、《X》等…与本决定不一致
    的，按照本决定执行) cites it. A revision decision whose annex reprints the document revised
    (修改后的《X》, its line of record 2005年11月17日甲公发〔2005〕423号文发布，根据…修改) gives that
    document its number and day, and the decision keeps the number its page labels."""
    doc = _the_document(tmp_path / "enacts", clock,
        "# 甲市人民代表大会常务委员会关于加强甲市乙管线管理的决定\n\n- **时效性**：有效\n\n---\n\n"
        "甲市人民代表大会常务委员会\n关于加强甲市乙管线管理的决定\n\n"
        "（2000年7月13日甲市第十一届人民代表大会常务委员会第二十次会议通过）\n\n"
        "为了规范乙管线的管理，甲市第十一届人民代表大会常务委员会第二十次会议审议了市人民政府提出的"
        "《关于加强甲市乙管线管理的决定（草案）》的议案，特作如下决定：\n"
        "一、本市对乙管线实行统一规划、统一建设和统一管理。\n"
        "二、《甲市保护和发展邮电通信规定》等本市地方性法规的有关条款与本决定不一致的，按照本决定执行。\n"
        "三、本决定自2000年8月1日起施行。\n")  # fmt: skip
    assert (doc.title, doc.kind, doc.issuer) == (
        "甲市人民代表大会常务委员会关于加强甲市乙管线管理的决定",
        Kind.LOCAL_REGULATION,
        "甲市人民代表大会常务委员会",
    )
    assert (str(doc.published_on or doc.signed_on), str(doc.effective_on)) == (
        "2000-07-13",
        "2000-08-01",
    )
    title = "甲市公安局关于修改《甲市公安局丙通行证发放和管理规定》的决定"
    (tmp_path / "revised").mkdir()
    registry, report = _imported(tmp_path / "revised", clock, _shanghai_page(
        title, "甲公行规〔2025〕4号", "甲市公安局", "2025-04-17",
        "各分局：\n\n现决定对《甲市公安局丙通行证发放和管理规定》作如下修改：\n\n"
        "将本规定中的“市局交警总队”修改为“市局交通管理部门”。\n\n本决定自2025年4月28日起施行。\n\n"
        "附件：修改后的《甲市公安局丙通行证发放和管理规定》\n\n甲市公安局\n\n2025年4月16日\n\n附件\n\n"
        "甲市公安局丙通行证发放和管理规定\n\n"
        "2005年11月17日甲公发〔2005〕423号文发布，根据2015年5月1日《甲市公安局关于修改〈甲市丁规范〉等13件行政规范性"
        "文件的通知》（甲公通字〔2015〕2号）修改，根据《甲市公安局关于修改〈甲市公安局丙通行证发放和"
        "管理规定〉的决定》（甲公行规〔2025〕4号）修改后重新发布。\n\n第一条　为规范丙通行证办理工作，制定本规定。\n"))  # fmt: skip
    with registry:
        (doc,) = registry.instruments()
        assert (doc.doc_number, str(doc.published_on)) == ("甲公发〔2005〕423号", "2005-11-17")
        assert registry.decisions(doc.id)[-1].outcome is Outcome.REVISE
    (decided,) = report.decided_by.values()
    assert (decided["title"], decided["number"]) == (title, "甲公行规〔2025〕4号")


def test_a_reply_granting_a_request_and_work_programmes_issued_or_relayed_are_other() -> None:
    """Batch 33: what 国办发〔2018〕37号 leaves out of 行政规范性文件 by its nature, whatever number it
    bears: a reply granting what one organ asked (关于同意…的通知), and a year's work points or a
    campaign's work plan, issued or relayed through a chain of notices; a 实施方案 or rules issued
    stay normative."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    number = DocNumber.parse("甲府办〔2024〕10号")
    for title in (
        "甲市人民政府办公厅关于同意《甲市处置桥梁隧道运行事故应急预案》的通知",
        "甲市乙局关于转发《甲市丙委员会关于印发甲市燃气安全整治“百日行动”工作方案的通知》的通知",
        "甲市人民政府办公厅关于印发〈甲市2016年政务公开工作要点〉的通知",
        "甲市人民政府办公厅关于开展城镇小区配套幼儿园治理工作的通知",  # batch 35: a campaign
    ):
        assert infer_kind(number, "甲市人民政府办公厅", title) is Kind.OTHER, title
    for title in (
        "甲市人民政府办公厅关于印发《甲市乙专项整治实施方案》的通知",
        "甲市乙局关于印发《甲市丙管理办法》的通知",
    ):
        assert infer_kind(number, "甲市人民政府办公厅", title) is Kind.NORMATIVE, title


def test_a_commissions_result_notice_numbered_items_each_naming_one_and_a_count(
    tmp_path: Path, clock
) -> None:
    """Batch 34: a result notice whose numbered items each name one document with its number and
    count the rest (1、对《X》（…号）等5件文件(见附件1)予以废止，不再继续施行；): each named document
    is decided with its number (a year in （） too) and its issuer (甲局<关于…的意见>: the organ
    before the marks); 不再继续施行 beside 废止 ends its force, 延长有效期 keeps it, 经评估 before
    the verb prefaces a result, and the counts of two items of one list with the same outcome
    (延长有效期6件, 继续实施39件) are summed."""
    registry, report = _imported(tmp_path, clock, _shanghai_page(
        "关于公布部分规范性文件清理结果的通知", "甲建法规〔2016〕664号", "甲市乙委员会", "2016-08-17",
        "各有关单位：\n\n我委对部分规范性文件进行了清理，现就清理结果通知如下：\n\n"
        "1、对《甲市丙委员会关于发布<甲市丁若干规定>的通知》（甲建交〔2011〕497号）等5件文件(见附件1)予以废止，不再继续施行；\n\n"
        "2、对《甲市戊局关于印发<甲市己实施意见（试行）>的通知》（甲房地资廉（2001）280号）等2件规范性文件（见附件2）宣布失效;\n\n"
        "3、对《甲市庚局<关于贯彻执行甲市辛实施细则若干具体问题的意见>》（甲房管规范征〔2012〕9号）等6件文件（见附件3）延长有效期，有效期至2021年6月30日；\n\n"
        "4、对《甲市丙委员会关于发布<甲市壬管理规定>的通知》（甲建交〔2011〕511号）等39件文件（见附件4）经评估需继续实施，现予重新发布，有效期自2016年8月8日起，至2021年6月30日止。\n\n"
        "附件：1、废止的委规范性文件；\n\n2、宣布失效的委规范性文件；\n\n3、延长有效期的委规范性文件；\n\n4、重新发布的委规范性文件。\n\n"
        "二○一六年八月十七日\n"))  # fmt: skip
    with registry:
        read = {
            d.doc_number: (registry.decisions(d.id)[-1].outcome, d.issuer)
            for d in registry.instruments()
        }
    assert read == {
        "甲建交〔2011〕497号": (Outcome.REPEAL, "甲市丙委员会"),
        "甲房地资廉（2001）280号": (Outcome.INVALIDATE, "甲市戊局"),
        "甲房管规范征〔2012〕9号": (Outcome.KEEP, "甲市庚局"),
        "甲建交〔2011〕511号": (Outcome.KEEP, "甲市丙委员会"),
    }
    (stated,) = report.stated_counts.values()
    assert stated == {"repeal": 5, "invalidate": 2, "keep": 45}


def test_short_signatures_a_validity_span_and_a_normative_series(tmp_path: Path, clock) -> None:
    """Batch 34: organs that sign a joint notice by level and short name (市住房城乡建设管理委 /
    市交通委 / 市人力资源社会保障局) are its issuers in full, the place taken from the page's own
    full name; a text's own validity given as a span (本办法…有效期为2023年1月1日至…) puts it in force
    on the span's first day; a number of the normative documents' series (甲建规范联) is a normative
    document's, though a party office signs with it, where a department's 规划 is no such type."""
    doc = _the_document(tmp_path / "joint", clock, _shanghai_page(
        "关于印发《甲市二级造价工程师职业资格管理办法》的通知", "甲住建规范联〔2020〕1号", "甲市住房和城乡建设管理委员会", "2020-11",
        "各有关单位：\n\n现将《甲市二级造价工程师职业资格管理办法》印发给你们，请遵照执行。\n\n"
        "市住房城乡建设管理委\n\n市交通委\n\n市水务局\n\n市人力资源社会保障局\n\n二○二○年一月六日\n\n"
        "甲市二级造价工程师职业资格管理办法\n\n第一条 为做好本市二级造价工程师职业资格的实施管理工作，制定本办法。\n\n"
        "第二条 本办法由市住房城乡建设管理委负责解释，有效期为2020年3月1日至2025年2月28日。\n"))  # fmt: skip
    assert doc.issuer == (
        "甲市住房和城乡建设管理委员会、甲市交通委员会、甲市水务局、甲市人力资源和社会保障局"
    )
    assert str(doc.effective_on) == "2020-03-01"
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    joint = "甲市住房和城乡建设管理委员会、中共甲市委金融委员会办公室"
    title = "关于印发《甲市住宅工程质量潜在缺陷保险实施细则》的通知"
    assert infer_kind(DocNumber.parse("甲建规范联〔2025〕2号"), joint, title) is Kind.NORMATIVE
    assert infer_kind(DocNumber.parse("甲规划资源〔2024〕2号"), joint, title) is Kind.OTHER


def test_a_regulations_title_broken_before_a_conjunction(tmp_path: Path, clock) -> None:
    """Batch 36: a title the national database breaks over two lines before 和 (甲市历史文化风貌区 /
    和优秀历史建筑保护条例) is one title: no title opens with 和, 及, 与, 暨 or 的, so such a line
    goes on from the one above."""
    doc = _the_document(tmp_path / "two-lines", clock,
        "甲市历史文化风貌区\n和优秀历史建筑保护条例\n\n"
        "（2002年7月25日甲市第十一届人民代表大会常务委员会第四十一次会议通过）\n\n"
        "第一章　总则\n\n第一条　为了加强对本市历史文化风貌区和优秀历史建筑的保护，制定本条例。\n")  # fmt: skip
    assert (doc.title, doc.kind, str(doc.published_on or doc.signed_on)) == (
        "甲市历史文化风貌区和优秀历史建筑保护条例",
        Kind.LOCAL_REGULATION,
        "2002-07-25",
    )


def test_a_corps_extended_a_pages_dashes_a_fuller_signature_and_an_annex_list(
    tmp_path: Path, clock
) -> None:
    """Batch 37: a notice extending a rescue corps' notice (甲市消防救援总队关于…的通知) names the
    corps as its issuer, a corps (总队, 支队) being an organ; a page's 文号: - and 发布日期: - say it
    has none, so the body's number and day stand and its 状态 失效 is kept; a signature naming the
    title's organ in full (甲市乙区人民政府办公室 under 乙区人民政府办公室关于…) is the issuer; and under
    附件：1.《A》 the next line 2.《B》 names the second annex, not an item the notice decides on."""

    def one(name: str, text: str):  # type: ignore[no-untyped-def]
        (tmp_path / name).mkdir()
        registry, report = _imported(tmp_path / name, clock, text)
        with registry:
            docs = list(registry.instruments())
            decided = {d.id: (registry.decisions(d.id), registry.status_on(d.id)) for d in docs}
            return docs, decided, report

    extended = "甲市消防救援总队关于本市公众聚集场所消防安全检查实行告知承诺管理的通知"
    docs, decisions, _ = one("corps", _shanghai_page(
        f"甲市消防救援局关于延长《{extended}》有效期的通知", "甲消规〔2026〕2号", "甲市消防救援总队", "2026-06-29",
        f"各有关单位：\n\n经评估，《{extended}》（甲消规〔2021〕3号）需继续实施，有效期延长至2027年6月30日。\n\n"
        "特此通知。\n\n甲市消防救援局\n\n2026年6月29日\n"))  # fmt: skip
    (doc,) = docs
    assert (doc.title, doc.issuer, decisions[doc.id][0][-1].outcome) == (
        extended, "甲市消防救援总队", Outcome.KEEP,
    )  # fmt: skip

    title = "甲市乙区人民政府办公室关于印发《乙区消防安全责任制实施细则》的通知"
    docs, decisions, _ = one("dashes", _shanghai_page(
        title, "-", "甲市乙区人民政府办公室", "-",
        "乙府办发〔2020〕19号\n\n甲市乙区人民政府办公室\n\n关于印发《乙区消防安全责任制实施细则》的通知\n\n"
        "区政府各委、办、局，各街道:\n\n经区政府同意，现将《乙区消防安全责任制实施细则》印发给你们，请认真按照执行。\n\n"
        "2020年9月29日\n\n乙区消防安全责任制实施细则\n", status="失效"))  # fmt: skip
    (doc,) = docs
    assert (doc.doc_number, str(doc.published_on or doc.signed_on), decisions[doc.id][1]) == (
        "乙府办发〔2020〕19号", "2020-09-29", Status.INVALID,
    )  # fmt: skip
    from regclean.ingest.published import page_metadata

    dashes = page_metadata(
        ["文号: -", "发布单位: 甲市甲局", "发布日期: —", "成文日期: /", "状态: 有效"]
    )
    assert dashes.values == {"issuer": "甲市甲局", "status": "有效"}  # a dash is no value

    doc = _the_document(tmp_path / "signature", clock, _shanghai_page(
        "乙区人民政府办公室关于印发《乙区地下空间安全使用监督检查管理规定》的通知", "乙府办规〔2025〕7号",
        "甲市乙区人民政府办公室", "2025-12-31",
        "区政府各委、办、局，各街道办事处：\n\n《乙区地下空间安全使用监督检查管理规定》已经区政府同意，现印发给你们，"
        "请认真按照执行。\n\n特此通知。\n\n甲市乙区人民政府办公室\n\n2025年12月31日\n"))  # fmt: skip
    assert doc.issuer == "甲市乙区人民政府办公室"

    docs, decisions, report = one("annexes", _shanghai_page(
        "关于全面贯彻落实《中小学校消防安全十项规定》的通知", "乙教〔2024〕105号", "甲市乙区教育局", "2024-12-20",
        "各中小学校：\n\n现将《中小学校消防安全十项规定》《防范电动自行车棚火灾事故七项措施》印发给你们，请认真贯彻落实。\n\n"
        "附件：1.《中小学校消防安全十项规定》\n2.《防范电动自行车棚火灾事故七项措施》\n\n"
        "甲市乙区教育局    甲市乙区消防救援支队\n\n2024年12月20日\n"))  # fmt: skip
    (doc,) = docs
    assert (doc.title, doc.doc_number, report.decided_by) == (
        "关于全面贯彻落实《中小学校消防安全十项规定》的通知", "乙教〔2024〕105号", {},
    )  # fmt: skip


def test_plans_issued_or_relayed_signers_spelled_out_by_the_text_and_bold_labels(
    tmp_path: Path, clock
) -> None:
    """Batch 38: a plan issued or relayed (转发…《…行动方案（2023-2025年）》, 印发…“十四五”规划 without
    book marks, 年度实施计划) arranges organs' work and is 其他文件, unless numbered in the
    normative documents' series; a short signer (市文旅局) is the organ the text itself names in full
    (甲市文化和旅游局等部门联合制定); a database page's bold labels (- **施行日期**：…) are read."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    office = "甲市乙区人民政府办公室"
    for title, number, kind in [
        (f"{office}关于转发区建设管理委《乙区城市更新行动方案（2023-2025年）》的通知", "乙府办发〔2023〕13号", Kind.OTHER),
        (f"{office}关于印发乙区历史风貌保护和利用“十四五”规划的通知", "乙府办发〔2021〕28号", Kind.OTHER),
        (f"{office}关于转发区建设管理委制订的《乙区城市更新2025年度实施计划》的通知", "乙府办〔2025〕31号", Kind.OTHER),
        (f"{office}关于印发《乙区城市更新行动方案》的通知", "乙府办规〔2025〕3号", Kind.NORMATIVE),
        (f"{office}关于印发《乙区规划管理办法》的通知", "乙府办发〔2025〕4号", Kind.NORMATIVE),
    ]:  # fmt: skip
        assert infer_kind(DocNumber.parse(number), office, title) is kind, title

    doc = _the_document(tmp_path / "spelled", clock, _shanghai_page(
        "关于印发《甲市历史文化名镇申报办法》（试行）的通知", "甲建村镇联〔2026〕204号", "甲市住房和城乡建设管理委员会", "2026-08-07",
        "各区建设管理委：\n\n为规范历史文化名镇的申报工作，甲市住房和城乡建设管理委员会、甲市规划和自然资源局、"
        "甲市文化和旅游局等部门联合制定了《甲市历史文化名镇申报办法》（试行），现印发给你们，请遵照执行。\n\n"
        "市住房城乡建设管理委\n\n市规划资源局\n\n市文旅局\n\n2026年7月28日\n"))  # fmt: skip
    assert doc.issuer == "甲市住房和城乡建设管理委员会、甲市规划和自然资源局、甲市文化和旅游局"

    doc = _the_document(tmp_path / "bold", clock,
        "# 甲市历史风貌区保护条例\n\n- **公布日期**：2023-12-28\n- **施行日期**：2023-12-28\n"
        "- **时效性**：有效\n- **制定机关**：甲市人民代表大会常务委员会\n\n---\n\n甲市历史风貌区保护条例\n\n"
        "（2002年7月25日甲市第十一届人民代表大会常务委员会第四十一次会议通过）\n\n"
        "第一条　为了加强对本市历史风貌区的保护，制定本条例。\n")  # fmt: skip
    assert (doc.kind, str(doc.effective_on)) == (Kind.LOCAL_REGULATION, "2023-12-28")


def test_programmes_published_guidelines_released_lists_and_what_a_document_replaces(
    tmp_path: Path, clock
) -> None:
    """Batch 39: a programme published (公布《…工作方案》), a campaign notice relayed (转发《关于开展
    …工作的通知》的通知), a technical guideline or method released (发布《…导则》) and a list of
    projects announced (关于公布…目录的通知) are 其他文件; a title's short organ (甲市发展改革委) is
    the signature's full name; and a document issuing its successor repeals the one it says it
    replaces (《X》（…号）同时废止), that one's maker read from the sentence or left to its number."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    organ = "甲市发展和改革委员会"
    for title in [
        f"{organ}关于公布《甲市2024年度海上光伏项目竞争配置工作方案》的通知",
        "关于转发《关于开展全国可再生能源供暖典型案例汇编（2023）工作的通知》的通知",
        "关于发布《甲市绿色生态城区规划建设导则》的通知",
        "甲市生态环境局关于发布《甲市碳普惠减排项目方法学 分布式光伏发电》等六个碳普惠方法学的通知",
        "甲市发展改革委关于公布2023年第一批可再生能源专项资金目录的通知",
    ]:
        assert infer_kind(DocNumber.parse("甲发改能源〔2024〕8号"), organ, title) is Kind.OTHER, (
            title
        )
    assert infer_kind(DocNumber.parse("甲发改规范〔2022〕14号"), organ, "关于印发《甲市专项资金扶持办法》的通知") is Kind.NORMATIVE  # fmt: skip

    doc = _the_document(tmp_path / "short-title", clock, _shanghai_page(
        "甲市发展改革委关于公布2023年第一批可再生能源专项资金目录的通知", "甲发改能源〔2023〕170号", organ, "2023-06-28",
        "各有关单位：\n\n现将2023年第一批专项资金奖励目录通知如下。\n\n特此通知。\n\n附件：\n\n1.奖励项目表\n\n"
        f"{organ}\n\n2023年6月27日\n"))  # fmt: skip
    assert (doc.issuer, doc.kind) == (organ, Kind.OTHER)

    (tmp_path / "replaces").mkdir()
    registry, report = _imported(tmp_path / "replaces", clock, _shanghai_page(
        "甲市乙区水务局关于印发《乙区水资源调度实施细则（试行）》的通知", "甲乙水务〔2024〕74号", "甲市乙区水务局", "2024-04-24",
        "各所：\n\n现将《乙区水资源调度实施细则（试行）》予以印发，请遵照执行。\n\n甲市乙区水务局\n\n2024年4月24日\n\n"
        "乙区水资源调度实施细则（试行）\n\n第一条 为规范本区水资源调度，制定本细则。\n\n"
        "第二十条 本细则自发布之日起实行，区水务局印发的《乙区水资源调度实施细则》(甲乙水务〔2023〕77号)同时废止。"
        "《甲市防汛工作规定》（甲建法规联〔2016〕735号）同时废止。"
        "甲市建设和交通委员会印发的《甲市排水管理规定》（甲建交〔2015〕5号）同时废止。\n"))  # fmt: skip
    with registry:
        found = {d.title: d for d in registry.instruments()}
        old, other = found["乙区水资源调度实施细则"], found["甲市防汛工作规定"]
        assert (old.doc_number, old.issuer, old.kind) == ("甲乙水务〔2023〕77号", "甲市乙区水务局", Kind.NORMATIVE)  # fmt: skip
        assert registry.decisions(old.id)[-1].outcome is Outcome.REPEAL
        assert registry.status_on(old.id) is Status.REPEALED
        assert other.issuer == ""  # another organ's code: its maker is not said
        assert found["甲市排水管理规定"].issuer == "甲市建设和交通委员会"  # the sentence says
        assert any("replaced by the document the page issues" in note for note in report.notes)
        new = found["甲市乙区水务局关于印发《乙区水资源调度实施细则（试行）》的通知"]
        assert registry.status_on(new.id) is Status.IN_FORCE and not registry.decisions(new.id)


def test_campaign_plans_a_relays_own_signature_and_a_record_over_a_posting_day(
    tmp_path: Path, clock
) -> None:
    """Batch 40: a campaign's 行动实施方案 or a year's 行动指南 issued is 其他文件; a notice relaying a
    document that follows it, signed at its own end, is dated by its own signature (the one before
    the relayed text), not by the relayed text's; and a regulation's line of record (…国务院令第656号
    公布) dates it, not the day a bureau's site posted it years later."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    organ = "甲市乙区人民政府"
    for title in [
        f"{organ}关于印发乙区2020年违法用地综合整治行动实施方案的通知",
        "关于印发《2026年甲市“15分钟社区生活圈”实施行动指南》的通知",
    ]:
        assert infer_kind(DocNumber.parse("甲乙府发〔2020〕10号"), organ, title) is Kind.OTHER, (
            title
        )

    doc = _the_document(tmp_path / "relay", clock, _shanghai_page(
        "甲市人民政府办公厅转发市规划资源局《关于本市加强耕地保护的若干意见》的通知", "", "甲市规划和自然资源局", "2025-09-04",
        "甲市人民政府办公厅转发市规划资源局《关于本市加强耕地保护的若干意见》的通知\n甲府办规〔2020〕19号\n"
        "各区人民政府，市政府各委、办、局：\n市规划资源局《关于本市加强耕地保护的若干意见》已经市政府同意，现转发给你们，请认真按照执行。\n"
        "甲市人民政府办公厅\n2020年12月31日\n关于本市加强耕地保护的若干意见\n为加强耕地保护，提出如下意见：\n"
        "一、严格保护耕地。\n本意见自2021年2月1日起施行。\n甲市规划和自然资源局\n2020年12月29日\n"))  # fmt: skip
    assert (doc.issuer, doc.doc_number, str(doc.published_on or doc.signed_on)) == (
        "甲市人民政府办公厅", "甲府办规〔2020〕19号", "2020-12-31",
    )  # fmt: skip

    doc = _the_document(tmp_path / "posted", clock, _shanghai_page(
        "甲登记暂行条例", "", "甲市规划和自然资源局", "2024-12-06",
        "甲登记暂行条例\n(2014年11月24日中华人民共和国国务院令第656号公布　根据2019年3月24日《国务院关于修改部分行政法规的决定》修订)\n"
        "第一章　总则\n第一条　为规范登记行为，制定本条例。\n第三十五条　本条例自2015年3月1日起施行。\n"))  # fmt: skip
    assert (doc.number.key, doc.kind, str(doc.published_on or doc.signed_on)) == (
        DocNumber.parse("国务院令第656号").key, Kind.ADMIN_REGULATION, "2014-11-24",
    )  # fmt: skip


def test_a_call_for_applications_and_a_work_notice_said_further_are_other() -> None:
    """Batch 41: a call for applications (关于组织申报…项目资金的通知) binds whoever answers it only
    by the rules it cites, and a work arrangement said with an adverb (关于进一步做好…工作的通知) is
    one still: both 其他文件, where a notice issuing measures stays normative."""
    from regclean.docnumber import DocNumber
    from regclean.fields import infer_kind

    organ, number = "甲市交通委员会", DocNumber.parse("甲交航〔2022〕707号")
    for title in [
        f"{organ}关于组织申报2022年三季度调整优化航运集疏运结构项目资金的通知",
        f"{organ}关于征集交通领域节能减排新技术的通知",
        f"{organ}关于进一步做好本市交通行业生产安全事故统计工作的通知",
    ]:
        assert infer_kind(number, organ, title) is Kind.OTHER, title
    assert (
        infer_kind(number, organ, f"{organ}关于印发《甲市项目资金管理办法》的通知")
        is Kind.NORMATIVE
    )
