"""The Great Expectations project: the repository root (or a user's) as a GX file context.

``great_expectations.yml`` names :class:`ClovaExpectationsStore` (``module_name: gx_clova.project``)
as its expectations store, so opening the project imports gx_clova and registers every
expectation before a suite is read. The store also refuses, loudly, a suite in which GX built
fewer expectations than the file holds, and refuses to save a suite that lost any: GX itself
would drop unknown expectations with only a log line, and erase them on the next save.
"""

from __future__ import annotations

import os
from typing import Any

from great_expectations.data_context.store.expectations_store import ExpectationsStore

import gx_clova.gx.actions  # registers the submit action before any checkpoint is read
import gx_clova.gx.expectations  # noqa: F401 - registers the classes before any suite is read

DATASOURCE, ASSET, BATCH_DEFINITION = "gx_clova", "dataset", "whole"


class SuiteIntegrityError(Exception):
    """A suite lost expectations between its file and memory (or memory and its file)."""


def _declared_types(suite_dict: dict[str, Any]) -> list[str]:
    meta = suite_dict.get("meta") or {}
    return list((meta.get("gx_clova") or {}).get("expectation_types") or [])


def check_integrity(name: str, expected: list[str], built: list[str]) -> None:
    missing = list(expected)
    for expectation_type in built:
        if expectation_type in missing:
            missing.remove(expectation_type)
    if missing:
        raise SuiteIntegrityError(
            f"suite {name!r} should hold {len(expected)} expectations but {len(built)} were built; "
            f"missing: {', '.join(sorted(set(missing)))}. Is the gx_clova package that defines them installed?"
        )


class ClovaExpectationsStore(ExpectationsStore):
    """GX's expectations store, with the guard against silently dropped expectations."""

    def deserialize_suite_dict(self, suite_dict: dict):
        raw_types = [e.get("type") for e in suite_dict.get("expectations", [])]
        suite = super().deserialize_suite_dict(suite_dict)
        built = [e.expectation_type for e in suite.expectations]
        check_integrity(suite.name, raw_types, built)
        check_integrity(suite.name, _declared_types(suite_dict), built)
        return suite

    def serialize(self, value):
        declared = _declared_types({"meta": getattr(value, "meta", None) or {}})
        if declared:
            check_integrity(value.name, declared, [e.expectation_type for e in value.expectations])
        return super().serialize(value)


def open_project(root: str):
    """The GX file context whose ``great_expectations.yml`` is in ``root``."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if not os.path.isfile(os.path.join(root, "great_expectations.yml")):
        raise FileNotFoundError(f"no great_expectations.yml in {root}")
    context = gx.get_context(mode="file", context_root_dir=os.path.abspath(root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


class UnknownCheckpoint(LookupError):
    """The project has no checkpoint of that name; the message lists those it has."""


def get_checkpoint(context: Any, name: str) -> Any:
    try:
        return context.checkpoints.get(name)
    except Exception as exc:
        names = sorted(c.name for c in context.checkpoints.all())
        listed = ", ".join(names) if names else "none"
        raise UnknownCheckpoint(f"no checkpoint {name!r} in this project; its checkpoints: {listed}") from exc


def task_of(suite: Any) -> str:
    """The gx-clova task a suite checks (its meta, else its name), or '' for a suite that is not gx-clova's."""
    task = ((getattr(suite, "meta", None) or {}).get("gx_clova") or {}).get("task")
    return task or str(getattr(suite, "name", "")).removeprefix("clova_")


