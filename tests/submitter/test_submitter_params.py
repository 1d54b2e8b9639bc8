"""Tuning parameters against the per-model table: at, inside and outside every range, per model."""

from __future__ import annotations

import json

import pytest

from gx_clova.submitter.api import StudioClient
from gx_clova.submitter.auth import BearerAuth
from gx_clova.submitter.errors import ApiError, UsageError
from gx_clova.submitter.models import MODELS, PARAMETERS
from gx_clova.submitter.params import TuningParams

API_KEY_ATTR = {"trainEpochs": "epochs", "learningRate": "learning_rate",
                "validationSplitRatio": "validation_split_ratio", "loraR": "lora_r", "loraAlpha": "lora_alpha"}
#: field → (accepted under the stricter reading, refused under it, refused even with the wider one)
CASES = {
    "trainEpochs": (["1", "8", "20"], ["0", "21", "1.5", "x"], ["21"]),
    "learningRate": (["1e-6", "1e-4", "1"], ["0", "1.5", "nan", "-1e-4"], ["1.01"]),
    "validationSplitRatio": (["0", "0.0", "0.05", "0.1"], ["-0.01", "0.11", "0.5", "ten"], ["0.11"]),
    "loraR": (["2", "4", "8"], ["1", "9", "64", "16", "4.0"], ["65", "1"]),
    "loraAlpha": (["2", "16", "128"], ["1", "0", "-2", "2.5"], ["1"]),
}
STRICT_MODELS = [m for m, spec in MODELS.items() if spec.tunable == "yes"]
DISPUTED_MODELS = [m for m, spec in MODELS.items() if spec.tunable != "yes"]
ARGS = ("--name", "faq-tuning")


def params(model: str, field: str, value: str, wider: bool = False) -> TuningParams:
    return TuningParams(name="faq", model=model, allow_wider_ranges=wider, **{API_KEY_ATTR[field]: value})


def test_the_table_covers_the_models_and_fields_the_guide_names():
    assert set(MODELS) == {"HCX-003", "HCX-DASH-001", "HCX-005", "HCX-DASH-002"}
    assert set(PARAMETERS) == set(CASES)
    assert all(p.source for p in PARAMETERS.values()) and all(m.tunable_source for m in MODELS.values())
    assert set(DISPUTED_MODELS) == {"HCX-005", "HCX-DASH-002"}


@pytest.mark.parametrize("model", STRICT_MODELS)
@pytest.mark.parametrize("field", CASES)
def test_values_at_and_inside_the_range_are_accepted(model, field):
    for value in CASES[field][0]:
        sent = params(model, field, value).checked().api_fields()[field]
        assert float(sent) == float(value)


@pytest.mark.parametrize("model", STRICT_MODELS)
@pytest.mark.parametrize("field", CASES)
def test_values_outside_the_range_are_refused_naming_the_flag(model, field):
    for value in CASES[field][1]:
        with pytest.raises(UsageError, match=PARAMETERS[field].flag) as caught:
            params(model, field, value).checked()
        assert caught.value.exit_status == 2 and repr(value) in str(caught.value)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("field", CASES)
def test_the_wider_reading_moves_only_the_limits_the_pages_disagree_on(model, field):
    for value in CASES[field][2]:
        with pytest.raises(UsageError, match=PARAMETERS[field].flag):
            params(model, field, value, wider=True).checked()
    assert params(model, field, CASES[field][0][-1], wider=True).checked()


@pytest.mark.parametrize("value", ["9", "32", "64"])
def test_lora_r_between_the_pages_needs_the_override(value):
    with pytest.raises(UsageError, match=r"from 2 to 8 .*government cloud.*--allow-wider-ranges accepts up to 64"):
        params("HCX-003", "loraR", value).checked()
    assert params("HCX-003", "loraR", value, wider=True).checked().api_fields()["loraR"] == int(value)


@pytest.mark.parametrize("model", DISPUTED_MODELS)
def test_models_the_pages_disagree_on_are_refused_unless_overridden(model):
    with pytest.raises(UsageError, match=rf"{model} may not be tunable: the pages disagree .*--allow-wider-ranges"):
        TuningParams(name="faq", model=model).checked()
    assert TuningParams(name="faq", model=model, allow_wider_ranges=True).checked().model == model


def test_an_unknown_model_is_refused_unless_overridden():
    with pytest.raises(UsageError, match="--model must be one of HCX-003, HCX-DASH-001, HCX-005, HCX-DASH-002"):
        TuningParams(name="faq", model="HCX-999").checked()
    assert TuningParams(name="faq", model="HCX-999", allow_wider_ranges=True).checked().model == "HCX-999"


def test_every_problem_is_named_at_once():
    with pytest.raises(UsageError) as caught:
        TuningParams(name="faq", model="HCX-003", lora_r="1", lora_alpha="1", validation_split_ratio="1").checked()
    assert all(flag in str(caught.value) for flag in ("--lora-r", "--lora-alpha", "--validation-split-ratio"))


# -- on the command line and on the wire ------------------------------------------------------------
def test_the_emulator_receives_the_documented_names_and_types(gx_clova, studio, bucket, dataset):
    run = gx_clova("submit", dataset, *ARGS, "--model", "HCX-DASH-001", "--bucket", bucket,
                   "--validation-split-ratio", "0.05", "--lora-r", "4", "--lora-alpha", "16", "--format", "json")
    assert run.returncode == 0, run.stderr
    [task] = studio.tasks.values()
    fields = {k: v for k, v in task.body.items() if not k.startswith("trainingDataset")}
    assert fields == {"name": "faq-tuning", "model": "HCX-DASH-001", "tuningType": "PEFT", "taskType": "GENERATION",
                      "trainEpochs": "8", "learningRate": "1e-4", "validationSplitRatio": 0.05, "loraR": 4,
                      "loraAlpha": 16}
    assert [type(fields[k]) for k in ("validationSplitRatio", "loraR", "loraAlpha")] == [float, int, int]


