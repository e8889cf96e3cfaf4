"""The errors regclean raises. Every one subclasses :class:`RegcleanError`.

None of them knows about the command line: the CLI turns any RegcleanError into a message on
stderr and exit code 1.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with one value, and where it is.

    Attributes:
        message: what is wrong, in plain words.
        record: which record (a file and row, an instrument reference), or "" if not known.
        field: which field or column, or "".
        value: the offending value as given, or None.
        column: the file's own header of that field (成文日期 for signed_on), when it came from
            a file.
    """

    message: str
    record: str = ""
    field: str = ""
    value: object = None
    column: str = ""

    def __str__(self) -> str:
        field = self.field and f"field {self.field}"
        if field and self.column and self.column != self.field:
            field = f"field {self.field} (column {self.column})"
        where = ", ".join(part for part in (self.record, field) if part)
        shown = "" if self.value in (None, "") else f" (got {self.value!r})"
        return f"{where}: {self.message}{shown}" if where else f"{self.message}{shown}"


class RegcleanError(Exception):
    """Base of every error regclean raises on purpose."""


class ValidationError(RegcleanError, ValueError):
    """One or more values are invalid; ``problems`` lists each with its place."""

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)

    def located(self, record: str = "", field: str = "") -> ValidationError:
        """The same problems, with a record and field filled in where they were missing."""
        return type(self)(
            attrs.evolve(p, record=p.record or record, field=p.field or field)
            for p in self.problems
        )


class DocNumberError(ValidationError):
    """A string is not a document number (文号) or order number (令号)."""


class DateError(ValidationError):
    """A string is not a date in any form regclean accepts."""


class VocabularyError(ValidationError):
    """A word is not in a controlled vocabulary (outcome, kind, status, reason, relation)."""


class NotFoundError(RegcleanError, LookupError):
    """No instrument, decision or campaign matches a reference."""


class AmbiguousReferenceError(RegcleanError, LookupError):
    """A reference matches several instruments (one 文号 may carry several documents)."""

    def __init__(self, ref: str, candidates: list[tuple[int, str, str]]):
        self.ref = ref
        self.candidates = candidates
        listed = "; ".join(f"id {i}: {title} ({num})" for i, title, num in candidates)
        super().__init__(
            f"{ref!r} matches {len(candidates)} instruments, use an id or the exact title: {listed}"
        )


class StateError(RegcleanError):
    """An action is not allowed in the current state (approving twice, a second open decision)."""


class DuplicateError(RegcleanError):
    """An instrument with the same identity (document number + title core) already exists."""


class RegistryError(RegcleanError):
    """A registry folder is missing, not a registry, already exists, or is damaged."""


class BusyError(RegistryError):
    """Another writer held the registry longer than this one would wait."""


class ReplacedError(RegistryError):
    """The registry's database was replaced (a restore) after this handle opened it: nothing was
    written; open the registry again."""


class PublishError(RegcleanError):
    """The site cannot be published, or a catalog exported (a broken stylesheet or catalog
    definition, a bad folder, error-level inspection findings)."""
