"""The values the evaluator compares, one set for every meaning: numbers, instants, kinds,
order and equality, a literal's comparable forms, and the step budget of one record."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import math
import operator
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ...errors import ConditionError, ConditionEvaluationError
from .. import ast
from .._odata import duration_text
from ..literals import match_text, text_instant, text_number, utc_instant
from ..paths import ascii_lower

__all__ = [
    "INSTANT",
    "INSTANT_TEXT",
    "MAX_STEPS",
    "NUMBER",
    "ORDERING",
    "TEXT",
    "Budget",
    "LiteralView",
    "Truth",
    "compare",
    "duration_of",
    "equal",
    "fail",
    "instant",
    "literal_view",
    "number",
    "scalar",
    "time_of",
]

Truth = bool | None
"""`True`, `False`, or `None` for unknown (null)."""

_UTC = _dt.UTC
MAX_STEPS = 100_000
"""The most lambda (`any`/`all`) members and collection items one record's evaluation may visit:
nested lambdas multiply, so 24 nested `any` over two-item lists would take minutes unbounded."""

ORDERING: dict[ast.Op | ast.BinaryOp, Callable[[Any, Any], bool]] = {
    ast.Op.GT: operator.gt, ast.Op.GE: operator.ge, ast.Op.LT: operator.lt, ast.Op.LE: operator.le,
    ast.BinaryOp.GT: operator.gt, ast.BinaryOp.GE: operator.ge, ast.BinaryOp.LT: operator.lt,
    ast.BinaryOp.LE: operator.le,
}  # fmt: skip
"""The ordering operators of both spellings as functions of two comparable values."""


class Budget:
    """Steps left for one record's evaluation (lambda members and collection items)."""

    __slots__ = ("left", "limit")

    def __init__(self, steps: int) -> None:
        self.left = self.limit = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise ConditionEvaluationError(
                f"the evaluation visits more than {self.limit:,} collection members (nested any/all multiply): "
                "the filter is refused rather than run for ever",
                limit="max_steps",
            )


def fail(message: str) -> ConditionEvaluationError:
    """The error of an evaluation that fails where the service's request would."""
    return ConditionEvaluationError(message)


# --------------------------------------------------------------------------- numbers and instants


def number(value: Any) -> int | _decimal.Decimal | float | None:
    """A number's exact comparable form: an `int` (a `bool` as 1/0), a `Decimal` (a `float` as
    its shortest decimal form, `0.1` is `0.1`), or a `float` for infinities and NaN; `None`
    for anything that is not a number."""
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is float:
        return _decimal.Decimal(repr(value)) if math.isfinite(value) else float(value)
    if kind is bool:
        return int(value)
    if kind is _decimal.Decimal:
        return value if value.is_finite() else float(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return number(float(value))
    if isinstance(value, _decimal.Decimal):
        return number(_decimal.Decimal(value))
    return None


def instant(value: Any) -> _dt.datetime | None:
    """A date, date-time (naive: UTC) or ISO date text as an aware UTC instant, else `None`."""
    if isinstance(value, (_dt.datetime, _dt.date)):
        try:
            return utc_instant(value)
        except OverflowError:
            return None
    if isinstance(value, str):
        return text_instant(value)
    return None


def time_of(value: Any) -> _dt.time | None:
    """A time of day, or text that writes one."""
    if isinstance(value, _dt.time):
        return value
    if isinstance(value, str):
        try:
            return _dt.time.fromisoformat(value)
        except ValueError:
            return None
    return None


def duration_of(value: Any) -> _dt.timedelta | None:
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
    ((_dt.datetime, _dt.date), instant),
    (_dt.time, time_of),
    (_dt.timedelta, duration_of),
    (uuid.UUID, _guid_of),
    (bytes, _bytes_of),
]


def compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 when two non-null values compare with strict typing and exact text; `None`
    when their kinds do not (NaN compares with nothing). Numbers compare with numbers (a `bool`
    as 1/0), text by code point, a date-time with a date-time or ISO text, a time of day,
    duration, GUID or binary value with one of its kind or its text."""
    if isinstance(left, str) and isinstance(right, str):
        return (left > right) - (left < right)
    a, b = number(left), number(right)
    if a is not None and b is not None:
        if (type(a) is float and a != a) or (type(b) is float and b != b):
            return None
        return (a > b) - (a < b)
    for kind, convert in _KINDS:
        if isinstance(left, kind) or isinstance(right, kind):
            x, y = convert(left), convert(right)
            if x is None or y is None:
                return None
            return int(x > y) - int(x < y)
    return None


def equal(left: Any, right: Any, budget: Budget) -> bool:
    """Equality of whole values (OData 5.1.1.1.1): ordered collections member by member, complex
    values by keys and values, null equal only to null, NaN to nothing."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        budget.spend(len(left))
        return len(left) == len(right) and all(equal(a, b, budget) for a, b in zip(left, right, strict=True))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        budget.spend(len(left))
        return left.keys() == right.keys() and all(equal(left[key], right[key], budget) for key in left)
    if isinstance(left, (list, tuple, Mapping)) or isinstance(right, (list, tuple, Mapping)):
        return False
    return compare(left, right) == 0


