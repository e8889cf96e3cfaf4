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


def test_demo_replaces_an_earlier_demo_but_no_other_folder(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo")
    run_demo(tmp_path / "demo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(RegistryError, match="not an earlier demo"):
        run_demo(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
