"""T1–T3 and S1: what is in the rows."""

from __future__ import annotations

from great_expectations.compatibility import pydantic

from gx_clova import spec
from gx_clova.expectations.base import ClovaExpectation


class ExpectClovaTextAndCompletionToBeNonEmpty(ClovaExpectation):
    """``Text`` and ``Completion`` each hold at least one character (T1–T2).

    Passes: ``Text="안녕"``, ``Completion="반가워요"``. Fails: an empty cell (``""``, or JSON ``null``).
    """

    findings_metric = "clova.empty_findings"
    metric_dependencies = ("clova.empty_findings",)
    codes = ("text.empty", "completion.empty")
    template = "$text and $completion each hold at least one character."
    template_params = ("text", "completion")


class ExpectClovaRowLengthToBeAtMost(ClovaExpectation):
    """``len(Text) + len(Completion)`` is at most ``max_chars`` (8,000) characters, spaces included (T3).

    Passes: 3,000 + 5,000 characters. Fails: 3,000 + 5,001. Lengths count Unicode code points.
    """

    max_chars: int = pydantic.Field(
        default=spec.MAX_ROW_CHARS,
        description="The most characters len(Text) + len(Completion) may have in one row (spec T3: 8,000).")

    findings_metric = "clova.length_findings"
    metric_dependencies = ("clova.length_findings", "clova.profile.lengths")
    profile_metrics = ("clova.profile.lengths",)
    success_keys = ("max_chars",)
    codes = ("row.too-long",)
    template = "len($text) + len($completion) is at most $max_chars characters in every row, spaces included."
    template_params = ("text", "completion", "max_chars")


class ExpectClovaSystemPromptToBeConsistent(ClovaExpectation):
    """Every row of one conversation has the same ``System_Prompt`` (S1).

    Passes: no System_Prompt column, or one prompt per C_ID. Fails: a conversation whose
    second turn has another prompt (that row is reported).
    """

    findings_metric = "clova.system_prompt_findings"
    metric_dependencies = ("clova.system_prompt_findings",)
    codes = ("system_prompt.inconsistent",)
    template = "Every row of one $c_id has the same $system_prompt."
    template_params = ("c_id", "system_prompt")
