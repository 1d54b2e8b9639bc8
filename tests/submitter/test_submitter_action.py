"""The checkpoint action: stored without secrets, submits only after a passing checkpoint."""

from __future__ import annotations

import pytest

SECRET_VARIABLES = ("NCP_ACCESS_KEY", "NCP_SECRET_KEY", "CLOVASTUDIO_API_KEY", "NCP_IAM_ACCESS_KEY", "NCP_IAM_SECRET_KEY")


@pytest.fixture
def gx_project(tmp_path, monkeypatch):
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(tmp_path / "project"))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("pandas").add_dataframe_asset("train")
    return gx, context, asset.add_batch_definition_whole_dataframe("all")


def checkpoint_with(gx_project, action, column):
    gx, context, batch = gx_project
    suite = context.suites.add(gx.ExpectationSuite(f"needs-{column}",
                                                   expectations=[gx.expectations.ExpectColumnToExist(column=column)]))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=f"vd-{column}", data=batch, suite=suite))
    return context.checkpoints.add(gx.Checkpoint(name=f"cp-{column}", validation_definitions=[definition],
                                                 actions=[action]))


def test_the_stored_checkpoint_holds_no_secret_and_loads_back(gx_project, storage, studio, tmp_path, monkeypatch):
    import os

    from great_expectations.checkpoint.actions import _VALIDATION_ACTION_REGISTRY

    from gx_clova.gx.actions import ACTION_TYPE, SubmitTuningAction

    gx, context, _ = gx_project
    action = SubmitTuningAction(name="launch", source=str(tmp_path / "train.csv"), bucket="datasets",
                                key="tuning/train.csv", model="HCX-003", task_name="faq", task="classification",
                                endpoint_url=storage.endpoint, api_url=studio.url, auth="bearer", part_size_mib=8)
    checkpoint_with(gx_project, action, "Text")
    stored = (tmp_path / "project" / "gx" / "checkpoints" / "cp-Text.json").read_text()
    assert ACTION_TYPE in stored and '"task_name": "faq"' in stored
    for name in SECRET_VARIABLES:
        assert os.environ[name] not in stored, name

    reloaded = gx.get_context(mode="file", project_root_dir=str(tmp_path / "project")).checkpoints.get("cp-Text")
    assert reloaded.actions == [action]
    assert SubmitTuningAction.parse_raw(action.json()) == action
    assert _VALIDATION_ACTION_REGISTRY.get(ACTION_TYPE) is SubmitTuningAction


def test_secrets_cannot_be_put_in_the_config():
    from great_expectations.compatibility.pydantic import ValidationError

    from gx_clova.gx.actions import SubmitTuningAction

    with pytest.raises(ValidationError, match="extra fields not permitted"):
        SubmitTuningAction(name="launch", source="x.csv", model="HCX-003", task_name="t",
                           trainingDatasetSecretKey="do-not-store-me")


def test_submits_only_when_the_checkpoint_passes(gx_project, storage, studio, bucket, dataset):
    import pandas as pd

    from gx_clova.gx.actions import SubmitTuningAction

    frame = pd.read_csv(dataset)
    action = SubmitTuningAction(name="launch", source=str(dataset), bucket=bucket, model="HCX-003", task_name="faq")

    failed = checkpoint_with(gx_project, action, "Nope").run(batch_parameters={"dataframe": frame})
    assert failed.success is False
    assert storage.keys(bucket) == [] and studio.tasks == {}

    passed = checkpoint_with(gx_project, action, "Text").run(batch_parameters={"dataframe": frame})
    assert passed.success is True
    [task] = studio.tasks.values()
    assert task.body["name"] == "faq" and storage.keys(bucket) == ["train.csv"]


def test_a_failed_submission_raises_or_reports(gx_project, studio, bucket, dataset, monkeypatch, make_dataset, tmp_path):
    import pandas as pd

    from gx_clova.gx.actions import SubmitTuningAction
    from gx_clova.submitter import DatasetFailed

    broken = make_dataset(tmp_path / "broken.csv", broken_rows=(4,))
    frame = pd.read_csv(broken)
    loud = SubmitTuningAction(name="launch", source=str(broken), bucket=bucket, model="HCX-003", task_name="faq")
    with pytest.raises(DatasetFailed, match="the dataset failed validation: c_id.sequence"):
        checkpoint_with(gx_project, loud, "Text").run(batch_parameters={"dataframe": frame})

    quiet = SubmitTuningAction(name="launch", source=str(broken), bucket=bucket, model="HCX-003", task_name="faq",
                               raise_on_error=False)
    result = quiet.run(checkpoint_result=type("Result", (), {"success": True})())
    assert result["submitted"] is False and "c_id.sequence" in result["error"]
    assert studio.tasks == {}


def test_a_warning_alone_does_not_stop_the_launch(gx_project, storage, studio, bucket, dataset):
    """120 rows: gx-clova passes with the rows.outside-recommended warning, and so does GX's own
    `success` (a warning succeeds and carries its finding); the action submits."""
    from gx_clova.batch import to_pandas
    from gx_clova.gx.actions import SubmitTuningAction
    from gx_clova.gx.suites import build_suite
    from gx_clova.reading import read_dataset
    from gx_clova.sources import LocalSource

    gx, context, batch = gx_project
    suite = context.suites.add(build_suite("generation"))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="vd-clova", data=batch, suite=suite))
    action = SubmitTuningAction(name="launch", source=str(dataset), bucket=bucket, model="HCX-003", task_name="faq")
    checkpoint = context.checkpoints.add(gx.Checkpoint(name="cp-clova", validation_definitions=[definition],
                                                       actions=[action]))
    result = checkpoint.run(batch_parameters={"dataframe": to_pandas(read_dataset(LocalSource(str(dataset))))})
    assert result.success is True  # one verdict: the warning does not fail GX's run either
    [suite_result] = result.run_results.values()
    [recommended] = [r for r in suite_result.results
                     if r.expectation_config.type == "expect_clova_row_count_to_be_recommended"]
    assert recommended.success is True and recommended.result["details"]["failures"][0]["code"] == "rows.outside-recommended"
    [task] = studio.tasks.values()
    assert task.body["name"] == "faq"
