"""A local CLOVA Studio tuning API: a threaded stdlib HTTP server on 127.0.0.1.

It behaves like the documented service where gx-clova depends on it:

- checks ``Authorization: Bearer <key>`` or the API-gateway HMAC headers (40100/40101/40104);
- validates the create body: required fields, types, ranges (40001 with the problems);
- fetches the dataset from Object Storage (the fake NCP proxy) with the bucket, path and key
  pair it was sent, and records the SHA-256 of what it read — a task whose dataset cannot be
  read becomes FAILED with ``file.noexist``, as on the real service;
- plays each task WAIT → RUNNING → SUCCEEDED, or FAILED with a chosen ``failureReason``,
  one state per status poll;
- answers injected errors on demand (:meth:`StudioEmulator.fail_next`) or loses the answer of
  a create request it did process (:attr:`StudioEmulator.lose_next_create_answer`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import math
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TASKS = "/tuning/v2/tasks"
REQUIRED = ("model", "trainingDatasetUri", "trainingDatasetBucket", "trainingDatasetFilePath",
            "trainingDatasetAccessKey", "trainingDatasetSecretKey")
#: Added to the User-Agent of the emulator's own dataset reads, so proxy faults can target them.
USER_AGENT = "fake-clova-studio"
OPTIONAL = ("name", "tuningType", "taskType", "trainEpochs", "learningRate")
#: Newer create fields, as the public API page documents them: JSON numbers, not strings.
#: name → (integer only, low, high or None).
NUMBERS: dict[str, tuple[bool, float, float | None]] = {
    "validationSplitRatio": (False, 0.0, 0.1), "loraR": (True, 2, 64), "loraAlpha": (True, 2, None)}


@dataclass
class Task:
    id: str
    body: dict[str, Any]
    dataset_sha256: str | None
    states: list[str]
    failure: dict[str, str] | None = None
    polls: int = 0

    @property
    def status(self) -> str:
        return self.states[min(self.polls, len(self.states) - 1)]

    def result(self) -> dict[str, Any]:
        result = {"id": self.id, "name": self.body.get("name"), "model": self.body.get("model"),
                  "status": self.status}
        if self.status == "FAILED" and self.failure:
            result["statusInfo"] = dict(self.failure)
        return result


@dataclass
class Injected:
    http_status: int
    code: str
    method: str | None = None
    retry_after: str | None = None
    times: int = 1


@dataclass
class StudioEmulator:
    api_key: str
    iam_access_key: str
    iam_secret_key: str
    #: ``host:port`` of the Object Storage endpoint it may read datasets from.
    storage_host: str
    tasks: dict[str, Task] = field(default_factory=dict)
    #: Every request: (method, path, headers).
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    #: The final state of the next created task: ("SUCCEEDED", None, None) or ("FAILED", reason, message).
    next_outcome: tuple[str, str | None, str | None] = ("SUCCEEDED", None, None)
    lose_next_create_answer: bool = False
    #: In the User-Agent of its own dataset reads, so storage faults can target CLOVA Studio only.
    user_agent: str = USER_AGENT
    #: More endpoints (``handles(method, path)``, ``serve(handler, raw)``, ``reset()``): fake_inference's
    #: chat completions, fake_tokenizer's tokenizers.
    routes: list[Any] = field(default_factory=list)
    _errors: list[Injected] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1001))
    _lock: Any = field(default_factory=threading.Lock)

    def start(self) -> StudioEmulator:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.studio = self  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, name="fake-studio", daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reset(self) -> None:
        with self._lock:
            self.tasks.clear()
            self.seen.clear()
            self._errors.clear()
            self.next_outcome = ("SUCCEEDED", None, None)
            self.lose_next_create_answer = False
        for route in self.routes:
            route.reset()

    def fail_next(self, http_status: int, code: str, *, method: str | None = None,
                  times: int = 1, retry_after: str | None = None) -> None:
        with self._lock:
            self._errors.append(Injected(http_status, code, method, retry_after, times))

    def creates(self) -> list[tuple[str, str, dict[str, str]]]:
        return [r for r in self.seen if r[0] == "POST"]

    # -- behaviour ------------------------------------------------------------------------------
    def injected(self, method: str) -> Injected | None:
        with self._lock:
            for error in self._errors:
                if error.times and (error.method in (None, method)):
                    error.times -= 1
                    return error
        return None

    def auth_error(self, method: str, path: str, headers: dict[str, str]) -> str | None:
        bearer = headers.get("authorization")
        if bearer is not None:
            return None if bearer == f"Bearer {self.api_key}" else "40104"
        access = headers.get("x-ncp-iam-access-key")
        timestamp = headers.get("x-ncp-apigw-timestamp", "")
        signature = headers.get("x-ncp-apigw-signature-v2")
        if access is None or signature is None:
            return "40100"
        if access != self.iam_access_key or not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 300_000:
            return "40101"
        message = f"{method} {path}\n{timestamp}\n{access}".encode()
        expected = base64.b64encode(hmac.new(self.iam_secret_key.encode(), message, hashlib.sha256).digest()).decode()
        return None if hmac.compare_digest(expected, signature) else "40101"

    def body_problems(self, body: Any) -> list[str]:
        if not isinstance(body, dict):
            return ["the body is not a JSON object"]
        problems = [f"{name} is required" for name in REQUIRED if not isinstance(body.get(name), str) or not body[name]]
        problems += [f"unknown field {name}" for name in body if name not in (*REQUIRED, *OPTIONAL, *NUMBERS)]
        problems += [number_problem(name, body[name], *NUMBERS[name]) for name in NUMBERS
                     if name in body and number_problem(name, body[name], *NUMBERS[name])]
        problems += [f"{name} must be a string" for name in OPTIONAL if name in body and not isinstance(body[name], str)]
        if body.get("tuningType", "PEFT") != "PEFT":
            problems.append("tuningType must be PEFT")
        if body.get("taskType", "GENERATION") not in ("GENERATION", "CLASSIFICATION"):
            problems.append("taskType must be GENERATION or CLASSIFICATION")
        epochs = str(body.get("trainEpochs", "8"))
        if not epochs.isdigit() or not 1 <= int(epochs) <= 20:
            problems.append("trainEpochs must be 1-20")
        try:
            rate = float(str(body.get("learningRate", "1e-4")))
        except ValueError:
            rate = math.nan
        if not (math.isfinite(rate) and 1e-6 <= rate <= 1.0):
            problems.append("learningRate must be 1.0E-6 to 1")
        return problems

    def fetch_dataset(self, body: dict[str, Any]) -> str | None:
        """SHA-256 of the dataset read with the credentials sent, or None if it cannot be read."""
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        if body["trainingDatasetUri"] != self.storage_host:
            return None
        client = boto3.client(
            "s3", endpoint_url=f"http://{self.storage_host}", region_name="kr-standard",
            aws_access_key_id=body["trainingDatasetAccessKey"],
            aws_secret_access_key=body["trainingDatasetSecretKey"],
            config=Config(s3={"addressing_style": "path"}, request_checksum_calculation="when_required",
                          response_checksum_validation="when_required", retries={"total_max_attempts": 1},
                          user_agent_extra=self.user_agent),
        )
        try:
            stream = client.get_object(Bucket=body["trainingDatasetBucket"], Key=body["trainingDatasetFilePath"])["Body"]
            digest = hashlib.sha256()
            for chunk in stream.iter_chunks(1 << 20):
                digest.update(chunk)
            return digest.hexdigest()
        except (ClientError, BotoCoreError):
            return None

    def create(self, body: dict[str, Any]) -> Task:
        sha = self.fetch_dataset(body)
        with self._lock:
            task_id = f"t{next(self._ids)}"
            final, reason, message = self.next_outcome
            if sha is None:
                final, reason, message = "FAILED", "file.noexist", "The dataset file does not exist"
            failure = {"failureReason": reason, "message": message or ""} if final == "FAILED" else None
            task = Task(task_id, body, sha, ["WAIT", "RUNNING", final], failure)
            self.tasks[task_id] = task
            return task


def number_problem(name: str, value: Any, whole: bool, low: float, high: float | None) -> str | None:
    """Why ``value`` is not a valid ``name`` (a JSON number; an integer where ``whole``), or None."""
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return f"{name} must be {'an integer' if whole else 'a number'}"
    if not (math.isfinite(value) and low <= value and (high is None or value <= high)):
        return f"{name} must be {low:g}-{high:g}" if high is not None else f"{name} must be at least {low:g}"
    return None


def envelope(code: str, message: str, result: Any = None) -> bytes:
    answer: dict[str, Any] = {"status": {"code": code, "message": message}}
    if result is not None:
        answer["result"] = result
    return json.dumps(answer).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # `format` is http.server's parameter name
        pass

    def do_GET(self) -> None:
        try:
            self._handle()
        except OSError:  # the client gave up waiting (a timeout test)
            self.close_connection = True

    do_POST = do_GET

    def _handle(self) -> None:
        studio: StudioEmulator = self.server.studio  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in self.headers.items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with studio._lock:
            studio.seen.append((self.command, self.path, headers))
        auth = studio.auth_error(self.command, self.path, headers)
        if auth is not None:
            return self._send(401, envelope(auth, "Unauthorized"))
        error = studio.injected(self.command)
        if error is not None:
            extra = {"Retry-After": error.retry_after} if error.retry_after else {}
            return self._send(error.http_status, envelope(error.code, "injected"), extra)
        if self.command == "POST" and self.path == TASKS:
            return self._create(studio, raw)
        if self.command == "GET" and self.path.startswith(TASKS + "/"):
            with studio._lock:
                task = studio.tasks.get(self.path[len(TASKS) + 1:])
                if task is not None:
                    result = task.result()
                    task.polls += 1
            if task is None:
                return self._send(404, envelope("40400", "Not found"))
            return self._send(200, envelope("20000", "OK", result))
        for route in studio.routes:
            if route.handles(self.command, self.path):
                return route.serve(self, raw)
        return self._send(404, envelope("40400", "Not found"))

    def _create(self, studio: StudioEmulator, raw: bytes) -> None:
        try:
            body = json.loads(raw)
        except ValueError:
            return self._send(400, envelope("40001", "Invalid parameter: body is not JSON"))
        problems = studio.body_problems(body)
        if problems:
            return self._send(400, envelope("40001", "Invalid parameter: " + "; ".join(problems)))
        task = studio.create(body)
        if studio.lose_next_create_answer:
            studio.lose_next_create_answer = False
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        self._send(200, envelope("20000", "OK", {"id": task.id, "status": "WAIT"}))

    def _send(self, status: int, payload: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response_only(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
