"""Controlled vocabularies, each value with its Chinese label and every variant word seen in the wild.

Every enum here accepts its English value, its Chinese label and its variants through ``parse``::

    >>> Outcome.parse("保留") is Outcome.KEEP
    True
    >>> Outcome.parse("重新立法") is Outcome.REVISE
    True
"""

from __future__ import annotations

import enum
import functools
import re
from typing import Self

from .errors import Problem, VocabularyError
from .text import fold, to_simplified


class Vocabulary(enum.Enum):
    """An enum whose members carry a Chinese label and variant words."""

    def __init__(self, value: str, zh: str, variants: tuple[str, ...] = ()):
        self._value_ = value
        self.zh = zh
        self.variants = variants

    @property
    def en(self) -> str:
        """The English label (the value with spaces)."""
        return self.value.replace("_", " ")

    def label(self, lang: str = "zh") -> str:
        """The label in ``zh`` or ``en``."""
        return self.zh if lang == "zh" else self.en

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        """``Outcome("repeal")`` and ``Outcome("废止")`` work as ``parse`` does; this is also how
        a pickled member comes back (its value is stored as the plain English word)."""
        return cls._lookup().get(_word_key(value)) if isinstance(value, str) else None

    @classmethod
    def _lookup(cls) -> dict[str, Self]:
        return _lookup_table(cls)

    @classmethod
    def parse(cls, word: str | Self) -> Self:
        """The member for an English value, Chinese label or variant; VocabularyError otherwise."""
        if isinstance(word, cls):
            return word
        found = cls._lookup().get(_word_key(str(word)))
        if found is None:
            raise VocabularyError([Problem(cls._unknown_message(), value=word)])
        return found

    @classmethod
    def _unknown_message(cls) -> str:
        choices = ", ".join(f"{m.value} ({m.zh})" for m in cls)
        return f"unknown {cls._noun()}: use one of {choices}"

    @classmethod
    def _noun(cls) -> str:
        return re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__).lower()


@functools.cache
def _lookup_table(cls: type[Vocabulary]) -> dict[str, Vocabulary]:
    table: dict[str, Vocabulary] = {}
    for member in cls:
        for word in (member.value, member.name, member.zh, *member.variants):
            key = _word_key(word)
            if table.get(key, member) is not member:
                raise AssertionError(f"{cls.__name__}: {word!r} names two members")
            table[key] = member
    return table


def _word_key(word: str) -> str:
    return fold(word).lower().replace("-", "_").replace(" ", "_")


class Kind(Vocabulary):
    """What sort of instrument a document is, by rank where it is known: 法律, 行政法规,
    地方性法规 (with 自治条例 and 单行条例), 部门规章, 地方政府规章, 司法解释, 行政规范性文件, 其他文件,
    and 其他政策措施 (measures that are not documents of any rank, reviewed in thematic cleanups).
    规章 and 法规 stand for a rule or a regulation whose rank is not known (and are what
    registries written before the ranks hold); a filter by one of them covers its ranks.
    """

    LAW = ("law", "法律", ("全国人大法律",))
    ADMIN_REGULATION = ("admin_regulation", "行政法规", ("国务院行政法规",))
    LOCAL_REGULATION = ("local_regulation", "地方性法规",
                        ("自治条例", "单行条例", "自治条例和单行条例"))  # fmt: skip
    REGULATION = ("regulation", "法规", ("法律法规",))
    DEPARTMENT_RULE = ("department_rule", "部门规章", ("国务院部门规章",))
    LOCAL_RULE = ("local_rule", "地方政府规章", ("政府规章", "地方规章"))
    RULE = ("rule", "规章", ())
    # an interpretation of the 最高人民法院 or 最高人民检察院 in any of its five forms (解释, 规定,
    # 规则, 批复, 决定: 最高人民法院关于司法解释工作的规定, art. 6); outside a government's stock,
    # but named by its decisions and catalogs, and a rank of its own in every law database
    JUDICIAL = ("judicial", "司法解释", ("两高司法解释",))
    NORMATIVE = ("normative", "行政规范性文件", ("规范性文件", "规范性"))
    OTHER = ("other", "其他文件", ("其他", "政策文件", "其他政策文件", "policy"))
    # a measure that is no normative document at all: an 一事一议 letter, a 会议纪要, an
    # agreement or memorandum, which a thematic cleanup reviews all the same
    MEASURE = ("measure", "其他政策措施", ("具体政策措施", "政策措施", "其他措施"))

    @property
    def family(self) -> Kind:
        """The kind without its rank: 规章 for 部门规章 and 地方政府规章, 法规 for 法律, 行政法规
        and 地方性法规 (what validity periods and the papers' nouns go by)."""
        if self in (Kind.DEPARTMENT_RULE, Kind.LOCAL_RULE):
            return Kind.RULE
        if self in (Kind.LAW, Kind.ADMIN_REGULATION, Kind.LOCAL_REGULATION):
            return Kind.REGULATION
        return self

    def covered(self) -> tuple[Kind, ...]:
        """The kinds a filter by this one finds: 规章 finds 部门规章 and 地方政府规章 too."""
        return tuple(
            k
            for k in Kind
            if k is self or (self in (Kind.RULE, Kind.REGULATION) and k.family is self)
        )


