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

from .. import urls
from . import _worker, signing
from .chores import Chore, StaleSiteError


class Staging:
    """A folder being filled with a site."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @classmethod
    def beside(cls, outdir: Path, key: bytes) -> Staging:
        """A new staging folder next to ``outdir``, named ``.NAME.xxxxxxxx`` and marked as
        regclean's own with a mark signed by the registry's ``key`` (so that only regclean's
        leftovers are ever removed beside a site)."""
        staging = cls(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
        (staging.path / urls.STAGING_MARK).write_text(
            signing.staging_mark(staging.path.name, key), encoding="ascii"
        )
        return staging

    def write(self, relative: str, content: bytes) -> None:
        """Write one file of the site."""
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def write_all(self, files: Mapping[str, bytes]) -> None:
        """Write files of the site, in the order of their paths."""
        for relative, content in sorted(files.items()):
            self.write(relative, content)

    def link(self, old: Path, paths: Iterable[str], sealed: int) -> None:
        """Bring a few files over unchanged from the earlier site, in this process (each only
        if not modified after ``sealed``, when that site was complete: else StaleSiteError)."""
        try:
            _worker.link(old, self.path, list(paths), sealed)
        except _worker.Missing as exc:
            raise StaleSiteError(str(exc)) from None

    def link_in_background(self, old: Path, paths: list[str], sealed: int) -> Chore:
        """Bring many files over unchanged from the earlier site, in a helper process; call
        ``finish()`` on what this returns before the site is swapped in."""
        return Chore("link", str(old), str(self.path), str(sealed), lines=paths)

    def seal(self) -> None:
        """Make the folder a complete site, readable as a published site should be."""
        (self.path / urls.STAGING_MARK).unlink(missing_ok=True)
        os.chmod(self.path, 0o755)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
