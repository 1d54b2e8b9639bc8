"""Fixtures for ``gx-clova evaluate``: the CLOVA Studio emulator with its model, Object Storage
(moto) for the cookbook's submit step, a clean environment, fast back-off. Helpers live in
:mod:`evalhelpers`."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from cli_inprocess import run_cli
from evalhelpers import API_KEY, fake_inference, fake_studio, inquiries, ncp

storage = ncp.storage


@pytest.fixture(scope="session")
def studio_server(storage):
    server = fake_studio.StudioEmulator(API_KEY, "unused-iam-access", "unused-iam-secret",
                                        storage_host=f"127.0.0.1:{storage.proxy.port}").start()
    fake_inference.install(server)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path, storage, studio_server):
    yield from ncp.studio_env(monkeypatch, tmp_path, storage, studio_server, API_KEY, GX_ANALYTICS_ENABLED="false")


@pytest.fixture
def studio(studio_server):
    return studio_server


@pytest.fixture
def model(studio_server):
    """The emulator's model (accuracy per target, limits, faults, counters)."""
    return fake_inference.install(studio_server)


@pytest.fixture
def test_file(tmp_path) -> Path:
    """100 inquiries over the 15 labels (the cookbook's test-set size)."""
    return inquiries.write(tmp_path / "test.csv", 7, total=100)


@pytest.fixture
def cli():
    """``gx-clova …`` in this process, in the test's working directory."""
    return functools.partial(run_cli, cwd=None)
