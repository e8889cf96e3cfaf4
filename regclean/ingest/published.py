"""Reading a published decision (决定) as what it is: a decision document whose headings say
what happens to the instruments listed under them.

    陕西省人民政府关于修改、废止部分省政府规章的决定
    一、对下列2件省政府规章予以修改。
    （一）对《陕西省渭河流域生态环境保护办法》作如下修改：
    1.删去第三十一条。
    二、对下列7件省政府规章予以废止。
    1.《陕西省收费证管理办法》（2011年6月28日陕西省人民政府令第152号发布）
    三、本决定自公布之日起施行。

Every list numbering in use is read, at its own level: 一、 （一） (一) 1. 1、 (1) ①. A heading's
outcome word (予以废止, 宣布失效, 予以修改, 继续有效, 不再保留 ...) applies to the items below it
until a heading at the same or a higher level; a sentence such as "省政府决定废止以下规章：" does the
same. "对《X》作如下修改" starts a revision of X whose amendment text is the lines below it. An
item is ``《title》（details）`` or, without book-title marks, ``title（number）``; the details give
the date and number it was issued under and the orders that amended it since
("根据…令第84号、…令第154号修改").

The document's title, number, issuer and date, and the day it takes effect, are read from the
text where it states them (自公布之日起施行: the day it was signed or published).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import itertools
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..dates import PartialDate, chinese_number
from ..docnumber import DocNumber
from ..errors import Problem, ValidationError
from ..fields import infer_kind, ranked_kind
from ..text import fold, fold_book_marks, fold_brackets, to_simplified
from ..vocab import Kind, Outcome, Status

# List markers, each with its level: 一、 （一） 1. (1) ①
_MARKERS = (
    (1, re.compile(r"[一二三四五六七八九十百]+\s*[、.．]")),
    (2, re.compile(r"[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*[、.．]?")),
    (3, re.compile(r"\d{1,3}\s*(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"[（(]\s*\d{1,3}\s*[）)]\s*[、.．]?")),
    (5, re.compile(r"[①-⑳]")),
)
_BOOK = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")
# a draft published for comment: (修正草案·二审稿), 征求意见稿, 关于…公开征求意见的通知
_DRAFT = re.compile(
    r"[（(][^）)]*(?:草案|征求意见稿|送审稿)[^）)]*[）)]|(?:草案|征求意见稿|送审稿)$"
    r"|征求意见的(?:通知|公告|函)"
)


def _is_draft_line(line: str) -> bool:
    """A line that says its text is a draft for comment: a title or heading with 草案 or
    征求意见稿, or a notice asking for comment. A draft named by its book-title marks in a
    sentence (…审议了市人民政府提出的《X（草案）》的议案，特作如下决定) is cited: the text that
    cites it was adopted from it."""
    rest = _BOOK.sub("", line)
    return bool(_DRAFT.search(rest if rest.strip(" 。，,：:；;") else line))


# a sentence ending 对《X》作如下修改: whatever comes before it (根据《Y》, …会议决定, 市政府决定),
# 作 or 做 as printed; or going on to reissue it and say from when (…作如下修订并重新发布，自
# 2025年5月1日起施行，有效期至…，请遵照执行。)
_REVISION = re.compile(
    r"^.*?对《(?P<title>[^》]+)》(?:[（(](?P<detail>[^）)]*)[）)])?\s*(?:的?部分(?:内容|条款|条文))?\s*"
    r"(?:[作做]出?(?:如下|以下)?(?:修改|修订)|(?:修改|修订)如下)"
    r"(?:并重新(?:发布|印发|公布)[，,][^。《》]*)?[:：。]?\s*$"
)
# the short name a text gives a document it then cites by: （…，以下简称《解释》）
_SHORT_NAME = re.compile(r"以下简称\s*[“\"]?《(?P<short>[^》]{1,12})》")
# A numbered amendment that names its instrument inline: 1.在《X》第七条中增加一项…,
# 2.将《X》第七条修改为…; its text runs on over the unnumbered lines below it.
# An item led by its verb (the usual form of a people's congress decision): 废止《X》（…通过）
_VERB_ITEM = re.compile(
    r"^(?:决定)?(?:予以|宣布|明令)?(?P<verb>废止|失效|撤销|停止执行|修改|修订)(?P<rest>《.+)$"
)
# An amendment that names its instrument, led by any verb: 删去《X》第七条, 增加《X》…
_AMENDMENT_VERBS = r"修改为|改为|增加|增设|增写|删去|删除|调整为|替换为|修改|补充|合并|移作"
_LED_AMENDMENT = re.compile(rf"^(?:{_AMENDMENT_VERBS})《(?P<title>[^》]+)》(?P<rest>.*)$")
# A summary line: 《X》等7件规范性文件继续有效 (one named, the rest in an annex)
_SUMMARY = re.compile(
    r"^(?:[^《》]{0,60}?对)?《(?P<title>[^《》]+(?:《[^《》]*》[^《》]*)*)》"
    r"(?:[（(](?P<detail>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)])?\s*等\s*"
    r"(?P<n>\d{1,6}|[一二三四五六七八九十百两]{1,6})\s*[件份](?P<rest>.*)$"
)
_INLINE_REVISION = re.compile(
    r"^(?:在|将|把|对)?《(?P<title>[^》]+)》(?:[（(](?P<detail>[^）)]*)[）)])?\s*(?P<rest>(?:第|中|的|题|名称|标题).*?"
    r"(?:修改为|改为|增加|删去|删除|调整为|替换为|修改)[^。]*.*)$"
)
_MARKED_ITEM = re.compile(
    r"^《(?P<title>[^》]+)》\s*(?:[（(](?P<detail>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)])?"
    r"\s*[。；;，,]?\s*$"
)
_BARE_ITEM = re.compile(
    r"^(?P<title>[^（）()《》:：，,。]{2,80}?)\s*[（(](?P<detail>[^（）()]+)[）)]\s*[。；;]?\s*$"
)
# a full date as printed: 2004年3月20日, 二〇〇四年三月二十日, 二O一一年5月16日
_DAY = (
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零Oo0一二三四五六七八九]{4}年"
    r"(?:[一二三四五六七八九十]{1,3}|\d{1,2})月(?:[一二三四五六七八九十]{1,3}|\d{1,2})日"
)
_DATE = re.compile(rf"{_DAY}|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}")
_ORDER = (
    r"(?:[\u3400-\u9fff]+、)*[\u3400-\u9fff]*令\s*(?:[〔\[（(【﹝]\s*\d{4}\s*[〕\]）)】﹞])?\s*第?\s*\d+\s*号"
    r"|(?:[\u3400-\u9fff]+、)*[\u3400-\u9fff]+?第\s*\d+\s*号令"  # 食品药品监管局、海关总署第4号令
    r"|[\u3400-\u9fff]*令\s*[（(][一二三四五六七八九十]{1,3}届第\d+号[）)]"  # 主席令（九届第37号）
    r"|[\u3400-\u9fff]*令第[〇零一二三四五六七八九十百两]{1,8}号"  # 主席令第三十七号
)
_DOCNO = r"[\u3400-\u9fff]+(?:[（(][\u3400-\u9fff]+[）)])?\s*[〔\[（(【﹝]\s*\d{4}\s*[〕\]）)】﹞]\s*第?\s*\d+\s*号"
# (and a standing committee's 公告 as a record names it: …第十三届人民代表大会常务委员会公告第6号)
_NUMBER = re.compile(
    f"{_ORDER}|{_DOCNO}|[\u3400-\u9fff]+(?:公告|令)\\d{{4}}年第\\d+号"
    "|[\u3400-\u9fff]{4,40}?常务委员会公告第\\d{1,4}号"
)
# an annexed catalog's heading (附件1：…废止的政策性文件目录（28件）) and its rows printed as text
# columns: 1 关于城市规划建设管理规定的通知 达市府发〔2000〕65号 说明…
_ANNEX_CATALOG = re.compile(r"^附\s*件\s*\d{0,2}\s*[:：]\s*(?P<name>.*(?:目录|清单).*)$")
_TEXT_ROW = re.compile(
    rf"^(?P<n>\d{{1,4}})\s+(?P<title>[^\s《》]{{4,80}}?)\s+(?P<number>{_DOCNO})(?:\s+.*)?$"
)
_EFFECTIVE_ON = re.compile(
    r"自\s*(?:(?:公布|发布|印发)之日\s*)?(?:(?P<date>[^起，,。]{6,20}?)\s*起"
    # …起施行, or 起，各电影制片单位…实行备案制度: what it orders applies from that day; or a
    # full day and the verb alone (本规定自2024年12月15日施行)
    r"(?:[，,][^。；;《》]{0,50}?(?<!废止)(?<!失效))?|(?P<day>"
    + _DAY
    + r")\s*)(?:施行|实施|执行|生效|实行)"
)
# the text's own validity as a span (本办法…有效期为2023年1月1日至2027年12月31日, 有效期自…起至…止):
# in force from its first day; a span in an item of a result notice (…现予重新发布，有效期自…起)
# is the documents' it names, not the text's
_OWN_VALIDITY = re.compile(
    rf"本[\u3400-\u9fff]{{1,8}}?[^。；;]{{0,40}}?有效期(?:为|自|从)\s*(?P<day>{_DAY})\s*起?\s*[,，]?\s*(?:至|到)"
)
# 自公布之日起30日后施行: a number of days after publication
_DAYS_AFTER = re.compile(
    r"自(?:公布|发布|印发)之日起\s*(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*日后(?:施行|实施|执行|生效)"
)
# A government's order printed with its number alone under the title: 第153号
_BARE_ORDER = re.compile(
    r"^(?:[（(]\s*(?P<term>[一二三四五六七八九十]{1,3})\s*届\s*[）)])?"  # (十四届)第四十号: a term's
    r"[（(]?\s*第\s*(?P<n>\d{1,4}|[一二三四五六七八九十百零〇]{1,6})\s*号\s*[）)]?$"
)
_ON_PUBLICATION = re.compile(
    r"自(?:本(?:决定|通知|公告|通告)|《[^《》]{0,80}?(?:决定|通知|公告|通告)》"  # or named: 自《决定》印发之日起
    r"(?:\s*[（(][^（）()]{0,30}[）)])?(?:文件)?)?"
    r"(?:公布|发布|印发)之日起(?:一律)?(?:施行|实施|实行|执行|生效|停止执行|失效)"
    r"|现予(?:以)?(?:发布|公布)(?:施行|实施)"
)
# (a database's note after it, 附:修正本, is no part of it)
_TITLE = re.compile(
    r"^(?P<title>[^《\s][^\s]{3,80}?决定)\s*(?:[（(](?P<note>[^）)]*)[）)])?"
    r"(?:\s+附\s*[:：]\s*\S{1,12})?\s*$"
)
_PROMULGATED = re.compile(
    r"^(?:[^《》]{0,80}?(?:通过|制定|批准)的)?"  # …会议于…审议通过的《X》业经…批准，现予公布
    r"《(?P<title>[^《》]+(?:[《〈][^《》〈〉]*[》〉][^《》]*)*)》(?:[（(][^）)]*[）)])?\s*"
    r"(?:已|业)(?:经|由)?.{0,80}?(?:通过|同意|审议|批准).{0,16}?现予(?:以)?(?:公布|发布)"
)
# A page's metadata (信息公开 pages, 政府令 pages): "文  号: …", "发布机关：…", 【发文号】…, a
# label alone on its line with its value on the next, or a row of a table "label: | value |".
# Labels are understood by their parts (发文 + 字号, 成文 + 日期 …), whatever spaces align them.
_LABEL = re.compile(
    r"^(?:\d{1,2}\s*[.．、]\s*)?【?\s*(?P<key>(?:[\u3400-\u9fff]\s*){2,6}?)\s*】?\s*(?:[:：]|(?<=】)|\s)\s*(?P<value>.*)$"
)


def label_field(label: str) -> str | None:
    """What a metadata label gives: title, number, signed, published, issuer, effective,
    expires, status, index; None for a label regclean does not use or for no label."""
    key = re.sub(r"\s", "", label)
    if len(key) > 6:
        return None
    if re.fullmatch(r"(?:文件)?(?:标题|名称|题名)", key):
        return "title"
    if "索引" in key:
        return "index"
    if re.fullmatch(r"统一(?:登记)?(?:编号|登记号)|(?:规范性文件)?登记(?:编号|号)", key):
        return "registration"  # 统一编号 HP0120210019, 统一登记号 HFGS—2022—7
    if re.search(r"(?:文号|字号|令号)$", key) and "统一" not in key:
        return "number"
    if re.search(r"成文(?:日期|时间)", key):
        return "signed"
    if re.search(r"(?:发文|印发|公布|颁布)(?:日期|时间)", key):
        return "published"
    if re.search(r"发布(?:日期|时间)", key):
        return "posted"  # the day the page went up, which an official date overrides
    if key in ("时间", "日期"):
        return "time"  # a page's bare date: the document's, or a mirror's own
    if re.search(r"(?:发文|发布|公布|制发|颁布|制定)(?:机关|机构|单位)", key):
        return "issuer"
    if re.search(r"(?:实施|施行|生效)(?:日期|时间)", key):
        return "effective"
    if re.search(r"(?:失效|废止)(?:日期|时间)|有效期至", key):
        return "expires"
    if re.fullmatch(r"有效性|时效性|公文时效|时效|效力(?:状态)?|效力级别|状态", key):
        return "status"
    return None


# the label words a copied page glues to the end of the value before it
_GLUED_LABEL = re.compile(
    r"(?P<value>.+?)(?P<label>发文机关|发文字号|发布机构|发文机构|索引号|成文日期|"
    r"发文日期|发布日期|主题分类|有效性)$"
)


@attrs.frozen
class PageMeta:
    """What a page's metadata says (values as printed), and which lines held it."""

    values: dict[str, str]
    lines: frozenset[int]
    fields: dict[int, str] = attrs.field(factory=dict)  # line index -> the field it gave


def _glued(line: str) -> tuple[str, str] | None:
    """(field, value) of a line a law site printed as a label run into its value, with no
    colon or space between (发文字号皖交发〔2021〕63号, 时效性现行有效), or None."""
    for size in range(6, 1, -1):
        label = line[:size]
        if not (re.fullmatch(r"[\u3400-\u9fff]+", label) and _LABEL_END.search(label)):
            continue  # 发文日期20…: the label ends on its own last word (【发布单位】 is marked)
        field = label_field(label)
        value = line[size:].strip()
        if field and value and not line[size:].startswith((":", "：", " ", "|")):
            return field, value
    return None


_LABEL_END = re.compile(
    r"(?:机关|机构|单位|日期|时间|字号|文号|令号|索引号|有效性|时效性|时效|级别|状态|分类|名称|标题|编号|登记号)$"
)


def page_metadata(lines: list[str]) -> PageMeta:
    """The metadata of a page from its first lines (see :func:`label_field`); the first value
    of each field wins."""
    values: dict[str, str] = {}
    used: set[int] = set()
    given: dict[int, str] = {}
    # labels run into their values, a whole block of them at the head of the page (three or
    # more: one such line could be a sentence's start)
    run_in = {at: found for at, line in enumerate(lines[:12]) if (found := _glued(line.strip()))}
    run_in = run_in if len(run_in) >= 3 else {}

    def put(field: str, value: str, where: int) -> None:
        value = value.strip().strip("|").strip()
        used.add(where)
        given.setdefault(where, field)
        # (a dash for a value says the page has none: 文号: -, 发布日期: -)
        if (
            value
            and not label_field(value.rstrip(":："))
            and not re.fullmatch(r"[-—–－/／]+|无", value)
        ):
            values.setdefault(field, value)

    index = 0
    head = lines[:60]
    while index < len(head):
        line = head[index]
        if "|" in line:  # a row of a table: label: | value | label: | value |
            cells = [c.strip() for c in line.split("|") if c.strip()]
            found = False
            for at in range(len(cells) - 1):
                field = (
                    label_field(cells[at].rstrip(":："))
                    if cells[at].endswith((":", "："))
                    else None
                )
                if field:
                    if cells[at + 1].endswith((":", "：")):  # 索引号: | 信息分类: | an empty field
                        used.add(index)
                    else:
                        put(field, cells[at + 1], index)
                    found = True
            if found:
                index += 1
                continue
        if index in run_in:
            put(*run_in[index], index)
            index += 1
            continue
        bare = line.strip().rstrip(":：").strip("【】 ")
        # (a label with its value after the colon, however short, is no label alone: 文号：-)
        field = label_field(bare) if len(bare) <= 6 and not re.search(r"[:：]\s*\S", bare) else None
        if field and index + 1 < len(head):  # a label alone, its value on the next line
            value = head[index + 1]
            if label_field(value.strip().rstrip(":：").strip("【】 ")):
                used.add(index)
                index += 1
                continue  # an empty field: the next line is the next label
            glued = _GLUED_LABEL.fullmatch(value)
            if glued and index + 2 < len(head):
                put(field, glued.group("value"), index)
                used.add(index + 1)
                later = label_field(glued.group("label"))
                if later:
                    put(later, head[index + 2], index + 2)
                index += 3
                continue
            put(field, value, index)
            used.add(index + 1)
            index += 2
            continue
        # several labels on one line: 生成日期: 2019-01-23 文号: / 废止时间: 2020-01-23 名称: …
        parts = re.split(r"\s+(?=(?:[\u3400-\u9fff]\s*){2,6}[:：])", line.strip())
        for part in parts if len(parts) > 1 else [line]:
            match = _LABEL.match(part)
            if match:
                field = label_field(match.group("key"))
                if field and match.group("value").strip():
                    put(field, match.group("value"), index)
                elif field:
                    used.add(index)
        index += 1
    return PageMeta(values, frozenset(used), given)


# The title of the one document a page publishes (a 规范性文件's page: 关于印发…的通知)
_DOCUMENT_TITLE = re.compile(
    r"^(?P<title>中华人民共和国[^\s《》:：,，。]{1,40}?法"  # a national law: 中华人民共和国戒严法
    r"|(?!本|该|此|上述|下列|前款)[^\s《:：,，。][^\s:：,，。]{1,150}?(?:通知|办法|规定|意见|细则|方案|规则|决定|公告"
    r"|通告|条例|批复|复函|函|制度|标准|纲要|规划|实施意见|规范|准则|指引|指南|措施|守则|章程|须知|决议"
    r"|解释|解答|答复|安排|纪要)"  # the forms of judicial interpretations and their kin
    r"(?:[（(](?:试行|暂行)[）)])?"
    r"(?:[（(][一二三四五六七八九十]{1,3}[）)])?"  # …的解释（一）: one of a numbered series
    r"(?:(?<=[^《》]{4})》(?=\s*(?:[（(]|$)))?)"  # 转发…《关于…的通知》: a relay's title ends on 》
    r"(?:[（(]\d{4}年(?:修正|修订|修改)(?:本)?[）)])?"
    r"(?:[（(](?:摘录|节录|节选)[）)])?$"  # …的复函(摘录): a database's excerpt
)
# where a page's document begins: its salutation (各…：, or 各…； where a page mistyped the colon),
# its first article or section
_BODY = re.compile(
    r"^(?:各[^：:；;。]{1,80}[：:；;]$|各[^：:]{1,80}[：:]|[^：:]{2,60}(?:人民政府|委员会|管委会|法院|局|厅|单位|部门|机构|办事处)"
    r"[：:]|[^。：:]{0,60}各[^。：:]{0,60}、[^。：:]{0,80}[：:]|第[一1]\s*[条章]|一、)"
)


