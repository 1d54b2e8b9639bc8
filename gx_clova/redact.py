"""One place that keeps secrets out of everything gx-clova prints, logs, stores or raises.

Secrets (Object Storage access and secret keys, the CLOVA Studio API key, the API-gateway IAM
keys) are *registered* where they enter the process; :func:`redact` then masks them by field
name and by value, in strings, mappings and lists alike. Every message that leaves the tool
goes through it: exception texts, console output, the dry-run request, log records (through
:class:`RedactingFormatter`, so tracebacks are covered too).

>>> register("EXAMPLE-SECRET-1234")
>>> redact("signed with EXAMPLE-SECRET-1234")
'signed with ***'
>>> redact({"trainingDatasetSecretKey": "anything", "model": "HCX-003"})
{'trainingDatasetSecretKey': '***', 'model': 'HCX-003'}
>>> redact({"Authorization": "Bearer nv-123"})
{'Authorization': 'Bearer ***'}

This module imports nothing from gx_clova or any third-party package.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any
from urllib.parse import quote

MASK = "***"

#: Field and header names whose values are always secret, compared case-insensitively.
SECRET_FIELDS: frozenset[str] = frozenset(
    name.lower()
    for name in (
        "trainingDatasetAccessKey",
        "trainingDatasetSecretKey",
        "Authorization",
        "X-NCP-IAM-ACCESS-KEY",
        "X-NCP-APIGW-SIGNATURE-V2",
        "X-NCP-CLOVASTUDIO-API-KEY",
        "X-NCP-APIGW-API-KEY",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "access_key",
        "secret_key",
        "api_key",
    )
)

#: Values shorter than this are not registered: masking them would mangle ordinary text,
#: and no real NCP key is that short.
MIN_SECRET_LENGTH = 4

_lock = threading.Lock()
_secrets: set[str] = set()


def register(*values: str | None) -> None:
    """Remember ``values`` as secrets for the rest of the process (empty ones are ignored)."""
    with _lock:
        for value in values:
            if value and len(value) >= MIN_SECRET_LENGTH:
                _secrets.update(_spellings(value))


def _spellings(value: str) -> set[str]:
    """The ways a secret can show up in text: as is, JSON-escaped, URL-quoted."""
    return {value, json.dumps(value)[1:-1], quote(value, safe="")}


def redact(obj: Any) -> Any:
    """``obj`` with every secret masked: registered values anywhere, secret fields entirely."""
    if isinstance(obj, str):
        return _redact_text(obj)
    if isinstance(obj, dict):
        return {key: _redact_field(key, value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(redact(item) for item in obj)
    return obj


def _redact_field(name: Any, value: Any) -> Any:
    if isinstance(name, str) and name.lower() in SECRET_FIELDS and value not in (None, ""):
        if isinstance(value, str) and value.startswith("Bearer "):
            return "Bearer " + MASK
        return MASK
    return redact(value)


def _redact_text(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFormatter(logging.Formatter):
    """A log formatter whose output (message, arguments, traceback) never holds a secret."""

    def format(self, record: logging.LogRecord) -> str:
        return _redact_text(super().format(record))
