"""C1–C3: classification labels (the ``Completion`` values of a classification dataset)."""

from __future__ import annotations

from great_expectations.compatibility import pydantic

from gx_clova import spec
from gx_clova.expectations.base import ClovaExpectation


class ExpectClovaLabelsToHaveMinRows(ClovaExpectation):
    """Every label has at least ``min_rows_per_label`` (200) rows (C1).

    Passes: 15 labels with 200+ rows each. Fails: a label with 199 rows (its rows are reported).
    """

    min_rows_per_label: int = pydantic.Field(
        default=spec.MIN_ROWS_PER_LABEL, description="The fewest rows a label may have (spec C1: 200).")

    findings_metric = "clova.label_findings"
    metric_dependencies = ("clova.label_findings", "clova.profile.labels")
    profile_metrics = ("clova.profile.labels",)
    success_keys = ("min_rows_per_label",)
    codes = ("class.too-few-rows",)
    template = "Every label ($completion value) has at least $min_rows_per_label rows."
    template_params = ("completion", "min_rows_per_label")


class ExpectClovaLabelCountToBeAtMost(ClovaExpectation):
    """At most ``max_labels`` (15) distinct labels (C2). Passes: 15. Fails: 16."""

    max_labels: int = pydantic.Field(
        default=spec.MAX_LABELS,
        description="The most distinct labels a classification dataset may have (spec C2: 15).")

    findings_metric = "clova.label_findings"
    metric_dependencies = ("clova.label_findings",)
    success_keys = ("max_labels",)
    codes = ("class.too-many-labels",)
    template = "There are at most $max_labels distinct labels."
    template_params = ("max_labels",)


class ExpectClovaLabelsToBeOneWord(ClovaExpectation):
    """Every label is one word of Unicode letters and digits: no spaces, no ``_``, ``/``, ``!`` … (C3).

    Passes: ``마이박스결제``, ``MYBOX``. Fails: ``MYBOX 결제``, ``오류_해결``, ``결제/환불``.
    """

    findings_metric = "clova.label_findings"
    metric_dependencies = ("clova.label_findings",)
    codes = ("class.label-format",)
    template = "Every label is $label_description."
    template_params = ("label_description",)
