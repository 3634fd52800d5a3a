r"""Evaluate a condition against a record in Python: one evaluator for every dialect's tree.

A `Compare` or `InList` means what the server's MySQL backend does with it (the condition
language's meaning); an [`Expression`][cwa_query.language.ast.Expression] means what its
[`Meaning`][cwa_query.language.ast.Meaning] says (read from OData: OData's). The meaning is
resolved when the condition is compiled, so evaluating a record never branches on it.

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

**OData's meaning** (URL Conventions 4.01, 5.1.1), for an `Expression` read from OData and
for [`evaluate_odata`][cwa_query.odata.evaluate_odata] over OData's own tree; where it differs:

>>> from cwa_query.language._odata import parse_filter
>>> tree = parse_filter("contains(Name,'SRV') and Client/Id eq 5")
>>> evaluate_odata(tree, {"Name": "SRV-01", "Client": {"Id": 5}}), evaluate_odata(tree, {"Name": "srv-01"})
(True, False)

* **null.** A missing key or `None` is `null`. `eq` is true when both sides are null, false
  when one is; `ne` is its opposite, so `Name ne 'x'` *accepts* a record without a name.
  `gt ge lt le` with a null side are false, so comparisons are never null: `not (Price gt 5)`
  accepts a record without a price. Functions and arithmetic given a null give null.
* **Text is exact**: `eq`, ordering (by code point), `in`, `contains`, `startswith`,
  `endswith`, `indexof`; `tolower`/`toupper` use Unicode case mapping.
* **Strict kinds.** Numbers compare with numbers (a Double, such as a record's `float`,
  makes the other side a Double first: numeric promotion), text with text; a date or date-time
  literal compares as an instant with a date-time value or ISO-8601 text; GUID, time-of-day
  and duration literals with values of their kind or their text. Other pairs do not compare:
  `eq` is false, `ne` true, ordering false. `NaN` equals nothing, itself included.
* **Whole values.** No fan-out: a path through a list is null; a list equals a list of equal
  members in the same order, an object one with the same keys and equal values (5.1.1.1.1).
  `contains`, `startswith`, `endswith`, `indexof`, `substring`, `length` and `concat` also
  take ordered collections (5.1.1.5); a negative `substring` start counts from the end.
* **Arithmetic.** Integer `div` truncates; a Double or decimal divided by zero is `INF`,
  `-INF` or `NaN`, `divby` never fails; date-times and dates add and subtract durations,
  date-times subtract into a duration, durations multiply and divide by numbers (5.1.1.2).
  Date parts (`year` ... `second`) are taken in the value's own offset, ISO text included;
  `hour`/`minute`/`second` read a time of day too.
* **Text functions.** `trim` removes Unicode white space; `matchesPattern` reads an
  ECMAScript pattern (`$` only at the end, `.` stops at line terminators, `\d` and `\w`
  ASCII), bounded in time.
* **Paths and services.** Lambda variables and `$it`/`$this` (the record being filtered)
  resolve as OData says. Service functions, `$root`, parameter aliases and annotations
  depend on the service: compiling them raises [`ConditionError`][cwa_query.ConditionError].
* **Failures.** Where the service's request fails, evaluating raises
  [`ConditionEvaluationError`][cwa_query.ConditionEvaluationError]: integer `div 0`, any
  `mod 0`, a negative `substring` length, an invalid pattern; and where one record's
  evaluation runs past [`MAX_STEPS`][cwa_query.language._evaluate.MAX_STEPS] collection
  members (nested `any` multiply) or a pattern past
  [`PATTERN_SECONDS`][cwa_query.language._evaluate.PATTERN_SECONDS].
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from ..dialects import DialectLike, FieldTypes, Schemas
from ..errors import ConditionError, ConditionEvaluationError
from . import ast
from ._parser import parse
from ._render import as_node
from .literals import (
    DATE_RE,
    instant_text,
    like_tokens,
    match_text,
    parse_datetime,
    record_instant,
    text_instant,
    text_number,
    utc_instant,
)
from .paths import MISSING, ascii_lower, get_path, lookup

if TYPE_CHECKING:
    import regex

    from .builder import Condition

__all__ = [
    "MAX_EVALUATE_DEPTH",
    "MAX_STEPS",
    "PATTERN_SECONDS",
    "LikeMatcher",
    "LiteralView",
    "Predicate",
    "Truth",
    "TruthFunction",
    "ascii_lower",
    "compile_odata",
    "compile_predicate",
    "compile_truth",
    "condition_tree",
    "evaluate",
    "evaluate_odata",
    "instant_text",
    "like_tokens",
    "literal_view",
    "record_instant",
    "truth",
    "truth_odata",
]

Truth = bool | None
"""`True`, `False`, or `None` for unknown (null)."""

_UTC = _dt.UTC
_SEQUENCES = (list, tuple)
_PLAIN = (str, int)  # values of these exact types compare as Python compares them
MAX_STEPS = 100_000
"""The most lambda (`any`/`all`) members and collection items one record's evaluation may visit:
nested lambdas multiply, so 24 nested `any` over two-item lists would take minutes unbounded."""

ORDERING: dict[ast.Op | ast.BinaryOp, Callable[[Any, Any], bool]] = {
    kind[name.upper()]: getattr(operator, name) for name in ("gt", "ge", "lt", "le") for kind in (ast.Op, ast.BinaryOp)
}
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


# --------------------------------------------------------------------------- numbers and instants


def number(value: Any) -> int | _decimal.Decimal | float | None:
    """A number's exact comparable form: an `int` (a `bool` as 1/0), a `Decimal` (a `float` as
    its shortest decimal form, `0.1` is `0.1`), or a `float` for infinities and NaN; `None`
    for anything that is not a number."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        value = float(value)
        return _decimal.Decimal(repr(value)) if math.isfinite(value) else value
    if isinstance(value, _decimal.Decimal):
        return value if value.is_finite() else float(value)
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


