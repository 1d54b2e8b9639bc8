"""`gx-clova fix s3://…`: the object is read by key, fixed into a local file, and never written."""

from __future__ import annotations

import os

from cli_inprocess import Ran, run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BROKEN = os.path.join(ROOT, "examples", "broken.csv")


def cli(*args: str) -> Ran:
    """In this process: the fixtures put the fake endpoint and keys in os.environ."""
    return run_cli(*args)


def test_fix_an_object_into_a_local_file(storage, bucket, tmp_path):
    with open(BROKEN, "rb") as handle:
        data = handle.read()
    storage.put(bucket, "datasets/broken.csv", data)
    fixed = tmp_path / "fixed.csv"
    result = cli("fix", f"s3://{bucket}/datasets/broken.csv", "--output", str(fixed),
                 "--rejects", str(tmp_path / "rejects.jsonl"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"s3://{bucket}/datasets/broken.csv" in result.stdout
    assert cli("validate", str(fixed)).returncode == 0
    assert storage.get(bucket, "datasets/broken.csv") == data
    assert storage.keys(bucket) == ["datasets/broken.csv"]
    assert [r.method for r in storage.requests() if r.method not in ("GET", "HEAD")] == []
    assert not storage.requests(parameter="list-type")


def test_fix_a_missing_object_exits_3(storage, bucket, tmp_path):
    result = cli("fix", f"s3://{bucket}/nope.csv", "--output", str(tmp_path / "fixed.csv"))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and os.environ["NCP_SECRET_KEY"] not in result.stderr
    assert not (tmp_path / "fixed.csv").exists()
