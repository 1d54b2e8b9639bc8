"""The emulator's model: Chat Completions v3 for base models and tuned tasks.

Install it on a :class:`fake_studio.StudioEmulator` with :func:`install`; the emulator routes
``POST /v3/tasks/{taskId}/chat-completions`` and ``POST /v3/chat-completions/{model}`` here
(after its own authentication and injected errors).

- It answers from a configured accuracy per target — ``accuracy={"task:t1001": 0.97,
  "model:HCX-DASH-001": 0.73}`` — deterministic per request: a request's SHA-256 decides whether
  it gets the right label (``truth``: last user message → label) and, if not, which wrong one.
  About a third of the wrong answers are outside the label set, worded the way the cookbook's
  untuned model answered ("정답은 '…'입니다."). :meth:`answer_for` tells a test, row by row,
  what it answers.
- It returns token usage (one token per character, as an approximation).
- It enforces configured requests and tokens per ``window`` seconds per base model (a tuned
  task counts against its base model) with ``429`` + ``Retry-After``.
- It counts requests per target and answers per (target, request), fails the requests whose
  last user message is in ``fail_texts`` with ``500``, and drops the connection of the next
  ``drop_next`` requests without answering; ``hold_after`` holds every request after that many
  answers unanswered until :meth:`InferenceEmulator.release` (a client can be killed with no
  answer in flight).
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

_TASK = re.compile(r"^/v3/tasks/([^/?]+)/chat-completions$")
_MODEL = re.compile(r"^/v3/chat-completions/([^/?]+)$")


def _envelope(code: str, message: str, result: Any = None) -> bytes:
    answer: dict[str, Any] = {"status": {"code": code, "message": message}}
    if result is not None:
        answer["result"] = result
    return json.dumps(answer, ensure_ascii=False).encode()


@dataclass
class InferenceEmulator:
    #: target name ("task:ID" or "model:NAME") -> share of right answers.
    accuracy: dict[str, float] = field(default_factory=dict)
    #: last user message -> the right label.
    truth: dict[str, str] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    #: Tuned tasks it knows without a task on the emulator: task id -> base model.
    tasks: dict[str, str] = field(default_factory=dict)
    #: base model -> (requests, tokens) allowed per ``window`` seconds; absent = unlimited.
    limits: dict[str, tuple[int, int]] = field(default_factory=dict)
    window: float = 60.0
    retry_after: str = "1"
    fail_texts: set[str] = field(default_factory=set)
    drop_next: int = 0
    #: Seconds each answer takes.
    latency: float = 0.0
    #: After this many answers, hold every request unanswered until :meth:`release` (then 503).
    hold_after: int | None = None
    #: Every request that reached the model, per target (throttled and failed ones included).
    requests: Counter = field(default_factory=Counter)
    #: Answers given, per (target, request sha256).
    answered: Counter = field(default_factory=Counter)
    throttled: Counter = field(default_factory=Counter)
    #: (monotonic time, tokens) of the requests admitted, per base model.
    _recent: dict[str, deque] = field(default_factory=dict)
    _lock: Any = field(default_factory=threading.Lock)
    _released: Any = field(default_factory=threading.Event)
    studio: Any = None

    def reset(self) -> None:
        with self._lock:
            self.accuracy.clear()
            self.truth.clear()
            self.labels.clear()
            self.tasks.clear()
            self.limits.clear()
            self.fail_texts.clear()
            self.requests.clear()
            self.answered.clear()
            self.throttled.clear()
            self._recent.clear()
            self.window, self.retry_after, self.drop_next, self.latency = 60.0, "1", 0, 0.0
            self.hold_after = None
            self._released.set()
            self._released = threading.Event()

    def release(self) -> None:
        """Let held requests go: each is answered ``503`` (never with an answer)."""
        self._released.set()

    # -- the model -----------------------------------------------------------------------------
    @staticmethod
    def request_hash(target: str, messages: list[dict[str, str]]) -> str:
        return hashlib.sha256(
            f"{target}\n{json.dumps(messages, ensure_ascii=False, sort_keys=True)}".encode()
        ).hexdigest()

    def answer_for(self, target: str, messages: list[dict[str, str]]) -> str:
        """What this emulator answers ``target`` for ``messages`` (deterministic)."""
        digest = self.request_hash(target, messages)
        right = self.truth.get(messages[-1]["content"], "")
        draw = int(digest[:8], 16) / 2**32
        if draw < self.accuracy.get(target, 1.0) or not self.labels:
            return right
        others = [label for label in self.labels if label != right] or self.labels
        wrong = others[int(digest[8:16], 16) % len(others)]
        return f"정답은 '{wrong}'입니다." if int(digest[16:18], 16) % 3 == 0 else wrong

    def base_model(self, kind: str, ident: str) -> str | None:
        if kind == "model":
            return ident
        if ident in self.tasks:
            return self.tasks[ident]
        task = (self.studio.tasks if self.studio is not None else {}).get(ident)
        return task.body.get("model") if task is not None else None

    def admit(self, model: str, tokens: int) -> bool:
        limit = self.limits.get(model)
        if limit is None:
            return True
        now = time.monotonic()
        with self._lock:
            recent = self._recent.setdefault(model, deque())
            while recent and recent[0][0] <= now - self.window:
                recent.popleft()
            if len(recent) >= limit[0] or sum(t for _, t in recent) + tokens > limit[1]:
                return False
            recent.append((now, tokens))
            return True

    # -- HTTP ------------------------------------------------------------------------------------
    def handles(self, method: str, path: str) -> bool:
        return method == "POST" and bool(_TASK.match(path) or _MODEL.match(path))

    def serve(self, handler: Any, raw: bytes) -> None:
        task, model = _TASK.match(handler.path), _MODEL.match(handler.path)
        kind, ident = ("task", task.group(1)) if task else ("model", model.group(1))  # type: ignore[union-attr]
        target = f"{kind}:{ident}"
        with self._lock:
            self.requests[target] += 1
            drop = self.drop_next > 0
            if drop:
                self.drop_next -= 1
        if drop:
            handler.close_connection = True
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            return
        base = self.base_model(kind, ident)
        if base is None:
            return handler._send(404, _envelope("40400", "Not found"))
        try:
            body = json.loads(raw)
            messages = body["messages"]
            last = messages[-1]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            return handler._send(400, _envelope("40001", "Invalid parameter: messages"))
        prompt_tokens = sum(len(m.get("content", "")) for m in messages)
        if last in self.fail_texts:
            return handler._send(500, _envelope("50000", "Internal server error"))
        if not self.admit(base, prompt_tokens):
            with self._lock:
                self.throttled[target] += 1
            return handler._send(429, _envelope("42901", "Too many requests"), {"Retry-After": self.retry_after})
        if self.hold_after is not None and sum(self.answered.values()) >= self.hold_after:
            self._released.wait(60)
            return handler._send(503, _envelope("50300", "Service unavailable"))
        if self.latency:
            time.sleep(self.latency)
        content = self.answer_for(target, messages)
        with self._lock:
            self.answered[(target, self.request_hash(target, messages))] += 1
        usage = {
            "promptTokens": prompt_tokens,
            "completionTokens": len(content),
            "totalTokens": prompt_tokens + len(content),
        }
        result = {
            "message": {"role": "assistant", "content": content},
            "finishReason": "stop",
            "created": int(time.time()),
            "seed": body.get("seed", 0),
            "usage": usage,
        }
        handler._send(200, _envelope("20000", "OK", result))


def install(studio: Any) -> InferenceEmulator:
    """Attach a model to ``studio`` (once); returns it."""
    for route in studio.routes:
        if isinstance(route, InferenceEmulator):
            return route
    model = InferenceEmulator(studio=studio)
    studio.routes.append(model)
    return model
