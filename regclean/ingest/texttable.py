"""Tables printed as text: cells between ``|`` marks, as law databases print the tables of old
gazettes and as Markdown writes them. A cell too long for its column wraps onto the next printed
rows, whose first cell (the 序号) is blank; those rows continue the row above, cell by cell::

    |1 |国务院关于供应出|1965年11月11日|〔1965〕国物字394|已被…
    |  |口商品统一作价办|发布          |号               |国发〔1979〕206号文
    |  |法的暂行规定    |              |                 |…

reads as one row: 国务院关于供应出口商品统一作价办法的暂行规定, 1965年11月11日发布,
〔1965〕国物字394号.

    >>> grids = text_tables(Path("t.txt"), "|序号|文件名称|文号|\\n|1|甲市乙|甲发〔2001〕1号|\\n| |办法| |")
    >>> grids[0].cells[1]
    ['1', '甲市乙办法', '甲发〔2001〕1号']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import ValidationError
from .columns import HEADER_SCAN_ROWS, Grid, _catalog_outcome, find_header

_ROW = re.compile(r"^\s*\|(?P<cells>.*\|)\s*$")
_RULE = re.compile(r"^[\s|:：\-—=+]*$")  # |---|:--| a Markdown table's rule


def _cells(line: str) -> list[str] | None:
    found = _ROW.match(line)
    if found is None or found.group("cells").count("|") < 2:
        return None
    return [cell.strip() for cell in found.group("cells").split("|")[:-1]]


def _joined(above: str, below: str) -> str:
    """A wrapped cell's parts, joined without a space between Chinese characters."""
    if not above or not below:
        return above or below
    wide = re.match(r"[\u3400-\u9fff〔〕（）《》、，。：]", below[0]) or re.search(
        r"[\u3400-\u9fff〔〕（）《》、，。：]$", above
    )
    return above + below if wide else f"{above} {below}"


def text_tables(path: Path, text: str, overrides: Mapping[str, str] | None = None) -> list[Grid]:
    """The catalog tables a text prints between ``|`` marks: each block of such lines whose
    header names a title column, wrapped cells joined; a table headed by a catalog title that
    states one outcome (废止的…目录) gives that outcome to its rows."""
    blocks: list[tuple[str | None, list[list[str]]]] = []
    before: list[str] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        cells = _cells(line)
        if cells is None:
            if rows:
                blocks.append((_heading(before), rows))
                rows, before = [], []
            if line.strip():
                before = [*before, line.strip()][-3:]
            continue
        if _RULE.match(line):
            continue
        if rows and not cells[0] and any(cells) and len(rows) > 1:
            above = rows[-1]  # a wrapped row: its cells continue the row above
            above.extend([""] * (len(cells) - len(above)))
            for at, part in enumerate(cells):
                above[at] = _joined(above[at], part)
            continue
        rows.append(cells)
    if rows:
        blocks.append((_heading(before), rows))
    grids = []
    for number, (outcome, grid) in enumerate(blocks, start=1):
        try:
            header = find_header(path, grid[:HEADER_SCAN_ROWS], overrides)
        except ValidationError:
            continue
        grids.append(Grid(number, grid, header, outcome))
    return grids


def _heading(lines: list[str]) -> str | None:
    """The outcome the nearest lines before a table name (附件1：废止的规范性文件目录)."""
    return next((found for line in reversed(lines) if (found := _catalog_outcome(line))), None)
