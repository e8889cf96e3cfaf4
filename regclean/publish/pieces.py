"""Each instrument's share of the site's aggregate files (a :class:`Piece`).

The aggregate files of a site (``registry.xml``, the catalogs and their CSV and JSON, the issuer
pages, the Atom feed, the sitemap, the counts on the home page) are each the same frame around
one part per instrument, in a fixed order. A :class:`Piece` holds every part of one instrument,
already serialised; :mod:`.assemble` makes the files from pieces by splicing bytes. A full
publish makes every piece; a republish makes only the pieces of the instruments that changed and
reuses the others from the previous publish (:mod:`.cache`), so both paths go through the same
assembly and give the same bytes by construction.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, NamedTuple

from lxml import etree

from .. import urls
from ..catalog import CatalogDef, row_values
from ..export import excel_safe
from ..text import issuer_name
from ..vocab import DecisionState
from . import finder, twins
from .site import Entry, SiteData
from .xmlview import decision_element, instrument_element, sub

CATALOG_ROOT = "../"  # catalogs/x.html and issuers/x.html are one folder down
ATOM = twins.ATOM
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NO_ISSUER = "—"


class Piece(NamedTuple):
    """One instrument's parts of the aggregate files.

    Attributes:
        id: the instrument.
        status: its status code on the publishing day.
        issuer: the issuer it is listed under (``—`` when not recorded).
        version: (day, seq, hash) of its latest event: what pages built from it name.
        xml: its ``<instrument>`` in ``registry.xml``, indented, with the line end.
        outcome: the outcome of the approved decision that lists it in a catalog ("" if none).
        group: (effective date, decision 文号, decision title) of that decision.
        row: its catalog row for the page document (without the row number).
        csv: its CSV line without the row number cell.
        json: its JSON row without the row number, indented for the ``rows`` list.
        feed: (updated, decision id, kind, entry bytes) of each of its Atom entries.
        issuer_row: its row on its issuer's page.
    """

    id: int
    status: str
    issuer: str
    version: tuple[str, int, str]
    xml: bytes
    outcome: str
    group: tuple[str, str, str]
    row: bytes
    csv: str
    json: str
    feed: tuple[tuple[str, int, str, bytes], ...]
    issuer_row: bytes

    def listed_in(self, catalog: CatalogDef) -> bool:
        """Whether a catalog lists this instrument (a keep catalog lists only those in force)."""
        return catalog.lists(self.outcome, self.status)


# -- making pieces ----------------------------------------------------------------------------


def make_piece(data: SiteData, entry: Entry, lang: str, version: tuple[str, int, str]) -> Piece:
    """The parts of one instrument; ``version`` is (day, seq, hash) of its latest event."""
    i, d = entry.instrument, entry.current
    holder = etree.Element("holder")

    el = instrument_element(holder, entry, lang, "")
    for decision in entry.decisions:
        decision_element(el, decision, lang, data.time_zone, data.handlers)
    for name, other in entry.relations:
        sub(el, "relation", other.title, kind=name, ref=other.id)
    etree.indent(el, space="  ", level=1)
    xml = b"  " + etree.tostring(el, encoding="utf-8", with_tail=False) + b"\n"

    outcome, group, row, csv_line, json_row = "", ("", "", ""), b"", "", ""
    if d is not None:
        outcome = d.outcome.value
        effective = d.effective_on.isoformat() if d.effective_on else ""
        group = (effective, d.decision_doc, d.decision_title)
        element = instrument_element(holder, entry, lang, CATALOG_ROOT)
        decision_element(element, d, lang, data.time_zone, data.handlers)
        for name, other in entry.relations:
            if name == "replaced_by":
                sub(
                    element, "successor", other.title, href=CATALOG_ROOT + urls.instrument(other.id)
                )
        row = etree.tostring(element, encoding="utf-8", with_tail=False)
        values = row_values(i, d)
        csv_line = _csv_line(values)
        json_row = _json_row(values)

    issuer = issuer_name(i.issuer) or NO_ISSUER
    item = sub(holder, "instrument", id=i.id, href=CATALOG_ROOT + urls.instrument(i.id))
    sub(item, "title", i.title)
    sub(item, "number", i.doc_number)
    sub(item, "status", entry.status.label(lang), code=entry.status.value)
    issuer_row = etree.tostring(item, encoding="utf-8", with_tail=False)

    return Piece(
        id=i.id,
        status=entry.status.value,
        issuer=issuer,
        version=version,
        xml=xml,
        outcome=outcome,
        group=group,
        row=row,
        csv=csv_line,
        json=json_row,
        feed=_feed_entries(data, entry),
        issuer_row=issuer_row,
    )


def search_item(entry: Entry, lang: str) -> tuple[list[Any], str]:
    """What the site's search shows of an instrument, and the folded text it is found by."""
    i, d = entry.instrument, entry.current
    date = i.published_on or i.signed_on
    record = [
        i.title,
        i.doc_number,
        i.issuer,
        entry.status.value,
        entry.status.label(lang),
        date.isoformat() if date else "",
        d.decision_title if d else "",
        d.decision_doc if d else "",
        d.effective_on.isoformat() if d and d.effective_on else "",
    ]
    key = i.number.key if i.number else ""
    return record, finder.entry_text(i.title, finder.number_spellings(i.doc_number, key), i.issuer)


def _csv_line(r: dict[str, Any]) -> str:
    out = io.StringIO()
    cells = [
        r["title"],
        r["doc_number"],
        r["issuer"],
        r["published_on"] or "",
        r["outcome_zh"],
        r["effective_on"] or "",
        r["reason"],
        r["decision_title"],
        r["decision_doc"],
        r["id"],
    ]
    csv.writer(out, lineterminator="\r\n").writerow([excel_safe(c) for c in cells])
    return out.getvalue()


def _json_row(values: dict[str, Any]) -> str:
    """The row's members, indented as members of an object in the ``rows`` list."""
    text = json.dumps(values, ensure_ascii=False, indent=2)
    members = text[2:-2]  # inside "{\n" and "\n}"
    return "\n".join("    " + line for line in members.split("\n"))


def _feed_entries(data: SiteData, entry: Entry) -> tuple[tuple[str, int, str, bytes], ...]:
    """One Atom entry per approval and per withdrawal of this instrument's decisions."""
    out = []
    for decision in entry.decisions:
        kinds = []
        if decision.state is DecisionState.APPROVED and decision.decided_at:
            kinds.append((decision.decided_at, "approved"))
        if decision.state is DecisionState.WITHDRAWN and decision.withdrawn_at:
            if decision.decided_at:
                kinds.append((decision.decided_at, "approved"))
            kinds.append((decision.withdrawn_at, "withdrawn"))
        for at, kind in kinds:
            feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
            el = twins.atom_entry(feed, data, entry, at, kind, decision)
            etree.indent(el, space="  ", level=1)
            text = etree.tostring(el, encoding="utf-8", with_tail=False)
            text = text.replace(f' xmlns="{ATOM}"'.encode(), b"", 1)  # declared on <feed>
            out.append((at, decision.id, kind, b"  " + text + b"\n"))
    return tuple(out)


# -- assembling files -------------------------------------------------------------------------


def ordered(pieces: dict[int, Piece]) -> list[Piece]:
    return [pieces[i] for i in sorted(pieces)]
