"""CLOVA Studio models and tuning-parameter ranges, as data, each with the page it comes from.

Where the guide's pages disagree, the *stricter* reading is enforced and the wider one is kept
beside it; ``--allow-wider-ranges`` switches to the wider reading. Nothing here is
behaviour: :mod:`.params` checks values against it, :mod:`gx_clova.tokens` reads the windows
and tokenizer endpoints, and messages are built from these values so a limit and its text
cannot drift apart.

>>> MODELS["HCX-003"].max_input, MODELS["HCX-DASH-001"].tokenizer_path
(7600, '/v1/api-tools/chat-tokenize/HCX-DASH-001')
>>> PARAMETERS["loraR"].limits(wider=False), PARAMETERS["loraR"].limits(wider=True)
((2, 8), (2, 64))
"""

from __future__ import annotations

from dataclasses import dataclass

#: The pages the ranges come from (public guide and API pages, as of 2026).
API_PAGE = "CLOVA Studio API guide, 'Create tuning' (POST /tuning/v2/tasks)"
GOV_API_PAGE = "CLOVA Studio API guide for the government cloud, 'Create tuning'"
MODEL_PAGE = "CLOVA Studio guide, 'Models' (context windows)"
RELEASE_2025_07 = "CLOVA Studio release note 2025-07 (HCX-005 and HCX-DASH-002 tunable with PEFT)"
OLD_API_PAGE = "an older CLOVA Studio API page (HCX-005 and HCX-DASH-002 cannot be trained)"
RATE_LIMIT_PAGE = "CLOVA Studio guide, 'Rate limits' (2025-07), test-app limits"


@dataclass(frozen=True)
class Parameter:
    """One create-request field: its type on the wire, its range(s) and where they come from."""

    api_name: str
    flag: str
    #: ``int``, ``float`` (JSON numbers) or ``str`` (the API takes these numbers as strings).
    wire_type: str
    #: Whole numbers only (epochs, loraR, loraAlpha).
    whole: bool
    low: float
    #: None: no documented upper limit.
    high: float | None
    source: str
    #: The wider range another page documents, and that page; None where the pages agree.
    wider_high: float | None = None
    wider_source: str | None = None
    default: str | None = None

    def limits(self, *, wider: bool) -> tuple[float, float | None]:
        high = self.wider_high if wider and self.wider_high is not None else self.high
        return self.low, high

    def describe(self, *, wider: bool) -> str:
        low, high = self.limits(wider=wider)
        kind = "a whole number" if self.whole else "a number"
        span = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
        return f"{self.flag} must be {kind} {span}"


PARAMETERS: dict[str, Parameter] = {
    "trainEpochs": Parameter("trainEpochs", "--epochs", "str", True, 1, 20, API_PAGE, default="8"),
    "learningRate": Parameter("learningRate", "--learning-rate", "str", False, 1e-6, 1.0, API_PAGE, default="1e-4"),
    "validationSplitRatio": Parameter("validationSplitRatio", "--validation-split-ratio", "float", False,
                                      0.0, 0.1, API_PAGE, default="0.0"),
    "loraR": Parameter("loraR", "--lora-r", "int", True, 2, 8, GOV_API_PAGE,
                       wider_high=64, wider_source=API_PAGE, default="8"),
    "loraAlpha": Parameter("loraAlpha", "--lora-alpha", "int", True, 2, None, API_PAGE),
}


@dataclass(frozen=True)
class Model:
    name: str
    #: ``yes``: every page agrees it can be tuned; ``disputed``: pages disagree (refused unless wider).
    tunable: str
    tunable_source: str
    #: Tokens the model sees at most (context window) and, where documented, at most as input.
    context: int
    max_input: int
    window_source: str
    #: ``v1`` or ``v3`` chat-tokenize endpoint.
    tokenizer: str
    #: Test-app rate limits: requests and tokens per minute.
    requests_per_minute: int
    tokens_per_minute: int
    #: ``tuningType`` values the create request may carry for this model (API page; release note 2025-07).
    tuning_types: tuple[str, ...] = ("PEFT",)

    @property
    def tokenizer_path(self) -> str:
        return f"/{self.tokenizer}/api-tools/chat-tokenize/{self.name}"


MODELS: dict[str, Model] = {
    "HCX-003": Model("HCX-003", "yes", API_PAGE, 8_192, 7_600, MODEL_PAGE, "v1", 200, 30_000),
    "HCX-DASH-001": Model("HCX-DASH-001", "yes", API_PAGE, 4_096, 3_500, MODEL_PAGE, "v1", 200, 30_000),
    # "128K"/"32K" read as the smaller decimal count; the model page gives no separate input limit.
    "HCX-005": Model("HCX-005", "disputed", f"{RELEASE_2025_07}; {OLD_API_PAGE}", 128_000, 128_000, MODEL_PAGE,
                     "v3", 60, 60_000),
    "HCX-DASH-002": Model("HCX-DASH-002", "disputed", f"{RELEASE_2025_07}; {OLD_API_PAGE}", 32_000, 32_000,
                          MODEL_PAGE, "v3", 90, 80_000),
}


def known_models() -> str:
    return ", ".join(MODELS)
