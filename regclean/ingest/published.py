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

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from ..dates import PartialDate, chinese_number
from ..docnumber import DocNumber
from ..errors import Problem, ValidationError
from ..vocab import Kind, Outcome

# List markers, each with its level: 一、 （一） 1. (1) ①
_MARKERS = (
    (1, re.compile(r"[一二三四五六七八九十百]+\s*[、.．]")),
    (2, re.compile(r"[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*[、.．]?")),
    (3, re.compile(r"\d{1,3}\s*(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"[（(]\s*\d{1,3}\s*[）)]\s*[、.．]?")),
    (5, re.compile(r"[①-⑳]")),
)
# Heading phrases, and the outcome they announce (the longest that fits wins).
_HEADING_WORDS = (
    ("不再保留", Outcome.REPEAL),
    ("继续有效", Outcome.KEEP),
    ("继续保留", Outcome.KEEP),
    ("予以保留", Outcome.KEEP),
    ("宣布失效", Outcome.INVALIDATE),
    ("予以失效", Outcome.INVALIDATE),
    ("予以废止", Outcome.REPEAL),
    ("决定废止", Outcome.REPEAL),
    ("废止以下", Outcome.REPEAL),
    ("废止下列", Outcome.REPEAL),
    ("宣布废止", Outcome.REPEAL),
    ("予以修改", Outcome.REVISE),
    ("予以修订", Outcome.REVISE),
    ("进行修改", Outcome.REVISE),
    ("进行修订", Outcome.REVISE),
    ("修改以下", Outcome.REVISE),
    ("修改下列", Outcome.REVISE),
)
_REVISION = re.compile(
    r"^对《(?P<title>[^》]+)》(?:[（(][^）)]*[）)])?\s*"
    r"(?:作出?(?:如下|以下)?(?:修改|修订)|(?:修改|修订)如下)[:：。]?\s*$"
)
# A numbered amendment that names its instrument inline: 1.在《X》第七条中增加一项…,
# 2.将《X》第七条修改为…; its text runs on over the unnumbered lines below it.
_INLINE_REVISION = re.compile(
    r"^(?:在|将|把|对)?《(?P<title>[^》]+)》(?:[（(][^）)]*[）)])?\s*(?P<rest>(?:第|中|的|题|名称|标题).*?"
    r"(?:修改为|改为|增加|删去|删除|调整为|替换为|修改)[^。]*.*)$"
)
_MARKED_ITEM = re.compile(
    r"^《(?P<title>[^》]+)》\s*(?:[（(](?P<detail>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)])?"
    r"\s*[。；;，,]?\s*$"
)
_BARE_ITEM = re.compile(
    r"^(?P<title>[^（）()《》:：，,。]{2,80}?)\s*[（(](?P<detail>[^（）()]+)[）)]\s*[。；;]?\s*$"
)
_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}"
    r"|[〇○零Oo0一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
)
_ORDER = r"[\u3400-\u9fff]*令\s*(?:[〔\[（(【﹝]\s*\d{4}\s*[〕\]）)】﹞])?\s*第?\s*\d+\s*号"
_DOCNO = r"[\u3400-\u9fff]+(?:[（(][\u3400-\u9fff]+[）)])?\s*[〔\[（(【﹝]\s*\d{4}\s*[〕\]）)】﹞]\s*第?\s*\d+\s*号"
_NUMBER = re.compile(f"{_ORDER}|{_DOCNO}|[\u3400-\u9fff]+(?:公告|令)\\d{{4}}年第\\d+号")
_EFFECTIVE_ON = re.compile(r"自\s*(?P<date>[^起，,。]{6,20}?)\s*起(?:施行|实施|执行|生效)")
# 自公布之日起30日后施行: a number of days after publication
_DAYS_AFTER = re.compile(
    r"自(?:公布|发布|印发)之日起\s*(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*日后(?:施行|实施|执行|生效)"
)
# A government's order printed with its number alone under the title: 第153号
_BARE_ORDER = re.compile(r"^第\s*(?P<n>\d{1,4})\s*号$")
_ON_PUBLICATION = re.compile(r"自(?:公布|发布|印发)之日起(?:施行|实施|执行|生效)")
_TITLE = re.compile(r"^(?P<title>[^《\s][^\s]{3,80}?决定)\s*(?:[（(](?P<note>[^）)]*)[）)])?\s*$")
_PROMULGATED = re.compile(
    r"^《(?P<title>[^》]+)》已(?:经|由)?.{0,80}?(?:通过|同意|审议).{0,12}?现予(?:公布|发布|印发)"
)
_GOVERNMENT = re.compile(r"^[\u3400-\u9fff]{2,24}(?:人民政府|人民代表大会常务委员会|人大常委会)$")
# A page's metadata lines (信息公开 pages, 政府令 pages): 文  号: …, 发布机关：…, 实施日期 …; the
# label may be spaced out to align, as pages print it. What each label gives:
_META = re.compile(r"^(?P<key>(?:[\u3400-\u9fff]\s*){2,5}?)[:：\s]\s*(?P<value>\S.*)$")
_META_KEYS = {
    "发布文号": "number", "文号": "number", "发文字号": "number", "令号": "number",
    "发布日期": "dated", "成文日期": "dated", "公布日期": "dated",
    "发布单位": "issuer", "发文机关": "issuer", "发布机关": "issuer", "制发机关": "issuer",
    "实施日期": "effective", "施行日期": "effective", "生效日期": "effective",
    "失效日期": "expires", "有效期至": "expires",
}  # fmt: skip
# The title of the one document a page publishes (a 规范性文件's page: 关于印发…的通知)
_DOCUMENT_TITLE = re.compile(
    r"^(?P<title>[^\s《:：,，。][^\s:：,，。]{3,80}?(?:通知|办法|规定|意见|细则|方案|规则|决定|公告"
    r"|通告|条例|批复|制度|标准|纲要|规划|实施意见))$"
)


