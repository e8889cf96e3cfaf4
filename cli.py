"""The ``regclean`` command line: one thin call into the library per command.

Exit codes: 0 success, 1 an error in the data or the registry's state (a message on stderr,
nothing changed), 2 a usage error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import attrs
import typer

import regclean
from regclean import RegcleanError, Registry
from regclean.backup import restore as restore_backup
from regclean.demo import run_demo
from regclean.ingest import explain_file
from regclean.store.pg import shown
from regclean.text import printable
from regclean.views import decided_json, event_json, search_hit_json, show_json

DEFAULT_REGISTRY = "regclean-registry"

app = typer.Typer(
    name="regclean",
    help="Clean up rules and policy documents (规章和规范性文件清理): index instruments, record "
    "decisions (继续有效 keep / 修改 revise / 废止 repeal / 宣布失效 invalidate), publish catalogs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
campaign_app = typer.Typer(help="Cleanup rounds (清理工作): scope, deadline.", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")
report_app = typer.Typer(
    help="The papers of a campaign: inspection report (检查报告), statistics (统计表).",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")
draft_app = typer.Typer(
    help="Drafts of official documents: the decision (决定).", no_args_is_help=True
)
app.add_typer(draft_app, name="draft")
accounts_app = typer.Typer(
    help="Accounts on a PostgreSQL registry (账户): who may propose, review and approve.",
    no_args_is_help=True,
)
app.add_typer(accounts_app, name="accounts")


class State:
    """What the global options set: where the registry is."""

    def __init__(self, registry: Path):
        self.registry_path = registry

    @contextlib.contextmanager
    def open(self) -> Iterator[Registry]:
        # One command per process: open the search index without copying it into memory.
        with Registry.open(self.registry_path, index_mmap=False) as registry:
            yield registry


def _fail(message: str) -> NoReturn:
    echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn a library error into a message on stderr and exit code 1 (no traceback), its words
    for the library's arguments given as this command line's flags."""
    try:
        yield
    except RegcleanError as exc:
        _fail(_in_flags(str(exc)))
    except OSError as exc:  # a full disk, a missing folder, a read-only file system ...
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}; nothing was changed")


# how the library's errors name an argument, and the flag that sets it here
_FLAGS = {
    "replace=True": "--replace",
    "(database=URL)": "(restore --database URL)",
    "replacing_history=REASON": "--replace-history REASON",
    "the mapping names": "--map names",
    "with a mapping": "with --map",
}


def _in_flags(message: str) -> str:
    for words, flag in _FLAGS.items():
        message = message.replace(words, flag)
    return message


@contextlib.contextmanager
def _progress(files: list[Path], overrides: dict[str, str]) -> Iterator[Any]:
    """A progress bar on the terminal (stderr) for an import; nothing when not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from regclean.ingest import count_rows  # the file readers load only for an import

    try:
        total = count_rows(files, overrides or None)
    except RegcleanError:
        yield None  # the import itself reports what is wrong
        return
    with typer.progressbar(length=total, label="importing 导入", file=sys.stderr) as bar:
        done = [0]

        def advance(rows: int) -> None:
            bar.update(rows - done[0])
            done[0] = rows

        yield advance


@contextlib.contextmanager
def _page_progress() -> Iterator[Any]:
    """A progress bar on the terminal (stderr) for the pages of a publish, shown once there are
    enough of them to wait for; nothing when not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list[Any] = []
    done = [0]

    def advance(pages: int, total: int) -> None:
        if not bars:
            if total < 1000:
                return
            bars.append(
                typer.progressbar(length=total, label="rendering 生成页面", file=sys.stderr)
            )
            bars[0].__enter__()
        bars[0].update(pages - done[0])
        done[0] = pages

    try:
        yield advance
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def echo(message: Any = "", err: bool = False, nl: bool = True) -> None:
    """Print to the terminal, never obeying a control character the data holds (a title with
    ESC in it is shown as \\x1b, not allowed to clear the screen)."""
    typer.echo(printable(str(message)), err=err, nl=nl)


def _print_json(data: Any) -> None:
    echo(json.dumps(data, ensure_ascii=False, indent=2))


def _version(value: bool) -> None:
    if value:
        echo(f"regclean {regclean.__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    registry: Annotated[
        Path,
        typer.Option(
            "--registry",
            envvar="REGCLEAN_REGISTRY",
            help=f"Registry folder (else $REGCLEAN_REGISTRY, else ./{DEFAULT_REGISTRY}).",
        ),
    ] = Path(DEFAULT_REGISTRY),
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    ctx.obj = State(registry)


# Options several commands share, declared once.
AtOption = Annotated[str, typer.Option(help="When it really happened (back-entering): 2024-03-05.")]
FromOption = Annotated[
    Path | None,
    typer.Option("--from", metavar="FILE", help="More instruments, one reference per line."),
]


@app.command()
def init(
    ctx: typer.Context,
    jurisdiction: Annotated[
        str, typer.Option(help="The government whose stock this is (温州市).")
    ] = "",
    site_title: Annotated[str, typer.Option(help="Title of the published site.")] = "",
    database: Annotated[
        str,
        typer.Option(
            metavar="URL",
            help="Keep the rows and the log on a PostgreSQL server (an empty database): "
            "postgresql://user@host/db. Else REGCLEAN_DATABASE_URL, else the folder's "
            "registry.sqlite.",
        ),
    ] = "",
) -> None:
    """Create a registry (新建登记库)."""
    path = ctx.obj.registry_path
    with _errors():
        Registry.init(
            path, jurisdiction=jurisdiction, site_title=site_title or None, database=database
        ).close()
    echo(f"created registry {path}")


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Files: .csv .xlsx .xls .jsonl .html .htm .txt .md .docx .doc .pdf, "
            "a folder of them, or a .zip (a notice with its annexes).",
        ),
    ],
    department: Annotated[
        str, typer.Option(help="Department (责任单位) the rows belong to, where not given.")
    ] = "",
    by: Annotated[str, typer.Option(help="Who is importing (recorded in the log).")] = "",
    dry_run: Annotated[
        bool, typer.Option(help="Show what would be imported; change nothing.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Override the column mapping: 标题=title, 备注=ignore.",
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the good rows; write the bad ones to NAME.rejected.csv.")
    ] = False,
    proposed: Annotated[
        bool,
        typer.Option(help="File a published decision's (决定) items as proposals, not approved."),
    ] = False,
    effective: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The day a published decision took effect (施行日期), when its text says "
            "自公布之日起施行 without the date.",
        ),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            metavar="OUTCOME",
            help="The outcome (清理意见) of every row that gives none: 废止, 宣布失效, 修改, 继续有效.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            metavar="TIME",
            help="When the proposals were really made (an earlier cleanup entered later); "
            "by default a published decision's own dates (adopted, signed), else now.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Print each file as read, line by line with what each line was taken for "
            "(heading, item, amendment, citation …); import nothing.",
        ),
    ] = False,
) -> None:
    """Load instruments, and proposed decisions where a row has an outcome (清理意见), from .csv
    (UTF-8 or GB18030), .xlsx, .jsonl, .html/.htm, .txt, .md, .docx or .pdf (its text; a scan
    must be recognised first); .doc and .xls (Word and Excel 97-2003) as LibreOffice converts
    them. All rows or none: a file
    with a bad row imports nothing and every problem is listed (unless --skip-invalid). A text
    may print its catalog as a table between | marks.

    A published decision (决定) in .txt, .md, .html, .docx, .doc or .pdf — headings such as 对下列规章予以废止 over its
    items, or 对《X》作如下修改 — records its decisions as approved under that decision (its
    title and number), effective on the day its text states or --effective."""
    overrides = {}
    for item in map_ or []:
        column, sep, field = item.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise typer.BadParameter(
                f"{item!r}: use COLUMN=FIELD, e.g. 标题=title", param_hint="--map"
            )
        overrides[column.strip()] = field.strip()
    if explain:
        with _errors():
            explained = [explain_file(path) for path in files]
        if as_json:
            _print_json([attrs.asdict(e) for e in explained])
        else:
            echo("\n\n".join(e.render() for e in explained))
        if any(e.problems for e in explained):
            raise typer.Exit(1)
        return
    with _errors(), ctx.obj.open() as registry, _progress(files, overrides) as progress:
        report = registry.import_file(
            files,
            department=department,
            by=by,
            dry_run=dry_run,
            mapping=overrides or None,
            skip_invalid=skip_invalid,
            progress=progress,
            proposed=proposed,
            effective_on=effective,
            outcome=outcome,
            at=at,
        )
    if as_json:
        _print_json(report.to_json())
        return
    for path, mapping in report.mapping.items():
        used = ", ".join(f"{column}->{field}" for column, field in mapping.items())
        echo(f"{path}: {used}")
        if report.ignored.get(path):
            echo(f"  ignored columns: {', '.join(report.ignored[path])}")
    for path, decision in report.decided_by.items():
        effective = decision.get("effective_on") or decision.get("effective") or "not stated"
        echo(
            f"{path}: decided by {decision['title'] or '(untitled decision)'} "
            f"{decision['number']}, effective {effective}"
        )
    if report.inferred_kinds:
        guessed = ", ".join(f"{k} {n}" for k, n in sorted(report.inferred_kinds.items()))
        echo(f"kinds (类别) inferred where no column gave one: {guessed}")
    for path, said in report.implied.items():
        echo(f"{path}: every row's outcome is {said}")
    for note in report.notes:
        echo(f"  note: {note}")
    echo(report.summary())


