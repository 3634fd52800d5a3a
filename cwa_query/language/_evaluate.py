"""Evaluate a condition against a record in Python, as the server's MySQL backend would.

[`evaluate`][cwa_query.evaluate] answers one record;
[`compile_predicate`][cwa_query.compile_predicate] compiles a condition once into a plain
function, for many records (the sandbox server filters up to 50,000 per request with it).

>>> from cwa_query import evaluate
>>> evaluate("Client.Id = 5 and Name like 'srv%'", {"Client": {"Id": 5}, "Name": "SRV-01"})
True

Semantics (the SQL of [`to_sql`][cwa_query.to_sql] follows exactly the same rules):

* **Paths.** `Client.Id` walks nested mappings; a key missing in exact case is looked up
  ignoring ASCII case (as the server and SQLite treat names). A path through a list fans
  out: the predicate holds when it holds for **any** element (an empty list: for none, so
  it is false). A list at the end of the path is a set of members: `Tags = 'x'` and
  `Tags contains 'x'` test membership, `Users.Name contains 'x'` tests each name for the
  substring.
* **Negated operators** (`!=`, `not like`, `not in`, `not contains`) are exactly `not` of
  their positive form, lists included: `Tags not contains 'x'` means the list does not hold
  `'x'`; `Tags != 'x'` means no element equals `'x'`. So `to_dialect`'s pushing of a prefix
  `not` into `!=`/`not in`/`not like`/`not contains` never changes the result. (Ordering
  operators over a list are "some element": `not (Ports < 10)` and `Ports >= 10` differ on
  `[5, 20]`.)
* **Unknown.** A missing field, `None`, NaN, a mapping, or a comparison between kinds that
  do not convert is *unknown*. `and`/`or`/`not` follow Kleene's three-valued logic and a
  record is accepted only when the whole condition is true (as SQL's `WHERE`): so both
  `x = 1` and `x != 1` reject a record without `x`.
* **Null** (the `null` literal of the dialects that have one, e.g. `manage`): `x = null` is
  true where `x` is missing, `None` or NaN (through a list: where any value is), false
  elsewhere, never unknown; `x != null` is its negation; `x in (1, null)` is
  `x = 1 or x = null`. Any other operator with `null` is unknown.
* **Text** comparisons (`=`, `!=`, ordering, `in`, `like`, `contains`, `startswith`,
  `endswith`) ignore the case of ASCII letters only (`'É'` and `'é'` differ); ordering is
  by code point after folding.
* **Numbers** (`int`, `float`, `Decimal`, and `bool` as 1/0, as MySQL's `TINYINT(1)`)
  compare numerically and exactly: a `float` stands for its shortest decimal form (`0.1`
  is `0.1`, as JSON writes it). `true`/`false` literals are the numbers 1 and 0.
* **Date-times** compare as instants; a naive one is UTC; a `date` (value or literal
  `2024-02-14`) is its midnight UTC. Text in the storage normal form of
  [`instant_text`][cwa_query.language._evaluate.instant_text]
  (`2024-02-14T00:00:00.000000+00:00`, exactly 32 characters) *is* a date-time, because
  that is how SQL stores one. **Records as the API returns them:** JSON has no date type, so
  a fetched record holds ISO-8601 text (`"2023-06-01T10:00:00"`, with or without `Z`, an
  offset `+02:00` up to 14 hours, or a fraction); such text compared with a date-time
  *literal* (`2024-01-01`, `2024-01-01T00:00:00Z`) compares as an instant (see
  `record_instant`). Compared with a string
  literal, text stays text; a field the schema types as date-time turns quoted ISO dates
  into date-time literals (`evaluate(..., schema=...)`, and translation from `seed`).
* **Conversions.** A string literal against a number converts when it is a plain decimal
  (`-?[0-9]+(.[0-9]+)?`), against a date-time when it is an ISO date as the language
  writes it (`'2024-02-14'`, `'2024-02-14T10:00:00Z'`); a text field against a number
  literal converts the same way. When no conversion applies the comparison is unknown:
  `Id = 5` is true for `5` and `'5'`, unknown for `'five'`.
* **Text operators** (`like`, `contains`, `startswith`, `endswith`) apply to text and to
  date-times (in their normal form text); on numbers and booleans they are unknown. A
  non-string literal is matched as its text (`Ports contains 443`).
* **LIKE**: `%` any run, `_` any one character, a backslash makes the next character
  literal (a trailing backslash is itself). Matching never backtracks exponentially.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from ..dialects import DialectLike, FieldTypes, Schemas
from ..errors import ConditionError
from . import ast
from ._parser import parse
from ._render import as_node
from .literals import instant_text, match_text, record_instant, text_instant, text_number, utc_instant
from .paths import MISSING, ascii_lower, lookup

if TYPE_CHECKING:
    from .builder import Condition

__all__ = [
    "MAX_EVALUATE_DEPTH",
    "Predicate",
    "Truth",
    "compile_predicate",
    "compile_truth",
    "evaluate",
    "condition_tree",
    "instant_text",
    "record_instant",
    "truth",
]

Truth = bool | None
"""`True`, `False`, or `None` for unknown."""

Predicate = Callable[[Mapping[str, Any]], bool]
Expression = Union[ast.Node, "Condition", str]

_UTC = _dt.UTC
MAX_EVALUATE_DEPTH = 400
"""Trees deeper than this many logical levels are refused by the evaluator and `to_sql`."""
_INSTANT_TEXT_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00")
_INSTANT_TEXT_LEN = 32


# --------------------------------------------------------------------------- conversions


def _float_number(value: float) -> _decimal.Decimal:
    return _decimal.Decimal(repr(value))


@dataclass(frozen=True, slots=True)
class LiteralView:
    """A literal as each kind of field value sees it (`None`: no conversion, unknown).

    * `text`: ASCII-lowered text, for text fields (string literals only);
    * `number`: for numbers and numeric text;
    * `instant` / `instant_text`: for date-times, as an aware UTC value and its normal form;
    * `match_text`: the text that `like`/`contains`/... match (the literal as written).
    """

    text: str | None
    number: int | _decimal.Decimal | None
    instant: _dt.datetime | None
    instant_text: str | None
    match_text: str


def literal_view(literal: ast.Literal) -> LiteralView:
    """How `literal` compares with text, numbers and date-times (shared with the SQL translation)."""
    if isinstance(literal, ast.String):
        value = literal.value
        instant = text_instant(value)
        itext = instant.isoformat(timespec="microseconds") if instant is not None else None
        return LiteralView(ascii_lower(value), text_number(value), instant, itext, value)
    if isinstance(literal, ast.DateTime):
        try:
            instant = utc_instant(literal.value)
        except OverflowError:
            raise ConditionError(
                f"the date-time {literal.value.isoformat()} falls outside years 1-9999 in UTC and cannot be compared"
            ) from None
        return LiteralView(None, None, instant, instant.isoformat(timespec="microseconds"), match_text(literal))
    if isinstance(literal, ast.Boolean):
        return LiteralView(None, int(literal.value), None, None, match_text(literal))
    if isinstance(literal, ast.Integer):
        return LiteralView(None, literal.value, None, None, match_text(literal))
    if isinstance(literal, ast.Decimal):
        if not literal.value.is_finite():
            raise ConditionError(f"the number {literal.value} cannot be compared")
        return LiteralView(None, literal.value, None, None, match_text(literal))
    raise TypeError(f"not a literal: {literal!r}")


# --------------------------------------------------------------------------- scalars

_TEXT, _INSTANT_TEXT, _NUMBER, _INSTANT = 0, 1, 2, 3


def _scalar(value: Any) -> tuple[int, Any] | None:
    """The kind of a field value and its comparable form, or `None` (unknown)."""
    kind = type(value)
    if kind is str:
        if len(value) == _INSTANT_TEXT_LEN and _INSTANT_TEXT_RE.fullmatch(value):
            return (_INSTANT_TEXT, value)
        return (_TEXT, value)
    if kind is int or kind is bool:
        return (_NUMBER, value)
    if kind is float:
        return None if value != value else (_NUMBER, _float_number(value))
    if kind is _dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            return (_INSTANT, value.replace(tzinfo=_UTC))
        return (_INSTANT, value)
    if kind is _decimal.Decimal:
        return None if value.is_nan() else (_NUMBER, value)
    if kind is _dt.date:
        return (_INSTANT, _dt.datetime(value.year, value.month, value.day, tzinfo=_UTC))
    if value is None:
        return None
    return _scalar_subclass(value)


def _scalar_subclass(value: Any) -> tuple[int, Any] | None:
    if isinstance(value, enum.Enum) and not isinstance(value, (str, int)):
        return _scalar(value.value)
    if isinstance(value, str):
        return _scalar(str.__str__(value))
    if isinstance(value, bool):
        return (_NUMBER, bool(value))
    if isinstance(value, int):
        return (_NUMBER, int(value))
    if isinstance(value, float):
        return _scalar(float(value))
    if isinstance(value, _decimal.Decimal):
        return _scalar(_decimal.Decimal(value))
    if isinstance(value, _dt.datetime):
        return (_INSTANT, utc_instant(value))
    if isinstance(value, _dt.date):
        return _scalar(_dt.date(value.year, value.month, value.day))
    return None


# --------------------------------------------------------------------------- tests of one value

Test = Callable[[Any], Truth]


def _by_kind(text: Test, number: Test, instant_text: Test, instant: Test) -> Test:
    """A test that hands each value, by its kind, to one of four (unknown values: `None`)."""
    handlers = {_TEXT: text, _NUMBER: number, _INSTANT_TEXT: instant_text, _INSTANT: instant}
    ordered = tuple(handlers[kind] for kind in range(len(handlers)))

    def test(value: Any) -> Truth:
        scalar = _scalar(value)
        return None if scalar is None else ordered[scalar[0]](scalar[1])

    return test


def _unknown(value: Any) -> Truth:
    return None


def _ordering_test(compare: Callable[[Any, Any], bool], view: LiteralView) -> Test:
    text, number, instant, itext = view.text, view.number, view.instant, view.instant_text

    def on_text(item: str) -> Truth:
        if text is not None:
            return compare(ascii_lower(item), text)
        parsed = text_number(item)
        return None if parsed is None else compare(parsed, number)

    def on_record_text(item: str) -> Truth:
        parsed = record_instant(item)
        return None if parsed is None else compare(parsed, instant)

    def against(literal: Any) -> Test:
        return _unknown if literal is None else lambda item: compare(item, literal)

    if text is not None or number is not None:
        text_test: Test = on_text
    elif instant is not None:  # a date-time literal: ISO text in a record is an instant
        text_test = on_record_text
    else:
        text_test = _unknown
    return _by_kind(text_test, against(number), against(itext), against(instant))


def _membership_test(views: Iterable[LiteralView]) -> Test:
    """`value = v1 or value = v2 or ...` in Kleene logic, with sets: fast for long lists."""
    views = list(views)
    texts = {v.text for v in views if v.text is not None}
    text_numbers = {v.number for v in views if v.text is None and v.number is not None}
    text_instants = {v.instant for v in views if v.text is None and v.number is None and v.instant is not None}
    text_unknown = any(v.text is None and v.number is None and v.instant is None for v in views)

    def on_text(item: str) -> Truth:
        if ascii_lower(item) in texts:
            return True
        result: Truth = None if text_unknown else False
        if text_numbers:
            parsed = text_number(item)
            if parsed is None:
                result = None
            elif parsed in text_numbers:
                return True
        if text_instants:  # date-time literals: ISO text in a record is an instant
            instant = record_instant(item)
            if instant is None:
                result = None
            elif instant in text_instants:
                return True
        return result

    def member_of(found: set[Any], unknown: bool) -> Test:
        return lambda item: True if item in found else (None if unknown else False)

    instant_unknown = any(v.instant is None for v in views)
    return _by_kind(
        on_text,
        member_of({v.number for v in views if v.number is not None}, any(v.number is None for v in views)),
        member_of({v.instant_text for v in views if v.instant_text is not None}, instant_unknown),
        member_of({v.instant for v in views if v.instant is not None}, instant_unknown),
    )


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


def _text_test(op: ast.Op, view: LiteralView) -> Test:
    needle = ascii_lower(view.match_text)
    check: Callable[[str], bool]
    if op is ast.Op.CONTAINS:

        def check(text: str) -> bool:
            return needle in text

    elif op is ast.Op.STARTSWITH:

        def check(text: str) -> bool:
            return text.startswith(needle)

    elif op is ast.Op.ENDSWITH:

        def check(text: str) -> bool:
            return text.endswith(needle)

    else:
        check = LikeMatcher(needle)

    def test(value: Any) -> Truth:
        if type(value) is str:
            return check(ascii_lower(value))
        scalar = _scalar(value)
        if scalar is None or scalar[0] == _NUMBER:
            return None
        kind, item = scalar
        if kind == _INSTANT:
            try:
                item = item.astimezone(_UTC).isoformat(timespec="microseconds")
            except OverflowError:
                return None
        return check(ascii_lower(item))

    return test


# --------------------------------------------------------------------------- paths


class _Many:
    """The values a path reaches through lists: `scalars` met on the way, `members` of a list at the end."""

    __slots__ = ("members", "scalars")

    def __init__(self, scalars: list[Any], members: list[Any] | tuple[Any, ...]) -> None:
        self.scalars = scalars
        self.members = members


_SEQUENCES = (list, tuple)


def _get(mapping: Any, key: str, folded: str) -> Any:
    value = lookup(mapping, key, folded)
    return None if value is MISSING else value


def _flat(items: list[Any] | tuple[Any, ...]) -> list[Any] | tuple[Any, ...]:
    """`items` with nested lists spliced in (the same object when there are none)."""
    for item in items:
        if isinstance(item, _SEQUENCES):
            break
    else:
        return items
    out: list[Any] = []
    stack: list[Iterator[Any]] = [iter(items)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, _SEQUENCES):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def _path_getter(field: ast.Field) -> Callable[[Any], Any]:
    steps = [(part, ascii_lower(part)) for part in field.parts]
    last = len(steps) - 1

    def slow(record: Any) -> _Many:
        values: list[Any] | tuple[Any, ...] = [record]
        for index, (key, folded) in enumerate(steps):
            values = [_get(v, key, folded) for v in values]
            if index < last:
                values = _flat(values)
        scalars: list[Any] = []
        members: list[Any] = []
        for value in values:
            if isinstance(value, _SEQUENCES):
                members.extend(_flat(value))
            else:
                scalars.append(value)
        return _Many(scalars, members)

    def get(record: Any) -> Any:
        value = record
        for key, folded in steps:
            if isinstance(value, _SEQUENCES):
                return slow(record)
            value = _get(value, key, folded)
        if isinstance(value, _SEQUENCES):
            return _Many([], _flat(value))
        return value

    if len(steps) == 1:
        key, folded = steps[0]

        def get_one(record: Any) -> Any:
            value = record.get(key, MISSING)
            if value is MISSING:
                value = _get(record, key, folded)
            if isinstance(value, _SEQUENCES):
                return _Many([], _flat(value))
            return value

        return get_one
    return get


# --------------------------------------------------------------------------- compiling

TruthFunction = Callable[[Mapping[str, Any]], Truth]


def _leaf(field: ast.Field, test: Test, member_test: Test) -> TruthFunction:
    get = _path_getter(field)

    def leaf(record: Mapping[str, Any]) -> Truth:
        value = get(record)
        if type(value) is _Many:
            result: Truth = False
            for item in value.scalars:
                answer = test(item)
                if answer:
                    return True
                if answer is None:
                    result = None
            for item in value.members:
                answer = member_test(item)
                if answer:
                    return True
                if answer is None:
                    result = None
            return result
        if value is None:
            return None
        return test(value)

    return leaf


def _negated(inner: TruthFunction) -> TruthFunction:
    def negated(record: Mapping[str, Any]) -> Truth:
        answer = inner(record)
        return None if answer is None else not answer

    return negated


_COMPARE = {ast.Op.GT: operator.gt, ast.Op.LT: operator.lt, ast.Op.GE: operator.ge, ast.Op.LE: operator.le}
_POSITIVE = {ast.Op.NE: ast.Op.EQ, ast.Op.NOT_CONTAINS: ast.Op.CONTAINS, ast.Op.NOT_LIKE: ast.Op.LIKE}


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, (float, _decimal.Decimal)) and value != value)


def _null_test(field: ast.Field) -> TruthFunction:
    """`field = null`: the value is missing, `None` or NaN (for a path through lists: any is)."""
    get = _path_getter(field)

    def is_null(record: Mapping[str, Any]) -> Truth:
        value = get(record)
        if type(value) is _Many:
            return any(_is_null(item) for item in value.scalars)
        return _is_null(value)

    return is_null


def _unknown_record(record: Mapping[str, Any]) -> Truth:
    return None


def _compile_compare(node: ast.Compare) -> TruthFunction:
    op = _POSITIVE.get(node.op, node.op)
    if isinstance(node.value, ast.Null):
        # Only `=` and `!=` test for null (two-valued); any other operator is unknown.
        if op is not ast.Op.EQ:
            return _unknown_record
        function = _null_test(node.field)
        return _negated(function) if op is not node.op else function
    view = literal_view(node.value)
    if op is ast.Op.EQ:
        test = _membership_test([view])
        function = _leaf(node.field, test, test)
    elif op in _COMPARE:
        test = _ordering_test(_COMPARE[op], view)
        function = _leaf(node.field, test, test)
    elif op is ast.Op.CONTAINS:
        function = _leaf(node.field, _text_test(op, view), _membership_test([view]))
    else:
        test = _text_test(op, view)
        function = _leaf(node.field, test, test)
    return _negated(function) if op is not node.op else function


def _compile_expression(node: ast.Expression) -> TruthFunction:
    """An `Expression` compiled with its meaning (resolved here, once: the closure does not branch)."""
    if node.meaning != ast.ODATA_MEANING:
        raise ConditionError(f"no evaluator for an expression with the meaning {node.meaning}")
    from ._odata_evaluate import compile_odata  # it builds on this module's instants

    return compile_odata(node.expr)


def _compile(node: ast.Node) -> TruthFunction:
    if isinstance(node, ast.Compare):
        return _compile_compare(node)
    if isinstance(node, ast.InList):
        values = [v for v in node.values if not isinstance(v, ast.Null)]
        test = _membership_test(literal_view(v) for v in values)
        function = _leaf(node.field, test, test)
        if len(values) < len(node.values):  # `x in (1, null)` is `x = 1 or x = null`
            nulls = _null_test(node.field)
            function = _any_of((function, nulls)) if values else nulls
        return _negated(function) if node.negated else function
    if isinstance(node, ast.Expression):
        return _compile_expression(node)
    if isinstance(node, ast.Not):
        return _negated(_compile(node.operand))
    parts = tuple(_compile(item) for item in node.items)
    return _all_of(parts) if isinstance(node, ast.And) else _any_of(parts)


def _all_of(parts: tuple[TruthFunction, ...]) -> TruthFunction:
    def all_of(record: Mapping[str, Any]) -> Truth:
        result: Truth = True
        for part in parts:
            answer = part(record)
            if answer is False:
                return False
            if answer is None:
                result = None
        return result

    return all_of


def _any_of(parts: tuple[TruthFunction, ...]) -> TruthFunction:
    def any_of(record: Mapping[str, Any]) -> Truth:
        result: Truth = False
        for part in parts:
            answer = part(record)
            if answer:
                return True
            if answer is None:
                result = None
        return result

    return any_of


def condition_tree(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> ast.Node:
    """The tree of `expr` (text read in `dialect`, by default the condition language),
    checked for depth, with quoted ISO dates on fields the schema types as date-time made
    date-time literals (shared with the SQL translation)."""
    node = parse(expr, dialect=dialect) if isinstance(expr, str) and dialect is not None else as_node(expr)
    if ast.depth(node) > MAX_EVALUATE_DEPTH:
        raise ConditionError(f"the condition nests deeper than {MAX_EVALUATE_DEPTH} levels; flatten it")
    if schema is not None:
        node = FieldTypes(schema, endpoint).typed_dates(node)
    return node


def compile_truth(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> TruthFunction:
    """Compile `expr` into `record -> True | False | None` (three-valued; `None` is unknown).

    >>> f = compile_truth("x = 1")
    >>> f({"x": 1}), f({"x": 2}), f({})
    (True, False, None)
    """
    return _compile(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))


def compile_predicate(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> Predicate:
    """Compile `expr` once into `record -> bool`, true only where the condition is true.

    Build it once per condition and apply it to many records: paths are split, literals
    converted and lowered, LIKE patterns compiled ahead of time. Records are mappings
    (JSON objects as `dict`s). Raises `ConditionSyntaxError` for bad text and
    `ConditionError` for a tree nested deeper than 400 levels. With `schema` (and
    `endpoint`), a quoted ISO date compared with a field the schema types as date-time is
    a date-time literal (so ISO text in the records compares as instants). Text is read in
    `dialect` (by default the condition language: seed and automate).

    >>> online = compile_predicate("Status = 'online' and not (Name startswith 'test')")
    >>> [r["Name"] for r in [{"Status": "Online", "Name": "a"}, {"Status": "Online", "Name": "Test1"}] if online(r)]
    ['a']
    """
    function = _compile(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))

    def predicate(record: Mapping[str, Any]) -> bool:
        return function(record) is True

    return predicate


def truth(
    expr: Expression,
    record: Mapping[str, Any],
    *,
    schema: Schemas = None,
    endpoint: str | None = None,
    dialect: DialectLike | None = None,
) -> Truth:
    """The three-valued answer of `expr` for `record`: `True`, `False` or `None` (unknown).

    >>> truth("x != 1", {}), truth("x != 1 or y = 2", {"y": 2})
    (None, True)
    """
    _check_record(record)
    return compile_truth(expr, schema=schema, endpoint=endpoint, dialect=dialect)(record)


def evaluate(
    expr: Expression,
    record: Mapping[str, Any],
    *,
    schema: Schemas = None,
    endpoint: str | None = None,
    dialect: DialectLike | None = None,
) -> bool:
    """Whether `record` satisfies `expr` (a node, builder expression or condition text).

    True only when the condition is true; unknown (missing fields, `None`) counts as not
    satisfied, as in SQL's `WHERE`. See the module documentation for the rules. For many
    records, use [`compile_predicate`][cwa_query.compile_predicate].

    >>> from cwa_query import F
    >>> evaluate(F.Tags.contains("db") & (F.Memory >= 4096), {"Tags": ["DB", "web"], "Memory": 8192.0})
    True
    >>> evaluate("Memory != 4096", {"Memory": None})
    False

    Date-times in records as the API returns them (ISO-8601 text) compare as instants with
    a date-time literal, or with a quoted date when `schema` types the field as date-time:

    >>> evaluate("LastContact < 2024-01-01", {"LastContact": "2023-12-31T23:00:00-02:00"})
    False
    >>> evaluate("LastContact < 2024-01-01", {"LastContact": "2023-12-31T23:00:00Z"})
    True

    Text in another dialect is read in it:

    >>> evaluate('status/name = "open" and parentTicketId = null', {"status": {"name": "Open"}}, dialect="manage")
    True
    """
    _check_record(record)
    return _compile(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))(record) is True


def _check_record(record: Any) -> None:
    if not isinstance(record, Mapping):
        raise TypeError(f"a record is a mapping (such as a dict), not {type(record).__name__}")
