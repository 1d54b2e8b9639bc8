"""The rule registry is the one declaration of every rule: the catalogue, the expectation classes,
the GX metrics, the suites and the direct path's plan all agree with it."""

from __future__ import annotations

import pytest
from great_expectations.expectations.registry import get_metric_provider

import gx_clova.gx.expectations as ours
from gx_clova import registry, spec
from gx_clova.codes import CATALOGUE
from gx_clova.gx import metrics
from gx_clova.gx.suites import expectations_for


def test_the_catalogue_is_the_rules_codes_in_registry_order():
    """Each code is declared once, with its rule; the catalogue serves exactly those entries."""
    owned = [entry for rule in registry.RULES for entry in rule.catalogue]
    assert [entry.code for entry in owned] == list(CATALOGUE)
    assert all(CATALOGUE[entry.code] is entry for entry in owned)
    assert len({entry.code for entry in owned}) == len(owned)


def test_every_exported_expectation_is_a_rule_and_every_rule_is_exported():
    assert sorted(ours.__all__) == sorted(rule.expectation for rule in registry.RULES)


@pytest.mark.parametrize("rule", registry.RULES, ids=lambda r: r.expectation)
def test_the_expectation_class_is_what_the_registry_declares(rule):
    cls = getattr(ours, rule.expectation)
    assert tuple(getattr(cls, "codes", ()) or (cls.code,)) == rule.codes
    built = cls()
    assert {name: getattr(built, name) for name in rule.params} == rule.defaults()
    for name, declared in rule.params.items():
        assert cls.__fields__[name].field_info.description == declared.description
    if rule.metric != registry.ROW_COUNT:
        assert cls.findings_metric == rule.metric
        assert cls.template == rule.template and set(cls.template_params) <= set(registry.words_and_limits())


@pytest.mark.parametrize("declared", registry.METRICS, ids=lambda m: m.name)
def test_every_registry_metric_is_a_gx_metric_running_its_kernels(declared):
    provider = metrics.FINDINGS[declared.name]
    assert get_metric_provider(declared.name, _pandas_engine())[0] is provider
    assert provider.kernel is declared.load()
    assert getattr(provider, "spark_kernel", None) is declared.load_spark()
    assert tuple(provider.value_keys) == declared.params


@pytest.mark.parametrize("task", spec.TASKS)
def test_the_suites_are_the_registry_in_order(task):
    built = expectations_for(task)
    rules = registry.rules_for(task)
    assert [type(e).__name__ for e in built] == [r.expectation for r in rules]
    for expectation, rule in zip(built, rules, strict=True):
        severity = getattr(expectation.severity, "value", expectation.severity) or registry.CRITICAL
        assert severity == rule.severity
        assert {k: getattr(expectation, k) for k in rule.params} == rule.defaults()


def test_a_rule_parameter_must_be_one_its_metric_takes():
    """The registry refuses, at import, a rule whose limit its kernel would never receive."""
    declared = registry.metric("clova.label_quality_findings")
    assert "max_ratio" in declared.params and "max_ratio" in registry.rule_of("class.imbalance").params
    assert registry.rule_of("class.label-variant").params == {}


def test_an_unknown_task_is_refused():
    with pytest.raises(ValueError, match="unknown task 'summarisation'"):
        registry.rules_for("summarisation")


def _pandas_engine():
    from great_expectations.execution_engine import PandasExecutionEngine

    return PandasExecutionEngine()
