"""#22: every line of a document accounted for (``regclean import FILE --explain``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from regclean import Outcome, Registry
from regclean.ingest import explain_file
from regclean.ingest.explain import CLASSES, explain_text

from .corpus.score import HERE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(p for p in HERE.glob("batch*/*") if p.suffix != ".json")
runner = CliRunner()


def _records_nothing(source: Path) -> bool:
    """A corpus document that decides nothing (a draft, an explanation of proposals): refused
    with a clear message rather than imported."""
    expected = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    return bool(expected.get("records_nothing"))


@pytest.mark.parametrize("source", CORPUS, ids=lambda p: p.stem)
def test_explain_accounts_for_every_line_of_every_corpus_document(source: Path) -> None:
    result = runner.invoke(app, ["import", "--explain", str(source)])
    assert result.exit_code == (1 if _records_nothing(source) else 0), result.output
    if _records_nothing(source):
        assert "nothing is recorded" in result.output
    explained = explain_file(source)
    assert explained.lines and all(line.taken_as in CLASSES for line in explained.lines)
    assert [line.number for line in explained.lines] == list(range(1, len(explained.lines) + 1))
    assert sum(explained.counts().values()) == len(explained.lines)
    for line in explained.lines:  # each printed line, and what it gave, is in the output
        assert f"{line.number:>4} {line.taken_as}" in result.output


def test_every_corpus_document_imports_through_the_installed_command(tmp_path: Path) -> None:
    """What a clerk does: the command, not the library; the report names each class of line (or,
    for a catalog printed as a table, how each column was read)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}

    empty = tmp_path / "empty"  # one registry made by the command, copied for each document
    subprocess.run([sys.executable, "-m", "regclean", "--registry", str(empty), "init"],
                   check=True, capture_output=True, env=env)  # fmt: skip

    def imported(source: Path) -> subprocess.CompletedProcess[str]:
        registry = tmp_path / f"{source.parent.name}-{source.stem}"
        shutil.copytree(empty, registry)
        return subprocess.run([sys.executable, "-m", "regclean", "--registry", str(registry),
                               "import", str(source)], capture_output=True, text=True, env=env)  # fmt: skip

    # (each document in its own registry and process, as many at once as the machine has cores)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = list(pool.map(imported, CORPUS))
    for source, done in zip(CORPUS, runs, strict=True):
        assert "Traceback" not in done.stderr, (source, done.stderr)
        if _records_nothing(source):
            assert done.returncode == 1 and "nothing is recorded" in done.stderr, done.stderr
            continue
        assert done.returncode == 0, (source, done.stderr)
        if explain_file(source).lines[0].taken_as == "table":  # a catalog printed as a table
            assert "->title" in done.stdout, source  # the report says how its columns were read
        else:
            assert "lines read as" in done.stdout, source


def test_a_numbered_line_naming_a_document_that_cannot_be_read_is_a_problem(
    tmp_path: Path,
) -> None:
    source = tmp_path / "d.txt"
    source.write_text(
        "关于废止部分规章的决定\n一、《甲市乙办法》第三条至第五条的规定之外\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["import", "--explain", str(source)])
    assert result.exit_code == 1
    assert "problem" in result.output and "cannot read this item" in result.output


def test_a_repeal_in_passing_is_said_not_dropped(tmp_path: Path, clock) -> None:
    """本办法自…起施行，《X》同时废止: the reader records the document the page publishes and says
    that the closing line repeals another; named without its number, that one is not recorded (it
    could be any X), named with it (《X》（…号）同时废止, batch 39) it is, repealed."""

    def notice(name: str, closing: str) -> Path:
        source = tmp_path / f"{name}.txt"
        source.write_text(
            "关于印发甲市乙办法的通知\n甲政发〔2020〕3号\n各区人民政府：\n"
            f"现将《甲市乙办法》印发给你们。本办法自2020年5月1日起施行，{closing}\n"
            "甲市人民政府\n2020年4月1日\n",
            encoding="utf-8",
        )
        return source

    source = notice("bare", "《甲市丙办法》同时废止。")
    lines = explain_file(source).lines
    assert any("《甲市丙办法》 as 废止 in passing" in line.gives for line in lines)
    with Registry.init(tmp_path / "reg", clock=clock) as reg:
        report = reg.import_file(source)
        assert report.added == 1 and reg.find("甲市丙办法") == []
    assert any("《甲市丙办法》 as 废止 in passing" in note for note in report.notes)

    source = notice("numbered", "《甲市丙办法》（甲政发〔2010〕9号）同时废止。")
    (said,) = [line for line in explain_file(source).lines if "甲市丙办法" in line.gives]
    assert said.taken_as == "item" and "replaced by the document the page issues" in said.gives
    with Registry.init(tmp_path / "reg2", clock=clock) as reg:
        report = reg.import_file(source)
        (old,) = reg.find("甲市丙办法")
        assert report.added == 2 and old.doc_number == "甲政发〔2010〕9号"
        assert reg.decisions(old.id)[-1].outcome is Outcome.REPEAL


_TITLE = st.text(alphabet="甲乙丙丁市县管理办法规定条例实施细则", min_size=2, max_size=12)
_LINE = st.one_of(
    _TITLE.map(lambda t: f"《{t}》"),
    _TITLE.map(lambda t: f"一、废止《{t}》（2001年3月1日甲市人民政府令第5号发布）"),
    _TITLE.map(lambda t: f"根据《{t}》的规定，现将有关事项通知如下："),
    _TITLE.map(lambda t: f"2.删去《{t}》第七条。"),
    _TITLE.map(lambda t: f"《{t}》等3件规范性文件继续有效。"),
    _TITLE.map(lambda t: f"本决定自公布之日起施行，《{t}》同时废止。"),
    st.sampled_from(["关于废止部分规章的决定", "二、对下列规章予以废止：", "甲市人民政府",
                     "2020年4月1日", "附件：1.继续有效的规范性文件目录", "分送：各区人民政府"]),
    st.text(alphabet="甲乙丙丁的了在与和、，。：《》（）一二三1.", max_size=30),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12))
def test_no_line_naming_a_document_is_passed_over_in_silence(lines: list[str]) -> None:
    """A line that names a document (《…》) is taken as an item, an amendment, a summary, a
    heading, a citation or a problem — something said of it — never as plain text."""
    explained = explain_text(Path("x.txt"), "\n".join(lines))
    for line in explained.lines:
        if "《" in line.text and "》" in line.text.split("《", 1)[1]:
            assert line.taken_as != "text", line
