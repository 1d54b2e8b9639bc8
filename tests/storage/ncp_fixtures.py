"""Fixtures shared by tests/storage, tests/submitter and tests/evaluate: fake NCP Object Storage,
a clean environment, and the environment of a test against the CLOVA Studio emulator.

Each conftest loads this file by path (``helper_modules.load``) so every folder uses one module,
hence one moto server per test session; a conftest takes the ``storage`` fixture by naming it
(``storage = ncp.storage``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helper_modules import load

HERE = Path(__file__).resolve().parent

#: Fake credentials: distinctive, so a test can look for them in every output.
ACCESS_KEY = "NCPTESTACCESS7Q2W9E"
SECRET_KEY = "ncpTestSecret/9x+Zq=Lk2Wm8Rt4Yp6"

_bucket_numbers = itertools.count(1)


fake_ncp = load("fake_ncp", HERE / "fake_ncp.py")


@dataclass
class FakeStorage:
    """The moto server, the NCP-like proxy in front of it, and an admin client to moto itself."""

    moto: Any
    proxy: Any
    admin: Any  # boto3 client talking to moto directly, never through the proxy

    @property
    def endpoint(self) -> str:
        return self.proxy.url

    def new_bucket(self) -> str:
        name = f"gxc-test-{next(_bucket_numbers)}"
        self.admin.create_bucket(Bucket=name)
        return name

    def put(self, bucket: str, key: str, data: bytes, **extra: Any) -> None:
        self.admin.put_object(Bucket=bucket, Key=key, Body=data, **extra)

    def get(self, bucket: str, key: str) -> bytes:
        return self.admin.get_object(Bucket=bucket, Key=key)["Body"].read()

    def keys(self, bucket: str) -> list[str]:
        return [item["Key"] for item in self.admin.list_objects(Bucket=bucket).get("Contents", [])]

    def incomplete_uploads(self, bucket: str) -> list[dict]:
        return self.admin.list_multipart_uploads(Bucket=bucket).get("Uploads", [])

    def requests(self, method: str | None = None, parameter: str | None = None) -> list[Any]:
        return [r for r in self.proxy.seen
                if (method is None or r.method == method) and (parameter is None or parameter in r.query)]


_shared: dict[str, Any] = {}


def start_storage(log_dir: Path) -> FakeStorage:
    if "storage" not in _shared:
        import boto3
        from botocore.config import Config

        moto = fake_ncp.MotoServer(log_dir / "moto.log")
        proxy = fake_ncp.NcpProxy(moto.port, {ACCESS_KEY: SECRET_KEY})
        admin = boto3.client(
            "s3", endpoint_url=moto.url, region_name="us-east-1",
            aws_access_key_id="admin", aws_secret_access_key="admin-secret",
            config=Config(s3={"addressing_style": "path"}, request_checksum_calculation="when_required",
                          response_checksum_validation="when_required"),
        )
        _shared["storage"] = FakeStorage(moto, proxy, admin)
    return _shared["storage"]


@pytest.fixture(scope="session")
def storage(tmp_path_factory):
    """The fake Object Storage, one per test session."""
    yield start_storage(tmp_path_factory.mktemp("moto"))
    stop_storage()


def stop_storage() -> None:
    storage = _shared.pop("storage", None)
    if storage is not None:
        storage.proxy.stop()
        storage.moto.stop()


def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str) -> None:
    """Fake credentials only, no profile, no real AWS config, state under ``tmp_path``."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION",
                 "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "NCP_IAM_ACCESS_KEY", "NCP_IAM_SECRET_KEY",
                 "CLOVASTUDIO_API_KEY", "CLOVASTUDIO_API_URL", "CLOVASTUDIO_AUTH", "HTTP_PROXY",
                 "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("NCP_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("NCP_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("GX_CLOVA_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("GX_CLOVA_STATE_DIR", str(tmp_path / "state"))


def studio_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, storage: FakeStorage, studio: Any, api_key: str,
               **env: str) -> Iterator[None]:
    """The environment of a test against the CLOVA Studio emulator ``studio`` (an autouse fixture
    yields from it): storage and emulator reset, :func:`clean_env`, the API key and URL, ``env``'s
    variables, and retries that back off in milliseconds."""
    from gx_clova.submitter import backoff

    storage.proxy.reset()
    studio.reset()
    clean_env(monkeypatch, tmp_path, storage.endpoint)
    monkeypatch.setenv("CLOVASTUDIO_API_KEY", api_key)
    monkeypatch.setenv("CLOVASTUDIO_API_URL", studio.url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(backoff, "DEFAULT", backoff.RetryPolicy(attempts=4, base=0.01, cap=0.05))
    yield
    storage.proxy.reset()
