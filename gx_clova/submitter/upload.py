"""Upload a dataset to Object Storage and prove what was stored.

- Files up to one part are sent with one PutObject; larger ones with a multipart upload whose
  part size respects NCP's limits (5 MiB–5 GiB, at most 10,000 parts), chosen from the size.
- Each request is retried with exponential back-off on 5xx, throttling (429, SlowDown) and
  connection errors; a multipart upload that fails anyway is aborted (incomplete uploads are
  billed), and the user is told how to abort it by hand if even that fails.
- The SHA-256 of the bytes actually read and sent is computed while sending; the hash that
  passed validation is stored as object metadata (``x-amz-meta-sha256``). Verification then
  checks HeadObject's size and metadata and re-reads the stored object, streaming, to hash it:
  the only end-to-end proof that does not rely on how the server builds ETags (multipart ETags
  are not content hashes, and NCP does not document its scheme). Each part also carries
  Content-MD5, so a part damaged in transit is refused by the server at once.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable

import urllib3.exceptions
from botocore import exceptions as boto_errors
from botocore.exceptions import ClientError

from gx_clova.errors import SourceError
from gx_clova.storage import S3Source, error_code, storage_error
from gx_clova.submitter import backoff
from gx_clova.submitter.errors import GateRefused, UploadError
from gx_clova.submitter.gate import require_same_bytes

log = logging.getLogger(__name__)

MiB = 1 << 20
GiB = 1 << 30
MIN_PART_SIZE = 5 * MiB
MAX_PART_SIZE = 5 * GiB
MAX_PARTS = 10_000
DEFAULT_PART_SIZE = 16 * MiB
#: Object metadata key holding the SHA-256 that passed validation (``x-amz-meta-sha256``).
METADATA_KEY = "sha256"
_READ_CHUNK = 1 * MiB
_THROTTLING = {"SlowDown", "Throttling", "ThrottlingException", "TooManyRequests", "RequestTimeout",
               "InternalError", "ServiceUnavailable", "RequestLimitExceeded"}


def choose_part_size(size: int, preferred: int | None = None) -> int:
    """Part size for ``size`` bytes: ``preferred`` (default 16 MiB), raised to fit 10,000 parts.

    >>> choose_part_size(11 * MiB, 5 * MiB) // MiB
    5
    >>> choose_part_size(1_000_000_000_000) // MiB   # 1 TB, the dataset limit
    96
    """
    preferred = DEFAULT_PART_SIZE if preferred is None else preferred
    if not MIN_PART_SIZE <= preferred <= MAX_PART_SIZE:
        raise ValueError(f"part size must be from 5 MiB to 5 GiB (got {preferred:,} bytes)")
    needed = -(-size // MAX_PARTS)
    part = max(preferred, -(-needed // MiB) * MiB)
    if part > MAX_PART_SIZE:
        raise ValueError(f"{size:,} bytes do not fit in {MAX_PARTS:,} parts of at most 5 GiB")
    return part


def is_retryable(exc: BaseException) -> bool:
    """5xx, throttling and connection failures are worth another attempt; the rest are not."""
    if isinstance(exc, ClientError):
        code, status = error_code(exc)
        return status >= 500 or status == 429 or code in _THROTTLING
    return isinstance(exc, (boto_errors.ConnectionError, boto_errors.HTTPClientError,
                            urllib3.exceptions.HTTPError, ConnectionError, TimeoutError))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        code, status = error_code(exc)
        return f"{code}, HTTP {status}"
    return type(exc).__name__


def hash_stream(stream: BinaryIO) -> tuple[int, str]:
    """(bytes, SHA-256 hex) of everything ``stream`` yields, read in 1 MiB pieces, then closed."""
    digest, size = hashlib.sha256(), 0
    with stream:
        while chunk := stream.read(_READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def sha256_file(path: str) -> str:
    try:
        return hash_stream(open(path, "rb"))[1]
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class UploadResult:
    size: int
    #: SHA-256 of the bytes read from the file and sent.
    sha256: str
    parts: int
    part_size: int


class Uploader:
    """Uploads one file to ``bucket``/``key`` with a client that does not retry on its own."""

    def __init__(self, client: Any, *, endpoint: str, bucket: str, key: str,
                 policy: backoff.RetryPolicy | None = None, notify: Callable[[str], None] | None = None) -> None:
        self.client, self.endpoint, self.bucket, self.key = client, endpoint, bucket, key
        self.policy, self.notify = policy, notify

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    def _retry(self, call: Callable[[], Any], what: str) -> Any:
        return backoff.with_retries(call, retryable=is_retryable, what=what, policy=self.policy,
                                    notify=self.notify, describe=_describe)

    def _failure(self, exc: BaseException, doing: str) -> str:
        return str(storage_error(exc, endpoint=self.endpoint, bucket=self.bucket, key=self.key, doing=doing))

    def upload(self, path: str, size: int, *, passed_sha256: str, part_size: int | None = None) -> UploadResult:
        part = choose_part_size(size, part_size)
        with open(path, "rb") as file:
            if size <= part:
                return self._put(file, passed_sha256, part)
            return self._multipart(file, size, passed_sha256, part)

    def _put(self, file: BinaryIO, passed_sha256: str, part: int) -> UploadResult:
        data = file.read()
        try:
            self._retry(lambda: self.client.put_object(
                Bucket=self.bucket, Key=self.key, Body=data, ContentMD5=_md5(data),
                Metadata={METADATA_KEY: passed_sha256}), f"upload of {self.uri}")
        except Exception as exc:
            raise UploadError(f"upload of {self.uri} failed: {self._failure(exc, 'write')}") from None
        return UploadResult(len(data), hashlib.sha256(data).hexdigest(), 1, part)

    def _multipart(self, file: BinaryIO, size: int, passed_sha256: str, part: int) -> UploadResult:
        count = -(-size // part)
        try:
            created = self._retry(lambda: self.client.create_multipart_upload(
                Bucket=self.bucket, Key=self.key, Metadata={METADATA_KEY: passed_sha256}),
                f"starting the upload of {self.uri}")
        except Exception as exc:
            raise UploadError(f"upload of {self.uri} could not start: {self._failure(exc, 'write')}") from None
        upload_id = created["UploadId"]
        digest, sent, parts = hashlib.sha256(), 0, []
        number = 0
        try:
            while data := file.read(part):
                number += 1
                digest.update(data)
                sent += len(data)
                parts.append({"PartNumber": number, "ETag": self._upload_part(upload_id, number, count, data)})
                log.info("uploaded part %d of %d of %s", number, count, self.uri)
            self._complete(upload_id, parts)
        except Exception as exc:
            where = f"part {number} of {count}" if number else "the start"
            raise UploadError(f"upload of {self.uri} failed at {where}: {self._failure(exc, 'write')}; "
                              f"{self._abort(upload_id)}") from None
        except BaseException:  # Ctrl-C: still abort, then stop
            log.warning("interrupted: %s", self._abort(upload_id))
            raise
        return UploadResult(sent, digest.hexdigest(), len(parts), part)

    def _upload_part(self, upload_id: str, number: int, count: int, data: bytes) -> str:
        checksum = _md5(data)
        answer = self._retry(lambda: self.client.upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=upload_id, PartNumber=number,
            Body=data, ContentMD5=checksum), f"part {number} of {count} of {self.uri}")
        return answer["ETag"]

    def _complete(self, upload_id: str, parts: list[dict]) -> None:
        attempts = 0

        def complete() -> None:
            nonlocal attempts
            attempts += 1
            try:
                self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=self.key, UploadId=upload_id, MultipartUpload={"Parts": parts})
            except ClientError as exc:
                # A retried Complete whose first attempt did succeed: verification decides.
                if attempts > 1 and error_code(exc)[0] == "NoSuchUpload":
                    return
                raise

        self._retry(complete, f"completing the upload of {self.uri}")

    def _abort(self, upload_id: str) -> str:
        try:
            self._retry(lambda: self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self.key, UploadId=upload_id), f"aborting the upload of {self.uri}")
            return "the incomplete multipart upload was aborted"
        except Exception:
            return (f"the incomplete multipart upload could NOT be aborted and is billed until it is: "
                    f"abort upload id {upload_id} of {self.uri} (e.g. aws s3api abort-multipart-upload "
                    f"--endpoint-url {self.endpoint} --bucket {self.bucket} --key {self.key} --upload-id {upload_id})")

    def delete(self) -> str:
        """Remove the object this uploader wrote (it is not the dataset that passed)."""
        try:
            self._retry(lambda: self.client.delete_object(Bucket=self.bucket, Key=self.key),
                        f"deleting {self.uri}")
            return f"the uploaded object {self.uri} was deleted"
        except Exception as exc:
            return (f"the uploaded object {self.uri} could not be deleted ({self._failure(exc, 'delete')}): "
                    "delete it by hand")


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


def verify_stored(source: S3Source, *, passed_sha256: str, size: int | None = None,
                  require_metadata: bool = False) -> int:
    """Prove ``source`` holds the bytes that passed: size, metadata, and a streamed re-read.

    Returns the stored size. GateRefused on any mismatch, SourceError if it cannot be read.
    """
    info = source.head()
    if size is not None and info.size != size:
        raise GateRefused(f"{source.uri} holds {info.size:,} bytes, not the {size:,} that were uploaded")
    recorded = info.metadata.get(METADATA_KEY)
    if recorded is None and require_metadata:
        raise GateRefused(f"{source.uri} lacks the sha256 metadata written by the upload: it was replaced")
    if recorded is not None and recorded.lower() != passed_sha256:
        raise GateRefused(f"{source.uri} carries sha256 metadata {recorded[:12]}…, not the validated "
                          f"{passed_sha256[:12]}…")
    stored_size, actual = hash_stream(source.open())
    require_same_bytes(passed_sha256, actual, source.uri)
    return stored_size
