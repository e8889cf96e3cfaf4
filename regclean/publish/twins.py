"""The machine-readable twins of the site: CSV, JSON, the Atom feed, sitemap and JSON-LD."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from lxml import etree

from ..models import Decision
from ..vocab import DecisionState, Outcome, Status
from . import urls
from .site import CatalogDef, Entry, SiteData
from .xmlview import sub

CSV_COLUMNS = ("序号", "文件名称", "文号", "制定机关", "发布日期", "清理结果", "生效日期", "理由",
               "决定", "决定文号", "id")  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: str) -> str:
    """A cell Excel will not run as a formula (=, +, -, @ neutralised by a leading ')."""
    return "'" + value if value.startswith(_FORMULA) else value


def catalog_rows(data: SiteData, catalog: CatalogDef) -> list[dict[str, Any]]:
    """The rows of a catalog as plain data (the JSON twin; the CSV uses the same)."""
    rows = []
    for n, entry in enumerate(data.catalog_entries(catalog), start=1):
        i, d = entry.instrument, entry.current
        assert d is not None
        rows.append({
            "n": n,
            "id": i.id,
            "title": i.title,
            "doc_number": i.doc_number,
            "issuer": i.issuer,
            "published_on": i.published_on.isoformat() if i.published_on else None,
            "outcome": d.outcome.value,
            "outcome_zh": d.outcome.zh,
            "effective_on": d.effective_on.isoformat() if d.effective_on else None,
            "reason": d.reason_text,
            "decision_title": d.decision_title,
            "decision_doc": d.decision_doc,
            "url": urls.instrument(i.id),
        })  # fmt: skip
    return rows


def catalog_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM (so Excel reads the Chinese), CRLF, formula-safe cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        cells = [r["n"], r["title"], r["doc_number"], r["issuer"], r["published_on"] or "",
                 r["outcome_zh"], r["effective_on"] or "", r["reason"], r["decision_title"],
                 r["decision_doc"], r["id"]]  # fmt: skip
        writer.writerow([excel_safe(str(c)) for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def catalog_json(data: SiteData, catalog: CatalogDef, rows: list[dict[str, Any]]) -> bytes:
    document = {
        "catalog": catalog.name,
        "title": catalog.title_zh,
        "title_en": catalog.title_en,
        "outcome": catalog.outcome.value,
        "as_of": data.day.isoformat(),
        "head": data.head_seq,
        "head_hash": data.head_hash,
        "count": len(rows),
        "rows": rows,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_FORCE = {
    Status.IN_FORCE: "InForce",
    Status.NOT_YET_IN_FORCE: "NotInForce",
    Status.REVISED: "NotInForce",
    Status.REPEALED: "NotInForce",
    Status.INVALID: "NotInForce",
    Status.EXPIRED: "NotInForce",
}


def jsonld(data: SiteData, entry: Entry) -> str:
    """schema.org Legislation for one instrument, safe to put inside a <script> element."""
    i = entry.instrument
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": urls.absolute(data.base_url, urls.instrument(i.id)),
        "name": i.title,
        "inLanguage": "zh-CN",
        "legislationLegalForce": _FORCE[entry.status],
    }
    if i.doc_number:
        doc["legislationIdentifier"] = i.doc_number
    if i.issuer:
        doc["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": i.issuer}
    date = i.published_on or i.signed_on
    if date is not None:
        doc["legislationDate"] = date.isoformat()
    if i.jurisdiction:
        doc["legislationJurisdiction"] = i.jurisdiction
    for name, other in entry.relations:
        key = {"repeals": "legislationRepeals", "amends": "legislationAmends",
               "replaces": "legislationRepeals"}.get(name)  # fmt: skip
        if key:
            doc.setdefault(key, []).append(
                {
                    "@id": urls.absolute(data.base_url, urls.instrument(other.id)),
                    "name": other.title,
                }
            )
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)
    # Inside <script>, "</script" would end the element and "<!--" change how it is parsed:
    # JSON may spell <, > and & as \\u escapes, and then none of them can occur.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def atom_feed(data: SiteData) -> bytes:
    """One entry per approved or withdrawn decision, newest first (withdrawals included)."""
    atom = "http://www.w3.org/2005/Atom"
    feed = etree.Element(f"{{{atom}}}feed", nsmap={None: atom})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-CN")
    entries = []
    for decision in data.decisions:
        if decision.state is DecisionState.APPROVED and decision.decided_at:
            entries.append((decision.decided_at, "approved", decision))
        if decision.state is DecisionState.WITHDRAWN and decision.withdrawn_at:
            if decision.decided_at:
                entries.append((decision.decided_at, "approved", decision))
            entries.append((decision.withdrawn_at, "withdrawn", decision))
    entries.sort(key=lambda e: (e[0], e[2].id, e[1]), reverse=True)
    sub(feed, f"{{{atom}}}title", data.title)
    sub(feed, f"{{{atom}}}id", _feed_id(data))
    sub(
        feed,
        f"{{{atom}}}updated",
        entries[0][0] if entries else f"{data.day.isoformat()}T00:00:00Z",
    )
    link = sub(feed, f"{{{atom}}}link", rel="self")
    link.set("href", urls.absolute(data.base_url, urls.FEED))
    for at, kind, decision in entries:
        _atom_entry(feed, atom, data, at, kind, decision)
    return etree.tostring(feed, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _feed_id(data: SiteData, entry: str = "") -> str:
    """Stable ASCII identities: name-based UUIDs of the site (its base URL, else its title) and
    of each entry within it, so that two registries' feeds never share ids."""
    site = uuid.uuid5(uuid.NAMESPACE_URL, data.base_url or f"regclean:{data.title}")
    return f"urn:uuid:{uuid.uuid5(site, entry) if entry else site}"


def _atom_entry(
    feed: Any, atom: str, data: SiteData, at: str, kind: str, decision: Decision
) -> None:
    entry = data.entries[decision.instrument_id]
    title = entry.instrument.title
    verb = decision.outcome.zh if kind == "approved" else f"撤回{decision.outcome.zh}决定"
    el = sub(feed, f"{{{atom}}}entry")
    sub(el, f"{{{atom}}}id", _feed_id(data, f"decision:{decision.id}:{kind}"))
    sub(el, f"{{{atom}}}title", f"{verb}：{title}")
    sub(el, f"{{{atom}}}updated", at)
    link = sub(el, f"{{{atom}}}link")
    link.set("href", urls.absolute(data.base_url, urls.instrument(entry.instrument.id)))
    sub(el, f"{{{atom}}}category", term=f"{decision.outcome.value}-{kind}")
    summary = [verb, entry.instrument.doc_number, decision.reason_text]
    if kind == "withdrawn":
        summary.append(decision.withdraw_reason)
    if decision.decision_title or decision.decision_doc:
        summary.append(f"{decision.decision_title}{decision.decision_doc}")
    sub(el, f"{{{atom}}}summary", "；".join(s for s in summary if s))


def sitemap(data: SiteData, paths: list[str]) -> bytes:
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    top = etree.Element(f"{{{ns}}}urlset", nsmap={None: ns})
    for path in paths:
        url = sub(top, f"{{{ns}}}url")
        sub(url, f"{{{ns}}}loc", urls.absolute(data.base_url, path))
    return etree.tostring(top, encoding="utf-8", xml_declaration=True, pretty_print=True)


def outcome_catalog_name(data: SiteData, outcome: Outcome) -> str | None:
    for catalog in data.catalogs:
        if catalog.outcome is outcome:
            return catalog.name
    return None
