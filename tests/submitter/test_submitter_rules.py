"""The gate, the hyper-parameter checks, the failureReason map and the ledger, without servers."""

from __future__ import annotations

import json

import pytest

from gx_clova.codes import CATALOGUE
from gx_clova.submitter import failures
from gx_clova.submitter.errors import DatasetFailed, GateRefused, SubmitError, UsageError
from gx_clova.submitter.gate import passing_sha256, require_same_bytes
from gx_clova.submitter.ledger import Ledger, ledger_key
from gx_clova.submitter.params import TuningParams, create_body

SHA = "a1" * 32


def report(**changes):
    base = {"success": True, "task": "generation", "rows": 120, "failures": [],
            "source": {"uri": "train.csv", "bytes": 10, "sha256": SHA, "encoding": "utf-8"}}
    return {**base, **changes}


# -- gate ----------------------------------------------------------------------------------------------
def test_a_passing_report_yields_its_hash():
    assert passing_sha256(report(), task="generation") == SHA
    assert passing_sha256(report(source={"sha256": SHA.upper()}), task="generation") == SHA
    warning = {"code": "rows.outside-recommended", "severity": "warning", "count": 1, "lines": []}
    assert passing_sha256(report(failures=[warning]), task="generation") == SHA


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (None, GateRefused, "no validation report"),
        (report(success=False, failures=[{"code": "text.empty", "severity": "error", "count": 3}]), DatasetFailed,
         "the dataset failed validation: text.empty (3 lines); nothing was uploaded and no task was created"),
        (report(success="true"), DatasetFailed, "the dataset failed validation"),
        (report(failures=[{"code": "file.format", "severity": "error", "count": 1}]), GateRefused,
         "the report says success but lists errors (file.format (1 line))"),
        (report(task="classification"), GateRefused, "validated as classification, not generation"),
        (report(source={}), GateRefused, "has no source.sha256"),
        (report(source={"sha256": "not-a-hash"}), GateRefused, "has no source.sha256"),
    ],
)
def test_the_gate_refuses(bad, error, message):
    with pytest.raises(error) as caught:
        passing_sha256(bad, task="generation")
    assert message in str(caught.value)
    assert caught.value.exit_status == 1


def test_many_failures_are_summarised():
    many = [{"code": f"code.{i}", "severity": "error", "count": 1} for i in range(8)]
    with pytest.raises(DatasetFailed, match=r"code\.4 \(1 line\), … and 3 more;"):
        passing_sha256(report(success=False, failures=many), task="generation")


def test_other_bytes_are_refused():
    require_same_bytes(SHA, SHA.upper(), "x")
    expected = r"train.csv is not the dataset that passed validation \(sha256 b2b2b2b2b2b2… ≠ a1a1a1a1a1a1…\)"
    with pytest.raises(GateRefused, match=expected):
        require_same_bytes(SHA, "b2" * 32, "train.csv")


