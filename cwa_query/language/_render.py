"""Rendering trees to condition text in a dialect, and encoding it for a URL.

The dialect objects ([`cwa_query.dialects`][cwa_query.dialects]) do the work: each one
lifts the shared tree into its own constructs and writes the text; all quoting happens in
their `quote` methods, and nothing else in cwa_query writes a quote character into a
condition. This module holds the entry points that accept a dialect's name or object.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, TypeAlias

from .._defaults import DEFAULT_DIALECT
from ..dialects import DialectLike, FieldTypes, Schemas, UnsupportedLevel, check_depth, get_dialect, unsupported_level
from . import ast
from ._parser import parse
from .literals import escape_like, format_datetime

if TYPE_CHECKING:
    from .builder import Condition

__all__ = [
    "as_node",
    "encode",
    "escape_like",
    "format_datetime",
    "quote_literal",
    "render",
    "to_dialect",
]

Renderable: TypeAlias = "ast.Node | Condition | str"


def as_node(expr: Renderable) -> ast.Node:
    """A node from a node, a builder [`Condition`][cwa_query.Condition] or condition text."""
    if isinstance(expr, str):
        return parse(expr)
    node = getattr(expr, "node", expr)
    if not isinstance(node, ast.NODE_TYPES):
        raise TypeError(f"expected a condition (node, builder expression or str), not {type(expr).__name__}")
    return node


def quote_literal(literal: ast.Literal, dialect: DialectLike = DEFAULT_DIALECT, *, escape_quotes: bool = False) -> str:
    """The text of one literal in `dialect` (its `literal` method, where quotes are written).

    >>> from cwa_query import ast
    >>> quote_literal(ast.String("O'Brien"), "seed")
    "'O''Brien'"
    >>> quote_literal(ast.String("O'Brien"), "automate")
    '"O\\'Brien"'
    """
    return get_dialect(dialect).literal(literal, escape_quotes=escape_quotes)


def to_dialect(
    expr: Renderable, dialect: DialectLike = DEFAULT_DIALECT, *, schema: Schemas = None, endpoint: str | None = None
) -> ast.Node:
    """The tree as `render` writes it in `dialect` (the dialect's `spell`).

    For `seed` the tree is unchanged. For `automate`, `startswith`/`endswith` become
    `like` and prefix `not` is pushed inward (De Morgan; `not (a < 1)` is `a >= 1`,
    `not (a in (...))` is `a not in (...)`).

    `not (a < 1)` and `a >= 1` differ when `a` holds a list (`[0, 5]`), so the rewrite asks
    `schema`/`endpoint`; without them it is made with a
    [`TranslationWarning`][cwa_query.errors.TranslationWarning].

    >>> from cwa_query import F, load_schema, render
    >>> schema = load_schema({"endpoints": {"Things": {"fields": {"a": "integer", "Name": "string"}}}})
    >>> tree = to_dialect(~((F.a < 1) | F.Name.startswith("x")), "automate", schema=schema, endpoint="Things")
    >>> render(tree, "automate")
    "a >= 1 and Name not like 'x%'"
    """
    node = as_node(expr)
    target = get_dialect(dialect)
    check_depth(node)
    return target.spell(node, FieldTypes(schema, endpoint))


def render(
    expr: Renderable,
    dialect: DialectLike = DEFAULT_DIALECT,
    *,
    escape_quotes: bool = False,
    schema: Schemas = None,
    endpoint: str | None = None,
    unsupported: UnsupportedLevel | None = None,
) -> str:
    """The canonical condition text of `expr` in `dialect` (a name or a dialect object).

    `expr` is a node, a builder expression or condition text (parsed first). Canonical:
    single spaces around operators, lowercase keywords, fields as written, `in (a, b)`,
    parentheses only where precedence needs them, `not (...)` always parenthesised.

    Raises [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError] for
    `automate` when a string holds both quote kinds, unless `escape_quotes=True`. A rewrite
    the dialect needs that is exact only for some fields (automate's `not (a < 1)` as
    `a >= 1`) asks `schema`/`endpoint` and warns with a
    [`TranslationWarning`][cwa_query.errors.TranslationWarning] when they cannot say (so
    does OData's number against a field that may hold text: an `id` is `Id eq 5 or Id eq '5'`);
    `unsupported="raise"` refuses such a rewrite instead, `"ignore"` makes it silently. What
    the dialect cannot say at all is refused at every level.

    >>> from cwa_query import F, render
    >>> cond = (F.Status == "Online") & ~F.Name.startswith("SRV_")
    >>> render(cond)  # the default: automate, the real server's dialect
    "Status = 'Online' and Name not like 'SRV\\\\_%'"
    >>> render(cond, "seed")
    "Status = 'Online' and not (Name startswith 'SRV_')"
    """
    target, node = get_dialect(dialect), as_node(expr)
    with unsupported_level(unsupported):
        return target.render(node, escape_quotes=escape_quotes, schema=schema, endpoint=endpoint)


def encode(
    expr: Renderable,
    dialect: DialectLike = DEFAULT_DIALECT,
    *,
    escape_quotes: bool = False,
    schema: Schemas = None,
    endpoint: str | None = None,
) -> str:
    """The rendered condition percent-encoded for a query string.

    Every character outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded,
    as UTF-8: so `%` in a like pattern travels as `%25` and a space as `%20`.

    >>> from cwa_query import F, encode
    >>> encode(F.Name.like("%DC%"), "automate")
    'Name%20like%20%27%25DC%25%27'
    """
    text = render(expr, dialect, escape_quotes=escape_quotes, schema=schema, endpoint=endpoint)
    return urllib.parse.quote(text, safe="")
