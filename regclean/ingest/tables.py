"""Reading what departments send into rows of named cells, one module per format.

Every reader streams: a table is read again for each pass instead of being held in memory, so
memory stays flat as files grow. Formats: CSV (:mod:`.csvfile`), XLSX (:mod:`.xlsx`), JSON
Lines (:mod:`.jsonl`), HTML (:mod:`.html`), Word (:mod:`.docx`), PDF (:mod:`.pdf`), the older
Office formats (:mod:`.legacy`) and decision-like text
(:mod:`.decision`, read by :mod:`.published`); the column mapping is :mod:`.columns`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import Problem, ValidationError
from .columns import Table
from .csvfile import read_csv
from .decision import _read_text, read_text
from .docx import _docx_parts, read_docx
from .html import _html_parts, read_html
from .jsonl import read_jsonl
from .legacy import converted, read_doc, read_xls
from .pdf import pdf_text, read_pdf
from .texttable import text_tables
from .xlsx import read_xlsx

READERS: dict[str, Callable[[Path, Mapping[str, str] | None], Table]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
    ".md": read_text,  # a law collection's Markdown export: # title, <!-- … --> notes
    ".docx": read_docx,
    ".pdf": read_pdf,  # the text a PDF holds, its lines unwrapped
    ".doc": read_doc,  # Word 97-2003, as LibreOffice converts it
    ".xls": read_xls,  # Excel 97-2003, as LibreOffice converts it
}


def read_table(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """Read any supported file; errors name the file."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValidationError(
            [Problem(f"unsupported file type (supported: {', '.join(READERS)})", str(path))]
        )
    if not path.is_file():
        raise ValidationError([Problem("no such file", str(path))])
    return reader(path, overrides)


def document_text(path: Path) -> str | None:
    """The text a decision-like file is read from (a .txt; a page or Word file without catalog
    tables), or None for a file read as a table."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        text = _read_text(path)
        return None if text_tables(path, text) else text
    if suffix in (".html", ".htm"):
        tables, text, _ = _html_parts(path, None)
        return None if tables else text
    if suffix == ".docx":
        tables, lines = _docx_parts(path, None)
        return None if tables else "\n".join(lines)
    if suffix == ".doc":
        tables, lines = _docx_parts(converted(path), None)
        return None if tables else "\n".join(lines)
    if suffix == ".pdf":
        text = pdf_text(path)
        return None if text_tables(path, text) else text
    return None
