"""File-system chores done by a helper process while the publishing process renders.

Linking 100,000 unchanged pages, or removing a previous site, is file-system work that would
otherwise compete with rendering for the interpreter lock. ``_worker.py`` does it: a
standard-library script run with ``python -I``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ..errors import PublishError
from . import _worker, signing


class Chore:
    """File-system work done by a separate process (``_worker.py``) while this one renders."""

    WORKER = str(Path(__file__).with_name("_worker.py"))

    def __init__(self, *args: str, lines: list[str] | None = None):
        self._said: str | None = None
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
        """Wait for it; what it said went wrong, or "" (asked again, the same answer)."""
        if self._said is None:
            assert self.process.stderr is not None
            with self.process.stderr:
                said = self.process.stderr.read().decode("utf-8", "replace").strip()
            self._said = said if self.process.wait() else ""
        return self._said

    def finish(self) -> None:
        said = self.join()
        if self.process.returncode == _worker.MISSING:
            raise StaleSiteError(said)
        if said:
            raise PublishError(said)


class StaleSiteError(PublishError):
    """A page of the earlier site cannot be carried over (missing, or not a regular file: a
    planted link): the site is published in full instead."""


def clean_stale(outdir: Path, key: bytes) -> Chore | None:
    """Remove what earlier publishes left beside the site — previous sites, and the staging of a
    killed one (named ``.SITE.xxxx`` by the staging writer and nothing else) — in another
    process. Only folders this registry signed (a site's manifest, a staging folder's mark) are
    touched, and never one holding a registry. A site lost between the two renames of a swap is
    put back first."""
    own = re.compile(re.escape(f".{outdir.name}.") + r"[a-z0-9_]{8}(\.old)?")
    stale = sorted(
        p
        for p in outdir.parent.glob(f".{outdir.name}.*")
        if own.fullmatch(p.name)
        and not p.is_symlink()
        and p.is_dir()
        and not signing.holds_registry(p)
        and (signing.own_site(p, key) or signing.own_staging(p, key))
    )
    if not outdir.exists():
        for folder in reversed(stale):  # the newest earlier site
            if folder.name.endswith(".old") and signing.own_site(folder, key):
                folder.rename(outdir)
                stale.remove(folder)
                break
    folders = [str(folder) for folder in stale if folder.is_dir()]
    return Chore("remove", *folders) if folders else None