_FIELD_OPTIONS = {  # option -> instrument field, for add and edit
    "title": "title", "number": "doc_number", "issuer": "issuer", "kind": "kind",
    "department": "department", "signed": "signed_on", "published": "published_on",
    "effective": "effective_on", "expires": "expires_on", "validity": "validity",
    "url": "source_url", "index_no": "index_no", "subject": "subject",
}  # fmt: skip


# The instrument fields add and edit take, each with its Chinese name.
_Number = Annotated[str | None, typer.Option(help="Document number (文号/令号).")]
_Issuer = Annotated[str | None, typer.Option(help="Issuer (制定机关).")]
_Kind = Annotated[str | None, typer.Option(help="规章, 行政规范性文件, 法规, 其他文件.")]
_Department = Annotated[str | None, typer.Option(help="Department responsible (责任单位).")]
_Signed = Annotated[str | None, typer.Option(help="Signed (成文日期).")]
_Published = Annotated[str | None, typer.Option(help="Published (发布日期).")]
_Effective = Annotated[str | None, typer.Option(help="In force from (施行日期).")]
_Expires = Annotated[str | None, typer.Option(help="Expires (失效日期).")]
_Validity = Annotated[str | None, typer.Option(help="Validity period (有效期), e.g. 5年.")]
_Url = Annotated[str | None, typer.Option(help="Where it is published (网址).")]


