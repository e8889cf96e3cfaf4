"""The wheel ships the library, the CLI and the catalogs, nothing stray; the docs are current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    from cli import cli_reference

    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == cli_reference(), (
        "docs/cli.md is stale: run `regclean cli-reference > docs/cli.md`"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the files git knows (tracked, or new and not ignored):
    a build/ folder left by an earlier build would otherwise lend the wheel stale modules."""
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True, cwd=out,
    )  # fmt: skip
    [built] = out.glob("regclean-*.whl")
    return built


def test_wheel_contains_nothing_stray(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"regclean", "cli.py"}
    assert "regclean/catalogs/__init__.py" in names
    assert "regclean/data/published-decisions.csv" in names
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "docs/"))]


def test_installed_wheel_runs_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONIOENCODING": "utf-8"}
    code = (
        "import regclean, cli; from regclean.demo import run_demo; "
        f"assert regclean.__file__.startswith({str(target)!r}), regclean.__file__; "
        "print(run_demo('demo').approved); "
        # a republish uses the helper script (linking, then removing the previous site)
        "from regclean import Registry; reg = Registry.open('demo/registry'); "
        "first = next(iter(reg.instruments())); "
        "reg.update_instrument(first.id, title=first.title + '（更正）'); "
        "print(reg.publish('demo/site', force=True).rerendered); "
        "reg.update_instrument(first.id, title=first.title); "
        "print(reg.publish('demo/site', force=True).rerendered); "
        "import sys; reg.search('管理'); "  # every module from the wheel, none from the source
        f"stray = [n for n, m in sys.modules.items() if n.split('.')[0] in ('regclean', 'cli') "
        f"and not (getattr(m, '__file__', None) or {str(target)!r}).startswith({str(target)!r})]; "
        "assert not stray, stray"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["30", "1", "1"]
    assert "regclean/publish/_worker.py" in zipfile.ZipFile(wheel).namelist()
    beside = {p.name for p in (tmp_path / "demo").iterdir() if p.name.startswith(".site.")}
    old = beside - {".site.lock"}  # only the latest previous site, kept to roll back to:
    assert ".site.lock" in beside and len(old) == 1 and old.pop().endswith(".old")
