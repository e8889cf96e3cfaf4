"""Running a registry's own stylesheets (overrides) under a time and memory limit.

libxslt cannot be interrupted from Python, and a stylesheet can loop for minutes or double a
string until memory runs out. So a page whose stylesheet, or a file it includes, is a registry's
override is transformed in a helper process: it is started once per publishing process, runs
with an address-space limit, and is killed when one page takes longer than the time limit. The
shipped stylesheets run in the publishing process, at full speed.

The helper (:mod:`regclean.publish.sandbox_helper`) speaks a small protocol over its standard input and output: a request is a line
``NAME<tab>LENGTH`` followed by the page document (XML, LENGTH bytes); the answer is a line
``ok<tab>LENGTH`` or ``error<tab>LENGTH`` followed by the page (or the message).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

from ..errors import PublishError

SECONDS = 20.0  # at most, for one page
MEGABYTES = 1024  # at most, for the helper's address space (beyond what it starts with)


class Sandbox:
    """A helper process transforming pages with override stylesheets, under limits."""

    def __init__(self, home: Path | None):
        self.home = home
        self.process: subprocess.Popen[bytes] | None = None
        self.owner = 0  # the process that started the helper (a forked worker starts its own)

    def _start(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.owner != os.getpid() or self.process.poll() is not None:
            boot = (
                "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
                "from regclean.publish.sandbox_helper import main; main(sys.argv[2:])"
            )
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-c",
                    boot,
                    json.dumps(sys.path),
                    str(self.home or ""),
                    str(MEGABYTES),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self.owner = os.getpid()
        return self.process

    def render(self, name: str, path: Path, document: bytes, kind: str) -> bytes:
        """The page ``document`` transformed by the stylesheet ``name`` (found at ``path``)."""
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(f"{name}\t{len(document)}\n".encode() + document)
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], SECONDS)
            if not ready:
                self.stop()
                raise PublishError(
                    f"{path}: did not finish a {kind} page within {SECONDS:g} s (a stylesheet "
                    "of the registry's own runs under a time limit per page)"
                )
            head = process.stdout.readline().decode()
            state, _, length = head.rstrip("\n").partition("\t")
            body = read_exactly(process.stdout, int(length)) if length.isdigit() else b""
        except (BrokenPipeError, OSError, ValueError):
            state, body = "", b""
        if state == "ok":
            return body
        self.stop()
        if state == "error":  # the helper's message names the file
            raise PublishError(
                f"{body.decode('utf-8', 'replace')} (a stylesheet of the "
                f"registry's own runs under limits: {SECONDS:g} s and "
                f"{MEGABYTES} MB per page)"
            )
        raise PublishError(
            f"{path}: stopped on a {kind} page, out of memory (a stylesheet of the registry's "
            f"own may use at most {MEGABYTES} MB)"
        )

    def stop(self) -> None:
        if self.process is not None and self.owner == os.getpid():
            self.process.kill()
            self.process.wait()
        self.process = None

    def close(self) -> None:
        """Let the helper end (it ends by itself when its input closes)."""
        if self.process is not None and self.owner == os.getpid():
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait()
        self.process = None


def read_exactly(stream, length: int) -> bytes:  # type: ignore[no-untyped-def]
    """``length`` bytes from a binary stream; ValueError if it ends before."""
    chunks, left = [], length
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise ValueError("the helper ended mid-answer")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
