from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def _fixtures():
    name = "gx_clova_testhelper_ncp_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("ncp_fixtures.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ncp = _fixtures()


@pytest.fixture(scope="session")
def storage(tmp_path_factory):
    yield ncp.start_storage(tmp_path_factory.mktemp("moto"))
    ncp.stop_storage()


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path, storage):
    storage.proxy.reset()
    ncp.clean_env(monkeypatch, tmp_path, storage.endpoint)
    yield
    storage.proxy.reset()


@pytest.fixture
def bucket(storage):
    return storage.new_bucket()
