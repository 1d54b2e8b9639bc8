"""One verdict everywhere: three datasets × every surface that states a verdict.

The datasets: one that passes clean, one that passes with warnings only (a repeated row, a phone
number), one that fails (a row over the length limit). Every surface must give the dataset the
same verdict: the CLI's exit status, the Python API's ``Report.success``, a plain Great
Expectations checkpoint run in a subprocess that imports nothing from gx_clova (GX loads the
plugin through the project's config), ``gx-clova checkpoint``, ``gx-clova gate``, Spark, and the
status the Data Docs page states in words. With ``--strict`` (or a suite whose warnings are
escalated), the warnings-only dataset fails everywhere.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from verdict_data import make_datasets, scratch_project

from gx_clova.cli import main
from gx_clova.gx.suites import SUITE_NAMES, build_suite
from gx_clova.validation import escalation, validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: dataset -> (passes without escalation, passes with --strict)
EXPECTED = {"clean": (True, True), "warnings": (True, False), "failing": (False, False)}
#: dataset -> the status the Data Docs page states (without escalation)
DOCS_STATE = {"clean": "passed", "warnings": "passed with warnings", "failing": "failed"}


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    return make_datasets(tmp_path_factory.mktemp("matrix"))


def _project(folder, strict: bool) -> str:
    """A scratch copy of this repository's GX project; with ``strict`` its suites escalate every warning."""
    project = scratch_project(folder, "strict" if strict else "plain")
    if strict:
        for task, name in SUITE_NAMES.items():
            data = build_suite(task, escalate=escalation(strict=True)).to_json_dict()
            for expectation in data["expectations"]:
                expectation.pop("rendered_content", None)
            with open(os.path.join(project, "expectations", f"{name}.json"), "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
    return project


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    folder = tmp_path_factory.mktemp("projects")
    return {False: _project(folder, False), True: _project(folder, True)}


PLAIN_GX = """
import json, sys
import great_expectations as gx
import pandas as pd
assert "gx_clova" not in sys.modules
project, files = sys.argv[1], sys.argv[2:]
context = gx.get_context(mode="file", context_root_dir=project)
out = {}
for path in files:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    result = context.checkpoints.get("clova_generation_local").run(batch_parameters={"dataframe": frame})
    suite_result = next(iter(result.run_results.values()))
    out[path] = [bool(result.success), bool(suite_result.success)]
assert "gx_clova" in sys.modules  # GX imported it through the project's config, not this script
print(json.dumps(out))
"""


def _plain_gx(tmp_path, project: str, files: list[str]) -> dict[str, list[bool]]:
    script = tmp_path / "plain_gx.py"
    script.write_text(PLAIN_GX, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run([sys.executable, str(script), project, *files], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def docs_state(site: str) -> str:
    """The status a validation page of ``site`` states in words (its header), lower case."""
    pages = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "validations")) for f in fs
             if f.endswith(".html")]
    assert len(pages) == 1, pages
    with open(pages[0], encoding="utf-8") as handle:
        page = handle.read()
    found = re.search(r'data-gx-clova-verdict="([^"]+)"[^>]*>(.*?)<', page, re.S)
    assert found, "the page header states no verdict"
    return found.group(2).strip().lower()


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_one_verdict_per_dataset_on_every_surface(datasets, projects, tmp_path, capsys, strict):
    flags = ["--strict"] if strict else []
    plain = _plain_gx(tmp_path, projects[strict], list(datasets.values()))
    for name, path in datasets.items():
        want = EXPECTED[name][strict]
        site = tmp_path / f"docs-{name}"
        report = validate(path, task="generation", docs_dir=str(site), strict=strict)
        seen = {
            "api": report.success,
            "cli validate": main(["validate", path, "--task", "generation", *flags]) == 0,
            "cli gate": main(["gate", path, "--task", "generation", *flags]) == 0,
            "cli checkpoint": main(["checkpoint", "clova_generation_local", path, "--project", projects[False],
                                    *flags]) == 0,
            "plain GX checkpoint": plain[path][0],
            "plain GX suite result": plain[path][1],
            "Data Docs": docs_state(str(site)) != "failed",
        }
        capsys.readouterr()
        assert seen == dict.fromkeys(seen, want), f"{name} (strict={strict}): {seen}"
        if not strict:
            assert docs_state(str(site)) == DOCS_STATE[name]
            assert report.warnings if name == "warnings" else True
            assert not report.failures if name == "clean" else report.failures


@pytest.mark.spark
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_spark_gives_the_same_verdict(datasets, spark, strict):
    for name, path in datasets.items():
        report = validate(path, task="generation", engine="spark", spark=spark, strict=strict)
        assert report.success is EXPECTED[name][strict], (name, report.codes())
