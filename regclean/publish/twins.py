"""The machine-readable twins of the site: CSV, JSON, the Atom feed, sitemap and JSON-LD."""

from __future__ import annotations

import json
import uuid
from typing import Any

from lxml import etree

from .. import urls
from ..models import Decision
from ..vocab import Status
from .site import Entry, SiteData
from .xmlview import sub

CSV_COLUMNS = ("序号", "文件名称", "文号", "制定机关", "发布日期", "清理结果", "生效日期", "理由",
               "决定", "决定文号", "id")  # fmt: skip
ATOM = "http://www.w3.org/2005/Atom"


_FORCE = {
    Status.IN_FORCE: "InForce",
    Status.TO_BE_REVISED: "InForce",
    Status.PARTIALLY_IN_FORCE: "PartiallyInForce",
    Status.REPLACED: "NotInForce",
    Status.NOT_NORMATIVE: "NotInForce",
    Status.NOT_YET_IN_FORCE: "NotInForce",
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
        key = {
            "repeals": "legislationRepeals",
            "amends": "legislationAmends",
            "replaces": "legislationRepeals",
        }.get(name)
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


def feed_id(data: SiteData, entry: str = "") -> str:
    """Stable ASCII identities: name-based UUIDs of the site (its base URL, else its title) and
    of each entry within it, so that two registries' feeds never share ids."""
    site = uuid.uuid5(uuid.NAMESPACE_URL, data.base_url or f"regclean:{data.title}")
    return f"urn:uuid:{uuid.uuid5(site, entry) if entry else site}"


def atom_entry(
    feed: etree._Element, data: SiteData, entry: Entry, at: str, kind: str, decision: Decision
) -> etree._Element:
    """The Atom entry of one approval (kind ``approved``) or withdrawal (``withdrawn``)."""
    atom = ATOM
    title = entry.instrument.title
    verb = decision.outcome.zh if kind == "approved" else f"撤回{decision.outcome.zh}决定"
    el = sub(feed, f"{{{atom}}}entry")
    sub(el, f"{{{atom}}}id", feed_id(data, f"decision:{decision.id}:{kind}"))
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
    return el
