"""One SparkSession for the whole test session (local[2], loopback only, small shuffles).

Spark tests never skip: the test set-up installs the spark extra, and a machine without Java 17
fails here with the reason.

``scripts/test`` runs the Spark tests in one process of their own (one JVM), after the others
ran on every core (pytest-xdist).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark():
    from gx_clova.spark import get_session

    session = get_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g",
                                       "spark.default.parallelism": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="session")
def report_schema():
    """A validator for docs/report.schema.json, the JSON report's contract (draft 2020-12)."""
    import json
    import os

    from jsonschema import Draft202012Validator

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "report.schema.json")
    with open(path, encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
