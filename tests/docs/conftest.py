from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_inprocess import run_cli
from helper_modules import load

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "data-docs"


HERE = Path(__file__).resolve().parent
browser = load("docs_browser", HERE / "browser.py")
sites = load("docs_sites", HERE / "sites.py")


@pytest.fixture
def proxy():
    recorder = browser.RecordingProxy()
    yield recorder
    recorder.close()


@pytest.fixture(scope="session")
def evil_dataset(tmp_path_factory) -> str:
    # The file name is an attack too: it reaches GX as part of the validation definition's name.
    folder = tmp_path_factory.mktemp("evil")
    return sites.write_dataset(str(folder / sites.FILE_NAME))


@pytest.fixture(scope="session")
def clova_site(tmp_path_factory, evil_dataset) -> str:
    """Data Docs written by `gx-clova validate --docs`, the way a user writes them."""
    docs = tmp_path_factory.mktemp("clova-site") / "docs"
    result = run_cli("validate", evil_dataset, "--task", "classification", "--docs", str(docs))
    assert result.returncode == 1, result.stderr
    return str(docs)


@pytest.fixture(scope="session")
def mixed_site(tmp_path_factory, evil_dataset) -> str:
    """gx-clova's suite plus GX built-ins, written by a GX checkpoint into gx-clova's site."""
    docs = str(tmp_path_factory.mktemp("mixed-site") / "docs")
    sites.build_mixed_site(evil_dataset, docs)
    return docs


@pytest.fixture(scope="session")
def stock_site(tmp_path_factory, evil_dataset) -> str:
    """The control: the same run written by GX's own SiteBuilder."""
    docs = str(tmp_path_factory.mktemp("stock-site") / "docs")
    sites.build_mixed_site(evil_dataset, docs, site_class="SiteBuilder", module=None)
    return docs


@pytest.fixture(scope="session")
def artifacts() -> str:
    """Screenshots are kept here (test-artifacts/ is ignored by git; CI can upload it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return os.fspath(ARTIFACTS)
