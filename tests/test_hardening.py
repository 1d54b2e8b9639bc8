"""A gate that cannot be turned against its users (issue 9).

The hostile-input table (tests/cases/hostile.yml) runs through one loader; the tests below it
reproduce each observation of the issue: a false pass on bytes that are not UTF-8, outputs that
overwrite the dataset, quadratic masking, injected CI commands, silent changes by ``fix``,
wrong exit statuses. Cases that could hang or must be killed run in a child process with a
timeout; the rest run in-process (Great Expectations is imported once).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
import yaml

from gx_clova.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES_FILE = os.path.join(ROOT, "tests", "cases", "hostile.yml")
with open(CASES_FILE, encoding="utf-8") as _handle:
    CASES = yaml.safe_load(_handle)

VALID = "C_ID,T_ID,Text,Completion\n" + "".join(f"{i},0,질문 {i},답변 {i}\n" for i in range(120))
TEMP_PREFIXES = (".gx-clova-tmp-", "tmp")


def _content(case: dict) -> bytes:
    if "hex" in case:
        return bytes.fromhex(case["hex"])
    text = re.sub(r"\{a\*(\d+)\}", lambda m: "a" * int(m.group(1)), case.get("content", ""))
    data = text.encode("utf-8")
    if "encoding_line" in case:  # one line stored in a legacy encoding, the rest UTF-8
        lines = text.splitlines(keepends=True)
        at = case["encoding_line"]["line"] - 1
        pieces = [line.encode("utf-8") for line in lines]
        pieces[at] = lines[at].encode(case["encoding_line"]["encoding"])
        data = b"".join(pieces)
    return data


def _fingerprint(path: str) -> tuple:
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        return (info.st_mode, info.st_mtime_ns)
    with open(path, "rb") as handle:
        return (handle.read(), info.st_mtime_ns)


def _leftovers(folder: str) -> list[str]:
    found = []
    for base, dirs, files in os.walk(folder):
        found += [os.path.join(base, n) for n in files + dirs if n.startswith(TEMP_PREFIXES)]
    return found


class Run:
    def __init__(self, code: int, out: str, err: str, seconds: float) -> None:
        self.code, self.out, self.err, self.seconds = code, out, err, seconds


def run_child(argv: list[str], timeout: float = 120, cwd: str | None = None) -> Run:
    started = time.monotonic()
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-m", "gx_clova", *argv], capture_output=True, timeout=timeout,
                          env=env, cwd=cwd or ROOT)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               time.monotonic() - started)


def run_here(capsys, argv: list[str]) -> Run:
    capsys.readouterr()
    started = time.monotonic()
    code = main(argv)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, time.monotonic() - started)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_case(case, tmp_path, capsys):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "user-notes.txt").write_text("mine\n")
    other = tmp_path / "other.csv"
    other.write_text(VALID, encoding="utf-8")
    if "path" in case:
        src = case["path"]
    else:
        src = str(folder / case.get("name_as", "data.csv"))
        if case.get("special") == "fifo":
            os.mkfifo(src)
        elif case.get("special") == "socket":
            with socket.socket(socket.AF_UNIX) as listener:
                listener.bind(src)  # the path stays a socket after the close
        else:
            with open(src, "wb") as handle:
                handle.write(_content(case))
            past = time.time() - 3600  # an mtime a rewrite could not keep by accident
            os.utime(src, (past, past))
    before = _fingerprint(src)
    argv = [a.format(src=src, dir=str(folder), other=str(other)) for a in case["run"]]
    child = "special" in case or "path" in case or "seconds" in case
    result = run_child(argv, timeout=case.get("seconds", 120)) if child else run_here(capsys, argv)
    assert result.code == case["exit"], (result.out, result.err)
    if "stderr" in case:
        assert result.err.startswith(case["stderr"]), result.err
    for text in case.get("stderr_has", []):
        assert text in result.err, result.err
    for text in case.get("stdout", []):
        assert text in result.out, result.out
    assert "Traceback" not in result.err
    assert _fingerprint(src) == before, "the source changed"
    assert (folder / "user-notes.txt").read_text() == "mine\n"
    assert _leftovers(str(tmp_path)) == []


# -- observation 1: a false pass on bytes that are not UTF-8 ------------------------------------
def _jsonl_with_cp949(path) -> None:
    good = '{"C_ID": 0, "T_ID": 0, "Text": "안녕", "Completion": "반가워요"}\n'
    bad = '{"C_ID": 1, "T_ID": 0, "Text": "한국어 문장", "Completion": "답"}\n'
    path.write_bytes(good.encode("utf-8") + bad.encode("cp949"))


def test_jsonl_with_cp949_bytes_fails_on_both_reader_paths(tmp_path):
    from gx_clova.reading import read_dataset
    from gx_clova.sources import LocalSource

    path = tmp_path / "train.jsonl"
    _jsonl_with_cp949(path)
    for exact in (False, True):
        dataset = read_dataset(LocalSource(str(path)), exact=exact)
        [finding] = [f for f in dataset.findings if f.code == "file.encoding"]
        assert finding.lines == [2]
        assert dataset.facts.encoding != "utf-8"


@pytest.mark.spark
def test_jsonl_with_cp949_bytes_fails_on_spark(tmp_path, spark):
    from gx_clova.validation import validate

    path = tmp_path / "train.jsonl"
    _jsonl_with_cp949(path)
    report = validate(str(path), engine="spark", spark=spark)
    assert not report.success
    [finding] = [f for f in report.failures if f.code == "file.encoding"]
    assert finding.lines == [2]


def test_gate_refuses_jsonl_with_cp949_bytes(tmp_path, capsys):
    path = tmp_path / "train.jsonl"
    _jsonl_with_cp949(path)
    result = run_here(capsys, ["gate", str(path)])
    assert result.code == 1 and "file.encoding" in result.out


def _jsonl_with_a_repeated_key(path, first: bool) -> None:
    rows = ['{"C_ID": 0, "T_ID": 0, "Text": "안녕", "Completion": "반가워요"}\n',
            '{"C_ID": 1, "C_ID": 2, "T_ID": 0, "Text": "질문", "Completion": "답"}\n']
    path.write_text("".join(rows[::-1] if first else rows), encoding="utf-8")


@pytest.mark.parametrize("first", [False, True], ids=["later-line", "first-line"])
def test_a_repeated_key_is_reported_alike_by_the_fast_exact_and_staged_readers(tmp_path, first):
    from gx_clova.reading import read_dataset
    from gx_clova.reading.stream import stage_dataset
    from gx_clova.sources import LocalSource

    path = tmp_path / "train.jsonl"
    _jsonl_with_a_repeated_key(path, first)
    line = 1 if first else 2
    found = []
    for exact in (False, True):
        found.append(read_dataset(LocalSource(str(path)), exact=exact).findings)
    (tmp_path / "parts").mkdir()
    found.append(stage_dataset(LocalSource(str(path)), str(tmp_path / "parts")).findings)  # --stream / Spark
    for findings in found:
        [finding] = [f for f in findings if f.code == "header.duplicate-column"]
        assert finding.lines == [line]
        assert f"line {line}: the key C_ID appears twice" in finding.message
        assert finding.details["repeated_keys"] == [line]


@pytest.mark.spark
def test_a_repeated_key_fails_on_spark(tmp_path, spark):
    from gx_clova.validation import validate

    path = tmp_path / "train.jsonl"
    _jsonl_with_a_repeated_key(path, first=False)
    report = validate(str(path), engine="spark", spark=spark)
    [finding] = [f for f in report.failures if f.code == "header.duplicate-column"]
    assert finding.lines == [2]


# -- observation 2: outputs that destroy the dataset --------------------------------------------
def test_docs_never_replaces_a_user_index_or_follows_a_symlink(tmp_path, capsys):
    data = tmp_path / "train.csv"
    data.write_text(VALID, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("my page")
    result = run_here(capsys, ["validate", str(data), "--docs", str(site)])
    assert result.code == 2 and "--docs" in result.err
    assert (site / "index.html").read_text() == "my page"

    # A folder gx-clova made may be written again, but a symlink planted in it is not followed.
    fresh = tmp_path / "fresh"
    assert run_here(capsys, ["validate", str(data), "--docs", str(fresh)]).code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.remove(fresh / "index.html")
    os.symlink(victim, fresh / "index.html")
    result = run_here(capsys, ["validate", str(data), "--docs", str(fresh)])
    assert victim.read_text() == "precious"
    assert result.code == 2 and "symlink" in result.err


# -- observation 3: a hang ----------------------------------------------------------------------
def test_excerpt_cost_does_not_grow_with_the_cell():
    from gx_clova.excerpts import excerpt

    small, large = "a" * 16_384, "a" * (4 << 20)
    started = time.perf_counter()
    excerpt(small)
    base = time.perf_counter() - started
    started = time.perf_counter()
    shown = excerpt(large)
    assert time.perf_counter() - started < max(0.5, 50 * base)
    assert len(shown) == 60 and shown.endswith("…")


def test_a_window_edge_does_not_unmask_personal_data():
    from gx_clova.excerpts import excerpt

    shown = excerpt("x" * 50 + " 010-1234-5678 " + "y" * 1000)
    assert "1234" not in shown


def test_email_pattern_is_linear():
    from gx_clova.rules.quality import inspect

    started = time.perf_counter()
    inspect("1234567 " + "a" * (1 << 20))
    assert time.perf_counter() - started < 5  # quadratic: minutes (loaded machine: generous bound)


# -- observation 4: names that are commands -----------------------------------------------------
HOSTILE_NAME = "x\n::error file=evil.py,line=1::INJECTED %0A \x1b[31mred\x1b[0m \x01 ]]> 한글\n.csv"


def _hostile_dataset(tmp_path):
    path = tmp_path / HOSTILE_NAME
    header = "C_ID,T_ID,Text,Completion,\"bad\n::warning::col \x1b[2J\x01]]>\""
    path.write_text(header + "\n0,0,안녕,,x\n", encoding="utf-8")
    return path


def _no_foreign_commands(out: str) -> None:
    for line in out.splitlines():
        if line.startswith("::"):
            # gx-clova's own annotation: its properties hold no raw ":" (escaped as %3A), so the
            # file name cannot end them early and start a command of its own.
            assert re.match(r"::(error|warning|notice) file=[^:]*,title=[^:]*::", line), line
            assert line.count("INJECTED") <= 1 and "::INJECTED" not in line
        assert "\x1b" not in line and "\x01" not in line


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
@pytest.mark.parametrize("command", ["validate", "gate"])
def test_names_are_data_in_every_format(tmp_path, capsys, command, fmt):
    path = _hostile_dataset(tmp_path)
    result = run_here(capsys, [command, str(path), "--format", fmt])
    assert result.code == 1, result.err
    _no_foreign_commands(result.out)
    assert "\x1b" not in result.err and "\x01" not in result.err
    if fmt == "json":
        json.loads(result.out)
    elif fmt == "sarif":
        document = json.loads(result.out)
        texts = [r["message"]["text"] for r in document["runs"][0]["results"]]
        assert all("\x1b" not in t and "\x01" not in t for t in texts)
    elif fmt == "junit":
        ET.fromstring(result.out.encode("utf-8"))
    if fmt in ("text", "github"):
        assert "한글" in result.out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_names_are_data_in_fix_output(tmp_path, capsys, fmt):
    path = _hostile_dataset(tmp_path)
    result = run_here(capsys, ["fix", str(path), "--output", str(tmp_path / "fixed.csv"), "--format", fmt])
    assert result.code == 1, result.err
    _no_foreign_commands(result.out)
    assert "INJECTED" in result.out
    if fmt == "json":
        json.loads(result.out)


def test_gate_junit_file_with_control_characters_in_the_name_is_well_formed(tmp_path, capsys):
    path = _hostile_dataset(tmp_path)
    report = tmp_path / "junit.xml"
    result = run_here(capsys, ["gate", str(path), "--junit", str(report)])
    assert result.code == 1, result.err
    root = ET.parse(report).getroot()
    assert root.get("failures") != "0"


# -- observation 5: fix changes data silently --------------------------------------------------
def test_fix_never_resolves_a_duplicate_key(tmp_path, capsys):
    source = tmp_path / "train.jsonl"
    source.write_text(
        '{"C_ID": 0, "T_ID": 0, "Text": "a", "Completion": "b"}\n'
        '{"C_ID": 3, "C_ID": 4, "T_ID": 0, "Text": "c", "Completion": "d"}\n'
        '{"C_ID": 1, "T_ID": 0, "Text": "e", "Completion": "f"}\n', encoding="utf-8")
    out = tmp_path / "fixed.jsonl"
    result = run_here(capsys, ["fix", str(source), "--output", str(out), "--rejects", str(tmp_path / "rej.jsonl"),
                               "--format", "json"])
    summary = json.loads(result.out)
    rejected = [json.loads(line) for line in (tmp_path / "rej.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rejected] == [2]
    assert rejected[0]["code"] == "header.duplicate-column"
    assert '"C_ID": 3, "C_ID": 4' in rejected[0]["raw"]
    assert "c" not in [json.loads(line)["Text"] for line in out.read_text().splitlines()]
    assert [r["code"] for r in summary["remaining"]] == ["rows.too-few"]  # three rows: only the count

    kept = run_here(capsys, ["fix", str(source), "--output", str(tmp_path / "kept.jsonl")])
    assert kept.code == 1 and "header.duplicate-column" in kept.out


def test_fix_never_rewrites_an_object_value_silently(tmp_path, capsys):
    source = tmp_path / "train.jsonl"
    source.write_text(
        '{"C_ID": 0, "T_ID": 0, "Text": "a", "Completion": "b"}\n'
        '{"C_ID": 1, "T_ID": 0, "Text": {"q": 1}, "Completion": "d"}\n', encoding="utf-8")
    out = tmp_path / "fixed.jsonl"
    result = run_here(capsys, ["fix", str(source), "--output", str(out)])
    assert result.code == 1 and "value.type" in result.out
    assert out.read_text().splitlines()[1] == '{"C_ID": 1, "T_ID": 0, "Text": {"q": 1}, "Completion": "d"}'


def test_fix_outputs_have_the_permissions_of_a_normal_file(tmp_path, capsys):
    source = tmp_path / "train.csv"
    source.write_text(VALID, encoding="utf-8")
    out = tmp_path / "fixed.csv"
    old = os.umask(0o022)
    try:
        assert run_here(capsys, ["fix", str(source), "--output", str(out)]).code == 0
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.name.startswith("fixed")}
    assert modes == {"fixed.csv": 0o644, "fixed.changes.jsonl": 0o644, "fixed.mapping.csv": 0o644}


def _few_mb_dataset(path, rows: int = 40_000) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("C_ID,T_ID,Text,Completion\n")
        for i in range(rows):
            handle.write(f"{i},0,질문  {i} 한국어 문장입니다,답변 {i} {'가' * 20}\n")


def _outputs_complete_or_none(folder, names: list[str]) -> str:
    present = [n for n in names if (folder / n).exists()]
    assert not _leftovers(str(folder)) or True  # kill -9 cannot clean; checked separately for SIGTERM
    if not present:
        return "none"
    assert present == names, f"only {present} of {names}"
    mapping = (folder / names[2]).read_text(encoding="utf-8").splitlines()
    fixed = (folder / names[0]).read_text(encoding="utf-8").splitlines()
    assert len(mapping) == len(fixed), "the mapping is partial"
    for line in (folder / names[1]).read_text(encoding="utf-8").splitlines():
        json.loads(line)
    return "all"


def _spawn(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gx_clova", *argv], env=dict(os.environ, PYTHONPATH=ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["TERM", "INT", "KILL"])
def test_fix_killed_leaves_all_outputs_or_none(tmp_path, how):
    source = tmp_path / "train.csv"
    _few_mb_dataset(source)
    names = ["fixed.csv", "fixed.changes.jsonl", "fixed.mapping.csv"]
    started = time.monotonic()
    whole = _spawn(["fix", str(source), "--output", str(tmp_path / "whole" / "fixed.csv")])
    whole.communicate(timeout=300)
    duration = time.monotonic() - started  # the kill points are fractions of a whole run (machine load varies)
    outcomes = []
    for fraction in (0.3, 0.7, 0.9, 0.97, 1.0):
        out = tmp_path / f"run{fraction}"
        out.mkdir()
        child = _spawn(["fix", str(source), "--output", str(out / "fixed.csv")])
        time.sleep(duration * fraction)
        child.send_signal(how)
        _, err = child.communicate(timeout=300)
        assert b"Traceback" not in err
        outcomes.append(_outputs_complete_or_none(out, names))
        if how != signal.SIGKILL:
            assert _leftovers(str(out)) == [], (fraction, child.returncode, err)
            # 130: interrupted, temporary files removed; -15 / -2: ended by the signal's default
            # action, which the interpreter has before gx-clova sets its handler (still starting up,
            # nothing written yet) and again while it shuts down after the command finished
            # (everything written). The outputs are checked above either way.
            assert child.returncode in (0, 130, -signal.SIGTERM, -signal.SIGINT), (fraction, child.returncode, err)
    print(f"{how!r}: {outcomes}")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_validate_docs_killed_leaves_no_half_page(tmp_path, how):
    source = tmp_path / "train.csv"
    _few_mb_dataset(source, rows=20_000)
    started = time.monotonic()
    whole = _spawn(["validate", str(source), "--docs", str(tmp_path / "whole")])
    whole.communicate(timeout=300)
    duration = time.monotonic() - started  # kill points are fractions of a whole run (machine load varies)
    for fraction in (0.3, 0.7, 1.0):
        site = tmp_path / f"site{fraction}"
        child = _spawn(["validate", str(source), "--docs", str(site)])
        time.sleep(duration * fraction)
        child.send_signal(how)
        _, err = child.communicate(timeout=120)
        assert b"Traceback" not in err
        if how != signal.SIGKILL and site.exists():
            assert _leftovers(str(site)) == [], (fraction, child.returncode, err)
        for page in site.rglob("*.html") if site.exists() else []:
            if not page.name.startswith(TEMP_PREFIXES):  # kill -9 cannot remove a temporary file
                assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
        if fraction != 0.7:
            continue
        # Afterwards the folder is still gx-clova's: the next run may write it again.
        again = run_child(["validate", str(source), "--docs", str(site)], timeout=300)
        assert again.code == 0, (fraction, again.err)
        assert (site / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


# -- observation 6: statuses --------------------------------------------------------------------
@pytest.mark.parametrize("cap_mib", [500, 800, 900])
def test_a_memory_cap_is_a_message_never_a_signal(tmp_path, cap_mib):
    source = tmp_path / "train.csv"
    _few_mb_dataset(source, rows=200_000)  # 25 MB
    done = subprocess.run(["prlimit", f"--as={cap_mib << 20}", sys.executable, "-m", "gx_clova", "validate",
                           str(source)], capture_output=True, timeout=300, env=dict(os.environ, PYTHONPATH=ROOT))
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1, 3), (done.returncode, err)
    if done.returncode == 3:
        assert err.startswith("gx-clova: out of memory"), err
        assert ("--stream" in err or "even in streaming mode" in err) and "Traceback" not in err


def test_output_errors_exit_4_even_when_the_dataset_passed(tmp_path, capsys):
    data = tmp_path / "train.csv"
    data.write_text(VALID, encoding="utf-8")
    result = run_here(capsys, ["validate", str(data), "--output", str(tmp_path)])
    assert result.code == 4
    assert result.err.startswith(f"gx-clova: cannot write {tmp_path}:")
