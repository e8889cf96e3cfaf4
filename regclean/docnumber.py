"""Document numbers (文号 / 发文字号) and order numbers (令号) as value objects.

A number is kept exactly as it was given (``raw``) and compared through ``key``, a canonical form
in which every variant people type gives the same string::

    >>> DocNumber.parse("温政发[2004]第012號").key
    '温政发〔2004〕12号'
    >>> DocNumber.parse("中华人民共和国国务院令第473号").key
    '国务院令第473号'

A 文号 is not unique: identity of an instrument is (number key, title core), never the number alone.
"""

from __future__ import annotations

import functools
import re

import attrs

from .dates import chinese_number
from .errors import DocNumberError, Problem
from .text import fold, fold_brackets

_HAN = r"\u3400-\u9fff"
# Han characters, possibly with a bracketed qualifier: 温政发, 深公交(规).
_ISSUER = rf"(?:[{_HAN}]|\([{_HAN}]+\))+"

# After folding (NFKC, simplified, no spaces, every bracket -> ASCII parentheses).
_STANDARD = re.compile(
    rf"""
    ^(?P<issuer>{_ISSUER})   # 机关代字 + type suffix: 温政发, 国办函, 深公交(规)
    \((?P<year>\d{{4}})\)               # year in any bracket: 〔2004〕 [2004] （2004） 【2004】
    第?0*(?P<serial>\d+)                # serial; a stray 第 and leading zeros mean nothing
    号?$
    """,
    re.VERBOSE,
)
_YEAR_FIRST = re.compile(
    rf"""
    ^\((?P<year>\d{{4}})\)              # legacy year-first form: 〔1965〕国物字394号
    (?P<issuer>{_ISSUER})
    第?0*(?P<serial>\d+)号?$
    """,
    re.VERBOSE,
)
_YEAR_WORD = re.compile(
    rf"""
    ^(?P<issuer>{_ISSUER})   # 商务部公告, 交通运输部令
    (?P<year>\d{{4}})年                 # year written with 年: 2023年
    第?0*(?P<serial>\d+)号?$
    """,
    re.VERBOSE,
)
_ORDER = re.compile(
    rf"""
    ^(?P<issuer>(?:{_ISSUER}、)*{_ISSUER}?(?:令|公告))  # an order with no year: 国务院令, 省政府令,
    # 温州市人民政府令, a joint one (食品药品监管局、海关总署令),
    第?0*(?P<serial>\d+)号$            # and a standing committee's 公告 (…常务委员会公告第28号)
    """,
    re.VERBOSE,
)

# An order numbered within a term (届), as presidential orders are: 中华人民共和国主席令（九届第37号）
# and a standing committee's 公告 numbered so, the term before the serial: …常务委员会公告（十四届）第40号
_TERM_ORDER = re.compile(
    rf"^(?P<issuer>{_ISSUER}?令)\((?P<term>[一二三四五六七八九十]{{1,3}})届第?0*(?P<serial>\d+)号?\)$"
    rf"|^(?P<issuer2>{_ISSUER}?(?:令|公告))\((?P<term2>[一二三四五六七八九十]{{1,3}})届\)第0*(?P<serial2>\d+)号$"
)
# the term written inside a standing committee's name (宁波市第十三届人民代表大会常务委员会公告第6号):
# the same number as with the term in brackets after 公告
_TERM_INSIDE = re.compile(
    r"^(?P<before>[^第]*?)第(?P<term>[一二三四五六七八九十]{1,3})届(?P<after>人民代表大会常务委员会公告)$"
)
# an order written with its number before 令: 食品药品监管局、海关总署第4号令
_NUMBER_BEFORE_ORDER = re.compile(rf"^((?:{_ISSUER}、)*{_ISSUER})第0*(\d+)号令$")
# a serial written in Chinese numerals: 第三十七号, 第二百三十八号
_CN_SERIAL = re.compile(r"第(?P<n>[〇零一二三四五六七八九十百两]{1,8})号")


