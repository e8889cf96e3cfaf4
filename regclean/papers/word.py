"""The papers as Word documents (python-docx), laid out as official documents are.

GB/T 9704-2012 (党政机关公文格式) gives the layout: A4, margins 37 mm top, 35 mm bottom, 28 mm
left, 26 mm right; the title in 2号 方正小标宋, the body in 3号 仿宋_GB2312 at 22 lines a page,
first-level headings (一、) in 黑体 and second-level ones (（一）) in 楷体; page numbers in 4号
as "— 1 —", odd pages on the right and even pages on the left; each 附件 on a new page, headed
附件N in 黑体. Fonts are named as the standard names them; ``fonts="common"`` names the fonts
every Chinese Windows has instead (宋体, 仿宋, 黑体, 楷体), for offices without the 方正 set.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..dates import PartialDate, chinese_numeral
from ..text import xml_safe
from ..vocab import FindingCode as F
from .facts import DecisionDraft, EvaluationReport, InspectionReport, ReviewForm

FONT_SETS = {
    "standard": {
        "title": "方正小标宋简体",
        "body": "仿宋_GB2312",
        "heading": "黑体",
        "sub": "楷体_GB2312",
    },
    "common": {"title": "宋体", "body": "仿宋", "heading": "黑体", "sub": "楷体"},
}
LATIN = "Times New Roman"
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4, SIZE_5 = 22, 16, 14, 12, 10.5  # 号 in points
LINE = 28.95  # points: 22 lines in the 225 mm type area


class _Doc:
    """A python-docx document with the standard's page and the paragraph kinds it uses."""

    def __init__(self, fonts: str, title: str, author: str):

        if fonts not in FONT_SETS:
            raise ValueError(f"unknown font set {fonts!r} (use {', '.join(FONT_SETS)})")
        self.fonts = FONT_SETS[fonts]
        self.doc = docx.Document()
        props = self.doc.core_properties
        props.title, props.author, props.language = title, author or "regclean", "zh-CN"
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28) - Mm(7)  # the number 7 mm below the type area
        normal = self.doc.styles["Normal"]
        self._font(normal.element, self.fonts["body"], SIZE_3)
        self._page_numbers(section)

    # -- runs and paragraphs -------------------------------------------------------------------

    @staticmethod
    def _font(element: Any, east: str, size: float, bold: bool = False) -> None:
        """Set the fonts of a run or style element: the Chinese font, and Latin beside it."""

        rpr = element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attribute), LATIN)
        fonts.set(qn("w:eastAsia"), east)
        rpr.sz_val = Pt(size)
        size_cs = rpr.find(qn("w:szCs"))
        if size_cs is None:
            from docx.oxml import OxmlElement  # python-docx loads only for a Word file

            size_cs = OxmlElement("w:szCs")
            rpr.append(size_cs)
        size_cs.set(qn("w:val"), str(int(size * 2)))
        if bold:
            rpr.b_val = True

    def paragraph(
        self,
        text: str = "",
        *,
        font: str = "body",
        size: float = SIZE_3,
        align: str = "justify",
        indent: bool = True,
        bold: bool = False,
        line: float | None = LINE,
        container: Any = None,
    ) -> Any:

        where = container if container is not None else self.doc
        para = where.add_paragraph()
        para.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
        form = para.paragraph_format
        form.space_before = form.space_after = Pt(0)
        if line:
            form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            form.line_spacing = Pt(line)
        if indent:
            form.first_line_indent = Pt(size * 2)  # two characters
        if text:
            run = para.add_run(xml_safe(text))
            self._font(run._element, self.fonts[font], size, bold)
        return para

    def title(self, text: str) -> None:
        self.paragraph(text, font="title", size=SIZE_2, align="center", indent=False, line=None)

    def blank(self) -> None:
        self.paragraph(indent=False)

    def heading(self, text: str) -> None:
        self.paragraph(text, font="heading")

    def subheading(self, text: str) -> None:
        self.paragraph(text, font="sub")

    def page_break(self) -> None:

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        size: float = SIZE_SMALL_4,
        bold_last: bool = False,
    ) -> None:
        """A ruled table: header in 黑体, cells in 仿宋 (小四 unless ``size``), column widths in
        millimetres (the grid's, which LibreOffice reads, and each cell's, which Word reads)."""

        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for k, name in enumerate(header):
            cell = table.rows[0].cells[k]
            cell.paragraphs[0].text = ""
            self._cell_text(cell, name, "heading", size)
        repeat = OxmlElement("w:tblHeader")  # the header row again on every page
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for n, row in enumerate(rows, start=1):
            cells = table.add_row().cells
            bold = bold_last and n == len(rows)
            for k, value in enumerate(row):
                self._cell_text(cells[k], "" if value is None else str(value), "body", size, bold)
        for k, width in enumerate(widths):
            table.columns[k].width = Mm(width)
            for cell in table.columns[k].cells:
                cell.width = Mm(width)

    def _cell_text(
        self, cell: Any, text: str, font: str, size: float = SIZE_SMALL_4, bold: bool = False
    ) -> None:

        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if font == "heading" else WD_ALIGN_PARAGRAPH.LEFT
        run = para.add_run(xml_safe(text))
        self._font(run._element, self.fonts[font], size, bold)

    def _page_numbers(self, section: Any) -> None:
        """ "— N —" in 4号 at the foot: odd pages on the right, even pages on the left, one
        character in from the edge (a PAGE field Word and LibreOffice fill in)."""

        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            para = footer.paragraphs[0]
            para.alignment = align
            para.paragraph_format.left_indent = para.paragraph_format.right_indent = Pt(SIZE_4)
            self._font(para.add_run("— ")._element, "宋体", SIZE_4)
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            field.append(run)
            para._p.append(field)
            self._font(para.add_run(" —")._element, "宋体", SIZE_4)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


