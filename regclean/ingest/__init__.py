"""Importing what departments send: all rows or none, every problem reported at once.

A row with an outcome (清理意见) becomes a *proposed* decision on its instrument, attributed to
the department and handler given. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, RegcleanError, ValidationError
from ..fields import INSTRUMENT_FIELDS, instrument_columns
from ..vocab import DecisionState, Outcome
from .tables import Table, iter_records, read_csv

if TYPE_CHECKING:
    from ..registry import Registry

SUPPORTED = {".csv": read_csv}
DECISION_FIELDS = ("outcome", "reason", "basis", "handler", "campaign")


@attrs.define
class ImportReport:
    """What an import did (or, with ``dry_run``, would do).

    Attributes:
        files: the files read.
        rows: data rows read.
        added, updated, unchanged: instruments by what happened to them.
        proposals: proposed decisions created.
        mapping: per file, column -> field.
        ignored: per file, columns not used.
        dry_run: True when nothing was written.
    """

    files: list[str] = attrs.field(factory=list)
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    proposals: int = 0
    mapping: dict[str, dict[str, str]] = attrs.field(factory=dict)
    ignored: dict[str, list[str]] = attrs.field(factory=dict)
    dry_run: bool = False

    def summary(self) -> str:
        """One line a clerk can read."""
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.rows} rows from {len(self.files)} file(s): {self.added} added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.proposals} proposals"
        )

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


class _Rollback(Exception):
    """Raised inside the import transaction to undo a dry run."""


def import_files(
    registry: Registry,
    paths: Sequence[Path],
    *,
    department: str = "",
    by: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import every row of every file in one transaction, or nothing.

    Raises ValidationError listing every bad row (file, row, field, value) when any is bad.
    """
    tables = [_read(path) for path in paths]
    report = ImportReport(dry_run=dry_run)
    for table in tables:
        report.files.append(str(table.path))
        report.mapping[str(table.path)] = dict(table.mapping)
        report.ignored[str(table.path)] = table.ignored
    rows, problems = _check_rows(registry, tables, department)
    if problems:
        raise ValidationError(problems)
    try:
        with registry.store.transaction():
            problems = _write_rows(registry, rows, report, by)
            if problems:
                raise ValidationError(problems)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _read(path: Path) -> Table:
    reader = SUPPORTED.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(SUPPORTED)
        raise ValidationError([Problem(f"unsupported file type (supported: {known})", str(path))])
    if not path.is_file():
        raise ValidationError([Problem("no such file", str(path))])
    return reader(path)


@attrs.frozen
class _Row:
    record: str
    instrument: dict[str, str]
    outcome: Outcome | None
    decision: dict[str, str]


def _check_rows(
    registry: Registry, tables: list[Table], department: str
) -> tuple[list[_Row], list[Problem]]:
    rows: list[_Row] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for table in tables:
        for record, _number, values in iter_records(table):
            instrument = {k: v for k, v in values.items() if k in INSTRUMENT_FIELDS}
            if department and not instrument.get("department"):
                instrument["department"] = department
            decision = {k: v for k, v in values.items() if k in DECISION_FIELDS}
            try:
                columns = instrument_columns(
                    instrument, record, jurisdiction=registry.settings.jurisdiction
                )
            except ValidationError as exc:
                problems += exc.problems
                columns = None
            outcome = None
            if decision.get("outcome"):
                try:
                    outcome = Outcome.parse(decision["outcome"])
                except ValidationError as exc:
                    problems += exc.located(record, "outcome").problems
            if columns is not None:
                identity = (columns["number_key"], columns["title_key"])
                if identity in seen and outcome is not None:
                    problems.append(
                        Problem(
                            f"the same document is already on {seen[identity]}",
                            record,
                            "title",
                            instrument.get("title"),
                        )
                    )
                seen.setdefault(identity, record)
            rows.append(_Row(record, instrument, outcome, decision))
    return rows, problems


def _write_rows(
    registry: Registry, rows: list[_Row], report: ImportReport, by: str
) -> list[Problem]:
    problems: list[Problem] = []
    for row in rows:
        report.rows += 1
        change = registry.upsert_instrument(by=by, **row.instrument)
        setattr(report, change.action, getattr(report, change.action) + 1)
        if row.outcome is None:
            continue
        try:
            if _propose(registry, change.instrument.id, row, by):
                report.proposals += 1
        except RegcleanError as exc:
            problems.append(Problem(str(exc), row.record, "outcome", row.decision.get("outcome")))
    return problems


def _propose(registry: Registry, instrument_id: int, row: _Row, by: str) -> bool:
    """Propose the row's outcome unless the same outcome is already open or approved."""
    for decision in registry.decisions(instrument_id):
        same = decision.outcome is row.outcome
        if same and decision.state in (DecisionState.PROPOSED, DecisionState.APPROVED):
            return False
    registry.propose(
        instrument_id,
        row.outcome,  # type: ignore[arg-type]
        reason=row.decision.get("reason", ""),
        basis=row.decision.get("basis", ""),
        handler=row.decision.get("handler", ""),
        campaign=row.decision.get("campaign", ""),
        department=row.instrument.get("department", ""),
        by=by or row.decision.get("handler", ""),
    )
    return True
