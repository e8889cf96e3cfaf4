"""The public catalogs (目录): which catalogs there are, which instruments each lists, and
what a catalog row says. Publishing and export both take their catalogs from here.

The definitions come from ``catalogs.toml``: a registry's own ``catalogs/`` folder first, then
the one shipped with regclean (the installed package ``regclean.catalogs``).

(This module is ``catalog``, not ``catalogs``: that name belongs to the shipped folder.)
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from . import urls
from .dates import iso
from .errors import Problem, PublishError, RegcleanError, ValidationError
from .models import Decision, Instrument, status_from
from .store import Reader
from .vocab import DecisionState, Outcome, Status


def _shipped() -> Path:
    """The shipped catalogs: the installed package ``regclean.catalogs``, or, run from a source
    checkout (``python -m regclean`` beside an installed copy), the checkout's ``catalogs/``."""
    try:
        return Path(str(resources.files("regclean.catalogs")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "catalogs"


SHIPPED = _shipped()
DEFINITIONS = "catalogs.toml"
OVERRIDE = "catalogs"  # a registry's own folder of catalog files


@attrs.frozen
class CatalogDef:
    """One published catalog, as ``catalogs.toml`` defines it.

    Attributes:
        name: used in file names (``repealed`` -> catalogs/repealed.html).
        outcome: the decision outcome it lists.
        title_zh, title_en: its title in each language.
        group_by: ``decision`` (one group per government decision), ``issuer`` or ``none``.
        stylesheet: the XSLT file that renders it.
    """

    name: str
    outcome: Outcome
    title_zh: str
    title_en: str
    group_by: str = "decision"
    stylesheet: str = "catalog.xsl"

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes of the decisions it lists (an invalidation catalog also lists partial
        invalidations, 宣布部分条款失效)."""
        if self.outcome is Outcome.INVALIDATE:
            return (Outcome.INVALIDATE, Outcome.INVALIDATE_IN_PART)
        return (self.outcome,)

    def lists(self, outcome: str, status: str) -> bool:
        """Whether the catalog lists an instrument whose listing decision has ``outcome`` and
        whose status is ``status`` (values): a keep catalog lists only what is in force; an
        invalidation catalog also lists partial invalidations (宣布部分条款失效)."""
        if outcome != self.outcome.value:
            return outcome in (o.value for o in self.outcomes)
        return self.outcome is not Outcome.KEEP or status in _IN_FORCE


_IN_FORCE = frozenset(s.value for s in Status if s.in_force)


def folders(home: Path | None) -> list[Path]:
    """Where catalog files are looked for: the registry's own folder (when there is one), then
    the shipped one."""
    own = home / OVERRIDE if home is not None else None
    return [own, SHIPPED] if own is not None and own.is_dir() else [SHIPPED]


def find_file(where: Sequence[Path], name: str) -> Path:
    """The first file of that name; PublishError listing every path tried otherwise."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise PublishError(f"stylesheet name {name!r} must be a plain file name")
    tried = [folder / name for folder in where]
    for path in tried:
        if path.is_file():
            return path
    raise PublishError(f"{name}: not found; looked in " + ", ".join(map(str, tried)))


def definitions(home: Path | None) -> list[CatalogDef]:
    """The catalogs of the registry in folder ``home`` (or the shipped ones, None)."""
    return load_catalogs(find_file(folders(home), DEFINITIONS))


def load_catalogs(path: Path) -> list[CatalogDef]:
    """Read a ``catalogs.toml``; errors name the file and the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PublishError(f"{path}: cannot read the catalog definitions: {exc}") from None
    out = []
    for number, entry in enumerate(data.get("catalog", []), start=1):
        try:
            out.append(
                CatalogDef(
                    name=urls.check_catalog_name(entry["name"]),
                    outcome=Outcome.parse(entry["outcome"]),
                    title_zh=entry["title_zh"],
                    title_en=entry.get("title_en", entry["title_zh"]),
                    group_by=entry.get("group_by", "decision"),
                    stylesheet=entry.get("stylesheet", "catalog.xsl"),
                )
            )
        except (KeyError, ValueError, RegcleanError) as exc:
            raise PublishError(f"{path}: catalog #{number}: {exc}") from None
        if out[-1].group_by not in ("decision", "issuer", "none"):
            raise PublishError(
                f"{path}: catalog #{number}: group_by must be decision, issuer or none"
            )
    if not out:
        raise PublishError(f"{path}: defines no [[catalog]]")
    return out


def named(catalogs: Sequence[CatalogDef], name: str) -> CatalogDef:
    """The catalog of that name; ValidationError naming the known ones otherwise."""
    for catalog in catalogs:
        if catalog.name == name:
            return catalog
    known = ", ".join(c.name for c in catalogs)
    raise ValidationError(
        [Problem(f"no catalog named {name!r} (catalogs: {known})", field="catalog")]
    )


def listing_decision(decisions: Sequence[Decision], day: dt.date) -> Decision | None:
    """The approved decision in effect on ``day`` that decides where an instrument is listed
    (the latest of them)."""
    in_effect = [d for d in decisions if d.state is DecisionState.APPROVED and d.in_effect_on(day)]
    return in_effect[-1] if in_effect else None


def row_values(instrument: Instrument, decision: Decision) -> dict[str, Any]:
    """A catalog row as plain data, without its number (the JSON twin and the CSV use it, and
    so does ``regclean export --catalog``). ``date`` is the published date, else the signed
    date (``date_is`` says which); ``validity`` and ``expires_on`` matter to the kept."""
    i, d = instrument, decision
    date, date_is = (i.published_on, "published") if i.published_on else (i.signed_on, "signed")
    return {
        "id": i.id,
        "title": i.title,
        "doc_number": i.doc_number,
        "issuer": i.issuer,
        "published_on": iso(i.published_on),
        "outcome": d.outcome.value,
        "outcome_zh": d.outcome.zh,
        "effective_on": iso(d.effective_on),
        "reason": "；".join(
            filter(None, (f"{d.articles}失效" if d.articles else "", d.reason_text))
        ),
        "decision_title": d.decision_title,
        "decision_doc": d.decision_doc,
        "url": urls.instrument(i.id),
        "date": iso(date),
        "date_is": date_is if date else None,
        "validity": i.validity,
        "expires_on": iso(i.expires_on),
        "registration_no": i.registration_no,
    }


def rows(reads: Reader, catalog: CatalogDef) -> list[dict[str, Any]]:
    """The rows of a catalog today, numbered from 1, in the published order (by id). Only
    instruments with an approved decision of the catalog's outcome are read."""
    day = reads.today()
    candidates = reads.decided(
        (DecisionState.APPROVED.value,), tuple(o.value for o in catalog.outcomes)
    )
    out = []
    for instrument, decisions in reads.instruments_with_decisions(candidates):
        decision = listing_decision(decisions, day)
        status = status_from(instrument, decisions, day)
        if decision is not None and catalog.lists(decision.outcome.value, status.value):
            out.append(row_values(instrument, decision))
    return [{"n": n, **row} for n, row in enumerate(out, start=1)]
