"""The driver: one lean LALR(1) loop that runs any grammar under `grammar/` with its own callbacks.

Lark builds the table once ([`_lalr`][cwa_query.language._lalr]); the lexer is one compiled
regular expression made from the grammar's own terminals. The loop is iterative, so no input
can exhaust Python's recursion limit, and it builds the caller's tree directly with source
spans. Errors go to [`_diagnose`][cwa_query.language._diagnose] and the grammar's own hooks.

How a dialect plugs its grammar in:

1. write `grammar/NAME.lark` (plain BNF; every rule of more than one symbol has an alias,
   `-> my_rule`; keywords as case-insensitive string terminals that the identifier
   terminal also matches; see [`_lalr`][cwa_query.language._lalr] for the conventions and
   the `//! identifier:` / `//! nesting:` options);
2. run `python -m cwa_query.language._lalr NAME` to store its tables (a test checks the
   stored file matches the grammar);
3. make a [`Grammar`][cwa_query.language._driver.Grammar] with one callback per alias. A
   callback is called as `callback(children, text, spanner, start, end)`: `children` are the
   rule's symbols in order (tokens as `(kind, text, start, end)` tuples, or what earlier
   callbacks returned), `text` the whole input, `spanner(start, end)` makes an
   [`ast.Span`][cwa_query.language.ast.Span], `start`/`end` the offsets the rule covers.
   `finish(value, spanner)` turns the last value into the result; `syntax_error` and
   `lex_error` may add hints for the grammar's common mistakes:

```python
ODATA = Grammar("odata", {"eq_": build_eq, ...}, finish=lambda value, spanner: value)
tree = ODATA.parse("Name eq 'x'", DEFAULT_LIMITS)
```
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from . import ast
from ._diagnose import (
    LexErrorHook,
    ParseFailure,
    SyntaxErrorHook,
    Token,
    default_lex_error,
    default_syntax_error,
    depth_error,
    in_list_error,
    length_error,
)
from ._lalr import END, REDUCE, SHIFT_NESTING, UNIT, Tables, load_table_data

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_IN_VALUES",
    "MAX_LENGTH",
    "MAX_PARSE_DEPTH",
    "Builder",
    "Grammar",
    "ParseLimits",
    "Spanner",
    "make_spanner",
]

MAX_LENGTH = 2_000_000
"""Default [`ParseLimits.max_length`][cwa_query.ParseLimits]: characters in a condition."""
MAX_PARSE_DEPTH = 200
"""Default [`ParseLimits.max_depth`][cwa_query.ParseLimits]: parentheses and `not`s open at once."""
MAX_IN_VALUES = 200_000
"""Default [`ParseLimits.max_in_values`][cwa_query.ParseLimits]: values in one list."""

Spanner = Callable[[int, int], ast.Span]
Builder = Callable[[list[Any], str, Spanner, int, int], Any]


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Limits that keep parsing bounded; a condition over one is refused with
    [`ConditionLimitError`][cwa_query.ConditionLimitError] naming it.

    * `max_length`: characters in the condition;
    * `max_depth`: parentheses and prefix `not`s open at once;
    * `max_in_values`: values in one `in (...)` list.

    >>> from cwa_query import parse, ParseLimits
    >>> parse("((a = 1))", limits=ParseLimits(max_depth=1))
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConditionLimitError: the condition nests deeper than 1 level (max_depth=1) ...
    """

    max_length: int = MAX_LENGTH
    max_depth: int = MAX_PARSE_DEPTH
    max_in_values: int = MAX_IN_VALUES


DEFAULT_LIMITS = ParseLimits()


def make_spanner(text: str) -> Spanner:
    """Makes spans with 1-based line and column for offsets into `text`."""
    span = ast.Span
    # The class's constructor itself (`__new__`: a node class has no `__init__`), without the
    # class call around it: a parse makes a span per node.
    new = cast("Callable[..., ast.Span]", span.__new__)
    if "\n" not in text:
        return lambda start, end: new(span, start, end, 1, start + 1)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def spanner(start: int, end: int) -> ast.Span:
        index = bisect.bisect_right(line_starts, start) - 1
        return new(span, start, end, index + 1, start - line_starts[index] + 1)

    return spanner


