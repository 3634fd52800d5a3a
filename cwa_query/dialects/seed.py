"""The `seed` dialect: the condition language as the seed document describes it.

Strings in single quotes (a quote inside doubled), dates as quoted ISO strings,
`startswith` / `endswith` / `contains` / `in` and a prefix `not`; no `like`, `not like`,
`not contains`, `not in`, `eq`, double quotes, booleans or unquoted dates.

>>> from cwa_query.dialects import get_dialect
>>> from cwa_query import F
>>> get_dialect("seed").render(((F.LastContact >= "2024-01-01") & ~F.Name.startswith("x")).node)
"LastContact >= '2024-01-01' and not (Name startswith 'x')"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..language import ast
from ..language.literals import format_datetime
from ._base import Feature
from .condition import ConditionDialect

if TYPE_CHECKING:
    from ..schema import Schema

__all__ = ["Seed"]


class Seed(ConditionDialect):
    """The seed document's dialect."""

    name = "seed"
    title = "the seed dialect"
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

    def lift(self, tree: ast.Node, *, schema: Schema | None = None, endpoint: str | None = None) -> ast.Node:
        """The tree unchanged: constructs the seed dialect lacks are written as they are
        (the linter's `unsupported-in-dialect` reports them)."""
        return tree
