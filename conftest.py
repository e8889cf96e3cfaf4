"""Doctest set-up for the examples in regclean's docstrings (docs/*.md import what they use)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest) -> None:
    if type(request.node).__name__ != "DoctestItem":
        return
    import regclean

    namespace = request.getfixturevalue("doctest_namespace")
    namespace.update({name: getattr(regclean, name) for name in regclean.__all__})
    namespace["tmp_path"] = request.getfixturevalue("tmp_path")
