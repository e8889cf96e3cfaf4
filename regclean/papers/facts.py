"""What the papers say, as plain data: gathered from the registry's reader, written by the
modules beside this one (Word, HTML, spreadsheets). Nothing here writes a file."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .. import campaigns as campaigns_
from .. import concerns, evaluations, filings, instruments
from ..catalog import row_values
from ..config import Settings
from ..dates import PartialDate, iso, optional_date
from ..errors import NotFoundError, Problem, StateError, ValidationError
from ..models import Campaign, Decision, Instrument
from ..store import Reader
from ..vocab import DecisionState, FindingCode, Kind, Outcome

_LIVE = (DecisionState.PROPOSED, DecisionState.APPROVED)
# the order outcomes are counted, listed and annexed in (what ends force first, kept last)
OUTCOME_ORDER = (
    Outcome.REPEAL,
    Outcome.INVALIDATE,
    Outcome.INVALIDATE_IN_PART,
    Outcome.REVISE,
    Outcome.NOT_NORMATIVE,
    Outcome.KEEP,
)
# the statistics columns as reporting forms name them (清理情况统计表)
STATS_OUTCOMES = (
    (Outcome.KEEP, "继续有效"),
    (Outcome.REVISE, "修改"),
    (Outcome.REPEAL, "废止"),
    (Outcome.INVALIDATE, "宣布失效"),
    (Outcome.INVALIDATE_IN_PART, "部分失效"),
    (Outcome.NOT_NORMATIVE, "不属于规范性文件"),
)
TOTAL = "合计"


@attrs.frozen
class Made:
    """Where a paper comes from: the day, and the registry state (log position and head hash)."""

    on: dt.date
    seq: int
    head: str

    @classmethod
    def now(cls, reads: Reader) -> Made:
        return cls(reads.today(), reads.last_seq(), reads.head_hash())

    @property
    def line(self) -> str:
        """One line for a paper's foot: 数据截至 2026-11-29 · 数据版本 23 · SHA-256 …"""
        return f"数据截至 {self.on.isoformat()} · 数据版本 {self.seq} · SHA-256 {self.head}"


# -- the inspection report (检查报告) -----------------------------------------------------------


@attrs.frozen
class DepartmentInspection:
    """One department's share of a campaign, as the inspection finds it.

    Attributes:
        department: the department (责任单位), or 合计 for the totals.
        in_scope: instruments it must decide on (应清理).
        approved: with an approved decision (已审定).
        proposed: with a proposal awaiting approval (已报送待审定).
        undecided: with neither (未报送).
        outcomes: proposed or approved decisions by outcome (the latest of each instrument).
        counts: findings by code (late, missed, conflicting, basis_repealed, expired,
            evaluation_due, no_reason), every code present.
        findings: the findings themselves, each with the instrument's number and title.
    """

    department: str
    in_scope: int
    approved: int
    proposed: int
    undecided: int
    outcomes: dict[Outcome, int]
    counts: dict[FindingCode, int]
    findings: tuple[campaigns_.Finding, ...] = ()

    @property
    def submitted(self) -> int:
        """Instruments the department has given its view on (已报送)."""
        return self.approved + self.proposed

    def summary(self) -> str:
        """The numbers in one Chinese sentence, as an inspection report states them."""
        c = self.counts
        text = (
            f"应清理{self.in_scope}件，已报送{self.submitted}件（已审定{self.approved}件，"
            f"待审定{self.proposed}件），未报送{self.undecided}件"
        )
        decided = "，".join(
            f"{o.zh}{self.outcomes[o]}件" for o in OUTCOME_ORDER if self.outcomes.get(o)
        )
        if decided:
            text += f"；清理意见中{decided}"
        problems = [
            (FindingCode.MISSED, "漏清"),
            (FindingCode.LATE, "逾期报送"),
            (FindingCode.CONFLICTING, "部门意见冲突"),
            (FindingCode.BASIS_REPEALED, "制定依据已废止仍然有效"),
            (FindingCode.EXPIRED, "有效期届满未作处理"),
            (FindingCode.EVALUATION_DUE, "即将到期应当评估"),
            (FindingCode.NO_REASON, "废止或失效未说明理由"),
        ]
        found = "，".join(f"{words}{c[code]}件" for code, words in problems if c.get(code))
        return text + (f"；发现问题：{found}。" if found else "；未发现问题。")


