"""``gx_clova.actions.SubmitTuningAction``, by the import path the README documents; it lives in
:mod:`gx_clova.gx.actions`."""

from gx_clova.gx.actions import ACTION_TYPE, SubmitTuningAction, passed

__all__ = ["ACTION_TYPE", "SubmitTuningAction", "passed"]