def _cn_serial(found: re.Match[str]) -> str:

    text = found.group("n").replace("两", "二")
    hundreds, _, rest = text.rpartition("百")
    value = 0
    if "百" in text:
        value = 100 * (chinese_number(hundreds) if hundreds else 1)  # type: ignore[operator]
    rest = rest.lstrip("〇零")
    if rest:
        value += chinese_number(rest) or -1000
    return f"第{value}号" if value > 0 else found.group(0)


# Families whose canonical rendering writes the year with 年 and the serial with 第.
_YEAR_WORD_SUFFIXES = ("公告", "令")

# Equivalent spellings of order issuers, applied in order.
_ORDER_ALIASES = (
    ("中华人民共和国国务院令", "国务院令"),
    ("国令", "国务院令"),
    ("人民政府令", "政府令"),
)


@attrs.frozen
class DocNumber:
    """A parsed document or order number.

    Attributes:
        raw: the string exactly as given.
        issuer: the issuer code with its type suffix (``温政发``, ``国办函``) or the order issuer
            (``国务院令``, ``温州市政府令``), in canonical spelling.
        year: the year in the number, or None for orders without a year. It may differ from the
            publication year: never infer dates from it.
        serial: the serial number, without leading zeros.
        family: ``"standard"`` (issuer〔year〕serial号), ``"year_word"`` (issuer2023年第21号, for
            公告 and ministry orders) or ``"order"`` (issuer第N号).
    """

    raw: str
    issuer: str
    year: int | None
    serial: int
    family: str

    @classmethod
    def parse(cls, raw: str) -> DocNumber:
        """Parse any written variant of a number, or raise :class:`DocNumberError`."""
        if cls is DocNumber and isinstance(raw, str):
            return _parse_cached(raw)  # values are immutable: imports parse each number often
        return cls._parse(raw)

    @classmethod
    def _parse(cls, raw: str) -> DocNumber:
        if not isinstance(raw, str) or not raw.strip():
            raise DocNumberError([Problem("empty document number", value=raw)])
        text = _CN_SERIAL.sub(_cn_serial, fold_brackets(fold(raw)))
        text = _NUMBER_BEFORE_ORDER.sub(r"\1令第\2号", text)  # 海关总署第4号令 == 海关总署令第4号
        for pattern in (_STANDARD, _YEAR_FIRST, _YEAR_WORD):
            match = pattern.match(text)
            if match:
                issuer = _order_alias(_clean_issuer(match.group("issuer")))
                year = int(match.group("year"))
                family = "year_word" if issuer.endswith(_YEAR_WORD_SUFFIXES) else "standard"
                return cls(raw, issuer, year, int(match.group("serial")), family)
        match = _ORDER.match(text)
        if match:
            issuer = _order_alias(_clean_issuer(match.group("issuer")))
            term = _TERM_INSIDE.match(issuer)
            if (
                term
            ):  # 甲市第十三届人民代表大会常务委员会公告 == 甲市人民代表大会常务委员会公告（十三届）
                issuer = f"{term.group('before')}{term.group('after')}（{term.group('term')}届）"
            return cls(raw, issuer, None, int(match.group("serial")), "order")
        match = _TERM_ORDER.match(text)
        if match:  # the term stays with the issuer: each term numbers its orders from 1
            inside = match.group("issuer") is not None  # 主席令（九届第37号）
            issuer = _order_alias(_clean_issuer(match.group("issuer" if inside else "issuer2")))
            return cls(
                raw,
                f"{issuer}（{match.group('term' if inside else 'term2')}届）",
                None,
                int(match.group("serial" if inside else "serial2")),
                "order",
            )
        raise DocNumberError(
            [
                Problem(
                    "not a document number: expected e.g. 温政发〔2004〕12号, "
                    "国务院令第473号 or 商务部公告2023年第21号",
                    value=raw,
                )
            ]
        )

    @classmethod
    def try_parse(cls, raw: str | None) -> DocNumber | None:
        """Like :meth:`parse`, but None for an empty or unparseable string."""
        if not raw:
            return None
        try:
            return cls.parse(raw)
        except DocNumberError:
            return None

    @property
    def key(self) -> str:
        """The canonical form: equal for every variant of the same number."""
        if self.family == "order":
            return f"{self.issuer}第{self.serial}号"
        if self.family == "year_word":
            return f"{self.issuer}{self.year}年第{self.serial}号"
        return f"{self.issuer}〔{self.year}〕{self.serial}号"

    @property
    def is_order(self) -> bool:
        """True for 令 numbers (规章 and 行政法规 are promulgated by orders)."""
        return self.issuer.endswith("令")

    @property
    def is_generic_order(self) -> bool:
        """True for orders that name no government (省政府令, 市政府令, 政府令)."""
        return self.is_order and self.issuer in {"省政府令", "市政府令", "县政府令", "政府令"}

    @property
    def issuer_name(self) -> str | None:
        """The body an order number names (陕西省人民政府令第152号 -> 陕西省人民政府, 国务院令 ->
        国务院, 农业部令 -> 农业部); None for a generic order (省政府令: see :func:`issuer_of`)
        and for other numbers, whose codes (温政发) do not spell a name."""
        if not self.is_order or self.is_generic_order:
            return None
        name = self.issuer.removesuffix("令")
        if name.endswith("政府") and not name.endswith("人民政府"):
            name = name.removesuffix("政府") + "人民政府"
        return name or None

    def qualified(self, issuer_name: str | None) -> DocNumber:
        """The number with a generic order issuer (市政府令) named after its issuer.

        ``市政府令第60号`` issued by 济南市人民政府 becomes ``济南市政府令第60号``, so that it
        matches the same number written in full. Other numbers are returned unchanged.
        """
        if not self.is_generic_order or not issuer_name:
            return self
        name = fold(issuer_name).replace("人民政府", "政府")
        level = self.issuer[: -len("政府令")]  # 省, 市, 县 or nothing
        if not name.endswith(level + "政府") or name == level + "政府":
            return self
        return attrs.evolve(self, issuer=name + "令")

    def __str__(self) -> str:
        return self.key


