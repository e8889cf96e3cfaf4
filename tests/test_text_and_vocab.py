"""Title cores and the controlled vocabularies, with every variant word of DOMAIN.md."""

from __future__ import annotations

import pytest

from regclean import Kind, Outcome, ReasonCode, Status, VocabularyError, title_core
from regclean.docnumber import DocNumber
from regclean.fields import infer_kind
from regclean.text import title_key


@pytest.mark.parametrize(
    ("title", "core"),
    [
        ("关于印发《温州市X办法》的通知", "温州市X办法"),
        ("《山东省信访规定》", "山东省信访规定"),
        ("山东省信访规定", "山东省信访规定"),
        (
            "《温州市人民防空办公室关于印发<温州市人民防空工程质量监督管理实施办法>的通知》",
            "温州市人民防空工程质量监督管理实施办法",
        ),
        (
            "《花垣县人民政府办公室关于印发〈花垣县行政许可事项清单(2022年版)〉的通知》",
            "花垣县行政许可事项清单(2022年版)",
        ),
        ("关于印发＜某某办法＞的通知", "某某办法"),
        ("关于城市规划建设管理规定的通知", "关于城市规划建设管理规定的通知"),
    ],
)
def test_title_core(title: str, core: str) -> None:
    assert title_core(title) == core


def test_title_keys_ignore_marks_width_and_script() -> None:
    assert title_key("《杭州市城市扬尘污染防治管理办法》") == title_key(
        "杭州市城市扬尘污染防治管理办法"
    )
    assert title_key("花垣县行政许可事项清单（2022年版）") == title_key(
        "花垣县行政许可事项清单(2022年版)"
    )
    assert title_key("國務院關於X的規定") == title_key("国务院关于X的规定")


@pytest.mark.parametrize(
    ("word", "outcome"),
    [
        *[(w, Outcome.KEEP) for w in ["keep", "继续有效", "保留", "现行有效", "拟保留", "KEEP"]],
        *[
            (w, Outcome.REVISE)
            for w in [
                "revise",
                "修改",
                "修订",
                "拟修改",
                "需修改后重新发布",
                "予以修订",
                "重新立法",
            ]
        ],
        *[
            (w, Outcome.REPEAL)
            for w in ["repeal", "废止", "明令废止", "予以废止", "决定废止", "廢止"]
        ],
        *[
            (w, Outcome.INVALIDATE)
            for w in ["invalidate", "宣布失效", "失效", "予以失效", "自动失效"]
        ],
    ],
)
def test_every_outcome_word(word: str, outcome: Outcome) -> None:
    assert Outcome.parse(word) is outcome


@pytest.mark.parametrize(
    ("word", "outcome"),
    [  # words seen in real forms and decisions (#12)
        ("予以保留", Outcome.KEEP), ("拟继续有效", Outcome.KEEP), ("建议保留", Outcome.KEEP),
        ("建议废止", Outcome.REPEAL), ("宣布废止", Outcome.REPEAL), ("已废止", Outcome.REPEAL),
        ("不再保留", Outcome.REPEAL), ("修改后重新发布", Outcome.REVISE),
        ("建议修改", Outcome.REVISE), ("已失效", Outcome.INVALIDATE),
        ("建議宣佈失效", Outcome.INVALIDATE),
    ],
)  # fmt: skip
def test_outcome_words_from_real_documents(word: str, outcome: Outcome) -> None:
    assert Outcome.parse(word) is outcome


def test_merged_outcome_asks_for_a_choice() -> None:
    with pytest.raises(VocabularyError, match="choose 废止"):
        Outcome.parse("废止或宣布失效")


def test_unknown_outcome_lists_the_choices() -> None:
    with pytest.raises(VocabularyError, match="keep \\(继续有效\\)"):
        Outcome.parse("删除")


@pytest.mark.parametrize(
    ("label", "status"),
    [
        # #13: 部分失效 is a status of its own; 已修改 marks an old version of a text in force
        ("有效", Status.IN_FORCE), ("现行有效", Status.IN_FORCE),
        ("部分失效", Status.PARTIALLY_IN_FORCE), ("尚未生效", Status.NOT_YET_IN_FORCE),
        ("已修改", Status.IN_FORCE), ("拟修改", Status.TO_BE_REVISED),
        ("已废止", Status.REPEALED), ("失效", Status.INVALID), ("已失效", Status.INVALID),
    ],
)  # fmt: skip
def test_every_website_status_label(label: str, status: Status) -> None:
    assert Status.parse(label) is status


