"""The parse entry point: condition text into the shared tree, in a dialect or in their union.

The work is split in three modules, so that any grammar under `grammar/` is driven the
same way: [`_lalr`][cwa_query.language._lalr] builds and stores the LALR(1) tables from a
grammar file, [`_driver`][cwa_query.language._driver] runs them with a grammar's own
callbacks (its module docstring says how a dialect plugs its grammar in), and
[`_diagnose`][cwa_query.language._diagnose] turns a failure into a
[`ConditionSyntaxError`][cwa_query.ConditionSyntaxError] with words a person understands.
"""

from __future__ import annotations

from ..dialects import DialectLike, get_dialect
from ..dialects.condition import CONDITION
from . import ast
from ._driver import DEFAULT_LIMITS, ParseLimits

__all__ = ["DEFAULT_LIMITS", "ParseLimits", "parse"]


def parse(text: str, *, dialect: DialectLike | None = None, limits: ParseLimits = DEFAULT_LIMITS) -> ast.Node:
    """Parse a condition into its tree.

    Without `dialect`, the condition grammar's union of `seed` and `automate` is read (what
    the linter and the formatter take). With one, the text is read in that dialect: a
    construct it lacks is a syntax error at its position, and the tree is lowered to the
    shared tree.

    Raises [`ConditionSyntaxError`][cwa_query.ConditionSyntaxError] (a `ValueError`) with
    the position, what was expected, a hint and a caret snippet when the text is not a
    condition, and [`ConditionLimitError`][cwa_query.ConditionLimitError] when it exceeds
    one of `limits`.

    >>> from cwa_query import parse
    >>> parse("Status = 'Online' and Client.Id = 5")  # doctest: +ELLIPSIS
    And(items=(Compare(field=Field(name='Status'), op=<Op.EQ: '='>, value=String(value='Online')), ...
    >>> parse("Name like 'a%'", dialect="seed")
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConditionSyntaxError: the seed dialect has no `like` at line 1, column 1...
    """
    if dialect is not None:
        return get_dialect(dialect).parse(text, limits=limits)
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the condition as str, not {type(text).__name__}")
    tree: ast.Node = CONDITION.parse(text, limits)
    return tree
