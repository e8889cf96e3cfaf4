"""Importing the real published rows, and what happens with bad ones."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import attrs
import pytest

from regclean import DecisionState, Kind, Outcome, Registry, Status, ValidationError
from regclean.views import show_json


def test_the_real_rows_import_with_proposals(registry_with_rows: Registry) -> None:
    registry = registry_with_rows
    assert registry.count() == 30
    decisions = registry.decisions()
    assert len(decisions) == 30
    assert all(d.state is DecisionState.PROPOSED for d in decisions)
    outcomes = {o: sum(d.outcome is o for d in decisions) for o in Outcome}
    assert outcomes == {
        Outcome.KEEP: 1,
        Outcome.REVISE: 7,
        Outcome.REPEAL: 18,
        Outcome.INVALIDATE: 4,
        Outcome.INVALIDATE_IN_PART: 0,
        Outcome.NOT_NORMATIVE: 0,
    }


@pytest.mark.parametrize(
    ("ref", "title_core"),
    [
        ("省政府令第114号", "山东省信访规定"),
        ("山东省人民政府令第114号", "山东省信访规定"),
        ("鲁政发[1983]90号", "山东省高等教育自学考试若干规定"),
        ("魯政發（1983）90號", "山东省高等教育自学考试若干规定"),
        ("达市府发（2000）65号", "关于城市规划建设管理规定的通知"),
        ("温人防办【2015】39号", "温州市人民防空工程质量监督管理实施办法"),
        ("济南市人民政府令第119号", "济南市报废汽车回收管理办法"),
        ("常州市人民政府令第8号", "常州市生活垃圾分类管理办法"),
        ("杭州市政府令第190号", "杭州市城市扬尘污染防治管理办法"),
        ("北京市社会治安综合治理条例", "北京市社会治安综合治理条例"),
    ],
)
def test_real_rows_are_found_by_any_variant(
    registry_with_rows: Registry, ref: str, title_core: str
) -> None:
    assert registry_with_rows.get(ref).title_core == title_core


def test_show_reports_status_after_approval(registry_with_rows: Registry) -> None:
    registry = registry_with_rows
    registry.approve(["省政府令第114号", "省政府令第141号", "鲁政发〔1983〕90号"], by="山东省人民政府",
                     decision_title="山东省人民政府关于废止〈山东省信访规定〉等3件省政府规章的决定",
                     effective_on="2016")  # fmt: skip
    data = show_json(registry.reads, "省政府令第114号")
    assert data["status"] == "repealed"
    assert data["kind"] == "local_rule"  # an order of a provincial government
    [decision] = data["decisions"]
    assert decision["outcome"] == "repeal" and decision["state"] == "approved"
    assert decision["effective_on"] == "2016"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert show_json(registry.reads, "常州市人民政府令第2号")["status"] == Status.IN_FORCE.value


def test_importing_twice_changes_nothing(registry_with_rows: Registry, sample_csv: Path) -> None:
    before = len(registry_with_rows.events())
    report = registry_with_rows.import_file(sample_csv)
    assert (report.added, report.updated, report.unchanged, report.proposals) == (0, 0, 30, 0)
    assert len(registry_with_rows.events()) == before


def test_a_corrected_row_updates_instead_of_duplicating(
    registry_with_rows: Registry, tmp_path: Path
) -> None:
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("文件名称,文号,发布日期\n《常州市城市市容管理办法》,常州市人民政府令第2号,2016-12-01\n"
                     "《常州市生活垃圾分类管理办法》,常州市人民政府令第8号,2018年11月23日\n",
                     encoding="utf-8")  # fmt: skip
    report = registry_with_rows.import_file(fixed)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2)  # same date, other form
    fixed.write_text("文件名称,文号,发布日期\n《常州市城市市容管理办法》,常州市人民政府令第2号,2016-12-02\n",
                     encoding="utf-8")  # fmt: skip
    report = registry_with_rows.import_file(fixed)
    assert report.updated == 1 and registry_with_rows.count() == 30
    event = registry_with_rows.history("常州市人民政府令第2号")[-1]
    assert event.action == "update" and event.payload["published_on"] == [
        "2016-12-01",
        "2016-12-02",
    ]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def test_bad_rows_import_nothing_and_every_problem_is_listed(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "form.csv", [
        ["序号", "文件名称", "文号", "发布日期", "清理意见"],
        ["1", "好的办法", "温政发〔2004〕12号", "2004-03-20", "继续有效"],
        ["2", "", "温政发〔2004〕13号", "", "废止"],
        ["3", "坏文号的办法", "温政发2004", "", "保留"],
        ["4", "坏日期的办法", "", "2004-02-30", "保留"],
        ["5", "坏意见的办法", "", "", "删掉"],
    ])  # fmt: skip
    with pytest.raises(ValidationError) as info:
        fresh_registry.import_file(path)
    where = {(p.record, p.field) for p in info.value.problems}
    assert where == {
        ("form.csv, row 3", "title"),
        ("form.csv, row 4", "doc_number"),
        ("form.csv, row 5", "published_on"),
        ("form.csv, row 6", "outcome"),
    }
    assert "温政发2004" in str(info.value) and "删掉" in str(info.value)
    assert fresh_registry.count() == 0 and fresh_registry.decisions() == []


def test_a_conflict_found_while_writing_rolls_everything_back(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    doc = fresh_registry.add_instrument(title="旧办法", doc_number="温政发〔2001〕1号")
    fresh_registry.propose(doc.id, "keep")
    path = write_csv(tmp_path / "form.csv", [
        ["文件名称", "文号", "清理意见"],
        ["新办法", "温政发〔2020〕1号", "保留"],
        ["旧办法", "温政发〔2001〕1号", "废止"],
    ])  # fmt: skip
    with pytest.raises(ValidationError, match=r"form\.csv, row 3.*open proposal"):
        fresh_registry.import_file(path)
    assert fresh_registry.count() == 1


def test_dry_run_reports_and_changes_nothing(fresh_registry: Registry, sample_csv: Path) -> None:
    report = fresh_registry.import_file(sample_csv, dry_run=True)
    assert (report.added, report.proposals, report.dry_run) == (30, 30, True)
    assert fresh_registry.count() == 0 and len(fresh_registry.events()) == 1  # only "init"


def test_gb18030_and_a_title_row_above_the_header(fresh_registry: Registry, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", [
        ["附件1：继续有效的规范性文件目录", "", ""],
        ["序号", "标题", "发文字号"],
        ["1", "關於印發《溫州市某某辦法》的通知", "溫政發〔2019〕3號"],
    ], encoding="gb18030")  # fmt: skip
    report = fresh_registry.import_file(path, department="市司法局")
    assert report.added == 1
    doc = fresh_registry.get("温政发〔2019〕3号")
    assert doc.title == "關於印發《溫州市某某辦法》的通知" and doc.department == "市司法局"


def test_unknown_columns_are_reported_not_lost_silently(
    fresh_registry: Registry, sample_csv: Path
) -> None:
    report = fresh_registry.import_file(sample_csv, dry_run=True)
    assert report.ignored[str(sample_csv)] == ["source", "seq"]
    mapping = report.mapping[str(sample_csv)]
    assert mapping["date"] == "published_on" and mapping["outcome"] == "outcome"


def test_unsupported_and_missing_files(fresh_registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unsupported file type"):
        fresh_registry.import_file(tmp_path / "x.wps")
    with pytest.raises(ValidationError, match="no such file"):
        fresh_registry.import_file(tmp_path / "x.csv")
    empty = write_csv(tmp_path / "e.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(ValidationError, match="no header row"):
        fresh_registry.import_file(empty)


def test_shipped_sample_is_the_shared_data(sample_csv: Path) -> None:
    from regclean.demo import sample_text

    assert sample_csv.read_text(encoding="utf-8") == sample_text()


def test_the_issuer_comes_from_an_order_number_when_no_column_gives_it(
    tmp_path: Path, clock
) -> None:
    """陕西省人民政府令第152号 names its issuer; a generic 省政府令 takes the registry's province;
    a 文号 (温政发) spells no name and leaves the issuer empty. The report says what it inferred."""
    source = tmp_path / "orders.csv"
    source.write_text(
        "文件名称,文号\n陕西省收费证管理办法,陕西省人民政府令第152号\n山东省信访规定,省政府令第114号\n"
        "某条例,国务院令第473号\n甲办法,温政发〔2004〕12号\n",
        encoding="utf-8",
    )
    with Registry.init(tmp_path / "reg", jurisdiction="山东省", clock=clock) as reg:
        report = reg.import_file(source)
        issuers = {i.title: i.issuer for i in reg.instruments()}
    assert issuers == {"陕西省收费证管理办法": "陕西省人民政府", "山东省信访规定": "山东省人民政府",
                       "某条例": "国务院", "甲办法": ""}  # fmt: skip
    assert report.inferred_issuers == {"陕西省人民政府": 1, "山东省人民政府": 1, "国务院": 1}
    assert "issuer taken from the order number" in report.summary()


def test_a_problem_names_the_files_own_column(fresh_registry: Registry, tmp_path: Path) -> None:
    source = tmp_path / "inventory.csv"
    source.write_text("标题,成文日期\n甲办法,2024年13月06日 16:40\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        fresh_registry.import_file(source)
    problem = caught.value.problems[0]
    assert (problem.record, problem.field, problem.column) == ("inventory.csv, row 2", "signed_on",
                                                              "成文日期")  # fmt: skip
    assert "field signed_on (column 成文日期)" in str(caught.value)


def test_a_reason_column_named_for_its_outcome_implies_it(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A State Council style table: 法规名称 | 废止理由, no outcome column (titles and reason from
    the 2008 decision as Xinhua reported it): every row is a repeal, with its reason."""
    source = tmp_path / "repealed.csv"
    source.write_text(
        "序号,法规名称,废止理由\n1,铁路留用土地办法,主要内容已被新的法律或者行政法规所代替\n"
        "2,企业职工奖惩条例,主要内容已被新的法律或者行政法规所代替\n",
        encoding="utf-8",
    )
    report = fresh_registry.import_file(source)
    decisions = fresh_registry.decisions()
    assert [(d.outcome, d.reason_text) for d in decisions] == [
        (Outcome.REPEAL, "主要内容已被新的法律或者行政法规所代替")] * 2  # fmt: skip
    assert report.implied == {str(source): "废止 (column 废止理由)"}


