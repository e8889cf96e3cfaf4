"""Word documents: their catalog tables under headings, or the decision in their paragraphs."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem, ValidationError
from .columns import HEADER_SCAN_ROWS, Grid, Table, _catalog_outcome, _joined_tables, find_header
from .decision import _published_table


def read_docx(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """A Word document: its tables whose header names a title column (the annexed catalogs of a
    决定, each taking the outcome its heading names), or else the decision or list of rules in
    its paragraphs (python-docx)."""
    tables, lines = _docx_parts(path, overrides)
    text = "\n".join(lines)
    if not tables:
        return _published_table(path, text)
    return _joined_tables(path, tables, overrides, tuple(lines[:6]), text)


def _docx_parts(path: Path, overrides: Mapping[str, str] | None) -> tuple[list[Grid], list[str]]:
    """A Word document's catalog tables, and its paragraphs' lines."""

    from docx import Document  # python-docx loads only for a Word file
    from docx.opc.exceptions import PackageNotFoundError  # python-docx loads only for a Word file
    from docx.table import Table as WordTable  # python-docx loads only for a Word file
    from docx.text.paragraph import Paragraph  # python-docx loads only for a Word file

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError([Problem(f"not a readable .docx file: {exc}", str(path))]) from None
    lines: list[str] = []
    tables = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rpartition("}")[2]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            if text:
                lines.append(text)
        elif tag == "tbl":
            grid = [
                [cell.text.strip() for cell in row.cells] for row in WordTable(child, document).rows
            ]
            try:
                index = find_header(path, grid[:HEADER_SCAN_ROWS], overrides)
            except ValidationError:
                continue
            heading = next(
                (_catalog_outcome(line) for line in reversed(lines[-3:]) if _catalog_outcome(line)),
                None,
            )
            tables.append(Grid(len(tables) + 1, grid, index, heading))
    return tables, lines
