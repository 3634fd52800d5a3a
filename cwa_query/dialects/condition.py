"""The condition grammar (`grammar/condition.lark`) and the base of the dialects written in it.

`seed` and `automate` share one grammar, the union of both; each declares the
[`Feature`][cwa_query.dialects.Feature]s it has, and `parse(text, dialect=...)` refuses the
others at their position. [`CONDITION`][cwa_query.dialects.condition.CONDITION] is the
grammar with its callbacks and its hints for common mistakes (`==`, `&&`, unquoted text,
unterminated strings); `parse(text)` without a dialect reads the union with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import ConditionSyntaxError, UnrepresentableConditionError, UntranslatableError
from ..language import ast
from ..language._diagnose import (
    ParseFailure,
    Token,
    describe_token,
    next_token_text,
    open_paren,
    previous_token,
)
from ..language._driver import Builder, Grammar, Spanner
from ..language._lalr import Tables
from ..language.literals import (
    MAX_INTEGER_DIGITS,
    check_text,
    integer_text,
    match_text,
    parse_datetime,
    parse_number,
)
from ._base import Dialect, Feature, patterns_as_strings

__all__ = ["CANONICAL", "CONDITION", "ConditionDialect"]

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


_NOUNS = {"STRING": "string", "NUMBER": "number", "DATETIME": "date", "FIELD": "word"}

# --------------------------------------------------------------------------- builders


def _check_string(raw: str, text: str, start: int) -> None:
    """Refuse a string literal that cannot be sent as UTF-8 (a lone surrogate), at its position."""
    try:
        check_text(raw)
    except UnrepresentableConditionError:
        offset = next(i for i, char in enumerate(raw) if "\ud800" <= char <= "\udfff")
        raise ConditionSyntaxError(
            f"a lone surrogate {raw[offset]!r} in a string cannot be sent as UTF-8",
            text=text,
            pos=start + offset,
            hint="remove it, or decode the text that produced it with the right encoding",
        ) from None


class _Chain(list[ast.Node]):
    """An `and`/`or` chain under construction (mutable, so long chains stay linear)."""

    __slots__ = ("end", "kind", "start")

    def __init__(self, kind: str, start: int, end: int) -> None:
        super().__init__()
        self.kind = kind
        self.start = start
        self.end = end


def number_literal(raw: str, span: ast.Span, text: str, start: int, end: int) -> ast.Integer | ast.Decimal:
    """The literal of a NUMBER token, or a `ConditionSyntaxError` at it when it is too long.

    Every grammar that reads the condition language's numbers (condition, manage) builds
    them here, so the length limit of [`parse_number`][cwa_query.language.literals.parse_number]
    holds alike everywhere (`-` plus 4,300 digits is a number, not something else).
    """
    if "." not in raw and len(raw) <= MAX_INTEGER_DIGITS:
        return ast.Integer(int(raw), span)  # the common case, without the digit count
    try:
        number = parse_number(raw)
    except ValueError as exc:
        raise ConditionSyntaxError(
            f"number too long: {exc}", text=text, pos=start, end_pos=end, hint="compare with a shorter number"
        ) from None
    return ast.Integer(number, span) if isinstance(number, int) else ast.Decimal(number, span)


def _literal(token: Token, text: str, spanner: Callable[[int, int], ast.Span], op: ast.Op | None) -> ast.Literal:
    kind, raw, start, end = token
    span = spanner(start, end)
    if kind == "STRING":
        quote = raw[0]
        if not raw.isascii():
            _check_string(raw, text, start)
        return ast.String(raw[1:-1].replace(quote + quote, quote), span)
    if kind == "NUMBER":
        return number_literal(raw, span, text, start, end)
    if kind == "DATETIME":
        try:
            return ast.DateTime(parse_datetime(raw), span)
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

FieldReader = Callable[[Token, Spanner], ast.Field]
ValueReader = Callable[[Token, str, Spanner, ast.Op | None], ast.Literal]
"""Reads a value token; the operator is given for a comparison's value, `None` in a list."""