class Outcome(Vocabulary):
    """The result of reviewing one instrument (清理结果)."""

    KEEP = (
        "keep",
        "继续有效",
        ("保留", "现行有效", "拟保留", "有效", "继续保留", "予以保留", "拟继续有效",
         "建议保留", "建议继续有效", "继续执行"),
    )  # fmt: skip
    REVISE = (
        "revise",
        "修改",
        (
            "修订",
            "拟修改",
            "需修改后重新发布",
            "予以修订",
            "重新立法",
            "予以修改",
            "拟修订",
            "修改后重新发布",
            "建议修改",
            "建议修订",
            "需修改",
            "需修订",
            "修改完善",
        ),
    )
    REPEAL = (
        "repeal",
        "废止",
        (
            "明令废止",
            "予以废止",
            "决定废止",
            "拟废止",
            "建议废止",
            "宣布废止",
            "已废止",
            "不再保留",
        ),
    )
    INVALIDATE = (
        "invalidate",
        "宣布失效",
        (
            "失效",
            "予以失效",
            "自动失效",
            "有效期届满",
            "拟宣布失效",
            "宣布失效",
            "invalid",
            "已失效",
            "建议宣布失效",
            "建议失效",
            "拟失效",
        ),
    )
    INVALIDATE_IN_PART = (
        "invalidate_in_part",
        "宣布部分条款失效",
        ("部分失效", "部分条款失效", "宣布部分失效", "部分条款宣布失效", "拟宣布部分条款失效"),
    )
    NOT_NORMATIVE = (
        "not_normative",
        "不属于规范性文件",
        ("经清理认定不属于行政规范性文件", "不属于行政规范性文件", "不再作为规范性文件管理",
         "非规范性文件", "不作为规范性文件管理"),
    )  # fmt: skip

    @classmethod
    def parse(cls, word: str | Outcome) -> Outcome:
        """Like Vocabulary.parse; a merged label (废止或宣布失效) asks for a choice."""
        if isinstance(word, str) and _word_key(word) in _MERGED:
            raise VocabularyError(
                [
                    Problem(
                        "merged outcome: choose 废止 (repeal) or 宣布失效 (invalidate); "
                        "regclean keeps them distinct",
                        value=word,
                    )
                ]
            )
        try:
            return super().parse(word)
        except VocabularyError:
            understood = cls.understand(str(word)) if len(str(word)) <= 24 else None
            if understood is None:
                raise
            return understood

    @classmethod
    def understand(cls, text: str) -> Outcome | None:
        """The one outcome a phrase states, read by its parts rather than as a whole phrase:
        a negation (不再保留: repeal; 不属于…规范性文件, 不再作为…规范性文件: not normative), the
        part (部分条款…失效), and the verb (继续有效/保留, 宣布失效/失效, 废止, 修改/修订), with any
        auxiliary (拟, 予以, 宣布, 决定, 建议, 经审查确认). None when it states none, or several
        (废止、失效: a choice to make).

        >>> Outcome.understand("经审查确认不属于规范性文件"), Outcome.understand("拟予废止")
        (<Outcome.NOT_NORMATIVE: 'not_normative'>, <Outcome.REPEAL: 'repeal'>)
        >>> Outcome.understand("废止、失效") is None
        True
        >>> Outcome.understand("继续有效并需适时修改")
        <Outcome.REVISE: 'revise'>
        >>> Outcome.understand("予以废止，不再继续施行"), Outcome.understand("延长有效期")
        (<Outcome.REPEAL: 'repeal'>, <Outcome.KEEP: 'keep'>)
        """

        text = fold(to_simplified(text))
        if re.search(r"不(?:属于|再作为|作为).{0,8}规范性文件", text):
            return cls.NOT_NORMATIVE
        if "不再保留" in text or "不予保留" in text:
            return cls.REPEAL
        if re.search(r"部分(?:条款|内容)?.{0,4}失效", text):
            return cls.INVALIDATE_IN_PART
        if re.search(
            r"(?:继续有效|保留)(?:并|但|且|，|,)?(?:需|需要|应|应当|待)[^，,。]{0,4}(?:修改|修订)",
            text,
        ):
            return cls.REVISE  # 继续有效并需适时修改: in force until amended, as any revision
        # a keep verb negated (予以废止，不再继续施行; 停止执行) says the force ends, as the verb
        # beside it does: it is no keep of its own
        text = re.sub(r"(?:不再|不|停止)(?:继续)?(?:有效|执行|施行|实施|适用)", "", text)
        found = set()
        if re.search(
            r"继续(?:有效|保留|执行|施行|实施|适用)|予以保留|(?<![不再])保留"
            r"|延长(?:其)?有效期|有效期(?:延长|顺延)",  # an extension keeps it in force
            text,
        ):
            found.add(cls.KEEP)
        if "失效" in text and not re.search(r"失效(?:日期|时间)", text):
            found.add(cls.INVALIDATE)
        if "废止" in text:
            found.add(cls.REPEAL)
        if re.search(r"修改|修订|重新立法", text):
            found.add(cls.REVISE)
        return found.pop() if len(found) == 1 else None

    @property
    def ends_force(self) -> bool:
        """True when an approved decision with this outcome ends the instrument's force (or, for
        not_normative, takes it out of the normative stock). A revision does not: the
        instrument stays in force until its revised text replaces it (docs/concepts.md)."""
        return self in (Outcome.REPEAL, Outcome.INVALIDATE, Outcome.NOT_NORMATIVE)


