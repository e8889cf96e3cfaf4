"""Publishing: the catalogs, their twins, escaping, atomic swaps, overrides and the golden site."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

import regclean.publish
import regclean.publish.pool
from regclean import Registry
from regclean.publish import PublishError, publish, render_site

from .conftest import write_settings

_ORIGINAL_CHUNK = regclean.publish.pool.render_chunk

GOLDEN = Path(__file__).parent / "golden" / "site"
SCHEMA = Path(__file__).resolve().parents[1] / "catalogs" / "registry.rng"
EVIL = '<script>alert("x")</script> & "quotes" ]]> 办法'


def build_sample(registry: Registry) -> Registry:
    """A small registry covering every catalog, a withdrawal, a replacement and hostile text."""
    a = registry.add_instrument(
        title="关于印发《温州市城市绿化管理办法》的通知",
        doc_number="温政发〔2004〕12号",
        issuer="温州市人民政府",
        published_on="2004-03-20",
        department="市园林局",
    )
    b = registry.add_instrument(
        title="温州市城市绿化管理办法（2024年修订）",
        doc_number="温政发〔2024〕5号",
        issuer="温州市人民政府",
        published_on="2024-05-01",
    )
    c = registry.add_instrument(
        title=EVIL, doc_number="温政办〔2010〕3号", issuer="<b>温州市</b>", published_on="2010"
    )
    d = registry.add_instrument(
        title="温州市临时救助暂行办法",
        doc_number="温政办〔2015〕9号",
        issuer="温州市人民政府办公室",
        published_on="2015-07-01",
    )
    e = registry.add_instrument(
        title="温州市档案管理规定",
        doc_number="温州市人民政府令第48号",
        issuer="温州市人民政府",
        published_on="2009-01-01",
    )
    f = registry.add_instrument(
        title="温州市错清的办法",
        doc_number="温政发〔2012〕1号",
        issuer="温州市人民政府",
        published_on="2012-01-01",
    )
    registry.propose(
        a.id, "repeal", reason="已被新规定代替", replaced_by=b.id, by="张三", department="市园林局"
    )
    registry.propose(c.id, "废止", reason='=HYPERLINK("http://evil") 与上位法相抵触', by="李四")
    registry.approve(
        [a.id, c.id],
        by="温州市人民政府",
        decision_doc="温政发〔2024〕9号",
        decision_title="温州市人民政府关于废止部分规范性文件的决定",
        effective_on="2024-06-01",
    )
    registry.propose(d.id, "失效", reason="适用期已过", by="王五")
    registry.review([d.id], by="孙审", office="温州市司法局", opinion="同意宣布失效")
    registry.approve(
        [d.id],
        by="温州市人民政府",
        effective_on="2024-06-01",
        decision_title="温州市人民政府关于宣布失效一批规范性文件的决定",
    )
    registry.propose(e.id, "保留", by="赵六")
    registry.approve([e.id], by="温州市人民政府", effective_on="2024-06-01")
    registry.propose(f.id, "repeal", reason="x", by="钱七")
    registry.approve(
        [f.id],
        by="温州市人民政府",
        effective_on="2024-06-01",
        decision_doc="温政发〔2024〕9号",
        decision_title="温州市人民政府关于废止部分规范性文件的决定",
    )
    registry.withdraw(f.id, by="温州市司法局", reason="错清，恢复效力")
    registry.create_campaign(
        "2027", cutoff="2026-06-30", deadline="2027-06-30", title="2027年规范性文件清理"
    )
    registry.propose(f.id, "保留", by="钱七", campaign="2027", department="市园林局")
    return registry  # fmt: skip


@pytest.fixture
def sample(fresh_registry: Registry) -> Registry:
    return build_sample(fresh_registry)


@pytest.fixture
def site(sample: Registry, tmp_path: Path) -> Path:
    publish(sample, tmp_path / "site")
    return tmp_path / "site"


def rows_of(page: Path) -> list[list[str]]:
    tree = html.parse(str(page))
    return [[cell.text_content().strip() for cell in tr.xpath("./th|./td")]
            for tr in tree.xpath("//tbody/tr")]  # fmt: skip


def test_repealed_catalog_lists_approved_repeals_grouped_by_decision(site: Path) -> None:
    tree = html.parse(str(site / "catalogs" / "repealed.html"))
    assert tree.findtext(".//title").startswith("废止目录")
    assert tree.getroot().get("lang") == "zh-CN"
    [heading] = tree.xpath("//section/h2")
    assert "温州市人民政府关于废止部分规范性文件的决定" in heading.text_content()
    assert "温政发〔2024〕9号" in heading.text_content()
    rows = rows_of(site / "catalogs" / "repealed.html")
    assert [r[2] for r in rows] == ["温政发〔2004〕12号", "温政办〔2010〕3号"]  # withdrawn one gone
    assert rows[0][0] == "1" and rows[0][5] == "2024年6月1日"
    assert "替代文件" in rows[0][1] and "2024年修订" in rows[0][1]
    headers = [th.text_content() for th in tree.xpath("//thead/tr/th")]
    assert headers == ["序号", "文件名称", "文号", "制定机关", "发布日期", "废止/失效日期", "理由"]
    assert all(th.get("scope") == "col" for th in tree.xpath("//thead/tr/th"))


def test_other_catalogs(site: Path) -> None:
    assert [r[2] for r in rows_of(site / "catalogs" / "invalidated.html")] == ["温政办〔2015〕9号"]
    assert [r[2] for r in rows_of(site / "catalogs" / "kept.html")] == ["温州市人民政府令第48号"]
    revised = html.parse(str(site / "catalogs" / "revised.html"))
    assert revised.xpath("//p[@class='empty']")[0].text == "暂无"


def test_hostile_text_is_escaped_everywhere(site: Path) -> None:
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<b>温州市</b>" not in text, path
    page = html.parse(str(site / "instruments" / "3.html"))
    assert page.findtext(".//h1") == EVIL  # shown as text, exactly
    ld = page.xpath("//script[@type='application/ld+json']")[0].text
    assert json.loads(ld)["name"] == EVIL
    assert "</script>" not in ld


def test_csv_twin_is_excel_safe(site: Path) -> None:
    raw = (site / "catalogs" / "repealed.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "序号",
        "文件名称",
        "文号",
        "制定机关",
        "发布日期",
        "清理结果",
        "生效日期",
    ]
    reason = rows[2][7]
    assert reason.startswith("'=HYPERLINK")


def test_json_twin_and_machine_files(site: Path) -> None:
    data = json.loads((site / "catalogs" / "repealed.json").read_text(encoding="utf-8"))
    assert data["count"] == 2 and data["rows"][0]["decision_doc"] == "温政发〔2024〕9号"
    registry_xml = etree.parse(str(site / "registry.xml"))
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(registry_xml), schema.error_log
    sitemap = etree.parse(str(site / "sitemap.xml"))
    assert len(sitemap.getroot()) == len(list(site.rglob("*.html")))


def test_atom_feed_has_approvals_and_withdrawals(site: Path) -> None:
    feed = etree.parse(str(site / "feed.atom"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    terms = [c.get("term") for c in feed.xpath("//a:entry/a:category", namespaces=ns)]
    assert sorted(terms) == sorted(["repeal-approved"] * 3 + ["invalidate-approved", "keep-approved",
                                                              "repeal-withdrawn"])  # fmt: skip
    withdrawn = feed.xpath(
        "//a:entry[a:category/@term='repeal-withdrawn']/a:summary", namespaces=ns
    )[0]
    assert "错清，恢复效力" in withdrawn.text


def test_instrument_page_shows_the_whole_history(site: Path) -> None:
    page = html.parse(str(site / "instruments" / "6.html"))
    text = page.getroot().text_content()
    for words in ("钱七", "温州市司法局", "错清，恢复效力", "已撤回", "现行有效"):
        assert words in text
    ld = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["@type"] == "Legislation" and ld["legislationLegalForce"] == "InForce"
    repealed = json.loads(html.parse(str(site / "instruments" / "1.html"))
                          .xpath("//script[@type='application/ld+json']")[0].text)  # fmt: skip
    assert repealed["legislationLegalForce"] == "NotInForce"
    assert repealed["legislationIdentifier"] == "温政发〔2004〕12号"
    successor = json.loads(html.parse(str(site / "instruments" / "2.html"))
                           .xpath("//script[@type='application/ld+json']")[0].text)  # fmt: skip
    assert successor["legislationRepeals"][0]["@id"].endswith("instruments/1.html")


def test_english_labels(sample: Registry, tmp_path: Path) -> None:
    publish(sample, tmp_path / "en", lang="en")
    page = html.parse(str(tmp_path / "en" / "catalogs" / "repealed.html"))
    assert page.getroot().get("lang") == "en"
    assert page.findtext(".//title").startswith("Repealed instruments")
    assert page.xpath("//thead/tr/th")[0].text_content() == "No."


def test_publishing_twice_gives_identical_bytes(sample: Registry) -> None:
    assert render_site(sample) == render_site(sample)


def test_a_failed_publish_leaves_the_previous_site_whole(sample: Registry, tmp_path: Path) -> None:
    publish(sample, tmp_path / "site")
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    override = sample.path / "catalogs"
    override.mkdir()
    (override / "catalog.xsl").write_text("<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>\n"
                                          "<xsl:template match='/'>\n<oops>\n</xsl:template>\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(PublishError, match=r"catalog\.xsl, line \d+"):
        publish(sample, tmp_path / "site")
    after = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "reg", "site"]  # no staging


def test_an_override_falls_back_to_the_shipped_layout(sample: Registry, tmp_path: Path) -> None:
    override = sample.path / "catalogs"
    override.mkdir()
    (override / "index.xsl").write_text(
        "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:import href='layout.xsl'/>"
        "<xsl:template match='/page' mode='content'><h1>本机关自定义首页</h1></xsl:template>"
        "</xsl:stylesheet>", encoding="utf-8")  # fmt: skip
    publish(sample, tmp_path / "site")
    page = html.parse(str(tmp_path / "site" / "index.html"))
    assert page.findtext(".//h1") == "本机关自定义首页"
    assert page.xpath("//nav//a")  # the shipped layout still frames it


def test_a_missing_stylesheet_lists_the_places_looked(sample: Registry, tmp_path: Path) -> None:
    override = sample.path / "catalogs"
    override.mkdir()
    (override / "catalogs.toml").write_text(
        '[[catalog]]\nname = "mine"\noutcome = "废止"\ntitle_zh = "我的目录"\nstylesheet = "mine.xsl"\n',
        encoding="utf-8",
    )
    with pytest.raises(PublishError) as info:
        publish(sample, tmp_path / "site")
    assert "mine.xsl: not found" in str(info.value)
    assert str(override / "mine.xsl") in str(info.value)  # the registry's own folder first
    assert str(info.value).count("catalogs/mine.xsl") == 2  # then the shipped catalogs


def test_stylesheets_cannot_read_files(sample: Registry, tmp_path: Path) -> None:
    override = sample.path / "catalogs"
    override.mkdir()
    (override / "index.xsl").write_text(
        "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:template match='/'><html><xsl:copy-of select=\"document('/etc/passwd')\"/></html></xsl:template>"
        "</xsl:stylesheet>", encoding="utf-8")  # fmt: skip
    with pytest.raises(PublishError):
        publish(sample, tmp_path / "site")


_RUNAWAY = {
    "loop": "<xsl:template name='f'><xsl:param name='n'/><xsl:if test='$n &gt; 0'>"
    "<xsl:call-template name='f'><xsl:with-param name='n' select='$n - 1'/></xsl:call-template>"
    "<xsl:call-template name='f'><xsl:with-param name='n' select='$n - 1'/></xsl:call-template>"
    "</xsl:if></xsl:template>"
    "<xsl:template match='/'><html><body><xsl:call-template name='f'>"
    "<xsl:with-param name='n' select='60'/></xsl:call-template>x</body></html></xsl:template>",
    "memory": "<xsl:template name='d'><xsl:param name='s'/><xsl:param name='n'/><xsl:choose>"
    "<xsl:when test='$n &gt; 0'><xsl:call-template name='d'>"
    "<xsl:with-param name='s' select='concat($s, $s)'/><xsl:with-param name='n' select='$n - 1'/>"
    "</xsl:call-template></xsl:when><xsl:otherwise><xsl:value-of select='string-length($s)'/>"
    "</xsl:otherwise></xsl:choose></xsl:template>"
    "<xsl:template match='/'><html><body><xsl:call-template name='d'>"
    "<xsl:with-param name='s' select='\"abcdefgh\"'/><xsl:with-param name='n' select='40'/>"
    "</xsl:call-template></body></html></xsl:template>",
}


@pytest.mark.parametrize("runaway", sorted(_RUNAWAY))
def test_a_runaway_stylesheet_override_is_stopped_with_a_clear_error(
    sample: Registry, tmp_path: Path, monkeypatch, runaway: str
) -> None:
    """#17: an override that never ends (2^60 calls) or doubles a string until memory runs out
    is stopped at the time or memory limit, the error names the file, and the site is kept."""
    from regclean.publish import sandbox

    # the memory case gets time enough that its memory limit, not the clock, stops it on a
    # loaded machine (CI once hit 3 s first)
    monkeypatch.setattr(sandbox, "SECONDS", 3.0 if runaway == "loop" else 20.0)
    monkeypatch.setattr(sandbox, "MEGABYTES", 300)
    site = tmp_path / "site"
    publish(sample, site)
    before = _files(site)
    override = sample.path / "catalogs"
    override.mkdir()
    (override / "index.xsl").write_text(
        "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        + _RUNAWAY[runaway] + "</xsl:stylesheet>", encoding="utf-8")  # fmt: skip
    started = time.monotonic()
    with pytest.raises(PublishError) as caught:
        publish(sample, site)
    assert time.monotonic() - started < 40
    message = str(caught.value)
    assert str(override / "index.xsl") in message
    assert (
        ("within 3 s" in message)
        if runaway == "loop"
        else ("300 MB" in message or "memory" in message)
    )
    assert _files(site) == before


def test_an_override_renders_as_the_shipped_stylesheet_would(
    sample: Registry, tmp_path: Path
) -> None:
    """An override that is a copy of a shipped stylesheet (run in the helper process, under
    limits) makes the same pages."""
    from regclean.catalog import SHIPPED

    publish(sample, tmp_path / "shipped")
    override = sample.path / "catalogs"
    override.mkdir()
    for name in ("instrument.xsl", "catalog.xsl"):
        (override / name).write_bytes((SHIPPED / name).read_bytes())
    publish(sample, tmp_path / "own", incremental=False)
    shipped, own = _files(tmp_path / "shipped"), _files(tmp_path / "own")
    assert {k: v for k, v in own.items() if k != ".regclean-site"} == {
        k: v for k, v in shipped.items() if k != ".regclean-site"}  # fmt: skip


def test_a_folder_that_is_not_a_site_is_never_replaced(sample: Registry, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(PublishError, match="not a regclean site"):
        publish(sample, tmp_path / "docs")
    assert (tmp_path / "docs" / "mine.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.sqlite_only(
    "its bytes hold the head hash, whose times count the test clock's readings by SQLite's migrations"
)
def test_golden_site(sample: Registry, tmp_path: Path) -> None:
    """The sample registry's site, byte for byte. Regenerate after an intended change with
    ``REGCLEAN_UPDATE_GOLDEN=1 python -m pytest tests/test_publish.py -k golden``."""
    files = render_site(sample)
    if os.environ.get("REGCLEAN_UPDATE_GOLDEN"):
        import shutil

        shutil.rmtree(GOLDEN, ignore_errors=True)
        for relative, content in files.items():
            (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / relative).write_bytes(content)
    expected = {
        str(p.relative_to(GOLDEN)): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(files) == sorted(expected)
    for relative, content in files.items():
        assert content == expected[relative], f"{relative} differs from tests/golden/site"


def test_republish_rewrites_only_what_changed_and_equals_a_full_publish(
    sample: Registry, tmp_path: Path
) -> None:
    site, full = tmp_path / "site", tmp_path / "full"
    publish(sample, site)
    before = {p.name: p.stat().st_ino for p in (site / "instruments").iterdir()}
    sample.update_instrument("温政发〔2024〕5号", title="温州市城市绿化管理办法（2024年修订版）")
    report = publish(sample, site)
    assert report.rerendered == 2  # the changed instrument, and the one whose page names it
    after = {p.name: p.stat().st_ino for p in (site / "instruments").iterdir()}
    kept = [name for name in after if after[name] == before[name]]
    assert sorted(set(after) - set(kept)) == ["1.html", "2.html"]
    publish(sample, full, incremental=False)

    assert _files(site) == _files(full)


def _files(root: Path) -> dict[str, bytes]:
    """A site's files; of its manifest, what two publishes of the same state share (not the time
    its pages were in place, nor the digest of the cache of its pieces)."""
    out = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    if ".regclean-site" in out:
        manifest = json.loads(out[".regclean-site"])
        assert manifest.pop("sealed") <= time.time_ns() and len(manifest.pop("pieces")) == 64
        assert len(manifest.pop("signature")) == 64  # made with the sealing time in it
        assert Path(manifest.pop("site")).is_absolute()  # the folder it was published to
        out[".regclean-site"] = json.dumps(manifest, sort_keys=True).encode()
    return out


def _inodes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _same_as_full(registry: Registry, site: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    publish(registry, full, incremental=False)
    assert _files(site) == _files(full)


def test_republish_after_every_kind_of_change_equals_a_full_publish(
    sample: Registry, tmp_path: Path, clock
) -> None:
    """Catalog membership, an issuer page left and one joined, a withdrawal in the feed, a new
    instrument, a date passing: each republish gives the bytes of a full publish."""
    site = tmp_path / "site"
    publish(sample, site)
    g = sample.add_instrument(title="温州市新办法", doc_number="温政发〔2026〕1号",
                              issuer="温州市财政局", published_on="2026-01-01",
                              expires_on="2026-12-31")  # fmt: skip
    assert publish(sample, site).rerendered == 1
    _same_as_full(sample, site, tmp_path)

    before = _inodes(site)
    sample.update_instrument("温政办〔2015〕9号", issuer="温州市人民政府")  # leaves 办公室's page
    report = publish(sample, site)
    after = _inodes(site)
    renewed = sorted(p for p in after if p.startswith("issuers/") and before.get(p) != after[p])
    assert len(renewed) == 1  # the issuer it joined; the one it left is gone
    assert len([p for p in before if p.startswith("issuers/")]) == 4
    assert len([p for p in after if p.startswith("issuers/")]) == 3
    assert report.rerendered == 1
    _same_as_full(sample, site, tmp_path)

    sample.propose(g.id, "repeal", reason="与上位法不一致", by="张三")
    sample.approve([g.id], by="温州市人民政府", effective_on="2026-12-01")  # not in effect yet
    publish(sample, site)
    _same_as_full(sample, site, tmp_path)
    assert "温州市新办法" not in (site / "catalogs" / "repealed.csv").read_text("utf-8-sig")

    clock.day = "2027-01-02"  # the repeal takes effect, and the expiry date passes
    publish(sample, site)
    _same_as_full(sample, site, tmp_path)
    assert "温州市新办法" in (site / "catalogs" / "repealed.csv").read_text("utf-8-sig")

    clock.day = "2026-11-27"  # a clock set back: the repeal is not in effect again
    publish(sample, site)
    _same_as_full(sample, site, tmp_path)
    assert "温州市新办法" not in (site / "catalogs" / "repealed.csv").read_text("utf-8-sig")

    clock.day = "2027-01-02"
    sample.withdraw(g.id, by="温州市司法局", reason="错清")
    publish(sample, site)
    _same_as_full(sample, site, tmp_path)
    assert "撤回废止决定：温州市新办法" in (site / "feed.atom").read_text("utf-8")


def test_a_lost_or_damaged_cache_costs_time_not_correctness(
    sample: Registry, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    publish(sample, site)
    caches = list((sample.path / "cache").glob("publish-*.marshal"))
    assert len(caches) == 1
    for n, damage in enumerate((lambda p: p.write_bytes(b"\x00garbage"), lambda p: p.unlink())):
        damage(caches[0])
        sample.update_instrument("温政发〔2012〕1号", title=f"温州市错清的办法（第{n + 1}次更正）")
        report = publish(sample, site)
        assert report.rerendered == 1  # the pages still come over from the earlier site
        _same_as_full(sample, site, tmp_path)
    assert caches[0].exists()  # written anew


def test_a_site_from_another_registry_is_published_in_full(
    sample: Registry, tmp_path: Path, clock
) -> None:
    """#17: a site whose head is not in this registry's log is replaced only saying why, and
    the reason is logged; then nothing of it is reused."""
    site = tmp_path / "site"
    publish(sample, site)
    before = _files(site)
    with Registry.init(tmp_path / "other", clock=clock) as other:
        build_sample(other)
        other.update_instrument("温政发〔2012〕1号", title="另一个登记簿的文件")
        with pytest.raises(PublishError, match="published from a different history"):
            publish(other, site)
        assert _files(site) == before
        report = other.publish(site, replacing_history="站点迁移到新登记簿", by="法制科")
        assert report.rerendered is None  # same head, different history: nothing reused
        (event,) = [e for e in other.events() if e.action == "replace_site"]
        assert (event.actor, event.payload["reason"]) == ("法制科", "站点迁移到新登记簿")
        assert event.payload["hash"] == json.loads(before[".regclean-site"])["hash"]
        _same_as_full(other, site, tmp_path)
        assert other.publish(site).rerendered is not None  # its own site now: no reason asked
        assert other.verify().ok


def test_issuers_are_listed_with_counts_and_have_their_own_pages(site: Path) -> None:
    index = html.parse(str(site / "issuers.html"))
    rows = {tr.xpath("./th")[0].text_content(): tr for tr in index.xpath("//tbody/tr")}
    assert set(rows) == {"温州市人民政府", "温州市人民政府办公室", "<b>温州市</b>"}
    assert rows["温州市人民政府"].xpath("./td")[0].text_content() == "4"
    href = rows["温州市人民政府"].xpath(".//a/@href")[0]
    assert href.startswith("issuers/") and href.endswith(".html")
    page = html.parse(str(site / href))
    assert page.findtext(".//h1") == "温州市人民政府（4）"
    links = page.xpath("//main//li/a/@href")
    assert len(links) == 4 and all((site / "issuers" / link).resolve().exists() for link in links)


def _fork_pages(monkeypatch, tmp_path: Path, chunk: int = 2) -> Path:
    """Render even a sample's pages in forked workers, ``chunk`` pages per task, each task
    leaving a mark (in the returned folder) of the process that did it."""
    import multiprocessing

    from regclean.publish.pool import InstrumentPages as _InstrumentPages

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("this system cannot fork")
    monkeypatch.setattr(_InstrumentPages, "PARALLEL_FROM", 1)
    monkeypatch.setattr(_InstrumentPages, "CHUNK", chunk)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    marks = tmp_path / "workers"
    marks.mkdir()
    monkeypatch.setenv("REGCLEAN_TEST_WORKERS", str(marks))
    monkeypatch.setenv("REGCLEAN_TEST_PARENT", str(os.getpid()))
    monkeypatch.setattr(regclean.publish.pool, "render_chunk", _counting_chunk)
    return marks


def test_pages_rendered_by_worker_processes_are_the_same(
    sample: Registry, tmp_path: Path, monkeypatch
) -> None:
    """A large publish renders instrument pages in forked workers; the site is the same."""
    marks = _fork_pages(monkeypatch, tmp_path)
    report = publish(sample, tmp_path / "site", incremental=False)
    assert len(list(marks.iterdir())) == 3  # 6 pages, 2 per chunk, not here
    assert report.files == len(_files(tmp_path / "site")) - 1
    site = _files(tmp_path / "site")
    assert site == {".regclean-site": site[".regclean-site"], **render_site(sample)}


def _counting_chunk(ids: list[int]) -> list[int]:
    """The worker's job, leaving a mark of which process did it."""

    marks = Path(os.environ["REGCLEAN_TEST_WORKERS"])
    (marks / f"{os.getpid()}-{ids[0]}").write_text(str(os.getpid()), encoding="utf-8")
    assert os.getpid() != int(os.environ["REGCLEAN_TEST_PARENT"])
    if os.environ.get("REGCLEAN_TEST_WRITE"):  # a clerk records something meanwhile
        with Registry.open(os.environ["REGCLEAN_TEST_WRITE"]) as other:
            other.update_instrument(ids[0], title=f"发布期间改名的办法{ids[0]}")
    return _ORIGINAL_CHUNK(ids)


