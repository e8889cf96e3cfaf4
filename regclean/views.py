"""Plain-data views of registry objects: the JSON the CLI prints and scripts rely on.

The field names here are a fixed interface (the ``--json`` output of the commands in
docs/cli.md, which scripts read): add fields, never rename.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .dates import iso
from .decisions import decisions, relations, status_on
from .instruments import Ref, get
from .models import Decision, Event, Instrument
from .search import SearchHit
from .store import Reader
from .vocab import Status


def instrument_json(instrument: Instrument, status: Status) -> dict[str, Any]:
    """An instrument as JSON: ``id``, ``title``, ``doc_number`` (as recorded), ``issuer``,
    ``kind``, ``status`` and the rest of its fields."""
    return {
        "id": instrument.id,
        "title": instrument.title,
        "title_core": instrument.title_core,
        "doc_number": instrument.doc_number,
        "doc_number_key": instrument.number.key if instrument.number else "",
        "issuer": instrument.issuer,
        "kind": instrument.kind.value,
        "kind_zh": instrument.kind.zh,
        "status": status.value,
        "status_zh": status.zh,
        "department": instrument.department,
        "signed_on": iso(instrument.signed_on),
        "published_on": iso(instrument.published_on),
        "effective_on": iso(instrument.effective_on),
        "expires_on": iso(instrument.expires_on),
        "validity": instrument.validity,
        "jurisdiction": instrument.jurisdiction,
        "source_url": instrument.source_url,
        "index_no": instrument.index_no,
        "registration_no": instrument.registration_no,
        "subject": instrument.subject,
    }


def decision_json(decision: Decision) -> dict[str, Any]:
    """A decision as JSON: ``outcome``, ``state``, ``reasons``, ``effective_on`` and the rest."""
    return {
        "id": decision.id,
        "instrument_id": decision.instrument_id,
        "outcome": decision.outcome.value,
        "outcome_zh": decision.outcome.zh,
        "state": decision.state.value,
        "state_zh": decision.state.zh,
        "reasons": [r.to_json() for r in decision.reasons],
        "basis": decision.basis,
        "replaced_by": decision.replaced_by,
        "campaign": decision.campaign,
        "department": decision.department,
        "handler": decision.handler,
        "proposed_by": decision.proposed_by,
        "proposed_at": decision.proposed_at,
        "reviewed_by": decision.reviewed_by,
        "reviewed_at": decision.reviewed_at,
        "review_office": decision.review_office,
        "review_opinion": decision.review_opinion,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at,
        "decision_doc": decision.decision_doc,
        "decision_title": decision.decision_title,
        "effective_on": iso(decision.effective_on),
        "published_on": iso(decision.published_on),
        "withdrawn_by": decision.withdrawn_by,
        "withdrawn_at": decision.withdrawn_at,
        "withdraw_reason": decision.withdraw_reason,
        "amendment": decision.amendment,
        "articles": decision.articles,
    }


def event_json(event: Event) -> dict[str, Any]:
    """An event of the log as JSON."""
    return {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "instrument_id": event.instrument_id,
        "decision_id": event.decision_id,
        "payload": dict(event.payload),
        "hash": event.hash,
    }


def show_json(reads: Reader, ref: Ref, day: dt.date | None = None) -> dict[str, Any]:
    """One instrument with its status, decisions and relations (what ``regclean show`` prints)."""
    instrument = get(reads, ref)
    data = instrument_json(instrument, status_on(reads, instrument.id, day))
    data["decisions"] = [decision_json(d) for d in decisions(reads, instrument.id)]
    data["relations"] = [
        {"relation": name, "id": other.id, "title": other.title, "doc_number": other.doc_number}
        for name, other in relations(reads, instrument.id)
    ]
    return data


def search_hit_json(hit: SearchHit) -> dict[str, Any]:
    """A search result: the instrument's JSON plus ``score``, ``snippet`` and ``highlights``."""
    data = instrument_json(hit.instrument, hit.status)
    data["score"] = hit.score
    data["snippet"] = hit.snippet
    data["highlights"] = [list(span) for span in hit.highlights]
    return data


def decided_json(pairs: list[tuple[Decision, Instrument]]) -> list[dict[str, Any]]:
    """What a decision document decided, as the CLI prints it (``regclean decided``)."""
    return [
        {
            "instrument": instrument.id,
            "title": instrument.title,
            "doc_number": instrument.doc_number,
            "outcome": decision.outcome.value,
            "outcome_zh": decision.outcome.zh,
            "state": decision.state.value,
            "state_zh": decision.state.zh,
            "decision_doc": decision.decision_doc,
            "decision_title": decision.decision_title,
            "effective_on": str(decision.effective_on or ""),
        }
        for decision, instrument in pairs
    ]
