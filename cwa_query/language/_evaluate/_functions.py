"""OData's functions (5.1.1.4-5.1.1.11) and arithmetic (5.1.1.2) over the evaluator's values:
a null argument gives null (`None`), a value of the wrong kind too; where the service's
request fails, so does the evaluation."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import math
from collections.abc import Callable
from typing import Any

from .. import ast
from ..literals import DATE_RE, parse_datetime, text_instant
from ._text import WHITE_SPACE, matches_pattern
from ._values import Budget, duration_of, equal, fail, instant, number, time_of

__all__ = ["FUNCTIONS", "arithmetic", "length", "negate"]

Function = Callable[..., Any]
_MISSING = object()


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _sequence_fn(text: Callable[[str, str], Any], items: Callable[[list[Any], list[Any], Budget], Any]) -> Function:
    """A function with a string overload and an ordered-collection overload (section 5.1.1.5)."""

    def call(budget: Budget, a: Any, b: Any) -> Any:
        if isinstance(a, str) and isinstance(b, str):
            return text(a, b)
        if _is_list(a) and _is_list(b):
            budget.spend(len(a) + len(b))
            return items(list(a), list(b), budget)
        return None

    return call


def _index_of(haystack: list[Any], needle: list[Any], budget: Budget) -> int:
    """The first index where `needle` stands in `haystack` as a run of members, else -1."""
    for start in range(len(haystack) - len(needle) + 1):
        budget.spend(len(needle))
        if all(equal(haystack[start + i], item, budget) for i, item in enumerate(needle)):
            return start
    return -1


def _runs_equal(a: list[Any], b: list[Any], budget: Budget) -> bool:
    return len(a) == len(b) and all(equal(x, y, budget) for x, y in zip(a, b, strict=True))


def _text_fn(fn: Callable[..., Any]) -> Function:
    def call(budget: Budget, *args: Any) -> Any:
        if not all(isinstance(a, str) for a in args):
            return None
        return fn(*args)

    return call


def _integer(value: Any) -> int | None:
    found = number(value)
    if isinstance(found, int):
        return found
    if isinstance(found, _decimal.Decimal) and found == found.to_integral_value():
        return int(found)
    return None


def _substring(budget: Budget, value: Any, start: Any, *length: Any) -> Any:
    """Section 5.1.1.5.7: a negative start counts from the end; a negative length is a bad request."""
    if not isinstance(value, str) and not _is_list(value):
        return None
    begin = _integer(start)
    size = _integer(length[0]) if length else None
    if begin is None or (length and size is None):
        return None
    if size is not None and size < 0:
        raise fail(f"substring: the length {size} is negative, so the request fails")
    if begin < 0:  # "starting N characters/items before the end"
        begin = max(len(value) + begin, 0)
    part = value[begin:] if size is None else value[begin : begin + size]
    return part if isinstance(part, str) else list(part)


def length(budget: Budget, value: Any) -> Any:
    """The length of text or an ordered collection."""
    if isinstance(value, (str, list, tuple)):
        return len(value)
    return None


def _moment(value: Any) -> _dt.datetime | _dt.date | _dt.time | None:
    """A date, date-time or time of day in its own offset (text as written, not turned to UTC)."""
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value
    if isinstance(value, str):
        if text_instant(value) is not None:
            return parse_datetime(value)
        return time_of(value)
    return None


def _part(attribute: str) -> Function:
    def get(budget: Budget, value: Any) -> Any:
        moment = _moment(value)
        return getattr(moment, attribute, None) if moment is not None else None

    return get


def _rounding(mode: str) -> Function:
    def apply(budget: Budget, value: Any) -> Any:
        found = number(value)
        if found is None or isinstance(found, float):
            return found
        return _decimal.Decimal(found).to_integral_value(rounding=mode)

    return apply


def _matches(budget: Budget, text: Any, pattern: Any) -> Any:
    """Section 5.1.1.7.1, with ECMAScript's syntax and semantics, bounded in time."""
    if not isinstance(text, str) or not isinstance(pattern, str):
        return None
    return matches_pattern(text, pattern)


def _concat(budget: Budget, a: Any, b: Any) -> Any:
    if isinstance(a, str) and isinstance(b, str):
        return a + b
    if _is_list(a) and _is_list(b):
        budget.spend(len(a) + len(b))
        return [*a, *b]
    return None


