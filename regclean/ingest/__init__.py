"""Importing what departments send: all rows or none, every problem reported at once.

A row with an outcome (清理意见) becomes a *proposed* decision on its instrument, attributed to
the department and handler given. Importing the same file twice changes nothing; a corrected file
updates what changed (logged) instead of duplicating. Files are streamed, not held in memory:
each row is checked and written as it is read, inside one transaction that a bad row rolls back.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import multiprocessing
import os
import pickle
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .. import decisions, instruments
from ..config import Settings
from ..dates import PartialDate
from ..errors import Problem, RegcleanError, ValidationError
from ..export import excel_safe
from ..fields import INSTRUMENT_FIELDS, instrument_columns, ranked_kind
from ..processes import die_with_parent
from ..store import Store
from ..text import fold, title_mark
from ..vocab import DecisionState, Kind, Outcome, RowAction, Status
from .explain import Explanation, Line, explain_text
from .published import issuer_in_title
from .tables import READERS, Table, document_text, read_table

SUPPORTED = tuple(READERS)
DECISION_FIELDS = ("outcome", "reason", "basis", "handler", "campaign", "amendment")
EXTRA_FIELDS = ("amended_by", "status")  # what a row says beyond the instrument and decision
# A status column (有效性) that says the instrument's force has ended is recorded as the
# approved decision that ended it, attributed to the file.
# 已被代替 with no successor named: its force ended (recorded as 宣布失效, the reason the file's
# words), never left in force
ENDED_BY = {Status.REPEALED: Outcome.REPEAL, Status.INVALID: Outcome.INVALIDATE,
            Status.PARTIALLY_IN_FORCE: Outcome.INVALIDATE_IN_PART,
            Status.NOT_NORMATIVE: Outcome.NOT_NORMATIVE,
            Status.REPLACED: Outcome.INVALIDATE}  # fmt: skip
KIND_OF_TITLE_COLUMN = {"法规名称": "法规", "行政法规名称": "法规", "地方性法规名称": "法规",
                        "规章名称": "规章", "规范性文件名称": "行政规范性文件"}  # fmt: skip
NO_VALUE = frozenset(
    {"暂无", "无", "—", "-", "/", "未知", "不详", "空"}
)  # a cell that says nothing
Progress = Callable[[int], None]


@attrs.define
class ImportReport:
    """What an import did (or, with ``dry_run``, would do).

    Attributes:
        files: the files read.
        rows: data rows read.
        added, updated, unchanged: instruments by what happened to them.
        proposals: proposed decisions created.
        skipped: bad rows left out (only with ``skip_invalid``).
        rejected_files: where the skipped rows were written, for the clerk to fix and re-import.
        mapping: per file, column -> field.
        ignored: per file, columns not used.
        dry_run: True when nothing was written.
        inferred_issuers: issuers taken from an order number because no column gave one
            (issuer -> rows).
        approved: decisions approved because a file is a published decision, or because
            its status column (有效性) says the instrument was repealed or is invalid.
        decided_by: per such file, its decision (title, number, effective date).
        notes: what a file says that could not be linked (an amending order not in the
            registry), each also recorded in the instrument's history.
        implied: per file, the outcome it states for every row, and where it says so.
        inferred_kinds: kinds guessed for rows that give none (kind -> rows), by the rules of
            :func:`regclean.fields.infer_kind`.
        stated_counts: per published decision or result notice, the counts it states per
            outcome (``{"keep": 52, "invalidate": 100}``).
        lines_read: per decision-like text, how many of its lines were taken as each class
            (item, heading, citation, text …: see :mod:`regclean.ingest.explain`).
    """

    files: list[str] = attrs.field(factory=list)
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    proposals: int = 0
    skipped: int = 0
    rejected_files: list[str] = attrs.field(factory=list)
    mapping: dict[str, dict[str, str]] = attrs.field(factory=dict)
    ignored: dict[str, list[str]] = attrs.field(factory=dict)
    dry_run: bool = False
    inferred_issuers: dict[str, int] = attrs.field(factory=dict)
    approved: int = 0
    decided_by: dict[str, dict[str, str]] = attrs.field(factory=dict)
    notes: list[str] = attrs.field(factory=list)
    implied: dict[str, str] = attrs.field(factory=dict)
    inferred_kinds: dict[str, int] = attrs.field(factory=dict)
    stated_counts: dict[str, dict[str, int]] = attrs.field(factory=dict)
    lines_read: dict[str, dict[str, int]] = attrs.field(factory=dict)

    def count(self, action: RowAction) -> None:
        """One more instrument added, updated or left unchanged."""
        if action is RowAction.ADDED:
            self.added += 1
        elif action is RowAction.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def summary(self) -> str:
        """One line a clerk can read."""
        verb = "would import" if self.dry_run else "imported"
        text = (
            f"{verb} {self.rows} rows from {len(self.files)} file(s): {self.added} added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.proposals} proposals"
        )
        if self.approved:
            text += f", {self.approved} approved under the published decision"
        for where, read in self.lines_read.items():
            said = ", ".join(f"{k} {v}" for k, v in sorted(read.items()))
            text += f"; {Path(where).name}: lines read as {said}"
        for where, counts in self.stated_counts.items():
            said = ", ".join(f"{Outcome(k).zh} {v}" for k, v in counts.items())
            text += f"; {Path(where).name} states {said}"
        if self.inferred_issuers:
            named = ", ".join(f"{k} ({v})" for k, v in sorted(self.inferred_issuers.items()))
            text += f"; issuer taken from the order number: {named}"
        if self.skipped:
            text += (
                f"; {self.skipped} bad rows skipped, written to {', '.join(self.rejected_files)}"
            )
        return text

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


class _Rollback(Exception):
    """Raised inside the import transaction to undo a dry run."""


@attrs.frozen
class _Row:
    record: str
    instrument: dict[str, str]
    outcome: Outcome | None
    decision: dict[str, str]
    extra: dict[str, str] = attrs.field(factory=dict)
    status: Status | None = None


def import_files(
    store: Store,
    settings: Settings,
    paths: Sequence[Path],
    *,
    department: str = "",
    by: str = "",
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    proposed: bool = False,
    effective_on: str | dt.date | PartialDate | None = None,
    outcome: Outcome | str | None = None,
    at: str | dt.date | dt.datetime | None = None,
) -> ImportReport:
    """Import every row of every file in one transaction, or nothing.

    Raises ValidationError listing every bad row (file, row, field, value) when any is bad. With
    ``skip_invalid`` the good rows go in and the bad ones are written, with their problems, to
    ``NAME.rejected.csv`` beside each file. ``mapping`` overrides the detected column mapping
    (``{"标题": "title"}``; ``"ignore"`` drops a column).

    A file that is a published decision (决定: a text or page whose headings say 予以废止,
    宣布失效, 予以修改 ... over its items) records its decisions as *approved* under that
    document, effective on the day the text states (自公布之日起施行: the day it gives), or on
    ``effective_on``, which overrides it; ``proposed=True`` files them as proposals instead.

    The acts are recorded at the dates the documents state: a published decision's proposals
    on the day it was adopted (…会议通过) or signed, its approvals on the day it was signed or
    published; ``at`` gives the time of every proposal of the files instead (an earlier
    cleanup entered later). Each event keeps its own time of entry beside them.

    ``outcome`` is the outcome of every row that gives none (a file of repeals). A file can say
    it too: a reason column named for its outcome (废止理由, 失效理由, 修改理由) or a title row
    naming a catalog of one outcome (废止的行政法规目录). A row with a reason and no outcome from
    anywhere is an error: the reason would otherwise be lost.
    """
    if outcome is not None:
        outcome = Outcome.parse(outcome)
    tables = _join_annexes([read_table(path, mapping) for path in expand(paths)])
    report = ImportReport(dry_run=dry_run)
    for table in tables:
        report.files.append(str(table.path))
        report.mapping[str(table.path)] = table.shown_mapping()
        report.ignored[str(table.path)] = table.ignored
        if table.line_counts:
            report.lines_read[str(table.path)] = dict(sorted(table.line_counts.items()))
        report.notes.extend(f"{table.path}: {note}" for note in table.reader_notes)
    bad: dict[str, list[Problem]] = {}
    try:
        # One pass: rows are checked and written as they are read, inside one transaction; a bad
        # row rolls everything back at the end (unless skip_invalid), so nothing is half-written.
        with store.transaction():
            problems = _write(
                store,
                settings,
                tables,
                department,
                by,
                bad,
                report,
                progress,
                proposed,
                effective_on,
                outcome,
                at,
            )
            if problems or (bad and not skip_invalid):
                raise ValidationError([p for found in bad.values() for p in found] + problems)
            if dry_run:
                raise _Rollback
            if bad:  # written before the commit: if it cannot be, nothing is imported
                report.rejected_files = _write_rejected(tables, bad)
    except _Rollback:
        pass
    report.skipped = len(bad)
    return report


def _join_annexes(tables: list[Table]) -> list[Table]:
    """A notice or decision that names annexes, given with catalog tables: each table that is
    not a decision of its own and gives its rows an outcome is its annex, decided by it."""
    notices = [t for t in tables if t.decision is not None and t.decision.annexes]
    if len(notices) != 1:
        return tables
    notice = notices[0]
    out = []
    covered: set[Outcome] = set()
    for table in tables:
        own = table.decision is not None and (table.decision.title or table.decision.number)
        implied = table.implied_outcome()
        if table is not notice and not own and (implied or "outcome" in table.mapping.values()):
            table = attrs.evolve(table, decision=notice.decision, annex_of=str(notice.path))
            covered |= {Outcome.parse(implied[0])} if implied else set(Outcome)
        out.append(table)
    if covered:  # 《X》等7件…继续有效: X is listed again, with its number, in the annex given
        column = notice.header.index("outcome") if "outcome" in notice.header else None
        rows = notice.raw_rows

        def uncovered() -> Iterator[tuple[str, list[Any]]]:
            for where, cells in rows():
                said = cells[column] if column is not None else ""
                if not said or Outcome.parse(said) not in covered:
                    yield where, cells

        out[out.index(notice)] = attrs.evolve(notice, raw_rows=uncovered)
    return out


MAX_ARCHIVE = 256 * 2**20  # what a .zip of a notice and its annexes may unpack to


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files to import: a folder gives the supported files in it (sorted, subfolders too); a
    .zip is unpacked into a temporary folder first (as departments send a notice with its
    annexes), within bounds and never outside that folder."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READERS and not p.name.startswith(".")
            )
        elif path.suffix.lower() == ".zip":
            out += expand([_unpacked(path)])
        else:
            out.append(path)
    return out


def _unpacked(path: Path) -> Path:

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError([Problem(f"not a readable .zip file: {exc}", str(path))]) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_ARCHIVE:
            raise ValidationError(
                [Problem(f"refused: it unpacks to more than {MAX_ARCHIVE:,} bytes", str(path))]
            )
        folder = Path(tempfile.mkdtemp(prefix="regclean-zip-"))
        for member in members:
            name = _member_name(member)
            target = (folder / name).resolve()
            if not target.is_relative_to(folder.resolve()) or member.external_attr >> 28 == 0xA:
                raise ValidationError(
                    [
                        Problem(
                            f"refused: {name!r} would be written outside the archive's folder",
                            str(path),
                        )
                    ]
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(target, "wb") as sink:
                sink.write(source.read(MAX_ARCHIVE + 1))
    return folder


def _member_name(member: Any) -> str:
    """A member's name as its writer meant it: archives made on Chinese Windows store names in
    GBK without saying so."""
    name = member.filename
    if not member.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def count_rows(paths: Sequence[Path], mapping: Mapping[str, str] | None = None) -> int:
    """How many data rows the files hold (one extra streamed read), for a progress bar."""
    return sum(sum(1 for _ in read_table(Path(path), mapping).raw_rows()) for path in paths)


def _rows(settings: Settings, table: Table, department: str, default: Outcome | None = None):  # type: ignore[no-untyped-def]
    """(row or None, problems, raw cells) for each data row of a table; each problem names the
    file's own column beside the field. ``default`` is the outcome of rows that give none."""
    headers = table.columns_of()
    # a column named 理由 is a reason for an outcome; 备注/说明 may be remarks of any kind
    reasons_column = "理由" in headers.get("reason", "")
    # a title column named for a kind says the kind of every row (法规名称: 法规)
    kind = KIND_OF_TITLE_COLUMN.get(fold(headers.get("title", "")))
    ranked = getattr(table.decision, "kind", None)
    if kind and ranked is not None and ranked.family is Kind.parse(kind).family:
        kind = ranked.zh  # 规章名称 under a decision on 省政府规章: 地方政府规章
    column_kind = Kind.parse(kind) if kind else None  # parsed once, not per row
    for record, values, cells in table.records():
        instrument = {k: v for k, v in values.items() if k in INSTRUMENT_FIELDS}
        if department and not instrument.get("department"):
            instrument["department"] = department
        if not instrument.get("issuer") and instrument.get("title"):
            named = issuer_in_title(str(instrument["title"]))  # 国务院关于…的暂行规定
            if named:
                instrument["issuer"] = named
        if column_kind is not None and not instrument.get("kind"):
            # 法规名称 beside 国务院: a 行政法规; the rank follows the row's issuer
            instrument["kind"] = ranked_kind(column_kind, str(instrument.get("issuer") or "")).zh
        decision = {k: v for k, v in values.items() if k in DECISION_FIELDS}
        extra = {k: v for k, v in values.items() if k in EXTRA_FIELDS}
        problems: list[Problem] = []
        status = None
        bare, mark = title_mark(instrument.get("title", "") or "")
        if mark:  # 【已失效】X: the page's mark is a status, not part of the title
            instrument["title"] = bare
            if not extra.get("status") or fold(extra["status"]) in NO_VALUE:
                extra["status"] = mark
        if extra.get("status") and fold(extra["status"]) not in NO_VALUE:
            try:
                status = Status.parse(extra["status"])
            except ValidationError as exc:
                problems += exc.located(record, "status").problems
        columns = None
        try:
            columns = instrument_columns(
                instrument,
                record,
                jurisdiction=settings.jurisdiction,
                registration_formats=settings.registration_formats,
            )
        except ValidationError as exc:
            problems += exc.problems
        outcome = None
        if decision.get("outcome"):
            try:
                outcome = Outcome.parse(decision["outcome"])
            except ValidationError as exc:
                problems += exc.located(record, "outcome").problems
        if outcome is None and not problems:
            outcome = default
            if outcome is None and decision.get("reason") and reasons_column:
                problems.append(
                    Problem(
                        "a reason without an outcome would be lost: give an "
                        "outcome column (清理意见), or the outcome of every row",
                        record,
                        "reason",
                        decision["reason"],
                    )
                )
        problems = [attrs.evolve(p, column=headers.get(p.field, "")) for p in problems]
        yield _Row(record, instrument, outcome, decision, extra, status), columns, problems, cells


