"""The rule registry: every rule gx-clova checks, declared once. No Great Expectations, no pyspark.

A :class:`Rule` is what one expectation checks: the failure codes it owns (each a catalogue
entry, :class:`Code`: default severity, spec rule, title, requirement sentence and the template
of its findings' message, which :func:`message` fills in for every kernel, reader and Spark twin;
:mod:`gx_clova.codes` serves them as ``CATALOGUE``), its parameters with their spec defaults, its severity in the
shipped suites, the tasks it applies to, the sentence Data Docs show, and the metric whose kernel
finds the failures. A :class:`Metric` names its kernels (``"module:function"``) behind one
signature, ``kernel(table, context, **params) -> findings``: the Arrow kernel, and its Spark twin
``spark_kernel(frame, context, **params)`` beside it. A new rule's kernel module may provide that
signature itself; the adapters in :mod:`gx_clova.kernels` serve the older rule families.
Several rules may read one metric (one scan finds every code of a family).

Everything else is generated from here: the GX metric classes (:mod:`gx_clova.gx.metrics`), what
each expectation class owns (:mod:`gx_clova.gx.expectations.base` reads its rule by class name),
the suites (:mod:`gx_clova.gx.suites`), the direct path's plan (:mod:`gx_clova.direct`) and the
rules reference (``gx-clova rules``, ``docs/rules.md``).

>>> rule_of("class.imbalance").expectation, rule_of("class.imbalance").defaults()
('ExpectClovaLabelsToBeBalanced', {'max_ratio': 10})
>>> [r.expectation for r in rules_for("generation")][:2]
['ExpectClovaFileToBeAccepted', 'ExpectClovaRecordsToParse']
"""

from __future__ import annotations

import importlib
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gx_clova import spec

#: The metric GX's own row-count expectation reads; the row-count rules have no gx-clova kernel.
ROW_COUNT = "table.row_count"
ALL_TASKS: tuple[str, ...] = tuple(spec.TASKS)
CLASSIFICATION: tuple[str, ...] = ("classification",)
#: A code's default severity: an error fails the dataset, a warning is only reported.
ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)
#: A rule's severity in the shipped suites: GX's ``critical`` (an error) or ``warning``.
CRITICAL = "critical"


@dataclass(frozen=True)
class Code:
    """One failure kind: a stable dotted code, its default severity, the rule it checks, and the
    words a user reads about it: a title, the requirement, and the message of its findings.

    >>> CODE = Code("row.too-long", ERROR, "T3", "short rows", "T3", title="Row too long",
    ...             message="{rows:,} row(s) over {max_chars:,} characters in {text}")
    >>> CODE.format_message(rows=1200, max_chars=8000)
    '1,200 row(s) over 8,000 characters in Text'
    """

    code: str
    severity: str
    rule: str
    #: What must hold, as a sentence built from the spec's values (``gx-clova rules``, docs/rules.md).
    requirement: str
    #: The spec rule id (F1 … C3), or "Q" for checks beyond the guide.
    ref: str
    #: A short name (``gx-clova rules``, docs/rules.md): "Row too long".
    title: str = ""
    #: The message of a finding, a :meth:`str.format` template: the kernel passes the named fields
    #: (``{rows:,}``); the names of :data:`WORDS` (``{text}``, ``{c_id}`` …) are filled in here.
    message: str = ""
    #: Further message shapes of the code, by name (a header fault found two ways, a file that is
    #: not UTF-8 for one of several reasons); same rules as :attr:`message`.
    variants: dict[str, str] = field(default_factory=dict, hash=False)

    def templates(self) -> dict[str, str]:
        """Every message template of the code: ``""`` (the message) and each variant."""
        return {"": self.message, **self.variants}

    def format_message(self, variant: str = "", /, **fields: Any) -> str:
        """The finding's message: the template (``variant``, or the message) with ``fields``.

        The fields must be exactly those the template names besides :data:`WORDS`: a missing or an
        extra one is a programming error (``TypeError``), never a message with a hole in it."""
        try:
            template = self.templates()[variant]
        except KeyError:
            raise TypeError(f"{self.code} has no message variant {variant!r}") from None
        wanted = template_fields(template)
        if set(fields) != wanted:
            missing, extra = sorted(wanted - set(fields)), sorted(set(fields) - wanted)
            raise TypeError(f"{self.code} message{' ' + repr(variant) if variant else ''}: "
                            f"missing fields {missing}, unexpected fields {extra}")
        return template.format(**WORDS, **fields)


