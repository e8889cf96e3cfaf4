"""Each instrument's share of the site's aggregate files, and the files made from those shares.

The aggregate files of a site (``registry.xml``, the catalogs and their CSV and JSON, the issuer
pages, the Atom feed, the sitemap, the counts on the home page) are each the same frame around
one part per instrument, in a fixed order. A :class:`Piece` holds every part of one instrument,
already serialised; the files are assembled from pieces by splicing bytes. A full publish makes
every piece; a republish makes only the pieces of the instruments that changed and reuses the
others from the previous publish (see ``PieceCache``), so both paths go through the same
assembly and give the same bytes by construction.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import marshal
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from lxml import etree

from .. import urls
from ..catalog import CatalogDef, row_values
from ..export import excel_safe
from ..text import issuer_name
from ..vocab import DecisionState, Outcome, Status
from . import finder, twins
from .site import Entry, SiteData, labels
from .xmlview import decision_element, instrument_element, page, sub

CATALOG_ROOT = "../"  # catalogs/x.html and issuers/x.html are one folder down
ATOM = twins.ATOM
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NO_ISSUER = "—"


class Piece(NamedTuple):
    """One instrument's parts of the aggregate files.

    Attributes:
        id: the instrument.
        status: its status code on the publishing day.
        issuer: the issuer it is listed under (``—`` when not recorded).
        version: (day, seq, hash) of its latest event: what pages built from it name.
        xml: its ``<instrument>`` in ``registry.xml``, indented, with the line end.
        outcome: the outcome of the approved decision that lists it in a catalog ("" if none).
        group: (effective date, decision 文号, decision title) of that decision.
        row: its catalog row for the page document (without the row number).
        csv: its CSV line without the row number cell.
        json: its JSON row without the row number, indented for the ``rows`` list.
        feed: (updated, decision id, kind, entry bytes) of each of its Atom entries.
        issuer_row: its row on its issuer's page.
    """

    id: int
    status: str
    issuer: str
    version: tuple[str, int, str]
    xml: bytes
    outcome: str
    group: tuple[str, str, str]
    row: bytes
    csv: str
    json: str
    feed: tuple[tuple[str, int, str, bytes], ...]
    issuer_row: bytes

    def listed_in(self, catalog: CatalogDef) -> bool:
        """Whether a catalog lists this instrument (a keep catalog lists only those in force)."""
        return catalog.lists(self.outcome, self.status)


# -- making pieces ----------------------------------------------------------------------------


def make_piece(data: SiteData, entry: Entry, lang: str, version: tuple[str, int, str]) -> Piece:
    """The parts of one instrument; ``version`` is (day, seq, hash) of its latest event."""
    i, d = entry.instrument, entry.current
    holder = etree.Element("holder")

    el = instrument_element(holder, entry, lang, "")
    for decision in entry.decisions:
        decision_element(el, decision, lang, data.time_zone, data.handlers)
    for name, other in entry.relations:
        sub(el, "relation", other.title, kind=name, ref=other.id)
    etree.indent(el, space="  ", level=1)
    xml = b"  " + etree.tostring(el, encoding="utf-8", with_tail=False) + b"\n"

    outcome, group, row, csv_line, json_row = "", ("", "", ""), b"", "", ""
    if d is not None:
        outcome = d.outcome.value
        effective = d.effective_on.isoformat() if d.effective_on else ""
        group = (effective, d.decision_doc, d.decision_title)
        element = instrument_element(holder, entry, lang, CATALOG_ROOT)
        decision_element(element, d, lang, data.time_zone, data.handlers)
        for name, other in entry.relations:
            if name == "replaced_by":
                sub(element, "successor", other.title,
                    href=CATALOG_ROOT + urls.instrument(other.id))  # fmt: skip
        row = etree.tostring(element, encoding="utf-8", with_tail=False)
        values = row_values(i, d)
        csv_line = _csv_line(values)
        json_row = _json_row(values)

    issuer = issuer_name(i.issuer) or NO_ISSUER
    item = sub(holder, "instrument", id=i.id, href=CATALOG_ROOT + urls.instrument(i.id))
    sub(item, "title", i.title)
    sub(item, "number", i.doc_number)
    sub(item, "status", entry.status.label(lang), code=entry.status.value)
    issuer_row = etree.tostring(item, encoding="utf-8", with_tail=False)

    return Piece(
        id=i.id,
        status=entry.status.value,
        issuer=issuer,
        version=version,
        xml=xml,
        outcome=outcome,
        group=group,
        row=row,
        csv=csv_line,
        json=json_row,
        feed=_feed_entries(data, entry),
        issuer_row=issuer_row,
    )


def search_item(entry: Entry, lang: str) -> tuple[list[Any], str]:
    """What the site's search shows of an instrument, and the folded text it is found by."""
    i, d = entry.instrument, entry.current
    date = i.published_on or i.signed_on
    record = [i.title, i.doc_number, i.issuer, entry.status.value, entry.status.label(lang),
              date.isoformat() if date else "", d.decision_title if d else "",
              d.decision_doc if d else "",
              d.effective_on.isoformat() if d and d.effective_on else ""]  # fmt: skip
    key = i.number.key if i.number else ""
    return record, finder.entry_text(i.title, finder.number_spellings(i.doc_number, key), i.issuer)


