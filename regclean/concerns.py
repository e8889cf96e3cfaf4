"""Problems found in measures in a thematic cleanup (问题), by the campaign profile's classes.

A problem is recorded by a person (:func:`record`), or found as a candidate by the screening pass
(:func:`screen`) and then confirmed or dismissed by a person (:func:`decide`), each step logged
with who and why. Confirmed problems are what a thematic campaign's statistics count
(:func:`tally`): in 件 (each measure once) and in 件次 (each measure once per class), with the
涉企 subtotal, by class and by department.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import campaigns as campaigns_
from . import decisions as decisions_
from . import instruments
from . import profiles as profiles_
from .dates import optional_date
from .decisions import located
from .errors import NotFoundError, Problem, StateError, ValidationError
from .instruments import Ref
from .models import Campaign, Concern, Decision, Instrument, Reason, ReviewRecord, StandardFinding
from .profiles import Profile, ProfileError
from .screening import places_of, scan
from .store import Reader, Store
from .text import fold
from .vocab import DecisionState, Outcome, ReasonCode

STATES = ("candidate", "confirmed", "dismissed")
_CLAUSE = re.compile(r"^第[一二三四五六七八九十百零〇两\d]{1,7}[条段]")


def profile_of(campaign: Campaign, home: Path | None) -> Profile:
    """The profile a campaign was created with."""
    return profiles_.get(campaign.profile, home)


def _thematic(campaign: Campaign, home: Path | None) -> Profile:
    profile = profile_of(campaign, home)
    if not profile.thematic:
        raise StateError(
            f"campaign {campaign.name} is a {profile.zh} ({profile.name}): its "
            "profile has no problem classes; create a thematic campaign with "
            "profile=fair-competition (or enterprise, fines, certificates)"
        )
    return profile


def _in_scope(reads: Reader, campaign: Campaign, instrument: Instrument) -> None:
    if instrument.id not in {i for i, _ in campaigns_.scope_rows(reads, campaign)}:
        raise StateError(
            f"instrument {instrument.id} ({instrument.title}) is not in the scope "
            f"of {campaign.name}; add it to the scope first"
        )


def check_clause(instrument: Instrument, clause: str) -> str:
    """A clause reference (第十二条, 第3段) as given, checked against the text where the registry
    holds it: a clause the text does not have is a problem."""
    clause = fold(clause).strip()
    if not clause:
        return ""
    if not _CLAUSE.match(clause):
        raise ValidationError(
            [
                Problem(
                    "a clause is named 第N条 (or 第N段 in a text without articles)",
                    f"instrument {instrument.id}",
                    "clause",
                    clause,
                )
            ]
        )
    article = _CLAUSE.match(clause).group()  # type: ignore[union-attr]
    if (
        instrument.full_text
        and article.endswith("条")
        and article not in fold(instrument.full_text)
    ):
        raise ValidationError(
            [
                Problem(
                    f"the text of the instrument has no {article}",
                    f"instrument {instrument.id}",
                    "clause",
                    clause,
                )
            ]
        )
    return clause


def record(
    store: Store,
    home: Path | None,
    campaign: str,
    ref: Ref,
    problem_class: str,
    *,
    item: str = "",
    clause: str = "",
    quote: str = "",
    note: str = "",
    enterprise: bool | None = None,
    by: str,
) -> Concern:
    """Record a problem a person found (confirmed at once); see
    :meth:`regclean.Registry.record_problem`."""
    reads = store.reads
    found = campaigns_.get(reads, campaign)
    profile = _thematic(found, home)
    instrument = instruments.get(reads, ref)
    where = f"instrument {instrument.id}"
    try:
        chosen = (
            profile.class_of(item.strip()) if item.strip() else profile.problem_class(problem_class)
        )
        if item.strip() and problem_class and profile.problem_class(problem_class) != chosen:
            raise ProfileError(
                f"item {item} belongs to the class {chosen.code} ({chosen.zh}), not {problem_class}"
            )
    except ProfileError as exc:
        raise ValidationError([Problem(str(exc), where, "item" if item else "class")]) from None
    if not by.strip():
        raise ValidationError([Problem("who found it is required", where, "by")])
    clause = check_clause(instrument, clause)
    if quote.strip() and instrument.full_text and fold(quote) not in fold(instrument.full_text):
        raise ValidationError(
            [
                Problem(
                    "the quoted words are not in the instrument's text", where, "quote", quote[:40]
                )
            ]
        )
    with store.transaction():
        _in_scope(reads, found, instrument)
        concern = _write(
            store,
            found,
            profile,
            instrument,
            chosen.code,
            item.strip(),
            clause,
            quote.strip(),
            note.strip(),
            enterprise,
            "",
            "confirmed",
            by,
        )
    return concern


def _write(
    store: Store,
    campaign: Campaign,
    profile: Profile,
    instrument: Instrument,
    problem_class: str,
    item: str,
    clause: str,
    quote: str,
    note: str,
    enterprise: bool | None,
    signal: str,
    state: str,
    by: str,
) -> Concern:
    """Insert one problem and log it (inside the caller's transaction)."""
    counted = "涉企" in profile.subtotals
    # 涉企 unless said otherwise where the profile counts it; every finding of the enterprise
    # profile is 涉企
    is_enterprise = (
        enterprise if enterprise is not None else counted
    ) or profile.name == "enterprise"
    values = {
        "instrument_id": instrument.id,
        "campaign": campaign.name,
        "class": problem_class,
        "item": item,
        "clause": clause,
        "quote": quote,
        "note": note,
        "enterprise": int(bool(is_enterprise)),
        "signal": signal,
        "state": state,
        "found_by": by,
        "found_at": store.clock(),
    }
    concern_id = store.insert("concerns", values)
    payload = {k: v for k, v in values.items() if k not in ("instrument_id", "found_by")}
    store.log(
        "concern", actor=by, instrument_id=instrument.id, payload={**payload, "id": concern_id}
    )
    concern = store.reads.concern(concern_id)
    assert concern is not None
    return concern


@attrs.frozen
class ScreenReport:
    """What a screening pass did.

    Attributes:
        campaign: the campaign's name.
        screened: measures whose text was read.
        without_text: ids of measures in scope without a text to read (nothing can be screened).
        candidates: the new candidates, strong ones first.
        already: candidates found before (in any state), not recorded again.
    """

    campaign: str
    screened: int
    without_text: tuple[int, ...]
    candidates: tuple[Concern, ...]
    already: int

    def to_json(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "screened": self.screened,
            "without_text": list(self.without_text),
            "already": self.already,
            "candidates": [c.to_json() for c in self.candidates],
        }


def screen(
    store: Store,
    home: Path | None,
    campaign: str,
    *,
    by: str,
    refs: Sequence[Ref] = (),
    dry_run: bool = False,
) -> ScreenReport:
    """Read the text of every measure in a campaign's scope (or only ``refs``) and record the
    candidates the profile's signals raise, for a person to confirm or dismiss; see
    :meth:`regclean.Registry.screen`."""
    reads = store.reads
    found = campaigns_.get(reads, campaign)
    profile = _thematic(found, home)
    if not by.strip():
        raise ValidationError([Problem("who runs the screening is required", field="by")])
    scope = [i for i, _ in campaigns_.scope_rows(reads, found)]
    if refs:
        wanted = [instruments.get(reads, r) for r in refs]
        for instrument in wanted:
            _in_scope(reads, found, instrument)
        scope = [i.id for i in wanted]
    seen = {(c.instrument_id, c.item, fold(c.quote)) for c in reads.concerns(found.name)}
    made: list[tuple[Instrument, Any]] = []
    without: list[int] = []
    already = 0
    for instrument, _decisions in reads.instruments_with_decisions(set(scope)):
        if not instrument.full_text.strip():
            without.append(instrument.id)
            continue
        for candidate in scan(instrument.full_text, profile, places_of(instrument.issuer)):
            if (instrument.id, candidate.item, fold(candidate.quote)) in seen:
                already += 1
                continue
            seen.add((instrument.id, candidate.item, fold(candidate.quote)))
            made.append((instrument, candidate))
    made.sort(key=lambda pair: (pair[1].strength != "strong", pair[0].id))
    written: list[Concern] = []
    if not dry_run and made:
        with store.transaction():
            for instrument, c in made:
                note = f"筛查信号：{c.words}"
                written.append(
                    _write(
                        store,
                        found,
                        profile,
                        instrument,
                        c.problem_class,
                        c.item,
                        c.clause,
                        c.quote,
                        note,
                        None,
                        c.strength,
                        "candidate",
                        by,
                    )
                )
    elif dry_run:
        written = [
            Concern(
                0,
                i.id,
                found.name,
                c.problem_class,
                c.item,
                c.clause,
                c.quote,
                f"筛查信号：{c.words}",
                False,
                c.strength,
                "candidate",
                by,
            )
            for i, c in made
        ]
    return ScreenReport(
        found.name, len(scope) - len(without), tuple(sorted(without)), tuple(written), already
    )


def decide(
    store: Store,
    concern_id: int,
    *,
    confirm: bool,
    by: str,
    reason: str = "",
    propose: Outcome | str | None = None,
    home: Path | None = None,
) -> Concern:
    """Confirm a candidate or dismiss it with a reason, logged with who and why; see
    :meth:`regclean.Registry.confirm_problem`. A decided problem is not decided again (one found
    under the wrong item is dismissed, and recorded anew under the right one). With
    ``propose``, a confirmation also proposes that outcome for the measure in the campaign,
    its reason naming the class, the item and the clause."""
    reads = store.reads
    concern = reads.concern(concern_id)
    if concern is None:
        raise NotFoundError(f"no problem with id {concern_id}")
    where = f"problem {concern_id}"
    if concern.state != "candidate":
        raise StateError(
            f"{where} was already {concern.state} by {concern.decided_by or concern.found_by}"
        )
    if not by.strip():
        raise ValidationError([Problem("who decides it is required", where, "by")])
    if not confirm and not reason.strip():
        raise ValidationError([Problem("a dismissal gives its reason", where, "reason")])
    values = {
        "state": "confirmed" if confirm else "dismissed",
        "reason": reason.strip(),
        "decided_by": by,
        "decided_at": store.clock(),
    }
    with store.transaction():
        store.update("concerns", concern_id, values)
        store.log(
            "concern_decide",
            actor=by,
            instrument_id=concern.instrument_id,
            payload={
                "id": concern_id,
                "state": values["state"],
                "reason": values["reason"],
                "at": values["decided_at"],
            },
        )
        if confirm and propose is not None:
            _propose_for(store, home, concern, propose, by)
    decided = reads.concern(concern_id)
    assert decided is not None
    return decided


def _propose_for(
    store: Store, home: Path | None, concern: Concern, outcome: Outcome | str, by: str
) -> None:
    """Propose an outcome for the measure of a confirmed problem, its reason naming the problem;
    where the measure already has an open proposal, it stands (one proposal at a time)."""
    if store.reads.open_decision(concern.instrument_id) is not None:
        return
    profile = profile_of(campaigns_.get(store.reads, concern.campaign), home)
    problem_class = profile.problem_class(concern.problem_class)
    item = profile.item(concern.item) if concern.item else None
    where = f"{concern.clause}" if concern.clause else ""
    words = f"存在{problem_class.zh}方面的问题" + (f"：{where}{item.zh}" if item else "")
    basis = _rule(profile) + item.basis if item and item.basis else problem_class.basis
    decisions_.propose(
        store,
        concern.instrument_id,
        outcome,
        reason=words,
        basis=basis,
        by=by,
        campaign=concern.campaign,
    )


def _rule(profile: Profile) -> str:
    """The rule a profile applies, by its title (《公平竞争审查条例》), for a basis."""
    found = re.search(r"《[^》]+》", profile.basis) or next(
        (re.search(r"《[^》]+》", c.basis) for c in profile.classes if "《" in c.basis), None
    )
    return found.group() if found else profile.basis


# -- kept as an exception -------------------------------------------------------------------


def keep_as_exception(
    store: Store,
    home: Path | None,
    settings: Any,
    campaign: str,
    ref: Ref,
    ground: str,
    *,
    explanation: str,
    until: Any = None,
    condition: str = "",
    by: str,
    department: str = "",
) -> Decision:
    """Propose to keep a measure as an exception (保留（例外）); see
    :meth:`regclean.Registry.keep_as_exception`."""
    reads = store.reads
    found = campaigns_.get(reads, campaign)
    profile = _thematic(found, home)
    instrument = instruments.get(reads, ref)
    where = f"instrument {instrument.id}"
    if not profile.exceptions:
        raise StateError(f"the profile {profile.name} of {found.name} allows no exception")
    try:
        chosen = profile.ground(ground)
    except ProfileError as exc:
        raise ValidationError([Problem(str(exc), where, "ground", ground)]) from None
    if not explanation.strip():
        raise ValidationError(
            [
                Problem(
                    "say why no measure less harmful to competition would do "
                    "(没有对公平竞争影响更小的替代方案)",
                    where,
                    "explanation",
                )
            ]
        )
    end = located(lambda: optional_date(until), where, "until") if until not in (None, "") else None
    if end is None and not condition.strip():
        raise ValidationError(
            [
                Problem(
                    "an exception needs its 实施期限 (until) or its 终止条件 (condition)",
                    where,
                    "until",
                )
            ]
        )
    if end is not None and end.last_day <= reads.today():
        raise ValidationError(
            [Problem(f"the 实施期限 {end} is not after today", where, "until", str(until))]
        )
    period = f"实施期限至{end}" if end is not None else ""
    stop = f"终止条件：{condition.strip()}" if condition.strip() else ""
    text = "；".join(
        filter(None, (f"保留（例外）：{chosen.zh}", explanation.strip(), period, stop))
    )
    reason = Reason(text, (ReasonCode.EXCEPTION,))
    basis = f"{_rule(profile)}{chosen.basis}" if chosen.basis else profile.basis
    with store.transaction():
        decision = decisions_.propose(
            store,
            instrument.id,
            Outcome.KEEP,
            reasons=[reason],
            basis=basis,
            by=by,
            campaign=found.name,
            department=department,
        )
        current = instrument.expires_on
        if end is not None and (current is None or current.last_day > end.last_day):
            # the period is an expiry date, which the expiry findings watch
            instruments.update(
                store, settings, instrument.id, {"expires_on": end.isoformat()}, by=by
            )
    return decision


# -- the review record (审查记录) ----------------------------------------------------------------

DRAFT_CONCLUSIONS = ("可以出台", "修改后出台", "不得出台")
STOCK_CONCLUSIONS = ("保留", "修改", "废止")
STOCK_STAGE = "存量清理"


def record_review(
    store: Store,
    home: Path | None,
    campaign: str,
    ref: Ref,
    *,
    stage: str,
    reviewer: str,
    reviewed_on: Any,
    findings: Mapping[str, tuple[bool, str] | bool],
    conclusion: str,
    exception: str = "",
    by: str,
) -> ReviewRecord:
    """Record the review of a measure on the standard form (审查表); see
    :meth:`regclean.Registry.record_review`."""
    reads = store.reads
    found = campaigns_.get(reads, campaign)
    profile = _thematic(found, home)
    instrument = instruments.get(reads, ref)
    where = f"instrument {instrument.id}"
    problems = []
    if profile.stages and stage not in profile.stages:
        problems.append(
            Problem(f"a stage is one of {'、'.join(profile.stages)}", where, "stage", stage)
        )
    if not reviewer.strip():
        problems.append(Problem("the reviewer is required", where, "reviewer"))
    day = located(lambda: optional_date(reviewed_on), where, "reviewed_on")
    if day is None or day.day is None:
        problems.append(
            Problem("the day of the review is a full date", where, "reviewed_on", str(reviewed_on))
        )
    rows: list[StandardFinding] = []
    given = {
        profile.problem_class(k).code if _is_class(profile, k) else k: v
        for k, v in findings.items()
    }
    for unknown in sorted(set(given) - {c.code for c in profile.classes}):
        problems.append(
            Problem(
                f"no class {unknown!r} in the profile {profile.name}", where, "findings", unknown
            )
        )
    for problem_class in profile.classes:
        if problem_class.code not in given:
            problems.append(
                Problem(
                    f"the form has a row for every standard: {problem_class.zh} is missing",
                    where,
                    "findings",
                    problem_class.code,
                )
            )
            continue
        value = given[problem_class.code]
        breach, note = (value, "") if isinstance(value, bool) else (bool(value[0]), str(value[1]))
        if breach and not note.strip():
            problems.append(
                Problem(
                    f"a breach of {problem_class.zh} says how (说明)",
                    where,
                    "findings",
                    problem_class.code,
                )
            )
        rows.append(StandardFinding(problem_class.code, breach, note.strip()))
    allowed = STOCK_CONCLUSIONS if stage == STOCK_STAGE else DRAFT_CONCLUSIONS
    conclusion = fold(conclusion).strip()
    if conclusion not in allowed:
        problems.append(
            Problem(
                f"the conclusion at the stage {stage} is one of {'、'.join(allowed)}",
                where,
                "conclusion",
                conclusion,
            )
        )
    if exception.strip() and not profile.exceptions:
        problems.append(
            Problem(f"the profile {profile.name} allows no exception", where, "exception")
        )
    passes = conclusion in ("可以出台", "保留")
    if passes and any(r.breach for r in rows) and not exception.strip():
        problems.append(
            Problem(
                f"a measure found in breach is not {conclusion} unless as an exception (例外规定)",
                where,
                "conclusion",
                conclusion,
            )
        )
    if problems:
        raise ValidationError(problems)
    assert day is not None
    values = {
        "instrument_id": instrument.id,
        "campaign": found.name,
        "stage": stage,
        "reviewer": reviewer.strip(),
        "reviewed_on": day.isoformat(),
        "findings": json.dumps([r.to_json() for r in rows], ensure_ascii=False),
        "exception": exception.strip(),
        "conclusion": conclusion,
        "recorded_by": by,
        "recorded_at": store.clock(),
    }
    with store.transaction():
        _in_scope(reads, found, instrument)
        review_id = store.insert("review_records", values)
        payload = {k: v for k, v in values.items() if k not in ("instrument_id", "recorded_by")}
        payload["findings"] = [r.to_json() for r in rows]
        store.log(
            "review_record",
            actor=by,
            instrument_id=instrument.id,
            payload={**payload, "id": review_id},
        )
    return next(r for r in reads.review_records(found.name, instrument.id) if r.id == review_id)


def _is_class(profile: Profile, word: str) -> bool:
    try:
        profile.problem_class(word)
    except ProfileError:
        return False
    return True


# -- counting -------------------------------------------------------------------------------


@attrs.frozen
class Count:
    """A count in 件 (measures) and 件次 (measures × classes), with the 涉企 part of each."""

    pieces: int = 0
    times: int = 0
    enterprise_pieces: int = 0
    enterprise_times: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "件": self.pieces,
            "件次": self.times,
            "涉企件": self.enterprise_pieces,
            "涉企件次": self.enterprise_times,
        }