def _fields(options: dict[str, str | None]) -> dict[str, str]:
    return {
        _FIELD_OPTIONS[k]: v for k, v in options.items() if k in _FIELD_OPTIONS and v is not None
    }


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Option(help="Title as published (文件名称).")],
    number: _Number = None,
    issuer: _Issuer = None,
    kind: _Kind = None,
    department: _Department = None,
    signed: _Signed = None,
    published: _Published = None,
    effective: _Effective = None,
    expires: _Expires = None,
    validity: _Validity = None,
    url: _Url = None,
    by: Annotated[str, typer.Option(help="Who adds it (recorded in the log).")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add one instrument (新增文件) without a spreadsheet."""
    values = _fields(dict(locals()))
    with _errors(), ctx.obj.open() as registry:
        instrument = registry.add_instrument(by=by, **values)
        data = show_json(registry.reads, instrument.id)
    if as_json:
        _print_json(data)
        return
    echo(f"added [{data['id']}] {data['title']} {data['doc_number']}".rstrip())


@app.command()
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id, document number or exact title.")],
    title: Annotated[str | None, typer.Option(help="Title as published (文件名称).")] = None,
    number: _Number = None,
    issuer: _Issuer = None,
    kind: _Kind = None,
    department: _Department = None,
    signed: _Signed = None,
    published: _Published = None,
    effective: _Effective = None,
    expires: _Expires = None,
    validity: _Validity = None,
    url: _Url = None,
    by: Annotated[str, typer.Option(help="Who corrects it (recorded in the log).")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Correct fields of one instrument (更正); each change is logged old -> new."""
    changes = _fields({k: v for k, v in dict(locals()).items() if k != "ref"})
    if not changes:
        raise typer.BadParameter("give at least one field to change, e.g. --title")
    with _errors(), ctx.obj.open() as registry:
        instrument = registry.update_instrument(ref, by=by, **changes)
        data = show_json(registry.reads, instrument.id)
    if as_json:
        _print_json(data)
        return
    echo(f"updated [{data['id']}] {data['title']}: {', '.join(sorted(changes))}")


@app.command()
def show(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF", help="Id, document number (文号, any variant) or exact title."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One instrument with its status, decisions and relations."""
    with _errors(), ctx.obj.open() as registry:
        data = show_json(registry.reads, ref)
    if as_json:
        _print_json(data)
        return
    echo(f"[{data['id']}] {data['title']}")
    for label, key in (
        ("文号 number", "doc_number"),
        ("制定机关 issuer", "issuer"),
        ("类别 kind", "kind_zh"),
        ("发布日期 published", "published_on"),
        ("责任单位 department", "department"),
    ):
        if data.get(key):
            echo(f"  {label}: {data[key]}")
    echo(f"  状态 status: {data['status_zh']} ({data['status']})")
    for d in data["decisions"]:
        reasons = "；".join(r["text"] for r in d["reasons"] if r["text"])
        line = f"  decision {d['id']}: {d['outcome_zh']} ({d['outcome']}), {d['state_zh']} ({d['state']})"
        if d["effective_on"]:
            line += f", effective {d['effective_on']}"
        echo(line)
        if reasons:
            echo(f"    理由 reason: {reasons}")
        if d["decision_title"] or d["decision_doc"]:
            echo(f"    决定 decision: {d['decision_title']} {d['decision_doc']}".rstrip())
    for rel in data["relations"]:
        echo(f"  {rel['relation']}: [{rel['id']}] {rel['title']}")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(metavar="[QUERY]", help='Words, "phrases", field:value, -word, OR.')
    ] = "",
    status: Annotated[
        list[str] | None,
        typer.Option(help="in_force/现行有效, repealed/已废止, invalid/已失效, ..."),
    ] = None,
    kind: Annotated[
        str, typer.Option(help="rule/规章, normative/规范性文件, regulation/法规, other.")
    ] = "",
    issuer: Annotated[str, typer.Option(help="Issuing body (制定机关), or part of its name.")] = "",
    year: Annotated[str, typer.Option(help="Year published: Y or Y1..Y2.")] = "",
    campaign: Annotated[
        str, typer.Option(help="Only instruments decided under this campaign.")
    ] = "",
    sort: Annotated[
        str, typer.Option(help="relevance, date (newest first) or date_asc.")
    ] = "relevance",
    limit: Annotated[int, typer.Option(min=0, help="At most this many results (0 for all).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """Full-text search (检索): titles, numbers in any spelling, issuers, reasons, full text."""
    with _errors(), ctx.obj.open() as registry:
        hits = registry.search(
            query,
            status=status or None,
            kind=kind or None,
            issuer=issuer or None,
            year=year or None,
            campaign=campaign or None,
            sort=sort,
            limit=limit or None,
        )
        rows = [search_hit_json(hit) for hit in hits]
    if as_json:
        _print_json(rows)
        return
    if not rows:
        echo("no matches (无结果)", err=True)
        return
    for row in rows:
        number = f"  {row['doc_number']}" if row["doc_number"] else ""
        echo(f"[{row['id']}] {row['status_zh']}  {row['title']}{number}")
        if row["snippet"] and row["snippet"].strip("…") not in row["title"]:
            echo(f"      {_marked(row['snippet'], row['highlights'])}")
    echo(f"{len(rows)} result(s)", err=True)


def _marked(snippet: str, spans: list[list[int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [snippet[last:start], "«", snippet[start:end], "»"]
        last = end
    return "".join([*out, snippet[last:]])


@app.command()
def reindex(
    ctx: typer.Context,
    engine: Annotated[
        str,
        typer.Option(
            help="Switch the registry to this search engine (whoosh, or the store's own: fts5 "
            "on SQLite, tsvector on PostgreSQL), then build its index; the setting is written "
            "to regclean.toml."
        ),
    ] = "",
) -> None:
    """Rebuild the search index from the database (the database is the truth)."""
    with _errors(), ctx.obj.open() as registry:
        count = registry.switch_engine(engine) if engine else registry.reindex()
        used = registry.settings.search_engine
    echo(f"indexed {count} instruments ({used})")


@app.command()
def mark(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id, document number or exact title.")],
    outcome: Annotated[
        str,
        typer.Argument(
            metavar="OUTCOME",
            help="keep/revise/repeal/invalidate or 继续有效/保留, 修改/修订, 废止, 宣布失效/失效.",
        ),
    ],
    reason: Annotated[str, typer.Option(help="Why (理由); required except for keep.")] = "",
    basis: Annotated[str, typer.Option(help="Legal basis (法律依据).")] = "",
    by: Annotated[str, typer.Option(help="Who proposes it (经办人).")] = "",
    department: Annotated[str, typer.Option(help="Proposing department (提出部门).")] = "",
    campaign: Annotated[str, typer.Option(help="Campaign to file it under.")] = "",
    replaced_by: Annotated[
        str, typer.Option(help="Instrument that replaces it (revise/repeal).")
    ] = "",
    articles: Annotated[
        str,
        typer.Option(help="The articles that lapse (宣布部分条款失效), e.g. 第十二条、第十五条."),
    ] = "",
    at: AtOption = "",
    also: Annotated[
        list[str] | None,
        typer.Option("--also", metavar="REF", help="More instruments with the same outcome."),
    ] = None,
    from_file: FromOption = None,
) -> None:
    """Propose a decision (拟定清理意见) on one instrument, or the same one on many (--also,
    --from): all of them or none."""
    refs = [ref, *(also or []), *_references(from_file)]
    with _errors(), ctx.obj.open() as registry:
        made = registry.propose_many(
            refs,
            outcome,
            reason=reason,
            basis=basis,
            by=by,
            department=department,
            campaign=campaign,
            replaced_by=replaced_by or None,
            require_reason=True,
            articles=articles,
            at=at or None,
        )
    for decision in made:
        echo(f"proposed decision {decision.id}: {decision.outcome.zh} ({decision.outcome.value})")


def _batch(by: str, refs: list[str] | None, from_file: Path | None, campaign: str) -> list[str]:
    """The references a batch command acts on; --by and some target are required."""
    if not by:
        raise typer.BadParameter("--by is required", param_hint="--by")
    refs = [*(refs or []), *_references(from_file)]
    if not refs and not campaign:
        raise typer.BadParameter("name instruments or give --campaign", param_hint="REFS")
    return refs


def _references(path: Path | None) -> list[str]:
    """The references in a file, one per line (blank lines and # comments left out)."""
    if path is None:
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"{path}: {exc}", param_hint="--from") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@app.command()
def review(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REF]...", help="Instruments whose proposals were reviewed."),
    ] = None,
    by: Annotated[str, typer.Option(help="Who reviewed (审核人).")] = "",
    office: Annotated[
        str, typer.Option(help="The reviewing office (审核机构), e.g. 市司法局.")
    ] = "",
    opinion: Annotated[str, typer.Option(help="What the review found (审核意见).")] = "",
    campaign: Annotated[
        str, typer.Option(help="Review every open proposal of this campaign not yet reviewed.")
    ] = "",
    at: AtOption = "",
    from_file: FromOption = None,
) -> None:
    """Record the legality review (合法性审核) of proposals, all of them or none."""
    refs = _batch(by, refs, from_file, campaign)
    with _errors(), ctx.obj.open() as registry:
        decisions = registry.review(
            refs, by=by, office=office, opinion=opinion, campaign=campaign, at=at or None
        )
    for d in decisions:
        echo(
            f"reviewed decision {d.id}: {d.outcome.zh} ({d.outcome.value})"
            + (f", {d.review_opinion}" if d.review_opinion else "")
        )


@app.command()
def approve(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REF]...", help="Instruments whose proposals to approve."),
    ] = None,
    by: Annotated[str, typer.Option(help="Who approves (审批人).")] = "",
    campaign: Annotated[
        str, typer.Option(help="Approve every open proposal of this campaign.")
    ] = "",
    decision_doc: Annotated[
        str, typer.Option(help="Number of the government decision (决定文号).")
    ] = "",
    decision_title: Annotated[str, typer.Option(help="Title of the government decision.")] = "",
    effective: Annotated[str, typer.Option(help="Date it takes effect (default today).")] = "",
    at: AtOption = "",
    from_file: FromOption = None,
) -> None:
    """Approve proposed decisions, all of them or none."""
    refs = _batch(by, refs, from_file, campaign)
    with _errors(), ctx.obj.open() as registry:
        decisions = registry.approve(
            refs,
            by=by,
            campaign=campaign,
            decision_doc=decision_doc,
            decision_title=decision_title,
            effective_on=effective or None,
            at=at or None,
        )
    for d in decisions:
        echo(
            f"approved decision {d.id}: {d.outcome.zh} ({d.outcome.value}), "
            f"effective {d.effective_on}"
        )


@app.command()
def withdraw(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(metavar="REF", help="Instrument whose decision to withdraw.")
    ],
    by: Annotated[str, typer.Option(help="Who withdraws it.")] = "",
    reason: Annotated[str, typer.Option(help="Why (撤回理由).")] = "",
    at: AtOption = "",
) -> None:
    """Withdraw (撤回) the open proposal, or else the latest approved decision; logged."""
    with _errors(), ctx.obj.open() as registry:
        decision = registry.withdraw(ref, by=by, reason=reason, at=at or None)
    echo(f"withdrew decision {decision.id}: {decision.outcome.zh} ({decision.outcome.value})")


