"""Error diagnosis for the grammar driver: what the parser expected, in words, and the limits.

Everything here runs on the error path only. The driver hands a
[`ParseFailure`][cwa_query.language._diagnose.ParseFailure] to the grammar's own
`syntax_error` callback (a dialect adds hints for its common mistakes there) and falls back
to [`default_syntax_error`][cwa_query.language._diagnose.default_syntax_error].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConditionLimitError, ConditionSyntaxError
from ._lalr import END, Action, Tables

__all__ = [
    "LexErrorHook",
    "ParseFailure",
    "SyntaxErrorHook",
    "Token",
    "accepts",
    "default_lex_error",
    "default_syntax_error",
    "depth_error",
    "describe_token",
    "expected_terminals",
    "in_list_error",
    "length_error",
    "next_token_text",
    "open_paren",
    "previous_token",
    "states_before",
]

Token = tuple[str, str, int, int]
"""A token as the driver keeps it: kind (terminal name), text, start and end offsets."""


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """The parser's state where a token was not accepted (`token[0]` is `"$END"` at the end)."""

    tables: Tables
    text: str
    token: Token
    values: list[Any]
    state_stack: list[int]

    @property
    def expected(self) -> set[str]:
        """The terminals the parser accepts at the failing token."""
        return expected_terminals(self.tables, self.text, self.token[2])


SyntaxErrorHook = Callable[[ParseFailure], ConditionSyntaxError]
LexErrorHook = Callable[[Tables, str, int], ConditionSyntaxError]


def states_before(tables: Tables, text: str, pos: int) -> list[int]:
    """The LALR state stack just before the token at `pos` (error path only)."""
    states = tables.states
    stack = [tables.start_state]
    for match in tables.lexer.finditer(text):
        if match.start() >= pos:
            break
        name = match.lastgroup
        if name in tables.ignore:
            continue
        kind = tables.kind(name, match.group())
        while True:
            is_shift, arg = states[stack[-1]][kind]
            if is_shift:
                stack.append(arg)
                break
            del stack[len(stack) - arg[1] :]
            stack.append(states[stack[-1]][arg[2]][1])
    return stack


def accepts(states: Mapping[int, Mapping[str, Action]], state_stack: list[int], terminal: str) -> bool:
    """Whether the parser in `state_stack` shifts `terminal` (after the reductions it calls for)."""
    stack = list(state_stack)
    while True:
        action = states[stack[-1]].get(terminal)
        if action is None:
            return False
        if action[0]:
            return True
        _, size, origin, _ = action[1]
        del stack[len(stack) - size :]
        goto = states[stack[-1]].get(origin)
        if goto is None:
            return False
        stack.append(goto[1])
        if terminal == "$END" and origin == "start":
            return True


def expected_terminals(tables: Tables, text: str, pos: int) -> set[str]:
    """The terminals the parser really accepts at offset `pos`.

    By the time a token fails, its lookahead may have caused reductions that narrowed the
    choice (LALR reduces on merged lookaheads): go back to the states as they stood before
    the token, and keep the terminals the parser accepts there.
    """
    before = states_before(tables, text, pos)
    row = tables.states[before[-1]]
    return {
        name
        for name in row
        if (name.isupper() or name == "$END") and name != END and accepts(tables.states, before, name)
    }


def previous_token(values: list[Any]) -> Token | None:
    """The token just before the failing one, if the parser still holds it as a token."""
    if values and isinstance(values[-1], tuple) and len(values[-1]) == 4:
        token: Token = values[-1]
        return token
    return None


def open_paren(values: list[Any], opening: str = "LPAR", closing: str = "RPAR") -> int | None:
    """The offset of the innermost unclosed `(` among the parser's values, if any."""
    depth = 0
    for value in reversed(values):
        if isinstance(value, tuple) and len(value) == 4:
            if value[0] == closing:
                depth += 1
            elif value[0] == opening:
                if depth == 0:
                    return int(value[2])
                depth -= 1
    return None


def next_token_text(tables: Tables, text: str, pos: int, skip: str = "=") -> str:
    """The first token at or after `pos` that is neither white space nor `skip`."""
    for match in tables.lexer.finditer(text, pos):
        if match.lastgroup not in tables.ignore and match.group() != skip:
            return "" if match.lastgroup == "_ERROR" else match.group()
    return ""


def describe_token(kind: str, text: str, nouns: Mapping[str, str]) -> str:
    """`unexpected string 'x'`, `unexpected 'and'`, `unexpected end of condition`."""
    if kind == "$END":
        return "unexpected end of condition"
    if kind in nouns:
        shown = text if len(text) <= 30 else text[:27] + "..."
        return f"unexpected {nouns[kind]} {shown}"
    return f"unexpected {text!r}"


def default_lex_error(tables: Tables, text: str, pos: int) -> ConditionSyntaxError:
    """A character no terminal matches."""
    return ConditionSyntaxError(f"unexpected character {text[pos]!r}", text=text, pos=pos)


def default_syntax_error(failure: ParseFailure, words: Mapping[str, str] | None = None) -> ConditionSyntaxError:
    """A token the parser does not accept, with what it expected (terminal names through `words`)."""
    kind, raw, pos, end = failure.token
    names = words or {}
    expected = tuple(sorted(names.get(name, name.lower()) for name in failure.expected))
    description = describe_token(kind, raw, {})
    return ConditionSyntaxError(description, text=failure.text, pos=pos, end_pos=end, expected=expected)


def length_error(text: str, max_length: int) -> ConditionLimitError:
    """The condition is longer than `max_length` characters."""
    return ConditionLimitError(
        f"the condition is {len(text):,} characters long, over the limit of {max_length:,} (max_length)",
        text=text,
        pos=max_length,
        limit="max_length",
        hint="split the query, or raise ParseLimits.max_length",
    )


def depth_error(text: str, pos: int, max_depth: int) -> ConditionLimitError:
    """Parentheses and prefix `not`s open deeper than `max_depth`."""
    plural = "level" if max_depth == 1 else "levels"
    return ConditionLimitError(
        f"the condition nests deeper than {max_depth} {plural} (max_depth={max_depth}) of parentheses and 'not'",
        text=text,
        pos=pos,
        limit="max_depth",
        hint="flatten the condition, or raise ParseLimits.max_depth",
    )


def in_list_error(text: str, pos: int, max_in: int) -> ConditionLimitError:
    """A list holds more than `max_in` values."""
    return ConditionLimitError(
        f"an 'in' list holds more than {max_in:,} values (max_in_values)",
        text=text,
        pos=pos,
        limit="max_in_values",
        hint="split the list into several queries, or raise ParseLimits.max_in_values",
    )
