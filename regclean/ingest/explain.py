"""Every line of a document accounted for: what the reader took each line for.

``regclean import FILE --explain`` prints a decision, a result notice or a page as read: each line
with its class (title, number, metadata, heading, item, amendment, summary, count, annex,
closing, signature, citation, text …) and what it gave (a heading's outcome; an item's
instrument, outcome and number; the instrument an amendment changes; the field a label gives). A
line that names a document and was not attached to an instrument is said to be a citation, or
is a problem; no line is passed over without a word.

    >>> from pathlib import Path
    >>> lines = explain_text(Path("d.txt"), "关于废止部分规章的决定\\n一、废止《甲市乙办法》（2001年3月1日甲市人民政府令第5号发布）\\n本决定自公布之日起施行。").lines
    >>> [(line.taken_as, line.gives) for line in lines]  # doctest: +NORMALIZE_WHITESPACE
    [('title', '关于废止部分规章的决定'),
     ('item', '废止 《甲市乙办法》 甲市人民政府令第5号 2001年3月1日'),
     ('closing', 'in force on publication (自公布之日起)')]
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import attrs

from ..docnumber import DocNumber
from ..errors import Problem
from ..vocab import Outcome
from .published import (
    _ADOPTED,
    _ANNEX,
    _APPROVED,
    _BOOK,
    _COUNT,
    _DATE,
    _PROMULGATED,
    _SIGNER,
    EXAMPLE_OF,
    ONE_OF,
    Reading,
    _heading_outcome,
    _marker,
    _unbracket,
    annexes_named,
    page_metadata,
    reading,
)

# what each class of line is, in words a clerk reads
CLASSES = {
    "title": "the document's title",
    "number": "its number (文号/令号)",
    "metadata": "a label of the page's metadata",
    "adoption": "when and by whom it was adopted (…会议通过)",
    "promulgation": "promulgates the document (现予公布)",
    "document": "the document the page publishes",
    "heading": "a heading whose outcome applies to the items below it",
    "item": "an instrument and what is decided on it",
    "amendment": "an amendment, or its text",
    "summary": "names one instrument and counts the rest (等N件)",
    "count": "states a count of an outcome (N件)",
    "annex": "an annex it names (附件)",
    "closing": "when it takes effect (本决定自…施行)",
    "signature": "who signed it, or the date under the signature",
    "distribution": "whom it is sent to (分送, 抄送)",
    "reason": "why the item above it was decided (理由)",
    "citation": "cites a document it does not decide",
    "text": "text that decides nothing",
    "problem": "names a document but cannot be read: refused",
    "table": "the header of a table, and the field each column gives",
    "row": "a row of a table",
}


@attrs.frozen
class Line:
    """One line of a document and what it was taken for.

    Attributes:
        number: the line's number (1-based, empty lines not counted).
        text: the line as printed.
        taken_as: its class (a key of :data:`CLASSES`).
        gives: what it gave, in words ("废止 《X》 X令第5号"), or why it gives nothing.
    """

    number: int
    text: str
    taken_as: str
    gives: str = ""


@attrs.frozen
class Explanation:
    """A document as read: every line, the problems that refuse it, and the count of each
    class of line."""

    path: Path
    lines: list[Line]
    problems: list[Problem]

    def counts(self) -> dict[str, int]:
        return dict(Counter(line.taken_as for line in self.lines))

    def render(self) -> str:
        """The lines as a clerk reads them: number, class, the line, what it gave."""
        out = [f"{self.path}: {len(self.lines)} lines read"]
        for line in self.lines:
            shown = line.text if len(line.text) <= 60 else line.text[:59] + "…"
            out.append(f"{line.number:>4} {line.taken_as:<12} {shown}")
            if line.gives:
                out.append(f"{'':>17}→ {line.gives}")
        counted = ", ".join(f"{name} {n}" for name, n in sorted(self.counts().items()))
        out.append(f"{self.path.name}: {counted}")
        out += [f"  problem: {p}" for p in self.problems]
        return "\n".join(out)


def explain_text(path: Path, text: str) -> Explanation:
    """Explain a decision-like text (plain text, or the text of a page or a Word file)."""
    return explain_reading(path, reading(path, text))


def explain_reading(path: Path, read: Reading) -> Explanation:
    lines, printed, decision = read.lines, read.printed, read.decision
    meta = page_metadata(lines)
    taken: dict[int, tuple[str, str]] = {}  # 1-based line -> (class, gives)
    for item in read.items:
        first, last = item.lines
        if not first:
            continue
        if item.unreadable:
            taken[first] = ("problem", "numbered and naming a document, but not an item")
            continue
        kind = (
            "summary"  # it stands for others it counts (等N件) or names as examples
            if item.note.startswith((ONE_OF, EXAMPLE_OF))
            else "amendment"
            if item.amendment
            else "document"
            if item.where.startswith("the page")
            else "item"
        )
        if kind == "document" and _PROMULGATED.match(lines[first - 1]):
            kind = "promulgation"
        said = " ".join(
            part
            for part in (
                item.outcome.zh if item.outcome else "",
                f"《{item.title}》",
                item.doc_number,
                item.published_on,
                item.issuer if kind in ("document", "promulgation") else "",
                item.note,
            )
            if part
        )
        if first in taken and taken[first][0] == kind:  # several named on one line
            said = f"{taken[first][1]}; {said}"
        taken[first] = (kind, said)
        for number in range(first + 1, last + 1):
            taken[number] = ("amendment", f"text of the amendment of 《{item.title}》")
        if item.reason_line:
            taken[item.reason_line] = ("reason", f"the reason for 《{item.title}》")
    annexes = set(annexes_named(lines))
    signature = {
        i + 1
        for i, line in enumerate(lines[:-1])
        if _SIGNER.fullmatch(line.strip()) and _is_date(lines[i + 1])
    }
    out: list[Line] = []
    for index, line in enumerate(lines):
        number = index + 1
        compact = line.strip()
        if number in taken:
            kind, said = taken[number]
        elif index in meta.lines:
            field = meta.fields.get(index, "")
            kind, said = "metadata", (f"gives {field}" if field else "a label or its value")
        else:
            kind, said = _classify(
                compact, decision, annexes, number in signature, number - 1 in signature
            )
        out.append(Line(number, printed[index], kind, said))
    return Explanation(path, out, list(read.problems))


def _is_date(line: str) -> bool:
    compact = line.strip().replace(" ", "")
    return len(compact) <= 24 and bool(_DATE.fullmatch(compact))


def _classify(
    line: str, decision, annexes: set[str], signs: bool, under_signature: bool
) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    passing = _in_passing(line)
    if passing:
        return "citation", passing
    if decision.title and decision.title in line:
        return "title", decision.title
    bare = _unbracket(line).replace(" ", "")
    if decision.number and (
        bare == decision.number.replace(" ", "") or decision.number.endswith(bare)
    ):
        return "number", decision.number
    if signs:
        return "signature", line
    if under_signature or _is_date(line):
        return "signature", "the date it was signed"
    if _ANNEX.match(line) or any(name and name in line for name in annexes):
        return "annex", "not in this file" if annexes else ""
    if re.match(r"^(?:分送|抄送|主送|发送|印送)[:：]", line):
        return "distribution", ""
    if re.search(r"本(?:决定|通知|通告|公告|办法|规定)自.{0,30}(?:施行|执行|生效)", line):
        if re.search(r"自(?:本\S{0,3})?(?:公布|发布|印发)之日起", line):
            return "closing", "in force on publication (自公布之日起)"
        return "closing", ""
    level, body = _marker(line)
    outcome = _heading_outcome(body, level is not None)
    if outcome is not None:
        return "heading", f"{outcome.zh}: the items below it"
    count = _COUNT.search(_BOOK.sub("《》", line))
    if count and any(w in line for w in ("继续有效", "失效", "废止", "修改", "修订", "保留")):
        return "count", "a count the document states (see the report)"
    if _ADOPTED.search(line):
        return "adoption", ""
    approved = _APPROVED.match(line)
    if approved:
        return "adoption", f"approved by {approved.group('organ')}: its record"
    cited = [m.group(0) for m in _BOOK.finditer(line)]
    numbers = [
        w
        for w in re.findall(r"[\u3400-\u9fff]+[〔\[（(【﹝]\d{4}[〕\]）)】﹞]第?\d+号", line)
        if DocNumber.try_parse(w)
    ]
    if cited or numbers:
        return "citation", "cites " + "、".join((cited + numbers)[:3]) + (
            " …" if len(cited + numbers) > 3 else ""
        ) + " — not decided here"
    return "text", ""


def _in_passing(line: str) -> str:
    """What a line decides in passing on a document it names (…《X》同时废止), which the reader
    does not record: said, never dropped."""
    for found in _BOOK.finditer(line):
        after = re.match(
            r"^(?:[（(][^）)]{0,40}[）)])?\s*(?:同时|即行|一并|予以|宣布|自行)?"
            r"(?:废止|失效|修改|修订)",
            line[found.end() : found.end() + 60],
        )
        outcome = Outcome.understand(after.group(0)[-2:]) if after else None
        if outcome is not None:
            return (
                f"names {found.group(0)} as {outcome.zh} in passing: not recorded; import a "
                "decision item for it, or mark it (regclean mark)"
            )
    return ""
