"""The cache of pieces between publishes: the previous publish's pieces, saved beside the
registry (by a background thread, so a publish does not wait for it) and reused for the
instruments that did not change."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Any

from .pieces import Piece

CACHE_FORMAT = 2  # 2: issuers listed in simplified characters
KEEP_CACHES = 4


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class PieceCache:
    """The pieces of the last publish to one folder, kept in the registry's ``cache/`` folder.

    The cache belongs to the site whose manifest it names; a republish uses it only when the
    site's manifest is the same, and otherwise makes every piece again. Losing it costs time,
    never correctness.
    """

    def __init__(self, registry_path: Path, outdir: Path, lang: str):
        name = hashlib.sha256(f"{outdir}\0{lang}".encode()).hexdigest()[:16]
        self.path = registry_path / "cache" / f"publish-{name}.marshal"

    def _stamp(self, manifest: dict[str, Any]) -> tuple:
        keys = ("fingerprint", "head", "day", "hash")
        return (CACHE_FORMAT, sys.version, *(str(manifest.get(k)) for k in keys))

    def load(self, manifest: dict[str, Any]) -> dict[int, Piece] | None:
        """The pieces, if the cache is the one whose digest the site's manifest records."""
        try:
            content = self.path.read_bytes()
            if hashlib.sha256(content).hexdigest() != manifest.get("pieces"):
                return None  # another cache, or one altered since: every piece made anew
            stamp, rows = marshal.loads(content)
            if stamp != self._stamp(manifest):
                return None
            return {row[0]: Piece._make(row) for row in rows}
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return None

    def prepare(self, manifest: dict[str, Any], pieces: list[Piece]) -> _Saving:
        """Start writing the cache for the site about to be swapped in (in a thread); it
        replaces the earlier cache only on ``commit``."""
        saving = _Saving(self, manifest, pieces)
        saving.start()
        return saving

    def prune(self) -> None:
        """Keep the caches of the most recently published sites only (one per site and
        language; a site published elsewhere since, or deleted, leaves its cache behind)."""
        caches = sorted(self.path.parent.glob("publish-*.marshal"), key=_modified, reverse=True)
        for old in caches[KEEP_CACHES:]:
            with contextlib.suppress(OSError):
                old.unlink()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


class _Saving(threading.Thread):
    """Writing a cache into a temporary file beside it, while the site is written."""

    def __init__(self, cache: PieceCache, manifest: dict[str, Any], pieces: list[Piece]):
        super().__init__(name="regclean-save-pieces")
        self.cache, self.manifest, self.pieces = cache, manifest, pieces
        self.temporary = cache.path.with_name(f"{cache.path.name}.{os.getpid()}.tmp")
        self.ok = False
        self._digest: str | None = None
        self._digested = threading.Event()

    def run(self) -> None:
        try:
            rows = [tuple(p) for p in self.pieces]
            content = marshal.dumps((self.cache._stamp(self.manifest), rows))
            self._digest = hashlib.sha256(content).hexdigest()
            self._digested.set()
            self.cache.path.parent.mkdir(exist_ok=True)
            self.temporary.write_bytes(content)
            self.ok = True
        except OSError:  # a cache that cannot be written is left out, not an error
            pass
        finally:
            self._digested.set()

    def digest(self) -> str:
        """The SHA-256 of the cache being written ("" if it cannot be): the site's manifest
        records it, and a republish trusts only the cache that matches."""
        self._digested.wait()
        return self._digest or ""

    def commit(self) -> None:
        self.join()
        try:
            if self.ok:
                os.replace(self.temporary, self.cache.path)
                self.cache.prune()
                return
        except OSError:
            pass
        self.abandon()
        self.cache.discard()  # never leave a cache that names another site

    def abandon(self) -> None:
        self.join()
        with contextlib.suppress(OSError):
            self.temporary.unlink()