def _parsed(kind: type, parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """A value of `kind`, or text `parse` reads as one (`None` where it cannot)."""

    def convert(value: Any) -> Any:
        if isinstance(value, kind):
            return value
        try:
            return parse(value) if isinstance(value, str) else None
        except ValueError:
            return None

    return convert


def _duration_text(text: str) -> _dt.timedelta | None:
    from ._odata import duration_text  # the OData reader, loaded with the first duration compared

    return duration_text(text)


time_of: Callable[[Any], _dt.time | None] = _parsed(_dt.time, _dt.time.fromisoformat)
duration_of: Callable[[Any], _dt.timedelta | None] = _parsed(_dt.timedelta, _duration_text)


@lru_cache(maxsize=1)
def _kinds() -> list[tuple[type | tuple[type, ...], Callable[[Any], Any]]]:
    """The kinds `compare` converts text to, with their converters (uuid loads on first use)."""
    import uuid

    return [
        ((_dt.datetime, _dt.date), instant),
        (_dt.time, time_of),
        (_dt.timedelta, duration_of),
        (uuid.UUID, _parsed(uuid.UUID, uuid.UUID)),
        (bytes, _parsed(bytes, lambda text: None)),
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
        if (type(left) is float) is not (type(right) is float):
            # Numeric promotion (5.1.1.1): with an Edm.Double on one side, the other is
            # converted to a Double, so a decimal literal equals the double it rounds to.
            try:
                return (float(a) > float(b)) - (float(a) < float(b))
            except OverflowError:  # an integer past the double range: compared exactly
                pass
        return (a > b) - (a < b)
    for kind, convert in _kinds():
        if isinstance(left, kind) or isinstance(right, kind):
            x, y = convert(left), convert(right)
            if x is None or y is None:
                return None
            return int(x > y) - int(x < y)
    return None


def equal(left: Any, right: Any, budget: Budget) -> bool:
    """Equality of whole values (OData 5.1.1.1.1): ordered collections member by member, complex
    values by keys and values, null equal only to null, NaN to nothing."""
    if type(left) is type(right) and type(left) in _PLAIN:  # text with text, integer with integer: most often
        return bool(left == right)
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
    if value is None:
        return None
    if isinstance(value, enum.Enum) and not isinstance(value, (str, int)):
        return scalar(value.value)
    if isinstance(value, str):
        return scalar(str.__str__(value))
    if isinstance(value, (_dt.datetime, _dt.date)):
        return (INSTANT, utc_instant(value))
    found = number(value)
    if found is None or (type(found) is float and found != found):
        return None
    return (NUMBER, bool(value) if isinstance(value, bool) else found)


# --------------------------------------------------------------------------- literals


class LiteralView(NamedTuple):
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


# --------------------------------------------------------------------------- text matching

PATTERN_SECONDS = 0.1
"""The most time one `matchesPattern` match may take (a catastrophic pattern such as `^(a+)+$`
backtracks for ever on `'aaa...!'`); past it the evaluation fails."""
WHITE_SPACE = "".join(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                                   0x202F, 0x205F, 0x3000]))  # fmt: skip
"""Unicode's White_Space property: what `trim` removes (section 5.1.1.7.4: "according to Unicode rules")."""


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
                    raise ConditionEvaluationError(f"matchesPattern: \\{escaped} inside [...] is not supported here")
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
        message = f"matchesPattern: {pattern[:60]!r} is no regular expression ({exc}): the request fails"
        raise ConditionEvaluationError(message) from None


