"""Campaigns: scope, responsibility, progress, the inspection, the negative list, validity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from regclean import Registry, StateError, Status
from regclean.publish import PublishError

from .conftest import write_settings


@pytest.fixture
def stock(fresh_registry: Registry) -> Registry:
    """Four instruments of two departments; one made after the cut-off, one already repealed."""
    reg = fresh_registry
    reg.add_instrument(
        title="甲办法",
        doc_number="温政发〔2010〕1号",
        issuer="温州市人民政府",
        department="市司法局",
        published_on="2010-01-01",
    )
    reg.add_instrument(
        title="乙办法",
        doc_number="温政发〔2012〕2号",
        issuer="温州市人民政府",
        department="市司法局",
        published_on="2012-01-01",
    )
    reg.add_instrument(
        title="丙规定",
        doc_number="温财〔2015〕3号",
        issuer="温州市财政局",
        published_on="2015-01-01",
    )
    reg.add_instrument(
        title="丁办法",
        doc_number="温财〔2025〕4号",
        issuer="温州市财政局",
        published_on="2025-06-01",
    )  # after the cut-off
    old = reg.add_instrument(
        title="戊办法",
        doc_number="温财〔2001〕5号",
        issuer="温州市财政局",
        published_on="2001-01-01",
    )
    reg.propose(old.id, "废止", reason="过时")
    reg.approve([old.id], by="市政府", effective_on="2020-01-01")
    return reg  # fmt: skip


def test_scope_is_in_force_made_before_the_cutoff_and_frozen(stock: Registry) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31", deadline="2026-06-30")
    rows = {p.department: p.in_scope for p in stock.progress("2024")}
    assert rows == {"市司法局": 2, "温州市财政局": 1}  # issuer when no 责任单位; 丁 and 戊 out
    stock.add_instrument(title="己办法", issuer="温州市财政局", published_on="2020-01-01")
    assert sum(p.in_scope for p in stock.progress("2024")) == 3  # frozen at creation
    stock.campaign_scope("2024", ["己办法"], by="法制科", reason="漏报补录")
    stock.campaign_scope("2024", ["甲办法"], add=False, by="法制科", reason="不属于清理范围")
    assert sum(p.in_scope for p in stock.progress("2024")) == 3
    assert [e.action for e in stock.history("甲办法")][-1] == "scope_remove"


def test_scope_narrowed_by_issuer_department_and_kind(stock: Registry) -> None:
    stock.create_campaign("财政", cutoff="2024-12-31", issuers=["财政局"])
    assert [p.department for p in stock.progress("财政")] == ["温州市财政局"]
    stock.create_campaign(
        "司法", cutoff="2024-12-31", departments=["市司法局"], kinds=["规范性文件"]
    )
    assert stock.progress("司法")[0].in_scope == 2


def test_progress_counts_and_what_is_owed(stock: Registry) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31", deadline="2026-06-30")
    stock.propose("甲办法", "保留", campaign="2024", department="市司法局")
    stock.propose("乙办法", "修订", reason="上位法修改", campaign="2024")
    stock.approve(["甲办法"], by="市政府", effective_on="2026-01-01")
    [justice, finance] = stock.progress("2024")
    assert (justice.in_scope, justice.approved, justice.proposed, justice.undecided) == (2, 1, 1, 0)
    assert justice.outcomes == {"keep": 1, "revise": 1}
    assert (finance.undecided, finance.owed) == (1, (stock.get("丙规定").id,))
    assert finance.overdue  # the fixture's clock is 2026-11-26, after the deadline


def test_reassignment_is_logged(stock: Registry) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31")
    assert stock.assign("2024", "丙规定", "市审计局", by="法制科") == "温州市财政局"
    assert {p.department for p in stock.progress("2024")} == {"市司法局", "市审计局"}
    event = stock.history("丙规定")[-1]
    assert (event.action, event.payload["to"]) == ("assign", "市审计局")


def test_inspection_findings(stock: Registry) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31", deadline="2026-06-30")
    stock.propose("甲办法", "废止", campaign="2024")  # no reason
    stock.relate("乙办法", "based_on", "戊办法")  # its basis was repealed in 2020
    found = {(f.code, stock.get(f.instrument).title_core, f.severity) for f in stock.check("2024")}
    assert ("missed", "丙规定", "error") in found
    assert ("late", "甲办法", "warning") in found  # proposed 2026-11-26, deadline 2026-06-30
    assert ("no_reason", "甲办法", "warning") in found
    assert ("basis_repealed", "乙办法", "error") in found
    for campaign in ("2024", None):  # what publish checks first: the errors, and only them
        everything = stock.check(campaign)
        errors = stock.check(campaign, errors_only=True)
        assert errors == [f for f in everything if f.severity == "error"] and len(errors) >= 2


def test_conflicting_proposals_between_departments(stock: Registry) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31", deadline="2027-06-30")
    stock.propose("丙规定", "废止", reason="过时", campaign="2024", department="温州市财政局")
    stock.reject("丙规定", by="法制科", reason="实施部门意见不同")
    stock.propose("丙规定", "保留", campaign="2024", department="市审计局")
    codes = [(f.code, f.severity) for f in stock.check("2024")]
    assert ("conflicting", "error") in codes


def test_expired_and_evaluation_due_with_default_validity(tmp_path: Path, clock) -> None:
    registry = Registry.init(tmp_path / "r", clock=clock)
    write_settings(
        tmp_path / "r",
        '[registry]\njurisdiction = "温州市"\n[validity]\nnormative = "5年"\nprovisional = "2年"\n',
    )
    registry.close()
    with Registry.open(tmp_path / "r", clock=clock) as reg:
        old = reg.add_instrument(
            title="某某暂行办法", doc_number="温政发〔2023〕1号", effective_on="2023-01-01"
        )
        due = reg.add_instrument(
            title="某某办法", doc_number="温政发〔2022〕2号", effective_on="2022-01-01"
        )
        written = reg.add_instrument(
            title="另一办法", validity="有效期至2030年12月31日", published_on="2025-01-01"
        )
        assert str(reg.get(old.id).expires_on) == "2024-12-31"  # 暂行: 2 years
        assert str(reg.get(due.id).expires_on) == "2026-12-31"  # 5 years
        assert str(reg.get(written.id).expires_on) == "2030-12-31"
        assert reg.status_on(old.id) is Status.EXPIRED
        found = {(f.code, f.instrument) for f in reg.check()}
        assert ("expired", old.id) in found and ("evaluation_due", due.id) in found


def test_negative_list_close(stock: Registry) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31", deadline="2027-06-30")
    stock.propose("甲办法", "保留", campaign="2024")
    stock.approve(["甲办法"], by="市政府", effective_on="2026-01-01")
    stock.propose("乙办法", "保留", campaign="2024")  # proposed, never approved
    preview = stock.close_campaign("2024", by="法制科", declare_void=True, dry_run=True)
    assert sorted(stock.get(i).title_core for i in preview) == ["丙规定", "乙办法"]
    assert stock.campaign("2024").closed_at == ""
    void = stock.close_campaign(
        "2024", by="法制科", declare_void=True, decision_doc="温政发〔2026〕9号"
    )
    assert void == preview
    assert (
        stock.status_on("乙办法") is Status.INVALID and stock.status_on("甲办法") is Status.IN_FORCE
    )
    assert "负面清单" in stock.decisions("丙规定")[-1].reason_text
    assert stock.campaign("2024").closed_at
    with pytest.raises(StateError, match="was closed"):
        stock.close_campaign("2024", by="法制科")


def test_publish_refuses_error_findings_unless_forced(stock: Registry, tmp_path: Path) -> None:
    stock.create_campaign("2024", cutoff="2024-12-31", deadline="2026-06-30")
    with pytest.raises(PublishError, match="missed"):
        stock.publish(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    stock.publish(tmp_path / "site", force=True)
    page = (tmp_path / "site" / "campaigns" / "1.html").read_text(encoding="utf-8")
    assert "<svg" in page and "市司法局" in page and "逾期" in page


def test_campaign_cli(stock: Registry) -> None:
    runner = CliRunner()
    path = str(stock.path)
    result = runner.invoke(app, ["--registry", path, "campaign", "create", "2024", "--cutoff", "2024-12-31",
                                 "--deadline", "2026-06-30"])  # fmt: skip
    assert result.exit_code == 0 and "3 instruments in scope" in result.stdout
    rows = json.loads(
        runner.invoke(app, ["--registry", path, "progress", "--campaign", "2024", "--json"]).stdout
    )
    assert {r["department"] for r in rows} == {"市司法局", "温州市财政局"}
    assert set(rows[0]) >= {
        "department",
        "in_scope",
        "proposed",
        "approved",
        "undecided",
        "overdue",
    }
    checked = runner.invoke(app, ["--registry", path, "check", "--campaign", "2024", "--json"])
    assert checked.exit_code == 1  # error-level findings
    assert {f["code"] for f in json.loads(checked.stdout)} >= {"missed"}
    dry = runner.invoke(
        app, ["--registry", path, "campaign", "close", "2024", "--declare-void", "--dry-run"]
    )
    assert dry.exit_code == 0 and "would declare void: 3" in dry.stdout
    assert (
        runner.invoke(app, ["--registry", path, "relate", "乙办法", "依据", "甲办法"]).exit_code
        == 0
    )


def test_departments_table_maps_issuers(tmp_path: Path, clock) -> None:
    Registry.init(tmp_path / "r", clock=clock).close()
    write_settings(tmp_path / "r", '[registry]\n[departments]\n"温州市财政局" = "市财政局法规处"\n')
    with Registry.open(tmp_path / "r", clock=clock) as reg:
        reg.add_instrument(title="丙规定", issuer="温州市财政局", published_on="2015-01-01")
        reg.add_instrument(title="甲办法", issuer="温州市财政局", department="市司法局")
        reg.create_campaign("2024", cutoff="2024-12-31")
        assert {p.department for p in reg.progress("2024")} == {"市财政局法规处", "市司法局"}


def test_expiry_findings_hold_for_partial_dates(fresh_registry: Registry) -> None:
    """The findings are looked for among instruments selected by SQL on the stored expiry
    date; a year or a month alone must still be found (the clock says 2026-11-26)."""
    year = fresh_registry.add_instrument(title="甲暂行办法", expires_on="2025")
    month = fresh_registry.add_instrument(title="乙暂行办法", expires_on="2027-03")
    later = fresh_registry.add_instrument(title="丙暂行办法", expires_on="2028")
    found = {(f.code, f.instrument) for f in fresh_registry.check()}
    assert ("expired", year.id) in found
    assert ("evaluation_due", month.id) in found
    assert not [code for code, i in found if i == later.id]
