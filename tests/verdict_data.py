"""The verdict matrix's datasets: one passes clean, one passes with warnings only, one fails."""

from __future__ import annotations

import csv
import os
import shutil

HEADER = ["System_Prompt", "C_ID", "T_ID", "Text", "Completion"]
SYSTEM = "고객 문의에 친절하게 답하는 상담원입니다."
ROWS = 1000  # the guide recommends 1,000 to 100,000 rows: fewer is a warning of its own
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))



def rows() -> list[list[str]]:
    return [[SYSTEM, str(i), "0", f"{i}번 주문의 배송 상태를 알려 주세요.", f"{i}번 주문은 오늘 출발했습니다."]
            for i in range(ROWS)]


def write(path, rows) -> str:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def make_datasets(folder) -> dict[str, str]:
    clean = rows()
    warnings = rows()
    warnings[500][3:] = warnings[499][3:]                         # duplicate.row (a warning)
    warnings[700][3] = "연락처는 010-1234-5678 입니다. 배송 상태를 알려 주세요."  # pii.phone-number (a warning)
    failing = rows()
    failing[300][4] = "가" * 8001                                  # row.too-long (an error)
    return {
        "clean": write(folder / "clean.csv", clean),
        "warnings": write(folder / "warnings.csv", warnings),
        "failing": write(folder / "failing.csv", failing),
    }


def scratch_project(folder, name: str = "project") -> str:
    """A copy of this repository's GX project (config, suites, checkpoints) to change freely."""
    project = folder / name
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "uncommitted", "out", "bench", "tests", "examples", "docs", "test-artifacts", "*.pyc"))
    return str(project)
