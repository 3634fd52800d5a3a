"""What a rule sees: the text, its tree (or its syntax error), the dialect and the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..dialects import Dialect, FieldTypes
from ..errors import ConditionSyntaxError, CwaQueryError
from ..language import ast
from ..language._render import quote_literal
from ..schema import FieldInfo, Schema
from ._model import Finding, Splice

__all__ = ["Context", "Predicate"]

Predicate = ast.Compare | ast.InList


class Context(NamedTuple):
    """The condition under lint.

    `tree` is `None` when the text does not parse; `error` then holds the syntax error.
    `endpoint` is the schema's canonical endpoint name, or `None` for "any endpoint";
    `parameter` the dialect's filter parameter the text is for (`None`: its main one).
    """

    text: str
    dialect: Dialect
    schema: Schema
    endpoint: str | None
    url_budget: int
    tree: ast.Node | None
    error: ConditionSyntaxError | None
    parameter: str | None = None

    # ------------------------------------------------------------------ tree

    def predicates(self) -> Iterator[Predicate]:
        """Every comparison and `in` list, in source order."""
        if self.tree is None:
            return
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Compare, ast.InList)):
                yield node
            elif isinstance(node, ast.Expression):
                yield from _comparisons(node.expr)

    def fields(self) -> Iterator[ast.Field]:
        """Every field of the endpoint the condition names, in source order: each predicate's
        field, and every path inside an OData expression (arithmetic operands, function
        arguments, a lambda's collection), except the paths inside a lambda's, a `$count`'s
        or a filtered collection's predicate, which name the items, not the endpoint's fields."""
        if self.tree is None:
            return
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Compare, ast.InList)):
                yield node.field
            elif isinstance(node, ast.Expression):
                yield from _paths(node.expr)

    def lambdas(self) -> Iterator[ast.Lambda]:
        """The `any`/`all` tests inside OData expressions whose collection is an endpoint field."""
        if self.tree is None:
            return
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Expression):
                for expr in _outer(node.expr):
                    if isinstance(expr, ast.Lambda) and isinstance(expr.collection, ast.Field):
                        yield expr

    def field_types(self) -> FieldTypes:
        """What the schema says of the fields, for translations (lists, date-times)."""
        return FieldTypes(self.schema, self.endpoint)

    def known_predicates(self) -> Iterator[tuple[Predicate, FieldInfo]]:
        """The predicates whose field the schema knows, with what it knows."""
        for node in self.predicates():
            info = self.schema.lookup(node.field.name, self.endpoint)
            if info is not None:
                yield node, info

    @staticmethod
    def literals(node: Predicate) -> tuple[ast.Literal, ...]:
        """The values a predicate compares with: one, or the `in` list."""
        return (node.value,) if isinstance(node, ast.Compare) else node.values

    # ------------------------------------------------------------------ text

    def source(self, node: ast.Node | ast.Field | ast.Literal) -> str:
        """The text a node was parsed from."""
        span = _span(node)
        return self.text[span.start : span.end]

    def replace(self, node: ast.Node | ast.Field | ast.Literal, replacement: str) -> Splice:
        """The fix that replaces the node's source."""
        span = _span(node)
        return Splice(span.start, span.end, replacement)

    @staticmethod
    def finding(node: ast.Node | ast.Field | ast.Literal, message: str, fix: str | Splice | None = None) -> Finding:
        """A finding over the node's source."""
        span = _span(node)
        return Finding(span.start, span.end, message, fix)

    def operator_span(self, node: Predicate) -> tuple[int, int]:
        """Where the operator of a predicate stands (`=`, `not like`, `in`, ...)."""
        start = _span(node.field).end
        if isinstance(node, ast.Compare) and node.value.span is None:  # a bare OData path: `OS` read as `OS eq true`
            return _span(node).start, start
        if isinstance(node, ast.Compare):
            end = _span(node.value).start
        else:
            end = self.text.index("(", start)
        segment = self.text[start:end]
        return start + len(segment) - len(segment.lstrip()), end - len(segment) + len(segment.rstrip())

    def quote(self, value: str) -> str | None:
        """`value` as a string literal of the dialect, or `None` if it has no safe spelling."""
        try:
            return quote_literal(ast.String(value), self.dialect)
        except CwaQueryError:
            return None


_COMPARISONS = {
    ast.BinaryOp.EQ: ast.Op.EQ,
    ast.BinaryOp.NE: ast.Op.NE,
    ast.BinaryOp.GT: ast.Op.GT,
    ast.BinaryOp.GE: ast.Op.GE,
    ast.BinaryOp.LT: ast.Op.LT,
    ast.BinaryOp.LE: ast.Op.LE,
}
_FLIPPED = {ast.Op.GT: ast.Op.LT, ast.Op.LT: ast.Op.GT, ast.Op.GE: ast.Op.LE, ast.Op.LE: ast.Op.GE}
_TEXT_CALLS = {"contains": ast.Op.CONTAINS, "startswith": ast.Op.STARTSWITH, "endswith": ast.Op.ENDSWITH}
_LITERALS = (ast.String, ast.Integer, ast.Decimal, ast.Boolean, ast.DateTime, ast.Null)


def _subject(node: ast.Expr | ast.Argument) -> ast.Field | None:
    """The path a test is about: a path, or `tolower`/`toupper`/`trim` of one."""
    if isinstance(node, ast.Field):
        return node
    if isinstance(node, ast.Call) and node.base is None and node.name in ("tolower", "toupper", "trim"):
        return _subject(node.args[0]) if len(node.args) == 1 else None
    return None


def _comparisons(expr: ast.Expr) -> Iterator[Predicate]:
    """The path-against-literal tests inside an OData expression, as the linter's tree rules
    see them (`Compare`/`InList` views at the same spans: the field, operator and literal
    are what the rules check; the meaning stays the expression's). Paths inside a lambda's
    predicate name the lambda's variable, not the endpoint's fields, and are skipped."""
    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Binary) and node.op in _COMPARISONS:
            op, left, right = _COMPARISONS[node.op], node.left, node.right
            if _subject(left) is None and _subject(right) is not None:
                op, left, right = _FLIPPED.get(op, op), right, left
            field = _subject(left)
            if field is not None and isinstance(right, _LITERALS):
                yield ast.Compare(field, op, right, node.span)
                continue
        elif isinstance(node, ast.Call) and node.base is None and node.name in _TEXT_CALLS and len(node.args) == 2:
            field, value = _subject(node.args[0]), node.args[1]
            if field is not None and isinstance(value, _LITERALS):
                yield ast.Compare(field, _TEXT_CALLS[node.name], value, node.span)
                continue
        elif isinstance(node, ast.In) and isinstance(node.collection, (ast.ListValue, ast.Array)):
            field = _subject(node.operand)
            items = node.collection.items
            if field is not None and all(isinstance(item, _LITERALS) for item in items):
                yield ast.InList(field, tuple(item for item in items if isinstance(item, _LITERALS)), False, node.span)
                continue
        elif isinstance(node, ast.Lambda):
            stack.append(node.collection)
            continue
        stack.extend(reversed(ast.children(node)))


def _outer(expr: ast.Expr) -> Iterator[ast.Expr]:
    """The expressions of `expr` in source order, not descending into item predicates."""
    stack: list[ast.Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.Lambda, ast.Count, ast.Filtered)):
            stack.append(node.collection)
        else:
            stack.extend(reversed(ast.children(node)))


def _paths(expr: ast.Expr) -> Iterator[ast.Field]:
    return (node for node in _outer(expr) if isinstance(node, ast.Field))


def _span(node: ast.Node | ast.Field | ast.Literal) -> ast.Span:
    span = node.span
    if span is None:  # pragma: no cover - the linter only sees parsed trees
        raise ValueError(f"{type(node).__name__} has no source span")
    return span
