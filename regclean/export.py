"""Spreadsheets back out: CSV (UTF-8 with BOM, Excel-safe), XLSX and JSON Lines.

The full export uses the Chinese column names import understands, so an exported file can be
edited and imported again. ``catalog=`` gives a catalog's own layout
(序号 | 文件名称 | 文号 | 发布日期 | 制定机关 | 理由) for departments that want their list back as a form.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import catalog as catalog_
from .errors import Problem, ValidationError
from .models import Decision, Instrument, status_from
from .store import Reader
from .text import xml_safe
from .views import decision_json, instrument_json
from .vocab import DecisionState, Outcome, Status

FORMATS = ("csv", "xlsx", "jsonl")
FULL_COLUMNS = (
    ("id", "id"), ("文件名称", "title"), ("文号", "doc_number"), ("类别", "kind_zh"),
    ("制定机关", "issuer"), ("责任单位", "department"), ("成文日期", "signed_on"),
    ("发布日期", "published_on"), ("施行日期", "effective_on"), ("失效日期", "expires_on"),
    ("有效期", "validity"), ("统一登记号", "registration_no"), ("索引号", "index_no"), ("网址", "source_url"), ("状态", "status_zh"),
    ("清理意见", "outcome_zh"), ("办理状态", "state_zh"), ("理由", "reason"), ("法律依据", "basis"),
    ("决定", "decision_title"), ("决定文号", "decision_doc"), ("决定生效日期", "decision_effective_on"),
)  # fmt: skip
CATALOG_COLUMNS = (
    ("序号", "n"), ("文件名称", "title"), ("文号", "doc_number"), ("发布日期", "date"),
    ("日期依据", "date_is_zh"), ("制定机关", "issuer"), ("理由", "reason"),
)  # fmt: skip
# What a reader of each catalog needs beside it: the deciding document and the day it took
# effect for what ended or changed; the validity period and expiry for what was kept.
DECIDED_COLUMNS = (("决定", "decision_title"), ("决定文号", "decision_doc"),
                   ("生效日期", "effective_on"))  # fmt: skip
KEPT_COLUMNS = (("有效期", "validity"), ("失效日期", "expires_on"))
DATE_IS = {"published": "发布日期", "signed": "成文日期（未见发布日期）"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = {
    "文件名称": 48,
    "理由": 40,
    "决定": 40,
    "制定机关": 22,
    "责任单位": 18,
    "文号": 22,
    "网址": 30,
}


def excel_safe(value: Any) -> str:
    """A cell a spreadsheet will neither run as a formula (= + - @ get a leading apostrophe)
    nor fail to store (characters XML cannot hold are left out): the one guard for every cell
    regclean writes to a spreadsheet."""
    text = "" if value is None else xml_safe(str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def export(
    reads: Reader,
    home: Path | None,
    path: str | Path,
    *,
    format: str | None = None,
    status: str | Status | Sequence[str | Status] | None = None,
    catalog: str | None = None,
) -> int:
    """Write instruments to ``path``; returns how many rows. The file appears whole or not at all.

    ``home`` is the registry's folder, whose own ``catalogs/`` may define the catalogs."""
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValidationError(
            [Problem(f"unknown export format (use {', '.join(FORMATS)})", str(path), "format", fmt)]
        )
    if catalog:
        listed = catalog_.named(catalog_.definitions(home), catalog)
        extra = KEPT_COLUMNS if listed.outcome is Outcome.KEEP else DECIDED_COLUMNS
        columns = CATALOG_COLUMNS + extra
        rows = (
            {**r, "date_is_zh": DATE_IS.get(r["date_is"] or "", "")}
            for r in catalog_.rows(reads, listed)
        )
    else:
        wanted = _statuses(status)
        columns, rows = FULL_COLUMNS, _full_rows(reads, wanted)
    writer = {"csv": _write_csv, "xlsx": _write_xlsx, "jsonl": _write_jsonl}[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        count = writer(Path(temp), columns, rows)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count


def _statuses(status: Any) -> set[Status] | None:
    if not status:
        return None
    values = [status] if isinstance(status, (str, Status)) else list(status)
    return {Status.parse(v) for v in values}


def _full_rows(reads: Reader, wanted: set[Status] | None) -> Iterator[dict[str, Any]]:
    today = reads.today()
    for instrument, decisions in reads.instruments_with_decisions():
        status = status_from(instrument, decisions, today)
        if wanted is not None and status not in wanted:
            continue
        yield _full_row(instrument, decisions, status)


def _full_row(instrument: Instrument, decisions: list[Decision], status: Status) -> dict[str, Any]:
    row = instrument_json(instrument, status)
    live = [d for d in decisions if d.state in (DecisionState.PROPOSED, DecisionState.APPROVED)]
    if live:
        d = decision_json(live[-1])
        row |= {
            "outcome_zh": d["outcome_zh"],
            "state_zh": d["state_zh"],
            "reason": live[-1].reason_text,
            "basis": d["basis"],
            "decision_title": d["decision_title"],
            "decision_doc": d["decision_doc"],
            "decision_effective_on": d["effective_on"],
        }
    return row


def _cells(columns: Sequence[tuple[str, str]], row: dict[str, Any]) -> list[str]:
    return ["" if row.get(key) is None else str(row.get(key)) for _, key in columns]


def _write_csv(
    path: Path, columns: Sequence[tuple[str, str]], rows: Iterator[dict[str, Any]]
) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([name for name, _ in columns])
        for row in rows:
            writer.writerow([excel_safe(c) for c in _cells(columns, row)])
            count += 1
    return count


def _write_jsonl(
    path: Path, columns: Sequence[tuple[str, str]], rows: Iterator[dict[str, Any]]
) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


def _write_xlsx(
    path: Path, columns: Sequence[tuple[str, str]], rows: Iterator[dict[str, Any]]
) -> int:
    from openpyxl import Workbook  # openpyxl loads only for a workbook
    from openpyxl.cell import WriteOnlyCell  # openpyxl loads only for a workbook
    from openpyxl.styles import Alignment, Font  # openpyxl loads only for a workbook
    from openpyxl.utils import get_column_letter  # openpyxl loads only for a workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("清理目录")
    sheet.freeze_panes = "A2"
    for index, (name, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(
            name, max(10, len(name) * 2 + 2)
        )
    bold = Font(bold=True)
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        cells = []
        for text in _cells(columns, row):
            # control characters cannot be stored in a worksheet: left out, not a crash
            cell = WriteOnlyCell(sheet, value=xml_safe(text))
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count
