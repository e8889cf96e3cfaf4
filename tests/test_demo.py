"""The demo builds a real registry from the shipped decisions and can be run again."""

from __future__ import annotations

from pathlib import Path

import pytest

from regclean import Registry, RegistryError, Status
from regclean.demo import run_demo


def test_demo_runs_a_cleanup_on_the_real_rows(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo")
    assert result.approved == 30 and result.documents == 9
    assert result.counts[Status.REPEALED] == 18
    assert result.counts[Status.INVALID] == 4
    # #13: a revision keeps the instrument in force until its revised text replaces it
    assert result.counts[Status.TO_BE_REVISED] == 7
    assert result.counts[Status.IN_FORCE] == 1
    with Registry.open(result.registry_path) as registry:
        repealed = registry.get("达市府发〔2000〕65号")
        [decision] = registry.decisions(repealed.id)
        assert decision.decision_doc == "达州市人民政府令第48号"
        assert "制定依据发生了重大变化" in decision.reason_text
        assert registry.status_on("中华人民共和国筵席税暂行条例") is Status.INVALID
    assert "status today" in result.summary()


def test_demo_makes_the_four_papers_of_its_campaign(tmp_path: Path) -> None:
    import docx
    import openpyxl

    result = run_demo(tmp_path / "demo")
    papers = tmp_path / "demo" / "papers"
    assert sorted(p.name for p in papers.iterdir()) == sorted(Path(p).name for p in result.papers)
    assert {Path(p).suffix for p in result.papers} == {".docx", ".html", ".xlsx"}
    assert f"papers of the campaign (清理文书): {papers}" in result.summary()
    decision = [p.text for p in docx.Document(str(papers / "决定.docx")).paragraphs if p.text]
    assert decision[0] == "关于公布规章和规范性文件清理结果的决定（示例）"
    assert "附件1" in decision and "附件2" in decision
    stats = openpyxl.load_workbook(papers / "清理情况统计表.xlsx").active
    total = [c.value for c in stats[stats.max_row]]
    assert total[0] == "合计" and total[2] == 8  # the campaign's eight instruments
    [form] = papers.glob("清理意见表-*.xlsx")
    assert openpyxl.load_workbook(form).active.data_validations.dataValidation


def test_demo_replaces_an_earlier_demo_but_no_other_folder(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo")
    run_demo(tmp_path / "demo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(RegistryError, match="not an earlier demo"):
        run_demo(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    (tmp_path / "mine" / ".regclean-demo").write_text("planted\n", encoding="utf-8")  # #26
    with pytest.raises(RegistryError, match="not an earlier demo"):
        run_demo(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
