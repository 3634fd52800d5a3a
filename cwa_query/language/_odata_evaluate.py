r"""Evaluate an OData `$filter` tree against a record in Python, with OData's semantics.

>>> from cwa_query.language._odata import parse_filter
>>> tree = parse_filter("contains(Name,'SRV') and Client/Id eq 5")
>>> evaluate_odata(tree, {"Name": "SRV-01", "Client": {"Id": 5}}), evaluate_odata(tree, {"Name": "srv-01"})
(True, False)

Semantics (OData 4.01 URL Conventions, section 5.1.1), where they differ from the condition
language's ([`evaluate`][cwa_query.evaluate]):

* **null.** A missing key or `None` is `null`. `eq` is true when both sides are null, false
  when one is; `ne` is its opposite, so `Name ne 'x'` *accepts* a record without a name.
  `gt ge lt le` with a null side are false. Comparisons are never null: `not (Price gt 5)`
  accepts a record without a price. Functions and arithmetic given a null give null;
  `and`/`or`/`not` over null follow Kleene's three-valued logic, and a record is accepted
  only when the filter is true.
* **Text is case-sensitive**: `eq`, ordering (by code point), `in`, `contains`,
  `startswith`, `endswith`, `indexof` compare exactly; `tolower`/`toupper` use Unicode case
  mapping (Python's `str.lower`/`str.upper`).
* **Kinds.** Numbers compare numerically and exactly (`bool` counts as 1/0, as the SQL
  storage does); a date or date-time literal compares as an instant with a date-time value
  or ISO-8601 text (JSON has no date type); GUID, time-of-day and duration literals compare
  with values of their kind or their text. Values of other kinds do not compare: `eq` is
  false, `ne` true, ordering false. `NaN` equals nothing, itself included. There is no
  fan-out: a path through a list is null; a list equals a list of equal members in the
  same order, an object one with the same keys and equal values (5.1.1.1.1).
* **Collections.** `contains`, `startswith`, `endswith`, `indexof`, `substring`, `length`
  and `concat` also take ordered collections (5.1.1.5); a negative `substring` start counts
  from the end.
* **Arithmetic.** Integer `div` truncates; a Double or decimal divided by zero is `INF`,
  `-INF` or `NaN`, `divby` never fails; date-times and dates add and subtract durations,
  date-times subtract into a duration, durations multiply and divide by numbers (5.1.1.2).
  Date parts (`year` ... `second`) are taken in the value's own offset, ISO text included;
  `hour`/`minute`/`second` read a time of day too.
* **Text functions.** `trim` removes Unicode white space; `matchesPattern` reads an
  ECMAScript pattern (`$` only at the end, `.` stops at line terminators, `\d` and `\w`
  ASCII), bounded in time.
* **Paths** look a key up in exact case, then ignoring ASCII case. Lambda variables and
  `$it`/`$this` (the record being filtered, `$it/Name` too) resolve as OData says. Service
  functions, `$root`, parameter aliases and annotations depend on the service: evaluating
  them raises [`ConditionError`][cwa_query.ConditionError].
* **Failures.** Where the service's request fails, evaluating raises
  [`ConditionEvaluationError`][cwa_query.ConditionEvaluationError]: integer `div 0`, any
  `mod 0`, a negative `substring` length, an invalid pattern; and where one record's
  evaluation runs past [`MAX_STEPS`][cwa_query.language._odata_evaluate.MAX_STEPS]
  collection members (nested `any` multiply) or a pattern past
  [`PATTERN_SECONDS`][cwa_query.language._odata_evaluate.PATTERN_SECONDS].
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import math
import uuid
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import ConditionError, ConditionEvaluationError
from . import ast
from . import odata_ast as o
from ._odata import duration_text
from .literals import DATE_RE, parse_datetime, text_instant
from .paths import get_path

if TYPE_CHECKING:
    import regex

__all__ = ["MAX_STEPS", "PATTERN_SECONDS", "compile_odata", "evaluate_odata", "truth_odata"]

Truth = bool | None
_Scope = dict[str, Any]
_Fn = Callable[[Mapping[str, Any], _Scope], Any]
_MISSING = object()
_UTC = _dt.UTC

MAX_STEPS = 100_000
"""The most lambda (`any`/`all`) members and collection items one record's evaluation may visit:
nested lambdas multiply, so 24 nested `any` over two-item lists would take minutes unbounded."""
PATTERN_SECONDS = 0.1
"""The most time one `matchesPattern` match may take (a catastrophic pattern such as `^(a+)+$`
backtracks for ever on `'aaa...!'`); past it the evaluation fails."""
_BUDGET = " budget"  # a scope key no lambda variable can take (variables are identifiers)
_WHITE_SPACE = "".join(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                                    0x202F, 0x205F, 0x3000]))  # fmt: skip
"""Unicode's White_Space property: what `trim` removes (section 5.1.1.7.4: "according to Unicode rules")."""


