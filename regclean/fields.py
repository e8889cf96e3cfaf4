"""Turning loose input values (from Python calls or spreadsheet rows) into checked instrument columns.

Every problem found is collected with its record and field, so that a caller can report all of
them at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .dates import PartialDate, expiry
from .docnumber import DocNumber, issuer_of
from .errors import DateError, DocNumberError, Problem, ValidationError, VocabularyError
from .registration import Format
from .registration import key as registration_key
from .text import fold, title_core, title_key, to_simplified, visible
from .vocab import Kind

INSTRUMENT_FIELDS = (
    "title",
    "doc_number",
    "kind",
    "issuer",
    "department",
    "signed_on",
    "published_on",
    "effective_on",
    "expires_on",
    "jurisdiction",
    "source_url",
    "index_no",
    "subject",
    "full_text",
    "validity",
    "registration_no",
)
DATE_FIELDS = ("signed_on", "published_on", "effective_on", "expires_on")


def header_field(header: str, words: Mapping[str, Sequence[str]]) -> str | None:
    """The field whose words name a sheet's column header (full-width, traditional and case
    folded), or None."""
    key = fold(header).strip().lower()
    for field, names in words.items():
        if key in (fold(w).lower() for w in names):
            return field
    return None


def instrument_columns(
    values: Mapping[str, Any],
    record: str = "",
    *,
    jurisdiction: str = "",
    validity_defaults: Mapping[str, str] | None = None,
    registration_formats: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Checked, normalised columns for one instrument, or ValidationError listing every problem.

    ``values`` holds any of :data:`INSTRUMENT_FIELDS`; unknown keys are an error (a typo would
    otherwise lose data silently).
    """
    problems: list[Problem] = []
    unknown = sorted(set(values) - set(INSTRUMENT_FIELDS))
    for name in unknown:
        problems.append(Problem("unknown instrument field", record, name))
    text = {
        k: _text(values.get(k), keep_all=k == "full_text")
        for k in INSTRUMENT_FIELDS
        if k not in DATE_FIELDS
    }
    title = text["title"]
    if not title:
        problems.append(Problem("title is missing (文件名称 is required)", record, "title"))
    raw_number = text["doc_number"]
    number = None
    if raw_number:
        try:
            number = DocNumber.parse(raw_number)
        except DocNumberError as exc:
            problems += exc.located(record, "doc_number").problems
    dates: dict[str, str | None] = {}
    for name in DATE_FIELDS:
        dates[name] = _checked_date(values.get(name), record, name, problems)
    registered = text["registration_no"]
    pattern = (registration_formats or {}).get(text["issuer"])
    if registered and pattern and Format.parse(pattern).read(registered) is None:
        problems.append(
            Problem(
                f"not a registration number of {text['issuer']} (its format: {pattern})",
                record,
                "registration_no",
                registered,
            )
        )
    kind = None
    if text["kind"]:
        try:
            kind = Kind.parse(text["kind"])
        except VocabularyError as exc:
            problems += exc.located(record, "kind").problems
    if problems:
        raise ValidationError(problems)
    columns = {**text, **dates}
    columns["jurisdiction"] = text["jurisdiction"] or jurisdiction
    # the issuer an order names (陕西省人民政府令第152号) when no column gives it; the key below
    # stays qualified by the given issuer only, so re-importing an older file finds the same row
    columns["issuer"] = text["issuer"] or issuer_of(number, columns["jurisdiction"])
    columns["kind"] = (kind or infer_kind(number, text["issuer"], title)).value
    columns["title_core"] = title_core(title)
    columns["title_key"] = title_key(title)
    columns["number_key"] = number.qualified(text["issuer"]).key if number else ""
    columns["registration_key"] = registration_key(registered) if registered else ""
    if not columns["expires_on"]:
        columns["expires_on"] = _expiry(columns, validity_defaults or {}, record)
    return columns


def _expiry(columns: Mapping[str, Any], defaults: Mapping[str, str], record: str) -> str | None:
    """The expiry from the validity period (有效期), or from the jurisdiction's default for the
    kind (暂行/试行 documents have their own); counted from the effective, else published date."""
    period = columns["validity"]
    if not period:
        provisional = "暂行" in columns["title"] or "试行" in columns["title"]
        kind = Kind.parse(columns["kind"]) if columns["kind"] else None
        period = (defaults.get("provisional") if provisional else None) or (
            defaults.get(kind.value) or defaults.get(kind.family.value, "") if kind else ""
        )
    start = columns["effective_on"] or columns["published_on"] or columns["signed_on"]
    try:
        found = expiry(period, PartialDate.parse(start) if start else None)
    except DateError as exc:
        raise exc.located(record, "validity") from None
    return found.isoformat() if found else None


