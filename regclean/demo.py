"""The demo: a registry built from real published decisions, a cleanup run on it, the site.

The sample rows ship inside the package (``regclean/data/published-decisions.csv``; sources in
``SOURCES.md`` beside it). The demo imports them (each row's outcome becomes a proposal), then
approves each source's proposals as the decision document that enacted them, and publishes the
catalogs to ``site/``.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .errors import RegistryError
from .registry import Registry
from .store import Clock, utc_now
from .vocab import Status

if TYPE_CHECKING:
    from .ingest import ImportReport

MARKER = ".regclean-demo"
SAMPLE = "published-decisions.csv"


@attrs.frozen
class DemoResult:
    """What the demo built.

    Attributes:
        outdir: the demo folder.
        registry_path: the registry inside it.
        report: the import report.
        approved: decisions approved.
        documents: decision documents they were grouped in.
        counts: instruments per status today.
        papers: the papers made for the demo campaign (检查报告, 统计表, 决定 and 起草说明,
            清理意见表), as paths inside ``outdir``.
    """

    outdir: Path
    registry_path: Path
    report: ImportReport
    approved: int
    documents: int
    counts: dict[Status, int]
    papers: tuple[str, ...] = ()  # the papers of the demo campaign, relative to outdir

    @property
    def site_index(self) -> Path:
        """The published site's home page: open it in a browser."""
        return self.outdir / "site" / "index.html"

    def summary(self) -> str:
        """What a person reads after ``regclean demo``."""
        lines = [
            f"regclean demo: a cleanup of {self.report.rows} real published decisions",
            f"  registry: {self.registry_path}",
            f"  {self.report.summary()}",
            f"  approved {self.approved} decisions in {self.documents} decision documents",
            "status today (现状):",
        ]
        lines += [f"  {_pad(s.zh, 18)} {s.value:<17} {n:>4}" for s, n in self.counts.items() if n]
        reg = self.registry_path
        lines += [f"published site: {self.site_index}"]
        if self.papers:
            lines.append(f"papers of the campaign (清理文书): {self.outdir / 'papers'}")
            lines += [f"  {Path(p).name}" for p in self.papers]
        lines += [
            "try:",
            f"  regclean --registry {reg} show 省政府令第114号",
            f"  regclean --registry {reg} history 鲁政发[1983]90号",
            f"  regclean --registry {reg} search 管理办法 --status 已废止",
            f"  regclean --registry {reg} progress --campaign 演示批次",
            f"  regclean --registry {reg} report stats --campaign 演示批次 --format csv",
        ]
        return "\n".join(lines)


def sample_text(name: str = SAMPLE) -> str:
    """The text of a data file shipped with regclean."""
    return resources.files("regclean.data").joinpath(name).read_text(encoding="utf-8")


def run_demo(outdir: str | Path = "regclean-demo", *, clock: Clock = utc_now) -> DemoResult:
    """Build the demo in ``outdir`` (replacing an earlier demo there, never other files)."""
    outdir = Path(outdir).absolute()
    if outdir.exists() and not _earlier_demo(outdir):
        raise RegistryError(f"{outdir}: exists and is not an earlier demo; choose another folder")
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".regclean-demo-", dir=outdir.parent))
    try:
        result = _build(staging, clock)
        (staging / MARKER).write_text("built by regclean demo\n", encoding="utf-8")
        _swap(staging, outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return attrs.evolve(result, outdir=outdir, registry_path=outdir / "registry")


def _earlier_demo(folder: Path) -> bool:
    """``folder`` is empty, or holds what a demo writes and nothing else (a marker alone, which
    anyone can plant, is not enough to replace a folder)."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    names = {p.name for p in folder.iterdir()}
    made = {MARKER, ".site.lock", "papers", SAMPLE, "registry", "site"}
    return not names or (MARKER in names and names <= made)


def _build(folder: Path, clock: Clock) -> DemoResult:
    documents_by_source = {
        doc["source"]: doc for doc in csv.DictReader(io.StringIO(sample_text("decisions.csv")))
    }
    sample = folder / SAMPLE
    _write_sample(sample, documents_by_source)
    with Registry.init(
        folder / "registry", site_title="规章和规范性文件清理结果（示例）", clock=clock
    ) as registry:
        report = registry.import_file(sample, by="demo")
        titles_by_source: dict[str, list[str]] = defaultdict(list)
        for row in csv.DictReader(io.StringIO(sample_text())):
            titles_by_source[row["source"]].append(row["title"])
        approved = 0
        documents = 0
        for doc in documents_by_source.values():
            decided = registry.approve(
                titles_by_source[doc["source"]],
                by=doc["approved_by"],
                decision_doc=doc["decision_doc"],
                decision_title=doc["decision_title"],
                effective_on=doc["effective_on"],
            )
            approved += len(decided)
            documents += 1
        _campaign(registry)
        counts = registry.counts_by_status()
        registry.publish(folder / "site")
        papers = _papers(registry, folder / "papers")
    papers_ = tuple(str(p.relative_to(folder)) for p in papers)
    return DemoResult(folder, folder / "registry", report, approved, documents, counts, papers_)


def _papers(registry: Registry, where: Path) -> list[Path]:
    """The four papers of the demo campaign: the inspection report (Word and HTML), the
    statistics (Excel), the draft decision with its 起草说明, and the first department's form."""
    from .papers import write  # Word and Excel load only when a paper is made

    name = "演示批次"
    written = write(registry.inspection(name), where / "检查报告.docx")
    written += write(registry.inspection(name), where / "检查报告.html")
    written += write(registry.statistics(name, by_kind=True), where / "清理情况统计表.xlsx")
    draft = registry.decision_draft(
        campaign=name, title="关于公布规章和规范性文件清理结果的决定（示例）", issuer="（发文机关）"
    )
    written += write(draft, where / "决定.docx")
    first = registry.progress(name)[0].department
    written += write(registry.department_form(name, first), where / f"清理意见表-{first}.xlsx")
    return written


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def _campaign(registry: Registry) -> None:
    """A demonstration round over what is still in force (labelled as such: it is not one of the
    published decisions), with its one instrument reviewed and kept."""
    campaign = registry.create_campaign(
        "演示批次",
        cutoff="2024-12-31",
        deadline="2099-12-31",
        title="演示用清理批次（非真实数据）",
        by="demo",
    )
    owed = 0
    for row in registry.progress(campaign.name):
        for instrument_id in row.owed:
            registry.propose(
                instrument_id,
                "继续有效",
                campaign=campaign.name,
                by="demo",
                department=row.department,
                reason="经评估，符合上位法规定，继续有效",
            )
            owed += 1
    # the revisions approved above keep their instruments in force (现行有效（拟修改）) and count
    # for the round: only what nothing decided yet is kept here
    if owed:
        registry.approve(campaign=campaign.name, by="demo", effective_on=registry.today())


def _write_sample(path: Path, documents_by_source: dict[str, dict[str, str]]) -> None:
    """The shipped rows plus the kind of each source's instruments (规章, 法规 ...)."""
    rows = list(csv.DictReader(io.StringIO(sample_text())))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, [*rows[0].keys(), "kind"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "kind": documents_by_source[row["source"]]["kind"]})


def _swap(staging: Path, outdir: Path) -> None:
    """Put the finished demo in place; an earlier demo is removed only once the new one exists."""
    if outdir.exists():
        old = outdir.with_name(outdir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        outdir.rename(old)
        staging.rename(outdir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(outdir)
