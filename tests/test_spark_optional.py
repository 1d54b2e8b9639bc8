"""Spark is an optional extra: without pyspark the pandas engine works and --engine spark is a
usage error that says how to install it (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A script file, not `python -c` (with pyspark installed, -c can exit 0 silently), that makes pyspark
# unimportable, then runs the CLI.
WITHOUT_PYSPARK = '''
import importlib.abc, sys

class NoPyspark(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoPyspark())
from gx_clova.cli import main
code = main(sys.argv[1:])
assert "pyspark" not in sys.modules
sys.exit(code)
'''


def _run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "without_pyspark.py"
    script.write_text(WITHOUT_PYSPARK, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_pandas_engine_needs_no_pyspark(tmp_path):
    result = _run(tmp_path, "validate", os.path.join(ROOT, "examples", "broken.csv"))
    assert result.returncode == 1, result.stderr
    assert "row.too-long" in result.stdout


def test_spark_engine_without_pyspark_is_a_usage_error(tmp_path):
    result = _run(tmp_path, "validate", os.path.join(ROOT, "examples", "broken.csv"), "--engine", "spark")
    assert result.returncode == 2
    assert "pip install 'gx-clova[spark]'" in result.stderr and "Java 17" in result.stderr
    assert "Traceback" not in result.stderr