@attrs.frozen
class Tally:
    """A thematic campaign's confirmed problems, counted.

    Attributes:
        campaign: its name.
        profile: its profile's name.
        total: every measure with a confirmed problem, in 件 and 件次, with 涉企.
        by_class: per class code, in the profile's order (a measure counts once per class).
        by_department: per department.
        candidates: candidates still awaiting a person.
        dismissed: candidates dismissed.
        exceptions: measures proposed or approved to be kept as exceptions (保留（例外）).
        items: items inside documents by outcome (cancel, keep, adjust, undecided).
    """

    campaign: str
    profile: str
    total: Count
    by_class: dict[str, Count]
    by_department: dict[str, Count]
    candidates: int
    dismissed: int
    exceptions: int = 0
    items: dict[str, int] = attrs.field(factory=dict)

    def summary(self) -> str:
        """The sentence a report prints: 共发现问题政策措施N件、M件次，其中涉企A件、B件次."""
        t = self.total
        return (
            f"共发现存在问题的政策措施{t.pieces}件、{t.times}件次，其中涉企{t.enterprise_pieces}件、"
            f"{t.enterprise_times}件次"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "profile": self.profile,
            "total": self.total.to_json(),
            "by_class": {k: v.to_json() for k, v in self.by_class.items()},
            "by_department": {k: v.to_json() for k, v in self.by_department.items()},
            "candidates": self.candidates,
            "dismissed": self.dismissed,
            "exceptions": self.exceptions,
            "items": self.items,
            "summary": self.summary(),
        }


