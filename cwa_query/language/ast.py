"""The condition tree of every dialect: one immutable, slotted class per kind of node.

A condition is a tree of [`Node`][cwa_query.language.ast.Node] values:

* predicates: [`Compare`][cwa_query.language.ast.Compare] (`Field op value`),
  [`InList`][cwa_query.language.ast.InList] (`Field [not] in (v, ...)`), the common shape
  that the builder `F` makes and every dialect can say, and
  [`Expression`][cwa_query.language.ast.Expression], a Boolean expression of values
  (OData's arithmetic, functions, lambdas, paths compared with paths) with its dialect's
  [`Meaning`][cwa_query.language.ast.Meaning];
* logic: [`And`][cwa_query.language.ast.And] and [`Or`][cwa_query.language.ast.Or] (n-ary, never
  directly nesting their own kind) and [`Not`][cwa_query.language.ast.Not].

The value expressions ([`Binary`][cwa_query.language.ast.Binary],
[`Connective`][cwa_query.language.ast.Connective], [`Unary`][cwa_query.language.ast.Unary],
[`Call`][cwa_query.language.ast.Call], [`Lambda`][cwa_query.language.ast.Lambda], ...) and
OData's literal kinds live here too: the tree is the union of what every dialect can say.
What differs between dialects that spell alike is the meaning, and it is part of the node
(`Compare.meaning`, `Expression.meaning`), so two trees are equal only if they mean the same.

Literals keep their kind and exact value: [`String`][cwa_query.language.ast.String],
[`Integer`][cwa_query.language.ast.Integer], [`Decimal`][cwa_query.language.ast.Decimal] (a
`decimal.Decimal`, so `0.1` stays `0.1`), [`Boolean`][cwa_query.language.ast.Boolean] and
[`DateTime`][cwa_query.language.ast.DateTime]; [`Null`][cwa_query.language.ast.Null] is the
absent value of the dialects that can test for it (OData `eq null`), with `=` and `!=` only.

Every node may carry a source [`Span`][cwa_query.language.ast.Span]; spans are kept out of
equality and hashing, so two conditions that differ only in spacing are equal:

>>> from cwa_query import parse
>>> parse("Client.Id=151") == parse("Client.Id  =  151")
True
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

if TYPE_CHECKING:  # in annotations only: not imported at run time
    import datetime as _dt
    import decimal as _decimal
    import uuid
from typing import Literal as _Literal

__all__ = [
    "CONDITION_MEANING",
    "ODATA_MEANING",
    "Alias",
    "And",
    "Argument",
    "Array",
    "Binary",
    "BinaryData",
    "BinaryOp",
    "Call",
    "CasePair",
    "Cast",
    "Connective",
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
    "Meaning",
    "NODE_TYPES",
    "Member",
    "NamedArgument",
    "ODataLiteral",
    "Object",
    "SpecialNumber",
    "Expression",
    "TimeOfDay",
    "Unary",
    "UnaryOp",
    "Variable",
    "children",
    "walk_expression",
    "expression_depth",
    "Boolean",
    "Compare",
    "DateTime",
    "Decimal",
    "Field",
    "InList",
    "Integer",
    "Literal",
    "Logical",
    "Node",
    "Not",
    "Null",
    "Op",
    "Or",
    "Predicate",
    "Span",
    "String",
    "all_of",
    "any_of",
    "depth",
    "map_predicates",
    "replace",
    "walk",
]


class _Node:
    """What every node shares: immutable; equal, hashed and shown by the fields named in
    `_compared` (a source span is none of them); pickled by its constructor's arguments.

    Plain classes with `__slots__`, not dataclasses: creating a frozen dataclass costs about
    ten times as much at import, and the linter's command line imports this module per file.
    Each class is declared as a dataclass is (see [`_node`][cwa_query.language.ast._node]).
    """

    __slots__ = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _key(self) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in self._compared])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Node)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[type[_Node], tuple[object, ...]]:
        # Every constructor takes the fields in order: the compared ones, then the span (if any).
        return type(self), tuple([getattr(self, name) for name in self._fields])


_N = TypeVar("_N", bound=_Node)


@dataclass_transform(eq_default=False, frozen_default=True)
def _node(cls: type[_N]) -> type[_N]:
    """Make a node class of a class body declared as a frozen dataclass is: its fields
    annotated in constructor order (the compared ones, then `span`), with their defaults.

    The class gets `__slots__` and a constructor for its fields. A node is built as an
    instance of a plain twin class holding the same slots (`_FieldFields`: plain attribute
    stores, about half the cost of `object.__setattr__` per field, which the parser pays
    for every node), then made the node class. The constructor is a template of
    `_constructor_templates` with the field names and classes put in (no source compiled per class).
    """
    own = cls.__dict__
    names = tuple(name for name, note in own.get("__annotations__", {}).items() if not str(note).startswith("ClassVar"))
    defaults = tuple(own[name] for name in names if name in own)
    namespace = {key: value for key, value in own.items() if key not in names and key not in _CLASS_SLOTS}
    fields = type(f"_{cls.__name__}Fields", (), {"__slots__": names, "__module__": cls.__module__})
    compared = tuple(name for name in names if name != "span")
    namespace.update(__slots__=(), _compared=compared, __match_args__=compared, _fields=names)
    node = type(cls.__name__, (fields, *cls.__bases__), namespace)
    template = _TEMPLATES[len(names)]
    code = template.__code__
    placeholders = _PLACEHOLDERS[: len(names)]
    renamed = dict(zip(placeholders, names, strict=True))
    code = code.replace(
        co_names=tuple(renamed.get(name, name) for name in code.co_names),
        co_varnames=tuple(renamed.get(name, name) for name in code.co_varnames),
        co_qualname=f"{node.__qualname__}.__new__",
        co_name="__new__",
    )
    cells = dict(zip(code.co_freevars, template.__closure__ or (), strict=True))
    cells |= {"_cls": types.CellType(node), "_twin": types.CellType(fields)}
    function = types.FunctionType(
        code, template.__globals__, "__new__", defaults or None, tuple(cells[name] for name in code.co_freevars)
    )
    node.__new__ = staticmethod(function)  # type: ignore[method-assign]
    return node


_CLASS_SLOTS = frozenset({"__dict__", "__weakref__"})
_PLACEHOLDERS = ("f0", "f1", "f2", "f3", "f4")


def _subclass_node(cls: type[_Node], values: tuple[object, ...]) -> _Node:
    """A node of a subclass of a node class (which may hold more than the slots)."""
    self = object.__new__(cls)
    for name, value in zip(cls._fields, values, strict=True):
        object.__setattr__(self, name, value)
    return self


def _constructor_templates(most: int = 5) -> tuple[Callable[..., _Node], ...]:
    """A constructor per number of fields (index 1 to `most`), written for the placeholder
    fields `f0`, `f1`, ... of the placeholder classes `_cls` (the node) and `_twin` (its
    plain twin); `_node` copies one with the real names and classes put in. One small
    `exec` for all of them (about 0.1 ms of import)."""
    source = ["def templates(new, subclass_node):\n    _cls = _twin = None\n"]
    for count in range(1, most + 1):
        names = _PLACEHOLDERS[:count]
        stores = "".join(f"            self.{name} = {name}\n" for name in names)
        source.append(
            f"    def new{count}(cls, {', '.join(names)}):\n"
            f"        if cls is _cls:\n"
            f"            self = new(_twin)\n"
            f"{stores}"
            f"            self.__class__ = cls\n"
            f"            return self\n"
            f"        return subclass_node(cls, ({', '.join(names)},))\n"
        )
    source.append(f"    return (None, {', '.join(f'new{count}' for count in range(1, most + 1))})\n")
    namespace: dict[str, Any] = {}
    exec("".join(source), namespace)  # our own source, from the loop above
    templates: tuple[Callable[..., _Node], ...] = namespace["templates"](object.__new__, _subclass_node)
    return templates


_TEMPLATES = _constructor_templates()


def replace(node: _N, **changes: Any) -> _N:
    """A copy of `node` with some fields changed (what `dataclasses.replace` did when nodes were
    dataclasses).

    >>> replace(Compare(Field("a"), Op.EQ, Integer(1)), op=Op.NE) == Compare(Field("a"), Op.NE, Integer(1))
    True
    """
    names: tuple[str, ...] = node._fields
    values: dict[str, Any] = {name: getattr(node, name) for name in names}
    values.update(changes)
    return type(node)(**values)


@_node
class Span(_Node):
    """Where a node stands in the source text: 0-based offsets, `end` exclusive.

    `line` and `column` are 1-based, for the start.
    """

    start: int
    end: int
    line: int = 1
    column: int = 1


class Op(enum.Enum):
    """The operator of a [`Compare`][cwa_query.language.ast.Compare] node.

    The value is the canonical spelling in the condition language.
    """

    # Members are singletons, equal only to themselves: hashed by identity, in C (Enum's own
    # `__hash__` is Python code that hashes the name; the parsers, the lowering and the
    # evaluators look operators up in dicts).
    __hash__ = object.__hash__

    EQ = "="
    NE = "!="
    GT = ">"
    LT = "<"
    GE = ">="
    LE = "<="
    CONTAINS = "contains"
    NOT_CONTAINS = "not contains"
    STARTSWITH = "startswith"
    ENDSWITH = "endswith"
    LIKE = "like"
    NOT_LIKE = "not like"

    @property
    def is_ordering(self) -> bool:
        """`>`, `<`, `>=`, `<=`."""
        return self in _ORDERING

    @property
    def is_text(self) -> bool:
        """`contains`, `startswith`, `endswith`, `like` and their negations: the tests of text."""
        return self in _TEXT

    @property
    def negated(self) -> Op | None:
        """The operator that is true exactly where this one is false (for a known value).

        `None` for `startswith` / `endswith`, which have no negated form.
        """
        return _NEGATION.get(self)


_ORDERING = frozenset({Op.GT, Op.LT, Op.GE, Op.LE})
_TEXT = frozenset({Op.CONTAINS, Op.NOT_CONTAINS, Op.STARTSWITH, Op.ENDSWITH, Op.LIKE, Op.NOT_LIKE})
_NEGATION = {
    Op.EQ: Op.NE,
    Op.NE: Op.EQ,
    Op.GT: Op.LE,
    Op.LE: Op.GT,
    Op.LT: Op.GE,
    Op.GE: Op.LT,
    Op.CONTAINS: Op.NOT_CONTAINS,
    Op.NOT_CONTAINS: Op.CONTAINS,
    Op.LIKE: Op.NOT_LIKE,
    Op.NOT_LIKE: Op.LIKE,
}


@_node
class Field(_Node):
    """A field path as written: `Status`, `Client.Id`, `LoggedInUsers.LoggedInUserName`."""

    name: str
    span: Span | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        """The path split at the dots."""
        return tuple(self.name.split("."))


@_node
class String(_Node):
    """A string literal; `value` is the text without quotes or escapes."""

    value: str
    span: Span | None = None


@_node
class Integer(_Node):
    """An integer literal."""

    value: int
    span: Span | None = None


@_node
class Decimal(_Node):
    """A decimal literal, exact: `Decimal(decimal.Decimal("0.1"))`."""

    value: _decimal.Decimal
    span: Span | None = None


@_node
class Boolean(_Node):
    """`true` or `false`."""

    value: bool
    span: Span | None = None


@_node
class DateTime(_Node):
    """An unquoted ISO-8601 date (`datetime.date`) or date-time (`datetime.datetime`).

    A date-time with an offset is aware; without one it is naive (the server reads it
    as UTC). Fractions finer than a microsecond are truncated.
    """

    value: _dt.date | _dt.datetime
    span: Span | None = None


@_node
class Null(_Node):
    """The absent value: `Field = null` holds where the field is missing or null, `!=` elsewhere.

    Only `=` and `!=` take it (and `in` lists). The seed and automate dialects cannot
    write it (`Dialect.supports(Feature.NULL)` says which can).
    """

    span: Span | None = None


Literal = String | Integer | Decimal | Boolean | DateTime | Null


@_node
class Meaning(_Node):
    """What a dialect means by the words of a comparison, stamped on the nodes it reads.

    Dialects spell alike and mean differently; a tree says which meaning it holds, so two
    trees are equal only if they mean the same:

    * `text`: `"folded"`, text compares ignoring ASCII case (the Automate server), or
      `"exact"`, by code point (OData);
    * `null`: `"unknown"`, a comparison with a missing value is unknown, so `not` keeps
      it unknown (the condition language), or `"false"`, it is false and `ne` true (OData);
    * `lists`: `"some"`, a comparison over a list holds when some element does, or
      `"whole"`, a list compares with nothing (OData: use `any`/`all`);
    * `typing`: `"loose"`, numeric text equals its number (`'5' = 5`), or `"strict"`,
      numbers compare with numbers and text with text only.

    [`CONDITION_MEANING`][cwa_query.language.ast.CONDITION_MEANING] is the meaning of
    [`Compare`][cwa_query.language.ast.Compare] and [`InList`][cwa_query.language.ast.InList];
    [`ODATA_MEANING`][cwa_query.language.ast.ODATA_MEANING] that of a
    [`Expression`][cwa_query.language.ast.Expression] read from OData.

    >>> CONDITION_MEANING
    Meaning(text='folded', null='unknown', lists='some', typing='loose')
    """

    text: _Literal["folded", "exact"]
    null: _Literal["unknown", "false"]
    lists: _Literal["some", "whole"]
    typing: _Literal["loose", "strict"]


CONDITION_MEANING = Meaning("folded", "unknown", "some", "loose")
"""The condition language's (and the Automate server's) meaning."""
ODATA_MEANING = Meaning("exact", "false", "whole", "strict")
"""OData's meaning (URL Conventions 5.1.1)."""