class Grammar:
    """One grammar file (`grammar/NAME.lark`) with its callbacks, driven by the shared loop.

    The tables are loaded on first use, once per process (thread-safe).
    """

    def __init__(
        self,
        name: str,
        builders: Mapping[str, Builder],
        *,
        finish: Callable[[Any, Spanner], Any],
        syntax_error: SyntaxErrorHook = default_syntax_error,
        lex_error: LexErrorHook = default_lex_error,
    ) -> None:
        self.name = name
        self.builders = dict(builders)
        self.finish = finish
        self.syntax_error = syntax_error
        self.lex_error = lex_error
        self._tables: Tables | None = None
        self._terminals: dict[str, re.Pattern[str]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Grammar({self.name!r})"

    @property
    def tables(self) -> Tables:
        """The grammar's LALR table, lexer and bound callbacks."""
        if self._tables is None:
            with self._lock:
                if self._tables is None:
                    self._tables = Tables(load_table_data(self.name), self.builders)
        return self._tables

    def use_tables(self, tables: Tables | None) -> None:
        """Drive with `tables` from now on (`None`: load them again on next use); for tests."""
        self._tables = tables

    def keyword_kinds(self) -> frozenset[str]:
        """The names of the keyword terminals (reserved words) of the grammar."""
        return frozenset(self.tables.keywords.values())

    def keyword_words(self) -> frozenset[str]:
        """The reserved words themselves, lowercase (`and`, `like`, ...)."""
        return frozenset(self.tables.keywords)

    def terminal(self, name: str) -> re.Pattern[str]:
        """The regular expression of terminal `name`, as the grammar defines it (for
        `fullmatch`: the builder and the schema check field paths with `FIELD`'s)."""
        found = self._terminals.get(name)
        if found is None:
            found = self._terminals[name] = re.compile(self.tables.patterns[name])
        return found

    def parse(self, text: str, limits: ParseLimits = DEFAULT_LIMITS) -> Any:
        """Run the loop over `text`: the callbacks' result, or a typed syntax or limit error."""
        if len(text) > limits.max_length:
            raise length_error(text, limits.max_length)
        tables = self._tables or self.tables
        actions = tables.actions
        kinds = tables.group_kinds
        keywords = tables.keywords
        identifier = tables.identifier

        spanner = make_spanner(text)
        state_stack = [tables.start_state]
        values: list[Any] = []
        starts: list[int] = []
        # A rule ends where its last symbol does, which is where the last token shifted
        # ends (the lookahead is not part of it): no stack of ends.
        last_end = 0
        nesting = 0
        max_depth = limits.max_depth
        max_in = limits.max_in_values
        in_count = 0

        # Each match is one token and the spaces after it (see `Tables.driver_lexer`).
        for match in tables.driver_lexer.finditer(text, tables.first_token(text)):
            index: int = match.lastindex  # type: ignore[assignment]  # every alternative ends in a group
            start = match.start()
            end = match.start(index)
            raw = text[start:end]
            kind = kinds[index]
            if kind == identifier:
                kind = keywords.get(raw.lower(), identifier)
            elif kind == "_ERROR":
                raise self.lex_error(tables, text, start)
            token: Token = (kind, raw, start, end)
            # Reduce as the lookahead calls for, then shift it.
            action = actions[state_stack[-1]].get(kind)
            while True:
                if action.__class__ is int:  # a plain shift, the most common action
                    state_stack.append(action)
                    values.append(token)
                    starts.append(start)
                    last_end = end
                    break
                if action is None:
                    if kind == END:
                        if state_stack[-1] == tables.end_state:
                            return self.finish(values[-1], spanner)
                        token = ("$END", "", start, end)
                    raise self.syntax_error(ParseFailure(tables, text, token, values, state_stack))
                tag = action[0]
                if tag == UNIT:  # a chain of unit rules: only the top state changes
                    below = state_stack[-2]
                    after = action[1].get(below)
                    if after is None:
                        after = tables.unit_goto(below, state_stack[-1], kind)
                    state_stack[-1], action = after
                    continue
                if tag == REDUCE:
                    _, builder, size, origin, released = action
                    if size == 1:
                        values[-1] = builder(values[-1:], text, spanner, starts[-1], last_end)
                        state_stack[-1] = goto = actions[state_stack[-2]][origin]
                    else:
                        value = builder(values[-size:], text, spanner, starts[-size], last_end)
                        del state_stack[-size:]
                        goto = actions[state_stack[-1]][origin]
                        state_stack.append(goto)
                        values[-size:] = (value,)
                        del starts[1 - size :]
                    if released:
                        nesting -= released
                        in_count = 0
                    action = actions[goto].get(kind)
                    continue
                # A shift that opens a nesting level, or a comma of a list.
                state_stack.append(action[1])
                values.append(token)
                starts.append(start)
                last_end = end
                if tag == SHIFT_NESTING:
                    nesting += 1
                    if nesting > max_depth:
                        raise depth_error(text, start, max_depth)
                else:
                    in_count += 1
                    if in_count >= max_in:
                        raise in_list_error(text, start, max_in)
                break
        raise AssertionError("unreachable: $END always ends the loop")  # pragma: no cover
