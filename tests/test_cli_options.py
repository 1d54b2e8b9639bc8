"""The options several commands share are declared once, in gx_clova/cli/options.py, and every
command that takes them parses them the same way."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gx_clova.cli import options
from gx_clova.cli.app import build_parser
from gx_clova.submitter.auth import AUTH_MODES

CLI = Path(options.__file__).parent


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action:
    return next(a for a in parser._actions if flag in a.option_strings)


def test_the_auth_modes_parsing_offers_are_the_ones_the_client_knows():
    assert options.AUTH_MODES == AUTH_MODES


@pytest.mark.parametrize("flag", ['"--api-url"', '"--auth"'])
def test_the_clova_studio_options_are_written_once(flag):
    assert [p.name for p in sorted(CLI.glob("*.py")) if flag in p.read_text(encoding="utf-8")] == ["options.py"]


def test_every_command_that_calls_clova_studio_takes_the_same_api_url_and_auth():
    commands = _subcommands()
    for name in ("submit", "status", "tokens", "evaluate"):
        api_url, auth = _option(commands[name], "--api-url"), _option(commands[name], "--auth")
        assert (api_url.help, api_url.default) == (options.API_URL_HELP, None), name
        assert (auth.choices, auth.default) == (AUTH_MODES, None), name


def test_the_result_formats_are_text_or_json_by_default_text():
    commands = _subcommands()
    for name, dest in (("submit", "format"), ("status", "format"), ("tokens", "format"), ("convert", "format"),
                       ("split", "fmt")):
        fmt = _option(commands[name], "--format")
        assert (fmt.dest, tuple(fmt.choices), fmt.default) == (dest, ("text", "json"), "text"), name


def test_shared_options_keep_their_place_in_the_help():
    """``extend`` adds them where they were written, after the command's own (docs/cli.md unchanged)."""
    usage = _subcommands()["tokens"].format_usage()
    assert usage.index("--model") < usage.index("--format") < usage.index("--api-url") < usage.index("--endpoint-url")
