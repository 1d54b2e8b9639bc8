"""I1–I2: conversation and turn identifiers."""

from __future__ import annotations

from gx_clova.gx.expectations.base import ClovaExpectation


class ExpectClovaConversationIdsToBeSequential(ClovaExpectation):
    """``C_ID`` is an integer: 0 for the first conversation, the previous + 1 for each new one,
    and each conversation's rows are contiguous (I1).

    Passes: ``0,0,1,2,2``. Fails: ``1,1,2`` (does not start at 0), ``0,2`` (skips 1),
    ``0,1,0`` (conversation 0 resumes), ``0,x`` (not an integer). Every break is reported.
    """


class ExpectClovaTurnIdsToBeSequential(ClovaExpectation):
    """``T_ID`` is an integer: 0 at the first turn of each conversation, +1 per next turn (I2).

    Passes: ``0,1,2`` then ``0`` for the next conversation. Fails: a conversation starting at 1,
    ``0,2`` (skips 1), ``0,0`` within one conversation.
    """