def _count(pairs: set[tuple[int, str]], enterprise: set[tuple[int, str]]) -> Count:
    return Count(
        len({i for i, _ in pairs}), len(pairs), len({i for i, _ in enterprise}), len(enterprise)
    )


def tally(reads: Reader, home: Path | None, campaign: str) -> Tally:
    """Count a thematic campaign's confirmed problems in 件 and 件次 with the 涉企 subtotal,
    by class and by department; see :meth:`regclean.Registry.problem_statistics`."""
    found = campaigns_.get(reads, campaign)
    profile = _thematic(found, home)
    departments = dict(campaigns_.scope_rows(reads, found))
    concerns = reads.concerns(found.name)
    confirmed = [c for c in concerns if c.state == "confirmed"]
    pairs = {(c.instrument_id, c.problem_class) for c in confirmed}
    firms = {(c.instrument_id, c.problem_class) for c in confirmed if c.enterprise}
    by_class = {}
    for problem_class in profile.classes:
        own = {p for p in pairs if p[1] == problem_class.code}
        by_class[problem_class.code] = _count(own, own & firms)
    grouped: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for pair in pairs:
        grouped[departments.get(pair[0], "（不在清理范围）")].add(pair)
    by_department = {d: _count(grouped[d], grouped[d] & firms) for d in sorted(grouped)}
    live = (DecisionState.PROPOSED, DecisionState.APPROVED)
    exceptions = {
        d.instrument_id
        for ds in campaigns_.decisions_of(reads, found).values()
        for d in ds
        if d.state in live and d.is_exception
    }
    return Tally(
        found.name,
        profile.name,
        _count(pairs, firms),
        by_class,
        by_department,
        sum(c.state == "candidate" for c in concerns),
        sum(c.state == "dismissed" for c in concerns),
        len(exceptions),
        _item_counts(reads, found.name),
    )


def _item_counts(reads: Reader, campaign: str) -> dict[str, int]:
    counted: dict[str, int] = defaultdict(int)
    for item in reads.items(campaign):
        counted[item.outcome.value if item.outcome else "undecided"] += 1
    return dict(counted)