def _matches(budget: Budget, text: Any, pattern: Any) -> Truth:
    """`matchesPattern` (5.1.1.7.1): whether `pattern` (ECMAScript syntax and semantics) matches
    somewhere in `text`, within [`PATTERN_SECONDS`][cwa_query.language._evaluate.PATTERN_SECONDS]."""
    if not isinstance(text, str) or not isinstance(pattern, str):
        return None
    compiled = _pattern(pattern)
    try:
        return compiled.search(text, timeout=PATTERN_SECONDS) is not None
    except TimeoutError:
        raise ConditionEvaluationError(
            f"matchesPattern: {pattern[:60]!r} took longer than {PATTERN_SECONDS} s on one value "
            "(a pattern that backtracks catastrophically?)",
            limit="pattern_seconds",
        ) from None


# --------------------------------------------------------------------------- functions

Function = Callable[..., Any]
_MISSING = object()


def _sequence_fn(text: Callable[[str, str], Any], items: Callable[[list[Any], list[Any], Budget], Any]) -> Function:
    """A function with a string overload and an ordered-collection overload (section 5.1.1.5)."""

    def call(budget: Budget, a: Any, b: Any) -> Any:
        if isinstance(a, str) and isinstance(b, str):
            return text(a, b)
        if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
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


def _text_fn(fn: Callable[..., Any]) -> Function:
    return lambda budget, *args: fn(*args) if all(isinstance(a, str) for a in args) else None


def _integer(value: Any) -> int | None:
    found = number(value)
    if isinstance(found, _decimal.Decimal) and found == found.to_integral_value():
        return int(found)
    return found if isinstance(found, int) else None


def _substring(budget: Budget, value: Any, start: Any, *length: Any) -> Any:
    """Section 5.1.1.5.7: a negative start counts from the end; a negative length is a bad request."""
    if not isinstance(value, (str, *_SEQUENCES)):
        return None
    begin = _integer(start)
    size = _integer(length[0]) if length else None
    if begin is None or (length and size is None):
        return None
    if size is not None and size < 0:
        raise ConditionEvaluationError(f"substring: the length {size} is negative, so the request fails")
    if begin < 0:  # "starting N characters/items before the end"
        begin = max(len(value) + begin, 0)
    part = value[begin:] if size is None else value[begin : begin + size]
    return part if isinstance(part, str) else list(part)


def length(budget: Budget, value: Any) -> Any:
    """The length of text or an ordered collection."""
    return len(value) if isinstance(value, (str, *_SEQUENCES)) else None


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
    return lambda budget, value: getattr(_moment(value), attribute, None)


def _rounding(mode: str) -> Function:
    def apply(budget: Budget, value: Any) -> Any:
        found = number(value)
        if found is None or isinstance(found, float):
            return found
        return _decimal.Decimal(found).to_integral_value(rounding=mode)

    return apply