_MERGED = {_word_key(w) for w in ("废止或宣布失效", "废止或失效", "废止/失效", "废止、失效")}


class DecisionState(Vocabulary):
    """Where a decision is in its life: proposed -> approved, or withdrawn / rejected."""

    PROPOSED = ("proposed", "拟定", ("待审核", "提议"))
    APPROVED = ("approved", "已批准", ("批准", "通过"))
    WITHDRAWN = ("withdrawn", "已撤回", ("撤回",))
    REJECTED = ("rejected", "未通过", ("驳回", "退回"))


class Status(Vocabulary):
    """The legal status of an instrument on a given day (derived, never stored)."""

    # 已修改 on a website marks an old *version* whose amended text is in force: an instrument
    # so labelled is in force (as amended), never ended (DOMAIN.md, docs/concepts.md).
    IN_FORCE = (
        "in_force",
        "现行有效",
        ("有效", "继续有效", "现行", "已修改", "已修订", "被修改", "修改后有效"),
    )
    TO_BE_REVISED = (
        "to_be_revised",
        "现行有效（拟修改）",
        ("拟修改", "待修改", "in force, to be revised"),
    )
    PARTIALLY_IN_FORCE = ("partially_in_force", "部分失效", ("部分有效", "部分条款失效"))
    REPLACED = ("replaced", "已被代替", ("被代替", "已代替"))
    REPEALED = ("repealed", "已废止", ("废止", "明令废止"))
    INVALID = ("invalid", "已失效", ("失效", "宣布失效", "无效", "已宣布失效"))
    EXPIRED = ("expired", "有效期届满", ("已过期", "到期"))
    NOT_YET_IN_FORCE = ("not_yet_in_force", "尚未生效", ("未生效",))
    NOT_NORMATIVE = ("not_normative", "不属于规范性文件", ("非规范性文件",))

    @property
    def in_force(self) -> bool:
        """True for the statuses of the stock in force: in force, in force and to be revised,
        in force in part."""
        return self in (Status.IN_FORCE, Status.TO_BE_REVISED, Status.PARTIALLY_IN_FORCE)


