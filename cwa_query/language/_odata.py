"""The OData `$filter` parser: `grammar/odata.lark` driven by the lean LALR(1) loop.

[`parse_filter`][cwa_query.language._odata.parse_filter] reads a `$filter` value
(`boolCommonExpr`), [`parse_expression`][cwa_query.language._odata.parse_expression] any
`commonExpr`, [`parse_filter_option`][cwa_query.language._odata.parse_filter_option] a whole
`$filter=...` query option. The text is decoded text (what a service sees after URL
decoding). Errors are [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError]s with the
position, what was expected in words and hints for the usual mistakes:

>>> from cwa_query.language._odata import parse_filter
>>> try:
...     parse_filter("Name = 'Milk'")
... except ValueError as exc:
...     print(exc.description, "|", exc.hint)
unexpected '=' | OData compares with words: write `Name eq 'Milk'`
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as _dt
import decimal as _decimal
import json
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import ConditionLimitError, ConditionSyntaxError, UnrepresentableConditionError
from . import ast
from . import odata_ast as o
from ._diagnose import ParseFailure, describe_token, expected_terminals
from ._driver import DEFAULT_LIMITS, Grammar, ParseLimits, make_spanner
from ._lalr import Tables, grammar_text
from .literals import MAX_INTEGER_DIGITS, check_decimal, parse_exponent_number, parse_number

__all__ = [
    "CANONICAL_FUNCTIONS",
    "BOOLEAN_FUNCTIONS",
    "odata_grammar_text",
    "keyword_kinds",
    "lex_odata",
    "literal_token",
    "parse_expression",
    "parse_filter",
    "parse_filter_option",
]


def odata_grammar_text() -> str:
    """The text of the OData grammar, the source of truth of the dialect's syntax."""
    return grammar_text("odata")


# --------------------------------------------------------------------------- functions

CANONICAL_FUNCTIONS: dict[str, tuple[int, int]] = {
    "concat": (2, 2),
    "contains": (2, 2),
    "endswith": (2, 2),
    "indexof": (2, 2),
    "length": (1, 1),
    "matchesPattern": (2, 2),
    "startswith": (2, 2),
    "substring": (2, 3),
    "tolower": (1, 1),
    "toupper": (1, 1),
    "trim": (1, 1),
    "year": (1, 1),
    "month": (1, 1),
    "day": (1, 1),
    "hour": (1, 1),
    "minute": (1, 1),
    "second": (1, 1),
    "fractionalseconds": (1, 1),
    "totalseconds": (1, 1),
    "date": (1, 1),
    "time": (1, 1),
    "totaloffsetminutes": (1, 1),
    "mindatetime": (0, 0),
    "maxdatetime": (0, 0),
    "now": (0, 0),
    "round": (1, 1),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "geo.distance": (2, 2),
    "geo.length": (1, 1),
    "geo.intersects": (2, 2),
    "hassubset": (2, 2),
    "hassubsequence": (2, 2),
    "case": (1, 1_000_000),
}
"""The canonical functions of OData 4.01 by canonical spelling: (fewest, most) arguments.
Their names are matched in any case (`CONTAINS(...)` is `contains`)."""

BOOLEAN_FUNCTIONS = frozenset(
    {"contains", "endswith", "startswith", "matchesPattern", "geo.intersects", "hassubset", "hassubsequence"}
)
"""The canonical functions that return a Boolean."""

_CANONICAL_BY_LOWER = {name.lower(): name for name in CANONICAL_FUNCTIONS}


# --------------------------------------------------------------------------- words

_LITERAL_TERMINALS = frozenset(
    {
        "NULL",
        "TRUE",
        "FALSE",
        "NUMBER",
        "SPECIAL_NUMBER",
        "STRING",
        "DATE",
        "DATETIME",
        "TIME",
        "GUID",
        "DURATION",
        "BINARY",
        "GEO",
        "ENUM",
    }
)
_OPERATOR_TERMINALS = frozenset(
    {"EQ", "NE", "GT", "GE", "LT", "LE", "IN", "HAS", "ADD", "SUB", "MUL", "DIV", "DIVBY", "MOD"}
)
_START_TERMINALS = frozenset(
    {
        "FIELD",
        "QNAME",
        "IT",
        "THIS",
        "ROOT",
        "ANNOTATION",
        "FUNC",
        "CAST",
        "ISOF",
        "NOT",
        "MINUS",
        "LPAR",
        "LBRACKET",
        "LBRACE",
    }
)
_WORDS = {
    "FIELD": "a property name",
    "QNAME": "a qualified name",
    "FUNC": "a function call",
    "ANNOTATION": "an @alias or @annotation",
    "IT": "$it",
    "THIS": "$this",
    "ROOT": "$root",
    "COUNT": "$count",
    "FILTER": "$filter",
    "ANY": "any(...)",
    "ALL": "all(...)",
    "CAST": "cast(...)",
    "ISOF": "isof(...)",
    "COLLECTION": "Collection(...)",
    "JSON_STRING": "a JSON string",
    "STRING": "a quoted string",
    "ENUM": "an enumeration literal",
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACKET": "'['",
    "RBRACKET": "']'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "COLON": "':'",
    "SLASH": "'/'",
    "ASSIGN": "'='",
    "MINUS": "'-'",
    "AND": "'and'",
    "OR": "'or'",
    "NOT": "'not'",
    "$END": "the end of the filter",
}
_ORDER = [
    "expression",
    "value",
    "FIELD",
    "STRING",
    "ENUM",
    "operator",
    "SLASH",
    "COLON",
    "ASSIGN",
    "COMMA",
    "RPAR",
    "RBRACKET",
    "RBRACE",
    "AND",
    "OR",
    "$END",
]


