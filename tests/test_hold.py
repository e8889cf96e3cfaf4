"""#26, round 3 of attacks: the ways a registry or a user's files could be lost.

Each test here failed on the main of 2026-11-29 and holds now. Real processes, real files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regclean import Registry, ValidationError
from regclean.publish import PublishError

from .test_publish import build_sample

ROOT = Path(__file__).resolve().parents[1]


def regclean(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "regclean", *args], capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- 1. a publish never takes a folder regclean did not write --------------------------------


def test_a_planted_marker_in_the_registry_folder_does_not_make_it_a_site(
    fresh_registry: Registry,
) -> None:
    """`echo '{}' > reg/.regclean-site; regclean publish reg --force` moved the database aside,
    and the next publish deleted it."""
    build_sample(fresh_registry)
    reg = fresh_registry.path
    head = fresh_registry.head_hash()
    fresh_registry.close()
    (reg / ".regclean-site").write_text("{}", encoding="utf-8")
    for _ in range(2):
        result = regclean("--registry", str(reg), "publish", str(reg), "--force")
        assert result.returncode == 1 and "registry" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    with Registry.open(reg) as again:
        assert again.head_hash() == head and again.verify().ok
    assert not list(reg.parent.glob(f".{reg.name}.*"))  # nothing moved aside


@pytest.mark.parametrize("marker", ["{}", "copied"])
def test_a_users_folder_with_a_planted_marker_keeps_its_files(
    fresh_registry: Registry, tmp_path: Path, marker: str
) -> None:
    """A marker made by hand, or the real manifest of this registry's site copied into another
    folder, does not make that folder a site to replace."""
    build_sample(fresh_registry)
    fresh_registry.publish(tmp_path / "site")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "报告.docx").write_bytes(b"a clerk's report")
    planted = (tmp_path / "site" / ".regclean-site").read_text(encoding="utf-8")
    (mine / ".regclean-site").write_text("{}" if marker == "{}" else planted, encoding="utf-8")
    before = _tree(mine)
    for replacing in ("", "迁移"):
        if marker == "{}" or not replacing:
            with pytest.raises(PublishError, match=r"not a regclean site|different history"):
                fresh_registry.publish(mine, replacing_history=replacing)
    assert _tree(mine) == before
    assert not list(tmp_path.glob(".mine.*"))
    if marker == "copied":  # replaced saying why: the folder is moved aside, never removed
        fresh_registry.publish(mine, replacing_history="迁移")
        fresh_registry.publish(mine)
        assert before in [_tree(aside) for aside in tmp_path.glob(".mine.*.old")]


def test_a_site_is_never_published_into_or_around_the_registry(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    fresh_registry.add_instrument(title="甲办法")
    reg = fresh_registry.path
    for target in (reg, reg / "site", reg.parent):
        with pytest.raises(PublishError, match="registry"):
            fresh_registry.publish(target)
    assert fresh_registry.verify().ok and not (reg / "site").exists()


def test_a_folder_holding_a_registry_is_never_replaced_even_with_a_reason(
    fresh_registry: Registry, tmp_path: Path, clock
) -> None:
    """Another registry's folder, even with a well-formed manifest planted in it."""
    fresh_registry.add_instrument(title="甲办法")
    fresh_registry.publish(tmp_path / "site")
    with Registry.init(tmp_path / "other", clock=clock) as other:
        other.add_instrument(title="乙办法")
    shutil.copy(tmp_path / "site" / ".regclean-site", tmp_path / "other")
    before = _tree(tmp_path / "other")
    with pytest.raises(PublishError, match="holds a registry"):
        fresh_registry.publish(tmp_path / "other", replacing_history="我确定")
    assert _tree(tmp_path / "other") == before


