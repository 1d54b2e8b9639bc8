"""The Spark twins of :mod:`gx_clova.rules.quality`: the same findings from a Spark DataFrame."""

from __future__ import annotations

import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.rules.quality import TEXT_COLUMNS, _duplicate_findings, check_text, prefilter_mask


def check_text_spark(frame) -> list[Finding]:
    """:func:`check_text` on a Spark DataFrame: the same RE2 prefilter runs on the executors'
    Arrow batches (``mapInArrow``), only the flagged rows come to the driver, and
    :func:`check_text` decides on them exactly, as on Arrow.

    Not a Java ``rlike``: the prefilter's character class has some 280 ranges, which
    ``java.util.regex`` tests one by one for every character (430 CPU seconds for one task of a
    1M-row file); RE2 compiles the class once into a table (about 2 CPU seconds on Arrow).
    """
    from gx_clova.spark.rules._common import failing

    names = [name for name in TEXT_COLUMNS if name in frame.columns]
    if not names:
        return []
    selected = frame.select(LINE, *names)

    def keep_flagged(batches):
        for batch in batches:
            masks = [prefilter_mask(batch.column(name)) for name in names]
            keep = masks[0]
            for mask in masks[1:]:
                keep = pc.or_(keep, mask)
            yield batch.filter(keep)

    return check_text(failing(selected.mapInArrow(keep_flagged, selected.schema), *names))


def check_duplicates_spark(frame) -> list[Finding]:
    """:func:`check_duplicates` on a Spark DataFrame; only the repeated and conflicting rows'
    lines reach the driver.

    Conversations are runs of one ``C_ID`` by line (:func:`gx_clova.rules._spark.with_runs`); each
    conversation's turns are gathered into one array (a conversation, not the dataset, is what
    one task holds) where every turn's prefix gets a SHA-256 chained from the turn before it, so
    equal prefixes mean equal conversations up to that turn; inputs and answers are compared by
    their SHA-256 too (exact up to a SHA-256 collision).
    """
    if spec.TEXT not in frame.columns:
        return []
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing, with_runs

    def cell(name: str):
        return F.coalesce(F.col(name), F.lit("")) if name in frame.columns else F.lit("")

    # Every row is carried by digests from here on: the grouping and the shuffles below move
    # 64-character hashes, not the texts (moving the texts made this the slowest Spark job, 163 of
    # 205 s for 1M rows). "asked" is the input (System_Prompt and Text, JSON-framed so no two
    # splits of one string collide), "answer" the Completion, "h" the pair.
    base = frame.select(
        LINE, *([spec.C_ID] if spec.C_ID in frame.columns else []),
        F.sha2(F.to_json(F.array(cell(spec.SYSTEM_PROMPT), cell(spec.TEXT))), 256).alias("asked"),
        F.sha2(cell(spec.COMPLETION), 256).alias("answer"),
    ).withColumn("h", F.sha2(F.concat(F.col("asked"), F.col("answer")), 256))
    ran = with_runs(base, spec.C_ID) if spec.C_ID in frame.columns else base.withColumn("__run__", F.col(LINE))
    turns = ran.groupBy("__run__").agg(
        F.array_sort(F.collect_list(F.struct(LINE, "h", "asked", "answer"))).alias("turns"))
    chained = turns.withColumn("prefixes", F.aggregate(
        "turns", F.array().cast("array<string>"),
        lambda acc, turn: F.concat(acc, F.array(F.sha2(
            F.concat(F.coalesce(F.try_element_at(acc, F.lit(-1)), F.lit("")), turn["h"]), 256))),
    ))
    rows = chained.select(F.explode(F.transform("turns", lambda turn, i: F.struct(
        turn[LINE].alias(LINE), i.alias("depth"), turn["asked"].alias("asked"), turn["answer"].alias("answer"),
        F.element_at("prefixes", i + 1).alias("prefix"),
        F.when(i > 0, F.element_at("prefixes", i)).otherwise(F.lit("")).alias("before"),
    ))).alias("row")).select("row.*")
    firsts = rows.groupBy("prefix").agg(F.min(LINE).alias("first"), F.count(F.lit(1)).alias("n")).where("n > 1")
    repeated = failing(rows.join(firsts, "prefix").where(F.col(LINE) != F.col("first")), "first", "depth")
    groups = rows.groupBy("before", "asked").agg(
        F.count_distinct("answer").alias("answers"), F.min(LINE).alias("group")).where("answers > 1")
    conflicting = failing(rows.join(groups, ["before", "asked"]), "group", "answers").to_pylist()
    by_group: dict[int, tuple[list[int], int]] = {}
    for row in conflicting:  # in line order, so each group's lines are too
        by_group.setdefault(row["group"], ([], row["answers"]))[0].append(row[LINE])
    return _duplicate_findings(
        [(row[LINE], row["first"], row["depth"]) for row in repeated.to_pylist()],
        [by_group[group] for group in sorted(by_group)],
    )
