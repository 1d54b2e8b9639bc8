"""The JSON report (docs/report.schema.json): one dataset's report as is; a gate's reports in
one object with the overall verdict and the datasets that could not be read."""

from __future__ import annotations

import json
from collections.abc import Sequence

from gx_clova.formats.common import Unreadable
from gx_clova.report import SCHEMA_VERSION, Report

JSON_INDENT = 2


def write(reports: Sequence[Report], unreadable: Sequence[Unreadable] | None = None, color: bool = False) -> str:
    if unreadable is None:
        (report,) = reports
        return report.to_json() + "\n"
    return json.dumps({
        "schema_version": SCHEMA_VERSION,
        "success": not unreadable and all(r.success for r in reports),
        "reports": [r.to_dict() for r in reports],
        "unreadable": [{"source": s, "reason": why} for s, why in unreadable],
    }, ensure_ascii=False, indent=JSON_INDENT) + "\n"
