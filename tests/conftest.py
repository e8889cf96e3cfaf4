"""Fixtures named by the state they give: a fresh registry, one with the real published rows,
one with decisions taken."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from regclean import Registry

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PACKAGED_SAMPLE = (
    Path(__file__).resolve().parents[1] / "regclean" / "data" / "published-decisions.csv"
)


class FixedClock:
    """A clock that starts at a given day and moves one second per reading."""

    def __init__(self, day: str = "2026-11-26"):
        self.day = day
        self._ticks = itertools.count()

    def __call__(self) -> str:
        tick = next(self._ticks)
        return f"{self.day}T{tick // 3600 % 24:02d}:{tick // 60 % 60:02d}:{tick % 60:02d}Z"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def fresh_registry(tmp_path: Path, clock: FixedClock) -> Iterator[Registry]:
    with Registry.init(tmp_path / "reg", jurisdiction="温州市", clock=clock) as registry:
        yield registry


@pytest.fixture
def sample_csv(tmp_path: Path) -> Path:
    """The real published rows (shared/data when present, else the copy shipped in the package)."""
    source = SHARED_DATA / "published-decisions.csv"
    if not source.exists():
        source = PACKAGED_SAMPLE
    target = tmp_path / "published-decisions.csv"
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def registry_with_rows(fresh_registry: Registry, sample_csv: Path) -> Registry:
    """The real rows imported: 30 instruments, each with a proposed decision."""
    fresh_registry.import_file(sample_csv, by="tester")
    return fresh_registry


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Say how many random inputs the bad-input sweep (test_fuzz.py) tried."""
    from tests.test_fuzz import TRIED

    if TRIED:
        listed = ", ".join(f"{name} {count}" for name, count in sorted(TRIED.items()))
        terminalreporter.write_line(
            f"bad-input sweep: {sum(TRIED.values())} inputs tried ({listed})"
        )
