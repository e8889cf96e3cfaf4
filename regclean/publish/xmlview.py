"""The canonical XML of a registry, and the page documents the stylesheets render.

Every value goes in as element text or an attribute through lxml, so escaping is by
construction. docs/publishing.md describes the vocabulary; ``catalogs/registry.rng`` is its
schema.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import zoneinfo
from typing import Any

from lxml import etree

from .. import events, urls
from ..models import Decision
from ..vocab import DecisionState, Status
from .finder import FOLDER
from .site import Entry, SiteData, catalog_for, labels

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value: Any) -> str:
    """Text made safe for XML 1.0 (control characters dropped)."""
    text = "" if value is None else str(value)
    # printable text holds none of them (they are all Cc or Cn): the common case, quickly
    return text if text.isprintable() else _NOT_XML.sub("", text)


@functools.cache
def _attribute(key: str) -> str:
    """A keyword argument's name as an XML attribute name (``class_`` -> class, a_b -> a-b)."""
    return key.rstrip("_").replace("_", "-")


def sub(parent: etree._Element, tag: str, text: Any = None, **attrs: Any) -> etree._Element:
    """A child element with text and attributes (None and "" attributes left out)."""
    element = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        if value is not None and value != "":
            element.set(_attribute(key), clean(value))
    if text not in (None, ""):
        element.text = clean(text)
    return element


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def instrument_element(
    parent: etree._Element, entry: Entry, lang: str, root: str
) -> etree._Element:
    """An <instrument> with its fields, status, decisions and relations."""
    i = entry.instrument
    el = sub(parent, "instrument", id=i.id, href=root + urls.instrument(i.id))
    sub(el, "title", i.title)
    sub(el, "title-core", i.title_core)
    sub(el, "number", i.doc_number, key=i.number.key if i.number else "")
    sub(el, "registration-no", i.registration_no)
    sub(el, "kind", i.kind.label(lang), code=i.kind.value)
    sub(el, "issuer", i.issuer)
    sub(el, "department", i.department)
    sub(el, "jurisdiction", i.jurisdiction)
    for name in ("signed_on", "published_on", "effective_on", "expires_on"):
        value = getattr(i, name)
        if value is not None:
            sub(
                el,
                name.replace("_", "-"),
                value.chinese() if lang == "zh" else value.isoformat(),
                iso=value.isoformat(),
            )
    sub(el, "source-url", i.source_url)
    sub(el, "index-no", i.index_no)
    sub(el, "status", entry.status.label(lang), code=entry.status.value)
    return el


@functools.cache
def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # no zone database: China's offset
        return dt.timezone(dt.timedelta(hours=8))


@functools.lru_cache(maxsize=65536)  # a publish shows the same few seconds many times
def shown_time(stamp: str, zone: str, lang: str) -> str:
    """A stored UTC time as a reader expects it, in the registry's zone: 2026年11月29日 15:04
    (en: 2026-11-29 15:04); "" for none, the text itself when it is not a time."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(_zone(zone))
    if lang == "zh":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def decision_element(
    parent: etree._Element,
    decision: Decision,
    lang: str,
    zone: str = "Asia/Shanghai",
    handlers: bool = True,
) -> etree._Element:
    """A <decision>: its outcome, reasons and each step (proposed, reviewed, approved or
    rejected, withdrawn) with who, which office and when (``at`` UTC, ``shown`` as a reader reads it in
    ``zone``); without ``handlers`` the persons' names are left out, their offices kept."""
    el = sub(
        parent,
        "decision",
        id=decision.id,
        outcome=decision.outcome.value,
        state=decision.state.value,
        campaign=decision.campaign,
    )
    sub(el, "outcome", decision.outcome.label(lang))
    sub(el, "state", decision.state.label(lang))
    for reason in decision.reasons:
        sub(
            el,
            "reason",
            reason.text or "、".join(c.label(lang) for c in reason.codes),
            codes=" ".join(c.value for c in reason.codes),
        )
    sub(el, "basis", decision.basis)

    def who(name: str) -> str:
        return name if handlers else ""

    sub(
        el,
        "proposed",
        who(decision.proposed_by),
        at=decision.proposed_at,
        shown=shown_time(decision.proposed_at, zone, lang),
        department=decision.department,
        handler=who(decision.handler),
    )
    if decision.reviewed_by:
        sub(
            el,
            "reviewed",
            who(decision.reviewed_by),
            at=decision.reviewed_at,
            shown=shown_time(decision.reviewed_at, zone, lang),
            office=decision.review_office,
            opinion=decision.review_opinion,
        )
    if decision.decided_by:
        tag = "rejected" if decision.state is DecisionState.REJECTED else "approved"
        sub(
            el,
            tag,
            who(decision.decided_by),
            at=decision.decided_at,
            shown=shown_time(decision.decided_at, zone, lang),
        )
    if decision.withdrawn_by:
        sub(
            el,
            "withdrawn",
            who(decision.withdrawn_by),
            at=decision.withdrawn_at,
            shown=shown_time(decision.withdrawn_at, zone, lang),
            reason=decision.withdraw_reason,
        )
    if decision.articles:
        sub(el, "articles", decision.articles)
    if decision.amendment:
        sub(el, "amendment", decision.amendment)
    if decision.decision_doc or decision.decision_title:
        sub(el, "decision-document", decision.decision_title, number=decision.decision_doc)
    if decision.effective_on is not None:
        value = decision.effective_on
        sub(
            el,
            "effective-on",
            value.chinese() if lang == "zh" else value.isoformat(),
            iso=value.isoformat(),
        )
    if decision.published_on is not None:  # the step 政务公开 asks for: when it was made public
        value = decision.published_on
        sub(
            el,
            "published-on",
            value.chinese() if lang == "zh" else value.isoformat(),
            iso=value.isoformat(),
        )
    return el


