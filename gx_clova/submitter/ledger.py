"""The idempotency guard: a local JSON ledger of the tasks this machine created.

An entry is keyed by (dataset SHA-256, bucket, key, tuning parameters, API URL), so running
the same ``submit`` again reports the task it already created instead of creating a second
one; ``--force`` overrides. An entry is written as ``pending`` before the create request is
sent and becomes ``created`` with the task id once the answer arrives: if the answer is lost,
the pending entry stops a blind second attempt.

The file lives in ``$GX_CLOVA_STATE_DIR`` (default ``$XDG_CACHE_HOME/gx-clova`` or
``~/.cache/gx-clova``), is readable by its owner only, holds no secret, and is rewritten
atomically under a lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from gx_clova.submitter.errors import SubmitError

try:  # POSIX; elsewhere concurrent runs are simply not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

STATE_DIR_ENV = "GX_CLOVA_STATE_DIR"
FILE_NAME = "submissions.json"
PENDING, CREATED = "pending", "created"


def state_dir() -> Path:
    if os.environ.get(STATE_DIR_ENV):
        return Path(os.environ[STATE_DIR_ENV])
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "gx-clova"


def ledger_key(*, sha256: str, bucket: str, key: str, params: Mapping[str, str], api_url: str) -> str:
    """A stable key for one submission; ``params`` must hold no secret."""
    canonical = json.dumps({"sha256": sha256, "bucket": bucket, "key": key, "params": dict(params),
                            "api_url": api_url}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Ledger:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / FILE_NAME

    def get(self, key: str) -> dict[str, Any] | None:
        with self._locked():
            return self._read().get(key)

    def reserve(self, key: str, entry: Mapping[str, Any], *, force: bool = False) -> dict[str, Any] | None:
        """Write ``entry`` as pending unless an entry exists (returned then).

        With ``force`` the existing entry is replaced but kept aside: :meth:`release` puts it
        back, :meth:`complete` keeps its task id in ``previous_task_ids``.
        """
        with self._locked():
            data = self._read()
            old = data.get(key)
            if old is not None and not force:
                return old
            pending = {**entry, "state": PENDING, "updated_at": _now()}
            if old is not None:
                pending["replaced"] = old
            data[key] = pending
            self._write(data)
            return None

    def complete(self, key: str, task_id: str, status: str) -> None:
        with self._locked():
            data = self._read()
            entry = dict(data.get(key, {}))
            old = entry.pop("replaced", None) or {}
            previous = [*old.get("previous_task_ids", []), *([old["task_id"]] if old.get("task_id") else [])]
            data[key] = {**entry, "state": CREATED, "task_id": task_id, "status": status,
                         "previous_task_ids": previous, "updated_at": _now()}
            self._write(data)

    def release(self, key: str) -> None:
        """Undo :meth:`reserve` after a create request that certainly failed."""
        with self._locked():
            data = self._read()
            entry = data.get(key, {})
            if entry.get("state") == PENDING:
                if "replaced" in entry:
                    data[key] = entry["replaced"]
                else:
                    del data[key]
                self._write(data)

    # -- file handling --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = open(self.path.with_name(self.path.name + ".lock"), "a")
        except OSError as exc:
            raise SubmitError(f"cannot use the submission ledger in {self.path.parent}: {exc.strerror or exc} "
                              f"(set {STATE_DIR_ENV} to a writable directory)") from None
        with handle:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as file:
                data = json.load(file)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SubmitError(f"the submission ledger {self.path} is unreadable ({type(exc).__name__}); "
                              "fix or remove it") from None
        if not isinstance(data, dict):
            raise SubmitError(f"the submission ledger {self.path} is not a JSON object; fix or remove it")
        return data

    def _write(self, data: Mapping[str, Any]) -> None:
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".submissions-")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(data, file, indent=2, sort_keys=True, ensure_ascii=False)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise SubmitError(f"cannot write the submission ledger {self.path}: {exc.strerror or exc}") from None


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
