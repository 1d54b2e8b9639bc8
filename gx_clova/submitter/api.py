"""A small CLOVA Studio tuning-API client on the standard library (``urllib.request``).

Retries, bounded, with exponential back-off:

- ``GET`` (task status) on 429, any 5xx and any connection failure;
- ``POST`` (task creation) only when the server cannot have created the task: 429, 500, 503
  and requests that were never fully sent (refused or timed-out connections). After 502/504,
  or no answer to a request that was sent, the task may exist: :class:`AmbiguousCreate` is
  raised instead of creating a second, billed, task. Every attempt carries the same
  ``X-NCP-CLOVASTUDIO-REQUEST-ID``.

API error codes become sentences (:func:`explain`); server messages pass through ``redact``.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Callable
from urllib.parse import quote, urlsplit

from gx_clova import redact
from gx_clova.submitter import backoff
from gx_clova.submitter.auth import APIGW, Auth
from gx_clova.submitter.errors import AmbiguousCreate, ApiError, UsageError, WaitTimedOut

API_URL_ENV = "CLOVASTUDIO_API_URL"
DEFAULT_API_URL = "https://clovastudio.stream.ntruss.com"
APIGW_API_URL = "https://clovastudio.apigw.ntruss.com"
TASKS_PATH = "/tuning/v2/tasks"
REQUEST_ID_HEADER = "X-NCP-CLOVASTUDIO-REQUEST-ID"
#: Seconds for connecting and for each read.
TIMEOUT = 30.0
STATUSES = ("WAIT", "RUNNING", "FAILED", "SUCCEEDED")
FINAL_STATUSES = frozenset({"FAILED", "SUCCEEDED"})
_POST_RETRY_STATUSES = {429, 500, 503}
_AMBIGUOUS_STATUSES = {502, 504}


def resolve_api_url(api_url: str | None, auth_mode: str) -> str:
    """``--api-url``, else ``CLOVASTUDIO_API_URL``, else the host for the auth mode."""
    url = (api_url or os.environ.get(API_URL_ENV) or (APIGW_API_URL if auth_mode == APIGW else DEFAULT_API_URL))
    url = url.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.username:
        raise UsageError(f"--api-url must be an http(s) base URL such as {DEFAULT_API_URL} (got {url!r})")
    return url


class _CallFailed(Exception):
    """One failed attempt: an HTTP error answer, or no answer at all."""

    def __init__(self, *, http_status: int = 0, code: str = "", message: str = "",
                 sent: bool = True, retry_after: float | None = None) -> None:
        super().__init__(code or message)
        self.http_status, self.code, self.server_message = http_status, code, message
        #: False when the request certainly never reached the server.
        self.sent = sent
        self.retry_after = retry_after

    @property
    def answered(self) -> bool:
        return self.http_status > 0


def explain(failure: _CallFailed, *, what: str, base_url: str, attempts: int) -> str:
    """A sentence for an API failure; the code is kept so people can look it up."""
    code, status, detail = failure.code, failure.http_status, failure.server_message
    tag = f"{code} {detail}".strip()
    if not failure.answered and failure.sent:
        return f"CLOVA Studio at {base_url} gave no answer to {what} ({detail}) after {attempts} attempt(s)"
    if not failure.answered:
        return f"CLOVA Studio API unreachable at {base_url} ({detail}) after {attempts} attempt(s)"
    if code == "40001":
        return f"CLOVA Studio rejected a parameter of {what} (40001 Invalid parameter): {detail or 'no detail'}"
    if code.startswith("401") or status == 401:
        return (f"CLOVA Studio refused the credentials for {what} ({tag}): check CLOVASTUDIO_API_KEY, "
                "or NCP_IAM_ACCESS_KEY/NCP_IAM_SECRET_KEY with --auth apigw")
    if code.startswith("403") or status == 403:
        return f"CLOVA Studio does not allow {what} for this account ({tag})"
    if code == "40400" or status == 404:
        return f"CLOVA Studio found no {what} (40400 Not found): check the task id and --api-url ({base_url})"
    if code.startswith("429") or status == 429:
        return f"CLOVA Studio kept throttling {what} ({tag}) after {attempts} attempt(s); try again later"
    if status >= 500:
        return f"CLOVA Studio failed on {what} (HTTP {status} {tag}) after {attempts} attempt(s); try again later"
    return f"CLOVA Studio refused {what} (HTTP {status} {tag})"


class StudioClient:
    def __init__(self, base_url: str, auth: Auth, *, timeout: float | None = None,
                 policy: backoff.RetryPolicy | None = None, notify: Callable[[str], None] | None = None) -> None:
        self.base_url, self.auth, self.timeout = base_url.rstrip("/"), auth, timeout or TIMEOUT
        self.policy, self.notify = policy, notify

    # -- public ---------------------------------------------------------------------------------
    def create_task(self, body: dict[str, Any], *, request_id: str) -> dict[str, Any]:
        """``POST /tuning/v2/tasks`` → ``result`` (with ``id`` and ``status``)."""
        result = self._call("POST", TASKS_PATH, body, request_id=request_id, what="the task creation")
        if not isinstance(result, dict) or not result.get("id"):
            raise AmbiguousCreate(f"CLOVA Studio accepted the request (request id {request_id}) but "
                                  "returned no task id; check the console before submitting again")
        return result

    def get_task(self, task_id: str) -> dict[str, Any]:
        """``GET /tuning/v2/tasks/{taskId}`` → ``result`` (``status``, ``statusInfo`` …)."""
        result = self._call("GET", f"{TASKS_PATH}/{quote(str(task_id), safe='')}", None,
                            request_id=None, what=f"task {task_id}")
        if not isinstance(result, dict):
            raise ApiError(f"CLOVA Studio returned no result for task {task_id}")
        return result

    def status(self, task_id: str, *, wait: bool = False, interval: float = 30.0, timeout: float | None = None,
               on_change: Callable[[str], None] | None = None) -> dict[str, Any]:
        """The task's ``result``; with ``wait``, polled every ``interval`` s until SUCCEEDED or FAILED.

        ``on_change`` gets each new status. WaitTimedOut when ``timeout`` seconds pass first.
        """
        deadline = time.monotonic() + timeout if timeout else None
        last = None
        while True:
            result = self.get_task(task_id)
            status = str(result.get("status"))
            if status != last and on_change is not None:
                on_change(status)
            last = status
            if not wait or status in FINAL_STATUSES:
                return result
            if deadline is not None and time.monotonic() + interval > deadline:
                raise WaitTimedOut(f"task {task_id} is still {status} after {timeout:g} s")
            time.sleep(interval)

    def preview(self, body: dict[str, Any], *, request_id: str) -> dict[str, Any]:
        """The create request as it would be sent, secrets masked (for ``--dry-run``)."""
        return redact.redact({
            "method": "POST",
            "url": self.base_url + TASKS_PATH,
            "headers": self._headers("POST", TASKS_PATH, request_id),
            "body": body,
        })

    # -- one call, retried -------------------------------------------------------------------------
    def _call(self, method: str, path: str, body: dict | None, *, request_id: str | None, what: str,
              idempotent: bool = False) -> Any:
        """One API call with retries; ``idempotent`` POSTs (token counting) retry like GETs, never ambiguous."""
        def retryable(exc: BaseException) -> bool:
            if not isinstance(exc, _CallFailed):
                return False
            if method == "GET" or idempotent:
                return not exc.answered or exc.http_status == 429 or exc.http_status >= 500
            return (not exc.sent) or exc.http_status in _POST_RETRY_STATUSES

        try:
            return backoff.with_retries(
                lambda: self._send(method, path, body, request_id), retryable=retryable,
                what=what, policy=self.policy, notify=self.notify,
                describe=_short,
            )
        except _CallFailed as failure:
            attempts = (self.policy or backoff.DEFAULT).attempts if retryable(failure) else 1
            message = explain(failure, what=what, base_url=self.base_url, attempts=attempts)
            ambiguous = failure.http_status in _AMBIGUOUS_STATUSES or (failure.sent and not failure.answered)
            if method == "POST" and ambiguous and not idempotent:
                raise AmbiguousCreate(
                    f"{message}. The task may or may not have been created (request id {request_id}): "
                    "check `gx-clova status` or the CLOVA Studio console, then re-run with --force "
                    "only if it was not", http_status=failure.http_status) from None
            raise ApiError(message, code=failure.code or None, http_status=failure.http_status or None) from None

    def _headers(self, method: str, path: str, request_id: str | None) -> dict[str, str]:
        signed_path = urlsplit(self.base_url).path + path
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   **self.auth.headers(method, signed_path)}
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        return headers

    def _send(self, method: str, path: str, body: dict | None, request_id: str | None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers=self._headers(method, path, request_id))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
            retry_after = _seconds(error.headers.get("Retry-After"))
            code, message, _ = _parse(raw, status)
            raise _CallFailed(http_status=status, code=code, message=message, retry_after=retry_after) from None
        except urllib.error.URLError as error:  # raised only while connecting or sending: never processed
            raise _CallFailed(message=_reason(error.reason), sent=False) from None
        except (http.client.HTTPException, ConnectionError, TimeoutError, OSError) as error:
            raise _CallFailed(message=_reason(error), sent=True) from None
        code, message, result = _parse(raw, status)
        if code not in ("20000", ""):
            raise _CallFailed(http_status=status, code=code, message=message)
        return result


def _parse(raw: bytes, status: int) -> tuple[str, str, Any]:
    """(code, message, result) of a CLOVA Studio answer; tolerant of non-JSON error pages."""
    try:
        answer = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return str(status * 100), "the answer was not JSON", None
    if not isinstance(answer, dict):
        return str(status * 100), "unexpected answer", None
    head = answer.get("status") if isinstance(answer.get("status"), dict) else {}
    code = str(head.get("code", "") or (status * 100 if status >= 300 else ""))
    return code, str(head.get("message", "") or ""), answer.get("result")


def _short(exc: BaseException) -> str:
    if isinstance(exc, _CallFailed):
        return f"HTTP {exc.http_status} {exc.code}".strip() if exc.answered else exc.server_message
    return type(exc).__name__


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _reason(error: object) -> str:
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "unknown host"
    if isinstance(error, http.client.RemoteDisconnected):
        return "connection closed without an answer"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    return type(error).__name__ if not isinstance(error, str) else error