@attrs.frozen
class InspectionReport:
    """The inspection of a campaign (清理工作检查报告), per department and in total.

    Attributes:
        campaign: the campaign inspected.
        department: the one department asked for, or "" for all.
        departments: one section per department, in name order.
        total: the totals over them (department 合计).
        made: the day and registry state it was made from.
        classes: for a thematic campaign, its problems by class (the class summary), else None.
    """

    campaign: Campaign
    department: str
    departments: tuple[DepartmentInspection, ...]
    total: DepartmentInspection
    made: Made
    classes: ClassSummary | None = None

    @property
    def title(self) -> str:
        name = self.campaign.title or f"{self.campaign.name}清理工作"
        who = f"{self.department}" if self.department else ""
        return f"{who}{name}检查报告"

    def summary(self) -> str:
        deadline = self.campaign.deadline
        when = f"（报送期限{deadline.chinese()}）" if deadline else ""
        return f"截至{PartialDate.from_date(self.made.on).chinese()}{when}，{self.total.summary()}"


def inspection(
    reads: Reader,
    settings: Settings,
    campaign: str,
    department: str | None = None,
    home: Any = None,
) -> InspectionReport:
    """The inspection report of ``campaign`` (one department's share, or every department's);
    a thematic campaign's report also counts its problems by class (件, 件次, 涉企).
    NotFoundError for an unknown campaign or a department with nothing in its scope."""
    found = campaigns_.get(reads, campaign)
    scope = _scope(reads, found, department)
    findings = campaigns_.findings(reads, settings, found)
    latest = _latest(reads, found, scope)
    sections = []
    for name in sorted({d for _, d in scope}):
        ids = [i for i, d in scope if d == name]
        mine = tuple(
            f
            for f in findings
            if f.department == name
            or (f.instrument in set(ids) and f.department not in {d for _, d in scope})
        )
        sections.append(_section(name, ids, latest, mine))
    total = _section(
        TOTAL, [i for i, _ in scope], latest, tuple(f for s in sections for f in s.findings)
    )
    thematic = concerns.profile_of(found, home).thematic
    classes = class_summary(reads, home, found.name) if thematic and not department else None
    return InspectionReport(
        found, department or "", tuple(sections), total, Made.now(reads), classes
    )


def _scope(reads: Reader, campaign: Campaign, department: str | None) -> list[tuple[int, str]]:
    scope = campaigns_.scope_rows(reads, campaign)
    if not scope:
        raise NotFoundError(f"campaign {campaign.name!r} has nothing in its scope")
    if department:
        known = sorted({d for _, d in scope})
        mine = [(i, d) for i, d in scope if d == department]
        if not mine:
            raise NotFoundError(
                f"no department {department!r} in the scope of campaign "
                f"{campaign.name!r} (its departments: {', '.join(known)})"
            )
        return mine
    return scope


def _latest(
    reads: Reader, campaign: Campaign, scope: Sequence[tuple[int, str]]
) -> dict[int, Decision]:
    """The latest live decision counting for the campaign, of each instrument that has one."""
    out = {}
    for instrument_id, decisions in reads.decisions_by_instrument([i for i, _ in scope]).items():
        live = [d for d in decisions if d.state in _LIVE and campaigns_.counts_for(campaign, d)]
        if live:
            out[instrument_id] = live[-1]
    return out


def _section(
    name: str,
    ids: Sequence[int],
    latest: dict[int, Decision],
    findings: Iterable[campaigns_.Finding],
) -> DepartmentInspection:
    found = tuple(campaigns_.sorted_findings(findings))
    decided = [latest[i] for i in ids if i in latest]
    approved = sum(d.state is DecisionState.APPROVED for d in decided)
    outcomes = Counter(d.outcome for d in decided)
    counts = Counter(f.code for f in found)
    return DepartmentInspection(
        department=name,
        in_scope=len(ids),
        approved=approved,
        proposed=len(decided) - approved,
        undecided=len(ids) - len(decided),
        outcomes={o: outcomes.get(o, 0) for o in OUTCOME_ORDER},
        counts={c: counts.get(c, 0) for c in FindingCode},
        findings=found,
    )


# -- the statistics reported up (清理情况统计表) ---------------------------------------------------


