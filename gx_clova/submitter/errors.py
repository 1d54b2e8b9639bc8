"""Why a submission did not happen, and the exit status each reason maps to.

::

    SubmitError                  3  the tool could not finish (base class)
    ├── UsageError               2  bad parameters or missing configuration (keys, bucket)
    ├── GateRefused              1  no passing report, or the bytes differ from the ones that passed
    │   └── DatasetFailed        1  the dataset failed validation
    ├── PendingSubmission        3  an earlier attempt may already have created the task (the
    │                               service's answer was lost; the dataset itself passed)
    ├── UploadError              3  the upload failed after retries (multipart upload aborted)
    ├── ApiError                 3  CLOVA Studio unreachable or refusing (40001, 40400 → 2)
    │   └── AmbiguousCreate      3  the create request may have reached the server
    └── WaitTimedOut             3  the task did not finish within --timeout

The tree hangs under :mod:`gx_clova.errors` (``SubmitError`` is a ``ServiceError``, ``UsageError``
also a ``gx_clova.errors.UsageError``, ``GateRefused`` a ``DatasetError``);
:class:`gx_clova.errors.SourceError` (object or file unreadable, storage unreachable) is 3 too.
Every message is shown to the user as is and never holds a secret.
"""

from __future__ import annotations

from gx_clova import errors, redact


class SubmitError(errors.ServiceError):
    exit_status = 3

    def __init__(self, message: str) -> None:
        super().__init__(redact.redact(message))

    @property
    def message(self) -> str:
        return str(self)


class UsageError(SubmitError, errors.UsageError):
    exit_status = 2


class GateRefused(SubmitError, errors.DatasetError):
    exit_status = 1


class DatasetFailed(GateRefused):
    pass


class PendingSubmission(SubmitError):
    #: The service status (3), not "the dataset failed" (1): the dataset passed, what is missing
    #: is the service's answer to an earlier create.
    exit_status = 3


class UploadError(SubmitError):
    exit_status = 3


#: API codes that mean the command line was wrong: a parameter, a task id, the API URL.
USAGE_CODES = frozenset({"40001", "40400"})


class ApiError(SubmitError):
    exit_status = 3

    def __init__(self, message: str, *, code: str | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.code, self.http_status = code, http_status
        if code in USAGE_CODES:
            self.exit_status = 2


class AmbiguousCreate(ApiError):
    pass


class WaitTimedOut(SubmitError):
    exit_status = 3