class _Budget:
    """Steps left for one record's evaluation."""

    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise ConditionEvaluationError(
                f"the evaluation visits more than {MAX_STEPS:,} collection members (nested any/all multiply): "
                "the filter is refused rather than run for ever",
                limit="max_steps",
            )


def _fail(message: str) -> ConditionEvaluationError:
    return ConditionEvaluationError(message)


class _Null:
    """Marker for a null produced inside an expression (kept apart from Python `None` fields)."""


def _walk(value: Any, parts: tuple[str, ...]) -> Any:
    return get_path(value, parts)


# --------------------------------------------------------------------------- values


def _number(value: Any) -> _decimal.Decimal | float | None:
    if isinstance(value, bool):
        return _decimal.Decimal(int(value))
    if isinstance(value, int):
        return _decimal.Decimal(value)
    if isinstance(value, _decimal.Decimal):
        return value if value.is_finite() else float(value)
    if isinstance(value, float):
        return _decimal.Decimal(repr(value)) if math.isfinite(value) else value
    return None


def _instant(value: Any) -> _dt.datetime | None:
    if isinstance(value, _dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
        try:
            return moment.astimezone(_UTC)
        except OverflowError:
            return None
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if isinstance(value, str):
        return text_instant(value)
    return None


def _compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 when the two non-null values compare; None when their kinds do not."""
    if isinstance(left, str) and isinstance(right, str):
        return (left > right) - (left < right)
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        if isinstance(a, float) or isinstance(b, float):
            fa, fb = float(a), float(b)
            if math.isnan(fa) or math.isnan(fb):  # NaN is not equal to anything, even to itself
                return None
            return (fa > fb) - (fa < fb)
        return (a > b) - (a < b)
    for kind, convert in _KINDS:
        if isinstance(left, kind) or isinstance(right, kind):
            x, y = convert(left), convert(right)
            if x is None or y is None:
                return None
            return int(x > y) - int(x < y)
    return None


def _time_of(value: Any) -> _dt.time | None:
    if isinstance(value, _dt.time):
        return value
    if isinstance(value, str):
        try:
            return _dt.time.fromisoformat(value)
        except ValueError:
            return None
    return None


def _duration_of(value: Any) -> _dt.timedelta | None:
    if isinstance(value, _dt.timedelta):
        return value
    if isinstance(value, str):
        return duration_text(value)
    return None


def _guid_of(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None


def _bytes_of(value: Any) -> bytes | None:
    return value if isinstance(value, bytes) else None


_KINDS: list[tuple[type | tuple[type, ...], Callable[[Any], Any]]] = [
    ((_dt.datetime, _dt.date), _instant),
    (_dt.time, _time_of),
    (_dt.timedelta, _duration_of),
    (uuid.UUID, _guid_of),
    (bytes, _bytes_of),
]


def _is_null(value: Any) -> bool:
    return value is None or value is _NULL


_NULL = _Null()


def _equal(left: Any, right: Any, budget: _Budget) -> bool:
    """Section 5.1.1.1.1: ordered collections member by member, complex values by structure and
    values, null equal only to null, NaN to nothing."""
    if _is_null(left) or _is_null(right):
        return _is_null(left) and _is_null(right)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        budget.spend(len(left))
        return len(left) == len(right) and all(_equal(a, b, budget) for a, b in zip(left, right, strict=True))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        budget.spend(len(left))
        return left.keys() == right.keys() and all(_equal(left[key], right[key], budget) for key in left)
    if isinstance(left, (list, tuple, Mapping)) or isinstance(right, (list, tuple, Mapping)):
        return False
    return _compare(left, right) == 0


def _order(op: o.BinaryOp, left: Any, right: Any) -> bool:
    if _is_null(left) or _is_null(right):
        return False
    if isinstance(left, (list, tuple, Mapping)) or isinstance(right, (list, tuple, Mapping)):
        return False
    result = _compare(left, right)
    if result is None:
        return False
    return {o.BinaryOp.GT: result > 0, o.BinaryOp.GE: result >= 0, o.BinaryOp.LT: result < 0,
            o.BinaryOp.LE: result <= 0}[op]  # fmt: skip


# --------------------------------------------------------------------------- literals


def _literal_value(node: o.Expr) -> Any:
    if isinstance(node, ast.Null):
        return _NULL
    if isinstance(node, (ast.String, ast.Boolean, ast.Integer, ast.Decimal, ast.DateTime, o.TimeOfDay, o.Duration,
                         o.Guid, o.BinaryData)):  # fmt: skip
        return node.value
    if isinstance(node, o.SpecialNumber):
        return node.value
    if isinstance(node, o.EnumValue):
        return ",".join(node.members)
    raise ConditionError(f"cannot evaluate the literal {type(node).__name__} locally")


# --------------------------------------------------------------------------- functions


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _sequence_fn(text: Callable[[str, str], Any], items: Callable[[list[Any], list[Any], _Budget], Any]) -> _Fn2:
    """A function with a string overload and an ordered-collection overload (section 5.1.1.5)."""

    def call(budget: _Budget, a: Any, b: Any) -> Any:
        if _is_null(a) or _is_null(b):
            return _NULL
        if isinstance(a, str) and isinstance(b, str):
            return text(a, b)
        if _is_list(a) and _is_list(b):
            budget.spend(len(a) + len(b))
            return items(list(a), list(b), budget)
        return _NULL

    return call


def _index_of(haystack: list[Any], needle: list[Any], budget: _Budget) -> int:
    """The first index where `needle` stands in `haystack` as a run of members, else -1."""
    for start in range(len(haystack) - len(needle) + 1):
        budget.spend(len(needle))
        if all(_equal(haystack[start + i], item, budget) for i, item in enumerate(needle)):
            return start
    return -1


def _runs_equal(a: list[Any], b: list[Any], budget: _Budget) -> bool:
    return len(a) == len(b) and all(_equal(x, y, budget) for x, y in zip(a, b, strict=True))


def _text_fn(fn: Callable[..., Any]) -> _Fn2:
    def call(budget: _Budget, *args: Any) -> Any:
        if any(_is_null(a) for a in args):
            return _NULL
        if not all(isinstance(a, str) for a in args):
            return _NULL
        return fn(*args)

    return call


def _integer(value: Any) -> int | None:
    number = _number(value)
    if isinstance(number, _decimal.Decimal) and number == number.to_integral_value():
        return int(number)
    return None


def _substring(budget: _Budget, value: Any, start: Any, length: Any = None) -> Any:
    """Section 5.1.1.5.7: a negative start counts from the end; a negative length is a bad request."""
    if _is_null(value) or _is_null(start) or (length is not None and _is_null(length)):
        return _NULL
    if not isinstance(value, str) and not _is_list(value):
        return _NULL
    begin = _integer(start)
    size = None if length is None else _integer(length)
    if begin is None or (length is not None and size is None):
        return _NULL
    if size is not None and size < 0:
        raise _fail(f"substring: the length {size} is negative, so the request fails")
    if begin < 0:  # "starting N characters/items before the end"
        begin = max(len(value) + begin, 0)
    part = value[begin:] if size is None else value[begin : begin + size]
    return part if isinstance(part, str) else list(part)


def _length(budget: _Budget, value: Any) -> Any:
    if isinstance(value, (str, list, tuple)):
        return len(value)
    return _NULL


def _moment(value: Any) -> _dt.datetime | _dt.date | _dt.time | None:
    """A date, date-time or time of day in its own offset (text as written, not turned to UTC)."""
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value
    if isinstance(value, str):
        if text_instant(value) is not None:
            return parse_datetime(value)
        return _time_of(value)
    return None


def _part(attribute: str) -> _Fn2:
    def get(budget: _Budget, value: Any) -> Any:
        moment = _moment(value)
        return getattr(moment, attribute, _NULL) if moment is not None else _NULL

    return get


def _rounding(mode: str) -> _Fn2:
    def apply(budget: _Budget, value: Any) -> Any:
        number = _number(value)
        if number is None or isinstance(number, float):
            return _NULL if number is None else number
        return number.to_integral_value(rounding=mode)

    return apply


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
                    raise _fail(f"matchesPattern: \\{escaped} inside [...] is not supported here")
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
        raise _fail(f"matchesPattern: {pattern[:60]!r} is no regular expression ({exc}): the request fails") from None


def _matches(budget: _Budget, text: Any, pattern: Any) -> Any:
    """Section 5.1.1.7.1, with ECMAScript's syntax and semantics, bounded in time."""
    if not isinstance(text, str) or not isinstance(pattern, str):
        return _NULL
    compiled = _pattern(pattern)
    try:
        return compiled.search(text, timeout=PATTERN_SECONDS) is not None
    except TimeoutError:
        raise ConditionEvaluationError(
            f"matchesPattern: {pattern[:60]!r} took longer than {PATTERN_SECONDS} s on one value "
            "(a pattern that backtracks catastrophically?)",
            limit="pattern_seconds",
        ) from None


def _concat(budget: _Budget, a: Any, b: Any) -> Any:
    if isinstance(a, str) and isinstance(b, str):
        return a + b
    if _is_list(a) and _is_list(b):
        budget.spend(len(a) + len(b))
        return [*a, *b]
    return _NULL


_Fn2 = Callable[..., Any]
_FUNCTIONS: dict[str, _Fn2] = {
    "contains": _sequence_fn(lambda a, b: b in a, lambda a, b, budget: _index_of(a, b, budget) >= 0),
    "startswith": _sequence_fn(
        lambda a, b: a.startswith(b), lambda a, b, budget: _runs_equal(a[: len(b)], b, budget)
    ),
    "endswith": _sequence_fn(
        lambda a, b: a.endswith(b), lambda a, b, budget: _runs_equal(a[len(a) - len(b) :], b, budget)
    ),
    "indexof": _sequence_fn(lambda a, b: a.find(b), _index_of),
    "tolower": _text_fn(str.lower),
    "toupper": _text_fn(str.upper),
    "trim": _text_fn(lambda a: a.strip(_WHITE_SPACE)),
    "length": _length,
    "substring": _substring,
    "concat": _concat,
    "matchesPattern": _matches,
    "year": _part("year"),
    "month": _part("month"),
    "day": _part("day"),
    "hour": _part("hour"),
    "minute": _part("minute"),
    "second": _part("second"),
    "round": _rounding(_decimal.ROUND_HALF_UP),
    "floor": _rounding(_decimal.ROUND_FLOOR),
    "ceiling": _rounding(_decimal.ROUND_CEILING),
    "now": lambda budget: _dt.datetime.now(_UTC),
}


# --------------------------------------------------------------------------- arithmetic


def _temporal(value: Any) -> _dt.datetime | _dt.date | _dt.timedelta | None:
    """A DateTimeOffset, Date or Duration operand (ISO text in a record counts)."""
    if isinstance(value, (_dt.datetime, _dt.date, _dt.timedelta)):
        return value
    if isinstance(value, str):
        moment = _moment(value)
        if isinstance(moment, (_dt.datetime, _dt.date)):
            return moment if isinstance(moment, _dt.datetime) or DATE_RE.fullmatch(value) else None
        return _duration_of(value)
    return None


def _time_arithmetic(op: o.BinaryOp, left: Any, right: Any) -> Any:
    """Section 5.1.1.2.1-5: DateTimeOffset/Date add or sub Duration, Duration add/sub Duration,
    DateTimeOffset sub DateTimeOffset and Date sub Date give a Duration, Duration mul/div a number.
    `_MISSING` when neither operand is temporal (then the operands are numbers, or nothing)."""
    a, b = _temporal(left), _temporal(right)
    if a is None and b is None:
        return _MISSING
    try:
        if op in (o.BinaryOp.ADD, o.BinaryOp.SUB) and isinstance(b, _dt.timedelta):
            if isinstance(a, _dt.datetime):
                return a + b if op is o.BinaryOp.ADD else a - b
            if isinstance(a, _dt.date):  # XML Schema E.3.3: midnight, add, drop the time
                moment = _dt.datetime(a.year, a.month, a.day) + (b if op is o.BinaryOp.ADD else -b)
                return moment.date()
            if isinstance(a, _dt.timedelta):
                return a + b if op is o.BinaryOp.ADD else a - b
            return _NULL
        if op is o.BinaryOp.SUB and isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime):
            return _instant(a) - _instant(b)  # type: ignore[operator]
        if op is o.BinaryOp.SUB and type(a) is _dt.date and type(b) is _dt.date:
            return a - b
        if op is o.BinaryOp.MUL and (isinstance(a, _dt.timedelta) or isinstance(b, _dt.timedelta)):
            duration, factor = (a, right) if isinstance(a, _dt.timedelta) else (b, left)
            number = None if isinstance(factor, str) else _number(factor)
            if not isinstance(duration, _dt.timedelta) or number is None:
                return _NULL
            return duration * float(number)
        if op in (o.BinaryOp.DIV, o.BinaryOp.DIVBY) and isinstance(a, _dt.timedelta) and b is None:
            number = _number(right)
            if number is None:
                return _NULL
            if number == 0:
                raise _fail(f"{op.value} 0: a duration divided by zero, so the request fails")
            return a / float(number)
    except OverflowError:
        return _NULL
    return _NULL


