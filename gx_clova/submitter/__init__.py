"""Launch CLOVA Studio tuning only for datasets that passed gx-clova, and follow the task.

This package never imports Great Expectations (a test pins it): the submitter stays light
enough for a CI step. Modules, one concern each:

- :mod:`.pipeline` — validate → gate → upload/verify → idempotency guard → create task;
- :mod:`.gate` — a passing report, and bytes hashing to its ``source.sha256``;
- :mod:`.upload` — single or multipart upload with retries and abort, then verification;
- :mod:`.api`, :mod:`.auth` — the tuning API over ``urllib``, Bearer or API-gateway HMAC;
- :mod:`.params` — hyper-parameters checked against the documented ranges;
- :mod:`.ledger` — the local record of created tasks;
- :mod:`.failures` — server ``failureReason`` → local failure codes;
- :mod:`.errors` — the exception tree and exit statuses;
- :mod:`.cli` — ``gx-clova submit`` / ``gx-clova status``.
"""

from gx_clova.submitter.api import StudioClient
from gx_clova.submitter.errors import (AmbiguousCreate, ApiError, DatasetFailed, GateRefused,
                                       PendingSubmission, SubmitError, UploadError, UsageError, WaitTimedOut)
from gx_clova.submitter.failures import FailureExplanation, explain_failure
from gx_clova.submitter.params import TuningParams
from gx_clova.submitter.pipeline import SubmitOutcome, SubmitRequest, launch, submit

__all__ = [
    "AmbiguousCreate",
    "ApiError",
    "DatasetFailed",
    "FailureExplanation",
    "GateRefused",
    "PendingSubmission",
    "StudioClient",
    "SubmitError",
    "SubmitOutcome",
    "SubmitRequest",
    "TuningParams",
    "UploadError",
    "UsageError",
    "WaitTimedOut",
    "explain_failure",
    "launch",
    "submit",
]