def test_pages_stay_with_the_publishing_snapshot_when_others_write_meanwhile(
    sample: Registry, tmp_path: Path, monkeypatch
) -> None:
    """Workers that find the registry moved on leave their pages to the publishing process,
    which renders them from the state the publish began with."""
    expected = render_site(sample)
    _fork_pages(monkeypatch, tmp_path)
    monkeypatch.setenv("REGCLEAN_TEST_WRITE", str(sample.path))
    report = publish(sample, tmp_path / "site", incremental=False)
    site = _files(tmp_path / "site")
    del site[".regclean-site"]
    assert site == expected and report.instruments == 6
    renamed = [i.title for i in sample.instruments() if i.title.startswith("发布期间改名")]
    assert len(renamed) == 3  # written meanwhile, and there for the next publish


def test_only_the_latest_sites_caches_are_kept(sample: Registry, tmp_path: Path) -> None:
    from regclean.publish.cache import KEEP_CACHES

    for n in range(KEEP_CACHES + 2):
        publish(sample, tmp_path / f"site-{n}")
    caches = list((sample.path / "cache").glob("publish-*.marshal"))
    assert len(caches) == KEEP_CACHES
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（更正）")
    newest = tmp_path / f"site-{KEEP_CACHES + 1}"
    assert publish(sample, newest).rerendered == 1
    _same_as_full(sample, newest, tmp_path)


