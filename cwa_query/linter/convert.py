"""Rewrite conditions into what the `seed` dialect can say: thin helpers over the dialect objects.

The work is done by the `seed` dialect's `lift` (see [`translate`][cwa_query.translate],
which also refuses or warns where a rewrite would change the meaning on some records).
[`seed_equivalent`][cwa_query.linter.convert.seed_equivalent] gives the seed spelling of one
predicate, [`to_seed`][cwa_query.linter.convert.to_seed] of a whole tree (leaving what has no
faithful seed equivalent as it is):

>>> from cwa_query import parse, render
>>> render(to_seed(parse("Name like 'ACME%' and OS not like 'Win%'")), "seed")
"Name startswith 'ACME' and not (OS startswith 'Win')"
>>> seed_equivalent(parse("Name like 'A_C%'")) is None
True
"""

from __future__ import annotations

from collections.abc import Callable

from ..dialects import get_dialect
from ..errors import UntranslatableError
from ..language import ast
from ..language.ast import map_predicates
from ..language.literals import iso_date, like_pattern, parse_datetime

__all__ = ["like_pattern", "map_predicates", "seed_equivalent", "to_seed", "unquote_dates"]


def seed_equivalent(node: ast.Node) -> ast.Node | None:
    """The seed spelling of a predicate the seed dialect lacks, or `None` when there is none
    (or the predicate needs no change)."""
    try:
        lifted = get_dialect("seed").lift(node)
    except UntranslatableError:
        return None
    return None if lifted == node else lifted


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

    def convert(literal: ast.Literal) -> ast.Literal:
        bare = iso_date(literal.value) if isinstance(literal, ast.String) else None
        if bare is None:
            return literal
        try:
            return ast.DateTime(parse_datetime(bare), literal.span)
        except ValueError:
            return literal

    def rewrite(predicate: ast.Node) -> ast.Node:
        if isinstance(predicate, ast.Compare) and is_datetime(predicate.field.name):
            return ast.Compare(predicate.field, predicate.op, convert(predicate.value), predicate.span)
        if isinstance(predicate, ast.InList) and is_datetime(predicate.field.name):
            values = tuple(convert(value) for value in predicate.values)
            return ast.InList(predicate.field, values, predicate.negated, predicate.span)
        return predicate

    return map_predicates(node, rewrite)