@_node
class Compare(_Node):
    """`field op value`, e.g. `Status = 'Online'` or `Name contains 'DC'`."""

    field: Field
    op: Op
    value: Literal
    span: Span | None = None

    meaning: ClassVar[Meaning] = CONDITION_MEANING
    """The condition language's meaning (ignoring case, `null` unknown, some element of a list)."""


@_node
class InList(_Node):
    """`field in (v, ...)`, or `field not in (v, ...)` when `negated`."""

    field: Field
    values: tuple[Literal, ...]
    negated: bool = False
    span: Span | None = None

    meaning: ClassVar[Meaning] = CONDITION_MEANING
    """The condition language's meaning, as for `Compare`."""


@_node
class And(_Node):
    """All of `items` (two or more; none of them an `And`)."""

    items: tuple[Node, ...]
    span: Span | None = None


@_node
class Or(_Node):
    """Any of `items` (two or more; none of them an `Or`)."""

    items: tuple[Node, ...]
    span: Span | None = None


@_node
class Not(_Node):
    """The prefix `not (...)`."""

    operand: Node
    span: Span | None = None


@_node
class Expression(_Node):
    """A test written as a Boolean expression of values, held as read with the `meaning`
    its dialect gives the words: OData's `Name eq 'O''Neil'` (compared exactly),
    `Price mul 2 gt 10`, `Tags/any(t: t eq 'vip')`.

    A dialect's reader writes a test as a `Compare` or `InList` where one means the same
    on every record, and as an `Expression` where none does; rendering into a dialect that cannot
    say it is refused (or warned about) there, never reading.

    >>> from cwa_query import parse
    >>> parse("Name eq 'O''Neil'", dialect="odata")  # doctest: +ELLIPSIS
    Expression(expr=Binary(op=<BinaryOp.EQ: 'eq'>, left=Field(name='Name'), right=String(value="O'Neil")), meaning=...)
    """

    expr: Expr
    meaning: Meaning = ODATA_MEANING
    span: Span | None = None


