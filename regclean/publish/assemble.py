"""The site's aggregate files assembled from the instruments' pieces: ``registry.xml``, the
catalogs (pages, print versions, CSV and JSON), the Atom feed, the sitemap, the counts, and the
machine-readable twins of a thematic campaign and of a quarter's filings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from .. import urls
from ..catalog import CatalogDef
from ..export import excel_safe
from ..vocab import Outcome
from . import twins
from .pieces import ATOM, CATALOG_ROOT, SITEMAP_NS, Piece
from .site import SiteData
from .xmlview import page, sub


def _frame(top: etree._Element) -> tuple[bytes, bytes]:
    """The serialised element split where its children would go: (head, tail)."""
    text = etree.tostring(top, encoding="utf-8", xml_declaration=True, pretty_print=True)
    tag = top.tag.split("}")[-1].encode()
    head, _, _ = text.rpartition(b"</" + tag + b">")
    return head, b"</" + tag + b">\n"


def registry_xml(data: SiteData, pieces: list[Piece], lang: str) -> bytes:
    """The canonical XML of the whole registry: every instrument with its decisions."""
    top = etree.Element(
        "registry",
        lang=lang,
        day=data.day.isoformat(),
        head=str(data.head_seq),
        hash=data.head_hash,
    )
    sub(top, "title", data.title)
    head, tail = _frame(top)
    return b"".join([head, *(p.xml for p in pieces), tail])


def by_outcome(pieces: list[Piece]) -> dict[str, list[Piece]]:
    """The pieces listed in some catalog, by the outcome that lists them, in order."""
    out: dict[str, list[Piece]] = {}
    for p in pieces:
        if p.outcome:
            out.setdefault(p.outcome, []).append(p)
    return out


PAGE_ROWS = 1000  # a catalog with more rows is split into pages (and has a print version)


def catalog_page(
    data: SiteData, catalog: CatalogDef, members: list[Piece], lang: str
) -> etree._Element:
    """A catalog (目录): its entries, in groups as the catalog definition says, on one page."""
    return next(iter(catalog_pages(data, catalog, members, lang)))[1]


def catalog_pages(
    data: SiteData, catalog: CatalogDef, members: list[Piece], lang: str
) -> Iterator[tuple[str, etree._Element]]:
    """A catalog's pages, by path. Up to PAGE_ROWS rows: one page. More: every row in a print
    version (``NAME.all.html``) that prints as one document, then pages of PAGE_ROWS rows (a
    group split across two pages is continued on the next, its rows numbered on), the first
    with a table of contents by decision document. The pages take their rows from the print
    version's document once the caller has rendered it (each row is parsed once)."""
    groups = _groups(catalog, members)
    name = catalog.name
    whole_parts = [(g, 0, len(g[2])) for g in groups]
    version = catalog_version(members)
    if len(members) <= PAGE_ROWS:
        yield (
            urls.catalog(name),
            _catalog_document(
                data, catalog, lang, urls.catalog(name), whole_parts, version=version
            ),
        )
        return
    pages = _paginate(groups)
    where = {}  # group key -> the page it starts on
    for k, parts in enumerate(pages, start=1):
        for group, start, _ in parts:
            if start == 0:
                where[group[0]] = k
    whole = _catalog_document(
        data, catalog, lang, urls.catalog_print(name), whole_parts, version=version
    )
    listing = whole.find("catalog")
    listing.set("print", "yes")
    sub(
        listing,
        "pages",
        count=len(pages),
        current=0,
        rows=len(members),
        all=CATALOG_ROOT + urls.catalog_print(name),
        first=CATALOG_ROOT + urls.catalog(name),
    )
    yield urls.catalog_print(name), whole
    rows = {g.get("key"): g.findall("instrument") for g in listing.iterfind("group")}
    for k, parts in enumerate(pages, start=1):
        path = urls.catalog_page(name, k)
        top = _catalog_document(
            data, catalog, lang, path, parts, page_no=k, rows_of=rows, version=version
        )
        el = top.find("catalog")
        pager = sub(
            el,
            "pages",
            count=len(pages),
            current=k,
            rows=len(members),
            all=CATALOG_ROOT + urls.catalog_print(name),
        )
        for n in range(1, len(pages) + 1):
            sub(
                pager,
                "page",
                str(n),
                href=CATALOG_ROOT + urls.catalog_page(name, n),
                current="yes" if n == k else "",
            )
        el.insert(1, pager)  # after the title: the pager first, then the contents, the groups
        if k == 1:
            toc = sub(el, "toc")
            for key, heading, members_ in groups:
                sub(
                    toc,
                    "entry",
                    _heading_text(catalog, heading, members_, lang),
                    count=len(members_),
                    number=heading[1] if heading else "",
                    href=CATALOG_ROOT + urls.catalog_page(name, where[key]) + "#" + key,
                )
            el.insert(2, toc)
        yield path, top


