"""NAVER Cloud Object Storage (S3-compatible) through boto3, set up the way NCP needs it.

What is different from plain AWS S3 (docs/object-storage-and-submit.md), and how this module deals with it:

- the endpoint is NCP's: ``--endpoint-url`` / ``GX_CLOVA_ENDPOINT_URL``, default kr-standard;
  the SigV4 region name comes from :data:`REGIONS`; addressing is path-style;
- ListObjectsV2 does not exist there: nothing here lists; objects are read by key
  (HeadObject, GetObject);
- boto3 ≥ 1.36 adds flexible checksums that NCP answers with ``AccessDenied``: the client is
  built with ``request_checksum_calculation`` / ``response_checksum_validation`` set to
  ``"when_required"``;
- credentials: ``NCP_ACCESS_KEY`` + ``NCP_SECRET_KEY`` when both are set, otherwise the standard
  AWS chain (environment, shared credentials/config files, ``AWS_PROFILE``) without the
  EC2/container metadata look-ups, which cannot succeed on NCP and would only add delay.

Every failure is a :class:`gx_clova.sources.SourceError` whose message says what went wrong
(missing key, wrong bucket, access denied, unreachable endpoint) and never holds a secret.
"""

from __future__ import annotations

import functools
import io
import os
import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import botocore.session
import urllib3.exceptions
from botocore import exceptions as boto_errors
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

from gx_clova import redact
from gx_clova.errors import SourceError

ENDPOINT_ENV = "GX_CLOVA_ENDPOINT_URL"
DEFAULT_ENDPOINT = "https://kr.object.ncloudstorage.com"

#: NCP Object Storage hosts and the region names their SigV4 signatures use.
REGIONS: dict[str, str] = {
    "kr.object.ncloudstorage.com": "kr-standard",
    "us.object.ncloudstorage.com": "us-standard",
    "sg.object.ncloudstorage.com": "sg-standard",
    "de.object.ncloudstorage.com": "de-standard",
    "jp.object.ncpstorage.com": "jp-standard",
    "kr.object.fin-ncloudstorage.com": "fin-standard",
    "kr.object.gov-ncloudstorage.com": "gov-standard",
    "krs.object.gov-ncloudstorage.com": "gov2-standard",
}
#: Region name for endpoints not in the table (a local S3 server, a proxy).
FALLBACK_REGION = "kr-standard"

#: Seconds to wait for a TCP connection; short, so an unreachable endpoint fails fast.
CONNECT_TIMEOUT = 5.0
#: Seconds to wait for bytes once connected.
READ_TIMEOUT = 60.0
#: botocore's own attempts per request, the first included (standard mode: 5xx, throttling, connection).
MAX_ATTEMPTS = 3

_ACCESS_DENIED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
                  "ExpiredToken", "AllAccessDisabled", "403"}
