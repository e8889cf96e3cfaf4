"""The public site answers "is this document still in force?": its own search, the status banner,
and the site in a real browser (Selenium driving Debian's headless Chromium over HTTP)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html

from regclean import Registry
from regclean.publish import finder, publish

from .test_publish import build_sample

BUILD = Path(__file__).parent / "_build"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.10.3" / "axe.min.js"


# -- the index -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "folded"),
    [("温政发〔2004〕12号", "温政发〔2004〕12号"), ("溫政發[2004]12號", "温政发〔2004〕12号"),
     ("温政发（2004）12号", "温政发〔2004〕12号"), ("温政发【2004】12号", "温政发〔2004〕12号"),
     ("河北省政府令〔2010〕第15号", "河北省政府令〔2010〕15号"), ("ＰＭ２.５", "pm2 5"),
     ("温政发[2004]第012号", "温政发〔2004〕12号"), ("温政发〔2004〕第第012号", "温政发〔2004〕12号"),
     ("《温州市城市绿化管理办法》", "温州市城市绿化管理办法")],
)  # fmt: skip
def test_a_number_in_any_spelling_folds_to_one_text(spelling: str, folded: str) -> None:
    assert finder.fold(spelling) == folded


def test_an_order_is_found_by_the_forms_people_cite_it_by() -> None:
    assert finder.number_spellings("山东省人民政府令第114号", "山东省人民政府令第114号") == [
        "山东省人民政府令第114号", "山东省政府令第114号", "省政府令第114号"]  # fmt: skip


@given(st.sets(st.integers(min_value=1, max_value=10**7)))
def test_ids_survive_their_encoding(ids: set[int]) -> None:
    assert finder.decode_ids(finder.encode_ids(ids)) == sorted(ids)


@given(st.text(max_size=40))
def test_folding_twice_changes_nothing(text: str) -> None:
    assert finder.fold(finder.fold(text)) == finder.fold(text)


@pytest.fixture
def sample(fresh_registry: Registry) -> Registry:
    build_sample(fresh_registry)
    return fresh_registry


def test_the_index_files_find_every_instrument_by_its_terms(
    sample: Registry, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    publish(sample, site)
    meta = json.loads((site / finder.META).read_text(encoding="utf-8"))
    assert meta["count"] == sample.count() and meta["format"] == finder.FORMAT
    assert "溫温" in meta["variants"]  # 溫 folds to 温, which the index holds
    doc = sample.get("温政发〔2004〕12号")
    for term in finder.terms(finder.fold("溫政發[2004]12號")):
        table = json.loads(
            (site / finder.term_file(finder.shard_of(term, meta["shards"]))).read_text("utf-8")
        )
        assert doc.id in finder.decode_ids(table[term]), term
    block = json.loads((site / finder.record_file(doc.id // meta["records"])).read_text("utf-8"))
    assert block[str(doc.id)][:2] == [doc.title, doc.doc_number]


def test_a_republish_rewrites_only_the_search_files_that_changed(
    sample: Registry, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    publish(sample, site)
    before = {p: p.stat().st_ino for p in (site / "search").rglob("*.json")}
    doc = sample.get("温政发〔2012〕1号")
    record = site / finder.record_file(doc.id // finder.RECORDS)
    old_text = json.loads(record.read_text(encoding="utf-8"))[str(doc.id)][-1]
    sample.update_instrument(doc.id, title="温州市错清的办法（更正）")
    publish(sample, site)
    after = {p: p.stat().st_ino for p in (site / "search").rglob("*.json")}
    renewed = {str(p.relative_to(site)) for p in after if before.get(p) != after[p]}
    new_text = json.loads(record.read_text(encoding="utf-8"))[str(doc.id)][-1]
    shards = json.loads((site / finder.META).read_text(encoding="utf-8"))["shards"]
    touched = finder.terms(old_text) | finder.terms(new_text)
    allowed = {finder.term_file(finder.shard_of(t, shards)) for t in touched}
    allowed |= {finder.META, finder.record_file(doc.id // finder.RECORDS)}
    gained = finder.terms(new_text) - finder.terms(old_text)
    assert {finder.term_file(finder.shard_of(t, shards)) for t in gained} <= renewed <= allowed
    assert len(renewed) < len(after)  # ... and no other: the rest was carried over
    full = tmp_path / "full"
    publish(sample, full, incremental=False)
    for p in after:
        assert p.read_bytes() == (full / p.relative_to(site)).read_bytes(), p


def test_a_search_file_changed_by_hand_is_not_patched(sample: Registry, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(sample, site)
    shard = next((site / "search" / "t").iterdir())
    shard.write_text("{}\n", encoding="utf-8")  # a hand edit, after the site was sealed
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（更正）")
    publish(sample, site)
    full = tmp_path / "full"
    publish(sample, full, incremental=False)
    for p in (full / "search").rglob("*"):
        if p.is_file():
            assert (site / p.relative_to(full)).read_bytes() == p.read_bytes(), p


def test_each_instrument_page_says_whether_it_is_in_force(sample: Registry, tmp_path: Path) -> None:
    site = tmp_path / "site"
    old = sample.get("温政发〔2012〕1号")
    new = sample.add_instrument(title="温州市新的办法", doc_number="温政发〔2026〕3号",
                                published_on="2026-01-05")  # fmt: skip
    sample.relate(new.id, "replaces", old.id)
    publish(sample, site)
    page = html.parse(str(site / "instruments" / f"{old.id}.html")).getroot()
    banner = page.xpath("//section[contains(@class, 'banner')]")[0]
    text = banner.text_content()
    status = sample.status_on(old.id)
    assert status.zh in text
    assert "已被代替，新文件：温州市新的办法（温政发〔2026〕3号）" in text
    assert banner.xpath(".//p[@class='successor']/a/@href") == [f"../instruments/{new.id}.html"]
    assert f"引用：《{old.title}》（{old.doc_number}），instruments/{old.id}.html" in text
    newer = html.parse(str(site / "instruments" / f"{new.id}.html")).getroot()
    assert "现行有效 · 自2026年1月5日起施行" in newer.xpath("string(//p[@class='verdict'])")
    assert "代替：" in newer.xpath("string(//p[@class='predecessor'])")
    repealed = next(i for i in sample.instruments() if sample.status_on(i.id).value == "repealed")
    shown = html.parse(str(site / "instruments" / f"{repealed.id}.html")).getroot()
    verdict = shown.xpath("string(//p[@class='verdict'])")
    assert "已废止 · 自" in verdict and "起废止" in verdict
    assert shown.xpath("//p[@class='decision-line']/a/@href") == ["../catalogs/repealed.html"]


# -- in a real browser ----------------------------------------------------------------------------


def _driver(width: int, height: int, javascript: bool = True):  # type: ignore[no-untyped-def]
    webdriver = pytest.importorskip("selenium.webdriver")
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    driver_path = shutil.which("chromedriver")
    if not browser or not driver_path:
        if os.environ.get("CI"):
            pytest.fail("Chromium and its driver are not installed: .ci/run installs them")
        pytest.skip("Chromium or chromedriver is not installed (apt-get install chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", f"--window-size={width},{height}"):  # fmt: skip
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    service = webdriver.ChromeService(executable_path=driver_path)
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture
def served(sample: Registry, tmp_path: Path) -> Iterator[str]:
    """The published site over HTTP on 127.0.0.1 (a static file server, nothing else)."""
    site = tmp_path / "site"
    publish(sample, site)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _searched(driver, query: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until search.js has shown the results of ``query``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-searched") == query
    )


def _results(driver, query: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    _searched(driver, query)
    return [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#search-results li")]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "size"), [("desktop", (1280, 900)), ("phone", (390, 844))])
def test_a_citizen_finds_a_document_by_a_title_fragment_or_a_number(
    served: str, sample: Registry, name: str, size: tuple[int, int]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = _driver(*size)
    try:
        driver.get(served + "index.html")
        box = driver.find_element(By.ID, "site-q")  # the search box on every page
        box.send_keys("绿化")
        box.submit()
        WebDriverWait(driver, 10).until(  # the form's navigation, which a loaded machine delays
            lambda d: d.current_url.startswith(served + "search.html?q=")
        )
        _searched(driver, "绿化")
        found = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#search-results li")]
        assert any("温州市城市绿化管理办法" in text for text in found), found
        hits = _results(driver, "溫政發[2004]12號")  # another spelling of 温政发〔2004〕12号
        doc = sample.get("温政发〔2004〕12号")
        assert len(hits) == 1 and doc.title in hits[0]
        assert sample.status_on(doc.id).zh in hits[0]  # the status in words
        assert "q=%E6%BA%AB" in driver.current_url  # the query is in the address: linkable
        assert [doc.title in h for h in _results(driver, "温政发[2004]第012号")] == [True]
        assert _results(driver, "没有这样的文件标题") == []
        assert "没有找到" in driver.find_element(By.ID, "search-status").text
        BUILD.mkdir(exist_ok=True)
        _results(driver, "办法")
        driver.save_screenshot(str(BUILD / f"search-{name}.png"))
        driver.find_element(By.CSS_SELECTOR, "#search-results li a").click()
        banner = driver.find_element(By.CSS_SELECTOR, "section.banner").text
        assert "状态：" in banner and "引用：" in banner
        driver.save_screenshot(str(BUILD / f"instrument-{name}.png"))
    finally:
        driver.quit()


@pytest.mark.slow
def test_the_search_page_says_so_without_javascript(served: str) -> None:
    from selenium.webdriver.common.by import By

    driver = _driver(1280, 900, javascript=False)
    try:
        driver.get(served + "search.html?q=绿化")
        assert "需要浏览器启用 JavaScript" in driver.find_element(By.TAG_NAME, "main").text
        driver.get(served + "catalogs/repealed.html")  # and every other page still works
        assert driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    finally:
        driver.quit()


@pytest.fixture
def paged(monkeypatch: pytest.MonkeyPatch) -> None:
    from regclean.publish import assemble

    monkeypatch.setattr(assemble, "PAGE_ROWS", 1)  # the catalogs split into pages


@pytest.mark.slow
def test_axe_finds_no_serious_accessibility_violation(paged: None, served: str) -> None:
    driver = _driver(1280, 900)
    axe = AXE.read_text(encoding="utf-8")
    try:
        for page in ("index.html", "catalogs/repealed.html", "catalogs/repealed.all.html",
                     "instruments/1.html", "search.html?q=办法"):  # fmt: skip
            driver.get(served + page)
            driver.execute_script(axe)
            passed, found = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document).then(r => done([r.passes.length, r.violations.map(v => "
                "[v.id, v.impact, v.nodes.length, v.help])]));"
            )
            assert passed > 10, page  # axe ran its rules on the page
            serious = [v for v in found if v[1] in ("serious", "critical")]
            assert serious == [], (page, serious)
    finally:
        driver.quit()


def test_a_large_catalog_is_split_into_pages_with_contents_and_a_print_version(
    sample: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regclean.publish import assemble

    monkeypatch.setattr(assemble, "PAGE_ROWS", 1)
    site = tmp_path / "site"
    publish(sample, site)
    whole = html.parse(str(site / "catalogs" / "repealed.all.html")).getroot()
    rows = whole.xpath("//tbody/tr")
    assert len(rows) == 2  # the print version: every row, on one page
    first = html.parse(str(site / "catalogs" / "repealed.html")).getroot()
    assert len(first.xpath("//tbody/tr")) == 1
    assert first.xpath("//nav[@class='pager']//a/@href") == ["../catalogs/repealed.html",
                                                            "../catalogs/repealed.p2.html"]  # fmt: skip
    toc = first.xpath("//nav[@class='toc']//a/@href")
    assert len(toc) == len(whole.xpath("//section[@class='group']"))
    second = html.parse(str(site / "catalogs" / "repealed.p2.html")).getroot()
    assert [r.get("id") for r in second.xpath("//tbody/tr")] == [rows[1].get("id")]
    target, anchor = toc[-1].split("#")
    assert (
        html.parse(str(site / "catalogs" / target.split("/")[-1]))
        .getroot()
        .xpath(f"//*[@id='{anchor}']")
    )
    assert "打印版" in first.xpath("string(//p[@class='paging-note'])")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "catalogs/repealed.p2.html" in sitemap and "catalogs/repealed.all.html" in sitemap
    sample.update_instrument("温政发〔2012〕1号", title="温州市错清的办法（更正）")
    publish(sample, site)  # republished, split the same way as a full publish
    full = tmp_path / "full"
    publish(sample, full, incremental=False)
    for p in (full / "catalogs").iterdir():
        assert (site / "catalogs" / p.name).read_bytes() == p.read_bytes(), p.name


def test_the_search_page_speaks_the_sites_language(sample: Registry, tmp_path: Path) -> None:
    for lang, words in (("zh", ("检索", "找到 {n} 件。")), ("en", ("Search", "{n} found."))):
        site = tmp_path / lang
        publish(sample, site, lang=lang)
        page = html.parse(str(site / "search.html")).getroot()
        assert page.findtext(".//h1") == words[0]
        assert page.xpath("//p[@id='search-status']/@data-found") == [words[1]]
        assert page.xpath("//form[@role='search']/@action")  # the box on every page
