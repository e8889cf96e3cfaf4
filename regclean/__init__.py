"""regclean: index rules and policy documents, track cleanup decisions, publish the catalogs.

The public API is re-exported here; everything else is internal.
"""

from ._version import __version__ as __version__
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
    ReplacedError,
    StateError,
    ValidationError,
    VocabularyError,
)
from .models import Campaign, Decision, Event, Instrument, Reason, Relation
from .registry import Change, Registry
from .text import title_core
from .vocab import DecisionState, Kind, Outcome, ReasonCode, RelationKind, Status


def __getattr__(name: str) -> object:
    # The import machinery (file readers, header tables) loads only when an import needs it:
    # every command starts about 20 ms sooner.
    if name == "ImportReport":
        from .ingest import ImportReport

        return ImportReport
    raise AttributeError(f"module 'regclean' has no attribute {name!r}")


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
    "ReplacedError",
    "StateError",
    "Status",
    "ValidationError",
    "VocabularyError",
    "parse_date",
    "title_core",
]
