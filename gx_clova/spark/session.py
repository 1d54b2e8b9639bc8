"""The SparkSession gx-clova starts when the user does not bring one.

Local masters stay on the loopback interface (driver host, bind address and ``SPARK_LOCAL_IP``
are 127.0.0.1), the web UI is off, and Spark logs errors only. A user's own session is never
reconfigured: :func:`gx_clova.spark.validate_dataframe` and ``validate(..., spark=session)`` use it
as it is.
"""

from __future__ import annotations

import os
import sys
from typing import Any

#: ``--spark-master`` default: Spark in this process's JVM, on two cores.
DEFAULT_MASTER = "local[2]"
#: Driver heap unless ``GX_CLOVA_SPARK_DRIVER_MEMORY`` says otherwise. The data stays in Parquet
#: parts on disk, so the heap holds a few tasks' worth of rows and the failing lines.
DEFAULT_DRIVER_MEMORY = "2g"

_LOG_CONFIG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data",
                           "spark-log4j2.properties")


class SparkUnavailable(RuntimeError):
    """Spark cannot run here: pyspark is not installed, or its JVM does not start."""


def base_config(master: str) -> dict[str, str]:
    config = {
        "spark.app.name": "gx-clova",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "8",
        "spark.driver.memory": os.environ.get("GX_CLOVA_SPARK_DRIVER_MEMORY", DEFAULT_DRIVER_MEMORY),
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{_LOG_CONFIG}",
    }
    if master.startswith("local"):
        config["spark.driver.host"] = "127.0.0.1"
        config["spark.driver.bindAddress"] = "127.0.0.1"
    return config


def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(
            "the Spark engine needs the spark extra: pip install 'gx-clova[spark]' (and Java 17)"
        ) from None


def get_session(master: str | None = None, config: dict[str, Any] | None = None):
    """A SparkSession on ``master`` (default ``local[2]``) with gx-clova's settings and ``config``
    on top. If this process already has an active session, that one is returned unchanged."""
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or DEFAULT_MASTER
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Python workers (the leakage rule's mapInArrow) run this interpreter, which has pyarrow
        # and gx_clova, not whatever `python3` is first on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master)
    for key, value in {**base_config(master), **(config or {})}.items():
        builder = builder.config(key, str(value))
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say what to check
        raise SparkUnavailable(
            f"Spark did not start on {master} ({type(exc).__name__}); it needs Java 17 (check `java -version`)"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session
