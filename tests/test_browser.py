"""The published site in a real browser (Debian's headless Chromium, installed by .ci/run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html

from regclean import Registry
from regclean.publish import publish

from .test_publish import build_sample

BUILD = Path(__file__).parent / "_build"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]  # fmt: skip


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def run_browser(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_repealed_catalog_in_a_real_browser(fresh_registry: Registry, tmp_path: Path) -> None:
    build_sample(fresh_registry)
    site = tmp_path / "site"
    publish(fresh_registry, site)
    page = (site / "catalogs" / "repealed.html").as_uri()
    done = run_browser("--dump-dom", page, profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = html.fromstring(done.stdout)
    rows = dom.xpath("//tbody/tr")
    assert len(rows) == 2
    assert "温政发〔2004〕12号" in rows[0].text_content()
    assert dom.xpath("//title")[0].text.startswith("废止目录")
    BUILD.mkdir(exist_ok=True)
    for name, size in (("phone", "390,844"), ("desktop", "1280,900")):
        shot = BUILD / f"repealed-{name}.png"
        shot.unlink(missing_ok=True)
        done = run_browser(f"--screenshot={shot}", f"--window-size={size}", page,
                           profile=tmp_path / f"profile-{name}")  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        assert shot.stat().st_size > 10_000  # a rendered page, not a blank one