# --------------------------------------------------------------------------- kinds of a field value
# The condition language's loose typing sorts a value into one of four kinds first.

TEXT, INSTANT_TEXT, NUMBER, INSTANT = 0, 1, 2, 3
_INSTANT_TEXT_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00")
_INSTANT_TEXT_LEN = 32


def scalar(value: Any) -> tuple[int, Any] | None:
    """The kind of a field value (`TEXT`, `INSTANT_TEXT`: text in the storage normal form of a
    date-time, `NUMBER`, `INSTANT`) and its comparable form, or `None` (unknown: null, NaN, a
    mapping, ...)."""
    kind = type(value)
    if kind is str:
        if len(value) == _INSTANT_TEXT_LEN and _INSTANT_TEXT_RE.fullmatch(value):
            return (INSTANT_TEXT, value)
        return (TEXT, value)
    if kind is int or kind is bool:
        return (NUMBER, value)
    if kind is float:
        return None if value != value else (NUMBER, number(value))
    if kind is _decimal.Decimal:
        return None if value.is_nan() else (NUMBER, value)
    if kind is _dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            return (INSTANT, value.replace(tzinfo=_UTC))
        return (INSTANT, value)
    if kind is _dt.date:
        return (INSTANT, _dt.datetime(value.year, value.month, value.day, tzinfo=_UTC))
    if value is None:
        return None
    if isinstance(value, enum.Enum) and not isinstance(value, (str, int)):
        return scalar(value.value)
    if isinstance(value, str):
        return scalar(str.__str__(value))
    if isinstance(value, _dt.datetime):
        return (INSTANT, utc_instant(value))
    if isinstance(value, _dt.date):
        return scalar(_dt.date(value.year, value.month, value.day))
    found = number(value)
    if found is None or (type(found) is float and found != found):
        return None
    return (NUMBER, bool(value) if isinstance(value, bool) else found)


# --------------------------------------------------------------------------- literals


class LiteralView:
    """A literal as each kind of field value sees it (`None`: no conversion, unknown).

    * `text`: ASCII-lowered text, for text fields (string literals only);
    * `number`: for numbers and numeric text;
    * `instant` / `instant_text`: for date-times, as an aware UTC value and its normal form;
    * `match_text`: the text that `like`/`contains`/... match (the literal as written).
    """

    __slots__ = ("instant", "instant_text", "match_text", "number", "text")

    def __init__(
        self,
        text: str | None,
        number: int | _decimal.Decimal | None,
        instant: _dt.datetime | None,
        instant_text: str | None,
        match_text: str,
    ) -> None:
        self.text, self.number, self.instant, self.instant_text = text, number, instant, instant_text
        self.match_text = match_text


def literal_view(literal: ast.Literal) -> LiteralView:
    """How `literal` compares with text, numbers and date-times (shared with the SQL translation)."""
    if isinstance(literal, ast.String):
        value = literal.value
        moment = text_instant(value)
        itext = moment.isoformat(timespec="microseconds") if moment is not None else None
        return LiteralView(ascii_lower(value), text_number(value), moment, itext, value)
    if isinstance(literal, ast.DateTime):
        try:
            moment = utc_instant(literal.value)
        except OverflowError:
            raise ConditionError(
                f"the date-time {literal.value.isoformat()} falls outside years 1-9999 in UTC and cannot be compared"
            ) from None
        return LiteralView(None, None, moment, moment.isoformat(timespec="microseconds"), match_text(literal))
    if isinstance(literal, (ast.Boolean, ast.Integer, ast.Decimal)):
        found = number(literal.value)
        if not isinstance(found, (int, _decimal.Decimal)):
            raise ConditionError(f"the number {literal.value} cannot be compared")
        return LiteralView(None, found, None, None, match_text(literal))
    raise TypeError(f"not a literal: {literal!r}")
