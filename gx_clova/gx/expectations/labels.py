"""C1–C3: classification labels (the ``Completion`` values of a classification dataset)."""

from __future__ import annotations

from gx_clova.gx.expectations.base import ClovaExpectation, parameter


class ExpectClovaLabelsToHaveMinRows(ClovaExpectation):
    """Every label has at least ``min_rows_per_label`` (200) rows (C1).

    Passes: 15 labels with 200+ rows each. Fails: a label with 199 rows (its rows are reported).
    """

    min_rows_per_label: int = parameter("class.too-few-rows", "min_rows_per_label")


class ExpectClovaLabelCountToBeAtMost(ClovaExpectation):
    """At most ``max_labels`` (15) distinct labels (C2). Passes: 15. Fails: 16."""

    max_labels: int = parameter("class.too-many-labels", "max_labels")


class ExpectClovaLabelsToBeOneWord(ClovaExpectation):
    """Every label is one word of Unicode letters and digits: no spaces, no ``_``, ``/``, ``!`` … (C3).

    Passes: ``마이박스결제``, ``MYBOX``. Fails: ``MYBOX 결제``, ``오류_해결``, ``결제/환불``.
    """
