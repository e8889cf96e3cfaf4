"""Publishing the public catalogs: registry -> canonical XML -> catalog stylesheets -> site.

"对决定予以废止的要向社会公布目录". :func:`publish` first computes every page and file in memory,
then writes them into a temporary folder beside the output folder and swaps it in, so a failed
publish leaves the previous site whole. The same registry on the same day gives the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import _worker, twins, urls, xmlview
from . import pieces as pieces_
from .render import Catalogs
from .site import CatalogDef, Entry, PublishError, SiteData, gather, load_catalogs

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["PublishError", "PublishReport", "publish", "render_site"]

Progress = Callable[[int, int], None]  # (instrument pages done, pages to render)
MARKER = ".regclean-site"
FORMAT = 2  # of the manifest; an earlier format means the next publish is a full one


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


def render_site(registry: Registry, lang: str = "zh") -> dict[str, bytes]:
    """Every file of the site, by relative path, computed in memory."""
    return _build(registry, lang).files


@attrs.frozen
class _Built:
    files: dict[str, bytes]
    linked: list[str]  # pages to bring over unchanged from the earlier site
    pieces: list[pieces_.Piece]
    rendered: int  # instrument pages rendered
    counts: dict[str, int]  # entries of each catalog
    written: int = 0  # instrument pages written straight into the staging folder


def _build(
    registry: Registry,
    lang: str,
    changed: set[int] | None = None,
    cached: dict[int, pieces_.Piece] | None = None,
    ids: list[int] | None = None,
    staging: Path | None = None,
    progress: Progress | None = None,
) -> _Built:
    """The files of the site. With ``changed``, instrument pages are rendered only for those
    ids; with ``cached`` pieces besides, only those instruments are read from the registry and
    the other instruments' parts of the aggregate files come from the cache. With ``staging``,
    many instrument pages are rendered by worker processes that write them there."""
    if lang not in ("zh", "en"):
        raise PublishError(f"lang must be zh or en, not {lang!r}")
    folder, definitions = catalogs_of(registry)
    partial = changed is not None and cached is not None
    wanted = sorted(changed) if changed is not None else (ids or registry.instrument_ids())
    pages = _InstrumentPages(registry, folder, lang, wanted, staging, progress)
    try:
        data = gather(registry, definitions, events_for=pages.here(changed),
                      ids=changed if partial else None)  # fmt: skip
        built = _aggregates(registry, lang, folder, definitions, data, changed, cached, ids)
        if built is None:  # the cache misses an instrument: make every piece
            pages.cancel()
            return _build(registry, lang, changed, None, ids, staging, progress)
        built.files.update(pages.finish(data))
    except BaseException:
        pages.cancel()
        raise
    return attrs.evolve(built, rendered=len(wanted), written=pages.written)


def _aggregates(
    registry: Registry,
    lang: str,
    folder: Catalogs,
    definitions: list[CatalogDef],
    data: SiteData,
    changed: set[int] | None,
    cached: dict[int, pieces_.Piece] | None,
    ids: list[int] | None,
) -> _Built | None:
    """Every file but the instrument pages; None when the cache lacks an instrument."""
    partial = changed is not None and cached is not None
    fresh = {
        i: pieces_.make_piece(data, entry, lang, data.versions.get(i, ("", 0, "")))
        for i, entry in data.entries.items()
    }
    if partial:
        assert cached is not None
        known = {**cached, **fresh}
        try:
            everything = [known[i] for i in (ids or registry.instrument_ids())]
        except KeyError:
            return None
    else:
        everything = pieces_.ordered(fresh)

    files: dict[str, bytes] = {}
    linked: list[str] = []
    catalog_counts = {}
    listed = pieces_.by_outcome(everything)
    for catalog in definitions:
        members = [p for p in listed.get(catalog.outcome.value, []) if p.listed_in(catalog)]
        catalog_counts[catalog.name] = len(members)
        files[urls.catalog(catalog.name)] = folder.render(
            catalog.stylesheet, pieces_.catalog_page(data, catalog, members, lang)
        )
        files[urls.catalog(catalog.name, "csv")] = pieces_.catalog_csv(members)
        files[urls.catalog(catalog.name, "json")] = pieces_.catalog_json(data, catalog, members)
    files[urls.INDEX] = folder.render("index.xsl", xmlview.index_page(
        data, lang, len(everything), catalog_counts, pieces_.status_counts(everything)))  # fmt: skip
    groups = pieces_.by_issuer(everything)
    files[urls.ISSUERS] = folder.render("issuers.xsl", pieces_.issuers_page(data, groups, lang))
    if partial:
        assert cached is not None and changed is not None
        dirty = {cached[i].issuer for i in changed if i in cached}
        dirty |= {fresh[i].issuer for i in changed if i in fresh}
    for name, members in groups.items():
        path = urls.issuer(pieces_.issuer_key(name))
        if partial and name not in dirty:
            linked.append(path)
        else:
            files[path] = folder.render(
                "issuer.xsl", pieces_.issuer_page(data, name, members, lang)
            )
    for campaign in data.campaigns:
        files[urls.campaign(campaign.id)] = folder.render(
            "campaign.xsl", xmlview.campaign_page(data, campaign, lang)
        )
    files[urls.XML] = pieces_.registry_xml(data, everything, lang)
    files[urls.FEED] = pieces_.atom_feed(data, everything)
    files[urls.STYLESHEET] = folder.read("site.css")
    pages = {p for p in files if p.endswith(".html")} | set(linked)
    pages |= {urls.instrument(p.id) for p in everything}
    files[urls.SITEMAP] = pieces_.sitemap(data, sorted(pages))
    return _Built(files, linked, everything, 0, catalog_counts)


def _instrument_page(folder: Catalogs, data: SiteData, entry: Entry, lang: str) -> bytes:
    page = xmlview.instrument_page(data, entry, lang)
    xmlview.sub(page, "jsonld", twins.jsonld(data, entry))
    return folder.render("instrument.xsl", page)


_JOB: dict[str, Any] = {}  # what a forked page worker works for


def _render_chunk(ids: list[int]) -> list[int]:
    """In a page worker: read these instruments and write their pages into the staging folder;
    the ids left undone (the registry moved on since the publish began: the publishing process
    renders those from its own snapshot)."""
    from ..registry import Registry

    job = _JOB
    if "registry" not in job:  # the worker's own connection, opened once
        job["registry"] = Registry.open(job["path"], clock=job["clock"], index_mmap=False)
    registry = job["registry"]
    with registry.store.snapshot():
        now = (registry.last_seq(), registry.head_hash(), registry.today())
        if now != job["state"]:
            return ids
        data = gather(registry, job["definitions"], events_for=set(ids), ids=set(ids),
                      with_progress=False)  # fmt: skip
    for instrument_id in ids:
        content = _instrument_page(job["folder"], data, data.entries[instrument_id], job["lang"])
        with open(f"{job['staging']}/{urls.instrument(instrument_id)}", "wb") as out:
            out.write(content)
    return []


def _keep_memory() -> None:
    """In a page worker: ask the C allocator (glibc) to keep freed memory for the next page
    instead of handing it back to the system and faulting it in again each time."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 64 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