# -- the decision and its explanation --------------------------------------------------------

ANNEX_COLUMNS = (
    ("序号", "n", 11),
    ("文件名称", "title", 52),
    ("文号", "doc_number", 30),
    ("发布日期", "date", 22),
    ("制定机关", "issuer", 22),
    ("理由", "reason", 19),
)


def write_decision(draft: DecisionDraft, path: Path, fonts: str = "standard") -> None:
    """The decision (决定) as an official document: number, title, body, 附件 list, signature
    and date, then each annexed catalog on its own page."""
    doc = _Doc(fonts, draft.title, draft.issuer)
    if draft.number:
        doc.paragraph(draft.number, align="center", indent=False)
        doc.blank()
    doc.title(draft.title)
    doc.blank()
    for text in draft.paragraphs:
        doc.paragraph(text)
    if draft.annexes:
        doc.blank()
        for k, annex in enumerate(draft.annexes):
            lead = "附件：" if k == 0 else "　　　"
            doc.paragraph(f"{lead}{annex.number}．{annex.title}")
    doc.blank()
    doc.blank()
    signature = doc.paragraph(draft.issuer, align="right", indent=False)
    # 成文日期 in Arabic numerals, as GB/T 9704-2012 writes it: 2026年11月29日
    dated = doc.paragraph(
        PartialDate.from_date(draft.signed_on).chinese(), align="right", indent=False
    )

    for para in (signature, dated):
        para.paragraph_format.right_indent = Pt(SIZE_3 * 4)  # 右空四字
    for annex in draft.annexes:
        doc.page_break()
        doc.paragraph(f"附件{annex.number}", font="heading", indent=False, align="left")
        doc.blank()
        doc.title(annex.title)
        doc.blank()
        doc.table(
            [c for c, _, _ in ANNEX_COLUMNS],
            [[row.get(key, "") for _, key, _ in ANNEX_COLUMNS] for row in annex.rows],
            [w for _, _, w in ANNEX_COLUMNS],
        )
    doc.save(path)


def write_explanation(draft: DecisionDraft, path: Path, fonts: str = "standard") -> None:
    """The 起草说明 skeleton: its sections with the numbers filled in, the rest marked to fill."""
    doc = _Doc(fonts, f"关于《{draft.title}》的起草说明", draft.issuer)
    doc.title(f"关于《{draft.title}》的起草说明")
    doc.blank()
    for heading, paragraphs in draft.explanation:
        doc.heading(heading)
        for text in paragraphs:
            doc.paragraph(text)
    doc.blank()
    doc.paragraph(draft.made.line, size=SIZE_5, indent=False, line=None)
    doc.save(path)


# -- the inspection report ---------------------------------------------------------------------

SUMMARY_COLUMNS = (
    "责任单位",
    "应清理",
    "已报送",
    "已审定",
    "未报送",
    "漏清",
    "逾期报送",
    "意见冲突",
    "依据已废止",
    "届满未处理",
    "到期评估",
)
FINDING_COLUMNS = (("序号", 10), ("问题", 22), ("文号", 30), ("文件名称", 46), ("说明", 48))