FUNCTIONS: dict[str, Function] = {
    "contains": _sequence_fn(lambda a, b: b in a, lambda a, b, budget: _index_of(a, b, budget) >= 0),
    "startswith": _sequence_fn(lambda a, b: a.startswith(b), lambda a, b, budget: equal(a[: len(b)], b, budget)),
    "endswith": _sequence_fn(lambda a, b: a.endswith(b), lambda a, b, budget: equal(a[len(a) - len(b) :], b, budget)),
    "indexof": _sequence_fn(lambda a, b: a.find(b), _index_of),
    "tolower": _text_fn(str.lower),
    "toupper": _text_fn(str.upper),
    "trim": _text_fn(lambda a: a.strip(WHITE_SPACE)),
    "length": length,
    "substring": _substring,
    "concat": _sequence_fn(operator.add, lambda a, b, budget: a + b),
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
                raise ConditionEvaluationError(f"{op.value} 0: a duration divided by zero, so the request fails")
            return a / float(divisor)
    except OverflowError:
        return None
    return None


_RING = {ast.BinaryOp.ADD: operator.add, ast.BinaryOp.SUB: operator.sub, ast.BinaryOp.MUL: operator.mul}


def _float_arithmetic(op: ast.BinaryOp, a: float, b: float) -> Any:
    """IEEE 754 doubles: `div`/`divby` zero give INF, -INF or NaN (section 5.1.1.2.5)."""
    if op in _RING:
        return _RING[op](a, b)
    if op is ast.BinaryOp.MOD:
        if b == 0:
            raise ConditionEvaluationError("mod 0: the right operand is zero, so the request fails")
        return math.nan if math.isinf(a) else math.fmod(a, b)  # IEEE 754 remainder: INF mod x is NaN
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
    integral = isinstance(left, int) and isinstance(right, int)  # a bool is the number 1/0 here too
    if op is ast.BinaryOp.MOD and b == 0:
        raise ConditionEvaluationError("mod 0: the right operand is zero, so the request fails")
    if op is ast.BinaryOp.DIV and b == 0 and isinstance(left, int):  # integers: "for all other types the request fails"
        raise ConditionEvaluationError("div 0: an integer divided by zero, so the request fails")
    if isinstance(a, float) or isinstance(b, float) or (b == 0 and op in (ast.BinaryOp.DIV, ast.BinaryOp.DIVBY)):
        return _float_arithmetic(op, float(a), float(b))
    try:
        if op in _RING:
            result = _RING[op](a, b)
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


# --------------------------------------------------------------------------- compiling: one dispatch over the one tree
# Every compiled function is `(record, scope) -> value`. A node's meaning picks the functions
# here, once: `Compare`/`InList` (the condition language's meaning) compile to tests of one
# field value by its kind, fanned out over lists; an `Expression` read from OData compiles its
# value expression, whose comparisons compare whole values. A record's evaluation never asks
# which meaning it holds; `and`/`or`/`not` are Kleene's logic for both; one `Budget` of steps
# bounds one record's evaluation.

Scope = dict[str, Any]
Fn = Callable[[Mapping[str, Any], Scope], Any]
TruthFunction = Callable[[Mapping[str, Any]], Truth]
Test = Callable[[Any], Truth]

_BUDGET = " budget"  # a scope key no lambda variable can take (variables are identifiers)
_NO_SCOPE: Scope = {}  # the scope of a tree without expressions: nothing reads or writes it
Bound = frozenset[str]  # the lambda variables in scope where a node is compiled


# --------------------------------------------------------------------------- logic (every meaning)


def _truth(value: Any) -> Truth:
    return value if value is True or value is False else None


def _all_of(parts: tuple[Fn, ...]) -> Fn:
    def all_of(record: Mapping[str, Any], scope: Scope) -> Truth:
        result: Truth = True
        for part in parts:
            answer = part(record, scope)
            if answer is False:
                return False
            if answer is None:
                result = None
        return result

    return all_of


def _any_of(parts: tuple[Fn, ...]) -> Fn:
    def any_of(record: Mapping[str, Any], scope: Scope) -> Truth:
        result: Truth = False
        for part in parts:
            answer = part(record, scope)
            if answer:
                return True
            if answer is None:
                result = None
        return result

    return any_of


def _negated(inner: Fn) -> Fn:
    def negated(record: Mapping[str, Any], scope: Scope) -> Truth:
        answer = inner(record, scope)
        return None if answer is None else not answer

    return negated


def _compile_logical(node: ast.And | ast.Or | ast.Connective, bound: Bound) -> Fn:
    parts = tuple(_as_test(item, _COMPILERS[type(item)](item, bound)) for item in node.items)
    either = isinstance(node, ast.Or) or (isinstance(node, ast.Connective) and node.op is ast.BinaryOp.OR)
    return _any_of(parts) if either else _all_of(parts)


def _compile_unary(node: ast.Not | ast.Unary, bound: Bound) -> Fn:
    if isinstance(node, ast.Unary) and node.op is not ast.UnaryOp.NOT:
        operand = _compile(node.operand, bound)
        return lambda record, scope: negate(operand(record, scope))
    return _negated(_as_test(node.operand, _COMPILERS[type(node.operand)](node.operand, bound)))


# --------------------------------------------------------------------------- loose typing: tests of one value
# The condition language compares a field value with a literal by the value's kind (text,
# instant text, number, instant), converting text to a number or an instant where it can.


def _by_kind(text: Test, number: Test, instant_text: Test, instant: Test) -> Test:
    """A test that hands each value, by its kind, to one of four (unknown values: `None`)."""
    handlers = {TEXT: text, NUMBER: number, INSTANT_TEXT: instant_text, INSTANT: instant}
    ordered = tuple(handlers[kind] for kind in range(len(handlers)))

    def test(value: Any) -> Truth:
        kind = type(value)  # text and integers, most often, go straight to their test
        if kind is str and len(value) != _INSTANT_TEXT_LEN:
            return text(value)
        if kind is int:
            return number(value)
        found = scalar(value)
        return None if found is None else ordered[found[0]](found[1])

    return test


def _unknown(*values: Any) -> Truth:
    """Unknown, whatever the value (or record)."""
    return None


def _ordering_test(order: Callable[[Any, Any], bool], view: LiteralView) -> Test:
    text, number, moment, itext = view.text, view.number, view.instant, view.instant_text

    def on_text(item: str) -> Truth:
        if text is not None:
            return order(ascii_lower(item), text)
        parsed = text_number(item)
        return None if parsed is None else order(parsed, number)

    def on_record_text(item: str) -> Truth:
        parsed = record_instant(item)
        return None if parsed is None else order(parsed, moment)

    def against(literal: Any) -> Test:
        return _unknown if literal is None else lambda item: order(item, literal)

    if text is not None or number is not None:
        text_test: Test = on_text
    elif moment is not None:  # a date-time literal: ISO text in a record is an instant
        text_test = on_record_text
    else:
        text_test = _unknown
    return _by_kind(text_test, against(number), against(itext), against(moment))


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
            moment = record_instant(item)
            if moment is None:
                result = None
            elif moment in text_instants:
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


def _text_test(op: ast.Op, view: LiteralView) -> Test:
    needle = ascii_lower(view.match_text)
    checks: dict[ast.Op, Callable[[str], bool]] = {
        ast.Op.CONTAINS: lambda text: needle in text,
        ast.Op.STARTSWITH: lambda text: text.startswith(needle),
        ast.Op.ENDSWITH: lambda text: text.endswith(needle),
    }
    check = checks.get(op) or LikeMatcher(needle)

    def test(value: Any) -> Truth:
        if type(value) is str:
            return check(ascii_lower(value))
        found = scalar(value)
        if found is None or found[0] == NUMBER:
            return None
        kind, item = found
        if kind == INSTANT:
            try:
                item = item.astimezone(_dt.UTC).isoformat(timespec="microseconds")
            except OverflowError:
                return None
        return check(ascii_lower(item))

    return test


# --------------------------------------------------------------------------- some element: paths through lists


class _Many:
    """The values a path reaches through lists: `scalars` met on the way, `members` of a list at the end."""

    __slots__ = ("members", "scalars")

    def __init__(self, scalars: list[Any], members: list[Any] | tuple[Any, ...]) -> None:
        self.scalars, self.members = scalars, members


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


def _fanned_path(field: ast.Field) -> Callable[[Any], Any]:
    """The value at `field`, or a `_Many` where the path meets lists."""
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


def _leaf(field: ast.Field, test: Test, member_test: Test) -> Fn:
    get = _fanned_path(field)

    def leaf(record: Mapping[str, Any], scope: Scope) -> Truth:
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


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, (float, _decimal.Decimal)) and value != value)