def test_a_catalog_title_row_states_every_rows_outcome(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "catalog.csv"
    source.write_text("宣布失效的规范性文件目录,,\n序号,文件名称,文号\n1,甲办法,温政发〔2004〕12号\n",
                      encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(source)
    assert [d.outcome for d in fresh_registry.decisions()] == [Outcome.INVALIDATE]
    assert report.implied == {str(source): "宣布失效 (title 宣布失效的规范性文件目录)"}


def test_the_outcome_of_every_row_can_be_given(fresh_registry: Registry, tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("文件名称,文号,清理意见\n甲办法,温政发〔2004〕12号,\n乙办法,温政发〔2004〕13号,保留\n",
                      encoding="utf-8")  # fmt: skip
    fresh_registry.import_file(source, outcome="废止")
    assert [d.outcome for d in fresh_registry.decisions()] == [Outcome.REPEAL, Outcome.KEEP]


def test_a_reason_with_no_outcome_anywhere_is_an_error_not_a_loss(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "reasons.csv"
    source.write_text("文件名称,理由\n甲办法,与上位法不一致\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        fresh_registry.import_file(source)
    (problem,) = caught.value.problems
    assert (problem.record, problem.field, problem.column) == (
        "reasons.csv, row 2",
        "reason",
        "理由",
    )
    assert fresh_registry.count() == 0
    remarks = tmp_path / "remarks.csv"  # 备注 may be any remark: not an error
    remarks.write_text("文件名称,备注\n甲办法,存档\n", encoding="utf-8")
    assert fresh_registry.import_file(remarks).added == 1


def test_of_two_date_columns_the_official_one_is_used(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """Disclosure pages give 发文日期 (the document's) and 发布日期 (the web posting, with a time):
    the first is the published date; the second is listed among the ignored columns."""
    source = tmp_path / "pages.csv"
    source.write_text("标题,发文字号,发文日期,发布日期\n甲办法,温政发〔2020〕1号,2020年09月28日,"
                      "2020-09-30 15:34\n", encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(source)
    assert str(fresh_registry.get("甲办法").published_on) == "2020-09-28"
    assert report.ignored[str(source)] == ["发布日期"]


def test_kinds_are_inferred_from_the_column_issuer_and_number(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """条例 of the State Council is a 行政法规, a 法规名称 column says 法规; an order of a city
    government is a 地方政府规章; the report counts what it guessed."""
    laws = tmp_path / "laws.csv"
    laws.write_text("序号,法规名称,发布日期\n1,企业职工奖惩条例,1982年4月10日\n", encoding="utf-8")
    report = fresh_registry.import_file(laws)
    assert fresh_registry.get("企业职工奖惩条例").kind is Kind.REGULATION
    assert report.inferred_kinds == {}  # the column said so
    rows = tmp_path / "rows.csv"
    rows.write_text("文件名称,文号,制定机关\n某某条例,国发〔1985〕3号,国务院\n某办法,温州市人民政府令第5号,\n"
                    "关于印发甲办法的通知,温政发〔2004〕12号,温州市人民政府\n", encoding="utf-8")  # fmt: skip
    report = fresh_registry.import_file(rows)
    kinds = [fresh_registry.get(t).kind for t in ("某某条例", "某办法", "甲办法")]
    assert kinds == [Kind.ADMIN_REGULATION, Kind.LOCAL_RULE, Kind.NORMATIVE]
    assert report.inferred_kinds == {"行政法规": 1, "地方政府规章": 1, "行政规范性文件": 1}


@pytest.fixture
def read_ahead(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every file is read in a forked process (as files of READ_AHEAD_FROM bytes are); the file
    returned collects the ids of the processes that read rows."""
    import os

    import regclean.ingest as ingest

    pids = tmp_path / "reader-pids"
    real_rows = ingest._rows

    def rows(*args, **kwargs):  # type: ignore[no-untyped-def]
        with pids.open("a") as out:
            out.write(f"{os.getpid()}\n")
        yield from real_rows(*args, **kwargs)

    monkeypatch.setattr(ingest, "READ_AHEAD_FROM", 0)
    monkeypatch.setattr(ingest, "READ_AHEAD_BATCH", 7)  # several batches from 30 rows
    monkeypatch.setattr(ingest, "_rows", rows)
    return pids


def test_a_large_file_read_ahead_imports_exactly_as_read_here(
    read_ahead: Path, fresh_registry: Registry, sample_csv: Path, tmp_path: Path, clock
) -> None:
    import os

    report = fresh_registry.import_file(sample_csv)
    assert report.rows == 30 and report.added == 30 and report.proposals == 30
    readers = {int(p) for p in read_ahead.read_text().split()}
    assert readers and os.getpid() not in readers  # the rows were read in another process
    with Registry.init(tmp_path / "here", jurisdiction="温州市", clock=clock) as here:
        import regclean.ingest as ingest

        ingest.READ_AHEAD_FROM = 10**12  # (monkeypatch restores it) read in this process
        here.import_file(sample_csv)

        def content(registry: Registry) -> list[dict]:
            rows = [attrs.asdict(x) for x in [*registry.instruments(), *registry.decisions()]]
            return [{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]

        assert content(here) == content(fresh_registry)


def test_bad_rows_read_ahead_are_every_one_reported_and_nothing_is_written(
    read_ahead: Path, fresh_registry: Registry, tmp_path: Path
) -> None:
    rows = [["文件名称", "文号", "发布日期", "清理意见"]]
    rows += [[f"办法{i}", f"温政发〔2004〕{i}号", "2004-03-20", "继续有效"] for i in range(1, 20)]
    rows[5][1] = "温政发2004"
    rows[17][3] = "删掉"
    with pytest.raises(ValidationError) as info:
        fresh_registry.import_file(write_csv(tmp_path / "form.csv", rows))
    where = {(p.record, p.field, p.column) for p in info.value.problems}
    assert where == {("form.csv, row 6", "doc_number", "文号"),
                     ("form.csv, row 18", "outcome", "清理意见")}  # fmt: skip
    assert fresh_registry.count() == 0


def test_a_file_that_breaks_while_read_ahead_is_an_error_naming_it(
    read_ahead: Path, fresh_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "form.csv"
    good = "文件名称,文号,清理意见\n" + "".join(
        f"办法{i},温政发〔2004〕{i}号,保留\n" for i in range(1, 40)
    )
    path.write_text(good + '长办法,"' + "字" * 300_000 + '",保留\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"form\.csv: not valid CSV: field larger"):
        fresh_registry.import_file(path)
    assert fresh_registry.count() == 0