def test_the_new_site_is_exchanged_for_the_old_in_one_step(tmp_path: Path) -> None:
    from regclean.publish import exchange

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text("new", encoding="utf-8")
    if not exchange(tmp_path / "b", tmp_path / "a"):
        pytest.skip("this system cannot exchange two folders in one step")
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "b" / "index.html").read_text(encoding="utf-8") == "old"
    with pytest.raises(FileNotFoundError):
        exchange(tmp_path / "missing", tmp_path / "a")


def test_without_the_one_step_exchange_the_swap_still_keeps_a_site(
    sample: Registry, tmp_path: Path, monkeypatch
) -> None:
    """Systems without renameat2 get the two renames; the result is the same."""
    monkeypatch.setattr(regclean.publish, "exchange", lambda first, second: False)
    publish(sample, tmp_path / "site")
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（又更正）")
    assert publish(sample, tmp_path / "site").rerendered == 1
    _same_as_full(sample, tmp_path / "site", tmp_path)


@pytest.mark.parametrize("workers", [False, True])
def test_progress_counts_every_page_rendered(
    sample: Registry, tmp_path: Path, monkeypatch, workers: bool
) -> None:
    if workers:
        _fork_pages(monkeypatch, tmp_path, chunk=4)
    seen: list[tuple[int, int]] = []
    publish(sample, tmp_path / "site", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (6, 6)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（再更正）")
    seen.clear()
    publish(sample, tmp_path / "site", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 1)]  # a republish renders only the changed page


