"""The repository as a GX project: suites generated from code, the guard against silent drops."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from gx_clova.gx.suites import SUITE_NAMES, suite_json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("task", sorted(SUITE_NAMES))
def test_suite_json_matches_code(task):
    """Fails when code and expectations/*.json drift: run `python -m gx_clova.suites --write expectations`."""
    with open(os.path.join(ROOT, "expectations", f"{SUITE_NAMES[task]}.json"), encoding="utf-8") as handle:
        stored = json.load(handle)
    assert stored == json.loads(json.dumps(suite_json(task)))


def test_suite_json_writes_every_limit_explicitly():
    stored = suite_json("classification")
    kwargs = {e["type"]: e["kwargs"] for e in stored["expectations"]}
    assert kwargs["expect_clova_row_length_to_be_at_most"] == {"max_chars": 8000}
    assert kwargs["expect_clova_labels_to_have_min_rows"] == {"min_rows_per_label": 200}
    assert kwargs["expect_clova_label_count_to_be_at_most"] == {"max_labels": 15}
    assert kwargs["expect_clova_row_count_to_be_at_least"]["min_value"] == 100


def _script(tmp_path, body: str) -> subprocess.CompletedProcess:
    # A script file, not -c: with pyspark installed `python -c "import great_expectations"` can exit 0 silently.
    script = tmp_path / "probe.py"
    script.write_text(body, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_plain_gx_opening_the_project_gets_every_expectation(tmp_path):
    """No `import gx_clova` in the script: the project's store config imports it."""
    result = _script(tmp_path, f"""
import sys, great_expectations as gx
assert "gx_clova" not in sys.modules
context = gx.get_context(mode="file", context_root_dir={ROOT!r})
for name in ("clova_generation", "clova_classification"):
    suite = context.suites.get(name)
    print(name, len(suite.expectations))
""")
    assert result.returncode == 0, result.stderr[-2000:]
    counts = dict(line.split() for line in result.stdout.split("\n") if line.strip())
    for task, name in SUITE_NAMES.items():
        assert int(counts[name]) == len(suite_json(task)["expectations"])


def test_a_suite_that_would_lose_expectations_fails_loudly(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "uncommitted", "out", "bench", "tests"))
    path = project / "expectations" / "clova_generation.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"].append({"type": "expect_clova_something_not_installed", "kwargs": {}, "meta": {}})
    path.write_text(json.dumps(suite), encoding="utf-8")
    result = _script(tmp_path, f"""
from gx_clova.gx.project import open_project, SuiteIntegrityError
context = open_project({str(project)!r})
try:
    context.suites.get("clova_generation")
except SuiteIntegrityError as exc:
    print("refused:", exc)
else:
    print("loaded silently")
""")
    assert "refused:" in result.stdout, (result.stdout, result.stderr[-2000:])
    assert "expect_clova_something_not_installed" in result.stdout


def test_stock_gx_would_drop_them_silently(tmp_path):
    """The pitfall the guard exists for (GX drops unknown expectations silently), on GX's own ephemeral context."""
    result = _script(tmp_path, f"""
import json, great_expectations as gx
from great_expectations.core.expectation_suite import ExpectationSuite
data = json.load(open({os.path.join(ROOT, "expectations", "clova_generation.json")!r}))
suite = ExpectationSuite(name=data["name"], expectations=data["expectations"])
print(len(suite.expectations), len(data["expectations"]))
""")
    kept, total = map(int, result.stdout.split())
    assert kept < total