@attrs.frozen
class StatsRow:
    """One row of the statistics: a department (or 合计), and a kind when split by kind.

    Attributes:
        department: the department, or 合计.
        kind: the kind's Chinese name when split by kind, else "".
        total: instruments in scope (清理总数).
        outcomes: approved decisions by outcome.
        unfinished: instruments without an approved decision (未完成).
        pending: of those, the ones with a proposal awaiting approval (其中待审定).
    """

    department: str
    kind: str
    total: int
    outcomes: dict[Outcome, int]
    unfinished: int
    pending: int

    def cells(self, by_kind: bool) -> list[Any]:
        head: list[Any] = [self.department] + ([self.kind] if by_kind else [])
        counts = [self.outcomes.get(o, 0) for o, _ in STATS_OUTCOMES]
        return [*head, self.total, *counts, self.unfinished, self.pending]


@attrs.frozen
class Statistics:
    """The statistics of a campaign: one row per department (and kind), then the total row(s).

    Attributes:
        campaign: the campaign.
        by_kind: rows are split by kind (规章 / 行政规范性文件 …).
        rows: the department rows, then 合计 (per kind, then over all, when split).
        made: the day and registry state it was made from.
    """

    campaign: Campaign
    by_kind: bool
    rows: tuple[StatsRow, ...]
    made: Made

    @property
    def title(self) -> str:
        return f"{self.campaign.title or self.campaign.name}清理情况统计表"

    @property
    def header(self) -> list[str]:
        head = ["责任单位"] + (["类别"] if self.by_kind else [])
        return [*head, "清理总数", *(w for _, w in STATS_OUTCOMES), "未完成", "其中待审定"]


def statistics(
    reads: Reader, campaign: str, *, by_kind: bool = False, department: str | None = None
) -> Statistics:
    """The statistics of ``campaign`` for reporting up: per department, approved decisions by
    outcome, what is unfinished; split by kind with ``by_kind``."""
    found = campaigns_.get(reads, campaign)
    scope = _scope(reads, found, department)
    latest = _latest(reads, found, scope)
    kinds = {i.id: i.kind for i in _instruments(reads, [i for i, _ in scope])} if by_kind else {}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for instrument_id, name in scope:
        kind = kinds[instrument_id].zh if by_kind else ""
        groups[(name, kind)].append(instrument_id)
    order = {k.zh: n for n, k in enumerate(Kind)}
    rows = [
        _stats_row(name, kind, ids, latest)
        for (name, kind), ids in sorted(
            groups.items(), key=lambda g: (g[0][0], order.get(g[0][1], 0))
        )
    ]
    if by_kind:
        for kind in sorted({k for _, k in groups}, key=lambda k: order.get(k, 0)):
            ids = [i for (_, k), members in groups.items() if k == kind for i in members]
            rows.append(_stats_row(TOTAL, kind, ids, latest))
    rows.append(_stats_row(TOTAL, "", [i for i, _ in scope], latest))
    return Statistics(found, by_kind, tuple(rows), Made.now(reads))


def _stats_row(name: str, kind: str, ids: Sequence[int], latest: dict[int, Decision]) -> StatsRow:
    approved = [latest[i] for i in ids if i in latest and latest[i].state is DecisionState.APPROVED]
    pending = sum(1 for i in ids if i in latest and latest[i].state is DecisionState.PROPOSED)
    outcomes = Counter(d.outcome for d in approved)
    return StatsRow(name, kind, len(ids), dict(outcomes), len(ids) - len(approved), pending)


def _instruments(reads: Reader, ids: Sequence[int]) -> list[Instrument]:
    return [instrument for instrument, _ in reads.instruments_with_decisions(ids)]


# -- the decision draft (决定) and its explanation (起草说明) --------------------------------------


@attrs.frozen
class Annex:
    """One annexed catalog of a decision (附件N): what one outcome does to which instruments.

    Attributes:
        number: 1, 2 … in the order of OUTCOME_ORDER.
        outcome: the outcome it lists.
        title: its heading (决定废止的规范性文件目录).
        rows: catalog rows (序号, 文件名称, 文号, 发布日期, 制定机关, 理由: keys n, title,
            doc_number, date, issuer, reason).
        noun: what its instruments are (规章, 行政规范性文件 …).
    """

    number: int
    outcome: Outcome
    title: str
    rows: tuple[dict[str, Any], ...]
    noun: str = "文件"


