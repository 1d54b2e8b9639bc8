"""Headless Chromium (Debian ``chromium``) for Data Docs tests, and a proxy that records requests.

Every run points Chromium's proxy at :class:`RecordingProxy`, a listener on 127.0.0.1 that answers
each request with 502 and remembers it: a page that tries to reach the network leaves a record, and
nothing leaves the machine. The background-networking flags keep it from flooding a closed network
with refused connections; the binary is Debian's, started without its wrapper script (which adds
Google API keys and so more background traffic).

Chromium 156 still calls its own services in the background whatever the flags (component
updates, sign-in): those requests also end at the recorder and are told apart by host
(:data:`BROWSER_SERVICES`); ``page_requests`` are the rest.

Also a command: ``python tests/docs/browser.py screenshot URL OUT.png [WIDTHxHEIGHT]``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from urllib.parse import urlsplit

CHROMIUM = "/usr/lib/chromium/chromium"
#: Hosts of Chromium's own background services, not requested by pages.
BROWSER_SERVICES = (".google.com", ".googleapis.com", ".gvt1.com", ".gstatic.com")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--disable-features=NetworkTimeServiceQuerying",
)


class RecordingProxy:
    """A TCP listener on 127.0.0.1; each connection's first line is recorded, then answered 502."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="recording-proxy", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (socket.timeout, OSError):
                continue
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    first = "(connection without a request line)"
                self.requests.append(first)

    @property
    def page_requests(self) -> list[str]:
        """Recorded requests other than Chromium's calls to its own services."""
        return [r for r in self.requests if not ("." + _host(r)).endswith(BROWSER_SERVICES)]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


def _host(request_line: str) -> str:
    """Host of ``CONNECT host:443 HTTP/1.1`` or ``GET http://host/path HTTP/1.1``."""
    parts = request_line.split()
    if len(parts) < 2:
        return ""
    target = parts[1]
    return (target.rsplit(":", 1)[0] if parts[0] == "CONNECT" else urlsplit(target).hostname or "").lower()


def run(url: str, *args: str, proxy: RecordingProxy, timeout: float = 90) -> subprocess.CompletedProcess:
    """Chromium on ``url`` with a fresh empty profile; all network through ``proxy``."""
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/test (it installs Debian's chromium) or apt-get install chromium")
    profile = tempfile.mkdtemp(prefix="gx-clova-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy.port}",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", *args, url],
            capture_output=True, text=True, timeout=timeout,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def dump_dom(url: str, proxy: RecordingProxy) -> str:
    """The DOM after load, scripts (if any were allowed to run) included."""
    result = run(url, "--dump-dom", "--virtual-time-budget=3000", proxy=proxy)
    if result.returncode != 0 or "<html" not in result.stdout:
        raise RuntimeError(f"chromium --dump-dom failed ({result.returncode}): {result.stderr[-1500:]}")
    return result.stdout


def screenshot(url: str, out: str, proxy: RecordingProxy, size: str = "1280,2400") -> str:
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    result = run(url, f"--screenshot={os.path.abspath(out)}", f"--window-size={size}", "--virtual-time-budget=3000", proxy=proxy)
    if result.returncode != 0 or not os.path.isfile(out):
        raise RuntimeError(f"chromium --screenshot failed ({result.returncode}): {result.stderr[-1500:]}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "screenshot":
        print(__doc__, file=sys.stderr)
        return 2
    proxy = RecordingProxy()
    try:
        size = argv[3].replace("x", ",") if len(argv) > 3 else "1280,2400"
        screenshot(argv[1], argv[2], proxy, size)
    finally:
        proxy.close()
    if proxy.page_requests:
        print(f"the page tried to reach the network: {proxy.page_requests}", file=sys.stderr)
        return 1
    print(argv[2])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
