"""The helper process of :mod:`regclean.publish.sandbox`: it transforms each page it is sent
with the registry's stylesheets, under an address-space limit, until its input ends."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from lxml import etree

from ..errors import PublishError
from .render import Catalogs
from .sandbox import read_exactly


def main(argv: list[str]) -> None:
    """The helper: transform each page it is sent, under an address-space limit."""
    import resource  # POSIX only

    home, megabytes = (Path(argv[0]) if argv[0] else None), int(argv[1])
    catalogs = Catalogs(home, sandboxed=False)
    try:
        with open("/proc/self/statm") as statm:  # what it uses now, plus the allowance
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):  # no /proc: the time limit still holds
        pass
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.readline().decode()
        if not head:
            return
        name, _, length = head.rstrip("\n").partition("\t")
        document = read_exactly(source, int(length))
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            page = catalogs.render(name, etree.fromstring(document, parser))
            state, body = "ok", page
        except (PublishError, etree.Error, MemoryError) as exc:
            state, body = "error", (str(exc) or type(exc).__name__).encode()
        sink.write(f"{state}\t{len(body)}\n".encode() + body)
        sink.flush()