@dataclass(frozen=True)
class Param:
    """A rule parameter: its spec default and what it means (the expectation field's description)."""

    default: Any
    description: str


@dataclass(frozen=True)
class Metric:
    """A findings metric: ``kernel(table, context, **params)`` on Arrow, and its Spark twin."""

    name: str
    kernel: str
    #: ``"module:function"`` taking a Spark DataFrame, or None (the Arrow kernel runs on the driver).
    spark_kernel: str | None
    params: tuple[str, ...] = ()
    doc: str = ""

    def load(self) -> Callable[..., list]:
        return _load(self.kernel)

    def load_spark(self) -> Callable[..., list] | None:
        return _load(self.spark_kernel) if self.spark_kernel else None


@dataclass(frozen=True)
class Rule:
    """One expectation's rule: codes, parameters, severity, tasks, Data Docs sentence, metric."""

    #: The expectation class that checks it (its name is stored in suite JSON: never rename).
    expectation: str
    #: The codes it reports, as catalogue entries (:data:`gx_clova.codes.CATALOGUE` is built from them).
    catalogue: tuple[Code, ...]
    metric: str
    #: The sentence Data Docs show; ``$name`` is a parameter or one of :data:`WORDS`.
    template: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    severity: str = CRITICAL
    tasks: tuple[str, ...] = ALL_TASKS
    #: Whether the lines of findings are data rows (``unexpected_percent`` is a share of the
    #: rows); not for the file's own faults (records that do not parse, the header, bytes).
    lines_are_rows: bool = True
    #: Profile metrics (:mod:`gx_clova.gx.metrics.profile`) whose values go in ``details["profile"]``.
    profile_metrics: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(entry.code for entry in self.catalogue)

    @property
    def name(self) -> str:
        """The rule's name: its first code."""
        return self.codes[0]

    @property
    def expectation_type(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.expectation).lower()

    def defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in self.params.items()}

    def template_params(self) -> tuple[str, ...]:
        """The parameters the sentence shows, in order."""
        return tuple(dict.fromkeys(re.findall(r"\$(\w+)", self.template)))

    def metric_kwargs(self) -> dict[str, Any]:
        """What the metric computes with (GX passes the metric's value keys the rule sets)."""
        if self.metric == ROW_COUNT:
            return {"min_value": None, "max_value": None} | self.defaults()
        keys = metric(self.metric).params
        return {k: v for k, v in self.defaults().items() if k in keys}


@cache
def template_fields(template: str) -> frozenset[str]:
    """The fields a message template takes from its kernel: every ``{name}`` but :data:`WORDS`.

    >>> sorted(template_fields("{rows:,} row(s) with an empty {text}; first: {first!r}"))
    ['first', 'rows']
    """
    names = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
    return frozenset(names - set(WORDS))


#: The names Data Docs sentences and message templates may use besides a rule's parameters.
WORDS: dict[str, Any] = {
    "columns": ", ".join(spec.ALL_COLUMNS),
    "system_prompt": spec.SYSTEM_PROMPT,
    "c_id": spec.C_ID,
    "t_id": spec.T_ID,
    "text": spec.TEXT,
    "completion": spec.COMPLETION,
    "extensions": " or ".join(spec.EXTENSIONS),
    "label_description": spec.LABEL_DESCRIPTION,
}

_K = "gx_clova.kernels:"
_S = "gx_clova.spark.kernels:"

