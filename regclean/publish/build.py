"""Building a site in memory from a plan: gather the registry's data, make each instrument's
pieces, assemble the aggregate files from pieces, render the pages.

With a staging folder, many instrument pages are rendered by worker processes (see
:mod:`regclean.publish.pool`) that write them there; everything else is returned as bytes.
"""

from __future__ import annotations

import attrs

from .. import urls
from ..catalog import CatalogDef, definitions
from . import assemble as assemble_
from . import finder, xmlview
from . import issuers as issuers_
from . import pieces as pieces_
from .chores import StaleSiteError
from .plan import Plan, Source
from .pool import InstrumentPages, Job, Progress
from .render import Catalogs
from .site import PublishError, SiteData, gather
from .staging import Staging


@attrs.frozen
class Built:
    """A site made in memory.

    Attributes:
        files: every file made here, by relative path.
        linked: pages to bring over unchanged from the earlier site.
        pieces: every instrument's pieces, in order (what the cache keeps).
        rendered: instrument pages rendered.
        counts: entries of each catalog.
        written: instrument pages the workers wrote straight into the staging folder.
    """

    files: dict[str, bytes]
    linked: list[str]
    pieces: list[pieces_.Piece]
    rendered: int
    counts: dict[str, int]
    written: int = 0


def build(
    source: Source,
    lang: str,
    plan: Plan,
    staging: Staging | None = None,
    progress: Progress | None = None,
) -> Built:
    """The files of the site (read inside the caller's snapshot)."""
    if lang not in ("zh", "en"):
        raise PublishError(f"lang must be zh or en, not {lang!r}")
    reads = source.store.reads
    folder = Catalogs(source.path)
    catalogs = definitions(source.path)
    job = Job(
        source.path,
        source.store.clock,
        source.settings,
        folder,
        lang,
        catalogs,
        staging,
        reads.state(),
    )
    pages = InstrumentPages(job, plan.to_render, progress)  # forks before anything big is read
    partial = plan.changed is not None and plan.cached is not None
    try:
        data = gather(
            reads,
            source.settings,
            catalogs,
            events_for=pages.here(plan.changed),
            ids=plan.changed if partial else None,
            cache_folder=source.path / "cache",
            home=source.path,
        )
        built = _aggregates(lang, folder, catalogs, data, plan)
        built.files.update(pages.finish(data, reads.events))
    except BaseException:
        pages.cancel()
        raise
    finally:
        if folder.sandbox is not None:
            folder.sandbox.close()
    return attrs.evolve(built, rendered=len(plan.to_render), written=pages.written)


def _aggregates(
    lang: str, folder: Catalogs, catalogs: list[CatalogDef], data: SiteData, plan: Plan
) -> Built:
    """Every file but the instrument pages."""
    fresh = {
        i: pieces_.make_piece(data, entry, lang, data.versions.get(i, ("", 0, "")))
        for i, entry in data.entries.items()
    }
    if plan.changed is not None and plan.cached is not None:
        known = {**plan.cached, **fresh}
        everything = [known[i] for i in plan.ids]
        dirty = {plan.cached[i].issuer for i in plan.changed if i in plan.cached}
        dirty |= {fresh[i].issuer for i in plan.changed if i in fresh}
    else:
        everything = pieces_.ordered(fresh)
        dirty = None

    files: dict[str, bytes] = {}
    linked: list[str] = []
    catalog_counts = {}
    listed = assemble_.by_outcome(everything)
    for catalog in catalogs:
        candidates = [p for o in catalog.outcomes for p in listed.get(o.value, [])]
        if len(catalog.outcomes) > 1:  # each list is in order; two are merged
            candidates.sort(key=lambda p: p.id)
        members = [p for p in candidates if p.listed_in(catalog)]
        catalog_counts[catalog.name] = len(members)
        if dirty is not None and not any(
            (i in plan.cached and plan.cached[i].listed_in(catalog))  # type: ignore[operator]
            or (i in fresh and fresh[i].listed_in(catalog))
            for i in plan.changed  # type: ignore[union-attr]
        ):  # none of its instruments changed: its pages are the earlier site's
            linked += assemble_.catalog_paths(catalog, members)
        else:
            for path, document in assemble_.catalog_pages(data, catalog, members, lang):
                files[path] = folder.render(catalog.stylesheet, document)
        files[urls.catalog(catalog.name, "csv")] = assemble_.catalog_csv(members)
        files[urls.catalog(catalog.name, "json")] = assemble_.catalog_json(data, catalog, members)
    files[urls.INDEX] = folder.render(
        "index.xsl",
        xmlview.index_page(
            data, lang, len(everything), catalog_counts, assemble_.status_counts(everything)
        ),
    )
    pinyin = issuers_.PinyinKeys(data.cache_folder)
    groups = issuers_.by_issuer(everything, data.issuer_order, pinyin)
    pinyin.save()
    files[urls.ISSUERS] = folder.render("issuers.xsl", issuers_.issuers_page(data, groups, lang))
    for name, members in groups.items():
        path = urls.issuer(issuers_.issuer_key(name))
        if dirty is not None and name not in dirty:
            linked.append(path)
        else:
            files[path] = folder.render(
                "issuer.xsl", issuers_.issuer_page(data, name, members, lang)
            )
    for campaign in data.campaigns:
        files[urls.campaign(campaign.id)] = folder.render(
            "campaign.xsl", xmlview.campaign_page(data, campaign, lang)
        )
        if campaign.id in data.thematic:  # its classes and lists, machine-readable
            files[urls.campaign(campaign.id, "json")] = assemble_.campaign_json(data, campaign)
            files[urls.campaign(campaign.id, "csv")] = assemble_.items_csv(data, campaign)
    for q in data.quarters:  # the 备案目录 of each quarter with documents registered
        files[urls.filings(q.quarter)] = folder.render(
            "filings.xsl", xmlview.filings_page(data, q, lang)
        )
        files[urls.filings(q.quarter, "json")] = assemble_.filings_json(data, q)
    files[urls.SEARCH] = folder.render("search.xsl", xmlview.search_page(data, lang))
    files[urls.SEARCH_SCRIPT] = folder.read("search.js")
    search_files, search_linked = _search_index(data, lang, plan)
    files.update(search_files)
    linked += search_linked
    files[urls.XML] = assemble_.registry_xml(data, everything, lang)
    files[urls.FEED] = assemble_.atom_feed(data, everything)
    files[urls.STYLESHEET] = folder.read("site.css")
    pages = {p for p in files if p.endswith(".html")} | {p for p in linked if p.endswith(".html")}
    pages |= {urls.instrument(p.id) for p in everything}
    files[urls.SITEMAP] = assemble_.sitemap(data, sorted(pages))
    return Built(files, linked, everything, 0, catalog_counts)


def _search_index(data: SiteData, lang: str, plan: Plan) -> tuple[dict[str, bytes], list[str]]:
    """The site search's files: patched where instruments changed when the plan builds on an
    earlier site (whose record files hold what the others were), else made in full."""
    items = {i: pieces_.search_item(entry, lang) for i, entry in data.entries.items()}
    if plan.changed is not None and plan.cached is not None and plan.earlier is not None:
        try:
            return finder.build_partial(
                items, plan.changed, len(plan.ids), plan.earlier, plan.sealed
            )
        except finder.Stale:
            pass  # an earlier file is missing or was modified: the index is made in full
        if len(items) < len(plan.ids):
            raise StaleSiteError("the search index must be made in full")
    return finder.build_full(items), []
