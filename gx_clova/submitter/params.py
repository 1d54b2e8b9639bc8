"""Tuning hyper-parameters, checked against CLOVA Studio's documented ranges before anything is sent.

The ranges, their sources and the models are data in :mod:`.models`; where the guide's pages
disagree the stricter reading holds unless ``allow_wider_ranges`` (``--allow-wider-ranges``).

>>> TuningParams(name="faq", model="HCX-003").checked().api_fields()["trainEpochs"]
'8'
>>> TuningParams(name="faq", model="HCX-003", lora_r="16").checked()  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
gx_clova.submitter.errors.UsageError: --lora-r must be a whole number from 2 to 8 (got '16'): ... up to 64 ...
>>> TuningParams(name="faq", model="HCX-003", epochs="30").checked()
Traceback (most recent call last):
...
gx_clova.submitter.errors.UsageError: --epochs must be a whole number from 1 to 20 (got '30')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from gx_clova.submitter.errors import UsageError
from gx_clova.submitter.models import MODELS, PARAMETERS, Parameter, known_models

#: ``--task`` → the API's ``taskType``.
TASK_TYPES: dict[str, str] = {"generation": "GENERATION", "classification": "CLASSIFICATION"}
TUNING_TYPES: tuple[str, ...] = ("PEFT",)
EPOCHS_RANGE: tuple[int, int] = (int(PARAMETERS["trainEpochs"].low), int(PARAMETERS["trainEpochs"].high or 0))
DEFAULT_EPOCHS = PARAMETERS["trainEpochs"].default or "8"
#: The API guide's range for ``learningRate`` (1.0E-6 to 1).
LEARNING_RATE_RANGE: tuple[float, float] = (PARAMETERS["learningRate"].low, PARAMETERS["learningRate"].high or 1.0)
DEFAULT_LEARNING_RATE = PARAMETERS["learningRate"].default or "1e-4"
OVERRIDE_FLAG = "--allow-wider-ranges"
#: TuningParams attribute → create-request field, for the optional fields (sent only when given).
OPTIONAL_FIELDS: dict[str, str] = {"validation_split_ratio": "validationSplitRatio", "lora_r": "loraR",
                                   "lora_alpha": "loraAlpha"}


def check_value(parameter: Parameter, raw: Any, *, wider: bool) -> tuple[str | None, str | None]:
    """(normalised text, None) when ``raw`` is in the parameter's range; (None, problem) otherwise."""
    text = str(raw).strip()
    low, high = parameter.limits(wider=wider)
    if parameter.whole:
        value = float(int(text)) if text.isascii() and text.isdigit() else math.nan
    else:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
    if math.isfinite(value) and low <= value and (high is None or value <= high):
        return (str(int(value)) if parameter.whole else text), None
    problem = parameter.describe(wider=wider)
    if parameter.api_name == "learningRate":
        problem += ", such as 1e-4"
    if parameter.wider_high is not None and not wider:
        return None, (f"{problem} (got {raw!r}): the stricter of the guide's pages ({parameter.source}); "
                      f"{OVERRIDE_FLAG} accepts up to {parameter.wider_high:g} ({parameter.wider_source})")
    return None, f"{problem} (got {raw!r})"


@dataclass(frozen=True)
class TuningParams:
    name: str
    model: str
    task: str = "generation"
    epochs: str = DEFAULT_EPOCHS
    learning_rate: str = DEFAULT_LEARNING_RATE
    tuning_type: str = "PEFT"
    #: Optional create-request fields; None: not sent (the API's default applies).
    validation_split_ratio: str | None = None
    lora_r: str | None = None
    lora_alpha: str | None = None
    #: Enforce the wider reading where the guide's pages disagree (and accept models not in the table).
    allow_wider_ranges: bool = False

    @property
    def task_type(self) -> str:
        return TASK_TYPES[self.task]

    def checked(self) -> TuningParams:
        """These parameters, normalised; UsageError naming every problem otherwise."""
        problems: list[str] = []
        wider = self.allow_wider_ranges
        name, model = self.name.strip(), self.model.strip()
        if not name:
            problems.append("--name must not be empty")
        if not model or re.search(r"\s", model):
            problems.append(f"--model must be a model name such as HCX-003 (got {self.model!r})")
        else:
            problems += _model_problems(model, wider)
        if self.task not in TASK_TYPES:
            problems.append(f"--task must be one of {', '.join(TASK_TYPES)} (got {self.task!r})")
        types = MODELS[model].tuning_types if model in MODELS else TUNING_TYPES
        if self.tuning_type not in types:
            problems.append(f"tuningType must be one of {', '.join(types)} (got {self.tuning_type!r})")
        values: dict[str, str | None] = {}
        given = {"epochs": ("trainEpochs", self.epochs), "learning_rate": ("learningRate", self.learning_rate),
                 **{attr: (api, getattr(self, attr)) for attr, api in OPTIONAL_FIELDS.items()}}
        for attr, (api_name, raw) in given.items():
            if raw is None:
                continue
            values[attr], problem = check_value(PARAMETERS[api_name], raw, wider=wider)
            if problem:
                problems.append(problem)
        if problems:
            raise UsageError("; ".join(problems))
        return replace(self, name=name, model=model, **values)

    def api_fields(self) -> dict[str, Any]:
        """The hyper-parameter part of the create request (no dataset location, no keys)."""
        fields: dict[str, Any] = {
            "name": self.name,
            "model": self.model,
            "tuningType": self.tuning_type,
            "taskType": self.task_type,
            "trainEpochs": self.epochs,
            "learningRate": self.learning_rate,
        }
        for attr, api_name in OPTIONAL_FIELDS.items():
            value = getattr(self, attr)
            if value is not None:
                fields[api_name] = float(value) if PARAMETERS[api_name].wire_type == "float" else int(value)
        return fields


def classes_short_after_split(counts: dict[str, int], ratio: float, minimum: int) -> dict[str, tuple[int, int]]:
    """Labels left with fewer than ``minimum`` training rows once ``ratio`` of each is held out.

    The held-out share is taken as ``ceil(rows × ratio)`` per label (a proportional split); a
    random split can take more from one label, never less in expectation.

    >>> classes_short_after_split({"결제": 220, "배송": 400}, 0.1, 200)
    {'결제': (220, 198)}
    """
    short = {}
    for label, rows in counts.items():
        kept = rows - math.ceil(rows * ratio - 1e-9)
        if kept < minimum:
            short[label] = (rows, kept)
    return short


def _model_problems(model: str, wider: bool) -> list[str]:
    known = MODELS.get(model)
    if known is None and not wider:
        return [(f"--model must be one of {known_models()} (got {model!r}); {OVERRIDE_FLAG} sends a model "
                 "gx-clova's table does not know, checked with the widest documented ranges")]
    if known is not None and known.tunable != "yes" and not wider:
        return [(f"{model} may not be tunable: the pages disagree ({known.tunable_source}); gx-clova enforces "
                 f"the stricter reading, {OVERRIDE_FLAG} submits anyway")]
    return []


def create_body(params: TuningParams, *, dataset_host: str, bucket: str, key: str,
                access_key: str, secret_key: str) -> dict[str, Any]:
    """The ``POST /tuning/v2/tasks`` body. It holds secrets: print it only through ``redact``."""
    return {
        **params.api_fields(),
        "trainingDatasetUri": dataset_host,
        "trainingDatasetBucket": bucket,
        "trainingDatasetFilePath": key,
        "trainingDatasetAccessKey": access_key,
        "trainingDatasetSecretKey": secret_key,
    }