def _csv_line(r: dict[str, Any]) -> str:
    out = io.StringIO()
    cells = [r["title"], r["doc_number"], r["issuer"], r["published_on"] or "", r["outcome_zh"],
             r["effective_on"] or "", r["reason"], r["decision_title"], r["decision_doc"], r["id"]]  # fmt: skip
    csv.writer(out, lineterminator="\r\n").writerow([excel_safe(c) for c in cells])
    return out.getvalue()


def _json_row(values: dict[str, Any]) -> str:
    """The row's members, indented as members of an object in the ``rows`` list."""
    text = json.dumps(values, ensure_ascii=False, indent=2)
    members = text[2:-2]  # inside "{\n" and "\n}"
    return "\n".join("    " + line for line in members.split("\n"))


def _feed_entries(data: SiteData, entry: Entry) -> tuple[tuple[str, int, str, bytes], ...]:
    """One Atom entry per approval and per withdrawal of this instrument's decisions."""
    out = []
    for decision in entry.decisions:
        kinds = []
        if decision.state is DecisionState.APPROVED and decision.decided_at:
            kinds.append((decision.decided_at, "approved"))
        if decision.state is DecisionState.WITHDRAWN and decision.withdrawn_at:
            if decision.decided_at:
                kinds.append((decision.decided_at, "approved"))
            kinds.append((decision.withdrawn_at, "withdrawn"))
        for at, kind in kinds:
            feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
            el = twins.atom_entry(feed, data, entry, at, kind, decision)
            etree.indent(el, space="  ", level=1)
            text = etree.tostring(el, encoding="utf-8", with_tail=False)
            text = text.replace(f' xmlns="{ATOM}"'.encode(), b"", 1)  # declared on <feed>
            out.append((at, decision.id, kind, b"  " + text + b"\n"))
    return tuple(out)


# -- assembling files -------------------------------------------------------------------------


def ordered(pieces: dict[int, Piece]) -> list[Piece]:
    return [pieces[i] for i in sorted(pieces)]


def _frame(top: etree._Element) -> tuple[bytes, bytes]:
    """The serialised element split where its children would go: (head, tail)."""
    text = etree.tostring(top, encoding="utf-8", xml_declaration=True, pretty_print=True)
    tag = top.tag.split("}")[-1].encode()
    head, _, _ = text.rpartition(b"</" + tag + b">")
    return head, b"</" + tag + b">\n"


