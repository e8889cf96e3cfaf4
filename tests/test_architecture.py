"""The shape of the code, read from the code: imports point one way, and each technology is
touched by one place only (docs/architecture.md draws the same layers).

Every import of every module under ``regclean/`` counts, including those inside functions and
under ``if TYPE_CHECKING``. The checker is also run on small planted trees, so that each rule is
seen to fail when it is broken.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "regclean"

# Lower layers never import higher ones; a module may import its own layer and those below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "values",
        (
            "_version",
            "errors",
            "text",
            "vocab",
            "docnumber",
            "dates",
            "models",
            "fields",
            "config",
            "urls",
            "data",
            "processes",
            "events",
            "registration",
        ),
    ),
    ("store", ("store",)),
    (
        "rules",
        (
            "instruments",
            "decisions",
            "campaigns",
            "catalog",
            "search",
            "profiles",
            "screening",
            "concerns",
            "items",
            "filings",
            "evaluations",
            "comments",
            "plans",
        ),
    ),
    ("outputs", ("views", "verify", "backup", "export", "ingest", "publish", "catalogs", "papers")),
    ("facade", ("registry", "__init__")),
    ("programs", ("demo", "__main__")),
]
ONLY_HERE = {  # a technology, and the packages or modules that alone may import it
    "sqlite3": ("store",),
    "psycopg": ("store",),
    "whoosh": ("search.whoosh_engine",),
    "typer": (),
    "lxml": ("ingest.html", "ingest.xlsx", "papers.html", "publish"),  # HTML and XML
    "openpyxl": ("export", "ingest.xlsx", "papers.sheets"),  # spreadsheets
    "docx": ("ingest.docx", "papers.word"),  # Word
    "pdfminer": ("ingest.pdf",),  # PDF
    "opencc": ("text",),  # traditional characters
    "pypinyin": ("publish.issuers",),  # ordering by pinyin
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path) -> Iterator[str]:
    """Every module ``path`` imports, as an absolute dotted name (``from pkg import name``
    yields ``pkg.name`` when that is a module, else ``pkg``)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if _exists(candidate, root):
                    yield candidate


def _exists(dotted: str, root: Path) -> bool:
    path = root.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (ancestor packages left out:
    Python has imported them already)."""
    out: dict[str, set[str]] = {}
    top = root.name
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        ancestors = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 1)}
        if path.name == "__init__.py":
            ancestors.add(name)
        out[name] = {
            target
            for target in imports(path, root)
            if (target == top or target.startswith(top + ".")) and target not in ancestors
        }
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                group.append(item)
                if item == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer_of(module: str) -> int:
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    for number, (_, names) in enumerate(LAYERS):
        if first in names:
            return number
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Imports from a lower layer up to a higher one."""
    return sorted(
        f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
        for a, targets in edges.items()
        for b in targets
        if layer_of(b) > layer_of(a)
    )


def misplaced(root: Path) -> list[str]:
    """Imports of a technology outside the modules that alone may use it."""
    out = []
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        inside = name.split(".", 1)[1] if "." in name else "__init__"
        for target in imports(path, root):
            tech = target.split(".")[0]
            allowed = ONLY_HERE.get(tech)
            if allowed is not None and not any(
                inside == place or inside.startswith(place + ".") for place in allowed
            ):
                out.append(f"{name} imports {target}")
    return out


# -- the real package -------------------------------------------------------------------------


def test_no_import_cycles() -> None:
    assert cycles(graph(PACKAGE)) == []


def test_imports_point_down_the_layers() -> None:
    assert upward(graph(PACKAGE)) == []


def test_each_technology_is_imported_in_one_place_only() -> None:
    assert misplaced(PACKAGE) == []


def test_every_module_is_in_a_layer() -> None:
    for module in graph(PACKAGE):
        layer_of(module)


# -- each rule fails when broken --------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "regclean"
    for relative, text in {"__init__.py": "", **files}.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_a_planted_cycle_through_a_function_import_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "registry.py": "from . import campaigns\n",
        "campaigns.py": "def f():\n    from .registry import Registry\n",
        "store/__init__.py": "from .reads import Reader\n",
        "store/reads.py": "from ..models import Instrument\n",
        "models.py": "",
    })  # fmt: skip
    assert cycles(graph(root)) == [["regclean.campaigns", "regclean.registry"]]


