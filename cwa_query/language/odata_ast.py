"""The nodes of OData `$filter` expressions that the condition tree has no kind for.

An OData tree is made of these nodes and of the shared ones that mean the same thing
here: [`Field`][cwa_query.language.ast.Field] (a path of plain property names; `Client/Name`
is `Field("Client.Name")`) and the literals [`String`][cwa_query.language.ast.String],
[`Integer`][cwa_query.language.ast.Integer], [`Decimal`][cwa_query.language.ast.Decimal],
[`Boolean`][cwa_query.language.ast.Boolean] and [`DateTime`][cwa_query.language.ast.DateTime] and
[`Null`][cwa_query.language.ast.Null].
Operators (`eq`, `and`, `add`, `has`, ...) are [`Binary`][cwa_query.language.odata_ast.Binary]
nodes, because in OData both sides of every operator are expressions (`Price add 2 eq 5`,
`length(Name) gt 3`); the dialect lowers the ones the condition language can say.

As in the shared tree, nodes are frozen, slotted dataclasses and a source span is kept out
of equality:

>>> from cwa_query.language.odata_ast import Binary, BinaryOp
>>> from cwa_query.language.ast import Field, Integer, Span
>>> Binary(BinaryOp.GT, Field("Price"), Integer(5), Span(0, 12)) == Binary(BinaryOp.GT, Field("Price"), Integer(5))
True
"""

from __future__ import annotations

import datetime as _dt
import enum
import uuid
from dataclasses import dataclass, field

from .ast import Boolean, DateTime, Decimal, Field, Integer, Null, Span, String

__all__ = [
    "Alias",
    "Argument",
    "Array",
    "Binary",
    "BinaryData",
    "BinaryOp",
    "Call",
    "CasePair",
    "Cast",
    "Count",
    "Duration",
    "EnumValue",
    "Expr",
    "Filtered",
    "Geo",
    "Guid",
    "In",
    "IsOf",
    "Lambda",
    "ListValue",
    "Logical",
    "Member",
    "NamedArgument",
    "ODataLiteral",
    "Object",
    "SpecialNumber",
    "TimeOfDay",
    "Unary",
    "UnaryOp",
    "Variable",
    "children",
    "depth",
    "walk",
]

_SPAN = field(default=None, compare=False, hash=False, repr=False)


class BinaryOp(enum.Enum):
    """An infix operator; the value is its canonical (lower-case) spelling."""

    OR = "or"
    AND = "and"
    EQ = "eq"
    NE = "ne"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"
    HAS = "has"
    ADD = "add"
    SUB = "sub"
    MUL = "mul"
    DIV = "div"
    DIVBY = "divby"
    MOD = "mod"

    @property
    def precedence(self) -> int:
        """Binding strength: higher binds tighter (OData 4.01 URL Conventions 5.1.1.15)."""
        return _PRECEDENCE[self]

    @property
    def is_comparison(self) -> bool:
        """`eq ne gt ge lt le`."""
        return _PRECEDENCE[self] in (3, 4)

    @property
    def is_arithmetic(self) -> bool:
        """`add sub mul div divby mod`."""
        return _PRECEDENCE[self] in (5, 6)


_PRECEDENCE = {
    BinaryOp.OR: 1,
    BinaryOp.AND: 2,
    BinaryOp.EQ: 3,
    BinaryOp.NE: 3,
    BinaryOp.GT: 4,
    BinaryOp.GE: 4,
    BinaryOp.LT: 4,
    BinaryOp.LE: 4,
    BinaryOp.ADD: 5,
    BinaryOp.SUB: 5,
    BinaryOp.MUL: 6,
    BinaryOp.DIV: 6,
    BinaryOp.DIVBY: 6,
    BinaryOp.MOD: 6,
    BinaryOp.HAS: 8,
}


class UnaryOp(enum.Enum):
    """A prefix operator: `not` or the negation `-`."""

    NOT = "not"
    NEG = "-"


# --------------------------------------------------------------------------- literals


