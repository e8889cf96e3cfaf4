"""Helper processes that never outlive the process they work for."""

from __future__ import annotations

import os


def die_with_parent(parent: int) -> None:
    """In a helper process: be killed when the process ``parent`` ends, however it ends (Linux;
    elsewhere nothing is asked). A killed rebuild or import leaves no helper behind."""
    try:
        import ctypes  # POSIX only
        import signal  # POSIX only

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)