@pytest.mark.parametrize("body_change", [{"loraR": "8"}, {"loraR": 65}, {"validationSplitRatio": "0.1"},
                                         {"validationSplitRatio": 0.2}, {"loraAlpha": 1}, {"loraAlpha": True}])
def test_the_emulator_checks_the_fields_as_the_api_documents_them(studio, body_change):
    client = StudioClient(studio.url, BearerAuth(studio.api_key))
    body = {"name": "n", "model": "HCX-003", "trainingDatasetUri": "x", "trainingDatasetBucket": "b",
            "trainingDatasetFilePath": "k", "trainingDatasetAccessKey": "a", "trainingDatasetSecretKey": "s",
            **body_change}
    with pytest.raises(ApiError, match="40001") as caught:
        client.create_task(body, request_id="r1")
    assert caught.value.exit_status == 2 and studio.tasks == {}


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize("bad", [("--lora-r", "16"), ("--validation-split-ratio", "0.2"), ("--lora-alpha", "1"),
                                 ("--model", "HCX-005")])
def test_out_of_range_exits_2_before_validation_or_upload(gx_clova, storage, studio, bucket, dataset, validator,
                                                          dry_run, bad):
    argv = ["submit", dataset, *ARGS, "--model", "HCX-003", "--bucket", bucket, *bad]
    run = gx_clova(*argv, *(["--dry-run"] if dry_run else []))
    assert run.returncode == 2 and (bad[0] in run.stderr or bad[1] in run.stderr)
    assert validator.calls == [] and storage.requests() == [] and studio.seen == []


def test_a_dry_run_needs_no_secret_and_no_network(gx_clova, storage, studio, bucket, dataset, monkeypatch, secrets):
    for name in ("CLOVASTUDIO_API_KEY", "NCP_ACCESS_KEY", "NCP_SECRET_KEY", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "NCP_IAM_ACCESS_KEY", "NCP_IAM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    run = gx_clova("submit", dataset, *ARGS, "--model", "HCX-003", "--bucket", bucket, "--dry-run",
                   "--lora-r", "4", "--format", "json")
    assert run.returncode == 0, run.stderr
    request = json.loads(run.stdout)["request"]
    assert request["body"]["loraR"] == 4 and request["body"]["trainingDatasetSecretKey"] == "***"
    assert "a real submit needs them" in run.stderr
    assert storage.requests() == [] and studio.seen == []
    assert not any(secret in run.stdout + run.stderr for secret in secrets)
    # without the dry run the missing key is still a usage error, before anything is read
    run = gx_clova("submit", dataset, *ARGS, "--model", "HCX-003", "--bucket", bucket)
    assert run.returncode == 2 and storage.requests() == []


def write_labels(path, counts: dict[str, int]):
    lines = ["C_ID,T_ID,Text,Completion"]
    for label, rows in counts.items():
        lines += [f"{len(lines) - 1},0,문의 {label} {i},{label}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_validation_split_must_leave_200_rows_per_class(gx_clova, storage, studio, bucket, tmp_path):
    dataset = write_labels(tmp_path / "labels.csv", {"결제": 220, "배송": 400, "환불": 200})
    run = gx_clova("submit", dataset, *ARGS, "--model", "HCX-003", "--bucket", bucket, "--task", "classification",
                   "--validation-split-ratio", "0.1")
    assert run.returncode == 1
    assert ("2 class(es) would keep fewer than 200 training rows: "
            "'결제' (220 rows, 198 left), '환불' (200 rows, 180 left)") in run.stderr
    assert "배송" not in run.stderr and storage.requests("PUT") == [] and studio.creates() == []
    ok = write_labels(tmp_path / "ok.csv", {"결제": 220, "배송": 400})
    run = gx_clova("submit", ok, *ARGS, "--model", "HCX-003", "--bucket", bucket, "--task", "classification",
                   "--validation-split-ratio", "0.05")
    assert run.returncode == 0, run.stderr
    [task] = studio.tasks.values()
    assert task.body["validationSplitRatio"] == 0.05 and task.body["taskType"] == "CLASSIFICATION"


def test_the_checkpoint_action_sends_and_checks_the_same_parameters(studio, bucket, dataset):
    from gx_clova.gx.actions import SubmitTuningAction

    passed = type("Result", (), {"success": True})()
    action = SubmitTuningAction(name="launch", source=str(dataset), bucket=bucket, model="HCX-003", task_name="faq",
                                validation_split_ratio="0.05", lora_r="4", lora_alpha="8")
    assert action.run(checkpoint_result=passed)["submitted"] is True
    [task] = studio.tasks.values()
    assert (task.body["validationSplitRatio"], task.body["loraR"], task.body["loraAlpha"]) == (0.05, 4, 8)
    wide = SubmitTuningAction(name="launch", source=str(dataset), bucket=bucket, model="HCX-003", task_name="faq2",
                              lora_r="16", raise_on_error=False)
    result = wide.run(checkpoint_result=passed)
    assert result["submitted"] is False and "--lora-r must be a whole number from 2 to 8" in result["error"]
    assert len(studio.tasks) == 1
