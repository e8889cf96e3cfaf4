"""The papers as spreadsheets (openpyxl): the statistics table and the department form."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..export import excel_safe
from .facts import (
    COMMENT_COLUMNS,
    DRAFT_COLUMNS,
    FILING_COLUMNS,
    FORM_COLUMNS,
    FORM_OUTCOMES,
    TOTAL,
    ClassSummary,
    CommentReport,
    DepartmentForm,
    FilingCatalog,
    ResultsDraft,
    Statistics,
)

FORM_SHEET = "清理意见表"
FORM_NOTE = (
    "填报说明：“清理意见”请从下拉列表中选择；拟修改、废止、宣布失效的，请在“理由”中写明"
    "理由，并注明法律依据。请勿改动文件名称和文号，以便导入。"
)
FORM_WIDTHS = {
    "序号": 6,
    "文件名称": 46,
    "文号": 24,
    "发布日期": 12,
    "制定机关": 20,
    "责任单位": 18,
    "清理批次": 14,
    "清理意见": 14,
    "理由": 36,
    "法律依据": 24,
    "经办人": 10,
}


def write_stats_csv(stats: Statistics, path: Path) -> None:
    """The statistics as CSV (UTF-8 with a BOM, which Excel reads): the header, then the rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([excel_safe(c) for c in stats.header])
        for row in stats.rows:
            writer.writerow(
                [excel_safe(c) if isinstance(c, str) else c for c in row.cells(stats.by_kind)]
            )


def write_stats_xlsx(stats: Statistics, path: Path) -> None:
    """The statistics as a workbook: title, the state it was made from, the header, one row per
    department, the total row(s) in bold; numbers are numbers."""

    book = Workbook()
    sheet = book.active
    sheet.title = "清理情况统计表"
    width = len(stats.header)
    box = _heading_rows(sheet, stats.title, stats.made.line, width)
    sheet["A2"].font = Font(size=9, color="555555")
    sheet.append(stats.header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    for row in stats.rows:
        sheet.append([excel_safe(c) if isinstance(c, str) else c for c in row.cells(stats.by_kind)])
        for cell in sheet[sheet.max_row]:
            cell.border = box
            if row.department == TOTAL:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    for k in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(k)].width = 12
    sheet.freeze_panes = "B4"
    _print_on_a4(sheet)
    sheet.print_title_rows = "3:3"
    book.save(path)