# --------------------------------------------------------------------------- value expressions
# The nodes of OData's `$filter` expressions (URL Conventions 5.1.1): both sides of every
# operator are expressions, so operators are `Binary` nodes; an `Expression` holds one.


class BinaryOp(enum.Enum):
    """An infix operator; the value is its canonical (lower-case) spelling."""

    __hash__ = object.__hash__  # by identity, as Op's

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

    __hash__ = object.__hash__  # by identity, as Op's

    NOT = "not"
    NEG = "-"


# --------------------------------------------------------------------------- literals


@_node
class SpecialNumber(_Node):
    """`INF`, `-INF` or `NaN` (kept as the word, so that `NaN` equals itself)."""

    word: str
    span: Span | None = None

    @property
    def value(self) -> float:
        """The number as a `float`."""
        return float(self.word.replace("INF", "inf"))


@_node
class TimeOfDay(_Node):
    """A time of day, `13:20:00` (fractions finer than a microsecond are truncated)."""

    value: _dt.time
    span: Span | None = None


@_node
class Duration(_Node):
    """`duration'P1DT2H'`: a day-time duration (finer than a microsecond is truncated)."""

    value: _dt.timedelta
    span: Span | None = None


@_node
class Guid(_Node):
    """A GUID, `01234567-89ab-cdef-0123-456789abcdef`."""

    value: uuid.UUID
    span: Span | None = None


