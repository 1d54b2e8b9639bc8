"""S3Source against a real S3 server behind an NCP-like proxy: reading, streaming, every error."""

from __future__ import annotations

import hashlib
import os
import tracemalloc

import boto3
import pyarrow.csv
import pytest
from botocore.exceptions import ClientError

from gx_clova.sources import SourceError
from gx_clova.storage import Credentials, S3Source

ACCESS_KEY = "NCPTESTACCESS7Q2W9E"
SECRET_KEY = "ncpTestSecret/9x+Zq=Lk2Wm8Rt4Yp6"


def assert_clean(error: BaseException) -> str:
    message = str(error)
    assert ACCESS_KEY not in message and SECRET_KEY not in message
    assert "Traceback" not in message
    return message


def test_size_name_and_content(storage, bucket):
    data = b"C_ID,T_ID,Text,Completion\n0,0,\xec\x95\x88\xeb\x85\x95,hi\n"
    storage.put(bucket, "tuning/train.csv", data)
    source = S3Source.from_uri(f"s3://{bucket}/tuning/train.csv")
    assert (source.uri, source.name) == (f"s3://{bucket}/tuning/train.csv", "train.csv")
    assert source.size() == len(data)
    with source.open() as stream:
        assert stream.read(5) == data[:5]
        assert stream.tell() == 5
        assert stream.read() == data[5:]
        assert stream.read(10) == b""


def test_reading_only_uses_head_and_get_by_key(storage, bucket):
    storage.put(bucket, "a.csv", b"x" * 100)
    source = S3Source(bucket, "a.csv")
    source.size()
    with source.open() as stream:
        stream.read()
    assert [(r.method, r.path) for r in storage.requests()] == [
        ("HEAD", f"/{bucket}/a.csv"), ("GET", f"/{bucket}/a.csv")]
    assert not any(name.startswith("x-amz-checksum") or name == "x-amz-sdk-checksum-algorithm"
                   for request in storage.requests() for name in request.headers)


def test_a_large_object_is_streamed_not_loaded(storage, bucket):
    data = os.urandom(12 * 2**20)
    storage.put(bucket, "big.csv", data)
    source = S3Source(bucket, "big.csv")
    assert source.client is not None  # built outside the measurement: the S3 model alone is megabytes
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        with source.open() as stream:
            while chunk := stream.read(256 * 1024):
                digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert peak < 4 * 2**20, f"peak {peak:,} bytes for a {len(data):,}-byte object"


def test_closing_early_stops_the_download(storage, bucket):
    storage.put(bucket, "big.csv", os.urandom(12 * 2**20))
    stream = S3Source(bucket, "big.csv").open()
    assert len(stream.read(10)) == 10
    stream.close()
    assert stream.closed


def test_pyarrow_reads_csv_from_the_stream(storage, bucket):
    rows = "".join(f'{i},0,"질문 {i}","답변 {i}"\n' for i in range(500))
    storage.put(bucket, "train.csv", ("C_ID,T_ID,Text,Completion\n" + rows).encode())
    with S3Source(bucket, "train.csv").open() as stream:
        table = pyarrow.csv.open_csv(stream, read_options=pyarrow.csv.ReadOptions(block_size=4096)).read_all()
    assert table.num_rows == 500
    assert table.column("Text")[499].as_py() == "질문 499"


def test_a_second_open_never_mixes_versions(storage, bucket):
    storage.put(bucket, "train.csv", b"version one")
    source = S3Source(bucket, "train.csv")
    with source.open() as stream:
        assert stream.read() == b"version one"
    storage.put(bucket, "train.csv", b"version two")
    with pytest.raises(SourceError) as caught:
        source.open()
    assert "changed while it was being read" in assert_clean(caught.value)


def test_missing_key(storage, bucket):
    with pytest.raises(SourceError) as caught:
        S3Source(bucket, "nope/train.csv").size()
    assert assert_clean(caught.value) == (
        f"s3://{bucket}/nope/train.csv does not exist (endpoint {storage.endpoint})")
    with pytest.raises(SourceError, match="does not exist"):
        S3Source(bucket, "nope/train.csv").open()


def test_wrong_bucket(storage):
    for call in (lambda s: s.size(), lambda s: s.open()):
        with pytest.raises(SourceError) as caught:
            call(S3Source("no-such-bucket-zz", "train.csv"))
        assert assert_clean(caught.value) == f"bucket 'no-such-bucket-zz' does not exist at {storage.endpoint}"


