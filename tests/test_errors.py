"""One exception tree, one table: every error class ends a command with its exit status and one
message, whichever command raised it."""

from __future__ import annotations

import pytest
from cli_inprocess import run_cli

from gx_clova import errors, memory
from gx_clova.cli import exits
from gx_clova.convert.run import ConvertSourceError, ConvertUsageError, MixedFormats
from gx_clova.fix import FixUsageError
from gx_clova.split import SplitRefused
from gx_clova.submitter import errors as submit_errors


@pytest.mark.parametrize("error, status, message", [
    (errors.UsageError("bad option"), 2, "gx-clova: error: bad option"),
    (errors.EvalFileError("no Text column"), 2, "gx-clova: error: no Text column"),
    (errors.SourceError("missing.csv: not found"), 3, "gx-clova: cannot read the source: missing.csv: not found"),
    (memory.NotEnoughMemory("needs 9 GB"), 3, "gx-clova: out of memory: needs 9 GB"),
    (errors.OutputError("out.json", "Permission denied"), 4, "gx-clova: cannot write out.json: Permission denied"),
    (errors.ServiceError("503"), 3, "gx-clova: could not finish: ServiceError: 503"),
    (errors.DatasetError("cannot fix x.csv: not UTF-8"), 1, "gx-clova: cannot fix x.csv: not UTF-8"),
    (SplitRefused("label a keeps 150 rows"), 1, "gx-clova split: refused: label a keeps 150 rows"),
    (KeyboardInterrupt(), 130, "gx-clova: interrupted"),
    (MemoryError(), 3, memory.OUT_OF_MEMORY),
    (RuntimeError("boom"), 3, "gx-clova: could not finish: RuntimeError: boom"),
])
def test_every_error_has_one_status_and_one_message(error, status, message):
    assert exits.outcome(error) == (status, message)


def test_the_feature_errors_hang_under_the_tree_with_their_status():
    assert issubclass(FixUsageError, errors.UsageError) and issubclass(FixUsageError, ValueError)
    assert issubclass(ConvertUsageError, errors.UsageError)
    assert issubclass(ConvertSourceError, errors.SourceError)
    assert issubclass(MixedFormats, errors.DatasetError)
    assert submit_errors.UsageError("x").exit_status == errors.EXIT_USAGE
    assert isinstance(submit_errors.UsageError("x"), errors.UsageError)
    assert isinstance(submit_errors.DatasetFailed("x"), errors.DatasetError)
    assert submit_errors.DatasetFailed("x").exit_status == errors.EXIT_FAILED
    assert isinstance(submit_errors.WaitTimedOut("x"), errors.ServiceError)


def test_docs_name_every_status_the_table_returns():
    assert [status for status, _ in exits.MEANINGS] == [0, 1, 2, 3, 4, 130]


def test_an_error_raised_by_a_command_is_one_line_and_its_status(tmp_path):
    missing = tmp_path / "missing.csv"
    ran = run_cli("validate", str(missing))
    assert ran.returncode == 3
    assert ran.stderr.startswith("gx-clova: cannot read the source: ") and ran.stderr.count("\n") == 1
    assert "Traceback" not in ran.stderr
    ran = run_cli("validate", "examples/generation.csv", "--error", "no.such-code")
    assert ran.returncode == 2 and ran.stderr.startswith("gx-clova: error: unknown failure code(s): no.such-code")
