"""How requests to the CLOVA Studio API are authenticated.

Two modes (``--auth``, default from ``CLOVASTUDIO_AUTH``, else ``bearer``):

- ``bearer``: ``Authorization: Bearer <key>`` with the key from ``CLOVASTUDIO_API_KEY``;
- ``apigw``: the legacy API-gateway signature for older accounts, from ``NCP_IAM_ACCESS_KEY``
  and ``NCP_IAM_SECRET_KEY``: headers ``X-NCP-APIGW-TIMESTAMP`` (epoch ms),
  ``X-NCP-IAM-ACCESS-KEY`` and ``X-NCP-APIGW-SIGNATURE-V2`` =
  base64(HMAC-SHA256(secret, "{METHOD} {path}\\n{timestamp}\\n{accessKey}")).

>>> sign("secret-key", "GET", "/tuning/v2/tasks/t1", "1700000000000", "access-key")
'+LQP35S73qir1EcoqLW2BJ2zJivx5PRO7Piu/JLflOU='
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from typing import Callable, Protocol

from gx_clova import redact
from gx_clova.submitter.errors import UsageError

BEARER, APIGW = "bearer", "apigw"
AUTH_MODES = (BEARER, APIGW)
AUTH_ENV = "CLOVASTUDIO_AUTH"
API_KEY_ENV = "CLOVASTUDIO_API_KEY"
IAM_ACCESS_ENV, IAM_SECRET_ENV = "NCP_IAM_ACCESS_KEY", "NCP_IAM_SECRET_KEY"


class Auth(Protocol):
    mode: str

    def headers(self, method: str, path: str) -> dict[str, str]:
        """Headers that authenticate ``method path`` (path with its query string)."""


def sign(secret_key: str, method: str, path: str, timestamp: str, access_key: str) -> str:
    message = f"{method} {path}\n{timestamp}\n{access_key}"
    digest = hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class BearerAuth:
    mode = BEARER

    def __init__(self, api_key: str) -> None:
        key = api_key.strip()
        if key.lower().startswith("bearer "):
            key = key[len("bearer "):].strip()
        redact.register(api_key, key)
        self._key = key

    def headers(self, method: str, path: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key}"}

    def __repr__(self) -> str:
        return "BearerAuth(***)"


class ApigwAuth:
    mode = APIGW

    def __init__(self, access_key: str, secret_key: str, clock: Callable[[], float] = time.time) -> None:
        redact.register(access_key, secret_key)
        self._access, self._secret, self._clock = access_key, secret_key, clock

    def headers(self, method: str, path: str) -> dict[str, str]:
        timestamp = str(int(self._clock() * 1000))
        return {
            "X-NCP-APIGW-TIMESTAMP": timestamp,
            "X-NCP-IAM-ACCESS-KEY": self._access,
            "X-NCP-APIGW-SIGNATURE-V2": sign(self._secret, method, path, timestamp, self._access),
        }

    def __repr__(self) -> str:
        return "ApigwAuth(***)"


def auth_from_env(mode: str | None = None, environ: Mapping[str, str] | None = None) -> Auth:
    """The configured authentication; UsageError naming the missing variable otherwise."""
    env = os.environ if environ is None else environ
    mode = (mode or env.get(AUTH_ENV) or BEARER).lower()
    if mode == BEARER:
        key = env.get(API_KEY_ENV, "").strip()
        if not key:
            raise UsageError(f"{API_KEY_ENV} is not set: the CLOVA Studio API key is needed to call the tuning API "
                             f"(or use --auth apigw with {IAM_ACCESS_ENV}/{IAM_SECRET_ENV})")
        return BearerAuth(key)
    if mode == APIGW:
        access, secret = env.get(IAM_ACCESS_ENV, "").strip(), env.get(IAM_SECRET_ENV, "").strip()
        missing = [name for name, value in ((IAM_ACCESS_ENV, access), (IAM_SECRET_ENV, secret)) if not value]
        if missing:
            raise UsageError(f"{' and '.join(missing)} not set: --auth apigw signs requests with the IAM key pair")
        return ApigwAuth(access, secret)
    raise UsageError(f"--auth must be one of {', '.join(AUTH_MODES)} (got {mode!r})")
