"""Names are data: one escaping function per medium a file name, column name or value reaches.

A dataset called ``x\\n::error file=evil.py::…\\n.csv`` or a column holding ``\\x1b[2J`` must
never become a CI command, a terminal instruction or ill-formed XML.

>>> for_terminal("a\\x1b[31mb\\nc")
'a\\\\x1b[31mb\\\\x0ac'
>>> github_data("50%\\n::error::x")
'50%25%0A::error::x'
>>> github_property("a,b:c")
'a%2Cb%3Ac'
>>> for_xml("ok\\x01]]>")
'ok\\\\x01]]>'

(Data Docs pages are HTML-escaped by their views; JSON and SARIF are JSON, whose encoder
escapes control characters - SARIF message texts also go through :func:`for_terminal`, since
code-scanning tools show them as text.)
"""

from __future__ import annotations

import re

#: C0 controls but tab, DEL and C1 controls: shown as ``\\xNN``.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
#: Characters XML 1.0 forbids (and the discouraged C1 range).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _hex(match: re.Match) -> str:
    return "".join(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" for ch in match.group(0))


def for_terminal(text: str, keep_newlines: bool = False) -> str:
    """Control characters (line breaks too, unless ``keep_newlines``) as ``\\xNN``."""
    if keep_newlines:
        return "\n".join(_CONTROL.sub(_hex, part) for part in text.split("\n"))
    return _CONTROL.sub(_hex, text)


def github_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (GitHub's own rules), so the value
    cannot end the command or start another."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): also ``:`` and ``,``."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def for_xml(text: str) -> str:
    """Characters XML 1.0 cannot hold, as ``\\xNN`` text (then escape markup as usual)."""
    return _NOT_XML.sub(_hex, text)
