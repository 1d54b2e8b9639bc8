"""The README's two set-up commands exist, and the main job they run works."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_readme_names_the_two_commands_and_they_install_into_venv():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    assert "./scripts/demo" in readme and "./scripts/test" in readme
    setup = open(os.path.join(ROOT, "scripts", "setup"), encoding="utf-8").read()
    assert "-m venv .venv" in setup
    assert "gx-clova demo" in open(os.path.join(ROOT, "scripts", "demo"), encoding="utf-8").read()
    assert "bash scripts/test" in open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8").read()


def test_demo_validates_examples_and_writes_reports_and_docs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "gx_clova", "demo", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "generation.json").read_text(encoding="utf-8"))["success"] is True
    assert json.loads((tmp_path / "classification.json").read_text(encoding="utf-8"))["success"] is True
    assert json.loads((tmp_path / "broken.json").read_text(encoding="utf-8"))["success"] is False
    assert (tmp_path / "docs" / "index.html").is_file()
    assert "Data Docs:" in result.stdout


def test_readme_python_example():
    from gx_clova.validation import validate

    report = validate(os.path.join(ROOT, "examples", "broken.csv"))
    assert report.success is False
    assert report.lines("row.too-long") == [39]
