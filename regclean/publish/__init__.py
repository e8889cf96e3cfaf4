"""Publishing the public catalogs: registry -> canonical XML -> catalog stylesheets -> site.

"对决定予以废止的要向社会公布目录". :func:`publish` first computes every page and file in memory,
then writes them into a temporary folder beside the output folder and swaps it in, so a failed
publish leaves the previous site whole. The same registry on the same day gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import threading
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
        rerendered: instrument pages rendered anew by an incremental republish (None: all).
    """

    outdir: Path
    files: int
    instruments: int
    catalogs: dict[str, int]
    head: int
    rerendered: int | None = None

    @property
    def index(self) -> Path:
        return self.outdir / urls.INDEX

    def summary(self) -> str:
        listed = ", ".join(f"{name} {count}" for name, count in self.catalogs.items())
        pages = f"{self.instruments} instrument pages"
        if self.rerendered is not None:
            pages += f", {self.rerendered} of them rendered anew"
        return f"published {pages} ({listed}) to {self.outdir}"


def catalogs_of(registry: Registry) -> tuple[Catalogs, list[CatalogDef]]:
    """The registry's catalog folder over the shipped one, and the catalog definitions."""
    override = registry.path / "catalogs"
    folder = Catalogs(override if override.is_dir() else None)
    return folder, load_catalogs(folder.find("catalogs.toml"))


def render_site(
    registry: Registry, lang: str = "zh", only: set[int] | None = None
) -> dict[str, bytes]:
    """Every file of the site, by relative path, computed in memory; with ``only``, the
    instrument pages of just those ids (every other file in full)."""
    if lang not in ("zh", "en"):
        raise PublishError(f"lang must be zh or en, not {lang!r}")
    folder, definitions = catalogs_of(registry)
    data = gather(registry, definitions, events_for=only)
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
        if only is not None and entry.instrument.id not in only:
            continue
        page = xmlview.instrument_page(data, entry, lang)
        xmlview.sub(page, "jsonld", twins.jsonld(data, entry))
        files[urls.instrument(entry.instrument.id)] = folder.render("instrument.xsl", page)
    files[urls.XML] = xmlview.serialise(xmlview.registry_xml(data, lang))
    files[urls.FEED] = twins.atom_feed(data)
    files[urls.STYLESHEET] = folder.read("site.css")
    pages = {p for p in files if p.endswith(".html")}
    pages |= {urls.instrument(i) for i in data.entries}
    files[urls.SITEMAP] = twins.sitemap(data, sorted(pages))
    return files


def publish(
    registry: Registry, outdir: str | Path, *, lang: str = "zh", incremental: bool = True
) -> PublishReport:
    """Write the site to ``outdir``, replacing an earlier site there atomically.

    Republishing over an earlier site of the same registry, language and stylesheets renders
    only the instrument pages whose instruments changed since (their own events, a relation, or
    a date passed); the other pages are linked from the earlier site unchanged. The result is
    byte for byte what a full publish gives. A folder that is not an earlier regclean site is
    never replaced (PublishError).
    """
    outdir = Path(outdir).absolute()
    foreign = outdir.exists() and (
        not outdir.is_dir() or (any(outdir.iterdir()) and not (outdir / MARKER).exists())
    )
    if foreign:
        raise PublishError(
            f"{outdir}: exists and is not a regclean site; choose an empty or new folder"
        )
    outdir.parent.mkdir(parents=True, exist_ok=True)
    cleaning = _clean_stale(outdir)
    fingerprint = _fingerprint(registry, lang)
    changed = _changed_since(registry, outdir, fingerprint) if incremental else None
    manifest = {"format": 1, "fingerprint": fingerprint, "head": registry.last_seq(),
                "day": registry.today().isoformat()}  # fmt: skip
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    linking = None
    try:
        if changed is not None:
            # Linking the unchanged pages is file-system work: it runs while the changes render.
            ids = [
                i for (i,) in registry.store.all("SELECT id FROM instruments") if i not in changed
            ]
            linking = _Linker(outdir, staging, ids)
            linking.start()
        files = render_site(registry, lang, only=changed)
        files[MARKER] = (json.dumps(manifest, sort_keys=True) + "\n").encode("utf-8")
        for relative, content in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if linking is not None:
            linking.finish()
        os.chmod(staging, 0o755)
        _swap(staging, outdir)
    except BaseException:
        if linking is not None:
            linking.join()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        cleaning.join()
    head = int(etree.fromstring(files[urls.XML]).get("head", "0"))
    return PublishReport(outdir, len(files) - 1, registry.count(), _counts(files), head,
                         None if changed is None else len(changed))  # fmt: skip


