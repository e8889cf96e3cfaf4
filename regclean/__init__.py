"""regclean: index rules and policy documents, track cleanup decisions, publish the catalogs.

The public API is re-exported here; everything else is internal.
"""

from ._version import __version__ as __version__
from .campaigns import DepartmentProgress, Finding
from .concerns import Count, ScreenReport, Tally
from .dates import PartialDate, parse_date
from .docnumber import DocNumber
from .errors import (
    AmbiguousReferenceError,
    DateError,
    DocNumberError,
    DuplicateError,
    NotFoundError,
    Problem,
    PublishError,
    RegcleanError,
    RegistryError,
    ReplacedError,
    StateError,
    ValidationError,
    VocabularyError,
)
from .evaluations import Due
from .filings import QuarterFilings
from .models import (
    Campaign,
    Comment,
    Concern,
    Decision,
    DocumentItem,
    Evaluation,
    Event,
    Filing,
    Instrument,
    Reason,
    Relation,
    ReviewRecord,
)
from .plans import Plan
from .profiles import Profile, ProfileError
from .registry import Change, Registry
from .search import SearchHit
from .text import title_core
from .verify import VerifyReport
from .vocab import DecisionState, ItemOutcome, Kind, Outcome, ReasonCode, RelationKind, Status

_PAPERS = ("ClassSummary", "CommentReport", "EvaluationReport", "ResultsDraft", "DecisionDraft", "DepartmentForm", "FilingCatalog", "InspectionReport",
           "ResultsDraft",
    "ReviewForm", "Statistics")  # fmt: skip


def __getattr__(name: str) -> object:
    # The import machinery (file readers, header tables) loads only when an import needs it:
    # every command starts about 20 ms sooner.
    if name == "ImportReport":
        from .ingest import ImportReport  # the file readers load only for an import

        return ImportReport
    if name in ("PublishReport", "FindingsError"):  # the publishing pipeline, on first use
        from . import publish  # the publishing pipeline loads on first use

        return getattr(publish, name)
    if name in _PAPERS:  # the papers (Word, Excel), on first use
        from . import papers  # Word and Excel load only when a paper is made

        return getattr(papers, name)
    raise AttributeError(f"module 'regclean' has no attribute {name!r}")


__all__ = [
    "AmbiguousReferenceError",
    "Campaign",
    "Change",
    "ClassSummary",
    "Comment",
    "CommentReport",
    "Concern",
    "Count",
    "DateError",
    "Decision",
    "DecisionDraft",
    "DecisionState",
    "DepartmentForm",
    "DepartmentProgress",
    "DocNumber",
    "DocNumberError",
    "DocumentItem",
    "Due",
    "DuplicateError",
    "Evaluation",
    "EvaluationReport",
    "Event",
    "Filing",
    "FilingCatalog",
    "Finding",
    "FindingsError",
    "ImportReport",
    "InspectionReport",
    "Instrument",
    "ItemOutcome",
    "Kind",
    "NotFoundError",
    "Outcome",
    "PartialDate",
    "Plan",
    "Problem",
    "Profile",
    "ProfileError",
    "PublishError",
    "PublishReport",
    "QuarterFilings",
    "Reason",
    "ReasonCode",
    "RegcleanError",
    "Registry",
    "RegistryError",
    "Relation",
    "RelationKind",
    "ReplacedError",
    "ReviewForm",
    "ReviewRecord",
    "ScreenReport",
    "SearchHit",
    "StateError",
    "Statistics",
    "Status",
    "Tally",
    "ValidationError",
    "VerifyReport",
    "VocabularyError",
    "parse_date",
    "title_core",
]