# an annex that holds results is a catalog that names an outcome or the cleanup (清理结果目录);
# a catalog of another kind (备案目录), or a document (《…的决定》(…令第256号)), holds none
_RESULT_ANNEX = re.compile(
    r"(?:有效|保留|废止|失效|修改|修订|撤销|清理)[^《》]*(?:目录|清单|名单|一览表)"
)


@attrs.frozen
class PublishedDecision:
    """What a decision's text says about itself.

    Attributes:
        title: its title (关于…的决定, 关于公布…清理结果的通知), or "".
        number: its number (令号 or 文号) as written, or "".
        issuer: the government or body that made it (its signature, a sentence such as
            国务院决定, its title, or the page), or "".
        dated: the day it was signed or published, when the text gives one (else the day it was
            adopted: …会议通过).
        effective: the day it takes effect, when the text states one (or says 自公布之日起施行 and
            gives its date).
        on_publication: the text says it takes effect on publication.
        kind: the kind of instrument it deals with (规章 when its title or headings say so).
        expires: the day it ceases to be in force, when the page's metadata says (失效日期).
        stated_effective: the effective day is the metadata's (实施日期), not read from the text.
        page: the page's metadata (名称, 文号, 发文机关, 成文日期, 发布日期 …) as printed.
        counts: the counts of instruments it states per outcome (继续有效52件, 《X》等7件…废止).
        annexes: the annexes it names (附件：1.继续有效的行政规范性文件目录 …).
        adopted: the day it was adopted (…会议通过), when the text says.
        signed: the date under its signature (the organ's name, then the date).
        merged: how many instruments it counts under two outcomes it does not tell apart
            (废止或宣布失效7件).
        approver: the organ whose approval is its record, when that is all the record says
            (1982年8月30日 国务院批准: the State Council approved it for issue), or "".
    """

    title: str = ""
    number: str = ""
    issuer: str = ""
    dated: PartialDate | None = None
    effective: PartialDate | None = None
    on_publication: bool = False
    kind: Kind | None = None
    expires: PartialDate | None = None
    stated_effective: bool = False  # the page's metadata gave the day (实施日期)
    page: dict[str, str] = attrs.field(factory=dict)
    counts: dict[str, int] = attrs.field(factory=dict)
    annexes: tuple[str, ...] = ()
    adopted: PartialDate | None = None
    signed: PartialDate | None = None  # the date under its signature
    merged: int = 0  # a count of two outcomes not told apart (废止或宣布失效7件)
    approver: str = ""  # the organ whose approval is its record (1982年8月30日 国务院批准)
    explained: bool = False  # the text explains the document titled (a 解读, 理解与适用)

    @property
    def is_result_notice(self) -> bool:
        """It states results as counts or in annexes (a 清理结果 notice or decision), rather than
        listing what it decides. An annex that names no outcome (备案目录: documents filed) is
        no result."""
        return bool(
            self.counts or self.merged or any(_RESULT_ANNEX.search(name) for name in self.annexes)
        )


@attrs.frozen
class Item:
    """One instrument a decision deals with, and what it decides on it.

    Attributes:
        where: ``item N`` (and the line), for messages.
        text: the item's own line, for messages.
        title: the instrument's title (without book-title marks).
        outcome: the outcome of the heading it stands under, or None when none applies.
        doc_number: the number it was issued under, or "".
        published_on: the day it was issued, as written, or "".
        amended_by: the numbers of the orders that amended it since.
        amendment: for a revision, the amendment text (作如下修改: …).
        effective_on: the day it took effect, when the text says (a promulgation page).
        signed_on: the day under its signature (成文日期), for the page of one document.
        registration_no: the page's 统一编号 (统一登记号), for the page of one document.
        expires_on: the day its validity ends (失效日期), when the page says.
        issuer: who issued it, when the page names it (发布机关).
        kind: its kind, when its own line says (等7件规范性文件).
        note: what the reader says of it (a summary line: the others are in an annex).
        lines: the first and last line it was read from (1-based), an amendment's text included.
        status: the status a page's own line marks it with ((原规定已失效,被…代替)), or "".
        reason: why it was decided, from the paragraph under its line (废止理由：…), or "".
    """

    where: str
    text: str
    title: str
    outcome: Outcome | None
    doc_number: str = ""
    published_on: str = ""
    amended_by: tuple[str, ...] = ()
    amendment: str = ""
    effective_on: str = ""
    unreadable: bool = False  # a numbered line that names a document but cannot be read
    signed_on: str = ""
    expires_on: str = ""
    issuer: str = ""
    kind: Kind | None = None  # when its own line says (等7件规范性文件)
    registration_no: str = ""  # the page's 统一编号 (统一登记号)
    note: str = ""  # what the reader says of it (the others of a summary line are in an annex)
    lines: tuple[int, int] = (0, 0)  # the lines it was read from (1-based, first and last)
    status: str = ""  # a status the page marks it with apart from its title ((原规定已失效…))
    reason: str = ""  # 废止理由：… under its line
    reason_line: int = 0  # that paragraph's line (1-based), or 0


def _marker(line: str) -> tuple[int | None, str]:
    """(level, the line without its list marker); level None for an unnumbered line."""
    for level, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            return level, line[match.end() :].strip()
    return None, line


def _heading_outcome(body: str, numbered: bool = True) -> Outcome | None:
    """The outcome a heading announces (read by its parts: :meth:`Outcome.understand`); None when
    it announces none or several. An unnumbered line is a heading only when it leads into a
    list (ends with a colon, or says 下列/以下/如下); a line about what is *not* listed
    (未列入…的) announces nothing."""
    if "关于" in body and re.search(r"(?:决定|通知|通告|公告)[。]?$", body):
        return None  # a title, which may name several outcomes
    if re.search(r"未列入|未列|不得作为", body):
        return None
    if re.search(r"等\s*\d+\s*件", body) and not re.search(
        r"(?:如下|下列|以下)\s*[:：]?\s*$", body
    ):
        return None  # 《X》等7件…继续有效: a summary (…等42件规章，具体如下: leads into the list)
    if not numbered and not re.search(r"[:：]\s*$|下列|以下|如下", body):
        return None
    return Outcome.understand(_BOOK.sub("", body))


_PINYIN_AID = re.compile(  # (also where a line break fell between the character and its aid)
    r"(?<=[\u3400-\u9fff])(?P<nl>\n?)[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
    r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]"
)


# a forum's anti-copy noise (Discuz's jammer): five or more tokens of one to three ASCII
# characters, letters and marks mixed, at a line's end, at its start before the text, or alone
# (…也可以使用。! L ~3 e& ]; L7 L; 3 m9 N' x! z( k为改善…)
_JAMMER = re.compile(
    r"(?:(?<=^)|(?<=[\s\u3400-\u9fff。，,：:；;、）)]))(?:[!-~]{1,3}[ \t]+){4,}[!-~]{1,3}"
    r"(?=$|[\u3400-\u9fff“])"
)


def _unjammed(line: str) -> str:
    """``line`` without the noise a forum puts in to spoil copies (see _JAMMER): a run counts
    only when it mixes letters and marks, never a row of numbers or a table's bars."""

    def noise(found: re.Match[str]) -> str:
        run = found.group(0)
        letters = len(re.findall(r"[A-Za-z]", run))
        marks = len(re.findall(r"[^\sA-Za-z0-9]", run))
        return "" if letters >= 2 and marks >= 1 else run

    return _JAMMER.sub(noise, line) if " " in line else line


# a space a document-sharing site left where the printed text broke a line, between two
# characters of a sentence (修改和废止 部分规章, 农业部 令第39号)
_LOST_BREAK = re.compile(
    r"(?<=[\u3400-\u9fff\d，。,.:：；;、）)”》])[ \t\u00a0\u3000]+(?=[\u3400-\u9fff\d（(“《])"
)
# where such a flattened text's paragraphs began: a list marker, an annex, the closing
# sentence, the text after a title's last word or after a record's closing bracket
_FLAT_PARAGRAPH = re.compile(
    r"[ \t\u00a0\u3000]+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,3}[.．、](?!\d)|附\s*件|本(?:决定|通知|办法|规定)自))"
    r"|(?<=的(?:决定|通知|意见|公告|通告|批复))[ \t\u00a0\u3000]+(?=[\u3400-\u9fff])"
    r"|(?<=[)）])[ \t\u00a0\u3000]+(?=[\u3400-\u9fff])"
)


def _unflattened(line: str) -> str:
    """A whole text a document-sharing site flattened onto one line, each printed line's
    break a space (…决定 为了依法保障…措 施落实,… 一、对18部…): its paragraphs on lines of
    their own again, its lines' breaks closed; any other line as it is."""
    if len(line) < 300 or len(_LOST_BREAK.findall(line)) < 8:
        return line
    return "\n".join(_LOST_BREAK.sub("", part) for part in _FLAT_PARAGRAPH.split(line))


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text as printed, stripped. A list marker that follows a full
    stop or a closing bracket on the same line (a page that lost its line breaks) starts a new
    line; a markdown heading's marks, list bullets, HTML comments and toned pinyin in brackets
    after a character (a mirror's reading aid: 發(fā)布) are decoration."""
    text = "\n".join(_unflattened(line) for line in text.splitlines())
    text = re.sub(
        r"(?<=[。；;])\s*(?=(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[.．、](?!\d))\s*[《对])",
        "\n",
        text,
    )
    # …令第N号发布)三、本决定自公布之日起施行: the next section glued to the last item
    text = re.sub(r"(?<=[)）])\s*(?=[一二三四五六七八九十]{1,3}、)", "\n", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = _front_matter(text)
    if _ENTITY.search(text):  # &emsp;&emsp;第一条: a page's character references, kept as text
        text = html.unescape(text)
    if len(_BLOCK_TAG.findall(text[:20000])) >= 2:
        # a page's markup kept as text (<p>…</p><p>…</p>): each block its line, no tag read
        text = html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub("\n", text)))
    # 發(fā)布, 規(guī)范: a mirror's reading aid, toned pinyin in brackets after a character
    text = _PINYIN_AID.sub(r"\g<nl>", text)
    # 印发“关于…的检查报告”: double quotes round the title a document issues or relays, as
    # 1950s–60s texts print them
    text = re.sub(
        r"(?<=印发|转发|批转|颁发)“(关于[^“”《》]{2,80}的[^“”《》]{0,6}?"
        r"(?:报告|指示|通知|决定|意见|办法|规定|决议|纪要))”",
        r"《\1》",
        text,
    )
    # 「关于…的指示」: corner brackets round a title, as 1950s texts and Taiwan's print them
    text = re.sub(
        r"「(关于[^「」《》]{2,60}的(?:指示|指令|通知|决定|命令|规定|办法|条例|意见|决议))」",
        r"《\1》",
        text,
    )
    printed = []
    for line in text.splitlines():
        line = _unjammed(line).strip().replace("\u3000", " ")
        # ????山东省卫生健康委员会: spaces a copy lost, printed as question marks (or U+FFFD)
        line = re.sub(r"^[?\ufffd]+(?=[^\s?\ufffd])", "", line)
        line = re.sub(r"^(?:#{1,6}\s+|[•·●▪◆■]\s*|[-*+]\s+)", "", line).strip()
        # **公布日期**：2023-12-28: Markdown's bold marks round a label or a word are decoration
        line = re.sub(r"\*\*([^*\n]+?)\*\*|__([^_\n]+?)__", r"\1\2", line)
        # Markdown's own marks: links give their words, {align="center"} attributes and
        # ::: containers, [[toc]], @tab and a line of anchor links (a contents) are decoration
        line = _MD_ATTRIBUTES.sub("", _MD_LINK.sub(r"\g<words>", line)).strip()
        if _MD_DECORATION.match(line):
            continue
        if line and not _ADDRESS_ONLY.match(line):  # a crawler's or mirror's address line
            printed.append(line)
    lines: list[str] = []
    at = 0
    while at < len(printed):
        line = printed[at]
        at += 1
        if lines and _left_open(lines[-1]):
            # a title or a line of record broken where the page wrapped it (《…和 / …法》办法),
            # over as many as eight lines (a record of three acts a narrow page wrapped):
            # joined where a later line closes what it left open
            run = [line]
            while not _closes("".join(run)) and len(run) < 7 and at < len(printed):
                run.append(printed[at])
                at += 1
            if _closes("".join(run)) and len(lines[-1] + "".join(run)) <= 360:
                lines[-1] += "".join(run)
                continue
            at -= len(run) - 1
        lines.append(line)
    return lines


# a national department's session that adopts its rules (经X部第6次部务会议通过, 公安部部长办公
# 会议通过, 海关总署署务会议): a local bureau's 局务会议 adopts no rule
_MINISTRY_SESSION = re.compile(
    r"(?:^|\s|经)经?(?P<organ>(?!经)(?![\u3400-\u9fff]{1,8}?[省市县区州盟旗])[\u3400-\u9fff]{2,20}?"
    r"(?:部|总局|署|委员会))(?:第[一二三四五六七八九十百\d]+次)?(?:部务|署务|局务|委务|部长办公)会议"
    r"(?:讨论|审议)?通过"
)
# who issued 《X》 and when, said in a page's opening sentence: 2023年12月，甲、乙发布《X》
_SAID_ISSUED = re.compile(
    rf"^(?P<date>{_DAY}|\d{{4}}\s*年\s*\d{{1,2}}\s*月)\s*[,，]\s*(?P<issuer>[^，,。《》]{{2,80}}?)"
    r"(?:联合)?(?:印发|发布|公布)了?《(?P<title>[^《》]{2,80})》"
)
# what a notice issues: 现将《X》印发给你们
_ISSUES = re.compile(r"现将《(?P<title>[^《》]{2,80})》(?:印发|转发|发)给")
# or with the title leading its sentence: 《X》已经市政府同意，现印发你们 (现予印发, 现转发给你们)
_ISSUED_LED = re.compile(
    r"^《(?P<title>[^《》]{2,80})》[^。《》]{0,40}?[，,]\s*现(?:予以?)?(?:印发|转发|发)"
    r"(?:给?(?:你们|各)|\s*[。，,；;]|$)"  # …会议通过，现予印发。
)


# a page whose text opens by saying an organ issued a document, the organ first: 政务院四月二十四日
# 发出《关于…的指示》, 中央人民政府政务院发布关于…的指令 (the title without marks, up to its kind)
_ORGAN_ISSUED = re.compile(
    r"^(?P<issuer>(?:中央人民政府)?政务院|国务院|[\u3400-\u9fff]{2,30}?(?:人民政府|委员会|部|厅|局|署"
    r"|人民检察院|人民法院))"
    r"\s*(?:[一二三四五六七八九十〇○零\d]{1,4}\s*月\s*[一二三四五六七八九十〇○零\d]{1,3}\s*日)?\s*"
    r"(?:发出|发布|颁发|颁布|印发)了?\s*(?:修订后的|修改后的|新修订的)?"  # 印发修订后的《X》
    r"(?:《(?P<marked>[^《》]{4,80})》|(?P<bare>关于[^，,。《》「」]{2,60}?的(?:指令|指示|命令|决定|通知|通告|决议)))"
)
# a signature run into the end of a paragraph: …总理周恩来一九五○年二月二十七日
_SIGNED_AT_END = re.compile(
    rf"(?:总理|主席|部长|省长|市长|县长|主任)[\u3400-\u9fff]{{2,4}}\s*(?P<date>{_DAY})$"
)


def _said_issued(lines: list[str]) -> tuple[int, str, str, str] | None:
    """(index, title, issuer, date) of a document a page names only in a sentence: who issued
    《X》 and when, at the page's opening; or what the notice it holds issues (现将《X》印发给你们)
    — the catalogs' way of naming a notice by what it carries; None otherwise."""
    for at, line in enumerate(lines[:10]):
        found = _SAID_ISSUED.match(line.strip())
        if found:
            when = PartialDate.try_parse(found.group("date").replace(" ", ""))
            return at, found.group("title"), found.group("issuer"), when.isoformat() if when else ""
    for at, line in enumerate(lines[:10]):
        found = _ORGAN_ISSUED.match(line.strip())
        if found:  # 政务院四月二十四日发出《关于…的指示》; 政务院发布关于…的指令 (no marks)
            signed = _SIGNED_AT_END.search(line.strip())
            when = _day(signed.group("date").replace(" ", "")) if signed else None
            title = found.group("marked") or found.group("bare")
            return at, title, found.group("issuer"), when.isoformat() if when else ""
    for at, line in enumerate(lines[:30]):
        found = _ISSUES.search(line) or _ISSUED_LED.match(line.strip())
        if found:
            title = found.group("title")
            adopting = _ADOPTING.search(line)  # 《X》已经自治州人民政府审议通过，现予印发
            return at, title, _named_fully(adopting.group("organ"), title) if adopting else "", ""
    return None


def _named_fully(organ: str, title: str) -> str:
    """A body named by its level alone (自治州人民政府) in full, as the title it adopted names it
    at its head (博尔塔拉蒙古自治州人民政府工作规则); the organ as it is otherwise."""
    short = _SELF_NAMED.fullmatch(organ)
    if short is None:
        return organ
    full = re.match(rf"^[\u3400-\u9fff]{{1,20}}?{re.escape(organ)}", title)
    return full.group(0) if full else organ


# a document's title: 关于… and the kind of document it is
_TITLED = re.compile(r"关于.{2,80}的(?:通知|决定|意见|通告|公告|批复|办法|规定|细则|方案)》?$")
# a number alone on its line that lost its closing bracket and 号 (牟政办发〔201746): the year's
# four digits, then the serial
_LOST_CLOSE = re.compile(
    r"^(?P<org>[\u3400-\u9fff]{2,12})[〔\[［(（【﹝](?P<year>(?:19|20)\d{2})(?P<n>[1-9]\d{0,3})$"
)
# HTML markup kept in a text: block tags end a line, other tags are nothing
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|table|ul|ol)\b[^<>]{0,300}>", re.I)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}\b[^<>]{0,300}>")
# a character reference (&emsp; &nbsp; &#12288;) in a text: markup kept as text
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#[xX][0-9A-Fa-f]{2,5});")
# a Markdown page's own marks: a link's words and address (the words are kept; an anchor link's
# address is #t1), an attribute list ({align="center"}, {target="_blank"}, {#id .class}), and
# the lines that are decoration only: a container's fence (::: tip 修订信息, :::), [[toc]], a
# tab's label (@tab 章节), and a line of anchor links alone (a page's contents: [1](#t1) [2](#t2))
_MD_LINK = re.compile(r"(?<!!)\[(?P<words>[^\[\]\n]{0,200})\]\((?:[^()\s]|\([^()\s]*\)){0,300}\)")
_MD_ATTRIBUTES = re.compile(
    r"\{\s*(?:(?:[.#][\w-]+|[\w-]+=(?:\"[^\"{}]*\"|'[^'{}]*'|[^\s{}]+))\s*)+\}"
)
_MD_DECORATION = re.compile(
    r"^(?::{3,}.*|\[\[toc\]\]|@tab\b.*|\d{1,4}(?:\s+\d{1,4})+|[-*_]{3,})$", re.I
)
# a page's front matter (a Markdown site's YAML head between two --- lines): its title and author
# are the page's 名称 and 发布机构; the other keys (date, category, tag, icon) are the site's
_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\n(?P<body>(?:.*\n){1,40}?)---[ \t]*(?:\n|\Z)")
_FRONT_KEYS = {"title": "名称", "author": "发布机构"}


