"""Dates as clerks write them, including partial dates and Chinese numerals.

A :class:`PartialDate` knows how precise it is: ``2004`` stays a year and is never silently
turned into 1 January 2004. Comparisons that need a day use :attr:`PartialDate.first_day` or
:attr:`PartialDate.last_day` explicitly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

import attrs

from .errors import DateError, Problem

_CN_DIGITS = {
    "〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0, "0": 0,
    **{str(d): d for d in range(10)},
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip

_NUMERIC = re.compile(
    r"""
    ^(?P<year>\d{4})                      # year
    (?:(?P<sep>[-./年])(?P<month>\d{1,2})  # month after - . / or 年
       (?:[-./月](?P<day>\d{1,2})日?       # day after the same kind of separator or 月
        |月)?                              # or a year and month only: 2004年3月
    )?年?$
    """,
    re.VERBOSE,
)
# A time of day after a full date, as disclosure pages show it (2024年04月06日 16:40,
# 2024-04-06T16:40:00+08:00, 2024年4月6日16时40分): the date is kept, the time dropped.
_TIME = re.compile(
    r"(?:(?<=日)|(?<=\d)[T\s]|\s)\s*\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|时(?:\d{1,2}分(?:\d{1,2}秒)?)?)$"
)
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
_CHINESE = re.compile(
    r"""
    ^(?P<year>[〇○零Oo0-9一二三四五六七八九]{4})年    # 二〇〇四年 (zero as 〇, ○, 零, 0 or O)
    (?:(?P<month>[一二三四五六七八九十]{1,3}|\d{1,2})月  # 三月, 十二月 (or 5月: 二O一一年5月16日)
       (?:(?P<day>[一二三四五六七八九十]{1,3}|\d{1,2})日)?  # 二十日, 三十一日
    )?$
    """,
    re.VERBOSE,
)


@attrs.frozen(order=True)
class PartialDate:
    """A calendar date that may know only its year, or its year and month.

    Attributes:
        year: the year.
        month: 1-12, or None when only the year is known.
        day: 1-31, or None when the day is not known.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse any accepted form, or raise :class:`DateError` naming the value."""
        if isinstance(text, dt.date):
            return cls.from_date(text)
        if cls is PartialDate and isinstance(text, str):
            return _parse_cached(text)  # values are immutable: imports parse each date often
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        if not isinstance(text, str) or not text.strip():
            raise DateError([Problem("empty date", value=text)])
        normal = unicodedata.normalize("NFKC", text).strip()
        without_time = _TIME.sub("", normal)
        folded = re.sub(r"\s+", "", without_time)
        parts = _match_numeric(folded) or _match_chinese(folded)
        if parts is None:
            raise DateError(
                [
                    Problem(
                        "not a date: expected e.g. 2004-03-20, 2004.3.20, 2004年3月20日, "
                        "20040320, 二〇〇四年三月二十日, 2004-03 or 2004",
                        value=text,
                    )
                ]
            )
        if without_time != normal and parts[2] is None:
            raise DateError([Problem("a time of day needs a full date before it", value=text)])
        return cls._checked(text, *parts)

    @classmethod
    def try_parse(cls, text: str | None) -> PartialDate | None:
        """Like :meth:`parse`, but None for an empty or unparseable value."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except DateError:
            return None

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        """A full date from a :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    @classmethod
    def _checked(cls, text: str, year: int, month: int | None, day: int | None) -> PartialDate:
        if not 1900 <= year <= 2199:
            raise DateError([Problem(f"year {year} is out of range 1900-2199", value=text)])
        if month is not None and not 1 <= month <= 12:
            raise DateError([Problem(f"month {month} does not exist", value=text)])
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateError(
                    [Problem(f"day {day} does not exist in {year}-{month:02d}", value=text)]
                )
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first_day(self) -> dt.date:
        """The earliest day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The latest day this date can mean."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        """``2004-03-20``, ``2004-03`` or ``2004``: the form stored and exported."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def chinese(self) -> str:
        """``2004年3月20日``, ``2004年3月`` or ``2004年``: the form printed in catalogs."""
        text = f"{self.year}年"
        if self.month is not None:
            text += f"{self.month}月"
        if self.day is not None:
            text += f"{self.day}日"
        return text

    def __str__(self) -> str:
        return self.isoformat()


