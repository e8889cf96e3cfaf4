"""Thematic cleanups (#23): campaign profiles, problems by class, the screening pass, 件 and 件次.

The measures are real (tests/data/thematic/measures.toml, each with its source); the screening
pass is measured on real clauses (tests/data/screening), and docs/thematic.md states the figures.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from regclean import Registry
from regclean.errors import RegcleanError, StateError, ValidationError
from regclean.profiles import ProfileError, load, shipped
from regclean.screening import places_of, scan

DATA = Path(__file__).parent / "data"
FAIR = "公平竞争2025"


def _measures() -> list[dict]:
    return tomllib.loads((DATA / "thematic" / "measures.toml").read_text("utf-8"))["measure"]


def _clauses(name: str) -> list[dict]:
    return tomllib.loads((DATA / "screening" / f"{name}.toml").read_text("utf-8"))["clause"]


@pytest.fixture
def thematic(tmp_path: Path) -> Registry:
    registry = Registry.init(tmp_path / "reg")
    for m in _measures():
        registry.add_instrument(title=m["title"], doc_number=m.get("doc_number", ""),
                                issuer=m["issuer"], kind=m["kind"], signed_on=m["signed_on"],
                                full_text=m["text"], by="录入员")  # fmt: skip
    registry.create_campaign(FAIR, profile="fair-competition", cutoff="2024-12-31", by="法制科")
    yield registry
    registry.close()


def _id(registry: Registry, title_part: str) -> int:
    return next(i.id for i in registry.instruments() if title_part in i.title)


# -- profiles ---------------------------------------------------------------------------------


def test_shipped_profiles_hold_the_standards_of_the_regulation() -> None:
    profiles = shipped()
    assert {"general", "fair-competition", "enterprise", "fines", "certificates"} <= set(profiles)
    fair = profiles["fair-competition"]
    assert [c.zh for c in fair.classes] == ["市场准入和退出", "商品要素自由流动", "生产经营成本",
                                            "生产经营行为"]  # fmt: skip
    # 第八条至第十一条 of 国务院令第783号: 5 + 6 + 4 + 4 items, the last of each a catch-all;
    # then the 实施办法's articles 9-23 (市场监管总局令第99号), 66 items, "办法" + article + item
    regulation = [[i for i in c.items if not i.number.startswith("办法")] for c in fair.classes]
    measures = [[i for i in c.items if i.number.startswith("办法")] for c in fair.classes]
    assert [len(items) for items in regulation] == [5, 6, 4, 4]
    assert all(items[-1].zh.startswith("其他") for items in regulation)
    assert [len(items) for items in measures] == [19, 23, 13, 11]
    articles = {i.number.removeprefix("办法").split(".")[0] for items in measures for i in items}
    assert articles == {str(n) for n in range(9, 24)}
    assert (
        fair.class_of("办法19.3").code == "cost" and "注册地迁移至本地" in fair.item("办法19.3").zh
    )
    assert fair.item("办法15.3").basis == "《公平竞争审查条例实施办法》第十五条第三项"
    assert len(fair.exceptions) == 4 and fair.kinds[-1].zh == "其他政策措施"
    assert fair.problem_class("生产經營成本").code == "cost"  # traditional characters too
    assert profiles["certificates"].items_of == "证明事项"
    assert not profiles["general"].thematic


def _bad(tmp_path: Path, body: str) -> str:
    path = tmp_path / "bad.toml"
    head = (
        '[profile]\nname = "bad"\nzh = "坏"\n\n[[class]]\ncode = "c"\nzh = "类"\nbasis = "第一条"\n'
    )
    path.write_text(head + body, encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load(path)
    return str(raised.value)


def test_a_bad_profile_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    items = '  [[class.item]]\n  number = "1"\n  zh = "一"\n\n  [[class.item]]\n  number = "1"\n  zh = "二"\n'
    said = _bad(tmp_path, items)
    assert said.startswith(f"{tmp_path / 'bad.toml'}:14:") and "numbered twice" in said
    said = _bad(tmp_path, '  [[class.item]]\n  number = "1"\n  zh = "一"\n\n[[signal]]\nitem = "9"\n'
                'strength = "strong"\nwords = ["x"]\n')  # fmt: skip
    assert ":14:" in said and "'9' is not an item" in said
    said = _bad(tmp_path, '  [[class.item]]\n  number = "1"\n  zh = "一"\n\n[[signal]]\nitem = "1"\n'
                'strength = "strong"\nregex = ".*(a+)+"\n')  # fmt: skip
    assert "unknown key 'regex'" in said and ":16:" in said
    said = _bad(tmp_path, '  [[class.item]]\n  number = "1"\n  zh = "一"\n\n[[signal]]\nitem = "1"\n'
                'strength = "strong"\nnear = ["a", "b", 100000]\n')  # fmt: skip
    assert "at most N characters apart" in said
    signal = '  [[class.item]]\n  number = "1"\n  zh = "一"\n\n[[signal]]\nitem = "1"\nstrength = "strong"\n'
    said = _bad(tmp_path, signal + 'words = ["{本地}"]\n')  # a place alone would match everywhere
    assert "braces only as {本地}, beside literal words" in said
    said = _bad(tmp_path, signal + 'words = ["{.*}企业"]\n')  # no other braces, no pattern
    assert "braces only as {本地}" in said
    said = _bad(tmp_path, signal + f'near = [{[str(n) for n in range(17)]}, "b", 10]\n')
    assert "a list of 1 to 16 words" in said
    path = tmp_path / "basis.toml"
    path.write_text('[profile]\nname = "b"\nzh = "坏"\n\n[[class]]\ncode = "c"\nzh = "类"\n'
                    'basis = "见有关规定"\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(ProfileError, match=r"basis.toml:8: .*names no rule"):
        load(path)


def test_a_registry_adds_its_own_profile(tmp_path: Path) -> None:
    with Registry.init(tmp_path / "reg") as registry:
        own = tmp_path / "reg" / "catalogs" / "profiles"
        own.mkdir(parents=True)
        text = (shipped()["enterprise"].path and Path(shipped()["enterprise"].path)).read_text(
            "utf-8"
        )
        (own / "county.toml").write_text(text.replace('name = "enterprise"', 'name = "county"'),
                                         encoding="utf-8")  # fmt: skip
        assert "county" in registry.profiles()
        registry.create_campaign("涉企2025", profile="county", by="法制科")
        assert registry.profile("涉企2025").name == "county"
        with pytest.raises(ProfileError, match=r"profiles: .*certificates"):
            registry.create_campaign("x", profile="nosuch", by="法制科")


# -- the fair-competition campaign, end to end ----------------------------------------------


def test_a_fair_competition_campaign_runs_end_to_end_on_real_measures(thematic: Registry) -> None:
    registry = thematic
    # 1. scope: the agreement (其他政策措施) is in it with the normative documents
    scope = {i for p in registry.progress(FAIR) for i in p.owed}
    agreement = _id(registry, "特许经营合同书")
    assert agreement in scope and len(scope) == 4
    # 2. screening: the condemned clauses are raised strongly; the kept measure is not
    report = registry.screen(FAIR, by="法制科")
    strong = {(c.instrument_id, c.clause) for c in report.candidates if c.signal == "strong"}
    tourism, survey = _id(registry, "旅游业"), _id(registry, "多测合一")
    kept = _id(registry, "融资担保")
    assert {(tourism, "第一条"), (tourism, "第五条"), (survey, "第十条")} <= strong
    assert {c.signal for c in report.candidates if c.instrument_id == kept} == {"weak"}
    assert report.screened == 4 and report.without_text == ()
    first = next(c for c in report.candidates if (c.instrument_id, c.clause) == (tourism, "第五条"))
    assert first.problem_class == "flow" and "迁出" in first.quote and first.state == "candidate"
    # screening again records nothing twice
    assert registry.screen(FAIR, by="法制科").candidates == ()
    # confirmed and dismissed candidates, each with who (and why)
    for c in report.candidates:
        if c.signal == "strong":
            registry.confirm_problem(
                c.id, by="张审查", propose="废止" if c.instrument_id == survey else None
            )
    proposal = registry.open_decision(survey)
    assert proposal.outcome.value == "repeal" and proposal.campaign == FAIR
    assert proposal.reason_text.startswith("存在商品要素自由流动方面的问题：第十条排斥、限制")
    assert proposal.basis == "《公平竞争审查条例》第九条第二项"
    weak = [c for c in report.candidates if c.signal == "weak"]
    with pytest.raises(ValidationError, match="reason"):
        registry.dismiss_problem(weak[0].id, by="张审查")
    for c in weak:
        registry.dismiss_problem(c.id, by="张审查", reason="对各类经营者一视同仁，不构成差别待遇")
    with pytest.raises(StateError, match="already dismissed"):
        registry.confirm_problem(weak[0].id, by="张审查")
    # a problem the screening could not see, recorded by hand under its item
    registry.record_problem(FAIR, agreement, item="8.2", clause="", note="超范围授予特许经营权",
                            quote="并由乙方（中标企业）配建", by="张审查")  # fmt: skip
    # 3. proposals by class (a confirmed problem becomes one), then 4. approval
    registry.propose(tourism, "修改", reason="限制企业迁出", campaign=FAIR, by="文旅局")
    registry.approve([tourism, survey], by="法制科", decision_doc="某政发〔2025〕1号")
    # 5. statistics in 件 and 件次 with the 涉企 subtotal
    tally = registry.problem_statistics(FAIR)
    pieces = {c.instrument_id for c in registry.problems(FAIR, state="confirmed")}
    times = {(c.instrument_id, c.problem_class) for c in registry.problems(FAIR, state="confirmed")}
    assert (tally.total.pieces, tally.total.times) == (len(pieces), len(times)) == (3, len(times))
    assert tally.total.times > tally.total.pieces  # the tourism rule offends two classes
    assert tally.by_class["entry"].pieces >= 2 and tally.total.enterprise_times == tally.total.times
    assert tally.summary().startswith(f"共发现存在问题的政策措施3件、{len(times)}件次，其中涉企3件")
    assert tally.candidates == 0 and tally.dismissed == len(weak)
    # every step is in the log, and the log replays to the stored state
    assert registry.verify().ok


def test_a_problem_must_fit_the_profile_the_scope_and_the_text(thematic: Registry) -> None:
    registry = thematic
    tourism = _id(registry, "旅游业")
    with pytest.raises(ValidationError, match=r"no item '99\.9'"):
        registry.record_problem(FAIR, tourism, item="99.9", by="张审查")
    with pytest.raises(ValidationError, match="belongs to the class cost"):
        registry.record_problem(FAIR, tourism, "entry", item="10.2", by="张审查")
    with pytest.raises(ValidationError, match="has no 第九条"):
        registry.record_problem(FAIR, tourism, "entry", clause="第九条", by="张审查")
    with pytest.raises(ValidationError, match="quoted words are not in"):
        registry.record_problem(FAIR, tourism, "entry", quote="对外地企业不予补助", by="张审查")
    found = registry.record_problem(FAIR, tourism, "市场准入和退出", clause="第一条",
                                    quote="必须在某区注册", enterprise=False, by="张审查")  # fmt: skip
    assert found.problem_class == "entry" and not found.enterprise and found.state == "confirmed"
    # an item of the 实施办法 gives its class as an item of the 条例 does
    finer = registry.record_problem(FAIR, tourism, item="办法12.2", clause="第一条",
                                    quote="必须在某区注册", by="张审查")  # fmt: skip
    assert (finer.problem_class, finer.item) == ("entry", "办法12.2")
    registry.create_campaign("常规2025", by="法制科")
    with pytest.raises(StateError, match="no problem classes"):
        registry.screen("常规2025", by="法制科")
    registry.campaign_scope(FAIR, [tourism], add=False, by="法制科", reason="另行处理")
    with pytest.raises(StateError, match="not in the scope"):
        registry.record_problem(FAIR, tourism, "entry", by="张审查")


def test_a_measure_kept_as_an_exception_carries_its_period_as_an_expiry(thematic: Registry) -> None:
    registry = thematic
    survey = _id(registry, "多测合一")
    with pytest.raises(ValidationError, match="实施期限"):
        registry.keep_as_exception(FAIR, survey, "public_interest", explanation="无替代方案",
                                   by="自然资源局")  # fmt: skip
    with pytest.raises(ValidationError, match="less harmful"):
        registry.keep_as_exception(FAIR, survey, "public_interest", explanation="",
                                   until="2027-06-30", by="自然资源局")  # fmt: skip
    with pytest.raises(ValidationError, match="allows no exception 'x'"):
        registry.keep_as_exception(FAIR, survey, "x", explanation="无", until="2027-06-30", by="a")
    day = registry.today()
    until = (
        day.replace(year=day.year + 1, month=1, day=31)
        if day.month > 7
        else day.replace(month=12, day=31)
    )
    decision = registry.keep_as_exception(
        FAIR, survey, "为实现节约能源、保护环境、救灾救助等社会公共利益的",
        explanation="灾后重建期间须集中测绘力量，没有对公平竞争影响更小的替代方案",
        until=until.isoformat(), by="自然资源局")  # fmt: skip
    assert decision.outcome.value == "keep" and decision.is_exception
    assert (
        "保留（例外）" in decision.reason_text
        and decision.basis == "《公平竞争审查条例》第十二条第三项"
    )
    # the period is now the measure's expiry, which the expiry findings watch
    assert str(registry.get(survey).expires_on) == until.isoformat()
    due = [f for f in registry.check(FAIR) if f.code.value == "evaluation_due"]
    assert [f.instrument for f in due] == [survey]
    assert registry.problem_statistics(FAIR).exceptions == 1
    registry.create_campaign("常规2026", by="法制科")
    with pytest.raises(StateError, match="no problem classes"):
        registry.keep_as_exception(
            "常规2026", survey, "law", explanation="无", until="2030", by="a"
        )
    assert registry.verify().ok


@pytest.mark.sqlite_only
def test_verify_catches_a_problem_changed_behind_the_log(thematic: Registry) -> None:
    registry = thematic
    report = registry.screen(FAIR, by="法制科")
    registry.dismiss_problem(report.candidates[-1].id, by="张审查", reason="无问题")
    with sqlite3.connect(registry.path / "registry.sqlite") as conn:
        conn.execute("UPDATE concerns SET state = 'confirmed', reason = '' WHERE id = ?",
                     (report.candidates[-1].id,))  # fmt: skip
    said = registry.verify()
    assert not said.ok and f"problem {report.candidates[-1].id}, field state" in said.summary()


# -- the screening pass, measured -------------------------------------------------------------


def _measure() -> dict[str, float]:
    fair = shipped()["fair-competition"]
    offending, kept = _clauses("offending-dev"), _clauses("kept")
    strong = [any(c.strength == "strong" for c in scan(x["text"], fair)) for x in offending]
    raised = [bool(scan(x["text"], fair)) for x in offending]
    false_strong = [any(c.strength == "strong" for c in scan(x["text"], fair)) for x in kept]
    false_any = [bool(scan(x["text"], fair)) for x in kept]
    return {"offending": len(offending), "kept": len(kept), "strong": sum(strong),
            "any": sum(raised), "false_strong": sum(false_strong), "false_any": sum(false_any)}  # fmt: skip


def test_the_held_out_cases_are_found_as_the_docs_say() -> None:
    """The held-out set (gathered after the signals were frozen) was 10 of 30 at first sight;
    docs/thematic.md states that and what the pass finds now, and this holds it to the code."""
    fair = shipped()["fair-competition"]
    held = _clauses("offending-heldout")
    strong = sum(any(c.strength == "strong" for c in scan(x["text"], fair)) for x in held)
    raised = sum(bool(scan(x["text"], fair)) for x in held)
    assert len(held) >= 30 and strong / len(held) >= 0.8
    docs = (Path(__file__).parent.parent / "docs" / "thematic.md").read_text("utf-8")
    stated = re.search(r"held out, after the forms: strong (\d+)/(\d+), any (\d+)/(\d+)", docs)
    assert stated, "docs/thematic.md states the held-out figures"
    assert [int(n) for n in stated.groups()] == [strong, len(held), raised, len(held)]


def test_the_second_held_out_set_is_stated_as_the_pass_finds_it() -> None:
    """The second held-out set was 1 of 17 at first sight; docs/thematic.md states what the
    pass finds now, below the 80% the issue asks and said so, and this holds the figures."""
    fair = shipped()["fair-competition"]
    held = _clauses("offending-heldout2")
    strong = sum(any(c.strength == "strong" for c in scan(x["text"], fair)) for x in held)
    raised = sum(bool(scan(x["text"], fair)) for x in held)
    docs = (Path(__file__).parent.parent / "docs" / "thematic.md").read_text("utf-8")
    stated = re.search(
        r"held out \(second\), after the forms: strong (\d+)/(\d+), any (\d+)/(\d+)", docs
    )
    assert stated, "docs/thematic.md states the second held-out figures"
    assert [int(n) for n in stated.groups()] == [strong, len(held), raised, len(held)]
    for clause in _clauses("kept"):  # and the forms raise no lawful clause strongly
        assert not [c for c in scan(clause["text"], fair) if c.strength == "strong"], clause


def test_a_measure_names_its_own_place_by_its_issuers_name() -> None:
    """{本地} in a signal is any word by which a measure names its place, its issuer's place
    names among them: 婺源县's measure writing 婺源县施工企业 confines tendering to local firms."""
    fair = shipped()["fair-competition"]
    text = "参加摇号的为婺源县施工企业。"
    assert not [c for c in scan(text, fair) if c.strength == "strong"]
    found = scan(text, fair, places_of("江西省婺源县发展和改革委员会"))
    assert [(c.item, c.strength) for c in found] == [("9.3", "strong")]
    assert places_of("扬州市市场监督管理局") == ("扬州市",)
    assert places_of("国务院") == ()


