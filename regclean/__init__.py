"""regclean: index rules and policy documents, track cleanup decisions, publish the catalogs.

The public API is re-exported here; everything else is internal.
"""

from .dates import PartialDate, parse_date
from .docnumber import DocNumber
from .errors import (
    AmbiguousReferenceError,
    DateError,
    DocNumberError,
    DuplicateError,
    NotFoundError,
    Problem,
    RegcleanError,
    RegistryError,
    StateError,
    ValidationError,
    VocabularyError,
)
from .ingest import ImportReport
from .models import Campaign, Decision, Event, Instrument, Reason, Relation
from .registry import Change, Registry
from .text import title_core
from .vocab import DecisionState, Kind, Outcome, ReasonCode, RelationKind, Status

__version__ = "0.1.0"

__all__ = [
    "AmbiguousReferenceError",
    "Campaign",
    "Change",
    "DateError",
    "Decision",
    "DecisionState",
    "DocNumber",
    "DocNumberError",
    "DuplicateError",
    "Event",
    "ImportReport",
    "Instrument",
    "Kind",
    "NotFoundError",
    "Outcome",
    "PartialDate",
    "Problem",
    "Reason",
    "ReasonCode",
    "RegcleanError",
    "Registry",
    "RegistryError",
    "Relation",
    "RelationKind",
    "StateError",
    "Status",
    "ValidationError",
    "VocabularyError",
    "parse_date",
    "title_core",
]
