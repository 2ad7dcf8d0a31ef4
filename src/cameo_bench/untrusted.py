"""Text from outside the project, parsed and checked in one place: predictions lines (read by
``score``, ``parse``, ``compare`` and ``leaderboard submit``), submission metadata and collection
metadata.

:func:`load_json` parses one JSON document and refuses what could crash a reader, mislead a
reader of the page or be written back wrong:

- nesting deeper than :data:`MAX_DEPTH` (checked before parsing, so no ``RecursionError``);
- a key twice in one object (JSON parsers disagree on which value wins);
- ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON; a NaN temperature splits one run in two and
  makes ``scores.json`` invalid), numbers beyond the float range (``1e999``) and numbers of more
  than :data:`MAX_DIGITS` digits (Python refuses to convert them);
- in names (every string but the values of the top-level ``free_text`` keys: a model's raw
  answer may hold any text), control characters (C0, DEL, C1, U+2028/U+2029) and the
  bidirectional controls U+202A-U+202E and U+2066-U+2069, which reorder how a name is shown
  (``\\u202e`` makes one model name read as another) or drive a terminal;
- anywhere, lone surrogates (``\\ud800``): not text, and UTF-8 cannot hold them, so writing the
  row back would fail.

:func:`read_lines` yields a file's lines split only at ``\\n`` (never at U+2028 or a bare
``\\r`` inside an answer), each decoded as strict UTF-8. Every problem is an
:class:`UntrustedInput` (one line, the JSON path first where there is one) or, from
:func:`read_lines`, an :class:`~cameo_bench.errors.InputError` naming ``FILE:LINE``.

The checks cost little on ordinary lines: the depth scan runs only on a line with more than
:data:`MAX_DEPTH` brackets, the string walk only on a line with a backslash escape or a
suspicious raw character (one C-speed search), and a flat object (a predictions line, a
collection record) is parsed by the C decoder without a Python call per object: its keys are
proven distinct by counting colons (see :func:`_flat_object`); anything else, or any doubt, goes
through the full parse that words the error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from cameo_bench.errors import InputError

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "UntrustedInput", "load_json", "text_problem",
           "read_lines"]

#: Deepest nesting of arrays and objects allowed (a predictions line needs 2).
MAX_DEPTH = 8
#: Most digits in one JSON number (Python's limit for converting an integer string).
MAX_DIGITS = 4300

_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATE = "\ud800-\udfff"
#: Characters a name may not hold.
_NAME_BAD = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}{_SURROGATE}]")
#: Characters no string may hold.
_TEXT_BAD = re.compile(f"[{_SURROGATE}]")
#: Raw (unescaped) non-ASCII characters that make a line worth walking string by string.
_RAW_SUSPECT = re.compile(f"[\x80-\x9f\u2028\u2029{_BIDI}{_SURROGATE}]")
#: A JSON string or one bracket (the depth scan skips strings).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class UntrustedInput(ValueError):
    """Untrusted text breaks a rule; the message (one line) says which and where."""


def text_problem(value: str, *, free: bool = False) -> str | None:
    """What is wrong with ``value`` as a name (``free``: as free text such as a model's answer),
    e.g. ``"holds a bidirectional control character U+202E"``; ``None`` when nothing is."""
    found = (_TEXT_BAD if free else _NAME_BAD).search(value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "a bidirectional control character"
    else:
        kind = "a control character"
    return f"holds {kind} U+{code:04X}"


def _constant(name: str) -> Any:
    raise UntrustedInput(f"{name} is not a number JSON allows")


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS:
        raise UntrustedInput(f"a number of {len(text):,} characters (the limit is "
                             f"{MAX_DIGITS:,} digits)")
    value = float(text)
    if not math.isfinite(value):
        raise UntrustedInput(f"number {text[:24]} is beyond the float range")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise UntrustedInput(f"a number of {len(text):,} digits (the limit is {MAX_DIGITS:,})")
    value = int(text)
    if len(text) > 300:
        try:
            float(value)
        except OverflowError:
            raise UntrustedInput(f"number {text[:24]}... is beyond the float range") from None
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise UntrustedInput(f"key {twice[:40]!r} appears twice in one object")
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_float=_float, parse_int=_int,
                            parse_constant=_constant)
#: The same decoder without the per-object hook: C speed, but blind to a repeated key.
_SCAN = json.JSONDecoder(parse_float=_float, parse_int=_int, parse_constant=_constant).scan_once


def _flat_object(text: str) -> dict[str, Any] | None:
    """``text`` parsed by the C decoder alone, when it is one JSON object (no whitespace before
    it) whose keys :func:`_keys_distinct` proves distinct; ``None`` whenever this path cannot
    vouch for the text (the full parse decides, and words the error). Numbers are checked by
    the same hooks as in the full parse."""
    if not text.startswith("{"):
        return None
    try:
        value, end = _SCAN(text, 0)
    except (ValueError, RecursionError, StopIteration):  # UntrustedInput is a ValueError;
        return None  # StopIteration: a value missing at the end of the text
    if end != len(text) and text[end:].strip(" \t\n\r"):
        return None  # extra data
    return value if _keys_distinct(text, value) else None


def _keys_distinct(text: str, value: dict[str, Any]) -> bool:
    """Whether ``value``, ``text`` parsed by the C decoder (which keeps the last of a repeated
    key), holds every key written in ``text``: True only when no key is repeated, at any depth
    (an object nested in it must be empty).

    Each key in the text is followed by one colon outside strings, so the colons of the text,
    less those inside the strings the object kept, are at least its keys written, and as many
    as ``value`` holds only when no key is repeated and no object is nested. A ``\\u`` escape
    (a colon may hide in one) leaves the question to the full parse (False)."""
    colons = text.count(":")
    if colons == len(value):
        return True
    if "\\u" in text:
        return False
    for key, item in value.items():  # colons inside strings
        colons -= key.count(":")
        if type(item) is str:
            colons -= item.count(":")
        elif type(item) is list:
            colons -= sum(x.count(":") for x in item if type(x) is str)
    return colons == len(value)


def _needs_walk(text: str) -> bool:
    """Whether ``text`` may hold a character :func:`text_problem` refuses: a backslash escape,
    DEL, or a suspicious raw character (one C-speed search)."""
    return "\\" in text or "\x7f" in text or (
        not text.isascii() and _RAW_SUSPECT.search(text) is not None)


def _position(text: str, exc: json.JSONDecodeError) -> str:
    """Where a decoding error is, for people: ``at the end``, ``at column C`` or (in a document
    of several lines) ``at line L column C``."""
    if exc.pos >= len(text.rstrip()):
        return "at the end"
    if exc.lineno == 1:
        return f"at column {exc.colno}"
    return f"at line {exc.lineno} column {exc.colno}"


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than :data:`MAX_DEPTH` in ``text``."""
    depth = 0
    for token in _TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif bracket in "]}":
            depth -= 1
    return False


def _walk(value: Any, path: str, free: bool, free_keys: Collection[str] = ()) -> None:
    """Raise at the first string under ``value`` (keys included) with a :func:`text_problem`;
    strings are free text when ``free``, or when under a key of ``free_keys`` (top level)."""
    if isinstance(value, str):
        problem = text_problem(value, free=free)
        if problem:
            raise UntrustedInput(f"{path or 'value'}: {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key)
            if problem:
                raise UntrustedInput(f"{path or 'object'}: a key {problem}")
            _walk(item, f"{path}/{key}" if path else key, free or key in free_keys)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}/{i}" if path else str(i), free)


def load_json(text: str, *, free_text: Collection[str] = ()) -> Any:
    """Parse ``text`` as one JSON document under the rules of the module docstring; the values
    of the top-level keys in ``free_text`` are free text, every other string a name. Raises
    :class:`UntrustedInput` with the reason."""
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(text):
        raise UntrustedInput(f"JSON nests deeper than {MAX_DEPTH} levels")
    value = _flat_object(text)
    if value is None:
        try:
            value = _DECODER.decode(text)
        except UntrustedInput:
            raise
        except json.JSONDecodeError as exc:
            raise UntrustedInput(f"not valid JSON ({exc.msg} {_position(text, exc)})") from None
    if _needs_walk(text):
        _walk(value, "", False, free_text)
    return value


def read_lines(path: str | Path, *, max_line_bytes: int | None = None,
               max_lines: int | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for each line of ``path`` (split only at ``\\n``, which
    is kept), decoded as strict UTF-8. A line that is not UTF-8, longer than ``max_line_bytes``
    (its ``\\n`` included) or past ``max_lines`` raises :class:`InputError` naming
    ``path:line``; no more than ``max_line_bytes + 1`` bytes of a line are ever read."""
    with open(path, "rb") as f:  # binary lines end only at b"\n"
        lines = f if max_line_bytes is None else iter(
            lambda: f.readline(max_line_bytes + 1), b"")
        for n, raw in enumerate(lines, start=1):
            if max_lines is not None and n > max_lines:
                raise InputError(path, f"more than {max_lines:,} lines", line=n)
            if max_line_bytes is not None and len(raw) > max_line_bytes:
                raise InputError(path, f"line longer than {max_line_bytes:,} bytes", line=n)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at "
                                 f"column {exc.start + 1})", line=n) from None
            yield n, text
