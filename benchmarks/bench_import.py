"""Import benchmark: regclean's CSV import against a plain csv + sqlite3 loader of the same rows,
in one run, with peak memory at two file sizes (memory should stay flat: files are streamed).

    python benchmarks/bench_import.py --size 100000 --runs 3
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

OUT = Path(__file__).resolve().parent / "out"


def plain_loader(csv_path: Path, db_path: Path) -> float:
    """The peer: csv.reader straight into one SQLite table, one transaction."""
    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE docs (title, doc_number, date, issuer, kind, full_text)")
    start = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as handle, conn:
        rows = csv.reader(handle)
        next(rows)
        conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def regclean_child(csv_path: Path, reg_path: Path, with_index: bool) -> None:
    """Import in a fresh process and report the time and peak memory."""
    import resource

    from regclean import Registry

    shutil.rmtree(reg_path, ignore_errors=True)
    registry = Registry.init(reg_path)
    if not with_index:
        registry.store.on_commit.clear()  # the database part alone
    start = time.perf_counter()
    registry.import_file(csv_path)
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rss": rss}))


def run_child(csv_path: Path, reg_path: Path, with_index: bool) -> dict:
    args = [sys.executable, __file__, "--child", str(csv_path), "--registry", str(reg_path)]
    if with_index:
        args.append("--with-index")
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--registry", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--with-index", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        regclean_child(args.child, args.registry, args.with_index)
        return
    OUT.mkdir(exist_ok=True)
    print(f"# import benchmark, {args.size} rows, {args.runs} runs (medians)")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    small = max(args.size // 10, 1000)
    for size in (small, args.size):
        csv_path = corpus.write(size, OUT / f"corpus-{size}.csv")
        mb = csv_path.stat().st_size / 1e6
        ours = [run_child(csv_path, OUT / "import-registry", False) for _ in range(args.runs)]
        plain = [plain_loader(csv_path, OUT / "plain.sqlite") for _ in range(args.runs)]
        ours_s = statistics.median(r["seconds"] for r in ours)
        plain_s = statistics.median(plain)
        rss = statistics.median(r["rss"] for r in ours)
        print(f"{size} rows ({mb:.0f} MB): regclean {size / ours_s:.0f} rows/s, plain csv+sqlite3 "
              f"{size / plain_s:.0f} rows/s, ratio {ours_s / plain_s:.1f}x; regclean peak RSS {rss:.0f} MB")  # fmt: skip
    full = run_child(OUT / f"corpus-{args.size}.csv", OUT / "import-registry", True)
    print(f"{args.size} rows with the search index built after (one run): "
          f"{full['seconds']:.1f} s = {args.size / full['seconds']:.0f} rows/s, peak RSS {full['rss']:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
