"""The parser: Lark's LALR(1) table for `grammar/condition.lark`, driven by a lean loop.

Lark builds (and caches) the LALR table from the grammar; the lexer is one compiled
regular expression made from the grammar's own terminals. The loop is iterative, so no
input can exhaust Python's recursion limit, and it builds the AST directly with source
spans. Errors are translated into [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError]
with words a person understands and hints for the common mistakes.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import decimal as _decimal
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConditionLimitError, ConditionSyntaxError
from . import ast

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
    packaged = Path(__file__).resolve().parent.parent / "_grammar" / "condition.lark"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "grammar" / "condition.lark"


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
    if names >= _VALUE_TERMINALS:
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
        return "unexpected end of condition"
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
            tz = _dt.UTC
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = _dt.timezone(sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    micro = int((fraction or "0").ljust(6, "0")[:6])
    value = _dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz)
    if tz is not None:
        try:
            value.astimezone(_dt.UTC)
        except OverflowError:
            raise ValueError("out of range once converted to UTC") from None
    return value


def _unquote(text: str) -> str:
    quote = text[0]
    return text[1:-1].replace(quote + quote, quote)


# --------------------------------------------------------------------------- tables


class _Chain(list[ast.Node]):
    """An `and`/`or` chain under construction (mutable, so long chains stay linear)."""

    __slots__ = ("end", "kind", "start")

    def __init__(self, kind: str, start: int, end: int) -> None:
        super().__init__()
        self.kind = kind
        self.start = start
        self.end = end


def build_table_data(grammar: str) -> dict[str, Any]:
    """Compile `grammar` with Lark into plain data: the LALR table, lexer and rules.

    This is the only place that imports lark. The result is stored beside the
    package (`_tables.json`, keyed by the grammar's SHA-256), so that the command line
    starts without importing or running Lark; a grammar edit is picked up at once
    (the stale file is ignored) and `python -m cwa_query.language._parser` rewrites the file.
    """
    from lark import Lark
    from lark.lexer import PatternStr

    lark_parser = Lark(grammar, parser="lalr")
    table = lark_parser.parser.parser.parser.parse_table
    field_re = next(t for t in lark_parser.terminals if t.name == "FIELD").pattern.to_regexp()
    keywords: dict[str, str] = {}
    groups: list[list[str]] = []
    terminals = sorted(
        lark_parser.terminals,
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    for term in terminals:
        if isinstance(term.pattern, PatternStr) and re.fullmatch(field_re, term.pattern.value):
            keywords[term.pattern.value.lower()] = term.name
            continue
        groups.append([term.name, term.pattern.to_regexp()])
    rules = list(lark_parser.rules)
    rule_rows = []
    for rule in rules:
        symbols = [sym.name for sym in rule.expansion]
        released = sum(s in ("LPAR", "NOT") for s in symbols)
        rule_rows.append([str(rule.alias or rule.origin.name), len(symbols), rule.origin.name, released])
    states: dict[str, dict[str, list[Any]]] = {}
    for state, actions in table.states.items():
        states[str(state)] = {
            symbol: [True, arg] if action.name == "Shift" else [False, rules.index(arg)]
            for symbol, (action, arg) in actions.items()
        }
    return {
        "grammar_sha256": hashlib.sha256(grammar.encode("utf-8")).hexdigest(),
        "start_state": table.start_states["start"],
        "end_state": table.end_states["start"],
        "keywords": keywords,
        "ignore": sorted(lark_parser.lexer_conf.ignore),
        "lexer": groups,
        "rules": rule_rows,
        "states": states,
    }


_TABLES_FILE = Path(__file__).resolve().parent / "_tables.json"


def _load_table_data() -> dict[str, Any]:
    grammar = grammar_text()
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()
    try:
        data: dict[str, Any] = json.loads(_TABLES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if data.get("grammar_sha256") != digest:
        data = build_table_data(grammar)
    return data


class _Tables:
    """The LALR table, the lexer and the per-rule builders, made once per process."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.start_state: int = data["start_state"]
        self.end_state: int = data["end_state"]
        # A catch-all group makes every position produce a match, so errors are seen.
        pattern = "|".join(f"(?P<{name}>{regexp})" for name, regexp in data["lexer"]) + r"|(?P<_ERROR>.)"
        self.lexer = re.compile(pattern, re.DOTALL)
        self.keywords: dict[str, str] = data["keywords"]
        self.ignore = frozenset(data["ignore"])

        # Rule actions: (builder or None for a unit rule, length, origin, nesting released).
        builders = _builders()
        rules: list[tuple[Callable[..., Any] | None, int, str, int]] = []
        for name, size, origin, released in data["rules"]:
            builder = builders.get(name)
            if builder is None and size != 1:  # pragma: no cover - grammar drift
                raise RuntimeError(f"no builder for grammar rule {name!r}")
            rules.append((builder, size, origin, released))

        # states[state][symbol] = (is_shift, next_state | rule)
        self.states: dict[int, dict[str, tuple[bool, Any]]] = {
            int(state): {
                symbol: (True, arg) if is_shift else (False, rules[arg]) for symbol, (is_shift, arg) in actions.items()
            }
            for state, actions in data["states"].items()
        }


_tables: _Tables | None = None
_tables_lock = threading.Lock()


def _get_tables() -> _Tables:
    global _tables
    if _tables is None:
        with _tables_lock:
            if _tables is None:
                _tables = _Tables(_load_table_data())
    return _tables


# --------------------------------------------------------------------------- builders

_Token = tuple[str, str, int, int]  # kind, text, start, end


def _literal(token: _Token, text: str, spanner: Callable[[int, int], ast.Span]) -> ast.Literal:
    kind, raw, start, end = token
    span = spanner(start, end)
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
        return ast.Compare(field(ch[0], spanner), op, _literal(ch[2], text, spanner), spanner(start, end))

    def text_match(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        op = _OPS[ch[1][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, _literal(ch[2], text, spanner), spanner(start, end))

    def negated_match(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        op = _OPS["not " + ch[2][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, _literal(ch[3], text, spanner), spanner(start, end))

    def in_list(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        values = tuple(_literal(tok, text, spanner) for tok in ch[3])
        return ast.InList(field(ch[0], spanner), values, False, spanner(start, end))

    def not_in_list(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> ast.Node:
        values = tuple(_literal(tok, text, spanner) for tok in ch[4])
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

    spanner = _spanner(text)
    state_stack = [tables.start_state]
    values: list[Any] = []
    starts: list[int] = []
    ends: list[int] = []
    nesting = 0
    max_depth = limits.max_depth
    max_in = limits.max_in_values
    in_count = 0

    end_token: _Token = ("$END", "", len(text), len(text))
    for match in tables.lexer.finditer(text):
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
        # Reduce as the lookahead calls for, then shift it.
        while True:
            action = states[state_stack[-1]].get(kind)
            if action is None:
                raise _parse_error(states, text, token, values, state_stack)
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
                        raise _in_list_error(text, token[2], max_in)
                break
            builder, size, origin, released = action[1]
            if builder is None:  # a unit rule: only the state changes
                state_stack[-1] = states[state_stack[-2]][origin][1]
                continue
            value = builder(values[-size:], text, spanner, starts[-size], ends[-1])
            del state_stack[-size:]
            state_stack.append(states[state_stack[-1]][origin][1])
            values[-size:] = (value,)
            if size > 1:
                del starts[1 - size :]
                del ends[-size:-1]
            nesting -= released
            if released == 2 or origin == "predicate":
                in_count = 0
    end_state = tables.end_state
    while state_stack[-1] != end_state:
        action = states[state_stack[-1]].get("$END")
        if action is None or action[0]:
            raise _parse_error(states, text, end_token, values, state_stack)
        builder, size, origin, released = action[1]
        if builder is None:
            state_stack[-1] = states[state_stack[-2]][origin][1]
            continue
        value = builder(values[-size:], text, spanner, starts[-size], ends[-1])
        del state_stack[-size:]
        state_stack.append(states[state_stack[-1]][origin][1])
        values[-size:] = (value,)
        if size > 1 and size > 1:
            del starts[1 - size :]
            del ends[-size:-1]
    return _finish(values[-1], spanner)


def _spanner(text: str) -> Callable[[int, int], ast.Span]:
    """Makes spans with 1-based line and column for offsets into `text`."""
    span = ast.Span
    if "\n" not in text:
        return lambda start, end: span(start, end, 1, start + 1)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def spanner(start: int, end: int) -> ast.Span:
        index = bisect.bisect_right(line_starts, start) - 1
        return span(start, end, index + 1, start - line_starts[index] + 1)

    return spanner


def _in_list_error(text: str, pos: int, max_in: int) -> ConditionLimitError:
    return ConditionLimitError(
        f"an 'in' list holds more than {max_in:,} values (max_in_values)",
        text=text,
        pos=pos,
        limit="max_in_values",
        hint="split the list into several queries, or raise ParseLimits.max_in_values",
    )


# --------------------------------------------------------------------------- errors


def _lex_error(text: str, pos: int) -> ConditionSyntaxError:
    char = text[pos]
    pair = text[pos : pos + 2]
    if char in "'\"":
        kind = "single" if char == "'" else "double"
        if pos and text[pos - 1] == char:
            # 'it''s: the lexer took 'it' as a whole string; the string really opens earlier.
            for match in _get_tables().lexer.finditer(text):
                if match.lastgroup == "STRING" and match.end() == pos:
                    pos = match.start()
                    break
        return ConditionSyntaxError(
            "unterminated string",
            text=text,
            pos=pos,
            end_pos=len(text),
            hint=f"the {kind} quote here opens a string that is never closed: close it with {char} "
            f"(a {char} inside a string is written twice: {char}{char})",
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
        found = re.match(r"-?[\w.:+-]+", text[pos:])
        word = found.group() if found else char
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


def _states_before(text: str, pos: int) -> list[int]:
    """The LALR state stack just before the token at `pos` (error path only)."""
    tables = _get_tables()
    states = tables.states
    stack = [tables.start_state]
    for match in tables.lexer.finditer(text):
        if match.start() >= pos:
            break
        kind = match.lastgroup
        if kind in tables.ignore:
            continue
        if kind == "FIELD":
            kind = tables.keywords.get(match.group().lower(), "FIELD")
        assert kind is not None
        while True:
            is_shift, arg = states[stack[-1]][kind]
            if is_shift:
                stack.append(arg)
                break
            del stack[len(stack) - arg[1] :]
            stack.append(states[stack[-1]][arg[2]][1])
    return stack


def _next_token_text(text: str, pos: int) -> str:
    """The first token at or after `pos` that is neither white space nor a stray '='."""
    tables = _get_tables()
    for match in tables.lexer.finditer(text, pos):
        if match.lastgroup not in tables.ignore and match.group() != "=":
            return "" if match.lastgroup == "_ERROR" else match.group()
    return ""


def _accepts(states: dict[int, dict[str, tuple[bool, Any]]], state_stack: list[int], terminal: str) -> bool:
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


def _parse_error(
    states: dict[int, dict[str, tuple[bool, Any]]],
    text: str,
    token: _Token,
    values: list[Any],
    state_stack: list[int],
) -> ConditionSyntaxError:
    kind, raw, pos, end = token
    row = states[state_stack[-1]]
    # By now the lookahead may have caused reductions that narrowed the choice (LALR
    # reduces on merged lookaheads): go back to the states as they stood before this
    # token, and keep the terminals the parser really accepts there.
    before = _states_before(text, pos)
    row = states[before[-1]]
    expected = {name for name in row if (name.isupper() or name == "$END") and _accepts(states, before, name)}
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
            value = _next_token_text(text, end)
            if field_token is not None and value:
                shown = value if len(value) <= 30 else value[:27] + "..."
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
    elif kind == "$END" and wants_value and previous is not None and previous[0] == "COMMA":
        hint = "the list ends with ',': add a value and ')', or remove the comma"
    elif kind == "RPAR" and wants_value and previous is not None and previous[0] == "COMMA":
        hint = "a trailing ',' in the list: remove it"
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


def _write_tables() -> None:  # pragma: no cover - a maintenance command
    data = build_table_data(grammar_text())
    _TABLES_FILE.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {_TABLES_FILE} for grammar {data['grammar_sha256'][:12]}")


if __name__ == "__main__":  # pragma: no cover
    _write_tables()
