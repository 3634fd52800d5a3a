"""Translation between any two dialects, through the shared tree, keeping the meaning."""

from __future__ import annotations

from typing import Any

from ..language import ast
from ..language.paths import ascii_lower
from ._base import Dialect, DialectLike, Feature, UnsupportedLevel, check_depth, unsupported_level
from ._fields import NO_FIELDS, FieldTypes, Schemas
from ._registry import get_dialect
from .condition import CONDITION

__all__ = ["translate"]


def translate(
    cond: Any,
    source: DialectLike | None,
    target: DialectLike,
    *,
    schema: Schemas = None,
    endpoint: str | None = None,
    unsupported: UnsupportedLevel | None = None,
) -> ast.Node:
    """`cond` rewritten into the constructs of `target`, with the same meaning on every record.

    `cond` is condition text of `source` (read by its grammar), or a tree as `source`
    reads it (a node or a builder expression); `source=None` takes the shared tree (text
    in the condition grammar's union of seed and automate). The result is the shared tree
    as `target` reads its rendering: `render(result, target)` is the text to send, and
    `evaluate(result, record) == evaluate(cond, record)` for every record.

    `schema` (and `endpoint`) say which fields hold lists or date-times (several schemas:
    the first that knows a field answers). A rewrite that is
    exact only for some kinds of field (`not (a < 1)` as `a >= 1`, only when `a` is not a
    list; `like '%x%'` as `contains 'x'`, only on text) is refused with
    [`UntranslatableError`][cwa_query.UntranslatableError] when the schema says the field
    is of another kind, and made with a
    [`TranslationWarning`][cwa_query.errors.TranslationWarning] when nothing is known. A
    construct with no faithful spelling in `target` (`like 'a_c'` in seed, `null` in
    automate) is refused, naming it and its position. `unsupported` picks what the
    rewrites that are exact only under an unconfirmed condition do: `"warn"` (the
    default), `"raise"` (refuse them too) or `"ignore"`.

    With an `endpoint`, fields a dialect names otherwise than the real server are renamed
    (the seed document's `ClientID` is `Client.Id` on Computers: see the `seed` dialect's
    table), so the result filters the target's records of that endpoint.

    >>> from cwa_query import render, translate, load_schema
    >>> render(translate("Name like 'SRV%' and not (Id in (1, 2))", "automate", "seed"), "seed")
    "Name startswith 'SRV' and not (Id in (1, 2))"
    >>> render(translate("not (Name startswith 'a')", "seed", "automate"), "automate")
    "Name not like 'a%'"
    >>> schema = load_schema(dialect="automate")
    >>> translate("OpenPortsTCP like '%44%'", "automate", "seed", schema=schema, endpoint="Computers")
    Traceback (most recent call last):
    ...
    cwa_query.errors.UntranslatableError: cannot translate `OpenPortsTCP like '%44%'` at line 1, column 1 to seed: ...
    """
    with unsupported_level(unsupported):
        return _translate(cond, source, target, schema, endpoint)


def _translate(
    cond: Any, source: DialectLike | None, target: DialectLike, schema: Schemas, endpoint: str | None
) -> ast.Node:
    src = None if source is None else get_dialect(source)
    dst = get_dialect(target)
    fields = NO_FIELDS if schema is None else FieldTypes(schema, endpoint)
    if isinstance(cond, str) and src is not None:
        keep = dst.supports(Feature.EXPRESSIONS)  # a target that says them keeps them, exactly
        tree = _renamed(src.read_shared(cond, fields, keep=keep), src.field_names(endpoint), fields)
    else:
        tree = _read(cond, src)
        check_depth(tree)
        if src is not None:
            tree = _renamed(src.lower(tree, fields), src.field_names(endpoint), fields)
    if src is not None and not dst.supports(Feature.EXPRESSIONS):
        tree = src.lower_expressions(tree, fields)
    dst.check_expressions(tree)
    result = dst.lower(dst.lift(tree, fields), fields)
    return _renamed(result, {path: name for name, path in dst.field_names(endpoint).items()}, fields)


def _renamed(tree: ast.Node, renames: dict[str, str], fields: FieldTypes) -> ast.Node:
    """The tree with every field named (ignoring ASCII case) in `renames` renamed, where the
    schemas (if any) know the new name: a schema of your own that names the field as the
    source does keeps it."""
    names = {
        ascii_lower(name): path for name, path in renames.items() if not fields.known or fields.info(path) is not None
    }
    if not names:
        return tree

    def rename(node: ast.Node) -> ast.Node:
        if isinstance(node, ast.Expression):
            return node  # an OData expression names fields in OData, as the server does
        assert isinstance(node, (ast.Compare, ast.InList))
        path = names.get(ascii_lower(node.field.name))
        if path is None:
            return node
        return ast.replace(node, field=ast.Field(path, node.field.span))

    return ast.map_predicates(tree, rename)


def _read(cond: Any, source: Dialect | None) -> ast.Node:
    if isinstance(cond, str):  # text of a source dialect is read by `Dialect.read_shared`
        tree: ast.Node = CONDITION.parse(cond)
        return tree
    node = getattr(cond, "node", cond)
    if not isinstance(node, ast.NODE_TYPES):
        raise TypeError(f"expected a condition (node, builder expression or str), not {type(cond).__name__}")
    return node