def _null_test(field: ast.Field) -> Fn:
    """`field = null`: the value is missing, `None` or NaN (for a path through lists: any is)."""
    get = _fanned_path(field)

    def is_null(record: Mapping[str, Any], scope: Scope) -> Truth:
        value = get(record)
        if type(value) is _Many:
            return any(_absent(item) for item in value.scalars)
        return _absent(value)

    return is_null


POSITIVE = {ast.Op.NE: ast.Op.EQ, ast.Op.NOT_CONTAINS: ast.Op.CONTAINS, ast.Op.NOT_LIKE: ast.Op.LIKE}
"""The negated operators and their positive forms (a negated test is `not` of its positive one)."""


def _compile_compare(node: ast.Compare, bound: Bound) -> Fn:
    op = POSITIVE.get(node.op, node.op)
    if isinstance(node.value, ast.Null):
        # Only `=` and `!=` test for null (two-valued); any other operator is unknown.
        if op is not ast.Op.EQ:
            return _unknown
        function = _null_test(node.field)
        return _negated(function) if op is not node.op else function
    view = literal_view(node.value)
    if op is ast.Op.EQ:
        test = _membership_test([view])
        function = _leaf(node.field, test, test)
    elif op in ORDERING:
        test = _ordering_test(ORDERING[op], view)
        function = _leaf(node.field, test, test)
    elif op is ast.Op.CONTAINS:
        function = _leaf(node.field, _text_test(op, view), _membership_test([view]))
    else:
        test = _text_test(op, view)
        function = _leaf(node.field, test, test)
    return _negated(function) if op is not node.op else function


