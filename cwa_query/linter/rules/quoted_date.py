"""CWQ202 quoted-date: a quoted date compared with a date-time field, for `automate` and `manage`."""

from __future__ import annotations

from collections.abc import Iterator

from ...dialects import Feature
from ...errors import CwaQueryError
from ...language import ast
from ...language.literals import iso_date, parse_datetime
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["QuotedDateRule"]


@register
class QuotedDateRule(Rule):
    """In a dialect with unquoted dates and no quoted ones (`automate`), dates are written unquoted
    (`RemoteAgentLastContact <= 2019-12-18T00:50:19.575Z`); a quoted date compared with a
    date-time field was reported to make the real server answer HTTP 500. The fix drops the
    quotes. In `manage`, date-times go in square brackets (the server's own message:
    "DateTime values should be enclosed in square brackets"); the fix writes
    `[2024-02-14T00:00:00Z]`. (The `seed` dialect quotes dates; see `unsupported-in-dialect`
    for the reverse.)
    """

    code = "CWQ202"
    name = "quoted-date"
    severity = "error"
    summary = "A quoted date on a date-time field (the automate server answers 500)."
    example = Example(
        "LastHeartbeat >= '2024-02-14'", "LastHeartbeat >= 2024-02-14", dialect="automate", endpoint="Computers"
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        dialect = ctx.dialect
        if not dialect.supports(Feature.DATE_LITERALS):
            return
        for node, info in ctx.known_predicates():
            if info.type != "datetime":
                continue
            for literal in ctx.literals(node):
                if not isinstance(literal, ast.String):
                    continue
                bare = iso_date(literal.value)
                if bare is None:
                    continue
                try:
                    spelled = dialect.literal(ast.DateTime(parse_datetime(bare)))
                except (ValueError, CwaQueryError):
                    continue
                title = dialect.title or dialect.name
                message = f"the date {literal.value!r} is quoted; {title} wants a date literal: {spelled}"
                yield ctx.finding(literal, message, ctx.replace(literal, spelled))