class _InstrumentPages:
    """The instrument pages to render. Many of them, on a system that forks, are rendered by
    worker processes, each reading its share of the registry and writing into the staging
    folder while this process reads the whole and makes the aggregate files; otherwise here.

    The workers are forked before this process reads anything big, so that they share nothing
    they would have to copy.
    """

    PARALLEL_FROM = 2000
    CHUNK = 1000

    def __init__(
        self,
        registry: Registry,
        folder: Catalogs,
        lang: str,
        ids: list[int],
        staging: Path | None,
        progress: Progress | None = None,
    ):
        self.registry, self.folder, self.lang, self.ids = registry, folder, lang, ids
        self.progress = progress
        self.done = 0
        self.written = 0
        self.pool: Any = None
        self.result: Any = None
        folder.stylesheet("instrument.xsl")  # compiled (and checked) once, before any fork
        cores = os.cpu_count() or 1
        methods = multiprocessing.get_all_start_methods()
        if staging is None or len(ids) < self.PARALLEL_FROM or cores < 2 or "fork" not in methods:
            return
        (staging / "instruments").mkdir(parents=True, exist_ok=True)
        _JOB.clear()
        _JOB.update(path=registry.path, clock=registry.store.clock, folder=folder, lang=lang,
                    definitions=catalogs_of(registry)[1], staging=str(staging),
                    state=(registry.last_seq(), registry.head_hash(), registry.today()))  # fmt: skip
        self.pool = multiprocessing.get_context("fork").Pool(cores, initializer=_keep_memory)
        chunks = [ids[k : k + self.CHUNK] for k in range(0, len(ids), self.CHUNK)]
        self.result = [
            self.pool.apply_async(
                _render_chunk, (chunk,), callback=functools.partial(self._chunk_done, len(chunk))
            )
            for chunk in chunks
        ]
        self.pool.close()

    def _chunk_done(self, size: int, undone: list[int]) -> None:
        self._advanced(size - len(undone))

    def _advanced(self, count: int) -> None:
        """``count`` more pages are done (here, or in the pool's result thread)."""
        if self.progress is not None and count:
            self.done += count
            self.progress(self.done, len(self.ids))

    def here(self, changed: set[int] | None) -> set[int] | None:
        """The instruments whose event logs this process needs (None: all)."""
        return set() if self.pool is not None else changed

    def finish(self, data: SiteData) -> dict[str, bytes]:
        """The pages rendered here, by path (those the workers wrote are counted in
        ``written``)."""
        left = self.ids
        if self.pool is not None:
            try:
                left = [i for result in self.result for i in result.get()]
                self.pool.join()
            finally:
                _JOB.clear()
            self.written = len(self.ids) - len(left)
        if left and self.pool is not None:  # the registry moved on: from this snapshot
            events: dict[int, list] = {}
            for event in self.registry.events(left):
                events.setdefault(event.instrument_id, []).append(event)
            data = attrs.evolve(data, entries={
                i: attrs.evolve(data.entries[i], events=tuple(events.get(i, ()))) for i in left
            })  # fmt: skip
        out = {}
        for n, i in enumerate(left, start=1):
            out[urls.instrument(i)] = _instrument_page(
                self.folder, data, data.entries[i], self.lang
            )
            if n % 100 == 0 or n == len(left):
                self._advanced(n - (n - 1) // 100 * 100)
        return out

    def cancel(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            _JOB.clear()


def publish(
    registry: Registry,
    outdir: str | Path,
    *,
    lang: str = "zh",
    incremental: bool = True,
    progress: Progress | None = None,
) -> PublishReport:
    """Write the site to ``outdir``, replacing an earlier site there atomically.

    Republishing over an earlier site of the same registry, language and stylesheets renders
    only the instrument pages whose instruments changed since (their own events, a relation, or
    a date passed), and the issuer pages holding them; the other pages are linked from the
    earlier site unchanged, and the aggregate files are assembled from the parts kept from the
    earlier publish (see :mod:`regclean.publish.pieces`). The result is byte for byte what a
    full publish gives. A folder that is not an earlier regclean site is never replaced
    (PublishError). ``progress(done, total)`` is called as instrument pages are rendered.
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
    with _exclusive(outdir):
        return _publish(registry, outdir, lang, incremental, progress)


@contextlib.contextmanager
def _exclusive(outdir: Path) -> Iterator[None]:
    """One publish at a time to a folder: a second one would clean away the first one's
    staging folder. PublishError at once, naming the holder, when another is running."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock (one publisher at a time, by habit)
        yield
        return
    path = outdir.with_name(f".{outdir.name}.lock")
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise PublishError(
                f"{outdir}: another publish to this folder is running ({holder}); "
                "try again when it has finished"
            ) from None
        except OSError:  # a file system without locks: as on systems without flock
            yield
            return
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _publish(
    registry: Registry, outdir: Path, lang: str, incremental: bool, progress: Progress | None
) -> PublishReport:
    cleaning = _clean_stale(outdir)
    cache = pieces_.PieceCache(registry.path, outdir, lang)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    linking = saving = None
    try:
        with registry.store.snapshot():  # one state of the registry, whoever writes meanwhile
            fingerprint = _fingerprint(registry, lang)
            previous = _previous_manifest(registry, outdir, fingerprint) if incremental else None
            changed = cached = ids = None
            if previous is not None:
                changed = _changed_since(registry, previous)
                cached = cache.load(previous)
                # Linking the unchanged pages is file-system work: it runs while the rest renders.
                ids = registry.instrument_ids()
                unchanged = [urls.instrument(i) for i in ids if i not in changed]
                linking = _Chore("link", str(outdir), str(staging), lines=unchanged)
            manifest = {"format": FORMAT, "fingerprint": fingerprint, "head": registry.last_seq(),
                        "day": registry.today().isoformat(), "hash": registry.head_hash()}  # fmt: skip
            built = _build(registry, lang, changed, cached, ids, staging, progress)
        saving = cache.prepare(manifest, built.pieces)
        files = built.files
        files[MARKER] = (json.dumps(manifest, sort_keys=True) + "\n").encode("utf-8")
        for relative, content in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        _link(outdir, staging, built.linked)
        if linking is not None:
            linking.finish()
        os.chmod(staging, 0o755)
        _swap(staging, outdir)
    except BaseException:
        if linking is not None:
            linking.join()
        if saving is not None:
            saving.abandon()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if cleaning is not None:
            cleaning.join()
    saving.commit()
    written = len(files) + len(built.linked) + built.written - 1  # not the manifest
    return PublishReport(outdir, written, len(built.pieces),
                         built.counts, manifest["head"],
                         None if changed is None else built.rendered)  # fmt: skip


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


def _previous_manifest(registry: Registry, outdir: Path, fingerprint: str) -> dict | None:
    """The earlier site's manifest, if a republish may build on that site; None otherwise
    (no site, another version, language or stylesheets, or a registry that is not the one the
    site was published from)."""
    try:
        manifest = json.loads((outdir / MARKER).read_text(encoding="utf-8"))
        head = int(manifest["head"])
        dt.date.fromisoformat(manifest["day"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if manifest.get("format") != FORMAT or manifest.get("fingerprint") != fingerprint:
        return None
    if head > registry.last_seq() or registry.hash_at(head) != manifest.get("hash", ""):
        return None  # published from another registry, or from one since restored
    return manifest


def _changed_since(registry: Registry, manifest: dict) -> set[int]:
    """Instruments whose pages may differ from the earlier site's."""
    head, day = int(manifest["head"]), dt.date.fromisoformat(manifest["day"])
    changed = set(registry.touched_since(head, day, registry.today()))
    for subject, obj in registry.relations_touching(changed):  # a related page shows the title
        changed |= {subject, obj}
    return changed


def _link(old: Path, new: Path, paths: list[str]) -> None:
    """Bring a few pages over unchanged from the earlier site, in this process."""
    try:
        _worker.link(old, new, paths)
    except _worker.Missing as exc:
        raise PublishError(str(exc)) from None


class _Chore:
    """File-system work done by a separate process (``_worker.py``) while this one renders."""

    WORKER = str(Path(__file__).with_name("_worker.py"))

    def __init__(self, *args: str, lines: list[str] | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-I", self.WORKER, *args],
            stdin=subprocess.PIPE if lines is not None else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if lines is not None:
            assert self.process.stdin is not None
            with self.process.stdin:
                self.process.stdin.write("\n".join(lines).encode("utf-8"))

    def join(self) -> str:
        """Wait for it; what it said went wrong, or ""."""
        assert self.process.stderr is not None
        with self.process.stderr:
            said = self.process.stderr.read().decode("utf-8", "replace").strip()
        return said if self.process.wait() else ""

    def finish(self) -> None:
        said = self.join()
        if said:
            raise PublishError(said)


def _clean_stale(outdir: Path) -> _Chore | None:
    """Remove what earlier publishes left beside the site — previous sites, and the staging of a
    killed one (named ``.SITE.xxxx`` by this module and nothing else) — in another process.
    A site lost between the two renames of a swap is put back first."""
    stale = sorted(p for p in outdir.parent.glob(f".{outdir.name}.*") if p.suffix != ".lock")
    if not outdir.exists():
        for folder in reversed(stale):  # the newest earlier site
            if folder.name.endswith(".old") and (folder / MARKER).exists():
                folder.rename(outdir)
                stale.remove(folder)
                break
    folders = [str(folder) for folder in stale if folder.is_dir()]
    return _Chore("remove", *folders) if folders else None


def _swap(staging: Path, outdir: Path) -> None:
    """Put the new site in place; the old one is removed only after the new one is there.

    Where the system can exchange two folders in one step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``), a reader of ``outdir`` sees the old site or the new one and never
    nothing; elsewhere the old site is renamed away and the new one renamed in.
    """
    if not outdir.exists():
        staging.rename(outdir)
        return
    old = staging.with_name(staging.name + ".old")
    if exchange(staging, outdir):
        staging.rename(old)  # killed before this: the next publish removes it by its name
        return
    outdir.rename(old)
    try:
        staging.rename(outdir)
    except BaseException:
        old.rename(outdir)
        raise
    # The previous site is removed by the next publish, in the background while it renders:
    # unlinking 100k files takes longer than rendering the changes.


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot (not Linux,
    an old kernel or C library, a file system without it), having changed nothing."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]  # fmt: skip
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)  # fmt: skip
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def site_data(registry: Registry) -> SiteData:
    """The gathered site data (for tests and custom publishers)."""
    return gather(registry, catalogs_of(registry)[1])
