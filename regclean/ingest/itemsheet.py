"""A sheet of items inside documents (证明事项, 罚款事项 ...) that a thematic campaign decides: CSV
or XLSX, one item a row, its columns found by their header words (文号/文件, 事项名称, 条款, 内容,
清理结果, 理由)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..items import column_of
from .columns import HEADER_SCAN_ROWS, detect_encoding
from .xlsx import sheet_rows


def _csv_rows(path: Path) -> Iterator[tuple[str, list[Any]]]:
    encoding = detect_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            for number, cells in enumerate(csv.reader(handle), start=1):
                if any(c.strip() for c in cells):
                    yield f"row {number}", cells
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [Problem(f"invalid {encoding} text at byte {exc.start}", str(path))]
        ) from None
    except csv.Error as exc:
        raise ValidationError([Problem(f"not valid CSV: {exc}", str(path))]) from None


def read_items(path: Path) -> list[dict[str, Any]]:
    """The rows of a sheet of items, each a dict of fields (ref, name, article, text, kind,
    outcome, reason, basis) with ``row`` naming where it stands; ValidationError naming the
    file when no header row names both the document and the item."""
    return read_rows(
        path, column_of, {"ref", "name"}, "the document (文号 or 文件) and the item (事项名称)"
    )


def read_rows(
    path: Path, field_of: Callable[[str], str | None], needed: set[str], needs: str
) -> list[dict[str, Any]]:
    """The rows of a sheet (CSV or XLSX) under the first header row that names the ``needed``
    fields (``field_of`` maps a header word to a field), each a dict with ``row`` naming where it
    stands; ValidationError naming the file when no such header is found."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ValidationError([Problem("no such file", str(path))])
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError([Problem("a sheet of items is .csv or .xlsx", str(path))])
    rows = _csv_rows(path) if suffix == ".csv" else sheet_rows(path)
    columns: dict[int, str] | None = None
    out = []
    for scanned, (where, cells) in enumerate(rows, start=1):
        if columns is None:
            found = {n: field_of(str(c)) for n, c in enumerate(cells)}
            found = {n: f for n, f in found.items() if f}
            if needed <= set(found.values()):
                columns = found
            elif scanned >= HEADER_SCAN_ROWS:
                break
            continue
        record = {
            field: str(cells[n]).strip() if n < len(cells) and cells[n] is not None else ""
            for n, field in columns.items()
        }
        out.append({"row": where.removeprefix("row "), **record})
    if columns is None:
        raise ValidationError([Problem(f"no header row names {needs}", str(path))])
    return out