def test_the_screening_pass_finds_what_published_cases_condemn() -> None:
    """Recall of strong signals below 80% is a defect (#23); docs/thematic.md states the
    figures this measures, and must say what the code does."""
    got = _measure()
    assert got["offending"] >= 30 and got["kept"] >= 30
    assert got["strong"] / got["offending"] >= 0.8
    assert got["false_strong"] / got["kept"] <= 0.05
    docs = (Path(__file__).parent.parent / "docs" / "thematic.md").read_text("utf-8")
    stated = re.search(r"now: strong signals (\d+)/(\d+), any signal (\d+)/(\d+); on the kept, "
                       r"strong (\d+)/(\d+), weak or strong (\d+)/(\d+)", docs)  # fmt: skip
    assert stated, "docs/thematic.md states the measured figures"
    assert [int(n) for n in stated.groups()] == [
        got["strong"], got["offending"], got["any"], got["offending"],
        got["false_strong"], got["kept"], got["false_any"], got["kept"]]  # fmt: skip


def test_the_figures_by_class_in_the_docs_are_what_the_pass_does() -> None:
    fair = shipped()["fair-competition"]
    measured = {c.code: [0, 0, 0, 0, 0] for c in fair.classes}
    for clause in _clauses("offending-dev"):
        own = fair.class_of(clause["item"]).code
        strong = [c for c in scan(clause["text"], fair) if c.strength == "strong"]
        measured[own][0] += 1
        measured[own][1] += bool(strong)
        measured[own][2] += any(c.problem_class == own for c in strong)
        for c in strong:
            measured[c.problem_class][3] += 1
            measured[c.problem_class][4] += c.problem_class == own
    for clause in _clauses("kept"):
        for c in scan(clause["text"], fair):
            measured[c.problem_class][3] += c.strength == "strong"
    docs = (Path(__file__).parent.parent / "docs" / "thematic.md").read_text("utf-8")
    for problem_class in fair.classes:
        row = re.search(rf"^\| {problem_class.zh} \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$",
                        docs, re.MULTILINE)  # fmt: skip
        assert row, f"docs/thematic.md has no row for {problem_class.zh}"
        assert [int(n) for n in row.groups()] == measured[problem_class.code], problem_class.zh


