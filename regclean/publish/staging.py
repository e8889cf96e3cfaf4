"""The folder a new site is written into before it is swapped in.

:class:`Staging` is the only route by which a site's files reach the disk: the publishing
process writes the files it made, the page workers write the pages they rendered, and pages
that did not change are linked from the previous site (a few here, many by a helper process).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import urls
from . import _worker
from .chores import Chore, StaleSiteError

CARRIED = ("instruments", "issuers")  # the folders whose pages a republish may carry over
CARRIED_PREFIXES = tuple(f"{folder}/" for folder in CARRIED)


class Staging:
    """A folder being filled with a site."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.written: dict[str, list[int]] = {}  # size and time of the carried pages written here

    @classmethod
    def beside(cls, outdir: Path) -> Staging:
        """A new staging folder next to ``outdir``, named ``.NAME.xxxxxxxx`` and marked as
        regclean's own (so that only regclean's leftovers are ever removed beside a site)."""
        staging = cls(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
        (staging.path / urls.STAGING_MARK).touch()
        return staging

    def write(self, relative: str, content: bytes) -> None:
        """Write one file of the site."""
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if relative.startswith(CARRIED_PREFIXES):
            found = target.stat()
            self.written[relative] = [found.st_size, found.st_mtime_ns]

    def write_all(self, files: Mapping[str, bytes]) -> None:
        """Write files of the site, in the order of their paths."""
        for relative, content in sorted(files.items()):
            self.write(relative, content)

    def link(self, old: Path, paths: Iterable[str], recorded: Mapping[str, Any]) -> None:
        """Bring a few files over unchanged from the earlier site, in this process (each only
        as the earlier publish ``recorded`` it: else StaleSiteError)."""
        try:
            _worker.link(old, self.path, {p: recorded.get(p) for p in paths})
        except _worker.Missing as exc:
            raise StaleSiteError(str(exc)) from None

    def link_in_background(self, old: Path, paths: list[str], recorded: Mapping[str, Any]) -> Chore:
        """Bring many files over unchanged from the earlier site, in a helper process; call
        ``finish()`` on what this returns before the site is swapped in."""
        lines = [f"{p}\t{recorded[p][0]}\t{recorded[p][1]}" if p in recorded else p for p in paths]
        return Chore("link", str(old), str(self.path), lines=lines)

    def page_stats(
        self, carried: Iterable[str] = (), recorded: Mapping[str, Any] | None = None
    ) -> dict[str, list[int]]:
        """Size and modification time (ns) of every page a republish may carry over, as they
        are now: a page found otherwise next time is not carried over (see ``link``). With
        ``recorded``, the pages ``carried`` over keep what was recorded of them (a link or a
        copy keeps both, and ``link`` checked them) and only the pages written here are added;
        else the folders are read."""
        if recorded is not None:
            return {**{p: list(recorded[p]) for p in carried}, **self.written}
        stats = {}
        for folder in CARRIED:
            try:
                entries = os.scandir(self.path / folder)
            except FileNotFoundError:
                continue
            with entries:
                for entry in entries:
                    found = entry.stat(follow_symlinks=False)
                    stats[f"{folder}/{entry.name}"] = [found.st_size, found.st_mtime_ns]
        return stats

    def seal(self) -> None:
        """Make the folder a complete site, readable as a published site should be."""
        (self.path / urls.STAGING_MARK).unlink(missing_ok=True)
        os.chmod(self.path, 0o755)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
