"""Rewrite conditions into what the `seed` dialect can say.

The seed dialect has `startswith`, `endswith`, `contains`, `in` and a prefix `not`, but no
`like`, `not like`, `not contains` or `not in`. [`seed_equivalent`][cwa_query.linter.convert.seed_equivalent]
gives the seed spelling of one predicate, [`to_seed`][cwa_query.linter.convert.to_seed] of a
whole tree (leaving what has no seed equivalent as it is).

LIKE patterns follow MySQL: `%` any run, `_` any one character, a backslash escapes the next
character. A pattern converts when its only wildcards are a leading and/or trailing `%`:

>>> from cwa_query import parse, render
>>> render(to_seed(parse("Name like 'ACME%' and OS not like '%Server%'")))
"Name startswith 'ACME' and not (OS contains 'Server')"
>>> seed_equivalent(parse("Name like 'A_C%'")) is None
True
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ConditionSyntaxError
from ..language import ast
from ..language.literals import like_pattern

__all__ = ["like_pattern", "map_predicates", "seed_equivalent", "to_seed", "unquote_dates"]


def seed_equivalent(node: ast.Node) -> ast.Node | None:
    """The seed spelling of a predicate the seed dialect lacks, or `None` when there is none
    (or the predicate needs no change)."""
    if isinstance(node, ast.InList):
        return ast.Not(ast.InList(node.field, node.values, False)) if node.negated else None
    if not isinstance(node, ast.Compare):
        return None
    if node.op is ast.Op.NOT_CONTAINS:
        return ast.Not(ast.Compare(node.field, ast.Op.CONTAINS, node.value))
    if node.op not in (ast.Op.LIKE, ast.Op.NOT_LIKE) or not isinstance(node.value, ast.String):
        return None
    meaning = like_pattern(node.value.value)
    if meaning is None:
        return None
    op, value = meaning
    positive = ast.Compare(node.field, op, ast.String(value))
    if node.op is ast.Op.LIKE:
        return positive
    if op is ast.Op.EQ:
        return ast.Compare(node.field, ast.Op.NE, ast.String(value))
    return ast.Not(positive)


def to_seed(node: ast.Node) -> ast.Node:
    """The tree with every predicate that has a seed equivalent rewritten."""
    return map_predicates(node, lambda predicate: seed_equivalent(predicate) or predicate)


def unquote_dates(node: ast.Node, is_datetime: Callable[[str], bool]) -> ast.Node:
    """The tree with quoted ISO dates compared with date-time fields made date literals
    (what `automate` wants); `is_datetime(field_name)` says which fields hold date-times.

    >>> from cwa_query import parse, render
    >>> render(unquote_dates(parse("LastContact >= '2024-02-14'"), lambda name: True), "automate")
    'LastContact >= 2024-02-14'
    """
    from ..language._parser import parse
    from .rules._types import iso_date

    def convert(literal: ast.Literal) -> ast.Literal:
        bare = iso_date(literal.value) if isinstance(literal, ast.String) else None
        if bare is None:
            return literal
        try:
            tree = parse(f"x = {bare}")
        except ConditionSyntaxError:
            return literal
        return tree.value if isinstance(tree, ast.Compare) else literal

    def rewrite(predicate: ast.Node) -> ast.Node:
        if isinstance(predicate, ast.Compare) and is_datetime(predicate.field.name):
            return ast.Compare(predicate.field, predicate.op, convert(predicate.value), predicate.span)
        if isinstance(predicate, ast.InList) and is_datetime(predicate.field.name):
            values = tuple(convert(value) for value in predicate.values)
            return ast.InList(predicate.field, values, predicate.negated, predicate.span)
        return predicate

    return map_predicates(node, rewrite)


def map_predicates(node: ast.Node, function: Callable[[ast.Node], ast.Node]) -> ast.Node:
    """The tree with `function` applied to every predicate (iterative: any depth)."""
    # Post-order rebuild without recursion: any depth the parser allows.
    stack: list[tuple[ast.Node, bool]] = [(node, False)]
    done: list[ast.Node] = []
    while stack:
        current, expanded = stack.pop()
        if isinstance(current, (ast.Compare, ast.InList)):
            done.append(function(current))
        elif not expanded:
            stack.append((current, True))
            children = current.items if isinstance(current, (ast.And, ast.Or)) else (current.operand,)
            stack.extend((child, False) for child in reversed(children))
        elif isinstance(current, ast.Not):
            done.append(ast.Not(done.pop(), current.span))
        else:
            count = len(current.items)
            items = tuple(done[-count:])
            del done[-count:]
            done.append(type(current)(items, current.span))
    return done[0]
