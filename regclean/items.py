"""Items inside a document that a thematic cleanup decides one by one: each 证明事项 or 罚款事项
is cancelled (取消), kept (保留) or adjusted (调整), and the campaign publishes its 取消清单 and
保留清单. An item is recorded by hand, from a sheet, or from a confirmed problem of the
screening pass; every step is logged and replayed by ``verify``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import campaigns as campaigns_
from . import concerns, instruments
from .errors import NotFoundError, Problem, StateError, ValidationError
from .fields import header_field
from .instruments import Ref
from .models import DocumentItem
from .store import Reader, Store
from .vocab import ItemOutcome

# what a profile's item_outcomes words mean
_ALLOWED_WORDS = {"取消": ItemOutcome.CANCEL, "保留": ItemOutcome.KEEP, "调整": ItemOutcome.ADJUST}


def add(
    store: Store,
    home: Path | None,
    campaign: str,
    ref: Ref,
    name: str,
    *,
    kind: str = "",
    article: str = "",
    text: str = "",
    by: str,
) -> DocumentItem:
    """Record an item inside a document of a campaign's scope; see
    :meth:`regclean.Registry.add_item`."""
    return add_many(
        store,
        home,
        campaign,
        [{"ref": ref, "name": name, "kind": kind, "article": article, "text": text}],
        by=by,
    )[0]


def from_problem(
    store: Store, home: Path | None, concern_id: int, name: str, *, by: str
) -> DocumentItem:
    """The item a confirmed problem is about, recorded with its document, clause and words."""
    concern = store.reads.concern(concern_id)
    if concern is None:
        raise NotFoundError(f"no problem with id {concern_id}")
    if concern.state != "confirmed":
        raise StateError(f"problem {concern_id} is {concern.state}: confirm it first")
    return add(
        store,
        home,
        concern.campaign,
        concern.instrument_id,
        name,
        article=concern.clause,
        text=concern.quote,
        by=by,
    )


def add_many(
    store: Store,
    home: Path | None,
    campaign: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    by: str,
    where: str = "",
) -> list[DocumentItem]:
    """Record several items at once, all or none; every problem is reported together, each
    naming its row (``where`` names the file)."""
    reads = store.reads
    found = campaigns_.get(reads, campaign)
    profile = concerns.profile_of(found, home)
    if not by.strip():
        raise ValidationError([Problem("who records it is required", field="by")])
    scope = {i for i, _ in campaigns_.scope_rows(reads, found)}
    problems: list[Problem] = []
    made: list[DocumentItem] = []
    with store.transaction():
        for n, row in enumerate(rows, start=1):
            record = f"{where} row {row.get('row', n)}".strip() if where else f"item {n}"
            try:
                instrument = instruments.get(reads, row["ref"])
            except (NotFoundError, LookupError, ValidationError) as exc:
                problems.append(Problem(str(exc), record, "document", str(row["ref"])))
                continue
            kind = (row.get("kind") or profile.items_of or "").strip()
            name = str(row.get("name") or "").strip()
            if not kind:
                problems.append(
                    Problem(
                        "say what kind of item it is (证明事项, 罚款事项 ...): the "
                        f"profile {profile.name} names none",
                        record,
                        "kind",
                    )
                )
                continue
            if not name:
                problems.append(Problem("an item needs its name", record, "name"))
                continue
            if instrument.id not in scope:
                problems.append(
                    Problem(
                        f"instrument {instrument.id} is not in the scope of {found.name}",
                        record,
                        "document",
                    )
                )
                continue
            try:
                article = concerns.check_clause(instrument, str(row.get("article") or ""))
            except ValidationError as exc:
                problems += [Problem(p.message, record, "article", p.value) for p in exc.problems]
                continue
            values = {
                "instrument_id": instrument.id,
                "campaign": found.name,
                "kind": kind,
                "name": name,
                "article": article,
                "text": str(row.get("text") or "").strip(),
                "added_by": by,
                "added_at": store.clock(),
            }
            item_id = store.insert("items", values)
            store.log(
                "item",
                actor=by,
                instrument_id=instrument.id,
                payload={
                    k: values[k]
                    for k in ("campaign", "kind", "name", "article", "text", "added_at")
                }
                | {"id": item_id},
            )
            if row.get("outcome"):
                try:
                    decide(
                        store,
                        home,
                        item_id,
                        row["outcome"],
                        reason=row.get("reason", ""),
                        basis=row.get("basis", ""),
                        by=by,
                    )
                except ValidationError as exc:
                    problems += [
                        Problem(p.message, record, "outcome", p.value) for p in exc.problems
                    ]
                    continue
            item = reads.item(item_id)
            assert item is not None
            made.append(item)
        if problems:
            raise ValidationError(problems)
    return made


def decide(
    store: Store,
    home: Path | None,
    item_id: int,
    outcome: ItemOutcome | str,
    *,
    reason: str = "",
    basis: str = "",
    by: str,
) -> DocumentItem:
    """Decide an item: cancel, keep or adjust it (as its profile allows), with the reason;
    see :meth:`regclean.Registry.decide_item`."""
    reads = store.reads
    item = reads.item(item_id)
    if item is None:
        raise NotFoundError(f"no item with id {item_id}")
    where = f"item {item_id}"
    try:
        chosen = ItemOutcome.parse(outcome)
    except ValidationError as exc:
        raise exc.located(where, "outcome") from None
    profile = concerns.profile_of(campaigns_.get(reads, item.campaign), home)
    allowed = [_ALLOWED_WORDS[w] for w in profile.item_outcomes if w in _ALLOWED_WORDS]
    if allowed and chosen not in allowed:
        words = "、".join(f"{o.zh} ({o.value})" for o in allowed)
        raise ValidationError(
            [
                Problem(
                    f"the profile {profile.name} decides an item as {words}",
                    where,
                    "outcome",
                    str(outcome),
                )
            ]
        )
    if item.outcome is not None:
        raise StateError(f"{where} was already decided: {item.outcome.zh} by {item.decided_by}")
    if chosen is ItemOutcome.CANCEL and not reason.strip():
        raise ValidationError([Problem("a cancellation gives its reason", where, "reason")])
    values = {
        "outcome": chosen.value,
        "reason": reason.strip(),
        "basis": basis.strip(),
        "decided_by": by,
        "decided_at": store.clock(),
    }
    with store.transaction():
        store.update("items", item_id, values)
        store.log(
            "item_decide",
            actor=by,
            instrument_id=item.instrument_id,
            payload={
                "id": item_id,
                "outcome": chosen.value,
                "reason": values["reason"],
                "basis": values["basis"],
                "at": values["decided_at"],
            },
        )
    decided = reads.item(item_id)
    assert decided is not None
    return decided


def lists(reads: Reader, campaign: str) -> dict[str, list[DocumentItem]]:
    """A campaign's published lists: 取消清单 (cancel), 保留清单 (keep) and 调整清单 (adjust),
    each in the order of the documents and then of the items."""
    found = campaigns_.get(reads, campaign)
    out: dict[str, list[DocumentItem]] = {o.value: [] for o in ItemOutcome}
    for item in reads.items(found.name):
        if item.outcome is not None:
            out[item.outcome.value].append(item)
    for rows in out.values():
        rows.sort(key=lambda i: (i.instrument_id, i.id))
    return out


def counts(reads: Reader, campaign: str) -> dict[str, int]:
    """How many items of a campaign came to each outcome, and how many are undecided."""
    found = campaigns_.get(reads, campaign)
    tally = Counter(i.outcome.value if i.outcome else "undecided" for i in reads.items(found.name))
    return {o.value: tally.get(o.value, 0) for o in ItemOutcome} | {
        "undecided": tally.get("undecided", 0)
    }


# header words of a sheet of items, folded
HEADERS = {
    "ref": ("文号", "文件", "文件名称", "依据文件", "设定依据", "所在文件", "document", "ref"),
    "name": ("事项名称", "证明名称", "证明事项", "罚款事项", "事项", "名称", "name"),
    "article": ("条款", "所在条款", "依据条款", "条目", "article"),
    "text": ("内容", "条款内容", "事项内容", "text"),
    "kind": ("事项类别", "类别", "kind"),
    "outcome": ("清理结果", "处理意见", "结果", "清理意见", "outcome"),
    "reason": ("理由", "说明", "取消理由", "reason"),
    "basis": ("依据", "法律依据", "basis"),
}


def column_of(header: str) -> str | None:
    """The field a sheet's column header names, or None."""
    return header_field(header, HEADERS)
