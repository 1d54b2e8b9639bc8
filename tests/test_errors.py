"""One exception tree, one table: every error class ends a command with its exit status and one
message, whichever command raised it."""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import pytest
from cli_inprocess import run_cli

from gx_clova import errors, memory
from gx_clova.cli import app, exits
from gx_clova.cli.app import build_parser
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


# -- every subcommand, every class of the tree: one path (cli/exits.py) ----------------------------
def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


SUBCOMMANDS = _subcommands()


def _argv(name: str, parser: argparse.ArgumentParser, *extra: str) -> list[str]:
    """``name`` with a value for each of its required arguments: enough to reach its function."""
    argv = [name]
    for action in parser._actions:
        value = str(action.choices[0]) if action.choices else "x.csv"
        if not action.option_strings and action.nargs != "?":
            argv.append(value)
        elif action.option_strings and action.required:
            argv += [action.option_strings[0], value]
    return argv + list(extra)


def _json_format(parser: argparse.ArgumentParser) -> bool:
    return any("--format" in a.option_strings and "json" in (a.choices or ()) for a in parser._actions)


RAISED = [
    errors.UsageError("bad option"),
    errors.SourceError("x.csv: not found"),
    errors.DatasetError("x.csv failed"),
    errors.OutputError("out.json", "Permission denied"),
    errors.ServiceError("503 Service Unavailable"),
    submit_errors.ApiError("no such task", code="40400"),
    KeyboardInterrupt(),
    RuntimeError("boom"),
]


def _expected_status(error: BaseException) -> int:
    if isinstance(error, KeyboardInterrupt):
        return errors.EXIT_INTERRUPTED
    return error.exit_status if isinstance(error, errors.GxClovaError) else errors.EXIT_UNREADABLE


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
@pytest.mark.parametrize("error", RAISED, ids=lambda e: type(e).__name__)
def test_every_subcommand_ends_every_error_through_the_one_table(monkeypatch, name, error):
    def fails(args):
        raise error

    def parser_of(command=None):
        parser = build_parser(command)
        for sub in next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices.values():
            sub.set_defaults(func=fails)
        return parser

    monkeypatch.setattr(app, "build_parser", parser_of)
    status = _expected_status(error)
    formats = [("text", None), ("json", "--format")] if _json_format(SUBCOMMANDS[name]) else [("text", None)]
    for fmt, option in formats:
        ran = run_cli(*_argv(name, SUBCOMMANDS[name], *((option, fmt) if option else ())))
        assert ran.returncode == status, (name, fmt, ran.stderr)
        assert (ran.returncode, ran.stderr) == (status, exits.failure(error, name, fmt).message + "\n")
        lead = f"gx-clova {name}: error: " if name in exits.NAMED else "gx-clova: "
        assert ran.stderr.startswith(lead) and "Traceback" not in ran.stderr
        if fmt == "json" and name in exits.NAMED:  # programs read the error as JSON too
            assert json.loads(ran.stdout)["exit_status"] == status
        else:
            assert ran.stdout == ""


CLI = Path(exits.__file__).parent


