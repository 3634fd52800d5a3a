"""The condition tree: one frozen, slotted dataclass per kind of node.

A condition is a tree of [`Node`][cwa_query.language.ast.Node] values:

* predicates: [`Compare`][cwa_query.language.ast.Compare] (`Field op value`) and
  [`InList`][cwa_query.language.ast.InList] (`Field [not] in (v, ...)`);
* logic: [`And`][cwa_query.language.ast.And] and [`Or`][cwa_query.language.ast.Or] (n-ary, never
  directly nesting their own kind) and [`Not`][cwa_query.language.ast.Not].

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

import datetime as _dt
import decimal as _decimal
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = [
    "And",
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
    "walk",
]


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node stands in the source text: 0-based offsets, `end` exclusive.

    `line` and `column` are 1-based, for the start.
    """

    start: int
    end: int
    line: int = 1
    column: int = 1


_SPAN = field(default=None, compare=False, hash=False, repr=False)


class Op(enum.Enum):
    """The operator of a [`Compare`][cwa_query.language.ast.Compare] node.

    The value is the canonical spelling in the condition language.
    """

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
    def negated(self) -> Op | None:
        """The operator that is true exactly where this one is false (for a known value).

        `None` for `startswith` / `endswith`, which have no negated form.
        """
        return _NEGATION.get(self)


_ORDERING = frozenset({Op.GT, Op.LT, Op.GE, Op.LE})
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


@dataclass(frozen=True, slots=True)
class Field:
    """A field path as written: `Status`, `Client.Id`, `LoggedInUsers.LoggedInUserName`."""

    name: str
    span: Span | None = _SPAN

    @property
    def parts(self) -> tuple[str, ...]:
        """The path split at the dots."""
        return tuple(self.name.split("."))


@dataclass(frozen=True, slots=True)
class String:
    """A string literal; `value` is the text without quotes or escapes."""

    value: str
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Integer:
    """An integer literal."""

    value: int
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Decimal:
    """A decimal literal, exact: `Decimal(decimal.Decimal("0.1"))`."""

    value: _decimal.Decimal
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Boolean:
    """`true` or `false`."""

    value: bool
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class DateTime:
    """An unquoted ISO-8601 date (`datetime.date`) or date-time (`datetime.datetime`).

    A date-time with an offset is aware; without one it is naive (the server reads it
    as UTC). Fractions finer than a microsecond are truncated.
    """

    value: _dt.date | _dt.datetime
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Null:
    """The absent value: `Field = null` holds where the field is missing or null, `!=` elsewhere.

    Only `=` and `!=` take it (and `in` lists). The seed and automate dialects cannot
    write it (`Dialect.supports(Feature.NULL)` says which can).
    """

    span: Span | None = _SPAN


Literal = String | Integer | Decimal | Boolean | DateTime | Null


@dataclass(frozen=True, slots=True)
class Compare:
    """`field op value`, e.g. `Status = 'Online'` or `Name contains 'DC'`."""

    field: Field
    op: Op
    value: Literal
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class InList:
    """`field in (v, ...)`, or `field not in (v, ...)` when `negated`."""

    field: Field
    values: tuple[Literal, ...]
    negated: bool = False
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class And:
    """All of `items` (two or more; none of them an `And`)."""

    items: tuple[Node, ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Or:
    """Any of `items` (two or more; none of them an `Or`)."""

    items: tuple[Node, ...]
    span: Span | None = _SPAN


@dataclass(frozen=True, slots=True)
class Not:
    """The prefix `not (...)`."""

    operand: Node
    span: Span | None = _SPAN


Predicate = Compare | InList
Logical = And | Or | Not
Node = Compare | InList | And | Or | Not
"""Any node of a condition tree: a predicate (`Compare`, `InList`) or logic (`And`, `Or`, `Not`)."""


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
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, And) else (item,))
    if not flat:
        raise ValueError("all_of() needs at least one item")
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def any_of(items: Iterable[Node]) -> Node:
    """`items` joined with `or`, nested `Or`s spliced in; one item is returned as is."""
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, Or) else (item,))
    if not flat:
        raise ValueError("any_of() needs at least one item")
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


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
        if isinstance(current, (Compare, InList)):
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
