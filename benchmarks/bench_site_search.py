"""The published site's search at scale: what its index adds to a full publish and to a
republish, and, in headless Chromium over HTTP, how long after the last keystroke the first
results show and how many bytes one query fetches.

    python benchmarks/bench_site_search.py --size 100000 --runs 3

Uses the registry of bench_publish.py (built if missing). Needs Chromium, chromedriver and
selenium (`pip install -e '.[test]'`, `apt-get install chromium-driver`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import platform
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_publish
import corpus

from regclean.publish import finder, publish

OUT = Path(__file__).resolve().parent / "out"
MEASURE = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const box = document.getElementById('q');
const started = performance.now();
box.value = query;
box.dispatchEvent(new Event('input', {bubbles: true}));
(function wait() {
  if (document.body.getAttribute('data-searched') === query)
    done([performance.now() - started, window.regcleanSearch.bytes, window.regcleanSearch.count]);
  else setTimeout(wait, 2);
})();
"""


class Timed:
    """Wraps a function and adds up the time spent in it."""

    def __init__(self, function):  # type: ignore[no-untyped-def]
        self.function, self.seconds = function, 0.0

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def queries(size: int, seed: int = 11) -> list[tuple[str, str]]:
    import csv

    rng = random.Random(seed)
    with corpus.write(size, OUT / f"corpus-{size}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    picks = rng.sample(rows, 40)
    out = []
    for row in picks[:10]:  # a fragment of two to four characters of a title
        core = row["title"].replace("关于", "").replace("的通知", "")
        start = rng.randrange(0, max(1, len(core) - 4))
        out.append(("title fragment", core[start : start + rng.choice((2, 3, 4))]))
    for row in picks[10:20]:  # a number in another spelling: square brackets, full-width digits
        number = row["doc_number"].replace("〔", "[").replace("〕", "]")
        out.append(
            (
                "number, variant spelling",
                number.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            )
        )
    for word in ("管理", "办法", "通知", "人民政府", "实施"):
        out.append(("dense word", word))
    return out


def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,900"):  # fmt: skip
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-full", action="store_true", help="reuse the site of an earlier run")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    print(f"# site search benchmark, {args.size} instruments, {args.runs} runs (medians)")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    registry = bench_publish.build(args.size)
    site = OUT / f"site-search-{args.size}"
    full_build, partial_build = Timed(finder.build_full), Timed(finder.build_partial)
    finder.build_full, finder.build_partial = full_build, partial_build  # type: ignore[method-assign]
    totals, index = [], []
    for _ in range(args.runs if not args.skip_full else 0):
        full_build.seconds = 0.0
        start = time.perf_counter()
        publish(registry, site, incremental=False)
        totals.append(time.perf_counter() - start)
        index.append(full_build.seconds)
    files = list((site / "search").rglob("*"))
    size_mb = sum(p.stat().st_size for p in files if p.is_file()) / 1e6
    if totals:
        print(
            f"full publish: median {statistics.median(totals):.1f} s, of which the search "
            f"index {statistics.median(index):.2f} s ({len(files)} files, {size_mb:.0f} MB)"
        )
    republish, patch = [], []
    for run in range(args.runs):
        rng = random.Random(run)
        ids: list[int] = []
        while len(ids) < 10:  # ten instruments nothing has decided yet
            candidate = rng.randrange(1, args.size + 1)
            if candidate not in ids and not registry.decisions(candidate):
                ids.append(candidate)
        registry.propose_many(ids, "repeal", reason="与上位法不一致")
        registry.approve(ids, by="市政府", effective_on="2026-06-01")
        partial_build.seconds = 0.0
        start = time.perf_counter()
        publish(registry, site)
        republish.append(time.perf_counter() - start)
        patch.append(partial_build.seconds)
    print(
        f"republish after 10 decisions: median {statistics.median(republish):.2f} s, of which "
        f"patching the search index {statistics.median(patch):.2f} s"
    )

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/search.html"
    driver = browser()
    driver.set_script_timeout(30)
    results: dict[str, list[tuple[float, int, int]]] = {}
    try:
        for kind, query in queries(args.size):
            timings = []
            for _ in range(args.runs):
                driver.get(url)  # a fresh page: nothing fetched yet
                timings.append(driver.execute_async_script(MEASURE, query))
            ms = statistics.median(t[0] for t in timings)
            results.setdefault(kind, []).append((ms, int(timings[0][1]), int(timings[0][2])))
            print(
                f"  {kind:<26} {query:<24} {ms:7.1f} ms  {timings[0][1] / 1024:7.1f} KB  "
                f"{int(timings[0][2])} results"
            )
    finally:
        driver.quit()
        server.shutdown()
    every = [r for rows in results.values() for r in rows]
    print(
        "after the last keystroke (including search.js's 120 ms wait for more typing): "
        f"median {statistics.median(r[0] for r in every):.0f} ms, max {max(r[0] for r in every):.0f} ms"
    )
    print(
        f"bytes fetched by one query: median {statistics.median(r[1] for r in every) / 1024:.0f} KB, "
        f"max {max(r[1] for r in every) / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
