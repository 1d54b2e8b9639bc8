"""One SparkSession for the whole test session (local[2], loopback only, small shuffles).

Spark tests never skip: the test set-up installs the spark extra, and a machine without Java 17
fails here with the reason.

``scripts/test`` runs the whole suite on every core (pytest-xdist, ``--dist worksteal``): each
worker that draws a Spark test starts one JVM and keeps it for the rest of its run.
"""

from __future__ import annotations

import pytest

#: Settings for the tests' session, whose datasets are a few hundred rows. Measured on one small
#: validation (120 rows, 2 cores, load ~2, after warm-up): 63 Spark jobs, ~7.5 s and ~14 s of CPU
#: with Spark's defaults; 26 jobs, ~6.8 s and ~7.5 s of CPU without adaptive execution (it runs
#: every shuffle stage as a job of its own) on one shuffle partition, with the JVM's serial
#: collector and its quick (C1) JIT only (the C2 compiler's threads cost more than they win on
#: datasets this small; on a loaded machine the CPU is the wall time). Code generation is off too:
#: Spark compiles Java for every query, which costs more than it saves on a few hundred rows
#: (measured 26 Nov, quiet machine: ~5.3 → ~4.2 s per validation, 3.3 s once warm; the 92 Spark
#: tests in one process 705 → 512 s). Spark's default, compiled path is still tested:
#: tests/test_spark_memory.py validates 400k rows with every rule and warning in a JVM of its own
#: with Spark's defaults, and bench/spark_scale.py uses them. The reports are the same:
#: every rule orders by ``__line__``, never by partition, and the tests that need several
#: partitions (line buckets, positions) repartition their frames themselves.
TEST_CONFIG = {
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "1g",
    "spark.python.worker.reuse": "true",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}
TEST_JAVA_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"


@pytest.fixture(scope="session")
def spark():
    from gx_clova.spark import get_session
    from gx_clova.spark.session import DEFAULT_MASTER, base_config

    java = f"{base_config(DEFAULT_MASTER)['spark.driver.extraJavaOptions']} {TEST_JAVA_OPTIONS}"
    session = get_session("local[2]", {**TEST_CONFIG, "spark.driver.extraJavaOptions": java})
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
