"""Fixtures named by the state they give: a fresh registry, one with the real published rows,
one with decisions taken."""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import uuid
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


# The conformance pass: REGCLEAN_TEST_STORE=postgresql runs the suite with every registry a test
# creates on the PostgreSQL server (a fresh database each; .ci/run does it after the default run).
ON_POSTGRESQL = os.environ.get("REGCLEAN_TEST_STORE") == "postgresql"
PG_SERVER = os.environ.get("REGCLEAN_TEST_SERVER", "postgresql:///postgres")
_MADE: list[str] = []


@functools.cache
def server_missing() -> str:
    """Why the test server cannot be reached ("" when it can)."""
    import psycopg

    try:
        with psycopg.connect(PG_SERVER, connect_timeout=3):
            return ""
    except psycopg.Error as exc:
        return " ".join(str(exc).split())


def require_server() -> None:
    """Skip a test that needs the PostgreSQL server where there is none, unless the run requires
    one (.ci/run sets REGCLEAN_REQUIRE_POSTGRESQL: there a missing server fails)."""
    missing = server_missing()
    if missing and os.environ.get("REGCLEAN_REQUIRE_POSTGRESQL"):
        raise RuntimeError(f"no PostgreSQL server at {PG_SERVER} ({missing}); .ci/run starts one")
    if missing:  # a developer's machine without the server: README says how to start one
        pytest.skip(f"no PostgreSQL server at {PG_SERVER}: {missing}")


def new_database() -> str:
    """A fresh, empty database on the test server; its URL. Dropped when the session ends."""
    import psycopg

    name = f"regclean_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _MADE.append(name)
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    yield
    if not _MADE:
        return
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        for name in _MADE:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _store_under_test(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the PostgreSQL pass, every Registry.init without a database gets a fresh one; a test
    that is about SQLite itself (its file, FTS5, its backups) says so and is not run there."""
    if not ON_POSTGRESQL:
        return
    marker = request.node.get_closest_marker("sqlite_only")
    if marker is not None:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'the SQLite file'}")
    original = Registry.init.__func__  # type: ignore[attr-defined]

    def init(cls, path, **kwargs):  # type: ignore[no-untyped-def]
        if not kwargs.get("database") and kwargs.get("search_engine") != "fts5":
            kwargs["database"] = new_database()
        return original(cls, path, **kwargs)

    monkeypatch.setattr(Registry, "init", classmethod(init))


def append_forged_event(database: Path, action: str, payload: str) -> None:
    """What another program could do to a registry.sqlite: append an event of its own making,
    chained correctly to the last."""
    import sqlite3

    from regclean.store import chain

    conn = sqlite3.connect(database)
    with conn:
        prev = conn.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0]
        values = ("2026-11-26T01:00:00Z", "x", action, 1, None, payload)
        conn.execute("INSERT INTO events (at, actor, action, instrument_id, decision_id, payload, "
                     "hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (*values, chain.event_hash(prev, *values)))  # fmt: skip
    conn.close()


def write_settings(folder: Path, text: str) -> None:
    """Write a registry's regclean.toml as a test wants it, keeping where its rows live (the
    PostgreSQL pass's server)."""
    from regclean.config import Settings

    kept = Settings.load(folder / "regclean.toml").store_url
    if kept:
        text += f'\n[store]\nurl = "{kept}"\n'
    (folder / "regclean.toml").write_text(text, encoding="utf-8")


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
