"""Every entry point takes the same verdict options, and `gx-clova checkpoint` counts every expectation.

- a built-in GX expectation a user adds to a gx-clova suite counts: failing, it fails the run
  (exit 1) and is named under its GX type in the text and JSON reports;
- an unknown checkpoint exits 2 and lists the checkpoints that exist;
- `validate`, `gate`, `checkpoint` and the pre-commit hook (which runs `gate`) accept `--strict`,
  `--error CODE`, `--eval-file` and `--color`; an explicit `--color` beats `NO_COLOR`.
"""

from __future__ import annotations

import json
import os

import pytest
import yaml
from verdict_data import ROOT, make_datasets, rows, scratch_project, write

from gx_clova.cli import build_parser, main

BUILTIN = "expect_column_value_lengths_to_be_between"


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    return make_datasets(tmp_path_factory.mktemp("options"))


@pytest.fixture(scope="module")
def project_with_builtin(tmp_path_factory):
    """A scratch project whose generation suite also holds one of GX's own expectations, critical:
    every Text at most 100 characters (gx-clova's own limit is 8,000 for Text + Completion)."""
    project = scratch_project(tmp_path_factory.mktemp("builtin"))
    path = os.path.join(project, "expectations", "clova_generation.json")
    with open(path, encoding="utf-8") as handle:
        suite = json.load(handle)
    suite["expectations"].append(
        {
            "type": BUILTIN,
            "kwargs": {"column": "Text", "max_value": 100},
            "meta": {},
            "id": "00000000-0000-4000-8000-000000000001",
            "severity": "critical",
        }
    )
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(suite, handle, ensure_ascii=False)
    return project


def test_a_failing_builtin_expectation_fails_the_checkpoint_and_is_named(project_with_builtin, tmp_path, capsys):
    data = rows()
    data[10][3] = "배송 " * 60  # 180 characters: within gx-clova's rules, over the user's own limit
    path = write(tmp_path / "long-text.csv", data)
    status = main(["checkpoint", "clova_generation_local", path, "--project", project_with_builtin])
    text = capsys.readouterr().out
    assert status == 1
    assert f"gx.{BUILTIN}" in text and "FAILED" in text
    assert "0 error code" not in text

    report_path = tmp_path / "report.json"
    status = main(
        [
            "checkpoint",
            "clova_generation_local",
            path,
            "--project",
            project_with_builtin,
            "--format",
            "json",
            "--output",
            str(report_path),
        ]
    )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert status == 1 and report["success"] is False
    [builtin] = [f for f in report["failures"] if f["code"] == f"gx.{BUILTIN}"]
    assert builtin["severity"] == "error" and builtin["count"] == 1 and "Text" in builtin["message"]
    assert any(e["type"] == BUILTIN and e["success"] is False for e in report["expectations"])


def test_a_passing_builtin_expectation_leaves_the_verdict_alone(project_with_builtin, datasets, capsys):
    assert (
        main(
            [
                "checkpoint",
                "clova_generation_local",
                datasets["clean"],
                "--project",
                project_with_builtin,
                "--format",
                "json",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["success"] is True and report["failures"] == []
    assert {"type": BUILTIN, "success": True, "severity": "critical", "codes": [f"gx.{BUILTIN}"]} in report[
        "expectations"
    ]


def test_an_unknown_checkpoint_exits_2_and_lists_the_known_ones(datasets, capsys):
    status = main(["checkpoint", "clova_generation_lokal", datasets["clean"], "--project", ROOT])
    err = capsys.readouterr().err
    assert status == 2
    assert "clova_generation_lokal" in err and "clova_generation_local" in err and "clova_classification_local" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["validate", "gate", "checkpoint"])
def test_every_entry_point_declares_the_same_verdict_options(command):
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    options = {o for action in sub._actions for o in action.option_strings}
    assert {"--strict", "--error", "--eval-file", "--color"} <= options


def test_the_pre_commit_hook_escalates_like_validate(datasets, capsys):
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        [hook] = yaml.safe_load(handle)
    program, *entry = hook["entry"].split()
    assert program == "gx-clova"
    assert main([*entry, datasets["warnings"]]) == 0
    assert main([*entry, "--error", "duplicate.row", datasets["warnings"]]) == 1
    assert main([*entry, "--error", "pii.email", datasets["warnings"]]) == 0  # not what this file has
    assert main([*entry, "--strict", datasets["clean"]]) == 0
    capsys.readouterr()
    assert main([*entry, "--error", "no.such-code", datasets["clean"]]) == 2
    assert "no.such-code" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["gate", "checkpoint"])
def test_eval_file_reaches_gate_and_checkpoint(datasets, tmp_path, capsys, command):
    evaluation = write(tmp_path / "eval.csv", rows()[:3])  # three rows of the training file
    args = ([command] if command == "gate" else ["checkpoint", "clova_generation_local"]) + [datasets["clean"]]
    args += ["--project", ROOT] if command == "checkpoint" else []
    assert main([*args, "--eval-file", evaluation, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    report = out["reports"][0] if command == "gate" else out
    [leak] = [f for f in report["failures"] if f["code"] == "leakage.eval-overlap"]
    assert leak["severity"] == "warning" and leak["count"] == 3
    assert main([*args, "--eval-file", evaluation, "--error", "leakage.eval-overlap"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize("command", ["validate", "gate"])
def test_an_explicit_color_beats_no_color(datasets, monkeypatch, capsys, command):
    monkeypatch.setenv("NO_COLOR", "1")
    assert main([command, datasets["warnings"], "--color", "always"]) == 0
    assert "\033[" in capsys.readouterr().out
    assert main([command, datasets["warnings"]]) == 0  # auto: NO_COLOR wins over a terminal
    assert "\033[" not in capsys.readouterr().out
    monkeypatch.delenv("NO_COLOR")
    assert main([command, datasets["warnings"], "--color", "never"]) == 0
    assert "\033[" not in capsys.readouterr().out