def write_form_xlsx(form: DepartmentForm, path: Path) -> None:
    """The department's form: a title row, a note on how to fill it in, the header, one row per
    instrument; 清理意见 offers the outcome words as a drop-down list (data validation)."""

    book = Workbook()
    sheet = book.active
    sheet.title = FORM_SHEET
    width = len(FORM_COLUMNS)
    box = _heading_rows(sheet, form.title, FORM_NOTE, width)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 32
    sheet.append(list(FORM_COLUMNS))
    to_fill = {FORM_COLUMNS.index(c) + 1 for c in ("清理意见", "理由", "法律依据", "经办人")}
    for k, cell in enumerate(sheet[3], start=1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if k in to_fill else "EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = box
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in form.rows:
        sheet.append([excel_safe(v) for v in row])
        for cell in sheet[sheet.max_row]:
            cell.border = box
            cell.alignment = wrap
            cell.number_format = "@"  # text: 文号 and dates stay as written
    for k, name in enumerate(FORM_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(k)].width = FORM_WIDTHS.get(name, 12)
    outcome = get_column_letter(FORM_COLUMNS.index("清理意见") + 1)
    last = max(sheet.max_row, 4)
    choose = DataValidation(
        type="list",
        formula1='"' + ",".join(FORM_OUTCOMES) + '"',
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorTitle="清理意见",
        error="请从下拉列表中选择清理意见。",
        promptTitle="清理意见",
        prompt="请选择：" + "、".join(FORM_OUTCOMES),
        showInputMessage=True,
    )
    choose.add(f"{outcome}4:{outcome}{last}")
    sheet.add_data_validation(choose)
    sheet.freeze_panes = "C4"
    _print_on_a4(sheet)
    sheet.print_title_rows = "3:3"
    book.save(path)


def write_class_summary(summary: ClassSummary, path: Path) -> None:
    """A thematic campaign's problems by class (件, 件次, 涉企), then by department; numbers are
    numbers and the total row is bold."""

    book = Workbook()
    sheet = book.active
    sheet.title = "问题分类统计表"
    width = len(summary.header)
    box = _heading_rows(sheet, summary.title, summary.made.line, width)
    for block, first in ((summary.rows, "问题类别"), (summary.departments, "责任单位")):
        sheet.append([first, *summary.header[1:]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EEEEEE")
            cell.alignment = Alignment(horizontal="center")
            cell.border = box
        for row in block:
            sheet.append([excel_safe(c) if isinstance(c, str) else c for c in row])
            for cell in sheet[sheet.max_row]:
                cell.border = box
                if row[0] == TOTAL:
                    cell.font = Font(bold=True)
        sheet.append([])
    sheet.column_dimensions["A"].width = 28
    _print_on_a4(sheet)
    book.save(path)


def write_filing_catalog(catalog: FilingCatalog, path: Path) -> None:
    """A quarter's 备案目录: one row per document registered, then the three rates with what
    each is counted from."""

    book = Workbook()
    sheet = book.active
    sheet.title = "备案目录"
    box = _heading_rows(sheet, catalog.title, catalog.made.line, len(FILING_COLUMNS))
    sheet.append(list(FILING_COLUMNS))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center")
        cell.border = box
    for row in catalog.rows:
        sheet.append([excel_safe(c) for c in row])
        for cell in sheet[sheet.max_row]:
            cell.border = box
            cell.number_format = "@"
    sheet.append([])
    sheet.append(["指标", "比率", "分子", "分母"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name, shown, numerator, denominator in catalog.rates:
        sheet.append([name, shown, numerator, denominator])
    sheet.column_dimensions["B"].width = 40
    _print_on_a4(sheet)
    book.save(path)


def write_results_csv(draft: ResultsDraft, path: Path) -> None:
    """The draft results as CSV (UTF-8 with BOM, formula-safe), its title row marking it a
    征求意见稿."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [excel_safe(f"{draft.title}：征求意见期限至{draft.until}，意见请送{draft.contact}")]
        )
        writer.writerow(DRAFT_COLUMNS)
        writer.writerows([[excel_safe(c) for c in row] for row in draft.rows])


def write_comment_report(report: CommentReport, path: Path) -> None:
    """The comments with their answers (意见采纳情况), under the counts in a sentence."""

    book = Workbook()
    sheet = book.active
    sheet.title = "意见采纳情况"
    box = _heading_rows(sheet, report.title, report.summary, len(COMMENT_COLUMNS))
    sheet.append(list(COMMENT_COLUMNS))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.border = box
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in report.rows:
        sheet.append([excel_safe(c) for c in row])
        for cell in sheet[sheet.max_row]:
            cell.border = box
            cell.alignment = wrap
    sheet.column_dimensions["F"].width = 40
    _print_on_a4(sheet)
    book.save(path)


PLAN_COLUMNS = ("序号", "文件名称", "文号", "制定机关", "上次清理", "有效期至", "上位法变化", "id")


def write_plan(plan: Any, path: Path) -> None:
    """A year's review plan (年度清理计划): the rule and the stock it was drawn from, then one row
    per document chosen."""

    book = Workbook()
    sheet = book.active
    sheet.title = "清理计划"
    second = f"规则：{plan.rule}；在效文件{plan.stock}件，列入计划{len(plan.chosen)}件"
    box = _heading_rows(sheet, plan.title, second, len(PLAN_COLUMNS))
    sheet.append(list(PLAN_COLUMNS))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.border = box
    for n, p in enumerate(plan.chosen, start=1):
        i = p.instrument
        sheet.append(
            [
                n,
                excel_safe(i.title),
                excel_safe(i.doc_number),
                excel_safe(i.issuer),
                p.last_review,
                p.expires_on,
                "是" if p.basis_changed else "",
                i.id,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.border = box
    sheet.column_dimensions["B"].width = 48
    _print_on_a4(sheet)
    book.save(path)


def _heading_rows(sheet: Any, title: str, second: str, width: int) -> Any:
    """The title (row 1, large, centred) and a second line (row 2), each across every column;
    returns the thin border the tables below use."""

    for row, text in ((1, title), (2, second)):
        sheet.append([excel_safe(text)])  # a campaign titled =HYPERLINK(…) is text, not a formula
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    line = Side(style="thin", color="444444")
    return Border(left=line, right=line, top=line, bottom=line)


def _print_on_a4(sheet: Any) -> None:
    """Landscape A4, every column on one page wide, the header row repeated on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