@attrs.frozen
class DecisionDraft:
    """A cleanup decision (关于…清理结果的决定) ready to be laid out, with its explanation.

    Attributes:
        title: the decision's title.
        number: its 发文字号 (may be empty in a draft: left for the office to fill).
        issuer: who issues it (署名).
        signed_on: the date under the signature (成文日期).
        noun: what it decides on: 规章, 行政规范性文件, or 规章和行政规范性文件 …
        paragraphs: the body, paragraph by paragraph.
        annexes: the annexed catalogs, one per outcome present.
        explanation: the 起草说明, as (heading, paragraphs) sections.
        reviewed: how many instruments it covers.
        reasons: the standard reasons counted over the repeals and invalidations.
        made: the day and registry state it was made from.
    """

    title: str
    number: str
    issuer: str
    signed_on: dt.date
    noun: str
    paragraphs: tuple[str, ...]
    annexes: tuple[Annex, ...]
    explanation: tuple[tuple[str, tuple[str, ...]], ...]
    reviewed: int
    reasons: dict[str, int]
    made: Made


ANNEX_TITLES = {
    Outcome.REPEAL: "决定废止的{noun}目录",
    Outcome.INVALIDATE: "决定宣布失效的{noun}目录",
    Outcome.INVALIDATE_IN_PART: "决定宣布部分条款失效的{noun}目录",
    Outcome.REVISE: "决定修改的{noun}目录",
    Outcome.NOT_NORMATIVE: "经清理不属于行政规范性文件的文件目录",
    Outcome.KEEP: "继续有效的{noun}目录",
}
ITEM_WORDS = {
    Outcome.REPEAL: "对{n}件{noun}予以废止",
    Outcome.INVALIDATE: "对{n}件{noun}宣布失效",
    Outcome.INVALIDATE_IN_PART: "对{n}件{noun}的部分条款宣布失效",
    Outcome.REVISE: "对{n}件{noun}予以修改，由制定机关按程序修改后重新公布",
    Outcome.NOT_NORMATIVE: "{n}件文件经清理认定不属于行政规范性文件，不再作为行政规范性文件管理",
    Outcome.KEEP: "{n}件{noun}继续有效",
}
_NUMERALS = "一二三四五六七八九十"


def decision_draft(
    reads: Reader,
    settings: Settings,
    *,
    campaign: str | None = None,
    instruments: Sequence[int] = (),
    title: str,
    number: str = "",
    issuer: str = "",
    signed_on: dt.date | None = None,
) -> DecisionDraft:
    """The draft of the decision that enacts a campaign's results (or those of ``instruments``):
    each instrument's latest live decision (approved, or proposed and awaiting approval) goes
    into the annex of its outcome. ValidationError when nothing is decided."""
    if not title.strip():
        raise ValidationError([Problem("a decision needs a title", field="title")])
    found = campaigns_.get(reads, campaign) if campaign else None
    ids = [i for i, _ in campaigns_.scope_rows(reads, found)] if found else list(instruments)
    if not ids:
        what = (
            f"campaign {campaign!r} has nothing in its scope"
            if campaign
            else "no instruments given"
        )
        raise ValidationError([Problem(f"nothing to decide: {what}")])
    chosen: list[tuple[Instrument, Decision]] = []
    for instrument, decisions in reads.instruments_with_decisions(ids):
        live = [
            d
            for d in decisions
            if d.state in _LIVE and (found is None or campaigns_.counts_for(found, d))
        ]
        if live:
            chosen.append((instrument, live[-1]))
    if not chosen:
        where = f"in campaign {campaign!r}" if campaign else "among the instruments given"
        raise ValidationError(
            [
                Problem(
                    f"nothing is decided {where} yet: propose outcomes "
                    "first (regclean propose, or import the departments' "
                    "forms)"
                )
            ]
        )
    noun = _noun(i.kind for i, _ in chosen)
    by_outcome: dict[Outcome, list[tuple[Instrument, Decision]]] = defaultdict(list)
    for instrument, decision in chosen:
        by_outcome[decision.outcome].append((instrument, decision))
    annexes = []
    for outcome in OUTCOME_ORDER:
        members = by_outcome.get(outcome)
        if members:
            rows = tuple({"n": n, **row_values(i, d)} for n, (i, d) in enumerate(members, start=1))
            kind = _noun(i.kind for i, _ in members)
            title_ = ANNEX_TITLES[outcome].format(noun=kind)
            annexes.append(Annex(len(annexes) + 1, outcome, title_, rows, kind))
    place = settings.jurisdiction
    issuer = issuer or (place if place.endswith("政府") else f"{place}人民政府" if place else "")
    signed = signed_on or reads.today()
    reasons = _reasons(d for _, d in chosen if d.outcome.ends_force)
    made = Made.now(reads)
    paragraphs = _body(issuer, noun, found, annexes)
    explanation = _explanation(title, noun, found, chosen, annexes, reasons)
    return DecisionDraft(
        title.strip(),
        number.strip(),
        issuer,
        signed,
        noun,
        paragraphs,
        tuple(annexes),
        explanation,
        len(chosen),
        reasons,
        made,
    )