def _front_matter(text: str) -> str:
    """The text with its YAML front matter, if it opens with one, read as the page's labels:
    ``title:`` its 名称, ``author:`` its 发布机构; a key already a label (发文机关: …) stays."""
    found = _FRONT_MATTER.match(text)
    if found is None:
        return text
    labels = []
    for line in found.group("body").splitlines():
        pair = re.match(r"^(?P<key>[^\s:：#-][^:：]{0,20}?)\s*[:：]\s*(?P<value>\S.*?)\s*$", line)
        if pair is None:
            continue
        key, value = pair.group("key"), pair.group("value").strip("\"'")
        if key.lower() in _FRONT_KEYS:
            labels.append(f"{_FRONT_KEYS[key.lower()]}：{value}")
        elif label_field(key):
            labels.append(f"{key}：{value}")
    return "\n".join(labels) + "\n" + text[found.end() :]


# a line that is only a web address, perhaps with its label (Original URL: http://…, 原文链接：…)
_ADDRESS_ONLY = re.compile(r"^(?:[A-Za-z\u3400-\u9fff ]{1,20}[:：]\s*)?https?://\S+$")


_OPENS, _CLOSES = "《（(〈", "》）)〉"


def _left_open(line: str) -> bool:
    """The line leaves a book-title mark or a bracket open."""
    return any(line.count(o) > line.count(c) for o, c in zip(_OPENS, _CLOSES, strict=True))


def _closed(line: str) -> str:
    """The line with the marks and brackets it left open closed at its end, innermost first."""
    stack = []
    for ch in line:
        if ch in _OPENS:
            stack.append(_CLOSES[_OPENS.index(ch)])
        elif ch in _CLOSES and stack and stack[-1] == ch:
            stack.pop()
    return line.rstrip("，,、:： ") + "".join(reversed(stack))


def _closes(line: str) -> bool:
    """The line closes a mark or bracket it did not open (before opening another)."""
    for o, c in zip(_OPENS, _CLOSES, strict=True):
        close, open_ = line.find(c), line.find(o)
        if close >= 0 and (open_ < 0 or close < open_):
            return True
    return False


def reading_copy(lines: list[str]) -> list[str]:
    """The lines as they are read: traditional characters simplified (OpenCC's table, one
    character for one, so a span found in the copy is the same span of the printed line)."""
    return [to_simplified(line) for line in lines]


_ORGAN = (
    r"(?:国务院(?:办公厅)?|[\u3400-\u9fff]{2,30}?(?:人民政府(?:办公厅|办公室)?"
    r"|行政公署(?:办公室)?|行署(?:办公室)?"  # a prefecture's administration (和田地区行署办公室)
    r"|人民代表大会常务委员会|人大常委会|人民代表大会))"
)
# what the name of a body that signs or issues a document ends with
_OFFICE = (
    r"人民政府(?:办公厅|办公室)?|常务委员会|人大常委会|委员会|办公厅|办公室|厅|局|部|署"
    r"|法院|检察院|秘书处|总队|支队"  # (消防救援总队, 消防救援支队: a rescue service's corps)
)
# the year a site files a title under, before the organ's name (2018年农业部关于…的决定)
_YEAR_TAG = re.compile(rf"^(?:19|20)\d{{2}}年\s*(?=[\u3400-\u9fff]{{1,30}}?(?:{_OFFICE})关于)")
# a signature: the organ's name alone on its line, the date on the next (a commission by its
# short name too: 市交通委, 市发展改革委)
_SIGNER = re.compile(rf"^(?:国务院(?:办公厅)?|[\u3400-\u9fff]{{2,30}}(?:{_OFFICE}|委))$")
# (the organ is not led by a preposition: 经/由…决定 inside an article names who may decide)
_DECIDES = re.compile(
    rf"(?:^|[，,。：:])\s*(?:经[^，,。]{{0,12}}[，,]\s*)?(?P<organ>(?![经由在对向按依根]){_ORGAN})决定"
)
# a sentence led by a body's session that decides: X第N次会议审议了…，决定…
_SESSION_DECIDES = re.compile(
    rf"^(?P<organ>{_ORGAN})第(?:[一二三四五六七八九十百]+|\d+)次(?:全体)?会议[^。]{{0,400}}?。?[^。]{{0,200}}?决定"
)
_ADOPTED = re.compile(
    rf"(?P<date>{_DAY})(?P<rest>.{{0,60}}?)会议上?(?:讨论|审议|表决)?(?:通过|制定)"
)
# a record that is an organ's approval, not a session's: 1982年8月30日 国务院批准 (what the State
# Council approved for a ministry or a city to issue, as 1980s regulations were made)
_APPROVED = re.compile(
    rf"^[（(]?\s*(?P<date>{_DAY})\s*经?\s*(?P<organ>国务院|[\u3400-\u9fff]{{2,30}}(?:{_OFFICE}))\s*批准"
    r"\s*[）)]?$"
)
# an adoption note whose dates lost their year (2月21日…第七次会议通过): it still names the body
_ADOPTED_YEARLESS = re.compile(
    r"^[（(]?\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?P<rest>.{0,60}?)会议(?:讨论|审议)?(?:通过|制定)"
)
# a line of record of a revision: the text as printed is of that day (…主任会议修订)
_REVISED = re.compile(rf"^(?P<date>{_DAY})(?P<rest>.{{0,60}}?)会议(?:讨论|审议)?(?:修订|修正)")
# a date whose 年 and 月 a page lost (2023828日): read where one split alone is a date
_RUN_TOGETHER = re.compile(r"^(?P<year>(?:19|20)\d{2})(?P<rest>\d{2,4})日")


def _session_body(rest: str) -> str:
    """The body whose session a line of record names (…第七届人民代表大会第七次会议: the
    people's congress, its session number taken off), or ""."""
    # written short, as news and encyclopedias write it: 在十一届全国人大三次会议上, 省十三届人大
    # 常委会第五次会议: the body's full name, 第 before the term and the session
    rest = re.sub(r"^[，,\s]*(?:在|由|经)", "", rest)  # 由天津市…会议通过: the body, not 由
    rest = re.sub(r"人大常委会", "人民代表大会常务委员会", rest)
    rest = re.sub(r"人大(?!常)", "人民代表大会", rest)
    rest = re.sub(
        r"(?<![第一二三四五六七八九十百])(?=[一二三四五六七八九十]{1,3}[届次])", "第", rest
    )
    body = re.match(rf"^\s*(?P<organ>{_ORGAN})第(?:[一二三四五六七八九十百]+|\d+)次", rest)
    return _session_free(body.group("organ")) if body else ""