def _expected_words(terminals: set[str]) -> tuple[str, ...]:
    names = set(terminals)
    words: dict[str, str] = {}
    if names >= _LITERAL_TERMINALS and names >= {"FIELD", "LPAR", "NOT"}:
        names -= _LITERAL_TERMINALS | _START_TERMINALS | {"LBRACKET", "LBRACE"}
        words["expression"] = "an expression"
    elif names >= _LITERAL_TERMINALS - {"ENUM"}:
        names -= _LITERAL_TERMINALS
        words["value"] = "a literal value"
    if names >= {"EQ", "ADD"}:
        names -= _OPERATOR_TERMINALS
        words["operator"] = "an operator (eq, ne, gt, ge, lt, le, in, has, add, ...)"
    for name in names:
        words[name] = _WORDS.get(name, f"'{name.lower()}'")
    ordered = [words.pop(key) for key in _ORDER if key in words]
    return tuple(ordered + sorted(words.values()))


_NOUNS = {
    "STRING": "string",
    "JSON_STRING": "double-quoted string",
    "NUMBER": "number",
    "FIELD": "word",
    "QNAME": "qualified name",
    "DATE": "date",
    "DATETIME": "date-time",
    "TIME": "time of day",
    "GUID": "GUID",
    "FUNC": "call",
}
"""What an unexpected token is called in a message (`unexpected string 'x'`)."""


# --------------------------------------------------------------------------- literals

_DATETIME_RE = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?([Zz]|[+-]\d{2}:\d{2}))?"
)
_TIME_RE = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?")
_DURATION_RE = re.compile(r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?", re.IGNORECASE)


def _micro(fraction: str | None) -> int:
    return int((fraction or "0").ljust(6, "0")[:6])


def _date_value(raw: str) -> _dt.date | _dt.datetime:
    match = _DATETIME_RE.fullmatch(raw)
    assert match is not None  # the lexer guarantees the shape
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if hour is None:
        return _dt.date(int(year), int(month), int(day))
    if zone in ("Z", "z"):
        tz: _dt.tzinfo = _dt.UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = _dt.timezone(sign * _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    value = _dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), _micro(fraction), tz
    )
    try:
        value.astimezone(_dt.UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC") from None
    return value


def _time_value(raw: str) -> _dt.time:
    match = _TIME_RE.fullmatch(raw)
    assert match is not None  # the lexer guarantees the shape
    hour, minute, second, fraction = match.groups()
    return _dt.time(int(hour), int(minute), int(second or 0), _micro(fraction))


def _duration_value(raw: str) -> _dt.timedelta:
    body = raw[raw.index("'") + 1 : -1]
    match = _DURATION_RE.fullmatch(body)
    assert match is not None  # the lexer guarantees the shape
    sign, days, hours, minutes, seconds, fraction = match.groups()
    if body.upper().endswith(("P", "T")):
        raise ValueError("a duration needs at least one number, e.g. duration'P1D' or duration'PT30M'")
    value = _dt.timedelta(
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
        microseconds=_micro(fraction),
    )
    return -value if sign else value


def duration_text(text: str) -> _dt.timedelta | None:
    """The duration an ISO-8601 text (`P1DT2H`, as OData's JSON writes `Edm.Duration`) stands for, else `None`.

    >>> duration_text("-PT1H30M"), duration_text("1 day")
    (datetime.timedelta(days=-1, seconds=81000), None)
    """
    if len(text) > 100 or _DURATION_RE.fullmatch(text) is None:
        return None
    try:
        return _duration_value(f"duration'{text}'")
    except (ValueError, OverflowError):
        return None


_Token = tuple[str, str, int, int]  # kind, text, start, end
Spanner = Callable[[int, int], ast.Span]


def literal_token(token: _Token, text: str, spanner: Spanner) -> o.Expr:
    """The literal node of a literal token (a `ConditionSyntaxError` for one out of range)."""
    kind, raw, start, end = token
    span = spanner(start, end)
    if kind == "NUMBER":
        return _number_literal(raw, text, start, span)
    try:
        if kind == "STRING":
            return ast.String(raw[1:-1].replace("''", "'"), span)
        if kind == "NULL":
            return ast.Null(span)
        if kind in ("TRUE", "FALSE"):
            return ast.Boolean(kind == "TRUE", span)
        if kind == "SPECIAL_NUMBER":
            return o.SpecialNumber(raw, span)
        if kind in ("DATE", "DATETIME"):
            return ast.DateTime(_date_value(raw), span)
        if kind == "TIME":
            return o.TimeOfDay(_time_value(raw), span)
        if kind == "GUID":
            return o.Guid(uuid.UUID(raw), span)
        if kind == "DURATION":
            return o.Duration(_duration_value(raw), span)
        if kind == "BINARY":
            body = raw[raw.index("'") + 1 : -1].rstrip("=")
            return o.BinaryData(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), span)
        if kind == "GEO":
            quote = raw.index("'")
            return o.Geo(raw[:quote].lower(), raw[quote + 1 : -1], span)
        if kind == "ENUM":
            quote = raw.index("'")
            members = tuple(m.strip() for m in raw[quote + 1 : -1].split(","))
            return o.EnumValue(raw[:quote], members, span)
        if kind == "JSON_STRING":
            value = json.loads(raw)
            assert isinstance(value, str)  # the lexer guarantees the shape
            return ast.String(value, span)
    except (ValueError, OverflowError, binascii.Error) as exc:
        what = {
            "DATE": "date",
            "DATETIME": "date-time",
            "TIME": "time of day",
            "DURATION": "duration",
            "BINARY": "binary value",
            "JSON_STRING": "JSON string",
        }.get(kind, "literal")
        hints = {
            "DATE": "write dates as YYYY-MM-DD with a real month and day",
            "DATETIME": "write date-times as YYYY-MM-DDThh:mm[:ss[.fff]] with Z or an offset (+hh:mm)",
            "TIME": "write a time of day as hh:mm[:ss[.fff]], hours 00-23",
            "JSON_STRING": 'inside a JSON string, escape only \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX',
        }
        raise ConditionSyntaxError(
            f"invalid {what} {raw[:40]}: {exc}", text=text, pos=start, end_pos=end, hint=hints.get(kind)
        ) from None
    raise AssertionError(kind)  # pragma: no cover - every literal terminal is handled