def test_screening_names_the_article_and_keeps_the_words() -> None:
    fair = shipped()["fair-competition"]
    text = "第一条　為促進發展，制定本辦法。\n第十二條 對注册地遷入本縣的企業，按對地方財政貢獻給予獎勵。"
    found = scan(text, fair)
    assert [(c.clause, c.item, c.strength) for c in found] == [("第十二条", "10.2", "strong")]
    assert found[0].quote.startswith("對注册地遷入本縣")  # quoted as printed, placed in simplified
    # a text without articles is placed by its paragraphs
    assert scan("总则。\n对外地企业不予补助。", fair)[0].clause == "第2段"


# -- the command line ----------------------------------------------------------------------


def test_the_command_line_runs_a_thematic_campaign(tmp_path: Path) -> None:
    runner = CliRunner()
    reg = ["--registry", str(tmp_path / "reg")]
    m = _measures()[0]
    with Registry.init(tmp_path / "reg") as registry:  # the text comes in by import or the API
        registry.add_instrument(title=m["title"], issuer=m["issuer"], kind="其他政策措施",
                                signed_on="2021-06-01", full_text=m["text"], by="录入员")  # fmt: skip
    made = runner.invoke(app, [*reg, "campaign", "create", FAIR, "--profile", "fair-competition",
                               "--by", "法制科"])  # fmt: skip
    assert made.exit_code == 0 and "妨碍统一市场和公平竞争的政策措施清理" in made.output
    screened = runner.invoke(app, [*reg, "campaign", "screen", FAIR, "--by", "法制科", "--json"])
    assert screened.exit_code == 0, screened.output
    ids = [c["id"] for c in json.loads(screened.output)["candidates"]]
    assert (
        runner.invoke(app, [*reg, "problem", "confirm", *map(str, ids), "--by", "张"]).exit_code
        == 0
    )
    stats = runner.invoke(app, [*reg, "problem", "stats", FAIR, "--json"])
    assert json.loads(stats.output)["total"]["件"] == 1
    refused = runner.invoke(
        app, [*reg, "problem", "dismiss", str(ids[0]), "--by", "张", "--reason", "x"]
    )
    assert refused.exit_code == 1 and "already confirmed" in refused.output
    bad = runner.invoke(app, [*reg, "campaign", "create", "x", "--profile", "nosuch"])
    assert bad.exit_code == 1 and "no campaign profile named 'nosuch'" in bad.output
    assert "Traceback" not in bad.output


