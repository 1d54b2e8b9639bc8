"""The CLOVA Studio instruction-dataset spec, as data.

Every number, name and pattern of the CLOVA Studio instruction-dataset guide lives here and
nowhere else (docs/rules.md lists the rules built from them). This module imports
nothing from Great Expectations (or from the rest of gx_clova), so the rules engine, the
messages, the Data Docs descriptions and the submitter all read the same values.

>>> MAX_ROW_CHARS
8000
>>> is_label_word("네이버밴드계정"), is_label_word("MYBOX 결제"), is_label_word("오류_해결")
(True, False, False)
"""

from __future__ import annotations


#: File extensions CLOVA Studio accepts (F1).
EXTENSIONS: tuple[str, ...] = (".csv", ".jsonl")

#: Largest file CLOVA Studio accepts, in bytes (F2): 1 TB.
MAX_FILE_BYTES: int = 1_000_000_000_000

#: The only encoding accepted (F3). A UTF-8 byte-order mark is tolerated.
ENCODING: str = "utf-8"

#: Optional first column; its case is free (H5).
SYSTEM_PROMPT: str = "System_Prompt"
C_ID: str = "C_ID"
T_ID: str = "T_ID"
TEXT: str = "Text"
COMPLETION: str = "Completion"

#: Required columns, in their required order (H1, H4).
REQUIRED_COLUMNS: tuple[str, ...] = (C_ID, T_ID, TEXT, COMPLETION)

#: Every allowed column in its required order (H2, H4).
ALL_COLUMNS: tuple[str, ...] = (SYSTEM_PROMPT, *REQUIRED_COLUMNS)

#: Columns that must hold at least one character (T1, T2).
NON_EMPTY_COLUMNS: tuple[str, ...] = (TEXT, COMPLETION)

#: Columns that hold integer identifiers (I1, I2).
ID_COLUMNS: tuple[str, ...] = (C_ID, T_ID)

#: Minimum number of data rows (N1).
MIN_ROWS: int = 100

#: Recommended number of data rows (N2), inclusive.
RECOMMENDED_ROWS: tuple[int, int] = (1_000, 100_000)

#: Largest ``len(Text) + len(Completion)`` of one row, spaces included (T3).
MAX_ROW_CHARS: int = 8_000

#: Classification: minimum rows per label (C1).
MIN_ROWS_PER_LABEL: int = 200

#: Classification: maximum number of distinct labels (C2).
MAX_LABELS: int = 15

#: Task types (``--task``); generation is the default.
TASKS: tuple[str, ...] = ("generation", "classification")
DEFAULT_TASK: str = "generation"

#: C3: a label is one word of Unicode letters and digits. ``\w`` would admit ``_``, so the
#: test is spelled out with :func:`str.isalnum` on every character (letters, marks-free digits).
LABEL_DESCRIPTION: str = "one word of Unicode letters and digits, no spaces or special characters"

#: Personal-data patterns for the privacy warnings (beyond the guide).
#: Korean resident registration number: YYMMDD-GNNNNNN, gender digit 1-8.
RRN_PATTERN: str = r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-?[1-8]\d{6}(?!\d)"
#: Korean mobile and landline numbers, with or without separators.
PHONE_PATTERN: str = r"(?<!\d)(?:01[016789]|02|0[3-6][1-5])[-. ]?\d{3,4}[-. ]?\d{4}(?!\d)"
#: An e-mail address. The look-behind starts a match only where a run of local-part characters
#: starts: without it, a long run with no "@" is re-scanned from every position (quadratic: a
#: 1 MiB cell took minutes); with it, every character is looked at a bounded number of times.
EMAIL_PATTERN: str = r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"

#: Characters that make text suspicious (beyond the guide): the replacement character left by
#: a lossy decode, C0/C1 controls other than tab and newlines, and zero-width characters.
REPLACEMENT_CHAR: str = "\ufffd"
CONTROL_PATTERN: str = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]"

#: Classification (beyond the guide): warn when the largest label has more than this many times
#: the rows of the smallest. A model tuned on a 10:1 split learns mostly the majority label.
MAX_LABEL_IMBALANCE: int = 10

#: The Unicode normal form text should be in (beyond the guide). Decomposed Hangul (NFD, as some
#: macOS tools write it) counts three code points per syllable against the 8,000-character limit.
NORMAL_FORM: str = "NFC"

#: Console views list this many lines per failure before "… and N more".
CONSOLE_LINES: int = 10


def is_label_word(label: str) -> bool:
    """C3: one word of Unicode letters and digits (Hangul, Latin, digits …), nothing else."""
    return bool(label) and all(ch.isalnum() for ch in label)


def canonical_column(name: str) -> str | None:
    """The spec column ``name`` stands for, or ``None``.

    Only ``System_Prompt`` is matched case-insensitively (H5); every other name must match exactly.
    """
    if name.casefold() == SYSTEM_PROMPT.casefold():
        return SYSTEM_PROMPT
    return name if name in REQUIRED_COLUMNS else None


def loose_column(name: str) -> str | None:
    """The spec column ``name`` was probably meant to be (case-insensitive), or ``None``.

    Used to keep checking content under a misspelt header ("the remaining checks still run
    wherever the file allows it").
    """
    folded = name.strip().casefold()
    for column in ALL_COLUMNS:
        if column.casefold() == folded:
            return column
    return None
