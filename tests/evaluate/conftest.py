"""Fixtures for ``gx-clova evaluate``: the CLOVA Studio emulator with its model, Object Storage
(moto) for the cookbook's submit step, a clean environment, fast back-off."""

from __future__ import annotations

import csv
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent


def _load(name: str, path: Path):
    module_name = f"gx_clova_testhelper_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


ncp = _load("ncp_fixtures", TESTS / "storage" / "ncp_fixtures.py")
fake_studio = _load("fake_studio", TESTS / "submitter" / "fake_studio.py")
fake_inference = _load("fake_inference", TESTS / "submitter" / "fake_inference.py")
inquiries = _load("inquiries", HERE / "inquiries.py")

API_KEY = "nv-EVALTESTKEY7Hq3Zr9Wx2"
SECRETS = (ncp.ACCESS_KEY, ncp.SECRET_KEY, API_KEY)


@pytest.fixture(scope="session")
def storage(tmp_path_factory):
    yield ncp.start_storage(tmp_path_factory.mktemp("moto"))
    ncp.stop_storage()


@pytest.fixture(scope="session")
def studio_server(storage):
    server = fake_studio.StudioEmulator(API_KEY, "unused-iam-access", "unused-iam-secret",
                                        storage_host=f"127.0.0.1:{storage.proxy.port}").start()
    fake_inference.install(server)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path, storage, studio_server):
    from gx_clova.submitter import backoff

    storage.proxy.reset()
    studio_server.reset()
    ncp.clean_env(monkeypatch, tmp_path, storage.endpoint)
    monkeypatch.setenv("CLOVASTUDIO_API_KEY", API_KEY)
    monkeypatch.setenv("CLOVASTUDIO_API_URL", studio_server.url)
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")
    monkeypatch.setattr(backoff, "DEFAULT", backoff.RetryPolicy(attempts=4, base=0.01, cap=0.05))
    yield
    storage.proxy.reset()


@pytest.fixture
def studio(studio_server):
    return studio_server


@pytest.fixture
def model(studio_server):
    """The emulator's model (accuracy per target, limits, faults, counters)."""
    return fake_inference.install(studio_server)


def add_task(studio, task_id: str = "t9001", model: str = "HCX-DASH-001", status: str = "SUCCEEDED") -> str:
    """A finished tuning task on the emulator, as if submitted earlier."""
    studio.tasks[task_id] = fake_studio.Task(task_id, {"model": model, "name": "문의분류"}, None, [status])
    return task_id


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


@pytest.fixture
def test_file(tmp_path) -> Path:
    """100 inquiries over the 15 labels (the cookbook's test-set size)."""
    return inquiries.write(tmp_path / "test.csv", 7, total=100)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    from gx_clova.cli import main

    def invoke(*argv: object) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke
