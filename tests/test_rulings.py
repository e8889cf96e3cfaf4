"""What each outcome does to force (#13), ruled in docs/concepts.md, and how campaigns count the
decisions a reviewer would count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from regclean import Outcome, Registry, StateError, Status, ValidationError
from regclean.publish import render_site


@pytest.fixture
def rule(fresh_registry: Registry):
    return fresh_registry.add_instrument(
        title="温州市甲管理办法", doc_number="温州市人民政府令第48号", issuer="温州市人民政府",
        published_on="2009-01-01",
    )  # fmt: skip


def test_a_revision_keeps_the_instrument_in_force(fresh_registry: Registry, rule) -> None:
    """修改/拟修改: to be revised, in force until the revised text is issued; it is in the stock,
    in campaign scope, in the 修改目录, InForce for schema.org, and takes the next proposal."""
    reg = fresh_registry
    reg.propose(rule.id, "拟修改", reason="与上位法不一致", by="市法制办")
    reg.approve([rule.id], by="市政府", effective_on="2024-06-01")
    assert reg.status_on(rule.id) is Status.TO_BE_REVISED
    assert reg.status_on(rule.id).in_force and Status.TO_BE_REVISED.zh == "现行有效（拟修改）"
    assert reg.counts_by_status()[Status.TO_BE_REVISED] == 1
    campaign = reg.create_campaign("2025", cutoff="2025-12-31")
    assert sum(p.in_scope for p in reg.progress(campaign.name)) == 1
    files = render_site(reg)
    revised = json.loads(files["catalogs/revised.json"])
    assert [r["id"] for r in revised["rows"]] == [rule.id]
    assert '"legislationLegalForce": "InForce"' in files[f"instruments/{rule.id}.html"].decode()
    reg.propose(rule.id, "继续有效", by="市法制办", campaign="2025")  # the next round's view
    reg.approve([rule.id], by="市政府", effective_on="2025-12-01")
    assert reg.status_on(rule.id) is Status.IN_FORCE


def test_an_amending_decision_leaves_it_in_force_as_amended(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "decision.txt"
    source.write_text("温州市人民政府关于修改部分规章的决定\n一、对《温州市甲管理办法》作如下修改：\n"
                      "1.删去第三条。\n二、本决定自2024年6月1日起施行。\n", encoding="utf-8")  # fmt: skip
    fresh_registry.import_file(source)
    assert fresh_registry.status_on("温州市甲管理办法") is Status.IN_FORCE


def test_the_revised_text_replacing_it_ends_its_force_across_two_campaigns(
    fresh_registry: Registry, rule
) -> None:
    """2024: to be revised. 2025: the new text is issued and replaces it from its own date."""
    reg = fresh_registry
    reg.create_campaign("2024", cutoff="2023-12-31")
    reg.propose(rule.id, "修改", reason="与上位法不一致", campaign="2024")
    reg.approve(campaign="2024", by="市政府", effective_on="2024-03-01")
    new = reg.add_instrument(title="温州市甲管理办法（2025年修订）", doc_number="温州市人民政府令第60号",
                             issuer="温州市人民政府", published_on="2025-05-01",
                             effective_on="2025-07-01")  # fmt: skip
    reg.create_campaign("2025", cutoff="2024-12-31")
    reg.propose(rule.id, "修改", reason="已被新规定代替", replaced_by=new.id, campaign="2025")
    reg.approve(campaign="2025", by="市政府", effective_on="2025-07-01")
    assert reg.status_on(rule.id, "2025-06-30") is Status.TO_BE_REVISED
    assert reg.status_on(rule.id, "2025-07-01") is Status.REPLACED
    assert [(n, o.id) for n, o in reg.relations(rule.id)] == [("replaced_by", new.id)]
    assert [(n, o.id) for n, o in reg.relations(new.id)] == [("replaces", rule.id)]


def test_a_partial_invalidation_names_its_articles(fresh_registry: Registry, rule) -> None:
    reg = fresh_registry
    with pytest.raises(ValidationError, match="articles"):
        reg.propose(rule.id, "宣布部分条款失效")
    reg.propose(rule.id, "部分失效", articles="第十二条、第十五条", by="市法制办")
    reg.approve([rule.id], by="市政府", effective_on="2024-06-01")
    assert reg.status_on(rule.id) is Status.PARTIALLY_IN_FORCE and reg.status_on(rule.id).in_force
    (decision,) = reg.decisions(rule.id)
    assert (decision.outcome, decision.articles) == (
        Outcome.INVALIDATE_IN_PART,
        "第十二条、第十五条",
    )
    files = render_site(reg)
    invalidated = json.loads(files["catalogs/invalidated.json"])
    assert [r["outcome"] for r in invalidated["rows"]] == ["invalidate_in_part"]
    page = html.fromstring(files["catalogs/invalidated.html"])  # under a heading of its own
    headings = [" ".join(h.text_content().split()) for h in page.xpath("//main//h2")]
    assert headings == ["宣布部分条款失效"]
    reason = page.xpath("//tbody/tr/td[@class='reason']")[0].text_content()
    assert "失效条款：第十二条、第十五条" in " ".join(reason.split())
    assert (
        '"legislationLegalForce": "PartiallyInForce"'
        in files[f"instruments/{rule.id}.html"].decode()
    )


def test_not_a_normative_document_leaves_the_stock(fresh_registry: Registry, rule) -> None:
    reg = fresh_registry
    reg.propose(rule.id, "经清理认定不属于行政规范性文件", by="市法制办")
    reg.approve([rule.id], by="市政府", effective_on="2024-06-01")
    status = reg.status_on(rule.id)
    assert status is Status.NOT_NORMATIVE and not status.in_force
    counts = reg.counts_by_status()
    assert counts[Status.REPEALED] == 0 and counts[Status.NOT_NORMATIVE] == 1
    files = render_site(reg)
    for name in ("repealed", "invalidated", "revised", "kept"):
        assert json.loads(files[f"catalogs/{name}.json"])["rows"] == []
    with pytest.raises(StateError):
        reg.propose(rule.id, "废止")


# -- campaigns ----------------------------------------------------------------------------------


@pytest.fixture
def round_2024(fresh_registry: Registry) -> Registry:
    reg = fresh_registry
    for n, title in enumerate(("甲办法", "乙办法", "丙办法"), start=1):
        reg.add_instrument(title=title, doc_number=f"温政发〔2015〕{n}号", issuer="温州市人民政府",
                           published_on="2015-01-01")  # fmt: skip
    reg.add_instrument(title="丁办法", doc_number="温政发〔2019〕9号", issuer="温州市人民政府",
                       published_on="2019-01-01", expires_on="2024-03-31")  # fmt: skip
    return reg


def test_a_decision_made_without_campaign_counts_for_it(round_2024: Registry) -> None:
    """A repeal approved without --campaign on an instrument in scope is not missed, not owed,
    does not block publishing, and the negative list spares a keep approved the same way."""
    reg = round_2024
    reg.create_campaign("2024", cutoff="2023-12-31", deadline="2026-01-31")
    reg.propose("甲办法", "废止", reason="过时")
    reg.propose("乙办法", "继续有效")
    reg.approve(["甲办法", "乙办法"], by="市政府", effective_on="2024-06-01")
    owed = {i for p in reg.progress("2024") for i in p.owed}
    assert owed == {reg.get("丙办法").id, reg.get("丁办法").id}
    missed = {f.title for f in reg.check("2024") if f.code == "missed"}
    assert missed == {"丙办法", "丁办法"}
    void = reg.close_campaign("2024", by="市政府", declare_void=True, dry_run=True)
    assert sorted(reg.get(i).title for i in void) == ["丙办法"]  # 丁办法 expired on its own


def test_scope_is_the_stock_in_force_on_the_cut_off(round_2024: Registry) -> None:
    """丁办法 expired in March 2024, after the cut-off: in scope, reported as expired."""
    reg = round_2024
    reg.create_campaign("2024", cutoff="2023-12-31")
    scope = {reg.get(i).title for p in reg.progress("2024") for i in p.owed}
    assert scope == {"甲办法", "乙办法", "丙办法", "丁办法"}
    expired = [f for f in reg.check("2024") if f.code == "expired"]
    assert [(f.title, f.number) for f in expired] == [("丁办法", "温政发〔2019〕9号")]


# -- the past on record -------------------------------------------------------------------------


def test_a_back_entered_round_is_judged_by_when_it_happened(round_2024: Registry) -> None:
    """Entered in 2026 (the registry's clock), a 2024 round whose proposals were filed before
    its deadline is not late; one filed after it is; the log keeps both times."""
    reg = round_2024
    reg.create_campaign("2024", cutoff="2023-12-31", deadline="2024-06-30")
    reg.propose("甲办法", "废止", reason="过时", campaign="2024", at="2024-03-05")
    reg.propose("乙办法", "继续有效", campaign="2024", at="2024-08-01")
    reg.approve(["甲办法"], by="市政府", at="2024-05-01T10:30", effective_on="2024-06-01")
    late = {f.title for f in reg.check("2024") if f.code == "late"}
    assert late == {"乙办法"}
    (decision,) = reg.decisions("甲办法")
    assert (decision.proposed_at, decision.decided_at) == ("2024-03-05T00:00:00Z",
                                                           "2024-05-01T10:30:00Z")  # fmt: skip
    propose_event = next(e for e in reg.history("甲办法") if e.action == "propose")
    assert propose_event.at.startswith("2026-11-26")  # entered now
    assert propose_event.payload["proposed_at"] == "2024-03-05T00:00:00Z"  # happened then
    assert reg.verify().ok


@pytest.mark.parametrize(
    ("at", "message"),
    [("2099-01-01", "future"), ("2010-01-01", "own date"), ("2024-13-01", "not a time")],
)
def test_a_stated_time_is_checked(round_2024: Registry, at: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        round_2024.propose("甲办法", "废止", reason="过时", at=at)
    assert round_2024.decisions() == []


def test_an_approval_cannot_come_before_its_proposal(round_2024: Registry) -> None:
    round_2024.propose("甲办法", "废止", reason="过时", at="2024-03-05")
    with pytest.raises(ValidationError, match="before it was proposed"):
        round_2024.approve(["甲办法"], by="市政府", at="2024-03-01")


# -- one record at a time, and many at once ----------------------------------------------------


def test_the_cli_adds_corrects_and_marks_many(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    reg = ["--registry", str(tmp_path / "reg")]

    def run(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, [*reg, *args])
        assert result.exit_code == code, result.output
        return result

    run("init")
    run("add", "--title", "甲办法", "--number", "温政发[2004]12号", "--published", "2004-03-20")
    run("add", "--title", "乙办法", "--number", "温政发〔2005〕3号", "--published", "2005-01-01")
    data = json.loads(run("edit", "温政发〔2004〕12号", "--issuer", "温州市人民政府", "--by", "张三",
                          "--json").stdout)  # fmt: skip
    assert data["issuer"] == "温州市人民政府"
    refs = tmp_path / "refs.txt"
    refs.write_text("# 清理名单\n温政发〔2005〕3号\n", encoding="utf-8")
    bad = run("mark", "1", "废止", "--reason", "过时", "--also", "不存在的办法", code=1)
    assert "不存在的办法" in bad.stderr
    with Registry.open(tmp_path / "reg") as registry:
        assert registry.decisions() == []  # all or none
    run("mark", "1", "废止", "--reason", "过时", "--from", str(refs), "--at", "2024-03-05")
    run("approve", "--from", str(refs), "1", "--by", "市政府", "--effective", "2024-05-01")
    with Registry.open(tmp_path / "reg") as registry:
        assert {registry.status_on(i) for i in (1, 2)} == {Status.REPEALED}
        update = next(e for e in registry.history(1) if e.action == "update")
        assert update.payload["issuer"] == ["", "温州市人民政府"] and update.actor == "张三"


# -- the review step (合法性审核), between proposal and approval ----------------------------------


def test_a_review_is_a_step_of_its_own_on_the_record(fresh_registry: Registry, rule) -> None:
    """Who reviewed, for which office, what they found and when: kept on the decision, logged,
    replayed by verify, and shown on the instrument page between proposal and approval."""
    reg = fresh_registry
    reg.propose(rule.id, "废止", reason="调整对象已消失", by="张三", department="市财政局",
                at="2026-03-02")  # fmt: skip
    (reviewed,) = reg.review([rule.id], by="王审", office="市司法局", opinion="同意废止",
                             at="2026-03-10T02:30")  # fmt: skip
    assert reviewed.state.value == "proposed" and reviewed.reviewed_at == "2026-03-10T02:30:00Z"
    (approved,) = reg.approve([rule.id], by="市政府", effective_on="2026-04-01", at="2026-03-20")
    assert (approved.reviewed_by, approved.review_office, approved.review_opinion) == (
        "王审", "市司法局", "同意废止")  # fmt: skip
    assert [e.action for e in reg.events() if e.decision_id == approved.id] == [
        "propose", "review", "approve"]  # fmt: skip
    assert reg.verify().ok
    page = html.fromstring(render_site(reg)[f"instruments/{rule.id}.html"])
    steps = [" ".join(dt.xpath("following-sibling::dd[1]")[0].text_content().split())
             for dt in page.xpath("//section//dt")]  # fmt: skip
    labels = [dt.text_content() for dt in page.xpath("//section//dt")]
    assert labels.index("提出") < labels.index("合法性审核") < labels.index("批准")
    assert steps[labels.index("合法性审核")] == "市司法局 王审 2026年3月10日 10:30：同意废止"


def test_a_review_keeps_the_order_of_things(fresh_registry: Registry, rule) -> None:
    """Not before the proposal; once per proposal; an approval not before its review; a review
    needs an open proposal, and names of many are reviewed all together or not at all."""
    reg = fresh_registry
    other = reg.add_instrument(
        title="温州市乙办法", issuer="温州市人民政府", published_on="2010-01-01"
    )
    reg.propose(rule.id, "废止", reason="过时", by="张三", at="2026-03-02")
    with pytest.raises(StateError, match=f"instrument {other.id} has no decision"):
        reg.review([rule.id, other.id], by="王审")
    assert reg.decisions(rule.id)[0].reviewed_by == ""  # nothing half-done
    with pytest.raises(ValidationError, match="reviewed before it was proposed"):
        reg.review([rule.id], by="王审", at="2026-03-01")
    reg.review([rule.id], by="王审", office="市司法局", at="2026-03-10")
    with pytest.raises(StateError, match="already reviewed by 王审"):
        reg.review([rule.id], by="李审")
    with pytest.raises(ValidationError, match="approved before it was reviewed"):
        reg.approve([rule.id], by="市政府", at="2026-03-05")
    with pytest.raises(ValidationError, match="reviewer is required"):
        reg.review([rule.id], by=" ")


def test_a_campaign_review_sweeps_the_unreviewed(fresh_registry: Registry, rule) -> None:
    reg = fresh_registry
    other = reg.add_instrument(
        title="温州市乙办法", issuer="温州市人民政府", published_on="2010-01-01"
    )
    reg.create_campaign("2026", cutoff="2025-12-31")
    reg.propose(rule.id, "废止", reason="过时", by="张三", campaign="2026")
    reg.propose(other.id, "继续有效", by="张三", campaign="2026")
    reg.review([rule.id], by="王审")
    swept = reg.review(campaign="2026", by="李审", office="市司法局")
    assert [d.instrument_id for d in swept] == [other.id]
    assert {d.reviewed_by for d in reg.decisions()} == {"王审", "李审"}


def test_a_registry_may_require_the_review_before_approval(tmp_path: Path, clock) -> None:
    """require_review = "yes" (regclean.toml): 未经合法性审核 the approval is refused, naming the
    instrument; a published decision imported as a record of the past is not held back."""
    path = tmp_path / "reg"
    Registry.init(path, jurisdiction="温州市", clock=clock).close()
    settings = path / "regclean.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'require_review = "no"', 'require_review = "yes"'), encoding="utf-8")  # fmt: skip
    with Registry.open(path, clock=clock) as reg:
        doc = reg.add_instrument(title="甲办法", issuer="温州市财政局", published_on="2015-01-01")
        reg.propose(doc, "废止", reason="过时", by="张三")
        with pytest.raises(ValidationError) as caught:
            reg.approve([doc], by="市政府")
        assert f"instrument {doc.id}" in str(caught.value) and "合法性审核" in str(caught.value)
        reg.review([doc], by="王审", office="市司法局")
        (approved,) = reg.approve([doc], by="市政府")
        assert approved.state.value == "approved"
