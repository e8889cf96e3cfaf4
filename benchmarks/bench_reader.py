"""Reading a large published decision: regclean's structural reader against a floor.

    python benchmarks/bench_reader.py --size 1000000 --runs 5

A seeded decision text of about ``--size`` bytes (a title, headings of every outcome, items led
by the title or by the verb, amendment blocks, summary lines, citations, a closing and a
signature) is read three ways in one run:

- ``floor``: the lines split and each matched against one compiled pattern (what any reader
  costs at least);
- ``reading``: :func:`regclean.ingest.published.reading` (lines, metadata, items, counts,
  annexes, the script kept);
- ``explain``: the same and every line classified (``regclean import --explain``).

The target (#22): a 1 MB decision reads in under 2 s. Medians of the runs, with the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import time
from pathlib import Path

from regclean.dates import chinese_numeral
from regclean.ingest.explain import explain_reading
from regclean.ingest.published import reading

VERBS = ["废止", "宣布失效", "修改"]
HEADINGS = ["对下列规章予以废止：", "对下列规范性文件宣布失效：", "对下列规章作出修改："]


def decision(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["甲省人民政府关于修改和废止部分省政府规章的决定", "甲省人民政府令第300号",
             "《甲省人民政府关于修改和废止部分省政府规章的决定》已经2024年3月1日省政府第9次常务会议通过，现予公布。"]  # fmt: skip
    n = 0
    section = 0
    written = 0
    while written < size:
        section += 1
        kind = rng.randrange(3)
        lines.append(f"{chinese_numeral(section)}、{HEADINGS[kind]}")
        for item in range(1, rng.randrange(20, 60)):
            before = len(lines)
            n += 1
            title = f"甲省{rng.choice('东南西北中')}部{n}号管理办法"
            shape = rng.randrange(5)
            if shape == 0:
                lines.append(
                    f"{item}.《{title}》（2001年3月{n % 28 + 1}日甲省人民政府令第{n}号发布）"
                )
            elif shape == 1:
                lines.append(
                    f"{item}.{VERBS[kind]}《{title}》（2003年5月1日甲省人民政府令第{n}号发布）"
                )
            elif shape == 2:
                lines.append(f"{item}.对《{title}》作如下修改：")
                lines += [f"（{i}）将第{i}条修改为：“……”" for i in range(1, 4)]
            elif shape == 3:
                lines.append(f"根据《甲省条例{n}》的规定，结合本省实际。")
            else:
                lines.append(f"{item}.删去《{title}》第七条。")
            written += sum(len(line.encode("utf-8")) + 1 for line in lines[before:])
    lines += ["本决定自公布之日起施行。", "甲省人民政府", "2024年3月15日"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = decision(args.size)
    path = Path("bench-decision.txt")
    pattern = re.compile(
        r"^(?:[一二三四五六七八九十]+、|\d+[.．、]|[（(]\d+[）)])?\s*(?:《[^》]+》|[^《]+)"
    )
    timings: dict[str, list[float]] = {"floor": [], "reading": [], "explain": []}
    for _ in range(args.runs):
        start = time.perf_counter()
        found = sum(1 for line in text.splitlines() if pattern.match(line.strip()))
        timings["floor"].append(time.perf_counter() - start)
        start = time.perf_counter()
        read = reading(path, text)
        timings["reading"].append(time.perf_counter() - start)
        start = time.perf_counter()
        explained = explain_reading(path, reading(path, text))
        timings["explain"].append(time.perf_counter() - start)
    size = len(text.encode("utf-8"))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"text: {size:,} bytes, {len(text.splitlines()):,} lines, {len(read.items):,} items, "
          f"{found:,} lines matched by the floor; {len(explained.lines):,} lines explained")  # fmt: skip
    floor = statistics.median(timings["floor"])
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"{name:<8} median {median:.3f} s of {args.runs} (×{median / floor:.0f} the floor)")


if __name__ == "__main__":
    main()