def registry_xml(data: SiteData, pieces: list[Piece], lang: str) -> bytes:
    """The canonical XML of the whole registry: every instrument with its decisions."""
    top = etree.Element("registry", lang=lang, day=data.day.isoformat(), head=str(data.head_seq),
                        hash=data.head_hash)  # fmt: skip
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
        yield urls.catalog(name), _catalog_document(data, catalog, lang, urls.catalog(name),
                                                    whole_parts, version=version)  # fmt: skip
        return
    pages = _paginate(groups)
    where = {}  # group key -> the page it starts on
    for k, parts in enumerate(pages, start=1):
        for group, start, _ in parts:
            if start == 0:
                where[group[0]] = k
    whole = _catalog_document(data, catalog, lang, urls.catalog_print(name), whole_parts,
                              version=version)  # fmt: skip
    listing = whole.find("catalog")
    listing.set("print", "yes")
    sub(listing, "pages", count=len(pages), current=0, rows=len(members),
        all=CATALOG_ROOT + urls.catalog_print(name), first=CATALOG_ROOT + urls.catalog(name))  # fmt: skip
    yield urls.catalog_print(name), whole
    rows = {g.get("key"): g.findall("instrument") for g in listing.iterfind("group")}
    for k, parts in enumerate(pages, start=1):
        path = urls.catalog_page(name, k)
        top = _catalog_document(data, catalog, lang, path, parts, page_no=k, rows_of=rows,
                                version=version)  # fmt: skip
        el = top.find("catalog")
        pager = sub(el, "pages", count=len(pages), current=k, rows=len(members),
                    all=CATALOG_ROOT + urls.catalog_print(name))  # fmt: skip
        for n in range(1, len(pages) + 1):
            sub(pager, "page", str(n), href=CATALOG_ROOT + urls.catalog_page(name, n),
                current="yes" if n == k else "")  # fmt: skip
        el.insert(1, pager)  # after the title: the pager first, then the contents, the groups
        if k == 1:
            toc = sub(el, "toc")
            for key, heading, members_ in groups:
                sub(toc, "entry", _heading_text(catalog, heading, members_, lang),
                    count=len(members_), number=heading[1] if heading else "",
                    href=CATALOG_ROOT + urls.catalog_page(name, where[key]) + "#" + key)  # fmt: skip
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
    return [urls.catalog_print(catalog.name)] + [urls.catalog_page(catalog.name, k)
                                                 for k in range(1, count + 1)]  # fmt: skip


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
    el = sub(top, "catalog", name=catalog.name, outcome=catalog.outcome.value,
             csv=CATALOG_ROOT + urls.catalog(catalog.name, "csv"),
             json=CATALOG_ROOT + urls.catalog(catalog.name, "json"))  # fmt: skip
    sub(el, "title", catalog.title(lang))
    for (key, heading, rows), start, end in parts:
        group = sub(el, "group", key=key, continued="yes" if start else "")
        if heading is not None:
            outcome = rows[0].outcome if rows[0].outcome != catalog.outcome.value else ""
            title_ = heading[0]
            if outcome:  # a partial invalidation: a heading of its own
                named = Outcome.parse(outcome).label(lang)
                title_ = f"{named}：{title_}" if title_ else named
            sub(group, "heading", title_, number=heading[1], effective=heading[2],
                outcome=outcome)  # fmt: skip
        if rows_of is None:
            _append_rows(group, [p.row for p in rows[start:end]], start)
        else:
            group.extend(rows_of[key][start:end])  # numbered already, moved not copied
    return top


def _append_rows(parent: etree._Element, rows: list[bytes], before: int = 0) -> None:
    """Parse serialised rows under ``parent``, numbering them from ``before`` + 1."""
    if not rows:
        return
    parsed = etree.fromstring(b"<rows>" + b"".join(rows) + b"</rows>", _PARSER)
    for n, row in enumerate(list(parsed), start=before + 1):
        row.set("n", str(n))
        parent.append(row)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


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
            cells = (_LIST_NAMES[outcome], n, item.kind, item.name, title, number, item.article,
                     item.outcome.zh if item.outcome else "", item.reason, item.basis, item.id)  # fmt: skip
            lines.append(",".join(_csv_cell(c) for c in cells) + "\r\n")
    return "".join(lines).encode("utf-8")


_LIST_NAMES = {"cancel": "取消清单", "keep": "保留清单", "adjust": "调整清单"}


