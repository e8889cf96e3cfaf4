"""verify covers everything stored (#13): tampering with any column of any table, one at a time,
directly in the database, is named by table, record and field."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from regclean import Registry


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of record with every column filled: instruments, decisions proposed,
    approved, withdrawn, rejected, amended and partial, a relation, a closed campaign with an
    assigned and an added member."""
    from tests.conftest import FixedClock

    path = tmp_path_factory.mktemp("verify") / "reg"
    with Registry.init(path, jurisdiction="温州市", clock=FixedClock()) as reg:
        a = reg.add_instrument(title="甲办法", doc_number="温政发〔2004〕12号", issuer="温州市人民政府",
                               department="市司法局", signed_on="2004-03-01", published_on="2004-03-20",
                               effective_on="2004-04-01", expires_on="2030-01-01", source_url="http://x",
                               index_no="001", subject="综合", full_text="第一条", validity="5年")  # fmt: skip
        b = reg.add_instrument(
            title="乙办法", doc_number="温政发〔2005〕3号", published_on="2005-01-01"
        )
        c = reg.add_instrument(
            title="丙办法", doc_number="温政发〔2006〕4号", published_on="2006-01-01"
        )
        reg.create_campaign("2025", cutoff="2024-12-31", deadline="2025-06-30", title="2025年清理")
        reg.propose(a, "修改", reason="与上位法不一致", basis="某法", handler="王五", by="张三",
                    department="市司法局", replaced_by=b.id, campaign="2025", at="2025-01-02")  # fmt: skip
        reg.review([a.id], by="王审", office="市司法局", opinion="同意", at="2025-01-20")
        reg.approve([a.id], by="市政府", decision_doc="温政发〔2025〕1号", decision_title="关于修改的决定",
                    effective_on="2025-03-01", published_on="2025-02-20", at="2025-02-01")  # fmt: skip
        reg.propose(b, "部分失效", articles="第二条", by="李四")
        reg.withdraw(b, by="李四", reason="撤回", at="2025-05-01")
        reg.propose(c, "废止", reason="过时", by="李四")
        reg.reject(c, by="法制科", reason="意见不同")
        reg.relate(c, "based_on", a)
        reg.assign("2025", a, "市财政局", by="法制科")
        reg.campaign_scope("2025", [c], add=False, by="法制科", reason="不在范围")
        reg.close_campaign("2025", by="市政府")
        assert reg.verify().ok
    return path


COLUMNS = [
    *[("instruments", 1, col) for col in (
        "title", "title_core", "title_key", "doc_number", "number_key", "kind", "issuer",
        "department", "signed_on", "published_on", "effective_on", "expires_on", "jurisdiction",
        "source_url", "index_no", "subject", "full_text", "validity")],
    *[("decisions", 1, col) for col in (
        "instrument_id", "outcome", "reasons", "basis", "replaced_by", "campaign", "department",
        "handler", "state", "proposed_by", "proposed_at", "decided_by", "decided_at",
        "decision_doc", "decision_title", "effective_on", "published_on", "reviewed_by",
        "reviewed_at", "review_office", "review_opinion")],
    *[("decisions", 2, col) for col in ("withdrawn_by", "withdrawn_at", "withdraw_reason", "articles")],
    ("decisions", 3, "decided_at"),
    *[("relations", 1, col) for col in ("subject_id", "kind", "object_id")],
    *[("campaigns", 1, col) for col in ("title", "cutoff", "deadline", "scope", "closed_at")],
    ("campaign_scope", 1, "department"),
    ("campaign_scope", 3, "removed"),
]  # fmt: skip
ALTERED = {
    "kind": "rule", "outcome": "keep", "state": "rejected", "instrument_id": 3, "replaced_by": 3,
    "subject_id": 3, "object_id": 3, "removed": 0, "scope": '{"issuers": ["某"]}',
    "reasons": '[{"text": "改过的理由", "codes": []}]', "campaign": None,
}  # fmt: skip
WORDS = {"instruments": "instrument", "decisions": "decision", "relations": "relation",
         "campaigns": "campaign", "campaign_scope": "campaign scope"}  # fmt: skip


@pytest.mark.parametrize(("table", "record", "column"), COLUMNS)
def test_tampering_with_any_column_is_named(
    registry: Path, table: str, record: int, column: str
) -> None:
    conn = sqlite3.connect(registry / "registry.sqlite")
    key = "instrument_id" if table == "campaign_scope" else "id"
    before = conn.execute(f"SELECT {column} FROM {table} WHERE {key} = ?", (record,)).fetchone()[0]
    new = ALTERED.get(column, f"{before}改" if before is not None else "2001-01-01")
    try:
        with conn:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (new, record))
        with Registry.open(registry) as reg:
            report = reg.verify()
        assert new != before
        named = [p for p in report.problems if p.startswith(WORDS[table]) and column in p]
        record_name = "2025" if table == "campaigns" else str(record)  # campaigns go by name
        assert named and f" {record_name}" in named[0], report.problems
    finally:
        with conn:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (before, record))
        conn.close()
    with Registry.open(registry) as reg:
        assert reg.verify().ok
