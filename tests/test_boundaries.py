"""Great Expectations is imported only in ``gx_clova/gx/``, pyspark only in ``gx_clova/spark/``.

Read from the source (every ``import`` statement, at any depth, including the ones inside
functions), so a lazy import in the wrong package fails here as well as an eager one."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "gx_clova")


def _modules() -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), ROOT).replace(os.sep, "/")
                  for d, _, names in os.walk(PACKAGE) for f in names if f.endswith(".py"))


def importers(top: str) -> list[str]:
    """The package's modules with an import statement of ``top`` (or a submodule of it)."""
    found = []
    for path in _modules():
        with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n == top or n.startswith(top + ".") for n in names):
                found.append(path)
                break
    return found


@pytest.mark.parametrize(("top", "home"), [("great_expectations", "gx_clova/gx/"), ("pyspark", "gx_clova/spark/")])
def test_only_one_package_imports_it(top, home):
    found = importers(top)
    assert found, f"no module imports {top}: the check reads nothing"
    assert [path for path in found if not path.startswith(home)] == []


def test_the_documented_import_paths_still_work_and_import_no_gx_on_their_own(tmp_path):
    """``gx_clova.expectations`` (README) and the module names stored in GX configs resolve;
    ``import gx_clova.gx`` alone imports nothing from GX."""
    script = ("import sys, gx_clova.gx, gx_clova.gx.validation, gx_clova.registry, gx_clova.kernels\n"
              "assert 'great_expectations' not in sys.modules, 'gx imported too early'\n"
              "import gx_clova.expectations as e, gx_clova.actions, gx_clova.project, gx_clova.docs, gx_clova.suites\n"
              "assert e.ExpectClovaLabelsToBeBalanced.__module__ == 'gx_clova.gx.expectations.quality'\n"
              "assert gx_clova.docs.ClovaSiteBuilder and gx_clova.project.ClovaExpectationsStore\n"
              "print('ok')\n")
    probe = tmp_path / "probe.py"  # a script, not -c: with pyspark installed, -c can exit 0 silently
    probe.write_text(script, encoding="utf-8")
    result = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "PYTHONPATH": ROOT})
    assert result.stdout.strip() == "ok", result.stderr


def imported_by(module: str) -> set[str]:
    """The gx_clova modules ``module`` imports, at any depth of its source (lazy imports too)."""
    path = os.path.join(ROOT, *module.split(".")) + ".py"
    if not os.path.isfile(path):
        path = os.path.join(ROOT, *module.split("."), "__init__.py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.startswith("gx_clova")}


@pytest.mark.parametrize(("lower", "upper"), [
    ("gx_clova.spark", "gx_clova.validation"),  # both end in gx_clova.verdict
    ("gx_clova.gx.metrics.profile", "gx_clova.gx.metrics"),  # both read clova.table from gx.metrics.table
    ("gx_clova.verdict", "gx_clova.validation"),
    ("gx_clova.verdict", "gx_clova.spark"),
])
def test_no_import_cycle(lower, upper):
    assert upper not in imported_by(lower)