# -- republish against full publish, over random histories --------------------------------

_STEPS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["甲", "乙", "丙"]), st.sampled_from(["市政府", "财政局"])),
    st.tuples(st.just("retitle"), st.integers(1, 8), st.sampled_from(["新名", "另名"])),
    st.tuples(st.just("reissue"), st.integers(1, 8), st.sampled_from(["市政府", "财政局", ""])),
    st.tuples(st.just("decide"), st.integers(1, 8),
              st.sampled_from(["repeal", "invalidate", "revise", "keep"]),
              st.sampled_from(["2026-01-01", "2026-11-27", "2027-03-01"])),
    st.tuples(st.just("withdraw"), st.integers(1, 8)),
    st.tuples(st.just("replace"), st.integers(1, 8), st.integers(1, 8)),
    st.tuples(st.just("day"), st.sampled_from(["2026-11-26", "2026-11-28", "2027-03-02"])),
)  # fmt: skip


def _apply(registry: Registry, clock, step: tuple) -> None:
    from regclean import RegcleanError

    kind, *args = step
    try:
        if kind == "add":
            n = registry.count() + 1
            registry.add_instrument(title=f"{args[0]}办法{n}", issuer=args[1],
                                    published_on="2020-01-01")  # fmt: skip
        elif kind == "retitle":
            registry.update_instrument(args[0], title=f"{args[1]}办法{args[0]}")
        elif kind == "reissue":
            registry.update_instrument(args[0], issuer=args[1])
        elif kind == "decide":
            registry.propose(args[0], args[1], reason="与上位法不一致", by="甲")
            registry.approve([args[0]], by="市政府", effective_on=args[2],
                             decision_doc="温政发〔2026〕1号", decision_title="决定")  # fmt: skip
        elif kind == "withdraw":
            registry.withdraw(args[0], by="司法局", reason="错清")
        elif kind == "replace":
            registry.relate(args[0], "replaces", args[1])
        else:
            clock.day = args[0]
    except RegcleanError:
        pass  # a step the rules refuse (no such instrument, nothing to withdraw ...)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_STEPS, min_size=1, max_size=6))