def _text(value: Any, keep_all: bool = False) -> str:
    """A field's text, trimmed and, but for the full text, without invisible characters (a
    zero-width space or a right-to-left override must not make a second instrument)."""
    if value is None:
        return ""
    text = str(value) if keep_all else visible(str(value))
    return text.strip()


def _checked_date(value: Any, record: str, name: str, problems: list[Problem]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, PartialDate):
        return value.isoformat()
    try:
        return PartialDate.parse(value).isoformat()
    except DateError as exc:
        problems += exc.located(record, name).problems
        return None


def ranked_kind(kind: Kind, issuer: str) -> Kind:
    """A family of kinds (法规, 规章) given its rank by who issued it: 法规 of 国务院 is a
    行政法规, of a people's congress a 地方性法规 (全国人大: 法律); 规章 of a government is a
    地方政府规章, of a ministry or commission a 部门规章. Any other kind, or an issuer that does
    not say, is returned as it is."""
    if kind is Kind.REGULATION:
        if issuer == "国务院" or issuer.startswith("国务院"):
            return Kind.ADMIN_REGULATION
        if "人民代表大会" in issuer or "人大" in issuer:
            national = issuer.startswith(("全国人民代表大会", "全国人大"))
            return Kind.LAW if national else Kind.LOCAL_REGULATION
    if kind is Kind.RULE:
        if "人民政府" in issuer:
            return Kind.LOCAL_RULE
        if re.search(r"(?:部|委员会|总局|署|银行)$", issuer):
            return Kind.DEPARTMENT_RULE
    return kind


# titles of what the definition of a 行政规范性文件 leaves out (国办发〔2018〕37号): awards and
# sanctions (表彰奖惩), appointments and members (人事任免), bulletins (通报)
_NOT_NORMATIVE = re.compile(
    r"(?:表彰|奖励|嘉奖|通报批评|处分|授旗|授牌)[^《》]*的(?:决定|通报|通知)$|通报$"
    r"|(?:组成人员|成员单位|组成单位|任免|任职|免职)[^《》]*的通知$"
    # a work arrangement (工作部署: 关于做好…工作, 关于开展…治理工作), binding no one outside
    r"|关于(?:进一步|切实|认真)?(?:做好|开展)[^《》]*工作的通知$"
    # a call for applications or submissions (关于组织申报…项目资金的通知, 关于征集…的通知): whoever
    # answers it is bound by the rules it cites, not by the call
    r"|关于(?:组织)?(?:申报|征集)[^《》]*的通知$"
    # an announcement of who was chosen or listed (关于公布…第三方测评机构的通知, …名单的通知)
    r"|关于公布[^《》]*(?:名单|名录|目录|机构|单位|企业|项目)的通知$"
    # a reply granting what one organ asked (关于同意…的通知, 经市政府研究，同意你们制订的《X》)
    r"|^[^《》〈〉]*关于同意"
    # the approval of a technical standard or its revision (关于批准《X标准》局部修订的通知, …为上海市
    # 工程建设规范的通知, 批准发布《X估算指标》, 批准《X图集》为上海市建筑标准设计): a standard is no
    # rule or normative document
    r"|(?:关于)?批准(?:发布)?[《〈][^《》]*(?:标准|规范|规程|导则|指标|图集)[^《》]*[》〉][^《》]*的通知$"
    r"|(?:关于)?批准[《〈][^《》]*[》〉]为[^《》]*(?:标准设计|工程建设规范|地方标准)的通知$"
    # a technical guideline or method released or issued (发布《…规划建设导则》, 发布《…方法学 分布式
    # 光伏发电》等六个碳普惠方法学): a standard by another name, no one's rights and obligations
    r"|(?:发布|印发)[《〈][^《》]*(?:导则|方法学|技术标准|技术规程)[^《》]*[》〉][^《》]*的通知$"
)


# a year's work points, a campaign's work plan, or a plan (“十四五”规划, 三年行动计划, 行动方案,
# 行动实施方案, 行动指南, 年度实施计划), issued or relayed through any chain of notices (…关于转发《…关于印发…“百日行动”
# 工作方案的通知》的通知), its span in brackets or not, read with the book-title marks taken out:
# it arranges the work of the organs that carry it out and sets no one's rights and obligations,
# which the definition of a 行政规范性文件 (国办发〔2018〕37号) asks for
_WORK_PROGRAMME = re.compile(
    r"(?:印发|转发|公布|发布)[^，。；]*?"
    r"(?:(?:(?:工作|行动)(?:实施)?(?:要点|方案|计划|指南)|规划|实施计划|年度计划)"
    r"(?:[（(][^（）()]*[）)])?"
    # a campaign's notice relayed (转发《关于开展…工作的通知》的通知), as a campaign's own is
    r"|关于(?:做好|开展)[^，。；]*?工作)"
    r"的通知(?:的通知)*$"
)