@_node
class EnumValue(_Node):
    """An enumeration literal `Sales.Pattern'Yellow'` (members, or their numbers, as written)."""

    type_name: str
    members: tuple[str, ...]
    span: Span | None = None


@_node
class BinaryData(_Node):
    """`binary'...'`: bytes, written in base64url."""

    value: bytes
    span: Span | None = None


@_node
class Geo(_Node):
    """A geography or geometry literal, `geography'SRID=0;Point(1 2)'`; `text` is between the quotes."""

    kind: str
    text: str
    span: Span | None = None


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


@_node
class Binary(_Node):
    """`left op right`: a comparison, arithmetic or `has` operator (`and`/`or` are
    [`Connective`][cwa_query.language.ast.Connective])."""

    op: BinaryOp
    left: Expr
    right: Expr
    span: Span | None = None


@_node
class Connective(_Node):
    """`and` / `or` over two or more `items` (n-ary: `a and b and c` is one node, so long
    chains stay flat; an item is never a `Logical` of the same `op`)."""

    op: BinaryOp
    items: tuple[Expr, ...]
    span: Span | None = None


@_node
class Unary(_Node):
    """`not operand` or `-operand`."""

    op: UnaryOp
    operand: Expr
    span: Span | None = None


@_node
class In(_Node):
    """`operand in collection`: the collection a [`ListValue`][cwa_query.language.ast.ListValue],
    an [`Array`][cwa_query.language.ast.Array], or an expression with a collection value."""

    operand: Expr
    collection: Expr
    span: Span | None = None


