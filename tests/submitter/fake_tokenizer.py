"""The CLOVA Studio tokenizer endpoints, for the emulator in ``fake_studio``.

``POST /v1/api-tools/chat-tokenize/{model}`` (HCX-003, HCX-DASH-001) and
``POST /v3/api-tools/chat-tokenize/{model}`` (HCX-005, HCX-DASH-002) take
``{"messages": [{"role", "content"}]}`` and answer ``result.messages`` with a ``count`` each.

The counting rule is deterministic and documented (it is not HyperCLOVA X's tokenizer):
a message costs ``OVERHEAD`` (3) tokens plus, in its content, 1 per Hangul syllable, 1 per
started group of 4 ASCII letters in a run, 1 per started group of 3 digits in a run, 0 per
whitespace character and 1 per any other character.

>>> count("안녕하세요, world 2026!")
11
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from typing import Any

OVERHEAD = 3
PATH = re.compile(r"^/(v1|v3)/api-tools/chat-tokenize/([^/?]+)$")
VERSIONS = {"v1": {"HCX-003", "HCX-DASH-001"}, "v3": {"HCX-005", "HCX-DASH-002"}}
ROLES = {"system", "user", "assistant", "tool"}
_PIECES = re.compile(r"[A-Za-z]+|[0-9]+|\s|.", re.DOTALL)


def count(content: str) -> int:
    """Tokens of a message's content by the emulator's rule (without the per-message overhead)."""
    tokens = 0
    for piece in _PIECES.findall(content):
        if piece.isspace():
            continue
        if piece.isascii() and piece.isalpha():
            tokens += math.ceil(len(piece) / 4)
        elif piece.isascii() and piece.isdigit():
            tokens += math.ceil(len(piece) / 3)
        else:
            tokens += 1
    return tokens


class Tokenizer:
    """An endpoint for ``StudioEmulator.routes``; ``requests`` logs (monotonic time, path, messages)."""

    def __init__(self) -> None:
        self.requests: list[tuple[float, str, int]] = []
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()

    def handles(self, method: str, path: str) -> bool:
        return method == "POST" and PATH.match(path) is not None

    def serve(self, handler: Any, raw: bytes) -> None:
        handler._send(*self.answer(handler.path, raw))

    def answer(self, path: str, raw: bytes) -> tuple[int, bytes]:
        version, model = PATH.match(path).groups()
        if model not in VERSIONS[version]:
            return 404, _envelope("40400", f"{model} has no {version} tokenizer")
        try:
            messages = json.loads(raw)["messages"]
            assert isinstance(messages, list) and messages
            assert all(isinstance(m, dict) and m.get("role") in ROLES and isinstance(m.get("content"), str)
                       for m in messages)
        except (ValueError, KeyError, TypeError, AssertionError):
            return 400, _envelope("40001", "Invalid parameter: messages [{role, content}] required")
        with self._lock:
            self.requests.append((time.monotonic(), path, len(messages)))
        result = {"messages": [{**m, "count": OVERHEAD + count(m["content"])} for m in messages]}
        return 200, _envelope("20000", "OK", result)


def _envelope(code: str, message: str, result: Any = None) -> bytes:
    answer: dict[str, Any] = {"status": {"code": code, "message": message}}
    if result is not None:
        answer["result"] = result
    return json.dumps(answer, ensure_ascii=False).encode()
