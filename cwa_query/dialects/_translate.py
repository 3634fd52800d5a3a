"""Translation between any two dialects, through the shared tree, keeping the meaning."""

from __future__ import annotations

from typing import Any

from ..language import ast
from ._base import Dialect, DialectLike, check_depth
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
    automate) is refused, naming it and its position.

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
    src = None if source is None else get_dialect(source)
    dst = get_dialect(target)
    fields = NO_FIELDS if schema is None else FieldTypes(schema, endpoint)
    tree = _read(cond, src)
    check_depth(tree)
    if src is not None:
        tree = src.lower(tree, fields)
    return dst.lower(dst.lift(tree, fields), fields)


def _read(cond: Any, source: Dialect | None) -> ast.Node:
    if isinstance(cond, str):
        if source is None:
            tree: ast.Node = CONDITION.parse(cond)
            return tree
        return source.read(cond)
    node = getattr(cond, "node", cond)
    if not isinstance(node, (ast.Compare, ast.InList, ast.And, ast.Or, ast.Not)):
        raise TypeError(f"expected a condition (node, builder expression or str), not {type(cond).__name__}")
    return node
