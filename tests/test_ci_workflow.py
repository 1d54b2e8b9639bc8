"""The example GitHub Actions workflow: its gate step, run by bash on a pull request's changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = os.path.join(ROOT, "examples", "ci", "github-actions.yml")


@pytest.fixture(scope="module")
def workflow() -> dict:
    with open(WORKFLOW, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _steps(workflow: dict) -> dict[str, dict]:
    return {step.get("name") or step.get("uses") or step.get("run"): step for step in workflow["jobs"]["gx-clova"]["steps"]}


def test_workflow_wiring(workflow):
    assert workflow[True]["pull_request"]["paths"] == ["**.csv", "**.jsonl"]  # YAML 1.1 reads `on` as True
    steps = _steps(workflow)
    gate = steps["Validate changed datasets"]["run"]
    docs = steps["Data Docs for the reviewer"]
    sarif = steps["Failing lines as code scanning alerts"]
    assert docs["if"] == "always()" and docs["with"]["path"] == "gx-clova-docs/" and "--docs gx-clova-docs" in gate
    assert sarif["with"]["sarif_file"] == "gx-clova.sarif" and "--sarif gx-clova.sarif" in gate
    assert "--format github" in gate


def git(*args: str, cwd: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def pull_request(tmp_path) -> tuple[str, str]:
    """A repository whose base commit has two datasets; the pull request changes one for the worse,
    deletes the other and adds a good one."""
    repo = str(tmp_path / "repo")
    os.makedirs(os.path.join(repo, "datasets"))
    git("init", "-q", "-b", "main", cwd=repo)
    git("config", "user.email", "t@gx-clova.invalid", cwd=repo)
    git("config", "user.name", "t", cwd=repo)
    examples = os.path.join(ROOT, "examples")
    shutil.copy2(os.path.join(examples, "generation.csv"), os.path.join(repo, "datasets", "faq.csv"))
    shutil.copy2(os.path.join(examples, "generation.csv"), os.path.join(repo, "datasets", "old.csv"))
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "base", cwd=repo)
    base = git("rev-parse", "HEAD", cwd=repo)
    git("checkout", "-q", "-b", "pr", cwd=repo)
    shutil.copy2(os.path.join(examples, "broken.csv"), os.path.join(repo, "datasets", "faq.csv"))
    os.remove(os.path.join(repo, "datasets", "old.csv"))
    shutil.copy2(os.path.join(examples, "classification.csv"), os.path.join(repo, "datasets", "new.csv"))
    with open(os.path.join(repo, "README.md"), "w", encoding="utf-8") as handle:
        handle.write("not a dataset\n")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "pr", cwd=repo)
    return repo, base


def run_gate_step(workflow: dict, repo: str, base: str) -> subprocess.CompletedProcess:
    script = _steps(workflow)["Validate changed datasets"]["run"]
    env = {**os.environ, "BASE": base, "TASK": "generation",
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_gate_step_annotates_the_bad_dataset_and_writes_docs_and_sarif(workflow, pull_request):
    repo, base = pull_request
    result = run_gate_step(workflow, repo, base)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "::error file=datasets/faq.csv,line=39,title=row.too-long (T3)::" in result.stdout
    assert "gx-clova: datasets/new.csv passed" in result.stdout
    assert "old.csv" not in result.stdout, "deleted datasets are not validated"
    assert os.path.isfile(os.path.join(repo, "gx-clova-docs", "index.html"))
    with open(os.path.join(repo, "gx-clova.sarif"), encoding="utf-8") as handle:
        log = json.load(handle)
    assert {a["location"]["uri"] for a in log["runs"][0]["artifacts"]} == {"datasets/faq.csv", "datasets/new.csv"}
    assert os.path.isfile(os.path.join(repo, "gx-clova.xml"))


def test_gate_step_without_dataset_changes_passes(workflow, pull_request):
    repo, _ = pull_request
    head = git("rev-parse", "HEAD", cwd=repo)
    result = run_gate_step(workflow, repo, head)
    assert result.returncode == 0 and "no dataset changed" in result.stdout, result.stdout + result.stderr