def test_an_earlier_site_moved_aside_is_removed_only_when_signed(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """The old site a swap leaves beside the new is removed by the next publish; a folder of
    the same name whose manifest was edited (signature no longer holds) is kept."""
    fresh_registry.add_instrument(title="甲办法")
    site = tmp_path / "site"
    fresh_registry.publish(site)
    forged = tmp_path / ".site.f0rg3d__.old"
    shutil.copytree(site, forged)
    manifest = json.loads((forged / ".regclean-site").read_text(encoding="utf-8"))
    manifest["head"] += 1
    (forged / ".regclean-site").write_text(json.dumps(manifest), encoding="utf-8")
    (forged / "mine.txt").write_text("keep", encoding="utf-8")
    for _ in range(3):
        fresh_registry.add_instrument(title=f"乙办法{_}")
        fresh_registry.publish(site)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site."))
    assert forged.name in left and len([n for n in left if n.endswith(".old")]) == 2
    assert (forged / "mine.txt").read_text(encoding="utf-8") == "keep"


# -- 3. rows are never dropped without a word -----------------------------------------------


@pytest.mark.parametrize("claimed", ["A1:D3", "A1"])
def test_a_stale_xlsx_dimension_drops_no_row(
    fresh_registry: Registry, tmp_path: Path, claimed: str
) -> None:
    """Some streaming writers leave `<dimension ref=...>` stale; a 50-row sheet marked A1:D3
    imported 2 rows, one marked A1 none, with exit 0."""
    import re
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["文件名称", "文号", "发布日期"])
    for i in range(50):
        sheet.append([f"测试办法{i}", f"温政发〔2020〕{i + 1}号", "2020-01-01"])
    book.save(tmp_path / "whole.xlsx")
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(tmp_path / "whole.xlsx") as src, zipfile.ZipFile(stale, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, n = re.subn(rb'<dimension ref="[^"]*"/>',
                                  f'<dimension ref="{claimed}"/>'.encode(), data)  # fmt: skip
                assert n == 1
            out.writestr(item, data)
    report = fresh_registry.import_file(stale)
    assert report.added == 50
    assert fresh_registry.get("温政发〔2020〕50号").title == "测试办法49"


# -- 4. a killed import leaves no process behind ------------------------------------------


def test_a_killed_import_leaves_no_reader_behind(fresh_registry: Registry, tmp_path: Path) -> None:
    """The forked process that reads a large file held the pipe's reading end itself, so after
    `kill -9` of the import it blocked in a write for hours, holding the registry open."""
    import signal
    import time

    from .test_reliability import write_rows

    source = write_rows(tmp_path / "big.csv", 60_000)
    assert source.stat().st_size >= 4_000_000  # read ahead in a forked process
    reg = str(fresh_registry.path)
    fresh_registry.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importing = subprocess.Popen([sys.executable, "-m", "regclean", "--registry", reg, "import",
                                  str(source)], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)  # fmt: skip

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
            except (OSError, ValueError):
                continue
            if entry.name.isdigit() and int(stat.rpartition(")")[2].split()[1]) == importing.pid:
                found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 60
    while not (helpers := children()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert helpers, "the import did not fork its reader"
    time.sleep(0.5)  # the reader is filling the pipe
    importing.send_signal(signal.SIGKILL)
    importing.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in helpers):
        alive = [p for p in helpers if Path(f"/proc/{p}").exists()
                 and "Z" not in Path(f"/proc/{p}/stat").read_text().rpartition(")")[2][:3]]  # fmt: skip
        if not alive:
            break
        time.sleep(0.1)
    alive = [p for p in helpers if Path(f"/proc/{p}").exists()
             and "Z" not in Path(f"/proc/{p}/stat").read_text().rpartition(")")[2][:3]]  # fmt: skip
    assert not alive, f"reader processes left running: {alive}"
    with Registry.open(reg) as again:
        assert again.verify().ok


# -- 2. restore takes the registry from every writer ----------------------------------------


@pytest.mark.sqlite_only("restore replaces registry.sqlite")
def test_a_long_lived_writer_loses_nothing_to_a_restore(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A process that opened the registry before `restore --replace` kept committing into the
    replaced file (15-26 of 40 acknowledged adds lost). Now its next write is refused, nothing
    written; it opens the registry again and carries on. Every add it was told succeeded is in
    the registry, or in the safety copy of what the restore replaced."""
    import sqlite3
    import time

    from regclean.backup import restore

    from .test_reliability import python

    fresh_registry.add_instrument(title="备份前的办法")
    fresh_registry.backup(tmp_path / "b.sqlite")
    reg = fresh_registry.path
    fresh_registry.close()
    writer = python(
        """
        import sys, time
        from regclean import Registry, ReplacedError
        reg = Registry.open(sys.argv[1])
        print("open", flush=True)
        for i in range(40):
            while True:
                try:
                    reg.add_instrument(title=f"长期连接写入的办法{i}")
                    break
                except ReplacedError:
                    reg.close()
                    reg = Registry.open(sys.argv[1])
                    print("reopened", flush=True)
            print(f"ok 长期连接写入的办法{i}", flush=True)
            time.sleep(0.02)
        reg.close()
        """,
        str(reg),
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "open"
    time.sleep(0.3)
    restore(tmp_path / "b.sqlite", reg, replace=True)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    acknowledged = {line[3:] for line in out.splitlines() if line.startswith("ok ")}
    assert len(acknowledged) == 40 and "reopened" in out

    def titles(path: Path) -> set[str]:
        conn = sqlite3.connect(path)
        try:
            return {row[0] for row in conn.execute("SELECT title FROM instruments")}
        finally:
            conn.close()

    live, before = titles(reg / "registry.sqlite"), titles(reg / "registry.sqlite.before-restore-1")
    assert acknowledged <= live | before, sorted(acknowledged - live - before)
    with Registry.open(reg) as again:
        assert again.verify().ok


@pytest.mark.sqlite_only("restore replaces registry.sqlite")
def test_every_restore_keeps_its_own_safety_copy_and_checks_the_settings(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A second restore overwrote `registry.sqlite.before-restore`, so restoring the wrong
    backup then the right one lost what was there before both; a backup's settings replaced
    regclean.toml unchecked, with no copy (invalid TOML left the registry unusable)."""
    import sqlite3

    from regclean import RegistryError
    from regclean.backup import restore

    reg = fresh_registry.path
    settings = reg / "regclean.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'require_review = "no"', 'require_review = "yes"'), encoding="utf-8")  # fmt: skip
    fresh_registry.add_instrument(title="甲办法")
    fresh_registry.backup(tmp_path / "right.sqlite")
    fresh_registry.add_instrument(title="两次恢复之前才有的办法")
    wrong = tmp_path / "wrong.sqlite"
    fresh_registry.backup(wrong)
    fresh_registry.close()
    restore(wrong, reg, replace=True)
    restore(tmp_path / "right.sqlite", reg, replace=True)
    conn = sqlite3.connect(reg / "registry.sqlite.before-restore-1")
    assert "两次恢复之前才有的办法" in {r[0] for r in conn.execute("SELECT title FROM instruments")}
    conn.close()
    assert (reg / "registry.sqlite.before-restore-2").is_file()
    assert 'require_review = "yes"' in (reg / "regclean.toml.before-restore-1").read_text(
        encoding="utf-8"
    )
    # a backup whose stored settings are not valid TOML: refused, nothing changed
    bad = tmp_path / "bad.sqlite"
    with Registry.open(reg) as again:
        again.backup(bad)
        head = again.head_hash()
    conn = sqlite3.connect(bad)
    with conn:
        conn.execute("UPDATE regclean_backup SET settings = '[registry\nlang = '")
    conn.close()
    kept = settings.read_bytes()
    with pytest.raises(RegistryError, match="settings stored in the backup are not valid"):
        restore(bad, reg, replace=True)
    assert settings.read_bytes() == kept and not (reg / "registry.sqlite.before-restore-3").exists()
    with Registry.open(reg) as again:
        assert again.head_hash() == head


def test_a_site_moved_to_another_folder_is_still_this_registrys(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A site published elsewhere and moved (as the demo does with its staging) is republished
    over; the same manifest beside a clerk's own file is not a site."""
    fresh_registry.add_instrument(title="甲办法")
    fresh_registry.publish(tmp_path / "first")
    (tmp_path / "first").rename(tmp_path / "moved")
    assert fresh_registry.publish(tmp_path / "moved").instruments == 1
    shutil.copytree(tmp_path / "moved", tmp_path / "mixed")
    (tmp_path / "mixed" / "笔记.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(PublishError, match=r"not a regclean site|different history"):
        fresh_registry.publish(tmp_path / "mixed")


# -- 5. verify reads one snapshot -----------------------------------------------------------


def test_verify_is_one_snapshot_while_a_clerk_writes(fresh_registry: Registry) -> None:
    """While another process wrote, verify reported "instrument N is stored but was never
    logged" in 5 of 8 runs."""
    import time

    from .test_reliability import python

    build_sample(fresh_registry)
    writer = python(
        """
        import sys, time
        from regclean import Registry
        with Registry.open(sys.argv[1]) as reg:
            print("open", flush=True)
            for i in range(400):
                reg.add_instrument(title=f"并发写入的办法{i}", doc_number=f"温政发〔2021〕{i + 1}号")
        """,
        str(fresh_registry.path),
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
    reports = []
    deadline = time.monotonic() + 30
    while writer.poll() is None and time.monotonic() < deadline:
        reports.append(fresh_registry.verify())
    writer.wait(timeout=60)
    assert len(reports) >= 3
    assert all(r.ok for r in reports), [r.problems for r in reports if not r.ok][:2]


# -- 8, 9. one guard for every cell and run written to a spreadsheet or a Word file -----------


@pytest.mark.sqlite_only("it stores a NUL, which PostgreSQL refuses (test_postgresql)")
def test_control_characters_and_formulas_never_break_or_run_in_the_papers(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """NUL, VT or ESC in a title crashed `form` and `draft decision`; U+FFFE crashed an XLSX
    export; a campaign titled =HYPERLINK(…) made a live formula of the title row."""
    import openpyxl
    from docx import Document

    from regclean import papers

    reg = fresh_registry
    nasty = "甲\x00办\x0b法\x1b[2J\ufffe"
    reg.add_instrument(title=nasty, doc_number="温政发〔2010〕1号", issuer="温州市人民政府",
                       published_on="2010-01-01", department="=市司法局")  # fmt: skip
    reg.create_campaign("2024", cutoff="2024-12-31", title='=HYPERLINK("http://x","点此")')
    reg.propose("温政发〔2010〕1号", "废止", campaign="2024", by="科员")
    reg.approve(["温政发〔2010〕1号"], by="市政府", decision_doc="温政发〔2024〕3号",
                effective_on="2024-06-01")  # fmt: skip
    assert reg.get("温政发〔2010〕1号").title == nasty  # stored as given
    written = []
    written += papers.write(reg.department_form("2024", "=市司法局"), tmp_path / "form.xlsx")
    written += papers.write(reg.statistics("2024"), tmp_path / "stats.xlsx")
    written += papers.write(reg.statistics("2024"), tmp_path / "stats.csv")
    written += papers.write(reg.decision_draft(campaign="2024", title="关于废止部分文件的决定"),
                            tmp_path / "draft.docx")  # fmt: skip
    assert reg.export(tmp_path / "all.xlsx") == 1
    for path in (tmp_path / "form.xlsx", tmp_path / "stats.xlsx", tmp_path / "all.xlsx"):
        sheet = openpyxl.load_workbook(path).active
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
    texts = [c.value for row in openpyxl.load_workbook(tmp_path / "form.xlsx").active.iter_rows()
             for c in row if isinstance(c.value, str)]  # fmt: skip
    assert "甲办法[2J" in texts  # the title, without what a workbook cannot hold
    document = Document(str(tmp_path / "draft.docx"))
    body = "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)  # fmt: skip
    assert "甲办法[2J" in body and "\x00" not in body
    assert all(p.exists() for p in written)


# -- 10. control and invisible characters -----------------------------------------------------


def test_a_title_cannot_command_the_terminal_or_split_one_document_in_two(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """ESC, BEL and NUL in a title reached the clerk's terminal through search and show; ten
    invisible characters beyond those already folded split one title with no 文号 into ten
    instruments."""
    title = "温州市扬尘污染防治办法\x1b[2J\x07"
    rows = tmp_path / "rows.csv"
    invisible = ["\ufe0f", "\u034f", "\u2800", "\u115f", "\uffa0", "\u17b4", "\U000e0041",
                 "\U000e0100", "\u3164", "\u180b"]  # fmt: skip
    body = "".join(f"温州市绿化{ch}管理办法,\n" for ch in invisible)
    rows.write_text(f"文件名称,文号\n{title},温政发〔2020〕1号\n{body}", encoding="utf-8")
    report = fresh_registry.import_file(rows)
    assert report.added == 2  # the ten spellings of 温州市绿化管理办法 are one document
    reg = str(fresh_registry.path)
    fresh_registry.close()
    for args in (["search", "扬尘"], ["show", "温政发〔2020〕1号"]):
        result = regclean("--registry", reg, *args)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "\\x1b[2J" in result.stdout  # shown, not obeyed
    with Registry.open(reg) as again:
        assert again.get("温政发〔2020〕1号").title == title  # stored as given


# -- 7, 8. what verify checks, and no traceback anywhere --------------------------------------


def _tamper(registry: Path, *statements: str) -> None:
    import sqlite3

    conn = sqlite3.connect(registry / "registry.sqlite")
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.sqlite_only("the FTS5 index and SQLite's triggers")
def test_the_index_and_unknown_triggers_are_verified(
    fresh_registry: Registry, tmp_path: Path, clock
) -> None:
    """A forged status in the index, or a trigger of someone else's, hid in-force documents
    from `search --status`, and verify said ok."""
    build_sample(fresh_registry)
    fresh_registry.search("办法")  # the index is current
    assert fresh_registry.verify().ok
    reg = fresh_registry.path
    fresh_registry.close()
    backup = tmp_path / "copy"
    shutil.copytree(reg, backup)
    _tamper(reg, "UPDATE search_docs SET status = 'repealed'")
    with Registry.open(reg, clock=clock) as again:
        problems = again.verify().problems
    assert any("field status: 'repealed' in the index" in p for p in problems), problems
    _tamper(backup, "CREATE TRIGGER hide AFTER INSERT ON search_docs BEGIN "
                    "UPDATE search_docs SET status = 'repealed' WHERE rowid = new.rowid; END")  # fmt: skip
    with Registry.open(backup, clock=clock) as again:
        assert any("trigger hide is not regclean's" in p for p in again.verify().problems)


@pytest.mark.sqlite_only("it edits registry.sqlite's triggers")
def test_no_traceback_for_hostile_numbers_queries_payloads_or_tables(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    build_sample(fresh_registry)
    reg = fresh_registry.path
    fresh_registry.close()
    nots = " ".join(f"-{chr(0x4E00 + i)}" for i in range(95))  # overflowed FTS5 at ~90
    cases = [
        (["search", "办法", "--limit", "99999999999999999999"], 1, "limit must be from 1"),
        (["show", "99999999999999999999999"], 1, "no instrument matches"),
        (["history", "99999999999999999999999"], 1, "no instrument matches"),
        (["search", f"办法 {nots}"], 0, "result"),  # parser stack overflow at ~90 before
        (["search", "办法" * 300], 1, "at most 400"),
    ]
    for args, code, said in cases:
        result = regclean("--registry", str(reg), *args)
        assert result.returncode == code and said in result.stdout + result.stderr, (args, result)
        assert "Traceback" not in result.stderr
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    raw = subprocess.run([sys.executable, "-m", "regclean", "--registry", str(reg), "show",
                          b"\xff\xfe"], capture_output=True, env=env)  # fmt: skip
    assert (
        raw.returncode == 2 and b"not valid UTF-8" in raw.stderr and b"Traceback" not in raw.stderr
    )
    deep = tmp_path / "deep"
    shutil.copytree(reg, deep)
    _tamper(deep, "DROP TRIGGER events_no_update",
            "UPDATE events SET payload = '{\"a\": ' || replace(hex(zeroblob(5000)), '00', '[') "
            "|| '}' WHERE seq = 3")  # fmt: skip
    for args in (["verify"], ["history", "1"], ["publish", str(tmp_path / "site")]):
        result = regclean("--registry", str(deep), *args)
        assert "Traceback" not in result.stderr, (args, result.stderr[-300:])
    checked = regclean("--registry", str(deep), "verify")
    assert checked.returncode == 1 and "FAILED" in checked.stdout + checked.stderr
    dropped = tmp_path / "dropped"
    shutil.copytree(reg, dropped)
    _tamper(dropped, "DROP TABLE relations")
    result = regclean("--registry", str(dropped), "verify")
    assert result.returncode == 1 and "the table relations is gone" in result.stdout + result.stderr


# -- 6. publish prints nothing verify would refuse -------------------------------------------


@pytest.mark.sqlite_only("it forges a field in registry.sqlite")
def test_publish_refuses_what_verify_would(fresh_registry: Registry, tmp_path: Path, clock) -> None:
    """A forged field was caught by verify, but a publish run before it put the forged text on
    the public site. A full publish verifies all; a republish, what it renders anew."""
    build_sample(fresh_registry)
    site = tmp_path / "site"
    fresh_registry.publish(site)
    before = _tree(site)
    doc = fresh_registry.get("温政发〔2012〕1号")
    reg = fresh_registry.path
    fresh_registry.close()
    _tamper(reg, f"UPDATE instruments SET title = '伪造的标题' WHERE id = {doc.id}")
    with Registry.open(reg, clock=clock) as again:
        again.update_instrument(doc.id, issuer="温州市人民政府办公室")  # its page is made anew
        with pytest.raises(PublishError, match="does not verify"):
            again.publish(site)
        assert _tree(site) == before
        with pytest.raises(PublishError, match="field title"):
            again.publish(tmp_path / "fresh")  # a full publish
        assert not (tmp_path / "fresh").exists()


# -- 11. smaller things ------------------------------------------------------------------------


def test_an_undecodable_csv_names_the_line_and_byte(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes("文件名称,文号\n甲办法,温政发〔2020〕1号\n".encode() + b"\xff\xfe\xe5\x9d,x\n")
    with pytest.raises(ValidationError, match=r"line 3, byte \d+: ff fe"):
        fresh_registry.import_file(bad)
    assert fresh_registry.count() == 0


def test_the_shipped_catalogs_are_found_from_a_source_checkout(monkeypatch) -> None:
    """`python -m regclean` run in a source checkout beside an installed copy failed at import:
    the checkout has no package regclean.catalogs (the wheel maps catalogs/ to it)."""
    from importlib import resources

    from regclean import catalog

    def missing(name: str):  # type: ignore[no-untyped-def]
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(resources, "files", missing)
    found = catalog._shipped()
    assert found == ROOT / "catalogs" and (found / "catalogs.toml").is_file()


def test_skip_invalid_imports_nothing_when_the_rejected_rows_cannot_be_written(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """It exited 1 after committing the good rows: the clerk could not tell what went in."""
    rows = tmp_path / "form.csv"
    rows.write_text("文件名称,文号,发布日期\n甲办法,温政发〔2020〕1号,2020-01-01\n乙办法,温政发〔2020〕2号,不是日期\n",
                    encoding="utf-8")  # fmt: skip
    (tmp_path / "form.rejected.csv").mkdir()  # cannot be written as a file
    with pytest.raises(ValidationError, match="nothing was imported"):
        fresh_registry.import_file(rows, skip_invalid=True)
    assert fresh_registry.count() == 0


def test_a_hidden_row_of_a_workbook_is_not_imported_behind_the_clerks_back(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["文件名称", "文号", "清理意见"])
    sheet.append(["甲办法", "温政发〔2020〕1号", "继续有效"])
    sheet.append(["乙办法", "温政发〔2020〕2号", "废止"])
    sheet.row_dimensions[3].hidden = True
    book.save(tmp_path / "form.xlsx")
    with pytest.raises(ValidationError, match=r"row 3.*hidden in the workbook"):
        fresh_registry.import_file(tmp_path / "form.xlsx")
    assert fresh_registry.count() == 0
    sheet.row_dimensions[3].hidden = False
    book.save(tmp_path / "form.xlsx")
    assert fresh_registry.import_file(tmp_path / "form.xlsx").added == 2


def test_a_workbook_that_unpacks_a_huge_sheet_is_judged_before_it_is_read(
    fresh_registry: Registry, tmp_path: Path
) -> None:
    """A 1.2 MB workbook whose sheet unpacks to 214 MB (178-fold) took 67 s to read; real sheets
    expand 10-20-fold. A large part is held to 100-fold, before anything is parsed."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["文件名称", "文号"])
    book.save(tmp_path / "small.xlsx")
    swollen = tmp_path / "swollen.xlsx"
    row = '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>甲</t></is></c></row>'
    with (
        zipfile.ZipFile(tmp_path / "small.xlsx") as src,
        zipfile.ZipFile(swollen, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                import random

                rng = random.Random(1)  # a block of 2,000 letters repeated: about 178-fold
                block = "".join(rng.choice("abcdefghij") for _ in range(2000)).encode()
                padding = b"<!--" + block * (60 * 2**20 // 2000) + b"-->"
                data = data.replace(b"</sheetData>", row.format(2).encode() + b"</sheetData>")
                data = data.replace(b"<sheetData>", b"<sheetData>" + padding)
            out.writestr(item.filename, data)
    assert swollen.stat().st_size < 1024 * 1024  # the sheet inside is over 60 MB
    with pytest.raises(ValidationError, match=r"expands \d+-fold"):
        fresh_registry.import_file(swollen)


def test_a_query_longer_than_any_question_is_refused_at_once(fresh_registry: Registry) -> None:
    """The whoosh engine's cost grew without bound (44 s for a 1,000-character query); both
    engines refuse such a query with a clear message before any work."""
    fresh_registry.add_instrument(title="甲办法")
    with pytest.raises(ValidationError, match="at most 400"):
        fresh_registry.search("办法" * 500)
    assert [h.instrument.title for h in fresh_registry.search("办法 " * 50)] == ["甲办法"]