# -- pages ------------------------------------------------------------------------------------


def page(
    data: SiteData,
    kind: str,
    path: str,
    lang: str,
    title: str,
    version: tuple[str, int, str] | None = None,
) -> etree._Element:
    """A page document: the site, the labels, the navigation, then the content.

    ``version`` (day, event seq, event hash) is what the page's footer names; by default the
    registry's head. An instrument page names its own latest event instead, so that it changes
    only when the instrument does (and a republish rewrites only what changed).
    """
    root = urls.root_of(path)
    day, head, digest = version or (data.day.isoformat(), data.head_seq, data.head_hash)
    top = etree.Element("page", kind=kind, lang=lang, path=path, root=root)
    sub(top, "title", title)
    sub(
        top,
        "site",
        data.title,
        day=day,
        head=head,
        hash=digest,
        css=root + urls.STYLESHEET,
        home=root + urls.INDEX,
        supervision=data.supervision,
        corrections=data.corrections,
        search=root + urls.SEARCH,
    )
    top.append(copy.deepcopy(_labels(lang)))  # the same on every page: built once, copied
    nav = sub(top, "nav")
    sub(
        nav,
        "item",
        labels(lang)["home"],
        href=root + urls.INDEX,
        current="yes" if kind == "index" else "",
    )
    for catalog in data.catalogs:
        sub(
            nav,
            "item",
            catalog.title(lang),
            href=root + urls.catalog(catalog.name),
            current="yes" if path == urls.catalog(catalog.name) else "",
        )
    sub(
        nav,
        "item",
        labels(lang)["issuers"],
        href=root + urls.ISSUERS,
        current="yes" if kind == "issuers" else "",
    )
    return top


@functools.lru_cache(maxsize=4)
def _labels(lang: str) -> etree._Element:
    words = etree.Element("labels")
    for key, value in labels(lang).items():
        sub(words, "l", value, k=key)
    return words


def instrument_page(data: SiteData, entry: Entry, lang: str) -> etree._Element:
    """One instrument with its whole history: who proposed, who approved, when, why."""
    path = urls.instrument(entry.instrument.id)
    last = entry.events[-1] if entry.events else None
    version = (last.at[:10], last.seq, last.hash) if last else ("", 0, "")
    top = page(data, "instrument", path, lang, entry.instrument.title, version)
    root = urls.root_of(path)
    el = instrument_element(top, entry, lang, root)
    for decision in entry.decisions:
        d = decision_element(el, decision, lang, data.time_zone, data.handlers)
        listed = catalog_for(data, decision)
        if listed is not None and decision is entry.current:
            d.set("catalog", root + urls.catalog(listed.name))
            d.set("catalog-title", listed.title(lang))
    for name, other in entry.relations:
        sub(el, "relation", other.title, kind=name, href=root + urls.instrument(other.id))
    _banner(top, data, entry, lang, root)
    history = sub(el, "history")
    for event in entry.events:
        sub(
            history,
            "event",
            _event_words(event.action, lang),
            seq=event.seq,
            at=event.at,
            shown=shown_time(event.at, data.time_zone, lang),
            actor=event.actor if data.handlers else "",
            action=event.action,
        )
    return top


SUCCESSORS = {"replaced_by": ("已被代替，新文件", "Replaced by"),
              "amended_by": ("已被修改，修改文件", "Amended by"),
              "repealed_by": ("废止文件", "Repealed by")}  # fmt: skip
