"""Build conditions from Python: `F.Status == 'Online'`.

`F.<name>` (or `F["name"]`) gives a [`FieldRef`][cwa_query.FieldRef]; only field
references overload the comparison operators. Comparisons give a
[`Condition`][cwa_query.Condition], and conditions combine with `&`, `|` and `~`:

>>> from cwa_query import F, render
>>> cond = (F.Status == "Online") & (F.Client.Id == 5) | F.Name.startswith("ACME")
>>> render(cond)  # the real server's dialect, automate
"Status = 'Online' and Client.Id = 5 or Name like 'ACME%'"
>>> render(cond, "seed")
"Status = 'Online' and Client.Id = 5 or Name startswith 'ACME'"

Values are converted to literals in one place ([`literal`][cwa_query.literal]); no value
can change the structure of the condition, whatever it holds:

>>> render(F.Name == "x' or 1=1 or Name='", "seed")
"Name = 'x'' or 1=1 or Name='''"

`bool()` of a condition raises `TypeError`, so `a and b` and `1 < F.x < 5` fail loudly
instead of silently dropping half of the filter.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import math
from collections.abc import Iterable
from typing import Any

from .._defaults import DEFAULT_DIALECT
from ..dialects import DialectLike
from ..dialects.condition import CONDITION
from ..errors import ConditionError
from . import ast
from ._parser import parse
from ._render import render
from .literals import check_decimal, check_integer, check_text

__all__ = ["Condition", "F", "FieldRef", "and_", "literal", "not_", "or_"]


def literal(value: Any) -> ast.Literal:
    """Convert a Python value to a literal node.

    `str` -> string, `bool` -> boolean, `int` -> integer, `float` and `Decimal` -> exact
    decimal (`0.1` stays `0.1`), `date`/`datetime` -> date-time (aware ones in UTC),
    `Enum` -> its value, `None` -> `null` (which only `==`, `!=` and `in_` take, and only
    dialects with a null can write). Anything else, and NaN or infinity, raises `TypeError` /
    `ValueError`; a value the language cannot carry (text with a lone surrogate, which
    UTF-8 cannot encode, or an integer of more than 4,300 digits) raises
    [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError], a `ValueError`.

    >>> literal(0.1)
    Decimal(value=Decimal('0.1'))
    """
    if isinstance(value, (ast.String, ast.Integer, ast.Decimal, ast.Boolean, ast.DateTime, ast.Null)):
        return value
    if value is None:
        return ast.Null()
    if isinstance(value, enum.Enum):
        inner = value.value
        if isinstance(inner, enum.Enum):  # pragma: no cover - pathological
            raise TypeError("an Enum whose value is an Enum cannot be a literal")
        return literal(inner)
    if isinstance(value, bool):
        return ast.Boolean(value)
    if isinstance(value, str):
        return ast.String(check_text(value))
    if isinstance(value, int):
        return ast.Integer(check_integer(int(value)))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be written in a condition")
        number = _decimal.Decimal(repr(value))
        return _number(number)
    if isinstance(value, _decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} cannot be written in a condition")
        return _number(check_decimal(value))
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            try:
                value = value.astimezone(_dt.UTC)
            except OverflowError:
                raise ValueError(f"{value.isoformat()} is out of range once converted to UTC") from None
        return ast.DateTime(value)
    if isinstance(value, _dt.date):
        return ast.DateTime(value)
    raise TypeError(
        f"cannot use a {type(value).__name__} as a condition value: "
        "use str, int, float, Decimal, bool, date, datetime or an Enum of those"
    )


def _number(value: _decimal.Decimal) -> ast.Integer | ast.Decimal:
    # Exponent notation (1E+3) is not in the language: keep the exact value, plainly.
    if value == value.to_integral_value() and "." not in format(value, "f"):
        return ast.Integer(check_integer(int(value)))
    return ast.Decimal(_decimal.Decimal(format(value, "f")))


class Condition:
    """A condition built in Python (or parsed): wraps a tree in [`node`][cwa_query.language.builder.Condition.node].

    Combine with `&` (and), `|` (or), `~` (not). `str()` is the seed rendering.
    Two conditions are equal when their trees are.
    """

    __slots__ = ("node",)

    def __init__(self, node: ast.Node) -> None:
        if not isinstance(node, ast.NODE_TYPES):
            raise TypeError(f"a Condition wraps a node, not {type(node).__name__}")
        self.node: ast.Node = node
        """The condition's tree (an [`ast.Node`][cwa_query.language.ast.Node])."""

    @classmethod
    def parse(cls, text: str) -> Condition:
        """A condition from existing condition text (parsed, so it is checked).

        >>> (Condition.parse("Status = 'Online'") & (F.Client.Id == 5)).render()
        "Status = 'Online' and Client.Id = 5"
        """
        return cls(parse(text))

    def render(self, dialect: DialectLike = DEFAULT_DIALECT, *, escape_quotes: bool = False) -> str:
        """The condition text in `dialect` (see [`render`][cwa_query.render])."""
        return render(self.node, dialect, escape_quotes=escape_quotes)

    def __and__(self, other: Condition) -> Condition:
        return Condition(ast.all_of([self.node, _as_condition(other, "&").node]))

    def __rand__(self, other: Condition) -> Condition:
        return Condition(ast.all_of([_as_condition(other, "&").node, self.node]))

    def __or__(self, other: Condition) -> Condition:
        return Condition(ast.any_of([self.node, _as_condition(other, "|").node]))

    def __ror__(self, other: Condition) -> Condition:
        return Condition(ast.any_of([_as_condition(other, "|").node, self.node]))

    def __invert__(self) -> Condition:
        return Condition(ast.Not(self.node))

    def __bool__(self) -> bool:
        raise TypeError(
            "a condition has no truth value: combine conditions with & (and), | (or) and ~ (not) "
            "in parentheses, e.g. (F.a == 1) & (F.b < 5); write 1 < F.x < 5 as (F.x > 1) & (F.x < 5)"
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Condition):
            return self.node == other.node
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.node)

    def __str__(self) -> str:
        return self.render("seed")

    def __repr__(self) -> str:
        try:
            text = self.render("seed")
        except ConditionError:  # only absurdly deep trees
            return f"Condition(<{type(self.node).__name__}, {ast.depth(self.node)} levels deep>)"
        return f"Condition({text!r})"