class ReasonCode(Vocabulary):
    """The standard reasons for an outcome (State Council decisions and local practice)."""

    CONFLICTS_HIGHER_LAW = ("conflicts_higher_law", "与上位法不一致", ("与上位法相抵触", "上位法"))
    SUPERSEDED = ("superseded", "已被新规定代替或涵盖", ("代替", "涵盖", "所代替"))
    OBJECT_GONE = ("object_gone", "调整对象已消失", ("调整对象已经消失",))
    TASK_DONE = ("task_done", "工作任务已完成", ("任务已完成",))
    PERIOD_OVER = ("period_over", "适用期已过", ("有效期届满", "有效期已满"))
    BASIS_CHANGED = ("basis_changed", "制定依据发生重大变化", ("制定依据",))
    UNFIT = (
        "unfit",
        "不适应经济社会发展要求",
        ("不适应改革要求", "不相适应", "不适应经济社会发展", "与改革决策和经济社会发展不相适应"),
    )
    NO_LEGAL_BASIS = ("no_legal_basis", "没有法律法规依据", ("无法律法规依据",))
    APPROVAL_CANCELLED = (
        "approval_cancelled",
        "设立的审批事项已取消或下放",
        ("审批事项已取消", "审批事项已下放"),
    )
    DUPLICATE = ("duplicate", "不同文件规定重复或不一致", ("规定重复",))
    NOT_REVISED = ("not_revised", "未按时修订", ())
    # kept although it restricts competition, on a ground the rules allow, for a stated period
    # or until a stated condition (公平竞争审查条例第十二条): 保留（例外）
    EXCEPTION = ("exception", "例外情形", ("保留（例外）", "例外保留", "适用例外规定"))

    @classmethod
    def detect(cls, text: str) -> list[ReasonCode]:
        """The standard reasons a free-text reason mentions, in the order of this list."""
        return list(_detected(text))


# Phrases that real reasons use for a standard reason, beyond its label and variants.
_REASON_CUES = {
    "conflicts_higher_law": ("相抵触", "不一致", "相冲突"),
    "superseded": ("被新的法律或者行政法规所代替", "已制定了新的"),
    "object_gone": ("调整对象已经消失", "调整对象消失"),
    "period_over": ("适用期已过",),
    "basis_changed": ("依据发生了重大变化", "依据发生重大变化", "已废止"),
    "unfit": ("不适应", "不相适应"),
}


class ItemOutcome(Vocabulary):
    """What a thematic cleanup decides for an item inside a document (a certificate, a fine)."""

    CANCEL = ("cancel", "取消", ("予以取消", "拟取消", "建议取消", "取消证明", "删除"))
    KEEP = ("keep", "保留", ("予以保留", "拟保留", "继续保留", "建议保留"))
    ADJUST = ("adjust", "调整", ("予以调整", "拟调整", "修改", "降低罚款数额"))


