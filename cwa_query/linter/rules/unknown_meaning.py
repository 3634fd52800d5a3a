"""CWQ203 unknown-meaning: a construct whose meaning on the target server no source shows."""

from __future__ import annotations

from collections.abc import Iterator

from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["UnknownMeaningRule"]


@register
class UnknownMeaningRule(Rule):
    """The server accepts the construct, but no public source shows what it means there, so
    a result may differ from what the condition seems to ask; the message says what
    cwa_query assumes (its evaluator and SQL follow the assumption).

    For `manage`: a date-time without a zone, a date without a time, `_` or `[` in a `like`
    pattern, `%`, `_`, `*` or `[` in `contains` text, and a backslash in a string. The
    condition dialects (`seed`, `automate`) report none.
    """

    code = "CWQ203"
    name = "unknown-meaning"
    severity = "warning"
    summary = "No source shows what the server makes of this construct."
    example = Example("lastUpdated > [2024-01-01T00:00:00]", None, dialect="manage")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.tree is None:
            return
        for note in ctx.dialect.notes(ctx.tree, ctx.text):
            yield ctx.finding(note.node, note.message)
