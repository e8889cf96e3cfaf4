"""#25: one catalogue of events. Every kind of log entry has its payload fields, its labels and
its replay in regclean/events.py; the store writes nothing else and verify refuses anything
else, so a new event cannot slip past verification unnoticed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from regclean import Registry
from regclean.events import EVENTS, check, label
from regclean.verify import _Replay

from .conftest import append_forged_event

PACKAGE = Path(__file__).resolve().parents[1] / "regclean"


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_every_event_type_has_labels_and_a_replay_or_a_reason(name: str) -> None:
    kind = EVENTS[name]
    assert kind.zh and kind.en and kind.zh != kind.en
    if kind.replay:
        assert callable(getattr(_Replay, kind.replay, None)), f"{name}: no replay {kind.replay}"
        assert not kind.audit
    else:
        assert kind.audit, f"{name}: neither a replay nor a reason for having none"


def _logged_actions() -> dict[str, list[str]]:
    """Every action the package's code passes to ``….log(…)`` as a literal, with where."""
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "log" and node.args):  # fmt: skip
                continue
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                if isinstance(option, ast.Constant) and isinstance(option.value, str):
                    found.setdefault(option.value, []).append(f"{path.name}:{node.lineno}")
    return found


def test_every_event_the_code_writes_is_in_the_catalogue() -> None:
    written = _logged_actions()
    assert {"add", "propose", "approve", "campaign", "restore"} <= set(written)  # the scan works
    unknown = {action: where for action, where in written.items() if action not in EVENTS}
    assert not unknown, f"events written but not catalogued: {unknown}"


def test_the_store_writes_only_catalogued_events_with_their_payload(
    fresh_registry: Registry,
) -> None:
    fresh_registry.add_instrument(title="甲市乙办法", doc_number="甲政发〔2001〕1号")
    before = fresh_registry.last_seq()
    store = fresh_registry.store
    for action, payload, subject, wanted in (
        ("bogus", {}, 1, "not in the catalogue"),
        ("relate", {"kind": "replaces"}, 1, "payload field object is missing"),
        ("relate", {"kind": "replaces", "object": "2"}, 1, "object is str, not int"),
        ("relate", {"kind": "replaces", "object": 2, "extra": 1}, 1, "extra are not its own"),
        ("relate", {"kind": "replaces", "object": 2}, None, "names no instrument"),
    ):
        with pytest.raises(ValueError, match=wanted), store.transaction():
            store.log(action, instrument_id=subject, payload=payload)
    assert fresh_registry.last_seq() == before  # nothing written, the transaction undone
    assert fresh_registry.verify().ok


@pytest.mark.sqlite_only("it appends to registry.sqlite (test_postgresql does it on the server)")
def test_verify_refuses_a_log_entry_of_a_type_regclean_does_not_write(
    fresh_registry: Registry,
) -> None:
    """Another program appends a chain-valid entry of its own type: verify names it."""
    fresh_registry.add_instrument(title="甲市乙办法")
    append_forged_event(fresh_registry.path / "registry.sqlite", "hide", "{}")
    report = fresh_registry.verify()
    assert not report.ok
    assert "'hide' is not an event regclean writes" in report.summary()


def test_labels_are_chinese_first_and_unknown_actions_shown_as_stored() -> None:
    assert label("approve") == "批准" and label("approve", "en") == "approved"
    assert label("scope_add") == "纳入清理范围"
    assert label("something-else") == "something-else"
    assert check("review", {"outcome": "repeal", "at": "2026-01-01", "office": "法制办",
                            "opinion": "合法"}, instrument_id=1, decision_id=1).name == "review"  # fmt: skip
