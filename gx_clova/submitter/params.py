"""Tuning hyper-parameters, checked against CLOVA Studio's documented ranges before anything is sent.

>>> TuningParams(name="faq", model="HCX-003").checked().api_fields()["trainEpochs"]
'8'
>>> TuningParams(name="faq", model="HCX-003", epochs="30").checked()
Traceback (most recent call last):
...
gx_clova.submitter.errors.UsageError: --epochs must be a whole number from 1 to 20 (got '30')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from gx_clova.submitter.errors import UsageError

#: ``--task`` → the API's ``taskType``.
TASK_TYPES: dict[str, str] = {"generation": "GENERATION", "classification": "CLASSIFICATION"}
TUNING_TYPES: tuple[str, ...] = ("PEFT",)
EPOCHS_RANGE: tuple[int, int] = (1, 20)
DEFAULT_EPOCHS = "8"
#: The API guide's range for ``learningRate`` (1.0E-6 to 1).
LEARNING_RATE_RANGE: tuple[float, float] = (1e-6, 1.0)
DEFAULT_LEARNING_RATE = "1e-4"


@dataclass(frozen=True)
class TuningParams:
    name: str
    model: str
    task: str = "generation"
    epochs: str = DEFAULT_EPOCHS
    learning_rate: str = DEFAULT_LEARNING_RATE
    tuning_type: str = "PEFT"

    @property
    def task_type(self) -> str:
        return TASK_TYPES[self.task]

    def checked(self) -> TuningParams:
        """These parameters, normalised; UsageError naming every problem otherwise."""
        problems: list[str] = []
        name, model = self.name.strip(), self.model.strip()
        if not name:
            problems.append("--name must not be empty")
        if not model or re.search(r"\s", model):
            problems.append(f"--model must be a model name such as HCX-003 (got {self.model!r})")
        if self.task not in TASK_TYPES:
            problems.append(f"--task must be one of {', '.join(TASK_TYPES)} (got {self.task!r})")
        if self.tuning_type not in TUNING_TYPES:
            problems.append(f"tuningType must be one of {', '.join(TUNING_TYPES)} (got {self.tuning_type!r})")
        epochs = str(self.epochs).strip()
        low, high = EPOCHS_RANGE
        if not epochs.isdigit() or not low <= int(epochs) <= high:
            problems.append(f"--epochs must be a whole number from {low} to {high} (got {self.epochs!r})")
        else:
            epochs = str(int(epochs))
        rate = str(self.learning_rate).strip()
        low_rate, high_rate = LEARNING_RATE_RANGE
        try:
            value = float(rate)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low_rate <= value <= high_rate):
            problems.append(f"--learning-rate must be a number from {low_rate:g} to {high_rate:g}, "
                            f"such as 1e-4 (got {self.learning_rate!r})")
        if problems:
            raise UsageError("; ".join(problems))
        return replace(self, name=name, model=model, epochs=epochs, learning_rate=rate)

    def api_fields(self) -> dict[str, str]:
        """The hyper-parameter part of the create request (no dataset location, no keys)."""
        return {
            "name": self.name,
            "model": self.model,
            "tuningType": self.tuning_type,
            "taskType": self.task_type,
            "trainEpochs": self.epochs,
            "learningRate": self.learning_rate,
        }


def create_body(params: TuningParams, *, dataset_host: str, bucket: str, key: str,
                access_key: str, secret_key: str) -> dict[str, str]:
    """The ``POST /tuning/v2/tasks`` body. It holds secrets: print it only through ``redact``."""
    return {
        **params.api_fields(),
        "trainingDatasetUri": dataset_host,
        "trainingDatasetBucket": bucket,
        "trainingDatasetFilePath": key,
        "trainingDatasetAccessKey": access_key,
        "trainingDatasetSecretKey": secret_key,
    }