def _csv_cell(value: Any) -> str:
    text = excel_safe(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def filings_json(data: SiteData, q: Any) -> bytes:
    """A quarter's 备案目录 and rates, machine-readable."""
    rate = lambda r: {"numerator": r.numerator, "denominator": r.denominator,  # noqa: E731
                      "percent": r.percent}  # fmt: skip
    document = {"quarter": q.quarter, "as_of": data.day.isoformat(), "head": data.head_seq,
                "reporting_rate": rate(q.reporting), "timely_rate": rate(q.timely),
                "regular_rate": rate(q.regular), "registered": list(q.registered)}  # fmt: skip
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
        "classes": [{"code": c.code, "zh": c.zh, "en": c.en, "basis": c.basis}
                    for c in thematic.profile.classes],
        "lists": {outcome: [i.to_json() for i in rows] for outcome, rows in thematic.lists.items()},
    }  # fmt: skip
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


def issuer_key(name: str) -> str:
    """A file name for an issuer's page: from a digest of its name, never the name itself."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def by_issuer(
    pieces: list[Piece], order: tuple[str, ...] = (), pinyin: PinyinKeys | None = None
) -> dict[str, list[Piece]]:
    """The pieces by issuer, the issuers in the order a reader looks for them (see
    :func:`issuer_rank`)."""
    out: dict[str, list[Piece]] = {}
    for p in pieces:
        out.setdefault(p.issuer, []).append(p)
    keys = pinyin or PinyinKeys(None)
    return dict(sorted(out.items(), key=lambda item: issuer_rank(item[0], order, keys)))


class PinyinKeys:
    """The pinyin of issuer names (pypinyin), kept in the registry's ``cache/`` folder so that a
    republish loads the library only when a new issuer appears (loading it takes ~0.2 s)."""

    def __init__(self, folder: Path | None):
        self.path = folder / "pinyin.json" if folder is not None else None
        self.known: dict[str, str] = {}
        self.added = False
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError):
                self.known = dict(json.loads(self.path.read_text(encoding="utf-8")))

    def __call__(self, name: str) -> str:
        if name not in self.known:
            self.known[name] = _pinyin(name)
            self.added = True
        return self.known[name]

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            temp = self.path.with_name(f"pinyin.{os.getpid()}.tmp")
            temp.write_text(json.dumps(self.known, ensure_ascii=False), encoding="utf-8")
            os.replace(temp, self.path)


_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


def issuer_rank(
    name: str, order: tuple[str, ...] = (), pinyin: Callable[[str], str] | None = None
) -> tuple[int, int, int, str, str]:
    """Where an issuer is listed: those named in the registry's ``issuer_order`` first, in that
    order; then by level (the State Council, provinces, cities, counties, others), a government
    before its departments, then by the pinyin of the name (pypinyin), not by code point."""
    named = order.index(name) if name in order else len(order)
    if name == NO_ISSUER:
        level = 9
    elif name.startswith("国务院") or name.startswith("中华人民共和国"):
        level = 0
    elif "省" in name or "自治区" in name or name.startswith(_MUNICIPALITIES):
        level = 1
    elif "市" in name or "州" in name or "盟" in name:
        level = 2
    elif "县" in name or "区" in name or "旗" in name:
        level = 3
    else:
        level = 4
    government = 0 if name.endswith("人民政府") else 1
    return named, level, government, (pinyin or _pinyin)(name), name


@functools.cache
def _pinyin(name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(name, style=Style.TONE3))


def issuers_page(data: SiteData, groups: dict[str, list[Piece]], lang: str) -> etree._Element:
    """Every issuer (制定机关), with how many instruments it made and a link to their list."""
    top = page(data, "issuers", urls.ISSUERS, lang, labels(lang)["issuers"])
    holder = sub(top, "issuers")
    for name, members in groups.items():
        counts = status_counts(members)
        el = sub(holder, "issuer", name=name, count=len(members),
                 href=urls.issuer(issuer_key(name)))  # fmt: skip
        for status in Status:
            if counts.get(status.value):
                sub(el, "status", status.label(lang), code=status.value,
                    count=counts[status.value])  # fmt: skip
    return top


def issuer_page(data: SiteData, name: str, members: list[Piece], lang: str) -> etree._Element:
    """One issuer's instruments. The page names the latest event among them, so that it
    changes only when one of them does."""
    path = urls.issuer(issuer_key(name))
    version = max((p.version for p in members), key=lambda v: v[1])
    top = page(data, "issuer", path, lang, name, version)
    el = sub(top, "issuer", name=name, count=len(members))
    rows = [p.issuer_row for p in members]
    parsed = etree.fromstring(b"<rows>" + b"".join(rows) + b"</rows>", _PARSER)
    el.extend(list(parsed))
    return top


# -- the cache of pieces between publishes ------------------------------------------------------

CACHE_FORMAT = 2  # 2: issuers listed in simplified characters
KEEP_CACHES = 4


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class PieceCache:
    """The pieces of the last publish to one folder, kept in the registry's ``cache/`` folder.

    The cache belongs to the site whose manifest it names; a republish uses it only when the
    site's manifest is the same, and otherwise makes every piece again. Losing it costs time,
    never correctness.
    """

    def __init__(self, registry_path: Path, outdir: Path, lang: str):
        name = hashlib.sha256(f"{outdir}\0{lang}".encode()).hexdigest()[:16]
        self.path = registry_path / "cache" / f"publish-{name}.marshal"

    def _stamp(self, manifest: dict[str, Any]) -> tuple:
        keys = ("fingerprint", "head", "day", "hash")
        return (CACHE_FORMAT, sys.version, *(str(manifest.get(k)) for k in keys))

    def load(self, manifest: dict[str, Any]) -> dict[int, Piece] | None:
        """The pieces, if the cache is the one whose digest the site's manifest records."""
        try:
            content = self.path.read_bytes()
            if hashlib.sha256(content).hexdigest() != manifest.get("pieces"):
                return None  # another cache, or one altered since: every piece made anew
            stamp, rows = marshal.loads(content)
            if stamp != self._stamp(manifest):
                return None
            return {row[0]: Piece._make(row) for row in rows}
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return None

    def prepare(self, manifest: dict[str, Any], pieces: list[Piece]) -> _Saving:
        """Start writing the cache for the site about to be swapped in (in a thread); it
        replaces the earlier cache only on ``commit``."""
        saving = _Saving(self, manifest, pieces)
        saving.start()
        return saving

    def prune(self) -> None:
        """Keep the caches of the most recently published sites only (one per site and
        language; a site published elsewhere since, or deleted, leaves its cache behind)."""
        caches = sorted(self.path.parent.glob("publish-*.marshal"), key=_modified, reverse=True)
        for old in caches[KEEP_CACHES:]:
            with contextlib.suppress(OSError):
                old.unlink()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


