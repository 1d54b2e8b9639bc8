"""Quality warnings beyond the guide: one expectation per code, so each can be made an error alone.

They are in both suites with ``severity="warning"``: a failure is reported and never fails the
run, unless the suite (or ``--strict`` / ``--error CODE``) sets ``severity="critical"``.
The kernels and what exactly fails are in :mod:`gx_clova.rules.quality`,
:mod:`gx_clova.rules.leakage` and :mod:`gx_clova.rules.label_quality`.
"""

from __future__ import annotations

from great_expectations.compatibility import pydantic

from gx_clova import spec
from gx_clova.expectations.base import ClovaExpectation


class ExpectClovaRowsToBeUnique(ClovaExpectation):
    """No row repeats an earlier row: same System_Prompt, Text, Completion and earlier turns.

    Passes: two conversations that share a follow-up turn but differ before it. Fails: the same
    single-turn question and answer twice (the later line is reported).
    """

    findings_metric = "clova.duplicate_findings"
    codes = ("duplicate.row",)
    template = "No row repeats an earlier row exactly ($system_prompt, $text, $completion and the turns before it)."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaLabelsToBeConsistent(ClovaExpectation):
    """The same input (System_Prompt, earlier turns, Text) never gets different Completions.

    Passes: the same question with the same answer. Fails: ``"환불 되나요?"`` labelled
    ``멤버십해지`` on one line and ``멤버십결제`` on another (both lines are reported).
    """

    findings_metric = "clova.duplicate_findings"
    codes = ("label.conflict",)
    template = "The same input ($system_prompt, earlier turns, $text) never has different $completion values."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaRowsToBeAbsentFromEvalFile(ClovaExpectation):
    """No training row appears in the held-out evaluation file (``--eval-file``), exactly or after
    normalisation (NFKC, lower case, white space). Without an evaluation file there is nothing to
    compare and it passes.
    """

    findings_metric = "clova.leakage_findings"
    codes = ("leakage.eval-overlap",)
    template = (
        "No training row appears in the evaluation file given with --eval-file "
        "(same $text, and $completion for generation; compared exactly and after NFKC, case and space normalisation)."
    )
    template_params = ("text", "completion")


class ExpectClovaTextToBeNfc(ClovaExpectation):
    """Text is NFC-normalised. Fails: Hangul written as separate jamo (NFD, e.g. from macOS)."""

    findings_metric = "clova.text_quality_findings"
    codes = ("text.not-nfc",)
    template = "Every $system_prompt, $text and $completion is NFC-normalised (no decomposed Hangul)."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaTextToHaveNoReplacementCharacters(ClovaExpectation):
    """No U+FFFD: the character a lossy decode leaves where the original was lost."""

    findings_metric = "clova.text_quality_findings"
    codes = ("text.replacement-char",)
    template = "No $system_prompt, $text or $completion holds U+FFFD (the mark of a lossy decode)."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaTextToHaveNoControlCharacters(ClovaExpectation):
    """No C0/C1 control characters (tab and line breaks are fine) and no zero-width characters."""

    findings_metric = "clova.text_quality_findings"
    codes = ("text.control-char",)
    template = "No $system_prompt, $text or $completion holds control or zero-width characters."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaTextToHaveNoResidentNumbers(ClovaExpectation):
    """No Korean resident registration numbers (``YYMMDD-GNNNNNN``); matches are masked in reports."""

    findings_metric = "clova.text_quality_findings"
    codes = ("pii.resident-number",)
    template = "No $system_prompt, $text or $completion holds a Korean resident registration number."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaTextToHaveNoPhoneNumbers(ClovaExpectation):
    """No Korean mobile or landline numbers; reports show them masked (``010-****-5678``)."""

    findings_metric = "clova.text_quality_findings"
    codes = ("pii.phone-number",)
    template = "No $system_prompt, $text or $completion holds a phone number."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaTextToHaveNoEmailAddresses(ClovaExpectation):
    """No e-mail addresses; reports show them masked (``h***@example.com``)."""

    findings_metric = "clova.text_quality_findings"
    codes = ("pii.email",)
    template = "No $system_prompt, $text or $completion holds an e-mail address."
    template_params = ("system_prompt", "text", "completion")


class ExpectClovaLabelsToHaveOneSpelling(ClovaExpectation):
    """Classification: no two labels differ only by spacing, case or width (``MYBOX결제`` /
    ``mybox 결제``). The rows of the less frequent spellings are reported."""

    findings_metric = "clova.label_quality_findings"
    codes = ("class.label-variant",)
    template = "No two labels ($completion values) differ only by spacing, case or character width."
    template_params = ("completion",)


class ExpectClovaLabelsToBeBalanced(ClovaExpectation):
    """Classification: the largest label has at most ``max_ratio`` (10) times the rows of the
    smallest. Passes: 200 and 2,000 rows. Fails: 200 and 2,001."""

    max_ratio: int = pydantic.Field(
        default=spec.MAX_LABEL_IMBALANCE,
        description="How many times the rows of the smallest label the largest may have (gx-clova: 10).")

    findings_metric = "clova.label_quality_findings"
    success_keys = ("max_ratio",)
    codes = ("class.imbalance",)
    template = "The largest label has at most $max_ratio times the rows of the smallest."
    template_params = ("max_ratio",)
