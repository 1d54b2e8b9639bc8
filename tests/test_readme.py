"""The README's two set-up commands exist, and the main job they run works."""

from __future__ import annotations

import json
import os
import pathlib

from cli_inprocess import run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(*parts: str) -> str:
    return pathlib.Path(ROOT, *parts).read_text(encoding="utf-8")


def test_readme_names_the_two_commands_and_they_install_into_venv():
    readme = _read("README.md")
    assert "./scripts/demo" in readme and "./scripts/test" in readme
    assert "-m venv .venv" in _read("scripts", "setup")
    assert "gx-clova demo" in _read("scripts", "demo")
    assert "bash scripts/test" in _read(".ci", "run")


def test_demo_validates_examples_and_writes_reports_and_docs(tmp_path):
    result = run_cli("demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    generation = json.loads((tmp_path / "generation.json").read_text(encoding="utf-8"))
    classification = json.loads((tmp_path / "classification.json").read_text(encoding="utf-8"))
    # The examples teach the three states: clean, a few deliberate warnings, failed.
    assert classification["success"] is True and classification["failures"] == []
    assert generation["success"] is True and generation["errors"] == 0
    assert sorted(f["code"] for f in generation["failures"]) == ["duplicate.row", "pii.phone-number", "text.not-nfc"]
    assert "classification.csv (classification): this example passes clean" in result.stdout
    assert "generation.csv (generation): this example passes with a few warnings" in result.stdout
    assert "broken.csv (generation): this example fails" in result.stdout
    assert json.loads((tmp_path / "broken.json").read_text(encoding="utf-8"))["success"] is False
    assert (tmp_path / "docs" / "index.html").is_file()
    assert "Data Docs:" in result.stdout


def test_readme_python_example():
    from gx_clova import validate

    report = validate(os.path.join(ROOT, "examples", "broken.csv"))
    assert report.success is False
    assert report.lines("row.too-long") == [39]


def test_readme_fix_walkthrough_runs_with_the_exit_statuses_it_states(tmp_path):
    """The README's broken-to-passing walk, command by command, in a scratch copy of the repo."""
    import re
    import shlex
    import shutil

    readme = _read("README.md")
    block = readme.split("<!-- fix-walkthrough", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    steps = [re.match(r"\.venv/bin/gx-clova (.+?)\s+# exit (\d)", line) for line in block.strip().splitlines()]
    assert steps and all(steps), block
    (tmp_path / "examples").mkdir()
    shutil.copy(os.path.join(ROOT, "examples", "broken.csv"), tmp_path / "examples" / "broken.csv")
    for step in steps:
        args, status = shlex.split(step.group(1)), int(step.group(2))
        result = run_cli(*args, cwd=str(tmp_path))
        assert result.returncode == status, (args, result.stdout, result.stderr)
    assert (tmp_path / "out" / "fixed.changes.jsonl").is_file() and (tmp_path / "out" / "fixed.mapping.csv").is_file()
    assert (tmp_path / "out" / "rejects.jsonl").is_file()