@functools.lru_cache(maxsize=262144)
def _parse_cached(text: str) -> PartialDate:
    return PartialDate._parse(text)


def _match_numeric(text: str) -> tuple[int, int | None, int | None] | None:
    match = _COMPACT.match(text) or _NUMERIC.match(text)
    if not match:
        return None
    groups = match.groupdict()
    month = groups.get("month")
    day = groups.get("day")
    return int(groups["year"]), int(month) if month else None, int(day) if day else None


def _match_chinese(text: str) -> tuple[int, int | None, int | None] | None:
    match = _CHINESE.match(text)
    if not match:
        return None
    year = int("".join(str(_CN_DIGITS[c]) for c in match.group("year")))

    def number(part: str | None) -> int | None:
        return int(part) if part and part.isdigit() else chinese_number(part)

    month = number(match.group("month"))
    day = number(match.group("day"))
    return year, month, day


def chinese_numeral(n: int) -> str:
    """0 .. 999 written in Chinese numerals, as headings and sections number themselves.

    >>> [chinese_numeral(n) for n in (3, 15, 42, 105, 115)]
    ['三', '十五', '四十二', '一百零五', '一百一十五']
    """
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = digits[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + digits[rest]
        return head + ("一" if rest < 20 else "") + chinese_numeral(rest)  # 一百一十五
    return str(n)


def chinese_number(text: str | None) -> int | None:
    """一 .. 九十九 as an int (-1 when it is not such a numeral); None for None.

    >>> chinese_number("三十"), chinese_number("十五"), chinese_number("百")
    (30, 15, -1)
    """
    if not text:
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text, -1) if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return -1  # not a numeral a date uses; rejected by range checks
    high = _CN_DIGITS.get(tens, -100) if tens else 1
    low = _CN_DIGITS.get(units, -100) if units else 0
    return high * 10 + low if high > 0 and low >= 0 else -1


def parse_date(text: str) -> PartialDate:
    """Parse a date in any accepted form (see :class:`PartialDate`)."""
    return PartialDate.parse(text)


def optional_date(value: str | dt.date | PartialDate | None) -> PartialDate | None:
    """None for None or "", a PartialDate otherwise (raising on bad input)."""
    if value is None or value == "":
        return None
    if isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value)  # type: ignore[arg-type]


_PERIOD = re.compile(
    r"^(?:有效期)?\s*(?P<n>\d{1,2}|[一二三四五六七八九十])\s*(?:年|years?|yrs?)$", re.IGNORECASE
)


def parse_period(text: str) -> int | None:
    """A validity period in whole years (``5年``, ``五年``, ``有效期3年``, ``2 years``), or None."""
    match = _PERIOD.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")))
    if not match:
        return None
    n = match.group("n")
    return int(n) if n.isdigit() else chinese_number(n)


def expiry(validity: str, start: PartialDate | None) -> PartialDate | None:
    """The last day of validity: a date written out, or ``start`` plus a period in years
    (the day before the anniversary). None for 长期 or when it cannot be known."""
    text = (validity or "").strip()
    if not text or text.startswith("长期"):
        return None
    years = parse_period(text)
    if years is None:
        return PartialDate.parse(text.removeprefix("有效期至").removesuffix("止"))
    if start is None:
        return None
    first = start.first_day
    try:
        anniversary = first.replace(year=first.year + years)
    except ValueError:  # 29 February
        anniversary = first.replace(year=first.year + years, day=28)
    return PartialDate.from_date(anniversary - dt.timedelta(days=1))


def iso(value: PartialDate | dt.date | None) -> str | None:
    """The ISO form of a date or partial date (``2004-03``, ``2004-03-20``); None for None."""
    return value.isoformat() if value is not None else None