def run_checkpoint(root: str, checkpoint_name: str, source: str, escalate: frozenset[str] = frozenset(),
                   eval_file: str | None = None, **storage_options: Any):
    """Run a project checkpoint on a dataset file; returns ``(gx_checkpoint_result, Report)``.

    The file is read by gx-clova's reader (lines, text cells, structural findings) and handed to
    the checkpoint as the ``dataframe`` batch parameter of the project's pandas asset. Every
    expectation of the checkpoint's suites counts, built-in ones too, so the report's verdict
    is GX's ``success``. ``escalate`` names warning codes made critical for this run only (the
    stored suites are not changed); ``eval_file`` is the held-out file leakage compares with.
    Raises :class:`UnknownCheckpoint`.
    """
    from gx_clova.batch import ATTRS_KEY, to_pandas
    from gx_clova.gx.validation import _without_dataframe_fingerprint, findings_of
    from gx_clova.reading import read_dataset
    from gx_clova.report import Report
    from gx_clova.sources import open_source
    from gx_clova.verdict import read_eval_set

    context = open_project(root)
    checkpoint = get_checkpoint(context, checkpoint_name)
    suites = [definition.suite for definition in checkpoint.validation_definitions]
    dataset = read_dataset(open_source(source, **storage_options))
    frame = to_pandas(dataset)
    frame.attrs[ATTRS_KEY]["escalate"] = sorted(escalate)  # GX runs stored suites only as stored
    if eval_file is not None:
        frame.attrs[ATTRS_KEY]["eval"] = read_eval_set(eval_file, task_of(suites[0]) if suites else "generation",
                                                      **storage_options)
    with _without_dataframe_fingerprint():
        result = checkpoint.run(batch_parameters={"dataframe": frame})
    findings, summary = [], []
    for suite_result in result.run_results.values():
        found, lines = findings_of(suite_result)
        findings += found
        summary += lines
    task = task_of(suites[0]) if suites else next(iter(result.run_results.values())).suite_name
    facts = dataset.facts
    source_info = {"uri": facts.uri, "bytes": facts.bytes, "sha256": facts.sha256, "encoding": facts.encoding}
    extra: dict[str, Any] = {"checkpoint": checkpoint_name}
    if escalate:
        extra["escalated"] = sorted(escalate)
    return result, Report.build(task, source_info, dataset.rows, findings, summary, **extra)


def new_project(directory: str) -> str:
    """A new GX project (file mode) in ``directory``; its root directory."""
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=os.path.abspath(directory)).root_directory


def find_root(directory: str) -> str | None:
    """The GX context root for ``directory``: itself if it holds ``great_expectations.yml``, else
    its ``gx/`` folder (where ``gx.get_context(mode="file", project_root_dir=…)`` puts it), else None."""
    for candidate in (directory, os.path.join(directory, "gx")):
        if os.path.isfile(os.path.join(candidate, "great_expectations.yml")):
            return candidate
    return None


def scaffold(root: str, tasks: tuple[str, ...] | None = None, suites_dir: str | None = None,
             site_names: list[str] | None = None) -> list[str]:
    """Create or refresh the GX project in ``root``: suites (written into ``suites_dir``, default
    ``root/expectations``), datasource, validation definitions, checkpoints per task that validate
    and update Data Docs (``site_names``, default every site). Returns the checkpoint names."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.core.result_format import ResultFormat

    from gx_clova.gx.suites import SUITE_NAMES, write_suites

    write_suites(suites_dir or os.path.join(root, "expectations"), tasks=tasks)
    context = open_project(root)
    try:
        source = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError, LookupError):
        source = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = source.get_asset(ASSET)
    except LookupError:
        asset = source.add_dataframe_asset(ASSET)
    try:
        batch_definition = asset.get_batch_definition(BATCH_DEFINITION)
    except (KeyError, ValueError, LookupError):
        batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    names = []
    for task, suite_name in SUITE_NAMES.items():
        if tasks is not None and task not in tasks:
            continue
        suite = context.suites.get(suite_name)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"{suite_name}_dataset", data=batch_definition, suite=suite)
        )
        # `_local` for files on disk, `_object_storage` for s3://bucket/key: the same suite, since
        # gx-clova's reader (not a GX data source) turns either into the batch at run time.
        for suffix in ("local", "object_storage"):
            checkpoint = context.checkpoints.add_or_update(
                gx.Checkpoint(
                    name=f"{suite_name}_{suffix}",
                    validation_definitions=[definition],
                    actions=[UpdateDataDocsAction(name="update_data_docs", site_names=site_names)],
                    result_format=ResultFormat.BASIC,
                )
            )
            names.append(checkpoint.name)
    return names