@_node
class ListValue(_Node):
    """`(v1, v2, ...)` of primitive literals, right of `in` only (may be empty)."""

    items: tuple[ODataLiteral, ...]
    span: Span | None = None


@_node
class Array(_Node):
    """A JSON array `[...]` (4.01); JSON strings in it are [`String`][cwa_query.language.ast.String]s."""

    items: tuple[Expr, ...]
    span: Span | None = None


@_node
class Object(_Node):
    """A JSON object `{"name": value, ...}` (4.01)."""

    members: tuple[tuple[str, Expr], ...]
    span: Span | None = None


@_node
class Variable(_Node):
    """`$it`, `$this` or `$root`."""

    name: str
    span: Span | None = None


@_node
class Alias(_Node):
    """`@name`: a parameter alias, or an annotation (`@Core.Messages`) at the head of a path."""

    name: str
    span: Span | None = None


@_node
class Member(_Node):
    """`base/name` where the step is not a plain property of a plain path: a step after a
    call, variable or alias, a type cast (`Model.Manager`), an annotation (`@Measures.Currency`).

    A path of plain property names is a [`Field`][cwa_query.language.ast.Field]. `base` is
    `None` for a type cast at the head of a path (`Model.Manager/Name`).
    """

    base: Expr | None
    name: str
    span: Span | None = None


@_node
class NamedArgument(_Node):
    """`name=value`, an argument of a (non-canonical) function."""

    name: str
    value: Expr
    span: Span | None = None


@_node
class CasePair(_Node):
    """`condition:value`, an argument of `case(...)`."""

    condition: Expr
    value: Expr
    span: Span | None = None


@_node
class Call(_Node):
    """`name(args)`: a canonical function (`contains`, `year`, ... spelt in canonical case),
    a service function (`Model.Available()`), or key access (`Items(1)`); bound to `base`
    when written after a path (`Products/Model.BestProduct()`)."""

    name: str
    args: tuple[Argument, ...]
    base: Expr | None = None
    span: Span | None = None


@_node
class Cast(_Node):
    """`cast(operand, Type)` or `cast(Type)`."""

    type_name: str
    operand: Expr | None = None
    span: Span | None = None


@_node
class IsOf(_Node):
    """`isof(operand, Type)` or `isof(Type)`."""

    type_name: str
    operand: Expr | None = None
    span: Span | None = None


@_node
class Lambda(_Node):
    """`collection/any(v: predicate)`, `collection/any()` or `collection/all(v: predicate)`."""

    collection: Expr
    kind: str
    variable: str | None = None
    predicate: Expr | None = None
    span: Span | None = None


@_node
class Count(_Node):
    """`collection/$count`, or `collection/$count($filter=predicate)`."""

    collection: Expr
    predicate: Expr | None = None
    span: Span | None = None


@_node
class Filtered(_Node):
    """`collection/$filter(predicate)`."""

    collection: Expr
    predicate: Expr
    span: Span | None = None


