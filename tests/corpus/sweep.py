"""A sweep of the reader over a law collection nobody wrote expectations for: each file of a
checkout of LawRefBook/Laws (https://github.com/LawRefBook/Laws) imported into a fresh registry,
as a clerk would import it, and two fields compared with what the collection itself says of the
file: its title (the file's name, ``title(date).md``) and its kind (the folder it stands in: 行政
法规, 司法解释, 部门规章, a local regulation under DLC/…/地方性法规, and the folders of national laws).
Run by hand, the checkout outside the repository (it is not committed):

    python -m tests.corpus.sweep /path/to/Laws [--every N] [-v]

It measures breadth, not first sight: the collection is one site's layout, met in the batches.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from regclean import Registry, ValidationError
from regclean.errors import RegcleanError
from regclean.text import fold, fold_book_marks, fold_brackets

# the kind each top folder of the collection holds (the national laws' folders by field of law)
_LAW_FOLDERS = ("宪法", "宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法",
                "诉讼与非诉讼程序法")  # fmt: skip
_KINDS = {"行政法规": "行政法规", "司法解释": "司法解释", "部门规章": "部门规章"}
_NAME = re.compile(r"^(?P<title>.+?)\((?P<date>\d{4}-\d{2}-\d{2})\)$")
TODAY = "2026-12-01T09:00:00Z"


def expected_kind(relative: Path) -> str | None:
    top = relative.parts[0]
    if top in _KINDS:
        return _KINDS[top]
    if top in _LAW_FOLDERS:
        return "法律"
    if top == "DLC" and "地方性法规" in relative.parts:
        return "地方性法规"
    return None


def files(root: Path, every: int) -> list[tuple[Path, str, str | None]]:
    found = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        named = _NAME.match(path.stem)
        kind = expected_kind(relative)
        if named and kind:
            # the document's own title, its Markdown heading (the file's name may shorten it:
            # 上海市实施《义务教育法》办法 for …《中华人民共和国义务教育法》办法)
            heading = next(
                (line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.startswith("# ")),
                named.group("title"),
            )  # fmt: skip
            found.append((path, heading, kind))
    return found[::every]


def _key(text: str) -> str:
    # the collection names a national law or regulation without 中华人民共和国, as its files do
    key = fold_brackets(fold_book_marks(fold(text or ""))).replace(" ", "")
    return key.removeprefix("中华人民共和国")


def sweep(root: Path, every: int = 1) -> tuple[Counter[str], list[str]]:
    tally: Counter[str] = Counter()
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for n, (path, title, kind) in enumerate(files(root, every)):
            tally["documents"] += 1
            with Registry.init(Path(scratch) / str(n), clock=lambda: TODAY) as reg:
                try:
                    reg.import_file(path, by="sweep")
                except (ValidationError, RegcleanError) as exc:
                    tally["refused"] += 1
                    misses.append(f"refused {path.relative_to(root)}: {str(exc)[-100:]}")
                    continue
                found = list(reg.instruments())
                hit = next((i for i in found if _key(i.title) == _key(title)), None)
                if hit is None:
                    tally["title wrong"] += 1
                    misses.append(f"title {path.relative_to(root)}: {[i.title for i in found][:2]}")
                    continue
                tally["title right"] += 1
                if hit.kind.zh == kind:
                    tally["kind right"] += 1
                else:
                    misses.append(f"kind {path.relative_to(root)}: {hit.kind.zh} for {kind}")
    return tally, misses


if __name__ == "__main__":
    root = Path(sys.argv[1])
    every = int(sys.argv[sys.argv.index("--every") + 1]) if "--every" in sys.argv else 1
    tally, misses = sweep(root, every)
    n = tally["documents"]
    print(f"{n} files: title right {tally['title right']} ({tally['title right'] / max(n, 1):.0%}), "
          f"kind right {tally['kind right']} ({tally['kind right'] / max(n, 1):.0%}), "
          f"refused {tally['refused']}, title wrong {tally['title wrong']}")  # fmt: skip
    if "-v" in sys.argv:
        for line in misses:
            print("  " + line)