# A file this large is read and checked in a forked process while this one writes what it
# has checked (the two halves of an import cost about the same); smaller files are read here.
READ_AHEAD_FROM = 4_000_000  # bytes
READ_AHEAD_BATCH = 500  # rows sent at a time


def _read_ahead(settings: Settings, table: Table, department: str, default: Outcome | None):  # type: ignore[no-untyped-def]
    """:func:`_rows` without the raw cells, read in a forked process for a large file."""

    try:
        large = table.decision is None and table.path.stat().st_size >= READ_AHEAD_FROM
    except OSError:
        large = False
    if not large or "fork" not in multiprocessing.get_all_start_methods():
        for row, columns, problems, _cells in _rows(settings, table, department, default):
            yield row, columns, problems
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    reader = context.Process(
        target=_read_rows,
        daemon=True,
        args=(send, receive, os.getpid(), settings, table, department, default),
    )
    reader.start()
    send.close()
    try:
        while True:
            try:
                what, payload = receive.recv()
            except EOFError:
                raise RegcleanError(
                    f"{table.path}: the process reading the file ended "
                    f"unexpectedly (exit code {reader.exitcode})"
                ) from None
            if what == "rows":
                yield from payload
            elif what == "error":
                raise payload
            else:
                return
    finally:
        receive.close()
        if reader.is_alive():
            reader.kill()
        reader.join()


