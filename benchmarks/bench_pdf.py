"""Reading a decision printed to PDF: regclean's PDF reader against poppler's pdftotext.

    python benchmarks/bench_pdf.py --size 200000 --runs 3

The seeded decision of bench_reader.py (about ``--size`` bytes of text), printed to PDF by
LibreOffice (headless), is read in one run by:

- ``pdftotext``: poppler's command (``-layout``), the peer: text only, lines as the page has them;
- ``pdf_text``: :func:`regclean.ingest.pdf.pdf_text` (pdfminer.six, lines unwrapped, tables
  rebuilt);
- ``import``: ``Registry.import_file(dry_run=True)`` of the PDF (the text read and decided).

Medians of the runs, with the machine and the page count. Needs LibreOffice and poppler-utils
(.ci/run installs both). The PDF is made in a scratch folder, never committed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reader import decision

from regclean import Registry
from regclean.ingest.pdf import pdf_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        text = folder / "决定.txt"
        text.write_text(decision(args.size), encoding="utf-8")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                        str(text)], check=True, capture_output=True, timeout=600)  # fmt: skip
        pdf = text.with_suffix(".pdf")
        size = pdf.stat().st_size
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = next(
            (line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?"
        )
        timings: dict[str, list[float]] = {"pdftotext": [], "pdf_text": [], "import": []}
        registry = Registry.init(folder / "reg")
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(["pdftotext", "-layout", str(pdf), str(folder / "peer.txt")], check=True)
            timings["pdftotext"].append(time.perf_counter() - start)
            start = time.perf_counter()
            read = pdf_text(pdf)
            timings["pdf_text"].append(time.perf_counter() - start)
            start = time.perf_counter()
            report = registry.import_file(pdf, dry_run=True)
            timings["import"].append(time.perf_counter() - start)
        registry.close()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"PDF: {size:,} bytes, {pages} pages, "
          f"{len(read.splitlines()):,} lines read, {report.added:,} rows")  # fmt: skip
    peer = statistics.median(timings["pdftotext"])
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"{name:<10} median {median:.2f} s of {args.runs} (×{median / peer:.1f} pdftotext)")


if __name__ == "__main__":
    main()
