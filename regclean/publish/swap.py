"""Putting a new site in place of the old: one publish at a time per folder, and the swap.

On Linux the new folder is exchanged for the old in one atomic step (``renameat2`` with
``RENAME_EXCHANGE``), so a reader of the site never finds it missing; elsewhere the old site is
renamed away and the new one renamed in.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import PublishError


@contextlib.contextmanager
def exclusive(outdir: Path) -> Iterator[None]:
    """One publish at a time to a folder: a second one would clean away the first one's
    staging folder. PublishError at once, naming the holder, when another is running."""
    try:
        import fcntl  # POSIX only
    except ImportError:  # not a POSIX system: no lock (one publisher at a time, by habit)
        yield
        return
    path = outdir.with_name(f".{outdir.name}.lock")
    try:  # never through a link planted in its place: it would truncate the link's target
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise PublishError(
            f"{path}: cannot open the publish lock ({exc.strerror}); "
            "if it is a symbolic link, remove it"
        ) from None
    with os.fdopen(descriptor, "a+", encoding="utf-8") as handle:
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


def swap(staging: Path, outdir: Path) -> None:
    """Put the new site in place; the old one is removed only after the new one is there.

    Where the system can exchange two folders in one step, a reader of ``outdir`` sees the old
    site or the new one and never nothing; elsewhere the old site is renamed away and the new
    one renamed in.
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
    import ctypes  # POSIX only

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))
