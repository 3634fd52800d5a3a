"""CWQ103 type-mismatch: a value or an operator that does not fit the field's type."""

from __future__ import annotations

from collections.abc import Iterator

from ...language import ast
from .._context import Context
from .._model import Example, Finding, Rule, register
from ._types import literal_problem, operator_problem

__all__ = ["TypeMismatchRule"]


@register
class TypeMismatchRule(Rule):
    """A literal that cannot be of the field's type (`TotalMemory = 'lots'`), or an operator
    that does not fit it (`like` on a number, `<` on a boolean, `>` on an array, any
    comparison of a whole object), or an OData `any`/`all` over a field that is not a list.

    Fixes where the intent is clear: a quoted number on a numeric field in the `seed`
    dialect is unquoted, a bare number on a text field is quoted, a quoted `'true'` on a
    boolean field in `automate` is unquoted. An `id` field (integer-like, such as
    `Client.Id`) takes `5` and `'5'` alike. `null` (in the dialects that have it) fits any
    field, with `=` and `!=` only.
    """

    code = "CWQ103"
    name = "type-mismatch"
    severity = "error"
    summary = "A value or operator does not fit the field's type."
    example = Example("TotalMemory >= '4096'", "TotalMemory >= 4096", endpoint="Computers")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for test in ctx.lambdas():
            assert isinstance(test.collection, ast.Field)
            info = ctx.schema.lookup(test.collection.name, ctx.endpoint)
            if info is not None and not info.array:
                yield ctx.finding(
                    test.collection,
                    f"{ctx.source(test.collection)} is not a list ({info.type_name}): "
                    f"`{test.kind}` tests the items of a list field",
                )
        for node, info in ctx.known_predicates():
            op = node.op if isinstance(node, ast.Compare) else None
            problem = operator_problem(info, op)
            if problem is not None:
                start, end = ctx.operator_span(node)
                yield Finding(start, end, problem)
                continue
            for literal in ctx.literals(node):
                if isinstance(literal, ast.Null):  # any field may be null; only = and != test it
                    if op is not None and op not in (ast.Op.EQ, ast.Op.NE):
                        yield ctx.finding(literal, f"null is compared only with = and !=, not `{op.value}`")
                    continue
                found = literal_problem(info, literal, ctx.dialect)
                if found is None:
                    continue
                message, replacement = found
                if literal.span is None:  # the `true` OData implies after a bare path (`OS`): no text to replace
                    yield ctx.finding(node, message)
                    continue
                fix = ctx.replace(literal, replacement) if replacement is not None else None
                yield ctx.finding(literal, message, fix)
