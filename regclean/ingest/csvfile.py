"""CSV files, in UTF-8 (with or without BOM) or GB18030, as Chinese Excel writes them."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from .columns import HEADER_SCAN_ROWS, Table, _table_from_rows, detect_encoding


def read_csv(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """A CSV file in UTF-8 (with or without BOM) or GB18030; the header is found, not assumed."""
    encoding = detect_encoding(path)

    def lines() -> Iterator[list[str]]:
        try:
            with path.open(encoding=encoding, newline="") as handle:
                yield from csv.reader(handle)
        except UnicodeDecodeError as exc:
            raise ValidationError(
                [Problem(f"invalid {encoding} text at byte {exc.start}", str(path))]
            ) from None
        except csv.Error as exc:
            raise ValidationError([Problem(f"not valid CSV: {exc}", str(path))]) from None

    head = []
    for row in lines():
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS:
            break

    def rows(skip: int) -> Iterator[tuple[str, list[Any]]]:
        for number, cells in enumerate(lines(), start=1):
            if number > skip and any(c.strip() for c in cells):
                yield f"row {number}", cells

    return _table_from_rows(path, head, rows, overrides)