@app.command()
def decided(
    ctx: typer.Context,
    number: Annotated[
        str, typer.Argument(metavar="NUMBER", help="The decision's 令号 or 文号, any spelling.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What a decision document decided (决定事项): every decision recorded under its number."""
    with _errors(), ctx.obj.open() as registry:
        rows = decided_json(registry.decided_under(number))
    if as_json:
        _print_json(rows)
        return
    if not rows:
        echo(f"no decision is recorded under {number}")
        return
    head = rows[0]
    echo(f"{head['decision_title'] or head['decision_doc']} {head['decision_doc']}".strip())
    for row in rows:
        echo(
            f"  [{row['instrument']}] {row['outcome_zh']} ({row['outcome']}) "
            f"{row['title']} {row['doc_number']}  {row['state_zh']}, "
            f"effective {row['effective_on'] or '-'}"
        )


@app.command()
def history(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Id, document number or exact title.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The event log of one instrument, oldest first."""
    with _errors(), ctx.obj.open() as registry:
        events = [event_json(e) for e in registry.history(ref)]
    if as_json:
        _print_json(events)
        return
    for e in events:
        who = f" by {e['actor']}" if e["actor"] else ""
        detail = json.dumps(e["payload"], ensure_ascii=False, sort_keys=True)
        echo(f"{e['seq']:>5}  {e['at']}  {e['action']}{who}  {detail}")


@app.command()
def export(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to write (.csv, .xlsx, .jsonl).")
    ],
    format: Annotated[
        str, typer.Option(help="csv, xlsx or jsonl (default: from the file name).")
    ] = "",
    status: Annotated[
        list[str] | None, typer.Option(help="Only instruments with this status.")
    ] = None,
    catalog: Annotated[
        str, typer.Option(help="A catalog's own layout: repealed, invalidated, revised, kept.")
    ] = "",
) -> None:
    """Spreadsheets back out (导出): Excel-safe CSV, XLSX with a frozen header, or JSON Lines."""
    with _errors(), ctx.obj.open() as registry:
        count = registry.export(
            file, format=format or None, status=status or None, catalog=catalog or None
        )
    echo(f"wrote {count} rows to {file}")


@app.command()
def publish(
    ctx: typer.Context,
    outdir: Annotated[Path, typer.Argument(metavar="OUTDIR", help="Folder for the site.")],
    lang: Annotated[str, typer.Option(help="Language of the pages: zh (中文) or en.")] = "zh",
    force: Annotated[
        bool, typer.Option(help="Publish despite error-level inspection findings.")
    ] = False,
    full: Annotated[bool, typer.Option(help="Render every page, not only what changed.")] = False,
    replace_history: Annotated[
        str,
        typer.Option(
            metavar="REASON",
            help="Replace a site published from a different history (another registry, or "
            "this one before a restore), saying why; the reason is logged.",
        ),
    ] = "",
    by: Annotated[str, typer.Option(help="Who publishes (for the log).")] = "",
) -> None:
    """Write the public catalog site (公布目录): HTML pages, CSV, JSON, XML and an Atom feed.
    Refuses while `regclean check` has error-level findings, unless --force."""
    if lang not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="--lang")
    from regclean.publish import FindingsError  # the publishing pipeline loads on first use

    with _errors(), ctx.obj.open() as registry, _page_progress() as progress:
        try:
            report = registry.publish(
                outdir,
                lang=lang,
                force=force,
                incremental=not full,
                progress=progress,
                replacing_history=replace_history,
                by=by,
            )
        except FindingsError as exc:
            _fail(f"{exc}\n(run `regclean check` for all findings; --force publishes anyway)")
    echo(report.summary())
    echo(f"open {report.index}")


@app.command()
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            metavar="HASH|SITE|BACKUP",
            help="A head recorded elsewhere (a hash written down, a published site, a backup): "
            "it must be an event of this chain.",
        ),
    ] = None,
) -> None:
    """Check integrity (校验): the database, the log's hash chain, and that the stored state is
    what the log says. Exits 1 naming the first broken link or mismatch."""
    with _errors(), ctx.obj.open() as registry:
        report = registry.verify(anchor or [])
    if not report.ok:
        echo(report.summary(), err=True)
        raise typer.Exit(code=1)
    echo(report.summary())


@app.command()
def migrate(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL|registry.sqlite",
            help="Where the rows and the log go: a PostgreSQL URL (an empty database), or "
            "registry.sqlite to bring a registry on a server back into its folder.",
        ),
    ],
) -> None:
    """Move the registry to another store (迁移), its whole log kept and verified."""

    with _errors(), ctx.obj.open() as registry:
        counts = registry.migrate_to(to)  # closes the handle: the registry moved
    moved = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
    echo(f"moved to {shown(to)}: {moved}; verified, the chain's head unchanged")


@accounts_app.command("add")
def accounts_add(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(metavar="NAME", help="The account's login name.")],
    department: Annotated[
        str, typer.Option(help="The department (责任单位) a proposing account answers for.")
    ] = "",
    can: Annotated[
        str,
        typer.Option(
            help="propose (提出: a department, its own instruments only) or office "
            "(审核/批准: review and approve any)."
        ),
    ] = "propose",
    by: Annotated[str, typer.Option(help="Who opens the account (recorded in the log).")] = "",
) -> None:
    """Open an account (开设账户) the server enforces: a login role with its rights. The
    password is read from REGCLEAN_ACCOUNT_PASSWORD, else asked for."""
    password = os.environ.get("REGCLEAN_ACCOUNT_PASSWORD") or typer.prompt(
        f"password for {role}", hide_input=True, confirmation_prompt=True
    )
    with _errors(), ctx.obj.open() as registry:
        registry.add_account(role, department=department, can=can, password=password, by=by)
    echo(f"opened account {role} ({can}{', ' + department if department else ''})")


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup.")],
) -> None:
    """A consistent copy of the registry (备份), safe while others write."""
    with _errors(), ctx.obj.open() as registry:
        target = registry.backup(file)
    echo(f"backed up to {target}")


@app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file made by `regclean backup`.")],
    replace: Annotated[
        bool, typer.Option(help="Replace the registry already in the folder.")
    ] = False,
    database: Annotated[
        str,
        typer.Option(
            help="Restore onto this new, empty PostgreSQL database (postgresql://…): "
            "how a registry on a server is restored."
        ),
    ] = "",
) -> None:
    """Restore a backup (恢复) into the registry folder, rebuild its index, and verify it."""

    with _errors():
        restore_backup(file, ctx.obj.registry_path, replace=replace, database=database)
        with ctx.obj.open() as registry:
            registry.reindex()
            report = registry.verify()
    if not report.ok:
        echo(report.summary(), err=True)
        raise typer.Exit(code=1)
    echo(f"restored {file} into {ctx.obj.registry_path}; {report.summary()}")


@app.command()
def demo(
    outdir: Annotated[
        Path, typer.Argument(metavar="[OUTDIR]", help="Folder to build the demo in.")
    ] = Path("regclean-demo"),
) -> None:
    """Build a registry from the shipped real decisions, run a cleanup on it, and summarise."""
    with _errors():
        result = run_demo(outdir)
    echo(result.summary())


@app.command("register")
def register_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The document (id or 文号).")],
    renew: Annotated[
        bool, typer.Option("--renew", help="Issue a new number (after an evaluation renews it).")
    ] = False,
    by: Annotated[str, typer.Option(help="Who registers it.")] = "",
) -> None:
    """Issue the next registration number (统一登记号) of the document's issuer."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.register(ref, by=by, renew=renew)
    echo(f"{found.registration_no}  {found.title} ({found.doc_number or 'no number'})")


@app.command("file")
def file_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The document (id or 文号).")],
    at: Annotated[str, typer.Option(help="The day it was filed (报送日期).")],
    to: Annotated[str, typer.Option(help="The office above (default: [filing] to).")] = "",
    material: Annotated[
        list[str] | None, typer.Option(help="What went with it (备案报告, 制定说明 …).")
    ] = None,
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """Record that a document was filed with the office above (报送备案)."""
    with _errors(), ctx.obj.open() as registry:
        filing = registry.file(ref, on=at, to=to, materials=material or [], by=by)
    echo(f"filing {filing.id}: filed on {filing.filed_on} to {filing.filed_to}")


filing_app = typer.Typer(
    help="The office above's answers to filings (备案审查): registered, deferred, refused, opinion.",
    no_args_is_help=True,
)
app.add_typer(filing_app, name="filing")


def _answer(
    ctx: typer.Context, ref: str, state: str, at: str, until: str, reason: str, by: str
) -> None:
    with _errors(), ctx.obj.open() as registry:
        filing = registry.answer_filing(
            ref, state, on=at, until=until or None, reason=reason, by=by
        )
    echo(f"filing {filing.id}: {filing.state} on {filing.answered_on}")


@filing_app.command("registered")
def filing_registered(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF")],
    at: Annotated[str, typer.Option(help="The day of the answer.")],
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """The office registered the filing (予以备案)."""
    _answer(ctx, ref, "registered", at, "", "", by)


@filing_app.command("deferred")
def filing_deferred(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF")],
    at: Annotated[str, typer.Option(help="The day of the answer.")],
    until: Annotated[str, typer.Option(help="The day to correct it by (限期补正).")],
    reason: Annotated[str, typer.Option(help="Why.")],
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """The office deferred the filing for correction (暂缓登记)."""
    _answer(ctx, ref, "deferred", at, until, reason, by)


@filing_app.command("refused")
def filing_refused(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF")],
    at: Annotated[str, typer.Option(help="The day of the answer.")],
    reason: Annotated[str, typer.Option(help="Why.")],
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """The office refused the filing (不予备案)."""
    _answer(ctx, ref, "refused", at, "", reason, by)


@filing_app.command("opinion")
def filing_opinion(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF")],
    text: Annotated[str, typer.Option(help="The review opinion (审查意见).")],
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """The office's review opinion on the filing (审查意见)."""
    with _errors(), ctx.obj.open() as registry:
        registry.filing_opinion(ref, text, by=by)
    echo("recorded the opinion 已记录审查意见")


@filing_app.command("list")
def filing_list(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(metavar="[REF]")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Filings, of one document or of all."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.filings(ref)
    if as_json:
        _print_json([f.to_json() for f in found])
        return
    for f in found:
        echo(
            f"{f.id:>5}  instrument {f.instrument_id}  filed {f.filed_on} to {f.filed_to}  "
            f"{f.state} {f.answered_on}"
        )


@app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The document (id or 文号).")],
    step: Annotated[str, typer.Argument(metavar="STEP", help="report, opinion or decision.")],
    at: Annotated[str, typer.Option(help="The day of the step.")],
    text: Annotated[str, typer.Option(help="What the report or opinion says.")] = "",
    outcome: Annotated[
        str, typer.Option(help="The decision: extend (延长有效期), revise or repeal.")
    ] = "",
    new_expiry: Annotated[str, typer.Option(help="An extension's new end of validity.")] = "",
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """Record a step of a document's evaluation before its validity ends (到期评估)."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.evaluate(
            ref, step, on=at, text=text, outcome=outcome, new_expiry=new_expiry or None, by=by
        )
    echo(f"evaluation {found.id}: {step} on {at}")


@app.command("due")
def due_command(
    ctx: typer.Context,
    within: Annotated[str, typer.Option(help="A span: 6m (6个月), 90d.")] = "6m",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Documents whose validity ends soon, with the next step of their evaluation and its day."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.due(within)
    if as_json:
        _print_json([d.to_json() for d in found])
        return
    for d in found:
        flag = "  OVERDUE 逾期" if d.overdue else ""
        echo(
            f"{d.department}  {d.instrument.doc_number or d.instrument.id}  有效期至 {d.expires_on}  "
            f"{d.step} due {d.due_on}{flag}"
        )


comment_app = typer.Typer(
    help="Comments on draft results (征求意见): import them, answer each.", no_args_is_help=True
)
app.add_typer(comment_app, name="comment")


@comment_app.command("import")
def comment_import(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="A .csv or .xlsx sheet of comments.")
    ],
    by: Annotated[str, typer.Option(help="Who records them.")] = "",
) -> None:
    """Record the comments of a sheet (意见人, 日期, 文号/文件, 意见), all or none."""
    with _errors(), ctx.obj.open() as registry:
        made = registry.import_comments(campaign, path, by=by)
    echo(f"recorded {len(made)} comments 已登记意见")


@comment_app.command("answer")
def comment_answer(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(metavar="ID...")],
    answer: Annotated[str, typer.Option(help="采纳, 部分采纳 or 不采纳.")],
    reason: Annotated[str, typer.Option(help="Why (required unless 采纳).")] = "",
    at: Annotated[str, typer.Option(help="The day of the answer.")] = "",
    by: Annotated[str, typer.Option(help="Who answers.")] = "",
) -> None:
    """Answer comments."""
    with _errors(), ctx.obj.open() as registry:
        for comment_id in ids:
            registry.answer_comment(comment_id, answer, reason=reason, on=at or None, by=by)
    echo(f"answered {len(ids)} 已答复")


@app.command("plan")
def plan_command(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="The year the plan is for.")],
    rule: Annotated[
        str, typer.Option(help="'every 2 years' (每2年一轮) or '20% a year' (每年20%).")
    ],
    out: OutOption = None,
    campaign: Annotated[str, typer.Option(help="Also create this campaign from the plan.")] = "",
    deadline: Annotated[str, typer.Option(help="The campaign's deadline.")] = "",
    by: Annotated[str, typer.Option(help="Who creates the campaign.")] = "",
) -> None:
    """The year's review plan (年度清理计划, XLSX); with --campaign, the campaign made from it."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.plan(year, rule)
        _write_paper(found, out, "xlsx")
        if campaign:
            registry.campaign_from_plan(campaign, found, deadline=deadline or None, by=by)
    echo(f"{found.title}: {len(found.chosen)} of {found.stock} documents in force ({found.rule})")


@campaign_app.command("create")
def campaign_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Campaign name.")],
    cutoff: Annotated[
        str, typer.Option(help="Instruments made before this date are in scope.")
    ] = "",
    deadline: Annotated[str, typer.Option(help="Proposals are due by this date.")] = "",
    title: Annotated[str, typer.Option(help="The notice that announced it.")] = "",
    issuer: Annotated[
        list[str] | None, typer.Option(help="Only these issuers (part of the name).")
    ] = None,
    department: Annotated[list[str] | None, typer.Option(help="Only these departments.")] = None,
    kind: Annotated[
        list[str] | None, typer.Option(help="Only these kinds (规章, 规范性文件 ...).")
    ] = None,
    by: Annotated[str, typer.Option(help="Who creates it.")] = "",
    profile: Annotated[
        str,
        typer.Option(
            help="Campaign profile (清理类型): general, fair-competition (公平竞争审查), "
            "enterprise (涉企), fines (罚款), certificates (证明事项), or the registry's own."
        ),
    ] = "general",
) -> None:
    """Start a cleanup round; its scope is computed now and frozen."""
    with _errors(), ctx.obj.open() as registry:
        campaign = registry.create_campaign(
            name,
            cutoff=cutoff or None,
            deadline=deadline or None,
            title=title,
            issuers=issuer or [],
            departments=department or [],
            kinds=kind or [],
            by=by,
            profile=profile,
        )
        count = sum(p.in_scope for p in registry.progress(campaign.name))
        label = registry.profile(campaign.name).zh
    echo(f"created campaign {campaign.name} ({label}): {count} instruments in scope")


@campaign_app.command("profiles")
def campaign_profiles(ctx: typer.Context) -> None:
    """The campaign profiles (清理类型) this registry can use, with their problem classes."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.profiles()
    for profile in found.values():
        classes = "、".join(c.zh for c in profile.classes) or "-"
        echo(f"{profile.name}  {profile.zh}  classes 问题类别: {classes}")


@campaign_app.command("screen")
def campaign_screen(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    ref: Annotated[list[str] | None, typer.Option(help="Only these measures (id or 文号).")] = None,
    by: Annotated[str, typer.Option(help="Who runs the screening.")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List, record nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Screening pass (筛查): list the clauses of each measure in scope that the profile's signals
    raise, as candidates for a person to confirm or dismiss (`regclean problem confirm/dismiss`)."""
    with _errors(), ctx.obj.open() as registry:
        report = registry.screen(name, by=by, refs=ref or [], dry_run=dry_run)
    if as_json:
        _print_json(report.to_json())
        return
    for c in report.candidates:
        echo(
            f"{c.id or '-':>5}  {c.signal:<6} {c.item:<5} instrument {c.instrument_id} "
            f"{c.clause}  {c.quote[:60]}"
        )
    done = "would record" if dry_run else "recorded"
    echo(
        f"screened {report.screened} measures 已筛查: {done} {len(report.candidates)} candidates "
        f"待确认, {report.already} found before; {len(report.without_text)} without text 无全文"
    )


@campaign_app.command("keep-exception")
def campaign_keep_exception(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    ref: Annotated[str, typer.Argument(metavar="REF", help="The measure (id or 文号).")],
    ground: Annotated[
        str, typer.Option(help="The exception's ground (例外情形): code or words of the profile.")
    ],
    explanation: Annotated[
        str, typer.Option(help="Why no measure less harmful to competition would do.")
    ],
    until: Annotated[str, typer.Option(help="Its 实施期限: kept until this date.")] = "",
    condition: Annotated[str, typer.Option(help="Its 终止条件, where there is no date.")] = "",
    by: Annotated[str, typer.Option(help="Who proposes it.")] = "",
) -> None:
    """Propose to keep a measure as an exception (保留（例外）), with its period or condition."""
    with _errors(), ctx.obj.open() as registry:
        decision = registry.keep_as_exception(
            name,
            ref,
            ground,
            explanation=explanation,
            until=until or None,
            condition=condition,
            by=by,
        )
    echo(f"proposed decision {decision.id}: {decision.reason_text}")


item_app = typer.Typer(
    help="Items inside documents a thematic cleanup decides (证明事项, 罚款事项): add, decide, list.",
    no_args_is_help=True,
)
app.add_typer(item_app, name="item")


@item_app.command("add")
def item_add(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    ref: Annotated[str, typer.Argument(metavar="REF", help="The document (id or 文号).")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="The item's name (事项名称).")],
    kind: Annotated[
        str, typer.Option(help="证明事项, 罚款事项 ... (default: the profile's).")
    ] = "",
    article: Annotated[str, typer.Option(help="Where it stands (第N条).")] = "",
    text: Annotated[str, typer.Option(help="Its words.")] = "",
    from_problem: Annotated[
        int | None, typer.Option(help="The confirmed problem it comes from (its clause and words).")
    ] = None,
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """Record an item inside a document, by hand or from a confirmed problem."""
    with _errors(), ctx.obj.open() as registry:
        if from_problem is not None:
            item = registry.item_from_problem(from_problem, name, by=by)
        else:
            item = registry.add_item(
                campaign, ref, name, kind=kind, article=article, text=text, by=by
            )
    echo(f"item {item.id}: {item.kind} {item.name} (instrument {item.instrument_id})")


@item_app.command("import")
def item_import(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv or .xlsx sheet of items.")],
    by: Annotated[str, typer.Option(help="Who records them.")] = "",
) -> None:
    """Record the items of a sheet (文号/文件, 事项名称, 条款, 内容, 清理结果, 理由), all or none."""
    with _errors(), ctx.obj.open() as registry:
        made = registry.import_items(campaign, path, by=by)
    echo(f"recorded {len(made)} items 已登记事项")


@item_app.command("decide")
def item_decide(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(metavar="ID...")],
    outcome: Annotated[str, typer.Option(help="取消 (cancel), 保留 (keep) or 调整 (adjust).")],
    reason: Annotated[str, typer.Option(help="Why (required to cancel).")] = "",
    basis: Annotated[str, typer.Option(help="Under what rule.")] = "",
    by: Annotated[str, typer.Option(help="Who decides.")] = "",
) -> None:
    """Decide items: cancel, keep or adjust them."""
    with _errors(), ctx.obj.open() as registry:
        for item_id in ids:
            registry.decide_item(item_id, outcome, reason=reason, basis=basis, by=by)
    echo(f"decided {len(ids)} items")


@item_app.command("list")
def item_list(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    outcome: Annotated[str, typer.Option(help="Only 取消, 保留 or 调整.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A campaign's items (its 取消清单 with --outcome 取消)."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.items(campaign, outcome=outcome or None)
    if as_json:
        _print_json([i.to_json() for i in found])
        return
    for i in found:
        decided = i.outcome.zh if i.outcome else "未决定"
        echo(f"{i.id:>5}  {decided:<4} {i.kind} {i.name}  instrument {i.instrument_id} {i.article}")


problem_app = typer.Typer(
    help="Problems found in a thematic cleanup (问题): record, confirm, dismiss, count.",
    no_args_is_help=True,
)
app.add_typer(problem_app, name="problem")


@problem_app.command("add")
def problem_add(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    ref: Annotated[str, typer.Argument(metavar="REF", help="The measure (id or 文号).")],
    problem_class: Annotated[
        str, typer.Option("--class", help="Problem class (问题类别): code or Chinese name.")
    ] = "",
    item: Annotated[str, typer.Option(help="Item number of the profile (10.2).")] = "",
    clause: Annotated[str, typer.Option(help="Where it stands (第十二条).")] = "",
    quote: Annotated[str, typer.Option(help="The words of the clause.")] = "",
    note: Annotated[str, typer.Option(help="What the reviewer says.")] = "",
    enterprise: Annotated[
        bool | None, typer.Option("--enterprise/--not-enterprise", help="涉企 or not.")
    ] = None,
    by: Annotated[str, typer.Option(help="Who found it.")] = "",
) -> None:
    """Record a problem a person found in a measure (confirmed at once)."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.record_problem(
            campaign,
            ref,
            problem_class,
            item=item,
            clause=clause,
            quote=quote,
            note=note,
            enterprise=enterprise,
            by=by,
        )
    echo(
        f"problem {found.id}: instrument {found.instrument_id}, class {found.problem_class}"
        f"{' item ' + found.item if found.item else ''}"
    )


@problem_app.command("confirm")
def problem_confirm(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Candidates to confirm.")],
    by: Annotated[str, typer.Option(help="Who confirms.")] = "",
    reason: Annotated[str, typer.Option(help="Why (optional).")] = "",
    propose: Annotated[
        str, typer.Option(help="Also propose this outcome for the measure (修改, 废止 …).")
    ] = "",
) -> None:
    """Confirm candidates the screening pass found (确认问题)."""
    with _errors(), ctx.obj.open() as registry:
        for concern_id in ids:
            registry.confirm_problem(concern_id, by=by, reason=reason, propose=propose or None)
    echo(f"confirmed {len(ids)} 已确认")


@problem_app.command("dismiss")
def problem_dismiss(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Candidates to dismiss.")],
    reason: Annotated[str, typer.Option(help="Why it is no problem (required).")] = "",
    by: Annotated[str, typer.Option(help="Who dismisses.")] = "",
) -> None:
    """Dismiss candidates, with the reason (排除疑点)."""
    with _errors(), ctx.obj.open() as registry:
        for concern_id in ids:
            registry.dismiss_problem(concern_id, by=by, reason=reason)
    echo(f"dismissed {len(ids)} 已排除")


@problem_app.command("review")
def problem_review(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    ref: Annotated[str, typer.Argument(metavar="REF", help="The measure (id or 文号).")],
    stage: Annotated[str, typer.Option(help="起草单位初审, 会同审查 or 存量清理.")],
    reviewer: Annotated[str, typer.Option(help="Who reviewed it (审查人).")],
    on: Annotated[str, typer.Option(help="The day of the review (审查日期).")],
    conclusion: Annotated[
        str,
        typer.Option(help="可以出台/修改后出台/不得出台 (a draft); 保留/修改/废止 (the stock)."),
    ],
    breach: Annotated[
        list[str] | None,
        typer.Option(
            help="CLASS=说明 for each class of standards it offends; every class not "
            "named is recorded as not offended (否)."
        ),
    ] = None,
    exception: Annotated[str, typer.Option(help="The exception relied on (例外规定).")] = "",
    by: Annotated[str, typer.Option(help="Who enters it.")] = "",
) -> None:
    """Record the review of a measure as the 公平竞争审查表 has it (审查记录)."""
    with _errors(), ctx.obj.open() as registry:
        named = {}
        for item in breach or []:
            name, sep, note = item.partition("=")
            if not sep or not name.strip() or not note.strip():
                raise typer.BadParameter(
                    f"{item!r}: use CLASS=说明, e.g. cost=按纳税额奖励", param_hint="--breach"
                )
            named[name.strip()] = note.strip()
        findings: dict[str, Any] = {c.code: False for c in registry.profile(campaign).classes}
        findings |= {k: (True, v) for k, v in named.items()}
        record = registry.record_review(
            campaign,
            ref,
            stage=stage,
            reviewer=reviewer,
            reviewed_on=on,
            findings=findings,
            conclusion=conclusion,
            exception=exception,
            by=by,
        )
    echo(f"review record {record.id}: {record.conclusion}")


@problem_app.command("list")
def problem_list(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    state: Annotated[str, typer.Option(help="candidate, confirmed or dismissed.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The problems of a campaign."""
    with _errors(), ctx.obj.open() as registry:
        found = registry.problems(campaign, state=state or None)
    if as_json:
        _print_json([c.to_json() for c in found])
        return
    for c in found:
        echo(
            f"{c.id:>5}  {c.state:<9} {c.problem_class:<8} {c.item:<5} instrument "
            f"{c.instrument_id} {c.clause}  {c.quote[:50]}"
        )


@problem_app.command("stats")
def problem_stats(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Argument(metavar="CAMPAIGN")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Confirmed problems in 件 and 件次 (a measure once per class), with 涉企, by class."""
    with _errors(), ctx.obj.open() as registry:
        tally = registry.problem_statistics(campaign)
        profile = registry.profile(campaign)
    if as_json:
        _print_json(tally.to_json())
        return
    echo(tally.summary())
    echo(f"{'class 问题类别':<20} {'件':>5} {'件次':>5} {'涉企件':>6} {'涉企件次':>8}")
    for problem_class in profile.classes:
        count = tally.by_class[problem_class.code]
        echo(
            f"{problem_class.zh:<20} {count.pieces:>5} {count.times:>5} "
            f"{count.enterprise_pieces:>6} {count.enterprise_times:>8}"
        )
    echo(
        f"candidates awaiting a person 待确认: {tally.candidates}; dismissed 已排除: {tally.dismissed}"
    )


@campaign_app.command("list")
def campaign_list(ctx: typer.Context) -> None:
    """List the campaigns."""
    with _errors(), ctx.obj.open() as registry:
        for c in registry.campaigns():
            state = f"closed {c.closed_at}" if c.closed_at else "open"
            echo(
                f"{c.name}  cutoff {c.cutoff or '-'}  deadline {c.deadline or '-'}  {state}  {c.title}"
            )


@campaign_app.command("show")
def campaign_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One campaign: its scope filters, dates and progress by department."""
    with _errors(), ctx.obj.open() as registry:
        campaign = registry.campaign(name)
        rows = [p.to_json() for p in registry.progress(name)]
    if as_json:
        _print_json(
            {
                "name": campaign.name,
                "title": campaign.title,
                "cutoff": _iso(campaign.cutoff),
                "deadline": _iso(campaign.deadline),
                "scope": dict(campaign.scope),
                "closed_at": campaign.closed_at,
                "departments": rows,
            }
        )
        return
    closed = f", closed {campaign.closed_at}" if campaign.closed_at else ""
    echo(
        f"{campaign.name}: cutoff {campaign.cutoff or '-'}, deadline {campaign.deadline or '-'}{closed}"
    )
    _progress_table(rows)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _progress_table(rows: list[dict[str, Any]]) -> None:
    echo(
        f"{'department 责任单位':<24} {'scope':>6} {'proposed':>9} {'approved':>9} {'undecided':>10}"
    )
    for r in rows:
        flag = "  OVERDUE 逾期" if r["overdue"] else ""
        echo(
            f"{r['department']:<24} {r['in_scope']:>6} {r['proposed']:>9} {r['approved']:>9} {r['undecided']:>10}{flag}"
        )


@campaign_app.command("add")
def campaign_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    refs: Annotated[list[str], typer.Argument(metavar="REF...")],
    by: Annotated[str, typer.Option(help="Who adds them.")] = "",
    reason: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Add instruments to a campaign's scope (logged)."""
    with _errors(), ctx.obj.open() as registry:
        ids = registry.campaign_scope(name, refs, add=True, by=by, reason=reason)
    echo(f"added {len(ids)} instrument(s) to {name}")


@campaign_app.command("remove")
def campaign_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    refs: Annotated[list[str], typer.Argument(metavar="REF...")],
    by: Annotated[str, typer.Option(help="Who removes them.")] = "",
    reason: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Take instruments out of a campaign's scope (logged; nothing is deleted)."""
    with _errors(), ctx.obj.open() as registry:
        ids = registry.campaign_scope(name, refs, add=False, by=by, reason=reason)
    echo(f"removed {len(ids)} instrument(s) from {name}")


@campaign_app.command("assign")
def campaign_assign(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    ref: Annotated[str, typer.Argument(metavar="REF")],
    department: Annotated[str, typer.Argument(metavar="DEPARTMENT")],
    by: Annotated[str, typer.Option(help="Who reassigns it.")] = "",
) -> None:
    """Make another department responsible for an instrument (谁实施谁清理); logged."""
    with _errors(), ctx.obj.open() as registry:
        before = registry.assign(name, ref, department, by=by)
    echo(f"reassigned from {before} to {department}")


@campaign_app.command("close")
def campaign_close(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
    by: Annotated[str, typer.Option(help="Who closes it.")] = "",
    declare_void: Annotated[
        bool,
        typer.Option(
            help="Negative list: declare in-scope instruments without a keep decision void."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="List what would be declared void; change nothing.")
    ] = False,
    decision_doc: Annotated[str, typer.Option(help="Number of the government decision.")] = "",
    decision_title: Annotated[str, typer.Option(help="Title of the government decision.")] = "",
    effective: Annotated[str, typer.Option(help="Date it takes effect (default today).")] = "",
) -> None:
    """Close a campaign; with --declare-void apply the negative-list rule as one logged batch."""
    if not by and not dry_run:
        raise typer.BadParameter("--by is required", param_hint="--by")
    with _errors(), ctx.obj.open() as registry:
        void = registry.close_campaign(
            name,
            by=by or "dry-run",
            declare_void=declare_void,
            dry_run=dry_run,
            decision_doc=decision_doc,
            decision_title=decision_title,
            effective_on=effective or None,
        )
        listed = [registry.get(i) for i in void]
    for instrument in listed:
        echo(f"  [{instrument.id}] {instrument.title}  {instrument.doc_number}")
    verb = "would declare void" if dry_run else "declared void"
    echo(f"{verb}: {len(listed)} instrument(s)" + ("" if dry_run else f"; closed {name}"))


@app.command()
def progress(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array, one object per department.")
    ] = False,
) -> None:
    """Per-department progress of a campaign (清理进度): what each still owes."""
    with _errors(), ctx.obj.open() as registry:
        rows = [p.to_json() for p in registry.progress(campaign)]
    if as_json:
        _print_json(rows)
        return
    _progress_table(rows)


@app.command()
def check(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="Inspect this campaign (漏清, 延迟报送 ...).")] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array of findings.")
    ] = False,
) -> None:
    """Inspection findings (检查): missed, late, conflicting, basis_repealed, expired,
    evaluation_due, no_reason. Exits 1 when there is an error-level finding."""
    with _errors(), ctx.obj.open() as registry:
        found = [f.to_json() for f in registry.check(campaign or None)]
    if as_json:
        _print_json(found)
    else:
        for f in found:
            echo(
                f"{f['severity']:<7} {f['code']:<15} [{f['instrument']}] "
                f"{f['number'] or '无文号'} {f['title']} — {f['department']}: {f['message']}"
            )
        echo(f"{len(found)} finding(s)", err=True)
    if any(f["severity"] == "error" for f in found):
        raise typer.Exit(code=1)


OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="The file to write (default: the paper's title, here)."),
]
FontsOption = Annotated[
    str,
    typer.Option(
        help="standard: the fonts GB/T 9704 names (方正小标宋简体, 仿宋_GB2312 ...); "
        "common: 宋体, 仿宋, 黑体, 楷体."
    ),
]


def _write_paper(paper: Any, out: Path | None, fmt: str | None, fonts: str = "standard") -> None:
    """Write a paper and say where; the format comes from --format, else the suffix of --out."""
    from regclean import papers  # Word and Excel load only when a paper is made

    allowed = papers.FORMATS[type(paper)]
    fmt = (fmt or (out.suffix.lstrip(".") if out and out.suffix else allowed[0])).lower()
    if out is None:
        safe = "".join("_" if c in '/\\:*?"<>|' else c for c in paper.title)
        out = Path(f"{safe}.{fmt}")
    for path in papers.write(paper, out, format=fmt, fonts=fonts):
        echo(f"wrote {path}")


@report_app.command("inspection")
def report_inspection(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    department: Annotated[str, typer.Option(help="Only this department (责任单位).")] = "",
    fmt: Annotated[str | None, typer.Option("--format", help="docx or html.")] = None,
    out: OutOption = None,
    fonts: FontsOption = "standard",
) -> None:
    """The inspection report of a campaign (检查报告): per department, what is in scope,
    decided by outcome, undecided, late, missed, conflicting ..., each finding with its
    instrument, and a summary in Chinese; made from the registry state it names."""
    with _errors(), ctx.obj.open() as registry:
        _write_paper(registry.inspection(campaign, department or None), out, fmt, fonts)


@report_app.command("stats")
def report_stats(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    by_kind: Annotated[
        bool,
        typer.Option(
            "--by-kind", help="Split each department's row by kind (规章 / 行政规范性文件)."
        ),
    ] = False,
    department: Annotated[str, typer.Option(help="Only this department (责任单位).")] = "",
    fmt: Annotated[str | None, typer.Option("--format", help="xlsx or csv.")] = None,
    out: OutOption = None,
) -> None:
    """Statistics for reporting up (清理情况统计表): one row per department and a total row;
    清理总数, 继续有效, 修改, 废止, 宣布失效, 部分失效, 不属于规范性文件, 未完成."""
    with _errors(), ctx.obj.open() as registry:
        stats = registry.statistics(campaign, by_kind=by_kind, department=department or None)
        _write_paper(stats, out, fmt)


@report_app.command("review-form")
def report_review_form(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The measure (id or 文号).")],
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    out: OutOption = None,
    fonts: FontsOption = "standard",
) -> None:
    """The 公平竞争审查表 of a measure (DOCX), from its latest review record."""
    with _errors(), ctx.obj.open() as registry:
        form = registry.review_form(campaign, ref)
        _write_paper(form, out, "docx", fonts)


@report_app.command("filing")
def report_filing(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option(help="The quarter, e.g. 2025Q1.")],
    out: OutOption = None,
) -> None:
    """A quarter's 备案目录 with 报备率, 报备及时率 and 规范率 (XLSX)."""
    with _errors(), ctx.obj.open() as registry:
        catalog = registry.filing_catalog(quarter)
        _write_paper(catalog, out, "xlsx")
    for name, rate, _n, _d in catalog.rates:
        echo(f"{name}: {rate}")


@report_app.command("comments")
def report_comments(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    out: OutOption = None,
) -> None:
    """How the comments on the draft results were answered (意见采纳情况, XLSX)."""
    with _errors(), ctx.obj.open() as registry:
        report = registry.comment_report(campaign)
        _write_paper(report, out, "xlsx")
    echo(report.summary)


@report_app.command("evaluation")
def report_evaluation(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The document (id or 文号).")],
    out: OutOption = None,
    fonts: FontsOption = "standard",
) -> None:
    """The 评估报告 skeleton of a document before its validity ends (DOCX), filled with its facts."""
    with _errors(), ctx.obj.open() as registry:
        report = registry.evaluation_report(ref)
        _write_paper(report, out, "docx", fonts)


@report_app.command("classes")
def report_classes(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    out: OutOption = None,
) -> None:
    """A thematic campaign's problems by class and department, in 件, 件次 and 涉企 (XLSX)."""
    with _errors(), ctx.obj.open() as registry:
        summary = registry.class_summary(campaign)
        _write_paper(summary, out, "xlsx")


@draft_app.command("results")
def draft_results(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    until: Annotated[str, typer.Option(help="The last day of the comment period.")],
    contact: Annotated[str, typer.Option(help="Where comments go (address, telephone, e-mail).")],
    fmt: Annotated[str | None, typer.Option("--format", help="html or csv.")] = None,
    out: OutOption = None,
) -> None:
    """The proposed results out for comment (征求意见稿): a page of its own, clearly marked, with
    the comment period and the contact; publish it beside the site, never inside it."""
    with _errors(), ctx.obj.open() as registry:
        draft = registry.results_draft(campaign, until=until, contact=contact)
        _write_paper(draft, out, fmt)


@draft_app.command("decision")
def draft_decision(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(metavar="[REF]...", help="Instruments (instead of a campaign)."),
    ] = None,
    title: Annotated[str, typer.Option(help="The decision's title (标题).")] = "",
    campaign: Annotated[str, typer.Option(help="Every decision of this campaign.")] = "",
    number: Annotated[str, typer.Option(help="Its document number (发文字号).")] = "",
    issuer: Annotated[str, typer.Option(help="Who issues it (发文机关署名).")] = "",
    date: Annotated[str, typer.Option(help="The date under the signature (成文日期).")] = "",
    fmt: Annotated[str | None, typer.Option("--format", help="docx.")] = None,
    out: OutOption = None,
    fonts: FontsOption = "standard",
) -> None:
    """Draft the decision (决定) in official-document layout (GB/T 9704), with 附件 1..n the
    catalogs of what is repealed, invalidated, revised and kept, and its 起草说明 beside it."""
    if not title:
        _fail("give the decision's title with --title")
    with _errors(), ctx.obj.open() as registry:
        draft = registry.decision_draft(
            title=title,
            campaign=campaign or None,
            refs=refs or (),
            number=number,
            issuer=issuer,
            signed_on=date or None,
        )
        _write_paper(draft, out, fmt, fonts)


@app.command()
def form(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help="The campaign (清理批次).")],
    department: Annotated[str, typer.Option(help="The department the form is for (责任单位).")],
    fmt: Annotated[str | None, typer.Option("--format", help="xlsx.")] = None,
    out: OutOption = None,
) -> None:
    """The form a department fills in (清理意见表): its instruments in the campaign's scope,
    with 清理意见 as a drop-down and 理由 to write; `regclean import` reads it back as the
    department's proposals."""
    with _errors(), ctx.obj.open() as registry:
        _write_paper(registry.department_form(campaign, department), out, fmt)


@app.command()
def relate(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(metavar="A")],
    relation: Annotated[
        str, typer.Argument(metavar="RELATION", help="amends, repeals, replaces, based_on, cites.")
    ],
    obj: Annotated[str, typer.Argument(metavar="B")],
    by: Annotated[str, typer.Option(help="Who records it.")] = "",
) -> None:
    """Record that A amends / repeals / replaces / is based_on / cites B."""
    with _errors(), ctx.obj.open() as registry:
        rel = registry.relate(subject, relation, obj, by=by)
    echo(f"recorded: {rel.subject_id} {rel.kind.value} {rel.object_id}")


