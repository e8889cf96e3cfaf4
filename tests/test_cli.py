"""The command line, through Typer's runner and through the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from regclean import Registry
from tests.conftest import ON_POSTGRESQL

runner = CliRunner()


def run(registry: Path, *args: str, code: int = 0):
    result = runner.invoke(app, ["--registry", str(registry), *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def reg(tmp_path: Path, sample_csv: Path) -> Path:
    path = tmp_path / "reg"
    run(path, "init", "--jurisdiction", "山东省")
    run(path, "import", str(sample_csv), "--by", "clerk")
    return path


def test_import_prints_the_mapping_and_a_summary(tmp_path: Path, sample_csv: Path) -> None:
    path = tmp_path / "reg"
    run(path, "init")
    result = run(path, "import", str(sample_csv))
    assert "doc_number->doc_number" in result.stdout
    assert "ignored columns: source, seq" in result.stdout
    assert "30 added" in result.stdout and "30 proposals" in result.stdout


def test_show_json_follows_the_contract(reg: Path) -> None:
    data = json.loads(run(reg, "show", "山东省人民政府令第114号", "--json").stdout)
    for key in ("id", "title", "doc_number", "issuer", "kind", "status", "decisions"):
        assert key in data
    assert data["doc_number"] == "省政府令第114号"  # as recorded
    assert data["status"] == "in_force"
    [decision] = data["decisions"]
    assert {"outcome", "state", "reasons", "effective_on"} <= set(decision)
    assert decision["state"] == "proposed"


def test_the_cleanup_cycle(reg: Path) -> None:
    run(reg, "approve", "省政府令第114号", "--by", "山东省人民政府", "--effective", "2016-06-01",
        "--decision-doc", "鲁政字〔2016〕1号")  # fmt: skip
    data = json.loads(run(reg, "show", "省政府令第114号", "--json").stdout)
    assert data["status"] == "repealed"
    assert data["decisions"][0]["effective_on"] == "2016-06-01"
    run(reg, "withdraw", "省政府令第114号", "--by", "法制办", "--reason", "错清")
    assert json.loads(run(reg, "show", "省政府令第114号", "--json").stdout)["status"] == "in_force"
    result = run(reg, "mark", "省政府令第114号", "保留", "--by", "王五")
    assert "继续有效 (keep)" in result.stdout
    events = json.loads(run(reg, "history", "省政府令第114号", "--json").stdout)
    assert [e["action"] for e in events] == ["add", "propose", "approve", "withdraw", "propose"]
    text = run(reg, "history", "省政府令第114号").stdout
    assert "withdraw by 法制办" in text


def test_review_then_approve(reg: Path) -> None:
    """合法性审核 from the command line: the step is shown by `show --json` and in the history."""
    result = run(reg, "review", "省政府令第114号", "--by", "王审", "--office", "山东省司法厅",
                 "--opinion", "同意废止")  # fmt: skip
    assert "reviewed decision" in result.stdout and "同意废止" in result.stdout
    run(reg, "review", "省政府令第114号", "--by", "李审", code=1)  # once only
    run(reg, "approve", "省政府令第114号", "--by", "山东省人民政府", "--effective", "2016-06-01")
    (decision,) = json.loads(run(reg, "show", "省政府令第114号", "--json").stdout)["decisions"]
    assert (decision["reviewed_by"], decision["review_office"], decision["review_opinion"]) == (
        "王审", "山东省司法厅", "同意废止")  # fmt: skip
    assert decision["proposed_at"] <= decision["reviewed_at"] <= decision["decided_at"]
    assert "review by 王审" in run(reg, "history", "省政府令第114号").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "国发〔1999〕99号"], "no instrument matches"),
        (["mark", "国发〔1999〕99号", "废止", "--reason", "x"], "no instrument matches"),
        (["mark", "省政府令第114号", "废止", "--reason", "x"], "already has an open proposal"),
        (["mark", "北京市邮政通信条例", "删除", "--reason", "x"], "unknown outcome"),
        (
            ["approve", "省政府令第114号", "--by", "x", "--effective", "2016-02-30"],
            "day 30 does not exist",
        ),
        (["withdraw", "省政府令第114号", "--by", "x"], "a reason is required"),
    ],
)
def test_errors_go_to_stderr_with_exit_1_and_change_nothing(
    reg: Path, args: list[str], message: str
) -> None:
    result = run(reg, *args, code=1)
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    assert (
        json.loads(run(reg, "history", "省政府令第114号", "--json").stdout)[-1]["action"]
        == "propose"
    )


def test_mark_requires_a_reason_except_for_keep(tmp_path: Path) -> None:
    path = tmp_path / "r"
    run(path, "init")
    from regclean import Registry

    with Registry.open(path) as registry:
        registry.add_instrument(title="甲办法", doc_number="温政发〔2004〕12号")
    result = run(path, "mark", "温政发[2004]12号", "repeal", code=1)
    assert "a reason is required for 废止" in result.stderr
    run(path, "mark", "温政发[2004]12号", "repeal", "--reason", "与上位法相抵触")


def test_import_of_a_bad_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "r"
    run(path, "init")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "文件名称,文号,发布日期\n,温政发〔2004〕1号,\n甲,xx,2004-13-01\n", encoding="utf-8"
    )
    result = run(path, "import", str(bad), code=1)
    assert "bad.csv, row 2, field title" in result.stderr
    assert "bad.csv, row 3, field doc_number" in result.stderr
    assert "bad.csv, row 3, field published_on" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--registry", str(tmp_path), "approve", "x"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_missing_registry_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere", "show", "1", code=1)
    assert "no registry here" in result.stderr and "regclean init" in result.stderr


def test_registry_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGCLEAN_REGISTRY", str(tmp_path / "env-reg"))
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert (tmp_path / "env-reg" / "regclean.toml").exists()
    Registry.open(tmp_path / "env-reg").close()


def installed_command() -> list[str]:
    script = Path(sys.executable).parent / "regclean"
    return [str(script)] if script.exists() else [sys.executable, "-m", "regclean"]


@pytest.mark.parametrize("command", [installed_command(), [sys.executable, "-m", "regclean"]])
def test_installed_command_runs_the_demo(tmp_path: Path, command: list[str]) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([*command, "demo", str(tmp_path / "demo")], capture_output=True,
                          text=True, cwd=tmp_path, env=env, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "approved 30 decisions in 9 decision documents" in done.stdout
    shown = subprocess.run(
        [*command, "--registry", str(tmp_path / "demo" / "registry"), "show", "国令第473号"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert shown.returncode == 1 and "no instrument matches" in shown.stderr
    assert "Traceback" not in shown.stderr
    data = json.loads(subprocess.run(
        [*command, "--registry", str(tmp_path / "demo" / "registry"), "show", "省政府令第141号", "--json"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout)  # fmt: skip
    assert data["status"] == "repealed" and data["title"] == "山东省安全生产监督管理规定"


def test_search_json_and_table(reg: Path) -> None:
    rows = json.loads(run(reg, "search", "条例", "--json").stdout)
    assert {r["title_core"] for r in rows} >= {"北京市邮政通信条例", "企业职工奖惩条例"}
    for key in ("id", "title", "doc_number", "issuer", "kind", "status", "snippet"):
        assert key in rows[0]
    table = run(reg, "search", "鲁政发[1983]90号").stdout
    assert "山东省高等教育自学考试若干规定" in table and "现行有效" in table
    listed = json.loads(run(reg, "search", "--kind", "法规", "--issuer", "国务院", "--json").stdout)
    assert len(listed) == 7
    assert json.loads(run(reg, "search", "--status", "repealed", "--json").stdout) == []


def test_search_bad_filter_and_reindex(reg: Path) -> None:
    assert "Y1..Y2" in run(reg, "search", "x", "--year", "昨天", code=1).stderr
    assert "unknown status" in run(reg, "search", "x", "--status", "好", code=1).stderr
    with Registry.open(reg) as registry:  # fts5, or whoosh on a PostgreSQL registry
        engine = registry.settings.search_engine
    assert run(reg, "reindex").stdout.strip() == f"indexed 30 instruments ({engine})"


def test_a_failure_of_the_file_system_is_a_clear_error(tmp_path: Path) -> None:
    """#17: a backup or export into a folder that cannot be (a file stands in its way) says
    what and where, exit 1, no traceback; the registry is unchanged."""
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    reg = ["--registry", str(tmp_path / "reg")]
    assert runner.invoke(app, [*reg, "init"]).exit_code == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    for args in (["backup", str(blocker / "b.sqlite")], ["export", str(blocker / "x.csv")]):
        result = runner.invoke(app, [*reg, *args])
        assert result.exit_code == 1, result.output
        assert "not-a-folder" in result.stderr and "Traceback" not in result.output


def test_library_errors_speak_of_arguments_and_the_cli_of_its_flags(
    reg: Path, tmp_path: Path, sample_csv: Path
) -> None:
    """#27 item 4: an error from the library names what to pass in the library's words
    (replace=True, a mapping); the command line says the same with its own flags."""
    from regclean import RegcleanError
    from regclean.backup import restore

    with Registry.open(reg) as registry:
        registry.backup(tmp_path / "copy.sqlite")
    with pytest.raises(RegcleanError) as raised:
        restore(tmp_path / "copy.sqlite", reg)
    # a SQLite registry asks for replace=True; one on a server for a new database
    words, flag = ("database=URL", "--database") if ON_POSTGRESQL else ("replace=True", "--replace")
    assert words in str(raised.value) and "--" not in str(raised.value)
    said = run(reg, "restore", str(tmp_path / "copy.sqlite"), code=1)
    assert flag in said.output and words not in said.output
    with Registry.open(reg) as registry, pytest.raises(RegcleanError) as raised:
        registry.import_file(sample_csv, mapping={"no such column": "title"})
    assert "the mapping names" in str(raised.value) and "--map" not in str(raised.value)
    said = run(reg, "import", str(sample_csv), "--map", "no such column=title", code=1)
    assert "--map names a column" in said.output
