"""``regclean.toml``: the settings of one registry (jurisdiction, site title, base URL, language)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs

from .errors import RegistryError


@attrs.frozen
class Settings:
    """Settings of a registry.

    Attributes:
        jurisdiction: the government whose stock this is (温州市), used as the default for
            instruments that do not name one.
        site_title: the title of the published site.
        base_url: where the site will be published (for feeds and sitemaps), "" if unknown.
        lang: the default language of published pages, ``zh`` or ``en``.
    """

    jurisdiction: str = ""
    site_title: str = "规章和规范性文件清理结果"
    base_url: str = ""
    lang: str = "zh"

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read ``regclean.toml``; an error names the file and what is wrong."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RegistryError(f"{path}: not valid TOML: {exc}") from None
        section = data.get("registry", {})
        known = {f.name for f in attrs.fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise RegistryError(f"{path}: unknown setting(s) in [registry]: {', '.join(unknown)}")
        if section.get("lang", "zh") not in ("zh", "en"):
            raise RegistryError(f"{path}: lang must be zh or en")
        return cls(**{k: str(v) for k, v in section.items()})

    def dump(self) -> str:
        """The TOML text of these settings."""
        lines = ["# regclean registry settings", "[registry]"]
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{field.name} = "{escaped}"')
        return "\n".join(lines) + "\n"
