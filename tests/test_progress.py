"""Progress bars: tqdm, one per lasting phase, on terminals only unless --progress always."""

from __future__ import annotations

import io
import os
import time

import pytest

from gx_clova import progress
from gx_clova.cli import main
from gx_clova.progress import Phases, printable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def slow_phases(phases: Phases) -> None:
    with phases.phase("importing Great Expectations"):
        time.sleep(0.5)
    with phases.phase("reading train.csv", total=4 << 20, unit="B") as tick:
        for _ in range(4):
            time.sleep(0.12)
            tick(1 << 20)


def test_a_terminal_sees_every_lasting_phase_with_rate_and_eta():
    stream = Terminal()
    slow_phases(Phases("auto", stream, delay=0.2))
    shown = stream.getvalue()
    assert "importing Great Expectations: 00:00" in shown
    assert "reading train.csv" in shown and "MB/s" in shown and "<00:0" in shown  # rate and ETA
    assert "/4.00M" in shown and "%|" in shown  # bytes of the total, percent


def test_nothing_on_a_pipe_unless_always():
    piped = io.StringIO()
    slow_phases(Phases("auto", piped, delay=0.2))
    assert piped.getvalue() == ""
    forced = io.StringIO()
    slow_phases(Phases("always", forced, delay=0.2))
    assert "reading train.csv" in forced.getvalue()
    never = Terminal()
    slow_phases(Phases("never", never, delay=0.2))
    assert never.getvalue() == ""


def test_a_short_phase_shows_nothing():
    stream = Terminal()
    with Phases("always", stream, delay=1.0).phase("reading small.csv", total=10, unit="B") as tick:
        tick(10)
    assert stream.getvalue() == ""


def test_a_terminal_without_a_size_still_gets_bars(monkeypatch):
    """A pseudo-terminal reporting 0 x 0 made tqdm hide every bar (it took -1 lines)."""
    monkeypatch.setattr(progress.shutil, "get_terminal_size", lambda fallback=(80, 24): os.terminal_size((0, 0)))
    stream = Terminal()
    slow_phases(Phases("auto", stream, delay=0.2))
    assert "reading train.csv" in stream.getvalue()


def test_names_reach_the_terminal_escaped():
    assert printable("a\x1b[31mred\n.csv") == "a\\x1b[31mred\\n.csv"
    assert printable("학습 데이터.csv") == "학습 데이터.csv"


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="progress mode"):
        Phases("sometimes")


def test_validate_shows_reading_and_rules(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    code = main(["validate", os.path.join(ROOT, "examples", "generation.csv"), "--progress", "always",
                 "--output", str(tmp_path / "report.txt")])
    assert code == 0
    err = capsys.readouterr().err
    assert "reading generation.csv" in err and "checking rules" in err
    code = main(["validate", os.path.join(ROOT, "examples", "generation.csv"), "--output", str(tmp_path / "r.txt")])
    assert "checking rules" not in capsys.readouterr().err  # auto, and stderr is not a terminal
