"""`gx-clova rules`, docs/rules.md and docs/cli.md: the reference is generated from the code, never drifts."""

from __future__ import annotations

import importlib
import json
import os
import re

import pytest

from gx_clova import reference, spec
from gx_clova.cli import main
from gx_clova.cli import reference as files
from gx_clova.codes import CATALOGUE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")


@pytest.fixture(scope="module")
def found():
    return reference.rules()


def _stored(name: str) -> str:
    with open(os.path.join(DOCS, name), encoding="utf-8") as handle:
        return handle.read()


def test_docs_rules_md_matches_code(found):
    """Fails when code and docs/rules.md drift: run `python -m gx_clova.reference --write docs`."""
    assert _stored("rules.md") == reference.as_markdown(found)


def test_docs_cli_md_matches_code():
    """Fails when the CLI and docs/cli.md drift: run `python -m gx_clova.reference --write docs`."""
    assert _stored("cli.md") == files.cli_markdown()


def test_cli_md_has_every_command_and_exit_status():
    text = _stored("cli.md")
    for name in ("validate", "gate", "checkpoint", "fix", "init", "submit", "status", "demo", "suites", "rules"):
        assert f"\n## gx-clova {name}\n\n```text\nusage: gx-clova {name} " in text, name
    for status in (0, 1, 2, 3, 4):
        assert f"\n| {status} | " in text


def test_the_generator_writes_both_files(tmp_path, found):
    written = files.main(["--write", str(tmp_path)])
    assert written == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8") == reference.as_markdown(found)
    assert (tmp_path / "cli.md").read_text(encoding="utf-8") == files.cli_markdown()


def test_every_catalogue_code_is_listed_once_in_catalogue_order(found):
    assert [r["code"] for r in found] == list(CATALOGUE)


def test_every_code_names_an_expectation_and_kernels_that_exist(found):
    for record in found:
        assert record["expectation"], f"{record['code']} is in no suite"
        module = importlib.import_module(record["expectation_module"])
        assert getattr(module, record["expectation"]).__name__ == record["expectation"]
        assert set(record["tasks"]) <= set(spec.TASKS) and record["tasks"]
        assert record["kernels"], record["code"]
        for kernel in record["kernels"] + record["spark_kernels"]:
            if kernel.startswith(("(", "built-in: ")):
                continue
            module_name, _, function = kernel.rpartition(".")
            assert callable(getattr(importlib.import_module(module_name), function)), kernel


def test_parameters_are_the_spec_values(found):
    by_code = {r["code"]: r for r in found}
    assert by_code["row.too-long"]["parameters"] == {"max_chars": spec.MAX_ROW_CHARS}
    assert by_code["class.too-few-rows"]["parameters"] == {"min_rows_per_label": spec.MIN_ROWS_PER_LABEL}
    assert by_code["rows.outside-recommended"]["parameters"] == dict(zip(("min_value", "max_value"),
                                                                        spec.RECOMMENDED_ROWS, strict=True))
    assert by_code["class.label-format"]["tasks"] == ["classification"]
    assert by_code["c_id.sequence"]["kernels"] == ["gx_clova.rules.ids.check_c_id", "gx_clova.rules.ids.check_t_id"]
    assert by_code["duplicate.row"]["spark_kernels"] == ["gx_clova.spark.rules.quality.check_duplicates_spark"]