# the five forms of a judicial interpretation, the last words of its title
_JUDICIAL_FORM = re.compile(r"(?:解释|规定|规则|批复|决定|答复)(?:（[^（）]*）|\([^()]*\))?$")


def _judicial(issuer: str, number: DocNumber | None, title: str) -> bool:
    """An interpretation of the supreme court or procuratorate: by a number of theirs (法释,
    高检发释字), or by its issuer (alone or jointly) and the form its title ends with."""
    if number is not None and "释" in number.issuer:
        return True
    supreme = issuer.startswith(("最高人民法院", "最高人民检察院"))
    return supreme and bool(_JUDICIAL_FORM.search(title_core(title).strip()))


# the rules of an organ's own office (机关), which bind its staff, not the public: what
# 国办发〔2018〕37号 leaves out of 行政规范性文件 as 内部工作制度 (机关事务 is a public matter)
_OWN_OFFICE = re.compile(
    r"(?:人民代表大会常务委员会|人大常委会|人民代表大会|人民政府|政协[\u3400-\u9fff]{0,8}委员会"
    r"|办公厅|办公室|[厅局部委])机关(?!事务)"
)


# rules made for named enterprises (…(集团)有限公司管理办法): no 不特定对象, no normative document
_OWNED_FIRMS = re.compile(
    r"(?:有限公司|有限责任公司|股份公司|集团公司)(?:的)?(?:管理|监督管理)?(?:办法|规定|制度)"
)


# an administrative organ below the State Council that makes 行政规范性文件 (a ministry, 部, may
# make 部门规章 too, so it is not among them)
_ADMINISTRATIVE = re.compile(r"(?:政府|行政公署|办公厅|办公室|[厅局]|(?<!常务)委员会)$")
# a government's rules for its own working or meetings, named after it (国务院工作规则, 禄丰市人民
# 政府常务会议议事规则): not its rules for others (…人民政府办理人大代表建议…工作规则)
_OWN_RULES = re.compile(r"(?:人民政府|国务院|办公厅|办公室)(?:常务会议|全体会议)?(?:工作|议事)规则")
# a party organ (中共北京市委办公厅, 市委办公室, 党组): what it issues, alone or jointly with a
# government's office, is no administrative organ's document
_PARTY = re.compile(r"^中共|中国共产党|党[委组工]|[省市县区州旗]委(?:办公厅|办公室)?$")


# a number whose type says it is a normative document's (沪交行规, 沪建规范联, 闽科规, 深公交（规）):
# the series a government registers them under (三统一: 统一编号); 规划 is a department's name
# (宝规划资源), not the type
_NORMATIVE_SERIES = re.compile(r"(?:规|规范)联?$")


def _party(issuer: str) -> bool:
    """A party organ is among the issuers (中共甲市委办公厅、甲市人民政府办公厅)."""
    return any(_PARTY.search(part) for part in issuer.split("、"))


# a locality's measures implementing a national law (上海市实施《中华人民共和国集会游行示威法》
# 办法): what a province's or city's people's congress enacts, the law being above its government
_IMPLEMENTS_A_LAW = re.compile(
    r"^[\u3400-\u9fff]{1,12}(?:省|市|自治区|自治州|州|县|自治县)实施[《〈](?:中华人民共和国)?"
    r"[^《》〈〉]{1,40}法[》〉](?:的)?(?:办法|若干规定|规定|细则|条例|实施办法)$"
)


