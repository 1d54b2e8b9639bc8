"""Running a suite in Great Expectations and reading its result: the GX half of
:mod:`gx_clova.validation` (which runs the same kernels without GX on the direct path).

:func:`run_suite` validates a read dataset (pandas, or a Spark batch) in an ephemeral GX context,
with gx-clova's Data Docs site when asked; :func:`findings_of` turns the GX result into
gx-clova's findings and per-expectation summary.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from gx_clova.codes import ERROR, GX_PREFIX, WARNING
from gx_clova.findings import Finding
from gx_clova.gx import severity_name
from gx_clova.reading import Dataset
from gx_clova.rules.leakage import EvalSet

DOCS_SITE = "gx_clova"
DOCS_RESULTS = "gx_clova_docs_results"
RUN_NAME_CHARS = 80
#: Atomic writes, no symlink followed (see :mod:`gx_clova.gx.docs.backend`).
_SAFE_BACKEND = {"class_name": "SafeFilesystemStoreBackend", "module_name": "gx_clova.gx.docs.backend"}


@contextlib.contextmanager
def _without_dataframe_fingerprint() -> Iterator[None]:
    """GX md5-hashes every DataFrame under 1 GB on load to label the batch (2.7 s per
    million rows, measured). gx-clova labels the batch with the file's SHA-256 instead, so the fingerprint
    is switched off for the duration of the run and restored after."""
    from great_expectations.execution_engine import pandas_execution_engine as engine

    saved = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = saved


def run_suite(dataset: Dataset, task: str, docs_dir: str | None = None, eval_set: EvalSet | None = None,
              escalate: frozenset[str] = frozenset()) -> Any:
    """Run the task's suite on ``dataset`` in an ephemeral GX context. Returns the GX result.

    ``dataset`` is a :class:`Dataset` (pandas data source), or a Spark batch
    (:class:`gx_clova.spark.frames.SparkBatch`, ``engine == "spark"``: Spark data source, the
    batch's own SparkSession, its DataFrame as the batch). ``eval_set`` (the evaluation file's
    keys) reaches the leakage metric through the batch's ``DataFrame.attrs`` (pandas; a Spark
    batch carries it in its registered context, :func:`gx_clova.spark.validate_staged`);
    ``escalate`` names warning codes whose expectations become critical.
    """
    import great_expectations as gx
    from great_expectations.core.result_format import ResultFormat

    from gx_clova.batch import ATTRS_KEY, to_pandas
    from gx_clova.gx.suites import build_suite

    context = gx.get_context(mode="ephemeral")
    _quiet(context)
    suite = context.suites.add(build_suite(task, escalate=escalate))
    spark_batch = getattr(dataset, "engine", "pandas") == "spark"
    if spark_batch:
        # persist=False: the rows stay in their Parquet parts; each rule reads the columns it needs.
        source = context.data_sources.add_spark("gx_clova", persist=False)
        source._spark = dataset.frame.sparkSession  # GX's engine then uses this session
        asset = source.add_dataframe_asset("dataset")
    else:
        asset = context.data_sources.add_pandas("gx_clova").add_dataframe_asset("dataset")
    batch_definition = asset.add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite.name}:{dataset.facts.name}", data=batch_definition, suite=suite)
    )
    actions = [add_docs_site(context, docs_dir)] if docs_dir else []
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"gx_clova_{task}",
            validation_definitions=[definition],
            actions=actions,
            result_format=ResultFormat.BASIC,
        )
    )
    frame = dataset.frame if spark_batch else to_pandas(dataset)
    if eval_set is not None and not spark_batch:
        frame.attrs[ATTRS_KEY]["eval"] = eval_set
    with _without_dataframe_fingerprint():
        result = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=_run_id(dataset))
    return next(iter(result.run_results.values()))


def add_docs_site(context: Any, docs_dir: str, **site: Any) -> Any:
    """gx-clova's Data Docs site in ``docs_dir`` on ``context`` (escaped, script-free, offline, with
    the dataset summary; written through the backend that never follows a symlink, into a folder
    marked as gx-clova's), results kept beside it; the action that updates it. ``site`` adds to
    the site's configuration (e.g. another page renderer)."""
    from great_expectations.checkpoint import UpdateDataDocsAction

    from gx_clova.outputs import mark_docs_dir

    mark_docs_dir(docs_dir)
    _keep_results_with_docs(context, docs_dir)
    context.add_data_docs_site(
        site_name=DOCS_SITE,
        site_config={
            "class_name": "ClovaSiteBuilder",
            "module_name": "gx_clova.gx.docs",
            "store_backend": {**_SAFE_BACKEND, "base_directory": os.path.abspath(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            **site,
        },
    )
    return UpdateDataDocsAction(name="update_data_docs", site_names=[DOCS_SITE])


def _run_id(dataset: Dataset) -> Any:
    """The run is named after the dataset, so Data Docs' index says which file each result is
    (GX keys cannot hold a path separator: ``data/train.csv`` is named ``data › train.csv``)."""
    from great_expectations.core.run_identifier import RunIdentifier

    name = dataset.facts.uri.replace("\\", "/").replace("/", " › ")
    if len(name) > RUN_NAME_CHARS:  # one folder name in the site: keep it well under 255 bytes
        name = "…" + name[-(RUN_NAME_CHARS - 1):]
    return RunIdentifier(run_name=name)


def _keep_results_with_docs(context: Any, docs_dir: str) -> None:
    """Validation results are kept next to the site (``DIR/.gx-clova-results``), so the index of a
    site that several runs write into (``gx-clova gate``, the demo) lists every dataset."""
    context.add_store(DOCS_RESULTS, {
        "class_name": "ValidationResultsStore",
        "store_backend": {**_SAFE_BACKEND,
                          "base_directory": os.path.join(os.path.abspath(docs_dir), ".gx-clova-results")},
    })
    context.variables.validation_results_store_name = DOCS_RESULTS


def _quiet(context: Any) -> None:
    """No progress bars on stderr: the CLI shows its own."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False)


def _raised(info: Any) -> str | None:
    """The message of an exception GX caught while validating an expectation, else None. GX puts
    it at the top level, or (a metric that failed) under each failed metric's id."""
    if not isinstance(info, dict):
        return None
    for entry in (info, *(v for v in info.values() if isinstance(v, dict))):
        if entry.get("raised_exception"):
            return str(entry.get("exception_message") or "an exception")
    return None


def findings_of(suite_result: Any) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Failures out of a GX suite result, and one summary line per expectation.

    GX's verdict is the verdict: a finding is an error when its expectation did not succeed, and
    a warning when it succeeded anyway (gx-clova's warning-severity expectations succeed and
    carry their findings; ``--strict`` / ``--error CODE`` or a suite make them ``critical``, so
    they fail). An expectation that is not gx-clova's (a built-in one a user added to the suite)
    and failed is reported as an error under ``gx.<its type>``: so ``Report.success`` is
    ``suite_result.success``.
    """
    findings: list[Finding] = []
    summary: list[dict[str, Any]] = []
    for evr in suite_result.results:
        config = evr.expectation_config
        details = (evr.result or {}).get("details") or {}
        raised = _raised(evr.exception_info)
        if raised is not None:
            # A bug in a rule (or a failed Spark job) must not pass silently as "no findings".
            raise RuntimeError(f"{config.type} raised: {raised}")
        severity = severity_name(config)
        failures = list(details.get("failures") or [])
        codes = list(details.get("codes") or [])
        if not codes and "failures" not in details:  # not one of gx-clova's expectations
            codes = [GX_PREFIX + config.type]
            if not evr.success:
                failures = [_gx_failure(config, evr.result or {})]
        for failure in failures:
            finding = Finding.from_dict(failure)
            finding.severity = WARNING if evr.success else ERROR
            findings.append(finding)
        summary.append({
            "type": config.type,
            "success": bool(evr.success),
            "severity": severity,
            "codes": codes,
            **({"not_checked": details["not_checked"]} if details.get("not_checked") else {}),
        })
    return findings, summary


#: How many of a built-in expectation's unexpected values its finding's message quotes.
GX_VALUES_SHOWN = 5


def _gx_failure(config: Any, result: dict[str, Any]) -> dict[str, Any]:
    """A failing built-in GX expectation as a finding: its type, column, and GX's own counts."""
    kwargs = dict(getattr(config, "kwargs", None) or {})
    where = f" (column {kwargs['column']})" if kwargs.get("column") is not None else ""
    count = result.get("unexpected_count")
    if count is not None:
        what = f"{int(count):,} unexpected value(s)"
        percent = result.get("unexpected_percent")
        if percent is not None:
            what += f", {float(percent):.2f}%"
    else:
        what = f"observed {str(result.get('observed_value'))[:200]}"
    return {"code": GX_PREFIX + config.type, "message": f"{config.type}{where} failed: {what}",
            "count": int(count) if count else 1, "lines": []}


def import_gx() -> None:
    """Import GX and register gx-clova's expectations and metrics, ahead of a run that needs them
    (started early, in a thread, by the Spark path); a failure is reported by the run itself."""
    with contextlib.suppress(Exception):  # the same import runs again in the caller and reports there
        import gx_clova.gx.expectations  # noqa: F401 - imports great_expectations and registers ours
