"""The README's CI and adoption recipes: every gx-clova command in it parses, the picture exists."""

from __future__ import annotations

import os
import re
import shlex

from gx_clova.cli import build_parser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _readme() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        return handle.read()


def _commands(text: str) -> list[list[str]]:
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            for start, word in enumerate(words):
                if word.endswith("gx-clova") and (start == 0 or words[start - 1] in ("-m",)) or word == "gx_clova":
                    found.append(words[start + 1:])
                    break
    table = "\n".join(line for line in text.splitlines() if line.startswith("|"))
    for table_cell in re.findall(r"`(gx-clova [^`]+)`", table):
        words = shlex.split(table_cell.replace("…", "a.csv"))
        if len(words) > 1 and words[1] in ("validate", "gate", "init", "checkpoint"):
            found.append(words[1:])
    return found


def test_every_readme_command_parses():
    commands = _commands(_readme())
    assert {c[0] for c in commands} >= {"validate", "gate", "init", "checkpoint"}, commands
    parser = build_parser()
    for words in commands:
        args = parser.parse_args(words)  # argparse exits on a bad option: the test fails
        assert callable(args.func), words


def test_readme_shows_the_data_docs_picture():
    assert "](docs/data-docs.png)" in _readme()
    with open(os.path.join(ROOT, "docs", "data-docs.png"), "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(head[16:20], "big")
    assert width >= 1000, "readable: at least 1000 pixels wide"
