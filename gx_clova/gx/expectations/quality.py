"""Quality warnings beyond the guide: one expectation per code, so each can be made an error alone.

They are in both suites with ``severity="warning"``: a failure is reported and never fails the
run, unless the suite (or ``--strict`` / ``--error CODE``) sets ``severity="critical"``.
The kernels and what exactly fails are in :mod:`gx_clova.rules.quality`,
:mod:`gx_clova.rules.leakage` and :mod:`gx_clova.rules.label_quality`.
"""

from __future__ import annotations

from gx_clova.gx.expectations.base import ClovaExpectation, parameter


class ExpectClovaRowsToBeUnique(ClovaExpectation):
    """No row repeats an earlier row: same System_Prompt, Text, Completion and earlier turns.

    Passes: two conversations that share a follow-up turn but differ before it. Fails: the same
    single-turn question and answer twice (the later line is reported).
    """


class ExpectClovaLabelsToBeConsistent(ClovaExpectation):
    """The same input (System_Prompt, earlier turns, Text) never gets different Completions.

    Passes: the same question with the same answer. Fails: ``"환불 되나요?"`` labelled
    ``멤버십해지`` on one line and ``멤버십결제`` on another (both lines are reported).
    """


class ExpectClovaRowsToBeAbsentFromEvalFile(ClovaExpectation):
    """No training row appears in the held-out evaluation file (``--eval-file``), exactly or after
    normalisation (NFKC, lower case, white space). Without an evaluation file there is nothing to
    compare and it passes.
    """


class ExpectClovaTextToBeNfc(ClovaExpectation):
    """Text is NFC-normalised. Fails: Hangul written as separate jamo (NFD, e.g. from macOS)."""


class ExpectClovaTextToHaveNoReplacementCharacters(ClovaExpectation):
    """No U+FFFD: the character a lossy decode leaves where the original was lost."""


class ExpectClovaTextToHaveNoControlCharacters(ClovaExpectation):
    """No C0/C1 control characters (tab and line breaks are fine) and no zero-width characters."""


class ExpectClovaTextToHaveNoResidentNumbers(ClovaExpectation):
    """No Korean resident registration numbers (``YYMMDD-GNNNNNN``); matches are masked in reports."""


class ExpectClovaTextToHaveNoPhoneNumbers(ClovaExpectation):
    """No Korean mobile or landline numbers; reports show them masked (``010-****-5678``)."""


class ExpectClovaTextToHaveNoEmailAddresses(ClovaExpectation):
    """No e-mail addresses; reports show them masked (``h***@example.com``)."""


class ExpectClovaLabelsToHaveOneSpelling(ClovaExpectation):
    """Classification: no two labels differ only by spacing, case or width (``MYBOX결제`` /
    ``mybox 결제``). The rows of the less frequent spellings are reported."""


class ExpectClovaLabelsToBeBalanced(ClovaExpectation):
    """Classification: the largest label has at most ``max_ratio`` (10) times the rows of the
    smallest. Passes: 200 and 2,000 rows. Fails: 200 and 2,001."""

    max_ratio: int = parameter("class.imbalance", "max_ratio")