def _read_rows(
    send: Any,
    unused: Any,
    parent: int,
    settings: Settings,
    table: Table,
    department: str,
    default: Any,
) -> None:
    """In the forked reader: the checked rows in batches, then "done" (or the error). It closes
    the pipe's reading end, so that a write fails once the importer is gone instead of waiting
    for a reader that will never come, and it is killed when the importer ends (Linux)."""

    unused.close()
    die_with_parent(parent)
    batch: list[Any] = []
    try:
        for row, columns, problems, _cells in _rows(settings, table, department, default):
            batch.append((row, columns, problems))
            if len(batch) >= READ_AHEAD_BATCH:
                send.send(("rows", batch))
                batch = []
        send.send(("rows", batch))
        send.send(("done", None))
    except Exception as exc:  # handed to the importing process, which raises it
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            exc = RegcleanError(f"{table.path}: {exc}")
        send.send(("error", exc))
    finally:
        send.close()


def _write(
    store: Store,
    settings: Settings,
    tables: list[Table],
    department: str,
    by: str,
    bad: dict[str, list[Problem]],
    report: ImportReport,
    progress: Progress | None,
    proposed: bool = False,
    effective_on: Any = None,
    outcome: Outcome | None = None,
    at: Any = None,
) -> list[Problem]:
    """Check and write each row; bad rows are collected in ``bad`` and left out. Returns the
    problems found while writing (a proposal that conflicts with the registry's state)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], tuple[str, Outcome | None, str]] = {}
    listed: dict[str, dict[str, set[int]]] = {}  # per decision document: instruments, by outcome
    for table in tables:
        decided: list[tuple[int, _Row]] = []
        implied = table.implied_outcome()
        if outcome is None and implied is not None:
            report.implied[str(table.path)] = f"{implied[0]} ({implied[1]})"
        default = outcome or (Outcome.parse(implied[0]) if implied else None)
        for row, columns, found in _read_ahead(settings, table, department, default):
            if columns is not None and row.outcome is not None:
                identity = (columns["number_key"], columns["title_key"])
                earlier = seen.get(identity)
                # named in a notice's summary line and listed in its annex: one document
                again = (
                    earlier is not None
                    and earlier[1] is row.outcome
                    and earlier[2] != str(table.path)
                )
                if earlier is not None and not again:
                    found.append(
                        Problem(
                            f"the same document is already on {earlier[0]}",
                            row.record,
                            "title",
                            row.instrument.get("title"),
                        )
                    )
                seen.setdefault(identity, (row.record, row.outcome, str(table.path)))
            if found or columns is None:
                bad[row.record] = found
                continue
            report.rows += 1
            if not row.instrument.get("kind"):
                zh = Kind.parse(columns["kind"]).zh
                report.inferred_kinds[zh] = report.inferred_kinds.get(zh, 0) + 1
            if columns["issuer"] and not row.instrument.get("issuer"):
                issuer = columns["issuer"]
                report.inferred_issuers[issuer] = report.inferred_issuers.get(issuer, 0) + 1
            change = instruments.upsert_columns(store, columns, by=by)
            report.count(change.action)
            if progress is not None and report.rows % 1000 == 0:
                progress(report.rows)
            if row.outcome is None:
                if row.status in ENDED_BY:
                    try:
                        _record_status(store, table, change.instrument, row, by, report)
                    except RegcleanError as exc:
                        problems.append(
                            Problem(str(exc), row.record, "status", row.extra.get("status"))
                        )
                continue
            foreign = _not_the_forms(store, table, change.instrument.id, row)
            if foreign:
                problems.append(
                    Problem(
                        foreign,
                        row.record,
                        "department",
                        row.decision.get("department") or row.instrument.get("department", ""),
                    )
                )
                continue
            try:
                if _propose(
                    store,
                    change.instrument.id,
                    row,
                    by,
                    _stated(
                        store, at or _proposed_day(table), change.instrument, row.record, report
                    ),
                ):
                    report.proposals += 1
                decided.append((change.instrument.id, row))
            except RegcleanError as exc:
                problems.append(
                    Problem(str(exc), row.record, "outcome", row.decision.get("outcome"))
                )
        if table.decision is not None:
            if not table.annex_of:
                _note_decision(table, report)
            counts = listed.setdefault(table.annex_of or str(table.path), {})
            for instrument_id, row in decided:
                if row.outcome is not None:
                    counts.setdefault(row.outcome.value, set()).add(instrument_id)
        if table.decision is not None and not problems and not bad:
            _note_amenders(store, decided, by, report)
            if not proposed:
                problems += _approve(store, table, decided, by, effective_on, report)
    for table in tables:
        if table.decision is not None and not table.annex_of:
            annexes = [t for t in tables if t.annex_of == str(table.path)]
            read = {k: len(v) for k, v in listed.get(str(table.path), {}).items()}
            problems += _check_results(table, read, annexes, report)
    if progress is not None:
        progress(report.rows)
    return problems


def _note_decision(table: Table, report: ImportReport) -> None:
    """What a published decision or result notice says of itself, in the report: its title,
    number, issuer and dates, and the counts it states."""
    decision = table.decision
    where = str(table.path)
    day = lambda d: d.isoformat() if d is not None else ""  # noqa: E731
    report.decided_by.setdefault(where, {}).update(
        {
            "title": decision.title,
            "number": decision.number,
            "issuer": decision.issuer,
            "dated": day(decision.dated),
            "effective": day(decision.effective),
        }
    )
    if decision.counts:
        report.stated_counts[where] = dict(decision.counts)


def _check_results(
    table: Table, listed: dict[str, int], annexes: list[Table], report: ImportReport
) -> list[Problem]:
    """A decision's stated counts against the instruments read for it (its own items and the
    rows of the annexes given with it), and the annexes it names that are not in the input.
    Where the annex of an outcome was given, a count it does not match is a problem;
    otherwise the report says what is missing."""
    decision = table.decision
    where = str(table.path)
    summarised = sum(1 for note in table.reader_notes if "annex" in note)
    given = set()
    for annex in annexes:
        given |= {outcome for outcome, _ in _outcomes_of(annex)}
    missing = [
        name for name in decision.annexes if not annexes or (_annex_outcome(name) not in given)
    ]
    if not (summarised or not listed or annexes):
        # the text lists some instruments itself: an annex whose outcome it lists none of
        # (附件2 of the repealed, beside annex 1's amendments printed in the text) is missing
        missing = [
            name
            for name in missing
            if (outcome := _annex_outcome(name)) is not None and not listed.get(outcome)
        ]
    for name in missing:
        report.notes.append(
            f"{where}: 附件 «{name}» is not in the input, so its instruments "
            "are not recorded; import it with the notice (a catalog table: "
            "HTML, XLSX, DOCX or CSV)"
        )
    if decision.merged:
        report.notes.append(
            f"{where}: states {decision.merged} 废止或宣布失效 (repeal or invalid) "
            "without telling them apart; a catalog of them says which"
        )
    if not decision.annexes and (decision.counts or decision.merged) and not listed:
        report.notes.append(
            f"{where}: states its results as counts only and lists no "
            "instrument; nothing is recorded for them"
        )
    problems = []
    for outcome, count in decision.counts.items():
        if (summarised and not annexes) or listed.get(outcome) in (None, count):
            continue
        said = (
            f"states {count} {Outcome(outcome).zh} but its annexes list {listed[outcome]}"
            if outcome in given
            else f"states {count} {Outcome(outcome).zh} but lists {listed[outcome]}"
        )
        if outcome in given:  # the annex of this outcome was given: its rows must add up
            problems.append(Problem(said, where, "count", str(count)))
        else:
            report.notes.append(f"{where}: {said}; the rest are not in the input")
    return problems


def _annex_outcome(name: str) -> str | None:
    found = Outcome.understand(name)
    return found.value if found is not None else None


def _outcomes_of(table: Table) -> list[tuple[str, int]]:
    """The outcomes a table gives its rows (by its title rows, a reason column, or the headings
    of its tables)."""
    implied = table.implied_outcome()
    if implied is not None:
        return [(Outcome.parse(implied[0]).value, 0)]
    return []


def _approve(
    store: Store,
    table: Table,
    decided: list[tuple[int, _Row]],
    by: str,
    effective_on: Any,
    report: ImportReport,
) -> list[Problem]:
    """Approve what a published decision decides, under that decision; the problems found."""
    decision = table.decision
    where = str(table.path)
    effective = effective_on or decision.effective
    if not decided:
        return []
    if effective is None:  # nothing is approved on a guessed day: left as proposals, and said
        said = (
            "takes effect on publication (自公布之日起施行)"
            if decision.on_publication
            else ("does not say when it takes effect")
        )
        report.notes.append(
            f"{where}: the decision {said} and its text gives no date, so its "
            "items were filed as proposals; import it again with the day it "
            "took effect (effective_on) to approve them"
        )
        return []
    waiting = [i for i, _ in decided if store.reads.open_decision(i) is not None]
    if not waiting:
        return []
    approver = by or decision.issuer or table.path.name
    signed = decision.signed or decision.dated or decision.adopted
    when = signed.isoformat() if signed is not None and signed.day is not None else None
    latest = max((store.reads.open_decision(i).proposed_at[:10] for i in waiting), default="")
    if when is not None and (when < latest or _stated(store, when, None, where, report) is None):
        when = None  # proposed later than the document's date (at now): approved now too
    try:
        approved = decisions.approve(
            store,
            waiting,
            by=approver,
            decision_doc=decision.number,
            decision_title=decision.title,
            effective_on=effective,
            at=when,
        )
    except RegcleanError as exc:
        return [Problem(str(exc), where, "effective_on")]
    report.approved += len(approved)
    report.decided_by.setdefault(where, {}).update(
        {
            "title": decision.title,
            "number": decision.number,
            "effective_on": str(approved[0].effective_on),
        }
    )
    return []


def _record_status(
    store: Store, table: Table, instrument: Any, row: _Row, by: str, report: ImportReport
) -> None:
    """The status a file states (有效性: 已废止, 已失效) as the approved decision that ended the
    instrument's force, attributed to the file; effective on its 失效日期 when the file gives
    one, else on the day of the import (said in the report). Nothing when an approved decision
    already ended it."""
    assert row.status is not None
    outcome = ENDED_BY[row.status]
    approved = store.reads.decisions(instrument.id, DecisionState.APPROVED.value)
    if any(d.outcome.ends_force or d.outcome is outcome for d in approved):
        return
    source = table.path.name
    effective = instrument.expires_on if row.status is Status.INVALID else None
    decisions.propose(
        store,
        instrument.id,
        outcome,
        by=by or source,
        reason=f"据{source}记载：{row.extra['status']}",
    )
    decisions.approve(
        store,
        [instrument.id],
        by=by or source,
        effective_on=effective,
        decision_title=f"{source}记载{row.status.zh}",
    )
    report.approved += 1
    if effective is None:
        report.notes.append(
            f"{row.record}: {row.extra['status']} with no date in the file; "
            "recorded as of the day of the import"
        )


def _note_amenders(
    store: Store, decided: list[tuple[int, _Row]], by: str, report: ImportReport
) -> None:
    """Relate each item to the orders that amended it (根据…令第N号修改) when they are in the
    registry; otherwise record a note in the item's history (once)."""
    for instrument_id, row in decided:
        for number in filter(None, row.extra.get("amended_by", "").split("、")):
            found = instruments.find(store.reads, number)
            if len(found) == 1 and found[0].id != instrument_id:
                decisions.relate(store, found[0], "amends", instrument_id, by=by)
                continue
            if not any(
                e.action == "note" and e.payload.get("amended_by") == number
                for e in store.reads.history(instrument_id)
            ):
                store.log(
                    "note",
                    actor=by,
                    instrument_id=instrument_id,
                    payload={"amended_by": number, "source": row.record},
                )
            report.notes.append(f"{row.record}: amended by {number}, which is not in the registry")