def _number_literal(raw: str, text: str, start: int, span: ast.Span) -> ast.Integer | ast.Decimal:
    """An exact number; one that would take more than MAX_INTEGER_DIGITS digits written plainly
    (`1e999999999`) is a ConditionLimitError here, before anything of its size is built."""
    try:
        if "e" in raw or "E" in raw:
            return ast.Decimal(parse_exponent_number(raw), span)
        if "." in raw:
            return ast.Decimal(check_decimal(_decimal.Decimal(raw)), span)
        return ast.Integer(int(parse_number(raw)), span)  # no "." here: an int
    except UnrepresentableConditionError as exc:
        raise ConditionLimitError(
            str(exc),
            text=text,
            pos=start,
            limit="number_digits",
            hint=f"a number may take at most {MAX_INTEGER_DIGITS:,} digits written without an exponent",
        ) from None


# --------------------------------------------------------------------------- builders


class _Items(list[Any]):
    """A comma-separated list under construction."""


class _OpChain(list[Any]):
    """A binary-operator list under construction: operand, operator token, operand, ...
    (mutable, so long lists stay linear); `_resolve` shapes it by precedence."""

    __slots__ = ("end", "start")

    def __init__(self, first: Any, start: int) -> None:
        super().__init__((first,))
        self.start = start
        self.end = start


_BINARY_OPS = {op.name: (op, op.precedence) for op in o.BinaryOp}  # by token kind, looked up once per module


def _resolve(chain: _OpChain, text: str, spanner: Spanner) -> o.Expr:
    """The tree of `a op b op c ...` by OData's precedence, each level left-associative;
    `and`/`or` runs become one n-ary [`Logical`][cwa_query.language.odata_ast.Logical]."""
    operands: list[o.Expr] = [_node(chain[0], text, spanner)]
    pending: list[tuple[o.BinaryOp, int]] = []
    for index in range(1, len(chain), 2):
        op, precedence = _BINARY_OPS[chain[index][0]]
        while pending and pending[-1][1] >= precedence:
            _reduce(operands, pending.pop()[0], chain, spanner)
        pending.append((op, precedence))
        operands.append(_node(chain[index + 1], text, spanner))
    while pending:
        _reduce(operands, pending.pop()[0], chain, spanner)
    return operands[0]


def _reduce(operands: list[o.Expr], op: o.BinaryOp, chain: _OpChain, spanner: Spanner) -> None:
    """`left op right` of the last two operands, in their place."""
    right = operands.pop()
    left = operands.pop()
    start = left.span.start if left.span is not None else chain.start
    end = right.span.end if right.span is not None else chain.end
    span = spanner(start, end)
    if op is _AND or op is _OR:
        items: list[o.Expr] = []
        for side in (left, right):
            if side.__class__ is o.Logical and side.op is op:
                items.extend(side.items)
            else:
                items.append(side)
        operands.append(o.Logical(op, tuple(items), span))
    else:
        _CHAINS.count += 1
        operands.append(o.Binary(op, left, right, span))


_AND, _OR = o.BinaryOp.AND, o.BinaryOp.OR


@dataclasses.dataclass(slots=True)
class _Step:
    """A path step waiting for its base: a name, `$count`, `$filter(...)`, a lambda or a call."""

    kind: str
    name: str = ""
    variable: str | None = None
    predicate: Any = None
    end: int = 0


def _node(value: Any, text: str, spanner: Spanner) -> o.Expr:
    """A finished expression from what the stack holds: a node, a chain or a raw token."""
    cls = value.__class__
    if cls is _OpChain:
        return _resolve(value, text, spanner)
    if cls is tuple:  # the grammar leaves only literals as tokens
        return literal_token(value, text, spanner)
    node: o.Expr = value
    return node


def _apply(base: o.Expr | None, step: _Step | o.Call, span: ast.Span) -> o.Expr:
    if isinstance(step, o.Call):
        return ast.replace(step, base=base, span=span)
    if step.kind == "name":
        if isinstance(base, ast.Field) and not step.name.startswith("@"):
            return ast.Field(f"{base.name}.{step.name}", span)
        return o.Member(base, step.name, span)
    assert base is not None
    if step.kind == "count":
        return o.Count(base, step.predicate, span)
    if step.kind == "filter":
        return o.Filtered(base, step.predicate, span)
    return o.Lambda(base, step.name, step.variable, step.predicate, span)


def _canonical_call(name: str, args: tuple[o.Argument, ...], token: _Token, end: int, text: str) -> str:
    canonical = _CANONICAL_BY_LOWER.get(name.lower())
    if canonical is None:
        return name
    low, high = CANONICAL_FUNCTIONS[canonical]
    example = _CALL_EXAMPLES.get(canonical)

    def error(description: str, hint: str | None = None) -> ConditionSyntaxError:
        return ConditionSyntaxError(description, text=text, pos=token[2], end_pos=end, hint=hint)

    if not low <= len(args) <= high:
        want = str(low) if low == high else f"{low} or {high}" if high < 100 else f"at least {low}"
        plural = "" if want == "1" else "s"
        raise error(f"{canonical}() takes {want} argument{plural}, not {len(args)}", example)
    for arg in args:
        if isinstance(arg, o.CasePair) and canonical != "case":
            raise error(f"'condition:value' pairs belong to case(), not {canonical}()")
        if isinstance(arg, o.NamedArgument):
            raise error(f"{canonical}() takes its arguments by position, not by name", example)
        if canonical == "case" and not isinstance(arg, o.CasePair):
            raise error("case() takes 'condition:value' pairs", "write `case(Price gt 10:'high',true:'low')`")
    return canonical


