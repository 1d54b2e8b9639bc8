"""A real S3 server (moto_server, a subprocess) behind a loopback proxy that behaves like NCP.

The proxy forwards every request to moto unchanged, except that, like NAVER Cloud Object
Storage, it

- refuses ListObjectsV2 (``GET /bucket?list-type=2``),
- answers ``AccessDenied`` to requests carrying flexible-checksum headers
  (``x-amz-checksum-*``, ``x-amz-sdk-checksum-algorithm``),

checks SigV4 signatures against the key pairs it knows (``InvalidAccessKeyId``,
``SignatureDoesNotMatch``, ``AccessDenied`` for anonymous requests and for buckets listed in
:attr:`NcpProxy.denied_buckets`), and, on demand, injects faults (:class:`Fault`): an HTTP error answer (500, 503, 429
SlowDown …), a connection dropped in the middle of the request body, a response cut in the
middle of its body, a delay, or a hook run before forwarding.

Every request it sees is recorded (:attr:`NcpProxy.seen`) so tests can assert on traffic.
"""

from __future__ import annotations

import http.client
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"}
CHECKSUM_HEADERS = ("x-amz-checksum-", "x-amz-sdk-checksum-algorithm")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MotoServer:
    """``moto_server -H 127.0.0.1 -p PORT`` as a subprocess, stopped by its process id."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        executable = Path(sys.executable).with_name("moto_server")
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [str(executable), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/moto-api/")
                connection.getresponse().read()
                connection.close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto_server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, 9)
                self.process.wait()
        self._log.close()


@dataclass
class Request:
    """One request the proxy saw."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw_path: str = ""

    @property
    def bucket_and_key(self) -> tuple[str, str]:
        bucket, _, key = self.path.lstrip("/").partition("/")
        return bucket, key

    def has(self, parameter: str, value: str | None = None) -> bool:
        return parameter in self.query and (value is None or value in self.query[parameter])


@dataclass
class Fault:
    """What to do to the next ``times`` requests that ``match``.

    ``action``: ``"status"`` (answer ``status``/``code`` without forwarding), ``"drop"`` (read
    half the request body, then close the connection), ``"cut"`` (forward, send half the
    response body, close), ``"delay"`` (read the request, sleep ``delay`` seconds, then forward),
    ``"hook"`` (call ``hook``, then forward).
    """

    match: Callable[[Request], bool]
    action: str = "status"
    status: int = 503
    code: str = "SlowDown"
    delay: float = 0.0
    hook: Callable[[], None] | None = None
    times: int = 1  # -1: forever
    hits: int = field(default=0)


def error_xml(code: str, message: str, resource: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<Resource>{resource}</Resource><RequestId>fake-ncp</RequestId></Error>"
    ).encode()


def check_signature(request: Request, body: bytes | None, keys: dict[str, str]) -> str | None:
    """The S3 error code for a badly signed request, or None when the signature is right.

    The signature is recomputed with botocore's own SigV4 signer over exactly the headers the
    client says it signed.
    """
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    authorization = request.headers.get("authorization", "")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        return "AccessDenied"
    fields = dict(part.strip().split("=", 1) for part in authorization[len("AWS4-HMAC-SHA256 "):].split(","))
    access_key, _date, region, service, _ = fields["Credential"].split("/")
    secret = keys.get(access_key)
    if secret is None:
        return "InvalidAccessKeyId"
    signed = fields["SignedHeaders"].split(";")
    url = f"http://{request.headers['host']}{request.raw_path}"
    aws_request = AWSRequest(method=request.method, url=url,
                             headers={name: request.headers[name] for name in signed}, data=body or b"")
    aws_request.context["timestamp"] = request.headers["x-amz-date"]
    signer = S3SigV4Auth(Credentials(access_key, secret), service, region)
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    return None if expected == fields["Signature"] else "SignatureDoesNotMatch"


class NcpProxy:
    def __init__(self, upstream_port: int, keys: dict[str, str]) -> None:
        self.upstream_port = upstream_port
        #: access key → secret key pairs it accepts.
        self.keys = dict(keys)
        #: buckets every request to which is refused with AccessDenied (a bucket policy).
        self.denied_buckets: set[str] = set()
        self.seen: list[Request] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-ncp", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_fault(self, match: Callable[[Request], bool], **options: object) -> Fault:
        fault = Fault(match=match, **options)  # type: ignore[arg-type]
        with self._lock:
            self._faults.append(fault)
        return fault

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.seen.clear()
            self.denied_buckets.clear()

    def record(self, request: Request) -> Fault | None:
        with self._lock:
            self.seen.append(request)
            for fault in self._faults:
                if fault.times != 0 and fault.match(request):
                    fault.hits += 1
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        try:
            self._handle()
        except OSError:  # the client or moto went away (a fault, or the end of the session)
            self.close_connection = True

    do_PUT = do_POST = do_DELETE = do_HEAD = do_GET

    def _handle(self) -> None:
        proxy: NcpProxy = self.server.proxy  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        request = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                          {k.lower(): v for k, v in self.headers.items()}, self.path)
        fault = proxy.record(request)
        length = int(self.headers.get("Content-Length") or 0)
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.rfile.readline()
            return self._answer(400, "NotImplemented", "chunked request bodies are not expected here", close=True)
        if request.method == "GET" and request.has("list-type", "2"):
            self.rfile.read(length)
            return self._answer(400, "NotImplemented", "ListObjectsV2 is not supported", parts.path)
        if any(name.startswith(CHECKSUM_HEADERS) for name in request.headers):
            self.rfile.read(length)
            return self._answer(403, "AccessDenied", "Access Denied", parts.path)
        if fault is not None:
            if fault.action == "status":
                self.rfile.read(length)
                return self._answer(fault.status, fault.code, "injected fault", parts.path)
            if fault.action == "drop":
                self.rfile.read(length // 2)
                return self._abort()
            if fault.action == "hook" and fault.hook is not None:
                fault.hook()
        body = self.rfile.read(length) if length else None
        if fault is not None and fault.action == "delay":  # a slow answer: the request was read in full
            time.sleep(fault.delay)
        refusal = check_signature(request, body, proxy.keys)
        if refusal is None and request.bucket_and_key[0] in proxy.denied_buckets:
            refusal = "AccessDenied"
        if refusal is not None:
            return self._answer(403, refusal, "refused by fake NCP", parts.path)
        self._forward(proxy, body, cut=fault is not None and fault.action == "cut")

    def _forward(self, proxy: NcpProxy, body: bytes | None, *, cut: bool) -> None:
        upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"expect"}}
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        self.send_response_only(response.status, response.reason)
        length = response.getheader("Content-Length")
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        if length is None and self.command != "HEAD":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        limit = int(length) // 2 if cut and length else None
        sent = 0
        try:
            while True:
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                if limit is not None and sent + len(chunk) > limit:
                    self.wfile.write(chunk[: limit - sent])
                    return self._abort()
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the client went away (it closed a stream early)
            self.close_connection = True
        finally:
            upstream.close()

    def _answer(self, status: int, code: str, message: str, resource: str = "", *, close: bool = False) -> None:
        payload = error_xml(code, message, resource)
        self.send_response_only(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _abort(self) -> None:
        """Close the connection at once (RST), mid-request or mid-response."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