def test_profile_errors_are_regclean_errors() -> None:
    assert issubclass(ProfileError, RegcleanError)


# -- items inside a document: a certificates campaign ---------------------------------------

CERTS = "证明事项2025"


@pytest.fixture
def certificates(tmp_path: Path) -> Registry:
    registry = Registry.init(tmp_path / "reg")
    rule = next(m for m in _measures() if m["kind"] == "部门规章")
    registry.add_instrument(title=rule["title"], doc_number=rule["doc_number"],
                            issuer=rule["issuer"], kind=rule["kind"], signed_on=rule["signed_on"],
                            full_text=rule["text"], by="录入员")  # fmt: skip
    registry.create_campaign(CERTS, profile="certificates", by="法制科")
    yield registry
    registry.close()


def test_a_certificates_campaign_decides_items_and_lists_them(
    certificates: Registry, tmp_path: Path
) -> None:
    registry = certificates
    # the screening pass points at the articles that ask for certificates
    report = registry.screen(CERTS, by="法制科")
    assert {c.clause for c in report.candidates} == {"第十二条", "第二十四条"}
    confirmed = registry.confirm_problem(report.candidates[0].id, by="张审查")
    checked = registry.item_from_problem(confirmed.id, "机动车安全技术检验合格证明", by="张审查")
    assert (checked.kind, checked.article) == ("证明事项", "第十二条")
    changed = registry.add_item(CERTS, "公安部令第164号", "相关变更证明", article="第二十四条",
                                text="属于身份证明号码变更的，还应当提交相关变更证明", by="张审查")  # fmt: skip
    sheet = tmp_path / "items.csv"
    sheet.write_text("文号,事项名称,条款,清理结果,理由\n"
                     "公安部令第164号,身份证明,第二十四条,保留,法律规定应当核验身份\n",
                     encoding="utf-8")  # fmt: skip
    (identity,) = registry.import_items(CERTS, sheet, by="张审查")
    assert identity.outcome.zh == "保留" and identity.reason == "法律规定应当核验身份"
    with pytest.raises(ValidationError, match="gives its reason"):
        registry.decide_item(changed.id, "取消", by="法制科")
    with pytest.raises(ValidationError, match="decides an item as 取消"):
        registry.decide_item(changed.id, "调整", by="法制科")
    registry.decide_item(changed.id, "取消", reason="可通过部门间信息共享核验", by="法制科")
    registry.decide_item(checked.id, "保留", basis="《中华人民共和国道路交通安全法》", by="法制科")
    with pytest.raises(StateError, match="already decided"):
        registry.decide_item(checked.id, "取消", reason="x", by="法制科")
    lists = registry.item_lists(CERTS)
    assert [i.name for i in lists["cancel"]] == ["相关变更证明"]
    assert sorted(i.name for i in lists["keep"]) == ["机动车安全技术检验合格证明", "身份证明"]
    assert registry.problem_statistics(CERTS).items == {"cancel": 1, "keep": 2}
    assert registry.verify().ok