_CALL_EXAMPLES = {
    "contains": "write `contains(Name,'text')`",
    "startswith": "write `startswith(Name,'text')`",
    "endswith": "write `endswith(Name,'text')`",
    "substring": "write `substring(Name,1)` or `substring(Name,1,3)`",
    "indexof": "write `indexof(Name,'text') eq 0`",
    "concat": "write `concat(First,Last)`",
    "length": "write `length(Name) gt 3`",
}


class _ChainCount(threading.local):
    """How many operator and path nodes the parse in this thread has built, and how many
    calls of a name that is no canonical function (only those need `_check_functions`)."""

    count = 0
    unknown_calls = 0


_CHAINS = _ChainCount()


def _builders() -> dict[str, Callable[..., Any]]:
    # Each builder gets (children, text, spanner, start, end) exactly as the rule lists its
    # symbols: tokens, nodes, chains, steps or item lists.
    node = _node

    def link(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _OpChain:
        chain = ch[0] if ch[0].__class__ is _OpChain else _OpChain(ch[0], start)
        chain.append(ch[1])
        chain.append(ch[2])
        chain.end = end
        return chain

    def unary(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        op = o.UnaryOp.NOT if ch[0][0] == "NOT" else o.UnaryOp.NEG
        return o.Unary(op, node(ch[1], text, spanner), spanner(start, end))

    def in_(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        _CHAINS.count += 1
        return o.In(node(ch[0], text, spanner), node(ch[2], text, spanner), spanner(start, end))

    def has(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        _CHAINS.count += 1
        return o.Binary(o.BinaryOp.HAS, node(ch[0], text, spanner), node(ch[2], text, spanner), spanner(start, end))

    def literals(items: list[Any], text: str, spanner: Spanner) -> tuple[o.ODataLiteral, ...]:
        # The grammar admits literals only.
        return tuple([node(item, text, spanner) for item in items])  # type: ignore[misc]

    def empty_list(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return o.ListValue((), spanner(start, end))

    def literal_list(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return o.ListValue(literals([ch[1], *ch[3]], text, spanner), spanner(start, end))

    def single_list(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        inner = ch[1]
        if isinstance(inner, tuple):  # a lone literal: a list of one (and a parenthesised literal)
            return o.ListValue(literals([inner], text, spanner), spanner(start, end))
        return node(inner, text, spanner)

    def first_item(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _Items:
        return _Items([ch[0]])

    def next_item(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _Items:
        items: _Items = ch[0]
        items.append(ch[2])
        return items

    def group(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> Any:
        inner = ch[1]
        return _resolve(inner, text, spanner) if isinstance(inner, _OpChain) else inner

    def member(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        _CHAINS.count += 1
        return _apply(node(ch[0], text, spanner), ch[2], spanner(start, end))

    def cast_member(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        _CHAINS.count += 2
        cast = o.Member(node(ch[0], text, spanner), ch[2][1], spanner(start, ch[2][3]))
        return _apply(cast, ch[4], spanner(start, end))

    def field(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return ast.Field(ch[0][1], spanner(start, end))

    def cast_head(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return _apply(o.Member(None, ch[0][1], spanner(start, ch[0][3])), ch[2], spanner(start, end))

    def variable(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return o.Variable(ch[0][1], spanner(start, end))

    def root(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return _apply(o.Variable("$root", spanner(start, ch[0][3])), ch[2], spanner(start, end))

    def alias(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        return o.Alias(ch[0][1][1:], spanner(start, end))

    def cast(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        kind = o.Cast if ch[0][0] == "CAST" else o.IsOf
        if len(ch) == 4:
            return kind(ch[2], None, spanner(start, end))
        return kind(ch[4], node(ch[2], text, spanner), spanner(start, end))

    def type_name(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> str:
        if len(ch) == 1:
            return str(ch[0][1])
        return f"Collection({ch[2][1]})"

    def name(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _Step:
        return _Step("name", ch[0][1], end=end)

    def count(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _Step:
        predicate = node(ch[4], text, spanner) if len(ch) > 1 else None
        return _Step("count", predicate=predicate, end=end)

    def filter_segment(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _Step:
        return _Step("filter", predicate=node(ch[2], text, spanner), end=end)

    def lambda_(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> _Step:
        kind = ch[0][1].lower()
        if len(ch) == 3:
            return _Step("lambda", kind, end=end)
        return _Step("lambda", kind, variable=ch[2][1], predicate=node(ch[4], text, spanner), end=end)

    def call(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Call:
        token: _Token = ch[0]
        args: tuple[o.Argument, ...] = ()
        if len(ch) == 4:
            named = (o.NamedArgument, o.CasePair)
            args = tuple([item if isinstance(item, named) else node(item, text, spanner) for item in ch[2]])
        name = _canonical_call(token[1], args, token, end, text)
        if name not in CANONICAL_FUNCTIONS:
            _CHAINS.unknown_calls += 1
        return o.Call(name, args, None, spanner(start, end))

    def case_pair(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.CasePair:
        return o.CasePair(node(ch[0], text, spanner), node(ch[2], text, spanner), spanner(start, end))

    def named_argument(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.NamedArgument:
        return o.NamedArgument(ch[0][1], node(ch[2], text, spanner), spanner(start, end))

    def array(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        items = () if len(ch) == 2 else tuple(node(item, text, spanner) for item in ch[1])
        return o.Array(items, spanner(start, end))

    def object_(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> o.Expr:
        members = () if len(ch) == 2 else tuple(ch[1])
        return o.Object(members, spanner(start, end))

    def json_member(ch: list[Any], text: str, spanner: Spanner, start: int, end: int) -> tuple[str, o.Expr]:
        key = literal_token(ch[0], text, spanner)
        assert isinstance(key, ast.String)
        return (key.value, node(ch[2], text, spanner))

    return {
        "link": link,
        "prefix": unary,
        "in_": in_,
        "has": has,
        "empty_list": empty_list,
        "literal_list": literal_list,
        "single_list": single_list,
        "first_item": first_item,
        "next_item": next_item,
        "group": group,
        "member": member,
        "cast_member": cast_member,
        "field": field,
        "cast_head": cast_head,
        "variable": variable,
        "root": root,
        "alias": alias,
        "cast": cast,
        "isof": cast,
        "type_name": type_name,
        "name": name,
        "count": count,
        "filter_segment": filter_segment,
        "lambda_": lambda_,
        "call": call,
        "case_pair": case_pair,
        "named_argument": named_argument,
        "array": array,
        "object": object_,
        "json_member": json_member,
    }


# --------------------------------------------------------------------------- the grammar


def _tokens(text: str, *, raise_errors: bool = True) -> list[_Token]:
    """Every token of `text` (keywords re-typed, spaces left out); at a character no
    terminal matches, a lex error (or, with `raise_errors=False`, the tokens so far)."""
    tables = ODATA.tables
    out: list[_Token] = []
    for match in tables.lexer.finditer(text):
        name = match.lastgroup
        if name in tables.ignore:
            continue
        if name == "_ERROR":
            if raise_errors:
                raise _lex_error(text, match.start(), out)
            break
        out.append((tables.kind(name, match.group()), match.group(), match.start(), match.end()))
    return out


def lex_odata(text: str) -> list[tuple[str, str, int, int]]:
    """The tokens of `text` as `(kind, text, start, end)`, keywords re-typed, spaces left out.

    >>> [kind for kind, *_ in lex_odata("Name eq 'x'")]
    ['FIELD', 'EQ', 'STRING']
    """
    return _tokens(text)


def _finish(value: Any, spanner: Spanner) -> Any:
    return value


def _syntax_error_hook(failure: ParseFailure) -> ConditionSyntaxError:
    text = failure.text
    pos = failure.token[2]
    tokens = [token for token in _tokens(text, raise_errors=False) if token[2] < pos]
    index = len(tokens)
    tokens.append(failure.token)
    tokens.extend(token for token in _tokens(text[failure.token[3] :], raise_errors=False)[:2])
    return _parse_error(text, tokens, index, failure.values, expected_terminals(failure.tables, text, pos))


def _lex_error_hook(tables: Tables, text: str, pos: int) -> ConditionSyntaxError:
    return _lex_error(text, pos, [token for token in _tokens(text, raise_errors=False) if token[3] <= pos])


ODATA = Grammar("odata", _builders(), finish=_finish, syntax_error=_syntax_error_hook, lex_error=_lex_error_hook)
"""`grammar/odata.lark` with its callbacks and hints, on the shared driver."""


def _drive(text: str, limits: ParseLimits) -> o.Expr:
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the filter as str, not {type(text).__name__}")
    _CHAINS.count = 0
    _CHAINS.unknown_calls = 0
    value = ODATA.parse(text, limits)
    result = _node(value, text, make_spanner(text))
    # Nesting symbols are bounded by the driver; only operator and path chains
    # (`1 add 1 add ...`, `a/@b/@c`) can nest further, one level per chained node.
    if _CHAINS.count >= limits.max_depth:
        _check_limits(result, text, limits)
    if _CHAINS.unknown_calls:  # a walk of the whole tree, for what only such a call can break
        _check_functions(result, text)
    if text[:1].isspace() or text[-1:].isspace():
        at = 0 if text[:1].isspace() else len(text.rstrip())
        raise ConditionSyntaxError(
            f"white space {'before' if at == 0 else 'after'} the expression",
            text=text,
            pos=at,
            end_pos=at + 1,
            hint="the ABNF's commonExpr neither starts nor ends with white space (`$filter= true` is refused): "
            "strip it",
        )
    return result


_KEY_VALUES = (ast.String, ast.Integer, ast.Decimal, ast.Boolean, ast.DateTime, o.Guid, o.Duration, o.TimeOfDay,
               o.EnumValue, o.SpecialNumber, o.BinaryData, o.Alias)  # fmt: skip


def _check_functions(tree: o.Expr, text: str) -> None:
    """Refuse a call with positional arguments of a name that is no canonical function: the
    ABNF passes a service function its parameters by name (`f(p=1)`), and a key predicate
    (`Items(1)`) holds one literal; `substringof` is OData 2's."""
    stack: list[o.Expr] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, o.Call) and node.base is None and node.name not in CANONICAL_FUNCTIONS:
            positional = [arg for arg in node.args if not isinstance(arg, (o.NamedArgument, o.CasePair))]
            key_predicate = len(node.args) == 1 and isinstance(node.args[0], _KEY_VALUES)  # `Items(1)/Name`
            if positional and not key_predicate:
                span = node.span or ast.Span(0, len(text))
                hint = (
                    "OData 4 has no substringof (OData 2's): write `contains(Name,'text')`"
                    if node.name.lower() == "substringof"
                    else "the canonical functions are "
                    + ", ".join(sorted(CANONICAL_FUNCTIONS)[:8])
                    + ", ...; a service function takes its parameters by name: `Namespace.F(p=1)`"
                )
                raise ConditionSyntaxError(
                    f"unknown function {node.name}()", text=text, pos=span.start, end_pos=span.end, hint=hint
                )
        stack.extend(o.children(node))


def _check_limits(tree: o.Expr, text: str, limits: ParseLimits) -> None:
    """Refuse trees deeper than `max_depth` (operator chains too) or lists over `max_in_values`
    (the driver bounds the parentheses open at once and the commas of one list already)."""
    stack: list[tuple[o.Expr, int]] = [(tree, 1)]
    while stack:
        current, level = stack.pop()
        pos = current.span.start if current.span else 0
        if level > limits.max_depth:
            levels = f"{limits.max_depth} level{'' if limits.max_depth == 1 else 's'}"
            raise ConditionLimitError(
                f"the filter nests deeper than {levels} (max_depth={limits.max_depth})",
                text=text,
                pos=pos,
                limit="max_depth",
                hint="flatten the filter, or raise ParseLimits.max_depth",
            )
        if isinstance(current, (o.ListValue, o.Array)) and len(current.items) > limits.max_in_values:
            raise ConditionLimitError(
                f"a list holds more than {limits.max_in_values:,} values (max_in_values)",
                text=text,
                pos=pos,
                limit="max_in_values",
                hint="split the list into several queries, or raise ParseLimits.max_in_values",
            )
        stack.extend((child, level + 1) for child in o.children(current))


def _is_boolean(node: o.Expr) -> bool:
    """False only for what can never be a Boolean (a number, text, arithmetic, a list ...)."""
    if isinstance(node, (o.Logical, o.In, o.Lambda, o.IsOf, ast.Boolean, ast.Null)):
        return True
    if isinstance(node, o.Binary):
        return not node.op.is_arithmetic
    if isinstance(node, o.Unary):
        return node.op is o.UnaryOp.NOT
    if isinstance(node, o.Call):
        return node.name not in CANONICAL_FUNCTIONS or node.name in BOOLEAN_FUNCTIONS or node.name == "case"
    return isinstance(node, (ast.Field, o.Member, o.Variable, o.Alias, o.Cast))


def parse_expression(text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> o.Expr:
    """Parse any OData common expression (`commonExpr`): `Price add 2`, `concat(A,B)`, ...

    >>> parse_expression("Price add 2.45")  # doctest: +ELLIPSIS
    Binary(op=<BinaryOp.ADD: 'add'>, left=Field(name='Price'), right=Decimal(value=Decimal('2.45')))
    """
    return _drive(text, limits)


def parse_filter(text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> o.Expr:
    """Parse a `$filter` value (`boolCommonExpr`): an expression that can be a Boolean.

    >>> parse_filter("Client/Name eq 'Acme' and contains(Name,'SRV')")  # doctest: +ELLIPSIS
    Connective(op=<BinaryOp.AND: 'and'>, items=(Binary(op=<BinaryOp.EQ: 'eq'>, left=Field(name='Client.Name'), ...
    """
    tree = _drive(text, limits)
    if not _is_boolean(tree):
        span = tree.span or ast.Span(0, len(text))
        raise ConditionSyntaxError(
            f"a $filter must be a Boolean expression, not {_kind_words(tree)}",
            text=text,
            pos=span.start,
            end_pos=span.end,
            hint="compare it with something: `... eq value`, `... gt value`",
        )
    return tree


def _kind_words(node: o.Expr) -> str:
    if isinstance(node, o.Binary):
        return f"arithmetic ({node.op.value})"
    if isinstance(node, o.Unary):
        return "a negated number"
    if isinstance(node, o.Call):
        return f"a call of {node.name}()"
    if isinstance(node, (o.Array, o.ListValue)):
        return "a list"
    if isinstance(node, o.Object):
        return "an object"
    return "a literal"


_NAIVE_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?![\d:.Zz+-])")
_OPTION_RE = re.compile(r"\$?filter=", re.IGNORECASE)


def parse_filter_option(text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> o.Expr:
    """Parse a whole query option `$filter=...` (or `filter=...`, the `$` being optional in 4.01).

    As the ABNF says, no space may stand around `=` or before the expression.

    >>> parse_filter_option("$filter=Price lt 5")  # doctest: +ELLIPSIS
    Binary(op=<BinaryOp.LT: 'lt'>, left=Field(name='Price'), right=Integer(value=5))
    """
    match = _OPTION_RE.match(text)
    if match is None:
        raise ConditionSyntaxError(
            "not a $filter query option",
            text=text,
            pos=0,
            expected=("'$filter='",),
            hint="write `$filter=` and the expression, with no spaces around '='",
        )
    body = text[match.end() :]
    if body[:1].isspace():
        raise ConditionSyntaxError(
            "space after '$filter='", text=text, pos=match.end(), hint="the expression starts right after '='"
        )
    try:
        return parse_filter(body, limits=limits)
    except ConditionSyntaxError as exc:
        if type(exc) is ConditionLimitError:
            raise
        raise ConditionSyntaxError(
            exc.description,
            text=text,
            pos=exc.pos + match.end(),
            end_pos=exc.end_pos + match.end(),
            expected=exc.expected,
            hint=exc.hint,
        ) from None


# --------------------------------------------------------------------------- errors


def _naive_datetime_error(text: str, pos: int) -> ConditionSyntaxError | None:
    stamp = _NAIVE_DATETIME_RE.search(text, max(0, pos - 12))
    if stamp is None or not stamp.start() <= pos < stamp.end():
        return None
    return ConditionSyntaxError(
        f"date-time without an offset {stamp.group()!r}",
        text=text,
        pos=stamp.start(),
        end_pos=stamp.end(),
        hint=f"OData date-times carry an offset: write {stamp.group()}Z (UTC) or {stamp.group()}+hh:mm",
    )


_TYPED_PREFIX_RE = re.compile(r"(?i)(duration|binary|geography|geometry)'")
_TYPED_HINTS = {
    "duration": "a duration is duration'[-]PnDTnHnMn.nS': days, hours, minutes and seconds "
    "(no years or months: P1Y or P2M are not durations; write them as days, e.g. duration'P365D')",
    "binary": "binary'...' holds base64url text: A-Z, a-z, 0-9, '-' and '_', padded with '='",
    "geography": "a spatial literal is geography'SRID=4326;Point(lon lat)' (or LineString, Polygon, ...)",
    "geometry": "a spatial literal is geometry'SRID=0;Point(x y)' (or LineString, Polygon, ...)",
}
# OData 2 and 3 spelt these literals with a prefix; OData 4 writes them bare.
_VERSION3_PREFIXES = {
    "guid": "a GUID is written bare: {value}",
    "datetime": "a date-time is written bare, with an offset: {value}Z or {value}+hh:mm",
    "datetimeoffset": "a date-time is written bare: {value}",
    "date": "a date is written bare: {value}",
    "time": "a time of day is written bare (13:45:00); a duration as duration'{value}'",
    "x": "binary data is written binary'...' in base64url",
}


def _lex_error(text: str, pos: int, before: list[_Token]) -> ConditionSyntaxError:
    char = text[pos]
    pair = text[pos : pos + 2]

    def error(
        description: str, hint: str | None, width: int = 1, expected: tuple[str, ...] = ()
    ) -> ConditionSyntaxError:
        return ConditionSyntaxError(description, text=text, pos=pos, end_pos=pos + width, expected=expected, hint=hint)

    if (
        char == "'"
        and len(before) >= 2
        and before[-1][0] == "FIELD"
        and before[-1][3] == pos
        and before[-2][0] == "STRING"
        and before[-2][3] == before[-1][2]
    ):
        return _unescaped_quote(text, before[-2], before[-1])
    if char == "'":
        start = pos
        if before and before[-1][0] == "STRING" and before[-1][3] >= pos - 1:
            start = before[-1][2]
        return ConditionSyntaxError(
            "unterminated string",
            text=text,
            pos=start,
            end_pos=len(text),
            hint="the quote here opens a string that is never closed: close it with ' "
            "(a ' inside a string is written twice: '')",
        )
    if char == '"':
        return error(
            "unterminated double-quoted string", "OData strings are in single quotes: 'text' ('' for a quote inside)"
        )
    operators = {"==": "eq", "!=": "ne", ">=": "ge", "<=": "le", "<>": "ne", "&&": "and", "||": "or"}
    if pair in operators:
        word = operators[pair]
        return error(
            f"unexpected {pair!r}", f"OData writes operators as words: use '{word}' for '{pair}'", 2, (f"'{word}'",)
        )
    singles = {">": "gt", "<": "lt", "&": "and", "|": "or", "!": "not", "+": "add", "*": "mul", "%": "mod"}
    if char in singles:
        word = singles[char]
        return error(
            f"unexpected {char!r}", f"OData writes operators as words: use '{word}' for '{char}'", 1, (f"'{word}'",)
        )
    naive = _naive_datetime_error(text, pos)
    if naive is not None:
        return naive
    typed = _TYPED_PREFIX_RE.match(text, pos)
    if typed is not None:
        kind = typed.group(1).lower()
        closing = text.find("'", typed.end())
        width = (closing + 1 if closing >= 0 else len(text)) - pos
        return error(f"malformed {kind} literal {text[pos : pos + width]!r}", _TYPED_HINTS[kind], width)
    if char.isdigit() or char == "-":
        found = re.match(r"-?[\w.:+-]+", text[pos:])
        word = found.group() if found else char
        hint = (
            "numbers are written 42, -7, 3.14 or 1e5; dates YYYY-MM-DD; date-times YYYY-MM-DDThh:mm:ssZ "
            "(an offset Z or +hh:mm is required); GUIDs 8-4-4-4-12 hex digits"
        )
        return error(f"malformed number or date {word!r}", hint, len(word))
    return error(f"unexpected character {char!r}", None if char.isspace() else "quote text values: 'my value'")


def _unescaped_quote(text: str, string: _Token, rest: _Token) -> ConditionSyntaxError:
    """'O'Neil': the `string` closed early at the ' inside it, and the word `rest` follows."""
    closed = text[rest[3] : rest[3] + 1] == "'"
    fixed = string[1][:-1] + "''" + rest[1] + ("'" if closed else "...'")
    return ConditionSyntaxError(
        "unescaped ' inside a string",
        text=text,
        pos=string[3] - 1,
        end_pos=rest[3] + (1 if closed else 0),
        hint=f"a ' inside a string is written twice: {fixed}",
    )


def _open_bracket(tokens: list[_Token], index: int) -> _Token | None:
    pairs = {"RPAR": "LPAR", "RBRACKET": "LBRACKET", "RBRACE": "LBRACE"}
    depth = 0
    for token in reversed(tokens[:index]):
        if token[0] in pairs:
            depth += 1
        elif token[0] in pairs.values():
            if depth == 0:
                return token
            depth -= 1
    return None


def _parse_error(
    text: str, tokens: list[_Token], index: int, values: list[Any], expected: set[str]
) -> ConditionSyntaxError:
    kind, raw, pos, end = tokens[index]
    naive = _naive_datetime_error(text, pos)
    if naive is not None:
        return naive
    previous = tokens[index - 1] if index else None
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    description = "unexpected end of filter" if kind == "$END" else describe_token(kind, raw, _NOUNS)
    hint: str | None = None
    wants_operand = "FIELD" in expected
    after_operand = bool(expected & {"EQ", "AND", "OR", "$END", "RPAR"}) and not wants_operand

    if kind == "$END" and index == 0:
        return ConditionSyntaxError(
            "the filter is empty",
            text=text,
            pos=pos,
            expected=("an expression",),
            hint="write a comparison such as `Status eq 'Online'`; to fetch everything, send no $filter",
        )
    if kind == "ASSIGN":
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following[0] == "ASSIGN":  # `==`
            following = tokens[index + 2] if index + 2 < len(tokens) else None
        value = following[1] if following is not None and following[0] != "$END" else "value"
        shown = value if len(value) <= 30 else value[:27] + "..."
        hint = f"OData compares with words: write `{_subject(tokens, index)} eq {shown}`"
    elif kind == "JSON_STRING":
        inner = literal_token(tokens[index], text, make_spanner(text))
        assert isinstance(inner, ast.String)
        quoted = "'" + inner.value.replace("'", "''") + "'"
        hint = f"OData strings are in single quotes: write {quoted}"
    elif kind == "QNAME" or (previous is not None and previous[0] == "QNAME" and kind != "SLASH"):
        name_token = tokens[index] if kind == "QNAME" else previous
        assert name_token is not None
        dot = name_token[2] + name_token[1].find(".")  # the caret goes under the '.', not the next token
        return ConditionSyntaxError(
            "unexpected '.' in a path",
            text=text,
            pos=dot,
            end_pos=dot + 1,
            expected=("'/'",),
            hint=f"OData paths use '/', not '.': write `{name_token[1].replace('.', '/')}` "
            "(a dotted name is a namespace-qualified type or function)",
        )
    elif (
        kind == "STRING"
        and previous is not None
        and previous[0] == "FIELD"
        and previous[3] == pos
        and previous[1].lower() in _VERSION3_PREFIXES
    ):
        hint = "OData 4 drops the " + previous[1] + "'...' prefix of OData 2 and 3: "
        hint += _VERSION3_PREFIXES[previous[1].lower()].format(value=raw[1:-1].replace("''", "'"))
    elif kind == "FIELD" and after_operand and previous is not None and previous[0] == "STRING" and previous[3] == pos:
        return _unescaped_quote(text, previous, tokens[index])
    elif kind == "FIELD" and after_operand and raw.lower() == "like":
        subject = _subject(tokens, index)
        hint = (
            "OData has no 'like': use startswith, endswith or contains, "
            f"e.g. `startswith({subject},'x')` for like 'x%', `contains({subject},'x')` for like '%x%'"
        )
    elif kind == "FIELD" and after_operand and raw.lower() in ("contains", "startswith", "endswith"):
        subject = _subject(tokens, index)
        hint = f"OData writes {raw.lower()} as a function: `{raw.lower()}({subject},'x')`"
    elif kind == "FIELD" and after_operand and raw.lower() in ("is", "isnull", "between", "=="):
        hint = "compare with null using 'eq null' / 'ne null'; ranges with 'ge ... and ... le'"
    elif kind == "FIELD" and after_operand:
        hint = "join conditions with 'and' or 'or'; quote text values: 'my value'"
    elif kind == "FIELD" and not wants_operand and expected & {"STRING", "ENUM"}:
        hint = f"the right of 'has' is an enumeration literal: Namespace.Type'{raw}'"
    elif (
        kind in _OPERATOR_TERMINALS | {"AND", "OR"}
        and wants_operand
        and previous is not None
        and previous[0] in _OPERATOR_TERMINALS | {"AND", "OR", "NOT"}
    ):
        hint = f"'{raw}' is an operator: it cannot stand right after '{previous[1]}'"
    elif (
        kind in _OPERATOR_TERMINALS | {"AND", "OR", "NOT", "TRUE", "FALSE"}
        and wants_operand
        and following is not None
        and following[0] in ("SLASH",)
    ):
        hint = f"'{raw}' is a keyword; it cannot be used as a property name here"
    elif kind == "$END" and wants_operand and previous is not None and previous[0] == "COMMA":
        hint = "the list ends with ',': add a value, or remove the comma"
    elif kind == "RPAR" and wants_operand and previous is not None and previous[0] == "COMMA":
        hint = "a trailing ',': remove it"
    elif kind == "$END" and wants_operand:
        hint = "the expression is cut short: add the operand, e.g. `Status eq 'Online'`"
    elif kind == "$END" and expected & {"RPAR", "RBRACKET", "RBRACE"}:
        opened = _open_bracket(tokens, index)
        if opened is not None:
            where = make_spanner(text)(opened[2], opened[3])
            closer = {"LPAR": ")", "LBRACKET": "]", "LBRACE": "}"}[opened[0]]
            hint = f"the '{opened[1]}' at line {where.line}, column {where.column} is never closed: add '{closer}'"
            description = f"missing '{closer}'"
    elif kind == "RPAR" and "RPAR" not in expected and _open_bracket(tokens, index) is None:
        description = "unmatched ')'"
        hint = "this ')' closes no '(': remove it or add the '(' it belongs to"
    elif kind == "COMMA" and previous is not None and expected & {"RPAR"} and "COMMA" not in expected:
        hint = "only primitive literals may be listed in '(...)' after 'in' (a list of properties is not allowed)"
    elif kind == "LPAR" and previous is not None and previous[0] == "FIELD" and previous[3] < pos:
        hint = f"no space may stand between a function name and '(': write `{previous[1]}(`"
    elif kind in ("ANY", "ALL"):
        hint = f"{raw}() follows a collection path: `Tags/{raw.lower()}(t: t eq 'x')`"
    elif (
        kind == "RPAR"
        and previous is not None
        and previous[0] == "LPAR"
        and values
        and isinstance(values[-2] if len(values) > 1 else None, tuple)
        and values[-2][0] == "ALL"
    ):
        hint = "all() needs a lambda: `Tags/all(t: t ne 'x')`"
    return ConditionSyntaxError(
        description, text=text, pos=pos, end_pos=end, expected=_expected_words(expected), hint=hint
    )


def _subject(tokens: list[_Token], index: int) -> str:
    """The path just before `tokens[index]`, as written (for hints)."""
    parts: list[str] = []
    for kind, raw, *_ in reversed(tokens[:index]):
        if kind in ("FIELD", "SLASH", "QNAME"):
            parts.append(raw.replace(".", "/"))
        else:
            break
    return "".join(reversed(parts)) or "Name"


def keyword_kinds() -> frozenset[str]:
    """The names of the keyword terminals (reserved words) of the OData grammar."""
    return ODATA.keyword_kinds()
