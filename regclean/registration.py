"""Registration numbers (统一登记号): the number many places print above a normative document's
文号 (``HFGS—2022—7`` above ``惠府〔2022〕32号``), one series per issuer.

An issuer's format is written as printed, with ``{year}`` and ``{serial}`` (``{serial:3}`` pads
the serial to three digits): ``"惠州市人民政府" = "HFGS—{year}—{serial}"`` in ``regclean.toml``'s
``[registration.formats]``. Dashes are one character to a reader, so every dash form (— – - ―)
is one dash to regclean:

    >>> fmt = Format.parse("HFGS—{year}—{serial}")
    >>> fmt.read("hfgs-2022-7"), fmt.make(2022, 8)
    ((2022, 7), 'HFGS—2022—8')
    >>> key("HFGS―2022–7") == key("HFGS-2022-7")
    True
"""

from __future__ import annotations

import re

import attrs

from .text import fold

DASHES = "—–-―‒－﹣⸺⁃"
_DASH = re.compile(f"[{re.escape(DASHES)}]+")
_FIELD = re.compile(r"\{(year|serial)(?::(\d))?\}")


def key(number: str) -> str:
    """What a registration number is found and kept unique by: folded, every dash one ``-``,
    letters in capitals."""
    return _DASH.sub("-", fold(number)).upper()


@attrs.frozen
class Format:
    """An issuer's registration number format (see the module's description)."""

    pattern: str
    regex: re.Pattern[str]
    width: int = 0

    @classmethod
    def parse(cls, pattern: str) -> Format:
        """A format; ValueError when it lacks ``{year}`` or ``{serial}``."""
        names = [m.group(1) for m in _FIELD.finditer(pattern)]
        if sorted(names) != ["serial", "year"]:
            raise ValueError(
                f"{pattern!r}: a registration format holds {{year}} and {{serial}} "
                "once each, e.g. HFGS—{year}—{serial}"
            )
        parts, width, last = [], 0, 0
        for found in _FIELD.finditer(pattern):
            parts.append(re.escape(key(pattern[last : found.start()])))
            if found.group(1) == "year":
                parts.append(r"(?P<year>\d{4})")
            else:
                width = int(found.group(2) or 0)
                parts.append(r"(?P<serial>\d+)")
            last = found.end()
        parts.append(re.escape(key(pattern[last:])))
        return cls(pattern, re.compile("".join(parts) + r"\Z"), width)

    def read(self, number: str) -> tuple[int, int] | None:
        """(year, serial) of a number in this format (any dash form), else None."""
        found = self.regex.match(key(number))
        return (int(found["year"]), int(found["serial"])) if found else None

    def make(self, year: int, serial: int) -> str:
        """The number for a year and serial, as printed."""
        text = _FIELD.sub(
            lambda m: str(year) if m.group(1) == "year" else f"{serial:0{self.width}d}",
            self.pattern,
        )
        return text
