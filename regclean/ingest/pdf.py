"""PDF: a decision, a result notice or a catalog printed to PDF, read from the text it holds.

A PDF keeps no paragraphs: the page width broke every long line where it ran out, so a sentence
or a catalog row arrives in pieces. The lines are taken page by page with their positions
(pdfminer.six); page numbers (``- 3 -``, ``第3页``) are dropped; and a line is joined to the next
where the typesetter broke it: it stops short of the right margin by less than the next line's
first word (a Chinese character, or a Latin word or number, which cannot be split), it ends no
sentence, and the next line starts no item of its own (``一、``, ``（二）``, ``3.``, ``第五条``, a
catalog row's number). The space a typesetter puts between Chinese and a number (``2016 年``,
``26 号``) is taken out, where it parts no catalog row's number from its title.

A table the page draws with rules (a catalog annex printed from Word) is found by its rules:
each character goes to the cell it stands in, a cell's wrapped lines are joined, and
each row becomes one line with its cells between ``|`` marks, which :mod:`.texttable` reads as
it reads a law database's tables (a row a page break carried over has no 序号 and continues the
row above). The lines then go to the same reader as a text file (:mod:`.decision`). A scan
holds pictures, not text: it is refused, saying so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from .columns import Table, _joined_tables
from .decision import _published_table
from .published import _left_open, label_field
from .texttable import text_tables

# a page number on a line of its own: - 3 -, — 3 —, 第3页, 第 3 页 共 9 页, 3/9
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)
# what starts a line of its own: a list marker, an article, a catalog row's number
_STARTS_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]"
    r"|\d{1,4}\s*(?:[、.．](?!\d)|\s)|第[一二三四五六七八九十百零〇\d]+[条章节]|附\s*件|[①-⑳])"
)
# what ends a sentence, or a row of a table drawn in characters (|…|)
_ENDS_SENTENCE = re.compile(r"[。；;：:！!？?”」』|│┃]\s*$")
MAX_PAGES = 2000


def read_pdf(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """A PDF: the decision, notice or page its text holds, or the catalog tables printed in it
    between ``|`` marks, read as a text file is (see :func:`pdf_text`)."""
    text = pdf_text(path)
    tables = text_tables(path, text, overrides)
    if tables:
        return _joined_tables(path, tables, overrides, (), text)
    return _published_table(path, text)


def pdf_text(path: Path) -> str:
    """The text of a PDF, its lines unwrapped where the page width broke them."""
    from pdfminer.high_level import extract_pages  # pdfminer loads only for a PDF
    from pdfminer.layout import LAParams  # pdfminer loads only for a PDF
    from pdfminer.pdfdocument import PDFEncryptionError  # pdfminer loads only for a PDF
    from pdfminer.pdfparser import PDFSyntaxError  # pdfminer loads only for a PDF

    lines: list[str] = []
    try:
        for number, page in enumerate(extract_pages(str(path), laparams=LAParams()), start=1):
            if number > MAX_PAGES:
                raise ValidationError(
                    [Problem(f"the PDF has more than {MAX_PAGES:,} pages", str(path))]
                )
            lines += _page_text(page)
    except PDFEncryptionError:
        raise ValidationError(
            [Problem("the PDF is encrypted; save an unprotected copy", str(path))]
        ) from None
    except (
        PDFSyntaxError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
    ) as exc:
        raise ValidationError([Problem(f"not a readable PDF: {exc}", str(path))]) from None
    if not any(line.strip() for line in lines):
        raise ValidationError(
            [
                Problem(
                    "the PDF holds no text (a scan is pictures of pages): recognise its text "
                    "first (OCR), or import the document as text, Word or a spreadsheet",
                    str(path),
                )
            ]
        )
    # a closing bracket of a number's year drawn after its serial (﹝2022 11﹞号: a font whose
    # small-form brackets are set apart), put back where the number has it
    return _MOVED_BRACKET.sub(r"\g<open>\g<year>\g<close>\g<serial>号", "\n".join(lines))


# the year of a number in brackets, its closing bracket after the serial in the text drawn
_MOVED_BRACKET = re.compile(
    r"(?P<open>[〔﹝［\[])(?P<year>(?:19|20)\d{2})\s+(?P<serial>\d{1,5})(?P<close>[〕﹞］\]])\s*号"
)

Line = tuple[str, float, float]  # the text, where it starts and where it ends (points)
Grid = tuple[list[float], list[float]]  # a drawn table's column edges (left to right), row edges


def _page_text(page: Any) -> list[str]:
    """A page's lines: the text above a drawn table, unwrapped; the table, a row a line with its
    cells between ``|`` marks (as :mod:`.texttable` reads them); the text below it, unwrapped."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine  # pdfminer loads only for a PDF

    grid = _grid(page)
    above: list[tuple[float, float, str, float]] = []
    below: list[tuple[float, float, str, float]] = []
    cells: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for element in page:
        if not isinstance(element, LTTextContainer):
            continue
        for line in element:
            if not isinstance(line, LTTextLine):
                continue
            entry = (-line.y1, line.x0, line.get_text().rstrip("\n"), line.x1)
            if grid is None or (line.y0 + line.y1) / 2 > grid[1][0]:
                above.append(entry)
            elif (line.y0 + line.y1) / 2 < grid[1][-1]:
                below.append(entry)
            else:  # in the table: each character to the cell it stands in
                for char in line:
                    if isinstance(char, LTChar):
                        at = _cell(grid, (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2)
                        if at is not None:
                            cells.setdefault(at, []).append((-char.y1, char.x0, char.get_text()))
    out = unwrapped(_in_order(above))
    if grid is not None:
        for row in range(len(grid[1]) - 1):
            texts = [_cell_text(cells.get((row, col), [])) for col in range(len(grid[0]) - 1)]
            if any(texts):
                out.append("|" + "|".join(texts) + "|")
    return out + unwrapped(_in_order(below))


def _in_order(found: list[tuple[float, float, str, float]]) -> list[Line]:
    found.sort(key=lambda f: (round(f[0]), f[1]))  # top to bottom, then left to right
    return [(text, x0, x1) for _, x0, text, x1 in found]


def _page_lines(page: Any) -> list[Line]:
    """A page's lines of text with their left and right ends, top to bottom."""
    from pdfminer.layout import LTTextContainer, LTTextLine  # pdfminer loads only for a PDF

    return _in_order(
        [
            (-line.y1, line.x0, line.get_text().rstrip("\n"), line.x1)
            for element in page
            if isinstance(element, LTTextContainer)
            for line in element
            if isinstance(line, LTTextLine)
        ]
    )


def _grid(page: Any) -> Grid | None:
    """The edges of the table a page draws with rules (cell borders as lines or thin
    rectangles, or cells as rectangles): columns left to right, rows top to bottom; None when
    it draws fewer than two columns or no row."""
    from pdfminer.layout import LTCurve  # pdfminer loads only for a PDF (LTLine, LTRect too)

    xs: list[float] = []
    ys: list[float] = []
    for element in page:
        if not isinstance(element, LTCurve):
            continue
        x0, y0, x1, y1 = element.bbox
        if x1 - x0 < 2 and y1 - y0 > 4:
            xs.append((x0 + x1) / 2)
        elif y1 - y0 < 2 and x1 - x0 > 4:
            ys.append((y0 + y1) / 2)
        elif x1 - x0 >= 2 and y1 - y0 >= 2:  # a cell drawn as a rectangle
            xs += [x0, x1]
            ys += [y0, y1]
    columns, rows = _edges(xs), _edges(ys)[::-1]
    # one row is enough: the part of a row that a page break carried over
    return (columns, rows) if len(columns) >= 3 and len(rows) >= 2 else None


def _edges(values: list[float]) -> list[float]:
    """Positions closer than 2 points taken as one, in order."""
    merged: list[float] = []
    for value in sorted(values):
        if not merged or value - merged[-1] > 2:
            merged.append(value)
    return merged


def _cell(grid: Grid, x: float, y: float) -> tuple[int, int] | None:
    columns, rows = grid
    col = next((i for i in range(len(columns) - 1) if columns[i] <= x < columns[i + 1]), None)
    row = next((i for i in range(len(rows) - 1) if rows[i] >= y > rows[i + 1]), None)
    return None if col is None or row is None else (row, col)


def _cell_text(chars: list[tuple[float, float, str]]) -> str:
    """A cell's characters in reading order, its wrapped lines joined, | kept out of it."""
    chars.sort(key=lambda c: (round(c[0] / 3), c[1]))  # by line (to 3 points), then across
    return _spaced("".join(c for _, _, c in chars)).replace("|", "｜").strip()


def unwrapped(page: list[Line]) -> list[str]:
    """One page's lines, page numbers dropped and the lines the typesetter broke joined."""
    lines = [
        (_spaced(t).rstrip(), x0, x1)
        for t, x0, x1 in page
        if t.strip() and not _PAGE_NUMBER.match(t)
    ]
    if not lines:
        return []
    right = max(x1 for _, _, x1 in lines)
    out: list[str] = []
    for index, (text, x0, x1) in enumerate(lines):
        if index and _continues(lines[index - 1], (text, x0, x1), right):
            out[-1] += text.strip()
        else:
            out.append(text)
    return out


# a line that goes on with a run of titles and ends it with 等 (《B》《C》等。, or 等 alone:
# 关于废止《X》 / 等地方性法规…), not a summary line naming a title and a count (《X》等7件…)
_RUN_GOES_ON = re.compile(
    r"^\s*(?:《[^《》]+》\s*[、，,]?\s*)*等(?!\s*(?:\d|[一二三四五六七八九十百两]+\s*[件份部个项]))"
)


# a date alone on its line, as under a signature: 2018年9月28日, 二〇一八年九月二十八日
_DATE_ALONE = re.compile(
    r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日"
)


def _continues(before: Line, line: Line, right: float) -> bool:
    """``line`` goes on with ``before``: ``before`` stopped short of the right margin by less than
    ``line``'s first word would take, ends no sentence, and ``line`` starts no item."""
    text, x0, x1 = before
    if re.fullmatch(r"\s*(?:-{3,}|={3,}|\*{3,})\s*", line[0]):
        return False  # a rule (a Markdown front matter's closing ---) stands alone
    if re.search(r"https?://\S*$", text) and re.fullmatch(r"[!-~]+", line[0].strip()):
        return True  # a web address the typesetter broke at its ? or & goes on, with no space
    if text.rstrip().endswith("》") and re.fullmatch(
        r"\s*的(?:通知|决定|意见|公告|通告|批复|函|报告)\s*", line[0]
    ):
        return True  # …管理办法》 / 的通知: a title's last words, gone down a line
    if (
        text.rstrip().endswith("》")
        and re.match(r"\s*[（(][^（）()]{2,40}?号[）)]", line[0])
        and right - x1 < 12 * (x1 - x0) / max(width(text), 1)
    ):
        return (
            True  # …印发的《X》 / （沪发改规范﹝2020﹞3号）需继续实施: a title's record, gone down
        )
    if _ENDS_SENTENCE.search(text) or _STARTS_ITEM.match(line[0]):
        return False
    if _DATE_ALONE.fullmatch(line[0].strip().replace(" ", "")):
        return False  # a signature's date on its own line (部长 王蒙徽 / 2018年9月28日)
    labelled = re.match(r"\s*([\u3400-\u9fff]{2,6})\s*[:：]", line[0])
    if labelled and label_field(labelled.group(1)):
        return False  # a page's label starts its own line (…的通知 / 文号: 静府发〔2018〕1号)
    # a line that closes all it opened, ending a bracket (an item's details, a title) is taken
    # as whole: joined by mistake, an item would be unreadable and refuse the file; unless the
    # next line carries a run of titles on to its 等 (比如，《A》 / 《B》《C》等。)
    run_goes_on = text.rstrip().endswith("》") and _RUN_GOES_ON.match(line[0])
    if re.search(r"[）)》]\s*$", text) and not _left_open(text) and not run_goes_on:
        return False
    cell = (x1 - x0) / max(width(text), 1)  # the width of half a Chinese character, here
    # an opening mark never ends a line, so it goes down with what follows it (“社, 《关)
    first = re.match(r"\s*([“‘《〈（(〔【「『]*(?:[0-9A-Za-z.]+|\S))", line[0])
    unit = width(first.group(1)) if first else 2
    return right - x1 < (unit + 2) * cell  # a character of slack: punctuation is set narrow


def _spaced(text: str) -> str:
    """The space a typesetter puts between Chinese and a number or Latin word taken out."""
    text = _SPACE_BEFORE_MEASURE.sub(r"\1", text)
    return _SPACE_AFTER_RUN.sub(r"\1", _SPACE_BEFORE_RUN.sub("", text))


_HAN = "\u3400-\u9fff\uf900-\ufaff〔〕（）《》〈〉、，。：；“”"
# the space a typesetter puts between Chinese and a number or Latin word (2016 年, 已经 1996年,
# 26 號): taken out, except where it parts a catalog row's number from its title (1 关于…) or
# comes before a list marker (…65号 1、制定依据…)
_SPACE_BEFORE_RUN = re.compile(rf"(?<=[{_HAN}])[ \u00a0](?=[0-9A-Za-z]+(?![0-9A-Za-z]|[、.．]))")
_SPACE_AFTER_RUN = re.compile(rf"(?<=[{_HAN}()])([0-9A-Za-z]+)[ \u00a0](?=[{_HAN}])")
_SPACE_BEFORE_MEASURE = re.compile(r"(\d)[ \u00a0]+(?=[年月日号號条條款项項件页頁次届屆])")


def width(line: str) -> int:
    """Display cells: a Chinese character or mark takes two (quotation marks too, as Chinese
    fonts draw them), a Latin one one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in line)
