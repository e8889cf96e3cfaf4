"""HTML pages: their catalog tables, or the decision or page of one document in their text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from .columns import (
    HEADER_SCAN_ROWS,
    Grid,
    Table,
    _catalog_outcome,
    _joined_tables,
    detect_encoding,
    find_header,
)
from .decision import _published_table

_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _safe_html(path: Path, data: bytes | None = None) -> Any:
    """Parse a page (``data``, else the file's bytes) with no network, no DTD and no entity
    expansion, in its declared charset (else UTF-8 or GB18030, whichever decodes)."""
    from lxml import etree, html  # 70 ms: loaded only when a page is read

    if data is None:
        data = path.read_bytes()
        undeclared = "utf-8" if detect_encoding(path) == "utf-8-sig" else "gb18030"
    else:
        try:
            data.decode("utf-8")
            undeclared = "utf-8"
        except UnicodeDecodeError:
            undeclared = "gb18030"
    declared = _CHARSET.search(data[:4096])
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if encoding in ("gb2312", "gbk", "gb18030", "x-gbk") else encoding
    else:
        encoding = undeclared
    try:
        parser = html.HTMLParser(
            encoding=encoding, no_network=True, remove_comments=True, huge_tree=False
        )
    except LookupError:
        parser = html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    try:
        return html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, LookupError) as exc:
        raise ValidationError([Problem(f"not a readable HTML page: {exc}", str(path))]) from None


_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "blockquote", "pre", "td", "th", "dd", "dt")  # fmt: skip


def _text_with_lines(root: Any) -> str:
    """The page's text with a line break after every block (a paragraph is a line)."""
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


def read_html(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """Catalog tables on an HTML page (every table whose header names a title column), or, if
    there are none, the decision or list of rules in its text. A table whose heading names a
    catalog of one outcome (附件1 废止的规范性文件目录) gives that outcome to its rows."""
    tables, text, titles = _html_parts(path, overrides)
    if not tables:
        return _published_table(path, text)
    return _joined_tables(path, tables, overrides, titles, text)


def _html_parts(
    path: Path, overrides: Mapping[str, str] | None, data: bytes | None = None
) -> tuple[list[Grid], str, tuple[str, ...]]:
    """A page's catalog tables, its text with its lines, and its headings (of ``data`` when
    given: an HTML part inside another file, such as a Word file's embedded chunk)."""
    root = _safe_html(path, data)
    if root is None:
        raise ValidationError([Problem("empty HTML page", str(path))])
    tables = []
    for number, table in enumerate(root.iter("table"), start=1):
        grid = _grid(table, path, number)
        try:
            index = find_header(path, grid[:HEADER_SCAN_ROWS], overrides)
        except ValidationError:
            continue
        tables.append(Grid(number, grid, index, _heading_before(table)))
    titles = tuple(
        " ".join(e.text_content().split())
        for e in root.iter("h1", "h2", "h3", "title", "caption")
        if e.text_content().strip()
    )[:6]
    return tables, _text_with_lines(root), titles


def _heading_before(table: Any) -> str | None:
    """The outcome a table's heading names: the nearest text before it (its own caption, the
    elements before it, or before its parent) that names a catalog of one outcome."""
    caption = table.find("caption")
    if caption is not None and _catalog_outcome(caption.text_content()):
        return _catalog_outcome(caption.text_content())
    for anchor in (table, table.getparent()):
        if anchor is None:
            continue
        for seen, element in enumerate(anchor.itersiblings(preceding=True)):
            if seen >= 3 or element.tag == "table":
                break
            found = _catalog_outcome(" ".join(element.text_content().split()))
            if found:
                return found
    return None


MAX_COLUMNS = 500  # a catalog has a dozen; more is a hostile or broken file
MAX_CELLS = 2_000_000  # cells of one table once its spans are expanded


def _grid(table: Any, path: Path | None = None, number: int = 0) -> list[list[str]]:
    """A table's cells as a grid, colspan and rowspan expanded, within bounds (a few cells with
    large spans must not expand to millions)."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    cells = 0
    for r, tr in enumerate(table.iter("tr")):
        row: list[str] = []
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            text = " ".join(cell.text_content().split())
            span = _int(cell.get("colspan"))
            down = _int(cell.get("rowspan"))
            cells += span * down
            if col + span > MAX_COLUMNS or cells > MAX_CELLS or len(pending) > MAX_CELLS:
                raise ValidationError(
                    [
                        Problem(
                            f"table {number} is too large once its spans are expanded (more than "
                            f"{MAX_COLUMNS} columns or {MAX_CELLS:,} cells)",
                            str(path or ""),
                        )
                    ]
                )
            for _ in range(span):
                row.append(text)
                for extra in range(1, down):
                    pending[(r + extra, col)] = text
                col += 1
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        grid.append(row)
    return grid


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1
