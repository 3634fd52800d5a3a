"""Text matching: LIKE patterns (the condition language) and ECMAScript regular expressions
(OData's `matchesPattern`), both bounded: LIKE never backtracks, a pattern match in time."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ...errors import ConditionEvaluationError
from ._values import fail

if TYPE_CHECKING:
    import regex

__all__ = ["PATTERN_SECONDS", "WHITE_SPACE", "LikeMatcher", "like_tokens", "matches_pattern"]

PATTERN_SECONDS = 0.1
"""The most time one `matchesPattern` match may take (a catastrophic pattern such as `^(a+)+$`
backtracks for ever on `'aaa...!'`); past it the evaluation fails."""
WHITE_SPACE = "".join(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                                    0x202F, 0x205F, 0x3000]))  # fmt: skip
"""Unicode's White_Space property: what `trim` removes (section 5.1.1.7.4: "according to Unicode rules")."""


def like_tokens(pattern: str) -> list[str | None]:
    """A LIKE pattern as tokens: a character, `None` for `_`, `"%"` for `%` (escapes resolved).

    A literal `%` comes back as `"\\\\%"`, so every token but the wildcards is one character
    or a backslash and one character.

    >>> like_tokens(r"a_%\\%")
    ['a', None, '%', '\\\\%']
    """
    tokens: list[str | None] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            char = pattern[index + 1]
            tokens.append("\\%" if char == "%" else char)
            index += 2
            continue
        if char == "%":
            tokens.append("%")
        elif char == "_":
            tokens.append(None)
        else:
            tokens.append(char)
        index += 1
    return tokens


class LikeMatcher:
    """A LIKE pattern compiled for matching: fixed-width segments between `%`, found leftmost.

    Linear in practice (no backtracking over `%`), so hostile patterns stay cheap.

    >>> LikeMatcher("srv\\\\_%01")("srv_a01"), LikeMatcher("srv\\\\_%01")("srvxa01")
    (True, False)
    """

    __slots__ = ("_anchored", "_first", "_last", "_middle", "_min_length")

    def __init__(self, pattern: str) -> None:
        segments: list[list[str | None]] = [[]]
        for token in like_tokens(pattern):
            if token == "%":
                segments.append([])
            else:
                segments[-1].append("%" if token == "\\%" else token)
        self._anchored = len(segments) == 1
        compiled = [self._segment(s) for s in segments]
        self._first = compiled[0]
        self._last = compiled[-1] if len(segments) > 1 else None
        self._middle = [c for c, s in zip(compiled[1:-1], segments[1:-1], strict=True) if s]
        self._min_length = sum(len(s) for s in segments)

    @staticmethod
    def _segment(tokens: list[str | None]) -> tuple[re.Pattern[str], int]:
        text = "".join("." if t is None else re.escape(t) for t in tokens)
        return re.compile(text, re.DOTALL), len(tokens)

    def __call__(self, text: str) -> bool:
        if len(text) < self._min_length:
            return False
        first, first_len = self._first
        if self._anchored:
            return len(text) == first_len and first.match(text) is not None
        if first.match(text) is None:
            return False
        assert self._last is not None
        last, last_len = self._last
        end = len(text) - last_len
        if last.match(text, end) is None:
            return False
        position = first_len
        for segment, _ in self._middle:
            found = segment.search(text, position, end)
            if found is None:
                return False
            position = found.end()
        return True


_ECMA_SPACE = "\\t\\n\\v\\f\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": _ECMA_SPACE}


def _ecmascript_to_python(pattern: str) -> str:
    """An ECMAScript pattern rewritten where Python's syntax means something else: `$` is the end
    of the text only (not before a final newline), `.` stops at every line terminator, `\\d`,
    `\\w` are ASCII and `\\s` is ECMAScript's white space; `[]` matches nothing, `[^]` anything."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            index += 2
            if escaped in _CLASS_ESCAPES:
                body = _CLASS_ESCAPES[escaped]
                out.append(body if in_class else f"[{body}]")
            elif escaped.lower() in _CLASS_ESCAPES:
                if in_class:
                    raise fail(f"matchesPattern: \\{escaped} inside [...] is not supported here")
                out.append(f"[^{_CLASS_ESCAPES[escaped.lower()]}]")
            else:
                out.append("\\" + escaped)
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            if pattern.startswith("[]", index):
                out.append("(?!)")
                index += 2
                continue
            if pattern.startswith("[^]", index):
                out.append("[\\s\\S]")
                index += 3
                continue
            in_class = True
            out.append(char)
            if pattern.startswith("[^", index):
                out.append("^")
                index += 1
            if pattern.startswith("]", index + 1):  # a leading ] is literal in Python, ends the class here
                out.append("\\]")
                index += 1
        elif char == "$":
            out.append("(?!(?s:.))")
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


@lru_cache(maxsize=256)
def _pattern(pattern: str) -> regex.Pattern[str]:
    import regex

    try:
        return regex.compile(_ecmascript_to_python(pattern), regex.ASCII)
    except regex.error as exc:
        raise fail(f"matchesPattern: {pattern[:60]!r} is no regular expression ({exc}): the request fails") from None


def matches_pattern(text: str, pattern: str) -> bool:
    """Whether `pattern` (ECMAScript syntax and semantics) matches somewhere in `text`, within
    [`PATTERN_SECONDS`][cwa_query.language._evaluate.PATTERN_SECONDS]."""
    compiled = _pattern(pattern)
    try:
        return compiled.search(text, timeout=PATTERN_SECONDS) is not None
    except TimeoutError:
        raise ConditionEvaluationError(
            f"matchesPattern: {pattern[:60]!r} took longer than {PATTERN_SECONDS} s on one value "
            "(a pattern that backtracks catastrophically?)",
            limit="pattern_seconds",
        ) from None