def infer_kind(
    number: DocNumber | None, issuer: str, title: str, *, addressed: bool = False
) -> Kind:
    """A best guess of the kind, by rank, when the data does not say.

    An act of the National People's Congress or its standing committee is a 法律, of a local
    people's congress (省/市人大常委会) a 地方性法规; a State Council order or 条例 is a
    行政法规; an order (令) of a local government promulgates a 地方政府规章, of a ministry a
    部门规章; an interpretation of the 最高人民法院 or 最高人民检察院 (by its issuer and one of the
    five forms in its title, or a number of theirs such as 法释) is a 司法解释; a reply on one matter (批复, 复函, a number of 函), and what the definition of a
    行政规范性文件 leaves out (awards, appointments and members, 通报), is 其他文件; any other numbered
    document of a government or department is taken as a 行政规范性文件;
    anything else is 其他文件; an unnumbered document ``addressed`` to the organs below at large
    (各省、自治区、直辖市…：, as a page prints it) is taken as a numbered one would be. Give ``kind``
    explicitly where it matters (a file's 法规名称 or
    规章名称 column does, see :mod:`regclean.ingest`).
    """
    # read in simplified characters, as the reader reads (西安市…管理辦法 is a 办法); an organ's
    # rules for its own office (…机关…办法), its own working or meetings (…人民政府工作规则) or
    # for handling its official documents (公文处理) bind its staff, not the public
    title, issuer = to_simplified(title), to_simplified(issuer)
    if (_OWN_OFFICE.search(title) or "公文处理" in title or _OWN_RULES.search(title)) and not (
        number is not None and number.is_order
    ):
        return Kind.OTHER  # an organ's rules for its own office (…常务委员会机关公文处理办法)
    if "人民代表大会" in issuer or "人大" in issuer:
        national = issuer.startswith(("全国人民代表大会", "全国人大"))
        return Kind.LAW if national else Kind.LOCAL_REGULATION
    if _judicial(issuer, number, title):
        return Kind.JUDICIAL  # the supreme court's or procuratorate's (法释〔2009〕19号)
    if re.search(r"(?:法院|检察院)$", issuer):
        return Kind.OTHER  # any other court's or procuratorate's document
    core = title_core(title)
    state_council = "国务院" in issuer or (number is not None and number.issuer.startswith("国"))
    if core.endswith("条例") and (state_council or (number is None and not issuer)):
        return Kind.ADMIN_REGULATION if state_council else Kind.REGULATION
    if number is not None and number.is_order:
        if number.issuer == "国务院令":
            return Kind.ADMIN_REGULATION
        if re.search(r"(?:政府|[政府省市区县州盟])令$", number.issuer) or (
            re.search(r"人民政府$", issuer) and not issuer.startswith("国务院")
        ):
            return Kind.LOCAL_RULE  # 沈政令, 渝府令: a local government's order
        if re.search(r"(?:部|委|署|局|总局|银行|委员会)令$", number.issuer):
            return Kind.DEPARTMENT_RULE
        return Kind.RULE
    if issuer == "国务院" and number is None:
        return Kind.ADMIN_REGULATION
    if re.search(r"(?:批复|复函|答复)$", title.strip()) or (
        number is not None and re.search(r"函$", number.issuer)
    ):
        return Kind.OTHER  # an answer on one matter (批复, 复函, a 函 number) binds no one else
    if _NOT_NORMATIVE.search(title.strip()) and not re.search(r"办法|规定|细则|条例|规则", title):
        return Kind.OTHER  # what 国办发〔2018〕37号 leaves out: 表彰奖惩, 人事任免, 通报
    if _WORK_PROGRAMME.search(re.sub(r"[《》〈〉]", "", title.strip())) and not (
        number is not None and _NORMATIVE_SERIES.search(number.issuer)
    ):
        return Kind.OTHER  # 工作要点, 规划: organs' work, unless registered as normative (沪府规)
    if number is not None and number.issuer.endswith("公告"):
        return Kind.OTHER  # a numbered 公告 (商务部公告2023年第21号) announces; DOMAIN: 其他文件
    if _OWNED_FIRMS.search(title):
        return Kind.OTHER  # rules for named enterprises bind them, not the public
    if number is None and not issuer and _IMPLEMENTS_A_LAW.search(title_core(title)):
        return (
            Kind.LOCAL_REGULATION
        )  # 上海市实施《中华人民共和国…法》办法: a locality's act on a law
    if number is not None and _NORMATIVE_SERIES.search(number.issuer):
        return (
            Kind.NORMATIVE
        )  # registered under the normative documents' own series, whoever co-signs
    if _party(issuer):
        return Kind.OTHER  # a party organ's (党组, 市委办公室), numbered or not, alone or joint
    if number is not None or (addressed and _ADMINISTRATIVE.search(issuer.split("、")[0])):
        return Kind.NORMATIVE
    bare = re.sub(r"[（(](?:试行|暂行)[）)]$", "", title_core(title))
    if (
        bare.endswith(("办法", "规定", "细则", "规则"))
        # a 通告 tells the public what to observe (国家行政机关公文处理办法): of an
        # administrative organ, a rule of general application
        or (bare.endswith("通告") and _ADMINISTRATIVE.search(issuer))
    ) and ("通知" in title or _ADMINISTRATIVE.search(issuer)):
        return Kind.NORMATIVE  # rules a government or its department made, unnumbered as printed
    return Kind.OTHER