METRICS: tuple[Metric, ...] = (
    # The file rules read the file's facts only: the same function on every engine.
    Metric("clova.file_findings", _K + "file_findings", _K + "file_findings", ("max_bytes",),
           "F1–F3: name, size, encoding."),
    Metric("clova.record_findings", _K + "record_findings", _K + "record_findings", (),
           "F4–F5: every record parses; no blank rows."),
    Metric("clova.header_findings", _K + "header_findings", _K + "header_findings", (),
           "F6, H1–H5: the header (CSV) or every line's keys (JSONL)."),
    Metric("clova.id_findings", _K + "id_findings", _S + "id_findings", (), "I1–I2: C_ID and T_ID sequences."),
    Metric("clova.empty_findings", _K + "empty_findings", _S + "empty_findings", (),
           "T1–T2: non-empty Text and Completion."),
    Metric("clova.length_findings", _K + "length_findings", _S + "length_findings", ("max_chars",),
           "T3: the row length limit."),
    Metric("clova.system_prompt_findings", _K + "system_prompt_findings", _S + "system_prompt_findings", (),
           "S1: one System_Prompt per conversation."),
    Metric("clova.label_findings", _K + "label_findings", _S + "label_findings", ("min_rows_per_label", "max_labels"),
           "C1–C3: classification labels."),
    Metric("clova.duplicate_findings", _K + "duplicate_findings", _S + "duplicate_findings", (),
           "duplicate.row and label.conflict: exact row identity, conversation-aware."),
    Metric("clova.text_quality_findings", _K + "text_quality_findings", _S + "text_quality_findings", (),
           "text.not-nfc, text.replacement-char, text.control-char, pii.*: one scan of every text cell."),
    Metric("clova.leakage_findings", _K + "leakage_findings", _S + "leakage_findings", (),
           "leakage.eval-overlap: the evaluation file's keys come in the batch context (``eval``)."),
    Metric("clova.label_quality_findings", _K + "label_quality_findings", _S + "label_quality_findings",
           ("max_ratio",), "class.label-variant and class.imbalance (classification)."),
)

_TEXTS = "$system_prompt, $text or $completion"
_LOW, _HIGH = spec.RECOMMENDED_ROWS


def _fmt(n: int) -> str:
    return f"{n:,}"