def _compile_in_list(node: ast.InList, bound: Bound) -> Fn:
    values = [v for v in node.values if not isinstance(v, ast.Null)]
    test = _membership_test(literal_view(v) for v in values)
    function = _leaf(node.field, test, test)
    if len(values) < len(node.values):  # `x in (1, null)` is `x = 1 or x = null`
        nulls = _null_test(node.field)
        function = _any_of((function, nulls)) if values else nulls
    return _negated(function) if node.negated else function


# --------------------------------------------------------------------------- whole values: expressions


def _compile_expression(node: ast.Expression, bound: Bound) -> Fn:
    """An `Expression` compiled with its meaning (resolved here, once: the closures do not branch)."""
    if node.meaning != ast.ODATA_MEANING:
        raise ConditionError(f"no evaluator for an expression with the meaning {node.meaning}")
    return compile_test(node.expr, bound)


def _compile_field(node: ast.Field, bound: Bound) -> Fn:
    parts = node.parts
    if parts[0] in bound:  # a lambda variable, then a path into its member
        name, rest = parts[0], parts[1:]
        return lambda record, scope: get_path(scope[name], rest)
    return lambda record, scope: get_path(record, parts)


def _compile_variable(node: ast.Variable, bound: Bound) -> Fn:
    if node.name == "$root":
        raise ConditionError("$root refers to the service: it cannot be evaluated locally")
    # $it and $this: the record being filtered (section 5.1.1.14.4), inside lambdas too
    return lambda record, scope: record


def _compile_member(node: ast.Member, bound: Bound) -> Fn:
    if node.base is None or not node.name.isidentifier():  # a type cast `Model.Manager`, an annotation
        raise _service_dependent(node)
    base, step = _compile(node.base, bound), (node.name,)
    return lambda record, scope: get_path(base(record, scope), step)