FUNCTIONS: dict[str, Function] = {
    "contains": _sequence_fn(lambda a, b: b in a, lambda a, b, budget: _index_of(a, b, budget) >= 0),
    "startswith": _sequence_fn(lambda a, b: a.startswith(b), lambda a, b, budget: _runs_equal(a[: len(b)], b, budget)),
    "endswith": _sequence_fn(
        lambda a, b: a.endswith(b), lambda a, b, budget: _runs_equal(a[len(a) - len(b) :], b, budget)
    ),
    "indexof": _sequence_fn(lambda a, b: a.find(b), _index_of),
    "tolower": _text_fn(str.lower),
    "toupper": _text_fn(str.upper),
    "trim": _text_fn(lambda a: a.strip(WHITE_SPACE)),
    "length": length,
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
    "now": lambda budget: _dt.datetime.now(_dt.UTC),
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
        return duration_of(value)
    return None


def _time_arithmetic(op: ast.BinaryOp, left: Any, right: Any) -> Any:
    """Section 5.1.1.2.1-5: DateTimeOffset/Date add or sub Duration, Duration add/sub Duration,
    DateTimeOffset sub DateTimeOffset and Date sub Date give a Duration, Duration mul/div a number.
    `_MISSING` when neither operand is temporal (then the operands are numbers, or nothing)."""
    a, b = _temporal(left), _temporal(right)
    if a is None and b is None:
        return _MISSING
    try:
        if op in (ast.BinaryOp.ADD, ast.BinaryOp.SUB) and isinstance(b, _dt.timedelta):
            if isinstance(a, _dt.datetime):
                return a + b if op is ast.BinaryOp.ADD else a - b
            if isinstance(a, _dt.date):  # XML Schema E.3.3: midnight, add, drop the time
                moment = _dt.datetime(a.year, a.month, a.day) + (b if op is ast.BinaryOp.ADD else -b)
                return moment.date()
            if isinstance(a, _dt.timedelta):
                return a + b if op is ast.BinaryOp.ADD else a - b
            return None
        if op is ast.BinaryOp.SUB and isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime):
            return instant(a) - instant(b)  # type: ignore[operator]
        if op is ast.BinaryOp.SUB and type(a) is _dt.date and type(b) is _dt.date:
            return a - b
        if op is ast.BinaryOp.MUL and (isinstance(a, _dt.timedelta) or isinstance(b, _dt.timedelta)):
            duration, factor = (a, right) if isinstance(a, _dt.timedelta) else (b, left)
            times = None if isinstance(factor, str) else number(factor)
            if not isinstance(duration, _dt.timedelta) or times is None:
                return None
            return duration * float(times)
        if op in (ast.BinaryOp.DIV, ast.BinaryOp.DIVBY) and isinstance(a, _dt.timedelta) and b is None:
            divisor = number(right)
            if divisor is None:
                return None
            if divisor == 0:
                raise fail(f"{op.value} 0: a duration divided by zero, so the request fails")
            return a / float(divisor)
    except OverflowError:
        return None
    return None


def _float_arithmetic(op: ast.BinaryOp, a: float, b: float) -> Any:
    """IEEE 754 doubles: `div`/`divby` zero give INF, -INF or NaN (section 5.1.1.2.5)."""
    if op is ast.BinaryOp.ADD:
        return a + b
    if op is ast.BinaryOp.SUB:
        return a - b
    if op is ast.BinaryOp.MUL:
        return a * b
    if op is ast.BinaryOp.MOD:
        if b == 0:
            raise fail("mod 0: the right operand is zero, so the request fails")
        return math.fmod(a, b)
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def arithmetic(op: ast.BinaryOp, left: Any, right: Any) -> Any:
    """`left op right` for `add`, `sub`, `mul`, `div`, `divby` and `mod`."""
    if left is None or right is None:
        return None
    temporal = _time_arithmetic(op, left, right)
    if temporal is not _MISSING:
        return temporal
    if isinstance(left, str) or isinstance(right, str):
        return None
    a, b = number(left), number(right)
    if a is None or b is None:
        return None
    a = _decimal.Decimal(a) if isinstance(a, int) else a
    b = _decimal.Decimal(b) if isinstance(b, int) else b
    integral = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if op is ast.BinaryOp.MOD and b == 0:
        raise fail("mod 0: the right operand is zero, so the request fails")
    if op is ast.BinaryOp.DIV and b == 0 and isinstance(left, int):  # integers: "for all other types the request fails"
        raise fail("div 0: an integer divided by zero, so the request fails")
    if isinstance(a, float) or isinstance(b, float) or (b == 0 and op in (ast.BinaryOp.DIV, ast.BinaryOp.DIVBY)):
        return _float_arithmetic(op, float(a), float(b))
    try:
        if op is ast.BinaryOp.ADD:
            result = a + b
        elif op is ast.BinaryOp.SUB:
            result = a - b
        elif op is ast.BinaryOp.MUL:
            result = a * b
        elif op is ast.BinaryOp.DIVBY or (op is ast.BinaryOp.DIV and not integral):
            result = a / b
        elif op is ast.BinaryOp.DIV:
            result = (a / b).to_integral_value(rounding=_decimal.ROUND_DOWN)
        else:  # mod: the sign of the dividend
            result = a - b * (a / b).to_integral_value(rounding=_decimal.ROUND_DOWN)
    except _decimal.DecimalException:
        return None
    return int(result) if integral and op is not ast.BinaryOp.DIVBY else result


def negate(value: Any) -> Any:
    """Section 5.1.1.2.3: the sign of a number or a Duration."""
    duration = duration_of(value)
    if duration is not None:
        return -duration
    found = number(value)
    if found is None or isinstance(value, (bool, str)):
        return None
    return -value if isinstance(value, int) else -found
