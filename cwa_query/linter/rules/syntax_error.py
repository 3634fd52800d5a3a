"""CWQ101 syntax-error: the text does not parse."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from ...errors import ConditionLimitError, ConditionSyntaxError
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["SyntaxErrorRule", "repair"]


@register
class SyntaxErrorRule(Rule):
    """The condition does not parse: the parser's message, where it failed, what it expected
    there and a hint.

    A fix is offered where the correction is clear, and only if the corrected text parses:
    `==` becomes `=`, `<>` becomes `!=`, `&&` / `||` become `and` / `or`, OData's `ne`, `gt`,
    `ge`, `lt`, `le` (and `eq` where the dialect lacks it) become `!=`, `>`, `>=`, `<`, `<=`
    (`=`), a `/` inside a field path (OData's, Manage's `Client/Id`) becomes `.`, an unquoted word
    used as a value is quoted, and a string in quotes the language does not know
    (typographic quotes, backticks) or holding its own quote (`'O'Brien'`) is quoted for
    the dialect.
    """

    code = "CWQ101"
    name = "syntax-error"
    severity = "error"
    summary = "The condition does not parse."
    example = Example("Status == 'Online' && ClientID = 5", "Status = 'Online' and ClientID = 5")

    def check(self, ctx: Context) -> Iterator[Finding]:
        exc = ctx.error
        if exc is None:
            return
        message = exc.description
        if exc.expected:
            message += f"; expected {exc.expected_text}"
        if exc.hint:
            message += f" (hint: {exc.hint})"
        fix = None if isinstance(exc, ConditionLimitError) else repair(ctx, exc)
        yield Finding(exc.pos, exc.end_pos, message, fix)


_MAX_ROUNDS = 20
# Pieces of an unquoted value: a word, a run of spaces, or one other character.
_PIECES = re.compile(r"[^\s'\"(),]+|\s+|.", re.DOTALL)
# Quote characters the language does not know -> the characters that may close them:
# typographic single and double quotes, backtick, acute accent.
_ODD_QUOTES = {
    "\u2018": "\u2019\u2018",
    "\u2019": "\u2019",
    "\u201c": "\u201d\u201c",
    "\u201d": "\u201d",
    "`": "`",
    "\u00b4": "\u00b4",
}


# OData's comparison words -> the condition language's operators
_ODATA_OPERATORS = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def repair(ctx: Context, exc: ConditionSyntaxError) -> str | None:
    """Repair the clear mistakes, one error at a time; `None` if the text stays broken."""
    dialect = ctx.dialect
    text = ctx.text
    for _ in range(_MAX_ROUNDS):
        for candidate in chain(dialect.repairs(text, exc), _candidates(ctx, text, exc)):
            try:
                dialect.read(candidate)
            except ConditionLimitError:
                continue
            except ConditionSyntaxError as new:
                # progress: the next mistake is further on, or the text got shorter
                if new.pos > exc.pos or (new.pos == exc.pos and len(candidate) < len(text)):
                    text, exc = candidate, new
                    break
                continue
            return candidate
        else:
            return None
    return None


def _value_end(text: str, pos: int) -> int:
    """Where an unquoted value starting at `pos` ends: before `and`/`or`, a quote, a
    parenthesis or a comma (linear in the text)."""
    stop = pos
    for piece in _PIECES.finditer(text, pos):
        word = piece.group()
        if word.isspace():
            continue
        if word in ("'", '"', "(", ")", ",") or word.lower() in ("and", "or"):
            break
        stop = piece.end()
    return stop


def _candidates(ctx: Context, text: str, exc: ConditionSyntaxError) -> Iterator[str]:
    pos, end = exc.pos, exc.end_pos
    char = text[pos : pos + 1]
    before = text[pos - 1 : pos] if pos > 0 else ""

    def splice(start: int, stop: int, replacement: str) -> str:
        return text[:start] + replacement + text[stop:]

    if char == "=" and before == "=":
        yield splice(pos, pos + 1, "")
    if char == ">" and before == "<":
        yield splice(pos - 1, pos + 1, "!=")
    symbol = _ODATA_OPERATORS.get(text[pos:end].lower())
    if symbol is not None:
        yield splice(pos, end, symbol)
    if char == "/" and before[-1:].isalnum() and text[pos + 1 : pos + 2].isalpha():
        yield splice(pos, pos + 1, ".")
    for symbol, word in (("&", "and"), ("|", "or")):
        if char == symbol:
            stop = pos + (2 if text[pos : pos + 2] == symbol * 2 else 1)
            yield f"{text[:pos].rstrip()} {word} {text[stop:].lstrip()}"
    unquoted_word = exc.hint is not None and exc.hint.startswith("text values are quoted")
    if unquoted_word or exc.description.startswith("malformed number or date"):
        stop = _value_end(text, pos)
        if stop > end:
            quoted = ctx.quote(text[pos:stop])
            if quoted is not None:
                yield splice(pos, stop, quoted)
        quoted = ctx.quote(text[pos:end])
        if quoted is not None:
            yield splice(pos, end, quoted)
    closers = _ODD_QUOTES.get(char)
    if closers is not None:
        close = min((i for i in (text.find(c, pos + 1) for c in closers) if i > 0), default=-1)
        quoted = ctx.quote(text[pos + 1 : close]) if close > 0 else None
        if quoted is not None:
            yield splice(pos, close + 1, quoted)
    if before in ("'", '"') and pos >= 2:
        # 'O'Brien': a string closed early by a quote that belongs inside it.
        opener = text.rfind(before, 0, pos - 1)
        close = text.find(before, pos)
        if opener >= 0 and close > 0:
            quoted = ctx.quote(text[opener + 1 : close])
            if quoted is not None:
                yield splice(opener, close + 1, quoted)
