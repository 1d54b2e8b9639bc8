"""``gx-clova fix``: a corrected copy of a dataset. The source is never touched.

Fixed automatically, each change in the change log (source line, code, column, before, after):

- encoding → UTF-8 (cp949/euc-kr, UTF-16/32, a UTF-8 file with some cp949 lines; the source
  encoding is reported), and a UTF-8 byte-order mark removed;
- blank rows removed; blank columns removed when every cell is empty;
- columns renamed (``c_id`` → ``C_ID``), merged when copies agree, reordered to the spec;
  a missing ``T_ID`` added; columns outside the spec removed only with ``drop_extra_columns``;
- ``C_ID``/``T_ID`` renumbered: conversations are runs of one original ``C_ID`` in file order,
  numbered 0, 1, …, turns 0, 1, … within each (old → new in the mapping file);
- System_Prompt, Text and Completion NFC-normalised;
- with ``drop_duplicates``: conversations whose every turn repeats an earlier row, dropped.

Not fixed (a person must decide), kept in place and listed, or moved - with their whole
conversation - to a rejects file when ``rejects`` is given: empty Text or Completion, rows over
8,000 characters, a System_Prompt that changes mid-conversation, a row without ``C_ID``, a
record that does not parse, bytes no encoding decodes, malformed classification labels. Also
not fixed: too few rows, too few rows per label, too many labels, missing ``C_ID``/``Text``/
``Completion`` columns, copies of a column that disagree, and the warnings (duplicates are only
dropped when asked; conflicting labels, evaluation overlap, personal data, U+FFFD, control
characters and label variants need a person).

The fixed file is then validated (Great Expectations, same suite as ``validate``); whatever
still fails is reported with the source's line numbers. Nothing is dropped unless asked: the
mapping file accounts for every record of the source.
"""

from __future__ import annotations

from gx_clova.fix.decode import CannotFix
from gx_clova.fix.result import FixResult, FixUsageError, default_paths
from gx_clova.fix.run import fix

__all__ = ["CannotFix", "FixResult", "FixUsageError", "default_paths", "fix"]