@functools.lru_cache(maxsize=262144)
def _parse_cached(raw: str) -> DocNumber:
    return DocNumber._parse(raw)


def _clean_issuer(issuer: str) -> str:
    # A bracketed qualifier is part of the code: 深公交（规） == 深公交规. A stray 第 before the
    # serial is not: (1990)农(检疫)字第14号 == 农（检疫）字〔1990〕第14号.
    return issuer.replace("(", "").replace(")", "").removesuffix("第")


def _order_alias(issuer: str) -> str:
    """The canonical spelling of an order's issuer (人民政府令 -> 政府令, 国令 -> 国务院令), in
    every family: 河北省人民政府令〔2010〕第15号 == 河北省政府令〔2010〕第15号."""
    for old, new in _ORDER_ALIASES:
        if issuer.endswith(old) and (old != "国令" or issuer == "国令"):
            issuer = issuer[: -len(old)] + new
    if issuer.endswith("令") and len(issuer) > 9:
        issuer = issuer.removeprefix("中华人民共和国")  # 中华人民共和国公安部令 == 公安部令
    return issuer


_LEVELS = {"省政府令": ("省", "自治区"), "市政府令": ("市",), "县政府令": ("县", "区", "旗")}


def issuer_of(number: DocNumber | None, jurisdiction: str = "") -> str:
    """The issuer a number shows, when nothing else names it ("" when it shows none): the body
    of an order (:attr:`DocNumber.issuer_name`), and for a generic order the government of the
    jurisdiction when its level fits (省政府令 in 陕西省 -> 陕西省人民政府)."""
    if number is None:
        return ""
    if number.issuer_name:
        return number.issuer_name
    place = fold(jurisdiction)
    if number.is_generic_order and place.endswith(_LEVELS.get(number.issuer, ())):
        return place + "人民政府"
    return ""


def number_key(raw: str | None, issuer_name: str | None = None) -> str:
    """Canonical key of a raw number, or the folded text when it does not parse ("" for none).

    Used for identity and lookup: unparseable numbers (kept as given on import) still compare
    equal across full-width/half-width and traditional/simplified spellings.
    """
    if not raw or not raw.strip():
        return ""
    number = DocNumber.try_parse(raw)
    if number is None:
        return fold_brackets(fold(raw))
    return number.qualified(issuer_name).key
