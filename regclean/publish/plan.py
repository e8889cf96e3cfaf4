"""Planning a publish: what the new site is (its manifest), and what of the earlier site in
the same folder it can reuse (the instruments that changed since, the cached pieces).

A republish builds on an earlier site only when that site was published by the same version,
language, settings and stylesheets, from this registry (the event it names is in this
registry's log with the same hash), and the cache of its pieces covers every instrument that
did not change; otherwise the plan is a full publish.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any, Protocol

import attrs

from .. import urls
from .._version import __version__
from ..catalog import OVERRIDE, SHIPPED
from ..config import Settings
from ..store import Store
from . import cache as cache_
from . import pieces as pieces_
from . import signing

FORMAT = 4  # of the manifest; an earlier format means the next publish is a full one


class Source(Protocol):
    """What a publish reads: a registry folder, its store and its settings (a
    :class:`regclean.Registry` is one)."""

    @property
    def path(self) -> Path: ...
    @property
    def store(self) -> Store: ...
    @property
    def settings(self) -> Settings: ...


@attrs.frozen
class Plan:
    """What a publish will make and what it reuses.

    Attributes:
        manifest: the new site's manifest (format, fingerprint, head, day, hash).
        ids: every instrument, in order.
        changed: the instruments whose pages may differ from the earlier site's (None: a full
            publish, every page rendered).
        cached: the earlier publish's pieces, covering every instrument not in ``changed``
            (None: every piece is made anew).
        sealed: when the earlier publish had every page in place (ns since the epoch): a page
            of that site modified later is not carried over.
        earlier: the earlier site's folder, when this plan builds on it.
        since: the log position the earlier site was published at (0 for a full publish).
    """

    manifest: dict[str, Any]
    ids: list[int]
    changed: set[int] | None = None
    cached: dict[int, pieces_.Piece] | None = None
    sealed: int = 0
    earlier: Path | None = None
    since: int = 0

    @property
    def to_render(self) -> list[int]:
        """The instruments whose pages are rendered."""
        return sorted(self.changed) if self.changed is not None else self.ids

    @property
    def unchanged_pages(self) -> list[str]:
        """The instrument pages brought over from the earlier site."""
        if self.changed is None:
            return []
        return [urls.instrument(i) for i in self.ids if i not in self.changed]


def full(source: Source, lang: str) -> Plan:
    """A plan that makes every page and piece (read inside the caller's snapshot)."""
    reads = source.store.reads
    manifest = {
        "format": FORMAT,
        "fingerprint": fingerprint(source, lang),
        "head": reads.last_seq(),
        "day": reads.today().isoformat(),
        "hash": reads.head_hash(),
    }
    return Plan(manifest, reads.instrument_ids())


def plan(
    source: Source,
    outdir: Path,
    lang: str,
    cache: cache_.PieceCache,
    incremental: bool = True,
    key: bytes = b"",
) -> Plan:
    """The plan for publishing to ``outdir`` (read inside the caller's snapshot); an earlier
    site is built on only when its manifest is signed with ``key``."""
    made = full(source, lang)
    previous = (
        earlier_manifest(source, outdir, made.manifest["fingerprint"], key) if incremental else None
    )
    if previous is None:
        return made
    changed = changed_since(source, previous)
    cached = cache.load(previous)
    if cached is not None and any(i not in cached for i in made.ids if i not in changed):
        cached = None  # the cache misses an instrument: every piece is made anew
    return attrs.evolve(
        made,
        changed=changed,
        cached=cached,
        sealed=previous["sealed"],
        earlier=outdir,
        since=int(previous["head"]),
    )


def fingerprint(source: Source, lang: str) -> str:
    """What the pages depend on besides the data: version, language, settings, stylesheets."""
    digest = hashlib.sha256()
    settings = source.settings
    for part in (__version__, lang, settings.site_title, settings.base_url):
        digest.update(part.encode("utf-8") + b"\0")
    for folder in (source.path / OVERRIDE, SHIPPED):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in (".xsl", ".css", ".toml", ".js"):
                    digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def earlier_manifest(source: Source, outdir: Path, fingerprint: str, key: bytes) -> dict | None:
    """The earlier site's manifest, if a republish may build on that site; None otherwise
    (no site, another version, language or stylesheets, not signed with this registry's key, or
    a registry that is not the one the site was published from)."""
    manifest = signing.read(outdir)
    if not signing.signed(manifest, key, outdir):
        return None
    try:
        head = int(manifest["head"])
        dt.date.fromisoformat(manifest["day"])
    except (ValueError, KeyError, TypeError):
        return None
    if manifest.get("format") != FORMAT or manifest.get("fingerprint") != fingerprint:
        return None
    reads = source.store.reads
    if head > reads.last_seq() or reads.hash_at(head) != manifest.get("hash", ""):
        return None  # published from another registry, or from one since restored
    return manifest


def foreign_head(source: Source, outdir: Path, key: bytes) -> tuple[int, str] | None:
    """The head (position, hash) an earlier site in ``outdir`` names when it is not an event of
    this registry's chain (a site of another registry, or of this one before a restore); None
    when there is no such site, or it is this registry's and names an event of its chain."""
    manifest = signing.read(outdir)
    if manifest is None:
        return None  # no site: nothing to compare
    head, digest = int(manifest["head"]), str(manifest["hash"])
    reads = source.store.reads
    mine = signing.signed(manifest, key, outdir)
    if mine and head <= reads.last_seq() and reads.hash_at(head) == digest:
        return None
    return head, digest


def changed_since(source: Source, manifest: dict) -> set[int]:
    """Instruments whose pages may differ from the earlier site's."""
    reads = source.store.reads
    head, day = int(manifest["head"]), dt.date.fromisoformat(manifest["day"])
    changed = set(reads.touched_since(head, day, reads.today()))
    for _, subject, _, obj in reads.relation_rows(changed):  # a related page shows the title
        changed |= {subject, obj}
    return changed
