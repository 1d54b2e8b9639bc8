"""gx-clova's expectations behave like GX's own: no-argument construction with the spec's values,
declared parameters with descriptions, a user's ``description=`` in Data Docs, GX's standard
result keys beside ``details``."""

from __future__ import annotations

import glob
import os

import pandas as pd
import pytest

import gx_clova.gx.expectations as ours
from gx_clova import spec
from gx_clova.gx.suites import expectations_for

#: Each limit parameter and the spec value it must default to.
SPEC_DEFAULTS = {
    "ExpectClovaFileToBeAccepted": {"max_bytes": spec.MAX_FILE_BYTES},
    "ExpectClovaRowLengthToBeAtMost": {"max_chars": spec.MAX_ROW_CHARS},
    "ExpectClovaLabelsToHaveMinRows": {"min_rows_per_label": spec.MIN_ROWS_PER_LABEL},
    "ExpectClovaLabelCountToBeAtMost": {"max_labels": spec.MAX_LABELS},
    "ExpectClovaLabelsToBeBalanced": {"max_ratio": spec.MAX_LABEL_IMBALANCE},
    "ExpectClovaRowCountToBeAtLeast": {"min_value": spec.MIN_ROWS},
    "ExpectClovaRowCountToBeRecommended": {
        "min_value": spec.RECOMMENDED_ROWS[0],
        "max_value": spec.RECOMMENDED_ROWS[1],
    },
}


@pytest.mark.parametrize("name", ours.__all__)
def test_every_expectation_is_built_with_no_arguments_as_the_suites_build_it(name):
    cls = getattr(ours, name)
    built = cls()
    for field, value in SPEC_DEFAULTS.get(name, {}).items():
        assert getattr(built, field) == value
        assert cls.__fields__[field].field_info.description, f"{name}.{field} has no description"


@pytest.mark.parametrize("task", spec.TASKS)
def test_the_shipped_suites_equal_no_argument_expectations(task):
    """The suites write their limits explicitly; they are exactly the defaults."""
    for expectation in expectations_for(task):
        default = type(expectation)()
        assert expectation.configuration.kwargs == default.configuration.kwargs | expectation.configuration.kwargs
        for field in SPEC_DEFAULTS.get(type(expectation).__name__, {}):
            assert getattr(expectation, field) == getattr(default, field)


def _frame(rows: int = 200) -> pd.DataFrame:
    data = {
        "C_ID": [str(i) for i in range(rows)],
        "T_ID": ["0"] * rows,
        "Text": [f"{i}번 질문" for i in range(rows)],
        "Completion": [f"{i}번 답" for i in range(rows)],
    }
    frame = pd.DataFrame(data)
    for i in range(30):  # 30 rows over the limit: more than GX's partial list holds
        frame.loc[100 + i, "Completion"] = "가" * 8001
    frame.loc[5, ["Text", "Completion"]] = frame.loc[4, ["Text", "Completion"]].tolist()  # a repeated row
    return frame


def test_a_user_suite_with_no_argument_expectations_gives_gx_standard_results(tmp_path):
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        site_name="theirs",
        site_config={
            "class_name": "ClovaSiteBuilder",
            "module_name": "gx_clova.docs",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(tmp_path / "site")},
        },
    )
    suite = context.suites.add(gx.ExpectationSuite(name="their_suite"))
    suite.add_expectation(ours.ExpectClovaRowLengthToBeAtMost(description="Rows fit the tuning window of our team"))
    suite.add_expectation(ours.ExpectClovaRowsToBeUnique(severity="warning"))  # as gx-clova's suites hold it
    batch = context.data_sources.add_pandas("p").add_dataframe_asset("a").add_batch_definition_whole_dataframe("w")
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="v", data=batch, suite=suite))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="c",
            validation_definitions=[definition],
            actions=[UpdateDataDocsAction(name="docs", site_names=["theirs"])],
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": _frame()})

    [suite_result] = result.run_results.values()
    length, unique = suite_result.results
    assert result.success is False and length.success is False
    body = length.result
    assert body["unexpected_count"] == 30 and body["element_count"] == 200
    assert body["unexpected_percent"] == pytest.approx(15.0)
    assert len(body["partial_unexpected_list"]) == 20 and len(body["partial_unexpected_index_list"]) == 20
    assert {item["code"] for item in body["partial_unexpected_list"]} == {"row.too-long"}
    assert body["details"]["failures"][0]["count"] == 30  # details keep every line
    # The warning succeeds and still says what it found.
    assert unique.success is True and unique.result["unexpected_count"] == 1
    assert unique.result["details"]["failures"][0]["code"] == "duplicate.row"

    [page] = glob.glob(os.path.join(tmp_path, "site", "validations", "**", "*.html"), recursive=True)
    with open(page, encoding="utf-8") as handle:
        html = handle.read()
    assert "Rows fit the tuning window of our team" in html
