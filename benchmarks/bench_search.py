"""Search benchmark: regclean (whoosh, CJK bigrams) against SQLite FTS5 (trigram) and tantivy
(bigram tokens), on the same corpus and the same query mix, in one run.

    python benchmarks/bench_search.py --size 100000 --runs 3
    python benchmarks/bench_search.py --size 100000 --runs 3 --engine tsvector \
        --server postgresql:///postgres   # PostgreSQL, beside the FTS5 engine in the same run

Needs ``pip install tantivy`` for the tantivy peer (skipped, and said so, when missing).
Prints a Markdown table for docs/performance.md; the machine is named in the output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from regclean import Registry
from regclean.docnumber import DocNumber
from regclean.search import bigrams

OUT = Path(__file__).resolve().parent / "out"


def query_mix(rows: list[dict[str, str]], seed: int = 7) -> list[tuple[str, str, dict]]:
    """(category, query, filters): numbers in variant spellings, words, phrases, titles,
    filtered and date-sorted queries."""
    rng = random.Random(seed)
    picks = rng.sample(rows, 200)
    mix: list[tuple[str, str, dict]] = []
    for row in picks[:40]:
        number = row["doc_number"].replace("〔", "[").replace("〕", "]")
        mix.append(("number", number, {}))
    words = [
        "许可",
        "行政许可",
        "垃圾分类",
        "公积金",
        "扬尘",
        "营商环境",
        "信用",
        "人才",
        "补助",
        "养老",
    ]
    for i in range(40):
        mix.append(("word", words[i % len(words)], {}))
    phrases = ["徇私舞弊", "责令限期改正", "营商环境", "合法权益", "协调机制", "联合惩戒"]
    for i in range(30):
        mix.append(("phrase", f'"{phrases[i % len(phrases)]}"', {}))
    for row in picks[40:70]:
        mix.append(("title", corpus_core(row["title"]), {}))
    for i in range(30):
        mix.append(
            (
                "filtered",
                words[i % len(words)],
                {"kind": "rule" if i % 2 else None, "year": f"{2000 + i % 20}..{2005 + i % 20}"},
            )
        )
    for i in range(30):
        mix.append(("date_sorted", words[i % len(words)], {"sort": "date"}))
    return mix


DENSE = [
    "管理",
    "人民政府",
    "实施",
    "管理办法",
    "规定",
    "管理 人民政府",
    "实施 规定",
    "管理办法 规定",
]


def dense_mix() -> list[tuple[str, str, dict]]:
    """Words in more than half of the corpus's documents, alone and two at a time (AND)."""
    return [("dense", DENSE[i % len(DENSE)], {}) for i in range(40)]


def corpus_core(title: str) -> str:
    from regclean.text import title_core

    return title_core(title)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_regclean(registry: Registry, mix) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for category, text, filters in mix:
        kwargs = {k: v for k, v in filters.items() if v}
        start = time.perf_counter()
        registry.search(text, limit=20, **kwargs)
        times.setdefault(category, []).append((time.perf_counter() - start) * 1000)
    return times


def build_fts5(path: Path, rows: list[dict[str, str]]) -> tuple[sqlite3.Connection, float]:
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, number, issuer, body, kind UNINDEXED,"
        " year UNINDEXED, tokenize='trigram')"
    )
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    r["title"],
                    r["doc_number"],
                    r["issuer"],
                    r["full_text"],
                    r["kind"],
                    int(r["date"][:4]),
                )
                for r in rows
            ),
        )
    return conn, time.perf_counter() - start


def fts5_query(text: str) -> str:
    number = DocNumber.try_parse(text)
    if number:
        return f'number:"{number.raw}"'
    text = text.strip('"')
    return " AND ".join(f'"{word}"' for word in text.split())


def bench_fts5(conn: sqlite3.Connection, mix) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for category, text, filters in mix:
        sql = "SELECT rowid FROM docs WHERE docs MATCH ?"
        params: list = [fts5_query(text)]
        if filters.get("year"):
            first, last = filters["year"].split("..")
            sql += " AND year BETWEEN ? AND ?"
            params += [int(first), int(last)]
        if filters.get("kind"):
            sql += " AND kind = '规章'"
        sql += " ORDER BY year DESC LIMIT 20" if filters.get("sort") else " ORDER BY rank LIMIT 20"
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        times.setdefault(category, []).append((time.perf_counter() - start) * 1000)
    return times


def build_tantivy(path: Path, rows: list[dict[str, str]]):
    import tantivy

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    for name in ("title", "number", "issuer", "body"):
        builder.add_text_field(name, tokenizer_name="whitespace", stored=False)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_text_field("kind", tokenizer_name="raw")
    schema = builder.build()
    idx = tantivy.Index(schema, path=str(path))
    writer = idx.writer(heap_size=256_000_000, num_threads=2)
    start = time.perf_counter()
    for r in rows:
        writer.add_document(tantivy.Document(
            title=" ".join(bigrams(r["title"])), number=" ".join(bigrams(r["doc_number"])),
            issuer=" ".join(bigrams(r["issuer"])), body=" ".join(bigrams(r["full_text"])),
            year=int(r["date"][:4]), kind=r["kind"],
        ))  # fmt: skip
    writer.commit()
    idx.reload()
    return idx, time.perf_counter() - start