class _Saving(threading.Thread):
    """Writing a cache into a temporary file beside it, while the site is written."""

    def __init__(self, cache: PieceCache, manifest: dict[str, Any], pieces: list[Piece]):
        super().__init__(name="regclean-save-pieces")
        self.cache, self.manifest, self.pieces = cache, manifest, pieces
        self.temporary = cache.path.with_name(f"{cache.path.name}.{os.getpid()}.tmp")
        self.ok = False
        self._digest: str | None = None
        self._digested = threading.Event()

    def run(self) -> None:
        try:
            rows = [tuple(p) for p in self.pieces]
            content = marshal.dumps((self.cache._stamp(self.manifest), rows))
            self._digest = hashlib.sha256(content).hexdigest()
            self._digested.set()
            self.cache.path.parent.mkdir(exist_ok=True)
            self.temporary.write_bytes(content)
            self.ok = True
        except OSError:  # a cache that cannot be written is left out, not an error
            pass
        finally:
            self._digested.set()

    def digest(self) -> str:
        """The SHA-256 of the cache being written ("" if it cannot be): the site's manifest
        records it, and a republish trusts only the cache that matches."""
        self._digested.wait()
        return self._digest or ""

    def commit(self) -> None:
        self.join()
        try:
            if self.ok:
                os.replace(self.temporary, self.cache.path)
                self.cache.prune()
                return
        except OSError:
            pass
        self.abandon()
        self.cache.discard()  # never leave a cache that names another site

    def abandon(self) -> None:
        self.join()
        with contextlib.suppress(OSError):
            self.temporary.unlink()