#: Every rule, in suite order (the spec's rules, then the warnings beyond the guide), with the catalogue
#: entries of the codes it reports: codes are public API (CI gates and the submitter key on them), never
#: rename one; requirement sentences are built from :mod:`gx_clova.spec`, so a limit and its text agree.
RULES: tuple[Rule, ...] = (
    # -- the spec's rules ----------------------------------------------------------------------------
    Rule("ExpectClovaFileToBeAccepted", (
         Code("file.extension", ERROR, "F1", f"the file name ends in {' or '.join(spec.EXTENSIONS)}", "F1",
              title="File extension",
              message="the file name ends in {extension}; CLOVA Studio accepts {extensions}",
              variants={"none": "the file name ends in (no extension); CLOVA Studio accepts {extensions}"}),
         Code("file.size", ERROR, "F2", f"the file is at most {_fmt(spec.MAX_FILE_BYTES)} bytes (1 TB)", "F2",
              title="File size", message="the file is {bytes:,} bytes; the limit is {max_bytes:,} bytes"),
         Code("file.encoding", ERROR, "F3", "the bytes decode as UTF-8 (a byte-order mark is fine)", "F3",
              title="File encoding",
              message="the file is not UTF-8 (it looks like {detected}); {lines:,} line(s) have bytes that "
                      "are not UTF-8: save it as UTF-8",
              variants={"bom": "the file is {detected}, not UTF-8: save it as UTF-8",
                        "compressed": "the file is {kind}-compressed, not UTF-8 text: decompress it first "
                                      "(CLOVA Studio reads plain .csv / .jsonl)"}),
         ), "clova.file_findings",
         "The file name ends in $extensions, the file is at most $max_bytes bytes, and it is encoded in UTF-8.",
         {"max_bytes": Param(spec.MAX_FILE_BYTES, "The largest file CLOVA Studio accepts, in bytes (spec F2: 1 TB).")},
         lines_are_rows=False),
    Rule("ExpectClovaRecordsToParse", (
         Code("file.format", ERROR, "F4",
              "every CSV record has as many cells as the header with balanced quotes; "
              "every JSONL line is one JSON object", "F4",
              title="Record format", message="{rows:,} record(s) cannot be parsed; first: {first}",
              variants={"jsonl": "{rows:,} line(s) are not one JSON object; first: {first}"}),
         Code("value.type", ERROR, "F4",
              f"in JSONL, {spec.TEXT}, {spec.COMPLETION} and {spec.SYSTEM_PROMPT} are JSON strings "
              "(not objects, arrays, numbers or booleans)", "F4",
              title="Value type",
              message="{rows:,} line(s) hold a {text}, {completion} or {system_prompt} that is not a JSON string; "
                      "first: {first}"),
         Code("file.blank-row", ERROR, "F5", "no blank rows or blank JSONL lines", "F5",
              title="Blank row", message="{rows:,} blank row(s): delete them",
              variants={"jsonl": "{rows:,} blank line(s): delete them"}),
         ), "clova.record_findings",
         "Every record parses: each CSV record has as many cells as the header and its quotes balance, "
         "each JSONL line is one JSON object, and there are no blank rows.", lines_are_rows=False),
    Rule("ExpectClovaColumnsToMatchSpec", (
         Code("file.blank-column", ERROR, "F6", "no blank columns (empty header cell or trailing delimiter)", "F6",
              title="Blank column",
              message="blank column(s) at position {positions} (an empty header cell or a trailing delimiter)"),
         Code("header.missing-column", ERROR, "H1",
              f"the columns {', '.join(spec.REQUIRED_COLUMNS)} are present (in JSONL, on every line)", "H1",
              title="Missing column", message="required column(s) missing: {names}"),
         Code("header.unexpected-column", ERROR, "H2",
              f"no columns other than {', '.join(spec.ALL_COLUMNS)}", "H2",
              title="Unexpected column", message="unexpected column(s) {names}; allowed: {columns}"),
         Code("header.duplicate-column", ERROR, "H3",
              "no column appears twice (compared case-insensitively); in JSONL, no key twice in one object", "H3",
              title="Duplicate column", message="column(s) appear more than once: {names}",
              variants={"repeated_key": "{rows:,} line(s) repeat a key; first: {first}"}),
         Code("header.column-order", ERROR, "H4",
              f"the columns are in the order {', '.join(spec.ALL_COLUMNS)}, {spec.SYSTEM_PROMPT} only first", "H4",
              title="Column order", message="columns are in the order {found}; expected {expected}",
              variants={"first": "{system_prompt} must be the first column"}),
         Code("header.column-case", ERROR, "H5",
              f"column names are spelt exactly ({spec.SYSTEM_PROMPT}'s case is free)", "H5",
              title="Column name case", message="column name(s) must be spelt exactly: {fixes}"),
         ), "clova.header_findings",
         "Columns are exactly $columns in this order ($system_prompt optional, first, any case); "
         "no blank, unexpected or duplicate columns.", lines_are_rows=False),
    Rule("ExpectClovaRowCountToBeAtLeast", (
         Code("rows.too-few", ERROR, "N1", f"at least {_fmt(spec.MIN_ROWS)} data rows", "N1",
              title="Too few rows", message="{rows:,} data row(s); CLOVA Studio needs at least {min_value:,}"),
         ), ROW_COUNT,
         params={"min_value": Param(spec.MIN_ROWS, "The fewest data rows CLOVA Studio accepts (spec N1: 100).")}),
    Rule("ExpectClovaRowCountToBeRecommended", (
         Code("rows.outside-recommended", WARNING, "N2",
              f"{_fmt(_LOW)} to {_fmt(_HIGH)} data rows are recommended", "N2",
              title="Row count outside the recommended range",
              message="{rows:,} data row(s); {min_value:,} to {max_value:,} are recommended"),
         ), ROW_COUNT,
         params={"min_value": Param(_LOW, "The fewest data rows the guide recommends (spec N2: 1,000)."),
                 "max_value": Param(_HIGH, "The most data rows the guide recommends (spec N2: 100,000).")},
         severity=WARNING),
    Rule("ExpectClovaConversationIdsToBeSequential", (
         Code("c_id.sequence", ERROR, "I1",
              f"{spec.C_ID} is an integer starting at 0, each new conversation the previous + 1, "
              "a conversation's rows contiguous", "I1",
              title=f"{spec.C_ID} sequence", message="{breaks:,} break(s) in the {c_id} sequence; first: {first}",
              variants={"not_integer": "{rows:,} row(s) where {c_id} is not an integer"}),
         ), "clova.id_findings",
         "$c_id is an integer: 0 for the first conversation, the previous + 1 for each new conversation, "
         "and the rows of a conversation are contiguous."),
    Rule("ExpectClovaTurnIdsToBeSequential", (
         Code("t_id.sequence", ERROR, "I2",
              f"{spec.T_ID} is an integer, 0 at the first turn of each conversation, +1 for each next turn", "I2",
              title=f"{spec.T_ID} sequence", message="{breaks:,} break(s) in the {t_id} sequence; first: {first}",
              variants={"not_integer": "{rows:,} row(s) where {t_id} is not an integer"}),
         ), "clova.id_findings",
         "$t_id is an integer: 0 at the first turn of each conversation and the previous + 1 for each next turn."),
    Rule("ExpectClovaTextAndCompletionToBeNonEmpty", (
         Code("text.empty", ERROR, "T1", f"{spec.TEXT} has at least one character", "T1",
              title=f"Empty {spec.TEXT}", message="{rows:,} row(s) with an empty {text}"),
         Code("completion.empty", ERROR, "T2", f"{spec.COMPLETION} has at least one character", "T2",
              title=f"Empty {spec.COMPLETION}", message="{rows:,} row(s) with an empty {completion}"),
         ), "clova.empty_findings",
         "$text and $completion each hold at least one character."),
    Rule("ExpectClovaRowLengthToBeAtMost", (
         Code("row.too-long", ERROR, "T3",
              f"len({spec.TEXT}) + len({spec.COMPLETION}) is at most {_fmt(spec.MAX_ROW_CHARS)} characters "
              "(spaces count)", "T3",
              title="Row too long",
              message="{rows:,} row(s) where len({text}) + len({completion}) exceeds {max_chars:,} characters "
                      "(longest: {longest:,})"),
         ), "clova.length_findings",
         "len($text) + len($completion) is at most $max_chars characters in every row, spaces included.",
         {"max_chars": Param(spec.MAX_ROW_CHARS,
                             "The most characters len(Text) + len(Completion) may have in one row (spec T3: 8,000).")},
         profile_metrics=("clova.profile.lengths",)),
    Rule("ExpectClovaSystemPromptToBeConsistent", (
         Code("system_prompt.inconsistent", ERROR, "S1",
              f"every row of one {spec.C_ID} has the same {spec.SYSTEM_PROMPT}", "S1",
              title=f"{spec.SYSTEM_PROMPT} changes within a conversation",
              message="{rows:,} row(s) in {conversations:,} conversation(s) change {system_prompt} "
                      "mid-conversation; first: {first}"),
         ), "clova.system_prompt_findings",
         "Every row of one $c_id has the same $system_prompt."),
    Rule("ExpectClovaLabelsToHaveMinRows", (
         Code("class.too-few-rows", ERROR, "C1",
              f"every label ({spec.COMPLETION} value) has at least {_fmt(spec.MIN_ROWS_PER_LABEL)} rows", "C1",
              title="Label with too few rows",
              message="{labels} label(s) have fewer than {min_rows_per_label:,} rows: {shown}"),
         ), "clova.label_findings",
         "Every label ($completion value) has at least $min_rows_per_label rows.",
         {"min_rows_per_label": Param(spec.MIN_ROWS_PER_LABEL, "The fewest rows a label may have (spec C1: 200).")},
         tasks=CLASSIFICATION, profile_metrics=("clova.profile.labels",)),
    Rule("ExpectClovaLabelCountToBeAtMost", (
         Code("class.too-many-labels", ERROR, "C2", f"at most {spec.MAX_LABELS} distinct labels", "C2",
              title="Too many labels", message="{labels} distinct labels; at most {max_labels} are allowed"),
         ), "clova.label_findings",
         "There are at most $max_labels distinct labels.",
         {"max_labels": Param(spec.MAX_LABELS,
                              "The most distinct labels a classification dataset may have (spec C2: 15).")},
         tasks=CLASSIFICATION),
    Rule("ExpectClovaLabelsToBeOneWord", (
         Code("class.label-format", ERROR, "C3", f"every label is {spec.LABEL_DESCRIPTION}", "C3",
              title="Label format", message="{labels} label(s) are not {label_description}: {shown}"),
         ), "clova.label_findings",
         "Every label is $label_description.", tasks=CLASSIFICATION),
    # -- beyond the guide: quality warnings ----------------------------------------------------------
    Rule("ExpectClovaRowsToBeUnique", (
         Code("duplicate.row", WARNING, "Q", "no row repeats an earlier row exactly", "Q",
              title="Duplicate row", message="{rows:,} row(s) repeat an earlier row exactly; first: {first}"),
         ), "clova.duplicate_findings",
         "No row repeats an earlier row exactly ($system_prompt, $text, $completion and the turns before it).",
         severity=WARNING),
    Rule("ExpectClovaLabelsToBeConsistent", (
         Code("label.conflict", WARNING, "Q",
              f"the same {spec.TEXT} never has different {spec.COMPLETION}s", "Q",
              title="Conflicting labels",
              message="{rows:,} row(s) in {groups:,} group(s) have the same input ({system_prompt}, "
                      "earlier turns, {text}) but different {completion}s; first: {first}"),
         ), "clova.duplicate_findings",
         "The same input ($system_prompt, earlier turns, $text) never has different $completion values.",
         severity=WARNING),
    Rule("ExpectClovaRowsToBeAbsentFromEvalFile", (
         Code("leakage.eval-overlap", WARNING, "Q",
              "no row of the evaluation file also appears in the training file", "Q",
              title="Row also in the evaluation file",
              message="{rows:,} training row(s) also appear in the evaluation file {uri} (same {compared}; "
                      "{exact:,} exactly, {normalised:,} after normalisation); first: {first}"),
         ), "clova.leakage_findings",
         "No training row appears in the evaluation file given with --eval-file (same $text, and $completion for "
         "generation; compared exactly and after NFKC, case and space normalisation).", severity=WARNING),
    Rule("ExpectClovaTextToBeNfc", (
         Code("text.not-nfc", WARNING, "Q",
              "text is NFC-normalised (decomposed Hangul inflates character counts)", "Q",
              title="Text not NFC-normalised",
              message="{rows:,} row(s) hold text that is not NFC-normalised (decomposed Hangul counts up to "
                      "three characters per syllable against the limit); `gx-clova fix` normalises it; "
                      "first: {first}"),
         ), "clova.text_quality_findings",
         "Every $system_prompt, $text and $completion is NFC-normalised (no decomposed Hangul).", severity=WARNING),
    Rule("ExpectClovaTextToHaveNoReplacementCharacters", (
         Code("text.replacement-char", WARNING, "Q", "no U+FFFD replacement characters (a lossy decode)", "Q",
              title="Replacement character",
              message="{rows:,} row(s) hold U+FFFD, the mark of a lossy decode: the original "
                      "characters are lost, export the data again from its source; first: {first}"),
         ), "clova.text_quality_findings",
         f"No {_TEXTS} holds U+FFFD (the mark of a lossy decode).", severity=WARNING),
    Rule("ExpectClovaTextToHaveNoControlCharacters", (
         Code("text.control-char", WARNING, "Q", "no control or zero-width characters", "Q",
              title="Control character",
              message="{rows:,} row(s) hold control or zero-width characters; first: {first}"),
         ), "clova.text_quality_findings",
         f"No {_TEXTS} holds control or zero-width characters.", severity=WARNING),
    Rule("ExpectClovaTextToHaveNoResidentNumbers", (
         Code("pii.resident-number", WARNING, "Q", "no Korean resident registration numbers", "Q",
              title="Resident registration number",
              message="{rows:,} row(s) hold what looks like a Korean resident registration number; "
                      "first: {first}"),
         ), "clova.text_quality_findings",
         f"No {_TEXTS} holds a Korean resident registration number.", severity=WARNING),
    Rule("ExpectClovaTextToHaveNoPhoneNumbers", (
         Code("pii.phone-number", WARNING, "Q", "no phone numbers", "Q",
              title="Phone number",
              message="{rows:,} row(s) hold what looks like a phone number; first: {first}"),
         ), "clova.text_quality_findings",
         f"No {_TEXTS} holds a phone number.", severity=WARNING),
    Rule("ExpectClovaTextToHaveNoEmailAddresses", (
         Code("pii.email", WARNING, "Q", "no e-mail addresses", "Q",
              title="E-mail address",
              message="{rows:,} row(s) hold what looks like an e-mail address; first: {first}"),
         ), "clova.text_quality_findings",
         f"No {_TEXTS} holds an e-mail address.", severity=WARNING),
    Rule("ExpectClovaLabelsToHaveOneSpelling", (
         Code("class.label-variant", WARNING, "Q",
              "no two labels differ only by spacing, case or character width (classification)", "Q",
              title="Label spelt more than one way",
              message="{groups} label(s) are written in more than one way (spacing, case or width): "
                      "{shown}; rows of the less frequent spellings are listed"),
         ), "clova.label_quality_findings",
         "No two labels ($completion values) differ only by spacing, case or character width.",
         severity=WARNING, tasks=CLASSIFICATION),
    Rule("ExpectClovaLabelsToBeBalanced", (
         Code("class.imbalance", WARNING, "Q",
              f"the largest label has at most {spec.MAX_LABEL_IMBALANCE}× the rows of the smallest "
              "(classification)", "Q",
              title="Label imbalance",
              message="{labels} label(s) have less than 1/{max_ratio} of the rows of {top!r} ({largest:,}): "
                      "{shown}"),
         ), "clova.label_quality_findings",
         "The largest label has at most $max_ratio times the rows of the smallest.",
         {"max_ratio": Param(spec.MAX_LABEL_IMBALANCE,
                             "How many times the rows of the smallest label the largest may have (gx-clova: 10).")},
         severity=WARNING, tasks=CLASSIFICATION),
)