def test_cli_json_is_the_same_records(found, capsys):
    assert main(["rules", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"rules": json.loads(json.dumps(found))}


def test_cli_text_is_one_line_per_code(capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["CODE", "TITLE", "SEVERITY", "RULE", "EXPECTATION", "PARAMETERS", "TASKS"]
    assert [line.split()[0] for line in lines[1:]] == list(CATALOGUE)
    columns = {re.split(r"\s{2,}", line)[0]: re.split(r"\s{2,}", line) for line in lines[1:]}
    assert columns["row.too-long"][:5] == ["row.too-long", "Row too long", "error", "T3",
                                           "ExpectClovaRowLengthToBeAtMost"]
    assert [row[1] for row in columns.values()] == [entry.title for entry in CATALOGUE.values()]


def test_every_code_shows_its_title_and_message_templates(found):
    by_code = {r["code"]: r for r in found}
    for code, entry in CATALOGUE.items():
        assert (by_code[code]["title"], by_code[code]["message"], by_code[code]["message_variants"]) == \
            (entry.title, entry.message, entry.variants)
    markdown = reference.as_markdown(found)
    assert "| [`text.empty`](#textempty) | Empty Text | error | T1 |" in markdown
    assert "- Message: {rows} row(s) with an empty Text\n" in markdown
    assert "- Message (bom): the file is {detected}, not UTF-8: save it as UTF-8\n" in markdown


def test_cli_rejects_an_unknown_format(capsys):
    assert main(["rules", "--format", "yaml"]) == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err


def test_nothing_points_outside_the_repository():
    """A user who clones the repository has only the repository: no text may send them elsewhere."""
    outside = ("../" + "shared", "SPEC" + ".md", "SPEC" + " §")
    offenders = []
    for top in ("README.md", "CONTRIBUTING.md", "pyproject.toml", "gx_clova", "docs", "tests", "bench", "scripts",
                "examples", ".ci"):
        path = os.path.join(ROOT, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(d, f) for d, _, names in os.walk(path) for f in names if "__pycache__" not in d]
        for name in files:
            try:
                with open(name, encoding="utf-8") as handle:
                    text = handle.read()
            except UnicodeDecodeError:
                continue  # binary files (the screenshot)
            offenders += [f"{os.path.relpath(name, ROOT)}: {m}" for m in outside if m in text]
    assert offenders == []


def test_contributing_walks_through_files_and_names_that_exist():
    """CONTRIBUTING.md's "How to add a rule" names real files and a real rule's real pieces."""
    from gx_clova import registry
    from gx_clova.gx import metrics
    from gx_clova.gx.expectations import quality

    text = _stored(os.path.join("..", "CONTRIBUTING.md"))
    paths = set(re.findall(r"(?:gx_clova|tests|docs|expectations)/[\w/.-]+\.(?:py|yml|md|json)", text))
    assert "gx_clova/registry.py" in paths
    assert [p for p in paths if not os.path.isfile(os.path.join(ROOT, p))] == []
    assert spec.MAX_LABEL_IMBALANCE == 10 and "MAX_LABEL_IMBALANCE: int = 10" in text
    rule = registry.rule_of("class.imbalance")
    assert metrics.LabelQualityFindings.metric_name == rule.metric == "clova.label_quality_findings"
    assert f'"{rule.template}"' in text
    assert f'Rule("{rule.expectation}", (\n        Code("class.imbalance", WARNING' in text
    assert f'), "{rule.metric}",' in text and rule.catalogue[0].severity == "warning"
    assert f'"{rule.params["max_ratio"].description}"' in text
    entry = rule.catalogue[0]
    assert f'title="{entry.title}",' in text
    assert 'message="' + entry.message.replace("): {shown}", '): "\n                     "{shown}') + '"),' in text
    call = 'message("class.imbalance", labels=len(under), max_ratio=max_ratio, top=top, largest=largest,'
    with open(os.path.join(ROOT, "gx_clova", "rules", "label_quality.py"), encoding="utf-8") as handle:
        assert call in handle.read() and call in text
    expectation = quality.ExpectClovaLabelsToBeBalanced
    assert (expectation.findings_metric, expectation.codes) == (rule.metric, ("class.imbalance",))
    assert 'max_ratio: int = parameter("class.imbalance", "max_ratio")' in text
    with open(os.path.join(ROOT, "tests", "cases", "quality.yml"), encoding="utf-8") as handle:
        cases = handle.read()
    assert "- name: Q class.imbalance the largest label over ten times the smallest\n" in cases
    assert "labels: {밴드계정: 2001, 밴드보안: 200}" in cases and "labels: {밴드계정: 2001, 밴드보안: 200}" in text
