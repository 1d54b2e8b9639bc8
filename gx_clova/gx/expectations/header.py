"""F6 and H1–H5: the columns."""

from __future__ import annotations

from gx_clova.gx.expectations.base import ClovaExpectation


class ExpectClovaColumnsToMatchSpec(ClovaExpectation):
    """Columns are exactly ``[System_Prompt,] C_ID, T_ID, Text, Completion`` in this order.

    Names match exactly except ``System_Prompt``, whose case is free; no blank, unexpected or
    duplicate (case-insensitive) columns. For JSONL, every line's keys are checked.
    Passes: ``system_prompt,C_ID,T_ID,Text,Completion``. Fails: ``C_ID,T_ID,Text``,
    ``T_ID,C_ID,Text,Completion``, ``c_id,T_ID,Text,Completion``, a trailing comma on every line.
    """
