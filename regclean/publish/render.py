"""Finding and running the catalog stylesheets (XSLT 1.0, run by lxml).

A registry may override any shipped file, or add new ones, in its own ``catalogs/`` folder. Files
are looked for there first, then among the shipped ones; ``xsl:import`` and ``xsl:include`` are
resolved the same way, so an override of ``catalog.xsl`` still finds the shipped ``layout.xsl``.
Stylesheets may read no other file and reach no network. A page whose stylesheet is (or includes)
a registry's own file is transformed under a time and memory limit (see
:mod:`regclean.publish.sandbox`).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..catalog import SHIPPED, find_file, folders
from ..errors import PublishError
from .sandbox import Sandbox

__all__ = ["SHIPPED", "Catalogs"]
_XSL = "http://www.w3.org/1999/XSL/Transform"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.xslt?")
_ACCESS = etree.XSLTAccessControl(
    read_file=False, write_file=False, create_dir=False, read_network=False, write_network=False
)


class Catalogs:
    """The catalog folder of the registry in folder ``home`` laid over the shipped one."""

    def __init__(self, home: Path | None, *, sandboxed: bool = True):
        self.folders = folders(home)
        self._cache: dict[str, etree.XSLT] = {}
        self._own: set[str] = set()  # stylesheets that are, or include, a registry's own file
        self.sandbox = Sandbox(home) if sandboxed else None

    def find(self, name: str) -> Path:
        """The first file of that name; PublishError listing every path tried otherwise."""
        return find_file(self.folders, name)

    def parser(self) -> etree.XMLParser:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        parser.resolvers.add(_Resolver(self))
        return parser

    def stylesheet(self, name: str) -> etree.XSLT:
        """The compiled stylesheet; a broken one names its file and line."""
        if name not in self._cache:
            path = self.find(name)
            try:
                tree = etree.parse(str(path), self.parser())
                seen: set[Path] = set()
                self._check_includes(path, tree, seen)
                self._cache[name] = etree.XSLT(tree, access_control=_ACCESS)
                if any(SHIPPED not in p.parents for p in seen):
                    self._own.add(name)
            except etree.XMLSyntaxError as exc:
                raise PublishError(
                    f"{path}, line {exc.lineno}: not well-formed XML: {exc.msg}"
                ) from None
            except etree.XSLTParseError as exc:
                raise PublishError(
                    f"{path}: not a valid stylesheet: {_log(exc.error_log)}"
                ) from None
        return self._cache[name]

    def _check_includes(self, path: Path, tree: etree._ElementTree, seen: set[Path]) -> None:
        """Every xsl:include and xsl:import names a plain file of the catalogs folders (the
        registry's own, then the shipped one): an absolute path, a ``file:`` address or ``../``
        would reach files outside them when the stylesheet is compiled."""
        seen.add(path)
        for element in tree.iter(f"{{{_XSL}}}include", f"{{{_XSL}}}import"):
            href = element.get("href", "")
            if not _PLAIN_NAME.fullmatch(href):
                raise PublishError(
                    f"{path}: xsl:{etree.QName(element).localname} href={href!r}: only a file of "
                    "the catalogs folders may be named (a plain file name)"
                )
            included = self.find(href)
            if included not in seen:
                self._check_includes(included, etree.parse(str(included), self.parser()), seen)

    def render(self, name: str, document: etree._Element) -> bytes:
        """Run a stylesheet on a page document; errors name the stylesheet."""
        xslt = self.stylesheet(name)
        if self.sandbox is not None and name in self._own:
            kind = document.get("kind") or "page"
            output = self.sandbox.render(name, self.find(name), etree.tostring(document), kind)
            if not output.strip():
                raise PublishError(f"{self.find(name)}: produced nothing for a {kind} page")
            return output
        try:
            result = xslt(etree.ElementTree(document))
        except etree.XSLTApplyError as exc:
            raise PublishError(f"{self.find(name)}: failed: {_log(exc.error_log) or exc}") from None
        output = bytes(result)
        if not output.strip():
            raise PublishError(
                f"{self.find(name)}: produced nothing for a {document.get('kind')} page"
            )
        return output

    def read(self, name: str) -> bytes:
        return self.find(name).read_bytes()


class _Resolver(etree.Resolver):
    """Resolve xsl:import/include of a plain file name through the override folders."""

    def __init__(self, catalogs: Catalogs):
        super().__init__()
        self.catalogs = catalogs

    def resolve(self, system_url, public_id, context):  # type: ignore[no-untyped-def]
        name = Path(str(system_url).replace("file://", "")).name
        try:
            return self.resolve_filename(str(self.catalogs.find(name)), context)
        except PublishError:
            return None


def _log(error_log: etree._ListErrorLog) -> str:
    return "; ".join(f"line {e.line}: {e.message}" for e in error_log) or ""