REFERENCE_HEADER = """# Command-line reference

Generated from the commands' own help by `regclean cli-reference > docs/cli.md`; a test fails
when this file is stale. Concepts and examples are in [concepts.md](concepts.md) and the
[README](../README.md).
"""


def cli_reference() -> str:
    """The Markdown reference of every command, from their --help texts."""
    from typer.testing import CliRunner  # only for the reference it prints

    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    group = typer.main.get_command(app)
    paths: list[list[str]] = [[]]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if getattr(command, "hidden", False):
            continue
        paths.append([name])
        for sub in getattr(command, "commands", {}):
            paths.append([name, sub])
    parts = [REFERENCE_HEADER]
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env=env, prog_name="regclean")
        title = " ".join(["regclean", *path])
        parts.append(f"## `{title}`\n\n```text\n{result.stdout.strip()}\n```\n")
    return "\n".join(parts)


@app.command("cli-reference", hidden=True)
def cli_reference_command() -> None:
    """Print the Markdown CLI reference (for docs/cli.md)."""
    echo(cli_reference(), nl=False)


def main() -> None:
    """Console-script entry point. An argument that is not valid UTF-8 (a shell passing raw
    bytes) is a usage error naming it, not a failure deep inside."""
    for position, arg in enumerate(sys.argv[1:], start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            echo(f"error: argument {position} ({shown}) is not valid UTF-8 text", err=True)
            raise SystemExit(2) from None
    app(prog_name="regclean")


if __name__ == "__main__":
    sys.exit(main())
