"""CWQ104 unknown-value: a value outside the field's known set."""

from __future__ import annotations

from collections.abc import Iterator

from ...language import ast
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["UnknownValueRule"]

_EQUALITY = frozenset({ast.Op.EQ, ast.Op.NE})


@register
class UnknownValueRule(Rule):
    """A value the field is not known to take, for a field whose values the schema lists
    (`Status` of Computers: Online, Offline, Unknown). A warning: the list may be
    incomplete. Values compare without regard to ASCII case, as the server does; the fix
    uses the closest known value.
    """

    code = "CWQ104"
    name = "unknown-value"
    severity = "warning"
    summary = "The value is not one the field is known to take."
    example = Example("Status = 'Onlien'", "Status = 'Online'", endpoint="Computers")

    def check(self, ctx: Context) -> Iterator[Finding]:
        close_to: dict[tuple[str, str], list[str]] = {}  # a value repeated is matched once
        for node, info in ctx.known_predicates():
            if info.values is None or info.array:
                continue
            if isinstance(node, ast.Compare) and node.op not in _EQUALITY:
                continue
            known = {value.lower(): value for value in info.values}
            for literal in ctx.literals(node):
                if not isinstance(literal, (ast.String, ast.Integer)):
                    continue
                value = str(literal.value)
                if value.lower() in known:
                    continue
                import difflib

                key = (info.path, value.lower())
                if key not in close_to:
                    close_to[key] = difflib.get_close_matches(value.lower(), list(known), n=1, cutoff=0.6)
                close = close_to[key]
                listed = ", ".join(info.values[:8]) + (", ..." if len(info.values) > 8 else "")
                message = f"{value!r} is not a known value of {info.path} ({listed})"
                fix = None
                if close:
                    message += f"; did you mean {known[close[0]]!r}?"
                    quoted = ctx.quote(known[close[0]])
                    fix = ctx.replace(literal, quoted) if quoted is not None else None
                yield ctx.finding(literal, message, fix)
