from __future__ import annotations

from pathlib import Path

import pytest
from helper_modules import load

ncp = load("ncp_fixtures", Path(__file__).with_name("ncp_fixtures.py"))
storage = ncp.storage


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path, storage):
    storage.proxy.reset()
    ncp.clean_env(monkeypatch, tmp_path, storage.endpoint)
    yield
    storage.proxy.reset()


@pytest.fixture
def bucket(storage):
    return storage.new_bucket()
