"""JSON read with bounds: nesting depth and the length of integers.

Every JSON text cwa_query reads from outside (a server's answer, a schema file, a request
body the sandbox is sent) goes through [`loads`][cwa_query._json.loads], which refuses

* nesting deeper than `max_depth` before decoding (a hostile `[[[[...` never reaches Python's
  recursion limit), and
* integers longer than `max_int_digits` (Python refuses to convert more than 4,300 digits
  with a bare `ValueError`; a number that long is no id, count or setting),

each with its own `ValueError` subclass, so callers turn every malformed text into their
own typed error with one `except ValueError`.

>>> loads(b'{"Id": [1, {"a": null}]}')
{'Id': [1, {'a': None}]}
>>> loads(b"[" * 50_000)
Traceback (most recent call last):
...
cwa_query._json.JsonTooDeepError: JSON nested deeper than 100 levels
>>> loads(b"[" + b"9" * 5000 + b"]")
Traceback (most recent call last):
...
cwa_query._json.JsonNumberTooLongError: JSON integer of 5000 digits (at most 100 are read)
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

__all__ = ["MAX_INT_DIGITS", "MAX_JSON_DEPTH", "JsonNumberTooLongError", "JsonTooDeepError", "loads"]

#: the deepest nesting of arrays and objects decoded (records nest a handful of levels)
MAX_JSON_DEPTH: Final = 100
#: the most digits of one integer decoded (an int64 has 19)
MAX_INT_DIGITS: Final = 100

# what the depth check keeps of a body: quotes and brackets, `{` `}` as `[` `]` (escapes are removed first)
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')


class JsonTooDeepError(ValueError):
    """A JSON text nests arrays and objects deeper than the limit."""


class JsonNumberTooLongError(ValueError):
    """A JSON text holds an integer with more digits than the limit."""


def _too_deep(content: bytes, limit: int) -> bool:
    """Whether `content` nests deeper than `limit`, in a few passes over the bytes at C speed.

    Escapes go first (so that every quote left delimits a string), then everything but quotes
    and brackets, objects' braces becoming square brackets (a mismatched pair is the decoder's
    to refuse); adjacent quotes go next (an empty string, or two strings with nothing between
    them: either way no bracket outside a string moves), then what strings are left. Each pass
    after that removes every adjacent `[]`, the innermost level (the leaves of the tree), so
    the nesting is one level shallower after each.
    """
    if len(content) <= 2 * limit:  # each level takes two bytes at least
        return False
    if b"\\" in content:
        content = _ESCAPE.sub(b"", content)
    brackets = content.translate(_AS_SQUARE, _NOT_STRUCTURE)
    if b'"' in brackets:
        brackets = brackets.replace(b'""', b"")
        if b'"' in brackets:
            brackets = _STRING.sub(b"", brackets)
    if b"[" * (limit + 1) in brackets:  # the usual attack, `[[[[...`, in one pass
        return True
    for _ in range(limit):
        shallower = brackets.replace(b"[]", b"")
        if len(shallower) == len(brackets):  # none left (or unbalanced: the decoder says what is wrong)
            return False
        brackets = shallower
    return b"[]" in brackets  # a level more is left (else: unbalanced, or none)


def loads(content: bytes | str, *, max_depth: int = MAX_JSON_DEPTH, max_int_digits: int = MAX_INT_DIGITS) -> Any:
    """`json.loads` within the bounds above; every failure is a `ValueError`.

    Malformed text raises `json.JSONDecodeError` or `UnicodeDecodeError`, too deep text
    `JsonTooDeepError`, a too long integer `JsonNumberTooLongError`; never `RecursionError`.
    """
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    if _too_deep(raw, max_depth):
        raise JsonTooDeepError(f"JSON nested deeper than {max_depth} levels")

    def integer(text: str) -> int:
        digits = len(text) - (text[:1] == "-")
        if digits > max_int_digits:
            raise JsonNumberTooLongError(f"JSON integer of {digits} digits (at most {max_int_digits} are read)")
        return int(text)

    try:
        return json.loads(raw, parse_int=integer)
    except RecursionError:  # unbalanced input that the depth check left to the decoder
        raise JsonTooDeepError(f"JSON nested deeper than {max_depth} levels") from None
