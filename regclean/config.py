"""``regclean.toml``: the settings of one registry (jurisdiction, site title, base URL, language)."""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path

import attrs

from .dates import parse_period
from .errors import RegistryError
from .registration import Format

SETTINGS_NAME = "regclean.toml"  # inside a registry folder


ENGINES = ("whoosh", "fts5", "tsvector")
IN_DATABASE = ("fts5", "tsvector")  # the engines that keep their index inside the store
_YES_NO = {"yes": "yes", "no": "no", "是": "yes", "否": "no", "true": "yes", "false": "no"}


# the settings that come from their own tables, not from [registry]
_TABLES = ("validity", "departments", "search_engine", "store_url", "registration_required",
           "registration_formats", "filing_days", "filing_to", "filing_since", "evaluation_months")  # fmt: skip


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


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
        registration_required: ``yes`` when a normative document in force must carry a
            registration number (统一登记号; a finding otherwise), from ``[registration]``'s
            ``required``.
        registration_formats: each issuer's registration number format, as printed
            (``"惠州市人民政府" = "HFGS—{year}—{serial}"``), from ``[registration.formats]``.
        filing_days: days within which a document is filed with the office above (报备), from
            ``[filing]``'s ``days``; "" when filings are not watched.
        filing_to: the office filings go to (``省司法厅``), from ``[filing]``'s ``to``.
        evaluation_months: how many months before a document's validity ends its evaluation
            report, the legal affairs office's opinion and the decision are due, from
            ``[evaluation]``'s ``report``, ``opinion`` and ``decision`` (6, 2 and 1).
        filing_since: filings are watched for documents published on or after this day (the
            day the rule began to apply here), from ``[filing]``'s ``since``; "" for all.
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
    registration_required: str = "no"
    registration_formats: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    filing_days: str = ""
    filing_to: str = ""
    filing_since: str = ""
    evaluation_months: tuple[int, int, int] = (6, 2, 1)

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
            raise RegistryError(
                f"{path}: [store] url must be a postgresql:// URL (or absent, "
                "for the folder's registry.sqlite)"
            )
        known = {f.name for f in attrs.fields(cls)} - set(_TABLES)
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
                raise RegistryError(
                    f"{path}: time_zone {zone!r} is not a known time zone (e.g. Asia/Shanghai)"
                ) from None
        registration = dict(data.get("registration", {}))
        formats = {str(k): str(v) for k, v in dict(registration.pop("formats", {})).items()}
        required = _YES_NO.get(str(registration.pop("required", "no")).strip().lower())
        if required is None or registration:
            raise RegistryError(
                f"{path}: [registration] holds required = yes or no, and a "
                "[registration.formats] table of issuer = format"
            )
        for issuer, pattern in formats.items():
            try:
                Format.parse(pattern)
            except ValueError as exc:
                raise RegistryError(f"{path}: [registration.formats] {issuer}: {exc}") from None
        filing = dict(data.get("filing", {}))
        days = str(filing.pop("days", "")).strip()
        to = str(filing.pop("to", "")).strip()
        since = str(filing.pop("since", "")).strip()
        if filing or (days and not (days.isdigit() and 0 < int(days) <= 365)):
            raise RegistryError(
                f"{path}: [filing] holds days = 1 to 365 (报备期限), to = the "
                "office filings go to, and since = the first day watched"
            )
        if since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
            raise RegistryError(f"{path}: [filing] since = {since!r} is not a day like 2024-01-01")
        evaluation = dict(data.get("evaluation", {}))
        months = tuple(
            evaluation.pop(k, d) for k, d in (("report", 6), ("opinion", 2), ("decision", 1))
        )
        ok = all(isinstance(m, int) and 0 < m <= 24 for m in months) and months == tuple(
            sorted(months, reverse=True)
        )
        if evaluation or not ok:
            raise RegistryError(
                f"{path}: [evaluation] holds report, opinion and decision: months "
                "before expiry, 1 to 24, in that order (6, 2, 1)"
            )
        return cls(
            **{k: str(v) for k, v in section.items()},
            validity={k: str(v) for k, v in validity.items()},
            departments={str(k): str(v) for k, v in departments.items()},
            search_engine=engine,
            store_url=store_url,
            registration_required=required,
            registration_formats=formats,
            filing_days=days,
            filing_to=to,
            filing_since=since,
            evaluation_months=months,  # type: ignore[arg-type]
        )

    def dump(self) -> str:
        """The TOML text of these settings."""
        lines = ["# regclean registry settings", "[registry]"]
        for field in attrs.fields(type(self)):
            if field.name in _TABLES:
                continue
            value = getattr(self, field.name)
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{field.name} = "{escaped}"')
        lines += [
            "",
            "# default validity periods (有效期) by kind; provisional = 暂行/试行 documents",
            "[validity]",
        ]
        lines += [f'{key} = "{value}"' for key, value in self.validity.items()]
        lines += [
            "",
            "# issuer = the department answering for its instruments in a campaign",
            "[departments]",
        ]
        lines += [f'"{key}" = "{value}"' for key, value in self.departments.items()]
        lines += [
            "",
            "# the search engine: whoosh (an index folder), or inside the database: fts5"
            " (SQLite), tsvector (PostgreSQL)",
            "[search]",
            f'engine = "{self.search_engine}"',
        ]
        if self.registration_required == "yes" or self.registration_formats:
            lines += [
                "",
                "# registration numbers (统一登记号): required for documents in force, and "
                "each issuer's format",
                "[registration]",
                f'required = "{self.registration_required}"',
                "",
                "[registration.formats]",
            ]
            lines += [f'"{_toml(k)}" = "{_toml(v)}"' for k, v in self.registration_formats.items()]
        if self.filing_days or self.filing_to or self.filing_since:
            lines += [
                "",
                "# filing with the office above (备案): within so many days, to whom",
                "[filing]",
            ]
            lines += [f"days = {self.filing_days}"] if self.filing_days else []
            lines += [f'to = "{_toml(self.filing_to)}"'] if self.filing_to else []
            lines += [f'since = "{self.filing_since}"'] if self.filing_since else []
        if self.evaluation_months != (6, 2, 1):
            report, opinion, decision = self.evaluation_months
            lines += [
                "",
                "# months before expiry the evaluation's steps are due",
                "[evaluation]",
                f"report = {report}",
                f"opinion = {opinion}",
                f"decision = {decision}",
            ]
        if self.store_url:
            escaped = self.store_url.replace("\\", "\\\\").replace('"', '\\"')
            lines += [
                "",
                "# where the rows and the log live (a PostgreSQL server)",
                "[store]",
                f'url = "{escaped}"',
            ]
        return "\n".join(lines) + "\n"