def _as_condition(value: Any, op: str) -> Condition:
    if isinstance(value, Condition):
        return value
    if isinstance(value, ast.NODE_TYPES):
        return Condition(value)
    if isinstance(value, str):
        return Condition.parse(value)
    raise TypeError(f"cannot combine a condition with {type(value).__name__} using {op}")


def _collect(conds: Iterable[Condition | ast.Node | str | None], op: str) -> list[ast.Node]:
    return [_as_condition(c, op).node for c in conds if c is not None]


def and_(*conds: Condition | ast.Node | str | None) -> Condition | None:
    """All of `conds`; `None` items are skipped, so optional filters compose.

    Returns `None` when nothing is left (no filter), which the executor reads as "no
    condition".

    >>> status = None
    >>> str(and_(F.Client.Id == 5, (F.Status == status) if status else None))
    'Client.Id = 5'
    """
    items = _collect(conds, "and_")
    return Condition(ast.all_of(items)) if items else None


def or_(*conds: Condition | ast.Node | str | None) -> Condition | None:
    """Any of `conds`; `None` items are skipped; `None` when nothing is left."""
    items = _collect(conds, "or_")
    return Condition(ast.any_of(items)) if items else None


def not_(cond: Condition | ast.Node | str | None) -> Condition | None:
    """`not (cond)`; `None` stays `None`."""
    if cond is None:
        return None
    return ~_as_condition(cond, "not_")


