"""Draft results out for comment (征求意见) and the answers to the comments.

Before the decision, a campaign's proposed results are published for comment as a 征求意见稿
(:func:`regclean.papers.results_draft`, a page of its own, never inside the public site), with
the comment period and a contact. Comments come back from a sheet (who, when, which document,
what they say); each gets an answer — 采纳 (adopted), 部分采纳 (partly), 不采纳 (rejected, with its
reason) — and the 意见采纳情况 reports them (:func:`regclean.papers.comment_report`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import campaigns as campaigns_
from . import instruments
from .dates import optional_date
from .decisions import located
from .errors import NotFoundError, Problem, StateError, ValidationError
from .fields import header_field
from .models import Comment
from .store import Store

ANSWERS = {"adopted": "采纳", "partly": "部分采纳", "rejected": "不采纳"}
_WORDS = {v: k for k, v in ANSWERS.items()} | {
    "予以采纳": "adopted",
    "不予采纳": "rejected",
    "采纳部分": "partly",
}
HEADERS = {
    "ref": ("文号", "文件", "文件名称", "涉及文件", "document", "ref"),
    "commenter": ("意见人", "提出人", "单位", "提出单位", "姓名", "commenter", "who"),
    "received_on": ("日期", "提出日期", "收到日期", "时间", "date"),
    "opinion": ("意见", "意见建议", "意见内容", "具体意见", "opinion"),
}


def column_of(header: str) -> str | None:
    """The field a sheet's column header names, or None."""
    return header_field(header, HEADERS)


def add_many(
    store: Store, campaign: str, rows: Iterable[Mapping[str, Any]], *, by: str, where: str = ""
) -> list[Comment]:
    """Record comments on a campaign's draft results, all or none; every comment naming an
    unknown document (or lacking a field) is listed at once with its row."""
    reads = store.reads
    found = campaigns_.get(reads, campaign)
    problems: list[Problem] = []
    made = []
    with store.transaction():
        for n, row in enumerate(rows, start=1):
            record = f"{where} row {row.get('row', n)}".strip() if where else f"comment {n}"
            try:
                instrument = instruments.get(reads, row.get("ref", ""))
            except (NotFoundError, LookupError, ValidationError) as exc:
                problems.append(Problem(str(exc), record, "document", str(row.get("ref", ""))))
                continue
            commenter, opinion = (
                str(row.get("commenter") or "").strip(),
                str(row.get("opinion") or "").strip(),
            )
            if not commenter or not opinion:
                problems.append(
                    Problem(
                        "a comment names who sent it and what it says",
                        record,
                        "commenter" if not commenter else "opinion",
                    )
                )
                continue
            try:
                day = located(
                    lambda r=row: optional_date(r.get("received_on")), record, "received_on"
                )
            except ValidationError as exc:
                problems += exc.problems
                continue
            values = {
                "campaign": found.name,
                "instrument_id": instrument.id,
                "commenter": commenter,
                "received_on": day.isoformat() if day else reads.today().isoformat(),
                "opinion": opinion,
                "recorded_by": by,
                "recorded_at": store.clock(),
            }
            comment_id = store.insert("comments", values)
            store.log(
                "comment",
                actor=by,
                instrument_id=instrument.id,
                payload={
                    "id": comment_id,
                    "campaign": found.name,
                    "commenter": commenter,
                    "received_on": values["received_on"],
                    "opinion": opinion,
                },
            )
            made.append(comment_id)
        if problems:
            raise ValidationError(problems)
    return [c for c in reads.comments(found.name) if c.id in made]


def answer(
    store: Store, comment_id: int, word: str, *, reason: str = "", on: Any = None, by: str
) -> Comment:
    """Answer a comment: 采纳, 部分采纳 or 不采纳 (the last two with a reason)."""
    reads = store.reads
    found = next((c for c in reads.comments() if c.id == comment_id), None)
    if found is None:
        raise NotFoundError(f"no comment with id {comment_id}")
    where = f"comment {comment_id}"
    if found.answer:
        raise StateError(f"{where} was answered: {ANSWERS[found.answer]} by {found.answered_by}")
    chosen = _WORDS.get(word.strip(), word.strip())
    if chosen not in ANSWERS:
        raise ValidationError(
            [
                Problem(
                    "an answer is 采纳 (adopted), 部分采纳 (partly) or 不采纳 (rejected)",
                    where,
                    "answer",
                    word,
                )
            ]
        )
    if chosen != "adopted" and not reason.strip():
        raise ValidationError([Problem(f"{ANSWERS[chosen]} gives its reason", where, "reason")])
    day = located(lambda: optional_date(on), where, "on") if on else None
    answered = day.isoformat() if day else reads.today().isoformat()
    if answered < found.received_on:
        raise ValidationError(
            [
                Problem(
                    f"answered on {answered} is before the comment was "
                    f"received on {found.received_on}",
                    where,
                    "on",
                    str(on),
                )
            ]
        )
    with store.transaction():
        store.update(
            "comments",
            comment_id,
            {
                "answer": chosen,
                "answer_reason": reason.strip(),
                "answered_by": by,
                "answered_on": answered,
            },
        )
        store.log(
            "comment_answer",
            actor=by,
            instrument_id=found.instrument_id,
            payload={"id": comment_id, "answer": chosen, "reason": reason.strip(), "on": answered},
        )
    return next(c for c in reads.comments() if c.id == comment_id)