def _noun(kinds: Iterable[Kind]) -> str:
    present = {k.family for k in kinds}
    if present <= {Kind.RULE}:
        return "规章"
    if present <= {Kind.NORMATIVE, Kind.OTHER}:
        return "行政规范性文件"
    if Kind.REGULATION in present and len(present) == 1:
        return "法规"
    if present == {Kind.JUDICIAL}:
        return "司法解释"
    return "规章和行政规范性文件" if Kind.RULE in present else "文件"


def _reasons(decisions: Iterable[Decision]) -> dict[str, int]:
    """The reasons given, counted: a standard reason by its name, free text as 其他."""
    counted: Counter[str] = Counter()
    for decision in decisions:
        named = {c.zh for r in decision.reasons for c in r.codes}
        if not named:
            named = {"其他理由" if decision.reasons else "未说明理由"}
        counted.update(named)
    return dict(counted.most_common())


def _body(
    issuer: str, noun: str, campaign: Campaign | None, annexes: Sequence[Annex]
) -> tuple[str, ...]:
    who = issuer or "本机关"
    cutoff = f"截至{campaign.cutoff.chinese()}" if campaign and campaign.cutoff else "现行"
    basis = f"按照{campaign.title}的部署，" if campaign and campaign.title else ""
    first = (
        f"为维护社会主义法制统一，深入推进依法行政，{basis}{who}对{cutoff}的{noun}进行了"
        "全面清理。经清理，决定："
    )
    items = []
    for k, annex in enumerate(annexes):
        words = ITEM_WORDS[annex.outcome].format(n=len(annex.rows), noun=annex.noun)
        items.append(f"{_NUMERALS[k]}、{words}（见附件{annex.number}）。")
    last = (
        "各地、各部门要做好清理结果的衔接工作；需要修改的，由制定机关抓紧修改完善，"
        "按程序重新公布。本决定自公布之日起施行。"
    )
    return (first, *items, last)


