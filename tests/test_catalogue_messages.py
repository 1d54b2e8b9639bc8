"""The catalogue holds each code's title and message templates once: every finding's message is a
catalogue template filled in (:func:`gx_clova.registry.message`), and no module spells one itself."""

from __future__ import annotations

import ast
import gzip
import re
import string
from pathlib import Path

import pytest
from test_rule_cases import CASES, _report, _write

from gx_clova import registry
from gx_clova.codes import CATALOGUE
from gx_clova.reading import read_dataset
from gx_clova.sources import LocalSource
from gx_clova.validation import validate_dataset

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gx_clova"
TEMPLATES = [(code, variant, template) for code, entry in CATALOGUE.items()
             for variant, template in entry.templates().items()]


def _sample(template: str) -> dict[str, object]:
    """A value for each field: a number where the template formats one (``{rows:,}``), else text."""
    fields = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name and name in registry.template_fields(template):
            fields[name] = 1234 if spec else f"<{name}>"
    return fields


def _pattern(template: str) -> re.Pattern[str]:
    """What a message of ``template`` looks like: the words as written, any text for each field."""
    out = ""
    for literal, name, _, _ in string.Formatter().parse(template):
        out += re.escape(literal)
        if name is not None:
            out += re.escape(str(registry.WORDS[name])) if name in registry.WORDS else "(.+?)"
    return re.compile(out + r"\Z", re.DOTALL)


PATTERNS = {(code, variant): _pattern(template) for code, variant, template in TEMPLATES}


def _templates_of(code: str, text: str) -> list[str]:
    return [variant for (c, variant), pattern in PATTERNS.items() if c == code and pattern.match(text)]


def test_every_code_has_a_title_and_a_message_template():
    for code, entry in CATALOGUE.items():
        assert entry.title.strip() and entry.title[0].isupper(), code
        assert entry.message.strip(), code
        assert all(template.strip() for template in entry.variants.values()), code
    titles = [entry.title for entry in CATALOGUE.values()]
    assert len(set(titles)) == len(titles), "two codes share a title"


@pytest.mark.parametrize("code, variant, template", TEMPLATES, ids=[f"{c}-{v or 'message'}" for c, v, _ in TEMPLATES])
def test_every_template_formats_with_its_fields_and_the_spec_words(code, variant, template):
    fields = _sample(template)
    text = registry.message(code, variant, **fields)
    assert "{" not in text and "}" not in text, text  # every field and every spec word filled in
    for name, value in fields.items():
        assert (f"{value:,}" if isinstance(value, int) else str(value)) in text or repr(value) in text, name
    assert _pattern(template).match(text)


def test_a_missing_an_extra_or_an_unknown_variant_is_a_programming_error():
    with pytest.raises(TypeError, match=r"missing fields \['rows'\]"):
        registry.message("text.empty")
    with pytest.raises(TypeError, match=r"unexpected fields \['column'\]"):
        registry.message("text.empty", rows=3, column="Text")
    with pytest.raises(TypeError, match="no message variant 'jsonl'"):
        registry.message("text.empty", "jsonl", rows=3)
    with pytest.raises(TypeError, match="missing fields"):
        registry.message("file.encoding", "bom")
    assert registry.message("text.empty", rows=1234) == "1,234 row(s) with an empty Text"


def _findings_of_every_case(tmp_path, request) -> list:
    found = []
    for number, case in enumerate(CASES):
        folder = tmp_path / f"case{number}"
        folder.mkdir()
        path, _ = _write(case, folder)
        found += _report(case, path, "fast", request, folder).failures
    extra = tmp_path / "extra"
    extra.mkdir()
    rows = "C_ID,T_ID,Text,Completion\n" + "".join(f"{i},0,질문 {i},답 {i}\n" for i in range(120))
    (extra / "packed.csv").write_bytes(gzip.compress(rows.encode(), mtime=0))
    (extra / "wide.csv").write_bytes(b"\xff\xfe" + rows.encode("utf-16-le"))
    for name in ("packed.csv", "wide.csv"):
        found += validate_dataset(read_dataset(LocalSource(str(extra / name))), task="generation").failures
    return found


def test_every_finding_is_a_catalogue_template_and_every_template_is_met(tmp_path, request):
    """Every rule case (and a compressed and a UTF-16 file): each finding's message is one of its
    code's templates filled in, and each template is some finding's message."""
    met = set()
    for finding in _findings_of_every_case(tmp_path, request):
        variants = _templates_of(finding.code, finding.message)
        assert variants, f"{finding.code}: {finding.message!r} is no catalogue template"
        met.update((finding.code, variant) for variant in variants)
    assert set(PATTERNS) - met == set(), "templates no case produces"


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "registry.py")


def _is_message_call(node: ast.AST) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == "message") or \
        (isinstance(func, ast.Attribute) and func.attr in ("message", "format_message"))


def _wording(expression: ast.AST) -> list[str]:
    """The words written into a finding's message expression: f-strings, and string literals other
    than separators (``"; "``) and the code and variant that ``message(...)`` takes."""
    allowed: set[int] = set()
    for node in ast.walk(expression):
        if _is_message_call(node):
            allowed.update(id(arg) for arg in node.args[:2])
    words = []
    for node in ast.walk(expression):
        if isinstance(node, ast.JoinedStr):
            words.append(ast.unparse(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed \
                and re.search(r"\w", node.value):
            words.append(node.value)
    return words


def test_no_finding_is_built_with_a_message_of_its_own():
    """Outside the registry, a ``Finding(code, message, ...)`` passes a catalogue message (or a value
    that holds one): never a literal or an f-string."""
    sites, offending = 0, []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Finding"):
                continue
            message = node.args[1] if len(node.args) > 1 else \
                next((k.value for k in node.keywords if k.arg == "message"), None)
            if message is None:
                continue
            sites += 1
            offending += [f"{path.relative_to(ROOT)}:{node.lineno}: {w!r}" for w in _wording(message)]
    assert sites >= 25, "the scan found too few Finding( sites to mean anything"
    assert offending == []


def test_no_module_but_the_registry_holds_a_templates_wording():
    """The longest run of words of each template (20 characters or more) is written nowhere else
    in the package: not in a string, not in an f-string's text."""
    literals = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    checked, copies = 0, []
    for code, variant, template in TEMPLATES:
        longest = max((literal for literal, *_ in string.Formatter().parse(template)), key=len)
        if len(longest.strip()) < 20:
            continue
        checked += 1
        copies += [f"{where}: {code} {variant!r}" for where, text in literals if longest in text]
    assert checked >= 30
    assert copies == []
