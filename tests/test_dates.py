"""Dates in every form clerks write them; a year alone stays a year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regclean import DateError, PartialDate

CN = "〇一二三四五六七八九"


@pytest.mark.parametrize(
    "text",
    [
        "2004-03-20", "2004.3.20", "2004/3/20", "2004年3月20日", "20040320",
        "二〇〇四年三月二十日", "二○○四年三月二十日", "二OO四年三月二十日", "二004年三月二十日",
        "２００４年３月２０日", " 2004-03-20 ",
    ],
)  # fmt: skip
def test_full_dates(text: str) -> None:
    assert PartialDate.parse(text) == PartialDate(2004, 3, 20)


@pytest.mark.parametrize(
    "text",
    ["2004年03月20日 16:40", "2004-03-20 16:40:00", "2004-03-20T16:40:00+08:00",
     "2004年3月20日16时40分", "2004/3/20 9:05", "2004年3月20日 16：40"],
)  # fmt: skip
def test_a_time_after_the_date_is_dropped(text: str) -> None:
    """信息公开 pages show 成文日期 with the time (2024年04月06日 16:40): the date is kept."""
    assert PartialDate.parse(text) == PartialDate(2004, 3, 20)


@pytest.mark.parametrize("text", ["2004 16:40", "2004年3月 10:00", "16:40"])
def test_a_time_without_a_full_date_is_refused(text: str) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2004", "2004", "year"),
        ("2004年", "2004", "year"),
        ("2004-03", "2004-03", "month"),
        ("2004年3月", "2004-03", "month"),
        ("二〇〇四年三月", "2004-03", "month"),
        ("二〇〇四年", "2004", "year"),
    ],
)
def test_partial_dates_keep_their_precision(text: str, iso: str, precision: str) -> None:
    date = PartialDate.parse(text)
    assert date.isoformat() == iso
    assert date.precision == precision


def test_a_year_is_never_silently_january_first() -> None:
    year = PartialDate.parse("2004")
    assert year.month is None and year.day is None
    assert year.first_day == dt.date(2004, 1, 1)
    assert year.last_day == dt.date(2004, 12, 31)
    assert PartialDate.parse("2004-02").last_day == dt.date(2004, 2, 29)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2004-02-30", "day 30 does not exist"),
        ("2003-02-29", "day 29 does not exist"),
        ("2004-13-01", "month 13 does not exist"),
        ("二〇〇四年十三月", "month 13 does not exist"),
        ("hello", "not a date"),
        ("3月20日", "not a date"),
        ("", "empty date"),
        ("0004-01-01", "out of range"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        PartialDate.parse(text)


def chinese_numeral(n: int) -> str:
    tens, units = divmod(n, 10)
    if not tens:
        return CN[units]
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[units] if units else "")


@given(st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)))
def test_property_every_written_form_round_trips(day: dt.date) -> None:
    y, m, d = day.year, day.month, day.day
    forms = [
        day.isoformat(),
        f"{y}.{m}.{d}",
        f"{y}/{m}/{d}",
        f"{y}年{m}月{d}日",
        f"{y:04d}{m:02d}{d:02d}",
        "".join(CN[int(c)] for c in str(y)) + f"年{chinese_numeral(m)}月{chinese_numeral(d)}日",
    ]
    for form in forms:
        assert PartialDate.parse(form).first_day == day, form
    assert PartialDate.parse(PartialDate.from_date(day).chinese()) == PartialDate.from_date(day)


@given(st.text(max_size=20))
def test_property_any_text_parses_or_raises_a_date_error(text: str) -> None:
    try:
        PartialDate.parse(text)
    except DateError as exc:
        assert exc.problems