def _fingerprint(registry: Registry, lang: str) -> str:
    """What the pages depend on besides the data: version, language, settings, stylesheets."""
    from .. import __version__
    from .render import SHIPPED

    digest = hashlib.sha256()
    settings = registry.settings
    for part in (__version__, lang, settings.site_title, settings.base_url):
        digest.update(part.encode("utf-8") + b"\0")
    for folder in (registry.path / "catalogs", SHIPPED):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in (".xsl", ".css", ".toml"):
                    digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _changed_since(registry: Registry, outdir: Path, fingerprint: str) -> set[int] | None:
    """Instruments whose pages may differ from the earlier site's, or None for a full publish."""
    try:
        manifest = json.loads((outdir / MARKER).read_text(encoding="utf-8"))
        head, day = int(manifest["head"]), dt.date.fromisoformat(manifest["day"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if manifest.get("fingerprint") != fingerprint or head > registry.last_seq():
        return None
    changed = set(registry.touched_since(head, day, registry.today()))
    for subject, obj in registry.relations_touching(changed):  # a related page shows the title
        changed |= {subject, obj}
    return changed


class _Linker(threading.Thread):
    """Bring every instrument page that did not change over from the earlier site (hard links,
    or copies where links cannot be made)."""

    def __init__(self, outdir: Path, staging: Path, ids: list[int]):
        super().__init__(name="regclean-link-unchanged")
        self.old, self.new, self.ids = str(outdir), str(staging), ids
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            os.makedirs(f"{self.new}/instruments", exist_ok=True)
            for instrument_id in self.ids:
                relative = urls.instrument(instrument_id)
                source, target = f"{self.old}/{relative}", f"{self.new}/{relative}"
                try:
                    os.link(source, target)
                except FileNotFoundError:
                    raise PublishError(
                        f"{source}: missing from the earlier site; publish in full"
                    ) from None
                except OSError:
                    shutil.copyfile(source, target)
        except BaseException as exc:  # handed to the publishing thread
            self.error = exc

    def finish(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error


def _counts(files: dict[str, bytes]) -> dict[str, int]:
    out = {}
    for path, content in sorted(files.items()):
        if path.startswith("catalogs/") and path.endswith(".json"):
            document = json.loads(content)
            out[document["catalog"]] = document["count"]
    return out


def _clean_stale(outdir: Path) -> threading.Thread:
    """Remove what earlier publishes left beside the site — previous sites, and the staging of a
    killed one (named ``.SITE.xxxx`` by this module and nothing else) — in a background thread.
    A site lost between the two renames of a swap is put back first."""
    stale = sorted(outdir.parent.glob(f".{outdir.name}.*"))
    if not outdir.exists():
        for folder in reversed(stale):  # the newest earlier site
            if folder.name.endswith(".old") and (folder / MARKER).exists():
                folder.rename(outdir)
                stale.remove(folder)
                break

    def remove() -> None:
        for folder in stale:
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)

    worker = threading.Thread(target=remove, name="regclean-clean-stale")
    worker.start()
    return worker


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
    # The previous site is removed by the next publish, in the background while it renders:
    # unlinking 100k files takes longer than rendering the changes.


def site_data(registry: Registry) -> SiteData:
    """The gathered site data (for tests and custom publishers)."""
    return gather(registry, catalogs_of(registry)[1])
