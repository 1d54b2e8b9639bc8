"""The import contracts in pyproject.toml ([tool.importlinter]) hold: Great Expectations only in
gx_clova.gx and pyspark only in gx_clova.spark, no library module imports the CLI, and the layers
under the engine are never imported upwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_every_import_contract_is_kept():
    lint_imports = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    assert lint_imports, "lint-imports is missing: install the test extra (import-linter)"
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        contracts = tomllib.load(handle)
    declared = len(contracts["tool"]["importlinter"]["contracts"])
    assert declared >= 5 and "0 broken" in done.stdout and f"{declared} kept" in done.stdout, done.stdout