def _not_the_forms(store: Store, table: Table, instrument_id: int, row: _Row) -> str:
    """Why a row of a department's returned form (清理意见表, its title row naming the
    department and the campaign) cannot be that department's proposal: the instrument is not in
    its share of the campaign. "" when it can, or the file is not such a form."""
    campaign = row.decision.get("campaign", "")
    title = next((t for t in table.title_rows if t.endswith(f"{campaign}清理意见表")), "")
    if not campaign or not title:
        return ""
    department = title[: -len(f"{campaign}清理意见表")].strip()
    found = store.reads.campaign(campaign)
    owner = store.reads.scope_department(found.id, instrument_id) if found else None
    if not department or owner == department:
        return ""
    share = f"{owner}'s share" if owner else "not in its scope"
    return (
        f"this form is {department}'s for campaign {campaign}, and the instrument is "
        f"{share}: a department files proposals only on its own instruments"
    )


def _proposed_day(table: Table) -> Any:
    """The day a published decision's items were proposed: the day it was adopted, else the
    day it was signed or dated; None for a file that states none."""
    decision = table.decision
    if decision is None:
        return None
    day = decision.adopted or decision.signed or decision.dated
    return day.isoformat() if day is not None and day.day is not None else None


def _stated(store: Store, at: Any, instrument: Any, record: str, report: ImportReport) -> Any:
    """``at`` when an act may be recorded then (not in the future, not before the instrument's
    own date); else None (now), and the report says why."""
    if at is None:
        return None
    try:
        decisions.stated_time(store, at, instrument, record)
    except ValidationError as exc:
        report.notes.append(f"{record}: recorded as of now, not {at}: {exc.problems[0].message}")
        return None
    return at


