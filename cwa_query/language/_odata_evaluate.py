"""Evaluate an OData `$filter` tree against a record in Python, with OData's semantics.

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
  false, `ne` true, ordering false. There is no fan-out: a path through a list is null,
  and a list compares with nothing (use `any`/`all`).
* **Paths** look a key up in exact case, then ignoring ASCII case. Lambda variables and
  `$it`/`$this` resolve as OData says. Service functions, `$root`, parameter aliases and
  annotations depend on the service: evaluating them raises
  [`ConditionError`][cwa_query.ConditionError].
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import math
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConditionError
from . import ast
from . import odata_ast as o
from .literals import text_instant
from .paths import get_path

__all__ = ["compile_odata", "evaluate_odata", "truth_odata"]

Truth = bool | None
_Scope = dict[str, Any]
_Fn = Callable[[Mapping[str, Any], _Scope], Any]
_MISSING = object()
_UTC = _dt.UTC


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
            if math.isnan(fa) or math.isnan(fb):
                return None if not (math.isnan(fa) and math.isnan(fb)) else 0
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


def _equal(left: Any, right: Any) -> bool:
    if _is_null(left) or _is_null(right):
        return _is_null(left) and _is_null(right)
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


def _text_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
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


def _substring(text: Any, start: Any, length: Any = None) -> Any:
    if _is_null(text) or _is_null(start) or (length is not None and _is_null(length)) or not isinstance(text, str):
        return _NULL
    begin = _integer(start)
    size = None if length is None else _integer(length)
    if begin is None or (length is not None and size is None):
        return _NULL
    begin = max(begin, 0)
    return text[begin:] if size is None else text[begin : begin + max(size, 0)]


def _length(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)):
        return len(value)
    return _NULL


def _part(attribute: str) -> Callable[[Any], Any]:
    def get(value: Any) -> Any:
        moment = _moment(value)
        return _NULL if moment is None else getattr(moment, attribute)

    return get


def _moment(value: Any) -> _dt.datetime | _dt.date | None:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value
    if isinstance(value, str):
        return _instant(value)
    return None


def _rounding(mode: str) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        number = _number(value)
        if number is None or isinstance(number, float):
            return _NULL if number is None else number
        return number.to_integral_value(rounding=mode)

    return apply


def _matches(text: Any, pattern: Any) -> Any:
    if not isinstance(text, str) or not isinstance(pattern, str):
        return _NULL
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return _NULL


def _concat(a: Any, b: Any) -> Any:
    if isinstance(a, str) and isinstance(b, str):
        return a + b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return [*a, *b]
    return _NULL


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "contains": _text_fn(lambda a, b: b in a),
    "startswith": _text_fn(lambda a, b: a.startswith(b)),
    "endswith": _text_fn(lambda a, b: a.endswith(b)),
    "indexof": _text_fn(lambda a, b: a.find(b)),
    "tolower": _text_fn(str.lower),
    "toupper": _text_fn(str.upper),
    "trim": _text_fn(lambda a: a.strip(" \t\r\n")),
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
    "now": lambda: _dt.datetime.now(_UTC),
}


# --------------------------------------------------------------------------- arithmetic


def _arithmetic(op: o.BinaryOp, left: Any, right: Any) -> Any:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return _NULL
    integral = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    try:
        if isinstance(a, float) or isinstance(b, float):
            fa, fb = float(a), float(b)
            return {o.BinaryOp.ADD: fa + fb, o.BinaryOp.SUB: fa - fb, o.BinaryOp.MUL: fa * fb}.get(op, _NULL)
        if op is o.BinaryOp.ADD:
            result = a + b
        elif op is o.BinaryOp.SUB:
            result = a - b
        elif op is o.BinaryOp.MUL:
            result = a * b
        elif b == 0:
            return _NULL
        elif op is o.BinaryOp.DIVBY or (op is o.BinaryOp.DIV and not integral):
            result = a / b
        elif op is o.BinaryOp.DIV:
            result = (a / b).to_integral_value(rounding=_decimal.ROUND_DOWN)
        else:  # mod: the sign of the dividend
            result = a - b * (a / b).to_integral_value(rounding=_decimal.ROUND_DOWN)
    except _decimal.DecimalException:
        return _NULL
    return int(result) if integral and op is not o.BinaryOp.DIVBY else result


# --------------------------------------------------------------------------- compile


def _truth(value: Any) -> Truth:
    if isinstance(value, bool):
        return value
    return None


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
        return lambda record, scope: scope.get("$it", record)
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

        def minus(record: Mapping[str, Any], scope: _Scope) -> Any:
            value = operand(record, scope)
            number = _number(value)
            if number is None or isinstance(value, bool):
                return _NULL
            return -value if isinstance(value, int) else -number

        return minus
    if isinstance(node, o.Binary):
        left, right = _compile(node.left), _compile(node.right)
        op = node.op
        if op is o.BinaryOp.EQ:
            return lambda record, scope: _equal(left(record, scope), right(record, scope))
        if op is o.BinaryOp.NE:
            return lambda record, scope: not _equal(left(record, scope), right(record, scope))
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
            if not isinstance(items, (list, tuple)):
                return _NULL if _is_null(items) else False
            return any(_equal(value, item) for item in items)

        return in_
    if isinstance(node, (o.ListValue, o.Array)):
        items_fn = [_compile(item) for item in node.items]
        return lambda record, scope: [fn(record, scope) for fn in items_fn]
    if isinstance(node, o.Lambda):
        collection = _compile(node.collection)
        predicate = None if node.predicate is None else _compile(node.predicate)
        variable = node.variable or ""
        want_all = node.kind == "all"

        def lambda_(record: Mapping[str, Any], scope: _Scope) -> Any:
            items = collection(record, scope)
            if not isinstance(items, (list, tuple)):
                return False
            if predicate is None:
                return len(items) > 0
            unknown = False
            for item in items:
                value = _truth(predicate(record, {**scope, variable: item}))
                if value is None:
                    unknown = True
                elif value is not want_all:
                    return not want_all
            return _NULL if unknown else want_all

        return lambda_
    if isinstance(node, o.Count) and node.predicate is None:
        collection = _compile(node.collection)
        return lambda record, scope: _length(collection(record, scope))
    if isinstance(node, o.Call) and node.base is None and node.name in _FUNCTIONS:
        function = _FUNCTIONS[node.name]
        args = [_compile(arg) for arg in node.args if not isinstance(arg, (o.NamedArgument, o.CasePair))]
        return lambda record, scope: function(*(arg(record, scope) for arg in args))
    try:
        value = _literal_value(node)
    except ConditionError:
        raise ConditionError(f"{_describe(node)} cannot be evaluated locally: it depends on the service") from None
    return lambda record, scope: value


def _describe(node: o.Expr) -> str:
    if isinstance(node, o.Call):
        return f"the function {node.name}()"
    if isinstance(node, o.Alias):
        return f"the alias @{node.name}"
    return type(node).__name__


def compile_odata(tree: o.Expr) -> Callable[[Mapping[str, Any]], Truth]:
    """Compile `tree` once into a function of a record: `True`, `False`, or `None` for null."""
    fn = _compile(tree)

    def truth(record: Mapping[str, Any]) -> Truth:
        if not isinstance(record, Mapping):
            raise TypeError(f"a record is a mapping, not {type(record).__name__}")
        return _truth(fn(record, {}))

    return truth


def truth_odata(tree: o.Expr, record: Mapping[str, Any]) -> Truth:
    """`True`, `False` or `None` (null) for `record`."""
    return compile_odata(tree)(record)


def evaluate_odata(tree: o.Expr, record: Mapping[str, Any]) -> bool:
    """Whether a service applying `$filter=tree` returns `record`: the filter is true."""
    return truth_odata(tree, record) is True