@pytest.mark.parametrize(
    ("credentials", "code"),
    [
        (Credentials(ACCESS_KEY, "wrong-secret-for-test"), "SignatureDoesNotMatch"),
        (Credentials("UNKNOWNACCESSKEY0001", SECRET_KEY), "InvalidAccessKeyId"),
    ],
)
def test_bad_credentials(storage, bucket, credentials, code):
    storage.put(bucket, "train.csv", b"data")
    for call in (lambda s: s.size(), lambda s: s.open()):
        with pytest.raises(SourceError) as caught:
            call(S3Source(bucket, "train.csv", credentials=credentials))
        message = assert_clean(caught.value)
        assert message.startswith(f"access denied to s3://{bucket}/train.csv at {storage.endpoint}")
        assert "check the access key pair" in message
        assert "wrong-secret-for-test" not in message
    if code != "SignatureDoesNotMatch":  # HeadObject has no body: the code shows on GetObject only
        assert f"({code})" in message


def test_access_denied_by_bucket_policy(storage, bucket):
    storage.put(bucket, "train.csv", b"data")
    storage.proxy.denied_buckets.add(bucket)
    with pytest.raises(SourceError) as caught:
        S3Source(bucket, "train.csv").open()
    assert "(AccessDenied)" in assert_clean(caught.value)


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_endpoint(storage):
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(SourceError) as caught:
        S3Source("datasets", "train.csv", endpoint_url=endpoint, max_attempts=2).size()
    assert assert_clean(caught.value) == f"Object Storage is unreachable at {endpoint}: could not connect"


def test_read_timeout(storage, bucket):
    storage.put(bucket, "train.csv", b"data")
    storage.proxy.add_fault(lambda r: r.method == "GET", action="delay", delay=2.0)
    source = S3Source(bucket, "train.csv", read_timeout=0.5, max_attempts=1)
    with pytest.raises(SourceError) as caught:
        source.open()
    assert "did not answer in time" in assert_clean(caught.value)


def test_connection_cut_mid_body(storage, bucket):
    storage.put(bucket, "big.csv", os.urandom(6 * 2**20))
    storage.proxy.add_fault(lambda r: r.method == "GET", action="cut")
    with pytest.raises(SourceError) as caught:
        with S3Source(bucket, "big.csv").open() as stream:
            while stream.read(1 << 20):
                pass
    message = assert_clean(caught.value)
    assert message.startswith(f"connection to Object Storage at {storage.endpoint} failed while trying to read "
                              f"s3://{bucket}/big.csv")


def test_transient_503_is_retried(storage, bucket):
    storage.put(bucket, "train.csv", b"data")
    fault = storage.proxy.add_fault(lambda r: r.method == "HEAD", status=503, code="SlowDown")
    assert S3Source(bucket, "train.csv").size() == 4
    assert fault.hits == 1
    assert len(storage.requests("HEAD")) == 2


def test_persistent_throttling_is_reported(storage, bucket):
    storage.put(bucket, "train.csv", b"data")
    storage.proxy.add_fault(lambda r: r.method == "GET", status=503, code="SlowDown", times=-1)
    with pytest.raises(SourceError) as caught:
        S3Source(bucket, "train.csv", max_attempts=2).open()
    assert assert_clean(caught.value) == (
        f"Object Storage at {storage.endpoint} kept failing (SlowDown, HTTP 503); try again later")
    assert len(storage.requests("GET")) == 2


# -- the fake behaves like NCP, which is what makes the tests above mean something ---------------
def test_fake_ncp_refuses_list_objects_v2_but_serves_v1(storage, bucket):
    storage.put(bucket, "a.csv", b"a")
    client = S3Source(bucket, "a.csv").client
    with pytest.raises(ClientError, match="NotImplemented"):
        client.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in client.list_objects(Bucket=bucket)["Contents"]] == ["a.csv"]


def test_fake_ncp_refuses_default_flexible_checksums(storage, bucket):
    default_client = boto3.client("s3", endpoint_url=storage.endpoint, region_name="kr-standard",
                                  aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    with pytest.raises(ClientError, match="AccessDenied"):
        default_client.put_object(Bucket=bucket, Key="a.csv", Body=b"a")
    S3Source(bucket, "a.csv").client.put_object(Bucket=bucket, Key="a.csv", Body=b"a")
    assert storage.get(bucket, "a.csv") == b"a"