class FieldRef:
    """A field in a condition being built: `F.Status`, `F.Client.Id`, `F["Client.Id"]`.

    Attribute access goes one level deeper (`F.Client.Id`); lowercase methods build
    predicates: `contains`, `not_contains`, `startswith`, `endswith`, `like`,
    `not_like`, `in_`, `not_in`.
    """

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not CONDITION.terminal("FIELD").fullmatch(name):
            raise ConditionError(
                f"{name!r} is not a field path: use letters, digits and '_' joined by dots, e.g. 'Client.Id'"
            )
        reserved = CONDITION.keyword_words()
        for part in name.split("."):
            if part.lower() in reserved:
                raise ConditionError(f"{part!r} is a keyword of the condition language and cannot name a field")
        object.__setattr__(self, "_name", name)

    @property
    def field_path(self) -> str:
        """The dotted path, e.g. `F.Client.Id.field_path == "Client.Id"` (also `str(ref)`).

        Named so that no plausible field name is shadowed: `F.status.name` is the field
        `status.name` (Manage's `status/name`), not an attribute of the reference.
        """
        return str(object.__getattribute__(self, "_name"))

    def __str__(self) -> str:
        return self.field_path

    def __getattr__(self, part: str) -> FieldRef:
        if part.startswith("__"):
            raise AttributeError(part)
        return FieldRef(f"{self.field_path}.{part}")

    def __getitem__(self, part: str) -> FieldRef:
        return FieldRef(f"{self.field_path}.{part}")

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("field references are immutable")

    def __repr__(self) -> str:
        return f"F.{self.field_path}"

    def _cmp(self, op: ast.Op, value: Any) -> Condition:
        converted = literal(value)
        if isinstance(converted, ast.Null) and op not in (ast.Op.EQ, ast.Op.NE):
            raise ValueError(f"None (null) is compared only with == and !=, not {op.value}")
        return Condition(ast.Compare(ast.Field(self.field_path), op, converted))

    def __eq__(self, value: Any) -> Condition:  # type: ignore[override]
        return self._cmp(ast.Op.EQ, value)

    def __ne__(self, value: Any) -> Condition:  # type: ignore[override]
        return self._cmp(ast.Op.NE, value)

    def __lt__(self, value: Any) -> Condition:
        return self._cmp(ast.Op.LT, value)

    def __le__(self, value: Any) -> Condition:
        return self._cmp(ast.Op.LE, value)

    def __gt__(self, value: Any) -> Condition:
        return self._cmp(ast.Op.GT, value)

    def __ge__(self, value: Any) -> Condition:
        return self._cmp(ast.Op.GE, value)

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError(f"a field reference ({self!r}) has no truth value: compare it, e.g. {self!r} == 'x'")

    def contains(self, value: Any) -> Condition:
        """`Field contains value`: substring of a text field, member of an array field."""
        return self._cmp(ast.Op.CONTAINS, value)

    def not_contains(self, value: Any) -> Condition:
        """`Field not contains value`."""
        return self._cmp(ast.Op.NOT_CONTAINS, value)

    def startswith(self, value: str) -> Condition:
        """`Field startswith 'x'` (rendered `like 'x%'` for automate)."""
        return self._cmp(ast.Op.STARTSWITH, _text(value, "startswith"))

    def endswith(self, value: str) -> Condition:
        """`Field endswith 'x'` (rendered `like '%x'` for automate)."""
        return self._cmp(ast.Op.ENDSWITH, _text(value, "endswith"))

    def like(self, pattern: str) -> Condition:
        """`Field like 'pattern'`: `%` any run of characters, `_` any one, `\\` escapes."""
        return self._cmp(ast.Op.LIKE, _text(pattern, "like"))

    def not_like(self, pattern: str) -> Condition:
        """`Field not like 'pattern'`."""
        return self._cmp(ast.Op.NOT_LIKE, _text(pattern, "not_like"))

    def in_(self, *values: Any) -> Condition:
        """`Field in (v, ...)`; takes values or one iterable of values (not empty).

        >>> str(F.Status.in_("Online", "Offline")) == str(F.Status.in_(["Online", "Offline"]))
        True
        """
        return Condition(ast.InList(ast.Field(self.field_path), _values(values, "in_"), False))

    def not_in(self, *values: Any) -> Condition:
        """`Field not in (v, ...)`."""
        return Condition(ast.InList(ast.Field(self.field_path), _values(values, "not_in"), True))


def _text(value: Any, method: str) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        raise TypeError(f"{method}() takes a str, not {type(value).__name__}")
    return value


def _values(values: tuple[Any, ...], method: str) -> tuple[ast.Literal, ...]:
    if len(values) == 1 and not isinstance(values[0], (str, bytes, enum.Enum)) and isinstance(values[0], Iterable):
        values = tuple(values[0])
    if not values:
        raise ValueError(f"{method}() needs at least one value: the language has no empty list")
    return tuple(literal(v) for v in values)


class _FieldFactory:
    """`F.Name` / `F["Name"]`: the start of every built condition."""

    __slots__ = ()

    def __getattr__(self, name: str) -> FieldRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return FieldRef(name)

    def __getitem__(self, name: str) -> FieldRef:
        return FieldRef(name)

    def __repr__(self) -> str:
        return "F"


F = _FieldFactory()
"""The field factory: `F.Status == 'Online'`, `F.Client.Id == 5`, `F["Client.Id"].in_(1, 2)`."""