_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` → ``(bucket, key)``. Raises SourceError when either part is missing.

    >>> parse_s3_uri("s3://datasets/tuning/train.csv")
    ('datasets', 'tuning/train.csv')
    """
    if not uri.startswith("s3://"):
        raise SourceError(f"not an Object Storage URI: {uri!r} (expected s3://bucket/key)")
    bucket, _, key = uri[len("s3://"):].partition("/")
    if not bucket or not key or key.endswith("/"):
        raise SourceError(f"not an object URI: {uri!r} (expected s3://bucket/key, key naming a file)")
    return bucket, key


def resolve_endpoint(endpoint_url: str | None = None) -> str:
    """The endpoint to use: the argument, else ``GX_CLOVA_ENDPOINT_URL``, else kr-standard."""
    endpoint = (endpoint_url or os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT).rstrip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"not an endpoint URL: {endpoint!r} (expected https://host)")
    if parts.username or parts.password:
        raise SourceError("the endpoint URL must not carry credentials; use NCP_ACCESS_KEY/NCP_SECRET_KEY")
    return endpoint


def region_for(endpoint_url: str) -> str:
    """The region name NCP expects in signatures for ``endpoint_url``."""
    return REGIONS.get(urlsplit(endpoint_url).hostname or "", FALLBACK_REGION)


def endpoint_host(endpoint_url: str) -> str:
    """The endpoint's public domain (``host[:port]``), as CLOVA Studio's ``trainingDatasetUri`` wants it."""
    return urlsplit(endpoint_url).netloc


@dataclass(frozen=True)
class Credentials:
    """An access key pair. Its repr never shows the keys."""

    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    #: Where they came from, for messages ("NCP_ACCESS_KEY", "env", "shared-credentials-file", …).
    origin: str = "explicit"

    def __post_init__(self) -> None:
        redact.register(self.access_key, self.secret_key, self.session_token)


def resolve_credentials(profile: str | None = None) -> Credentials:
    """``NCP_ACCESS_KEY``/``NCP_SECRET_KEY`` if both are set, else the AWS chain. Raises SourceError."""
    ncp_access, ncp_secret = os.environ.get("NCP_ACCESS_KEY"), os.environ.get("NCP_SECRET_KEY")
    if ncp_access and ncp_secret:
        return Credentials(ncp_access, ncp_secret, origin="NCP_ACCESS_KEY/NCP_SECRET_KEY")
    if bool(ncp_access) != bool(ncp_secret):
        missing = "NCP_SECRET_KEY" if ncp_access else "NCP_ACCESS_KEY"
        raise SourceError(f"{missing} is not set (NCP_ACCESS_KEY and NCP_SECRET_KEY go together)")
    try:
        session = botocore.session.Session(profile=profile)
        resolver = session.get_component("credential_provider")
        for metadata_provider in ("container-role", "iam-role"):
            resolver.remove(metadata_provider)
        found = session.get_credentials()
    except ProfileNotFound as exc:
        raise SourceError(f"no such credentials profile: {exc.kwargs.get('profile')!r}") from None
    except BotoCoreError as exc:
        raise SourceError(redact.redact(f"could not load credentials: {exc}")) from None
    if found is None:
        raise SourceError(
            "no Object Storage credentials: set NCP_ACCESS_KEY and NCP_SECRET_KEY "
            "(or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a profile with AWS_PROFILE)"
        )
    frozen = found.get_frozen_credentials()
    return Credentials(frozen.access_key, frozen.secret_key, frozen.token, origin=found.method)


def client_config(*, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                  max_attempts: int = MAX_ATTEMPTS) -> Config:
    """The botocore configuration NCP needs (see the module docstring)."""
    return Config(
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    )


_client_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _client_session() -> botocore.session.Session:
    """One botocore session for every client: the S3 model is loaded once (it takes ~0.3 s)."""
    return botocore.session.Session()


def make_client(endpoint_url: str | None = None, credentials: Credentials | None = None, *,
                profile: str | None = None, **config: Any) -> Any:
    """An S3 client for NCP Object Storage. ``config`` goes to :func:`client_config`."""
    endpoint = resolve_endpoint(endpoint_url)
    creds = credentials or resolve_credentials(profile)
    try:
        with _client_lock:
            return _client_session().create_client(
                "s3",
                endpoint_url=endpoint,
                region_name=region_for(endpoint),
                aws_access_key_id=creds.access_key,
                aws_secret_access_key=creds.secret_key,
                aws_session_token=creds.session_token,
                config=client_config(**config),
            )
    except BotoCoreError as exc:
        raise SourceError(redact.redact(f"cannot set up the Object Storage client: {exc}")) from None


def error_code(exc: ClientError) -> tuple[str, int]:
    """The S3 error code and HTTP status of a ClientError."""
    response = exc.response or {}
    code = str(response.get("Error", {}).get("Code", "") or "")
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return code or str(status), status


def storage_error(exc: BaseException, *, endpoint: str, bucket: str, key: str | None = None,
                  doing: str = "read") -> SourceError:
    """A SourceError saying, without secrets, why ``doing`` ``s3://bucket/key`` failed."""
    target = f"s3://{bucket}/{key}" if key else f"bucket '{bucket}'"
    if isinstance(exc, ClientError):
        code, status = error_code(exc)
        if code == "NoSuchBucket":
            text = f"bucket '{bucket}' does not exist at {endpoint}"
        elif code in _NOT_FOUND:
            text = f"{target} does not exist (endpoint {endpoint})"
        elif code in _ACCESS_DENIED:
            text = (f"access denied to {target} at {endpoint} ({code}): check the access key pair "
                    "(NCP_ACCESS_KEY/NCP_SECRET_KEY, or the AWS variables or profile) and the "
                    "bucket's policy")
        elif code in ("PreconditionFailed", "412"):
            text = f"{target} changed while it was being read; run again"
        elif status >= 500 or code in ("SlowDown", "Throttling", "TooManyRequests", "429"):
            text = f"Object Storage at {endpoint} kept failing ({code}, HTTP {status}); try again later"
        else:
            text = f"cannot {doing} {target}: Object Storage answered {code} (HTTP {status})"
    elif isinstance(exc, (boto_errors.ConnectTimeoutError, boto_errors.EndpointConnectionError)):
        text = f"Object Storage is unreachable at {endpoint}: could not connect"
    elif isinstance(exc, boto_errors.ReadTimeoutError):
        text = f"Object Storage at {endpoint} did not answer in time while trying to {doing} {target}"
    elif isinstance(exc, boto_errors.NoCredentialsError):
        text = "no Object Storage credentials: set NCP_ACCESS_KEY and NCP_SECRET_KEY"
    elif isinstance(exc, (BotoCoreError, urllib3.exceptions.HTTPError, OSError)):
        text = (f"connection to Object Storage at {endpoint} failed while trying to {doing} {target} "
                f"({type(exc).__name__})")
    else:
        text = f"cannot {doing} {target}: {type(exc).__name__}"
    return SourceError(redact.redact(text))


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    etag: str
    metadata: dict[str, str]


class S3Source:
    """A dataset on Object Storage, read sequentially by key. Satisfies ``sources.Source``.

    The first :meth:`head` or :meth:`open` pins the object's ETag; later opens send
    ``If-Match`` with it, so a reader that opens twice never mixes two versions of the file.
    """

    def __init__(self, bucket: str, key: str, *, endpoint_url: str | None = None,
                 credentials: Credentials | None = None, profile: str | None = None,
                 client: Any = None, **config: Any) -> None:
        self.bucket, self.key = bucket, key
        self.endpoint = resolve_endpoint(endpoint_url)
        self._credentials, self._profile, self._client, self._config = credentials, profile, client, config
        self.etag: str | None = None

    @classmethod
    def from_uri(cls, uri: str, **options: Any) -> S3Source:
        bucket, key = parse_s3_uri(uri)
        return cls(bucket, key, **options)

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    @property
    def name(self) -> str:
        return self.key.rsplit("/", 1)[-1]

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(self.endpoint, self._credentials, profile=self._profile, **self._config)
        return self._client

    def head(self) -> ObjectInfo:
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=self.key)
        except ClientError as exc:
            raise self._explain_head_failure(exc) from None
        except (BotoCoreError, OSError) as exc:
            raise storage_error(exc, endpoint=self.endpoint, bucket=self.bucket, key=self.key) from None
        info = ObjectInfo(int(answer["ContentLength"]), answer.get("ETag", ""), dict(answer.get("Metadata") or {}))
        self.etag = self.etag or info.etag
        return info

    def size(self) -> int:
        return self.head().size

    def open(self) -> BinaryIO:
        """A buffered stream over the GetObject body: read in pieces, never whole."""
        request: dict[str, str] = {"Bucket": self.bucket, "Key": self.key}
        if self.etag:
            request["IfMatch"] = self.etag
        try:
            answer = self.client.get_object(**request)
        except (BotoCoreError, ClientError, OSError) as exc:
            raise storage_error(exc, endpoint=self.endpoint, bucket=self.bucket, key=self.key) from None
        self.etag = self.etag or answer.get("ETag")
        raw = _BodyStream(answer["Body"], self)
        return io.BufferedReader(raw, buffer_size=1 << 20)  # type: ignore[return-value]

    def _explain_head_failure(self, exc: ClientError) -> SourceError:
        """HeadObject has no body, so a 404 does not say whether the bucket or the key is missing."""
        code, _ = error_code(exc)
        if code in _NOT_FOUND:
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as bucket_exc:
                if error_code(bucket_exc)[0] in _NOT_FOUND | {"NoSuchBucket"}:
                    exc = ClientError({"Error": {"Code": "NoSuchBucket"}}, "HeadBucket")
            except (BotoCoreError, OSError):
                pass
        return storage_error(exc, endpoint=self.endpoint, bucket=self.bucket, key=self.key)

    def __repr__(self) -> str:
        return f"S3Source({self.uri!r}, endpoint={self.endpoint!r})"


class _BodyStream(io.RawIOBase):
    """The GetObject body as a raw stream whose read errors are SourceErrors."""

    def __init__(self, body: Any, source: S3Source) -> None:
        self._body, self._source, self._position = body, source, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._body.read(len(buffer))
        except (BotoCoreError, urllib3.exceptions.HTTPError, OSError) as exc:
            raise storage_error(exc, endpoint=self._source.endpoint, bucket=self._source.bucket,
                                key=self._source.key) from None
        size = len(data)
        buffer[:size] = data
        self._position += size
        return size

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()
