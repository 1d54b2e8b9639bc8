"""Chat formats people already hold data in, read into conversations CLOVA Studio can take.

Three formats, one JSON object per line:

- ``openai``: ``{"messages": [{"role": "system"|"developer"|"user"|"assistant", "content": "..."}]}``
- ``sharegpt``: ``{"conversations": [{"from": "system"|"human"|"gpt", "value": "..."}]}``
- ``alpaca``: ``{"instruction": "...", "input": "...", "output": "...", "system"?: "...",
  "history"?: [["question", "answer"], ...]}``

A record becomes a :class:`Conversation` (an optional system prompt and user→assistant exchanges,
in order) or a :class:`Rejected` naming why it cannot be represented. Nothing is repaired:
a conversation that is not exactly ``[system] user assistant user assistant …`` is rejected whole.

>>> to_conversation({"messages": [{"role": "user", "content": "안녕"},
...                               {"role": "assistant", "content": "안녕하세요"}]}, "openai", 1)
Conversation(line=1, system='', turns=(('안녕', '안녕하세요'),))
>>> to_conversation({"messages": [{"role": "assistant", "content": "hi"}]}, "openai", 2).code
'convert.assistant-first'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMATS = ("openai", "sharegpt", "alpaca")

#: Why a record cannot become CLOVA rows: code → what it means (the rejects file carries the code).
REJECT_CODES: dict[str, str] = {
    "convert.bad-json": "the line is not one JSON object",
    "convert.wrong-format": "the record is not in the chosen format",
    "convert.bad-shape": "a field has the wrong type or a message lacks its role/content",
    "convert.tool-call": "tool or function calls cannot be represented",
    "convert.multimodal": "images, audio or other non-text content cannot be represented",
    "convert.system-not-first": "a system message that is not the first message",
    "convert.assistant-first": "the first turn after the system message is the assistant's",
    "convert.not-alternating": "user and assistant turns do not alternate",
    "convert.unanswered": "the conversation ends with a user turn that has no answer",
    "convert.empty-content": "a message has no text",
    "convert.no-exchange": "no user→assistant exchange at all",
}

_SHAREGPT_ROLES = {"system": "system", "human": "user", "user": "user", "gpt": "assistant",
                   "assistant": "assistant"}
#: OpenAI's ``developer`` role is the system message of its newer models.
_OPENAI_ROLES = {"developer": "system"}
_TOOL_ROLES = {"tool", "function", "function_call", "observation", "ipython"}
_TOOL_KEYS = ("tool_calls", "function_call", "tool_call_id")
_IMAGE_MARKERS = ("<image>", "<video>", "<audio>")


@dataclass(frozen=True)
class Conversation:
    line: int
    system: str
    #: (user, assistant) exchanges in order; never empty.
    turns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Rejected:
    line: int
    code: str
    message: str


def detect(record: Any) -> str | None:
    """The format a parsed record is in, or None."""
    if not isinstance(record, dict):
        return None
    if "messages" in record:
        return "openai"
    if "conversations" in record:
        return "sharegpt"
    if "instruction" in record and "output" in record:
        return "alpaca"
    return None


def to_conversation(record: Any, fmt: str, line: int) -> Conversation | Rejected:
    """``record`` (one parsed line in format ``fmt``) as a conversation, or why it cannot be one."""
    if detect(record) != fmt:
        article = "an" if fmt[0] in "aeiou" else "a"
        looks_like = detect(record) or "none of " + ", ".join(FORMATS)
        return Rejected(line, "convert.wrong-format", f"not {article} {fmt} record (looks like {looks_like})")
    try:
        messages = _alpaca(record) if fmt == "alpaca" else _messages(record, fmt)
    except _Reject as reject:
        return Rejected(line, reject.code, reject.message)
    return _pair(messages, line)


class _Reject(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _text(value: Any, where: str) -> str:
    """A message's content as text; lists of text parts are joined, anything else is refused."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list):
        parts = []
        for part in value:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, dict):
                raise _Reject("convert.multimodal", f"{where} has a {kind or 'non-text'} part")
            else:
                raise _Reject("convert.bad-shape", f"{where} content parts must be objects")
        text = "".join(parts)
    elif value is None:
        text = ""
    else:
        raise _Reject("convert.bad-shape", f"{where} content must be text")
    if any(marker in text for marker in _IMAGE_MARKERS):
        raise _Reject("convert.multimodal", f"{where} refers to an image, video or audio placeholder")
    if not text.strip():
        raise _Reject("convert.empty-content", f"{where} has no text")
    return text