@attrs.frozen
class PublishedDecision:
    """What a decision's text says about itself.

    Attributes:
        title: its title (关于…的决定), or "".
        number: its number (令号 or 文号) as written, or "".
        issuer: the government or body that made it (from its title or the page), or "".
        dated: the day it was signed or published, when the text gives one.
        effective: the day it takes effect, when the text states one (or says 自公布之日起施行 and
            gives its date).
        on_publication: the text says it takes effect on publication.
        kind: the kind of instrument it deals with (规章 when its title or headings say so).
        expires: the day it ceases to be in force, when the page's metadata says (失效日期).
        stated_effective: the effective day is the metadata's (实施日期), not read from the text.
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
        expires_on: the day its validity ends (失效日期), when the page says.
        issuer: who issued it, when the page names it (发布机关).
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


def _marker(line: str) -> tuple[int | None, str]:
    """(level, the line without its list marker); level None for an unnumbered line."""
    for level, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            return level, line[match.end() :].strip()
    return None, line


def _heading_outcome(body: str) -> Outcome | None:
    """The outcome a heading announces; None when it announces none or several."""
    if "关于" in body and body.rstrip("。").endswith("决定"):
        return None  # a title, which may name several outcomes
    found = {outcome for word, outcome in _HEADING_WORDS if word in body}
    return found.pop() if len(found) == 1 else None


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text, stripped; a list marker that follows a full stop on the
    same line (a page that lost its line breaks) starts a new line."""
    text = re.sub(
        r"(?<=[。；;])\s*(?=(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[.．、](?!\d))\s*[《对])",
        "\n",
        text,
    )
    return [line.strip().replace("\u3000", " ") for line in text.splitlines() if line.strip()]