PREDECESSORS = {"replaces": ("代替", "Replaces"), "amends": ("修改", "Amends")}
_ENDS = {"repealed": ("废止", "repealed"), "invalid": ("失效", "invalid"),
         "replaced": ("被代替", "replaced"), "not_normative": ("不再作为规范性文件管理", "not normative"),
         "partially_in_force": ("部分条款失效", "partly invalid")}  # fmt: skip


def _banner(top: etree._Element, data: SiteData, entry: Entry, lang: str, root: str) -> None:
    """ "Is it in force?" at a glance: the verdict, since when, the decision that changed it,
    what replaced or amended it (and what it replaced), and how to cite it."""
    i, d, status = entry.instrument, entry.current, entry.status
    zh = lang == "zh"
    el = sub(top, "banner", code=status.value, force="yes" if status.in_force else "no")
    verdict = status.label(lang)
    sub(el, "verdict", verdict)
    ends = _ENDS.get(status.value)
    if ends and d is not None and d.effective_on is not None:
        day = d.effective_on.chinese() if zh else d.effective_on.isoformat()
        sub(el, "since", f"自{day}起{ends[0]}" if zh else f"{ends[1]} from {day}")
    elif status.value == "expired" and i.expires_on is not None:
        day = i.expires_on.chinese() if zh else i.expires_on.isoformat()
        sub(el, "since", f"有效期至{day}" if zh else f"valid until {day}")
    elif status.in_force and _evaluating(entry) and i.expires_on is not None:
        day = i.expires_on.chinese() if zh else i.expires_on.isoformat()
        sub(el, "since", f"有效期至{day}，评估中" if zh else f"valid until {day}, under evaluation")
    elif status.in_force:
        start = i.effective_on or i.published_on
        if start is not None:
            day = start.chinese() if zh else start.isoformat()
            sub(el, "since", f"自{day}起施行" if zh else f"in force since {day}")
    if d is not None and (d.decision_title or d.decision_doc):
        listed = catalog_for(data, d)
        sub(
            el,
            "decision",
            d.decision_title or d.decision_doc,
            number=d.decision_doc,
            href=root + urls.catalog(listed.name) if listed else "",
            label="清理决定" if zh else "Decision",
        )
    for name, other in entry.relations:
        words = SUCCESSORS.get(name) or PREDECESSORS.get(name)
        if words:
            tag = "successor" if name in SUCCESSORS else "predecessor"
            sub(
                el,
                tag,
                other.title,
                label=words[0 if zh else 1],
                href=root + urls.instrument(other.id),
                number=other.doc_number,
            )
    url = urls.absolute(data.base_url, urls.instrument(i.id))
    number = f"（{i.doc_number}）" if i.doc_number else ""
    title = i.title if i.title.startswith("《") else f"《{i.title}》"
    sub(
        el,
        "cite",
        f"{title}{number}，{url}"
        if zh
        else f"{i.title}{' (' + i.doc_number + ')' if i.doc_number else ''}, {url}",
        label="引用" if zh else "Cite",
        url=url,
    )


def _evaluating(entry: Entry) -> bool:
    """Whether the document's evaluation before expiry is open: a step recorded, no decision."""
    steps = [e.payload.get("step") for e in entry.events if e.action == "evaluate"]
    return bool(steps) and steps[-1] != "decision"


def _event_words(action: str, lang: str) -> str:
    return events.label(action, lang)


def index_page(
    data: SiteData,
    lang: str,
    total: int,
    catalog_counts: dict[str, int],
    status_counts: dict[str, int],
) -> etree._Element:
    """The home page: what was decided, in numbers, with links to every catalog."""
    top = page(data, "index", urls.INDEX, lang, data.title)
    summary = sub(top, "summary", total=total)
    for catalog in data.catalogs:
        sub(
            summary,
            "catalog",
            catalog.title(lang),
            href=urls.catalog(catalog.name),
            count=catalog_counts[catalog.name],
            csv=urls.catalog(catalog.name, "csv"),
            json=urls.catalog(catalog.name, "json"),
        )
    statuses = sub(top, "statuses")
    for status in Status:
        if status_counts.get(status.value):
            sub(
                statuses,
                "status",
                status.label(lang),
                code=status.value,
                count=status_counts[status.value],
            )
    sub(top, "downloads", xml=urls.XML, feed=urls.FEED, sitemap=urls.SITEMAP)
    listed = sub(top, "campaigns")
    for campaign in data.campaigns:
        sub(
            listed,
            "campaign",
            campaign.title or campaign.name,
            href=urls.campaign(campaign.id),
            name=campaign.name,
        )
    quarters = sub(top, "quarters")
    for q in data.quarters:
        sub(quarters, "quarter", _quarter_title(q, lang), href=urls.filings(q.quarter))
    return top


