"""The catalogue of events: every kind of entry regclean writes to a registry's log, with the
payload fields it carries and their types, its Chinese and English labels, and how ``verify``
replays it. The store's single writer (:meth:`regclean.store.Store.log`) accepts only these,
``verify`` refuses a log that holds any other, and the published pages label history from it.

    >>> EVENTS["approve"].zh, EVENTS["approve"].en
    ('批准', 'approved')
    >>> check("approve", {"outcome": "repeal"}, instrument_id=1, decision_id=2)
    Traceback (most recent call last):
    ...
    ValueError: event approve: payload field decided_at is missing

Adding an event means adding it here: a test fails for a type without a label or without a
replay (or a stated reason why it changes nothing ``verify`` compares).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

_NONE = type(None)
TEXT = (str,)
MAYBE_TEXT = (str, _NONE)
NUMBER = (int,)
MAYBE_NUMBER = (int, _NONE)
LIST = (list,)


@attrs.frozen
class EventType:
    """One kind of event.

    Attributes:
        name: as stored in the log's ``action`` column.
        zh, en: its label on pages and papers.
        fields: the payload fields it must carry, each with the types its value may have.
        open: whether the payload may carry further fields (an instrument's or a decision's
            columns, a registry's settings), beyond those named.
        instrument, decision: whether the event names an instrument, a decision.
        replay: the method of ``verify``'s replay that applies it, or "" for an event that
            changes nothing verify compares (``audit`` says why).
        audit: why an event without a replay has none.
    """

    name: str
    zh: str
    en: str
    fields: Mapping[str, tuple[type, ...]] = attrs.field(factory=dict)
    open: bool = False
    instrument: bool = False
    decision: bool = False
    replay: str = ""
    audit: str = ""


_DECIDED = {"outcome": TEXT}

EVENTS: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType(
            "init",
            "建立登记簿",
            "registry created",
            open=True,
            audit="the settings it records live in regclean.toml",
        ),
        EventType(
            "add", "登记", "registered", {"title": TEXT}, open=True, instrument=True, replay="added"
        ),
        EventType(
            "update", "修改信息", "details changed", open=True, instrument=True, replay="updated"
        ),
        EventType(
            "propose",
            "提出清理意见",
            "decision proposed",
            {**_DECIDED, "proposed_by": TEXT, "proposed_at": TEXT, "reasons": LIST},
            open=True,
            instrument=True,
            decision=True,
            replay="proposed",
        ),
        EventType(
            "review",
            "合法性审核",
            "reviewed",
            {**_DECIDED, "at": TEXT, "office": TEXT, "opinion": TEXT},
            instrument=True,
            decision=True,
            replay="reviewed",
        ),
        EventType(
            "approve",
            "批准",
            "approved",
            {
                **_DECIDED,
                "decided_at": TEXT,
                "decision_doc": TEXT,
                "decision_title": TEXT,
                "effective_on": MAYBE_TEXT,
                "published_on": MAYBE_TEXT,
            },
            instrument=True,
            decision=True,
            replay="approved",
        ),
        EventType(
            "reject",
            "未通过",
            "rejected",
            {**_DECIDED, "reason": TEXT, "was": TEXT, "at": TEXT},
            instrument=True,
            decision=True,
            replay="rejected",
        ),
        EventType(
            "withdraw",
            "撤回",
            "withdrawn",
            {**_DECIDED, "reason": TEXT, "was": TEXT, "at": TEXT},
            instrument=True,
            decision=True,
            replay="withdrawn",
        ),
        EventType(
            "relate",
            "建立关联",
            "related",
            {"kind": TEXT, "object": NUMBER},
            instrument=True,
            replay="related",
        ),
        EventType(
            "related",
            "被关联",
            "related",
            {"kind": TEXT, "object": NUMBER},
            instrument=True,
            audit="the other side of a relate event, which the replay applies",
        ),
        EventType(
            "campaign",
            "开展清理",
            "cleanup opened",
            {"name": TEXT, "id": NUMBER, "scope": (dict,), "in_scope": NUMBER, "members": LIST},
            open=True,
            replay="campaign_opened",
        ),
        EventType(
            "campaign_close",
            "清理结束",
            "cleanup closed",
            {"campaign": TEXT, "declared_void": LIST, "closed_at": TEXT, "rule": TEXT},
            replay="campaign_closed",
        ),
        EventType(
            "scope_add",
            "纳入清理范围",
            "added to a cleanup",
            {"campaign": TEXT, "reason": TEXT, "department": TEXT},
            instrument=True,
            replay="scope_added",
        ),
        EventType(
            "scope_remove",
            "移出清理范围",
            "removed from a cleanup",
            {"campaign": TEXT, "reason": TEXT, "department": TEXT},
            instrument=True,
            replay="scope_removed",
        ),
        EventType(
            "assign",
            "调整责任单位",
            "reassigned",
            {"campaign": TEXT, "from": TEXT, "to": TEXT},
            instrument=True,
            replay="assigned",
        ),
        EventType(
            "concern",
            "发现问题",
            "problem found",
            {
                "id": NUMBER,
                "campaign": TEXT,
                "class": TEXT,
                "item": TEXT,
                "clause": TEXT,
                "quote": TEXT,
                "note": TEXT,
                "enterprise": NUMBER,
                "signal": TEXT,
                "state": TEXT,
                "found_at": TEXT,
            },
            instrument=True,
            replay="concern_found",
        ),
        EventType(
            "concern_decide",
            "认定或排除问题",
            "problem confirmed or dismissed",
            {"id": NUMBER, "state": TEXT, "reason": TEXT, "at": TEXT},
            instrument=True,
            replay="concern_decided",
        ),
        EventType(
            "item",
            "登记事项",
            "item recorded",
            {
                "id": NUMBER,
                "campaign": TEXT,
                "kind": TEXT,
                "name": TEXT,
                "article": TEXT,
                "text": TEXT,
                "added_at": TEXT,
            },
            instrument=True,
            replay="item_added",
        ),
        EventType(
            "item_decide",
            "事项清理结果",
            "item decided",
            {"id": NUMBER, "outcome": TEXT, "reason": TEXT, "basis": TEXT, "at": TEXT},
            instrument=True,
            replay="item_decided",
        ),
        EventType(
            "review_record",
            "公平竞争审查",
            "fair-competition review recorded",
            {
                "id": NUMBER,
                "campaign": TEXT,
                "stage": TEXT,
                "reviewer": TEXT,
                "reviewed_on": TEXT,
                "findings": LIST,
                "exception": TEXT,
                "conclusion": TEXT,
                "recorded_at": TEXT,
            },
            instrument=True,
            replay="review_recorded",
        ),
        EventType(
            "file",
            "报送备案",
            "filed with the office above",
            {"id": NUMBER, "filed_to": TEXT, "filed_on": TEXT, "materials": LIST},
            instrument=True,
            replay="filed",
        ),
        EventType(
            "file_answer",
            "备案审查结果",
            "filing answered",
            {"id": NUMBER, "state": TEXT, "answered_on": TEXT, "until": TEXT, "reason": TEXT},
            instrument=True,
            replay="filing_answered",
        ),
        EventType(
            "file_opinion",
            "备案审查意见",
            "review opinion on a filing",
            {"id": NUMBER, "opinion": TEXT},
            instrument=True,
            replay="filing_opinion",
        ),
        EventType(
            "evaluate",
            "到期评估",
            "evaluation before expiry",
            {
                "id": NUMBER,
                "step": TEXT,
                "on": TEXT,
                "text": TEXT,
                "expires_on": TEXT,
                "outcome": TEXT,
                "new_expiry": TEXT,
            },
            instrument=True,
            replay="evaluated",
        ),
        EventType(
            "comment",
            "征求意见",
            "comment received",
            {
                "id": NUMBER,
                "campaign": TEXT,
                "commenter": TEXT,
                "received_on": TEXT,
                "opinion": TEXT,
            },
            instrument=True,
            replay="commented",
        ),
        EventType(
            "comment_answer",
            "意见采纳情况",
            "comment answered",
            {"id": NUMBER, "answer": TEXT, "reason": TEXT, "on": TEXT},
            instrument=True,
            replay="comment_answered",
        ),
        EventType(
            "note",
            "备注",
            "noted",
            {"amended_by": TEXT, "source": TEXT},
            instrument=True,
            audit="a note for the reader; it changes no row",
        ),
        EventType(
            "restore",
            "从备份恢复",
            "restored from a backup",
            {"backup": TEXT, "head": TEXT, "replaced_head": MAYBE_TEXT},
            audit="the restored log replays itself; this records when and by whom",
        ),
        EventType(
            "account",
            "开设账户",
            "account opened",
            {"role": TEXT, "department": TEXT, "can": TEXT},
            audit="the account lives in the server's roles and its accounts table",
        ),
        EventType(
            "replace_site",
            "替换已发布站点",
            "published site replaced",
            {"site": TEXT, "head": MAYBE_NUMBER, "hash": MAYBE_TEXT, "reason": TEXT},
            audit="a publication, not a change to the registry's rows",
        ),
    )
}


def check(
    action: str,
    payload: Mapping[str, Any],
    *,
    instrument_id: int | None = None,
    decision_id: int | None = None,
) -> EventType:
    """The type of an event about to be written, or ValueError saying what is wrong with it: an
    action not in the catalogue, a missing subject, a missing or mistyped payload field, or a
    field the type does not carry."""
    kind = EVENTS.get(action)
    if kind is None:
        raise ValueError(f"event {action!r} is not in the catalogue (regclean.events)")
    if kind.instrument and instrument_id is None:
        raise ValueError(f"event {action}: it names no instrument")
    if kind.decision and decision_id is None:
        raise ValueError(f"event {action}: it names no decision")
    for name, types in kind.fields.items():
        if name not in payload:
            raise ValueError(f"event {action}: payload field {name} is missing")
        if not isinstance(payload[name], types):
            allowed = " or ".join(t.__name__ for t in types)
            raise ValueError(
                f"event {action}: payload field {name} is {type(payload[name]).__name__}, "
                f"not {allowed}"
            )
    if not kind.open:
        extra = sorted(set(payload) - set(kind.fields))
        if extra:
            raise ValueError(f"event {action}: payload fields {', '.join(extra)} are not its own")
    return kind


def label(action: str, lang: str = "zh") -> str:
    """An event's label in the language of a page; an action the catalogue does not know is
    shown as stored."""
    kind = EVENTS.get(action)
    if kind is None:
        return action
    return kind.zh if lang == "zh" else kind.en
