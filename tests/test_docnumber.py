"""Document numbers: every way people write one gives the same key; different numbers never do."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from regclean import DocNumber, DocNumberError
from regclean.docnumber import number_key

SAME_NUMBER = [
    "温政发〔2004〕12号",
    "温政发[2004]12号",
    "温政发（2004）12号",
    "温政发(2004)12号",
    "温政发【2004】12号",
    "温政发﹝2004﹞12号",
    "温政发 〔2004〕 12号",
    "温政发〔２００４〕１２号",
    "温政发〔2004〕第12号",
    "温政发〔2004〕012号",
    "温政发〔2004〕第012号",
    "溫政發〔2004〕12號",
]


@pytest.mark.parametrize("variant", SAME_NUMBER)
def test_every_variant_of_a_number_has_one_key(variant: str) -> None:
    number = DocNumber.parse(variant)
    assert number.key == "温政发〔2004〕12号"
    assert (number.issuer, number.year, number.serial) == ("温政发", 2004, 12)
    assert number.raw == variant  # the raw string is kept exactly


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (["国务院令第473号", "国令第473号", "中华人民共和国国务院令第473号"], "国务院令第473号"),
        (
            ["深公交（规）〔2024〕3号", "深公交规〔2024〕3号", "深公交(规)[2024]3号"],
            "深公交规〔2024〕3号",
        ),
        (["〔1965〕国物字394号", "国物字〔1965〕394号"], "国物字〔1965〕394号"),
        (["國發〔2021〕26號", "国发〔2021〕26号"], "国发〔2021〕26号"),
        (["商务部公告2023年第21号", "商务部公告〔2023〕21号"], "商务部公告2023年第21号"),
        (["政府令〔2010〕第15号", "政府令2010年第15号"], "政府令2010年第15号"),
        (["温州市人民政府令第48号", "温州市政府令第48号"], "温州市政府令第48号"),
        # a serial in Chinese numerals (#22, batch 8), and an order numbered within its term
        (["国务院令第二百三十八号", "国务院令第238号"], "国务院令第238号"),
        (
            ["中华人民共和国公安部令第１２５号", "公安部令第125号", "公安部令第一百二十五号"],
            "公安部令第125号",
        ),
        (
            ["食品药品监管局、海关总署第4号令", "食品药品监管局、海关总署令第4号"],
            "食品药品监管局、海关总署令第4号",
        ),
        (["市政府令第一百零五号", "市政府令第105号"], "市政府令第105号"),
        (
            ["中华人民共和国主席令(九届第37号)", "中华人民共和国主席令（九届第三十七号）"],
            "主席令（九届）第37号",  # 中华人民共和国X令 is X令 for every national organ
        ),
        (
            ["中华人民共和国主席令（九届）第37号", "主席令(九届)第三十七号"],
            "主席令（九届）第37号",  # the term before the serial, as 公告 print it
        ),
        (
            [
                "安徽省人民代表大会常务委员会公告（十四届）第四十号",
                "安徽省人民代表大会常务委员会公告(十四届)第40号",
            ],
            "安徽省人民代表大会常务委员会公告（十四届）第40号",  # each term numbers from 1
        ),
        (
            [
                "宁波市第十三届人民代表大会常务委员会公告第6号",  # the term in the name (batch 23)
                "宁波市人民代表大会常务委员会公告（十三届）第6号",
                "宁波市第十三届人民代表大会常务委员会公告第六号",
            ],
            "宁波市人民代表大会常务委员会公告（十三届）第6号",
        ),
    ],
)
def test_number_families(variants: list[str], key: str) -> None:
    assert {DocNumber.parse(v).key for v in variants} == {key}


def test_an_order_names_no_year_and_is_an_order() -> None:
    number = DocNumber.parse("省政府令第114号")
    assert number.year is None and number.serial == 114 and number.is_order
    assert number.family == "order"


def test_generic_order_is_qualified_by_its_issuer() -> None:
    number = DocNumber.parse("市政府令第60号")
    assert number.qualified("济南市人民政府").key == "济南市政府令第60号"
    assert number_key("市政府令第60号", "济南市人民政府") == number_key("济南市人民政府令第60号")
    # a province's order is not qualified by a city, nor the other way round
    assert DocNumber.parse("省政府令第114号").qualified("济南市人民政府").key == "省政府令第114号"
    assert (
        DocNumber.parse("省政府令第114号").qualified("山东省人民政府").key == "山东省政府令第114号"
    )


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "hello", "12345", "关于印发的通知", "温政发〔2004〕", "〔2004〕12号", "温政发12号"],
)
def test_garbage_is_rejected_with_the_value_named(garbage: str) -> None:
    with pytest.raises(DocNumberError) as info:
        DocNumber.parse(garbage)
    assert info.value.problems
    if garbage.strip():
        assert repr(garbage) in str(info.value)


# -- properties ---------------------------------------------------------------------------

ISSUER_CHARS = "温政办国浙人防鲁闽科杭州市嘉兴湖宁波交通卫健财税教"
SUFFIXES = ["发", "办发", "函", "规", "字", "电", "联", "办函"]
TRAD = str.maketrans({"发": "發", "号": "號", "国": "國", "办": "辦", "卫": "衛", "财": "財"})
BRACKETS = [
    ("〔", "〕"),
    ("[", "]"),
    ("（", "）"),
    ("(", ")"),
    ("【", "】"),
    ("﹝", "﹞"),
    ("［", "］"),
]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

issuers = st.builds(
    lambda code, suffix: code + suffix,
    st.text(alphabet=ISSUER_CHARS, min_size=1, max_size=4),
    st.sampled_from(SUFFIXES),
)
numbers = st.tuples(issuers, st.integers(1949, 2035), st.integers(1, 9999))


@st.composite
def written(draw: st.DrawFn, number: tuple[str, int, int]) -> str:
    """One way a person or a website writes the number."""
    issuer, year, serial = number
    opening, closing = draw(st.sampled_from(BRACKETS))
    serial_text = "0" * draw(st.integers(0, 2)) + str(serial)
    stray = draw(st.sampled_from(["", "第"]))
    space = draw(st.sampled_from(["", " ", "\u3000"]))
    text = f"{issuer}{space}{opening}{year}{closing}{space}{stray}{serial_text}号"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.booleans()):
        text = text.translate(TRAD)
    return text


@given(st.data(), numbers)
def test_property_every_way_of_writing_gives_the_same_key(data: st.DataObject, number) -> None:
    issuer, year, serial = number
    text = data.draw(written(number))
    assert DocNumber.parse(text).key == f"{issuer}〔{year}〕{serial}号"


@given(numbers, numbers, st.data())
def test_property_different_numbers_never_collide(a, b, data: st.DataObject) -> None:
    assume(a != b)
    assert DocNumber.parse(data.draw(written(a))).key != DocNumber.parse(data.draw(written(b))).key


@given(st.text(max_size=30))
def test_property_any_text_parses_or_raises_a_clear_error(text: str) -> None:
    try:
        number = DocNumber.parse(text)
    except DocNumberError as exc:
        assert exc.problems and exc.problems[0].message
    else:
        assert DocNumber.parse(number.key).key == number.key  # the key is itself a valid number


@pytest.mark.parametrize(
    ("one", "other"),
    [  # number families from real pages (#12)
        ("河北省人民政府令〔2010〕第15号", "河北省政府令〔2010〕第15号"),
        ("河北省人民政府令〔2010〕第15号", "河北省人民政府令[2010]15号"),
        ("(1990)农(检疫)字第14号", "农（检疫）字〔1990〕第14号"),
        ("〔1965〕国物字第394号", "国物字〔1965〕394号"),
    ],
)
def test_more_number_families_give_one_key(one: str, other: str) -> None:
    assert DocNumber.parse(one).key == DocNumber.parse(other).key


def test_an_order_with_a_year_named_by_its_government() -> None:
    """The 河北 page prints 政府令〔2010〕第15号: qualified by its issuer it is the full number."""
    generic = DocNumber.parse("政府令〔2010〕第15号")
    assert generic.is_generic_order
    assert (
        generic.qualified("河北省人民政府").key
        == DocNumber.parse("河北省人民政府令〔2010〕第15号").key
    )
