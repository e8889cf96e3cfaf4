"""Publishing the public catalogs: registry -> canonical XML -> catalog stylesheets -> site.

"对决定予以废止的要向社会公布目录". :func:`publish` first computes every page and file in memory,
then writes them into a temporary folder beside the output folder and swaps it in, so a failed
publish leaves the previous site whole. The same registry on the same day gives the same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from lxml import etree

from . import twins, urls, xmlview
from .render import Catalogs
from .site import CatalogDef, PublishError, SiteData, gather, load_catalogs

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["PublishError", "PublishReport", "publish", "render_site"]

MARKER = ".regclean-site"


@attrs.frozen
class PublishReport:
    """What a publish wrote.

    Attributes:
        outdir: the site folder.
        files: how many files.
        instruments: instrument pages.
        catalogs: catalog name -> number of entries.
        head: the event-log position the site reflects.
    """

    outdir: Path
    files: int
    instruments: int
    catalogs: dict[str, int]
    head: int

    @property
    def index(self) -> Path:
        return self.outdir / urls.INDEX

    def summary(self) -> str:
        listed = ", ".join(f"{name} {count}" for name, count in self.catalogs.items())
        return f"published {self.files} files ({self.instruments} instrument pages; {listed}) to {self.outdir}"


def catalogs_of(registry: Registry) -> tuple[Catalogs, list[CatalogDef]]:
    """The registry's catalog folder over the shipped one, and the catalog definitions."""
    override = registry.path / "catalogs"
    folder = Catalogs(override if override.is_dir() else None)
    return folder, load_catalogs(folder.find("catalogs.toml"))


def render_site(registry: Registry, lang: str = "zh") -> dict[str, bytes]:
    """Every file of the site, by relative path, computed in memory."""
    if lang not in ("zh", "en"):
        raise PublishError(f"lang must be zh or en, not {lang!r}")
    folder, definitions = catalogs_of(registry)
    data = gather(registry, definitions)
    files: dict[str, bytes] = {}
    files[urls.INDEX] = folder.render("index.xsl", xmlview.index_page(data, lang))
    files[urls.ISSUERS] = folder.render("issuers.xsl", xmlview.issuers_page(data, lang))
    for catalog in definitions:
        files[urls.catalog(catalog.name)] = folder.render(
            catalog.stylesheet, xmlview.catalog_page(data, catalog, lang)
        )
        rows = twins.catalog_rows(data, catalog)
        files[urls.catalog(catalog.name, "csv")] = twins.catalog_csv(rows)
        files[urls.catalog(catalog.name, "json")] = twins.catalog_json(data, catalog, rows)
    for campaign in data.campaigns:
        files[urls.campaign(campaign.id)] = folder.render(
            "campaign.xsl", xmlview.campaign_page(data, campaign, lang)
        )
    for entry in data.entries.values():
        page = xmlview.instrument_page(data, entry, lang)
        xmlview.sub(page, "jsonld", twins.jsonld(data, entry))
        files[urls.instrument(entry.instrument.id)] = folder.render("instrument.xsl", page)
    files[urls.XML] = xmlview.serialise(xmlview.registry_xml(data, lang))
    files[urls.FEED] = twins.atom_feed(data)
    files[urls.STYLESHEET] = folder.read("site.css")
    pages = sorted(p for p in files if p.endswith(".html"))
    files[urls.SITEMAP] = twins.sitemap(data, pages)
    return files


def publish(registry: Registry, outdir: str | Path, *, lang: str = "zh") -> PublishReport:
    """Write the site to ``outdir``, replacing an earlier site there atomically.

    A folder that is not an earlier regclean site is never replaced (PublishError).
    """
    outdir = Path(outdir).absolute()
    if outdir.exists() and (
        not outdir.is_dir() or (any(outdir.iterdir()) and not (outdir / MARKER).exists())
    ):
        raise PublishError(
            f"{outdir}: exists and is not a regclean site; choose an empty or new folder"
        )
    files = render_site(registry, lang)
    files[MARKER] = b"published by regclean\n"
    outdir.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(outdir)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    try:
        for relative, content in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        os.chmod(staging, 0o755)
        _swap(staging, outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    catalogs = {}
    data_counts = _counts(files)
    for name, count in data_counts.items():
        catalogs[name] = count
    instruments = sum(1 for p in files if p.startswith("instruments/"))
    head = int(etree.fromstring(files[urls.XML]).get("head", "0"))
    return PublishReport(outdir, len(files) - 1, instruments, catalogs, head)


def _counts(files: dict[str, bytes]) -> dict[str, int]:
    import json

    out = {}
    for path, content in sorted(files.items()):
        if path.startswith("catalogs/") and path.endswith(".json"):
            document = json.loads(content)
            out[document["catalog"]] = document["count"]
    return out


def _clean_stale(outdir: Path) -> None:
    """Remove what a killed publish left beside the site: its staging and old folders (named
    ``.SITE.xxxx`` by this module and nothing else). A site lost between the two renames of a
    swap is put back first."""
    stale = sorted(outdir.parent.glob(f".{outdir.name}.*"))
    if not outdir.exists():
        for folder in stale:
            if folder.name.endswith(".old") and (folder / MARKER).exists():
                folder.rename(outdir)
                stale.remove(folder)
                break
    for folder in stale:
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def _swap(staging: Path, outdir: Path) -> None:
    """Put the new site in place; the old one is removed only after the new one is there."""
    if not outdir.exists():
        staging.rename(outdir)
        return
    old = staging.with_name(staging.name + ".old")
    outdir.rename(old)
    try:
        staging.rename(outdir)
    except BaseException:
        old.rename(outdir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def site_data(registry: Registry) -> SiteData:
    """The gathered site data (for tests and custom publishers)."""
    return gather(registry, catalogs_of(registry)[1])
