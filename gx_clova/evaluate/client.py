"""Chat Completions v3 for a tuned task and for base models, on the submitter's client.

- tuned task: ``POST /v3/tasks/{taskId}/chat-completions``;
- base model: ``POST /v3/chat-completions/{modelName}``.

Authentication, the API URL (``--api-url`` / ``CLOVASTUDIO_API_URL``), the HTTP exchange and the
back-off (``Retry-After`` honoured) are :class:`gx_clova.submitter.api.StudioClient`'s. An answer
is not a created resource, so every ``429``, every ``5xx`` and every lost connection is retried.
``401``/``403`` (credentials), and ``404`` (no such task or model) stop the run: every other row
would fail the same way. Other refusals are recorded against the row and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gx_clova.submitter import backoff
from gx_clova.submitter.api import StudioClient, _CallFailed, _short, explain
from gx_clova.submitter.errors import ApiError

#: HTTP statuses after which no other row can succeed either.
FATAL_STATUSES = frozenset({401, 403, 404})


@dataclass(frozen=True)
class Target:
    """Something answering chat completions: a tuned task or a base model."""

    kind: str  # "task" | "model"
    ident: str
    #: The base model whose rate limits apply (a tuned task counts against its base model).
    model: str

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.ident}"

    @property
    def path(self) -> str:
        if self.kind == "task":
            return f"/v3/tasks/{quote(self.ident, safe='')}/chat-completions"
        return f"/v3/chat-completions/{quote(self.ident, safe='')}"


class RowFailed(Exception):
    """This row got no answer (after retries); the run goes on."""


class ChatClient(StudioClient):
    def chat(self, target: Target, body: dict[str, Any]) -> dict[str, Any]:
        """``result`` of one chat completion (``message``, ``usage`` …). RowFailed or ApiError (fatal)."""
        what = f"a chat completion from {target.name}"

        def retryable(exc: BaseException) -> bool:
            return isinstance(exc, _CallFailed) and (not exc.answered or exc.http_status == 429
                                                     or exc.http_status >= 500)

        try:
            result = backoff.with_retries(lambda: self._send("POST", target.path, body, None), retryable=retryable,
                                          what=what, policy=self.policy, notify=self.notify, describe=_short)
        except _CallFailed as failure:
            attempts = (self.policy or backoff.DEFAULT).attempts if retryable(failure) else 1
            message = explain(failure, what=what, base_url=self.base_url, attempts=attempts)
            if failure.http_status in FATAL_STATUSES:
                raise ApiError(message, code=failure.code or None, http_status=failure.http_status) from None
            raise RowFailed(message) from None
        if not isinstance(result, dict) or not isinstance((result.get("message") or {}).get("content"), str):
            raise RowFailed(f"{target.name} answered without a message")
        return result

    def task_info(self, task_id: str) -> dict[str, Any]:
        """``GET /tuning/v2/tasks/{taskId}``: its base model and, for classification, ``statusInfo.label``."""
        return self.get_task(task_id)
