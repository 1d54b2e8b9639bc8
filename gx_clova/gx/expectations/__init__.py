"""gx-clova's Great Expectations expectations, one module per rule family.

Importing this package registers every class (and its metrics) with Great Expectations under
its snake_case name, e.g. ``expect_clova_row_length_to_be_at_most``.
"""

from __future__ import annotations

import gx_clova.gx.metrics  # noqa: F401 - registers the metrics the expectations read
from gx_clova.gx.expectations.content import (
    ExpectClovaRowLengthToBeAtMost,
    ExpectClovaSystemPromptToBeConsistent,
    ExpectClovaTextAndCompletionToBeNonEmpty,
)
from gx_clova.gx.expectations.file import ExpectClovaFileToBeAccepted, ExpectClovaRecordsToParse
from gx_clova.gx.expectations.header import ExpectClovaColumnsToMatchSpec
from gx_clova.gx.expectations.ids import ExpectClovaConversationIdsToBeSequential, ExpectClovaTurnIdsToBeSequential
from gx_clova.gx.expectations.labels import (
    ExpectClovaLabelCountToBeAtMost,
    ExpectClovaLabelsToBeOneWord,
    ExpectClovaLabelsToHaveMinRows,
)
from gx_clova.gx.expectations.quality import (
    ExpectClovaLabelsToBeBalanced,
    ExpectClovaLabelsToBeConsistent,
    ExpectClovaLabelsToHaveOneSpelling,
    ExpectClovaRowsToBeAbsentFromEvalFile,
    ExpectClovaRowsToBeUnique,
    ExpectClovaTextToBeNfc,
    ExpectClovaTextToHaveNoControlCharacters,
    ExpectClovaTextToHaveNoEmailAddresses,
    ExpectClovaTextToHaveNoPhoneNumbers,
    ExpectClovaTextToHaveNoReplacementCharacters,
    ExpectClovaTextToHaveNoResidentNumbers,
)
from gx_clova.gx.expectations.rows import ExpectClovaRowCountToBeAtLeast, ExpectClovaRowCountToBeRecommended

__all__ = [
    "ExpectClovaColumnsToMatchSpec",
    "ExpectClovaConversationIdsToBeSequential",
    "ExpectClovaFileToBeAccepted",
    "ExpectClovaLabelCountToBeAtMost",
    "ExpectClovaLabelsToBeBalanced",
    "ExpectClovaLabelsToBeConsistent",
    "ExpectClovaLabelsToBeOneWord",
    "ExpectClovaLabelsToHaveMinRows",
    "ExpectClovaLabelsToHaveOneSpelling",
    "ExpectClovaRecordsToParse",
    "ExpectClovaRowCountToBeAtLeast",
    "ExpectClovaRowCountToBeRecommended",
    "ExpectClovaRowLengthToBeAtMost",
    "ExpectClovaRowsToBeAbsentFromEvalFile",
    "ExpectClovaRowsToBeUnique",
    "ExpectClovaSystemPromptToBeConsistent",
    "ExpectClovaTextAndCompletionToBeNonEmpty",
    "ExpectClovaTextToBeNfc",
    "ExpectClovaTextToHaveNoControlCharacters",
    "ExpectClovaTextToHaveNoEmailAddresses",
    "ExpectClovaTextToHaveNoPhoneNumbers",
    "ExpectClovaTextToHaveNoReplacementCharacters",
    "ExpectClovaTextToHaveNoResidentNumbers",
    "ExpectClovaTurnIdsToBeSequential",
]
