"""The papers a cleanup produces (清理工作的文书), made from the registry.

Four papers, each gathered as plain data by a function of :mod:`regclean.papers.facts` (or the
:class:`regclean.Registry` method of the same name) and written by :func:`write`:

- :func:`inspection` -> :class:`InspectionReport`, the inspection of a campaign per department
  (检查报告): ``docx`` or ``html``;
- :func:`statistics` -> :class:`Statistics`, the table reported up (清理情况统计表): ``xlsx`` or
  ``csv``;
- :func:`decision_draft` -> :class:`DecisionDraft`, the decision with its annexed catalogs (决定)
  and its 起草说明: ``docx`` (two files);
- :func:`department_form` -> :class:`DepartmentForm`, the form a department fills in (清理意见表):
  ``xlsx``, which ``regclean import`` reads back as the department's proposals.

Every file appears whole or not at all: it is written beside its target and then renamed.

>>> from regclean import Registry
>>> from regclean.papers import write
>>> registry = Registry.open("registry")                                # doctest: +SKIP
>>> write(registry.inspection("2024"), "检查报告.docx")                 # doctest: +SKIP
[PosixPath('检查报告.docx')]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..plans import Plan
from .facts import (
    ClassSummary,
    CommentReport,
    DecisionDraft,
    DepartmentForm,
    EvaluationReport,
    FilingCatalog,
    InspectionReport,
    ResultsDraft,
    ReviewForm,
    Statistics,
    class_summary,
    comment_report,
    decision_draft,
    department_form,
    evaluation_report,
    filing_catalog,
    inspection,
    results_draft,
    review_form,
    statistics,
)

__all__ = [
    "FORMATS",
    "ClassSummary",
    "CommentReport",
    "DecisionDraft",
    "DepartmentForm",
    "EvaluationReport",
    "FilingCatalog",
    "InspectionReport",
    "ResultsDraft",
    "ReviewForm",
    "Statistics",
    "class_summary",
    "comment_report",
    "decision_draft",
    "department_form",
    "evaluation_report",
    "explanation_path",
    "filing_catalog",
    "inspection",
    "results_draft",
    "review_form",
    "statistics",
    "write",
]

FORMATS: dict[type, tuple[str, ...]] = {
    InspectionReport: ("docx", "html"),
    Statistics: ("xlsx", "csv"),
    DecisionDraft: ("docx",),
    DepartmentForm: ("xlsx",),
    ReviewForm: ("docx",),
    ClassSummary: ("xlsx",),
    FilingCatalog: ("xlsx",),
    ResultsDraft: ("html", "csv"),
    CommentReport: ("xlsx",),
    Plan: ("xlsx",),
    EvaluationReport: ("docx",),
}


def explanation_path(path: str | Path) -> Path:
    """Where a decision's 起草说明 is written beside it: ``决定.docx`` -> ``决定-起草说明.docx``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-起草说明{path.suffix}")


def write(
    paper: Any, path: str | Path, *, format: str | None = None, fonts: str = "standard"
) -> list[Path]:
    """Write a paper to ``path`` in ``format`` (by default the path's suffix); returns the files
    written (a decision draft writes its 起草说明 beside it, see :func:`explanation_path`).
    ``fonts``: ``standard`` names the fonts of GB/T 9704 (方正小标宋简体, 仿宋_GB2312 …),
    ``common`` the fonts every Chinese Windows has (宋体, 仿宋, 黑体, 楷体)."""
    from . import html, sheets, word  # Word and Excel load only when a paper is made

    path = Path(path)
    allowed = FORMATS.get(type(paper))
    if allowed is None:
        raise TypeError(f"not a paper: {type(paper).__name__}")
    fmt = (format or path.suffix.lstrip(".") or allowed[0]).lower()
    if fmt not in allowed:
        raise ValidationError(
            [Problem(f"this paper is written as {' or '.join(allowed)}", str(path), "format", fmt)]
        )
    if fonts not in word.FONT_SETS:
        raise ValidationError(
            [
                Problem(
                    f"unknown font set (use {', '.join(word.FONT_SETS)})", str(path), "fonts", fonts
                )
            ]
        )
    writers: list[tuple[Path, Callable[[Path], None]]]
    if isinstance(paper, InspectionReport):
        writers = [
            (
                path,
                (lambda p: word.write_inspection(paper, p, fonts))
                if fmt == "docx"
                else (lambda p: html.write_inspection(paper, p)),
            )
        ]
    elif isinstance(paper, Statistics):
        writers = [
            (
                path,
                (lambda p: sheets.write_stats_xlsx(paper, p))
                if fmt == "xlsx"
                else (lambda p: sheets.write_stats_csv(paper, p)),
            )
        ]
    elif isinstance(paper, DecisionDraft):
        writers = [
            (path, lambda p: word.write_decision(paper, p, fonts)),
            (explanation_path(path), lambda p: word.write_explanation(paper, p, fonts)),
        ]
    elif isinstance(paper, ReviewForm):
        writers = [(path, lambda p: word.write_review_form(paper, p, fonts))]
    elif isinstance(paper, EvaluationReport):
        writers = [(path, lambda p: word.write_evaluation_report(paper, p, fonts))]
    elif isinstance(paper, Plan):
        writers = [(path, lambda p: sheets.write_plan(paper, p))]
    elif isinstance(paper, ResultsDraft):
        writers = [
            (
                path,
                (lambda p: html.write_results_draft(paper, p))
                if fmt == "html"
                else (lambda p: sheets.write_results_csv(paper, p)),
            )
        ]
    elif isinstance(paper, CommentReport):
        writers = [(path, lambda p: sheets.write_comment_report(paper, p))]
    elif isinstance(paper, FilingCatalog):
        writers = [(path, lambda p: sheets.write_filing_catalog(paper, p))]
    elif isinstance(paper, ClassSummary):
        writers = [(path, lambda p: sheets.write_class_summary(paper, p))]
    else:
        writers = [(path, lambda p: sheets.write_form_xlsx(paper, p))]
    return _all_or_nothing(writers)


def _all_or_nothing(writers: list[tuple[Path, Callable[[Path], None]]]) -> list[Path]:
    """Each file written to a temporary name beside its target; only when every one is
    written are they renamed into place (a failure leaves no file and no temporary behind)."""
    done: list[tuple[str, Path]] = []
    try:
        for target, write_to in writers:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            os.close(handle)
            done.append((temp, target))
            write_to(Path(temp))
        for temp, target in done:
            os.chmod(temp, 0o644)
            os.replace(temp, target)
    except OSError as exc:
        raise ValidationError(
            [
                Problem(
                    f"cannot write the paper ({exc.strerror or exc})",
                    str(writers[len(done) - 1][0] if done else writers[0][0]),
                )
            ]
        ) from None
    finally:
        for temp, _ in done:
            Path(temp).unlink(missing_ok=True)
    return [target for target, _ in writers]