def summary_cells(section: Any) -> list[Any]:

    c = section.counts
    return [
        section.department,
        section.in_scope,
        section.submitted,
        section.approved,
        section.undecided,
        c[F.MISSED],
        c[F.LATE],
        c[F.CONFLICTING],
        c[F.BASIS_REPEALED],
        c[F.EXPIRED],
        c[F.EVALUATION_DUE],
    ]


def finding_cells(n: int, finding: Any) -> list[Any]:
    return [n, finding.code.zh, finding.number, finding.title, finding.message]


def write_inspection(report: InspectionReport, path: Path, fonts: str = "standard") -> None:
    """The inspection report: the summary in words, a table of every department, then each
    department's findings with the instruments' numbers and titles."""
    doc = _Doc(fonts, report.title, "")
    doc.title(report.title)
    doc.blank()
    doc.paragraph(report.summary())
    doc.heading("一、总体情况")
    doc.table(
        SUMMARY_COLUMNS,
        [summary_cells(s) for s in (*report.departments, report.total)],
        [26] + [13] * (len(SUMMARY_COLUMNS) - 1),
        size=SIZE_5,
        bold_last=True,
    )
    if report.classes is not None:
        doc.heading("二、问题分类情况")
        doc.table(
            report.classes.header,
            list(report.classes.rows),
            [46] + [22] * (len(report.classes.header) - 1),
            size=SIZE_5,
            bold_last=True,
        )
    doc.heading("三、各部门情况" if report.classes is not None else "二、各部门情况")
    for k, section in enumerate(report.departments, start=1):
        doc.subheading(f"（{chinese_numeral(k)}）{section.department}")
        doc.paragraph(section.summary())
        if section.findings:
            doc.table(
                [c for c, _ in FINDING_COLUMNS],
                [finding_cells(n, f) for n, f in enumerate(section.findings, start=1)],
                [w for _, w in FINDING_COLUMNS],
                size=SIZE_5,
            )
    doc.blank()
    doc.paragraph(report.made.line, size=SIZE_5, indent=False, line=None)
    doc.save(path)


def write_review_form(form: ReviewForm, path: Path, fonts: str = "standard") -> None:
    """The 公平竞争审查表: the measure's particulars, a row for each class of standards (是否违反
    and 说明), the exception relied on, the conclusion, the reviewer and the day."""
    doc = _Doc(fonts, form.title, form.reviewer)
    doc.title(form.title)
    doc.blank()
    doc.table(
        ("项目", "内容"),
        [
            ("政策措施名称", form.measure),
            ("文号", form.number or "—"),
            ("起草单位", form.drafter),
            ("政策措施性质", form.nature),
            ("审查阶段", form.stage),
        ],
        [40, 116],
        size=SIZE_5,
    )
    doc.blank()
    doc.table(
        ("审查标准", "依据", "是否违反", "说明"), list(form.rows), [38, 46, 18, 54], size=SIZE_5
    )
    doc.blank()
    doc.table(
        ("项目", "内容"),
        [
            ("例外规定", form.exception),
            ("审查结论", form.conclusion),
            ("审查人", form.reviewer),
            ("审查日期", form.reviewed_on),
        ],
        [40, 116],
        size=SIZE_5,
    )
    doc.blank()
    doc.paragraph(form.made.line, size=SIZE_5, indent=False, line=None)
    doc.save(path)


def write_evaluation_report(report: EvaluationReport, path: Path, fonts: str = "standard") -> None:
    """The 评估报告 skeleton: the document's particulars, the steps with their due days, and the
    report's headings with what is known to go under each."""
    doc = _Doc(fonts, report.title, "")
    doc.title(report.title)
    doc.blank()
    doc.table(("项目", "内容"), list(report.facts), [40, 116], size=SIZE_5)
    doc.blank()
    doc.table(
        ("评估步骤", "应完成日期", "完成日期", "内容"),
        list(report.steps),
        [34, 30, 30, 62],
        size=SIZE_5,
    )
    for heading, text in report.sections:
        doc.heading(heading)
        doc.paragraph(text)
    doc.blank()
    doc.paragraph(report.made.line, size=SIZE_5, indent=False, line=None)
    doc.save(path)
