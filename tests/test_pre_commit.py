"""The pre-commit hook, run by pre-commit itself, as a user's repository runs it: a
`.pre-commit-config.yaml` (examples/ci/pre-commit-config.yaml, pointed at a local repository and
revision) and `pre-commit run` on a good and a bad dataset.

pre-commit installs gx-clova from a git repository holding this working tree (language: python,
its own virtualenv), offline: pip may only use .venv/wheelhouse, built by scripts/test-deps. The
environment is built once, in PRE_COMMIT_HOME, and reused by every run after the first, as on a
developer's machine (`pre-commit try-repo` would build it again for every call: about 30 s each).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHEELHOUSE = os.path.join(ROOT, ".venv", "wheelhouse")
HOOK = "gx-clova-validate"
#: What `pip install .` of gx-clova needs from the repository.
PACKAGE = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "gx_clova")

pytestmark = pytest.mark.slow


def git(*args: str, cwd: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def new_repo(path: str) -> str:
    os.makedirs(path, exist_ok=True)
    git("init", "-q", "-b", "main", cwd=path)
    git("config", "user.email", "test@gx-clova.invalid", cwd=path)
    git("config", "user.name", "gx-clova test", cwd=path)
    git("config", "commit.gpgsign", "false", cwd=path)
    return path


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    if not os.path.isfile(os.path.join(WHEELHOUSE, ".built")):
        pytest.fail(f"{WHEELHOUSE} is missing: run scripts/test (scripts/test-deps builds it)")
    home = tmp_path_factory.mktemp("pre-commit-home")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    environment.update(
        PRE_COMMIT_HOME=str(home), PIP_NO_INDEX="1", PIP_FIND_LINKS=WHEELHOUSE, PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_CONFIG_FILE=os.devnull, VIRTUALENV_NO_PERIODIC_UPDATE="1", VIRTUALENV_NO_DOWNLOAD="1", PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    )
    return environment


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> str:
    """This working tree's package and hook definition, committed in a fresh repository."""
    repo = new_repo(str(tmp_path_factory.mktemp("hook-repo")))
    for name in PACKAGE:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(repo, name), ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "gx-clova under test", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def data_repo(tmp_path_factory, hook_repo) -> str:
    repo = new_repo(str(tmp_path_factory.mktemp("data-repo")))
    revision = git("rev-parse", "HEAD", cwd=hook_repo).strip()
    # The README's example configuration, pointed at the local repository and revision.
    with open(os.path.join(ROOT, "examples", "ci", "pre-commit-config.yaml"), encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    [entry] = config["repos"]
    entry.update(repo=hook_repo, rev=revision)
    with open(os.path.join(repo, ".pre-commit-config.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle)
    os.makedirs(os.path.join(repo, "datasets"))
    shutil.copy2(os.path.join(ROOT, "examples", "generation.csv"), os.path.join(repo, "datasets", "good.csv"))
    shutil.copy2(os.path.join(ROOT, "examples", "broken.csv"), os.path.join(repo, "datasets", "bad.csv"))
    with open(os.path.join(repo, "notes.txt"), "w", encoding="utf-8") as handle:
        handle.write("not a dataset\n")
    git("add", "-A", cwd=repo)
    return repo


def run_hook(data_repo: str, env: dict, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", HOOK, "--verbose", "--files", *files],
        cwd=data_repo, env=env, capture_output=True, text=True, timeout=900,
    )


def test_hook_definition():
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        [hook] = yaml.safe_load(handle)
    assert hook["id"] == HOOK and hook["language"] == "python" and hook["entry"] == "gx-clova gate"
    assert hook["files"] == r"\.(csv|jsonl)$"


def test_pre_commit_passes_a_good_dataset_and_blocks_a_bad_one(data_repo, env):
    good = run_hook(data_repo, env, "datasets/good.csv", "notes.txt")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout and "PASSED  datasets/good.csv" in good.stdout

    bad = run_hook(data_repo, env, "datasets/good.csv", "datasets/bad.csv")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "FAILED  datasets/bad.csv" in bad.stdout
    assert "row.too-long" in bad.stdout and "line 39" in bad.stdout
    assert "gate: 1 passed, 1 failed, 0 unreadable" in bad.stdout

    skipped = run_hook(data_repo, env, "notes.txt")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout.lower(), skipped.stdout
    # One environment, built by the first run and reused by the others.
    assert len([name for name in os.listdir(env["PRE_COMMIT_HOME"]) if name.startswith("repo")]) == 1