def _propose(store: Store, instrument_id: int, row: _Row, by: str, at: Any = None) -> bool:
    """Propose the row's outcome unless the same outcome is already open or approved."""
    for decision in store.reads.decisions(instrument_id):
        same = decision.outcome is row.outcome
        if same and decision.state in (DecisionState.PROPOSED, DecisionState.APPROVED):
            return False
    decisions.propose(
        store,
        instrument_id,
        row.outcome,  # type: ignore[arg-type]
        reason=row.decision.get("reason", ""),
        basis=row.decision.get("basis", ""),
        handler=row.decision.get("handler", ""),
        campaign=row.decision.get("campaign", ""),
        amendment=row.decision.get("amendment", ""),
        department=row.instrument.get("department", ""),
        by=by or row.decision.get("handler", ""),
        at=at,
    )
    return True


def _write_rejected(tables: list[Table], bad: dict[str, list[Problem]]) -> list[str]:
    """The bad rows of each file, as they were, with a 问题 column, beside the file."""
    written = []
    for table in tables:
        target = table.path.with_name(table.path.stem + ".rejected.csv")
        rows = [(record, cells) for record, _values, cells in table.records() if record in bad]
        if not rows:
            continue
        try:  # never through a link planted in its place
            descriptor = os.open(
                target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644
            )
        except OSError as exc:
            raise ValidationError(
                [
                    Problem(
                        f"cannot write the rejected rows ({exc.strerror}); nothing was imported",
                        str(target),
                    )
                ]
            ) from None
        with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([excel_safe(c) for c in (*table.header, "问题")])
            for record, cells in rows:
                text = [("" if c is None else str(c)) for c in cells]
                text += [""] * (len(table.header) - len(text))
                issues = "；".join(
                    f"{p.field}: {p.message}" if p.field else p.message for p in bad[record]
                )
                writer.writerow([excel_safe(c) for c in (*text[: len(table.header)], issues)])
        written.append(str(target))
    return written


def explain_file(path: Path) -> Explanation:
    """Explain a file: a decision, result notice or page (.txt, .md, .html, .docx, .pdf) line by line; a
    table (CSV, XLSX, JSON Lines, a page or Word file holding catalog tables) as its header and
    rows."""
    text = document_text(path)
    if text is not None:
        return explain_text(path, text)
    table = read_table(path)
    lines = [
        Line(
            1,
            " | ".join(table.header),
            "table",
            "header: " + ", ".join(f"{c}->{f}" for c, f in table.shown_mapping().items()),
        )
    ]
    for n, (where, cells) in enumerate(table.raw_rows(), start=2):
        lines.append(Line(n, " | ".join(str(c or "") for c in cells), "row", where))
    return Explanation(path, lines, [])
