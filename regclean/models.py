"""The domain model: instruments, decisions, relations, campaigns and the event log.

All classes are frozen attrs values. They know nothing of SQLite or spreadsheets: the store builds
them with ``from_record`` from plain mappings, and the registry is the only place that changes
state (by appending events and writing new rows).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs

from .dates import PartialDate
from .docnumber import DocNumber
from .vocab import DecisionState, ItemOutcome, Kind, Outcome, ReasonCode, RelationKind, Status


def _date(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def _get(row: Mapping[str, Any], name: str) -> str:
    """A column that a row read before its migration (a backup's copy) may lack."""
    try:
        return row[name] or ""
    except (KeyError, IndexError):
        return ""


@attrs.frozen
class Reason:
    """Why an outcome was chosen: standard reason codes plus the clerk's own words.

    Attributes:
        text: the reason as written (may be empty when only codes are known).
        codes: standard reasons (:class:`ReasonCode`) it states.
    """

    text: str = ""
    codes: tuple[ReasonCode, ...] = ()

    @classmethod
    def from_text(cls, text: str) -> Reason:
        """A reason whose codes are detected from its wording (与上位法相抵触 -> conflicts_higher_law)."""
        text = text.strip()
        return cls(text, tuple(ReasonCode.detect(text)))

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "codes": [code.value for code in self.codes]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        return cls(data.get("text", ""), tuple(ReasonCode.parse(c) for c in data.get("codes", ())))


@attrs.frozen
class Instrument:
    """A rule, normative document or other policy document (规章 / 行政规范性文件 / 其他文件).

    Attributes:
        id: stable id, assigned by the registry.
        title: the title as published (``关于印发《X办法》的通知``).
        title_core: the inner title people cite (``X办法``).
        doc_number: the number exactly as recorded, or "" when it has none.
        number: the parsed number, or None when there is none or it does not parse.
        number_key: the canonical key it is found by (a generic order such as 市政府令 qualified
            by its recorded issuer: 济南市政府令第60号), "" when it has none.
        kind: 规章, 行政规范性文件, 法规 or 其他文件.
        issuer: the issuing body (制定机关), several joined by "、".
        department: the department responsible for it (责任单位), "谁制定谁清理".
        signed_on, published_on, effective_on, expires_on: its own dates, possibly partial.
        jurisdiction: the government whose stock it belongs to.
        source_url, index_no, subject: disclosure metadata (网址, 索引号, 主题分类).
        full_text: the body, when known.
        validity: the validity period as written (``5年``), when known.
        registration_no: its registration number (统一登记号, ``HFGS—2022—7``), or "".
    """

    id: int
    title: str
    title_core: str
    doc_number: str = ""
    number: DocNumber | None = None
    number_key: str = ""
    kind: Kind = Kind.OTHER
    issuer: str = ""
    department: str = ""
    signed_on: PartialDate | None = None
    published_on: PartialDate | None = None
    effective_on: PartialDate | None = None
    expires_on: PartialDate | None = None
    jurisdiction: str = ""
    source_url: str = ""
    index_no: str = ""
    subject: str = ""
    full_text: str = ""
    validity: str = ""
    registration_no: str = ""

    @property
    def own_date(self) -> PartialDate | None:
        """The earliest of its own dates: no decision can take effect before it."""
        dates = [d for d in (self.signed_on, self.published_on, self.effective_on) if d]
        return min(dates, key=lambda d: d.first_day) if dates else None

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Instrument:
        """Build from a stored record (plain strings, ISO dates)."""
        return cls(
            id=row["id"],
            title=row["title"],
            title_core=row["title_core"],
            doc_number=row["doc_number"] or "",
            number=DocNumber.try_parse(row["doc_number"]),
            number_key=row["number_key"] or "",
            kind=Kind.parse(row["kind"]),
            issuer=row["issuer"] or "",
            department=row["department"] or "",
            signed_on=_date(row["signed_on"]),
            published_on=_date(row["published_on"]),
            effective_on=_date(row["effective_on"]),
            expires_on=_date(row["expires_on"]),
            jurisdiction=row["jurisdiction"] or "",
            source_url=row["source_url"] or "",
            index_no=row["index_no"] or "",
            subject=row["subject"] or "",
            full_text=row["full_text"] or "",
            validity=row["validity"] or "",
            registration_no=_get(row, "registration_no"),
        )


@attrs.frozen
class Decision:
    """A review decision on one instrument, from proposal to approval (or withdrawal).

    Attributes:
        id: assigned by the registry.
        instrument_id: the instrument decided on.
        outcome: keep 继续有效, revise 修改, repeal 废止 or invalidate 宣布失效.
        reasons: why (standard codes plus free text).
        basis: the legal basis (法律依据) cited.
        replaced_by: id of the instrument that replaces or revises it, if any.
        campaign: the cleanup campaign it was filed under, if any.
        department, handler: who proposed it (提出部门, 经办人).
        state: proposed, approved, withdrawn or rejected.
        proposed_by, proposed_at: who filed it and when (UTC timestamp).
        reviewed_by, reviewed_at: who reviewed the proposal (合法性审核) and when.
        review_office: the office that reviewed it (审核机构, e.g. 市司法局).
        review_opinion: what the review found (审核意见).
        decided_by, decided_at: who approved/rejected it and when.
        decision_doc: the number of the government decision enacting it (决定文号).
        decision_title: the title of that decision (关于废止...的决定).
        effective_on: the day it takes effect.
        published_on: the day the decision was published.
        withdrawn_by, withdrawn_at, withdraw_reason: set when withdrawn.
        amendment: for a revision by an amending decision (修改决定), the amendment text
            (作如下修改: …), when known: the instrument is then in force as amended.
        articles: for a partial invalidation (宣布部分条款失效), the articles that lapse.
    """

    id: int
    instrument_id: int
    outcome: Outcome
    reasons: tuple[Reason, ...] = ()
    basis: str = ""
    replaced_by: int | None = None
    campaign: str = ""
    department: str = ""
    handler: str = ""
    state: DecisionState = DecisionState.PROPOSED
    proposed_by: str = ""
    proposed_at: str = ""
    decided_by: str = ""
    decided_at: str = ""
    reviewed_by: str = ""
    reviewed_at: str = ""
    review_office: str = ""
    review_opinion: str = ""
    decision_doc: str = ""
    decision_title: str = ""
    effective_on: PartialDate | None = None
    published_on: PartialDate | None = None
    withdrawn_by: str = ""
    withdrawn_at: str = ""
    withdraw_reason: str = ""
    amendment: str = ""
    articles: str = ""

    @property
    def is_open(self) -> bool:
        """True while proposed (awaiting approval)."""
        return self.state is DecisionState.PROPOSED

    def in_effect_on(self, day: dt.date) -> bool:
        """True when approved and in effect on ``day``.

        A partial effective date (``2008``) counts from its last possible day: regclean only
        claims a repeal once it is certain to have happened.
        """
        if self.state is not DecisionState.APPROVED:
            return False
        return self.effective_on is None or self.effective_on.last_day <= day

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Decision:
        """Build from a stored record (reasons as JSON text)."""
        reasons = tuple(Reason.from_json(r) for r in json.loads(row["reasons"] or "[]"))
        return cls(
            id=row["id"],
            instrument_id=row["instrument_id"],
            outcome=Outcome.parse(row["outcome"]),
            reasons=reasons,
            basis=row["basis"] or "",
            replaced_by=row["replaced_by"],
            campaign=row["campaign"] or "",
            department=row["department"] or "",
            handler=row["handler"] or "",
            state=DecisionState.parse(row["state"]),
            proposed_by=row["proposed_by"] or "",
            proposed_at=row["proposed_at"] or "",
            decided_by=row["decided_by"] or "",
            decided_at=row["decided_at"] or "",
            decision_doc=row["decision_doc"] or "",
            decision_title=row["decision_title"] or "",
            effective_on=_date(row["effective_on"]),
            published_on=_date(row["published_on"]),
            withdrawn_by=row["withdrawn_by"] or "",
            withdrawn_at=row["withdrawn_at"] or "",
            withdraw_reason=row["withdraw_reason"] or "",
            amendment=row["amendment"] or "",
            articles=row["articles"] or "",
            reviewed_by=row["reviewed_by"] or "",
            reviewed_at=row["reviewed_at"] or "",
            review_office=row["review_office"] or "",
            review_opinion=row["review_opinion"] or "",
        )

    @property
    def reason_text(self) -> str:
        """All reasons as one line, for tables and catalogs."""
        return "；".join(r.text or "、".join(c.zh for c in r.codes) for r in self.reasons)

    @property
    def is_exception(self) -> bool:
        """Whether it keeps a measure as an exception (保留（例外）): a keep decision whose
        reason states the exception."""
        return self.outcome is Outcome.KEEP and any(
            ReasonCode.EXCEPTION in r.codes for r in self.reasons
        )


@attrs.frozen
class Relation:
    """A directed link between two instruments: ``subject`` amends/repeals/... ``object``.

    Attributes:
        id: assigned by the registry.
        subject_id: the acting instrument (the new rule).
        kind: amends, repeals, replaces, based_on or cites.
        object_id: the instrument acted on.
    """

    id: int
    subject_id: int
    kind: RelationKind
    object_id: int

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Relation:
        return cls(row["id"], row["subject_id"], RelationKind.parse(row["kind"]), row["object_id"])


@attrs.frozen
class Campaign:
    """A cleanup round (清理工作): what is in scope and by when it must be done.

    Attributes:
        id: assigned by the registry.
        name: unique name used on the command line (``2024``, ``温政办函〔2024〕2号``).
        cutoff: instruments made before this date are in scope.
        deadline: proposals are due by this date.
        title: the notice that announced it, if any.
        scope: filters narrowing the scope (issuers, departments, kinds), as stored.
        closed_at: when it was closed (UTC), or "" while open.
    """

    id: int
    name: str
    cutoff: PartialDate | None = None
    deadline: PartialDate | None = None
    title: str = ""
    scope: Mapping[str, Any] = attrs.field(factory=dict)
    closed_at: str = ""

    @property
    def profile(self) -> str:
        """The name of its profile (:mod:`regclean.profiles`); ``general`` for one made before
        profiles, or without one."""
        return str(self.scope.get("profile") or "general")

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Campaign:
        return cls(
            id=row["id"],
            name=row["name"],
            cutoff=_date(row["cutoff"]),
            deadline=_date(row["deadline"]),
            title=row["title"] or "",
            scope=json.loads(row["scope"] or "{}"),
            closed_at=row["closed_at"] or "",
        )


@attrs.frozen
class Concern:
    """A problem found in a measure in a thematic cleanup (问题), by its profile's class and item.

    Attributes:
        id: assigned by the registry.
        instrument_id: the measure it is found in.
        campaign: the campaign's name.
        problem_class: the class's code (``cost``), as the campaign's profile names it.
        item: the item's number (``10.2``), or "" where only the class is known.
        clause: where it stands (第十二条), or "".
        quote: the words of the clause.
        note: what the reviewer says.
        enterprise: whether it concerns enterprises (涉企).
        signal: ``strong`` or ``weak`` for a candidate the screening pass found; "" for one a
            person recorded.
        state: candidate (awaiting a person), confirmed, or dismissed.
        found_by, found_at: who recorded it (or ran the screening), and when.
        decided_by, decided_at, reason: who confirmed or dismissed a candidate, when, and why.
    """

    id: int
    instrument_id: int
    campaign: str
    problem_class: str
    item: str = ""
    clause: str = ""
    quote: str = ""
    note: str = ""
    enterprise: bool = False
    signal: str = ""
    state: str = "confirmed"
    found_by: str = ""
    found_at: str = ""
    decided_by: str = ""
    decided_at: str = ""
    reason: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Concern:
        return cls(
            id=int(row["id"]),
            instrument_id=int(row["instrument_id"]),
            campaign=row["campaign"],
            problem_class=row["class"],
            item=row["item"],
            clause=row["clause"],
            quote=row["quote"],
            note=row["note"],
            enterprise=bool(row["enterprise"]),
            signal=row["signal"],
            state=row["state"],
            found_by=row["found_by"],
            found_at=row["found_at"],
            decided_by=row["decided_by"],
            decided_at=row["decided_at"],
            reason=row["reason"],
        )

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["class"] = data.pop("problem_class")
        return data


@attrs.frozen
class DocumentItem:
    """An item inside a document that a thematic cleanup decides one by one (a 证明事项, a
    罚款事项, a 行政许可, a 收费项目).

    Attributes:
        id: assigned by the registry.
        instrument_id: the document that holds it.
        campaign: the campaign's name.
        kind: 证明事项, 罚款事项 ... (the profile's ``items_of`` unless said otherwise).
        name: the item as the lists name it.
        article: where it stands (第N条), or "".
        text: its words.
        outcome: cancel (取消), keep (保留), adjust (调整), or None while undecided.
        reason, basis: why, and under what rule.
        added_by, added_at, decided_by, decided_at: who recorded and who decided it, and when.
    """

    id: int
    instrument_id: int
    campaign: str
    kind: str
    name: str
    article: str = ""
    text: str = ""
    outcome: ItemOutcome | None = None
    reason: str = ""
    basis: str = ""
    added_by: str = ""
    added_at: str = ""
    decided_by: str = ""
    decided_at: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> DocumentItem:
        return cls(
            id=int(row["id"]),
            instrument_id=int(row["instrument_id"]),
            campaign=row["campaign"],
            kind=row["kind"],
            name=row["name"],
            article=row["article"],
            text=row["text"],
            outcome=ItemOutcome.parse(row["outcome"]) if row["outcome"] else None,
            reason=row["reason"],
            basis=row["basis"],
            added_by=row["added_by"],
            added_at=row["added_at"],
            decided_by=row["decided_by"],
            decided_at=row["decided_at"],
        )

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["outcome"] = self.outcome.value if self.outcome else None
        data["outcome_zh"] = self.outcome.zh if self.outcome else None
        return data


@attrs.frozen
class StandardFinding:
    """One row of a review record: whether the measure offends one class of standards, and why."""

    problem_class: str
    breach: bool
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"class": self.problem_class, "breach": self.breach, "note": self.note}


