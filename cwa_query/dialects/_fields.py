"""What a translation knows of the fields it meets: from a schema (and endpoint), or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

from ..errors import SchemaError
from ..language import ast
from ..language.literals import DATE_RE, parse_datetime

if TYPE_CHECKING:
    from ..schema import FieldInfo, Schema

__all__ = ["NO_FIELDS", "FieldTypes", "Schemas"]

Schemas: TypeAlias = "Schema | Sequence[Schema] | None"
"""One schema, several (the first that knows a field answers), or none."""


class FieldTypes:
    """Answers "is this field a list?", "does it hold date-times?" from a schema, or `None`
    (unknown) when there is no schema or the schema does not know the field. Given several
    schemas (the source's and the target's), the first that knows a field answers; an
    endpoint a schema does not have makes that schema silent.

    >>> from cwa_query import load_schema
    >>> from cwa_query.language import ast
    >>> types = FieldTypes(load_schema(dialect="automate"), "Computers")
    >>> types.holds_list(ast.Field("OpenPortsTCP")), types.type(ast.Field("RemoteAgentLastContact"))
    (True, 'datetime')
    >>> FieldTypes().holds_list(ast.Field("OpenPortsTCP")) is None
    True
    """

    __slots__ = ("_cache", "_depth", "endpoint", "schemas")

    def __init__(self, schema: Schemas = None, endpoint: str | None = None) -> None:
        given: object = schema  # checked at run time: callers outside mypy pass names too
        if schema is None:
            self.schemas: tuple[Schema, ...] = ()
        elif isinstance(given, Sequence) and not isinstance(given, (str, bytes)):
            self.schemas = tuple(given)
        else:
            self.schemas = (schema,)  # type: ignore[assignment]  # a lone Schema, or refused below
        for each in self.schemas:
            if not callable(getattr(each, "lookup", None)):
                raise TypeError(
                    f"schema= takes a Schema or a sequence of them, not {each!r}: "
                    "load one with cwa_query.load_schema(...), e.g. load_schema(dialect='automate')"
                )
        self.endpoint = endpoint
        self._cache: dict[str, FieldInfo | None] = {}
        self._depth: int | None = None

    def __repr__(self) -> str:
        return f"FieldTypes({self.schemas!r}, {self.endpoint!r})"

    @property
    def known(self) -> bool:
        """Whether there is any schema to ask."""
        return bool(self.schemas)

    def info(self, path: str) -> FieldInfo | None:
        """The first schema's entry for `path`, or `None`."""
        if path in self._cache:
            return self._cache[path]
        found = None
        for schema in self.schemas:
            try:
                found = schema.lookup(path, self.endpoint)
            except SchemaError:  # the endpoint is not in this schema
                continue
            if found is not None:
                break
        self._cache[path] = found
        return found

    def _deepest(self) -> int:
        """The most parts any schema's field path has (0 without a schema)."""
        if self._depth is None:
            most = 0
            for schema in self.schemas:
                try:
                    paths = schema.fields(self.endpoint)
                except SchemaError:  # the endpoint is not in this schema
                    continue
                most = max([most, *(path.count(".") + 1 for path in paths)])
            self._depth = most
        return self._depth

    def type(self, field: ast.Field) -> str | None:
        """The field's type (`"string"`, `"datetime"`, ...), `None` when unknown or `any`."""
        info = self.info(field.name)
        if info is None or info.type == "any":
            return None
        return info.type

    def holds_list(self, field: ast.Field) -> bool | None:
        """Whether the value at the end of the path is a list (`contains` then tests membership)."""
        info = self.info(field.name)
        if info is None or info.type == "any":
            return None
        return info.array

    def through_list(self, field: ast.Field) -> bool | None:
        """Whether the path meets a list anywhere (then a predicate holds for *any* element)."""
        parts = field.parts
        deepest = self._deepest()
        unknown = len(parts) > deepest  # a prefix past every schema path is unknown: not looked up one by one
        for end in range(1, min(len(parts), deepest) + 1):
            info = self.info(".".join(parts[:end]))
            if info is None or info.type == "any":
                unknown = True
                continue
            if info.array:
                return True
        return None if unknown else False

    def typed_dates(self, tree: ast.Node) -> ast.Node:
        """The tree with quoted ISO dates compared with fields the schema types as
        date-time made date-time literals (the same tree when nothing is known).

        >>> from cwa_query import load_schema, parse
        >>> types = FieldTypes(load_schema(dialect="automate"), "Computers")
        >>> tree = types.typed_dates(parse("RemoteAgentLastContact < '2024-01-01'"))
        >>> tree == parse("RemoteAgentLastContact < 2024-01-01")
        True
        """
        if not self.schemas:
            return tree

        def typed(field: ast.Field, value: ast.Literal) -> ast.Literal:
            if isinstance(value, ast.String) and DATE_RE.fullmatch(value.value) and self.type(field) == "datetime":
                try:
                    return ast.DateTime(parse_datetime(value.value), value.span)
                except ValueError:
                    return value
            return value

        def predicate(node: ast.Node) -> ast.Node:
            if isinstance(node, ast.Compare):
                return ast.Compare(node.field, node.op, typed(node.field, node.value), node.span)
            if isinstance(node, ast.InList):
                values = tuple(typed(node.field, value) for value in node.values)
                return ast.InList(node.field, values, node.negated, node.span)
            return node

        return ast.map_predicates(tree, predicate)


NO_FIELDS = FieldTypes()
"""Knows nothing: every question is answered `None`."""
