"""Mapping what departments send to regclean's fields: the header words of real forms and
catalogs, the header row found (not assumed), combined columns split, the :class:`Table` every
reader gives, and catalog tables joined under their headings' outcomes."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import Problem, ValidationError
from ..text import fold
from .published import lines_of, read_decision

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
    "registration_no": ("registration_no", "统一登记号", "登记号", "登记编号", "统一编号"),
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
        for combined, parts in (
            ("issuer_and_number", ("issuer", "doc_number")),
            ("issuer_and_date", ("issuer", "published_on")),
        ):
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
    """The first row that names a title column (by its words, or by the mapping); real forms have
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
            problems.append(
                Problem(
                    f"the mapping names a column the file does not have "
                    f"(columns: {', '.join(h for h in header if h)})",
                    str(path),
                    name,
                )
            )
        if field not in FIELDS and field_for(field) is None and field != "ignore":
            problems.append(
                Problem(
                    f"the mapping names an unknown field (fields: {', '.join(sorted(FIELDS))})",
                    str(path),
                    name,
                    field,
                )
            )
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
            problems.append(
                Problem(
                    f"columns {seen[field]!r} and {header[index]!r} both mean {field}; "
                    f"map one elsewhere with a mapping",
                    str(path),
                    header[index],
                )
            )
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
            raise ValidationError(
                [
                    Problem(
                        f"cannot decode: neither UTF-8 nor GB18030 (line {line}, byte {first.start}: "
                        f"{start[first.start : first.start + 4].hex(' ')})",
                        str(path),
                    )
                ]
            ) from None
        return "gb18030"


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
        decision = read_decision(lines_of(text))
    return Table(path, tuple(header), mapping, rows, decision, title_rows=titles)


def _field_of(name: str, overrides: Mapping[str, str] | None) -> str | None:
    wanted = (overrides or {}).get(name)
    if wanted == "ignore":
        return None
    if wanted:
        return wanted if wanted in FIELDS else field_for(wanted)
    return field_for(name) if name else None