def read_decision(lines: list[str]) -> PublishedDecision:
    """The title, number, issuer, date and effect of a decision from its lines."""
    title = number = issuer = order = ""
    dated = effective = expires = stated = None
    for line in lines[:30]:
        compact = line.strip()
        meta = _META.match(compact)
        said = _META_KEYS.get(re.sub(r"\s", "", meta.group("key"))) if meta else None
        if meta and said:
            value = meta.group("value").strip()
            if said == "number" and not number and DocNumber.try_parse(value):
                number = value
            elif said == "dated" and dated is None:
                dated = _day(value)
            elif said == "issuer" and not issuer:
                issuer = value.split()[0]
            elif said == "effective" and stated is None:
                stated = _day(value)
            elif said == "expires" and expires is None:
                expires = _day(value)
            continue
        found = _TITLE.match(compact)
        if found and not title and "关于" in found.group("title"):
            title = found.group("title")
            note = (found.group("note") or "").strip()
            if note and not number and DocNumber.try_parse(note):
                number = note
            continue
        if (
            not number
            and DocNumber.try_parse(compact)
            and _NUMBER.fullmatch(compact.replace(" ", ""))
        ):
            number = compact
            continue
        bare = _BARE_ORDER.match(compact)
        if bare and not number and not order:
            order = bare.group("n")
            continue
        if not issuer and _GOVERNMENT.match(compact):
            issuer = compact  # a page's issuer line: 河北省人民政府
            continue
        if dated is None:
            last = compact.split()[-1] if compact.split() else ""
            if len(compact) <= 40 and _DATE.fullmatch(last.replace(" ", "")):
                dated = _day(last)
    named = title.partition("关于")[0].strip() if "关于" in title else ""
    if named and _GOVERNMENT.match(named):
        issuer = named  # the title's full name, over a page's short form (省人大常委会)
    elif title and not issuer:
        issuer = named
    if order and not number and issuer.endswith("人民政府"):
        number = f"{issuer}令第{order}号"  # 第153号 under a government's decision
    text = "\n".join(lines)
    on_publication = bool(_ON_PUBLICATION.search(text))
    said_in_text = _EFFECTIVE_ON.search(text) if not on_publication else None
    later = _DAYS_AFTER.search(text)
    if stated is not None:  # the page's metadata: 实施日期
        effective = stated
    elif said_in_text:
        effective = _day(said_in_text.group("date"))
    elif on_publication:
        effective = dated
    elif later and dated is not None:
        n = later.group("n")
        days = int(n) if n.isdigit() else chinese_number(n) or -1
        if days > 0:
            effective = PartialDate.from_date(dated.first_day + dt.timedelta(days=days))
    heads = title + "".join(line for line in lines if _heading_outcome(_marker(line)[1]))
    kind = (
        Kind.RULE if "规章" in heads
        else Kind.NORMATIVE if "规范性文件" in heads
        else Kind.REGULATION if "法规" in heads
        else None
    )  # fmt: skip
    return PublishedDecision(title, number, issuer, dated, effective, on_publication, kind,
                             expires, stated is not None)  # fmt: skip


def _day(text: str) -> PartialDate | None:
    date = PartialDate.try_parse(text.strip())
    return date if date is not None and date.day is not None else None


def read_items(lines: list[str]) -> Iterator[Item]:
    """The items of a decision, each with the outcome of the heading it stands under."""
    context: list[tuple[int, Outcome]] = []  # (level, outcome) of the open headings
    block: dict[str, Any] | None = None  # an open revision: 对《X》作如下修改
    count = 0
    for number, line in enumerate(lines, start=1):
        level, body = _marker(line)
        depth = level if level is not None else 0
        if block is not None:
            if level is None or level > block["level"]:
                block["text"].append(line)
                continue
            yield _revision(block)
            block = None
        revision = _REVISION.match(body)
        if revision:
            count += 1
            block = {"level": depth, "title": revision.group("title"), "line": line,
                     "where": f"item {count} (line {number})", "text": []}  # fmt: skip
            continue
        inline = _INLINE_REVISION.match(body) if level is not None else None
        if inline and _item(body, True) is None:
            count += 1
            block = {"level": depth, "title": inline.group("title"), "line": line,
                     "where": f"item {count} (line {number})", "text": [body]}  # fmt: skip
            continue
        item = _item(body, level is not None)
        if item is not None:
            count += 1
            outcome = next((o for lv, o in reversed(context) if lv < depth or level is None), None)
            yield attrs.evolve(item, where=f"item {count} (line {number})", text=line,
                               outcome=outcome)  # fmt: skip
            continue
        announced = _heading_outcome(body)
        if level is not None and announced is None and body.startswith("《"):
            # numbered and naming a document, yet not an item: never dropped in silence
            count += 1
            yield Item(f"item {count} (line {number})", line, "", None, unreadable=True)
            continue
        if announced is not None or level is not None:
            context = [(lv, o) for lv, o in context if lv < depth]
        if announced is not None:
            context.append((depth, announced))
    if block is not None:
        yield _revision(block)


