"""Campaign profiles: what a thematic cleanup (专项清理) looks for, counts and prints.

A profile is data, a TOML file: the general cleanup, the fair-competition cleanup
(公平竞争审查), 涉企, fines (罚款) and certificates (证明事项) are shipped in
``regclean/catalogs/profiles``; a registry adds or overrides one in its own
``catalogs/profiles`` folder. A profile sets

- the scope: the kinds it covers (其他政策措施 among them for a thematic cleanup);
- its problem classes (问题类别), each with numbered items and their legal basis;
- the grounds on which a measure may stay as an exception (保留（例外）);
- the units its statistics count (件, 件次) and their subtotals (涉企, by class, by department);
- the signals the screening pass looks for (:mod:`regclean.screening`): literal words, or two
  words (each one of a list) at most N characters apart. A word may hold ``{本地}``, which
  stands for any word by which a measure names its own place (本地, 本市, 我县, 县内, 项目所在地
  …, and the places its issuer names, 婺源县). Nothing else: no regular expression can make a
  screening run away, and each signal is checked when the profile loads.

    >>> fair = shipped()["fair-competition"]
    >>> [c.zh for c in fair.classes]
    ['市场准入和退出', '商品要素自由流动', '生产经营成本', '生产经营行为']
    >>> fair.item("10.2").zh
    '给予特定经营者选择性、差异化的财政奖励或者补贴'
    >>> fair.class_of("10.2").code
    'cost'
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .catalog import OVERRIDE, SHIPPED
from .docnumber import DocNumber
from .errors import RegcleanError
from .text import fold
from .vocab import Kind, VocabularyError

FOLDER = "profiles"
GENERAL = "general"
MAX_WORD = 40  # characters in one signal word
MAX_NEAR = 200  # characters between the two words of a near signal
MAX_CHOICES = 16  # words one side of a near signal may choose among
LOCAL = "{本地}"  # in a signal word: any word by which a measure names its own place
# the words by which a measure names its own place; a case report's anonymised place (某县,
# 某某区) is one, as the measure it quotes named its place there
LOCAL_WORDS = (
    "本地", "当地", "本省", "本市", "本州", "本县", "本区", "本旗", "本镇", "本乡", "我省", "我市",
    "我州", "我县", "我区", "我旗", "我镇", "我乡", "省内", "市内", "州内", "县内", "区内", "镇内",
    "辖区内", "域内", "项目所在地", "甲方所在地", "某某市", "某某县", "某某区", "某市", "某县", "某区",
    "某镇", "该市", "该县", "该区",
)  # fmt: skip
UNITS = ("件", "件次")
SUBTOTALS = ("涉企", "class", "department")
STRENGTHS = ("strong", "weak")


class ProfileError(RegcleanError, ValueError):
    """A profile file that cannot be used; the message names the file and the line."""


@attrs.frozen
class Item:
    """One numbered item of a problem class (审查标准的一项), e.g. ``10.2``."""

    number: str
    zh: str
    basis: str = ""


@attrs.frozen
class ProblemClass:
    """A class of problems (问题类别) with its items; ``code`` is how records name it."""

    code: str
    zh: str
    en: str
    basis: str
    items: tuple[Item, ...]

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@attrs.frozen
class Ground:
    """A ground on which a measure may stay as an exception (例外情形)."""

    code: str
    zh: str
    basis: str = ""


@attrs.frozen
class Signal:
    """What the screening pass looks for: any of ``words``, or a word of each side of ``near``
    at most ``within`` characters apart (in either order), in one clause. A word holding
    ``{本地}`` matches it with any of :data:`LOCAL_WORDS` or of the ``places`` given."""

    item: str
    strength: str
    words: tuple[str, ...] = ()
    near: tuple[tuple[str, ...], tuple[str, ...], int] | None = None

    def find(self, text: str, places: tuple[str, ...] = ()) -> str | None:
        """The words of the signal as they stand in ``text`` (folded), or None."""
        if self.words:
            found = _pattern(self.words, places).search(text)
            if found:
                return found.group()
        if self.near is not None:
            first, second, within = self.near
            return _near(text, _pattern(first, places), _pattern(second, places), within)
        return None


@functools.lru_cache(maxsize=4096)
def _pattern(words: tuple[str, ...], places: tuple[str, ...] = ()) -> re.Pattern[str]:
    """One alternation of literal words, ``{本地}`` standing for any word naming the place:
    linear in the text, whatever the profile says."""
    local = (
        "(?:"
        + "|".join(map(re.escape, sorted({*LOCAL_WORDS, *places}, key=len, reverse=True)))
        + ")"
    )
    parts = [local.join(map(re.escape, w.split(LOCAL))) for w in words]
    return re.compile("|".join(parts))


def _near(text: str, first: re.Pattern[str], second: re.Pattern[str], within: int) -> str | None:
    """The stretch of ``text`` from one word to the other when they are at most ``within``
    characters apart (either order); each occurrence of ``first`` is matched to the nearest
    ``second`` by bisection, so a long text costs n log n, never n²."""
    seconds = [(m.start(), m.end()) for m in second.finditer(text)]
    if not seconds:
        return None
    starts = [a for a, _ in seconds]
    for found in first.finditer(text):
        start, end = found.span()
        at = bisect.bisect_left(starts, start)
        for other, other_end in seconds[max(0, at - 1) : at + 1]:
            if abs(other - start) <= within + (end - start):
                return text[min(start, other) : max(end, other_end)]
    return None


@attrs.frozen
class Profile:
    """A campaign profile (see the module's description).

    Attributes:
        name: what ``--profile`` names (``fair-competition``).
        zh, en: its title in each language.
        basis: the rules it applies.
        kinds: the kinds of instrument in its scope (empty: every kind).
        units: 件, and 件次 where a document counts once per class of problem.
        subtotals: 涉企, class, department.
        classes: its problem classes, in order.
        exceptions: the grounds for keeping a measure as an exception (empty: none allowed).
        signals: what the screening pass looks for.
        items_of: the items inside a document it decides (证明事项, 罚款事项), or "".
        item_outcomes: what an item inside a document may come to (取消, 保留, 调整).
        review_form: whether each measure's review is written on a 审查表.
        stages: the stages of a review record (起草单位初审, 会同审查 ...).
        path: the file it was read from.
    """

    name: str
    zh: str
    en: str
    basis: str = ""
    kinds: tuple[Kind, ...] = ()
    units: tuple[str, ...] = ("件",)
    subtotals: tuple[str, ...] = ()
    classes: tuple[ProblemClass, ...] = ()
    exceptions: tuple[Ground, ...] = ()
    signals: tuple[Signal, ...] = ()
    items_of: str = ""
    item_outcomes: tuple[str, ...] = ()
    review_form: bool = False
    stages: tuple[str, ...] = ()
    path: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def thematic(self) -> bool:
        """Whether it is a thematic cleanup (it has problem classes)."""
        return bool(self.classes)

    def item(self, number: str) -> Item:
        """An item by its number; ProfileError naming the profile's items otherwise."""
        for problem_class in self.classes:
            for item in problem_class.items:
                if item.number == number:
                    return item
        raise ProfileError(
            f"profile {self.name} has no item {number!r} (items: {', '.join(self.item_numbers())})"
        )

    def item_numbers(self) -> list[str]:
        return [i.number for c in self.classes for i in c.items]

    def class_of(self, item: str) -> ProblemClass:
        """The class an item belongs to."""
        self.item(item)
        return next(c for c in self.classes if any(i.number == item for i in c.items))

    def problem_class(self, word: str) -> ProblemClass:
        """A class by its code or its Chinese name (full-width and half-width alike)."""
        for problem_class in self.classes:
            if fold(word).strip().lower() in (problem_class.code, fold(problem_class.zh)):
                return problem_class
        known = ", ".join(f"{c.code} ({c.zh})" for c in self.classes) or "none"
        raise ProfileError(f"profile {self.name} has no class {word!r} (classes: {known})")

    def ground(self, word: str) -> Ground:
        """An exception ground by its code or its words."""
        for ground in self.exceptions:
            if fold(word).strip() in (ground.code, fold(ground.zh)):
                return ground
        known = ", ".join(f"{g.code} ({g.zh})" for g in self.exceptions) or "none"
        raise ProfileError(f"profile {self.name} allows no exception {word!r} (grounds: {known})")


# -- reading ----------------------------------------------------------------------------------


def folders(home: Path | None) -> list[Path]:
    """Where profiles are looked for: the registry's own ``catalogs/profiles``, then the shipped."""
    own = home / OVERRIDE / FOLDER if home is not None else None
    shipped = SHIPPED / FOLDER
    return [own, shipped] if own is not None and own.is_dir() else [shipped]


def available(home: Path | None = None) -> dict[str, Profile]:
    """Every profile a registry can use, by name: its own first, then the shipped ones."""
    out: dict[str, Profile] = {}
    for folder in reversed(folders(home)):
        for path in sorted(folder.glob("*.toml")):
            profile = load(path)
            out[profile.name] = profile
    return out


@functools.cache
def shipped() -> dict[str, Profile]:
    """The profiles shipped with regclean."""
    return available(None)


def get(name: str, home: Path | None = None) -> Profile:
    """A profile by name (``general`` when empty); ProfileError naming the known ones."""
    found = available(home) if home is not None else shipped()
    wanted = (name or GENERAL).strip()
    if wanted not in found:
        raise ProfileError(
            f"no campaign profile named {wanted!r} (profiles: {', '.join(sorted(found))})"
        )
    return found[wanted]


def load(path: Path) -> Profile:
    """Read and check one profile file; ProfileError naming the file and line otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the profile: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not TOML: {exc}") from None
    return _Reader(path, text).profile(data)


def _names_a_rule(basis: str) -> bool:
    """Whether a basis names a rule (《…》), an article (第…条, 第…项) or a document number."""
    text = fold(basis)
    if "《" in text or re.search(r"第[一二三四五六七八九十百零〇\d]+[条项款]", text):
        return True
    return any(DocNumber.try_parse(part) is not None for part in re.split(r"[，,；;、\s]", text))


class _Reader:
    """Builds a Profile, naming the file and line of whatever is wrong."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def fail(self, message: str, *near: str, nth: int = 1) -> ProfileError:
        return ProfileError(f"{self.path}:{self.line(*near, nth=nth)}: {message}")

    def line(self, *near: str, nth: int = 1) -> int:
        """The line on which the words of ``near`` stand (its ``nth`` occurrence), else 1."""
        seen = 0
        for number, line in enumerate(self.lines, start=1):
            if near and all(word in line for word in near):
                seen += 1
                if seen == nth:
                    return number
        return 1

    def text(self, entry: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = entry.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{where}: {key} must be words", key)
        return value.strip()

    def keys(self, entry: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in entry:
            if key not in allowed:
                raise self.fail(
                    f"{where}: unknown key {key!r} (known: {', '.join(allowed)})", f"{key} ="
                )

    def profile(self, data: Mapping[str, Any]) -> Profile:
        self.keys(data, ("profile", "class", "exception", "signal"), "the file")
        head = data.get("profile")
        if not isinstance(head, dict):
            raise self.fail("a profile starts with a [profile] table")
        self.keys(
            head,
            (
                "name",
                "zh",
                "en",
                "basis",
                "kinds",
                "units",
                "subtotals",
                "exceptions",
                "review_form",
                "stages",
                "items_of",
                "item_outcomes",
            ),
            "[profile]",
        )
        name = self.text(head, "name", "[profile]")
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,40}", name):
            raise self.fail("[profile]: name is lower-case letters, digits and -", "name =")
        kinds = []
        for word in head.get("kinds", []):
            try:
                kinds.append(Kind.parse(word))
            except VocabularyError as exc:
                raise self.fail(f"[profile]: kinds: {exc}", str(word)) from None
        for key, allowed in (("units", UNITS), ("subtotals", SUBTOTALS)):
            for word in head.get(key, []):
                if word not in allowed:
                    raise self.fail(
                        f"[profile]: {key}: {word!r} is not one of {', '.join(allowed)}", f"{key} ="
                    )
        classes = self.classes(data.get("class", []))
        grounds = self.grounds(data.get("exception", []))
        if head.get("exceptions") and not grounds:
            raise self.fail(
                "[profile]: exceptions = true, but no [[exception]] ground is given", "exceptions ="
            )
        numbers = {i.number for c in classes for i in c.items}
        signals = self.signals(data.get("signal", []), numbers)
        return Profile(
            name=name,
            zh=self.text(head, "zh", "[profile]"),
            en=self.text(head, "en", "[profile]", required=False) or name,
            basis=self.text(head, "basis", "[profile]", required=False),
            kinds=tuple(kinds),
            units=tuple(head.get("units", ["件"])),
            subtotals=tuple(head.get("subtotals", [])),
            classes=classes,
            exceptions=grounds,
            signals=signals,
            items_of=self.text(head, "items_of", "[profile]", required=False),
            item_outcomes=tuple(head.get("item_outcomes", [])),
            review_form=bool(head.get("review_form", False)),
            stages=tuple(head.get("stages", [])),
            path=str(self.path),
        )

    def classes(self, entries: Sequence[Mapping[str, Any]]) -> tuple[ProblemClass, ...]:
        out: list[ProblemClass] = []
        codes: set[str] = set()
        numbers: dict[str, int] = {}
        for n, entry in enumerate(entries, start=1):
            where = f"class #{n}"
            self.keys(entry, ("code", "zh", "en", "basis", "item"), where)
            code = self.text(entry, "code", where)
            if code in codes:
                raise self.fail(f"{where}: the class {code!r} is defined twice", f'"{code}"', nth=2)
            codes.add(code)
            basis = self.text(entry, "basis", where)
            if not _names_a_rule(basis):
                raise self.fail(
                    f"{where}: basis {basis!r} names no rule (《…》), article (第…条) "
                    "or document number",
                    basis,
                )
            items = []
            for entry_item in entry.get("item", []):
                self.keys(entry_item, ("number", "zh", "basis"), f"{where}, item")
                number = self.text(entry_item, "number", f"{where}, item")
                numbers[number] = numbers.get(number, 0) + 1
                if numbers[number] > 1:
                    raise self.fail(
                        f"{where}: item {number} is numbered twice",
                        f'"{number}"',
                        nth=numbers[number],
                    )
                item_basis = self.text(
                    entry_item, "basis", f"{where}, item {number}", required=False
                )
                if item_basis and not _names_a_rule(item_basis):
                    raise self.fail(
                        f"{where}, item {number}: basis {item_basis!r} names no "
                        "rule, article or document number",
                        item_basis,
                    )
                items.append(
                    Item(number, self.text(entry_item, "zh", f"{where}, item {number}"), item_basis)
                )
            out.append(
                ProblemClass(
                    code,
                    self.text(entry, "zh", where),
                    self.text(entry, "en", where, required=False) or code,
                    basis,
                    tuple(items),
                )
            )
        return tuple(out)

    def grounds(self, entries: Sequence[Mapping[str, Any]]) -> tuple[Ground, ...]:
        out = []
        for n, entry in enumerate(entries, start=1):
            where = f"exception #{n}"
            self.keys(entry, ("code", "zh", "basis"), where)
            out.append(
                Ground(
                    self.text(entry, "code", where),
                    self.text(entry, "zh", where),
                    self.text(entry, "basis", where, required=False),
                )
            )
        return tuple(out)

    def signals(
        self, entries: Sequence[Mapping[str, Any]], numbers: set[str]
    ) -> tuple[Signal, ...]:
        out = []
        for n, entry in enumerate(entries, start=1):
            where = f"signal #{n}"
            self.keys(entry, ("item", "strength", "words", "near"), where)
            item = self.text(entry, "item", where)
            if item not in numbers:
                raise self.fail(
                    f"{where}: item {item!r} is not an item of this profile's classes",
                    f'item = "{item}"',
                )
            strength = self.text(entry, "strength", where)
            if strength not in STRENGTHS:
                raise self.fail(
                    f"{where}: strength is strong or weak, not {strength!r}", f'"{strength}"'
                )
            words = entry.get("words", [])
            near = entry.get("near")
            if not words and near is None:
                raise self.fail(
                    f"{where}: give words = [...] or near = [first, second, within]",
                    f'item = "{item}"',
                )
            checked = tuple(self.word(w, where) for w in words)
            pair = None
            if near is not None:
                ok = (
                    isinstance(near, list)
                    and len(near) == 3
                    and isinstance(near[2], int)
                    and not isinstance(near[2], bool)
                    and 0 < near[2] <= MAX_NEAR
                )
                if not ok:
                    raise self.fail(
                        f"{where}: near is [first word or words, second word or words, at most "
                        f"N characters apart], N from 1 to {MAX_NEAR}",
                        "near =",
                    )
                pair = (self.choices(near[0], where), self.choices(near[1], where), near[2])
            out.append(Signal(item, strength, checked, pair))
        return tuple(out)

    def choices(self, side: Any, where: str) -> tuple[str, ...]:
        """One side of a near signal: a word, or a list of 1 to MAX_CHOICES words."""
        words = side if isinstance(side, list) else [side]
        if not 0 < len(words) <= MAX_CHOICES:
            raise self.fail(
                f"{where}: a side of near is a word or a list of 1 to {MAX_CHOICES} words",
                "near =",
            )
        return tuple(self.word(w, where) for w in words)

    def word(self, word: Any, where: str) -> str:
        """A signal word: literal text, folded as the text it is looked for in; ``{本地}``
        stands for a word naming the measure's own place, and no other braces are allowed."""
        if not isinstance(word, str) or not word.strip() or len(word) > MAX_WORD:
            raise self.fail(
                f"{where}: a signal word is literal text of 1 to {MAX_WORD} characters"
                f" (got {word!r})",
                str(word)[:10],
            )
        if re.sub(re.escape(LOCAL), "", word).strip(" ") == "" or re.search(
            r"[{}]", word.replace(LOCAL, "")
        ):
            raise self.fail(
                f"{where}: {word!r}: braces only as {LOCAL}, beside literal words",
                str(word)[:10],
            )
        return LOCAL.join(fold(part) for part in word.strip().split(LOCAL))
