"""One SparkSession for the whole test session (local[2], loopback only, small shuffles).

Spark tests never skip: the test set-up installs the spark extra, and a machine without Java 17
fails here with the reason.
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