def _status_picking(path: Path) -> list[str]:
    """``return 1``, ``sys.exit(…)``, ``raise SystemExit``, an ``exit_status`` written by hand: a
    command choosing its own exit status instead of raising an error or using cli/exits.py."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Return) and node.value is not None:
            values = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
            if any(isinstance(v, ast.Constant) and type(v.value) is int for v in values):
                found.append(f"{where} returns a number")
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "exit", "SystemExit"):
            found.append(f"{where} exits")
        elif isinstance(node, ast.keyword) and node.arg in ("status", "exit_status"):
            found.append(f"{where} passes a status by hand")
        elif isinstance(node, ast.Constant) and node.value == "exit_status":
            found.append(f"{where} writes an error document")
    return found


def test_no_command_picks_its_own_exit_status_or_prints_its_own_errors():
    modules = sorted(p for p in CLI.glob("*.py") if p.name != "exits.py")
    assert {p.stem for p in modules} >= {"submit", "convert", "tokens", "evaluate", "split", "fix", "gate", "core"}
    assert [hit for path in modules for hit in _status_picking(path)] == []


def test_the_status_picking_check_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sys, json\n"
                   "def run(args):\n"
                   "    if args.x:\n"
                   "        print(json.dumps({'error': 'm', 'exit_status': 2}))\n"
                   "        return 2\n"
                   "    sys.exit(3)\n"
                   "def other(args):\n"
                   "    return 1 if args.y else 0\n")
    assert len(_status_picking(bad)) == 4


# -- every subcommand's own error paths, for real ---------------------------------------------------
REAL = [
    (("validate", "missing.csv"), 3, "gx-clova: cannot read the source: "),
    (("gate", "x.csv", "--stream", "--docs", "d"), 2, "gx-clova: error: --stream writes no Data Docs"),
    (("checkpoint", "c", "x.csv", "--project", "nowhere"), 2, "gx-clova: error: no great_expectations.yml"),
    (("suites", "--write", "afile/x"), 4, "gx-clova: cannot write afile/x: "),
    (("demo", "--examples", "nowhere"), 2, "gx-clova: error: example "),
    (("init", "afile"), 2, "gx-clova: error: afile is not a directory"),
    (("fix", "missing.csv", "-o", "out.csv"), 3, "gx-clova: cannot read the source: "),
    (("split", "nocols.csv", "--test-size", "abc"), 2, "gx-clova: error: --test-size must be"),
    (("split", "nocols.csv"), 1, "gx-clova split: refused: nocols.csv lacks the column(s)"),
    (("convert", "missing.jsonl", "-o", "out.csv"), 3, "gx-clova convert: error: cannot read missing.jsonl"),
    (("convert", "ok.jsonl", "-o", "afile/out.csv"), 4, "gx-clova convert: error: cannot write afile/out.csv: "),
    (("convert", "unknown.jsonl", "-o", "out.csv"), 1, "gx-clova convert: error: no record in unknown.jsonl"),
    (("convert", "ok.jsonl", "-o", "ok.jsonl"), 2, "gx-clova convert: error: --output ok.jsonl is the source"),
    (("tokens", "nocols.csv", "--model", "nope"), 2, "gx-clova tokens: error: --model must be one of"),
    (("tokens", "nocols.csv", "--model", "HCX-003", "--offline", "--no-cache"), 1,
     "gx-clova tokens: error: the dataset has no C_ID"),
    (("tokens", "missing.csv", "--model", "HCX-003", "--offline", "--no-cache"), 3,
     "gx-clova tokens: error: cannot read the dataset: "),
    (("submit", "ok.jsonl", "--name", "n", "--model", "HCX-003", "--epochs", "0"), 2,
     "gx-clova submit: error: --epochs must be a whole number"),
    (("status", "t1", "--wait", "--interval", "0"), 2, "gx-clova status: error: --interval and --timeout"),
    (("evaluate", "x.csv"), 2, "gx-clova evaluate: error: nothing to evaluate"),
]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    for name in ("CLOVASTUDIO_API_KEY", "NCP_IAM_ACCESS_KEY", "NCP_IAM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "nocols.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "ok.jsonl").write_text('{"messages": [{"role": "user", "content": "hi"}, '
                                       '{"role": "assistant", "content": "yo"}]}\n', encoding="utf-8")
    (tmp_path / "unknown.jsonl").write_text('{"x": 1}\n', encoding="utf-8")
    (tmp_path / "afile").write_text("not a folder\n", encoding="utf-8")
    return tmp_path


def test_the_real_error_paths_cover_every_subcommand():
    assert {args[0] for args, _, _ in REAL} == set(SUBCOMMANDS) - {"rules"}  # rules: argparse's errors only


@pytest.mark.parametrize("args, status, lead", REAL, ids=[" ".join(a[:2]) for a, _, _ in REAL])
def test_each_subcommands_own_errors_keep_their_status_and_message(workdir, args, status, lead):
    ran = run_cli(*args, cwd=str(workdir))
    assert (ran.returncode, ran.stderr[:len(lead)]) == (status, lead), ran.stderr
    assert ran.stderr.count("\n") == 1 and "Traceback" not in ran.stderr
    if args[0] in exits.NAMED:  # with --format json, the same error as one JSON document on stdout
        ran = run_cli(*args, "--format", "json", cwd=str(workdir))
        assert ran.returncode == status
        assert json.loads(ran.stdout) == {"error": ran.stderr.split(": error: ", 1)[1].rstrip("\n"),
                                          "exit_status": status}
