"""T1–T3 and S1: what is in the rows."""

from __future__ import annotations

from gx_clova.gx.expectations.base import ClovaExpectation, parameter


class ExpectClovaTextAndCompletionToBeNonEmpty(ClovaExpectation):
    """``Text`` and ``Completion`` each hold at least one character (T1–T2).

    Passes: ``Text="안녕"``, ``Completion="반가워요"``. Fails: an empty cell (``""``, or JSON ``null``).
    """


class ExpectClovaRowLengthToBeAtMost(ClovaExpectation):
    """``len(Text) + len(Completion)`` is at most ``max_chars`` (8,000) characters, spaces included (T3).

    Passes: 3,000 + 5,000 characters. Fails: 3,000 + 5,001. Lengths count Unicode code points.
    """

    max_chars: int = parameter("row.too-long", "max_chars")


class ExpectClovaSystemPromptToBeConsistent(ClovaExpectation):
    """Every row of one conversation has the same ``System_Prompt`` (S1).

    Passes: no System_Prompt column, or one prompt per C_ID. Fails: a conversation whose
    second turn has another prompt (that row is reported).
    """