def predicate_builders(field: FieldReader, value: ValueReader) -> dict[str, Builder]:
    """The callbacks of the condition grammar's predicate rules, reading fields and values
    with `field` and `value` (the grammars of the condition language differ in those only)."""

    def compare(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> ast.Node:
        op = _OPS[ch[1][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, value(ch[2], text, spanner, op), spanner(start, end))

    def negated_match(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> ast.Node:
        op = _OPS["not " + ch[2][1].lower()]
        return ast.Compare(field(ch[0], spanner), op, value(ch[3], text, spanner, op), spanner(start, end))

    def in_list(negated: bool) -> Builder:
        index = 4 if negated else 3  # `not in (` is one symbol more than `in (`

        def build(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> ast.Node:
            values = tuple(value(tok, text, spanner, None) for tok in ch[index])
            return ast.InList(field(ch[0], spanner), values, negated, spanner(start, end))

        return build

    return {
        "compare": compare,
        "text_match": compare,
        "negated_match": negated_match,
        "in_list": in_list(False),
        "not_in_list": in_list(True),
    }


def _field(tok: Token, spanner: Spanner) -> ast.Field:
    return ast.Field(tok[1], spanner(tok[2], tok[3]))


def _builders() -> dict[str, Builder]:
    # Each builder gets (children, text, spanner, start, end); children are tokens,
    # nodes, chains or value lists exactly as the rule lists its symbols.
    def first_value(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> list[Token]:
        return [ch[0]]

    def next_value(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> list[Token]:
        values: list[Token] = ch[0]
        values.append(ch[2])
        return values

    def group(ch: list[Any], text: str, spanner: Any, start: int, end: int) -> Any:
        inner = ch[1]
        if isinstance(inner, _Chain):
            inner.start, inner.end = start, end
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
        **predicate_builders(_field, _literal),
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


# --------------------------------------------------------------------------- errors


_SYMBOL_WORDS = {"&": ("and", "conditions"), "|": ("or", "alternatives")}


def _lex_error(tables: Tables, text: str, pos: int) -> ConditionSyntaxError:
    char = text[pos]
    pair = text[pos : pos + 2]
    if char in "'\"":
        kind = "single" if char == "'" else "double"
        if pos and text[pos - 1] == char:
            # 'it''s: the lexer took 'it' as a whole string; the string really opens earlier.
            for match in tables.lexer.finditer(text):
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
    if char in _SYMBOL_WORDS:  # `&&`, `&`, `||`, `|`
        word, joined = _SYMBOL_WORDS[char]
        doubled = pair == char * 2
        return ConditionSyntaxError(
            f"unexpected {pair if doubled else char!r}",
            text=text,
            pos=pos,
            end_pos=pos + (2 if doubled else 1),
            expected=(f"'{word}'",),
            hint=f"join {joined} with the word '{word}': `a = 1 {word} b = 2`",
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


def _syntax_error(failure: ParseFailure) -> ConditionSyntaxError:
    kind, raw, pos, end = failure.token
    text, values = failure.text, failure.values
    expected = failure.expected
    words = _expected_words(expected)
    previous = previous_token(values)
    hint: str | None = None
    description = describe_token(kind, raw, _NOUNS)

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
            value = next_token_text(failure.tables, text, end)
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
        opened = open_paren(values)
        if opened is not None:
            line = text.count("\n", 0, opened) + 1
            column = opened - (text.rfind("\n", 0, opened) + 1) + 1
            hint = f"the '(' at line {line}, column {column} is never closed: add ')'"
        description = "missing ')'"
    elif kind == "RPAR" and "RPAR" not in expected and open_paren(values) is None:
        description = "unmatched ')'"
        hint = "this ')' closes no '(': remove it or add the '(' it belongs to"
    elif kind == "FIELD" and expected & _OPERATOR_TERMINALS and raw.lower() in ("is", "isnull", "between", "has"):
        hint = f"'{raw}' is not an operator here; use =, !=, <, >, <=, >=, contains, like or in"
    elif kind == "FIELD" and ("AND" in expected or "OR" in expected):
        hint = "join conditions with 'and' or 'or'; quote text values that contain spaces"
    elif kind in failure.tables.keywords.values() and "FIELD" in expected:
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


CONDITION = Grammar(
    "condition",
    _builders(),
    finish=_finish,
    syntax_error=_syntax_error,
    lex_error=_lex_error,
)
"""The condition grammar, driven with the callbacks that build the shared tree."""


# --------------------------------------------------------------------------- the dialects

_PRECEDENCE = {ast.Or: 1, ast.And: 2, ast.Not: 3}
_SPELLED_EQ = re.compile(r"\s*eq\s*", re.IGNORECASE)


class ConditionDialect(Dialect):
    """The base of the dialects written in the condition grammar (abstract: no `name`).

    Subclasses set `name`, `title`, `features`, and override `quote`, `literal` or `lift`
    where they differ. The union of them is what `parse(text)` reads without a dialect.
    """

    def grammar(self) -> Grammar:
        """The condition grammar (`grammar/condition.lark`)."""
        return CONDITION

    def unsupported(self, tree: ast.Node, text: str | None = None) -> Iterator[tuple[Feature, ast.Node | ast.Literal]]:
        """Constructs the dialect lacks, spelling ones (`eq`, `"..."`) included when `text` is given."""
        found = list(super().unsupported(tree, text))
        if text is not None and not (self.supports(Feature.EQ_KEYWORD) and self.supports(Feature.DOUBLE_QUOTES)):
            found.extend(self._spelled(tree, text))
        found.sort(key=lambda item: item[1].span.start if item[1].span is not None else 0)
        yield from found

    def _spelled(self, tree: ast.Node, text: str) -> Iterator[tuple[Feature, ast.Node | ast.Literal]]:
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Compare, ast.InList)):
                continue
            if (
                isinstance(node, ast.Compare)
                and node.op is ast.Op.EQ
                and not self.supports(Feature.EQ_KEYWORD)
                and node.field.span is not None
                and node.value.span is not None
                and _SPELLED_EQ.fullmatch(text, node.field.span.end, node.value.span.start)
            ):
                yield Feature.EQ_KEYWORD, node
            if not self.supports(Feature.DOUBLE_QUOTES):
                values = node.values if isinstance(node, ast.InList) else (node.value,)
                for value in values:
                    if isinstance(value, ast.String) and value.span is not None and text[value.span.start] == '"':
                        yield Feature.DOUBLE_QUOTES, value

    def string_patterns(self, tree: ast.Node) -> ast.Node:
        """The tree with the value of every `startswith`/`endswith`/`like`/`not like` a
        string, as the grammar wants (see `cwa_query.dialects._base.patterns_as_strings`)."""
        return patterns_as_strings(tree)

    def quote(self, value: str, *, escape_quotes: bool = False) -> str:
        """Single quotes, a quote inside doubled: `'O''Brien'`."""
        return "'" + check_text(value).replace("'", "''") + "'"

    def literal(self, literal: ast.Literal, *, escape_quotes: bool = False) -> str:
        """Strings quoted, numbers as written, `true`/`false`, dates unquoted ISO-8601."""
        if isinstance(literal, ast.String):
            return self.quote(literal.value, escape_quotes=escape_quotes)
        if isinstance(literal, ast.Integer):
            return integer_text(literal.value)
        if isinstance(literal, ast.Null):
            raise UntranslatableError("null", target=self.name, reason=f"{self.title or self.name} has no null")
        return match_text(literal)  # true/false, a decimal as written, a date-time in ISO-8601

    def describe(self, node: ast.Node | ast.Literal) -> str:
        """The node in the canonical spelling of the condition language."""
        if isinstance(node, ast.Expression):
            from ..language._odata_render import render_odata  # only trees read from OData hold one

            return render_odata(node.expr)
        if isinstance(node, ast.NODE_TYPES):
            return CANONICAL.generate(node)
        if isinstance(node, ast.Null):
            return "null"
        return CANONICAL.literal(node)

    def generate(self, tree: ast.Node, *, escape_quotes: bool = False) -> str:
        """Canonical text: single spaces around operators, lowercase keywords, fields as
        written, `in (a, b)`, parentheses only where precedence needs them, `not (...)`
        always parenthesised."""
        out: list[str] = []
        self._text(tree, escape_quotes, out)
        return "".join(out)

    def _text(self, node: ast.Node, escape_quotes: bool, out: list[str]) -> None:
        if isinstance(node, ast.Compare):
            out.append(node.field.name)
            out.append(" ")
            out.append(node.op.value)
            out.append(" ")
            out.append(self.literal(node.value, escape_quotes=escape_quotes))
        elif isinstance(node, ast.InList):
            out.append(node.field.name)
            out.append(" not in (" if node.negated else " in (")
            out.append(", ".join(self.literal(v, escape_quotes=escape_quotes) for v in node.values))
            out.append(")")
        elif isinstance(node, ast.Not):
            out.append("not (")
            self._text(node.operand, escape_quotes, out)
            out.append(")")
        elif isinstance(node, ast.Expression):
            raise self.expression_error(node)
        else:
            write_items(node, out, lambda item: self._text(item, escape_quotes, out))


def write_items(node: ast.And | ast.Or, out: list[str], write: Callable[[ast.Node], None]) -> None:
    """The items of an `and`/`or` (each written by `write`) joined by its word, an item that
    binds looser in parentheses: the precedence of every dialect of the condition grammar."""
    joiner = " and " if isinstance(node, ast.And) else " or "
    mine = _PRECEDENCE[type(node)]
    for index, item in enumerate(node.items):
        if index:
            out.append(joiner)
        if _PRECEDENCE.get(type(item), 4) < mine:
            out.append("(")
            write(item)
            out.append(")")
        else:
            write(item)


CANONICAL = ConditionDialect()
"""The union's own spelling: what `parse(text)` without a dialect reads back to the same tree."""