def _date_spelled(line: str) -> str:
    """A line led by a date printed without 年 and 月 (2017822日…) with them put back, where
    only one way of cutting the digits gives a day of the calendar; the line as it was else."""
    found = _RUN_TOGETHER.match(line)
    if found is None:
        return line
    year, rest = int(found.group("year")), found.group("rest")
    days = set()
    for cut in (1, 2):
        month, day = rest[:cut], rest[cut:]
        if not day or (len(day) == 2 and day[0] == "0") or (len(month) == 2 and month[0] == "0"):
            continue  # 2023-08-02 would be printed 202382日, not 2023802日
        try:
            days.add(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    if len(days) != 1:
        return line
    (one,) = days
    return f"{one.year}年{one.month}月{one.day}日" + line[found.end() :]


# a line of record that gives the adoption by its date alone: 一九五○年一月十日通过 …批准
_BARE_ADOPTED = re.compile(rf"^[（(]?\s*(?P<date>{_DAY})\s*通过\s*[）)]?(?:\s|$)")  # (…日通过) too
# a line led by the date and naming who wrote it: 1964年2月10日,最高法院司法行政厅
_DATE_LED = re.compile(rf"^(?P<date>{_DAY})\s*[,，]\s*[\u3400-\u9fff]{{2,30}}$")
# a 红头 document's header: 贵州省国土资源厅文件
_RED_HEADER = re.compile(rf"^(?P<organ>[\u3400-\u9fff]{{2,30}}(?:{_OFFICE}))文件$")
_CLEANUP_WORDS = re.compile(r"清理|废止|失效|修改|修订|保留|继续有效|撤销|停止执行")
_RESULT_TITLE = re.compile(  # (关于印发…清理规定的通知 issues a document: no result title)
    r"^(?P<title>(?:[^《\s:：][^\s:：]{1,80}?)?(?:关于(?!印发|转发|颁发|发布|批转)"
    # …or its organ doing it, without 关于 (金山区…管理局延长《X》有效期的通知)
    r"|(?<=局|委|厅|部|署|府|室)(?=延长|修改|修订|废止|宣布失效)|(?<=委员会)(?=延长|修改|修订|废止))[^\s]*?"
    r"(?:清理|废止|失效|修改|修订|保留|继续有效|继续适用|继续实施|继续执行|延长[^\s]*?有效期)[^\s]*?"
    r"(?:决定|通知|通告|公告))\s*(?:[（(\[【](?P<note>[^）)\]】]*)[）)\]】])?\s*$"
)  # (note): （2010年修订）, or a database's status tag: [现行有效]; also a decision on one
# document, titled by what it does to it: 关于延长《X》有效期的通知, 关于《X》继续适用的通知
# a page that explains a decision (解读, 起草说明) is about the decision its title line names:
# 《X》政策解读, 【文字解读】关于X的政策解读, 《X》文件解读如下
_EXPLAINS = re.compile(
    r"^(?:【[^】]{1,8}】)?(?:关于)?《?(?P<title>[^《》\s|]{6,100}?(?:决定|通知|通告|公告))》?的?"
    r"(?:政策|文件|文字|图文|起草)?(?:解读|说明)"
)
# a judges' or drafters' commentary on one document: 《X》的理解与适用, 《X》释义
_COMMENTARY = re.compile(r"^《(?P<title>[^《》]{4,100})》的?(?:理解与适用|释义|条文释义|解读)$")
# …or, without such a line, the decision its sentence on taking effect names: 《X》自…起施行
_NAMED_IN_FORCE = re.compile(
    r"^《(?P<title>[^《》\s]{6,100}?(?:决定|通知|通告|公告))》\s*自.{0,30}?起(?:施行|实施|生效)"
)
# …or, in a text that explains or reports it, the result decision it says was issued:
# 南平市人民政府于2025年12月9日印发了《…的决定》(南政规〔2025〕1号), 惠州市政府发布《…的决定》
_ISSUED = re.compile(
    rf"(?:于\s*(?P<date>{_DAY})\s*)?(?:印发|发布|公布)了?\s*《(?P<title>[^《》]{{0,60}}?关于[^《》]*?"
    r"(?:清理|废止|失效|修改|修订|保留|继续有效)[^《》]*?(?:决定|通知|通告|公告))》"
    r"(?:\s*[（(](?P<number>[^（）()]{4,30})[）)])?"
)
# a line of record led by its date, as law collections print them above the text:
# 1989年6月17日 中华人民共和国国务院令第37号发布 / 2021年1月1日 施行
_RECORD = re.compile(
    rf"^(?P<date>{_DAY})\s*(?P<rest>.{{0,40}}?)\s*(?P<act>发布|公布|印发|起?施行|起?实施|起?生效)"
    r"(?:[。，,；;\s]\s*(?:根据)?)?$"  # …令第127号修订发布。根据 / …发布 根据 (the next record)
)


# a record led by the document naming itself: （该文件于2014年1月15日以粤府令第197号公布，…）
_SELF_LED = re.compile(
    r"^(?:该|本)(?:文件|办法|规定|条例|规章|细则|规则|决定|意见|通知)(?:于|在|已于)\s*(?=\d|[〇○零一二])"
)


def _records(line: str) -> list[str]:
    """A line of record (led by its date) cut at each date it holds: the records run together
    on it (2015年9月24日 …会议批准2015年9月24日…公告公布)."""
    starts = [m.start() for m in re.finditer(_DAY, line)]
    if not starts or starts[0] != 0:
        return []
    parts = [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    # each without the words that lead into the next date (…令第4号公布 自 2021年8月1日起施行),
    # or that say it took effect on publication (…令第7号公布 自公布之日起施行: the text says so)
    return [
        re.sub(
            r"[\s,，;；、]*(?:自|并|并自|于)?\s*$",
            "",
            re.sub(r"[\s,，;；]*自\s*(?:公布|发布|印发)之日起\s*(?:施行|实施|生效)\s*$", "", part),
        ).strip()
        for part in parts
    ]


_ANNEX = re.compile(r"^附\s*件\s*\d{0,2}\s*[:：]?\s*(?P<rest>.*)$")
# a count of documents: 7件, 3份, 部 as the counter of laws and regulations (7部行政法规;
# not 一部分, 部门), and 个 before the documents it counts (10个委文件)
_COUNT = re.compile(
    r"(?P<n>\d{1,6}|[一二三四五六七八九十百千两]{1,6})\s*(?:[件份]|部(?![分门署委])"
    r"|个(?=[\u3400-\u9fff]{0,6}?(?:文件|规章|法规)))"  # 10个委文件, never 三个方面
)


def _number(n: str) -> int:
    """A count as printed, in Arabic or Chinese numerals (52, 五十二); 0 when unreadable."""
    return int(n) if n.isdigit() else chinese_number(n) or 0


def _unbracket(text: str) -> str:
    """(陕政办发〔2011〕12号) -> 陕政办发〔2011〕12号"""
    return re.sub(r"^[（(]\s*(.*?)\s*[）)]$", r"\1", text.strip())


def _without_province(organ: str) -> str:
    """A city's or county's organ as it names itself, without the province a law database puts
    before it: 江苏省徐州市人民政府 -> 徐州市人民政府 (广东省人民政府 stays)."""
    found = re.match(
        r"^[\u3400-\u9fff]{2,7}?(?:省|自治区)(?=[\u3400-\u9fff]{1,12}?(?:市|州|盟|地区|县))", organ
    )
    return organ[found.end() :] if found else organ


def _session_free(organ: str) -> str:
    """四川省第十一届人民代表大会常务委员会 -> 四川省人民代表大会常务委员会"""
    return re.sub(r"第[一二三四五六七八九十]{1,4}届", "", organ)


# how a body names itself in its own text, by its level alone: 市人民政府, 省政府, 县人大常委会
_SELF_NAMED = re.compile(
    r"(?P<level>省|市|县|区|州|盟|旗|自治区|自治州|自治县)"
    r"(?P<body>人民政府|政府|人民代表大会常务委员会|人大常委会)"
)


# the body a sentence says adopted what the page issues: 已经自治州人民政府审议通过, 已经市人民政府
# 第44次常务会议审议通过
_ADOPTING = re.compile(
    rf"已(?:经|由)\s*(?P<organ>{_ORGAN})(?:第[^，,。]{{1,20}}?会议|常务会议|全体会议)?"
    r"(?:审议|讨论)?(?:通过|同意)"
)


# a page's line naming its source organ: 来源:苏州市司法局 (a news site, 来源:新华网, is no organ)
_SOURCE_ORGAN = re.compile(
    rf"(?:^|[^\u3400-\u9fff])(?:信息)?来源\s*[:：]\s*(?P<organ>[\u3400-\u9fff]{{2,30}}?(?:{_OFFICE}))(?:\s|$)"
)


def _full_name(issuer: str, fuller: tuple[str, ...]) -> str:
    """A body that names itself by its level alone (市人民政府, read from 市第十二届人民政府第二十四次
    常务会议) is the body of that level the title or the page names in full (石家庄市人民政府)."""
    short = _SELF_NAMED.fullmatch(issuer)
    if short is None:
        return issuer
    body = short.group("body")
    ends = (
        ("人民政府", "政府")
        if body in ("人民政府", "政府")
        else ("人民代表大会常务委员会", "人大常委会")
    )
    for candidate in fuller:
        name = (candidate.split() or [""])[0]
        if len(name) > len(issuer) and any(name.endswith(short.group("level") + e) for e in ends):
            return re.sub(r"人大常委会$", "人民代表大会常务委员会", name)
    # else the place of another organ of that level the page names (来源:苏州市司法局): 市政府 is
    # 苏州市人民政府
    for candidate in fuller:
        name = (candidate.split() or [""])[0]
        level = short.group("level")
        pattern = (
            rf"^(?P<place>[\u3400-\u9fff]{{1,12}}?{level})[\u3400-\u9fff]{{1,20}}(?:{_OFFICE})$"
        )
        place = re.match(pattern, name)
        if place and not _SELF_NAMED.match(name):
            full = "人民政府" if body in ("人民政府", "政府") else "人民代表大会常务委员会"
            return place.group("place") + full
    return issuer


# the organ a sentence names as the one that issued a document, just before its verb
_ISSUED_BY = re.compile(
    rf"(?:^|\d日|\s)(?P<organ>[\u3400-\u9fff]{{2,30}}?(?:{_OFFICE}|政府))\s*(?:于.{{0,16}})?$"
)


@functools.cache
def _short_names() -> tuple[tuple[str, str], ...]:
    """The standard short names of departments and their full names (organ-short-names.csv),
    the longest first."""
    text = resources.files("regclean.data").joinpath("organ-short-names.csv").read_text("utf-8")
    rows = [tuple(row) for row in csv.reader(io.StringIO(text))][1:]
    return tuple(sorted(((s, f) for s, f in rows), key=lambda row: -len(row[0])))


def _fuller_name(short: str, full: str) -> bool:
    """Whether ``full`` names the organ ``short`` names, at greater length: one organ (no 、),
    every character of the short name in it in order, and the same kind of organ at the end
    (办公室 and 办公室; a commission's 委 and 委员会), so 上海市人民政府办公厅 is no fuller name of
    上海市人民政府."""
    if not re.fullmatch(r"[\u3400-\u9fff]{2,40}", full) or len(full) <= len(short):
        return False
    same_end = full[-2:] == short[-2:] or (short.endswith("委") and full.endswith("委员会"))
    return same_end and _in_order(short, full)


def _issued_text_begins(title: str, lines: list[str]) -> int | None:
    """The line at which the document a notice issues or relays (印发, 转发, 批转, 下发《X》) begins,
    its title X alone on a line after a signature and its date; None when the notice prints no
    such document after its own signature."""
    named = re.search(r"(?:印发|转发|批转|下发)[^《》]*《(?P<name>[^《》]+)》", title)
    if named is None:
        return None
    name = named.group("name").replace(" ", "")
    signed = False
    for at, line in enumerate(lines):
        if signed and fold_book_marks(line.strip()).replace(" ", "") == name:
            return at
        if at + 1 < len(lines) and _SIGNER.fullmatch(line.strip()):
            signed = signed or _is_date_line(lines[at + 1].strip())
    return None


def _in_order(short: str, full: str) -> bool:
    """Whether every character of ``short`` stands in ``full`` in the same order (文旅局 in
    文化和旅游局), the way a short name is made from its full one."""
    rest = iter(full)
    return all(char in rest for char in short)


def _signed_in_full(signer: str, fuller: tuple[str, ...], text: str = "") -> str:
    """Organs that sign by their level and short name (市住房城乡建设管理委 / 市交通委 /
    市人力资源社会保障局) in full: the place the page's own full name gives that level (上海市…),
    and the short name's full form: the one the document's own ``text`` spells out (市文旅局 where
    it says 上海市文化和旅游局等部门联合制定), else the standard one (发展改革委: 发展和改革委员会;
    a commission's 委: 委员会). A name already in full, or a page that names no place, is left as
    signed."""
    places = [
        found.group("place")
        for candidate in fuller
        if (name := (candidate.split() or [""])[0])
        and not name.startswith(("中共", "中国共产党"))
        and (
            found := re.match(
                r"^(?P<place>[\u3400-\u9fff]{1,12}?[省市县区])[\u3400-\u9fff]{2,}", name
            )
        )
    ]
    parts = []
    for part in signer.split("、"):
        level = part[:1]
        place = next((p for p in places if p.endswith(level) and len(p) > 1), "")
        if level not in "省市县区" or not place or part.startswith(place):
            parts.append(part)
            continue
        body = part[1:]
        spelled = next(
            (
                named[len(place) :]
                for named in re.findall(
                    rf"{re.escape(place)}[\u3400-\u9fff]{{2,16}}?(?:{_OFFICE})", text
                )
                if named[len(place) :] != body
                and _in_order(body, named[len(place) :])
                and named[-1] == (body[-1] if body[-1] != "委" else "会")
            ),
            "",
        )
        if spelled:
            parts.append(place + spelled)
            continue
        full = next((f for short, f in _short_names() if body.endswith(short)), "")
        if full:
            body = body[: -len(next(s for s, f in _short_names() if f == full))] + full
        elif body.endswith("委"):
            body += "员会"
        parts.append(place + body)
    return "、".join(parts)


def _long_form(organ: str) -> str:
    """A local government named short (河源市政府, 县政府办公室) in its long form (河源市人民政府)."""
    organ = re.sub(r"([省市县区州旗])\1(?=政府)", r"\1", organ)  # 河东区区政府办公室: 区 said twice
    return re.sub(r"(?<=[省市县区州旗])政府(?=(?:办公室|办公厅)?$)", "人民政府", organ)


def _is_date_line(line: str) -> bool:
    return len(line) <= 24 and _day(line.replace(" ", "")) is not None


# the day a sentence says its act was done, before the act's verb: 2011年1月8日，…签署…; 15日签署
# (the day alone, in a report whose dateline gives the month: 北京1月23日电); not a dateline's own
_SAID_DAY = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日(?!\s*电)"
)
_DATELINE = re.compile(r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*电")
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|[-./]\s*\d{1,2}\s*[-./])")


def _day_before(sentence: str, earlier: list[str]) -> PartialDate | None:
    """The day the last clause of ``sentence`` (what comes before an act's verb) states, the
    month and year it leaves out taken from the text before it (a report's dateline, its page's
    date): 15日 under 北京1月23日电 and 2008-01-24 is 2008-01-15, a day after the dateline's in the
    month before."""
    sentence = re.split(r"[。；;]", sentence)[-1]
    said = list(_SAID_DAY.finditer(sentence))
    if not said:
        return None
    last = said[-1]
    if last.group("y") and last.group("m"):
        return _day(f"{last.group('y')}年{last.group('m')}月{last.group('d')}日")
    context = "\n".join([*earlier, sentence[: last.start()]])
    years = [int(found.group("y")) for found in _YEAR.finditer(context)]
    dateline = _DATELINE.search(context)
    month = int(last.group("m")) if last.group("m") else None
    if not years or (month is None and dateline is None):
        return None
    year, day = years[-1], int(last.group("d"))
    if month is None and dateline is not None:
        month = int(dateline.group("m"))
        if day > int(dateline.group("d")):  # after the dateline's day: the month before
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return _day(f"{year}年{month}月{day}日")


def read_decision(lines: list[str]) -> PublishedDecision:
    """The title, number, issuer, date and effect of a decision from its lines (as read:
    :func:`reading_copy`), with the counts it states and the annexes it names."""
    title = number = issuer = order = first_organ = decides = red_header = adopter = dater = ""
    approver = recorded_number = ""
    promulgated_on = None  # the day a line of record says an order promulgated the text
    explains = False
    dated = effective = expires = stated = adopted = None
    meta = page_metadata(lines)
    values = meta.values
    revised = None
    for index, line in enumerate(lines[:40]):
        if index in meta.lines:
            continue
        compact = _date_spelled(line.strip())
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if (
            re.match(_DAY, compact)
            and re.search(r"(?:人民代表大会|委员会)$", compact)
            and re.match(r"^常务委员会.{0,30}?会议(?:通过|修订|修正|批准)", following)
        ):
            compact += following  # a line of record broken inside the organ's name
        found_revision = _REVISED.match(compact)
        if found_revision:
            day = _day(found_revision.group("date").replace(" ", ""))
            if day is not None and (revised is None or day.isoformat() > revised.isoformat()):
                revised = day  # the latest revision is the text as printed
            adopter = adopter or _session_body(found_revision.group("rest"))  # 主任会议修订
            continue
        explained = _EXPLAINS.match(compact) or _COMMENTARY.match(compact)
        if explained and not title:
            title = explained.group("title")  # the decision a 解读 explains
            explains = True
            continue
        # a title after a label of the page's own (被解读文件地址:关于…的通知): the title is its value
        valued = _YEAR_TAG.sub("", re.sub(r"^[\u3400-\u9fff]{2,12}[:：]\s*", "", compact))
        valued = re.sub(r"\s+(?=《)|(?<=》)\s+", "", valued)  # …关于修改 《X》的通知
        found = _TITLE.match(valued) or _RESULT_TITLE.match(valued)
        if found and not title and ("关于" in found.group("title") or found.re is _RESULT_TITLE):
            title = found.group("title")
            note = (found.group("note") or "").strip()
            if note and not number and DocNumber.try_parse(note):
                number = note
            continue
        bare_number = _unbracket(compact).replace(" ", "")
        lost = _LOST_CLOSE.match(bare_number)
        if lost and not number:  # 牟政办发〔201746: the page lost 〕 and 号
            bare_number = compact = (
                f"{lost.group('org')}〔{lost.group('year')}〕{lost.group('n')}号"
            )
        if not number and DocNumber.try_parse(bare_number) and _NUMBER.fullmatch(bare_number):
            number = _unbracket(compact)
            continue
        bare = _BARE_ORDER.match(compact)
        if bare and not number and not order:
            before = lines[index - 1].strip() if index else ""
            n = bare.group("n")
            n = n if n.isdigit() else str(chinese_number(n) or n)  # （第四十三号）
            term = f"（{bare.group('term')}届）" if bare.group("term") else ""
            if (
                re.match(r"^常务委员会", before)
                and index >= 2
                and re.search(r"人民代表大会$", lines[index - 2].strip())
            ):
                before = lines[index - 2].strip() + before  # the organ's name broken in two
            if re.search(r"(?:令|公告)$", before) and len(before) <= 40:
                number = f"{before}{term}第{n}号"  # 中华人民共和国国务院令 / 第645号
            else:
                order = n
            continue
        header = _RED_HEADER.match(compact)
        if header and not red_header:
            red_header = header.group("organ")  # 贵州省国土资源厅文件: who issues it
            continue
        if not first_organ and re.fullmatch(_ORGAN, compact):
            first_organ = _without_province(compact)  # a page's issuer line: 河北省人民政府
            continue
        approval = _APPROVED.match(compact)
        if approval and not approver:
            approver = approval.group("organ")
            adopted = adopted or _day(approval.group("date").replace(" ", ""))
            continue
        if adopted is None and (bare_adopted := _BARE_ADOPTED.match(compact)):
            adopted = _day(bare_adopted.group("date").replace(" ", ""))  # 一九五○年一月十日通过
        if adopted is None:
            found_adopted = _ADOPTED.search(compact) or _ADOPTED_YEARLESS.match(compact)
            if found_adopted and "date" not in found_adopted.groupdict():
                adopter = adopter or _session_body(found_adopted.group("rest"))  # no day
                found_adopted = None
            if found_adopted:
                adopted = _day(found_adopted.group("date").replace(" ", ""))
                adopter = _session_body(found_adopted.group("rest")) or adopter
        # a line of record, or several run together (…批准2015年9月24日…公告公布)
        # (in brackets too, under a title: （2021年6月21日…令第4号公布 自2021年8月1日起施行）)
        records = [
            found
            for part in _records(_SELF_LED.sub("", _unbracket(compact)))
            if (found := _RECORD.match(part))
        ]
        for record in records:
            day, rest = _day(record.group("date").replace(" ", "")), record.group("rest")
            if record.group("act") in ("发布", "公布", "印发"):  # 2021年11月14日印发: 版记
                promulgated = _NUMBER.search(re.sub(r"^(?:以|经|由)", "", rest.replace(" ", "")))
                if promulgated and not recorded_number:
                    recorded_number = promulgated.group(0)  # 国务院令第37号发布
                    promulgated_on = day
                dated = dated or day
            elif not rest and stated is None:
                stated = day  # 2021年1月1日 施行
        if records:
            continue
        led = _DATE_LED.match(compact)
        if dated is None and led:
            dated = _day(led.group("date").replace(" ", ""))  # 1964年2月10日,最高法院司法行政厅
            dater = compact[led.end("date") :].strip(" ,，")
        if dated is None and re.fullmatch(rf"[（(]\s*(?:{_DAY})\s*[）)]", compact):
            dated = _day(_unbracket(compact).replace(" ", ""))  # (1999年3月14日) under the title
            continue
        if dated is None:
            last = compact.split()[-1] if compact.split() else ""
            if len(compact) <= 40 and _DATE.fullmatch(last.replace(" ", "")):
                dated = _day(last)
    if not title:
        title = next(
            (
                found.group("title")
                for line in lines
                if (found := _NAMED_IN_FORCE.match(line.strip()))
            ),
            "",
        )
    if (
        not title
    ):  # 《…的决定》已经…会议审议通过，现予公布: the order names the decision it promulgates
        title = next(
            (
                found.group("title")
                for line in lines[:12]
                if (found := _PROMULGATED.match(line.strip()))
                and found.group("title").endswith("决定")
            ),
            "",
        )
    # named in the opening, before the text's first section (what 一、背景 cites is background)
    opening = next((at for at, line in enumerate(lines) if _marker(line)[0] == 1), len(lines))
    issued_at, issued = (
        (0, None)
        if title
        else next(
            (
                (at, found)
                for at, line in enumerate(lines[: min(opening, 12)])
                if (found := _ISSUED.search(line))
            ),
            (0, None),
        )
    )
    reporter = ""
    if issued is not None:
        title = issued.group("title")
        # the organ its sentence says issued it: 2022年6月13日，河东区政府办公室印发《…》
        before = re.split(r"[，,。；;：:]", lines[issued_at][: issued.start()])[-1]
        by = _ISSUED_BY.search(before)
        reporter = _long_form(by.group("organ")) if by else ""
        cited = (issued.group("number") or "").strip()
        if not number and DocNumber.try_parse(cited):
            number = cited
        if issued.group("date") and dated is None:
            dated = _day(issued.group("date").replace(" ", ""))
        if dated is None:  # 2011年1月8日，国务院总理…签署国务院令，公布《…》; 温家宝15日签署…
            line = lines[issued_at]
            dated = _day_before(line[: issued.start()], lines[:issued_at])
    if title and issued is None and (not number or dated is None):
        # a text about its decision (a 解读 titled 《X》政策解读) may say further on when and
        # under what number it was issued: 2024年11月15日，市政府办印发了《X》（沁政〔2024〕13号）
        for at, line in enumerate(lines):
            said = re.search(
                rf"(?:印发|发布|公布)了?\s*《{re.escape(title)}》"
                r"\s*(?:[（(](?P<number>[^（）()]{4,30})[）)])?",
                line,
            )
            if said is None:
                continue
            cited = (said.group("number") or "").strip()
            if not number and DocNumber.try_parse(cited):
                number = cited
            if dated is None:
                dated = _day_before(line[: said.start()], lines[:at])
            break
    signer = signed_on = None
    # the last signature: the document's own; of a notice issuing or relaying a document that
    # follows it (转发…《X》的通知 / its signature / X / …, X signed by its own maker), the last
    # before that document begins
    end = _issued_text_begins(title or values.get("title", ""), lines) or len(lines)
    for index, line in enumerate(lines[: end - 1]):
        if _SIGNER.fullmatch(line.strip()) and _is_date_line(lines[index + 1].strip()):
            signer, signed_on = line.strip(), _day(lines[index + 1].strip().replace(" ", ""))
            joint = index - 1  # 中共岳阳市委办公室 / 岳阳市人民政府办公室 / the date: both signed
            while joint >= 0 and _SIGNER.fullmatch(lines[joint].strip()):
                signer = f"{lines[joint].strip()}、{signer}"
                joint -= 1
    if signed_on is None:
        # no signature, but the 版记's last line (广东省生态环境厅办公室 / 2021年11月14日印发):
        # the day it was printed for issue dates it; the office that prints it is not its issuer
        for index, line in enumerate(lines[:-1]):
            printed = lines[index + 1].strip().replace(" ", "")
            if _SIGNER.fullmatch(line.strip()) and printed.endswith("印发"):
                signed_on = _day(printed.removesuffix("印发")) if len(printed) <= 26 else None
    for line in lines:
        found_decides = _DECIDES.search(line)
        if found_decides:
            decides = found_decides.group("organ")
            break
        session = _SESSION_DECIDES.match(line.strip())
        if session:  # 福建省第九届人民代表大会常务委员会第三十次会议审议了…决定…: the body decides
            decides = _session_free(session.group("organ"))
            break
    meta_number = values.get("number", "")
    if not number and meta_number and DocNumber.try_parse(meta_number):
        number = meta_number
    # a line of record gives the number of the text it heads: the page's own when nothing else
    # numbers the page (its 文号 label names the page's document, where an annex reprinting the
    # document it revised goes on: 2005年11月17日沪公发〔2005〕423号文发布，根据…修改)
    number = number or recorded_number
    official = values.get("signed") or values.get("published")
    posted = values.get("posted", "")
    # a 解读's page was posted on its own day, not on the decision's; a posting stamp to the
    # minute (发布时间:2023-10-12 07:32) is the site's, when the text dates itself
    if not explains and not (re.search(r"\d{1,2}:\d{2}", posted) and (dated or signed_on)):
        # (not over the day its record says an order promulgated it: a site's posting of a
        # regulation years later, 2014年11月24日…国务院令第656号公布 on a page of 2024)
        official = official or ("" if promulgated_on else posted)
    if issued is not None and dated is not None:
        official = ""  # a page that reports the decision's issue: its dates are the page's own
    if official and _day(official.split()[0] if official.split() else official):
        dated = _day(official.split()[0])
    if dated is None:
        dated = signed_on or adopted or revised  # the text as last revised, when nothing else
    if values.get("effective"):
        stated = _day(values["effective"].split()[0])
    if values.get("expires"):
        expires = _day(values["expires"].split()[0])
    named = title.partition("关于")[0].strip() if "关于" in title else ""
    if signer:
        # the document's own signature, organs signing by short names in full
        issuer = _signed_in_full(
            signer, (named, values.get("issuer", ""), first_organ), "\n".join(lines[:80])
        )
    elif red_header:
        issuer = red_header  # the header of a 红头 document
    elif dater and _SIGNER.fullmatch(dater):
        issuer = dater  # 1990年3月10日,铁道部
    elif adopter:
        issuer = adopter  # …人民代表大会常务委员会第N次会议通过
    elif _order_issuer(number):
        issuer = _order_issuer(number)  # 中华人民共和国国务院令第37号: 国务院
    elif named and re.fullmatch(_ORGAN, named):
        issuer = named  # the title's full name, over a page's short form (省人大常委会)
    elif reporter:
        issuer = reporter  # 河源市政府印发《关于…的决定》: the organ that issued it
    elif decides and decides != "省政府":
        issuer = decides  # 国务院决定，…
    elif values.get("issuer"):
        issuer = values["issuer"].split()[0]
    elif first_organ:
        issuer = first_organ
    elif named:
        issuer = named
    source_organ = next(  # 来源:苏州市司法局 among a page's labels: the page's own organ
        (found.group("organ") for line in lines if (found := _SOURCE_ORGAN.search(line))), ""
    )
    if not issuer and source_organ and not explains and issued is None:
        issuer = source_organ  # a page of its own organ's, naming no other maker
    issuer = re.sub(r"人大常委会$", "人民代表大会常务委员会", issuer)  # the full name
    issuer = _full_name(issuer, (named, first_organ, values.get("issuer", ""), source_organ))
    if order and not number and issuer.endswith("人民政府"):
        number = f"{issuer}令第{order}号"  # 第153号 under a government's decision
    parsed = DocNumber.try_parse(number) if number else None
    if (
        parsed is not None
        and parsed.is_generic_order
        and parsed.year is None
        and issuer.endswith("人民政府")
    ):
        number = f"{issuer}令第{parsed.serial}号"  # 省政府令第114号 of 山东省人民政府
    text = "\n".join(lines)
    joined = "".join(line.strip() for line in lines)  # a sentence a page broke across lines
    on_publication = bool(_ON_PUBLICATION.search(joined))
    said_in_text = _EFFECTIVE_ON.search(text) if not on_publication else None
    later = _DAYS_AFTER.search(text)
    if stated is not None:  # the page's metadata: 实施日期
        effective = stated
    elif said_in_text:
        effective = _day(said_in_text.group("date") or said_in_text.group("day"))
    elif valid_from := _OWN_VALIDITY.search(joined):
        effective = _day(valid_from.group("day").replace(" ", ""))  # 有效期为A至B: in force from A
    elif on_publication:
        effective = dated
    elif later and dated is not None:
        n = later.group("n")
        days = int(n) if n.isdigit() else chinese_number(n) or -1
        if days > 0:
            effective = PartialDate.from_date(dated.first_day + dt.timedelta(days=days))
    heads = (
        title
        + "".join(  # (a provision led by its label, （三）适用范围。本细则适用于…, is none)
            line
            for line in lines
            if _heading_outcome(body := _marker(line)[1])
            and not re.match(r"^[\u3400-\u9fff]{2,8}[。：:]\s*\S", body)
        )
    )
    objects = _objects_named(heads)
    kind = _kind_named(objects or _BOOK.sub("《》", heads), issuer)  # (not a title's words)
    if kind is None and not objects and parsed is not None and parsed.is_order and "决定" in title:
        # a decision issued as an order amends or repeals what orders issue: rules (of a
        # government or ministry), or the 行政法规 of the State Council
        kind = _promulgated_kind(issuer, number)
    return PublishedDecision(
        title,
        number,
        issuer,
        dated,
        effective,
        on_publication,
        kind,
        expires,
        stated is not None,
        dict(values),
        stated_counts(lines, title),
        annexes_named(lines),
        adopted,
        signed_on,
        merged_count(lines),
        approver,
        explains,
    )


# a sentence that reports what another document did: …印发了《…》，对310件…予以废止
_REPORTS_ANOTHER = re.compile(r"(?:印发|发布|公布|出台|作出)了\s*《")


# a count that is the object of the review (对…691件行政法规的逐一清理, 共清理文件675033件进行
# 审查) is what was reviewed, not a result; 经评估 before a verb (等39件文件经评估需继续实施) is
# the result's preface
_REVIEWED = re.compile(r"^[^，,]{0,20}?(?<!经)(?:清理|审查|梳理|评估|研究)")


# a sentence about a cleanup done before (进行过一次清理, 曾开展, 此前, 上次): not this one's counts
_EARLIER = re.compile(r"(?:进行|开展|组织)过|曾(?:经)?(?:进行|开展|组织|对)|此前|上一?次清理|以往")


def stated_counts(lines: list[str], own: str = "") -> dict[str, int]:
    """The counts a text states per outcome, clause by clause: 继续有效52件, 对…的2274件省政府
    文件宣布失效, 《X》等7件规范性文件继续有效. A clause naming two outcomes states none; a
    bracket that restates the outcome is a gloss (保留（继续有效）45件). A clause about proposals
    (拟…) states none, unless its sentence states decided results beside it (保留45件，拟修改3件:
    what the result is, to be revised). A sentence that reports another document's act (印发了
    《…》，对310件…) states none, unless that document is the text's own decision ``own``."""
    counts: dict[str, int] = {}
    # the numbered items each count of an outcome came from: parallel items of one list (3、…
    # 延长有效期6件 / 4、…需继续实施39件) each count their own documents, and are summed
    sources: dict[str, set[tuple[int, str]]] = {}
    for line in lines:
        record = line.strip()
        level, body = _marker(record)
        item = (level, re.sub(r"\s", "", record[: len(record) - len(body)])) if level else None
        if (
            re.match(_DAY, record)
            and re.search(r"(?:修正|修订|通过|公布|批准|施行|发布)\s*$", record)
            and len(record) <= 160
            and "。" not in record
        ):
            continue  # a line of record: …会议关于修改《X》等九件地方性法规的决定第一次修正
        its_own = bool(own) and f"《{own}》" in line
        led = re.match(r"^\s*《(?P<title>[^《》]{2,80})》", line)
        if (
            led
            and led.group("title") != own
            and led.group("title").endswith("决定")
            and re.search(r"(?:通过|公布|印发|发布)", line)
        ):
            continue  # 《…的决定》(…令第256号)于…通过。…决定对3部…修改: the cited decision's counts
        text = _BOOK.sub("《》", line)
        text = re.sub(
            r"[（(]([^（）()]{1,8})[）)]",
            lambda m: "" if Outcome.understand(m.group(1)) else m.group(0),
            text,
        )
        # a bracket that holds no count is an aside inside its clause (废止的市政府（含市府办公室）
        # 规范性文件有8件; 印发《》（以下简称《》）): the clause runs on through it
        text = re.sub(
            r"[（(][^（）()]{0,30}[）)]",
            lambda m: "" if not _COUNT.search(m.group(0)) else m.group(0),
            text,
        )
        for sentence in re.split(r"[。；;]", text):
            if _REPORTS_ANOTHER.search(sentence) and not its_own:
                continue  # 省政府印发了《…的决定》，对310件…予以废止: that decision's count
            if _EARLIER.search(sentence):
                continue  # 2015年，市政府进行过一次清理，27个文件被废止: an earlier cleanup's
            clauses = [
                part
                for clause in re.split(r"[，,：:（）()]", sentence)
                for part in _enumerated(clause)
            ]
            # 拟 qualifies the count after it (宣布失效4件、拟修改2件: the first is decided)
            # (a count of what was reviewed, 共梳理文件136件, is no decided result)
            decided = any(
                (found := _COUNT.search(c))
                and "拟" not in c[: found.end()]
                and Outcome.understand(c) is not None
                for c in clauses
            )
            for at, clause in enumerate(clauses):
                found = _COUNT.search(clause)
                if found is None or ("拟" in clause[: found.end()] and not decided):
                    continue
                if _REVIEWED.search(clause[found.end() :]):
                    continue  # 对现行的691件行政法规的逐一清理: what was reviewed, no result
                # the outcome the count is given (…的规范性文件5件宣布废止: what follows it, in
                # its clause or the next: …的4件文件，宣布失效), else the clause's one outcome
                outcome = (
                    Outcome.understand(clause[found.end() :])
                    or next(
                        (
                            o
                            for later in clauses[at + 1 : at + 3]
                            if not _COUNT.search(later) and (o := Outcome.understand(later))
                        ),
                        None,
                    )
                    or Outcome.understand(clause)
                )
                if outcome is None:
                    continue
                n = found.group("n")
                value = _number(n)
                if not value:
                    continue
                came = sources.setdefault(outcome.value, set())
                if (
                    outcome.value in counts
                    and item is not None
                    and came
                    and item not in came
                    and all(other is not None and other[0] == item[0] for other in came)
                ):
                    counts[outcome.value] += value  # another item of the same list
                    came.add(item)
                elif outcome.value not in counts:
                    counts[outcome.value] = value
                    came.add(item)  # type: ignore[arg-type]
    return counts


def _enumerated(clause: str) -> list[str]:
    """A clause that lists several counts, each with its outcome (决定保留33件、废止7件、失效28件),
    as one clause a count; a clause of one count as it is."""
    if len(_COUNT.findall(clause)) < 2:
        return [clause]
    parts = re.split(r"、|和(?=[^、和]{0,12}\d)|及(?=[^、及]{0,12}\d)", _marker(clause.strip())[1])
    if not all(_COUNT.search(part) for part in parts):
        return [clause]
    if Outcome.understand(parts[-1]) is not None and not any(
        Outcome.understand(part) for part in parts[:-1]
    ):
        # counts of two sorts under the one outcome after them (对18部规章和4部规范性文件的部分
        # 条款予以修改): one count of that outcome, their sum
        total = sum(_number(found.group("n")) for part in parts if (found := _COUNT.search(part)))
        last = _COUNT.search(parts[-1])
        assert last is not None
        return [parts[-1][: last.start("n")] + str(total) + parts[-1][last.end("n") :]]
    return parts


def merged_count(lines: list[str]) -> int:
    """The instruments a text counts under two outcomes it does not tell apart (决定废止或宣布失效
    规范性文件7件, 失效和废止38件): a result, which no single outcome holds."""
    total = 0
    for line in lines:
        for sentence in re.split(r"[。；;，,]", _BOOK.sub("《》", line)):
            found = _COUNT.search(sentence)
            if found and "拟" not in sentence and _MERGED_OUTCOME.search(sentence):
                n = found.group("n")
                total += max(_number(n), 0)
    return total


def annexes_named(lines: list[str]) -> tuple[str, ...]:
    """The annexes a text names: 附件：1.继续有效的…目录 2.…, or 附件：宣布失效的…目录（共2274件）."""
    names: list[str] = []
    for index, line in enumerate(lines):
        found = _ANNEX.match(line.strip())
        if found is None:
            continue
        parts = [found.group("rest")] if found.group("rest") else []
        for following in lines[index + 1 : index + 12]:
            following = following.strip()
            if re.match(r"^\d{1,2}\s*[.．、]", following) or (
                not parts and re.search(r"目录|清单|名单", following)
            ):
                parts.append(following)
            else:
                break
        for part in parts:
            for name in re.split(r"(?:^|\s)\d{1,2}\s*[.．、]\s*", part):
                name = re.sub(r"[（(]\s*共?\s*\d+\s*件\s*[）)]$", "", name.strip(" 　。；;"))
                if name and name not in names:
                    names.append(name)
    for line in lines:  # named in a sentence: …批准《报告》以及附件一《…失效的法律目录》、附件二《…
        for found in _ANNEX_INLINE.finditer(line):
            if found.group("name") not in names:
                names.append(found.group("name"))
    return tuple(names)


# an annex named inside a sentence, by its number and its title in book-title marks (the title
# may run to the end of a page cut short)
_ANNEX_INLINE = re.compile(
    r"附\s*件\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*《(?P<name>[^《》]{2,80})(?:》|$)"
)


def _day(text: str) -> PartialDate | None:
    date = PartialDate.try_parse(text.strip())
    return date if date is not None and date.day is not None else None


# what a title or heading decides on, named after its count or after 下列/以下/部分 (5件政府规章,
# 下列地方性法规, 部分政策性文件), as against ranks it names in passing (所依据的法律、法规)
_OBJECT = re.compile(
    r"(?:(?:\d+|[一二三四五六七八九十百]+)\s*[件部个项]|下列|以下|部分)\s*"
    r"(?P<noun>[^，,。；;、《》\s]{0,12}?(?:规章|法规|规范性文件|司法解释|文件))"
)


def _objects_named(text: str) -> str:
    """The nouns a title or heading names as what it decides on, or "" when it names none."""
    return " ".join(m.group("noun") for m in _OBJECT.finditer(text))


def _kind_named(text: str, issuer: str = "") -> Kind | None:
    """The kind a heading or title names, by rank where it says (地方性法规, 行政法规, 部门规章,
    政府规章) or where the deciding body tells it (a standing committee's 法规 are 地方性法规, a
    province's or city's 规章 are 地方政府规章)."""
    if "规章" in text:
        if "部门规章" in text:
            return Kind.DEPARTMENT_RULE
        local = "政府规章" in text or "人民政府" in issuer or "政府" in text.partition("规章")[0]
        # else ranked by its maker: a ministry's or a commission's rules are 部门规章
        return Kind.LOCAL_RULE if local else ranked_kind(Kind.RULE, issuer)
    if "规范性文件" in text:
        return Kind.NORMATIVE
    if "司法解释" in text:
        return Kind.JUDICIAL
    if "法规" in text:
        if "行政法规" in text or issuer == "国务院":
            return Kind.ADMIN_REGULATION
        if "地方性法规" in text or re.search(r"人民代表大会|人大常委会", issuer):
            return Kind.LOCAL_REGULATION
        return Kind.REGULATION
    if "法律" in text and issuer.startswith(("全国人民代表大会", "全国人大")):
        return Kind.LAW
    return None


# what the reader says of an item whose line the text ends inside
CUT_OFF = "the text ends inside this line: read as far as it goes"
REPLACED = "replaced by the document the page issues"  # the note of what a document replaces
# the notes of an item that stands for others uncounted here (a summary line's, an example's)
ONE_OF, EXAMPLE_OF = "names one of", "named as an example of the"
# a section heading over the documents a text rests on: 二、文件依据, （二）制定依据, 三、政策依据
_BASIS_HEADING = re.compile(
    r"^[\u3400-\u9fff]{0,4}(?:依据|根据|参考文件|引用文件)(?:文件|材料)?\s*[:：。]?\s*$"
)


# a line shaped as an item: a title in book-title marks, then brackets or nothing (or its
# closing mark lost), not a sentence running on after the title
_ITEM_LIKE = re.compile(r"^《(?:[^》]*$|[^》]*》\s*(?:[（(\[【].*|[，,。；;]?\s*)$)")


def read_items(lines: list[str]) -> Iterator[Item]:
    """The items of a decision, each with its own outcome (废止《X》) or that of the heading it
    stands under. Every line is taken for what it is: a heading with an outcome, an item (led
    by 《title》, by its verb, or a title-like phrase with its number), an amendment naming its
    instrument (any verb: 将/在/对《X》…, 删去《X》…), a summary with a count (《X》等N件…继续有效)."""
    context: list[tuple[int, Outcome]] = []  # (level, outcome) of the open headings
    block: dict[str, Any] | None = None  # an open revision: 对《X》作如下修改
    count = 0
    annex: Outcome | None = None  # under 附件1：…废止的…目录, printed as text columns
    pending: list[tuple[int, str, str]] = []  # what a heading names, should its list never come
    pending_outcome: Outcome | None = None
    cited: int | None = None  # the level of an open heading of what the text rests on (依据)
    in_articles = False  # past a 第N条: a provision citing a law in its sentence is text
    revision_levels: set[int] = set()  # the levels of the items of 对《X》作如下修改 read so far
    annex_list = False  # under 附件： alone on its line: the numbered lines name the annexes
    for number, line in enumerate(lines, start=1):
        # (or under 附件：1.《A》, the list begun on its own line: 2.《B》 names the next annex)
        if re.fullmatch(r"附\s*件\s*[:：](?:\s*1\s*[.．、][^。；;]*)?", line.strip()):
            annex_list = True
            continue
        if (
            annex_list
            and re.match(r"^\d{1,2}\s*[.．、]", line.strip())
            and not _NUMBER.search(line)
        ):
            continue  # 1、《购房人家庭成员及名下住房情况申报表》: an annex's name, not a document decided
        annex_list = False
        examples = list(_examples(line))  # 宣布失效的292个文件…《A》《B》等: named as examples
        if examples:
            for title, outcome, note, kind, maker in examples:
                count += 1
                yield Item(
                    f"item {count} (line {number})",
                    line,
                    title,
                    outcome,
                    kind=kind,
                    issuer=maker,
                    note=note,
                    lines=(number, number),
                )
            continue
        decided = [] if _marker(line)[1].startswith("《") else list(_decided_in_sentence(line))
        if decided:  # 市人民政府决定废止《X》(…): what a sentence of the decision decides
            for item in decided:
                count += 1
                where = f"item {count} (line {number})"
                yield attrs.evolve(item, where=where, text=line, lines=(number, number))
            continue
        heading = _ANNEX_CATALOG.match(line.strip())
        if heading:
            annex = Outcome.understand(_BOOK.sub("", heading.group("name")))
            continue
        row = _TEXT_ROW.match(line.strip()) if annex is not None else None
        if row and DocNumber.try_parse(row.group("number")):
            count += 1
            yield Item(
                f"item {count} (line {number})",
                line,
                row.group("title"),
                annex,
                row.group("number"),
                lines=(number, number),
            )
            continue
        level, body = _marker(line)
        depth = level if level is not None else 0
        if cited is not None and level is not None:
            if level > cited:
                continue  # listed under 文件依据: what the text rests on, not what it decides
            cited = None
        if level is not None and _BASIS_HEADING.match(body):
            cited = depth
            continue
        if block is not None:
            if level is None or level > block["level"]:
                block["text"].append(line)
                block["last"] = number
                continue
            yield _revision(block)
            block = None
        where = f"item {count + 1} (line {number})"
        revision = _REVISION.match(body)
        if revision:
            count += 1
            revision_levels.add(depth)
            detail = _DATE.sub(" ", revision.group("detail") or "").replace(" ", "")
            numbered = _NUMBER.search(detail)  # （法释〔2009〕19号，以下简称《解释》）
            block = {
                "level": depth,
                "title": revision.group("title"),
                "line": line,
                "where": where,
                "text": [],
                "first": number,
                "last": number,
                "number": numbered.group(0) if numbered else "",
            }
            continue
        summary = _SUMMARY.match(body)
        if summary and "如下" not in summary.group("rest"):  # …等29件作如下修改: the items follow
            rest = summary.group("rest")
            outcome, merged = _outcome_said(rest)
            if outcome is not None:
                count += 1
                n = summary.group("n")
                total = _number(n)
                note = (
                    f"{ONE_OF} {total}; the other {total - 1} are listed in the annex"
                    if total > 1
                    else ""
                )
                note = "; ".join(part for part in (note, merged) if part)
                # the one it names, with the number and day in its brackets (…》（沪建交〔2011〕
                # 497号）等5件文件)
                named = _item(
                    f"《{summary.group('title')}》（{summary.group('detail') or ''}）", True
                )
                yield Item(
                    where,
                    line,
                    summary.group("title").strip(),
                    outcome,
                    named.doc_number if named else "",
                    named.published_on if named else "",
                    kind=_kind_named(rest),
                    note=note,
                    lines=(number, number),
                )
                continue
        clause = list(_verb_clause(body)) if level is not None else []
        clause = clause or ([] if in_articles else list(_continued(body)))
        if clause:  # （二）废止2002年…发布的《X》（…）: the items its verb leads
            for item in clause:
                count += 1
                where = f"item {count} (line {number})"
                yield attrs.evolve(item, where=where, text=line, lines=(number, number))
            continue
        led = _VERB_ITEM.match(body)
        if led and level is not None:
            item = _item(led.group("rest"), True)
            if item is not None:
                count += 1
                yield attrs.evolve(
                    item,
                    where=where,
                    text=line,
                    lines=(number, number),
                    outcome=Outcome.understand(led.group("verb")),
                )
                continue
        amendment = _LED_AMENDMENT.match(body) if level is not None else None
        inline = _INLINE_REVISION.match(body) if level is not None else None
        if (amendment or inline) and _item(body, True) is None:
            count += 1
            title = (amendment or inline).group("title")  # type: ignore[union-attr]
            # 将《X》（教育部令第25号）第十条修改为: the number in brackets after the title
            numbered = _NUMBER.search(_undated(inline.group("detail") or "")) if inline else None
            block = {
                "level": depth,
                "title": title,
                "line": line,
                "where": where,
                "text": [body],
                "first": number,
                "last": number,
                "number": numbered.group(0).replace(" ", "") if numbered else "",
            }
            continue
        item = _item(body, level is not None)
        cut = ""
        revised = False
        if item is None and number == len(lines) and _left_open(body):
            # the text ends inside its last line (a copy cut off inside the item's brackets):
            # the item as far as it goes, said
            item = _item(_closed(body), level is not None)
            if item is None and body.startswith("对《") and depth in revision_levels:
                # 二、对《X》（…令第 cut before its verb, among items of 对《X》…作如下修改:
                # a revision like theirs
                item = _item(_closed(body[1:]), True)
                revised = item is not None
            cut = CUT_OFF
        if item is not None:
            count += 1
            outcome = next((o for lv, o in reversed(context) if lv < depth or level is None), None)
            outcome = Outcome.REVISE if revised else outcome
            yield attrs.evolve(
                item, where=where, text=line, outcome=outcome, lines=(number, number), note=cut
            )
            continue
        announced = _heading_outcome(body, level is not None)
        if re.match(r"^第[一二三四五六七八九十百\d]+条", line.strip()):
            in_articles = True  # a text of articles: its numbered paragraphs are provisions
        if (
            level is not None
            and announced is None
            and body.startswith("《")
            and (_ITEM_LIKE.match(body) or not in_articles)
        ):
            # numbered and naming a document, yet not an item: never dropped in silence (a
            # provision that cites one in its sentence, （一）《食品安全法》禁止生产…；, is text)
            count += 1
            yield Item(where, line, "", None, unreadable=True, lines=(number, number))
            continue
        if announced is not None or level is not None:
            context = [(lv, o) for lv, o in context if lv < depth]
        if announced is not None:
            context.append((depth, announced))
            if count == 0 and not pending:
                pending = [(number, line, title) for title in _objects_of(line, announced)]
                pending_outcome = announced
    if block is not None:
        yield _revision(block)
    if count == 0 and pending and pending_outcome is not None:
        # a heading (…决定自即日起废止下列地方性法规:) whose list the file does not hold, the
        # list cut off: the titles its own sentence names as what that outcome falls on
        for number, line, title in pending:
            count += 1
            yield Item(
                f"item {count} (line {number})",
                line,
                title,
                pending_outcome,
                note=(
                    f"named in the sentence that announces the list ({pending_outcome.zh}); "
                    "the list itself is not in this file"
                ),
                lines=(number, number),
            )


_MERGED_OUTCOME = re.compile(
    r"废止\s*(?:或|或者|、|/|和|及)\s*(?:宣布)?失效|(?:宣布)?失效\s*(?:或|或者|、|/|和|及)\s*废止"
)


def _outcome_said(text: str) -> tuple[Outcome | None, str]:
    """The outcome a clause states, and what the reader says of it: where it merges 废止 and
    失效 (予以废止或失效), the instrument's force ends either way, so it is recorded as 废止,
    the stronger act, and the report asks for the choice regclean keeps (docs/concepts.md)."""
    outcome = Outcome.understand(text)
    if outcome is None and _MERGED_OUTCOME.search(fold(to_simplified(text))):
        return Outcome.REPEAL, (
            "stated as 废止或失效 (repeal or invalid): recorded as 废止; "
            "where the decision's annex says 宣布失效, propose that instead"
        )
    return outcome, ""


# a clause about the instruments of one outcome that names some of them as examples: the
# outcome and the count come first (宣布失效的292个文件有…; 对…的49件行政法规予以废止，比如，…),
# then a run of titles ended by 等 (《A》《B》等), or the titles enumerated after a colon
# (下列7件行政法规…决定予以废止：一是《A》。…二是《B》)
_EXAMPLE_RUN = re.compile(r"((?:《[^《》]+(?:《[^《》]*》[^《》]*)*》\s*[、，,]?\s*)+)等")
_ENUMERATED = re.compile(
    r"(?:^|[:：])\s*(?:[一二三四五六七八九十]{1,3}是|其[一二三四五六七八九十]{1,3}是?[，,、]?)\s*"
    r"《(?P<title>[^《》]+(?:《[^《》]*》[^《》]*)*)》"
)
_EXAMPLE_COUNT = re.compile(
    r"(?P<n>\d{1,6}|[一二三四五六七八九十百千两]{1,6})\s*(?:[件个份]|部(?![分门署委]))"
)  # 个 too: 宣布失效的292个文件


def _examples(line: str) -> Iterator[tuple[str, Outcome, str, Kind | None, str]]:
    """The titles a clause about one outcome's instruments names as examples of them (see
    _EXAMPLE_RUN), with the outcome, a note saying so and the kind the clause counts. The count
    and the outcome come before the titles: in the clause that names them, or in the clause
    just before it or the paragraph's first (宣布失效的292个文件有各个时间阶段的。《A》《B》等在
    1988年制定). 《X》等7件继续有效, whose outcome follows the titles, is a summary line."""
    topic: tuple[Outcome, int, Kind | None] | None = None  # the paragraph's first clause
    before: tuple[Outcome, int, Kind | None] | None = None  # the clause just before
    clauses = re.split(r"[。；;]", line.strip())
    for at, clause in enumerate(clauses):
        enumerated = _ENUMERATED.search(clause)
        run = _EXAMPLE_RUN.search(clause)
        found = (
            enumerated if enumerated and (run is None or enumerated.start() < run.start()) else run
        )
        head = _BOOK.sub("", clause[: found.start()] if found else clause)
        count = _EXAMPLE_COUNT.search(head)
        outcome = Outcome.understand(head) if count else None  # before it or after it
        said = (
            (outcome, _number(count.group("n")), _kind_named(head)) if count and outcome else None
        )
        if found is None:
            before = said
            topic = said if at == 0 else topic
            continue
        runs = [found] if found is enumerated else list(_EXAMPLE_RUN.finditer(clause))
        tail = clause[runs[-1].end() :]
        if said is None and (count or Outcome.understand(head) or Outcome.understand(tail)):
            before = None  # a statement of its own (《X》等7件继续有效): no example of another
            continue
        announced = said or before or topic
        before = said if found is enumerated else None
        if announced is None:
            continue
        outcome, total, kind = announced
        titles = (
            [enumerated.group("title")]
            if found is enumerated and enumerated
            else [
                title
                for one in runs
                for title in re.findall(r"《([^《》]+(?:《[^《》]*》[^《》]*)*)》", one.group(1))
            ]
        )
        made = _MADE_BY.match(clauses[at + 1]) if at + 1 < len(clauses) else None
        for title in titles:
            yield (
                title.strip(),
                outcome,
                f"{EXAMPLE_OF} {total} ({outcome.zh}); the others are not named here",
                kind,
                made.group("organ") if made and len(titles) == 1 else "",
            )


# the clause after a title that says who made it: 该决定是1950年政务院公布, 该办法系1986年由国家
# 计委发布 (the record a report gives of what it names)
_MADE_BY = re.compile(
    r"^\s*该[\u3400-\u9fff]{1,4}(?:是|系|于|为)\s*(?:(?P<year>(?:19|20)\d{2})\s*年)?"
    r"[^，,]{0,12}?(?:由|经)?(?P<organ>政务院|国务院|中央人民政府|[\u3400-\u9fff]{2,30}?(?:"
    + _OFFICE
    + r"))(?:公布|发布|颁布|制定|印发)"
)


# what a decision decides in a sentence of its own rather than in a list: 市人民政府决定废止《X》
# (…令第84号公布…); …会议决定对《A》等7件地方性法规作出修改，废止《Y》。 The verb leads its clause,
# right after 决定 (决定自即日起废止《X》) or after a comma of the same sentence, and a title follows
# it; 关于废止《X》 is a title's words, 拟废止 a proposal's, 不再废止 no decision
_DECIDED_IN_SENTENCE = re.compile(
    r"决定(?:[^。；;《》，,]{0,12}?|[^。；;]*?[，,]\s*)(?<!关于)(?<![拟不未])"
    r"(?P<verb>(?:予以|宣布)?废止|(?:予以|宣布)失效)\s*(?=《)"
)
_JOINS = re.compile(r"\s*(?:[、，,]|和|及|以及)\s*(?=《)")


# a title a sentence names as the object of an outcome's verb: 废止《X》, 关于废止《X》等三项…的议案
_VERB_OBJECT = re.compile(
    r"(?<![拟不未])(?P<verb>(?:予以|宣布)?废止|(?:予以|宣布)?失效|修改|修订)\s*"
    r"《(?P<title>[^《》]+(?:[《〈][^《》〈〉]*[》〉][^《》]*)*)》"
)


def _objects_of(line: str, outcome: Outcome) -> list[str]:
    """The titles a sentence names as the objects of ``outcome``'s verb, each once, in order."""
    titles: list[str] = []
    for found in _VERB_OBJECT.finditer(line):
        title = found.group("title").strip()
        if Outcome.understand(found.group("verb")) is outcome and title not in titles:
            titles.append(title)
    return titles


def _balanced_end(text: str, at: int) -> int:
    """Where the bracketed or book-titled span that opens at ``at`` closes (its end), counting
    nested marks; ``at`` itself when it opens none or never closes."""
    pairs = {"《": "》", "（": "）", "(": ")", "〈": "〉"}
    if at >= len(text) or text[at] not in pairs:
        return at
    depth = []
    for i in range(at, len(text)):
        char = text[i]
        if char in pairs:
            depth.append(pairs[char])
        elif depth and char == depth[-1]:
            depth.pop()
            if not depth:
                return i + 1
    return at


def _titles_from(line: str, at: int) -> Iterator[Item]:
    """The run of titles that starts at ``at`` (《A》（…）、《B》（…）和《C》), each with the
    record in brackets after it (number, date)."""
    while at < len(line) and line[at] == "《":
        end = _balanced_end(line, at)
        if end == at:
            return
        end = _balanced_end(line, end) if end < len(line) and line[end] in "（(" else end
        item = _item(line[at:end], True)
        if item is not None:
            yield item
        joined = _JOINS.match(line, end)
        if joined is None:
            return
        at = joined.end()


def _decided_in_sentence(line: str) -> Iterator[Item]:
    """The instruments a sentence of the decision repeals or declares invalid by name (see
    _DECIDED_IN_SENTENCE), each with the record in brackets after it (number, date)."""
    for found in _DECIDED_IN_SENTENCE.finditer(line):
        outcome = Outcome.understand(found.group("verb"))
        if outcome is not None:
            yield from (
                attrs.evolve(item, outcome=outcome) for item in _titles_from(line, found.end())
            )


# a document a sentence keeps in force by name, the verb after it: 《X》（沪规划资源规〔2020〕15号）
# 继续适用; 2023年9月印发的《X》(…)继续实施，有效期延长至…; 《X》需要继续实施 — with what the
# sentence says of its making before it (2023年11月浦东新区科技和经济委员会印发的)
_CONTINUES = re.compile(  # (经评估继续有效: the review's words between)
    r"\s*(?:经(?:评估|研究|审查|清理)[，,]?)?\s*(?:需要|需|应当|仍)?\s*继续(?:适用|实施|有效|执行|施行)"
    r"|\s*的?有效期延长"
)
_MADE_BEFORE = re.compile(
    rf"(?:(?P<date>{_DAY}|\d{{4}}\s*年\s*\d{{1,2}}\s*月)\s*)?(?P<maker>[\u3400-\u9fff、]{{2,60}}?)?"
    r"(?:印发|发布|制定|公布|出台)的\s*$"
)


def _continued(line: str) -> Iterator[Item]:
    """The documents a sentence keeps in force by name (see _CONTINUES), each with its record
    and the day and maker the sentence gives it."""
    at = line.find("《")
    while at != -1:
        end = _balanced_end(line, at)
        if end == at:
            return
        close = _balanced_end(line, end) if end < len(line) and line[end] in "（(" else end
        titled = line[:at].endswith("关于")  # 关于《X》继续适用的通知: a title's words
        if (
            not titled
            and _CONTINUES.match(line, close)
            and (item := _item(line[at:close], True)) is not None
        ):
            before = re.split(r"[，,。；;：:]", line[:at])[-1]
            made = _MADE_BEFORE.search(before)
            day = re.sub(r"\s", "", made.group("date") or "") if made else ""
            maker = (made.group("maker") or "") if made else ""
            issuer = _makers_named(maker)
            yield attrs.evolve(
                item,
                outcome=Outcome.KEEP,
                published_on=item.published_on or day,
                issuer=item.issuer or issuer,
            )
        at = line.find("《", close)


# a numbered item whose clause its verb leads, the instrument's record between the verb and
# its titles: （二）废止2002年12月31日教育部发布的《X》（教育部令第15号）。, （一）经商…同意，废止
# 1999年8月24日教育部、公安部…联合发布的《A》（…）、《B》（…）。
_VERB_CLAUSE = re.compile(
    rf"(?:^|[，,])\s*(?<![拟不未])(?P<verb>(?:予以|宣布)?废止|(?:予以|宣布)失效)\s*"
    rf"(?:(?P<date>{_DAY})\s*)?(?:(?P<maker>[\u3400-\u9fff、]{{2,80}}?)(?:联合)?"
    r"(?:发布|公布|印发|制定|颁布)的)?\s*(?=《)"
)
_MAKER_NAME = re.compile(rf"[\u3400-\u9fff]{{2,30}}?(?:{_OFFICE}|委|总局|银行)")


def _makers_named(maker: str) -> str:
    """The organs a sentence names as a document's makers (教育部、公安部、国家工商行政管理局), when
    each is an organ's name in full; "" for any other words before 发布的/印发的, and for a level's
    short name (区水务局, 市交通委: which district's, the number's series tells better)."""
    names = maker.split("、") if maker else []
    return (
        maker
        if names and all(_MAKER_NAME.fullmatch(m) and m[0] not in "区市县省镇" for m in names)
        else ""
    )


def _verb_clause(body: str) -> Iterator[Item]:
    """The instruments a numbered item names after its verb (see _VERB_CLAUSE), dated and
    issued as the clause says where their records do not."""
    for found in _VERB_CLAUSE.finditer(body):
        outcome = Outcome.understand(found.group("verb"))
        if outcome is None:
            continue
        day = (found.group("date") or "").replace(" ", "")
        issuer = _makers_named(found.group("maker") or "")
        for item in _titles_from(body, found.end()):
            yield attrs.evolve(
                item,
                outcome=outcome,
                published_on=item.published_on or day,
                issuer=item.issuer or issuer,
            )


def _revision(block: dict[str, Any]) -> Item:
    return Item(
        block["where"],
        block["line"],
        block["title"],
        Outcome.REVISE,
        block.get("number", ""),
        amendment="\n".join(block["text"]),
        lines=(block["first"], block["last"]),
    )


# a day whose year a copy lost (年5月2日), or printed without one: never part of a number
_YEARLESS_DAY = re.compile(r"年?\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# a record in brackets saying how and when a document was made, though its number is spoiled
# (年5月2日农业部令年第3号公布): a title with its record is an item all the same
_RECORD_DETAIL = re.compile(
    r"(?:月\s*\d{1,2}\s*日|令)[^（）()]{0,40}?(?:公布|发布|通过|修订|修正|印发)"
)


def _undated(text: str) -> str:
    return _YEARLESS_DAY.sub(" ", _DATE.sub(" ", text))


def _item(body: str, marked: bool) -> Item | None:
    """An item line's title and details, or None when the line is not an item."""
    match = _MARKED_ITEM.match(body)
    if match is None:
        match = _BARE_ITEM.match(body)
        if match is None:
            return None
        detail = match.group("detail")
        if not (_NUMBER.search(detail) or _RECORD_DETAIL.search(detail)):
            return None
        if not marked:
            return None  # an unnumbered sentence with a number in brackets is not an item
    title = match.group("title").strip()
    detail = match.group("detail") or ""
    issued, _, later = detail.partition("根据")  # 根据…令第84号修改: the orders that amended it
    date = _DATE.search(issued)
    numbers = [m.group(0).replace(" ", "") for m in _NUMBER.finditer(_undated(issued))]
    amended = tuple(m.group(0).replace(" ", "") for m in _NUMBER.finditer(_undated(later)))
    return Item(
        "",
        "",
        title,
        None,
        numbers[0] if numbers else "",
        date.group(0).replace(" ", "") if date else "",
        amended,
    )


# the paragraph under an item that gives its reason: 废止理由：…, 理由：…, 失效原因：…
_REASON_LINE = re.compile(r"^[\u3400-\u9fff]{0,4}(?:理由|原因|依据)\s*[:：]\s*(?P<text>\S.*)$")
# …the day it says the instrument took effect: 该办法于2004年11月8日起施行
_SELF_IN_FORCE = re.compile(
    rf"该[\u3400-\u9fff]{{1,6}}?(?:自|于)\s*(?P<date>{_DAY})\s*起(?:施行|实施|执行|生效)"
)


def _with_reason(item: Item, lines: list[str]) -> Item:
    """The item with the reason the line under it gives (a 解读 or a decision's list: 1.《X》
    (文号…) / 废止理由：一是该办法于2004年11月8日起施行…), and the day that reason says it took
    effect."""
    last = item.lines[1]
    if not last or item.unreadable or last >= len(lines):
        return item
    found = _REASON_LINE.match(lines[last].strip())
    if found is None:
        return item
    reason = found.group("text").strip()
    in_force = _SELF_IN_FORCE.search(reason)
    effective = item.effective_on or (in_force.group("date").replace(" ", "") if in_force else "")
    return attrs.evolve(item, reason=reason, reason_line=last + 1, effective_on=effective)


@attrs.frozen
class Reading:
    """A text as the reader took it: its lines as printed and as read, the decision it is, its
    items (titles in the script they were printed in), and the problems that refuse it."""

    printed: list[str]
    lines: list[str]
    decision: PublishedDecision
    items: list[Item]
    problems: list[Problem]


def reading(path: Path, text: str) -> Reading:
    """Read a decision-like text (see :func:`read_published`), keeping every line and the
    problems found instead of raising them."""
    printed = lines_of(text)
    lines = reading_copy(printed)
    decision: PublishedDecision | None = None
    items: list[Item] = []
    for start, end in _documents(lines):
        read, found = _document(lines[start:end])
        decision = decision or read  # the page's first document is the one it is about
        items += [_moved(item, start) for item in found]
    assert decision is not None
    draft = next((line for line in lines[:15] if _is_draft_line(line)), "")
    if draft and not any(i.outcome for i in items):
        items = []
    problems = (
        []
        if not draft or items
        else [
            Problem(
                "a draft published for comment (草案, 征求意见稿) is not an instrument: nothing is "
                "recorded",
                str(path),
                "title",
                draft,
            )
        ]
    )
    problems += [
        Problem(
            "cannot read this item (expected 《title》（date, number）)",
            f"{path.name}, {i.where}",
            "item",
            i.text,
        )
        for i in items
        if i.unreadable
    ]
    proposed = re.search(
        r"拟(?:予)?(?:保留|继续有效|失效|宣布失效|废止|修改|修订)[^，,。；;\d]{0,8}?\d+\s*[件份]",
        "".join(lines),
    )
    if (
        not items
        and not draft
        and decision.is_result_notice
        and not (decision.title or decision.number or decision.counts or decision.merged)
    ):
        # its annexes' names are all it has of results: no title, number, count or item (a
        # page of a plan, cut from its head, listing the catalogs to come) names no decision
        problems.append(
            Problem(
                "names no decision (no title or number), states no result (继续有效N件) and "
                "lists no instrument: nothing is recorded",
                str(path),
            )
        )
    elif not items and not decision.is_result_notice and not draft and proposed:
        problems.append(
            Problem(
                "states proposed results only (拟保留…件): proposals, not "
                "decisions; nothing is recorded",
                str(path),
                "count",
                proposed.group(0),
            )
        )
    elif not items and not decision.is_result_notice and not draft and decision.annexes:
        problems.append(
            Problem(
                "its annex holds no results (附件："
                + decision.annexes[0]
                + "): a catalog that states no outcome, or another document; not a "
                "decision: nothing is recorded; import a catalog of results "
                "itself to record its documents",
                str(path),
            )
        )
    elif not items and not decision.is_result_notice and not draft:
        problems.append(
            Problem(
                "no catalog table, no list of decided instruments "
                "(一、《…》（…令第N号发布）) and no results stated (继续有效N件, "
                "附件：…目录): nothing is recorded",
                str(path),
            )
        )
    items = [_with_reason(item, lines) for item in items]
    as_printed = dict(zip(lines, printed, strict=True))

    def printed_title(item: Item) -> str:
        # the item's own line, else the line it was read from (a page's 名称: …)
        line = (
            item.text
            if item.text in as_printed
            else next((line for line in lines if item.title and item.title in line), item.text)
        )
        return _printed(item.title, line, as_printed)

    restored = [
        attrs.evolve(i, title=printed_title(i), text=as_printed.get(i.text, i.text)) for i in items
    ]
    title = next(
        (
            _printed(decision.title, line, as_printed)
            for line in lines
            if decision.title and decision.title in line
        ),
        decision.title,
    )
    return Reading(printed, lines, attrs.evolve(decision, title=title), restored, problems)


# a report's sentence that names what a decision revises or repeals without book-title marks,
# the verb leading its clause and the title ending it (修改护士条例，将…; 修改渔业法实施细则等3部
# 行政法规) or an amendment made inside it (在人工影响天气条例中引入…); a title is a name of its
# own ending in an instrument's noun, not 本条例, 有关规定 or 相关办法
_NAMED_BARE = (
    r"(?P<title>(?!本|该|此|有关|相关|上述|其他|其它|下列|以下|原|部分|各|这些|上位|新的)"
    r"[\u3400-\u9fff]{2,40}?(?:实施细则|实施办法|条例|办法|规定|细则|规则))"
)
_BARE_OBJECT = re.compile(
    r"(?:^|[，,。；;：:])\s*(?P<verb>修改|修订|废止|宣布失效)(?![了过的])\s*"
    + _NAMED_BARE
    + r"(?=\s*(?:[，,。；;]|等\s*(?:\d{1,4}|[一二三四五六七八九十]{1,3})\s*[部件项]|$))"
)
_BARE_AMENDED = re.compile(
    r"在\s*" + _NAMED_BARE + r"\s*中\s*(?:引入|增加|增设|增写|删去|删除|修改)"
)


def _bare_objects(lines: list[str]) -> Iterator[Item]:
    """What a report of a decision names as revised or repealed without 《》 (see
    _BARE_OBJECT), each title once, with the kind its clause counts (等3部行政法规)."""
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        found: list[tuple[int, str, Outcome]] = []
        for match in _BARE_OBJECT.finditer(line):
            outcome = Outcome.understand(match.group("verb"))
            if outcome is not None:
                found.append((match.start("title"), match.group("title"), outcome))
        for match in _BARE_AMENDED.finditer(line):
            found.append((match.start("title"), match.group("title"), Outcome.REVISE))
        for _, title, outcome in sorted(found):
            if title in seen:
                continue
            seen.add(title)
            yield Item(
                f"item {len(seen)} (line {number})",
                line,
                title,
                outcome,
                kind=_kind_named(line[line.find(title) + len(title) :][:20]),
                note="named without book-title marks in a report of the decision",
                lines=(number, number),
            )


def _enacts(title: str, lines: list[str]) -> bool:
    """A decision that enacts provisions of its own (关于加强本市基础通信管线管理的决定:
    特作如下决定：一、本市对…实行…), not one that decides on documents: its title names no outcome
    and no document, and it says it takes effect (本决定自…起施行). Its numbered sections are
    provisions; one naming another text (《X》等…与本决定不一致的，按照本决定执行) cites it."""
    core = title.partition("关于")[2] or title
    return (
        title.endswith("决定")
        and not _BOOK.search(core)
        and Outcome.understand(core) is None
        and not re.search(r"清理|目录|结果|继续有效|有效期", core)
        and any(re.search(r"本决定自.{0,30}(?:施行|实施|生效)", line) for line in lines)
    )


def _document(lines: list[str]) -> tuple[PublishedDecision, list[Item]]:
    """The decision or page one document's lines hold, and its items."""
    decision = read_decision(lines)
    items = list(read_items(lines))
    decides = any(
        _heading_outcome(_marker(line)[1], _marker(line)[0] is not None) for line in lines
    ) or bool(decision.title and not _enacts(decision.title, lines))
    if items and all(i.unreadable for i in items) and not decides:
        items = []  # 一、《规定》适用的范围: a document's own sections, not a decision's items
    if (
        len(items) == 1
        and items[0].outcome is None
        and not decides
        and not decision.counts
        and items[0].text.strip().startswith("《")
    ):
        items = []  # 《X的通知》 alone: a page's title in book-title marks, not a list of one
    if not items and decision.title and decision.counts:  # a report naming them bare
        items = list(_bare_objects(lines))
    items = items or read_promulgation(lines, decision)
    if not items:
        # the page of one document, and what it says it replaces (《X》（…号）同时废止)
        items = read_document_page(lines, decision)
        items += _replaced(lines, items[0].title) if items else []
    if decision.is_result_notice and items and not any(i.outcome for i in items):
        items = []  # 1、《河南省行政规范性文件管理办法》: documents it cites, not decides
    return decision, [_recorded_under_title(item, lines) for item in items]


# what a document issuing its successor says of the one it replaces: 《X》（沪建建材〔2016〕601号）
# 同时废止, 区水务局印发的《X》(沪奉水务〔2023〕77号)同时废止, 2020年7月1日起，《X》（…号）废止;
# one named without its number is not recorded, and explain's _in_passing says so
_REPLACED = re.compile(
    r"《(?P<title>[^《》]*(?:《[^《》]*》[^《》]*)*)》\s*[（(](?P<number>[^（）()]{4,30}?号)[）)]"
    r"\s*(?:同时|一并|即行|相应)?(?P<verb>废止|宣布失效|停止执行)(?![^，,。；;]{0,6}(?:前|后|的))"
)


def _replaced(lines: list[str], own: str) -> list[Item]:
    """The documents a document says it replaces, by title and number (《X》（…号）同时废止): each
    repealed (or declared invalid) by it, as a decision it makes besides issuing itself; its own
    title, or a number that is no document number, is none. Its maker is the one the sentence
    names (区水务局印发的《X》), else the import's: its title's organ or its number's series."""
    found: list[Item] = []
    for at, line in enumerate(lines, start=1):
        for match in _REPLACED.finditer(line):
            made = _MADE_BEFORE.search(re.split(r"[，,。；;：:]", line[: match.start()])[-1])
            title = fold_book_marks(match.group("title")).strip()
            number = match.group("number").replace(" ", "")
            parsed = DocNumber.try_parse(number)
            if title == own or parsed is None:
                continue
            if any(item.title == title for item in found):
                continue
            found.append(
                Item(
                    f"a document it replaces (line {at})",
                    line,
                    title,
                    Outcome.understand(match.group("verb")),
                    number,
                    "",
                    # by its own title and number, not by the words of the line around it
                    kind=infer_kind(parsed, "", title),
                    issuer=_makers_named((made.group("maker") or "") if made else ""),
                    note=REPLACED,
                    lines=(at, at),
                )
            )
    return found


def _recorded_under_title(item: Item, lines: list[str]) -> Item:
    """An item the text prints again in full (a revision decision's annex: 修改后的《X》), its
    title on a line of its own and its line of record under it (2005年11月17日沪公发〔2005〕423号
    文发布，根据…修改): the record gives the number and day it was issued, where the item's own
    line gives neither."""
    if item.doc_number or item.published_on or not item.title:
        return item
    key = fold_book_marks(item.title).replace(" ", "")
    for at, line in enumerate(lines[:-1]):
        if fold_book_marks(line.strip()).replace(" ", "") != key:
            continue
        following = next((text.strip() for text in lines[at + 1 : at + 3] if text.strip()), "")
        record = _RECORD_LEAD.match(_unbracket(following))
        if record is None:
            continue
        number = _NUMBER.search(re.sub(r"^(?:以|经|由)", "", record.group("rest").replace(" ", "")))
        day = _day(record.group("date").replace(" ", ""))
        if number is not None and day is not None:
            return attrs.evolve(item, doc_number=number.group(0), published_on=day.isoformat())
    return item


# a line of record's lead, whatever follows it (…号文发布，根据《…》修改后重新发布)
_RECORD_LEAD = re.compile(
    rf"^(?P<date>{_DAY})\s*(?P<rest>[^，,。；;]{{0,40}}?)\s*(?:发布|公布|印发)"
)


# a law database's link under each document it prints (下载地址: 点击此处下载)
_DOCUMENT_END = re.compile(r"^下载地址\s*[:：]")


def _documents(lines: list[str]) -> list[tuple[int, int]]:
    """The spans of the documents a page prints one after another: a law database ends each
    with its download link, so a page whose link comes again after a document's text holds a
    second document after it (the page's own heading stays with the first)."""
    ends = [at for at, line in enumerate(lines) if _DOCUMENT_END.match(line.strip())]
    if len(ends) < 2:
        return [(0, len(lines))]
    spans = [(0, ends[1])]
    spans += [(a + 1, b) for a, b in zip(ends[1:], [*ends[2:], len(lines)], strict=True)]
    spans = [(a, b) for a, b in spans if b - a >= 2]
    return spans or [(0, len(lines))]


def _moved(item: Item, by: int) -> Item:
    """An item read from a page's later document, its line numbers those of the page."""
    if not by:
        return item
    where = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + by}", item.where)
    first, last = item.lines
    return attrs.evolve(item, where=where, lines=(first + by, last + by) if first else item.lines)


def read_published(path: Path, text: str) -> tuple[PublishedDecision, list[Item]]:
    """The decision a text holds and its items; ValidationError naming the file when it holds
    neither items nor results, or naming each numbered line that names a document and cannot be
    read. A result notice that states its results as counts and annexes, without listing them,
    is read as the decision document with no item (the import says what is missing). Lines are
    read in simplified characters; titles keep the script they were printed in."""
    read = reading(path, text)
    if read.problems:
        raise ValidationError(read.problems)
    return read.decision, read.items


def _printed(part: str, line: str, as_printed: dict[str, str]) -> str:
    """``part`` of a line as read, in the script the line was printed in."""
    original = as_printed.get(line, "")
    at = line.find(part) if part else -1
    return original[at : at + len(part)] if at >= 0 and original else part


def issuer_in_title(title: str) -> str:
    """The issuer a title names before 关于 (花垣县人民政府办公室关于印发…的通知, 国务院批转关于…),
    or ""."""
    simplified = to_simplified(title)
    # 公安部对部分刀具实行管制的暂行规定: the organ before 对 names it as well (对外贸易…部关于:
    # 关于 first)
    for word in ("关于", "对"):
        # (甲局<关于…的意见>, 甲局《关于…》: the organ before the marks of its own title)
        head = simplified.partition(word)[0].strip().rstrip("《〈<＜ ")
        # 国务院批转关于…的处理办法, 国务院办公厅转发国家地震局关于…: who relays it issues it
        head = re.split(r"批转|转发|印发|颁发", head, maxsplit=1)[0]
        issuers = head.split("、")  # 最高人民法院、最高人民检察院关于…: issued jointly
        if head and all(re.fullmatch(_SIGNER, part) for part in issuers):
            return head
    return ""


def _order_issuer(number: str) -> str:
    """Who issued an order or a 公告, from its number: 鞍山市人民政府令第16号 -> 鞍山市人民政府;
    四川省第十一届人民代表大会常务委员会公告第28号 -> 四川省人民代表大会常务委员会."""
    number = re.sub(r"^中华人民共和国(?=国务院)", "", number.replace(" ", ""))
    found = re.match(rf"^(?P<organ>{_ORGAN})(?:令|公告)", number)
    if found:
        return _session_free(found.group("organ"))
    # a national department's order, alone or joint: 公安部令, 食品药品监管局、海关总署令
    parsed = DocNumber.try_parse(number)
    if parsed is not None and parsed.is_order and parsed.issuer.endswith("令"):
        organs = parsed.issuer.removesuffix("令").split("、")
        if all(
            re.fullmatch(r"[\u3400-\u9fff]{1,20}(?:部|委员会|委|总局|局|署|行|院|会)", o)
            for o in organs
        ):
            return "、".join(organs)
    return ""


def _promulgated_kind(issuer: str, number: str) -> Kind | None:
    """The rank of what an order or a 公告 promulgates, by who issued it (the ranking of
    :func:`regclean.fields.ranked_kind`); any other organ's order promulgates a 部门规章."""
    lawmaker = issuer.startswith("国务院") or re.search(r"人民代表大会|人大", issuer)
    ranked = ranked_kind(Kind.REGULATION if lawmaker else Kind.RULE, issuer)
    if ranked not in (Kind.REGULATION, Kind.RULE):
        return ranked
    return Kind.DEPARTMENT_RULE if "令" in number else None


def read_promulgation(lines: list[str], page: PublishedDecision) -> list[Item]:
    """The one rule a promulgation page (政府令, 人大常委会公告) issues: 《X》已经…通过，现予公布，
    自…起施行 (or 业经…通过，现予发布实施), under the page's number and date, issued by the
    order's issuer; [] when the page is not one (a decision's own preamble promulgates the
    decision, whose items are listed)."""
    for number, line in enumerate(lines[:40], start=1):
        found = _PROMULGATED.match(line)
        if found is None or found.group("title").endswith("决定"):
            continue
        title = found.group("title")
        carrier = re.compile(rf"关于(?:印发|发布|颁发|颁布|公布)《{re.escape(title)}》的通知")
        if any(carrier.search(earlier) for earlier in lines[: number - 1]):
            return []  # the page is the notice that carries the rule (…关于印发《X》的通知)
        if re.search(r"[A-Za-z?？]", title):  # a mirror garbled it: the page's own heading
            title = next(
                (
                    t.strip()
                    for t in lines
                    if t.strip().startswith(title[:4])
                    and t.strip().endswith(title[-1])
                    and len(t.strip()) <= len(title)
                    and not re.search(r"[A-Za-z?？《]", t)
                ),
                title,
            )
            title = _restored(title, lines)
        issuer = _order_issuer(page.number) or page.issuer
        kind = _promulgated_kind(issuer, page.number)
        return [
            Item(
                f"the page (line {number})",
                line,
                title,
                None,
                page.number,
                page.dated.isoformat() if page.dated else "",
                effective_on=page.effective.isoformat() if page.effective else "",
                issuer=issuer,
                kind=kind,
                lines=(number, number),
            )
        ]
    return []


# a character a mirror replaced by "?" and a romanisation (管理?xiàng)l例 for 管理條例)
_GARBLED = re.compile(
    r"^(?P<head>[^?？]*?)[?？][a-zA-Zà-üÀ-Üāáǎēéěīíǐōóǒūúǔǖǘǚǜ()（）]+(?P<tail>[\u3400-\u9fff]{1,3})$"
)


def _restored(title: str, lines: list[str]) -> str:
    """A title whose character before its last word a mirror garbled, restored from the text's
    own name for itself (本條例 gives 條 before 例); the title as it was when the text gives
    none."""
    found = _GARBLED.match(title)
    if found is None:
        return title
    tail = found.group("tail")
    named = next(
        (
            m
            for line in lines
            if (m := re.search(rf"本(?P<c>[\u3400-\u9fff]){re.escape(tail)}", line))
        ),
        None,
    )
    return found.group("head") + named.group("c") + tail if named else title


# a notice's salutation: the organs it is addressed to, on a line ending with a colon (各省…:,
# ××省民政局:, 市直各单位:)
_SALUTATION = re.compile(
    r"^(?:各[^：:。]{1,80}|[^：:。，,\s]{0,60}?(?:人民政府|政府|厅|局|委|办|部门|单位|机构|管委会))[：:]$"
)


# a commentary's sentence on the document it explains: 2016年4月27日，最高人民法院发布《关于…的
# 规定》（法释[2016]11号，以下简称《规定》），并于5月1日起施行
_EXPLAINED_ISSUED = re.compile(
    rf"(?P<date>{_DAY})\s*[,，]\s*(?P<issuer>[^，,。《》]{{2,80}}?)(?:联合)?(?:发布|公布|印发)了?\s*"
    r"《(?P<title>[^《》]{2,100})》\s*(?:[（(](?P<number>[^，,（）()]{4,30}?号))?"
)
_IN_FORCE_FROM = re.compile(
    r"(?:自|于)\s*(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*"
    r"起(?:施行|生效|实施)"
)
# a page's own line marking the document's status apart from its title: (原规定已失效,被2014年新
# 的规定代替), 【已废止】
_STATUS_LINE = re.compile(
    r"^[（(【\[]?[^（）()【】\[\]]{0,12}?(?P<status>已失效|已废止|失效|废止|代替)"
    r"[^（）()【】\[\]]{0,30}[）)】\]]?$"
)


def _explained_document(lines: list[str], page: PublishedDecision) -> list[Item]:
    """The one document a commentary or 解读 explains (its heading names it in full), with the
    day, number and maker its opening sentence gives, the day it says it took effect, and a
    status the page marks it with on a line of its own; [] when no sentence dates it."""
    for number, line in enumerate(lines[:40], start=1):
        said = _EXPLAINED_ISSUED.search(line)
        if said is None or not re.sub(r"[《》]", "", page.title).endswith(said.group("title")):
            continue
        day = _day(said.group("date").replace(" ", ""))
        effective = ""
        found = _IN_FORCE_FROM.search(line, said.end())
        if found and day is not None:
            year = found.group("y") or str(day.year)
            effective = f"{year}-{int(found.group('m')):02d}-{int(found.group('d')):02d}"
        cited = (said.group("number") or "").replace(" ", "")
        marked = next((text for text in lines[:12] if _STATUS_LINE.match(text.strip())), "")
        status = _STATUS_LINE.match(marked.strip()).group("status") if marked else ""
        if "代替" in marked:
            status = "已被代替"  # 已失效，被2014年新的规定代替: replaced, which says more
        return [
            Item(
                f"the page (line {number})",
                line,
                page.title,
                None,
                cited if DocNumber.try_parse(cited) else "",
                day.isoformat() if day else "",
                effective_on=effective,
                issuer=said.group("issuer").strip() or issuer_in_title(page.title),
                lines=(number, number),
                status=status,
            )
        ]
    return []


# a salutation to the organs below at large: 各省、自治区、直辖市…：, 各地国家税务局… (not one
# named organ, 甲省民政局：)
_AT_LARGE = re.compile(r"^各(?:省|地|市|县|区|级|有关)[^：:。]{0,80}[：:]$")
# a page's sentence that reports the document rather than print it: the day, the organ, to whom
# (向各电影制片单位: to all of a kind, as a salutation would address them), and the title
_REPORTED = re.compile(
    rf"^(?P<date>{_DAY})\s*[,，]\s*(?P<organ>[^，,。《》]{{2,40}}?)(?:向(?P<to>[^，,。《》]{{2,40}}?))?"
    r"(?:发出|印发|下发|发布|公布)了?《(?P<title>[^《》]{2,100})》"
)


def _same_title(a: str, b: str) -> bool:
    return fold_brackets(fold(a)) == fold_brackets(fold(b))


# a decision on administrative items rather than documents: …行政许可项目的决定, …等事项的决定
_ON_ITEMS = re.compile(r"(?:项目|事项|收费|许可|权力)(?:等事项)?的决定$")


def read_document_page(lines: list[str], page: PublishedDecision) -> list[Item]:
    """The one document a page publishes (a 规范性文件 on a government's 信息公开 page, a law
    database's page of a notice or a 条例: metadata such as 名称, 文号, 发布机关, 成文日期,
    实施日期, 失效日期; its title, perhaps printed several times; the text; the signature and
    the date): the page's 名称 when it gives one, else the last complete title printed before
    the document's body begins (a site's own heading comes first, a title cut short is no
    title). Without a number, the page must date the document (its metadata, its signature,
    the date under it, or its adoption). [] when it is not such a page."""
    # a decision on a matter, not on instruments (关于出版…公报的决定), is itself the one
    # document; one whose title speaks of a cleanup and that lists nothing decides in an annex
    matter = page.title.endswith("决定") and (
        (not _CLEANUP_WORDS.search(page.title) and not page.annexes and page.adopted is not None)
        # on items, not documents (…取消和下放一批行政审批项目等事项的决定): its annexes
        # catalog approval items, fees or permits, and it is itself the one document
        or bool(_ON_ITEMS.search(page.title))
    )
    if page.explained and not _CLEANUP_WORDS.search(page.title):
        return _explained_document(lines, page)
    if page.is_result_notice or (page.title and not page.page.get("title") and not matter):
        return []
    values = page.page

    def day(field: str) -> str:
        found = _day(values.get(field, "").split()[0]) if values.get(field, "").split() else None
        return found.isoformat() if found else ""

    own_date = page.signed or page.dated or page.adopted  # under the text, or its adoption
    # only a date the page says it was issued; a posting stamp to the minute (发布时间:2023-10-12
    # 07:32) is the site's, when the text dates itself (its 公告's signature)
    stamped_post = re.search(r"\d{1,2}:\d{2}", values.get("posted", ""))
    published = day("published") or ("" if stamped_post and own_date else day("posted"))
    if not published and not own_date:
        # 时间:2018-11-22 on a page that dates the document nowhere else; a time to the minute
        # (时间:2024-07-22 14:39:19) is a web system's stamp of when a site posted its copy, as
        # no document is dated to the minute
        stamped = re.search(r"\d{1,2}:\d{2}", values.get("time", ""))
        published = "" if stamped else day("time")
    signed = day("signed") or (own_date.isoformat() if own_date else "")
    if published and signed and not day("published") and _years_apart(signed, published):
        published = ""  # posted decades later (gov.cn's 2018 pages of 1996 notices): the page's
    # a text of its articles under its title is that document, dated or not
    articles = any(
        re.match(r"^第[一1]\s*条", line.strip())
        or re.search(r"第[一1]章\s*总\s*则\s*第[一1]\s*条", line)  # a rule run into one line
        for line in lines[:80]
    )
    # a document that names its makers in its title and addresses organs (各省…：), though the
    # page gives it neither number nor date: a joint notice copied without its head
    heads = [*lines[:40], *(a.strip() + b.strip() for a, b in itertools.pairwise(lines[:41]))]
    addressed = (
        any(  # a title on a line, or over two
            issuer_in_title(line.strip()) and _TITLED.search(line.strip()) for line in heads
        )
        and any(
            _SALUTATION.match(line.strip()) or re.search(r"[特现]通告如下|特此通告", line)
            for line in lines[:60]
        )
    )  # a 通告 addresses the public: 特通告如下
    # a text that opens by saying an organ issued a document (政务院…发出《关于…的指示》)
    organ_said = any(_ORGAN_ISSUED.match(line.strip()) for line in lines[:10])
    # a text in sections (一、(一) 1.) under its title and its maker's line, as law databases
    # print a document they give no number or date
    makers = "" if page.issuer else _makers(lines)
    sectioned = any(re.match(r"^(?:一、|第一章)", line.strip()) for line in lines[:80]) and bool(
        page.issuer
        or makers
        or any(  # or a title that names its maker: 国务院办公厅关于…的通知
            (found := _title_at(lines, i, len(lines))) and issuer_in_title(found[1])
            for i in range(min(len(lines), 10))
        )
    )
    # a law database's layout: the title printed on either side of its maker's line (title /
    # 最高人民检察院 / title), the document identified by its maker though no number or date
    database = any(
        lines[i - 1].strip() == lines[i + 1].strip()
        and _SIGNER.fullmatch(lines[i].strip())
        and _title_at(lines, i - 1, len(lines))
        for i in range(1, min(len(lines) - 1, 40))
    )
    identified = page.number or published or signed
    if not (identified or articles or addressed or organ_said or sectioned or database):
        return []
    named = values.get("title", "")
    where = 1
    number = page.number
    if not named:
        body = next(
            (i for i, line in enumerate(lines[:60]) if _BODY.match(line.strip())),
            min(len(lines), 40),
        )
        candidates, skip = [], -1
        for i in range(body):
            found = _title_at(lines, i, body) if i > skip else None
            if found:
                candidates.append(found[:3])
                skip = i + found[3]  # the rest of a title broken over lines
        said = _said_issued(lines) if not candidates else None
        if said is not None:
            # no title line: an opening sentence says who issued 《X》 and when (a wiki's
            # 2023年12月，甲、乙发布《X》), or the notice the page holds issues 《X》 (现将《X》印发)
            where, named, by, when = said
            candidates = [(where, named, "")]
            if when and not (published or signed):
                published = when
            page = attrs.evolve(page, issuer=page.issuer or by)
        if not candidates:
            # a quoted document after words of the page's own (a forum's post: 先看…的例文。
            # 甲市人民政府关于…的通告): the first full title naming its issuer, further down
            quoted = next(
                (
                    found
                    for i in range(body, min(len(lines), 40))
                    if (found := _title_at(lines, i, len(lines)))
                    and issuer_in_title(found[1])
                    and _TITLED.search(found[1])
                ),
                None,
            )
            candidates = [quoted[:3]] if quoted else []
        if not candidates:
            return []
        where, named, cited = candidates[-1]
        fuller = next(  # 关于… printed last, its maker in front of an earlier printing of it
            (
                found
                for found in candidates[:-1]
                if named.startswith("关于")
                and found[1].endswith(named)
                and issuer_in_title(found[1])
            ),
            None,
        )
        if fuller is not None:
            where, named, cited = fuller[0], fuller[1], fuller[2] or cited
        # the notice printed before the rules it issues is the document, not those rules
        # (…关于印发甲实施细则的通知 …, then 甲实施细则 over the articles): the fullest such title
        carriers = [
            found
            for found in candidates[:-1]
            if re.search(r"(?:印发|转发|发布|颁发)", found[1])
            and re.sub(r"[《》]", "", named) in re.sub(r"[《》]", "", found[1])
            and found[1] != named
        ]
        if carriers:
            where, named, cited = max(carriers, key=lambda found: len(found[1]))
        where += 1
        if cited and not number:
            number = cited  # …的通知(岳办发〔2017〕2号): the number the title carries
    title = re.sub(r"[（(]\d{4}年(?:修正|修订|修改)(?:本)?[）)]$", "", named.strip())
    title = _restored(title, lines)  # 治理?xiàng)l例: the character a mirror garbled
    # the organ a title names before 关于 issued it (the page may print it with its province,
    # 河南省濮阳市人民政府办公室, or print another document's issuer after it)
    issuer = issuer_in_title(title) or page.issuer or _issuer_between(lines, named) or makers
    if issuer and page.issuer != issuer and _fuller_name(issuer, page.issuer):
        # the same organ named in full by its signature or page (上海市黄浦区…办公室 for the
        # title's 黄浦区…办公室, 上海市发展和改革委员会 for 上海市发展改革委)
        issuer = page.issuer
    level = title.partition("关于")[0].strip()
    if not issuer and "关于" in title and _SELF_NAMED.fullmatch(level):
        issuer = level  # 省人民政府关于…, copied without its province: the level is all it says
    kind = None
    reported = next(  # 2003年11月26日，广电总局电影局向各电影制片单位发出《X》: a report of it
        (
            found
            for line in lines[:30]
            if (found := _REPORTED.match(line.strip())) and _same_title(found.group("title"), title)
        ),
        None,
    )
    said_day = _day(reported.group("date").replace(" ", "")) if reported is not None else None
    if said_day is not None and not (published or signed):
        published = said_day.isoformat()
    ministry = next((m for line in lines[:40] if (m := _MINISTRY_SESSION.search(line))), None)
    if not issuer and ministry:
        issuer = ministry.group("organ")  # 经人力资源和社会保障部第6次部务会议通过
    if page.adopted and re.search(r"人民代表大会|人大常委会", issuer):
        # adopted by a people's congress or its standing committee: the national one makes laws
        national = issuer.startswith(("全国人民代表大会", "全国人大"))
        kind = Kind.LAW if national else Kind.LOCAL_REGULATION
    elif page.adopted and ministry and not _TITLED.search(title):
        kind = Kind.DEPARTMENT_RULE  # adopted at a national department's 部务会议: its rule
    elif page.approver == "国务院" and not _TITLED.search(title):
        # approved by the State Council for issue (a ministry's order may issue it): its
        # regulation (上海航运交易所管理规定: 经国务院批准, 交通部令第8号发布)
        kind = Kind.ADMIN_REGULATION
    elif number and _order_issuer(number) and not re.search(r"通知|通告|决定|意见$", title):
        kind = _promulgated_kind(issuer, number)  # a rule an order promulgates, by its rank
    elif (
        not number
        and issuer
        and (
            any(_AT_LARGE.match(line.strip()) for line in lines[:60])
            or (reported is not None and (reported.group("to") or "").startswith("各"))
        )
    ):
        # unnumbered, but addressed to the organs below at large (各省、自治区、直辖市…：):
        # what a numbered document of its maker would be
        kind = infer_kind(None, issuer, title, addressed=True)
    issuer = issuer or page.approver
    if kind is None and not number and re.sub(r"[（(][^（）()]*[）)]$", "", title).endswith("条例"):
        # a 条例 is a regulation, never a rule (规章制定程序条例 art. 6): one made by a local
        # people's congress, or whose text speaks of its own locality (本市, 本省), is that
        # locality's; one with no locality of its own and no local congress named, the State
        # Council's
        congress = r"(?:省|市|自治区|自治州|自治县|县)[^，,。]{0,12}?(?:人民代表大会|人大)"
        local = re.search(r"人民代表大会|人大", issuer) and not issuer.startswith("全国")
        if local or any(
            re.search(r"本(?:省|市|自治区|自治州|自治县|县)", line) for line in lines[:80]
        ):
            kind = Kind.LOCAL_REGULATION
        elif title.startswith("中华人民共和国") or not re.search(congress, "".join(lines[:40])):
            kind = Kind.ADMIN_REGULATION
    return [
        Item(
            f"the page (line {where})",
            named,
            title,
            None,
            number,
            published,
            effective_on=page.effective.isoformat() if page.effective else "",
            signed_on=signed,
            expires_on=page.expires.isoformat() if page.expires else "",
            issuer=issuer,
            kind=kind,
            lines=(where, where),
            registration_no=page.page.get("registration", "").split()[0]
            if page.page.get("registration", "").split()
            else "",
            status=_page_status(page.page.get("status", "")),
        )
    ]


def _page_status(value: str) -> str:
    """The status a page's label gives its document (有效性: 失效, 状态: 有效), when it is one
    regclean knows; "" for anything else a label of that name may hold (效力级别: 地方性法规)."""
    word = value.split()[0] if value.split() else ""
    try:
        Status.parse(word)
    except ValueError:
        return ""
    return word


def _years_apart(signed: str, posted: str) -> bool:
    """True when a page's 发布日期 is more than a year after the document's 成文日期: the day the
    page went up, not the day the document was issued."""
    try:
        return (dt.date.fromisoformat(posted) - dt.date.fromisoformat(signed)).days > 366
    except ValueError:
        return False


def _issuer_between(lines: list[str], title: str) -> str:
    """The issuer a law database prints on its own line between two printings of the title
    (中国纺织工会 between …的决议 and …的决议); one that says who approved it (市政府批准市市政
    管委) names the organ approved, with the approver's place (北京市市政管委)."""
    for at in range(1, len(lines) - 1):
        line = lines[at].strip()
        if lines[at - 1].strip() != title or lines[at + 1].strip() != title or len(line) > 30:
            continue
        if not re.fullmatch(r"[\u3400-\u9fff、]{2,30}", line) or DocNumber.try_parse(line):
            continue
        approved = re.match(
            r"^(?P<approver>[\u3400-\u9fff]{2,12}?)批准(?P<organ>[\u3400-\u9fff]{2,20})$", line
        )
        if approved:
            organ = approved.group("organ")
            place = re.match(r"^[\u3400-\u9fff]{2,8}?[省市县区州盟]", approved.group("approver"))
            if place and organ[0] == place.group(0)[-1]:
                organ = place.group(0) + organ[1:]  # 北京市政府批准市市政管委: 北京市市政管委
            return organ
        return _without_province(line)
    return ""


# a circular's title that issues a report, ending on its mark (中共甲省委办公厅秘书处印发《关于…的
# 检查报告》): a report issued is a document, a report alone is not
_ISSUING_TITLE = re.compile(
    r"^(?P<title>[^\s:：,，。《]{2,60}?(?:印发|转发|批转)《关于[^《》]{2,100}》)$"
)
# a gazette's issue printed after a title: (2002年1号), (1993年第2号), (2005年第12期); or a
# law database's edition of it: (2019修订), (2004年修正), (2010年修改本)
_ISSUE_TAG = re.compile(
    r"(?:19|20)\d{2}\s*年\s*第?\s*\d{1,3}\s*[号期]|(?:19|20)\d{2}\s*年?\s*(?:修订|修正|修改)本?"
)
# one of the makers a law database lists on a line of their own (教育部 劳动人事部 国家计委)
_MAKER = re.compile(rf"[\u3400-\u9fff]{{2,20}}?(?:{_OFFICE}|委)")


def _without_issue(title: str) -> str:
    """A title without the gazette issue printed after it (…的通知(2002年1号))."""
    carried = re.match(r"^(?P<title>.+?)\s*[（(](?P<issue>[^（）()]{4,12})[）)]$", title)
    return (
        carried.group("title")
        if carried and _ISSUE_TAG.fullmatch(carried.group("issue"))
        else title
    )


def _makers(lines: list[str]) -> str:
    """The makers a law database prints on the line under a printing of the title, separated
    by spaces or 、 (教育部 劳动人事部 财政部 国家计委), joined with 、; where the site cut the list
    short (…财政部 等), a complete printing of it further down is preferred."""
    found = ""
    for at in range(1, min(len(lines), 40)):
        if _title_at(lines, at - 1, len(lines)) is None:
            continue
        parts = re.split(r"[\s、]+", lines[at].strip())
        cut = parts[-1] == "等"
        parts = parts[:-1] if cut else parts
        if len(parts) < 2 or not all(_MAKER.fullmatch(part) for part in parts):
            continue
        if not cut:
            return "、".join(parts)
        found = found or "、".join(parts)
    return found


# the words a title's rest may open with when it goes down a line, which no title opens with
_GOES_ON = re.compile(r"^(?:和|及|与|暨|的)(?=[\u3400-\u9fff])")


def _title_at(lines: list[str], index: int, body: int) -> tuple[int, str, str, int] | None:
    """The document title line ``index`` holds, as (index, title, the number printed after it,
    how many lines after it the title goes on over), or None: a title may be wrapped in 《》,
    carry its number in brackets after it (…的通知(岳办发〔2017〕2号)), or be broken over two or
    three lines (…关于加强普通高等学校 / 毕业生就业工作的通知; …关于印发广东省 / 进一步… / 实行方案
    的通知); a number alone is no title."""
    line = lines[index].strip()
    if DocNumber.try_parse(line) or _GOES_ON.match(line):
        return None  # a number, or the rest of a line above (和优秀历史建筑保护条例), is no title
    # a file-sharing site heads its page with the file's name (…管理办法.docx): the title
    line = re.sub(r"\.(?:docx?|wps|pdf)$", "", line, flags=re.I)
    # an essay-sharing site's decoration of a title: the year in brackets before it, once or
    # twice ((2013)(2013)国务院关于…), its copies counted after it (…的决定(通用3篇), …的决定 篇1)
    line = re.sub(r"^(?:[（(](?:19|20)\d{2}[）)])+\s*", "", line)
    line = _YEAR_TAG.sub("", line)  # …or bare before an organ's title (2018年农业部关于…)
    line = re.sub(r"\s*(?:[（(]通用\d{1,2}篇[）)]|篇\s*\d{1,2})$", "", line)
    # a site's tag of place or column before the title (北京:关于印发…的通知, 【通知】关于…)
    tag = re.match(
        r"^(?:(?P<word>[\u3400-\u9fff]{2,6})[:：]|[\u3400-\u9fff]{2,8}[丨|｜]|【[^】]{1,8}】)\s*(?=\S*关于)",
        line,
    )
    if tag and not (
        tag.group("word") and (tag.group("word").startswith("附") or label_field(tag.group("word")))
    ):
        line = line[tag.end() :]  # (附件: and a page's own labels are no tag)
    cited = ""
    carried = re.match(r"^(?P<title>.+?)\s*[（(](?P<number>[^（）()]{4,30})[）)]$", line)
    if carried and DocNumber.try_parse(carried.group("number")):
        line, cited = carried.group("title"), carried.group("number")
    else:
        line = _without_issue(line)  # …的通知(2002年1号): the gazette's issue that printed it
    # a heading that puts the number before the title with a mark between (海关总署公告2023年
    # 第5号丨关于…的公告, 京政办发〔2016〕26号《…》 is read elsewhere)
    led = re.match(r"^(?P<number>\S{4,30}?号)\s*[丨|｜:：—–－]\s*(?P<title>\S.+)$", line)
    if led and DocNumber.try_parse(led.group("number")):
        line, cited = led.group("title"), led.group("number")
    issued_in = re.search(r"(?:印发|发布|公布|出台)了?(?:修订后的|修改后的|新修订的)?《", line)
    if (
        issued_in
        and "关于" not in line[: issued_in.start()]
        and not re.search(r"》\s*(?:的(?:通知|决定|公告|通告|批复))?$", line)
    ):
        return None  # 最高检印发修订后的《X》 涉…: a headline's sentence, not a title (…印发《X》
        # ending on its mark, a circular of the 1950s, is one)
    if re.fullmatch(r"《[^《》]+(?:[〈<][^〈〉<>]*[〉>][^《》]*)*》", line):
        line = line[1:-1]  # 《北京市人民政府办公厅关于印发〈…〉的通知》
    found = _DOCUMENT_TITLE.match(line) or _ISSUING_TITLE.match(line)
    if (
        found is None
        and " " in line
        and not re.search(r"[。，,:：；;]", line)
        and not any(DocNumber.try_parse(piece) for piece in line.split())
    ):
        # 封丘县人民政府办公室 关于…工作的 通 知: spaced out; two makers a space apart (最高人民法院
        # 最高人民检察院 关于…) are two
        line = re.sub(
            rf"({_OFFICE})\s+(?=(?!关于)[\u3400-\u9fff]{{2,30}}?(?:{_OFFICE})(?:\s|关于))",
            r"\1、",
            line,
        )
        line = re.sub(r"\s+", "", line)
        found = _DOCUMENT_TITLE.match(line)
        if found and not re.fullmatch(r"[\u3400-\u9fff、]*", line.partition("关于")[0]):
            found = None  # words and figures before 关于 (a gazette's masthead run on): no maker
    joined = 0
    following = lines[index + 1].strip() if index + 1 < body else ""
    if found and re.fullmatch(r"的(?:通知|通告|决定|意见|公告|批复)", following):
        found = None  # …措施 / 的通告: a title whose last words went down a line
    # broken after 关于…, or anywhere (after the issuer alone on its line, 内蒙古自治区人民政府 /
    # 关于印发…, or inside the organ's name, …人民代表大会 / 常务委员会…办法) where the page
    # prints that whole title elsewhere too (else a line above the title is a law database's
    # issuer line, above the title as the document prints it)
    # (or where the next line opens with words that only go on from a line above: 上海市历史文化风貌区
    # / 和优秀历史建筑保护条例)
    if (
        found is None
        and following
        and (
            "关于" in line
            or _GOES_ON.match(following)
            or any(other.strip().endswith(line + following) for other in lines)
        )
    ):
        found = _DOCUMENT_TITLE.match(_without_issue(line + following))
        joined = 1 if found is not None else 0
    third = lines[index + 2].strip() if index + 2 < body else ""
    if (
        found is None
        and following
        and third
        and "关于" in line
        and not _DOCUMENT_TITLE.match(following)
    ):
        found = _DOCUMENT_TITLE.match(_without_issue(line + following + third))  # over three lines
        joined = 2 if found is not None else 0
    if (
        found
        and found.group("title").endswith("》")
        and not re.search(
            r"(?:转发|印发|颁发|发布)[^《》]{0,30}《[^《》]+》$", found.group("title")
        )
    ):
        return None  # a title ends on 》 only where it relays one: 转发…《关于…的通知》
    return (index, found.group("title"), cited, joined) if found else None


def looks_like_a_decision(text: str) -> bool:
    """True when a text announces outcomes under headings (a published decision), rather than
    holding a bare list."""
    return any(
        _heading_outcome(_marker(line)[1]) or _REVISION.match(_marker(line)[1])
        for line in lines_of(text)
    )