@attrs.frozen
class ReviewRecord:
    """The review record of a measure in a fair-competition campaign (公平竞争审查记录), what the
    审查表 prints.

    Attributes:
        id: assigned by the registry.
        instrument_id: the measure.
        campaign: the campaign's name.
        stage: 起草单位初审, 会同审查, 存量清理 (the profile's stages).
        reviewer: who reviewed it.
        reviewed_on: the day of the review.
        findings: one row per class of standards, in the profile's order.
        exception: the exception relied on (例外规定), or "".
        conclusion: 可以出台 / 修改后出台 / 不得出台 for a draft; 保留 / 修改 / 废止 for the stock.
        recorded_by, recorded_at: who entered it, and when.
    """

    id: int
    instrument_id: int
    campaign: str
    stage: str
    reviewer: str
    reviewed_on: str
    findings: tuple[StandardFinding, ...]
    exception: str
    conclusion: str
    recorded_by: str = ""
    recorded_at: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> ReviewRecord:
        rows = json.loads(row["findings"] or "[]")
        return cls(
            id=int(row["id"]),
            instrument_id=int(row["instrument_id"]),
            campaign=row["campaign"],
            stage=row["stage"],
            reviewer=row["reviewer"],
            reviewed_on=row["reviewed_on"],
            findings=tuple(
                StandardFinding(f["class"], bool(f["breach"]), f.get("note", "")) for f in rows
            ),
            exception=row["exception"],
            conclusion=row["conclusion"],
            recorded_by=row["recorded_by"],
            recorded_at=row["recorded_at"],
        )

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["findings"] = [f.to_json() for f in self.findings]
        return data


