"""Publish benchmark: a full publish of N instruments with N/5 approved decisions, and a
republishes, each after 10 more decisions (median of --runs); peers in the same run: the
instrument pages written with plain string templates (for the full publish) and a hard-linked
copy of the whole site with ``cp -al`` (the floor for the republish).

    python benchmarks/bench_publish.py --size 100000
"""

from __future__ import annotations

import argparse
import html
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from regclean import Registry

OUT = Path(__file__).resolve().parent / "out"


def build(size: int) -> Registry:
    path = OUT / f"publish-registry-{size}"
    csv_path = corpus.write(size, OUT / f"corpus-{size}.csv")
    if (path / "registry.sqlite").exists():
        return Registry.open(path)
    registry = Registry.init(path)
    registry.import_file(csv_path)
    ids = list(range(1, size + 1, 5))
    with registry.store.transaction():
        for n, instrument_id in enumerate(ids):
            registry.propose(instrument_id, ("repeal", "invalidate", "revise", "keep")[n % 4],
                             reason="与上位法不一致")  # fmt: skip
        registry.approve(ids, by="市政府", decision_doc="温政发〔2026〕1号",
                         decision_title="关于废止和宣布失效一批规范性文件的决定", effective_on="2026-06-01")  # fmt: skip
    return registry


def plain_pages(registry: Registry, outdir: Path) -> float:
    """The peer: one f-string page per instrument, no XML, no XSLT."""
    shutil.rmtree(outdir, ignore_errors=True)
    (outdir / "instruments").mkdir(parents=True)
    start = time.perf_counter()
    for instrument, decisions in registry.reads.instruments_with_decisions():
        rows = "".join(
            f"<li>{html.escape(d.outcome.zh)} {html.escape(d.reason_text)}</li>" for d in decisions
        )
        page = (f"<!DOCTYPE html><html lang='zh-CN'><head><title>{html.escape(instrument.title)}</title></head>"
                f"<body><h1>{html.escape(instrument.title)}</h1><p>{html.escape(instrument.doc_number)}</p>"
                f"<ul>{rows}</ul></body></html>")  # fmt: skip
        (outdir / "instruments" / f"{instrument.id}.html").write_text(page, encoding="utf-8")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="republishes to time")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    print(f"# publish benchmark, {args.size} instruments, {args.size // 5} decisions")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    registry = build(args.size)
    site = OUT / f"site-{args.size}"
    peer = plain_pages(registry, OUT / f"plain-site-{args.size}")  # first: its writes settle
    shutil.rmtree(OUT / f"plain-site-{args.size}")
    for earlier in [site, *OUT.glob(f".{site.name}.*")]:  # and what earlier runs left beside it
        shutil.rmtree(earlier, ignore_errors=True)
    os.sync()
    start = time.perf_counter()
    report = registry.publish(site, force=True, incremental=False)
    full = time.perf_counter() - start
    print(f"full publish: {full:.1f} s for {report.files} files written; plain f-string instrument "
          f"pages alone: {peer:.1f} s (ratio {full / peer:.1f}x)")  # fmt: skip
    times, rerendered = [], []
    for _ in range(args.runs):
        extra = [i for i in range(2, args.size, 5) if not registry.decisions(i)][:10]
        with registry.store.transaction():
            for instrument_id in extra:
                registry.propose(instrument_id, "repeal", reason="benchmark")
            registry.approve(extra, by="市政府", effective_on="2026-07-01")
        os.sync()  # the disk's backlog from the step before is not billed to this one
        start = time.perf_counter()
        again = registry.publish(site, force=True)
        times.append(time.perf_counter() - start)
        rerendered.append(again.rerendered)
    floor = link_copy(site, OUT / f"linked-site-{args.size}")
    print(f"republish after 10 more decisions, {args.runs} runs: median "
          f"{statistics.median(times):.2f} s (each: {', '.join(f'{t:.2f}' for t in times)}); "
          f"instrument pages rendered anew: {rerendered}")  # fmt: skip
    print(f"peer: cp -al of the site (a hard-linked copy, no rendering): {floor:.2f} s "
          f"(ratio {statistics.median(times) / floor:.1f}x)")  # fmt: skip


def link_copy(site: Path, target: Path) -> float:
    """The floor of any atomic republish that makes a new folder: hard-link the whole site."""
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(["cp", "-al", str(site), str(target)], check=True)
    elapsed = time.perf_counter() - start
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


if __name__ == "__main__":
    main()