def _paginate(groups: list[Any]) -> list[list[tuple[Any, int, int]]]:
    """The groups' rows in pages of PAGE_ROWS: (group, first row, end row) on each page."""
    pages: list[list[tuple[Any, int, int]]] = [[]]
    room = PAGE_ROWS
    for group in groups:
        start = 0
        while start < len(group[2]):
            if room == 0:
                pages.append([])
                room = PAGE_ROWS
            end = min(len(group[2]), start + room)
            pages[-1].append((group, start, end))
            room -= end - start
            start = end
    return pages


def catalog_paths(catalog: CatalogDef, members: list[Piece]) -> list[str]:
    """The pages :func:`catalog_pages` writes for these members."""
    if len(members) <= PAGE_ROWS:
        return [urls.catalog(catalog.name)]
    count = len(_paginate(_groups(catalog, members)))
    return [urls.catalog_print(catalog.name)] + [
        urls.catalog_page(catalog.name, k) for k in range(1, count + 1)
    ]


def catalog_version(members: list[Piece]) -> tuple[str, int, str]:
    """What a catalog's pages name in their footer: the latest event among their instruments
    (so that a catalog none of whose instruments changed is the same bytes, and a republish
    carries it over), like an issuer's page."""
    return max((p.version for p in members), key=lambda v: v[1], default=("", 0, ""))


def _heading_text(catalog: CatalogDef, heading: Any, rows: list[Piece], lang: str) -> str:
    if heading is None:
        return catalog.title(lang)
    title = heading[0]
    outcome = rows[0].outcome if rows[0].outcome != catalog.outcome.value else ""
    if outcome:
        named = Outcome.parse(outcome).label(lang)
        title = f"{named}：{title}" if title else named
    return title or heading[1]


def _catalog_document(
    data: SiteData,
    catalog: CatalogDef,
    lang: str,
    path: str,
    parts: list[tuple[Any, int, int]],
    page_no: int = 0,
    rows_of: dict[str, list[etree._Element]] | None = None,
    version: tuple[str, int, str] | None = None,
) -> etree._Element:
    """A catalog page document holding ``parts``: (group, first row, end row) each; the rows
    parsed from the pieces, or moved from ``rows_of`` (a rendered document's, by group key)."""
    title = catalog.title(lang)
    if page_no > 1:
        title += f"（第{page_no}页）" if lang == "zh" else f" (page {page_no})"
    top = page(data, "catalog", path, lang, title, version)
    el = sub(
        top,
        "catalog",
        name=catalog.name,
        outcome=catalog.outcome.value,
        csv=CATALOG_ROOT + urls.catalog(catalog.name, "csv"),
        json=CATALOG_ROOT + urls.catalog(catalog.name, "json"),
    )
    sub(el, "title", catalog.title(lang))
    for (key, heading, rows), start, end in parts:
        group = sub(el, "group", key=key, continued="yes" if start else "")
        if heading is not None:
            outcome = rows[0].outcome if rows[0].outcome != catalog.outcome.value else ""
            title_ = heading[0]
            if outcome:  # a partial invalidation: a heading of its own
                named = Outcome.parse(outcome).label(lang)
                title_ = f"{named}：{title_}" if title_ else named
            sub(group, "heading", title_, number=heading[1], effective=heading[2], outcome=outcome)
        if rows_of is None:
            _append_rows(group, [p.row for p in rows[start:end]], start)
        else:
            group.extend(rows_of[key][start:end])  # numbered already, moved not copied
    return top


def _append_rows(parent: etree._Element, rows: list[bytes], before: int = 0) -> None:
    """Parse serialised rows under ``parent``, numbering them from ``before`` + 1."""
    if not rows:
        return
    parsed = etree.fromstring(b"<rows>" + b"".join(rows) + b"</rows>", ROWS_PARSER)
    for n, row in enumerate(list(parsed), start=before + 1):
        row.set("n", str(n))
        parent.append(row)


ROWS_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
)


def _groups(
    catalog: CatalogDef, members: list[Piece]
) -> list[tuple[str, tuple[str, str, str] | None, list[Piece]]]:
    if catalog.group_by == "none":
        return [("all", None, members)]
    grouped: dict[tuple, list[Piece]] = {}
    for p in members:
        if catalog.group_by == "issuer":
            key: tuple = (p.issuer,)
        else:  # by decision; what the catalog lists besides its own outcome comes after
            key = (p.outcome != catalog.outcome.value, *p.group)
        grouped.setdefault(key, []).append(p)
    out = []
    for index, key in enumerate(sorted(grouped), start=1):
        if catalog.group_by == "issuer":
            out.append((f"g{index}", (key[0], "", ""), grouped[key]))
        else:
            out.append((f"g{index}", (key[3], key[2], key[1]), grouped[key]))
    return out


ITEM_COLUMNS = ("清单", "序号", "事项类别", "事项名称", "所在文件", "文号", "条款", "清理结果", "理由",
                "依据", "id")  # fmt: skip


