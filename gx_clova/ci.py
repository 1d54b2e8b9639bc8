"""Reports for CI systems: SARIF 2.1.0 (code scanning), GitHub annotations, JUnit for many files.

Each takes the reports of one or more datasets, plus the datasets that could not be read
(``unreadable``: ``(path, reason)``), and returns text. No GX import.

- SARIF: one run, one result per failing line (``ruleId`` = the failure code, location = file +
  line), at most :data:`SARIF_LINES_PER_CODE` per code and file, then one result saying how many
  more; a finding without lines (too few rows) is one result on the file. The JSON report
  (``--format json``) stays the complete list.
- GitHub: ``::error file=…,line=…,title=…::message`` workflow commands, at most
  :data:`ANNOTATIONS_PER_CODE` per code and file (GitHub shows only the first few per step
  anyway), then one for the rest. Values are escaped so a dataset value cannot end the command
  or start another.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from typing import Iterable

from gx_clova import __version__, spec
from gx_clova.codes import CATALOGUE, ERROR, order_key
from gx_clova.escape import for_terminal, for_xml, github_data, github_property
from gx_clova.excerpts import problems_by_line
from gx_clova.findings import Finding
from gx_clova.report import Report

SARIF_LINES_PER_CODE = 1_000
ANNOTATIONS_PER_CODE = spec.CONSOLE_LINES
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MORE = "the JSON report (gx-clova validate --format json) lists every line"

Unreadable = tuple[str, str]


def artifact_path(uri: str, base: str | None = None) -> str:
    """A repository-relative path for a file under ``base`` (default: the working directory);
    anything else (``s3://…``, a path elsewhere) as given."""
    if "://" in uri or not os.path.isabs(uri):
        return uri.replace(os.sep, "/")
    base = os.path.abspath(base or os.getcwd())
    relative = os.path.relpath(uri, base)
    return uri if relative.startswith("..") else relative.replace(os.sep, "/")


def line_messages(finding: Finding) -> dict[int, str]:
    """What to say at each failing line: why it failed when the rule said, else what must hold."""
    why = problems_by_line(finding.details)
    rule = CATALOGUE[finding.code].requirement
    return {line: f"{why[line]} (must hold: {rule})" if line in why else f"must hold: {rule}" for line in finding.lines}


# -- SARIF ---------------------------------------------------------------------------------------
def sarif(reports: Iterable[Report], unreadable: Iterable[Unreadable] = (), base: str | None = None) -> str:
    reports = list(reports)
    codes = sorted({f.code for r in reports for f in r.failures}, key=order_key)
    rule_index = {code: i for i, code in enumerate(codes)}
    artifacts, results = [], []
    for report in reports:
        path = artifact_path(str(report.source.get("uri", "")), base)
        index = len(artifacts)
        artifact = {"location": {"uri": path}, "length": report.source.get("bytes"),
                    "encoding": report.source.get("encoding") or None}
        if report.source.get("sha256"):
            artifact["hashes"] = {"sha-256": report.source["sha256"]}
        artifacts.append({k: v for k, v in artifact.items() if v is not None})
        for finding in report.failures:
            results.extend(_sarif_results(finding, path, index, rule_index[finding.code]))
    notifications = [
        {"level": "error", "message": {"text": for_terminal(f"cannot read {path}: {reason}")},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_path(path, base)}}}]}
        for path, reason in unreadable
    ]
    run = {
        "tool": {"driver": {"name": "gx-clova", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(code) for code in codes]}},
        "artifacts": artifacts,
        "results": results,
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2) + "\n"


def _rule(code: str) -> dict:
    entry = CATALOGUE[code]
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": entry.requirement},
        "defaultConfiguration": {"level": "error" if entry.severity == ERROR else "warning"},
        "properties": {"spec_rule": entry.ref, "tags": ["clova-studio", "dataset"]},
    }


