"""Instruments: adding, updating and finding them, and what makes two records one document.

Identity is (canonical number, title core): one 文号 may carry several documents, each its own
instrument. Every write runs in one store transaction and is logged with what changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import attrs

from .config import Settings
from .docnumber import DocNumber, number_key
from .errors import AmbiguousReferenceError, DuplicateError, NotFoundError, StateError
from .fields import INSTRUMENT_FIELDS, instrument_columns
from .models import Instrument
from .registration import Format
from .registration import key as registration_key
from .store import Reader, Store
from .text import title_key
from .vocab import RowAction

Ref = int | str | Instrument
DERIVED = frozenset(
    {"title_key", "number_key", "registration_key"}
)  # computed from other columns, never logged


@attrs.frozen
class Change:
    """What an upsert did to one instrument: ``added``, ``updated`` or ``unchanged``."""

    instrument: Instrument
    action: RowAction
    changed: tuple[str, ...] = ()


# -- finding ----------------------------------------------------------------------------------


def find(reads: Reader, ref: Ref) -> list[Instrument]:
    """Every instrument a reference can mean (empty when none): an id (``12`` or ``#12``), any
    variant of a number (a generic order such as 市政府令第60号 also matches the qualified
    numbers ending with it), the exact title, or the title core."""
    if isinstance(ref, Instrument):
        ref = ref.id
    if isinstance(ref, int) or (isinstance(ref, str) and re.fullmatch(r"#?\d+", ref.strip())):
        found = reads.instrument(int(str(ref).strip().lstrip("#")))
        return [found] if found else []
    text = str(ref).strip()
    if not text:
        return []
    registered = reads.by_registration(registration_key(text))
    if registered:
        return registered
    number = DocNumber.try_parse(text)
    key = number.key if number else number_key(text)
    matches = reads.by_number(key)
    if not matches and number is not None and number.is_generic_order:
        # 市政府令第60号 was stored qualified by its issuer: 济南市政府令第60号.
        matches = reads.by_number(key, ending=True)
    return matches or reads.by_title(title_key(text), text)


def get(reads: Reader, ref: Ref) -> Instrument:
    """The one instrument a reference means; NotFoundError if none, AmbiguousReferenceError if
    several (a number carrying several documents: use the id or the title then)."""
    found = find(reads, ref)
    if not found:
        raise NotFoundError(f"no instrument matches {str(ref)!r} (by id, 文号 or exact title)")
    if len(found) > 1:
        raise AmbiguousReferenceError(str(ref), [(i.id, i.title, i.doc_number) for i in found])
    return found[0]


def by_identity(reads: Reader, columns: Mapping[str, Any]) -> Instrument | None:
    """The stored instrument with the same identity as these checked columns, if any."""
    row = reads.identity_row(columns["number_key"], columns["title_key"])
    return Instrument.from_record(row) if row else None


# -- writing ----------------------------------------------------------------------------------


def add(store: Store, settings: Settings, values: Mapping[str, Any], *, by: str = "") -> Instrument:
    """Add a new instrument; DuplicateError if one with the same identity exists."""
    columns = instrument_columns(
        values,
        jurisdiction=settings.jurisdiction,
        validity_defaults=settings.validity,
        registration_formats=settings.registration_formats,
    )
    with store.transaction():
        existing = by_identity(store.reads, columns)
        if existing is not None:
            raise DuplicateError(
                f"already in the registry as id {existing.id}: {existing.title} "
                f"({existing.doc_number or 'no number'})"
            )
        _registration_free(store.reads, columns, None)
        new_id = store.insert("instruments", columns)
        store.log("add", actor=by, instrument_id=new_id, payload=public(columns))
    return get(store.reads, new_id)


def upsert(store: Store, settings: Settings, values: Mapping[str, Any], *, by: str = "") -> Change:
    """Add the instrument, or update the one with the same identity where values differ.
    Empty values never erase recorded ones."""
    columns = instrument_columns(
        values,
        jurisdiction=settings.jurisdiction,
        validity_defaults=settings.validity,
        registration_formats=settings.registration_formats,
    )
    return upsert_columns(store, columns, by=by)


def upsert_columns(store: Store, columns: Mapping[str, Any], *, by: str = "") -> Change:
    """:func:`upsert` for columns already checked by
    :func:`regclean.fields.instrument_columns` (what import uses, to check each row once)."""
    with store.transaction():
        row = store.reads.identity_row(columns["number_key"], columns["title_key"])
        _registration_free(store.reads, columns, row["id"] if row is not None else None)
        if row is None:
            new_id = store.insert("instruments", columns)
            store.log("add", actor=by, instrument_id=new_id, payload=public(columns))
            return Change(Instrument.from_record({**columns, "id": new_id}), RowAction.ADDED)
        changes = {k: v for k, v in columns.items() if v not in ("", None) and row[k] != v}
        if not changes:
            return Change(Instrument.from_record(row), RowAction.UNCHANGED)
        _write_update(store, row["id"], row, changes, by)
        return Change(get(store.reads, row["id"]), RowAction.UPDATED, tuple(sorted(changes)))


def update(
    store: Store, settings: Settings, ref: Ref, changes: Mapping[str, Any], *, by: str = ""
) -> Instrument:
    """Change fields of an instrument (logged with old and new values)."""
    instrument = get(store.reads, ref)
    row = store.reads.instrument_row(instrument.id)
    assert row is not None
    merged = {k: row[k] for k in INSTRUMENT_FIELDS}
    merged.update(changes)
    columns = instrument_columns(
        merged,
        f"instrument {instrument.id}",
        validity_defaults=settings.validity,
        registration_formats=settings.registration_formats,
    )
    diff = {k: v for k, v in columns.items() if row[k] != v}
    with store.transaction():
        if {"title_key", "number_key"} & set(diff):
            other = by_identity(store.reads, columns)
            if other is not None and other.id != instrument.id:
                raise DuplicateError(f"the change would duplicate instrument id {other.id}")
        _registration_free(store.reads, columns, instrument.id)
        _write_update(store, instrument.id, row, diff, by)
    return get(store.reads, instrument.id)


def _registration_free(reads: Reader, columns: Mapping[str, Any], own: int | None) -> None:
    """DuplicateError when another instrument carries the registration number (in any dash
    form)."""
    if not columns.get("registration_key"):
        return
    for other in reads.by_registration(columns["registration_key"]):
        if other.id != own:
            raise DuplicateError(
                f"registration number {columns['registration_no']} is already "
                f"taken by instrument {other.id} ({other.title})"
            )


def register(
    store: Store, settings: Settings, ref: Ref, *, by: str = "", renew: bool = False
) -> Instrument:
    """Issue an instrument the next registration number of its issuer's series (see
    :meth:`regclean.Registry.register`)."""
    instrument = get(store.reads, ref)
    pattern = settings.registration_formats.get(instrument.issuer)
    if not pattern:
        known = ", ".join(settings.registration_formats) or "none"
        raise StateError(
            f"no registration format for {instrument.issuer or 'an instrument without an issuer'}"
            f" in regclean.toml [registration.formats] (issuers with one: {known})"
        )
    if instrument.registration_no and not renew:
        raise StateError(
            f"instrument {instrument.id} already carries {instrument.registration_no} "
            "(a renewal issues a new one: renew=True)"
        )
    form = Format.parse(pattern)
    own = instrument.own_date
    year = own.year if own is not None and not renew else store.reads.today().year
    with store.transaction():
        serials = [
            found[1]
            for found in map(form.read, store.reads.registrations(instrument.issuer))
            if found is not None and found[0] == year
        ]
        number = form.make(year, max(serials, default=0) + 1)
        return update(store, settings, instrument.id, {"registration_no": number}, by=by)


def _write_update(
    store: Store, instrument_id: int, row: Any, diff: dict[str, Any], by: str
) -> None:
    if not diff:
        return
    store.update("instruments", instrument_id, diff)
    payload = {k: [logged(k, row[k]), logged(k, v)] for k, v in diff.items() if k not in DERIVED}
    store.log("update", actor=by, instrument_id=instrument_id, payload=payload)


def logged(key: str, value: Any) -> Any:
    """A column's value as the log keeps it: the full text stands as its length and SHA-256,
    so the log proves what it was without holding every body twice."""
    if key == "full_text" and value:
        return {"chars": len(value), "sha256": hashlib.sha256(value.encode("utf-8")).hexdigest()}
    return value


def public(columns: Mapping[str, Any]) -> dict[str, Any]:
    """Columns as logged when added: derived keys and empty values left out."""
    return {k: logged(k, v) for k, v in columns.items() if k not in DERIVED and v not in ("", None)}
