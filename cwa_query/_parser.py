"""The parser: Lark's LALR(1) table for `grammar/condition.lark`, driven by a lean loop.

Lark builds (and caches) the LALR table from the grammar; the lexer is one compiled
regular expression made from the grammar's own terminals. The loop is iterative, so no
input can exhaust Python's recursion limit, and it builds the AST directly with source
spans. Errors are translated into [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError]
with words a person understands and hints for the common mistakes.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from . import ast
from .errors import ConditionLimitError, ConditionSyntaxError

__all__ = ["DEFAULT_LIMITS", "ParseLimits", "grammar_path", "grammar_text", "parse"]


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

    max_length: int = 2_000_000
    max_depth: int = 200
    max_in_values: int = 200_000


DEFAULT_LIMITS = ParseLimits()


def grammar_path() -> Path:
    """The path of `condition.lark`: inside the installed package, else the source tree."""
    packaged = resources.files("cwa_query") / "_grammar" / "condition.lark"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "grammar" / "condition.lark"


def grammar_text() -> str:
    """The text of the grammar, the source of truth of the syntax."""
    return grammar_path().read_text(encoding="utf-8")


# --------------------------------------------------------------------------- words

_VALUE_TERMINALS = frozenset({"STRING", "NUMBER", "DATETIME", "TRUE", "FALSE"})
_OPERATOR_TERMINALS = frozenset({"COMP_OP", "EQ", "CONTAINS", "STARTSWITH", "ENDSWITH", "LIKE", "IN", "NOT"})
_WORDS = {
    "FIELD": "a field name",
    "STRING": "a quoted string",
    "NUMBER": "a number",
    "DATETIME": "a date",
    "TRUE": "true",
    "FALSE": "false",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "AND": "'and'",
    "OR": "'or'",
    "NOT": "'not'",
    "IN": "'in'",
    "LIKE": "'like'",
    "CONTAINS": "'contains'",
    "STARTSWITH": "'startswith'",
    "ENDSWITH": "'endswith'",
    "EQ": "'eq'",
    "COMP_OP": "a comparison operator",
    "$END": "the end of the condition",
}
_ORDER = ["FIELD", "NOT", "LPAR", "value", "operator", "STRING", "COMMA", "RPAR", "AND", "OR", "$END"]


def _expected_words(terminals: set[str]) -> tuple[str, ...]:
    names = set(terminals)
    words: dict[str, str] = {}
    if _VALUE_TERMINALS <= names:
        names -= _VALUE_TERMINALS
        words["value"] = "a value"
    if "COMP_OP" in names:
        names -= _OPERATOR_TERMINALS
        words["operator"] = "an operator (=, !=, <, >, <=, >=, contains, like, in, ...)"
    for name in names:
        words[name] = _WORDS.get(name, name.lower())
    ordered = [words.pop(key) for key in _ORDER if key in words]
    return tuple(ordered + sorted(words.values()))


def _describe(kind: str, text: str) -> str:
    if kind == "$END":
        return "end of condition"
    if kind in {"STRING", "NUMBER", "DATETIME", "FIELD"}:
        shown = text if len(text) <= 30 else text[:27] + "..."
        noun = {"STRING": "string", "NUMBER": "number", "DATETIME": "date", "FIELD": "word"}[kind]
        return f"unexpected {noun} {shown}"
    return f"unexpected {text!r}"


# --------------------------------------------------------------------------- literals

_DATE_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?"
)


def _datetime_value(text: str) -> _dt.date | _dt.datetime:
    match = _DATE_RE.fullmatch(text)
    if match is None:  # pragma: no cover - the lexer guarantees the shape
        raise ValueError(text)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if hour is None:
        return _dt.date(int(year), int(month), int(day))
    tz: _dt.tzinfo | None = None
    if zone:
        if zone in "Zz":
            tz = _dt.timezone.utc
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = _dt.timezone(sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    micro = int((fraction or "0").ljust(6, "0")[:6])
    return _dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz)


def _unquote(text: str) -> str:
    quote = text[0]
    return text[1:-1].replace(quote + quote, quote)


# --------------------------------------------------------------------------- tables


class _Chain(list[ast.Node]):
    """An `and`/`or` chain under construction (mutable, so long chains stay linear)."""

    __slots__ = ("kind", "start", "end")

    def __init__(self, kind: str, start: int, end: int) -> None:
        super().__init__()
        self.kind = kind
        self.start = start
        self.end = end


class _Tables:
    """The LALR table, the lexer and the per-rule builders, made once per process."""

    def __init__(self) -> None:
        from lark import Lark
        from lark.lexer import PatternStr

        lark_parser = Lark(grammar_text(), parser="lalr", cache=True)
        table = lark_parser.parser.parser.parser.parse_table  # type: ignore[attr-defined]
        self.start_state: int = table.start_states["start"]
        self.end_state: int = table.end_states["start"]

        field_re = next(t for t in lark_parser.terminals if t.name == "FIELD").pattern.to_regexp()
        keywords: dict[str, str] = {}
        groups: list[tuple[str, str]] = []
        ignore = set(lark_parser.ignore_tokens)
        terminals = sorted(
            lark_parser.terminals,
            key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
        )
        for term in terminals:
            if isinstance(term.pattern, PatternStr) and re.fullmatch(field_re, term.pattern.value):
                keywords[term.pattern.value.lower()] = term.name
                continue
            groups.append((term.name, term.pattern.to_regexp()))
        # A catch-all group makes every position produce a match, so errors are seen.
        pattern = "|".join(f"(?P<{name}>{regexp})" for name, regexp in groups) + r"|(?P<_ERROR>.)"
        self.lexer = re.compile(pattern, re.DOTALL)
        self.keywords = keywords
        self.ignore = frozenset(ignore)

        # Rule actions: name -> (builder, length, origin, nesting released).
        builders = _builders()
        self.rules: dict[Any, tuple[Callable[..., Any] | None, int, str, int]] = {}
        for rule in lark_parser.rules:
            name = rule.alias or rule.origin.name
            symbols = [s.name for s in rule.expansion]
            released = sum(1 for s in symbols if s in ("LPAR", "NOT"))
            builder = builders.get(str(name))
            if builder is None and len(symbols) != 1:  # pragma: no cover - grammar drift
                raise RuntimeError(f"no builder for rule {name!r}")
            self.rules[rule] = (builder, len(symbols), rule.origin.name, released)

        # states[state][symbol] = (is_shift, next_state | rule)
        self.states: dict[int, dict[str, tuple[bool, Any]]] = {}
        for state, actions in table.states.items():
            row: dict[str, tuple[bool, Any]] = {}
            for symbol, (action, arg) in actions.items():
                is_shift = action.name == "Shift"
                row[symbol] = (True, arg) if is_shift else (False, self.rules[arg])
            self.states[state] = row


_tables: _Tables | None = None
_tables_lock = threading.Lock()


def _get_tables() -> _Tables:
    global _tables
    if _tables is None:
        with _tables_lock:
            if _tables is None:
                _tables = _Tables()
    return _tables


# --------------------------------------------------------------------------- builders

_Token = tuple[str, str, int, int]  # kind, text, start, end


def _literal(token: _Token, text: str, line_of: Callable[[int], ast.Span]) -> ast.Literal:
    kind, raw, start, end = token
    span = line_of(start)
    span = ast.Span(start, end, span.line, span.column)
    if kind == "STRING":
        return ast.String(_unquote(raw), span)
    if kind == "NUMBER":
        if "." in raw:
            return ast.Decimal(_decimal.Decimal(raw), span)
        return ast.Integer(int(raw), span)
    if kind == "DATETIME":
        try:
            return ast.DateTime(_datetime_value(raw), span)
        except ValueError as exc:
            raise ConditionSyntaxError(
                f"invalid date {raw}: {exc}",
                text=text,
                pos=start,
                end_pos=end,
                hint="write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.fff][Z]",
            ) from None
    return ast.Boolean(kind == "TRUE", span)


_OPS = {op.value: op for op in ast.Op}
_OPS["eq"] = ast.Op.EQ


def _builders() -> dict[str, Callable[..., Any]]:
    # Each builder gets (children, text, spanner, start, end); children are tokens,
    # nodes, chains or value lists exactly as the rule lists its symbols.
    def field(tok: _Token, spanner: Callable[[int, int], ast.Span]) -> ast.Field:
        return ast.Field(tok[1], spanner(tok[2], tok[3]))

    def compare(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        op = _OPS[ch[1][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, _literal(ch[2], text, _point(spanner)), spanner(start, end))

    def text_match(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        op = _OPS[ch[1][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, _literal(ch[2], text, _point(spanner)), spanner(start, end))

    def negated_match(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        op = _OPS["not " + ch[2][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, _literal(ch[3], text, _point(spanner)), spanner(start, end))

    def in_list(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        point = _point(spanner)
        values = tuple(_literal(tok, text, point) for tok in ch[3])
        return ast.InList(field(ch[0], spanner), values, False, spanner(start, end))

    def not_in_list(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        point = _point(spanner)
        values = tuple(_literal(tok, text, point) for tok in ch[4])
        return ast.InList(field(ch[0], spanner), values, True, spanner(start, end))

    def first_value(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> list[_Token]:
        return [ch[0]]

    def next_value(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> list[_Token]:
        values: list[_Token] = ch[0]
        values.append(ch[2])
        return values

    def group(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> Any:
        inner = ch[1]
        if isinstance(inner, _Chain):
            inner.start, inner.end = start, end
            return inner
        return inner

    def not_(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        return ast.Not(_finish(ch[1], spanner), spanner(start, end))

    def chain(kind: str) -> Callable[..., Any]:
        def build(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> _Chain:
            left, right = ch[0], ch[2]
            if isinstance(left, _Chain) and left.kind == kind:
                result = left
            else:
                result = _Chain(kind, start, end)
                result.append(_finish(left, spanner))
            if isinstance(right, _Chain) and right.kind == kind:
                result.extend(right)
            else:
                result.append(_finish(right, spanner))
            result.start, result.end = start, end
            return result

        return build

    return {
        "compare": compare,
        "text_match": text_match,
        "negated_match": negated_match,
        "in_list": in_list,
        "not_in_list": not_in_list,
        "first_value": first_value,
        "next_value": next_value,
        "group": group,
        "not_": not_,
        "and_": chain("and"),
        "or_": chain("or"),
    }


def _point(spanner: Callable[[int, int], ast.Span]) -> Callable[[int], ast.Span]:
    return lambda pos: spanner(pos, pos)


def _finish(value: Any, spanner: Callable[[int, int], ast.Span]) -> ast.Node:
    if isinstance(value, _Chain):
        items = tuple(value)
        span = spanner(value.start, value.end)
        return ast.And(items, span) if value.kind == "and" else ast.Or(items, span)
    node: ast.Node = value
    return node


# --------------------------------------------------------------------------- the loop


def parse(text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> ast.Node:
    """Parse a condition into its tree.

    Raises [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError] (a `ValueError`) with
    the position, what was expected, a hint and a caret snippet when the text is not a
    condition, and [`ConditionLimitError`][cwa_query.ConditionLimitError] when it exceeds
    one of `limits`.

    >>> from cwa_query import parse
    >>> parse("Status = 'Online' and Client.Id = 5")  # doctest: +ELLIPSIS
    And(items=(Compare(field=Field(name='Status'), op=<Op.EQ: '='>, value=String(value='Online')), ...
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the condition as str, not {type(text).__name__}")
    if len(text) > limits.max_length:
        raise ConditionLimitError(
            f"the condition is {len(text):,} characters long, over the limit of {limits.max_length:,} (max_length)",
            text=text,
            pos=limits.max_length,
            limit="max_length",
            hint="split the query, or raise ParseLimits.max_length",
        )
    tables = _get_tables()
    states = tables.states
    keywords = tables.keywords
    ignore = tables.ignore

    line_starts: list[int] | None = None

    def spanner(start: int, end: int) -> ast.Span:
        nonlocal line_starts
        if "\n" not in text:
            return ast.Span(start, end, 1, start + 1)
        if line_starts is None:
            line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        import bisect

        index = bisect.bisect_right(line_starts, start) - 1
        return ast.Span(start, end, index + 1, start - line_starts[index] + 1)

    state_stack = [tables.start_state]
    values: list[Any] = []
    starts: list[int] = []
    ends: list[int] = []
    nesting = 0
    max_depth = limits.max_depth
    max_in = limits.max_in_values
    in_count = 0

    tokens = tables.lexer.finditer(text)
    end_token: _Token = ("$END", "", len(text), len(text))
    for match in tokens:
        kind = match.lastgroup
        if kind in ignore:
            continue
        if kind == "_ERROR":
            raise _lex_error(text, match.start())
        raw = match.group()
        if kind == "FIELD":
            kind = keywords.get(raw.lower(), "FIELD")
        assert kind is not None
        token: _Token = (kind, raw, match.start(), match.end())
        # Shift, after every reduce the lookahead calls for.
        while True:
            row = states[state_stack[-1]]
            action = row.get(kind)
            if action is None:
                raise _parse_error(text, token, row, values, state_stack)
            if action[0]:
                state_stack.append(action[1])
                values.append(token)
                starts.append(token[2])
                ends.append(token[3])
                if kind == "LPAR" or kind == "NOT":
                    nesting += 1
                    if nesting > max_depth:
                        raise _depth_error(text, token[2], max_depth)
                elif kind == "COMMA":
                    in_count += 1
                    if in_count >= max_in:
                        raise ConditionLimitError(
                            f"an 'in' list holds more than {max_in:,} values (max_in_values)",
                            text=text,
                            pos=token[2],
                            limit="max_in_values",
                            hint="split the list into several queries, or raise ParseLimits.max_in_values",
                        )
                break
            nesting -= _reduce(action[1], state_stack, values, starts, ends, states, text, spanner)
            if action[1][2] == "predicate":
                in_count = 0
    end_state = tables.end_state
    while state_stack[-1] != end_state:
        row = states[state_stack[-1]]
        action = row.get("$END")
        if action is None or action[0]:
            raise _parse_error(text, end_token, row, values, state_stack)
        _reduce(action[1], state_stack, values, starts, ends, states, text, spanner)
    return _finish(values[-1], spanner)


def _reduce(
    rule: tuple[Callable[..., Any] | None, int, str, int],
    state_stack: list[int],
    values: list[Any],
    starts: list[int],
    ends: list[int],
    states: dict[int, dict[str, tuple[bool, Any]]],
    text: str,
    spanner: Callable[[int, int], ast.Span],
) -> int:
    builder, size, origin, released = rule
    start, end = starts[-size], ends[-1]
    if builder is None:
        value = values[-1]
    else:
        value = builder(values[-size:], text, spanner, start, end)
    del state_stack[-size:]
    del values[-size:]
    del starts[-size:]
    del ends[-size:]
    state_stack.append(states[state_stack[-1]][origin][1])
    values.append(value)
    starts.append(start)
    ends.append(end)
    return released


# --------------------------------------------------------------------------- errors


def _lex_error(text: str, pos: int) -> ConditionSyntaxError:
    char = text[pos]
    pair = text[pos : pos + 2]
    if char in "'\"":
        kind = "single" if char == "'" else "double"
        return ConditionSyntaxError(
            f"unterminated string: the {kind} quote here is never closed",
            text=text,
            pos=pos,
            end_pos=len(text),
            hint=f"close the string with {char}; a {char} inside a string is written twice ({char}{char})",
        )
    if pair == "&&" or char == "&":
        return ConditionSyntaxError(
            f"unexpected {pair if pair == '&&' else char!r}",
            text=text,
            pos=pos,
            end_pos=pos + (2 if pair == "&&" else 1),
            expected=("'and'",),
            hint="join conditions with the word 'and': `a = 1 and b = 2`",
        )
    if pair == "||" or char == "|":
        return ConditionSyntaxError(
            f"unexpected {pair if pair == '||' else char!r}",
            text=text,
            pos=pos,
            end_pos=pos + (2 if pair == "||" else 1),
            expected=("'or'",),
            hint="join alternatives with the word 'or': `a = 1 or b = 2`",
        )
    if char == "!":
        return ConditionSyntaxError(
            "unexpected '!'",
            text=text,
            pos=pos,
            hint="'!' only appears in '!='; to negate, write `not (...)`, `not like`, `not in` or `not contains`",
        )
    if char.isdigit() or char == "-":
        match = re.match(r"-?[\w.:+-]+", text[pos:])
        word = match.group() if match else char
        return ConditionSyntaxError(
            f"malformed number or date {word!r}",
            text=text,
            pos=pos,
            end_pos=pos + len(word),
            hint="numbers are written 42, -7 or 3.14; dates YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.fff][Z]; "
            "quote anything else",
        )
    return ConditionSyntaxError(
        f"unexpected character {char!r}",
        text=text,
        pos=pos,
        hint="quote text values: `Name = 'my value'`" if not char.isspace() else None,
    )


def _depth_error(text: str, pos: int, max_depth: int) -> ConditionLimitError:
    plural = "level" if max_depth == 1 else "levels"
    return ConditionLimitError(
        f"the condition nests deeper than {max_depth} {plural} (max_depth={max_depth}) of parentheses and 'not'",
        text=text,
        pos=pos,
        limit="max_depth",
        hint="flatten the condition, or raise ParseLimits.max_depth",
    )


def _open_paren(values: list[Any]) -> int | None:
    depth = 0
    for value in reversed(values):
        if isinstance(value, tuple) and len(value) == 4:
            if value[0] == "RPAR":
                depth += 1
            elif value[0] == "LPAR":
                if depth == 0:
                    return int(value[2])
                depth -= 1
    return None


def _previous_token(values: list[Any]) -> _Token | None:
    if values and isinstance(values[-1], tuple) and len(values[-1]) == 4:
        token: _Token = values[-1]
        return token
    return None


def _parse_error(
    text: str,
    token: _Token,
    row: dict[str, tuple[bool, Any]],
    values: list[Any],
    state_stack: list[int],
) -> ConditionSyntaxError:
    kind, raw, pos, end = token
    expected = set(row)
    # Nonterminal gotos are in the row too; keep terminals only.
    expected = {name for name in expected if name.isupper() or name == "$END"}
    words = _expected_words(expected)
    previous = _previous_token(values)
    hint: str | None = None
    description = _describe(kind, raw)

    if kind == "$END" and not values:
        return ConditionSyntaxError(
            "the condition is empty",
            text=text,
            pos=pos,
            expected=("a field name",),
            hint="write a comparison such as `Status = 'Online'`; to fetch everything, send no condition",
        )
    wants_value = bool(expected & _VALUE_TERMINALS)
    if kind == "COMP_OP" and previous is not None and previous[0] in ("COMP_OP", "EQ"):
        pair = previous[1] + raw
        if pair in ("==", "==="[: len(pair)]) or (previous[1] == "=" and raw == "="):
            field_token = values[-2] if len(values) >= 2 and isinstance(values[-2], tuple) else None
            field = field_token[1] if field_token else "Field"
            hint = f"the condition language compares with a single '=': write `{field} = ...`"
            if field_token is not None:
                rest = text[end:].lstrip()
                shown = rest if len(rest) <= 30 else rest[:27] + "..."
                hint = f"the condition language compares with a single '=': write `{field} = {shown}`"
        elif previous[1] == "<" and raw == ">":
            hint = "write 'not equal' as '!='"
        elif previous[1] == "!" or raw == "=":
            hint = "write the operator without a space: '!=', '>=', '<='"
    elif wants_value and kind == "FIELD":
        if raw.lower() in ("null", "none", "nil"):
            hint = (
                f"{raw} is not a value in this language: the server has no null test; "
                "compare with a real value, or filter the results locally"
            )
            description = f"unexpected {raw}"
        else:
            hint = f"text values are quoted: write '{raw}'"
    elif wants_value and kind == "RPAR" and previous is not None and previous[0] == "LPAR":
        hint = "an 'in' list needs at least one value: `Status in ('Online', 'Offline')`"
        description = "empty 'in' list"
    elif kind == "$END" and "RPAR" in expected:
        opened = _open_paren(values)
        if opened is not None:
            line = text.count("\n", 0, opened) + 1
            column = opened - (text.rfind("\n", 0, opened) + 1) + 1
            hint = f"the '(' at line {line}, column {column} is never closed: add ')'"
        description = "missing ')'"
    elif kind == "RPAR" and "RPAR" not in expected and _open_paren(values) is None:
        description = "unmatched ')'"
        hint = "this ')' closes no '(': remove it or add the '(' it belongs to"
    elif kind == "FIELD" and expected & _OPERATOR_TERMINALS and raw.lower() in ("is", "isnull", "between", "has"):
        hint = f"'{raw}' is not an operator here; use =, !=, <, >, <=, >=, contains, like or in"
    elif kind == "FIELD" and ("AND" in expected or "OR" in expected):
        hint = "join conditions with 'and' or 'or'; quote text values that contain spaces"
    elif kind in keyword_kinds() and "FIELD" in expected:
        hint = f"'{raw}' is a keyword; it cannot be used as a field name here"
    elif kind == "$END" and wants_value:
        hint = "the comparison has no value: add one, e.g. `Status = 'Online'`"
    elif kind in _VALUE_TERMINALS and "STRING" in expected and not wants_value:
        hint = "startswith, endswith and like take a quoted string"
    elif kind in _VALUE_TERMINALS and expected & {"FIELD"} and not wants_value:
        hint = "a condition starts with a field name: `Field = value`"

    return ConditionSyntaxError(description, text=text, pos=pos, end_pos=end, expected=words, hint=hint)


def keyword_kinds() -> frozenset[str]:
    """The names of the keyword terminals (reserved words) of the grammar."""
    return frozenset(_get_tables().keywords.values())
