"""CWQ204 parameter-shape: a condition that does not fit the filter parameter it is for."""

from __future__ import annotations

from collections.abc import Iterator

from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["ParameterShapeRule"]


@register
class ParameterShapeRule(Rule):
    """The condition is for one of the dialect's filter parameters (`lint(parameter=...)`,
    `cwa-query lint --parameter`) and does not have the shape that parameter takes, as far as
    the sources show. Manage:

    * `conditions`: a path through an array field (the schema says so) is refused by the
      server (`ApiFindCondition`); filter arrays with `childConditions`;
    * `childConditions`: paths are rooted at an array field (`communicationItems/value`): a
      one-part path, or a first part the schema knows is not an array, does not fit;
    * `customFieldConditions`: `caption = "<caption>" and value <op> <value>`, the only shape
      any source shows.
    """

    code = "CWQ204"
    name = "parameter-shape"
    severity = "warning"
    summary = "The condition does not have the shape its filter parameter takes."
    example = Example('caption = "Seats"', None, dialect="manage", parameter="customFieldConditions")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.tree is None or ctx.parameter is None:
            return
        if ctx.parameter == "customFieldConditions":
            from ...dialects.manage import custom_field_parts  # the manage dialect's, loaded with it

            if custom_field_parts(ctx.tree) is None:
                yield Finding(
                    0,
                    len(ctx.text),
                    'customFieldConditions take `caption = "<caption>" and value <op> <value>` '
                    "(the only shape any source shows)",
                )
            return
        for node in ctx.predicates():
            spelled = ctx.dialect.spell_field(node.field.name)
            parts = node.field.parts
            root = ctx.schema.lookup(parts[0], ctx.endpoint)
            if ctx.parameter == "childConditions":
                if len(parts) < 2:
                    yield ctx.finding(
                        node.field,
                        f"childConditions paths start at an array field (`communicationItems/value`), not `{spelled}`",
                    )
                elif root is not None and not root.array:
                    yield ctx.finding(node.field, f"childConditions filter arrays, and {parts[0]} is not one")
            elif ctx.parameter == "conditions":
                arrays = [
                    ".".join(parts[:index])
                    for index in range(1, len(parts) + 1)
                    if (info := ctx.schema.lookup(".".join(parts[:index]), ctx.endpoint)) is not None and info.array
                ]
                if arrays and len(parts) > 1:
                    yield ctx.finding(
                        node.field,
                        f"{spelled} goes through the array {ctx.dialect.spell_field(arrays[0])}: the server refuses "
                        "array paths in conditions (ApiFindCondition); filter it with childConditions",
                    )