def _revision(block: dict[str, Any]) -> Item:
    return Item(block["where"], block["line"], block["title"], Outcome.REVISE,
                amendment="\n".join(block["text"]))  # fmt: skip


def _item(body: str, marked: bool) -> Item | None:
    """An item line's title and details, or None when the line is not an item."""
    match = _MARKED_ITEM.match(body)
    if match is None:
        match = _BARE_ITEM.match(body)
        if match is None or not _NUMBER.search(match.group("detail")):
            return None
        if not marked:
            return None  # an unnumbered sentence with a number in brackets is not an item
    title = match.group("title").strip()
    detail = match.group("detail") or ""
    issued, _, later = detail.partition("根据")  # 根据…令第84号修改: the orders that amended it
    date = _DATE.search(issued)
    without_dates = _DATE.sub(" ", issued)
    numbers = [m.group(0).replace(" ", "") for m in _NUMBER.finditer(without_dates)]
    amended = tuple(m.group(0).replace(" ", "") for m in _NUMBER.finditer(_DATE.sub(" ", later)))
    return Item("", "", title, None, numbers[0] if numbers else "",
                date.group(0).replace(" ", "") if date else "", amended)  # fmt: skip


def read_published(path: Path, text: str) -> tuple[PublishedDecision, list[Item]]:
    """The decision a text holds and its items; ValidationError naming the file when it holds
    no item, or naming each item that stands under no outcome."""
    lines = lines_of(text)
    decision = read_decision(lines)
    items = (list(read_items(lines)) or read_promulgation(lines, decision)
             or read_document_page(lines, decision))  # fmt: skip
    unreadable = [i for i in items if i.unreadable]
    if unreadable:
        raise ValidationError([Problem("cannot read this item (expected 《title》（date, number）)",
                                       f"{path.name}, {i.where}", "item", i.text)
                               for i in unreadable])  # fmt: skip
    if not items:
        raise ValidationError([Problem("no catalog table and no list of decided instruments "
                                       "(一、《…》（…令第N号发布）)", str(path))])  # fmt: skip
    return decision, items


def read_promulgation(lines: list[str], page: PublishedDecision) -> list[Item]:
    """The one rule a promulgation page (政府令) issues: 《X》已经…通过，现予公布，自…起施行, under
    the page's order number and date; [] when the page is not one (a decision's own preamble
    promulgates the decision, whose items are listed)."""
    for number, line in enumerate(lines[:40], start=1):
        found = _PROMULGATED.match(line)
        if found is None or found.group("title").endswith("决定"):
            continue
        return [Item(f"the page (line {number})", line, found.group("title"), None,
                     page.number, page.dated.isoformat() if page.dated else "",
                     effective_on=page.effective.isoformat() if page.effective else "")]  # fmt: skip
    return []


def read_document_page(lines: list[str], page: PublishedDecision) -> list[Item]:
    """The one document a page publishes (a 规范性文件 on a government's 信息公开 page: a block
    of metadata — 文号, 发布机关, 实施日期, 失效日期 — then its title, its text, the signature and
    the date): [] unless the metadata gives its number and a title line follows it."""
    if not page.number or page.title:
        return []
    for number, line in enumerate(lines[:40], start=1):
        found = _DOCUMENT_TITLE.match(line.strip())
        if found is None or DocNumber.try_parse(line.strip()):
            continue
        return [Item(f"the page (line {number})", line, found.group("title"), None, page.number,
                     "", effective_on=page.effective.isoformat() if page.effective else "",
                     signed_on=page.dated.isoformat() if page.dated else "",
                     expires_on=page.expires.isoformat() if page.expires else "",
                     issuer=page.issuer)]  # fmt: skip
    return []


def looks_like_a_decision(text: str) -> bool:
    """True when a text announces outcomes under headings (a published decision), rather than
    holding a bare list."""
    return any(_heading_outcome(_marker(line)[1]) or _REVISION.match(_marker(line)[1])
               for line in lines_of(text))  # fmt: skip