def _explanation(
    title: str,
    noun: str,
    campaign: Campaign | None,
    chosen: Sequence[tuple[Instrument, Decision]],
    annexes: Sequence[Annex],
    reasons: dict[str, int],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    counts = "，".join(f"拟{a.outcome.zh}{len(a.rows)}件" for a in annexes)
    reviewed = sum(1 for _, d in chosen if d.reviewed_by)
    approved = sum(1 for _, d in chosen if d.state is DecisionState.APPROVED)
    offices = sorted({d.review_office for _, d in chosen if d.review_office})
    ended = sum(len(a.rows) for a in annexes if a.outcome.ends_force)
    reason_text = "；".join(f"{name}{n}件" for name, n in reasons.items())
    background = (
        "（请填写：开展清理的依据和部署，"
        f"{'如' + campaign.title + '；' if campaign and campaign.title else ''}"
        "清理的范围和时间安排。）"
    )
    sections = [
        ("一、起草背景", (background,)),
        (
            "二、清理情况",
            (
                f"本次共清理{noun}{len(chosen)}件，其中{counts}。"
                f"上述清理意见已经审定{approved}件，待审定{len(chosen) - approved}件。",
            ),
        ),
        (
            "三、主要理由",
            (
                (
                    f"拟废止、宣布失效等{ended}件中：{reason_text}。"
                    if ended
                    else "本次清理无拟废止或宣布失效的文件。"
                ),
                "（请补充：典型文件的具体清理理由。）",
            ),
        ),
        (
            "四、合法性审核情况",
            (
                f"已经合法性审核{reviewed}件"
                + (f"（审核机构：{'、'.join(offices)}）" if offices else "")
                + f"，尚未审核{len(chosen) - reviewed}件。",
            ),
        ),
        ("五、需要说明的问题", ("（请填写：征求意见、部门意见分歧及协调情况等。）",)),
    ]
    return tuple(sections)


# -- the department form (清理意见表) -----------------------------------------------------------

FORM_COLUMNS = (
    "序号",
    "文件名称",
    "文号",
    "发布日期",
    "制定机关",
    "责任单位",
    "清理批次",
    "清理意见",
    "理由",
    "法律依据",
    "经办人",
)
FORM_OUTCOMES = tuple(
    o.zh
    for o in (
        Outcome.KEEP,
        Outcome.REVISE,
        Outcome.REPEAL,
        Outcome.INVALIDATE,
        Outcome.INVALIDATE_IN_PART,
        Outcome.NOT_NORMATIVE,
    )
)


@attrs.frozen
class DepartmentForm:
    """The rows a department receives to fill in (清理意见表).

    Attributes:
        campaign: the campaign.
        department: the department.
        rows: one per instrument in its scope, the FORM_COLUMNS' values (清理意见, 理由, 法律依据
            and 经办人 left empty for the department).
        made: the day and registry state it was made from.
    """

    campaign: Campaign
    department: str
    rows: tuple[tuple[str, ...], ...]
    made: Made

    @property
    def title(self) -> str:
        return f"{self.department}{self.campaign.title or self.campaign.name}清理意见表"


def department_form(reads: Reader, campaign: str, department: str) -> DepartmentForm:
    """The form of one department: its in-scope instruments with empty 清理意见 and 理由."""
    if not department.strip():
        raise ValidationError([Problem("name the department the form is for", field="department")])
    found = campaigns_.get(reads, campaign)
    scope = _scope(reads, found, department)
    rows = []
    for n, instrument in enumerate(_instruments(reads, [i for i, _ in scope]), start=1):
        date = instrument.published_on or instrument.signed_on
        rows.append(
            (
                str(n),
                instrument.title,
                instrument.doc_number,
                iso(date) or "",
                instrument.issuer,
                department,
                found.name,
                "",
                "",
                "",
                "",
            )
        )
    return DepartmentForm(found, department, tuple(rows), Made.now(reads))


# -- the fair-competition review form (公平竞争审查表) and the class summary ---------------------


@attrs.frozen
class ReviewForm:
    """The 公平竞争审查表 of one measure: what the form prints, from its latest review record.

    Attributes:
        title: 公平竞争审查表.
        measure: the measure's title; number: its 文号.
        drafter: 起草单位 (its department, else its issuer).
        nature: 政策措施性质 (its kind: 行政规范性文件, 其他政策措施 …).
        stage: 审查阶段 (起草单位初审, 会同审查, 存量清理).
        rows: (class of standards, its basis, 是/否, 说明) for every class of the profile.
        exception: 例外规定 relied on, or "无".
        conclusion: 审查结论.
        reviewer, reviewed_on: 审查人, 审查日期.
        made: the day and registry state it was made from.
    """

    title: str
    measure: str
    number: str
    drafter: str
    nature: str
    stage: str
    rows: tuple[tuple[str, str, str, str], ...]
    exception: str
    conclusion: str
    reviewer: str
    reviewed_on: str
    made: Made


def review_form(reads: Reader, home: Any, campaign: str, ref: Any) -> ReviewForm:
    """The review form of a measure, from its latest review record in a campaign."""
    found = campaigns_.get(reads, campaign)
    profile = concerns.profile_of(found, home)
    instrument = instruments.get(reads, ref)
    records = reads.review_records(found.name, instrument.id)
    if not records:
        raise StateError(
            f"instrument {instrument.id} has no review record in {found.name}: "
            "record its review first"
        )
    record = records[-1]
    classes = {c.code: c for c in profile.classes}
    rows = tuple(
        (
            classes[f.problem_class].zh,
            classes[f.problem_class].basis,
            "是" if f.breach else "否",
            f.note or "—",
        )
        for f in record.findings
    )
    return ReviewForm(
        "公平竞争审查表",
        instrument.title,
        instrument.doc_number,
        instrument.department or instrument.issuer,
        instrument.kind.zh,
        record.stage,
        rows,
        record.exception or "无",
        record.conclusion,
        record.reviewer,
        record.reviewed_on,
        Made.now(reads),
    )


@attrs.frozen
class ClassSummary:
    """A thematic campaign's problems by class (问题分类统计表), for the workbook.

    Attributes:
        title: the sheet's title.
        header: 问题类别, 件, 件次, 涉企件, 涉企件次.
        rows: one per class, then the total; then one per department.
        departments: one row per department (责任单位, 件, 件次, 涉企件, 涉企件次).
        made: the day and registry state it was made from.
    """

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    departments: tuple[tuple[Any, ...], ...]
    made: Made


def class_summary(reads: Reader, home: Any, campaign: str) -> ClassSummary:
    """The class summary of a thematic campaign, from its confirmed problems."""
    found = campaigns_.get(reads, campaign)
    tally = concerns.tally(reads, home, campaign)
    profile = concerns.profile_of(found, home)

    def cells(label: str, count: Any) -> tuple[Any, ...]:
        return (label, count.pieces, count.times, count.enterprise_pieces, count.enterprise_times)

    rows = [cells(c.zh, tally.by_class[c.code]) for c in profile.classes]
    rows.append(cells(TOTAL, tally.total))
    departments = tuple(cells(d, count) for d, count in tally.by_department.items())
    return ClassSummary(
        f"{found.title or found.name}问题分类统计表",
        ("问题类别", "件", "件次", "涉企件", "涉企件次"),
        tuple(rows),
        departments,
        Made.now(reads),
    )


# -- a quarter's filing catalog (备案目录) ----------------------------------------------------------

FILING_COLUMNS = (
    "序号",
    "文件名称",
    "文号",
    "统一登记号",
    "制定机关",
    "发布日期",
    "报备日期",
    "登记日期",
)


@attrs.frozen
class FilingCatalog:
    """A quarter's 备案目录 and its three rates, for the workbook.

    Attributes:
        title: 2025年第一季度规范性文件备案目录.
        rows: FILING_COLUMNS' values, one per document registered in the quarter.
        rates: (name, rate as shown, numerator, denominator) for 报备率, 报备及时率, 规范率.
        made: the day and registry state it was made from.
    """

    title: str
    rows: tuple[tuple[str, ...], ...]
    rates: tuple[tuple[str, str, int, int], ...]
    made: Made


def filing_catalog(reads: Reader, settings: Settings, quarter: str) -> FilingCatalog:
    """The 备案目录 of a quarter (``2025Q1``) with its rates."""
    found = filings.quarter(reads, settings, quarter)
    q = "一二三四"[(found.first.month - 1) // 3]
    rows = tuple(
        (
            str(n),
            r["title"],
            r["doc_number"],
            r["registration_no"],
            r["issuer"],
            r["published_on"],
            r["filed_on"],
            r["registered_on"],
        )
        for n, r in enumerate(found.registered, start=1)
    )
    rates = tuple(
        (name, str(rate), rate.numerator, rate.denominator)
        for name, rate in (
            ("报备率", found.reporting),
            ("报备及时率", found.timely),
            ("规范率", found.regular),
        )
    )
    return FilingCatalog(
        f"{found.first.year}年第{q}季度规范性文件备案目录", rows, rates, Made.now(reads)
    )


# -- draft results out for comment (征求意见稿) and the comments' answers ---------------------------

DRAFT_COLUMNS = ("序号", "文件名称", "文号", "制定机关", "拟清理意见", "理由")
COMMENT_COLUMNS = ("序号", "意见人", "日期", "文件名称", "文号", "意见", "采纳情况", "理由")


@attrs.frozen
class ResultsDraft:
    """A campaign's proposed results out for comment (征求意见稿): never decided results.

    Attributes:
        title: …清理结果（征求意见稿）.
        rows: DRAFT_COLUMNS' values, one per document with a live proposal in the campaign.
        until: the last day of the comment period; contact: where comments go.
        made: the day and registry state it was made from.
    """

    title: str
    rows: tuple[tuple[str, ...], ...]
    until: str
    contact: str
    made: Made


def results_draft(reads: Reader, campaign: str, *, until: Any, contact: str) -> ResultsDraft:
    """The draft results of a campaign: its proposals not yet decided, for comment."""
    found = campaigns_.get(reads, campaign)
    end = optional_date(until) if until else None
    if end is None or end.day is None or end.first_day < reads.today():
        raise ValidationError(
            [
                Problem(
                    "the comment period ends on a full date from today on",
                    f"campaign {found.name}",
                    "until",
                    str(until),
                )
            ]
        )
    if not contact.strip():
        raise ValidationError(
            [Problem("say where comments go (a contact)", f"campaign {found.name}", "contact")]
        )
    proposed = [
        d
        for ds in campaigns_.decisions_of(reads, found).values()
        for d in ds
        if d.state is DecisionState.PROPOSED
    ]
    if not proposed:
        raise StateError(
            f"campaign {found.name} has no proposal awaiting a decision to put out for comment"
        )
    every = {i.id: i for i in _instruments(reads, [d.instrument_id for d in proposed])}
    rows = []
    for n, d in enumerate(sorted(proposed, key=lambda d: d.instrument_id), start=1):
        i = every[d.instrument_id]
        rows.append((str(n), i.title, i.doc_number, i.issuer, d.outcome.zh, d.reason_text))
    name = found.title or f"{found.name}清理"
    return ResultsDraft(
        f"{name}结果（征求意见稿）", tuple(rows), end.isoformat(), contact.strip(), Made.now(reads)
    )


@attrs.frozen
class CommentReport:
    """How the comments on a campaign's draft results were answered (意见采纳情况)."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    summary: str
    made: Made


def comment_report(reads: Reader, campaign: str) -> CommentReport:
    """The comments of a campaign with their answers, and the counts in a sentence."""
    found = campaigns_.get(reads, campaign)
    comments = reads.comments(found.name)
    every = {i.id: i for i in _instruments(reads, [c.instrument_id for c in comments])}
    rows = tuple(
        (
            str(n),
            c.commenter,
            c.received_on,
            every[c.instrument_id].title,
            every[c.instrument_id].doc_number,
            c.opinion,
            _ANSWERED.get(c.answer, "未答复"),
            c.answer_reason,
        )
        for n, c in enumerate(comments, start=1)
    )
    counted = Counter(c.answer for c in comments)
    summary = (
        f"共收到意见{len(comments)}条，采纳{counted['adopted']}条，部分采纳{counted['partly']}条，"
        f"不采纳{counted['rejected']}条，未答复{counted['']}条。"
    )
    return CommentReport(
        f"{found.title or found.name}征求意见采纳情况", rows, summary, Made.now(reads)
    )


_ANSWERED = {"adopted": "采纳", "partly": "部分采纳", "rejected": "不采纳"}


# -- the evaluation report skeleton (评估报告) -----------------------------------------------------


@attrs.frozen
class EvaluationReport:
    """The skeleton of a document's evaluation report before its validity ends, filled with its
    facts: particulars, the steps' due days, and what the evaluation recorded so far.

    Attributes:
        title: 《X》实施情况评估报告.
        facts: (label, value) rows of its particulars.
        steps: (step, due day, done day, what it says) rows.
        sections: the report's headings, each with what regclean knows to put under it.
        made: the day and registry state it was made from.
    """

    title: str
    facts: tuple[tuple[str, str], ...]
    steps: tuple[tuple[str, str, str, str], ...]
    sections: tuple[tuple[str, str], ...]
    made: Made


def evaluation_report(reads: Reader, settings: Settings, ref: Any) -> EvaluationReport:
    """The 评估报告 skeleton of a document with an end of validity."""
    instrument = instruments.get(reads, ref)
    if instrument.expires_on is None:
        raise StateError(f"instrument {instrument.id} has no end of validity (有效期) to evaluate")
    due = evaluations.due_dates(instrument.expires_on.last_day, settings)
    open_ones = [e for e in reads.evaluations(instrument.id) if e.open]
    current = open_ones[-1] if open_ones else None
    done = {
        "report": (current.report_on, current.report) if current else ("", ""),
        "opinion": (current.opinion_on, current.opinion) if current else ("", ""),
        "decision": ("", ""),
    }
    steps = tuple(
        (evaluations.STEP_WORDS[s], due[s].isoformat(), done[s][0], done[s][1])
        for s in evaluations.STEPS
    )
    facts = (
        ("文件名称", instrument.title),
        ("文号", instrument.doc_number or "—"),
        ("统一登记号", instrument.registration_no or "—"),
        ("制定机关", instrument.issuer),
        ("责任单位", campaigns_.responsible(instrument, settings.departments)),
        ("施行日期", iso(instrument.effective_on or instrument.published_on) or "—"),
        ("有效期", instrument.validity or "—"),
        ("有效期至", iso(instrument.expires_on) or "—"),
    )
    core = instrument.title_core or instrument.title
    sections = (
        (
            "一、基本情况",
            f"《{core}》（{instrument.doc_number or '无文号'}）由{instrument.issuer}"
            f"制定，有效期至{instrument.expires_on.chinese()}。",
        ),
        ("二、实施情况", "（执行情况、取得的成效）"),
        ("三、存在的问题", "（与上位法和现行政策的衔接、实施中遇到的问题）"),
        (
            "四、评估结论和建议",
            (
                current.report
                if current and current.report
                else "（延长有效期 / 修改后重新发布 / 废止，并说明理由）"
            ),
        ),
    )
    return EvaluationReport(f"《{core}》实施情况评估报告", facts, steps, sections, Made.now(reads))