@attrs.frozen
class Filing:
    """A filing of a document with the office above (备案) and that office's answers.

    Attributes:
        id: assigned by the registry.
        instrument_id: the document filed.
        filed_to: the office it went to (省司法厅).
        filed_on: the day it was filed.
        materials: what went with it (备案报告, 正文, 制定说明, 合法性审核意见 …).
        state: filed (awaiting an answer), registered (予以备案), deferred (暂缓登记, to be
            corrected by ``until``), refused (不予备案).
        answered_on: the day of the latest answer; until, reason: a deferral's date and why (or
            a refusal's reason); deferred_on: the day it was deferred, if it was.
        opinion: the office's 审查意见 (asking to revise or withdraw), if any.
    """

    id: int
    instrument_id: int
    filed_to: str
    filed_on: str
    materials: tuple[str, ...] = ()
    state: str = "filed"
    answered_on: str = ""
    until: str = ""
    reason: str = ""
    deferred_on: str = ""
    opinion: str = ""
    recorded_by: str = ""
    recorded_at: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Filing:
        return cls(
            id=int(row["id"]),
            instrument_id=int(row["instrument_id"]),
            filed_to=row["filed_to"],
            filed_on=row["filed_on"],
            materials=tuple(json.loads(row["materials"] or "[]")),
            state=row["state"],
            answered_on=row["answered_on"],
            until=row["until"],
            reason=row["reason"],
            deferred_on=row["deferred_on"],
            opinion=row["opinion"],
            recorded_by=row["recorded_by"],
            recorded_at=row["recorded_at"],
        )

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["materials"] = list(self.materials)
        return data