def _quarter_title(q: Any, lang: str) -> str:
    year, n = q.quarter[:4], int(q.quarter[-1])
    return f"{year}年第{'一二三四'[n - 1]}季度备案目录" if lang == "zh" else f"Filings {q.quarter}"


def filings_page(data: SiteData, q: Any, lang: str) -> etree._Element:
    """A quarter's 备案目录: the documents the office above registered in it, and the rates."""
    path = urls.filings(q.quarter)
    root = urls.root_of(path)
    top = page(data, "filings", path, lang, _quarter_title(q, lang))
    el = sub(top, "filings", quarter=q.quarter, json=root + urls.filings(q.quarter, "json"))
    sub(el, "title", _quarter_title(q, lang))
    for name, rate in (
        ("reporting_rate", q.reporting),
        ("timely_rate", q.timely),
        ("regular_rate", q.regular),
    ):
        sub(el, "rate", str(rate), name=name)
    for n, row in enumerate(q.registered, start=1):
        sub(
            el,
            "row",
            row["title"],
            n=n,
            number=row["doc_number"],
            registration=row["registration_no"],
            issuer=row["issuer"],
            published=row["published_on"],
            filed=row["filed_on"],
            registered=row["registered_on"],
            href=root + urls.instrument(row["id"]),
        )
    return top


def campaign_page(data: SiteData, campaign: Any, lang: str) -> etree._Element:
    """A campaign's progress, one row (and one bar) per department."""
    path = urls.campaign(campaign.id)
    top = page(data, "campaign", path, lang, campaign.title or campaign.name)
    el = sub(
        top,
        "campaign",
        name=campaign.name,
        cutoff=_date(campaign.cutoff),
        deadline=_date(campaign.deadline),
        closed=campaign.closed_at,
    )
    sub(el, "title", campaign.title or campaign.name)
    widest = max((row.in_scope for row in data.progress.get(campaign.id, [])), default=0)
    for row in data.progress.get(campaign.id, []):
        sub(
            el,
            "department",
            row.department,
            in_scope=row.in_scope,
            proposed=row.proposed,
            approved=row.approved,
            undecided=row.undecided,
            overdue="yes" if row.overdue else "no",
            scale=widest,
        )
    planned = data.planned.get(campaign.id)
    if planned:  # a campaign made from a yearly plan: the published plan
        root = urls.root_of(path)
        listed = sub(el, "plan", rule=str(campaign.scope.get("plan", "")))
        for n, (instrument_id, title, number, department) in enumerate(planned, start=1):
            sub(
                listed,
                "doc",
                title,
                n=n,
                number=number,
                department=department,
                href=root + urls.instrument(instrument_id),
            )
    thematic = data.thematic.get(campaign.id)
    if thematic is not None:  # a thematic campaign: its problems by class, and its lists
        profile, tally, root = thematic.profile, thematic.tally, urls.root_of(path)
        classes = sub(
            el,
            "classes",
            profile=profile.label(lang),
            other=profile.label(_other(lang)),
            json=root + urls.campaign(campaign.id, "json"),
            pieces=tally.total.pieces,
            times=tally.total.times,
            enterprise_times=tally.total.enterprise_times,
            exceptions=tally.exceptions,
        )
        for problem_class in profile.classes:
            count = tally.by_class[problem_class.code]
            sub(
                classes,
                "class",
                problem_class.label(lang),
                code=problem_class.code,
                other=problem_class.label(_other(lang)),
                pieces=count.pieces,
                times=count.times,
                enterprise_times=count.enterprise_times,
            )
        for outcome, rows in thematic.lists.items():
            if not rows:
                continue
            listed = sub(el, "items", outcome=outcome, csv=root + urls.campaign(campaign.id, "csv"))
            for n, item in enumerate(rows, start=1):
                title, number = thematic.documents.get(item.instrument_id, ("", ""))
                sub(
                    listed,
                    "item",
                    item.name,
                    n=n,
                    kind=item.kind,
                    article=item.article,
                    document=title,
                    number=number,
                    reason=item.reason,
                    href=root + urls.instrument(item.instrument_id),
                )
    return top


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def search_page(data: SiteData, lang: str) -> etree._Element:
    """The search page: the form, and the place search.js writes its results."""
    top = page(data, "search", urls.SEARCH, lang, labels(lang)["search"])
    sub(top, "search", script=urls.SEARCH_SCRIPT, index=finder_folder(), issuers=urls.ISSUERS)
    return top


def finder_folder() -> str:

    return FOLDER + "/"


def serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="utf-8", xml_declaration=True, pretty_print=True)
