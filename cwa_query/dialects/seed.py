"""The `seed` dialect: the condition language as the seed document describes it.

Strings in single quotes (a quote inside doubled), dates as quoted ISO strings,
`startswith` / `endswith` / `contains` / `in` and a prefix `not`; no `like`, `not like`,
`not contains`, `not in`, `eq`, double quotes, booleans or unquoted dates.

Lifting a shared tree into seed constructs (`render`, `translate`):

* `not in`, `not contains`, `not like` become a prefix `not (...)` (exact);
* `like` becomes `startswith` / `endswith` when its only wildcard is a leading or trailing
  `%` (exact); `like '%x%'` becomes `contains 'x'` only when the field holds text, not a
  list (on a list, `contains` tests membership), and `like 'x'` becomes `= 'x'` only when
  the field holds text; a pattern with `_` or an inner `%` has no seed spelling;
* `true` / `false` become `1` / `0` (the values they compare as), except in text tests;
* a date literal is written quoted, which the seed server reads as a date only on a
  date-time field (so the schema must say the field is one).

`render(tree, "seed")` does not lift: it writes the tree as it is (`spell` is the identity),
so any tree of the condition language can be shown in single quotes, and the linter's
`unsupported-in-dialect` reports what the seed dialect lacks; `translate` lifts.

>>> from cwa_query.dialects import get_dialect
>>> from cwa_query import F
>>> get_dialect("seed").render(((F.LastContact >= "2024-01-01") & ~F.Name.startswith("x")).node)
"LastContact >= '2024-01-01' and not (Name startswith 'x')"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from ..language import ast
from ..language.literals import DATE_RE, format_datetime, like_pattern
from ._base import Feature
from ._fields import NO_FIELDS, FieldTypes
from .condition import ConditionDialect

__all__ = ["Seed"]


class Seed(ConditionDialect):
    """The seed document's dialect."""

    name = "seed"
    title = "the seed dialect"
    schema_file = "seed_schema.json"
    # The seed document's field names on the real server (its catalogue,
    # cwa_query/data/automate_schema.json, from the server's OpenAPI document): read from
    # the reference of the seed document's patterns and checked against that catalogue.
    field_names_by_endpoint: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "Computers": {
            "ComputerID": "Id",
            "ClientID": "Client.Id",
            "LocationID": "Location.Id",
            "Name": "ComputerName",
            "OS": "OperatingSystemName",
            "LastContact": "RemoteAgentLastContact",
        },
        "Clients": {"ClientID": "Id"},
        "Alerts": {
            "AlertID": "AlertId",
            "ClientID": "Client.Id",
            "ComputerID": "Computer.Id",
            "Severity": "Severity.Id",
        },
        "Scripts": {"ScriptID": "Id", "FolderID": "Folder.Id"},
    }
    features = frozenset(
        {
            Feature.PREFIX_NOT,
            Feature.STARTSWITH,
            Feature.ENDSWITH,
            Feature.CONTAINS,
            Feature.IN,
            Feature.QUOTED_DATES,
        }
    )

    def literal(self, literal: ast.Literal, *, escape_quotes: bool = False) -> str:
        """As the condition language writes it, but dates quoted: `'2024-02-14'`."""
        if isinstance(literal, ast.DateTime):
            return self.quote(format_datetime(literal.value))
        return super().literal(literal, escape_quotes=escape_quotes)

    def lower(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """Quoted ISO dates compared with a field the schema types as date-time are dates."""
        return fields.typed_dates(tree)

    def spell(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The tree unchanged: `render` writes any tree as it is."""
        return tree

    def lift(self, tree: ast.Node, fields: FieldTypes = NO_FIELDS) -> ast.Node:
        """The tree in seed constructs, exactly (see the module documentation), or
        [`UntranslatableError`][cwa_query.UntranslatableError]."""
        return ast.map_predicates(self.string_patterns(tree), lambda node: self._predicate(node, fields))

    def _predicate(self, node: ast.Node, fields: FieldTypes) -> ast.Node:
        if isinstance(node, ast.Expression):
            raise self.expression_error(node)
        if isinstance(node, ast.InList):
            values = tuple(self._value(node, node.field, value, fields) for value in node.values)
            positive = ast.InList(node.field, values, False, node.span)
            return ast.Not(positive, node.span) if node.negated else positive
        assert isinstance(node, ast.Compare)
        value = self._value(node, node.field, node.value, fields)
        if node.op is ast.Op.NOT_CONTAINS:
            return ast.Not(ast.Compare(node.field, ast.Op.CONTAINS, value, node.span), node.span)
        if node.op in (ast.Op.LIKE, ast.Op.NOT_LIKE):
            matched = self._like(node, fields)
            if node.op is ast.Op.LIKE:
                return matched
            if matched.op is ast.Op.EQ:
                return ast.Compare(matched.field, ast.Op.NE, matched.value, node.span)
            return ast.Not(matched, node.span)
        return ast.Compare(node.field, node.op, value, node.span)

    def _like(self, node: ast.Compare, fields: FieldTypes) -> ast.Compare:
        if not isinstance(node.value, ast.String):
            raise self.untranslatable(node, "the seed dialect has no `like`, and the pattern is not a string")
        meaning = like_pattern(node.value.value)
        if meaning is None:
            raise self.untranslatable(
                node,
                "the seed dialect has no `like`, and this pattern has no seed equivalent (only a leading "
                "and/or trailing % converts to endswith/startswith/contains)",
            )
        op, text = meaning
        field = node.field
        if op is ast.Op.CONTAINS:
            self.require_no_list(node, fields, "`like '%x%'` as `contains` tests a substring")
        elif op is ast.Op.EQ:
            kind = fields.type(field)
            self.require(node, None if kind is None else kind == "string", f"{field.name} holds text")
        return ast.Compare(field, op, ast.String(text), node.span)

    def _value(self, node: ast.Node, field: ast.Field, value: ast.Literal, fields: FieldTypes) -> ast.Literal:
        if isinstance(value, ast.Null):
            raise self.untranslatable(node, "the seed dialect has no `null`")
        text_test = isinstance(node, ast.Compare) and node.op.is_text
        if isinstance(value, ast.Boolean):
            if text_test:
                raise self.untranslatable(node, "the seed dialect has no booleans, and a text test reads their text")
            return ast.Integer(int(value.value), value.span)
        if isinstance(value, ast.DateTime):
            kind = fields.type(field)
            self.require(
                node,
                None if kind is None else kind == "datetime" and not text_test,
                f"{field.name} holds date-times (the seed dialect quotes dates, and reads a quoted date "
                "as a date only on a date-time field)",
            )
            return ast.String(format_datetime(value.value), value.span)
        if isinstance(value, ast.String) and fields.type(field) == "datetime" and DATE_RE.fullmatch(value.value):
            self.warn(node, "the seed dialect reads a quoted date on a date-time field as a date, not as text")
        return value