def test_a_bad_sheet_of_items_names_its_row_and_records_nothing(
    certificates: Registry, tmp_path: Path
) -> None:
    registry = certificates
    sheet = tmp_path / "items.csv"
    sheet.write_text("文号,事项名称,条款\n公安部令第164号,身份证明,第二十四条\n"
                     "公安部令第999号,户籍证明,第三条\n公安部令第164号,,第十二条\n"
                     "公安部令第164号,完税证明,第九十九条\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        registry.import_items(CERTS, sheet, by="张审查")
    said = str(raised.value)
    assert "items.csv row 3" in said and "items.csv row 4" in said and "needs its name" in said
    assert "items.csv row 5" in said and "no 第九十九条" in said
    assert registry.items(CERTS) == []  # all or none
    (tmp_path / "no-header.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no header row names the document"):
        registry.import_items(CERTS, tmp_path / "no-header.csv", by="张审查")


@pytest.mark.sqlite_only
def test_verify_catches_an_item_changed_behind_the_log(certificates: Registry) -> None:
    registry = certificates
    item = registry.add_item(CERTS, "公安部令第164号", "身份证明", article="第二十四条", by="张")
    registry.decide_item(item.id, "保留", by="法制科")
    with sqlite3.connect(registry.path / "registry.sqlite") as conn:
        conn.execute("UPDATE items SET outcome = 'cancel' WHERE id = ?", (item.id,))
    said = registry.verify()
    assert not said.ok and f"item {item.id}, field outcome" in said.summary()


def test_the_site_shows_a_thematic_campaign_by_class_and_its_lists(
    certificates: Registry, tmp_path: Path
) -> None:
    from lxml import html

    registry = certificates
    report = registry.screen(CERTS, by="法制科")
    confirmed = registry.confirm_problem(report.candidates[0].id, by="张审查")
    item = registry.item_from_problem(confirmed.id, "机动车安全技术检验合格证明", by="张审查")
    registry.decide_item(item.id, "取消", reason="可通过部门间信息共享核验", by="法制科")
    kept = registry.add_item(CERTS, "公安部令第164号", "身份证明", article="第二十四条", by="张")
    registry.decide_item(kept.id, "保留", by="法制科")
    site = tmp_path / "site"
    registry.publish(site)
    campaign_id = registry.campaign(CERTS).id
    page = html.fromstring((site / "campaigns" / f"{campaign_id}.html").read_bytes())
    headings = [h.text_content() for h in page.iter("h2")]
    assert headings == ["问题类别", "取消清单", "保留清单"]
    rows = {r.xpath("string(th)").split()[0]: r.xpath("td/text()")
            for r in page.xpath("//table[@class='classes']/tbody/tr")}  # fmt: skip
    assert rows["无法律法规依据"] == ["1", "1", "0"]  # 证明事项 are not counted as 涉企 here
    cancelled = page.xpath("//table[@class='items']")[0]
    assert cancelled.xpath("string(.//tbody/tr/th)") == "机动车安全技术检验合格证明"
    assert "公安部令第164号" in cancelled.text_content()
    twin = json.loads((site / "campaigns" / f"{campaign_id}.json").read_text("utf-8"))
    assert [i["name"] for i in twin["lists"]["cancel"]] == ["机动车安全技术检验合格证明"]
    assert twin["statistics"]["total"]["件"] == 1
    sheet = (site / "campaigns" / f"{campaign_id}-items.csv").read_text("utf-8-sig").splitlines()
    assert sheet[0].startswith("清单,序号,事项类别,事项名称")
    assert sheet[1].startswith(
        "取消清单,1,证明事项,机动车安全技术检验合格证明,机动车登记规定,公安部令第164号"
    )
    # the English page labels the same classes in English first
    registry.publish(tmp_path / "en", lang="en")
    english = html.fromstring((tmp_path / "en" / "campaigns" / f"{campaign_id}.html").read_bytes())
    assert "no legal basis" in english.xpath("string(//table[@class='classes']/tbody/tr[1]/th)")


# -- the review record and its papers --------------------------------------------------------


def test_the_review_record_and_the_review_form(thematic: Registry, tmp_path: Path) -> None:
    import docx
    import openpyxl

    registry = thematic
    tourism = _id(registry, "旅游业")
    clear = {"entry": False, "flow": False, "cost": False, "conduct": False}
    with pytest.raises(ValidationError) as raised:
        registry.record_review(FAIR, tourism, stage="存量清理", reviewer="张审查",
                               reviewed_on="2025-03-01", findings={"entry": (True, "")},
                               conclusion="可以出台", by="法制科")  # fmt: skip
    said = str(raised.value)
    assert (
        "商品要素自由流动 is missing" in said and "says how" in said and "保留、修改、废止" in said
    )
    with pytest.raises(ValidationError, match="not 保留 unless as an exception"):
        registry.record_review(FAIR, tourism, stage="存量清理", reviewer="张审查",
                               reviewed_on="2025-03-01", conclusion="保留", by="法制科",
                               findings=clear | {"flow": (True, "限制迁出")})  # fmt: skip
    record = registry.record_review(
        FAIR, tourism, stage="存量清理", reviewer="张审查", reviewed_on="2025-03-01",
        findings=clear | {"entry": (True, "以在本区注册为申报条件"),
                          "flow": (True, "承诺五年内不迁出")},
        conclusion="修改", by="法制科")  # fmt: skip
    assert [f.breach for f in record.findings] == [True, True, False, False]
    form = registry.review_form(FAIR, tourism)
    from regclean import papers

    (written,) = papers.write(form, tmp_path / "审查表.docx")
    document = docx.Document(written)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "公平竞争审查表" in [p.text for p in document.paragraphs]
    assert (
        "政策措施名称" in cells
        and "促进经济平稳健康发展的政策措施-转型升级发展旅游业实施细则" in cells
    )
    assert cells[cells.index("市场准入和退出") + 2] == "是"
    assert cells[cells.index("生产经营行为") + 2] == "否"
    assert cells[cells.index("审查结论") + 1] == "修改"
    with pytest.raises(StateError, match="no review record"):
        registry.review_form(FAIR, _id(registry, "多测合一"))
    # the class summary, from confirmed problems
    report = registry.screen(FAIR, by="法制科")
    for c in report.candidates:
        registry.confirm_problem(c.id, by="张审查")
    (sheet,) = papers.write(registry.class_summary(FAIR), tmp_path / "classes.xlsx")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "合计")
    tally = registry.problem_statistics(FAIR)
    assert total[1:] == (tally.total.pieces, tally.total.times, tally.total.enterprise_pieces,
                         tally.total.enterprise_times)  # fmt: skip
    assert registry.verify().ok