@dataclass(frozen=True, slots=True)
class SpecialNumber:
    """`INF`, `-INF` or `NaN` (kept as the word, so that `NaN` equals itself)."""

    word: str
    span: Span | None = _SPAN

    @property
    def value(self) -> float:
        """The number as a `float`."""
        return float(self.word.replace("INF", "inf"))


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """A time of day, `13:20:00` (fractions finer than a microsecond are truncated)."""

    value: _dt.time
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Duration:
    """`duration'P1DT2H'`: a day-time duration (finer than a microsecond is truncated)."""

    value: _dt.timedelta
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Guid:
    """A GUID, `01234567-89ab-cdef-0123-456789abcdef`."""

    value: uuid.UUID
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class EnumValue:
    """An enumeration literal `Sales.Pattern'Yellow'` (members, or their numbers, as written)."""

    type_name: str
    members: tuple[str, ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class BinaryData:
    """`binary'...'`: bytes, written in base64url."""

    value: bytes
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Geo:
    """A geography or geometry literal, `geography'SRID=0;Point(1 2)'`; `text` is between the quotes."""

    kind: str
    text: str
    span: Span | None = _SPAN


ODataLiteral = (
    Null
    | Boolean
    | Integer
    | Decimal
    | SpecialNumber
    | String
    | DateTime
    | TimeOfDay
    | Duration
    | Guid
    | EnumValue
    | BinaryData
    | Geo
)
"""Every primitive literal of the OData dialect, shared kinds included."""


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Binary:
    """`left op right`: a comparison, arithmetic or `has` operator (`and`/`or` are
    [`Logical`][cwa_query.language.odata_ast.Logical])."""

    op: BinaryOp
    left: Expr
    right: Expr
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Logical:
    """`and` / `or` over two or more `items` (n-ary: `a and b and c` is one node, so long
    chains stay flat; an item is never a `Logical` of the same `op`)."""

    op: BinaryOp
    items: tuple[Expr, ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Unary:
    """`not operand` or `-operand`."""

    op: UnaryOp
    operand: Expr
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class In:
    """`operand in collection`: the collection a [`ListValue`][cwa_query.language.odata_ast.ListValue],
    an [`Array`][cwa_query.language.odata_ast.Array], or an expression with a collection value."""

    operand: Expr
    collection: Expr
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class ListValue:
    """`(v1, v2, ...)` of primitive literals, right of `in` only (may be empty)."""

    items: tuple[ODataLiteral, ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Array:
    """A JSON array `[...]` (4.01); JSON strings in it are [`String`][cwa_query.language.ast.String]s."""

    items: tuple[Expr, ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Object:
    """A JSON object `{"name": value, ...}` (4.01)."""

    members: tuple[tuple[str, Expr], ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Variable:
    """`$it`, `$this` or `$root`."""

    name: str
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Alias:
    """`@name`: a parameter alias, or an annotation (`@Core.Messages`) at the head of a path."""

    name: str
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Member:
    """`base/name` where the step is not a plain property of a plain path: a step after a
    call, variable or alias, a type cast (`Model.Manager`), an annotation (`@Measures.Currency`).

    A path of plain property names is a [`Field`][cwa_query.language.ast.Field]. `base` is
    `None` for a type cast at the head of a path (`Model.Manager/Name`).
    """

    base: Expr | None
    name: str
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class NamedArgument:
    """`name=value`, an argument of a (non-canonical) function."""

    name: str
    value: Expr
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class CasePair:
    """`condition:value`, an argument of `case(...)`."""

    condition: Expr
    value: Expr
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Call:
    """`name(args)`: a canonical function (`contains`, `year`, ... spelt in canonical case),
    a service function (`Model.Available()`), or key access (`Items(1)`); bound to `base`
    when written after a path (`Products/Model.BestProduct()`)."""

    name: str
    args: tuple[Argument, ...]
    base: Expr | None = None
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Cast:
    """`cast(operand, Type)` or `cast(Type)`."""

    type_name: str
    operand: Expr | None = None
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class IsOf:
    """`isof(operand, Type)` or `isof(Type)`."""

    type_name: str
    operand: Expr | None = None
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Lambda:
    """`collection/any(v: predicate)`, `collection/any()` or `collection/all(v: predicate)`."""

    collection: Expr
    kind: str
    variable: str | None = None
    predicate: Expr | None = None
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Count:
    """`collection/$count`, or `collection/$count($filter=predicate)`."""

    collection: Expr
    predicate: Expr | None = None
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Filtered:
    """`collection/$filter(predicate)`."""

    collection: Expr
    predicate: Expr
    span: Span | None = _SPAN


Expr = (
    ODataLiteral
    | Field
    | Binary
    | Logical
    | Unary
    | In
    | ListValue
    | Array
    | Object
    | Variable
    | Alias
    | Member
    | Call
    | Cast
    | IsOf
    | Lambda
    | Count
    | Filtered
)
"""Any node of an OData expression."""

Argument = Expr | NamedArgument | CasePair
"""An argument of a [`Call`][cwa_query.language.odata_ast.Call]."""


def children(node: Expr | NamedArgument | CasePair) -> tuple[Expr, ...]:
    """The expressions directly below `node`, in source order."""
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Logical):
        return tuple(node.items)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, In):
        return (node.operand, node.collection)
    if isinstance(node, (ListValue, Array)):
        return tuple(node.items)
    if isinstance(node, Object):
        return tuple(value for _, value in node.members)
    if isinstance(node, Member):
        return () if node.base is None else (node.base,)
    if isinstance(node, NamedArgument):
        return (node.value,)
    if isinstance(node, CasePair):
        return (node.condition, node.value)
    if isinstance(node, Call):
        out: list[Expr] = [] if node.base is None else [node.base]
        for arg in node.args:
            out.extend(children(arg) if isinstance(arg, (NamedArgument, CasePair)) else (arg,))
        return tuple(out)
    if isinstance(node, (Cast, IsOf)):
        return () if node.operand is None else (node.operand,)
    if isinstance(node, Lambda):
        return (node.collection,) if node.predicate is None else (node.collection, node.predicate)
    if isinstance(node, Count):
        return (node.collection,) if node.predicate is None else (node.collection, node.predicate)
    if isinstance(node, Filtered):
        return (node.collection, node.predicate)
    return ()


def walk(node: Expr) -> list[Expr]:
    """Every node of the expression, parents before children (iterative: any depth).

    >>> from cwa_query.language.ast import Field, Integer
    >>> [type(n).__name__ for n in walk(Binary(BinaryOp.GT, Field("Price"), Integer(5)))]
    ['Binary', 'Field', 'Integer']
    """
    out: list[Expr] = []
    stack: list[Expr] = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


def depth(node: Expr) -> int:
    """How deep the expression nests: a lone literal or path is 1 (iterative: any depth)."""
    best = 0
    stack: list[tuple[Expr, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in children(current))
    return best
