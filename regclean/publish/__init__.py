"""Publishing the public catalogs: registry -> canonical XML -> catalog stylesheets -> site.

"对决定予以废止的要向社会公布目录". :func:`publish` is a pipeline: **plan** what the new site is and
what of the earlier one it can reuse (:mod:`.plan`), **gather** the registry's data in one
snapshot and **build** every file (:mod:`.build`, with page workers from :mod:`.pool`),
**write** them into a staging folder beside the site (:mod:`.staging`, the only route to
disk), and **swap** it in (:mod:`.swap`), so a failed publish leaves the previous site whole.
The same registry on the same day gives the same bytes.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import attrs

from .. import urls
from ..campaigns import Finding, check
from ..catalog import definitions
from ..errors import PublishError
from ..verify import verify, verify_changes
from . import cache as cache_
from .build import build
from .chores import StaleSiteError, clean_stale
from .plan import Plan, Source, foreign_head, full, plan
from .pool import Progress
from .signing import check_target, sign, site_key
from .site import SiteData, gather
from .staging import Staging
from .swap import exchange, exclusive, swap

__all__ = ["FindingsError", "Plan", "PublishError", "PublishReport", "SiteData", "exchange",
           "publish", "render_site", "site_data"]  # fmt: skip


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


class FindingsError(PublishError):
    """Publishing was refused: the inspection has error-level findings (``findings``)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        listed = "\n".join(
            f"  {f.code} [{f.instrument}] {f.number} {f.title} — {f.department}: {f.message}"
            for f in findings[:20]
        )
        more = f"\n  ... and {len(findings) - 20} more" if len(findings) > 20 else ""
        super().__init__(
            f"{len(findings)} error-level inspection finding(s); fix them, or publish with "
            f"force:\n{listed}{more}"
        )


def publish(
    source: Source,
    outdir: str | Path,
    *,
    lang: str = "zh",
    incremental: bool = True,
    progress: Progress | None = None,
    check_first: bool = False,
    replacing_history: str = "",
    by: str = "",
) -> PublishReport:
    """Write the site to ``outdir``, replacing an earlier site there atomically.

    Republishing over an earlier site of the same registry, language and stylesheets renders
    only the instrument pages whose instruments changed since (their own events, a relation, or
    a date passed), and the issuer pages holding them; the other pages are linked from the
    earlier site unchanged, and the aggregate files are assembled from the parts kept from the
    earlier publish (see :mod:`regclean.publish.pieces`). The result is byte for byte what a
    full publish gives. A folder that is not an earlier regclean site is never replaced
    (PublishError). ``progress(done, total)`` is called as instrument pages are rendered. With
    ``check_first``, error-level inspection findings refuse the publish (FindingsError).

    A site whose head is not an event of this registry's chain (published from another
    registry, or from this one before a restore) is not replaced unless ``replacing_history``
    says why; the reason is logged, with the head of the site replaced.
    """
    outdir = _target(outdir)
    key = site_key(source.path)
    check_target(outdir, source.path, key, replacing=bool(replacing_history.strip()))
    if check_first:
        errors = check(source.store.reads, source.settings, errors_only=True)
        if errors:
            raise FindingsError(errors)
    with exclusive(outdir):
        check_target(outdir, source.path, key, replacing=bool(replacing_history.strip()))
        foreign = foreign_head(source, outdir, key)
        if foreign is not None:
            if not replacing_history.strip():
                raise PublishError(
                    f"{outdir}: the site there was published from a different history (its head "
                    f"is event {foreign[0]}, {foreign[1][:16]}…, which is not in this "
                    "registry's log: another registry, or this one before a restore); replace "
                    "it only saying why (replacing_history=REASON)"
                )
            with source.store.transaction():
                source.store.log(
                    "replace_site",
                    actor=by,
                    payload={
                        "site": str(outdir),
                        "head": foreign[0],
                        "hash": foreign[1],
                        "reason": replacing_history.strip(),
                    },
                )
        try:
            return _publish_once(source, outdir, lang, incremental, progress, key)
        except StaleSiteError:  # the earlier site cannot be trusted: every page made anew
            if not incremental:
                raise
            return _publish_once(source, outdir, lang, False, progress, key)


def _publish_once(
    source: Source,
    outdir: Path,
    lang: str,
    incremental: bool,
    progress: Progress | None,
    key: bytes,
) -> PublishReport:
    """plan -> gather -> build -> write -> swap (under the caller's lock)."""
    cleaning = clean_stale(outdir, key)
    cache = cache_.PieceCache(source.path, outdir, lang)
    staging = Staging.beside(outdir, key)
    linking = saving = None
    try:
        with source.store.snapshot():  # one state of the registry, whoever writes meanwhile
            made = plan(source, outdir, lang, cache, incremental, key)
            _refuse_unverified(source, made)
            if made.changed is not None:  # file-system work, while the rest renders
                linking = staging.link_in_background(outdir, made.unchanged_pages, made.sealed)
            built = build(source, lang, made, staging, progress)
        saving = cache.prepare(made.manifest, built.pieces)
        staging.write_all(built.files)
        staging.link(outdir, built.linked, made.sealed)
        if linking is not None:
            linking.finish()
        # the manifest, last: what a republish may trust of this site (no page modified after
        # now, the time every page was in place; the cache of pieces with this digest)
        manifest = {**made.manifest, "pieces": saving.digest(), "sealed": time.time_ns()}
        manifest = sign(manifest, key, outdir)
        staging.write(urls.MARKER, (json.dumps(manifest, sort_keys=True) + "\n").encode())
        staging.seal()
        swap(staging.path, outdir)
    except BaseException:
        if linking is not None:
            linking.join()
        if saving is not None:
            saving.abandon()
        staging.remove()
        raise
    finally:
        if cleaning is not None:
            cleaning.join()
    saving.commit()
    written = len(built.files) + len(built.linked) + built.written
    return PublishReport(
        outdir,
        written,
        len(built.pieces),
        built.counts,
        made.manifest["head"],
        None if made.changed is None else built.rendered,
    )


def _refuse_unverified(source: Source, made: Plan) -> None:
    """Nothing is printed that ``verify`` would refuse: a full publish verifies the whole
    registry; a republish verifies the log since the earlier site and the instruments it
    renders anew (the others' pages are carried over as the earlier site printed them)."""

    reads = source.store.reads
    problems = (
        list(verify(reads, index=False).problems)
        if made.changed is None
        else verify_changes(reads, made.changed, made.since)
    )
    if problems:
        listed = "; ".join(problems[:3]) + (
            f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        )
        raise PublishError(
            f"the registry does not verify, so nothing was published: {listed} "
            "(see regclean verify)"
        )


def _target(outdir: str | Path) -> Path:
    """The site folder, refused when it holds something that is not an earlier site."""
    outdir = Path(outdir).absolute()
    if outdir.is_symlink():  # swapping would replace the link, and orphan the site behind it
        raise PublishError(
            f"{outdir}: is a symbolic link; publish to the folder it points to "
            f"({outdir.resolve()}) instead"
        )
    outdir.parent.mkdir(parents=True, exist_ok=True)
    return outdir


def render_site(source: Source, lang: str = "zh") -> dict[str, bytes]:
    """Every file of the site, by relative path, computed in memory."""
    with source.store.snapshot():
        return build(source, lang, full(source, lang)).files


def site_data(source: Source) -> SiteData:
    """The gathered site data (for tests and custom publishers)."""
    return gather(source.store.reads, source.settings, definitions(source.path), home=source.path)