def bench_tantivy(idx, mix) -> dict[str, list[float]]:
    searcher = idx.searcher()
    times: dict[str, list[float]] = {}
    for category, text, filters in mix:
        tokens = bigrams(text.strip('"'))
        q_text = " AND ".join(f'"{t}"' for t in tokens) or "*"
        if category == "phrase":
            q_text = '"' + " ".join(tokens) + '"'
        if filters.get("year"):
            first, last = filters["year"].split("..")
            q_text = f"({q_text}) AND year:[{first} TO {last}]"
        if filters.get("kind"):
            q_text = f"({q_text}) AND kind:规章"
        start = time.perf_counter()
        q = idx.parse_query(q_text, ["title", "number", "issuer", "body"])
        if filters.get("sort"):
            searcher.search(q, 20, order_by_field="year")
        else:
            searcher.search(q, 20)
        times.setdefault(category, []).append((time.perf_counter() - start) * 1000)
    return times


def search_in_fresh_process(reg_path: Path, mix: list, runs: int) -> tuple[dict, float]:
    """Run the query mix in a new process, so its peak memory is that of searching alone."""
    mix_file = OUT / "query-mix.json"
    mix_file.write_text(json.dumps(mix, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, __file__, "--search-child", str(reg_path), "--mix", str(mix_file),
         "--runs", str(runs)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["times"], result["rss"]


def search_child(reg_path: Path, mix_file: Path, runs: int) -> None:

    registry = Registry.open(reg_path)
    registry.search("预热")
    mix = [tuple(item) for item in json.loads(mix_file.read_text(encoding="utf-8"))]
    results = [bench_regclean(registry, mix) for _ in range(runs)]
    times = {k: [statistics.median(r[k][i] for r in results) for i in range(len(results[0][k]))]
             for k in results[0]}  # fmt: skip
    with open("/proc/self/status") as status:  # this program's own peak (ru_maxrss keeps the
        rss = int(status.read().split("VmHWM:")[1].split()[0]) / 1024  # forking parent's)
    print(json.dumps({"times": times, "rss": rss}))


def new_database(server: str, size: int) -> str:
    """A fresh database on the server for this run (the one of an earlier run dropped)."""
    import psycopg

    name = f"regclean_bench_{size}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def cold_cli(registry_path: Path, text: str) -> float:
    script = Path(sys.executable).parent / "regclean"
    start = time.perf_counter()
    subprocess.run([str(script), "--registry", str(registry_path), "search", text, "--json"],
                   check=True, capture_output=True)  # fmt: skip
    return (time.perf_counter() - start) * 1000


def summary(name: str, times: dict[str, list[float]]) -> str:
    flat = [t for values in times.values() for t in values]
    cells = [f"{percentile(flat, 50):.2f}", f"{percentile(flat, 95):.2f}"]
    for category in ("number", "word", "phrase", "title", "filtered", "date_sorted"):
        cells.append(f"{statistics.median(times.get(category, [0])):.2f}")
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--engine", choices=["whoosh", "fts5", "tsvector"], default="fts5")
    parser.add_argument(
        "--server",
        default="postgresql:///postgres",
        help="the PostgreSQL server of --engine tsvector (a database is made)",
    )
    parser.add_argument("--no-peers", action="store_true", help="measure regclean only")
    parser.add_argument(
        "--skip-build",
        action="store_true",
        help="reuse the registry of an earlier run (no import/reindex timing)",
    )
    parser.add_argument("--search-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mix", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.search_child:
        search_child(args.search_child, args.mix, args.runs)
        return
    OUT.mkdir(exist_ok=True)
    csv_path = corpus.write(args.size, OUT / f"corpus-{args.size}.csv")
    rows = list(corpus.records(args.size))
    print(f"# search benchmark, {args.size} instruments, {args.runs} runs (medians)")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip

    reg_path = (
        OUT / f"registry-{args.size}"
        if args.engine == "whoosh"
        else (OUT / f"registry-{args.size}-{args.engine}")
    )
    print(f"engine: {args.engine}")
    built = (reg_path / "registry.sqlite").exists() or (reg_path / "regclean.toml").exists()
    if args.skip_build and built:
        registry = Registry.open(reg_path)
        print("regclean import and reindex: not measured in this run (--skip-build)")
    else:
        shutil.rmtree(reg_path, ignore_errors=True)
        registry = Registry.init(reg_path, search_engine=args.engine,
                                 database=new_database(args.server, args.size)
                                 if args.engine == "tsvector" else "")  # fmt: skip
        start = time.perf_counter()
        registry.import_file(csv_path)
        import_s = time.perf_counter() - start
        builds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            registry.reindex()
            builds.append(time.perf_counter() - start)
        build_s = statistics.median(builds)
        if args.engine == "whoosh":
            index_mb = sum(f.stat().st_size for f in (reg_path / "index").iterdir()) / 1e6
        elif args.engine == "tsvector":
            index_mb = (
                registry.store.conn.execute(
                    "SELECT pg_total_relation_size('search_docs')"
                ).fetchone()[0]
                / 1e6
            )
        else:
            index_mb = (reg_path / "registry.sqlite").stat().st_size / 1e6
        print(
            f"regclean import (database + index): {import_s:.1f} s = {args.size / import_s:.0f} rows/s"
        )
        print(
            f"regclean reindex: {build_s:.1f} s = {args.size / build_s:.0f} docs/s; index {index_mb:.0f} MB"
        )

    one = registry.get(registry.count() // 2)
    updates = []
    for i in range(20):
        start = time.perf_counter()
        registry.update_instrument(one.id, subject=f"benchmark {i}")
        updates.append((time.perf_counter() - start) * 1000)
    print(f"update one instrument (commit + index): median {statistics.median(updates):.1f} ms")

    mix = query_mix(rows)
    registry.close()
    ours, rss_mb = search_in_fresh_process(reg_path, mix, args.runs)
    dense, dense_rss = search_in_fresh_process(reg_path, dense_mix(), args.runs)
    cold = statistics.median(cold_cli(reg_path, "营商环境") for _ in range(args.runs))
    cold_dense = statistics.median(cold_cli(reg_path, "管理") for _ in range(args.runs))
    flat = dense["dense"]
    print(f"regclean ({args.engine}) dense mix: p50 {percentile(flat, 50):.1f} ms, p95 "
          f"{percentile(flat, 95):.1f} ms; "
          + ", ".join(f"{q} {statistics.median(flat[i::len(DENSE)]):.1f}"
                      for i, q in enumerate(DENSE)))  # fmt: skip
    print(f"regclean ({args.engine}) benchmark mix: " + summary(args.engine, ours))
    print(f"regclean peak RSS: benchmark mix {rss_mb:.0f} MB, dense mix {dense_rss:.0f} MB")
    print(
        f"regclean search from a cold process (CLI, --json): 营商环境 {cold:.0f} ms, "
        f"管理 {cold_dense:.0f} ms"
    )
    if args.engine == "tsvector":  # the peer: the FTS5 engine on the same corpus, this run
        peer = OUT / f"registry-{args.size}-fts5"
        if not (peer / "registry.sqlite").exists():
            with Registry.init(peer, search_engine="fts5") as built:
                built.import_file(csv_path)
        theirs, _ = search_in_fresh_process(peer, mix, args.runs)
        their_dense, _ = search_in_fresh_process(peer, dense_mix(), args.runs)
        flat = their_dense["dense"]
        print(f"regclean (fts5) dense mix: p50 {percentile(flat, 50):.1f} ms, p95 "
              f"{percentile(flat, 95):.1f} ms")  # fmt: skip
        print("regclean (fts5) benchmark mix: " + summary("fts5", theirs))
        print("| engine | p50 ms | p95 ms | number | word | phrase | title | filtered | "
              "date-sorted |\n|---|---|---|---|---|---|---|---|---|")  # fmt: skip
        print(summary("regclean (tsvector, PostgreSQL)", ours))
        print(summary("regclean (fts5, SQLite)", theirs))
        return
    if args.no_peers:
        return

    conn, fts_build = build_fts5(OUT / f"fts5-{args.size}.sqlite", rows)
    fts_runs = [bench_fts5(conn, mix) for _ in range(args.runs)]
    fts = {k: [statistics.median(r[k][i] for r in fts_runs) for i in range(len(fts_runs[0][k]))]
           for k in fts_runs[0]}  # fmt: skip
    print(f"fts5 trigram build: {args.size / fts_build:.0f} docs/s")

    lines = ["| engine | p50 ms | p95 ms | number | word | phrase | title | filtered | date-sorted |",
             "|---|---|---|---|---|---|---|---|---|", summary(f"regclean ({args.engine})", ours),
             summary("sqlite fts5 trigram", fts)]  # fmt: skip
    try:
        if args.no_tantivy:
            raise ImportError("skipped")
        idx, tv_build = build_tantivy(OUT / f"tantivy-{args.size}", rows)
        tv_runs = [bench_tantivy(idx, mix) for _ in range(args.runs)]
        tv = {k: [statistics.median(r[k][i] for r in tv_runs) for i in range(len(tv_runs[0][k]))]
              for k in tv_runs[0]}  # fmt: skip
        lines.append(summary("tantivy bigram", tv))
        print(f"tantivy bigram build: {args.size / tv_build:.0f} docs/s")
    except ImportError as exc:
        print(f"tantivy: not measured ({exc})")
    print("\n".join(lines))
    print(f"regclean peak RSS of a process running the query mix: {rss_mb:.0f} MB")
    print(f"regclean search from a cold process (CLI, --json): median {cold:.0f} ms")


if __name__ == "__main__":
    main()
