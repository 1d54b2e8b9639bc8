"""The submitter wired to the real ``gx_clova.validation.validate`` (Great Expectations included)."""

from __future__ import annotations

import hashlib
import sys

import pytest

ARGS = ("--name", "faq-tuning", "--model", "HCX-003")


@pytest.fixture(autouse=True)
def real_validator(monkeypatch):
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")
    monkeypatch.delitem(sys.modules, "gx_clova.validation")
    import gx_clova.validation

    assert hasattr(gx_clova.validation, "validate_dataset")  # the real module, not the stand-in
    return gx_clova.validation


def test_a_valid_local_file_is_launched(gx_clova, studio, bucket, dataset):
    run = gx_clova("submit", dataset, *ARGS, "--bucket", bucket)
    assert run.returncode == 0, run.stderr
    [task] = studio.tasks.values()
    assert task.dataset_sha256 == hashlib.sha256(dataset.read_bytes()).hexdigest()


def test_an_object_is_validated_in_place_through_the_given_endpoint(gx_clova, storage, studio, bucket, dataset,
                                                                     monkeypatch):
    storage.put(bucket, "train.csv", dataset.read_bytes())
    monkeypatch.delenv("GX_CLOVA_ENDPOINT_URL")  # only --endpoint-url says where Object Storage is
    run = gx_clova("submit", f"s3://{bucket}/train.csv", *ARGS, "--endpoint-url", storage.endpoint)
    assert run.returncode == 0, run.stderr
    assert len(studio.tasks) == 1 and storage.requests("PUT") == []
    gets = storage.requests("GET")
    assert all(r.query == {} for r in gets)  # objects read by key, never listed
    ours = [r for r in gets if studio.user_agent not in r.headers.get("user-agent", "")]
    assert len(ours) == 2  # the validation read and the verification read; the third is CLOVA Studio's


def test_a_dataset_the_validator_fails_is_not_uploaded(gx_clova, storage, studio, bucket, tmp_path, make_dataset):
    small = make_dataset(tmp_path / "small.csv", rows=50)
    run = gx_clova("submit", small, *ARGS, "--bucket", bucket)
    assert run.returncode == 1
    assert "the dataset failed validation: rows.too-few (" in run.stderr
    assert storage.requests() == [] and studio.tasks == {}
