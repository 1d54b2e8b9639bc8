"""Fixtures shared by tests/storage and tests/submitter: fake NCP Object Storage and a clean env.

Each conftest loads this file by path (see ``load_helper``) so both folders use one module,
hence one moto server per test session.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent

#: Fake credentials: distinctive, so a test can look for them in every output.
ACCESS_KEY = "NCPTESTACCESS7Q2W9E"
SECRET_KEY = "ncpTestSecret/9x+Zq=Lk2Wm8Rt4Yp6"

_bucket_numbers = itertools.count(1)


def load_helper(name: str) -> Any:
    """Import ``tests/storage/<name>.py`` once per process, whichever conftest asks first."""
    module_name = f"gx_clova_testhelper_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, HERE / f"{name}.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[module_name] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules[module_name]


fake_ncp = load_helper("fake_ncp")


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
