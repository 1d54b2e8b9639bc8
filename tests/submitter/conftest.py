from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest
from cli_inprocess import run_cli
from helper_modules import load

HERE = Path(__file__).resolve().parent


ncp = load("ncp_fixtures", HERE.parent / "storage" / "ncp_fixtures.py")
fake_studio = load("fake_studio", HERE / "fake_studio.py")
stub_validation = load("stub_validation", HERE / "stub_validation.py")
fake_tokenizer = load("fake_tokenizer", HERE / "fake_tokenizer.py")

API_KEY = "nv-TESTAPIKEY5Jd8Kq2Lx9Vb"
IAM_ACCESS_KEY = "NCPIAMTESTACCESS3F7H"
IAM_SECRET_KEY = "iamTestSecret+Qw8/Er5Ty2=Ui"
SECRETS = (ncp.ACCESS_KEY, ncp.SECRET_KEY, API_KEY, IAM_ACCESS_KEY, IAM_SECRET_KEY)


storage = ncp.storage


@pytest.fixture(scope="session")
def studio_server(storage):
    server = fake_studio.StudioEmulator(API_KEY, IAM_ACCESS_KEY, IAM_SECRET_KEY,
                                        storage_host=f"127.0.0.1:{storage.proxy.port}").start()
    server.tokenizer = fake_tokenizer.Tokenizer()
    server.routes.append(server.tokenizer)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path, storage, studio_server):
    """The emulator's environment (IAM keys too), and the stand-in validator."""
    monkeypatch.setitem(sys.modules, "gx_clova.validation", stub_validation)
    stub_validation.after_validation.clear()
    stub_validation.calls.clear()
    yield from ncp.studio_env(monkeypatch, tmp_path, storage, studio_server, API_KEY,
                              NCP_IAM_ACCESS_KEY=IAM_ACCESS_KEY, NCP_IAM_SECRET_KEY=IAM_SECRET_KEY)


@pytest.fixture
def studio(studio_server):
    return studio_server


@pytest.fixture
def tokenizer(studio_server):
    """The emulator's tokenizer endpoints (``fake_tokenizer``): its request log starts empty."""
    studio_server.tokenizer.reset()
    return studio_server.tokenizer


@pytest.fixture
def bucket(storage):
    return storage.new_bucket()


def write_dataset(path: Path, rows: int = 120, text_chars: int = 40, broken_rows: tuple[int, ...] = ()) -> Path:
    """A CLOVA Studio CSV; ``broken_rows`` get the marker the stub validator fails on."""
    lines = ["C_ID,T_ID,Text,Completion"]
    for i in range(rows):
        marker = " BROKEN" if i in broken_rows else ""
        lines.append(f'{i},0,"질문 {i}{marker} {"가" * text_chars}","답변 {i}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def secrets():
    """Every secret the tests hand to gx-clova: (S3 access, S3 secret, API key, IAM access, IAM secret)."""
    return SECRETS


@pytest.fixture
def make_dataset():
    return write_dataset


@pytest.fixture
def validator():
    """The stand-in ``gx_clova.validation`` module (hooks, recorded calls)."""
    return stub_validation


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(tmp_path / "train.csv")


@pytest.fixture
def big_dataset(tmp_path):
    """About 11 MB: three parts of 5 MiB."""
    path = write_dataset(tmp_path / "big.csv", rows=5_000, text_chars=730)
    assert 10 * 2**20 < path.stat().st_size <= 15 * 2**20
    return path


@pytest.fixture
def gx_clova():
    """``gx-clova submit|status …`` in this process; returns exit status and captured output."""
    from gx_clova.cli.submit import run

    return functools.partial(run_cli, cwd=None, entry=run)