def _float_arithmetic(op: o.BinaryOp, a: float, b: float) -> Any:
    """IEEE 754 doubles: `div`/`divby` zero give INF, -INF or NaN (section 5.1.1.2.5)."""
    if op is o.BinaryOp.ADD:
        return a + b
    if op is o.BinaryOp.SUB:
        return a - b
    if op is o.BinaryOp.MUL:
        return a * b
    if op is o.BinaryOp.MOD:
        if b == 0:
            raise _fail("mod 0: the right operand is zero, so the request fails")
        return math.fmod(a, b)
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def _arithmetic(op: o.BinaryOp, left: Any, right: Any) -> Any:
    if _is_null(left) or _is_null(right):
        return _NULL
    temporal = _time_arithmetic(op, left, right)
    if temporal is not _MISSING:
        return temporal
    if isinstance(left, str) or isinstance(right, str):
        return _NULL
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return _NULL
    integral = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if op is o.BinaryOp.MOD and b == 0:
        raise _fail("mod 0: the right operand is zero, so the request fails")
    if op is o.BinaryOp.DIV and b == 0 and isinstance(left, int):  # integers: "for all other types the request fails"
        raise _fail("div 0: an integer divided by zero, so the request fails")
    if isinstance(a, float) or isinstance(b, float) or (b == 0 and op in (o.BinaryOp.DIV, o.BinaryOp.DIVBY)):
        return _float_arithmetic(op, float(a), float(b))
    try:
        if op is o.BinaryOp.ADD:
            result = a + b
        elif op is o.BinaryOp.SUB:
            result = a - b
        elif op is o.BinaryOp.MUL:
            result = a * b
        elif op is o.BinaryOp.DIVBY or (op is o.BinaryOp.DIV and not integral):
            result = a / b
        elif op is o.BinaryOp.DIV:
            result = (a / b).to_integral_value(rounding=_decimal.ROUND_DOWN)
        else:  # mod: the sign of the dividend
            result = a - b * (a / b).to_integral_value(rounding=_decimal.ROUND_DOWN)
    except _decimal.DecimalException:
        return _NULL
    return int(result) if integral and op is not o.BinaryOp.DIVBY else result