def _columns(cls: type, row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as a record's fields, one a column: its ids as numbers, the rest as stored."""
    return {
        f.name: int(row[f.name]) if f.name in ("id", "instrument_id") else row[f.name]
        for f in attrs.fields(cls)
    }


@attrs.frozen
class Evaluation:
    """The evaluation of a document before its validity ends (到期评估): the maker's report and
    proposal, the legal affairs office's opinion, and the decision, each with its day.

    Attributes:
        id: assigned by the registry.
        instrument_id: the document.
        expires_on: the end of the validity period it evaluates.
        report_on, report: the 评估报告 (with its proposal) and its day.
        opinion_on, opinion: the legal affairs office's opinion and its day.
        decided_on, outcome: the decision and its day: extend (延长有效期), revise (修改后重新发布)
            or repeal (废止); "" while open.
        new_expiry: the new end of validity an extension sets.
    """

    id: int
    instrument_id: int
    expires_on: str
    report_on: str = ""
    report: str = ""
    opinion_on: str = ""
    opinion: str = ""
    decided_on: str = ""
    outcome: str = ""
    new_expiry: str = ""
    recorded_by: str = ""
    recorded_at: str = ""

    @property
    def open(self) -> bool:
        return not self.outcome

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Evaluation:
        return cls(**_columns(cls, row))

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Comment:
    """A comment on a campaign's draft results (征求意见稿), and its answer.

    Attributes:
        id: assigned by the registry.
        campaign: the campaign's name.
        instrument_id: the document it is about.
        commenter: who sent it; received_on: when.
        opinion: what it says.
        answer: adopted (采纳), partly (部分采纳), rejected (不采纳), or "" while unanswered;
        answer_reason: why; answered_by, answered_on: who answered, and when.
    """

    id: int
    campaign: str
    instrument_id: int
    commenter: str
    received_on: str
    opinion: str
    answer: str = ""
    answer_reason: str = ""
    answered_by: str = ""
    answered_on: str = ""
    recorded_by: str = ""
    recorded_at: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Comment:
        return cls(**_columns(cls, row))

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Event:
    """One entry of the append-only event log.

    Attributes:
        seq: position in the log (1, 2, ...).
        at: UTC timestamp.
        actor: who did it ("" when not given).
        action: import, add, update, propose, approve, reject, withdraw, relate, campaign ...
        instrument_id: the instrument concerned, if any.
        decision_id: the decision concerned, if any.
        payload: what changed.
        hash: SHA-256 over its content and the previous event's hash (the chain).
    """

    seq: int
    at: str
    actor: str
    action: str
    instrument_id: int | None
    decision_id: int | None
    payload: Mapping[str, Any]
    hash: str = ""

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Event:
        return cls(
            seq=row["seq"],
            at=row["at"],
            actor=row["actor"] or "",
            action=row["action"],
            instrument_id=row["instrument_id"],
            decision_id=row["decision_id"],
            payload=_payload(row["payload"]),
            hash=row["hash"] or "",
        )


def _payload(text: str | None) -> dict[str, Any]:
    """An event's payload; one that regclean did not write (not JSON, nested beyond reason, not
    an object) is shown as unreadable rather than failing whoever reads the log (``verify``
    reports the event)."""
    try:
        found = json.loads(text or "{}")
    except (ValueError, RecursionError):
        return {"unreadable": (text or "")[:200]}
    return found if isinstance(found, dict) else {"unreadable": (text or "")[:200]}


def _when(d: Decision) -> tuple[dt.date, int]:
    return (d.effective_on.last_day if d.effective_on else dt.date.min, d.id)


def status_from(instrument: Instrument, decisions: list[Decision], day: dt.date) -> Status:
    """The status of an instrument on ``day``, derived from its approved decisions and dates
    (docs/concepts.md rules on each):

    - an approved repeal, invalidation or "not a normative document" in effect ends its force
      (or takes it out of the normative stock): the latest of them decides;
    - a revision that names the instrument replacing it (``replaced_by``) ends its force on the
      day it takes effect: ``replaced``;
    - otherwise it is in force, and the latest approved decision in effect says how: to be
      revised (a revision not yet made; one made by an amending decision, with its amendment
      text, leaves it in force as amended), in force in part (a partial invalidation), or in
      force (a keep, which also closes an earlier revision or partial invalidation);
    - with no decision, an instrument not yet effective is ``not_yet_in_force`` and one past its
      expiry is ``expired``.
    """
    in_effect = sorted((d for d in decisions if d.in_effect_on(day)), key=_when)
    ending = [
        d
        for d in in_effect
        if d.outcome.ends_force or (d.outcome is Outcome.REVISE and d.replaced_by)
    ]
    if ending:
        last = ending[-1]
        if last.outcome is Outcome.REVISE:
            return Status.REPLACED
        return _ENDED[last.outcome]
    if instrument.effective_on and instrument.effective_on.first_day > day:
        return Status.NOT_YET_IN_FORCE
    if in_effect:
        last = in_effect[-1]
        if last.outcome is Outcome.REVISE and not last.amendment:
            return Status.TO_BE_REVISED
        if last.outcome is Outcome.INVALIDATE_IN_PART:
            return Status.PARTIALLY_IN_FORCE
        if last.outcome is Outcome.KEEP or last.amendment:
            return _expiring(instrument, day)
    return _expiring(instrument, day)


def _expiring(instrument: Instrument, day: dt.date) -> Status:
    if instrument.expires_on and instrument.expires_on.last_day < day:
        return Status.EXPIRED
    return Status.IN_FORCE


_ENDED = {
    Outcome.REPEAL: Status.REPEALED,
    Outcome.INVALIDATE: Status.INVALID,
    Outcome.NOT_NORMATIVE: Status.NOT_NORMATIVE,
}
