"""The registry: the public Python API of regclean.

    >>> reg = Registry.init(tmp_path / "reg", jurisdiction="温州市")
    >>> doc = reg.add_instrument(title="关于印发《温州市X办法》的通知", doc_number="温政发〔2004〕12号")
    >>> reg.get("温政发[2004]12号").title_core
    '温州市X办法'

A registry is a folder holding ``registry.sqlite`` (the truth), ``regclean.toml`` (settings) and
derived data. Every method that changes something runs in one transaction and appends to the
event log; a failing call changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import backup as backup_
from . import (
    campaigns,
    comments,
    concerns,
    decisions,
    evaluations,
    export,
    filings,
    instruments,
    plans,
    profiles,
    verify,
)
from . import items as items_
from .campaigns import DepartmentProgress, Finding
from .concerns import ScreenReport, Tally
from .config import ENGINES, IN_DATABASE, SETTINGS_NAME, Settings
from .dates import PartialDate, optional_date
from .decisions import When
from .errors import Problem, RegistryError, ValidationError
from .evaluations import Due
from .filings import QuarterFilings
from .instruments import Change, Ref
from .models import (
    Campaign,
    Comment,
    Concern,
    Decision,
    DocumentItem,
    Evaluation,
    Event,
    Filing,
    Instrument,
    Reason,
    Relation,
    ReviewRecord,
)
from .plans import Plan
from .profiles import Profile
from .search import FtsIndex, SearchHit, SearchIndexError
from .store.moving import copy_rows
from .store.pg import PgStore, is_url

if TYPE_CHECKING:
    from .search.whoosh_engine import SearchIndex
from .store import DB_NAME, Clock, Reader, Store, open_store, utc_now
from .store.pg import without_password
from .verify import VerifyReport
from .vocab import DecisionState, ItemOutcome, Kind, Outcome, RelationKind, Status

if TYPE_CHECKING:  # loaded when first used: a command that does not import or publish starts sooner
    from . import papers
    from .ingest import ImportReport
    from .publish import PublishReport

__all__ = ["Change", "Registry"]

INDEX_NAME = "index"
DATABASE_URL_ENV = "REGCLEAN_DATABASE_URL"  # a PostgreSQL registry's server, password and all
Day = str | dt.date | PartialDate | None


class Registry:
    """One cleanup registry on disk. Use :meth:`init` or :meth:`open`, and :meth:`close`
    (or a ``with`` block) when done."""

    def __init__(self, path: Path, store: Store, settings: Settings, *, index_mmap: bool = True):
        self.path = path
        self.store = store
        self.settings = settings
        self.index: SearchIndex | FtsIndex = (
            FtsIndex(store)
            if settings.search_engine in IN_DATABASE
            else _whoosh_index(path / INDEX_NAME, mmap=index_mmap)
        )
        #: Why the last automatic index update failed, if it did (search repairs or names it).
        self.index_problem: str = ""
        store.on_commit.append(self._after_commit)

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: str | Path,
        *,
        jurisdiction: str = "",
        site_title: str | None = None,
        base_url: str = "",
        lang: str = "zh",
        clock: Clock = utc_now,
        search_engine: str | None = None,
        database: str = "",
    ) -> Registry:
        """Create a new registry folder; RegistryError if one is already there.
        ``search_engine``: ``fts5`` (SQLite FTS5 inside the database; the default where SQLite
        has FTS5), ``tsvector`` (inside a PostgreSQL database; its default) or ``whoosh`` (an
        index folder beside the settings; see ``[search]`` in regclean.toml). ``database``: a PostgreSQL
        URL (``postgresql://user@host/db``, an empty database) to keep the rows and the log on
        that server instead of the folder's ``registry.sqlite`` (else ``REGCLEAN_DATABASE_URL``,
        where set); the folder keeps the settings, the site key and the search index."""
        path = Path(path)
        url = database or os.environ.get(DATABASE_URL_ENV, "")
        if (path / DB_NAME).exists() or (url and (path / SETTINGS_NAME).exists()):
            raise RegistryError(f"{path}: a registry already exists here")
        if path.exists() and not path.is_dir():
            raise RegistryError(f"{path}: exists and is not a folder")

        if search_engine is not None and search_engine not in ENGINES:
            raise RegistryError(f"search engine must be one of {', '.join(ENGINES)}")
        if url:
            if not is_url(url):
                raise RegistryError(f"{url}: not a postgresql:// URL")
            if search_engine == "fts5":
                raise RegistryError(
                    "a PostgreSQL registry searches with tsvector (or whoosh); FTS5 is SQLite's"
                )
        elif search_engine == "tsvector":
            raise RegistryError(
                "the tsvector engine is PostgreSQL's: give a database URL, or use fts5 or whoosh"
            )
        if not url:
            path.mkdir(parents=True, exist_ok=True)
        store = open_store(path, url, clock=clock)  # a server: connected before the folder is made
        try:
            store.migrate()
            if url and store.reads.last_seq():
                raise RegistryError(
                    f"{store.path}: the database already holds a registry; open "
                    "it from its folder, or use an empty database"
                )
        except BaseException:
            store.close()
            raise
        path.mkdir(parents=True, exist_ok=True)
        engine = search_engine or store.search_engine or "whoosh"
        if engine == "fts5" and not store.has_fts5:  # said before anything is left behind
            store.close()
            for made in path.glob(DB_NAME + "*"):
                made.unlink()
            raise RegistryError(
                f"{path}: this Python's SQLite was built without FTS5; use "
                'search_engine="whoosh" ([search] engine = "whoosh")'
            )
        settings = Settings(
            jurisdiction=jurisdiction,
            base_url=base_url,
            lang=lang,
            search_engine=engine,
            store_url=without_password(url),
        )
        if site_title:
            settings = attrs.evolve(settings, site_title=site_title)
        (path / SETTINGS_NAME).write_text(settings.dump(), encoding="utf-8")
        from .publish.signing import site_key  # the publishing pipeline loads on first use

        site_key(path)  # signs its published sites (made now: the registry may later be read-only)
        registry = cls(path, store, settings)
        with store.transaction():
            # where the rows live is not part of the registry's history (a moved registry
            # keeps its chain)
            store.log(
                "init", payload=attrs.asdict(settings, filter=lambda a, _: a.name != "store_url")
            )
        registry.reindex()
        return registry

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: Clock = utc_now,
        busy_timeout: float = 10.0,
        index_mmap: bool = True,
    ) -> Registry:
        """Open an existing registry (applying pending migrations).

        A writer blocked by another waits up to ``busy_timeout`` seconds, then fails with
        RegistryError; nothing is half-written either way. ``index_mmap=False`` suits a
        one-shot command: the search index opens in milliseconds instead of being copied into
        memory (queries then read the files directly).
        """
        path = Path(path)
        settings = Settings.load(path / SETTINGS_NAME) if (path / SETTINGS_NAME).is_file() else None
        if settings is None or not settings.store_url:
            if not (path / DB_NAME).is_file():
                raise RegistryError(
                    f"{path}: no registry here (no {DB_NAME}); create one with `regclean init`"
                )
            settings = settings or Settings.load(path / SETTINGS_NAME)
        else:  # the rows live on a server; the environment may name it with its password
            url = os.environ.get(DATABASE_URL_ENV, "") or settings.store_url
            settings = attrs.evolve(settings, store_url=url)
        store = open_store(path, settings.store_url, clock=clock, busy_timeout=busy_timeout)
        store.migrate()
        return cls(path, store, settings, index_mmap=index_mmap)

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- instruments --------------------------------------------------------------------------

    @property
    def reads(self) -> Reader:
        """The registry's reads (:class:`regclean.store.Reader`), for modules built on it."""
        return self.store.reads

    def add_instrument(self, *, by: str = "", **values: Any) -> Instrument:
        """Add a new instrument; DuplicateError if one with the same identity exists.

        Keyword arguments are the instrument fields (``title``, ``doc_number``, ``kind``,
        ``issuer``, ``published_on``, ...). Identity is (canonical number, title core): one 文号
        may carry several documents, each is its own instrument.
        """
        return instruments.add(self.store, self.settings, values, by=by)

    def upsert_instrument(self, *, by: str = "", **values: Any) -> Change:
        """Add the instrument, or update the one with the same identity where values differ.

        Empty values never erase recorded ones. Returns what happened, for import summaries.
        """
        return instruments.upsert(self.store, self.settings, values, by=by)

    def update_instrument(self, ref: Ref, *, by: str = "", **changes: Any) -> Instrument:
        """Change fields of an instrument (logged with old and new values)."""
        return instruments.update(self.store, self.settings, ref, changes, by=by)

    # -- finding ------------------------------------------------------------------------------

    def register(self, ref: Ref, *, by: str = "", renew: bool = False) -> Instrument:
        """Issue an instrument the next registration number (统一登记号) of its issuer's series,
        in the format ``regclean.toml``'s ``[registration.formats]`` gives the issuer, for the
        year of its own date; a renewal (``renew=True``, after an evaluation) issues a new one for
        this year, and the old one stays in the history. A document is found by its number in any
        dash form (— – - ―)."""
        return instruments.register(self.store, self.settings, ref, by=by, renew=renew)

    def file(
        self, ref: Ref, *, on: Day, to: str = "", materials: Sequence[str] = (), by: str = ""
    ) -> Filing:
        """Record that a document was filed with the office above (报送备案) on a day, with its
        materials (备案报告, 正文, 制定说明, 合法性审核意见 …); ``to`` defaults to ``[filing] to``.
        A filing before publication, in the future, or while an earlier one awaits its answer is
        refused."""
        return filings.file(
            self.store, self.settings, ref, on=on, to=to, materials=materials, by=by
        )

    def answer_filing(
        self, ref: Ref, state: str, *, on: Day, until: Day = None, reason: str = "", by: str = ""
    ) -> Filing:
        """Record the office's answer to a document's latest filing: ``registered`` (予以备案),
        ``deferred`` (暂缓登记, with the day to correct it ``until`` and the reason) or
        ``refused`` (不予备案, with the reason). An answer to a filing never made, or dated before
        it, is refused with both dates named."""
        return filings.answer(self.store, ref, state, on=on, until=until, reason=reason, by=by)

    def filing_opinion(self, ref: Ref, text: str, *, by: str = "") -> Filing:
        """Record the office's review opinion (审查意见) on a document's latest filing."""
        return filings.opinion(self.store, ref, text, by=by)

    def filings(self, ref: Ref | None = None) -> list[Filing]:
        """Filings, oldest first: of one document, or of all."""
        instrument_id = None if ref is None else instruments.get(self.store.reads, ref).id
        return self.store.reads.filings(instrument_id)

    def filing_quarter(self, quarter: str) -> QuarterFilings:
        """A quarter's filings (``2025Q1``): its 备案目录 (the documents registered in it) and
        the rates 报备率, 报备及时率 and 规范率, each with its numerator and denominator."""
        return filings.quarter(self.store.reads, self.settings, quarter)

    def evaluate(
        self,
        ref: Ref,
        step: str,
        *,
        on: Day,
        text: str = "",
        outcome: str = "",
        new_expiry: Day = None,
        by: str = "",
    ) -> Evaluation:
        """Record a step of a document's evaluation before its validity ends (到期评估), in order:
        ``report`` (评估报告, with its proposal), ``opinion`` (the legal affairs office's), and
        ``decision`` with its ``outcome`` — ``extend`` (延长有效期: ``new_expiry``, and a new
        registration number where the issuer has a series), ``revise`` or ``repeal`` (each
        proposed as a decision). A step dated before the one it follows is refused with both
        dates named."""
        return evaluations.record(
            self.store,
            self.settings,
            ref,
            step,
            on=on,
            text=text,
            outcome=outcome,
            new_expiry=new_expiry,
            by=by,
        )

    def evaluations(self, ref: Ref | None = None) -> list[Evaluation]:
        """Evaluations before expiry, oldest first: of one document, or of all."""
        instrument_id = None if ref is None else instruments.get(self.store.reads, ref).id
        return self.store.reads.evaluations(instrument_id)

    def due(self, within: str | int = "6m") -> list[Due]:
        """Documents in force whose validity ends within a span (``6m``, ``90d``, or days), or
        whose evaluation is open, each with the next step and its due day, by department."""
        return evaluations.due(self.store.reads, self.settings, evaluations.within(within))

    def get(self, ref: Ref) -> Instrument:
        """One instrument by id, by any variant of its number, or by its exact title or core.

        NotFoundError if nothing matches; AmbiguousReferenceError if a number carries several
        documents (use the id or the title then).
        """
        return instruments.get(self.store.reads, ref)

    def find(self, ref: Ref) -> list[Instrument]:
        """Every instrument a reference can mean (empty when none)."""
        return instruments.find(self.store.reads, ref)

    def instruments(self) -> Iterator[Instrument]:
        """Every instrument, by id."""
        return self.store.reads.instruments()

    def count(self) -> int:
        """How many instruments the registry holds."""
        return self.store.reads.count()

    # -- decisions ----------------------------------------------------------------------------

    def propose(
        self,
        ref: Ref,
        outcome: Outcome | str,
        *,
        reason: str = "",
        reasons: Sequence[Reason] = (),
        basis: str = "",
        by: str = "",
        department: str = "",
        handler: str = "",
        campaign: str = "",
        replaced_by: Ref | None = None,
        require_reason: bool = False,
        articles: str = "",
        at: When = None,
    ) -> Decision:
        """File a proposed decision (拟定清理意见) on an instrument.

        ``outcome`` takes the English value or any Chinese word (保留, 修订, 废止, 失效 ...).
        At most one decision per instrument is open at a time, and none can be proposed on an
        instrument whose force an approved decision has already ended. With
        ``require_reason``, every outcome but keep needs a reason. A partial invalidation
        (宣布部分条款失效) names the ``articles`` that lapse. A revision keeps the instrument in
        force (to be revised); naming ``replaced_by`` ends it when the decision takes effect.
        ``at`` records when it really happened (back-entering an earlier round): the log keeps
        that time and the time of entry.
        """
        return decisions.propose(
            self.store,
            ref,
            outcome,
            reason=reason,
            reasons=reasons,
            basis=basis,
            by=by,
            department=department,
            handler=handler,
            campaign=campaign,
            replaced_by=replaced_by,
            require_reason=require_reason,
            articles=articles,
            at=at,
        )

    def propose_many(
        self, refs: Sequence[Ref], outcome: Outcome | str, **options: Any
    ) -> list[Decision]:
        """:meth:`propose` the same outcome on several instruments, all at once or none (every
        problem reported together, each naming its reference)."""
        return decisions.propose_many(self.store, refs, outcome, **options)

    def approve(
        self,
        refs: Iterable[Ref] = (),
        *,
        by: str,
        campaign: str = "",
        decision_doc: str = "",
        decision_title: str = "",
        effective_on: Day = None,
        published_on: Day = None,
        at: When = None,
    ) -> list[Decision]:
        """Approve the open proposals on the given instruments (and, with ``campaign``, every
        open proposal filed under it), all at once or none.

        ``effective_on`` defaults to today; it may not fall before an instrument's own date.
        ``at`` is when the approval really happened (not before the proposal, not in the future).
        """
        return decisions.approve(
            self.store,
            refs,
            by=by,
            campaign=campaign,
            decision_doc=decision_doc,
            decision_title=decision_title,
            effective_on=effective_on,
            published_on=published_on,
            at=at,
            require_review=self.settings.require_review == "yes",
        )

    def review(
        self,
        refs: Iterable[Ref] = (),
        *,
        by: str,
        office: str = "",
        opinion: str = "",
        campaign: str = "",
        at: When = None,
    ) -> list[Decision]:
        """Record the review (合法性审核) of the open proposals on the given instruments (and,
        with ``campaign``, of every one under it not yet reviewed), all at once or none.

        The review is the step between proposal and approval: who reviewed (``by``), for which
        office (``office``, e.g. 市司法局), what they found (``opinion``, 审核意见), and when
        (``at``, not before the proposal). A proposal is reviewed once; it is approved no
        earlier than its review, and with ``require_review = "yes"`` in regclean.toml it
        cannot be approved without one. Published pages show the step.

        >>> import tempfile, pathlib
        >>> reg = Registry.init(pathlib.Path(tempfile.mkdtemp()) / "r")
        >>> doc = reg.add_instrument(title="甲办法", issuer="温州市财政局", published_on="2015-01-01")
        >>> _ = reg.propose(doc, "废止", reason="调整对象已消失", by="市财政局")
        >>> (d,) = reg.review([doc], by="王审", office="市司法局", opinion="同意废止")
        >>> d.state.zh, d.review_office, d.review_opinion
        ('拟定', '市司法局', '同意废止')
        >>> (d,) = reg.approve([doc], by="市政府")
        >>> d.state.zh, d.reviewed_by
        ('已批准', '王审')
        >>> reg.close()
        """
        return decisions.review(
            self.store, refs, by=by, office=office, opinion=opinion, campaign=campaign, at=at
        )

    def withdraw(self, ref: Ref, *, by: str, reason: str, at: When = None) -> Decision:
        """Withdraw the open proposal, or else the latest approved decision, of an instrument.

        Nothing is deleted: the decision keeps its history and is marked withdrawn (撤回).
        """
        return decisions.withdraw(self.store, ref, by=by, reason=reason, at=at)

    def reject(self, ref: Ref, *, by: str, reason: str, at: When = None) -> Decision:
        """Reject the open proposal of an instrument (未通过审核)."""
        return decisions.reject(self.store, ref, by=by, reason=reason, at=at)

    def decision(self, decision_id: int) -> Decision:
        """One decision by its id."""
        return decisions.decision(self.store.reads, decision_id)

    def decisions(
        self, ref: Ref | None = None, *, state: DecisionState | str | None = None
    ) -> list[Decision]:
        """Decisions of one instrument (or of all), oldest first, optionally in one state."""
        return decisions.decisions(self.store.reads, ref, state=state)

    def decided_under(self, number: str) -> list[tuple[Decision, Instrument]]:
        """What a decision document decided ("what did 令第N号 decide?"): the decisions recorded
        under its number, in any spelling, each with its instrument.

        >>> reg = Registry.init(__import__("tempfile").mkdtemp() + "/r")
        >>> _ = reg.add_instrument(title="甲办法", doc_number="甲政发〔2010〕1号")
        >>> _ = reg.propose("甲政发〔2010〕1号", "废止", by="科员")
        >>> _ = reg.approve(["甲政发〔2010〕1号"], by="甲市人民政府", decision_doc="甲市人民政府令第9号")
        >>> [(d.outcome.zh, i.title) for d, i in reg.decided_under("甲市政府令第9号")]
        [('废止', '甲办法')]
        >>> reg.close()
        """
        return decisions.decided_under(self.store.reads, number)

    def open_decision(self, ref: Ref) -> Decision | None:
        """The open (proposed) decision of an instrument, if any."""
        return self.store.reads.open_decision(self.get(ref).id)

    # -- status -------------------------------------------------------------------------------

    def status_on(self, ref: Ref, day: Day = None) -> Status:
        """The status of an instrument on a day (today by default), derived from its approved
        decisions and its own dates: point-in-time, never stored."""
        return decisions.status_on(self.store.reads, ref, day)

    def counts_by_status(self, day: Day = None) -> dict[Status, int]:
        """How many instruments have each status on a day (today by default)."""
        return decisions.counts_by_status(self.store.reads, day)

    def today(self) -> dt.date:
        """Today, by the registry's clock."""
        return self.store.reads.today()

    # -- relations ----------------------------------------------------------------------------

    def relate(self, subject: Ref, kind: RelationKind | str, obj: Ref, *, by: str = "") -> Relation:
        """Record that ``subject`` amends / repeals / replaces / is based_on / cites ``obj``."""
        return decisions.relate(self.store, subject, kind, obj, by=by)

    def relations(self, ref: Ref) -> list[tuple[str, Instrument]]:
        """Every relation of an instrument as (relation name, other instrument), inverses
        named as such (``replaced_by``, ``basis_for``)."""
        return decisions.relations(self.store.reads, ref)

    # -- campaigns ----------------------------------------------------------------------------

    def create_campaign(
        self,
        name: str,
        *,
        cutoff: Day = None,
        deadline: Day = None,
        title: str = "",
        issuers: Sequence[str] = (),
        departments: Sequence[str] = (),
        kinds: Sequence[str | Kind] = (),
        by: str = "",
        profile: str = "general",
    ) -> Campaign:
        """Start a cleanup round (清理工作). Its scope — instruments in force and made before the
        cut-off, narrowed by issuer (part of the name), department and kind — is computed now
        and frozen; later changes go through :meth:`campaign_scope` and are logged.

        ``profile`` names a campaign profile (:mod:`regclean.profiles`): ``general`` (the
        default), or a thematic one — ``fair-competition`` (公平竞争审查), ``enterprise`` (涉企),
        ``fines`` (罚款), ``certificates`` (证明事项), or one of the registry's own. A thematic
        profile's kinds (其他政策措施 among them) are the scope unless ``kinds`` is given."""
        chosen = profiles.get(profile, self.path)
        return campaigns.create(
            self.store,
            self.settings,
            name,
            cutoff=cutoff,
            deadline=deadline,
            title=title,
            issuers=issuers,
            departments=departments,
            kinds=kinds,
            by=by,
            profile=chosen,
        )

    def plan(self, year: int, rule: str) -> Plan:
        """The documents to review in ``year`` (年度清理计划) under a rule — ``every 2 years``
        (每2年一轮) or ``20% a year`` (每年20%): oldest review first, then the nearest end of
        validity, then those whose basis was repealed or changed."""
        return plans.plan(self.store.reads, year, rule)

    def campaign_from_plan(
        self, name: str, plan: Plan, *, deadline: Day = None, title: str = "", by: str = ""
    ) -> Campaign:
        """Create the campaign of a plan: its scope is the plan's documents."""
        return campaigns.create(
            self.store,
            self.settings,
            name,
            deadline=deadline,
            title=title or plan.title,
            by=by,
            only=[p.instrument.id for p in plan.chosen],
            plan=f"{plan.year} {plan.rule}",
        )

    def profiles(self) -> dict[str, Profile]:
        """The campaign profiles this registry can use, by name (its own and the shipped)."""
        return profiles.available(self.path)

    def profile(self, campaign: str) -> Profile:
        """The profile of a campaign."""
        return concerns.profile_of(self.campaign(campaign), self.path)

    def record_problem(
        self,
        campaign: str,
        ref: Ref,
        problem_class: str = "",
        *,
        item: str = "",
        clause: str = "",
        quote: str = "",
        note: str = "",
        enterprise: bool | None = None,
        by: str = "",
    ) -> Concern:
        """Record a problem a person found in a measure of a thematic campaign (问题): its class
        (code or Chinese name) or item number (the class follows from it), the clause (第N条)
        and its words, a note, and whether it concerns enterprises (涉企; by default, yes where
        the profile counts 涉企). A clause or quote the measure's text does not have is refused."""
        return concerns.record(
            self.store,
            self.path,
            campaign,
            ref,
            problem_class,
            item=item,
            clause=clause,
            quote=quote,
            note=note,
            enterprise=enterprise,
            by=by,
        )

    def screen(
        self, campaign: str, *, by: str = "", refs: Sequence[Ref] = (), dry_run: bool = False
    ) -> ScreenReport:
        """The screening pass (筛查): read the text of each measure in a thematic campaign's scope
        (or only ``refs``) and record the clauses its profile's signals raise as candidates for a
        person to confirm or dismiss. A candidate found before is not recorded again."""
        return concerns.screen(self.store, self.path, campaign, by=by, refs=refs, dry_run=dry_run)

    def confirm_problem(
        self,
        concern_id: int,
        *,
        by: str = "",
        reason: str = "",
        propose: Outcome | str | None = None,
    ) -> Concern:
        """Confirm a candidate the screening pass found (logged with who). With ``propose``
        (修改, 废止 …), the confirmed problem becomes a proposal for its measure in the campaign,
        its reason naming the class, the item and the clause (unless the measure already has an
        open proposal)."""
        return concerns.decide(
            self.store,
            concern_id,
            confirm=True,
            by=by,
            reason=reason,
            propose=propose,
            home=self.path,
        )

    def dismiss_problem(self, concern_id: int, *, by: str = "", reason: str = "") -> Concern:
        """Dismiss a candidate, with the reason (logged with who and why)."""
        return concerns.decide(self.store, concern_id, confirm=False, by=by, reason=reason)

    def problems(
        self, campaign: str | None = None, *, ref: Ref | None = None, state: str | None = None
    ) -> list[Concern]:
        """Problems found, oldest first: of a campaign, of one measure, in one state
        (candidate, confirmed, dismissed)."""
        instrument_id = None if ref is None else instruments.get(self.store.reads, ref).id
        if state is not None and state not in concerns.STATES:
            raise ValidationError(
                [
                    Problem(
                        f"a problem's state is one of {', '.join(concerns.STATES)}",
                        field="state",
                        value=state,
                    )
                ]
            )
        if campaign is not None:
            self.campaign(campaign)
        return self.store.reads.concerns(campaign, instrument_id, (state,) if state else ())

    def keep_as_exception(
        self,
        campaign: str,
        ref: Ref,
        ground: str,
        *,
        explanation: str,
        until: Day = None,
        condition: str = "",
        by: str = "",
        department: str = "",
    ) -> Decision:
        """Propose to keep a measure as an exception (保留（例外）) in a thematic campaign whose
        profile allows one: on one of its grounds (code or words, e.g. ``public_interest``,
        为实现节约能源、保护环境…), saying why no measure less harmful to competition would do,
        with its 实施期限 (``until``) or 终止条件 (``condition``). The proposal is a keep decision
        whose reason carries the code ``exception``; the period becomes the measure's expiry
        date, which the expiry findings (evaluation_due, expired) watch."""
        return concerns.keep_as_exception(
            self.store,
            self.path,
            self.settings,
            campaign,
            ref,
            ground,
            explanation=explanation,
            until=until,
            condition=condition,
            by=by,
            department=department,
        )

    def add_item(
        self,
        campaign: str,
        ref: Ref,
        name: str,
        *,
        kind: str = "",
        article: str = "",
        text: str = "",
        by: str = "",
    ) -> DocumentItem:
        """Record an item inside a document of a campaign's scope (a 证明事项, a 罚款事项 ...; the
        profile's kind unless ``kind`` says), with its article (第N条, checked against the text)
        and words, for the campaign to decide one by one."""
        return items_.add(
            self.store, self.path, campaign, ref, name, kind=kind, article=article, text=text, by=by
        )

    def import_items(self, campaign: str, path: str | Path, *, by: str = "") -> list[DocumentItem]:
        """Record the items of a sheet (CSV or XLSX; columns 文号/文件, 事项名称, 条款, 内容, and
        optionally 清理结果, 理由, 依据), all or none; a bad row is named with its file and row."""
        from .ingest.itemsheet import read_items  # the file readers load only for an import

        source = Path(path)
        return items_.add_many(
            self.store, self.path, campaign, read_items(source), by=by, where=source.name
        )

    def item_from_problem(self, concern_id: int, name: str, *, by: str = "") -> DocumentItem:
        """Record the item a confirmed problem of the screening pass is about (its document,
        clause and words), for the campaign to decide."""
        return items_.from_problem(self.store, self.path, concern_id, name, by=by)

    def decide_item(
        self, item_id: int, outcome: str, *, reason: str = "", basis: str = "", by: str = ""
    ) -> DocumentItem:
        """Decide an item: 取消 (cancel, with its reason), 保留 (keep) or 调整 (adjust), as the
        campaign's profile allows; logged with who."""
        return items_.decide(
            self.store, self.path, item_id, outcome, reason=reason, basis=basis, by=by
        )

    def items(self, campaign: str, *, outcome: str | None = None) -> list[DocumentItem]:
        """A campaign's items, oldest first; ``outcome`` keeps those with one outcome ("" for
        the undecided)."""
        self.campaign(campaign)
        value = ItemOutcome.parse(outcome).value if outcome else outcome
        return self.store.reads.items(campaign, value)

    def item_lists(self, campaign: str) -> dict[str, list[DocumentItem]]:
        """The campaign's 取消清单, 保留清单 and 调整清单 (by outcome value), as published."""
        return items_.lists(self.store.reads, campaign)

    def record_review(
        self,
        campaign: str,
        ref: Ref,
        *,
        stage: str,
        reviewer: str,
        reviewed_on: Day,
        findings: Mapping[str, tuple[bool, str] | bool],
        conclusion: str,
        exception: str = "",
        by: str = "",
    ) -> ReviewRecord:
        """Record the review of a measure in a fair-competition campaign (审查记录), as the
        审查表 has it: the stage (起草单位初审, 会同审查, 存量清理), the reviewer and day, a row for
        every class of standards (``{"entry": False, "cost": (True, "说明…")}``; a breach says
        how), the exception relied on, and the conclusion — 可以出台 / 修改后出台 / 不得出台 for a
        draft, 保留 / 修改 / 废止 for the stock. A measure in breach passes only as an exception."""
        return concerns.record_review(
            self.store,
            self.path,
            campaign,
            ref,
            stage=stage,
            reviewer=reviewer,
            reviewed_on=reviewed_on,
            findings=findings,
            conclusion=conclusion,
            exception=exception,
            by=by,
        )

    def review_records(self, campaign: str, *, ref: Ref | None = None) -> list[ReviewRecord]:
        """The review records of a campaign (or of one measure in it), oldest first."""
        instrument_id = None if ref is None else instruments.get(self.store.reads, ref).id
        return self.store.reads.review_records(self.campaign(campaign).name, instrument_id)

    def problem_statistics(self, campaign: str) -> Tally:
        """A thematic campaign's confirmed problems counted in 件 and 件次 (a measure once per
        class), with the 涉企 subtotal, by class and by department."""
        return concerns.tally(self.store.reads, self.path, campaign)

    def campaign(self, name: str) -> Campaign:
        """A campaign by name; NotFoundError naming the known ones otherwise."""
        return campaigns.get(self.store.reads, name)

    def campaigns(self) -> list[Campaign]:
        """Every campaign, oldest first."""
        return self.store.reads.campaigns()

    def campaign_scope(
        self, name: str, refs: Iterable[Ref], *, add: bool = True, by: str = "", reason: str = ""
    ) -> list[int]:
        """Add instruments to a campaign's scope (or remove them, ``add=False``); logged."""
        return campaigns.change_scope(
            self.store, self.settings, self.campaign(name), refs, add=add, by=by, reason=reason
        )

    def assign(self, name: str, ref: Ref, department: str, *, by: str = "") -> str:
        """Make ``department`` responsible for an instrument in a campaign; returns the previous one."""
        return campaigns.assign(self.store, self.campaign(name), ref, department, by=by)

    def progress(self, name: str) -> list[DepartmentProgress]:
        """Per-department progress of a campaign (in scope, proposed, approved, undecided, overdue)."""
        return campaigns.progress(self.store.reads, self.campaign(name))

    def check(self, campaign: str | None = None, *, errors_only: bool = False) -> list[Finding]:
        """Inspection findings: missed, late, conflicting, basis_repealed, expired,
        evaluation_due, no_reason (each with a severity). Without a campaign: the whole
        registry and every campaign. ``errors_only``: only error-level findings (quicker)."""
        return campaigns.check(self.store.reads, self.settings, campaign, errors_only=errors_only)

    # -- papers (检查报告, 统计表, 决定, 清理意见表: see regclean.papers) --------------------------

    def inspection(self, campaign: str, department: str | None = None) -> papers.InspectionReport:
        """The inspection report of a campaign (检查报告), per department or for one; write it
        with :func:`regclean.papers.write` as docx or html."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.inspection(self.store.reads, self.settings, campaign, department, self.path)

    def statistics(
        self, campaign: str, *, by_kind: bool = False, department: str | None = None
    ) -> papers.Statistics:
        """The statistics of a campaign for reporting up (清理情况统计表), split by kind when
        asked; write it as xlsx or csv."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.statistics(self.store.reads, campaign, by_kind=by_kind, department=department)

    def decision_draft(
        self,
        *,
        title: str,
        campaign: str | None = None,
        refs: Sequence[Ref] = (),
        number: str = "",
        issuer: str = "",
        signed_on: Day = None,
    ) -> papers.DecisionDraft:
        """The draft decision (决定) enacting a campaign's results, or those of ``refs``, with
        its annexed catalogs and 起草说明; write it as docx."""
        if bool(campaign) == bool(refs):
            raise ValidationError(
                [
                    Problem(
                        "give a campaign or instruments, not both and not neither", field="campaign"
                    )
                ]
            )
        from . import papers  # Word and Excel load only when a paper is made

        ids = [self.get(ref).id for ref in refs]
        try:
            day = optional_date(signed_on)
        except ValidationError as exc:
            raise exc.located(field="signed_on") from None
        return papers.decision_draft(
            self.store.reads,
            self.settings,
            campaign=campaign,
            instruments=ids,
            title=title,
            number=number,
            issuer=issuer,
            signed_on=day.last_day if day else None,
        )

    def review_form(self, campaign: str, ref: Ref) -> papers.ReviewForm:
        """The 公平竞争审查表 of a measure, from its latest review record in a campaign; write it
        as docx."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.review_form(self.store.reads, self.path, campaign, ref)

    def class_summary(self, campaign: str) -> papers.ClassSummary:
        """A thematic campaign's problems by class and by department in 件, 件次 and 涉企
        (问题分类统计表); write it as xlsx."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.class_summary(self.store.reads, self.path, campaign)

    def filing_catalog(self, quarter: str) -> papers.FilingCatalog:
        """A quarter's 备案目录 with its three rates (报备率, 报备及时率, 规范率); write it as xlsx."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.filing_catalog(self.store.reads, self.settings, quarter)

    def results_draft(self, campaign: str, *, until: Day, contact: str) -> papers.ResultsDraft:
        """A campaign's proposed results out for comment (征求意见稿), marked as such, with the
        comment period (until a day) and a contact; written as html (a page of its own, never
        inside the public site) or csv."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.results_draft(self.store.reads, campaign, until=until, contact=contact)

    def import_comments(self, campaign: str, path: str | Path, *, by: str = "") -> list[Comment]:
        """Record the comments of a sheet (CSV or XLSX: 意见人, 日期, 文号/文件, 意见), all or none;
        comments naming an unknown document are listed at once with their rows."""
        from .ingest.itemsheet import read_rows  # the file readers load only for an import

        source = Path(path)
        rows = read_rows(
            source,
            comments.column_of,
            {"ref", "commenter", "opinion"},
            "the document (文号), who (意见人) and the opinion (意见)",
        )
        return comments.add_many(self.store, campaign, rows, by=by, where=source.name)

    def answer_comment(
        self, comment_id: int, answer: str, *, reason: str = "", on: Day = None, by: str = ""
    ) -> Comment:
        """Answer a comment: 采纳 (adopted), 部分采纳 (partly) or 不采纳 (rejected), the last two
        with the reason."""
        return comments.answer(self.store, comment_id, answer, reason=reason, on=on, by=by)

    def comments(self, campaign: str) -> list[Comment]:
        """The comments on a campaign's draft results, oldest first."""
        return self.store.reads.comments(self.campaign(campaign).name)

    def comment_report(self, campaign: str) -> papers.CommentReport:
        """How the comments were answered (意见采纳情况); write it as xlsx."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.comment_report(self.store.reads, campaign)

    def evaluation_report(self, ref: Ref) -> papers.EvaluationReport:
        """The 评估报告 skeleton of a document with an end of validity, filled with its facts
        and what its evaluation recorded; write it as docx."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.evaluation_report(self.store.reads, self.settings, ref)

    def department_form(self, campaign: str, department: str) -> papers.DepartmentForm:
        """The form (清理意见表) of one department's share of a campaign, to fill in and import
        back; write it as xlsx."""
        from . import papers  # Word and Excel load only when a paper is made

        return papers.department_form(self.store.reads, campaign, department)

    def close_campaign(
        self,
        name: str,
        *,
        by: str,
        declare_void: bool = False,
        dry_run: bool = False,
        decision_doc: str = "",
        decision_title: str = "",
        effective_on: Day = None,
    ) -> list[int]:
        """Close a campaign; with ``declare_void``, apply the negative-list rule (see
        :func:`regclean.campaigns.close`). Returns the instruments declared void."""
        return campaigns.close(
            self.store,
            self.campaign(name),
            by=by,
            declare_void=declare_void,
            dry_run=dry_run,
            decision_doc=decision_doc,
            decision_title=decision_title,
            effective_on=effective_on,
        )

    # -- the event log ------------------------------------------------------------------------

    def history(self, ref: Ref) -> list[Event]:
        """The event log of one instrument, oldest first."""
        return self.store.reads.history(self.get(ref).id)

    def events(self, instruments: Iterable[int] | None = None) -> list[Event]:
        """The whole event log (or the events of some instruments), oldest first."""
        return self.store.reads.events(instruments)

    def last_seq(self) -> int:
        """The sequence number of the newest event (0 for an empty log)."""
        return self.store.reads.last_seq()

    def head_hash(self) -> str:
        """The hash of the newest event: names the exact state of the registry."""
        return self.store.reads.head_hash()

    # -- search -------------------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        *,
        status: str | Status | Sequence[str | Status] | None = None,
        kind: str | None = None,
        issuer: str | None = None,
        year: str | int | None = None,
        campaign: str | None = None,
        sort: str = "relevance",
        limit: int | None = 20,
    ) -> list[SearchHit]:
        """Full-text search over titles, numbers, issuers, departments, reasons and full text.

        ``text`` is a query a clerk can type: words (Chinese or not), "exact phrases",
        ``field:value`` (标题:, 文号:, 机关:, 部门:, 理由:, 正文:), ``-word`` to exclude, ``OR``.
        A document number in any spelling finds it exactly; a partial one (``温政发〔2004〕``)
        lists the series. Filters: ``status``, ``kind``, ``issuer``, ``year`` (``2004`` or
        ``2000..2010``), ``campaign``. ``sort`` is relevance, date (newest first) or date_asc.
        An empty query with filters lists everything that matches them.
        """
        self.index.sync(self.store.reads)
        self.index_problem = ""
        return self.index.search(
            self.store.reads,
            text,
            status=status,
            kind=kind,
            issuer=issuer,
            year=year,
            campaign=campaign,
            sort=sort,
            limit=limit,
        )

    def switch_engine(self, engine: str) -> int:
        """Use another search engine (``whoosh``, or the store's own: ``fts5`` on SQLite,
        ``tsvector`` on PostgreSQL): build its index, write the
        setting to regclean.toml, and drop the other engine's index. Returns how many
        instruments the new index holds. Searches meanwhile use the old engine.

        >>> import tempfile, pathlib
        >>> reg = Registry.init(pathlib.Path(tempfile.mkdtemp()) / "r")
        >>> _ = reg.add_instrument(title="温州市城市绿化管理办法", issuer="温州市人民政府")
        >>> reg.switch_engine("fts5"), reg.settings.search_engine
        (1, 'fts5')
        >>> [h.instrument.title for h in reg.search("绿化")]
        ['温州市城市绿化管理办法']
        >>> reg.close()
        """

        if engine not in ENGINES:
            raise RegistryError(f"search engine must be one of {', '.join(ENGINES)}")
        if engine == self.settings.search_engine:
            return self.reindex()
        if engine in IN_DATABASE and engine != self.store.search_engine:
            raise RegistryError(
                f"{self.path}: this store searches with "
                f"{self.store.search_engine or 'whoosh'}, not {engine}"
            )
        old = self.index
        new: SearchIndex | FtsIndex = (
            FtsIndex(self.store) if engine in IN_DATABASE else _whoosh_index(self.path / INDEX_NAME)
        )
        count = new.rebuild(self.store.reads)
        settings = attrs.evolve(self.settings, search_engine=engine)
        target = self.path / SETTINGS_NAME
        temporary = target.with_name(target.name + ".new")
        temporary.write_text(settings.dump(), encoding="utf-8")
        os.replace(temporary, target)
        self.settings, self.index = settings, new
        old.close()
        if isinstance(old, FtsIndex):
            with self.store.transaction(derived=True):
                self.store.fts.clear()
        else:
            old.remove()
        self.index_problem = ""
        return count

    def reindex(self) -> int:
        """Rebuild the search index from the database; returns how many instruments it holds."""
        count = self.index.rebuild(self.store.reads)
        self.index_problem = ""
        return count

    def _after_commit(self) -> None:
        """Bring the index up to date after a write. The database already holds the change, so
        a failure here is only remembered: the next search replays what the index missed."""
        try:  # a writer does not wait for another process's rebuild: the next search catches up
            self.index.sync(self.store.reads, wait=0.0)
        except (SearchIndexError, OSError) as exc:
            self.index_problem = str(exc)
        except Exception as exc:  # a lock held by another writer, or a damaged index
            self.index_problem = f"{type(exc).__name__}: {exc}"

    # -- files in and out ---------------------------------------------------------------------

    def import_file(self, paths: str | Path | Sequence[str | Path], **options: Any) -> ImportReport:
        """Load instruments (and proposed decisions) from files; see :mod:`regclean.ingest`."""
        from .ingest import import_files  # the file readers load only for an import

        if isinstance(paths, (str, Path)):
            paths = [paths]
        return import_files(self.store, self.settings, [Path(p) for p in paths], **options)

    def export(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        status: str | Status | Sequence[str | Status] | None = None,
        catalog: str | None = None,
    ) -> int:
        """Write instruments to a spreadsheet (csv, xlsx or jsonl, by suffix or ``format``);
        see :mod:`regclean.export`. Returns how many rows were written."""
        return export.export(
            self.store.reads, self.path, path, format=format, status=status, catalog=catalog
        )

    def publish(
        self,
        outdir: str | Path,
        *,
        lang: str = "zh",
        force: bool = False,
        incremental: bool = True,
        progress: Callable[[int, int], None] | None = None,
        replacing_history: str = "",
        by: str = "",
    ) -> PublishReport:
        """Write the public catalog site to ``outdir`` (see :mod:`regclean.publish`).

        Refuses while the inspection has error-level findings (missed, conflicting,
        basis_repealed), naming them, unless ``force``. Over an earlier site only the changed
        instrument pages are rendered, unless ``incremental=False``. ``progress(done, total)``
        is called as instrument pages are rendered. A site published from a different history
        (another registry, or this one before a restore) is replaced only when
        ``replacing_history`` says why; the reason is logged (by ``by``).
        """
        from .publish import publish  # the publishing pipeline loads on first use

        return publish(
            self,
            outdir,
            lang=lang,
            incremental=incremental,
            progress=progress,
            check_first=not force,
            replacing_history=replacing_history,
            by=by,
        )

    # -- integrity ----------------------------------------------------------------------------

    def verify(self, anchors: Sequence[str] = ()) -> VerifyReport:
        """Check the database, the hash chain of the log, and that the stored state is what the
        log says (see :mod:`regclean.verify`). Returns a report; never raises for damage.
        ``anchors``: heads recorded elsewhere (a hash, a published site, a backup), each of which
        must be an event of this chain. Reads one snapshot: a clerk writing meanwhile is neither
        half-seen nor taken for tampering."""
        with self.store.snapshot():
            return verify.verify(self.store.reads, [verify.anchor_of(a) for a in anchors])

    def migrate_to(self, target: str) -> dict[str, int]:
        """Move the registry's rows and whole log to another store, every id and sequence
        number kept (the chain's head stays the same): ``target`` is a PostgreSQL URL (an empty
        database) for a registry in its folder's ``registry.sqlite``, or ``registry.sqlite``
        for a registry on a server. The copy is verified inside its own transaction before it
        counts; the store left behind is kept (``registry.sqlite.before-migrate`` beside the
        folder's settings, or the server's database untouched). Then the registry uses the new
        store: this handle is closed; open the registry again. Returns the rows moved, by table."""

        to_server = is_url(target)
        if not to_server and Path(target).name != DB_NAME:
            raise RegistryError(f"{target}: move to a postgresql:// URL, or to {DB_NAME}")
        if to_server == bool(self.settings.store_url):
            where = "a PostgreSQL server" if to_server else DB_NAME
            raise RegistryError(f"{self.path}: the registry is already in {where}")
        database = self.path / DB_NAME
        if not to_server and database.exists():
            raise RegistryError(f"{database}: already exists; move it aside first")
        new = open_store(self.path, target if to_server else "", clock=self.store.clock)
        try:
            new.migrate()

            def check() -> None:
                report = verify.verify(new.reads, [])
                if not report.ok or report.head != self.reads.head_hash():
                    raise RegistryError(
                        f"{new.path}: the copy does not verify "
                        f"({report.summary()}); nothing was moved"
                    )

            counts = copy_rows(self.store, new, check)
        except BaseException:
            new.close()
            if not to_server:
                for made in self.path.glob(DB_NAME + "*"):
                    made.unlink()
            raise
        new.close()
        self.close()
        if to_server:
            for suffix in ("", "-wal", "-shm"):
                old = Path(str(database) + suffix)
                if old.exists():
                    os.replace(old, Path(str(database) + suffix + ".before-migrate"))
        engine = self.settings.search_engine  # the store's own engine moves to the other's
        if engine in IN_DATABASE:
            engine = "tsvector" if to_server else "fts5"
        settings = attrs.evolve(
            self.settings,
            search_engine=engine,
            store_url=without_password(target) if to_server else "",
        )
        (self.path / SETTINGS_NAME).write_text(settings.dump(), encoding="utf-8")
        with Registry.open(self.path, clock=self.store.clock) as moved:
            moved.reindex()  # the search index, made for the store the rows now live in
        return counts

    def add_account(
        self, role: str, *, department: str = "", can: str = "propose", password: str, by: str = ""
    ) -> None:
        """Open an account on a registry on a PostgreSQL server: a login role that reads
        everything and writes what ``can`` allows, enforced by the server itself (its grants and
        row-level security): ``propose`` (提出, a department: proposals and withdrawals for its
        own ``department``'s instruments only) or ``office`` (审核/批准, the legal affairs
        office: review and approval, any instrument). Every event records the server's name of
        the account that wrote it. Logged. A SQLite registry has no accounts (its file has no
        users)."""

        if not isinstance(self.store, PgStore):
            raise RegistryError(
                f"{self.path}: accounts are a PostgreSQL registry's; a SQLite "
                "file has no users (move it with migrate --to)"
            )
        kind = {
            "propose": "propose",
            "提出": "propose",
            "office": "office",
            "review": "office",
            "approve": "office",
            "审核": "office",
            "批准": "office",
        }.get(can.strip())
        if kind is None:
            raise RegistryError(
                f"{can!r}: an account can propose (提出) or review and approve (office, 审核/批准)"
            )
        if kind == "propose" and not department.strip():
            raise RegistryError("a department's account names its department (责任单位)")
        if not password:
            raise RegistryError("an account needs a password")
        with self.store.transaction():
            self.store.add_account(role.strip(), department.strip(), kind, password)
            self.store.log(
                "account",
                actor=by,
                payload={"role": role.strip(), "department": department.strip(), "can": kind},
            )

    def backup(self, target: str | Path) -> Path:
        """A consistent copy of the database (SQLite's online backup: others may keep writing;
        a PostgreSQL registry's rows and log copied from one snapshot into the same kind of
        SQLite file), with the registry's settings inside it. Written to a temporary file, then
        renamed."""
        return backup_.backup(self.store, self.path, Path(target))


def _whoosh_index(path: Path, *, mmap: bool = True) -> SearchIndex:
    """The whoosh engine's index (whoosh is imported only for a registry that uses it)."""
    from .search.whoosh_engine import SearchIndex  # whoosh loads only for a registry that uses it

    return SearchIndex(path, mmap=mmap)
