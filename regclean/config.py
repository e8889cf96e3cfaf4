"""``regclean.toml``: the settings of one registry (jurisdiction, site title, base URL, language)."""

from __future__ import annotations

import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path

import attrs

from .dates import parse_period
from .errors import RegistryError

SETTINGS_NAME = "regclean.toml"  # inside a registry folder


ENGINES = ("whoosh", "fts5", "tsvector")
IN_DATABASE = ("fts5", "tsvector")  # the engines that keep their index inside the store
_YES_NO = {"yes": "yes", "no": "no", "是": "yes", "否": "no", "true": "yes", "false": "no"}


@attrs.frozen
class Settings:
    """Settings of a registry.

    Attributes:
        jurisdiction: the government whose stock this is (温州市), used as the default for
            instruments that do not name one.
        site_title: the title of the published site.
        base_url: where the site will be published (for feeds and sitemaps), "" if unknown.
        lang: the default language of published pages, ``zh`` or ``en``.
        validity: default validity periods (有效期) by kind (``normative = "5年"``) and for
            暂行/试行 documents (``provisional = "2年"``), from the ``[validity]`` table.
        departments: which department answers for an issuer's instruments in a campaign
            (``"温州市人民政府办公室" = "市府办"``), from the ``[departments]`` table; else the
            instrument's own 责任单位, else its issuer.
        time_zone: the zone times are shown in on published pages (Asia/Shanghai).
        supervision: the supervising body and how to reach it (监督电话), shown on every page.
        corrections: where to send a correction or a 审查建议 (an address or a web link).
        publish_handlers: ``yes`` to publish the names of handlers and approvers, ``no`` to
            publish only their offices.
        issuer_order: issuers in the order readers look for them, separated by "、" (the
            others follow, by level then by pinyin).
        require_review: ``yes`` when a proposal must be reviewed (合法性审核, ``review``)
            before it is approved; ``no`` (the default) lets the approver decide.
        search_engine: the search engine, from the ``[search]`` table's ``engine``: ``fts5``
            (SQLite FTS5 inside the database; what ``init`` writes), ``tsvector`` (inside a
            PostgreSQL database; what ``init --database`` writes) or ``whoosh`` (a separate
            index folder; what a settings file without ``[search]``, from before there was a
            choice, means).
        store_url: where the rows and the log live, from the ``[store]`` table's ``url``: ""
            for the folder's own ``registry.sqlite``, or a PostgreSQL URL
            (``postgresql://user@host/db``; the password best kept in ``~/.pgpass``).
            ``REGCLEAN_DATABASE_URL`` in the environment, where set, is used instead.
    """

    jurisdiction: str = ""
    site_title: str = "规章和规范性文件清理结果"
    base_url: str = ""
    lang: str = "zh"
    time_zone: str = "Asia/Shanghai"
    supervision: str = ""
    corrections: str = ""
    publish_handlers: str = "yes"
    require_review: str = "no"
    issuer_order: str = ""
    validity: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    departments: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    search_engine: str = "whoosh"
    store_url: str = ""

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
        validity = data.get("validity", {})
        allowed = {
            "rule",
            "normative",
            "regulation",
            "other",
            "measure",
            "provisional",
            "law",
            "admin_regulation",
            "local_regulation",
            "department_rule",
            "local_rule",
        }
        if set(validity) - allowed:
            raise RegistryError(
                f"{path}: unknown key(s) in [validity]: {', '.join(sorted(set(validity) - allowed))} "
                f"(use {', '.join(sorted(allowed))})"
            )
        for key, value in validity.items():
            if parse_period(str(value)) is None and str(value) not in ("长期", "长期有效"):
                raise RegistryError(
                    f"{path}: [validity] {key} = {value!r} is not a period like 5年"
                )
        departments = data.get("departments", {})
        engine = str(data.get("search", {}).get("engine", "whoosh"))
        if engine not in ENGINES:
            raise RegistryError(f"{path}: [search] engine must be one of {', '.join(ENGINES)}")
        store_url = str(data.get("store", {}).get("url", ""))
        if store_url and not store_url.startswith(("postgresql://", "postgres://")):
            raise RegistryError(f"{path}: [store] url must be a postgresql:// URL (or absent, "
                                "for the folder's registry.sqlite)")  # fmt: skip
        known = {f.name for f in attrs.fields(cls)} - {"validity", "departments", "search_engine",
                                                       "store_url"}  # fmt: skip
        unknown = sorted(set(section) - known)
        if unknown:
            raise RegistryError(f"{path}: unknown setting(s) in [registry]: {', '.join(unknown)}")
        if section.get("lang", "zh") not in ("zh", "en"):
            raise RegistryError(f"{path}: lang must be zh or en")
        for flag, default in (("publish_handlers", "yes"), ("require_review", "no")):
            value = _YES_NO.get(str(section.get(flag, default)).strip().lower())
            if value is None:
                raise RegistryError(f"{path}: {flag} must be yes or no (是 or 否)")
            section[flag] = value
        if "time_zone" in section:  # the default needs no zone database (pages fall back)
            zone = str(section["time_zone"])
            try:
                zoneinfo.ZoneInfo(zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise RegistryError(f"{path}: time_zone {zone!r} is not a known time zone "
                                    "(e.g. Asia/Shanghai)") from None  # fmt: skip
        return cls(
            **{k: str(v) for k, v in section.items()},
            validity={k: str(v) for k, v in validity.items()},
            departments={str(k): str(v) for k, v in departments.items()},
            search_engine=engine,
            store_url=store_url,
        )

    def dump(self) -> str:
        """The TOML text of these settings."""
        lines = ["# regclean registry settings", "[registry]"]
        for field in attrs.fields(type(self)):
            if field.name in ("validity", "departments", "search_engine", "store_url"):
                continue
            value = getattr(self, field.name)
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{field.name} = "{escaped}"')
        lines += ["", "# default validity periods (有效期) by kind; provisional = 暂行/试行 documents",
                  "[validity]"]  # fmt: skip
        lines += [f'{key} = "{value}"' for key, value in self.validity.items()]
        lines += [
            "",
            "# issuer = the department answering for its instruments in a campaign",
            "[departments]",
        ]
        lines += [f'"{key}" = "{value}"' for key, value in self.departments.items()]
        lines += ["", "# the search engine: whoosh (an index folder), or inside the database: fts5"
                  " (SQLite), tsvector (PostgreSQL)",
                  "[search]", f'engine = "{self.search_engine}"']  # fmt: skip
        if self.store_url:
            escaped = self.store_url.replace("\\", "\\\\").replace('"', '\\"')
            lines += ["", "# where the rows and the log live (a PostgreSQL server)", "[store]",
                      f'url = "{escaped}"']  # fmt: skip
        return "\n".join(lines) + "\n"