def test_any_history_republishes_to_a_full_publish(steps: list[tuple]) -> None:
    from tests.conftest import FixedClock

    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock()
        with Registry.init(Path(folder) / "reg", clock=clock) as registry:
            build_sample(registry)
            site = Path(folder) / "site"
            publish(registry, site)
            for step in steps:
                _apply(registry, clock, step)
                publish(registry, site)
                files = _files(site)
                del files[".regclean-site"]
                assert files == render_site(registry), f"after {step}"


def test_a_catalog_exported_is_the_catalog_published(site: Path, sample: Registry) -> None:
    """`regclean export --catalog` reads only the candidates; it lists what the site lists."""
    for name in ("repealed", "invalidated", "kept"):
        target = site.parent / f"{name}.jsonl"
        sample.export(target, catalog=name)
        exported = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        published = json.loads((site / "catalogs" / f"{name}.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in exported] == [r["id"] for r in published["rows"]]
        assert published["rows"], name


def test_an_issuer_in_traditional_characters_is_the_same_issuer(
    fresh_registry: Registry,
) -> None:
    """惠州市人民政府辦公室 and 惠州市人民政府办公室 get one issuer page, not two."""
    fresh_registry.add_instrument(title="甲办法", doc_number="惠府办〔2020〕1号",
                                  issuer="惠州市人民政府辦公室")  # fmt: skip
    fresh_registry.add_instrument(title="乙办法", doc_number="惠府办〔2020〕2号",
                                  issuer="惠州市人民政府办公室")  # fmt: skip
    files = render_site(fresh_registry)
    issuer_pages = [p for p in files if p.startswith("issuers/")]
    assert len(issuer_pages) == 1
    assert "惠州市人民政府办公室（2）" in files[issuer_pages[0]].decode("utf-8")


def test_the_published_record_as_zhengwu_gongkai_asks(tmp_path: Path, clock) -> None:
    """Times in the registry's zone as a reader writes them; handlers' names only when the
    settings say so (their offices always); supervision and a correction link on every page;
    issuers by level, a government first, then pinyin, after those regclean.toml names."""
    path = tmp_path / "reg"
    Registry.init(path, jurisdiction="温州市", clock=clock).close()
    write_settings(path,
        '[registry]\njurisdiction = "温州市"\npublish_handlers = "no"\n'
        'supervision = "温州市司法局 0577-88888888"\ncorrections = "https://sfj.example.gov.cn/jc"\n'
        'issuer_order = "温州市财政局"\n')  # fmt: skip
    with Registry.open(path, clock=clock) as reg:
        for title, issuer in (("甲办法", "温州市人民政府办公室"), ("乙办法", "浙江省人民政府"),
                              ("丙办法", "温州市人民政府"), ("丁办法", "温州市财政局"),
                              ("戊办法", "瓯海区人民政府"), ("己办法", "温州市交通运输局")):  # fmt: skip
            reg.add_instrument(title=title, issuer=issuer)
        reg.propose("甲办法", "废止", reason="过时", by="张三", department="市府办",
                    at="2026-03-05T07:04")  # fmt: skip
        reg.approve(["甲办法"], by="李市长", effective_on="2026-06-01", published_on="2026-05-20")
        files = render_site(reg)
    page = files["instruments/1.html"].decode("utf-8")
    assert "2026年3月5日 15:04" in page  # 07:04 UTC is 15:04 in Asia/Shanghai
    assert "市府办" in page and "张三" not in page and "李市长" not in page
    assert "公布日期" in page and "2026年5月20日" in page  # the step of making it public
    assert "温州市司法局 0577-88888888" in page
    assert 'href="https://sfj.example.gov.cn/jc"' in page
    issuers = html.fromstring(files["issuers.html"]).xpath("//main//a/text()")
    names = [name.rsplit("（", 1)[0] for name in issuers]
    assert names == ["温州市财政局", "浙江省人民政府", "温州市人民政府", "温州市交通运输局",
                     "温州市人民政府办公室", "瓯海区人民政府"]  # fmt: skip


def test_the_kept_catalog_shows_how_long_and_the_signed_date_when_unpublished(
    fresh_registry: Registry,
) -> None:
    """#12: the 继续有效 catalog shows 有效期至; a row with only a 成文日期 shows it, labelled."""
    fresh_registry.add_instrument(title="甲办法", doc_number="温政发〔2024〕1号",
                                  signed_on="2024-03-02", validity="5年")  # fmt: skip
    fresh_registry.propose("甲办法", "继续有效", by="市府办")
    fresh_registry.approve(["甲办法"], by="市政府", effective_on="2024-06-01")
    page = html.fromstring(render_site(fresh_registry)["catalogs/kept.html"])
    row = page.xpath("//tbody/tr")[0]
    cells = {td.get("data-label"): " ".join(td.text_content().split()) for td in row.xpath("td")}
    assert cells["发布日期"] == "2024年3月2日（成文日期）"
    assert cells["有效期至"] == "2029年3月1日"


@pytest.mark.parametrize("href", ["/etc/hostname", "file:///etc/hostname", "../secret.xsl"])
def test_stylesheets_cannot_include_files_outside_the_catalogs(
    sample: Registry, tmp_path: Path, href: str
) -> None:
    """#17: xsl:include/import are resolved only within the catalogs folders, also when the
    stylesheet is compiled (the run-time access control does not cover that)."""
    (sample.path / "secret.xsl").write_text(
        "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:template name='s'>秘密</xsl:template></xsl:stylesheet>", encoding="utf-8")  # fmt: skip
    override = sample.path / "catalogs"
    override.mkdir()
    (override / "index.xsl").write_text(
        "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        f"<xsl:include href='{href}'/>"
        "<xsl:template match='/'><html/></xsl:template></xsl:stylesheet>", encoding="utf-8")  # fmt: skip
    with pytest.raises(PublishError, match="only a file of the catalogs folders"):
        publish(sample, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_planted_link_in_the_site_is_not_carried_over(sample: Registry, tmp_path: Path) -> None:
    """#17: a symbolic link planted as an unchanged page would survive a republish and the site
    would serve the linked file; the earlier site is not trusted then, and every page is made
    anew."""
    site = tmp_path / "site"
    publish(sample, site)
    secret = tmp_path / "secret.txt"
    secret.write_text("不该公开的内容", encoding="utf-8")
    page = site / "instruments" / "1.html"
    page.unlink()
    page.symlink_to(secret)
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（更正）")
    report = publish(sample, site)
    assert report.rerendered is None  # published in full
    assert not page.is_symlink() and "不该公开" not in page.read_text(encoding="utf-8")
    _same_as_full(sample, site, tmp_path)


@pytest.mark.parametrize("page", ["instruments/1.html", "issuers.html", "issuers/"])
@pytest.mark.parametrize("same_size", [False, True])
def test_a_page_edited_by_hand_is_not_carried_over(
    sample: Registry, tmp_path: Path, page: str, same_size: bool
) -> None:
    """#17: a page changed since it was published (even to the same size) is not carried over by
    a republish: the earlier site is not trusted then, and every page is made anew."""
    site = tmp_path / "site"
    publish(sample, site)
    if page == "issuers/":
        page = next(
            str(p.relative_to(site))
            for p in (site / "issuers").iterdir()
            if "温州市错清的办法" not in p.read_text(encoding="utf-8")
        )  # not remade anyway
    target = site / page
    text = target.read_bytes()
    edited = text.replace(b"</body>", b"<p>x</p></body>") if not same_size else b"<!--" + text[4:]
    assert edited != text and (len(edited) == len(text)) == same_size
    time.sleep(0.01)
    target.write_bytes(edited)
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（更正）")
    report = publish(sample, site)
    assert target.read_bytes() != edited
    if page != "issuers.html":  # issuers.html is made anew by every publish anyway
        assert report.rerendered is None  # published in full
    _same_as_full(sample, site, tmp_path)


def test_an_altered_cache_of_pieces_is_not_trusted(sample: Registry, tmp_path: Path) -> None:
    """#17: the cache of pieces lives in the registry folder; one altered there (its stamp kept)
    does not flow into the catalogs, the feed or registry.xml: the site's manifest records the
    cache's digest, and a cache that does not match is ignored."""
    import marshal

    site = tmp_path / "site"
    publish(sample, site)
    (cache,) = (sample.path / "cache").glob("publish-*.marshal")
    stamp, rows = marshal.loads(cache.read_bytes())

    def forge(value):
        if isinstance(value, str):
            return value.replace("温州市", "伪造市")
        if isinstance(value, bytes):
            return value.replace("温州市".encode(), "伪造市".encode())
        if isinstance(value, (tuple, list)):
            return type(value)(forge(v) for v in value)
        return value

    cache.write_bytes(marshal.dumps((stamp, forge(rows))))
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（更正）")
    report = publish(sample, site)
    assert report.rerendered == 1  # the pages still come over; the pieces are made anew
    assert not any("伪造市".encode() in p.read_bytes() for p in site.rglob("*") if p.is_file())
    _same_as_full(sample, site, tmp_path)


def test_a_site_folder_that_is_a_link_is_refused_clearly(sample: Registry, tmp_path: Path) -> None:
    real = tmp_path / "real-site"
    publish(sample, real)
    (tmp_path / "site").symlink_to(real)
    with pytest.raises(PublishError, match="symbolic link; publish to the folder it points to"):
        publish(sample, tmp_path / "site")
    assert (tmp_path / "site").is_symlink() and (real / "index.html").exists()
