"""Helpers for the ``gx-clova evaluate`` tests: the emulator modules, the dataset generator and
the functions that teach the emulator a test set. A module with its own name, so test files can
``from evalhelpers import …`` whatever other ``conftest`` modules the session has imported."""

from __future__ import annotations

import csv
from pathlib import Path

from helper_modules import load

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent


ncp = load("ncp_fixtures", TESTS / "storage" / "ncp_fixtures.py")
fake_studio = load("fake_studio", TESTS / "submitter" / "fake_studio.py")
fake_inference = load("fake_inference", TESTS / "submitter" / "fake_inference.py")
inquiries = load("inquiries", HERE / "inquiries.py")

API_KEY = "nv-EVALTESTKEY7Hq3Zr9Wx2"
SECRETS = (ncp.ACCESS_KEY, ncp.SECRET_KEY, API_KEY)


def add_task(studio, task_id: str = "t9001", model: str = "HCX-DASH-001", status: str = "SUCCEEDED") -> str:
    """A finished tuning task on the emulator, as if submitted earlier."""
    studio.tasks[task_id] = fake_studio.Task(task_id, {"model": model, "name": "문의분류"}, None, [status])
    return task_id


def run_evaluate(cli, test_file, *extra, task_id: str = "t9001"):
    """``gx-clova evaluate TEST_FILE --task-id T --task classification --format json EXTRA…``."""
    return cli("evaluate", test_file, "--task-id", task_id, "--task", "classification", "--format", "json", *extra)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def configure(model, test_file: Path, accuracy: dict[str, float]) -> None:
    """Teach the emulator the right label of every test row and how often each target is right."""
    model.labels[:] = list(inquiries.LABELS)
    for row in read_rows(test_file):
        model.truth[row["Text"]] = row["Completion"]
    model.accuracy.update(accuracy)


def expected_answers(model, test_file: Path, target: str) -> list[str]:
    """What the emulator answers ``target`` for each row (messages as gx-clova builds them)."""
    out = []
    for row in read_rows(test_file):
        messages = [{"role": "system", "content": row["System_Prompt"]}, {"role": "user", "content": row["Text"]}]
        out.append(model.answer_for(target, messages))
    return out
