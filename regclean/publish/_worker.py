"""File-system chores of a publish, run as a separate process so that they do not compete with
rendering for the interpreter lock. Standard library only: it is run as a script
(``python -I _worker.py ...``), without importing regclean.

    _worker.py link OLD NEW SEALED
                                 hard-link (or copy) each relative path read from stdin (one
                                 per line) from the folder OLD into the folder NEW, each only
                                 if it was not modified after SEALED (ns since the epoch: when
                                 the earlier publish had written its last page)
    _worker.py remove FOLDER...  remove the folders

Exit status 0 on success; otherwise 1 with the reason on stderr.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys

MISSING = 3  # the exit status when a page to carry over is missing, not a regular file, or
# not as the earlier publish left it


class Missing(Exception):
    """A page to link is not in the earlier site as that publish left it."""


def link(old: str | os.PathLike, new: str | os.PathLike, paths: list[str], sealed: int) -> None:
    """Hard-link (or, across file systems, copy) each relative path from ``old`` into ``new``,
    each only if it is a regular file not modified after ``sealed`` (ns)."""
    made: set[str] = set()
    for relative in paths:
        source, target = f"{old}/{relative}", f"{new}/{relative}"
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            found = os.lstat(source)
            if not stat.S_ISREG(found.st_mode):  # a planted link, a folder ...
                raise Missing(f"{source}: not a regular file in the earlier site")
            if found.st_mtime_ns > sealed:
                raise Missing(f"{source}: changed since it was published (edited by hand?)")
            os.link(source, target, follow_symlinks=False)
        except FileNotFoundError:
            raise Missing(f"{source}: missing from the earlier site; publish in full") from None
        except Missing:
            raise
        except OSError:  # another file system: a copy, with the time the earlier publish recorded
            shutil.copy2(source, target, follow_symlinks=False)


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "link":
        paths = [line for line in sys.stdin.read().split("\n") if line]
        link(argv[1], argv[2], paths, int(argv[3]))
        return 0
    if argv and argv[0] == "remove":
        for folder in argv[1:]:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Missing as exc:
        print(exc, file=sys.stderr)
        sys.exit(MISSING)
    except OSError as exc:
        sys.exit(f"{exc}")