def test_the_command_line_records_a_review_and_writes_the_form(
    thematic: Registry, tmp_path: Path
) -> None:
    runner = CliRunner()
    reg = ["--registry", str(thematic.path)]
    tourism = str(_id(thematic, "旅游业"))
    thematic.close()
    said = runner.invoke(app, [*reg, "problem", "review", FAIR, tourism, "--stage", "存量清理",
                               "--reviewer", "张审查", "--on", "2025-03-01", "--conclusion", "修改",
                               "--breach", "flow=承诺五年内不迁出", "--by", "法制科"])  # fmt: skip
    assert said.exit_code == 0, said.output
    form = runner.invoke(app, [*reg, "report", "review-form", tourism, "--campaign", FAIR,
                               "--out", str(tmp_path / "form.docx")])  # fmt: skip
    assert form.exit_code == 0 and (tmp_path / "form.docx").stat().st_size > 0
    bad = runner.invoke(app, [*reg, "problem", "review", FAIR, tourism, "--stage", "存量清理",
                              "--reviewer", "张", "--on", "2025-03-01", "--conclusion", "修改",
                              "--breach", "flow"])  # fmt: skip
    assert bad.exit_code != 0 and "CLASS=说明" in bad.output


def test_the_inspection_report_of_a_thematic_campaign_counts_by_class(
    thematic: Registry, tmp_path: Path
) -> None:
    from regclean import papers

    registry = thematic
    for c in registry.screen(FAIR, by="法制科").candidates:
        registry.confirm_problem(c.id, by="张审查")
    report = registry.inspection(FAIR)
    assert report.classes is not None and report.classes.rows[-1][0] == "合计"
    (page,) = papers.write(report, tmp_path / "report.html")
    text = page.read_text("utf-8")
    assert "二、问题分类情况" in text and "三、各部门情况" in text and "生产经营成本" in text
    registry.create_campaign("常规2025", by="法制科")
    assert registry.inspection("常规2025").classes is None
