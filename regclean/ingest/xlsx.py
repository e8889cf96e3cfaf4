"""XLSX workbooks, streamed a row at a time, judged by what they unpack to."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from .columns import HEADER_SCAN_ROWS, Table, _cell_text, _table_from_rows


def read_xlsx(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """The first worksheet of an XLSX workbook. Merged header cells are filled from their first
    cell; a second header row under merged cells is joined to the first (发布 + 日期)."""
    try:
        import openpyxl  # openpyxl loads only for a workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ValidationError([Problem("reading .xlsx needs openpyxl", str(path))]) from None
    # judged by what it unpacks to, not by its compressed size: a 1 MB file can hold 10 million
    # cells; every workbook is then read streaming, a row at a time
    _unpacked_size(path)

    def open_sheet(read_only: bool) -> Any:
        try:
            book = openpyxl.load_workbook(path, read_only=read_only, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(
                [Problem(f"not a readable .xlsx workbook: {exc}", str(path))]
            ) from None
        sheet = book.worksheets[0]
        if read_only:  # rows as the sheet holds them, not as its <dimension> claims (some
            sheet.reset_dimensions()  # streaming writers leave it stale: A1, or A1:D3)
        return book, sheet

    book, sheet = open_sheet(read_only=True)
    head = [
        list(r)
        for _, r in zip(range(HEADER_SCAN_ROWS), sheet.iter_rows(values_only=True), strict=False)
    ]
    part = getattr(sheet, "_worksheet_path", "")
    merges, hidden = _sheet_facts(path, part, head)
    book.close()
    if hidden:  # a row the clerk cannot see is not imported behind their back
        raise ValidationError(
            [
                Problem(
                    "hidden in the workbook: unhide the row to import it, or delete it",
                    f"{path.name}, row {n}",
                )
                for n in hidden[:20]
            ]
        )

    def merged_header(index: int, cells: list[Any]) -> list[Any]:
        return [
            merges.get((index + 1, col + 1), value) if value in (None, "") else value
            for col, value in enumerate(cells)
        ]

    def rows(skip: int) -> Iterator[tuple[str, list[Any]]]:
        book, sheet = open_sheet(read_only=True)
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > skip and any(_cell_text(c) for c in cells):
                    yield f"row {number}", list(cells)
        finally:
            book.close()

    return _table_from_rows(path, head, rows, overrides, merged_header)


def sheet_rows(path: Path) -> Iterator[tuple[str, list[Any]]]:
    """Every non-empty row of a workbook's first sheet, as (row N, cell texts), streamed, after
    the same checks as :func:`read_xlsx` (what it unpacks to; no hidden row)."""
    try:
        import openpyxl  # openpyxl loads only for a workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ValidationError([Problem("reading .xlsx needs openpyxl", str(path))]) from None
    _unpacked_size(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            [Problem(f"not a readable .xlsx workbook: {exc}", str(path))]
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        head = [
            list(r)
            for _, r in zip(
                range(HEADER_SCAN_ROWS), sheet.iter_rows(values_only=True), strict=False
            )
        ]
        _merges, hidden = _sheet_facts(path, getattr(sheet, "_worksheet_path", ""), head)
        if hidden:
            raise ValidationError(
                [
                    Problem(
                        "hidden in the workbook: unhide the row to import it, or delete it",
                        f"{path.name}, row {n}",
                    )
                    for n in hidden[:20]
                ]
            )
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(_cell_text(c) for c in cells):
                yield f"row {number}", [_cell_text(c) for c in cells]
    finally:
        book.close()


MAX_UNPACKED = 512 * 2**20  # what a workbook may unpack to
MAX_RATIO = 200  # how much one part may expand (a shared-strings bomb expands thousands of times)
# a large part is held to less: real sheets expand 10-20-fold (a 100,000-row sheet about 17), and
# a 1.2 MB file that unpacks a sheet to 214 MB (178-fold) took a minute to read
LARGE_PART = 50 * 2**20
LARGE_RATIO = 100


def _unpacked_size(path: Path) -> int:
    """What a workbook unpacks to; ValidationError for a zip bomb or a file that is no zip."""

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(
            [Problem(f"not a readable .xlsx workbook: {exc}", str(path))]
        ) from None
    total = sum(p.file_size for p in parts)
    swollen = [
        p.filename
        for p in parts
        if (p.file_size > 2**20 and p.file_size > MAX_RATIO * max(p.compress_size, 1))
        or (p.file_size > LARGE_PART and p.file_size > LARGE_RATIO * max(p.compress_size, 1))
    ]
    if total > MAX_UNPACKED or swollen:
        ratios = {p.filename: p.file_size // max(p.compress_size, 1) for p in parts}
        what = (
            ", ".join(f"its part {name} expands {ratios[name]}-fold" for name in swollen)
            if swollen
            else f"it unpacks to {total:,} bytes"
        )
        raise ValidationError(
            [
                Problem(
                    f"refused: {what}, beyond what a spreadsheet holds (a compression bomb?)",
                    str(path),
                )
            ]
        )
    return total


def _sheet_facts(
    path: Path, part: str, head: list[list[Any]]
) -> tuple[dict[tuple[int, int], Any], list[int]]:
    """What the worksheet's XML says beyond its cells, in one pass a row at a time (bounded
    memory): (row, column) -> the value of the merged range it belongs to (1-based), for the
    ranges that start in the header rows ``head`` (``<mergeCell ref="A1:C1"/>``, after the rows);
    and the rows that are hidden and hold a value."""

    from lxml import etree  # lxml loads only to read a workbook's parts
    from openpyxl.utils.cell import range_boundaries  # openpyxl loads only for a workbook

    if not part:
        return {}, []
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    values: dict[tuple[int, int], Any] = {}
    hidden: list[int] = []
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
            for _, element in etree.iterparse(
                xml,
                events=("end",),
                tag=(f"{ns}row", f"{ns}mergeCell"),
                resolve_entities=False,
                no_network=True,
            ):
                if element.tag == f"{ns}mergeCell":
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                    if min_row <= len(head) and max_row - min_row < 100 and max_col - min_col < 500:
                        row = head[min_row - 1]
                        value = row[min_col - 1] if min_col <= len(row) else None
                        for r in range(min_row, min(max_row, len(head)) + 1):
                            for c in range(min_col, max_col + 1):
                                values[(r, c)] = value
                elif element.get("hidden") in ("1", "true") and (
                    element.find(f".//{ns}v") is not None or element.find(f".//{ns}t") is not None
                ):
                    hidden.append(int(element.get("r") or 0))
                element.clear()
                while element.getprevious() is not None:  # the rows read so far
                    del element.getparent()[0]
    except (KeyError, OSError, ValueError, TypeError, etree.Error, zipfile.BadZipFile):
        return values, hidden  # a sheet without readable merges reads as unmerged
    return values, hidden
