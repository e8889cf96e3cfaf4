"""JSON Lines: one object per line, its keys mapped like a header."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from .columns import Table, build_mapping, detect_encoding, field_for


def read_jsonl(path: Path, overrides: Mapping[str, str] | None = None) -> Table:
    """One JSON object per line; keys are field names or header words (文号, 标题 ...)."""
    keys: list[str] = []
    encoding = detect_encoding(path)

    def objects() -> Iterator[tuple[int, Any]]:
        try:
            with path.open(encoding=encoding) as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        try:
                            yield number, json.loads(line)
                        except RecursionError:
                            raise ValidationError(
                                [Problem("values nested too deeply", f"{path.name}, line {number}")]
                            ) from None
                        except json.JSONDecodeError as exc:
                            yield number, exc
        except UnicodeDecodeError as exc:
            raise ValidationError(
                [Problem(f"invalid {encoding} text at byte {exc.start}", str(path))]
            ) from None

    for _, obj in objects():
        if isinstance(obj, dict):
            keys += [k for k in obj if k not in keys]
    header = tuple(str(k) for k in keys)
    if not any(field_for(k) == "title" or (overrides or {}).get(k) == "title" for k in header):
        raise ValidationError(
            [Problem("no title key (title/文件名称/标题) in any line", str(path))]
        )
    # Lines may spell a field differently (标题 in one, title in another): the first non-empty wins.
    mapping = build_mapping(path, header, overrides, exclusive=False)

    def rows() -> Iterator[tuple[str, list[Any]]]:
        for number, obj in objects():
            if isinstance(obj, json.JSONDecodeError):
                raise ValidationError(
                    [Problem(f"not valid JSON: {obj.msg}", f"{path.name}, line {number}")]
                )
            if not isinstance(obj, dict):
                raise ValidationError(
                    [Problem("each line must be a JSON object", f"{path.name}, line {number}")]
                )
            yield f"line {number}", [obj.get(k) for k in keys]

    return Table(path, header, mapping, rows)
