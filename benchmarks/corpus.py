"""A deterministic generator of a realistic corpus of Chinese rules and policy documents.

    python benchmarks/corpus.py 100000 benchmarks/corpus/corpus-100k.csv

Titles, document numbers across issuers and years, dates, issuers, kinds and 1-3 KB bodies of
policy prose, all drawn from a seeded random generator: the same count and seed always give the
same bytes. The other benchmarks reuse it. Output goes under benchmarks/corpus/ (git-ignored).
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from pathlib import Path

CITIES = [
    ("温州市", "温"), ("杭州市", "杭"), ("宁波市", "甬"), ("嘉兴市", "嘉"), ("湖州市", "湖"),
    ("绍兴市", "绍"), ("金华市", "金"), ("衢州市", "衢"), ("舟山市", "舟"), ("台州市", "台"),
    ("丽水市", "丽"), ("济南市", "济"), ("常州市", "常"), ("达州市", "达市"), ("惠州市", "惠"),
]  # fmt: skip
DEPARTMENTS = [
    ("人民政府", "政发"), ("人民政府办公室", "政办发"), ("人民政府办公室", "政办函"),
    ("财政局", "财"), ("教育局", "教"), ("卫生健康委员会", "卫健"), ("自然资源和规划局", "自然资规"),
    ("住房和城乡建设局", "建"), ("交通运输局", "交"), ("市场监督管理局", "市监"),
    ("人力资源和社会保障局", "人社"), ("人民防空办公室", "人防办"), ("生态环境局", "环"),
    ("农业农村局", "农"), ("商务局", "商"), ("司法局", "司"),
]  # fmt: skip
TOPICS = [
    "城市绿化", "行政许可事项", "生活垃圾分类", "住房公积金", "城市地下管线", "建筑工程质量",
    "安全生产", "政府信息公开", "农村土地经营权流转", "人民防空工程", "食品安全", "扬尘污染防治",
    "市容环境卫生", "道路交通安全", "最低生活保障", "义务教育", "医疗保障", "招商引资", "科技创新",
    "人才引进", "数据资源", "营商环境", "文物保护", "公共资源交易", "政府采购", "养老服务",
    "小微企业", "电动自行车", "物业管理", "历史文化街区", "水资源", "森林防火", "PM2.5监测",
]  # fmt: skip
NOUNS = ["管理办法", "实施办法", "暂行办法", "实施细则", "若干规定", "规定", "实施意见", "工作方案",
         "考核办法", "奖励办法", "补助办法"]  # fmt: skip
WRAPPERS = ["关于印发《{}》的通知", "关于印发{}的通知", "《{}》", "{}", "关于转发《{}》的通知"]
SUBJECTS = [
    "市人民政府", "县级以上人民政府", "有关行政主管部门", "财政部门", "市场监督管理部门", "街道办事处",
    "乡镇人民政府", "村民委员会", "行业协会", "申请人", "经营者", "建设单位", "施工单位", "物业服务企业",
    "用人单位", "医疗机构", "学校", "社会组织", "公安机关", "审计机关", "统计机构", "税务部门",
]  # fmt: skip
VERBS = [
    "应当加强", "负责组织实施", "依法监督检查", "统筹协调", "定期评估", "建立健全", "按照规定公开",
    "及时报告", "予以支持", "不得擅自变更", "依法查处", "合理安排", "严格落实", "积极推进", "逐步完善",
    "分级管理", "联合开展", "优化调整", "规范办理", "动态管理",
]  # fmt: skip
OBJECTS = [
    "工作机制", "管理制度", "资金使用", "信息系统", "应急预案", "考核评价", "档案资料", "监督检查",
    "行政许可事项", "服务标准", "收费项目", "安全隐患", "专项资金", "补助标准", "登记备案", "技术规范",
    "信用评价", "投诉举报", "培训教育", "统计报表", "绩效目标", "风险防控", "数据共享", "质量追溯",
]  # fmt: skip
BOILERPLATE = [
    "根据《中华人民共和国行政许可法》等有关法律、法规的规定，结合本市实际，制定本办法",
    "违反本办法规定的，由有关行政主管部门责令限期改正；逾期不改正的，依法予以处罚",
    "行政机关工作人员玩忽职守、滥用职权、徇私舞弊的，依法给予处分",
    "本办法自发布之日起施行，有效期五年", "各区、县（市）人民政府可以根据本办法制定具体实施细则",
    "推进数字化改革，提升政务服务水平，优化营商环境", "实施守信联合激励和失信联合惩戒",
    "保障公民、法人和其他组织的合法权益", "本办法由市司法局负责解释",
]  # fmt: skip
KINDS = ["行政规范性文件"] * 6 + ["规章", "其他文件"]


def records(count: int, seed: int = 20261126) -> Iterator[dict[str, str]]:
    """``count`` instrument rows, the same for the same seed."""
    rng = random.Random(seed)
    for n in range(count):
        city, code = rng.choice(CITIES)
        department, suffix = rng.choice(DEPARTMENTS)
        topic = rng.choice(TOPICS)
        core = f"{city}{topic}{rng.choice(NOUNS)}"
        if rng.random() < 0.3:
            core += f"（{rng.randint(1995, 2025)}年修订）"
        year = rng.randint(1995, 2025)
        kind = rng.choice(KINDS)
        if kind == "规章":
            number = f"{city}人民政府令第{n + 1}号"
        else:
            # serials collide now and then: one number carrying two documents, as in life
            number = f"{code}{suffix}〔{year}〕{rng.randint(1, 400)}号"
        body = _body(rng, topic)
        yield {
            "title": rng.choice(WRAPPERS).format(core),
            "doc_number": number,
            "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "issuer": city + department,
            "kind": kind,
            "full_text": body + "。",
        }


def _body(rng: random.Random, topic: str) -> str:
    """1-3 KB of policy prose. Each document draws on a few subjects, verbs and objects of its
    own, as a real one keeps to its subject, and now and then on legal boilerplate."""
    subjects = rng.sample(SUBJECTS, 4)
    verbs = rng.sample(VERBS, 6)
    objects = [topic, *rng.sample(OBJECTS, 4)]
    sentences = [f"为了规范{topic}工作，根据有关法律法规，结合实际，制定本办法"]
    for _ in range(rng.randint(24, 80)):
        if rng.random() < 0.015:
            sentences.append(rng.choice(BOILERPLATE))
        else:
            sentences.append(f"{rng.choice(subjects)}{rng.choice(verbs)}{rng.choice(objects)}")
    return "；".join(sentences)


def write(count: int, path: Path, seed: int = 20261126) -> Path:
    """Write the corpus as CSV (the columns regclean imports)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["title", "doc_number", "date", "issuer", "kind", "full_text"])
        writer.writeheader()
        writer.writerows(records(count, seed))
    return path


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    target = (
        Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"benchmarks/corpus/corpus-{size}.csv")
    )
    print(write(size, target))