def _negate(value: Any) -> Any:
    """Section 5.1.1.2.3: the sign of a number or a Duration."""
    duration = _duration_of(value)
    if duration is not None:
        return -duration
    number = _number(value)
    if number is None or isinstance(value, (bool, str)):
        return _NULL
    return -value if isinstance(value, int) else -number


# --------------------------------------------------------------------------- compile


def _truth(value: Any) -> Truth:
    if isinstance(value, bool):
        return value
    return None


def _budget(scope: _Scope) -> _Budget:
    budget: _Budget = scope[_BUDGET]
    return budget


def _compile(node: o.Expr) -> _Fn:
    if isinstance(node, ast.Field):
        parts = node.parts

        def field(record: Mapping[str, Any], scope: _Scope) -> Any:
            if parts[0] in scope:
                return _walk(scope[parts[0]], parts[1:])
            return _walk(record, parts)

        return field
    if isinstance(node, o.Variable):
        if node.name == "$root":
            raise ConditionError("$root refers to the service: it cannot be evaluated locally")
        # $it and $this: the record being filtered (section 5.1.1.14.4), inside lambdas too
        return lambda record, scope: record
    if isinstance(node, o.Member) and node.base is not None and _is_property(node.name):
        base = _compile(node.base)
        step = (node.name,)
        return lambda record, scope: _walk(base(record, scope), step)
    if isinstance(node, o.Logical):
        items = [_compile(item) for item in node.items]
        stop = node.op is o.BinaryOp.OR

        def logical(record: Mapping[str, Any], scope: _Scope) -> Any:
            unknown = False
            for item in items:
                value = _truth(item(record, scope))
                if value is None:
                    unknown = True
                elif value is stop:
                    return stop
            return _NULL if unknown else not stop

        return logical
    if isinstance(node, o.Unary):
        operand = _compile(node.operand)
        if node.op is o.UnaryOp.NOT:

            def negate(record: Mapping[str, Any], scope: _Scope) -> Any:
                value = _truth(operand(record, scope))
                return _NULL if value is None else not value

            return negate
        return lambda record, scope: _negate(operand(record, scope))
    if isinstance(node, o.Binary):
        left, right = _compile(node.left), _compile(node.right)
        op = node.op
        if op is o.BinaryOp.EQ:
            return lambda record, scope: _equal(left(record, scope), right(record, scope), _budget(scope))
        if op is o.BinaryOp.NE:
            return lambda record, scope: not _equal(left(record, scope), right(record, scope), _budget(scope))
        if op.is_comparison:
            return lambda record, scope: _order(op, left(record, scope), right(record, scope))
        if op is o.BinaryOp.HAS:

            def has(record: Mapping[str, Any], scope: _Scope) -> Any:
                value, flags = left(record, scope), right(record, scope)
                if _is_null(value) or not isinstance(value, str) or not isinstance(flags, str):
                    return _NULL
                present = {part.strip() for part in value.split(",")}
                return {part.strip() for part in flags.split(",")} <= present

            return has
        return lambda record, scope: _arithmetic(op, left(record, scope), right(record, scope))
    if isinstance(node, o.In):
        operand = _compile(node.operand)
        collection = _compile(node.collection)

        def in_(record: Mapping[str, Any], scope: _Scope) -> Any:
            value, items = operand(record, scope), collection(record, scope)
            if not _is_list(items):
                return _NULL if _is_null(items) else False
            budget = _budget(scope)
            budget.spend(len(items))
            return any(_equal(value, item, budget) for item in items)

        return in_
    if isinstance(node, (o.ListValue, o.Array)):
        items_fn = [_compile(item) for item in node.items]
        return lambda record, scope: [fn(record, scope) for fn in items_fn]
    if isinstance(node, o.Object):
        members = [(name, _compile(value)) for name, value in node.members]
        return lambda record, scope: {name: fn(record, scope) for name, fn in members}
    if isinstance(node, o.Lambda):
        collection = _compile(node.collection)
        predicate = None if node.predicate is None else _compile(node.predicate)
        variable = node.variable or ""
        want_all = node.kind == "all"

        def lambda_(record: Mapping[str, Any], scope: _Scope) -> Any:
            items = collection(record, scope)
            if not _is_list(items):
                return False
            if predicate is None:
                return len(items) > 0
            budget = _budget(scope)
            unknown = False
            for item in items:
                budget.spend(1)
                value = _truth(predicate(record, {**scope, variable: item}))
                if value is None:
                    unknown = True
                elif value is not want_all:
                    return not want_all
            return _NULL if unknown else want_all

        return lambda_
    if isinstance(node, o.Count) and node.predicate is None:
        collection = _compile(node.collection)
        return lambda record, scope: _length(_budget(scope), collection(record, scope))
    if isinstance(node, o.Call) and node.base is None and node.name in _FUNCTIONS:
        function = _FUNCTIONS[node.name]
        args = [_compile(arg) for arg in node.args if not isinstance(arg, (o.NamedArgument, o.CasePair))]
        return lambda record, scope: function(_budget(scope), *(arg(record, scope) for arg in args))
    try:
        value = _literal_value(node)
    except ConditionError:
        raise ConditionError(f"{_describe(node)} cannot be evaluated locally: it depends on the service") from None
    return lambda record, scope: value


