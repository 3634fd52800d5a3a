"""CWQ201 unsupported-in-dialect: a construct the target dialect does not have."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

from ...dialects import Dialect, Feature
from ...dialects.condition import ConditionDialect
from ...errors import ConditionSyntaxError, CwaQueryError, TranslationWarning
from ...language import ast
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["UnsupportedInDialectRule"]

_LITERAL_FEATURES = frozenset(
    {Feature.NULL, Feature.BOOLEANS, Feature.DATE_LITERALS, Feature.DOUBLE_QUOTES, Feature.QUOTED_NUMBERS}
)


@register
class UnsupportedInDialectRule(Rule):
    """A construct the target dialect does not have (its
    [`Feature`][cwa_query.dialects.Feature]s say which), with the equivalent it has.

    The fix is the construct translated into the dialect, when the translation keeps the
    meaning on every record (as far as the schema tells), for example:

    * `automate` (the real server) knows no `startswith` / `endswith` and no prefix `not`:
      `like 'x%'`, and `not` pushed inward: `not (a = 1 or b = 2)` is `a != 1 and b != 2`
      (`not (a < 1)` is `a >= 1` only for a field that holds one value);
    * `seed` (the seed document) has no `like`, `not like`, `not contains`, `not in`, `eq`,
      double-quoted strings, booleans or unquoted dates: `like 'x%'` is `startswith 'x'`,
      `like '%x'` is `endswith 'x'`, `like '%x%'` is `contains 'x'` on a text field,
      `not like` / `not contains` / `not in` become a prefix `not (...)`, `eq` is `=`,
      double quotes become single quotes, a date gets quoted. Booleans have no seed
      spelling (no fix).
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
        dialect = ctx.dialect
        if not isinstance(dialect, ConditionDialect):  # a dialect with its own grammar (manage)
            yield from _own_grammar(ctx, dialect, ctx.tree)
            return
        for feature, node in dialect.unsupported(ctx.tree, ctx.text):
            if feature in _LITERAL_FEATURES:
                yield _literal_finding(ctx, dialect, feature, node)
            else:
                assert isinstance(node, ast.NODE_TYPES)
                yield _node_finding(ctx, dialect, f"{dialect.title} has no {feature.value}", node)


def _own_grammar(ctx: Context, dialect: Dialect, tree: ast.Node) -> Iterator[Finding]:
    """What the dialect's grammar reads but the dialect lacks (its own words for it), with the
    construct as the dialect writes it when that surely keeps the meaning."""
    for feature, node in dialect.unsupported(tree, ctx.text):
        error = dialect.unsupported_error(feature, node, ctx.text)
        message = error.description if isinstance(error, ConditionSyntaxError) else str(error)
        assert isinstance(node, ast.NODE_TYPES)
        yield _node_finding(ctx, dialect, message, node)


def _where(ctx: Context, node: ast.Node) -> tuple[int, int]:
    if isinstance(node, (ast.Compare, ast.InList)):
        return ctx.operator_span(node)
    span = node.span
    assert span is not None
    return span.start, span.start + 3 if isinstance(node, ast.Not) else span.end


def _node_finding(ctx: Context, dialect: Dialect, message: str, node: ast.Node) -> Finding:
    """`message` at the node, with the node as the dialect writes it when that surely keeps its meaning."""
    start, end = _where(ctx, node)
    replacement = _translated(ctx, dialect, node)
    if replacement is None:
        return Finding(start, end, f"{message}, and this has no {dialect.name} equivalent sure to keep its meaning")
    return Finding(start, end, f"{message}; write `{replacement}`", ctx.replace(node, replacement))


def _literal_finding(ctx: Context, dialect: Dialect, feature: Feature, literal: ast.Node | ast.Literal) -> Finding:
    message = f"{dialect.title} has no {feature.value}"
    if isinstance(literal, (ast.String, ast.DateTime)):
        try:
            spelled = dialect.literal(literal)
        except CwaQueryError:
            spelled = None
        if spelled is not None and spelled != ctx.source(literal):
            return ctx.finding(literal, f"{message}; write {spelled}", ctx.replace(literal, spelled))
    return ctx.finding(literal, message)


def _translated(ctx: Context, dialect: Dialect, node: ast.Node) -> str | None:
    """`node` in the dialect's constructs, when that keeps its meaning for sure (no warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        try:
            lifted = dialect.lift(node, ctx.field_types())
            if any(True for _ in dialect.unsupported(lifted)):
                return None
            text = dialect.generate(lifted)
        except (CwaQueryError, TranslationWarning):
            return None
    # an and/or in place of one construct keeps its own precedence: `x = 1 and (a != 1 or b != 2)`
    return f"({text})" if isinstance(lifted, (ast.And, ast.Or)) and node is not ctx.tree else text
