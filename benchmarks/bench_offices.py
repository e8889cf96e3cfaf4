"""Many offices on one registry: writer processes (one per department) proposing, and searcher
processes, against a registry on PostgreSQL and, in the same run, one in a SQLite file on the
local disk (the peer).

    python benchmarks/bench_offices.py --writers 20 --searchers 4 --seconds 60 \
        --server postgresql:///postgres [--restart-after 20]

Each store gets a fresh registry seeded with ``--stock`` instruments (seeded generator), every
department responsible for its share. Each writer opens the registry and, until the time is
up, proposes an outcome on the next instrument of its share and withdraws it again (two write
transactions per round, each one event), recording the latency of every call; each searcher
runs queries of two characters from the titles. At the end: operations per second, p50 and
p95 per operation, the errors each kind of process met (a busy registry, a server restart),
and the writes lost: every acknowledged call must be in the log, once, and the chain must
verify. ``--restart-after N`` restarts the PostgreSQL server N seconds in (needs
``pg_ctlcluster``, as root): clients must get a clear error or carry on, never lose or
double a write.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from regclean import RegcleanError, Registry  # noqa: E402

DEPARTMENTS = [f"市第{n}局" for n in range(1, 41)]


def seed(folder: Path, stock: int, writers: int, database: str) -> None:
    rng = random.Random(7)
    with Registry.init(folder, jurisdiction="甲市", database=database,
                       search_engine=None if database else "fts5") as registry:  # fmt: skip
        rows = []
        for n in range(stock):
            department = DEPARTMENTS[n % writers]
            rows.append({"title": f"甲市{rng.choice('东南西北中')}区第{n}号管理办法",
                         "doc_number": f"甲政发〔{2000 + n % 24}〕{n + 1}号",
                         "department": department, "issuer": "甲市人民政府"})  # fmt: skip
        path = folder.parent / f"{folder.name}-stock.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
        registry.import_file(path, by="seed")


def writer(folder: str, number: int, writers: int, until: float, out: str) -> None:
    department = DEPARTMENTS[number]
    latencies: list[float] = []
    errors: dict[str, int] = {}
    done: list[int] = []
    registry = Registry.open(folder, busy_timeout=60)
    mine = [i.id for i in registry.instruments() if i.department == department]
    at = 0
    while time.time() < until:
        target = mine[at % len(mine)]
        at += 1
        for call in ("propose", "withdraw"):
            start = time.perf_counter()
            try:
                if call == "propose":
                    registry.propose(target, "废止", reason="已被新规定代替", by=department)
                else:
                    registry.withdraw(target, by=department, reason="再议")
            except RegcleanError as exc:
                kind = type(exc).__name__
                errors[kind] = errors.get(kind, 0) + 1
                registry.close()
                try:
                    registry = Registry.open(folder, busy_timeout=60)
                except RegcleanError:
                    time.sleep(1)
                    registry = Registry.open(folder, busy_timeout=60)
                break
            latencies.append(time.perf_counter() - start)
            done.append(target)
    registry.close()
    Path(out).write_text(json.dumps({"latencies": latencies, "errors": errors,
                                     "acknowledged": len(done)}))  # fmt: skip


def searcher(folder: str, until: float, out: str) -> None:
    rng = random.Random(os.getpid())
    latencies: list[float] = []
    errors: dict[str, int] = {}
    registry = Registry.open(folder, busy_timeout=60)
    while time.time() < until:
        query = rng.choice(["管理", "东区", "南区", "办法", "西区 管理"])
        start = time.perf_counter()
        try:
            registry.search(query, limit=20)
        except RegcleanError as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            registry.close()
            time.sleep(0.5)
            registry = Registry.open(folder, busy_timeout=60)
            continue
        latencies.append(time.perf_counter() - start)
    registry.close()
    Path(out).write_text(json.dumps({"latencies": latencies, "errors": errors}))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(store: str, args: argparse.Namespace, work: Path) -> dict[str, object]:
    folder = work / store
    database = ""
    if store == "postgresql":
        import psycopg

        name = f"regclean_bench_{os.getpid()}"
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        database = args.server.rsplit("/", 1)[0] + "/" + name
    seed(folder, args.stock, args.writers, database)
    with Registry.open(folder) as registry:
        before = registry.last_seq()
    context = multiprocessing.get_context("spawn")
    until = time.time() + args.seconds
    outs = []
    processes = []
    for n in range(args.writers):
        out = str(work / f"{store}-w{n}.json")
        outs.append(("write", out))
        processes.append(
            context.Process(target=writer, args=(str(folder), n, args.writers, until, out))
        )
    for n in range(args.searchers):
        out = str(work / f"{store}-s{n}.json")
        outs.append(("search", out))
        processes.append(context.Process(target=searcher, args=(str(folder), until, out)))
    started = time.time()
    for process in processes:
        process.start()
    if store == "postgresql" and args.restart_after:
        time.sleep(args.restart_after)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True)
    for process in processes:
        process.join(args.seconds + 300)
    elapsed = time.time() - started
    writes: list[float] = []
    searches: list[float] = []
    errors: dict[str, int] = {}
    acknowledged = 0
    for kind, out in outs:
        data = json.loads(Path(out).read_text())
        (writes if kind == "write" else searches).extend(data["latencies"])
        for name, count in data["errors"].items():
            errors[f"{kind}:{name}"] = errors.get(f"{kind}:{name}", 0) + count
        acknowledged += data.get("acknowledged", 0)
    with Registry.open(folder) as registry:
        logged = registry.last_seq() - before
        report = registry.verify()
    return {
        "store": store,
        "writes/s": round(len(writes) / elapsed, 1),
        "write p50 ms": round(statistics.median(writes) * 1000, 1) if writes else None,
        "write p95 ms": round(percentile(writes, 0.95) * 1000, 1),
        "searches/s": round(len(searches) / elapsed, 1),
        "search p50 ms": round(statistics.median(searches) * 1000, 1) if searches else None,
        "search p95 ms": round(percentile(searches, 0.95) * 1000, 1),
        "acknowledged": acknowledged,
        "logged": logged,
        "lost": acknowledged - logged,
        "verify": "ok" if report.ok else report.summary()[:200],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--searchers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--stock", type=int, default=2000)
    parser.add_argument("--server", default="postgresql:///postgres")
    parser.add_argument("--restart-after", type=float, default=0)
    args = parser.parse_args()
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} cores · Python {platform.python_version()}")  # fmt: skip
    print(f"{args.writers} writers, {args.searchers} searchers, {args.seconds:.0f} s, "
          f"{args.stock} instruments")  # fmt: skip
    with tempfile.TemporaryDirectory() as temp:
        for store in ("postgresql", "sqlite"):
            print(json.dumps(run(store, args, Path(temp)), ensure_ascii=False))


if __name__ == "__main__":
    main()