def _is_property(name: str) -> bool:
    """A plain property name (not a type cast `Model.Manager` nor an annotation `@Core.Title`)."""
    return name.isidentifier()


def _describe(node: o.Expr) -> str:
    if isinstance(node, o.Call):
        return f"the function {node.name}()"
    if isinstance(node, o.Alias):
        return f"the alias @{node.name}"
    return type(node).__name__


def compile_odata(tree: o.Expr, *, max_steps: int = MAX_STEPS) -> Callable[[Mapping[str, Any]], Truth]:
    """Compile `tree` once into a function of a record: `True`, `False`, or `None` for null.

    Evaluating raises [`ConditionEvaluationError`][cwa_query.ConditionEvaluationError] where the
    service's request would fail (an integer `div 0` or `mod 0`, a negative `substring` length, an
    invalid pattern) and where a record's evaluation passes `max_steps` collection members or a
    `matchesPattern` match passes [`PATTERN_SECONDS`][cwa_query.language._odata_evaluate.PATTERN_SECONDS].
    """
    fn = _compile(tree)

    def truth(record: Mapping[str, Any]) -> Truth:
        if not isinstance(record, Mapping):
            raise TypeError(f"a record is a mapping, not {type(record).__name__}")
        try:
            return _truth(fn(record, {_BUDGET: _Budget(max_steps)}))
        except RecursionError:
            raise ConditionEvaluationError(
                "the record nests too deeply to compare (a list or object inside itself thousands of times)",
                limit="max_steps",
            ) from None

    return truth


def truth_odata(tree: o.Expr, record: Mapping[str, Any]) -> Truth:
    """`True`, `False` or `None` (null) for `record`."""
    return compile_odata(tree)(record)


def evaluate_odata(tree: o.Expr, record: Mapping[str, Any]) -> bool:
    """Whether a service applying `$filter=tree` returns `record`: the filter is true."""
    return truth_odata(tree, record) is True
