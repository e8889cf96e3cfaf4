"""Analyzer comparison for Chinese: recall on typed variants, and indexing and query speed.

    pip install jieba   # the jieba analyzer is measured only when it is installed
    python benchmarks/bench_analyzers.py --size 5000 --runs 3

Three whoosh analyzers over the same documents, in one run: regclean's CJK bigrams (the one it
ships), jieba word segmentation, and whoosh's default StandardAnalyzer. Recall is measured on the
six target documents and typed queries of ../shared/SEARCH-MEASUREMENTS.md (which the test suite
also checks for regclean); speed on the seeded corpus.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from whoosh import fields, index
from whoosh.analysis import StandardAnalyzer
from whoosh.qparser import QueryParser

from regclean.search import BigramTokenizer

DOCS = {
    "A": "温州市行政许可事项管理办法 温政发〔2004〕12号 为规范行政许可事项的办理，制定本办法。",
    "B": "关于加强许可证管理的通知 温政办〔2010〕3号 市人民政府各部门应当加强许可证的发放管理。",
    "C": "关于做好人民政府信息公开工作的意见 浙政办发〔2015〕7号 各级人民政府应当主动公开政府信息。",
    "D": "杭州市人民政府关于2004年度行政许可清理的决定 浙政发〔2012〕2004号 经市人民政府同意。",
    "E": "关于推进5G网络建设和PM2.5防治工作的通知 国办发〔2019〕5号 加快5G基站建设，降低PM2.5浓度。",
    "F": "温州市行政许可监督检查办法 温政发〔2006〕8号 对行政许可事项实施监督检查，市人民政府统一领导。",
}
QUERIES = ["许可", "行政许可", "行政许可事项", '"行政许可事项"', "许可证", "市人民政府", "人民政府",
           "PM2.5", "5G", "2004", "温政发", "温政发 2004 12"]  # fmt: skip


def analyzers() -> dict[str, object]:
    found: dict[str, object] = {
        "regclean bigram": BigramTokenizer(),
        "whoosh standard": StandardAnalyzer(),
    }
    try:
        from jieba.analyse import ChineseAnalyzer

        found["jieba"] = ChineseAnalyzer()
    except ImportError:
        print("jieba: not installed, not measured")
    return found


def build(folder: Path, analyzer: object, texts: list[str]) -> float:
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(analyzer=analyzer))
    ix = index.create_in(str(folder), schema)
    start = time.perf_counter()
    writer = ix.writer(limitmb=256)
    for n, text in enumerate(texts):
        writer.add_document(id=str(n), text=text)
    writer.commit()
    return time.perf_counter() - start


def recall(analyzer: object) -> dict[str, str]:
    folder = Path(tempfile.mkdtemp())
    try:
        build(folder, analyzer, list(DOCS.values()))
        ix = index.open_dir(str(folder))
        keys = list(DOCS)
        out = {}
        with ix.searcher() as searcher:
            parser = QueryParser("text", ix.schema)
            for q in QUERIES:
                hits = searcher.search(parser.parse(q), limit=None)
                out[q] = "".join(sorted(keys[int(h["id"])] for h in hits)) or "-"
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"# analyzer comparison, {args.size} documents, {args.runs} runs (medians)")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    chosen = analyzers()
    table = {name: recall(analyzer) for name, analyzer in chosen.items()}
    print("\n| query | " + " | ".join(chosen) + " |")
    print("|---|" + "---|" * len(chosen))
    for q in QUERIES:
        print(f"| `{q}` | " + " | ".join(table[name][q] for name in chosen) + " |")
    texts = [f"{r['title']} {r['doc_number']} {r['full_text']}" for r in corpus.records(args.size)]
    print("\n| analyzer | build docs/s | index MB | query ms (median of 12 queries) |")
    print("|---|---|---|---|")
    for name, analyzer in chosen.items():
        folder = Path(tempfile.mkdtemp())
        try:
            seconds = statistics.median(build(Path(tempfile.mkdtemp(dir=folder)), analyzer, texts)
                                        for _ in range(args.runs))  # fmt: skip
            last = sorted(folder.iterdir())[-1]
            size = sum(f.stat().st_size for f in last.iterdir()) / 1e6
            ix = index.open_dir(str(last))
            with ix.searcher() as searcher:
                qp = QueryParser("text", ix.schema)
                times = []
                for q in QUERIES:
                    parsed = qp.parse(q)
                    start = time.perf_counter()
                    searcher.search(parsed, limit=20)
                    times.append((time.perf_counter() - start) * 1000)
            print(
                f"| {name} | {args.size / seconds:.0f} | {size:.0f} | {statistics.median(times):.2f} |"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
