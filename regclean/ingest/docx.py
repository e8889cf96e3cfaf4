"""Word documents: their catalog tables under headings, or the decision in their paragraphs."""

from __future__ import annotations

import email
import email.policy
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem, ValidationError
from .columns import HEADER_SCAN_ROWS, Grid, Table, _catalog_outcome, _joined_tables, find_header
from .decision import _published_table
from .html import _html_parts

# what a Word file may embed for Word to render in its place (an altChunk): a web page, a web
# archive (.mht) holding one, or plain text; the rest (RTF, another Word file) is named and refused
_HTML_CHUNK = ("text/html", "application/xhtml+xml")
_MHT_CHUNK = ("message/rfc822", "multipart/related")
MAX_CHUNK = 64 * 2**20  # bytes of one embedded chunk; a larger one is refused


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
        elif tag == "altChunk":
            chunk_tables, chunk_lines = _alt_chunk(path, document, child, overrides)
            for grid in chunk_tables:
                tables.append(Grid(len(tables) + 1, grid.cells, grid.header_row, grid.outcome))
            lines += chunk_lines
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


def _alt_chunk(
    path: Path, document: object, element: object, overrides: Mapping[str, str] | None
) -> tuple[list[Grid], list[str]]:
    """The catalog tables and lines of a chunk a Word file embeds for Word to render in its
    place (w:altChunk): web tools that "export to Word" put the whole text there, leaving the
    document's own paragraphs empty."""
    rid = element.get(  # type: ignore[attr-defined]
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", ""
    )
    part = document.part.related_parts.get(rid)  # type: ignore[attr-defined]
    if part is None:
        raise ValidationError([Problem(f"an embedded chunk ({rid}) is missing", str(path))])
    blob, kind = part.blob, part.content_type.lower()
    if len(blob) > MAX_CHUNK:
        raise ValidationError(
            [Problem(f"an embedded chunk is larger than {MAX_CHUNK:,} bytes", str(path))]
        )
    if kind in _MHT_CHUNK or part.partname.lower().endswith((".mht", ".mhtml")):
        blob, kind = _mht_page(path, blob), "text/html"
    if kind in _HTML_CHUNK or part.partname.lower().endswith((".htm", ".html", ".xhtml")):
        tables, text, _ = _html_parts(path, overrides, blob)
        return tables, [line.strip() for line in text.splitlines() if line.strip()]
    if kind == "text/plain" or part.partname.lower().endswith(".txt"):
        text = blob.decode("utf-8", errors="replace")
        return [], [line.strip() for line in text.splitlines() if line.strip()]
    raise ValidationError(
        [
            Problem(
                f"its text is in an embedded part of type {kind} ({part.partname}), which "
                "regclean does not read: open it in Word or WPS and save it as .docx again",
                str(path),
            )
        ]
    )


def _mht_page(path: Path, blob: bytes) -> bytes:
    """The web page a web archive (.mht, MIME multipart/related) holds: its first HTML part,
    decoded from its transfer encoding."""
    message = email.message_from_bytes(blob, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() in _HTML_CHUNK:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                if charset and b"charset" not in payload[:4096].lower():
                    payload = payload.decode(charset, errors="replace").encode("utf-8")
                return payload
    raise ValidationError([Problem("an embedded web archive holds no HTML page", str(path))])