class RelationKind(Vocabulary):
    """How two instruments relate; each kind has an inverse."""

    AMENDS = ("amends", "修改", ("修正",))
    REPEALS = ("repeals", "废止", ())
    REPLACES = ("replaces", "代替", ("取代", "替代"))
    BASED_ON = ("based_on", "依据", ("根据", "制定依据"))
    CITES = ("cites", "引用", ("援引",))

    @property
    def inverse(self) -> str:
        """The name of the inverse relation (amended_by, repealed_by, ...)."""
        return _INVERSE[self.value]


_INVERSE = {
    "amends": "amended_by",
    "repeals": "repealed_by",
    "replaces": "replaced_by",
    "based_on": "basis_for",
    "cites": "cited_by",
}


class _Word(str, Vocabulary):
    """A vocabulary whose members are also their English value as a string, for codes that
    scripts compare and print as text (``finding.code == "missed"``)."""

    def __new__(cls, value: str, zh: str, variants: tuple[str, ...] = ()) -> _Word:
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    __str__ = str.__str__
    __format__ = str.__format__


class Severity(_Word):
    """How much an inspection finding matters; publishing refuses errors unless forced."""

    ERROR = ("error", "错误", ("严重",))
    WARNING = ("warning", "警告", ("提醒",))
    INFO = ("info", "提示", ("信息",))

    @property
    def rank(self) -> int:
        """Errors first, then warnings, then information."""
        return list(Severity).index(self)


class FindingCode(_Word):
    """What an inspection finding (检查发现的问题) is about."""

    MISSED = ("missed", "漏清", ("应清未清",))
    CONFLICTING = ("conflicting", "意见冲突", ("意见不一致",))
    BASIS_REPEALED = ("basis_repealed", "依据已废止", ("制定依据已废止",))
    LATE = ("late", "延迟报送", ("逾期报送",))
    EXPIRED = ("expired", "有效期届满未清理", ())
    NO_REASON = ("no_reason", "未说明理由", ("无理由",))
    EVALUATION_DUE = ("evaluation_due", "到期评估", ("有效期届满前评估",))
    UNREGISTERED = ("unregistered", "未统一登记", ("无统一登记号", "未登记编号"))
    NOT_FILED = ("not_filed", "未报备", ("应备未备", "未备案"))
    FILED_LATE = ("filed_late", "逾期报备", ("报备不及时", "迟报"))

    @property
    def severity(self) -> Severity:
        return _SEVERITY[self]


_SEVERITY = {
    FindingCode.MISSED: Severity.ERROR,  # 漏清
    FindingCode.CONFLICTING: Severity.ERROR,
    FindingCode.BASIS_REPEALED: Severity.ERROR,
    FindingCode.LATE: Severity.WARNING,  # 延迟报送
    FindingCode.EXPIRED: Severity.WARNING,
    FindingCode.NO_REASON: Severity.WARNING,
    FindingCode.EVALUATION_DUE: Severity.INFO,
    FindingCode.UNREGISTERED: Severity.WARNING,  # 不得作为行政管理的依据
    FindingCode.NOT_FILED: Severity.WARNING,
    FindingCode.FILED_LATE: Severity.WARNING,
}


class RowAction(_Word):
    """What an import (or an upsert) did to one instrument."""

    ADDED = ("added", "新增", ())
    UPDATED = ("updated", "更新", ("修改",))
    UNCHANGED = ("unchanged", "未变", ("无变化",))


@functools.cache
def _folded_cues() -> tuple[tuple[ReasonCode, tuple[str, ...]], ...]:
    """Each standard reason with its cues, folded once."""
    return tuple(
        (code, tuple(fold(c) for c in (code.zh, *code.variants, *_REASON_CUES.get(code.value, ()))))
        for code in ReasonCode
    )


@functools.lru_cache(maxsize=4096)
def _detected(text: str) -> tuple[ReasonCode, ...]:
    """The standard reasons a text mentions (a form repeats a few reasons over many rows)."""
    folded = fold(text)
    return tuple(code for code, cues in _folded_cues() if any(cue in folded for cue in cues))
