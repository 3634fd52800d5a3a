"""CWQ201 unsupported-in-dialect: a construct the target dialect does not have."""

from __future__ import annotations

from collections.abc import Iterator

from ...dialects import Dialect, get_dialect
from ...dialects.condition import ConditionDialect
from ...errors import ConditionSyntaxError
from ...language import ast
from .._context import Context, Predicate
from .._model import Example, Finding, Rule, register
from ..convert import seed_equivalent

__all__ = ["UnsupportedInDialectRule"]


@register
class UnsupportedInDialectRule(Rule):
    """A construct the target dialect does not understand, with the equivalent it does.

    * `automate` (the real server) knows no `startswith` / `endswith` and no prefix `not`:
      the fix is the whole condition as the automate dialect writes it (`like 'x%'`,
      `not` pushed inward: `not (a = 1 or b < 2)` is `a != 1 and b >= 2`).
    * `seed` (the seed document) has no `like`, `not like`, `not contains`, `not in`, `eq`,
      double-quoted strings, booleans or unquoted dates. Fixes: `like 'x%'` is
      `startswith 'x'`, `like '%x'` is `endswith 'x'`, `like '%x%'` is `contains 'x'`
      (when the pattern has no other wildcard), `not like` / `not contains` / `not in`
      become a prefix `not (...)`, `eq` is `=`, double quotes become single quotes, a
      date gets quoted. Booleans have no seed spelling (no fix).
    * `manage` reads a prefix `not` and `not contains`, but no source shows the server
      accepting them: the fix is the condition as the manage dialect writes it (`not` pushed
      inward, `not like "%x%"`).
    """

    code = "CWQ201"
    name = "unsupported-in-dialect"
    severity = "error"
    summary = "The target dialect does not support this construct."
    example = Example("Name startswith 'ACME'", "Name like 'ACME%'", dialect="automate")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.tree is None:
            return
        dialect = get_dialect(ctx.dialect)
        if not isinstance(dialect, ConditionDialect):  # a dialect with its own grammar (manage)
            yield from _own_grammar(ctx, dialect, ctx.tree)
        elif ctx.dialect == "automate":
            yield from _automate(ctx, ctx.tree)
        else:
            for node in ctx.predicates():
                yield from _seed(ctx, node)


def _own_grammar(ctx: Context, dialect: Dialect, tree: ast.Node) -> Iterator[Finding]:
    """What the dialect's grammar reads but the dialect lacks; the fix is the tree as it writes it."""
    fix = ctx.render(tree)
    for feature, node in dialect.unsupported(tree, ctx.text):
        span = node.span
        assert span is not None
        error = dialect.unsupported_error(feature, node, ctx.text)
        message = error.description if isinstance(error, ConditionSyntaxError) else str(error)
        yield Finding(span.start, span.end, message, fix)


def _automate(ctx: Context, tree: ast.Node) -> Iterator[Finding]:
    fix = ctx.render(tree, "automate")
    for node in ast.walk(tree):
        span = node.span
        assert span is not None
        if isinstance(node, ast.Not):
            yield Finding(
                span.start,
                span.start + 3,
                "the automate server has no prefix `not`; it knows `not like`, `not in` and `not contains` "
                "(the fix pushes the `not` inward)",
                fix,
            )
        elif isinstance(node, ast.Compare) and node.op in (ast.Op.STARTSWITH, ast.Op.ENDSWITH):
            start, end = ctx.operator_span(node)
            shape = "'x%'" if node.op is ast.Op.STARTSWITH else "'%x'"
            yield Finding(start, end, f"the automate server has no `{node.op.value}`; write `like {shape}`", fix)


def _seed(ctx: Context, node: Predicate) -> Iterator[Finding]:
    start, end = ctx.operator_span(node)
    spelled = ctx.text[start:end]
    negated_in = isinstance(node, ast.InList) and node.negated
    if negated_in or (isinstance(node, ast.Compare) and node.op in (ast.Op.LIKE, ast.Op.NOT_LIKE, ast.Op.NOT_CONTAINS)):
        operator = "not in" if negated_in else node.op.value if isinstance(node, ast.Compare) else "in"
        equivalent = seed_equivalent(node)
        rendered = ctx.render(equivalent, "seed") if equivalent is not None else None
        if rendered is not None:
            yield Finding(
                start, end, f"the seed dialect has no `{operator}`; write `{rendered}`", ctx.replace(node, rendered)
            )
        else:
            yield Finding(
                start,
                end,
                f"the seed dialect has no `{operator}`, and this pattern has no seed equivalent "
                "(only a leading and/or trailing % converts to endswith/startswith/contains)",
            )
    elif spelled.lower() == "eq":
        yield Finding(start, end, "the seed dialect has no `eq`; write `=`", ctx.splice(start, end, "="))
    for literal in ctx.literals(node):
        span = literal.span
        assert span is not None
        source = ctx.source(literal)
        if isinstance(literal, ast.String) and source.startswith('"'):
            quoted = ctx.quote(literal.value, "seed")
            fix = ctx.replace(literal, quoted) if quoted is not None else None
            yield Finding(span.start, span.end, "the seed dialect quotes strings with single quotes", fix)
        elif isinstance(literal, ast.Boolean):
            yield Finding(span.start, span.end, "the seed dialect has no boolean literals (true/false)")
        elif isinstance(literal, ast.DateTime):
            yield Finding(
                span.start, span.end, f"the seed dialect quotes dates: '{source}'", ctx.replace(literal, f"'{source}'")
            )
