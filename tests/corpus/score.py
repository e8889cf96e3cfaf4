"""Scoring the reader on the corpus: each document is imported into a fresh registry, as a clerk
would import it, and every field its expectation file states is compared with what the registry
then holds. Run by hand for the table in docs/corpus.md:

    python -m tests.corpus.score [BATCH]

A document's fields:
- for each instrument it names: title (found at all), outcome, kind, issuer, number, published,
  effective, status, as far as the expectation states them;
- for the decision document itself: title, number, issuer, dated, effective;
- the counts it states (``counts``), and that an annex named but absent is said (``annex_missing``);
- for a document that decides nothing (a draft, an explanation of proposals), that nothing is
  recorded (``records_nothing``);
- each instrument the import records that the document does not name counts as one wrong field.

Where a person could fairly read a field two ways (a number as the page's metadata gives it, or
as the document prints it), the expectation lists both and either is right.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from regclean import Registry, ValidationError
from regclean.docnumber import DocNumber
from regclean.errors import RegcleanError
from regclean.text import fold, fold_book_marks, fold_brackets

HERE = Path(__file__).resolve().parent
TODAY = "2026-12-01T09:00:00Z"  # the registry's clock while scoring


@attrs.frozen
class Field:
    document: str
    name: str
    expected: Any
    found: Any
    right: bool


def documents(batch: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    for expectation in sorted((HERE / batch).glob("*.json")):
        source = next(p for p in expectation.parent.glob(expectation.stem + ".*")
                      if p.suffix != ".json")  # fmt: skip
        yield source, json.loads(expectation.read_text(encoding="utf-8"))


def _same_text(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return fold_brackets(fold_book_marks(fold(text or "")))

    return key(a) == key(b)


def _same_number(a: str, b: str) -> bool:
    first, second = DocNumber.try_parse(a or ""), DocNumber.try_parse(b or "")
    if first is None or second is None:
        return _same_text(a, b)
    return first.key == second.key


def _day(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def score(source: Path, expected: dict[str, Any], folder: Path) -> list[Field]:
    """The fields of one document, each right or wrong."""
    name = source.stem
    fields: list[Field] = []

    def check(field: str, want: Any, found: Any, right: bool) -> None:
        fields.append(Field(name, field, want, found, right))

    with Registry.init(folder / name, clock=lambda: TODAY) as reg:
        report = None
        refused = ""
        try:
            report = reg.import_file(source, by="corpus")
        except (ValidationError, RegcleanError) as exc:
            refused = str(exc)
        found = list(reg.instruments())
        matched: set[int] = set()
        for item in expected.get("instruments", []):
            titles = item["title"] if isinstance(item["title"], list) else [item["title"]]
            title = titles[0]
            hit = next((i for i in found if i.id not in matched
                        and any(_same_text(i.title, t) for t in titles)), None)  # fmt: skip
            check(
                f"{title[:24]}: title", title, hit.title if hit else refused[:80], hit is not None
            )
            if hit is not None:
                matched.add(hit.id)
            decisions = reg.decisions(hit.id) if hit is not None else []
            last = decisions[-1] if decisions else None
            for key, want in item.items():
                if key == "title":
                    continue
                if hit is None:
                    check(f"{title[:24]}: {key}", want, None, False)
                    continue
                choices = want if isinstance(want, list) else [want]  # a field read two ways
                want = choices[0]
                if key == "outcome":
                    got = last.outcome.value if last else None
                    right = got in choices  # 予以废止或失效: either is right
                elif key == "kind":
                    got = hit.kind.zh
                    right = got in choices
                elif key == "issuer":
                    got = hit.issuer
                    right = any(_same_text(got, choice) for choice in choices)
                elif key == "number":
                    got = hit.doc_number
                    right = any(_same_number(got, choice) for choice in choices)
                elif key == "published":  # the signed date stands in for a missing one, as
                    got = _day(hit.published_on or hit.signed_on)  # catalogs and pages show it
                    right = got in choices
                elif key == "effective":
                    got = _day(hit.effective_on)
                    right = got in choices
                elif key == "status":
                    got = reg.status_on(hit.id).value
                    right = got in choices
                else:
                    raise KeyError(f"{name}: unknown field {key}")
                check(f"{title[:24]}: {key}", want, got, right)
        for extra in (
            i for i in found if i.id not in matched and not expected.get("records_nothing")
        ):
            check(f"extra instrument {extra.title[:24]}", None, extra.title, False)
        stated = {}
        if report is not None:
            decided = next(iter(report.decided_by.values()), {}) if report.decided_by else {}
            stated = getattr(report, "stated_counts", {}) or {}
            stated = next(iter(stated.values()), {}) if stated else {}
        else:
            decided = {}
        for key, want in expected.get("decision", {}).items():
            got = decided.get(key, "")
            choices = want if isinstance(want, list) else [want]  # a field read two ways
            same = _same_number if key == "number" else _same_text
            right = any(same(got, choice) for choice in choices)
            check(f"decision: {key}", choices[0], got or refused[:80], right)
        for outcome, count in expected.get("counts", {}).items():
            got = stated.get(outcome)
            choices = count if isinstance(count, list) else [count]  # a count read two ways
            check(f"count: {outcome}", choices[0], got, got in choices)
        if expected.get("records_nothing"):  # a draft, an explanation of proposals
            check("records nothing", True, [i.title for i in found], not found)
        if expected.get("annex_missing"):
            said = report.summary() + "\n" + "\n".join(report.notes) if report else refused
            check("annex missing is said", True, said[-120:], "附件" in said and "not" in said)
    return fields


def run(batch: str) -> list[Field]:
    with tempfile.TemporaryDirectory() as scratch:
        out: list[Field] = []
        for source, expected in documents(batch):
            out += score(source, expected, Path(scratch))
        return out


def table(fields: list[Field]) -> str:
    by_doc: dict[str, list[Field]] = {}
    for f in fields:
        by_doc.setdefault(f.document, []).append(f)
    lines = ["| document | fields right |", "|---|---|"]
    for doc, items in by_doc.items():
        lines.append(f"| {doc} | {sum(f.right for f in items)} / {len(items)} |")
    right = sum(f.right for f in fields)
    lines.append(f"| **all** | **{right} / {len(fields)} = {right / max(len(fields), 1):.0%}** |")
    return "\n".join(lines)


if __name__ == "__main__":
    batch = sys.argv[1] if len(sys.argv) > 1 else "batch1"
    fields = run(batch)
    print(table(fields))
    if "-v" in sys.argv:
        for f in fields:
            if not f.right:
                print(f"  ✗ {f.document}: {f.name}: expected {f.expected!r}, found {f.found!r}")
