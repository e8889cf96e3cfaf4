"""The inspection report as one HTML file (lxml), printable on A4 like the published site."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from lxml.html import builder as E

from ..dates import chinese_numeral
from .facts import DRAFT_COLUMNS, InspectionReport, ResultsDraft
from .word import FINDING_COLUMNS, SUMMARY_COLUMNS, finding_cells, summary_cells

STYLE = """
@page { size: A4; margin: 25mm 20mm 25mm 20mm; }
body { font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", serif; font-size: 12pt;
       line-height: 1.7; color: #111; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 20pt;
     text-align: center; font-weight: normal; margin: 0 0 1em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 14pt; margin: 1.4em 0 .4em; }
h3 { font-family: "KaiTi", "楷体", "Noto Serif CJK SC", serif; font-size: 13pt; margin: 1.2em 0 .3em; }
p { text-indent: 2em; margin: .3em 0; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 10.5pt; }
th, td { border: 1px solid #444; padding: .2em .4em; vertical-align: top; }
th { background: #eee; font-family: "SimHei", "黑体", sans-serif; font-weight: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
footer { margin-top: 2em; font-size: 9pt; color: #555; }
footer code { font-size: 8pt; word-break: break-all; }
@media print { body { margin: 0; max-width: none; } }
"""


def write_inspection(report: InspectionReport, path: Path) -> None:
    """The report as a standalone page: the summary, a table of every department, then each
    department's findings; its foot names the registry state it was made from."""
    rows = [summary_cells(s) for s in report.departments]
    body = [
        E.H1(report.title),
        E.P(report.summary(), {"class": "summary"}),
        E.H2("一、总体情况"),
        _table(SUMMARY_COLUMNS, rows, total=summary_cells(report.total)),
    ]
    if report.classes is not None:  # a thematic campaign: its problems by class
        body += [
            E.H2("二、问题分类情况"),
            _table(report.classes.header, report.classes.rows[:-1], total=report.classes.rows[-1]),
        ]
    body.append(E.H2("三、各部门情况" if report.classes is not None else "二、各部门情况"))
    for k, section in enumerate(report.departments, start=1):
        body.append(
            E.SECTION(
                E.H3(f"（{chinese_numeral(k)}）{section.department}"),
                E.P(section.summary()),
                *(
                    [
                        _table(
                            [c for c, _ in FINDING_COLUMNS],
                            [finding_cells(n, f) for n, f in enumerate(section.findings, start=1)],
                        )
                    ]
                    if section.findings
                    else []
                ),
                {"id": f"d{k}"},
            )
        )
    made = report.made
    body.append(
        E.FOOTER(
            E.P(
                f"数据截至 {made.on.isoformat()} · 数据版本 {made.seq} · SHA-256 ",
                E.CODE(made.head),
            )
        )
    )
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width"),
            E.TITLE(report.title),
            E.STYLE(STYLE),
        ),
        E.BODY(E.MAIN(*body)),
        lang="zh-CN",
    )
    text = etree.tostring(page, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    path.write_text(text + "\n", encoding="utf-8")


def write_results_draft(draft: ResultsDraft, path: Path) -> None:
    """The draft results as a standalone page, marked 征求意见稿 at its head and on every row's
    table, with the comment period and the contact: never a page of decided results."""
    body = [
        E.P("征求意见稿 · 非正式清理结果", {"class": "summary", "role": "note"}),
        E.H1(draft.title),
        E.P(
            f"征求意见期限：即日起至{draft.until}。意见请送：{draft.contact}。",
            {"class": "summary"},
        ),
        _table(DRAFT_COLUMNS, draft.rows),
        E.FOOTER(E.P(f"征求意见稿，以正式公布的清理决定为准 · {draft.made.line}")),
    ]
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width"),
            E.META(name="robots", content="noindex"),
            E.TITLE(draft.title),
            E.STYLE(STYLE),
        ),
        E.BODY(E.MAIN(*body)),
        lang="zh-CN",
    )
    text = etree.tostring(page, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    path.write_text(text + "\n", encoding="utf-8")


def _table(header, rows, total=None):  # type: ignore[no-untyped-def]
    def cells(values):  # type: ignore[no-untyped-def]
        return [
            E.TD(str(v), {"class": "n"}) if isinstance(v, int) else E.TD(str(v or ""))
            for v in values
        ]

    body = [E.TR(*cells(r)) for r in rows]
    if total is not None:
        body.append(E.TR(*cells(total), {"class": "total"}))
    return E.TABLE(E.THEAD(E.TR(*[E.TH(h, scope="col") for h in header])), E.TBODY(*body))
