"""Reading tabular files into rows of named cells, and mapping their headers to regclean fields."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import attrs

from ..errors import Problem, ValidationError
from ..text import fold

# Header words seen in real cleanup forms and catalogs, folded, -> regclean field.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "文件名称", "法规名称", "规章名称", "标题", "名称", "文件标题", "政策名称"),
    "doc_number": ("doc_number", "文号", "发文字号", "发文号", "文件编号", "令号", "编号"),
    "published_on": ("date", "published_on", "发布日期", "印发日期", "公布日期", "发文日期"),
    "signed_on": ("signed_on", "成文日期"),
    "effective_on": ("effective_on", "施行日期", "生效日期", "实施日期"),
    "expires_on": ("expires_on", "失效日期", "有效期至", "截止日期"),
    "validity": ("validity", "有效期"),
    "issuer": ("issuer", "制定机关", "发布机关", "发文机关", "发布机构", "制发机关", "起草单位"),
    "department": ("department", "责任单位", "实施部门", "实施单位", "主管部门", "清理单位"),
    "kind": ("kind", "类别", "文件类别", "文件类型", "类型"),
    "outcome": ("outcome", "清理意见", "处理意见", "清理结果", "清理结论", "审查意见"),
    "reason": ("reason", "理由", "废止理由", "说明", "备注", "清理理由", "失效理由", "修改理由"),
    "basis": ("basis", "法律依据", "依据"),
    "handler": ("handler", "经办人", "联系人"),
    "campaign": ("campaign", "清理批次"),
    "subject": ("subject", "主题分类", "主题"),
    "index_no": ("index_no", "索引号"),
    "source_url": ("source_url", "网址", "链接", "来源"),
    "jurisdiction": ("jurisdiction", "地区", "行政区划"),
    "full_text": ("full_text", "正文", "全文"),
}
# Fields that several columns may feed; their cells are joined with "；".
MULTI_FIELDS = frozenset({"reason"})
_BY_WORD = {fold(word).lower(): field for field, words in HEADER_ALIASES.items() for word in words}


@attrs.frozen
class Table:
    """A file's header and rows.

    Attributes:
        path: where it came from.
        header: the column names as written.
        mapping: column name -> regclean field, for the columns regclean understands.
        rows: (row number as a spreadsheet shows it, cells by column name).
    """

    path: Path
    header: tuple[str, ...]
    mapping: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]

    @property
    def ignored(self) -> list[str]:
        """Columns regclean does not use."""
        return [name for name in self.header if name not in self.mapping]


def field_for(header: str) -> str | None:
    """The regclean field a header names (文号 -> doc_number), or None."""
    return _BY_WORD.get(fold(header).lower())


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Chinese Excel writes by default)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError([Problem("cannot decode: neither UTF-8 nor GB18030", str(path))])


def read_csv(path: Path) -> Table:
    """Read a CSV file; the header is the first row that names a title column."""
    try:
        text = decode(path, path.read_bytes())
    except OSError as exc:
        raise ValidationError([Problem(f"cannot read: {exc.strerror}", str(path))]) from None
    lines = list(csv.reader(io.StringIO(text)))
    header_index = _find_header(path, lines)
    header = tuple(cell.strip() for cell in lines[header_index])
    mapping = {name: field for name in header if name and (field := field_for(name))}
    _check_mapping(path, header, mapping)
    rows = []
    for offset, cells in enumerate(lines[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((offset, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return Table(path, header, mapping, rows)


def _find_header(path: Path, lines: list[list[str]]) -> int:
    # Real forms often have a title row or two above the header (附件1 / XX目录).
    for index, cells in enumerate(lines[:20]):
        if any(field_for(cell) == "title" for cell in cells):
            return index
    raise ValidationError(
        [
            Problem(
                "no header row with a title column (文件名称/标题/title) in the first 20 rows",
                str(path),
            )
        ]
    )


def _check_mapping(path: Path, header: tuple[str, ...], mapping: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    problems = []
    for name in header:
        field = mapping.get(name)
        if field in MULTI_FIELDS:
            continue
        if field and field in seen:
            problems.append(
                Problem(f"columns {seen[field]!r} and {name!r} both mean {field}", str(path), name)
            )
        elif field:
            seen[field] = name
    if problems:
        raise ValidationError(problems)


def iter_records(table: Table) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(record label ``file, row N``, row number, {field: value}) for each data row."""
    for number, cells in table.rows:
        values: dict[str, str] = {}
        for name, field in table.mapping.items():
            cell = cells.get(name, "")
            if field in MULTI_FIELDS and values.get(field) and cell:
                values[field] = f"{values[field]}；{cell}"
            elif cell or field not in values:
                values[field] = cell
        yield f"{table.path.name}, row {number}", number, values