# -- parameters --------------------------------------------------------------------------------------
def test_parameters_are_normalised():
    params = TuningParams(name=" faq ", model="HCX-003", task="classification", epochs="08", learning_rate=" 5E-5 ").checked()
    assert params.api_fields() == {"name": "faq", "model": "HCX-003", "tuningType": "PEFT",
                                   "taskType": "CLASSIFICATION", "trainEpochs": "8", "learningRate": "5E-5"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "--name must not be empty"),
        ({"model": ""}, "--model must be a model name"),
        ({"model": "HCX 003"}, "--model must be a model name"),
        ({"task": "chat"}, "--task must be one of generation, classification"),
        ({"epochs": "21"}, "--epochs must be a whole number from 1 to 20"),
        ({"epochs": "1.5"}, "--epochs must be a whole number from 1 to 20"),
        ({"learning_rate": "0"}, "--learning-rate must be a number from 1e-06 to 1"),
        ({"learning_rate": "-1e-4"}, "--learning-rate"),
        ({"learning_rate": "nan"}, "--learning-rate"),
        ({"learning_rate": "inf"}, "--learning-rate"),
        ({"learning_rate": "1.5"}, "--learning-rate"),
        ({"tuning_type": "FULL"}, "tuningType must be one of PEFT"),
    ],
)
def test_parameters_outside_the_documented_ranges(changes, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(")) as caught:
        TuningParams(**{"name": "faq", "model": "HCX-003", **changes}).checked()
    assert caught.value.exit_status == 2


@pytest.mark.parametrize("epochs", ["1", "20"])
def test_epoch_bounds_are_inclusive(epochs):
    assert TuningParams(name="n", model="HCX-003", epochs=epochs).checked().epochs == epochs


def test_the_create_body_has_every_documented_field():
    body = create_body(TuningParams(name="n", model="HCX-003").checked(), dataset_host="kr.object.ncloudstorage.com",
                       bucket="b", key="k.csv", access_key="AK", secret_key="SK")
    assert set(body) == {"name", "model", "tuningType", "taskType", "trainEpochs", "learningRate",
                         "trainingDatasetUri", "trainingDatasetBucket", "trainingDatasetFilePath",
                         "trainingDatasetAccessKey", "trainingDatasetSecretKey"}
    assert all(isinstance(value, str) for value in body.values())


# -- failureReason → local codes ----------------------------------------------------------------------
def test_every_mapped_code_is_in_the_catalogue():
    mapped = {code for codes in failures.DIRECT.values() for code in codes}
    mapped |= {code for _, codes in failures.FORMAT_MESSAGES for code in codes}
    mapped |= {code for codes in failures.COLUMN_CODES.values() for code in codes}
    assert mapped <= set(CATALOGUE)


@pytest.mark.parametrize(
    ("message", "codes"),
    [
        ("Invalid dataset: required field empty. System_Prompt", ("system_prompt.inconsistent",)),
        ("Invalid dataset: required field empty.", ("header.missing-column", "text.empty", "completion.empty")),
        ("something new", ("file.format",)),
    ],
)
def test_file_format_messages(message, codes):
    assert failures.local_codes_for("file.format", message) == codes


def test_unknown_reasons_are_explained_not_crashed():
    explanation = failures.explain_failure({"failureReason": "quota.exceeded"})
    assert explanation.local_codes == () and "unknown failure reason" in explanation.advice
    assert failures.explain_failure(None).reason == "unknown"


# -- ledger --------------------------------------------------------------------------------------------
def test_ledger_key_depends_on_every_part():
    parts = {"sha256": SHA, "bucket": "b", "key": "k", "params": {"trainEpochs": "8"}, "api_url": "http://x"}
    base = ledger_key(**parts)
    for name, value in [("sha256", "b2" * 32), ("bucket", "c"), ("key", "j"), ("params", {"trainEpochs": "9"}),
                        ("api_url", "http://y")]:
        assert ledger_key(**{**parts, name: value}) != base


def test_ledger_reserve_complete_release(tmp_path):
    ledger = Ledger(tmp_path / "l.json")
    assert ledger.reserve("k", {"request_id": "r1"}) is None
    assert ledger.reserve("k", {"request_id": "r2"})["request_id"] == "r1"
    ledger.complete("k", "t1", "WAIT")
    assert ledger.get("k")["state"] == "created" and ledger.get("k")["task_id"] == "t1"
    ledger.release("k")  # only pending entries are released
    assert ledger.get("k")["task_id"] == "t1"
    assert ledger.reserve("k", {"request_id": "r3"}, force=True) is None
    ledger.release("k")  # the forced attempt failed: the entry it replaced is back
    assert ledger.get("k")["task_id"] == "t1"
    assert ledger.reserve("k", {"request_id": "r4"}, force=True) is None
    ledger.complete("k", "t2", "WAIT")
    assert ledger.get("k")["previous_task_ids"] == ["t1"] and "replaced" not in ledger.get("k")
    assert ledger.reserve("other", {"request_id": "r5"}) is None
    ledger.release("other")
    assert ledger.get("other") is None


def test_a_corrupt_ledger_is_reported_not_ignored(tmp_path):
    path = tmp_path / "l.json"
    path.write_text("{not json")
    with pytest.raises(SubmitError, match="is unreadable .*fix or remove it") as caught:
        Ledger(path).get("k")
    assert caught.value.exit_status == 3
    path.write_text(json.dumps([1, 2]))
    with pytest.raises(SubmitError, match="is not a JSON object"):
        Ledger(path).get("k")


def test_an_unwritable_state_dir_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SubmitError, match="set GX_CLOVA_STATE_DIR to a writable directory"):
        Ledger(blocker / "sub" / "l.json").get("k")
