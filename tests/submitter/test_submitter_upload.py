"""Uploads through the NCP-like proxy: part sizes, retries, aborts, verification."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gx_clova.sources import SourceError
from gx_clova.storage import S3Source, make_client
from gx_clova.submitter.errors import GateRefused, UploadError
from gx_clova.submitter.upload import (MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, MiB, Uploader,
                                       choose_part_size, sha256_file, verify_stored)


@given(st.integers(min_value=0, max_value=1_000_000_000_000), st.integers(min_value=5, max_value=5120))
def test_part_size_always_fits_ncp_limits(size, preferred_mib):
    part = choose_part_size(size, preferred_mib * MiB)
    assert MIN_PART_SIZE <= part <= MAX_PART_SIZE
    assert -(-size // part) <= MAX_PARTS
    assert part % MiB == 0


@pytest.mark.parametrize("preferred", [4 * MiB, 5 * 1024 * MiB + 1])
def test_part_size_outside_ncp_limits_is_refused(preferred):
    with pytest.raises(ValueError, match="5 MiB to 5 GiB"):
        choose_part_size(100, preferred)


def test_more_than_ten_thousand_five_gib_parts_cannot_be_uploaded():
    with pytest.raises(ValueError, match="do not fit"):
        choose_part_size(MAX_PARTS * MAX_PART_SIZE + 1)


def uploader(storage, bucket, key="big.csv", notify=None):
    client = make_client(storage.endpoint, max_attempts=1)
    return Uploader(client, endpoint=storage.endpoint, bucket=bucket, key=key, notify=notify)


def upload(storage, bucket, path, notify=None):
    sha = sha256_file(str(path))
    result = uploader(storage, bucket, notify=notify).upload(str(path), path.stat().st_size,
                                                            passed_sha256=sha, part_size=5 * MiB)
    return sha, result


def part_requests(storage, number):
    return [r for r in storage.requests("PUT", "partNumber") if r.query["partNumber"] == [str(number)]]


def test_multipart_upload_in_three_parts_with_sha256_metadata(storage, bucket, big_dataset):
    sha, result = upload(storage, bucket, big_dataset)
    assert (result.parts, result.part_size, result.sha256) == (3, 5 * MiB, sha)
    assert hashlib.sha256(storage.get(bucket, "big.csv")).hexdigest() == sha
    assert storage.admin.head_object(Bucket=bucket, Key="big.csv")["Metadata"] == {"sha256": sha}
    assert [r.query["partNumber"] for r in storage.requests("PUT", "partNumber")] == [["1"], ["2"], ["3"]]
    assert all("content-md5" in r.headers for r in storage.requests("PUT", "partNumber"))
    assert storage.incomplete_uploads(bucket) == []


def test_small_file_is_one_put(storage, bucket, dataset):
    sha, result = upload(storage, bucket, dataset)
    assert result.parts == 1
    assert [r.method for r in storage.requests()] == ["PUT"]
    assert storage.admin.head_object(Bucket=bucket, Key="big.csv")["Metadata"] == {"sha256": sha}


@pytest.mark.parametrize(
    "fault",
    [
        {"action": "drop"},
        {"action": "status", "status": 500, "code": "InternalError"},
        {"action": "status", "status": 503, "code": "SlowDown"},
        {"action": "status", "status": 429, "code": "SlowDown"},
    ],
    ids=["connection-dropped-mid-part", "500", "503-slowdown", "429-slowdown"],
)
def test_a_failed_part_is_retried(storage, bucket, big_dataset, fault):
    storage.proxy.add_fault(lambda r: r.has("partNumber", "2"), **fault)
    notices = []
    sha, result = upload(storage, bucket, big_dataset, notify=notices.append)
    assert result.sha256 == sha
    assert len(part_requests(storage, 2)) == 2
    assert hashlib.sha256(storage.get(bucket, "big.csv")).hexdigest() == sha
    assert len(notices) == 1 and notices[0].startswith(f"part 2 of 3 of s3://{bucket}/big.csv failed (")
    assert storage.incomplete_uploads(bucket) == []


def test_a_part_that_times_out_is_retried(storage, bucket, big_dataset):
    storage.proxy.add_fault(lambda r: r.has("partNumber", "2"), action="delay", delay=1.5)
    client = make_client(storage.endpoint, max_attempts=1, read_timeout=0.5)
    notices = []
    sha = sha256_file(str(big_dataset))
    result = Uploader(client, endpoint=storage.endpoint, bucket=bucket, key="big.csv", notify=notices.append).upload(
        str(big_dataset), big_dataset.stat().st_size, passed_sha256=sha, part_size=5 * MiB)
    assert result.sha256 == sha
    assert [n.split(" failed ")[0] for n in notices] == [f"part 2 of 3 of s3://{bucket}/big.csv"], notices
    assert hashlib.sha256(storage.get(bucket, "big.csv")).hexdigest() == sha


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"action": "drop"}, "connection to Object Storage at {endpoint} failed"),
        ({"action": "status", "status": 503, "code": "SlowDown"}, "kept failing (SlowDown, HTTP 503)"),
        ({"action": "status", "status": 403, "code": "AccessDenied"}, "access denied to s3://{bucket}/big.csv"),
    ],
    ids=["dropped", "503", "access-denied"],
)
def test_a_part_that_keeps_failing_aborts_the_upload(storage, bucket, big_dataset, fault, reason):
    storage.proxy.add_fault(lambda r: r.has("partNumber", "2"), times=-1, **fault)
    with pytest.raises(UploadError) as caught:
        upload(storage, bucket, big_dataset)
    message = str(caught.value)
    assert message.startswith(f"upload of s3://{bucket}/big.csv failed at part 2 of 3: ")
    assert reason.format(endpoint=storage.endpoint, bucket=bucket) in message
    assert message.endswith("the incomplete multipart upload was aborted")
    assert storage.incomplete_uploads(bucket) == []
    assert storage.keys(bucket) == []
    assert len(storage.requests("DELETE", "uploadId")) == 1


def test_an_abort_that_fails_tells_how_to_abort_by_hand(storage, bucket, big_dataset):
    storage.proxy.add_fault(lambda r: r.has("partNumber", "3"), status=500, code="InternalError", times=-1)
    storage.proxy.add_fault(lambda r: r.method == "DELETE", status=503, code="SlowDown", times=-1)
    with pytest.raises(UploadError) as caught:
        upload(storage, bucket, big_dataset)
    [pending] = storage.incomplete_uploads(bucket)
    assert f"could NOT be aborted and is billed until it is: abort upload id {pending['UploadId']}" in str(caught.value)
    storage.admin.abort_multipart_upload(Bucket=bucket, Key="big.csv", UploadId=pending["UploadId"])


def test_a_lost_complete_answer_is_settled_by_verification(storage, bucket, big_dataset):
    cut = storage.proxy.add_fault(lambda r: r.method == "POST" and r.has("uploadId"), action="cut")
    sha, result = upload(storage, bucket, big_dataset)
    assert cut.hits == 1  # the answer to CompleteMultipartUpload really was lost
    assert verify_stored(S3Source(bucket, "big.csv"), passed_sha256=sha, size=result.size,
                         require_metadata=True) == result.size == big_dataset.stat().st_size
    assert hashlib.sha256(storage.get(bucket, "big.csv")).hexdigest() == sha
    assert storage.incomplete_uploads(bucket) == []


def test_verification_passes_for_the_uploaded_bytes(storage, bucket, big_dataset):
    sha, result = upload(storage, bucket, big_dataset)
    assert verify_stored(S3Source(bucket, "big.csv"), passed_sha256=sha, size=result.size,
                         require_metadata=True) == result.size


@pytest.mark.parametrize(
    ("replacement", "metadata", "message"),
    [
        (b"short", {"sha256": "0" * 64}, "holds 5 bytes, not the 18,056 that were uploaded"),
        (None, {}, "lacks the sha256 metadata written by the upload"),
        (None, {"sha256": "f" * 64}, "carries sha256 metadata ffffffffffff…"),
        (b"x", None, "is not the dataset that passed validation"),
    ],
    ids=["size", "no-metadata", "other-metadata", "other-bytes"],
)
def test_verification_catches_a_replaced_object(storage, bucket, dataset, replacement, metadata, message):
    data = dataset.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    stored = replacement if replacement is not None else data
    if replacement == b"x":
        stored = data[:-1] + b"x"
        metadata = {"sha256": sha}
    storage.put(bucket, "train.csv", stored, Metadata=metadata)
    with pytest.raises(GateRefused, match=message.replace("(", r"\(")):
        verify_stored(S3Source(bucket, "train.csv"), passed_sha256=sha, size=len(data), require_metadata=True)


def test_verification_of_a_missing_object_is_a_source_error(storage, bucket):
    with pytest.raises(SourceError, match="does not exist"):
        verify_stored(S3Source(bucket, "gone.csv"), passed_sha256="0" * 64)
