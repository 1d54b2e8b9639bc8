"""validate → gate → upload and verify (or verify in place) → idempotency guard → create the task.

:func:`submit` is what ``gx-clova submit`` and the checkpoint action run; :func:`launch` is the
part after validation, for callers that already hold a report (the JSON report as a dict).

Configuration is checked first (parameters, bucket, keys, API URL), so a missing key is
reported before a large file is validated. Nothing is uploaded for a dataset that failed; the
bytes uploaded, and the object stored, must hash to the ``source.sha256`` that passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Callable

from gx_clova.errors import SourceError
from gx_clova.storage import (Credentials, S3Source, endpoint_host, make_client,
                              parse_s3_uri, resolve_credentials, resolve_endpoint)
from gx_clova.submitter.api import StudioClient, resolve_api_url
from gx_clova.submitter.auth import BEARER, Auth, auth_from_env
from gx_clova.submitter.errors import (AmbiguousCreate, ApiError, GateRefused, PendingSubmission,
                                       SubmitError, UsageError)
from gx_clova.submitter.gate import passing_sha256, require_same_bytes
from gx_clova.submitter.ledger import CREATED, Ledger, ledger_key
from gx_clova.submitter.params import TuningParams, classes_short_after_split, create_body
from gx_clova.submitter.upload import Uploader, choose_part_size, sha256_file, verify_stored

Notify = Callable[[str], None]


@dataclass(frozen=True)
class SubmitRequest:
    #: A local path (uploaded to ``bucket``/``key``) or ``s3://bucket/key`` (submitted in place).
    source: str
    params: TuningParams
    bucket: str | None = None
    #: Object key for a local file; default: the file's name.
    key: str | None = None
    endpoint_url: str | None = None
    api_url: str | None = None
    #: ``bearer`` or ``apigw``; default from ``CLOVASTUDIO_AUTH``.
    auth: str | None = None
    #: Multipart part size in bytes; default chosen from the file size.
    part_size: int | None = None
    dry_run: bool = False
    force: bool = False


@dataclass(frozen=True)
class SubmitOutcome:
    #: ``created``, ``existing`` (found in the ledger, nothing sent) or ``dry-run``.
    action: str
    bucket: str
    key: str
    sha256: str
    task_id: str | None = None
    status: str | None = None
    request_id: str | None = None
    uploaded: bool = False
    #: ``--dry-run``: the request that would be sent, secrets masked.
    request: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class _Plan:
    params: TuningParams
    bucket: str
    key: str
    local_path: str | None
    endpoint: str
    credentials: Credentials
    auth: Auth
    api_url: str


def prepare(request: SubmitRequest) -> _Plan:
    """Check everything that needs no network; UsageError on the first configuration problem."""
    params = request.params.checked()
    try:
        if request.source.startswith("s3://"):
            bucket, key = parse_s3_uri(request.source)
            if (request.bucket and request.bucket != bucket) or (request.key and request.key != key):
                raise UsageError(f"{request.source} is already on Object Storage and is submitted in place: "
                                 "leave out --bucket/--key or make them match it")
            local_path = None
        else:
            if not request.bucket:
                raise UsageError("--bucket is required to upload a local file (and --key, default: the file name)")
            bucket, key, local_path = request.bucket, request.key or os.path.basename(request.source), request.source
            if not key or key.endswith("/"):
                raise UsageError(f"--key must name an object, not a folder (got {key!r})")
        endpoint = resolve_endpoint(request.endpoint_url)
        credentials = _dry_run_default(request, resolve_credentials, SourceError, Credentials(
            MISSING_SECRET, MISSING_SECRET, origin="not set (dry run)"))
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    if request.part_size is not None:
        try:
            choose_part_size(0, request.part_size)
        except ValueError as exc:
            raise UsageError(f"--part-size: {exc}") from None
    auth = _dry_run_default(request, lambda: auth_from_env(request.auth), UsageError, _UnsetAuth())
    return _Plan(params, bucket, key, local_path, endpoint, credentials, auth,
                 resolve_api_url(request.api_url, auth.mode))


#: Stands for a key that is not set, in a dry run's printed request (a real run needs it).
MISSING_SECRET = "<not set>"


class _UnsetAuth:
    """The API key of a dry run without one: nothing is sent, so nothing is needed."""

    mode = BEARER

    def headers(self, method: str, path: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {MISSING_SECRET}"}


def _dry_run_default(request: SubmitRequest, resolve: Callable[[], Any], missing: type[Exception], default: Any) -> Any:
    """A dry run needs no secret: where one is missing, the printed request shows ``<not set>``."""
    try:
        return resolve()
    except missing:
        if request.dry_run and not request.source.startswith("s3://"):
            return default
        raise


def submit(request: SubmitRequest, *, validator: Callable[..., Any] | None = None,
           notify: Notify | None = None) -> SubmitOutcome:
    """Validate ``request.source`` with gx-clova, then :func:`launch` it if it passed."""
    plan = prepare(request)
    report = run_validation(request.source, task=plan.params.task, endpoint_url=plan.endpoint,
                            validator=validator)
    return launch(request, report, notify=notify)


def launch(request: SubmitRequest, report: Mapping[str, Any], *, notify: Notify | None = None) -> SubmitOutcome:
    """Everything after validation. Raises a SubmitError or SourceError when nothing was created."""
    say: Notify = notify or (lambda message: None)
    plan = prepare(request)
    sha = passing_sha256(report, task=plan.params.task)
    where = f"s3://{plan.bucket}/{plan.key}"
    _require_classes_after_split(request.source, plan)
    size = _local_size(plan, sha, report) if plan.local_path else None

    studio = StudioClient(plan.api_url, plan.auth, notify=say)
    fields = plan.params.api_fields()
    entry_key = ledger_key(sha256=sha, bucket=plan.bucket, key=plan.key, params=fields, api_url=plan.api_url)
    ledger = Ledger()
    existing = ledger.get(entry_key)
    if existing and not request.force:
        return _already(existing, plan, sha, say)

    body = create_body(plan.params, dataset_host=endpoint_host(plan.endpoint), bucket=plan.bucket,
                       key=plan.key, access_key=plan.credentials.access_key,
                       secret_key=plan.credentials.secret_key)
    request_id = uuid.uuid4().hex
    stored = S3Source(plan.bucket, plan.key, endpoint_url=plan.endpoint, credentials=plan.credentials)
    if plan.local_path is None:
        say(f"checking that {where} still holds the validated bytes")
        verify_stored(stored, passed_sha256=sha)
    if request.dry_run:
        unset = [name for name, missing in (("CLOVASTUDIO_API_KEY", isinstance(plan.auth, _UnsetAuth)),
                                            ("NCP_ACCESS_KEY/NCP_SECRET_KEY",
                                             plan.credentials.access_key == MISSING_SECRET)) if missing]
        if unset:
            say(f"dry run without {' and '.join(unset)}: nothing is sent, so none is needed; a real submit "
                "needs them")
        return SubmitOutcome("dry-run", plan.bucket, plan.key, sha, request_id=request_id,
                             request=studio.preview(body, request_id=request_id))
    if plan.local_path is not None:
        _upload_and_verify(plan, request, stored, sha, size or 0, say)

    entry = {"sha256": sha, "bucket": plan.bucket, "key": plan.key, "params": fields,
             "api_url": plan.api_url, "request_id": request_id}
    raced = ledger.reserve(entry_key, entry, force=request.force)
    if raced is not None:
        return _already(raced, plan, sha, say)
    say(f"creating the tuning task (request id {request_id})")
    try:
        result = studio.create_task(body, request_id=request_id)
    except AmbiguousCreate:
        raise  # the pending entry stays: it stops a blind second attempt
    except ApiError:
        ledger.release(entry_key)
        raise
    task_id, status = str(result["id"]), str(result.get("status") or "WAIT")
    ledger.complete(entry_key, task_id, status)
    return SubmitOutcome("created", plan.bucket, plan.key, sha, task_id, status, request_id,
                         uploaded=plan.local_path is not None)


def _require_classes_after_split(source: str, plan: _Plan) -> None:
    """Classification with a validation split: every label keeps its 200 rows for training."""
    ratio = float(plan.params.validation_split_ratio or 0)
    if plan.params.task != "classification" or ratio <= 0:
        return
    from gx_clova import spec
    from gx_clova.reading import read_dataset
    from gx_clova.rules.labels import label_counts
    from gx_clova.sources import open_source

    options = {"endpoint_url": plan.endpoint} if source.startswith("s3://") else {}
    counts = label_counts(read_dataset(open_source(source, **options)).table)
    short = classes_short_after_split(counts, ratio, spec.MIN_ROWS_PER_LABEL)
    if short:
        named = ", ".join(f"{label!r} ({rows} rows, {kept} left)" for label, (rows, kept) in short.items())
        raise GateRefused(f"with --validation-split-ratio {ratio:g}, {len(short)} class(es) would keep fewer than "
                          f"{spec.MIN_ROWS_PER_LABEL} training rows: {named}; add rows or lower the ratio; "
                          "nothing was uploaded and no task was created")


def _local_size(plan: _Plan, sha: str, report: Mapping[str, Any]) -> int:
    path = plan.local_path or ""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    reported = (report.get("source") or {}).get("bytes")
    if isinstance(reported, int) and reported != size:
        raise GateRefused(f"{path} has {size:,} bytes, not the {reported:,} that passed validation: "
                          "it changed after it was validated; validate it again")
    require_same_bytes(sha, sha256_file(path), path)
    return size


def _upload_and_verify(plan: _Plan, request: SubmitRequest, stored: S3Source, sha: str, size: int,
                       say: Notify) -> None:
    where = f"s3://{plan.bucket}/{plan.key}"
    client = make_client(plan.endpoint, plan.credentials, max_attempts=1)  # Uploader retries itself
    uploader = Uploader(client, endpoint=plan.endpoint, bucket=plan.bucket, key=plan.key, notify=say)
    say(f"uploading {plan.local_path} to {where} ({size:,} bytes)")
    try:
        result = uploader.upload(plan.local_path or "", size, passed_sha256=sha, part_size=request.part_size)
    except OSError as exc:
        raise SourceError(f"cannot read {plan.local_path}: {exc.strerror or exc}") from None
    try:
        require_same_bytes(sha, result.sha256, f"{plan.local_path} (as read during the upload)")
        verify_stored(stored, passed_sha256=sha, size=result.size, require_metadata=True)
    except GateRefused as exc:
        raise GateRefused(f"{exc}; {uploader.delete()}") from None
    say(f"verified {where}: {result.size:,} bytes in {result.parts} part(s), sha256 {sha[:12]}… as validated")


def _already(entry: Mapping[str, Any], plan: _Plan, sha: str, say: Notify) -> SubmitOutcome:
    if entry.get("state") == CREATED:
        say(f"task {entry.get('task_id')} was already created for this dataset and these parameters "
            f"({entry.get('updated_at')}); not creating another (--force would)")
        return SubmitOutcome("existing", plan.bucket, plan.key, sha, str(entry.get("task_id")),
                             entry.get("status"), entry.get("request_id"))
    raise PendingSubmission(
        f"an earlier submit of this dataset and these parameters (request id {entry.get('request_id')}, "
        f"{entry.get('updated_at')}) got no answer, so the task may exist: check the CLOVA Studio console, "
        "then re-run with --force only if it does not")


def run_validation(source: str, *, task: str, endpoint_url: str | None = None,
                   validator: Callable[..., Any] | None = None) -> dict[str, Any]:
    """``gx_clova.validation.validate(source, task=...)`` as the JSON report's dict."""
    if validator is None:
        try:
            from gx_clova.validation import validate as validator
        except ImportError as exc:
            raise SubmitError(f"the gx-clova validator could not be loaded ({exc.name or exc})") from None
    extra = {"endpoint_url": endpoint_url} if endpoint_url and source.startswith("s3://") else {}
    report = validator(source, task=task, **extra)
    data = report.to_dict() if hasattr(report, "to_dict") else report
    if not isinstance(data, Mapping):
        raise SubmitError("the validator returned no report")
    data = dict(data)
    if getattr(report, "success", data.get("success")) is not True:
        data["success"] = False
    return data
