"""The issuer pages (制定机关): issuers grouped and ordered as readers look for them — the order
a registry names, then by level, then by pinyin (kept in a small cache)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from .. import urls
from ..vocab import Status
from .assemble import ROWS_PARSER, status_counts
from .pieces import NO_ISSUER, Piece
from .site import SiteData, labels
from .xmlview import page, sub


def issuer_key(name: str) -> str:
    """A file name for an issuer's page: from a digest of its name, never the name itself."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def by_issuer(
    pieces: list[Piece], order: tuple[str, ...] = (), pinyin: PinyinKeys | None = None
) -> dict[str, list[Piece]]:
    """The pieces by issuer, the issuers in the order a reader looks for them (see
    :func:`issuer_rank`)."""
    out: dict[str, list[Piece]] = {}
    for p in pieces:
        out.setdefault(p.issuer, []).append(p)
    keys = pinyin or PinyinKeys(None)
    return dict(sorted(out.items(), key=lambda item: issuer_rank(item[0], order, keys)))


class PinyinKeys:
    """The pinyin of issuer names (pypinyin), kept in the registry's ``cache/`` folder so that a
    republish loads the library only when a new issuer appears (loading it takes ~0.2 s)."""

    def __init__(self, folder: Path | None):
        self.path = folder / "pinyin.json" if folder is not None else None
        self.known: dict[str, str] = {}
        self.added = False
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError):
                self.known = dict(json.loads(self.path.read_text(encoding="utf-8")))

    def __call__(self, name: str) -> str:
        if name not in self.known:
            self.known[name] = _pinyin(name)
            self.added = True
        return self.known[name]

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            temp = self.path.with_name(f"pinyin.{os.getpid()}.tmp")
            temp.write_text(json.dumps(self.known, ensure_ascii=False), encoding="utf-8")
            os.replace(temp, self.path)


_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


def issuer_rank(
    name: str, order: tuple[str, ...] = (), pinyin: Callable[[str], str] | None = None
) -> tuple[int, int, int, str, str]:
    """Where an issuer is listed: those named in the registry's ``issuer_order`` first, in that
    order; then by level (the State Council, provinces, cities, counties, others), a government
    before its departments, then by the pinyin of the name (pypinyin), not by code point."""
    named = order.index(name) if name in order else len(order)
    if name == NO_ISSUER:
        level = 9
    elif name.startswith("国务院") or name.startswith("中华人民共和国"):
        level = 0
    elif "省" in name or "自治区" in name or name.startswith(_MUNICIPALITIES):
        level = 1
    elif "市" in name or "州" in name or "盟" in name:
        level = 2
    elif "县" in name or "区" in name or "旗" in name:
        level = 3
    else:
        level = 4
    government = 0 if name.endswith("人民政府") else 1
    return named, level, government, (pinyin or _pinyin)(name), name


@functools.cache
def _pinyin(name: str) -> str:
    from pypinyin import Style, lazy_pinyin  # pypinyin loads only when issuers are ordered

    return " ".join(lazy_pinyin(name, style=Style.TONE3))


def issuers_page(data: SiteData, groups: dict[str, list[Piece]], lang: str) -> etree._Element:
    """Every issuer (制定机关), with how many instruments it made and a link to their list."""
    top = page(data, "issuers", urls.ISSUERS, lang, labels(lang)["issuers"])
    holder = sub(top, "issuers")
    for name, members in groups.items():
        counts = status_counts(members)
        el = sub(
            holder, "issuer", name=name, count=len(members), href=urls.issuer(issuer_key(name))
        )
        for status in Status:
            if counts.get(status.value):
                sub(el, "status", status.label(lang), code=status.value, count=counts[status.value])
    return top


def issuer_page(data: SiteData, name: str, members: list[Piece], lang: str) -> etree._Element:
    """One issuer's instruments. The page names the latest event among them, so that it
    changes only when one of them does."""
    path = urls.issuer(issuer_key(name))
    version = max((p.version for p in members), key=lambda v: v[1])
    top = page(data, "issuer", path, lang, name, version)
    el = sub(top, "issuer", name=name, count=len(members))
    rows = [p.issuer_row for p in members]
    parsed = etree.fromstring(b"<rows>" + b"".join(rows) + b"</rows>", ROWS_PARSER)
    el.extend(list(parsed))
    return top


# -- the cache of pieces between publishes ------------------------------------------------------
