"""A Great Expectations 1.x checkpoint action that launches CLOVA Studio tuning after a pass.

The action runs the same pipeline as ``gx-clova submit`` — gx-clova validation, the gate, the
upload and its verification, the idempotency ledger, the create request — and only when the
checkpoint it belongs to succeeded. Its configuration holds no secret: the Object Storage keys
and the CLOVA Studio key are read from the environment when it runs (``NCP_ACCESS_KEY`` /
``NCP_SECRET_KEY`` or the AWS chain, ``CLOVASTUDIO_API_KEY`` or ``NCP_IAM_ACCESS_KEY`` /
``NCP_IAM_SECRET_KEY``), and unknown fields are refused, so none can be added to a stored
checkpoint by mistake.

Example::

    import gx_clova.gx.actions  # registers the action type before checkpoints are loaded

    action = gx_clova.actions.SubmitTuningAction(
        name="launch_tuning", source="data/train.csv", bucket="datasets",
        key="tuning/train.csv", model="HCX-003", task_name="faq-tuning")
    checkpoint = gx.Checkpoint(name="train", validation_definitions=[...], actions=[action])

The result (in the checkpoint result's action results) is ``{"submitted": bool, ...}`` with
the task id, or the reason nothing was submitted. A submission that fails although the
checkpoint passed raises (``raise_on_error``, default true), so a pipeline stops loudly.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, Optional

from great_expectations.checkpoint.actions import ActionContext, ValidationAction
from great_expectations.compatibility.typing_extensions import override

log = logging.getLogger(__name__)


def passed(checkpoint_result: Any) -> bool:
    """gx-clova's verdict on a checkpoint, which is GX's own ``success``.

    gx-clova's warning-severity expectations succeed while carrying their findings, and only
    critical (error or escalated) ones fail, so a checkpoint that passed with warnings (a dataset
    under the recommended 1,000 rows, say) has ``success`` true, and any failing critical
    expectation, gx-clova's or a built-in one, makes it false.
    """
    return bool(checkpoint_result.success)


ACTION_TYPE = "gx_clova_submit_tuning"


class SubmitTuningAction(ValidationAction):
    type: Literal["gx_clova_submit_tuning"] = "gx_clova_submit_tuning"

    #: The dataset: a local path (uploaded to ``bucket``/``key``) or ``s3://bucket/key``.
    source: str
    model: str
    #: The tuning task's name (``name`` is the action's own name in Great Expectations).
    task_name: str
    task: Literal["generation", "classification"] = "generation"
    bucket: Optional[str] = None
    key: Optional[str] = None
    epochs: str = "8"
    learning_rate: str = "1e-4"
    #: validationSplitRatio, loraR, loraAlpha: sent only when set (see ``gx-clova submit --help``).
    validation_split_ratio: Optional[str] = None
    lora_r: Optional[str] = None
    lora_alpha: Optional[str] = None
    allow_wider_ranges: bool = False
    endpoint_url: Optional[str] = None
    api_url: Optional[str] = None
    auth: Optional[Literal["bearer", "apigw"]] = None
    part_size_mib: Optional[int] = None
    raise_on_error: bool = True

    @override
    def run(self, checkpoint_result: Any, action_context: ActionContext | None = None) -> dict:
        if not passed(checkpoint_result):
            return {"submitted": False,
                    "reason": "the checkpoint failed; nothing was uploaded and no task was created"}
        from gx_clova.sources import SourceError
        from gx_clova.submitter import SubmitError, SubmitRequest, TuningParams, submit

        request = SubmitRequest(
            source=self.source,
            params=TuningParams(name=self.task_name, model=self.model, task=self.task,
                                epochs=self.epochs, learning_rate=self.learning_rate,
                                validation_split_ratio=self.validation_split_ratio, lora_r=self.lora_r,
                                lora_alpha=self.lora_alpha, allow_wider_ranges=self.allow_wider_ranges),
            bucket=self.bucket, key=self.key, endpoint_url=self.endpoint_url, api_url=self.api_url,
            auth=self.auth, part_size=self.part_size_mib * (1 << 20) if self.part_size_mib else None)
        try:
            outcome = submit(request, notify=log.info)
        except (SubmitError, SourceError) as exc:
            if self.raise_on_error:
                raise
            log.warning("%s: nothing submitted: %s", self.name, exc)
            return {"submitted": False, "error": str(exc)}
        return {"submitted": outcome.action == "created", **outcome.to_dict()}
