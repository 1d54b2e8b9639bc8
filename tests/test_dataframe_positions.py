"""The DataFrame path is honest about positions and about what it did not check.

A DataFrame a user built has no file lines: findings give record numbers (1 = the first row),
say "record", and state the base; ``with_line_column`` names a column of file line numbers,
which then are the lines everywhere. The file rules (extension, size, encoding, quoting, blank
rows) are "not checked on a DataFrame", never passed.
"""

from __future__ import annotations

import glob
import os
import re

import pandas as pd
import pytest

from gx_clova.batch import with_line_column
from gx_clova.gx.suites import build_suite
from gx_clova.gx.validation import findings_of
from gx_clova.rules import RECORDS

FILE_RULES = ("expect_clova_file_to_be_accepted", "expect_clova_records_to_parse")


def _frame() -> pd.DataFrame:
    rows = 120
    frame = pd.DataFrame(
        {
            "C_ID": [str(i) for i in range(rows)],
            "T_ID": ["0"] * rows,
            "Text": [f"{i}번 주문 문의" for i in range(rows)],
            "Completion": [f"{i}번 답변" for i in range(rows)],
        }
    )
    frame.loc[20, "Completion"] = "가" * 8001  # row.too-long on the 21st row
    frame.loc[30, "Text"] = ""  # text.empty on the 31st row
    return frame


def _run(frame: pd.DataFrame, site: str):
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        site_name="site",
        site_config={
            "class_name": "ClovaSiteBuilder",
            "module_name": "gx_clova.docs",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": site},
        },
    )
    suite = context.suites.add(build_suite("generation"))
    batch = context.data_sources.add_pandas("p").add_dataframe_asset("a").add_batch_definition_whole_dataframe("w")
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="v", data=batch, suite=suite))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="c", validation_definitions=[definition], actions=[UpdateDataDocsAction(name="d", site_names=["site"])]
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    [suite_result] = result.run_results.values()
    [page] = glob.glob(os.path.join(site, "validations", "**", "*.html"), recursive=True)
    with open(page, encoding="utf-8") as handle:
        return suite_result, handle.read()


@pytest.fixture(scope="module")
def without_lines(tmp_path_factory):
    return _run(_frame(), str(tmp_path_factory.mktemp("records") / "site"))


def test_positions_are_records_with_their_base_never_lines(without_lines):
    suite_result, page = without_lines
    findings, _ = findings_of(suite_result)
    by_code = {f.code: f for f in findings}
    assert by_code["row.too-long"].lines == [21] and by_code["text.empty"].lines == [31]
    for finding in (f for f in findings if f.lines):
        assert finding.details["positions"] == RECORDS
        assert not re.search(r"\blines?\b", finding.message, re.I), finding.message
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "row.too-long: the failing record" in text and "1 is the DataFrame's first row" in text
    assert "at record 21" in text
    assert "failing line" not in text and "at line" not in text


def test_file_rules_are_not_checked_on_a_dataframe(without_lines):
    suite_result, page = without_lines
    for evr in suite_result.results:
        if evr.expectation_config.type in FILE_RULES:
            assert "not checked on a DataFrame" in evr.result["observed_value"]
            assert evr.result["details"]["not_checked"]
    _, summary = findings_of(suite_result)
    assert sorted(e["type"] for e in summary if e.get("not_checked")) == sorted(FILE_RULES)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert text.count("not checked on a DataFrame") == 2
    assert text.count("not checked") >= 4  # status cell and observed value of both rules


def test_a_named_line_column_gives_file_lines_everywhere(tmp_path):
    frame = _frame()
    frame.insert(0, "line_no", [2 + 3 * i for i in range(len(frame))])  # as if each record took 3 lines
    suite_result, page = _run(with_line_column(frame, "line_no"), str(tmp_path / "site"))
    findings, _ = findings_of(suite_result)
    by_code = {f.code: f for f in findings}
    assert by_code["row.too-long"].lines == [62] and by_code["text.empty"].lines == [92]
    assert "positions" not in by_code["row.too-long"].details
    assert "line_no" not in {f.code for f in findings} and "header.unexpected-column" not in by_code
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "row.too-long: the failing line" in text and "at line 62" in text


@pytest.mark.parametrize("values", [["a", "b"], [0, 1], [1.5, 2]])
def test_a_line_column_must_hold_line_numbers(values):
    frame = pd.DataFrame({"n": values, "C_ID": ["0", "1"]})
    with pytest.raises(ValueError, match="must hold file line numbers"):
        with_line_column(frame, "n")
    with pytest.raises(ValueError, match="no column 'missing'"):
        with_line_column(frame, "missing")