def test_a_planted_upward_import_under_type_checking_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "search.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from .registry import Registry\n",
        "registry.py": "",
    })  # fmt: skip
    assert upward(graph(root)) == ["regclean.search (rules) imports regclean.registry (facade)"]


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        ("backup.py", "import sqlite3\n", "regclean.backup imports sqlite3"),
        ("views.py", "from whoosh import index\n", "regclean.views imports whoosh"),
        # the search package's other modules neither: whoosh is for a registry that uses it
        (
            "search/query.py",
            "def f():\n    import whoosh\n",
            "regclean.search.query imports whoosh",
        ),
        ("registry.py", "def f():\n    import typer\n", "regclean.registry imports typer"),
    ],
)
def test_a_planted_technology_import_is_found(
    tmp_path: Path, module: str, text: str, expected: str
) -> None:
    root = _tree(tmp_path, {module: text, "store/__init__.py": "import sqlite3\n",
                            "search/__init__.py": "", "search/whoosh_engine.py": "import whoosh\n"})  # fmt: skip
    assert misplaced(root) == [expected]


def test_every_type_the_registry_returns_or_raises_is_exported() -> None:
    """#27 item 5: what a public Registry method returns (and the publishing errors) can be
    named from ``regclean`` itself, without reaching into its modules."""
    import inspect
    import typing

    import regclean
    from regclean import Registry

    def named(hint: object) -> set[type]:
        args = typing.get_args(hint)
        if args:
            return set().union(*(named(a) for a in args))
        return {hint} if isinstance(hint, type) else set()

    from regclean import papers
    from regclean import registry as module
    from regclean.search.whoosh_engine import SearchIndex  # named only for type checkers there

    names = {**vars(module), "SearchIndex": SearchIndex, "PublishReport": regclean.PublishReport,
             "ImportReport": regclean.ImportReport, "papers": papers}  # fmt: skip
    returned: set[type] = set()
    for name, method in inspect.getmembers(Registry, predicate=inspect.isfunction):
        if not name.startswith("_"):
            returned |= named(typing.get_type_hints(method, names).get("return"))
    missing = sorted(t.__name__ for t in returned if t.__module__.startswith("regclean")
                     and getattr(regclean, t.__name__, None) is not t)  # fmt: skip
    assert missing == []
    for name in ("PublishError", "FindingsError", "PublishReport"):
        assert name in regclean.__all__ and getattr(regclean, name)


def test_every_public_registry_method_is_documented() -> None:
    """#27 item 6: each public call of the facade is named in docs/python-api.md (the commands
    are in docs/cli.md, which test_packaging keeps current)."""
    import inspect
    import re

    from regclean import Registry

    text = (PACKAGE.parent / "docs" / "python-api.md").read_text(encoding="utf-8")
    missing = [name for name, _ in inspect.getmembers(Registry)
               if not name.startswith("_") and not re.search(rf"\b{name}\b", text)]  # fmt: skip
    assert missing == []


def test_fmt_skip_stands_only_on_tables() -> None:
    """#27: the formatter is turned off for tables (a module's or a vocabulary's aligned
    literals), never for code."""
    loose = []
    for path in [*PACKAGE.rglob("*.py"), PACKAGE.parent / "cli.py"]:
        text = path.read_text(encoding="utf-8")
        if "# fmt: skip" not in text:
            continue
        tree = ast.parse(text)
        tables = [
            (node.lineno, node.end_lineno or node.lineno)
            for parent in ast.walk(tree)
            if isinstance(parent, ast.Module | ast.ClassDef)
            for node in parent.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            and isinstance(node.value, ast.Dict | ast.Tuple | ast.List | ast.Set | ast.Call)
        ]
        for number, line in enumerate(text.splitlines(), start=1):
            if line.rstrip().endswith("# fmt: skip") and not any(
                a <= number <= b for a, b in tables
            ):
                loose.append(f"{path.relative_to(PACKAGE.parent)}:{number}")
    assert loose == []
