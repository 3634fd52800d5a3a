"""What a rule sees: the text, its tree (or its syntax error), the dialect and the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..dialects import Dialect, DialectLike, FieldTypes
from ..errors import ConditionSyntaxError, CwaQueryError
from ..language import ast
from ..language._render import quote_literal, render
from ..schema import FieldInfo, Schema
from ._model import Splice

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

    def field(self, node: Predicate) -> FieldInfo | None:
        """What the schema knows of the node's field (`None`: unknown)."""
        return self.schema.lookup(node.field.name, self.endpoint)

    def field_types(self) -> FieldTypes:
        """What the schema says of the fields, for translations (lists, date-times)."""
        return FieldTypes(self.schema, self.endpoint)

    def known_predicates(self) -> Iterator[tuple[Predicate, FieldInfo]]:
        """The predicates whose field the schema knows, with what it knows."""
        for node in self.predicates():
            info = self.field(node)
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

    def splice(self, start: int, end: int, replacement: str) -> Splice:
        """The fix that replaces `[start, end)` of the text."""
        return Splice(start, end, replacement)

    def replace(self, node: ast.Node | ast.Field | ast.Literal, replacement: str) -> Splice:
        """The fix that replaces the node's source."""
        span = _span(node)
        return self.splice(span.start, span.end, replacement)

    def operator_span(self, node: Predicate) -> tuple[int, int]:
        """Where the operator of a predicate stands (`=`, `not like`, `in`, ...)."""
        start = _span(node.field).end
        if isinstance(node, ast.Compare):
            end = _span(node.value).start
        else:
            end = self.text.index("(", start)
        segment = self.text[start:end]
        return start + len(segment) - len(segment.lstrip()), end - len(segment) + len(segment.rstrip())

    def render(self, node: ast.Node, dialect: DialectLike | None = None) -> str | None:
        """`node` rendered in `dialect` (default: the context's), or `None` if it cannot be."""
        try:
            return render(node, dialect or self.dialect)
        except CwaQueryError:
            return None

    def quote(self, value: str, dialect: DialectLike | None = None) -> str | None:
        """`value` as a string literal of the dialect, or `None` if it has no safe spelling."""
        try:
            return quote_literal(ast.String(value), dialect or self.dialect)
        except CwaQueryError:
            return None


def _span(node: ast.Node | ast.Field | ast.Literal) -> ast.Span:
    span = node.span
    if span is None:  # pragma: no cover - the linter only sees parsed trees
        raise ValueError(f"{type(node).__name__} has no source span")
    return span
