"""The examples in gx_clova's docstrings run, as a user would type them from the repository root.

Only the Spark example is skipped: it needs a Spark session holding the user's own table
(tests/test_spark.py runs ``validate_dataframe`` for real).
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil

import pytest

import gx_clova

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Modules whose examples may be skipped, and why.
MAY_SKIP = {"gx_clova.spark": "needs a Spark session with the user's table"}


def _modules_with_examples() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(gx_clova.__path__, "gx_clova."):
        if info.name.endswith("__main__"):
            continue  # running it is the CLI (python -m gx_clova)
        spec = importlib.util.find_spec(info.name)
        with open(spec.origin, encoding="utf-8") as handle:
            if ">>>" in handle.read():
                found.append(info.name)
    return sorted(found)


MODULES = _modules_with_examples()


def test_the_examples_are_found():
    assert {"gx_clova.codes", "gx_clova.spec", "gx_clova.report", "gx_clova.validation",
            "gx_clova.reading"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name files as paths from the repository root
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module, name)
    skipped = [e for t in tests for e in t.examples if e.options.get(doctest.SKIP)]
    if name not in MAY_SKIP:
        assert skipped == [], f"{name} skips {len(skipped)} example(s)"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 or name in MAY_SKIP
    assert result.failed == 0, f"{result.failed} example(s) of {name} failed (see the output above)"
