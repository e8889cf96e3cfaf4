"""Gathering everything a published site shows, from the registry, before anything is written."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs

from .. import concerns, filings, items, profiles
from ..campaigns import progress
from ..campaigns import scope_rows as campaign_scope_rows
from ..catalog import CatalogDef, listing_decision
from ..concerns import Tally
from ..config import Settings
from ..errors import PublishError
from ..filings import QuarterFilings
from ..models import Campaign, Decision, DocumentItem, Event, Instrument, status_from
from ..profiles import Profile
from ..store import Reader
from ..vocab import RelationKind, Status

__all__ = ["Entry", "PublishError", "SiteData", "catalog_for", "gather", "labels"]


@attrs.frozen
class Entry:
    """One instrument as the site shows it.

    Attributes:
        instrument: the instrument.
        decisions: all its decisions, oldest first.
        events: its event log.
        status: its status on the publishing day.
        current: the approved decision that put it in a catalog, if any.
        relations: (relation name, other instrument) pairs.
    """

    instrument: Instrument
    decisions: tuple[Decision, ...]
    events: tuple[Event, ...]
    status: Status
    current: Decision | None
    relations: tuple[tuple[str, Instrument], ...]


@attrs.frozen
class Thematic:
    """What a thematic campaign's page shows beside its progress: its profile, its problems
    counted by class, and its lists of items (取消清单, 保留清单, 调整清单)."""

    profile: Profile
    tally: Tally
    lists: dict[str, list[DocumentItem]]
    documents: dict[int, tuple[str, str]]  # the lists' documents: id -> (title, number)


@attrs.frozen
class SiteData:
    """Everything the site shows, computed before anything is written."""

    day: dt.date
    title: str
    base_url: str
    entries: dict[int, Entry]
    catalogs: list[CatalogDef]
    campaigns: list[Campaign]
    decisions: list[Decision]
    head_seq: int
    head_hash: str = ""
    progress: dict[int, list[Any]] = attrs.field(factory=dict)
    versions: dict[int, tuple[str, int, str]] = attrs.field(factory=dict)
    time_zone: str = "Asia/Shanghai"
    supervision: str = ""
    corrections: str = ""
    handlers: bool = True  # publish handlers' and approvers' names
    issuer_order: tuple[str, ...] = ()
    cache_folder: Path | None = None  # the registry's cache/ folder (derived data kept there)
    thematic: dict[int, Thematic] = attrs.field(factory=dict)  # by campaign id
    quarters: tuple[QuarterFilings, ...] = ()  # the quarters with documents registered (备案目录)
    planned: dict[int, tuple[tuple[int, str, str, str], ...]] = attrs.field(factory=dict)

    def catalog_entries(self, catalog: CatalogDef) -> list[Entry]:
        """The instruments a catalog lists, in a stable order."""
        selected = [
            e
            for e in self.entries.values()
            if e.current is not None and catalog.lists(e.current.outcome.value, e.status.value)
        ]
        return sorted(selected, key=lambda e: e.instrument.id)


def gather(
    reads: Reader,
    settings: Settings,
    catalogs: list[CatalogDef],
    events_for: set[int] | None = None,
    ids: set[int] | None = None,
    with_progress: bool = True,
    cache_folder: Path | None = None,
    home: Path | None = None,
) -> SiteData:
    """Read the registry once and compute every entry, status and catalog membership.

    ``ids`` limits the entries to those instruments (None: all); only instrument pages show
    the event log, and ``events_for`` limits reading it to the instruments whose pages will be
    rendered (None: all). ``with_progress=False`` leaves out the campaigns' progress.
    """
    day = reads.today()
    events: dict[int, list[Event]] = defaultdict(list)
    for event in reads.events(events_for):
        if event.instrument_id is not None:
            events[event.instrument_id].append(event)
    relations = _relations(reads, ids)
    entries: dict[int, Entry] = {}
    all_decisions: list[Decision] = []
    for instrument, decisions in reads.instruments_with_decisions(
        sorted(ids) if ids is not None else None
    ):
        all_decisions += decisions
        entries[instrument.id] = Entry(
            instrument=instrument,
            decisions=tuple(decisions),
            events=tuple(events.get(instrument.id, ())),
            status=status_from(instrument, decisions, day),
            current=listing_decision(decisions, day),
            relations=tuple(relations.get(instrument.id, ())),
        )
    campaigns = reads.campaigns()
    return SiteData(
        day=day,
        title=settings.site_title,
        base_url=settings.base_url,
        entries=entries,
        catalogs=catalogs,
        campaigns=campaigns,
        decisions=sorted(all_decisions, key=lambda d: d.id),
        head_seq=reads.last_seq(),
        head_hash=reads.head_hash(),
        progress={c.id: progress(reads, c) for c in campaigns} if with_progress else {},
        versions=reads.latest_events(sorted(ids) if ids is not None else None),
        time_zone=settings.time_zone,
        supervision=settings.supervision,
        corrections=settings.corrections,
        handlers=settings.publish_handlers != "no",
        issuer_order=tuple(filter(None, (s.strip() for s in settings.issuer_order.split("、")))),
        cache_folder=cache_folder,
        thematic=_thematic(reads, campaigns, home) if with_progress else {},
        quarters=_quarters(reads, settings) if with_progress else (),
        planned=_planned(reads, campaigns) if with_progress else {},
    )


def _planned(
    reads: Reader, campaigns: list[Campaign]
) -> dict[int, tuple[tuple[int, str, str, str], ...]]:
    """The documents of each campaign made from a yearly plan (its published plan): id, title,
    number, department."""
    out = {}
    for campaign in campaigns:
        if campaign.scope.get("plan"):
            rows = campaign_scope_rows(reads, campaign)
            known = {
                i.id: i for i, _ in reads.instruments_with_decisions(sorted(i for i, _ in rows))
            }
            order = {i: n for n, i in enumerate(campaign.scope.get("plan_order", []))}
            rows = sorted(rows, key=lambda row: (order.get(row[0], len(order)), row[0]))
            out[campaign.id] = tuple(
                (i, known[i].title, known[i].doc_number, d) for i, d in rows if i in known
            )
    return out


def _quarters(reads: Reader, settings: Settings) -> tuple[QuarterFilings, ...]:
    """Every quarter in which a document was registered by the office above, oldest first."""
    days = sorted({f.answered_on for f in reads.filings() if f.state == "registered"})
    names = sorted({f"{d[:4]}Q{(int(d[5:7]) + 2) // 3}" for d in days})
    return tuple(filings.quarters(reads, settings, names)) if names else ()


def _thematic(reads: Reader, campaigns: list[Campaign], home: Path | None) -> dict[int, Thematic]:
    """The thematic campaigns' classes and lists (a campaign of the general profile has none)."""
    out = {}
    for campaign in campaigns:
        profile = profiles.get(campaign.profile, home)
        if profile.thematic:
            lists = items.lists(reads, campaign.name)
            ids = {i.instrument_id for rows in lists.values() for i in rows}
            documents = (
                {
                    i.id: (i.title, i.doc_number)
                    for i, _ in reads.instruments_with_decisions(sorted(ids))
                }
                if ids
                else {}
            )
            out[campaign.id] = Thematic(
                profile, concerns.tally(reads, home, campaign.name), lists, documents
            )
    return out