def test_kinds_accept_chinese() -> None:
    assert Kind.parse("规章") is Kind.RULE
    assert Kind.parse("规范性文件") is Kind.NORMATIVE
    assert Kind.parse("地方性法规") is Kind.LOCAL_REGULATION
    assert Kind.parse("行政法规") is Kind.ADMIN_REGULATION
    assert Kind.parse("政府规章") is Kind.LOCAL_RULE and Kind.parse("部门规章").family is Kind.RULE
    assert Kind.parse("法律").family is Kind.REGULATION and Kind.parse("法规") is Kind.REGULATION
    assert set(Kind.RULE.covered()) == {Kind.RULE, Kind.LOCAL_RULE, Kind.DEPARTMENT_RULE}
    assert Kind.LOCAL_RULE.covered() == (Kind.LOCAL_RULE,)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("与上位法相抵触", [ReasonCode.CONFLICTS_HIGHER_LAW]),
        ("与改革决策和经济社会发展不相适应", [ReasonCode.UNFIT]),
        (
            "适用期已过或者调整对象已经消失，实际上已经失效",
            [ReasonCode.OBJECT_GONE, ReasonCode.PERIOD_OVER],
        ),
        ("主要内容被新的法律或者行政法规所代替", [ReasonCode.SUPERSEDED]),
        ("天气不好", []),
    ],
)
def test_reason_codes_are_detected_from_wording(text: str, codes: list[ReasonCode]) -> None:
    assert ReasonCode.detect(text) == codes


def test_invisible_characters_do_not_make_a_second_instrument(fresh_registry) -> None:
    """#17: the same 文号 and title, plain, with a zero-width space, a right-to-left override
    and a byte order mark, is one instrument; the override is not stored."""
    for title in ("温州市甲办法", "温州市\u200b甲办法", "\u202e温州市甲办法", "\ufeff温州市甲办法"):
        fresh_registry.upsert_instrument(title=title, doc_number="温政发〔2004〕\u200b12号")
    (only,) = fresh_registry.instruments()
    assert only.title == "温州市甲办法" and only.doc_number == "温政发〔2004〕12号"


def test_the_invisible_characters_are_format_characters() -> None:
    """Nothing a reader sees is removed: every character of the class is a format character
    (Cf), a mark that only selects a variant of the one before it (Mn: variation selectors, the
    combining grapheme joiner, Mongolian selectors), or one of the fillers that render as
    nothing (Hangul fillers, Khmer inherent vowels, the braille blank) (#26)."""
    import unicodedata

    from regclean.text import _INVISIBLE

    fillers = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u17b4", "\u17b5", "\u2800"}
    removed = [chr(c) for c in range(0x110000) if _INVISIBLE.match(chr(c))]
    assert removed and all(
        unicodedata.category(c) in ("Cf", "Mn", "Cn") or c in fillers for c in removed
    )  # fmt: skip  (Cn: unassigned tag code points)
    marks = [c for c in removed if unicodedata.category(c) == "Mn"]
    assert all(unicodedata.name(c, "").startswith(("VARIATION SELECTOR", "COMBINING GRAPHEME",
                                                   "MONGOLIAN FREE VARIATION", "KHMER VOWEL INHERENT")) for c in marks)  # fmt: skip


@pytest.mark.parametrize(
    ("title", "number", "kind"),
    [
        (
            "国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见",
            "国办发〔2018〕115号",
            Kind.NORMATIVE,
        ),
        ("国务院关于河北雄安新区总体规划（2018—2035年）的批复", "国函〔2018〕159号", Kind.OTHER),
        ("国务院办公厅关于印发国家粮食应急预案的函", "国办函〔2005〕57号", Kind.OTHER),
        ("国务院关于2018年度国家科学技术奖励的决定", "国发〔2018〕44号", Kind.OTHER),
        ("国务院办公厅关于调整国家教材委员会组成人员的通知", "国办发〔2018〕109号", Kind.OTHER),
        (
            "国务院办公厅关于四起特大煤矿瓦斯爆炸事故调查处理情况的通报",
            "国办发〔2004〕7号",
            Kind.OTHER,
        ),
        ("甲市人民政府关于印发甲市科学技术奖励办法的通知", "甲政发〔2019〕3号", Kind.NORMATIVE),
    ],
)
def test_what_is_not_a_normative_document(title: str, number: str, kind: Kind) -> None:
    """#22, batches 9-10: a reply on one matter (批复, a 函) and what the definition of a
    行政规范性文件 leaves out (awards, members, 通报) are 其他文件; a 奖励办法 is a rule."""
    assert infer_kind(DocNumber.parse(number), "", title) is kind
