"""The screening pass on a large text: time and memory, against a peer in the same run.

    python benchmarks/bench_screening.py --mb 5 --runs 5

The text is a seeded mix of real sentences (the kept and offending clauses of
tests/data/screening) cut into numbered articles, repeated to the size asked. The peer is the
obvious alternative: one regular expression joining every literal word of the profile, run over
the whole text (it finds words, not near pairs, and places nothing). The ratio of the two medians
is what holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import statistics
import sys
import time
import tomllib
import tracemalloc
from pathlib import Path

from regclean.profiles import shipped
from regclean.screening import scan

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "screening"


def text_of(megabytes: float, seed: int = 23) -> str:
    sentences = [c["text"] for name in ("kept", "offending-dev")
                 for c in tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))["clause"]]  # fmt: skip
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < megabytes * 2**20:
        n += 1
        article = f"第{n}条 " + "".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
        parts.append(article)
        size += len(article.encode("utf-8")) + 1
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    profile = shipped()["fair-competition"]
    text = text_of(args.mb)
    words = sorted({w for s in profile.signals for w in s.words}, key=len, reverse=True)
    peer = re.compile("|".join(map(re.escape, words)))
    ours, theirs = [], []
    found = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        found = len(scan(text, profile))
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        peer_found = sum(1 for _ in peer.finditer(text))
        theirs.append(time.perf_counter() - start)
    tracemalloc.start()
    scan(text, profile)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"machine: {platform.node()} {platform.processor() or platform.machine()}, "
          f"Python {sys.version.split()[0]}")  # fmt: skip
    print(f"text: {len(text.encode('utf-8')) / 2**20:.1f} MB, {text.count(chr(10)) + 1} articles")
    print(f"screening: median {statistics.median(ours):.2f} s over {args.runs} runs, "
          f"{found} candidates, peak {peak / 2**20:.0f} MB traced")  # fmt: skip
    print(f"peer (one regex of the literal words): median {statistics.median(theirs):.2f} s, "
          f"{peer_found} matches")  # fmt: skip
    print(f"ratio screening / peer: {statistics.median(ours) / statistics.median(theirs):.1f}")


if __name__ == "__main__":
    main()