def _order(order: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    """An ordering of whole values: false where either is null, a collection, or of another kind."""
    if type(left) is type(right) and type(left) in _PLAIN:
        return order(left, right)
    if left is None or right is None:
        return False
    if isinstance(left, (list, tuple, Mapping)) or isinstance(right, (list, tuple, Mapping)):
        return False
    result = compare(left, right)
    return False if result is None else order(result, 0)


def _has(value: Any, flags: Any) -> Truth:
    if not isinstance(value, str) or not isinstance(flags, str):
        return None
    present = {part.strip() for part in value.split(",")}
    return {part.strip() for part in flags.split(",")} <= present


def _compile_binary(node: ast.Binary, bound: Bound) -> Fn:
    left, right = _compile(node.left, bound), _compile(node.right, bound)
    op = node.op
    if op is ast.BinaryOp.EQ:
        return lambda record, scope: equal(left(record, scope), right(record, scope), scope[_BUDGET])
    if op is ast.BinaryOp.NE:
        return lambda record, scope: not equal(left(record, scope), right(record, scope), scope[_BUDGET])
    if op in ORDERING:
        order = ORDERING[op]
        return lambda record, scope: _order(order, left(record, scope), right(record, scope))
    if op is ast.BinaryOp.HAS:
        return lambda record, scope: _has(left(record, scope), right(record, scope))
    return lambda record, scope: arithmetic(op, left(record, scope), right(record, scope))


def _compile_in(node: ast.In, bound: Bound) -> Fn:
    operand, collection = _compile(node.operand, bound), _compile(node.collection, bound)

    def in_(record: Mapping[str, Any], scope: Scope) -> Truth:
        value, items = operand(record, scope), collection(record, scope)
        if not isinstance(items, (list, tuple)):
            return None if items is None else False
        budget: Budget = scope[_BUDGET]
        budget.spend(len(items))
        return any(equal(value, item, budget) for item in items)

    return in_


def _compile_list(node: ast.ListValue | ast.Array, bound: Bound) -> Fn:
    items = [_compile(item, bound) for item in node.items]
    return lambda record, scope: [item(record, scope) for item in items]


def _compile_object(node: ast.Object, bound: Bound) -> Fn:
    members = [(name, _compile(value, bound)) for name, value in node.members]
    return lambda record, scope: {name: value(record, scope) for name, value in members}


def _compile_lambda(node: ast.Lambda, bound: Bound) -> Fn:
    collection = _compile(node.collection, bound)
    variable = node.variable or ""
    want_all = node.kind == "all"
    if node.predicate is None:

        def non_empty(record: Mapping[str, Any], scope: Scope) -> bool:
            items = collection(record, scope)
            return isinstance(items, (list, tuple)) and len(items) > 0

        return non_empty
    predicate = compile_test(node.predicate, bound | {variable})

    def lambda_(record: Mapping[str, Any], scope: Scope) -> Truth:
        items = collection(record, scope)
        if not isinstance(items, (list, tuple)):
            return False
        budget: Budget = scope[_BUDGET]
        unknown = False
        for item in items:
            budget.spend(1)
            value = predicate(record, {**scope, variable: item})
            if value is None:
                unknown = True
            elif value is not want_all:
                return not want_all
        return None if unknown else want_all

    return lambda_


def _compile_count(node: ast.Count, bound: Bound) -> Fn:
    if node.predicate is not None:
        raise _service_dependent(node)
    collection = _compile(node.collection, bound)
    return lambda record, scope: length(scope[_BUDGET], collection(record, scope))


def _compile_call(node: ast.Call, bound: Bound) -> Fn:
    function = FUNCTIONS.get(node.name) if node.base is None else None
    if function is None:
        raise _service_dependent(node)
    args = [_compile(arg, bound) for arg in node.args if not isinstance(arg, (ast.NamedArgument, ast.CasePair))]
    return lambda record, scope: function(scope[_BUDGET], *(arg(record, scope) for arg in args))


def _compile_literal(node: Any, bound: Bound) -> Fn:
    value = ",".join(node.members) if isinstance(node, ast.EnumValue) else getattr(node, "value", None)  # Null: None
    return lambda record, scope: value


def _service_dependent(node: Any) -> ConditionError:
    if isinstance(node, ast.Call):
        what = f"the function {node.name}()"
    elif isinstance(node, ast.Alias):
        what = f"the alias @{node.name}"
    else:
        what = type(node).__name__
    return ConditionError(f"{what} cannot be evaluated locally: it depends on the service")


# --------------------------------------------------------------------------- the dispatch


class _Dispatch(dict[type, Callable[[Any, Bound], Fn]]):
    """Node class -> compile function: a subclass as its base, an unknown class refused (no frame of its own)."""

    def __missing__(self, kind: type) -> Callable[[Any, Bound], Fn]:
        for base in kind.__mro__[1:]:
            if base in self:
                return self[base]
        return _refuse


def _refuse(node: Any, bound: Bound) -> Fn:
    raise _service_dependent(node)


_COMPILERS = _Dispatch({
    ast.Compare: _compile_compare,
    ast.InList: _compile_in_list,
    ast.And: _compile_logical,
    ast.Or: _compile_logical,
    ast.Connective: _compile_logical,
    ast.Not: _compile_unary,
    ast.Unary: _compile_unary,
    ast.Expression: _compile_expression,
    ast.Field: _compile_field,
    ast.Variable: _compile_variable,
    ast.Member: _compile_member,
    ast.Binary: _compile_binary,
    ast.In: _compile_in,
    ast.ListValue: _compile_list,
    ast.Array: _compile_list,
    ast.Object: _compile_object,
    ast.Lambda: _compile_lambda,
    ast.Count: _compile_count,
    ast.Call: _compile_call,
    **dict.fromkeys(
        (ast.String, ast.Integer, ast.Decimal, ast.Boolean, ast.DateTime, ast.Null, ast.SpecialNumber,
         ast.TimeOfDay, ast.Duration, ast.Guid, ast.BinaryData, ast.EnumValue),
        _compile_literal,
    ),
})  # fmt: skip
_TESTS = (ast.Compare, ast.InList, ast.And, ast.Or, ast.Not, ast.Expression, ast.Connective, ast.In, ast.Lambda)


def _compile(node: Any, bound: Bound) -> Fn:
    return _COMPILERS[type(node)](node, bound)


def compile_test(node: Any, bound: Bound) -> Fn:
    """`node` compiled to answer `True`, `False` or `None`: a value of another kind is null."""
    return _as_test(node, _COMPILERS[type(node)](node, bound))


def _as_test(node: Any, function: Fn) -> Fn:
    if isinstance(node, _TESTS):
        return function
    if isinstance(node, ast.Binary) and (node.op.is_comparison or node.op is ast.BinaryOp.HAS):
        return function
    if isinstance(node, ast.Unary) and node.op is ast.UnaryOp.NOT:
        return function
    return lambda record, scope: _truth(function(record, scope))


def _prepare(node: ast.Node | ast.Expr) -> tuple[Fn, bool]:
    """`node` compiled, and whether it holds an `Expression` (then each record gets a budget)."""
    budgeted = any(isinstance(item, ast.Expression) for item in ast.walk(node))  # type: ignore[arg-type]
    return compile_test(node, frozenset()), budgeted


def _bounded(function: Fn, max_steps: int) -> TruthFunction:
    def truth(record: Mapping[str, Any]) -> Truth:
        if not isinstance(record, Mapping):
            raise TypeError(f"a record is a mapping, not {type(record).__name__}")
        try:
            answer: Truth = function(record, {_BUDGET: Budget(max_steps)})
        except RecursionError:
            raise ConditionEvaluationError(
                "the record nests too deeply to compare (a list or object inside itself thousands of times)",
                limit="max_steps",
            ) from None
        return answer

    return truth


def truth_function(node: ast.Node | ast.Expr, max_steps: int = MAX_STEPS) -> TruthFunction:
    """`node` compiled into `record -> True | False | None`."""
    function, budgeted = _prepare(node)
    if budgeted:
        return _bounded(function, max_steps)
    return lambda record: function(record, _NO_SCOPE)


def predicate_function(node: ast.Node | ast.Expr, max_steps: int = MAX_STEPS) -> Callable[[Mapping[str, Any]], bool]:
    """`node` compiled into `record -> bool`, true only where it is true."""
    function, budgeted = _prepare(node)
    if budgeted:
        truth = _bounded(function, max_steps)
        return lambda record: truth(record) is True
    return lambda record: function(record, _NO_SCOPE) is True


# --------------------------------------------------------------------------- the API

Predicate = Callable[[Mapping[str, Any]], bool]
Expression = Union[ast.Node, "Condition", str]

MAX_EVALUATE_DEPTH = 400
"""Trees deeper than this many logical levels are refused by the evaluator and `to_sql`."""


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
    return truth_function(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))


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
    return predicate_function(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))


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
    if not isinstance(record, Mapping):
        raise TypeError(f"a record is a mapping (such as a dict), not {type(record).__name__}")
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
    return truth(expr, record, schema=schema, endpoint=endpoint, dialect=dialect) is True


def compile_odata(tree: ast.Expr, *, max_steps: int = MAX_STEPS) -> TruthFunction:
    """Compile an OData `$filter` tree once into a function of a record: `True`, `False`, or
    `None` for null, with OData's meaning.

    Evaluating raises [`ConditionEvaluationError`][cwa_query.ConditionEvaluationError] where the
    service's request would fail (an integer `div 0` or `mod 0`, a negative `substring` length, an
    invalid pattern) and where a record's evaluation passes `max_steps` collection members or a
    `matchesPattern` match passes [`PATTERN_SECONDS`][cwa_query.language._evaluate.PATTERN_SECONDS].
    """
    return truth_function(ast.Expression(tree, ast.ODATA_MEANING), max_steps)


def truth_odata(tree: ast.Expr, record: Mapping[str, Any]) -> Truth:
    """`True`, `False` or `None` (null) for `record`."""
    return compile_odata(tree)(record)


def evaluate_odata(tree: ast.Expr, record: Mapping[str, Any]) -> bool:
    """Whether a service applying `$filter=tree` returns `record`: the filter is true."""
    return truth_odata(tree, record) is True