def items_csv(data: SiteData, campaign: Any) -> bytes:
    """A thematic campaign's lists of items (取消清单, 保留清单, 调整清单) as one CSV: UTF-8 with
    BOM, CRLF, formula-safe cells."""
    thematic = data.thematic[campaign.id]
    lines = ["\ufeff" + ",".join(ITEM_COLUMNS) + "\r\n"]
    for outcome, rows in thematic.lists.items():
        for n, item in enumerate(rows, start=1):
            title, number = thematic.documents.get(item.instrument_id, ("", ""))
            cells = (
                _LIST_NAMES[outcome],
                n,
                item.kind,
                item.name,
                title,
                number,
                item.article,
                item.outcome.zh if item.outcome else "",
                item.reason,
                item.basis,
                item.id,
            )
            lines.append(",".join(_csv_cell(c) for c in cells) + "\r\n")
    return "".join(lines).encode("utf-8")


_LIST_NAMES = {"cancel": "取消清单", "keep": "保留清单", "adjust": "调整清单"}


def _csv_cell(value: Any) -> str:
    text = excel_safe(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def filings_json(data: SiteData, q: Any) -> bytes:
    """A quarter's 备案目录 and rates, machine-readable."""

    def rate(r: Any) -> dict[str, Any]:
        return {"numerator": r.numerator, "denominator": r.denominator, "percent": r.percent}

    document = {
        "quarter": q.quarter,
        "as_of": data.day.isoformat(),
        "head": data.head_seq,
        "reporting_rate": rate(q.reporting),
        "timely_rate": rate(q.timely),
        "regular_rate": rate(q.regular),
        "registered": list(q.registered),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def campaign_json(data: SiteData, campaign: Any) -> bytes:
    """A thematic campaign's problems by class (件, 件次, 涉企) and its lists of items."""
    thematic = data.thematic[campaign.id]
    document = {
        "campaign": campaign.name,
        "profile": thematic.profile.name,
        "profile_zh": thematic.profile.zh,
        "as_of": data.day.isoformat(),
        "head": data.head_seq,
        "statistics": thematic.tally.to_json(),
        "classes": [
            {"code": c.code, "zh": c.zh, "en": c.en, "basis": c.basis}
            for c in thematic.profile.classes
        ],
        "lists": {outcome: [i.to_json() for i in rows] for outcome, rows in thematic.lists.items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def catalog_csv(members: list[Piece]) -> bytes:
    """UTF-8 with BOM (so Excel reads the Chinese), CRLF, formula-safe cells."""
    lines = ["\ufeff" + ",".join(twins.CSV_COLUMNS) + "\r\n"]
    lines += [f"{n},{p.csv}" for n, p in enumerate(members, start=1)]
    return "".join(lines).encode("utf-8")


def catalog_json(data: SiteData, catalog: CatalogDef, members: list[Piece]) -> bytes:
    document = {
        "catalog": catalog.name,
        "title": catalog.title_zh,
        "title_en": catalog.title_en,
        "outcome": catalog.outcome.value,
        "as_of": data.day.isoformat(),
        "head": data.head_seq,
        "head_hash": data.head_hash,
        "count": len(members),
        "rows": [],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if members:
        before, _, after = text.rpartition('"rows": []')
        rows = ",\n".join(
            f'    {{\n      "n": {n},\n{p.json}\n    }}' for n, p in enumerate(members, start=1)
        )
        text = f'{before}"rows": [\n{rows}\n  ]{after}'
    return (text + "\n").encode("utf-8")


def atom_feed(data: SiteData, pieces: list[Piece]) -> bytes:
    """One entry per approved or withdrawn decision, newest first (withdrawals included)."""
    entries = sorted(
        (e for p in pieces for e in p.feed), key=lambda e: (e[0], e[1], e[2]), reverse=True
    )
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-CN")
    sub(feed, f"{{{ATOM}}}title", data.title)
    sub(feed, f"{{{ATOM}}}id", twins.feed_id(data))
    updated = entries[0][0] if entries else f"{data.day.isoformat()}T00:00:00Z"
    sub(feed, f"{{{ATOM}}}updated", updated)
    link = sub(feed, f"{{{ATOM}}}link", rel="self")
    link.set("href", urls.absolute(data.base_url, urls.FEED))
    head, tail = _frame(feed)
    return b"".join([head, *(e[3] for e in entries), tail])


def sitemap(data: SiteData, paths: list[str]) -> bytes:
    lines = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n"]
    lines += [
        f"  <url>\n    <loc>{escape(urls.absolute(data.base_url, path))}</loc>\n  </url>\n"
        for path in paths
    ]
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def status_counts(pieces: list[Piece]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in pieces:
        counts[p.status] = counts.get(p.status, 0) + 1
    return counts


# -- issuer pages -----------------------------------------------------------------------------