def _relations(
    reads: Reader, ids: set[int] | None = None
) -> dict[int, list[tuple[str, Instrument]]]:
    """(relation name, other instrument) of every instrument (or of those ids)."""
    out: dict[int, list[tuple[str, Instrument]]] = defaultdict(list)
    rows = reads.relation_rows(ids)
    if not rows:
        return out
    ends = {r[1] for r in rows} | {r[3] for r in rows}
    known: dict[int, Instrument] = {i.id: i for i, _ in reads.instruments_with_decisions(ends)}
    for _, subject, kind_name, obj in rows:
        kind = RelationKind.parse(kind_name)
        out[subject].append((kind.value, known[obj]))
        out[obj].append((kind.inverse, known[subject]))
    return out


def labels(lang: str) -> dict[str, str]:
    """Every fixed word on the pages, in ``zh`` or ``en``."""
    return dict(_labels(lang))


@functools.cache
def _labels(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, pair[0] if lang == "zh" else pair[1]) for key, pair in LABELS.items())


LABELS: dict[str, tuple[str, str]] = {
    "home": ("首页", "Home"),
    "catalogs": ("清理结果目录", "Catalogs"),
    "issuers": ("按制定机关", "By issuer"),
    "seq": ("序号", "No."),
    "title": ("文件名称", "Title"),
    "number": ("文号", "Number"),
    "registration_no": ("统一登记号", "Registration number"),
    "issuer": ("制定机关", "Issuer"),
    "published": ("发布日期", "Published"),
    "effective_end": ("废止/失效日期", "Ends"),
    "effective": ("生效日期", "Effective"),
    "reason": ("理由", "Reason"),
    "successor": ("替代文件", "Replaced by"),
    "decision": ("决定", "Decision"),
    "no_decision_doc": ("未注明决定文件", "Decision document not recorded"),
    "status": ("状态", "Status"),
    "kind": ("类别", "Kind"),
    "department": ("责任单位", "Department"),
    "history": ("办理过程", "History"),
    "decisions": ("清理决定", "Decisions"),
    "relations": ("关联文件", "Related instruments"),
    "outcome": ("清理结果", "Outcome"),
    "state": ("办理状态", "State"),
    "proposed_by": ("提出", "Proposed by"),
    "reviewed_by": ("合法性审核", "Reviewed by"),
    "approved_by": ("批准", "Approved by"),
    "rejected_by": ("未通过审核", "Rejected by"),
    "withdrawn_by": ("撤回", "Withdrawn by"),
    "basis": ("法律依据", "Legal basis"),
    "count": ("件数", "Count"),
    "downloads": ("下载", "Downloads"),
    "machine": ("机读数据", "Machine-readable data"),
    "feed": ("订阅（Atom）", "Atom feed"),
    "xml": ("完整数据（XML）", "Full data (XML)"),
    "head": ("数据版本", "Data version"),
    "empty": ("暂无", "None"),
    "as_of": ("数据截至", "Data as of"),
    "lang_other": ("English", "中文"),
    "skip": ("跳到正文", "Skip to content"),
    "instruments": ("文件", "Instruments"),
    "campaigns": ("清理批次", "Campaigns"),
    "at": ("时间", "Time"),
    "actor": ("经办", "By"),
    "action": ("事项", "Action"),
    "campaign_progress": ("清理进度", "Progress"),
    "problem_classes": ("问题类别", "Problems by class"),
    "problem_class": ("类别", "Class"),
    "pieces": ("件", "Documents"),
    "times": ("件次", "Document-classes"),
    "enterprise_times": ("其中涉企（件次）", "Of which concern enterprises"),
    "exceptions": ("保留（例外）", "Kept as exceptions"),
    "filings": ("备案目录", "Filing catalogs"),
    "plan": ("清理计划", "Review plan"),
    "filing_rates": ("备案情况", "Filing rates"),
    "filed_on": ("报备日期", "Filed"),
    "registered_on": ("登记日期", "Registered"),
    "reporting_rate": ("报备率", "Filed"),
    "timely_rate": ("报备及时率", "Filed on time"),
    "regular_rate": ("规范率", "Registered at once"),
    "rows_total_label": ("合计", "Total"),
    "list_cancel": ("取消清单", "Items cancelled"),
    "list_keep": ("保留清单", "Items kept"),
    "list_adjust": ("调整清单", "Items adjusted"),
    "item_name": ("事项名称", "Item"),
    "item_article": ("条款", "Article"),
    "item_document": ("所在文件", "Document"),
    "item_reason": ("理由", "Reason"),
    "in_scope": ("应清理", "In scope"),
    "proposed": ("已提出意见", "Proposed"),
    "approved": ("已批准", "Approved"),
    "undecided": ("未清理", "Undecided"),
    "overdue": ("逾期", "Overdue"),
    "cutoff": ("清理截止日", "Cut-off"),
    "deadline": ("报送期限", "Deadline"),
    "supervision": ("监督", "Supervision"),
    "articles": ("失效条款", "Articles that lapse"),
    "expires": ("有效期至", "Valid until"),
    "made_public": ("公布日期", "Made public"),
    "signed_instead": ("（成文日期）", " (signed)"),
    "amendment": ("修改内容", "Amendment"),
    "corrections": ("纠错与审查建议", "Corrections and review requests"),
    "search": ("检索", "Search"),
    "pages": ("分页", "Pages"),
    "page_of": ("第{n}页", "Page {n}"),
    "toc": ("目录（按决定文件）", "Contents (by decision)"),
    "print_version": ("打印版（全部条目在一页）", "Print version (every row on one page)"),
    "paged_version": ("分页浏览", "Browse page by page"),
    "continued": ("（续）", " (continued)"),
    "rows_total": ("共{n}件", "{n} in all"),
    "search_label": ("检索文件（标题、文号或制定机关）", "Search (title, number or issuer)"),
    "search_go": ("检索", "Search"),
    "search_noscript": (
        "本页的检索需要浏览器启用 JavaScript。也可以按清理结果目录或制定机关查找文件。",
        "Searching here needs JavaScript. You can also browse the catalogs or the issuers.",
    ),
    "search_found": ("找到 {n} 件。", "{n} found."),
    "search_more": (
        "只显示前 {n} 件：请输入更完整的标题或文号。",
        "The first {n} shown: type more of the title or number.",
    ),
    "search_none": ("没有找到含“{query}”的文件。", "Nothing holds “{query}”."),
    "search_short": ("请至少输入两个字。", "Type at least two characters."),
    "search_broken": (
        "检索暂时无法使用：检索文件未能读取（请通过网站访问本页，而不是直接打开文件）。",
        "Search cannot run: its index could not be read (open this page from the website, not as a file).",
    ),
    "search_decision": ("清理决定：{title}{number}", "Decision: {title}{number}"),
    "search_effective": (" · 生效日期 {date}", " · effective {date}"),
    "search_tip": (
        "输入文件标题中的两个以上汉字，或任意写法的文号，如 温政发〔2004〕12号、溫政發[2004]12號。",
        "Type two or more characters of a title, or a document number in any spelling.",
    ),
}


def catalog_for(data: SiteData, decision: Decision) -> CatalogDef | None:
    """The catalog that lists instruments decided this way."""
    for catalog in data.catalogs:
        if catalog.outcome is decision.outcome:
            return catalog
    return None


def as_text(value: Any) -> str:
    """A value as page text ("" for None)."""
    return "" if value is None else str(value)