_BY_EXPECTATION = {r.expectation: r for r in RULES}
_BY_CODE = {code: r for r in RULES for code in r.codes}
_METRICS = {m.name: m for m in METRICS}
_ENTRIES = {entry.code: entry for r in RULES for entry in r.catalogue}
assert len(_BY_EXPECTATION) == len(RULES), "two rules name one expectation"
assert sum(len(r.codes) for r in RULES) == len(_BY_CODE), "a code belongs to two rules"
assert all(r.metric in _METRICS or r.metric == ROW_COUNT for r in RULES), "a rule reads an unknown metric"
assert all(set(r.params) <= set(_METRICS[r.metric].params) for r in RULES if r.metric != ROW_COUNT), \
    "a rule has a parameter its metric does not take"


def rule_of(code: str) -> Rule:
    """The rule that reports ``code``."""
    return _BY_CODE[code]


def message(code: str, variant: str = "", /, **fields: Any) -> str:
    """The message of a finding of ``code``: its catalogue template with ``fields``
    (see :meth:`Code.format_message`). Every finding's message is built here.

    >>> message("text.empty", rows=1234)
    '1,234 row(s) with an empty Text'
    >>> message("header.column-order", "first")
    'System_Prompt must be the first column'
    """
    return _ENTRIES[code].format_message(variant, **fields)


def rule_for_expectation(name: str) -> Rule | None:
    """The rule an expectation class (by class name) checks, or None (a user's own expectation)."""
    return _BY_EXPECTATION.get(name)


def rules_for(task: str) -> list[Rule]:
    """The task's rules, in suite order."""
    if task not in spec.TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(spec.TASKS)}")
    return [r for r in RULES if task in r.tasks]


def metric(name: str) -> Metric:
    return _METRICS[name]


def words_and_limits() -> dict[str, Any]:
    """The values a Data Docs sentence may show when the expectation leaves them unset."""
    limits = {k: v for r in RULES if r.metric != ROW_COUNT for k, v in r.defaults().items()}
    return {**WORDS, **limits}


@cache
def kernel(metric_name: str) -> Callable[..., list]:
    """The Arrow kernel of a metric, loaded."""
    return metric(metric_name).load()


def _load(path: str) -> Callable[..., list]:
    module, _, function = path.partition(":")
    return getattr(importlib.import_module(module), function)
