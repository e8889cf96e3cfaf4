"""Which folders are regclean's own sites: a manifest this registry signed, never a file's name.

A publish replaces the folder it writes to, and removes earlier sites beside it; both are safe
only for folders regclean wrote. A folder counts as this registry's site when its manifest
(``.regclean-site``) carries an HMAC-SHA256, made with the registry's own key (``site.key`` in
the registry folder, made with the registry, readable by its owner alone), of the manifest,
which names the folder it was published to. A site moved to another folder is still known when
it holds only a site's files. A planted file,
even a copy of a real manifest edited, does not verify. A site published by another registry
carries a well-formed manifest signed with another key: it is replaced only when the caller
says why (``replacing_history``), and never when the folder holds a registry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from .. import urls
from ..errors import PublishError

KEY_NAME = "site.key"  # in the registry folder
_FIELDS = ("format", "fingerprint", "head", "day", "hash", "sealed", "site", "signature")
# what a registry folder holds: a folder with one of these is never replaced or removed
_REGISTRY_FILES = ("registry.sqlite", "regclean.toml", KEY_NAME)


def site_key(registry: Path) -> bytes:
    """The registry's key for signing its sites, made on first use (PublishError when it cannot
    be made, as on a read-only registry that has never published)."""
    path = registry / KEY_NAME
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path}: the site key cannot be read ({exc})") from None
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made meanwhile by another publish
        return site_key(registry)
    except OSError as exc:
        raise PublishError(
            f"{path}: cannot make the key that signs this registry's sites ({exc.strerror}); "
            "publish once from a writable copy of the registry"
        ) from None
    key = secrets.token_bytes(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


def _digest(manifest: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True)
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def sign(manifest: dict[str, Any], key: bytes, site: Path) -> dict[str, Any]:
    """The manifest with the folder it is published to and its signature."""
    manifest = {**manifest, "site": str(site.absolute())}
    return {**manifest, "signature": _digest(manifest, key)}


def read(folder: Path) -> dict[str, Any] | None:
    """A folder's manifest when it is a well-formed one (every field present, of its type);
    None otherwise (no manifest, a link, an empty or planted file)."""
    path = folder / urls.MARKER
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 65536:
            return None
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or any(f not in manifest for f in _FIELDS):
        return None
    numbers = ("format", "head", "sealed")
    if not all(isinstance(manifest[f], int) for f in numbers):
        return None
    if not all(isinstance(manifest[f], str) for f in _FIELDS if f not in numbers):
        return None
    return manifest


# what a site holds at its top: a site moved to another folder is still known as one only when
# it holds nothing else (a real manifest copied into a folder of other files is not a site)
SITE_NAMES = frozenset({
    urls.MARKER, "campaigns", "catalogs", "feed.atom", "filings", "index.html", "instruments",
    "issuers",
    "issuers.html", "registry.xml", "search", "search.html", "search.js", "site.css",
    "sitemap.xml",
})  # fmt: skip


def signed(manifest: dict[str, Any] | None, key: bytes, site: Path) -> bool:
    """The manifest is well formed, was signed with ``key``, and is the manifest of the folder
    ``site``: published there, or published elsewhere and moved, holding only a site's files."""
    if manifest is None or not hmac.compare_digest(
        str(manifest.get("signature", "")), _digest(manifest, key)
    ):
        return False
    if manifest["site"] == str(site.absolute()):
        return True
    try:
        return {p.name for p in site.iterdir()} <= SITE_NAMES
    except OSError:
        return False


def own_site(folder: Path, key: bytes) -> bool:
    """``folder`` is a site this registry published (there, or moved there), and holds no
    registry."""
    return signed(read(folder), key, folder) and not holds_registry(folder)


def staging_mark(name: str, key: bytes) -> str:
    """What a staging folder named ``name`` holds to be known as this registry's."""
    return hmac.new(key, b"staging\0" + name.encode("utf-8"), hashlib.sha256).hexdigest()


def own_staging(folder: Path, key: bytes) -> bool:
    """``folder`` is the staging folder of a publish of this registry (killed, or running)."""
    path = folder / urls.STAGING_MARK
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1024:
            return False
        said = path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return False
    return hmac.compare_digest(said, staging_mark(folder.name, key))


def holds_registry(folder: Path) -> bool:
    """A registry's files are in ``folder``: it is never replaced or removed."""
    return any((folder / name).exists() or (folder / name).is_symlink() for name in _REGISTRY_FILES)


def check_target(outdir: Path, registry: Path, key: bytes, replacing: bool) -> None:
    """Refuse (PublishError) a site folder that a publish must not replace: the registry's own
    folder or one that holds it, a folder holding any registry, and a non-empty folder that is
    not a site of this registry (a site of another registry only when ``replacing``)."""
    outdir, home = outdir.absolute(), registry.absolute()
    if outdir == home or home.is_relative_to(outdir) or outdir.is_relative_to(home):
        raise PublishError(
            f"{outdir}: is the registry's folder, inside it or holds it; publish "
            "the site to a folder of its own"
        )
    if not outdir.exists():
        return
    if not outdir.is_dir():
        raise PublishError(f"{outdir}: exists and is not a folder; choose an empty or new folder")
    if holds_registry(outdir):
        raise PublishError(f"{outdir}: holds a registry; publish the site to a folder of its own")
    if not any(outdir.iterdir()):
        return
    manifest = read(outdir)
    if signed(manifest, key, outdir) or (manifest is not None and replacing):
        return
    if manifest is not None:
        raise PublishError(
            f"{outdir}: holds a site published from a different history (its manifest is not "
            "signed by this registry: another registry's site); replace it only saying why "
            "(replacing_history=REASON)"
        )
    raise PublishError(
        f"{outdir}: exists and is not a regclean site of this registry (no manifest signed by "
        "it); choose an empty or new folder"
    )
