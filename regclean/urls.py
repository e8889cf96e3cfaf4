"""The one place that builds every output path and link of the published site.

File names come from ids and catalog names, never from titles, so nothing a title holds can
reach outside the output folder.
"""

from __future__ import annotations

import re

_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def check_catalog_name(name: str) -> str:
    """A catalog name is used as a file name: lower-case letters, digits, - and _ only."""
    if not _SAFE_NAME.match(name):
        raise ValueError(f"catalog name {name!r} must match {_SAFE_NAME.pattern}")
    return name


MARKER = ".regclean-site"  # the manifest that marks a folder as a regclean site
STAGING_MARK = ".regclean-staging"  # in a staging folder until its site is complete
INDEX = "index.html"
ISSUERS = "issuers.html"
STYLESHEET = "site.css"
XML = "registry.xml"
FEED = "feed.atom"
SITEMAP = "sitemap.xml"
SEARCH = "search.html"
SEARCH_SCRIPT = "search.js"


def catalog(name: str, ext: str = "html") -> str:
    return f"catalogs/{check_catalog_name(name)}.{ext}"


def catalog_page(name: str, number: int) -> str:
    """Page ``number`` of a catalog split into pages (the first is the catalog's own page);
    catalog names hold no dot, so these never meet another catalog's name."""
    if number == 1:
        return catalog(name)
    return f"catalogs/{check_catalog_name(name)}.p{int(number)}.html"


def catalog_print(name: str) -> str:
    """The print version of a catalog split into pages: every row on one page."""
    return f"catalogs/{check_catalog_name(name)}.all.html"


def instrument(instrument_id: int) -> str:
    return f"instruments/{int(instrument_id)}.html"


def issuer(key: str) -> str:
    """An issuer's page; ``key`` is a hex digest of its name (see ``pieces.issuer_key``)."""
    if not re.fullmatch(r"[0-9a-f]{1,64}", key):
        raise ValueError(f"issuer key {key!r} must be hexadecimal")
    return f"issuers/{key}.html"


def campaign(campaign_id: int, ext: str = "html") -> str:
    """A campaign's page; a thematic campaign's classes and lists as ``json``, its items as
    ``csv`` (campaigns/7-items.csv)."""
    if ext == "csv":
        return f"campaigns/{int(campaign_id)}-items.csv"
    return f"campaigns/{int(campaign_id)}.{ext}"


def filings(quarter: str, ext: str = "html") -> str:
    """A quarter's 备案目录 (filings/2025Q1.html), and its JSON twin."""
    if not re.fullmatch(r"\d{4}Q[1-4]", quarter):
        raise ValueError(f"not a quarter: {quarter!r}")
    return f"filings/{quarter}.{ext}"


def root_of(path: str) -> str:
    """The relative prefix from a page back to the site root (``../`` for catalogs/x.html)."""
    return "../" * path.count("/")


def absolute(base_url: str, path: str) -> str:
    """An absolute URL when the site's base URL is known, else the path itself."""
    return f"{base_url.rstrip('/')}/{path}" if base_url else path