def _sarif_results(finding: Finding, path: str, artifact: int, rule: int) -> list[dict]:
    level = "error" if finding.severity == ERROR else "warning"
    location = {"artifactLocation": {"uri": path, "index": artifact}}
    base = {"ruleId": finding.code, "ruleIndex": rule, "level": level}
    if not finding.lines:
        return [{**base, "message": {"text": for_terminal(finding.message)}, "locations": [{"physicalLocation": location}],
                 "properties": {"count": finding.count}}]
    why = line_messages(finding)
    out = [
        {**base, "message": {"text": for_terminal(why[line])},
         "locations": [{"physicalLocation": {**location, "region": {"startLine": line}}}]}
        for line in finding.lines[:SARIF_LINES_PER_CODE]
    ]
    rest = len(finding.lines) - SARIF_LINES_PER_CODE
    if rest > 0:
        out.append({**base, "message": {"text": f"{rest:,} more line(s) with {finding.code}; {MORE}"},
                    "locations": [{"physicalLocation": location}], "properties": {"count": finding.count}})
    return out


# -- GitHub annotations --------------------------------------------------------------------------
def _command(level: str, path: str, title: str, message: str, line: int | None = None) -> str:
    """One workflow command; every value escaped by GitHub's rules, other control characters
    (ANSI escapes) as ``\\xNN`` so the log shows them instead of obeying them."""
    where = f"file={github_property(_visible(path))}" + (f",line={line}" if line else "")
    return f"::{level} {where},title={github_property(_visible(title))}::{github_data(_visible(message))}"


def _visible(text: str) -> str:
    """Line breaks (CR, LF) stay for GitHub's own escaping (``%0D``, ``%0A``); other control
    characters become ``\\xNN``."""
    return "\r".join(for_terminal(part, keep_newlines=True) for part in text.split("\r"))


def github(reports: Iterable[Report], unreadable: Iterable[Unreadable] = (), base: str | None = None) -> str:
    out = []
    for report in reports:
        path = artifact_path(str(report.source.get("uri", "")), base)
        for finding in report.failures:
            level = "error" if finding.severity == ERROR else "warning"
            title = f"{finding.code} ({CATALOGUE[finding.code].ref})"
            if not finding.lines:
                out.append(_command(level, path, title, finding.message))
                continue
            why = line_messages(finding)
            for line in finding.lines[:ANNOTATIONS_PER_CODE]:
                out.append(_command(level, path, title, why[line], line))
            rest = len(finding.lines) - ANNOTATIONS_PER_CODE
            if rest > 0:
                out.append(_command(level, path, title, f"{rest:,} more line(s) with {finding.code}; {MORE}"))
        verdict = "passed" if report.success else "FAILED"
        out.append(f"gx-clova: {for_terminal(path)} {verdict} ({len(report.errors)} error code(s), {len(report.warnings)} warning code(s))")
    for path, reason in unreadable:
        out.append(_command("error", artifact_path(path, base), "gx-clova: unreadable", reason))
    return "\n".join(out) + "\n"


# -- JUnit for several files ---------------------------------------------------------------------
def junit(reports: Iterable[Report], unreadable: Iterable[Unreadable] = ()) -> str:
    """One ``<testsuite>`` per dataset (as ``gx-clova validate --format junit`` writes it), and one
    with an ``<error>`` per file that could not be read."""
    from gx_clova.output import junit as junit_one

    root = ET.Element("testsuites")
    for report in reports:
        root.extend(ET.fromstring(junit_one(report)).findall("testsuite"))
    unreadable = list(unreadable)
    if unreadable:
        suite = ET.SubElement(root, "testsuite", name="gx-clova: unreadable datasets",
                              tests=str(len(unreadable)), failures="0", errors=str(len(unreadable)))
        for path, reason in unreadable:
            case = ET.SubElement(suite, "testcase", classname="gx_clova.source", name=for_xml(path))
            ET.SubElement(case, "error", type="unreadable", message=for_xml(reason)).text = for_xml(reason)
    suites = root.findall("testsuite")
    root.set("tests", str(sum(int(s.get("tests", 0)) for s in suites)))
    root.set("failures", str(sum(int(s.get("failures", 0)) for s in suites)))
    root.set("errors", str(sum(int(s.get("errors", 0)) for s in suites)))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
