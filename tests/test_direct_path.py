"""The direct path (no Great Expectations) gives the very report the GX path gives.

Every rule case (tests/cases/rules.yml, quality.yml) and every fix case's source file
(tests/cases/fixes.yml: the faults fix repairs, and those it cannot) is validated twice — GX
forced with ``GX_CLOVA_ENGINE_PATH=gx``, then on the direct path — and the JSON reports must be
identical apart from the timings: success, codes, lines, counts, messages, details, the
per-expectation summary. A subprocess proves the direct path never imports GX, pyspark, scipy
or altair.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from test_fix_cases import CASES as FIX_CASES
from test_fix_cases import source_bytes
from test_rule_cases import CASES, _report, _write

from gx_clova import direct, spec
from gx_clova.gx import validation as gx_validation
from gx_clova.validation import validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Wall-clock measurements: the only fields allowed to differ between two runs.
TIMINGS = ("validation_seconds", "read_seconds")
#: What a plain validate must not import: GX and what it pulls in, and the submitter's S3 client.
HEAVY = ("great_expectations", "pyspark", "scipy", "altair", "botocore", "boto3")


def comparable(report) -> dict:
    data = report.to_dict()
    for key in TIMINGS:
        data.pop(key, None)
    return json.loads(json.dumps(data, ensure_ascii=False))


def both_ways(monkeypatch, run) -> tuple[dict, dict]:
    """The report forced through GX, then on the direct path; each path is seen to run."""
    calls = {"gx": 0, "direct": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(gx_validation, "run_suite", counted("gx", gx_validation.run_suite))
    monkeypatch.setattr(direct, "run", counted("direct", direct.run))
    monkeypatch.setenv(direct.PATH_VARIABLE, "gx")
    through_gx = run()
    assert calls == {"gx": 1, "direct": 0}
    monkeypatch.setenv(direct.PATH_VARIABLE, "direct")
    through_kernels = run()
    assert calls == {"gx": 1, "direct": 1}
    return comparable(through_gx), comparable(through_kernels)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case_same_report_on_both_paths(case, tmp_path, request, monkeypatch):
    path, _ = _write(case, tmp_path)
    through_gx, through_kernels = both_ways(monkeypatch, lambda: _report(case, path, "fast", request, tmp_path))
    assert through_kernels == through_gx


@pytest.mark.parametrize("case", FIX_CASES, ids=[c["name"] for c in FIX_CASES])
def test_fix_case_source_same_report_on_both_paths(case, tmp_path, monkeypatch):
    source = tmp_path / case.get("name_as", "train.csv")
    source.write_bytes(source_bytes(case))
    through_gx, through_kernels = both_ways(
        monkeypatch, lambda: validate(str(source), task=case.get("task", "generation")))
    assert through_kernels == through_gx


def test_the_example_files_same_report_on_both_paths(monkeypatch):
    for name, task in (("generation.csv", "generation"), ("classification.csv", "classification"),
                       ("broken.csv", "generation")):
        path = os.path.join(ROOT, "examples", name)
        through_gx, through_kernels = both_ways(
            monkeypatch, lambda path=path, task=task: validate(path, task=task, strict=True))
        assert through_kernels == through_gx, name


def test_the_plan_is_the_gx_suite():
    """The direct path's plan, from the registry, is what GX computes for each expectation of the suites."""
    from gx_clova.gx.suites import plan_from_suite

    assert {task: direct.plan(task) for task in spec.TASKS} == json.loads(
        json.dumps({task: plan_from_suite(task) for task in spec.TASKS}))


def test_an_unknown_path_is_refused(monkeypatch):
    monkeypatch.setenv(direct.PATH_VARIABLE, "spark-ish")
    with pytest.raises(ValueError, match="GX_CLOVA_ENGINE_PATH"):
        direct.chosen_path(False)


def test_docs_still_run_through_gx(monkeypatch):
    monkeypatch.setenv(direct.PATH_VARIABLE, "direct")
    assert direct.chosen_path(True) == "gx"


SCRIPT = """
import json, sys
from gx_clova.cli import main
code = main(["validate", sys.argv[1], "--format", "json", "--output", sys.argv[2], "--eval-file", sys.argv[1]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy})
print(json.dumps({{"exit": code, "heavy": heavy}}))
"""


def test_validate_imports_no_gx_spark_scipy_or_altair(tmp_path):
    """A plain ``validate`` (text or JSON report, no --docs) never pays for Great Expectations."""
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if k != direct.PATH_VARIABLE}
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(direct.__file__)))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=repr(set(HEAVY))), os.path.join(ROOT, "examples", "broken.csv"),
         str(report)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {"exit": 1, "heavy": []}
    assert json.loads(report.read_text(encoding="utf-8"))["failures"], "broken.csv must have failures"


def test_the_parser_imports_plugins_only_for_their_commands(capsys):
    """``validate`` builds a parser without the plugins; ``--help`` and a typo still name them all."""
    from gx_clova.cli import build_parser, main
    from gx_clova.cli.app import command_of

    assert command_of(["--version"]) is None
    assert command_of(["validate", "x.csv", "--task", "generation"]) == "validate"
    narrow = build_parser("validate")._subparsers._group_actions[0].choices
    assert "submit" not in narrow and "validate" in narrow
    assert "gate" in build_parser("gate")._subparsers._group_actions[0].choices
    assert main(["valdate", "x.csv"]) == 2
    err = capsys.readouterr().err
    for command in ("validate", "gate", "submit", "fix", "init"):
        assert f"'{command}'" in err


def test_gate_in_parallel_gives_the_sequential_gx_answer_in_order(monkeypatch, tmp_path, capsys):
    """gate validates two files at once on the direct path; order and every report stay the same."""
    from gx_clova.cli import main

    names = ["broken.csv", "generation.csv", "missing.csv", "classification.csv", "generation.csv"]
    sources = [os.path.join(ROOT, "examples", n) for n in names]
    outputs = {}
    for path in ("gx", "direct"):
        monkeypatch.setenv(direct.PATH_VARIABLE, path)
        out = tmp_path / f"{path}.json"
        assert main(["gate", *sources, "--format", "json", "--output", str(out)]) == 3  # missing.csv
        data = json.loads(out.read_text(encoding="utf-8"))
        for report in data["reports"]:
            for key in TIMINGS:
                report.pop(key, None)
        outputs[path] = data
    assert outputs["direct"] == outputs["gx"]
    assert [r["source"]["uri"].rsplit("/", 1)[-1] for r in outputs["direct"]["reports"]] == \
        ["broken.csv", "generation.csv", "classification.csv"]
    assert [u["source"].rsplit("/", 1)[-1] for u in outputs["direct"]["unreadable"]] == ["missing.csv"]
