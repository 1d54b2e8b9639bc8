"""`--engine spark` on an ``s3://`` object: the executors read their own byte ranges with ranged
GetObject requests (pinned to the ETag) from the NCP-like server, and the report equals the
pandas engine's on the same bytes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from gx_clova.spark import ranges as spark_ranges
from gx_clova.validation import validate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from test_spark_ranges import _dataset, _failures

pytestmark = pytest.mark.spark


def test_executors_read_byte_ranges_of_the_object(storage, bucket, spark, tmp_path, monkeypatch):
    data = _dataset("\r\n", bom=True)
    storage.put(bucket, "datasets/train.csv", data)
    local = tmp_path / "train.csv"
    local.write_bytes(data)
    monkeypatch.setenv(spark_ranges.RANGE_ENV, "1000")
    report = validate(f"s3://{bucket}/datasets/train.csv", engine="spark", spark=spark)
    expected = validate(str(local))
    ranges_used = -(-len(data) // 1000)
    assert report.extra["reader"].startswith(f"parallel ranges ({ranges_used} ranges")
    assert report.to_dict()["source"]["sha256"] == expected.to_dict()["source"]["sha256"]
    assert report.rows == expected.rows == 110
    assert _failures(report) == _failures(expected)
    ranged = [r for r in storage.requests(method="GET") if "range" in r.headers]
    spans = {r.headers["range"] for r in ranged}
    # pass 1: every range plus one byte of look-ahead; pass 2: chunks of whole records
    assert {f"bytes={s}-{min(s + 1000, len(data) - 1)}" for s in range(0, len(data), 1000)} <= spans
    assert all(re.fullmatch(r"bytes=\d+-\d+", s) for s in spans)
    assert all(r.headers.get("if-match") for r in ranged), "every range is pinned to the object's ETag"
    assert not storage.requests(parameter="list-type")


def test_a_missing_object_is_exit_3_before_any_range(storage, bucket, spark):
    from gx_clova.sources import SourceError

    with pytest.raises(SourceError, match="does not exist"):
        validate(f"s3://{bucket}/nope.csv", engine="spark", spark=spark)
