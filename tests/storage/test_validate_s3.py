"""`gx-clova validate s3://…` and `gx-clova checkpoint … s3://…` against the NCP-like S3 server."""

from __future__ import annotations

import json
import os

import pytest
from cli_inprocess import Ran, run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BROKEN = os.path.join(ROOT, "examples", "broken.csv")


def cli(*args: str) -> Ran:
    """In this process: the fixtures put the fake endpoint and keys in os.environ."""
    return run_cli(*args)


def local_report() -> dict:
    return json.loads(cli("validate", BROKEN, "--format", "json").stdout)


def test_validate_object_gives_the_same_report_as_the_local_file(storage, bucket):
    with open(BROKEN, "rb") as handle:
        storage.put(bucket, "datasets/broken.csv", handle.read())
    result = cli("validate", f"s3://{bucket}/datasets/broken.csv", "--format", "json")
    assert result.returncode == 1, result.stderr
    remote = json.loads(result.stdout)
    local = local_report()
    assert remote["source"]["uri"] == f"s3://{bucket}/datasets/broken.csv"
    assert remote["source"]["sha256"] == local["source"]["sha256"]
    assert remote["source"]["bytes"] == local["source"]["bytes"]
    assert [(f["code"], f["lines"]) for f in remote["failures"]] == [(f["code"], f["lines"]) for f in local["failures"]]
    # Read by key only: never a listing (NCP has no ListObjectsV2).
    assert not storage.requests(parameter="list-type")


def test_a_passing_object_exits_0(storage, bucket):
    with open(os.path.join(ROOT, "examples", "classification.csv"), "rb") as handle:
        storage.put(bucket, "c.csv", handle.read())
    result = cli("validate", f"s3://{bucket}/c.csv", "--task", "classification")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PASSED")


def test_missing_object_and_unreachable_storage_exit_3(storage, bucket):
    missing = cli("validate", f"s3://{bucket}/nope.csv")
    assert missing.returncode == 3
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    unreachable = cli("validate", f"s3://{bucket}/x.csv", "--endpoint-url", "http://127.0.0.1:9")
    assert unreachable.returncode == 3
    assert "unreachable" in unreachable.stderr and "Traceback" not in unreachable.stderr
    for output in (missing.stdout + missing.stderr, unreachable.stdout + unreachable.stderr):
        assert os.environ["NCP_SECRET_KEY"] not in output


def test_project_checkpoint_on_an_object(storage, bucket):
    with open(BROKEN, "rb") as handle:
        storage.put(bucket, "broken.csv", handle.read())
    result = cli("checkpoint", "clova_generation_object_storage", f"s3://{bucket}/broken.csv", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["checkpoint"] == "clova_generation_object_storage"
    assert report["source"]["uri"] == f"s3://{bucket}/broken.csv"
    assert dict((f["code"], f["lines"]) for f in report["failures"])["row.too-long"] == [39]


@pytest.mark.spark
def test_spark_engine_validates_the_object_with_the_same_lines(spark, storage, bucket):
    with open(BROKEN, "rb") as handle:
        storage.put(bucket, "datasets/broken.csv", handle.read())
    result = cli("validate", f"s3://{bucket}/datasets/broken.csv", "--engine", "spark", "--format", "json")
    assert result.returncode == 1, result.stderr
    remote = json.loads(result.stdout)
    local = local_report()
    assert remote["engine"] == "spark"
    assert remote["source"]["sha256"] == local["source"]["sha256"]
    assert [(f["code"], f["lines"]) for f in remote["failures"]] == [(f["code"], f["lines"]) for f in local["failures"]]
    assert not storage.requests(parameter="list-type")
