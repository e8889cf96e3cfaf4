"""Reading what departments send into rows of named cells, and mapping headers to fields.

Every reader streams: a table is read again for each pass instead of being held in memory, so
memory stays flat as files grow. Formats: CSV (UTF-8 with or without BOM, or GB18030, which
Chinese Excel writes), XLSX, JSON Lines, HTML pages holding catalog tables or the inline lists of
规章 decisions, and plain text holding such lists.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import Problem, ValidationError
from ..text import fold
from ..vocab import Kind

# Header words seen in real cleanup forms and catalogs -> regclean field.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "文件名称", "法规名称", "规章名称", "标题", "名称", "文件标题", "政策名称",
              "规范性文件名称", "文件名"),
    "doc_number": ("doc_number", "文号", "发文字号", "发文号", "文件编号", "令号", "编号", "发文文号"),
    "published_on": ("date", "published_on", "发布日期", "印发日期", "公布日期", "发文日期", "发布时间"),
    "signed_on": ("signed_on", "成文日期"),
    "effective_on": ("effective_on", "施行日期", "生效日期", "实施日期"),
    "expires_on": ("expires_on", "失效日期", "有效期至", "截止日期"),
    "validity": ("validity", "有效期"),
    "issuer": ("issuer", "制定机关", "发布机关", "发文机关", "发布机构", "制发机关", "制定单位",
               "发文单位"),
    "department": ("department", "责任单位", "实施部门", "实施单位", "主管部门", "清理单位",
                   "起草单位", "承办单位"),
    "kind": ("kind", "类别", "文件类别", "文件类型", "类型"),
    "outcome": ("outcome", "清理意见", "处理意见", "清理结果", "清理结论", "审查意见", "拟处理意见"),
    "reason": ("reason", "理由", "废止理由", "说明", "备注", "清理理由", "失效理由", "修改理由",
               "理由说明"),
    "basis": ("basis", "法律依据", "依据"),
    "handler": ("handler", "经办人", "联系人"),
    "campaign": ("campaign", "清理批次"),
    "amendment": ("amendment", "修改内容"),
    "status": ("status", "有效性", "时效性", "效力状态", "效力", "时效状态", "公文时效",
               "文件状态", "状态"),
    "amended_by": ("amended_by",),
    "subject": ("subject", "主题分类", "主题"),
    "index_no": ("index_no", "索引号"),
    "source_url": ("source_url", "网址", "链接", "来源"),
    "jurisdiction": ("jurisdiction", "地区", "行政区划"),
    "full_text": ("full_text", "正文", "全文"),
    # combined columns of older catalogs, split on import
    "issuer_and_number": ("发布机关及文号", "制定机关及文号", "发文机关及文号"),
    "issuer_and_date": ("发布机关及日期", "制定机关及日期", "发布机关和日期"),
}  # fmt: skip
FIELDS = frozenset(HEADER_ALIASES)
# Fields that several columns may feed; their cells are joined with "；".
MULTI_FIELDS = frozenset({"reason"})
_BY_WORD = {
    fold(word).lower().replace(" ", ""): field
    for field, words in HEADER_ALIASES.items()
    for word in words
}
HEADER_SCAN_ROWS = 20

RawRows = Callable[[], Iterator[tuple[str, list[Any]]]]


def field_for(header: str) -> str | None:
    """The regclean field a header names (文号 -> doc_number, 發文字號 -> doc_number), or None."""
    return _BY_WORD.get(fold(str(header)).lower())


@attrs.frozen
class Table:
    """A file's header, its mapping, and a way to read its rows (again) without holding them.

    Attributes:
        path: where it came from.
        header: the column names as written.
        mapping: column index -> regclean field, for the columns regclean understands.
        raw_rows: yields (where, cells) for each data row; called once per pass.
        decision: the published decision the file is (:class:`regclean.ingest.published.
            PublishedDecision`), when its rows are decided by it; None otherwise.
        title_rows: the text of the rows above the header (a catalog's own title).
        reader_notes: what the reader says of its lines (a summary line naming one of N).
        line_counts: for a decision-like text, how many lines of each class it holds
            (:mod:`regclean.ingest.explain`).
        annex_of: the result notice this table is an annex of, when given with it.
    """

    path: Path
    header: tuple[str, ...]
    mapping: dict[int, str]
    raw_rows: RawRows
    decision: Any = None  # a PublishedDecision, when the file is one (its rows are decided)
    title_rows: tuple[str, ...] = ()  # the lines above the header (废止的行政法规目录)
    reader_notes: tuple[str, ...] = ()  # what the reader says of its lines
    line_counts: dict[str, int] = attrs.field(factory=dict)  # a text's lines, by class
    annex_of: str = ""  # the notice this table is an annex of, when given with it

    @property
    def ignored(self) -> list[str]:
        """Columns regclean does not use."""
        return [name for i, name in enumerate(self.header) if i not in self.mapping and name]

    def implied_outcome(self) -> tuple[str, str] | None:
        """(outcome word, why) when the file states one outcome for every row and has no
        outcome column: a reason column named for its outcome (废止理由), or a title row that
        names a catalog of one outcome (废止的行政法规目录); None otherwise."""
        if "outcome" in self.mapping.values():
            return None
        for index, field in sorted(self.mapping.items()):
            word = _REASON_OUTCOMES.get(fold(self.header[index])) if field == "reason" else None
            if word:
                return word, f"column {self.header[index]}"
        for line in self.title_rows:
            found = _catalog_outcome(line)
            if found:
                return found, f"title {line}"
        return None

    def columns_of(self) -> dict[str, str]:
        """Field -> the column(s) it is read from, as the file names them."""
        out: dict[str, str] = {}
        for index, field in sorted(self.mapping.items()):
            name = self.header[index] if index < len(self.header) else ""
            out[field] = f"{out[field]}/{name}" if field in out else name
        for combined, parts in (("issuer_and_number", ("issuer", "doc_number")),
                                ("issuer_and_date", ("issuer", "published_on"))):  # fmt: skip
            for part in parts:
                if combined in out:
                    out.setdefault(part, out[combined])
        return out

    def shown_mapping(self) -> dict[str, str]:
        """Column name -> field, for reports."""
        return {self.header[i]: field for i, field in self.mapping.items()}

    def records(self) -> Iterator[tuple[str, dict[str, str], list[Any]]]:
        """(record label, {field: value}, raw cells) for each data row."""
        for where, cells in self.raw_rows():
            values: dict[str, str] = {}
            for index, field in self.mapping.items():
                cell = _cell_text(cells[index]) if index < len(cells) else ""
                if field in MULTI_FIELDS and values.get(field) and cell:
                    values[field] = f"{values[field]}；{cell}"
                elif cell or field not in values:
                    values[field] = cell
            yield f"{self.path.name}, {where}", split_combined(values), cells


# A reason column named for its outcome, and the catalog titles that state one outcome.
_REASON_OUTCOMES = {"废止理由": "废止", "失效理由": "宣布失效", "宣布失效理由": "宣布失效",
                    "修改理由": "修改", "修订理由": "修改", "保留理由": "继续有效"}  # fmt: skip
_CATALOG_TITLE = re.compile(
    r"(?P<word>继续有效|拟修改|修改|废止|宣布失效|失效)(?:的)?[\u3400-\u9fff]*(?:目录|清单|一览表)"
)


_DECISION_TITLE = re.compile(
    r"关于(?:[^，。]*?)(?P<word>继续有效|废止|宣布失效|修改|修订)[^，。]*?的决定"
)
_OUTCOME_WORDS = re.compile(r"继续有效|宣布失效|废止|修改|修订|保留")


def _catalog_outcome(line: str) -> str | None:
    """The outcome a catalog's title, or a decision's, states (废止的行政法规目录 -> 废止;
    关于废止部分规范性文件的决定 -> 废止), when it states one and only one."""
    text = fold(line)
    words = {m.group("word") for m in _CATALOG_TITLE.finditer(text)}
    if _DECISION_TITLE.search(text):
        words |= {m.group(0) for m in _OUTCOME_WORDS.finditer(text.partition("关于")[2])}
        words = {"修改" if w == "修订" else w for w in words}
    if "继续有效" in words:
        words.discard("有效")
    return words.pop() if len(words) == 1 else None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- combined columns ---------------------------------------------------------------------

_NUMBER_AT_END = re.compile(
    r"(?P<number>(?:[\u3400-\u9fff]+(?:[（(][\u3400-\u9fff]+[）)])?\s*[〔\[（(【﹝]\s*\d{4}\s*[〕\]）)】﹞]"
    r"\s*第?\s*\d+\s*号)|(?:[\u3400-\u9fff]*令\s*第?\s*\d+\s*号))\s*$"
)
# An issuer's name glued to the issuer code: everything up to the last organ suffix.
_GLUED = re.compile(r"^(.*(?:政府|办公室|办公厅|委员会|局|厅|院|部|署|办))([\u3400-\u9fff]{2,}.*)$")
_DATE_IN = re.compile(
    r"(\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?|\d{4}年\d{1,2}月|\d{4}年)"
)


def split_combined(values: dict[str, str]) -> dict[str, str]:
    """Split 发布机关及文号 and 发布机关及日期 cells into their fields."""
    both = values.pop("issuer_and_number", None)
    if both:
        # a number is short: looking for it in the cell's tail keeps a long cell linear
        tail_at = max(0, len(both) - 80)
        match = _NUMBER_AT_END.search(both, tail_at)
        if match:
            number = match.group("number").strip()
            issuer = both[: match.start()].strip(" ，,、")
            glued = _GLUED.match(number)
            if not issuer and glued and "令" not in number:
                # 温州市人民政府温政发[2005]3号: the issuer's name runs into the code
                issuer, number = glued.group(1), glued.group(2)
            values.setdefault("doc_number", number)
        else:
            issuer = both
        if issuer:
            values.setdefault("issuer", issuer)
    dated = values.pop("issuer_and_date", None)
    if dated:
        match = _DATE_IN.search(dated)
        if match:
            values.setdefault("published_on", match.group(1).replace(" ", ""))
            issuer = (
                (dated[: match.start()] + dated[match.end() :]).strip(" ，,、").removesuffix("发布")
            )
        else:
            issuer = dated
        if issuer.strip():
            values.setdefault("issuer", issuer.strip())
    return values


# -- header finding and mapping -------------------------------------------------------------


def find_header(
    path: Path, rows: list[list[Any]], overrides: Mapping[str, str] | None = None
) -> int:
    """The first row that names a title column (by its words, or by --map); real forms have
    title rows above it."""
    titled = {
        name for name, field in (overrides or {}).items() if (field_for(field) or field) == "title"
    }
    for index, cells in enumerate(rows):
        texts = [_cell_text(c) for c in cells]
        if any(field_for(t) == "title" or t in titled for t in texts):
            return index
    raise ValidationError(
        [
            Problem(
                f"no header row with a title column (文件名称/标题/title) in the first "
                f"{HEADER_SCAN_ROWS} rows",
                str(path),
            )
        ]
    )


def build_mapping(
    path: Path,
    header: tuple[str, ...],
    overrides: Mapping[str, str] | None = None,
    *,
    exclusive: bool = True,
) -> dict[int, str]:
    """Column index -> field, from the header words and the user's overrides (header=field)."""
    overrides = dict(overrides or {})
    problems = []
    for name, field in overrides.items():
        if name not in header:
            problems.append(Problem(f"--map names a column the file does not have "
                                    f"(columns: {', '.join(h for h in header if h)})", str(path), name))  # fmt: skip
        if field not in FIELDS and field_for(field) is None and field != "ignore":
            problems.append(Problem(f"--map names an unknown field (fields: {', '.join(sorted(FIELDS))})",
                                    str(path), name, field))  # fmt: skip
    if problems:
        raise ValidationError(problems)
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        if name in overrides:
            wanted = overrides[name]
            field = wanted if wanted in FIELDS or wanted == "ignore" else field_for(wanted)
        else:
            field = field_for(name) if name else None
        if field and field != "ignore":
            mapping[index] = field
    if exclusive:
        _check_mapping(path, header, mapping)
    return mapping


# Where disclosure pages give two columns for one field, the one that is meant (the others are
# left out, and listed among the ignored columns): the official date before the web posting.
PREFERRED: dict[str, tuple[str, ...]] = {
    "published_on": ("发文日期", "印发日期", "公布日期", "发布日期", "发布时间"),
    "issuer": ("制定机关", "发文机关", "发布机关", "制发机关", "发布机构", "制定单位", "发文单位"),
}


def _prefer(header: tuple[str, ...], mapping: dict[int, str]) -> None:
    """Keep, of several columns known to mean one field, the preferred one (in place)."""
    for field, order in PREFERRED.items():
        columns = [i for i, f in mapping.items() if f == field]
        ranked = [i for i in columns if fold(header[i]) in order]
        if len(columns) > 1 and len(ranked) == len(columns):
            keep = min(ranked, key=lambda i: order.index(fold(header[i])))
            for index in columns:
                if index != keep:
                    del mapping[index]


def _check_mapping(path: Path, header: tuple[str, ...], mapping: dict[int, str]) -> None:
    _prefer(header, mapping)
    seen: dict[str, str] = {}
    problems = []
    for index, field in sorted(mapping.items()):
        if field in MULTI_FIELDS:
            continue
        if field in seen:
            problems.append(Problem(f"columns {seen[field]!r} and {header[index]!r} both mean {field}; "
                                    f"map one elsewhere with --map", str(path), header[index]))  # fmt: skip
        else:
            seen[field] = header[index]
    if problems:
        raise ValidationError(problems)


def _table_from_rows(
    path: Path,
    head: list[list[Any]],
    rows: Callable[[int], Iterator[tuple[str, list[Any]]]],
    overrides: Mapping[str, str] | None,
    merged_header: Callable[[int, list[Any]], list[Any]] | None = None,
) -> Table:
    index = find_header(path, head, overrides)
    cells = head[index]
    if merged_header is not None:
        cells = merged_header(index, cells)
    header = tuple(_cell_text(c) for c in cells)
    skip = index + 1
    if merged_header is not None and len(head) > skip and _is_subheader(head[skip], header):
        header = (
            tuple(
                (top + _cell_text(sub)) if _cell_text(sub) else top
                for top, sub in zip(header, head[skip], strict=False)
            )
            + header[len(head[skip]) :]
        )
        skip += 1
    mapping = build_mapping(path, header, overrides)
    above = tuple(" ".join(t for t in (_cell_text(c) for c in row) if t) for row in head[:index])
    return Table(path, header, mapping, lambda: rows(skip), title_rows=tuple(a for a in above if a))


def _is_subheader(row: list[Any], header: tuple[str, ...]) -> bool:
    """A second header row under merged cells (发布 over 机关 | 日期)."""
    texts = [_cell_text(c) for c in row]
    if not any(texts) or any(field_for(t) == "title" for t in texts):
        return False
    combined = [h + t for h, t in zip(header, texts, strict=False) if t]
    return bool(combined) and all(field_for(c) for c in combined)


# -- CSV ------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """utf-8-sig when the start of the file is UTF-8, else gb18030 (what Chinese Excel writes)."""
    with path.open("rb") as handle:
        start = handle.read(1 << 20)
        whole = not handle.read(1)  # the whole file was read: the last character must be complete
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(start, final=whole)
        return "utf-8-sig"
    except UnicodeDecodeError as first:
        try:
            codecs.getincrementaldecoder("gb18030")().decode(start, final=whole)
        except UnicodeDecodeError:
            line = start.count(b"\n", 0, first.start) + 1
            raise ValidationError([Problem(
                f"cannot decode: neither UTF-8 nor GB18030 (line {line}, byte {first.start}: "
                f"{start[first.start:first.start + 4].hex(' ')})", str(path))]) from None  # fmt: skip
        return "gb18030"


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


# -- XLSX -----------------------------------------------------------------------------------


def read_xlsx(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """The first worksheet of an XLSX workbook. Merged header cells are filled from their first
    cell; a second header row under merged cells is joined to the first (发布 + 日期)."""
    try:
        import openpyxl
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
    merges = _header_merges(path, part, head)
    book.close()
    hidden = _hidden_rows(path, part)
    if hidden:  # a row the clerk cannot see is not imported behind their back
        raise ValidationError([Problem("hidden in the workbook: unhide the row to import it, or "
                                       "delete it", f"{path.name}, row {n}") for n in hidden[:20]])  # fmt: skip

    def merged_header(index: int, cells: list[Any]) -> list[Any]:
        return [merges.get((index + 1, col + 1), value) if value in (None, "") else value
                for col, value in enumerate(cells)]  # fmt: skip

    def rows(skip: int) -> Iterator[tuple[str, list[Any]]]:
        book, sheet = open_sheet(read_only=True)
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > skip and any(_cell_text(c) for c in cells):
                    yield f"row {number}", list(cells)
        finally:
            book.close()

    return _table_from_rows(path, head, rows, overrides, merged_header)


MAX_UNPACKED = 512 * 2**20  # what a workbook may unpack to
MAX_RATIO = 200  # how much one part may expand (a shared-strings bomb expands thousands of times)


def _unpacked_size(path: Path) -> int:
    """What a workbook unpacks to; ValidationError for a zip bomb or a file that is no zip."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(
            [Problem(f"not a readable .xlsx workbook: {exc}", str(path))]
        ) from None
    total = sum(p.file_size for p in parts)
    swollen = [p.filename for p in parts
               if p.file_size > 2**20 and p.file_size > MAX_RATIO * max(p.compress_size, 1)]  # fmt: skip
    if total > MAX_UNPACKED or swollen:
        what = (f"its part {', '.join(swollen)} expands more than {MAX_RATIO}-fold" if swollen
                else f"it unpacks to {total:,} bytes")  # fmt: skip
        raise ValidationError([Problem(f"refused: {what}, beyond what a spreadsheet holds "
                                       "(a compression bomb?)", str(path))])  # fmt: skip
    return total


def _hidden_rows(path: Path, part: str) -> list[int]:
    """The rows of a worksheet that are hidden and hold a value (read from its XML a row at a
    time, in bounded memory)."""
    import zipfile

    from lxml import etree

    if not part:
        return []
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found: list[int] = []
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
            for _, element in etree.iterparse(xml, events=("end",), tag=f"{ns}row",
                                              resolve_entities=False, no_network=True):  # fmt: skip
                if element.get("hidden") in ("1", "true") and (
                    element.find(f".//{ns}v") is not None or element.find(f".//{ns}t") is not None
                ):
                    found.append(int(element.get("r") or 0))
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except (KeyError, OSError, ValueError, etree.Error, zipfile.BadZipFile):
        return found
    return found


def _header_merges(path: Path, part: str, head: list[list[Any]]) -> dict[tuple[int, int], Any]:
    """(row, column) -> the value of the merged range it belongs to (1-based), for the ranges
    that start in the header rows ``head``. The ranges are read from the worksheet's XML
    (``<mergeCell ref="A1:C1"/>``, after its rows) a row at a time, in bounded memory."""
    import zipfile

    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    if not part:
        return {}
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    values: dict[tuple[int, int], Any] = {}
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
            for _, element in etree.iterparse(xml, events=("end",), tag=(f"{ns}row", f"{ns}mergeCell"),
                                              resolve_entities=False, no_network=True):  # fmt: skip
                if element.tag == f"{ns}mergeCell":
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                    if min_row <= len(head) and max_row - min_row < 100 and max_col - min_col < 500:
                        row = head[min_row - 1]
                        value = row[min_col - 1] if min_col <= len(row) else None
                        for r in range(min_row, min(max_row, len(head)) + 1):
                            for c in range(min_col, max_col + 1):
                                values[(r, c)] = value
                element.clear()
                while element.getprevious() is not None:  # the rows read so far
                    del element.getparent()[0]
    except (KeyError, OSError, ValueError, TypeError, etree.Error, zipfile.BadZipFile):
        return values  # a sheet without readable merges reads as unmerged
    return values


# -- JSON Lines -----------------------------------------------------------------------------


def read_jsonl(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """One JSON object per line; keys are field names or header words (文号, 标题 ...)."""
    keys: list[str] = []
    encoding = detect_encoding(path)

    def objects() -> Iterator[tuple[int, Any]]:
        try:
            with path.open(encoding=encoding) as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        try:
                            yield number, json.loads(line)
                        except RecursionError:
                            raise ValidationError([Problem(
                                "values nested too deeply", f"{path.name}, line {number}")]) from None  # fmt: skip
                        except json.JSONDecodeError as exc:
                            yield number, exc
        except UnicodeDecodeError as exc:
            raise ValidationError(
                [Problem(f"invalid {encoding} text at byte {exc.start}", str(path))]
            ) from None

    for _, obj in objects():
        if isinstance(obj, dict):
            keys += [k for k in obj if k not in keys]
    header = tuple(str(k) for k in keys)
    if not any(field_for(k) == "title" or (overrides or {}).get(k) == "title" for k in header):
        raise ValidationError(
            [Problem("no title key (title/文件名称/标题) in any line", str(path))]
        )
    # Lines may spell a field differently (标题 in one, title in another): the first non-empty wins.
    mapping = build_mapping(path, header, overrides, exclusive=False)

    def rows() -> Iterator[tuple[str, list[Any]]]:
        for number, obj in objects():
            if isinstance(obj, json.JSONDecodeError):
                raise ValidationError(
                    [Problem(f"not valid JSON: {obj.msg}", f"{path.name}, line {number}")]
                )
            if not isinstance(obj, dict):
                raise ValidationError(
                    [Problem("each line must be a JSON object", f"{path.name}, line {number}")]
                )
            yield f"line {number}", [obj.get(k) for k in keys]

    return Table(path, header, mapping, rows)


# -- HTML and text ------------------------------------------------------------------------------


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _safe_html(path: Path) -> Any:
    """Parse a page with no network, no DTD and no entity expansion, in its declared charset
    (else UTF-8 or GB18030, whichever decodes)."""
    from lxml import etree, html

    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if encoding in ("gb2312", "gbk", "gb18030", "x-gbk") else encoding
    else:
        encoding = "utf-8" if detect_encoding(path) == "utf-8-sig" else "gb18030"
    try:
        parser = html.HTMLParser(encoding=encoding, no_network=True, remove_comments=True,
                                 huge_tree=False)  # fmt: skip
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
    path: Path, overrides: Mapping[str, str] | None
) -> tuple[list[Grid], str, tuple[str, ...]]:
    """A page's catalog tables, its text with its lines, and its headings."""
    root = _safe_html(path)
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
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

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
            heading = next((_catalog_outcome(line) for line in reversed(lines[-3:])
                            if _catalog_outcome(line)), None)  # fmt: skip
            tables.append(Grid(len(tables) + 1, grid, index, heading))
    return tables, lines


def document_text(path: Path) -> str | None:
    """The text a decision-like file is read from (a .txt; a page or Word file without catalog
    tables), or None for a file read as a table."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return _read_text(path)
    if suffix in (".html", ".htm"):
        tables, text, _ = _html_parts(path, None)
        return None if tables else text
    if suffix == ".docx":
        tables, lines = _docx_parts(path, None)
        return None if tables else "\n".join(lines)
    return None


@attrs.frozen
class Grid:
    """One table of a page or document: its cells, the row of its header, and the outcome its
    heading names (None when it names none)."""

    number: int
    cells: list[list[Any]]
    header_row: int
    outcome: str | None = None


OUTCOME_COLUMN = "清理结果（据表题）"  # the outcome a table's heading gives its rows


def _joined_tables(
    path: Path,
    tables: list[Grid],
    overrides: Mapping[str, str] | None,
    titles: tuple[str, ...],
    text: str,
) -> Table:
    """Several tables as one: rows aligned by the field each column means (文件名称 here,
    规章名称 there), on the first table's header plus any new columns; a table's heading outcome
    fills an outcome column where the tables have none. When headings decide the rows, the
    document's own title, number and date make it the decision they are approved under."""
    header: list[str] = []
    index_of_field: dict[str, int] = {}
    layouts = []
    for table in tables:
        own = [_cell_text(c) for c in table.cells[table.header_row]]
        targets = []
        for name in own:
            field = _field_of(name, overrides)
            if field and field in index_of_field and field not in MULTI_FIELDS:
                targets.append(index_of_field[field])
                continue
            if name in header:
                targets.append(header.index(name))
                continue
            header.append(name)
            if field:
                index_of_field.setdefault(field, len(header) - 1)
            targets.append(len(header) - 1)
        layouts.append(targets)
    headed = "outcome" not in index_of_field and any(t.outcome for t in tables)
    if headed:
        header.append(OUTCOME_COLUMN)
    mapping = build_mapping(path, tuple(header), overrides)
    if headed:
        mapping[len(header) - 1] = "outcome"

    def rows() -> Iterator[tuple[str, list[Any]]]:
        for table, targets in zip(tables, layouts, strict=True):
            grid, index = table.cells, table.header_row
            for row_number, cells in enumerate(grid[index + 1 :], start=index + 2):
                if not any(_cell_text(c) for c in cells) or cells == grid[index]:
                    continue
                aligned: list[Any] = [""] * len(header)
                for target, value in zip(targets, cells, strict=False):
                    aligned[target] = value
                if headed:
                    aligned[-1] = table.outcome or ""
                yield f"table {table.number}, row {row_number}", aligned

    decision = None
    if headed:
        from .published import lines_of, read_decision

        decision = read_decision(lines_of(text))
    return Table(path, tuple(header), mapping, rows, decision, title_rows=titles)


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


def _field_of(name: str, overrides: Mapping[str, str] | None) -> str | None:
    wanted = (overrides or {}).get(name)
    if wanted == "ignore":
        return None
    if wanted:
        return wanted if wanted in FIELDS else field_for(wanted)
    return field_for(name) if name else None


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
                raise ValidationError([Problem(
                    f"table {number} is too large once its spans are expanded (more than "
                    f"{MAX_COLUMNS} columns or {MAX_CELLS:,} cells)", str(path or ""))])  # fmt: skip
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


def _published_table(path: Path, text: str) -> Table:
    """A published decision, or a bare list of rules, as a table: one row per item, with its own
    outcome or that of the heading it stands under (see :mod:`regclean.ingest.published`). A
    result notice that lists nothing is a table of no rows that still carries its decision."""
    from ..docnumber import DocNumber
    from .explain import explain_reading
    from .published import issuer_in_title, reading

    read = reading(path, text)
    if read.problems:
        raise ValidationError(read.problems)
    decision, items = read.decision, read.items
    explained = explain_reading(path, read)
    line_counts = explained.counts()
    passing = tuple(f"line {line.number}: {line.gives}" for line in explained.lines
                    if "in passing" in line.gives)  # fmt: skip
    header = ("title", "doc_number", "published_on", "issuer", "kind", "outcome", "amendment",
              "amended_by", "effective_on", "signed_on", "expires_on", "item")  # fmt: skip
    mapping = dict(enumerate(header[:11]))
    # a government's decision on its own rules, a standing committee's on its own 法规
    own_rules = decision.kind is not None and decision.kind.family in (Kind.RULE, Kind.REGULATION)

    def rows() -> Iterator[tuple[str, list[Any]]]:
        for item in items:
            number = DocNumber.try_parse(item.doc_number)
            issuer = item.issuer  # the page names it (发布机关), or the order that issued it
            if issuer:
                pass
            elif decision.issuer and number is not None and number.is_generic_order:
                if number.qualified(decision.issuer) != number:  # 省政府令 of 陕西省人民政府
                    issuer = decision.issuer
            elif decision.issuer and own_rules and (number is None or not number.is_order):
                issuer = decision.issuer  # a government's decision on its own rules
            elif number is None:
                issuer = issuer_in_title(item.title)  # 花垣县人民政府办公室关于印发…的通知
            kind = item.kind or decision.kind
            yield item.where, [item.title, item.doc_number, item.published_on, issuer,
                               kind.zh if kind else "",
                               item.outcome.zh if item.outcome else "", item.amendment,
                               "、".join(item.amended_by), item.effective_on, item.signed_on,
                               item.expires_on, item.text]  # fmt: skip

    has_outcomes = any(item.outcome is not None for item in items)
    notes = tuple(f"{item.where}: 《{item.title}》 {item.note}" for item in items if item.note)
    notes += passing
    carried = decision if has_outcomes or (not items and decision.is_result_notice) else None
    return Table(path, header, mapping, rows, carried, reader_notes=notes, line_counts=line_counts)


def read_text(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """A plain-text copy of a decision holding the inline list of 规章."""
    return _published_table(path, _read_text(path))


def _read_text(path: Path) -> str:
    encoding = detect_encoding(path)
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [Problem(f"invalid {encoding} text at byte {exc.start}", str(path))]
        ) from None


READERS: dict[str, Callable[[Path, Mapping[str, str] | None], Table]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
    ".docx": read_docx,
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