Expr = (
    ODataLiteral
    | Field
    | Binary
    | Connective
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
"""An argument of a [`Call`][cwa_query.language.ast.Call]."""


Predicate = Compare | InList | Expression
Logical = And | Or | Not
Node = Compare | InList | Expression | And | Or | Not
"""Any node of a condition tree: a predicate (`Compare`, `InList`, `Expression`) or logic (`And`, `Or`, `Not`)."""

NODE_TYPES = (Compare, InList, Expression, And, Or, Not)
"""The classes of [`Node`][cwa_query.language.ast.Node], for `isinstance`."""


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children (iterative: any depth).

    >>> from cwa_query import parse
    >>> [type(n).__name__ for n in walk(parse("a = 1 and not b = 2"))]
    ['And', 'Compare', 'Not', 'Compare']
    """
    out: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if isinstance(current, (And, Or)):
            stack.extend(reversed(current.items))
        elif isinstance(current, Not):
            stack.append(current.operand)
    return out


def depth(node: Node) -> int:
    """How many logical levels the tree has: a lone predicate is 1 (iterative: any depth)."""
    best = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        if isinstance(current, (And, Or)):
            stack.extend((item, level + 1) for item in current.items)
        elif isinstance(current, Not):
            stack.append((current.operand, level + 1))
    return best


def all_of(items: Iterable[Node]) -> Node:
    """`items` joined with `and`, nested `And`s spliced in; one item is returned as is.

    >>> from cwa_query import parse
    >>> all_of([parse("a = 1 and b = 2"), parse("c = 3")]) == parse("a = 1 and b = 2 and c = 3")
    True
    """
    return _joined(And, items, "all_of")


def any_of(items: Iterable[Node]) -> Node:
    """`items` joined with `or`, nested `Or`s spliced in; one item is returned as is."""
    return _joined(Or, items, "any_of")


def _joined(kind: type[And] | type[Or], items: Iterable[Node], name: str) -> Node:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else (item,))
    if not flat:
        raise ValueError(f"{name}() needs at least one item")
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def map_predicates(node: Node, function: Callable[[Node], Node]) -> Node:
    """The tree with `function` applied to every predicate, and/or rebuilt flat (iterative:
    any depth). Spans of the logic nodes are kept.

    >>> from cwa_query import parse
    >>> def bump(p):
    ...     return Compare(p.field, p.op, Integer(p.value.value + 1))
    >>> map_predicates(parse("a = 1 and not (b = 2)"), bump) == parse("a = 2 and not (b = 3)")
    True
    """
    # Post-order rebuild without recursion: any depth the parser allows.
    stack: list[tuple[Node, bool]] = [(node, False)]
    done: list[Node] = []
    while stack:
        current, expanded = stack.pop()
        if isinstance(current, (Compare, InList, Expression)):
            done.append(function(current))
        elif not expanded:
            stack.append((current, True))
            children = current.items if isinstance(current, (And, Or)) else (current.operand,)
            stack.extend((child, False) for child in reversed(children))
        elif isinstance(current, Not):
            done.append(Not(done.pop(), current.span))
        else:
            count = len(current.items)
            items = done[-count:]
            del done[-count:]
            joined = all_of(items) if isinstance(current, And) else any_of(items)
            if isinstance(joined, (And, Or)) and type(joined) is type(current):
                joined = type(current)(joined.items, current.span)
            done.append(joined)
    return done[0]


def children(node: Expr | NamedArgument | CasePair) -> tuple[Expr, ...]:
    """The expressions directly below `node`, in source order."""
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Connective):
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
    if isinstance(node, (Lambda, Count)):
        return (node.collection,) if node.predicate is None else (node.collection, node.predicate)
    if isinstance(node, Filtered):
        return (node.collection, node.predicate)
    return ()


def walk_expression(node: Expr) -> list[Expr]:
    """Every node of the expression, parents before children (iterative: any depth).

    >>> [type(n).__name__ for n in walk_expression(Binary(BinaryOp.GT, Field("Price"), Integer(5)))]
    ['Binary', 'Field', 'Integer']
    """
    out: list[Expr] = []
    stack: list[Expr] = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


def expression_depth(node: Expr) -> int:
    """How deep the expression nests: a lone literal or path is 1 (iterative: any depth)."""
    best = 0
    stack: list[tuple[Expr, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in children(current))
    return best
