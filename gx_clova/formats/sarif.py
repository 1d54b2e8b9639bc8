"""SARIF 2.1.0 (code scanning): one run, one result per failing line (``ruleId`` = the failure
code, location = file + line), at most :data:`SARIF_LINES_PER_CODE` per code and file, then one
result saying how many more; a finding without lines (too few rows) is one result on the file.
The JSON report (``--format json``) stays the complete list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from gx_clova import __version__
from gx_clova.codes import CATALOGUE, ERROR, order_key
from gx_clova.escape import for_terminal
from gx_clova.findings import Finding
from gx_clova.formats.common import MORE, Unreadable, artifact_path, line_messages
from gx_clova.report import Report

SARIF_LINES_PER_CODE = 1_000
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def write(reports: Sequence[Report], unreadable: Sequence[Unreadable] | None = None, color: bool = False) -> str:
    return sarif(reports, unreadable or ())


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
        return [{**base, "message": {"text": for_terminal(finding.message)},
                 "locations": [{"physicalLocation": location}], "properties": {"count": finding.count}}]
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