def _messages(record: dict, fmt: str) -> list[tuple[str, str]]:
    key, role_key, content_key = (("messages", "role", "content") if fmt == "openai"
                                  else ("conversations", "from", "value"))
    items = record[key]
    if not isinstance(items, list):
        raise _Reject("convert.bad-shape", f'"{key}" must be a list')
    if fmt == "sharegpt" and (record.get("images") or record.get("image") or record.get("videos")):
        raise _Reject("convert.multimodal", "the record carries images or videos")
    if record.get("tools") or record.get("functions"):
        raise _Reject("convert.tool-call", "the record declares tools")
    out: list[tuple[str, str]] = []
    for number, item in enumerate(items, 1):
        where = f"message {number}"
        if not isinstance(item, dict) or not isinstance(item.get(role_key), str):
            raise _Reject("convert.bad-shape", f'{where} needs a "{role_key}"')
        raw_role = item[role_key].strip().lower()
        if raw_role in _TOOL_ROLES or any(item.get(k) for k in _TOOL_KEYS):
            raise _Reject("convert.tool-call", f"{where} is a tool or function call ({raw_role})")
        role = _SHAREGPT_ROLES.get(raw_role) if fmt == "sharegpt" else _OPENAI_ROLES.get(raw_role, raw_role)
        if role not in ("system", "user", "assistant"):
            raise _Reject("convert.bad-shape", f"{where} has role {item[role_key]!r}")
        out.append((role, _text(item.get(content_key), f"{where} ({raw_role})")))
    return out


def _alpaca(record: dict) -> list[tuple[str, str]]:
    for name in ("instruction", "input", "output", "system"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise _Reject("convert.bad-shape", f'"{name}" must be text')
    if record.get("images") or record.get("image"):
        raise _Reject("convert.multimodal", "the record carries images")
    out: list[tuple[str, str]] = []
    if record.get("system"):
        out.append(("system", _text(record["system"], '"system"')))
    history = record.get("history") or []
    if not isinstance(history, list):
        raise _Reject("convert.bad-shape", '"history" must be a list of [question, answer] pairs')
    for number, pair in enumerate(history, 1):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise _Reject("convert.bad-shape", f"history item {number} must be a [question, answer] pair")
        out += [("user", _text(pair[0], f"history item {number} question")),
                ("assistant", _text(pair[1], f"history item {number} answer"))]
    instruction = record.get("instruction") or ""
    extra = record.get("input") or ""
    prompt = f"{instruction}\n\n{extra}" if instruction.strip() and extra.strip() else instruction + extra
    out += [("user", _text(prompt, '"instruction"/"input"')), ("assistant", _text(record.get("output"), '"output"'))]
    return out


def _pair(messages: list[tuple[str, str]], line: int) -> Conversation | Rejected:
    system = ""
    if messages and messages[0][0] == "system":
        system = messages[0][1]
        messages = messages[1:]
    turns: list[tuple[str, str]] = []
    for index in range(0, len(messages), 2):
        user = messages[index]
        answer = messages[index + 1] if index + 1 < len(messages) else None
        for number, (role, _) in enumerate((user, answer) if answer else (user,)):
            if role == "system":
                return Rejected(line, "convert.system-not-first",
                                f"message {index + number + 1 + bool(system)} is a system message after the first")
        if user[0] == "assistant":
            code = "convert.assistant-first" if index == 0 else "convert.not-alternating"
            return Rejected(line, code, f"message {index + 1 + bool(system)} is the assistant's where the "
                                        "user's turn should be")
        if answer is None:
            return Rejected(line, "convert.unanswered", f"message {index + 1 + bool(system)} (user) has no answer")
        if answer[0] != "assistant":
            return Rejected(line, "convert.not-alternating",
                            f"message {index + 2 + bool(system)} is the user's where the assistant's should be")
        turns.append((user[1], answer[1]))
    if not turns:
        return Rejected(line, "convert.no-exchange", "no user→assistant exchange")
    return Conversation(line, system, tuple(turns))
