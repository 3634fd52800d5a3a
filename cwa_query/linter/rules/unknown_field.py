"""CWQ102 unknown-field: a field the schema does not know."""

from __future__ import annotations

from collections.abc import Iterator

from ...dialects import dialect_names, renaming_dialects
from ...schema import builtin_knows, builtin_schema
from .._context import Context
from .._model import Example, Finding, Rule, register

__all__ = ["UnknownFieldRule"]


@register
class UnknownFieldRule(Rule):
    """A field the endpoint (or, with no endpoint, any endpoint of the schema) does not have.

    The real server answers such a request with HTTP 400 ("Invalid field"). The message
    names the known field another dialect's name stands for (the seed document's
    `LastContact` is `RemoteAgentLastContact` on the real server's Computers), else the
    closest known field (never an object: compare one of its fields), and the fix uses it.
    Field names match without regard to case where the schema says so (the `automate`
    catalogue: the real server is loose about case), and the suggestion is then the
    canonical spelling. When the condition is linted against the dialect's built-in catalogue
    and another dialect's catalogue knows the field there (`Name` on the seed document's
    Computers), the message says so: the condition may be meant for that dialect.
    """

    code = "CWQ102"
    name = "unknown-field"
    severity = "error"
    summary = "The field is not in the schema of the endpoint."
    example = Example("ComputerNme = 'DC01'", "ComputerName = 'DC01'", dialect="automate", endpoint="Computers")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.parameter in ctx.dialect.own_field_parameters:  # caption/value, not the endpoint's fields
            return
        if not ctx.schema.endpoint_names:  # no catalogue (manage without --schema): nothing to check
            return
        dialect = ctx.dialect
        where = f"the {ctx.endpoint} endpoint" if ctx.endpoint else f"any endpoint of the {ctx.schema.name} schema"
        for field in ctx.fields():
            if ctx.schema.lookup(field.name, ctx.endpoint) is not None:
                continue
            name = dialect.spell_field(field.name)
            suggestion = _renamed(ctx, field.name) or ctx.schema.suggest(field.name, ctx.endpoint)
            message = f"unknown field {name!r}: not in {where}"
            fix = None
            if suggestion is not None:
                spelled = dialect.spell_field(suggestion)
                message += f"; did you mean {spelled!r}?"
                fix = ctx.replace(field, spelled)
            elsewhere = _known_elsewhere(ctx, field.name)
            if elsewhere is not None:
                message += (
                    f" (the {elsewhere} dialect's catalogue knows {field.name!r}: "
                    f"if the condition is meant for {elsewhere}, choose that dialect or profile)"
                )
            yield ctx.finding(field, message, fix)


def _known_elsewhere(ctx: Context, name: str) -> str | None:
    """The name of another dialect whose built-in catalogue knows `name` at the endpoint,
    when the condition is linted against its own dialect's built-in catalogue (a finding that
    would vanish under that dialect). Only the catalogues are read (or their name indexes),
    not the dialects' modules."""
    if ctx.schema is not builtin_schema(ctx.dialect):
        return None
    for other in dialect_names():
        if other != ctx.dialect.name and builtin_knows(other, name, ctx.endpoint):
            return other
    return None


def _renamed(ctx: Context, name: str) -> str | None:
    """What `name` is called in the linted dialect, when another dialect names the same field
    `name` (through the real server's path) and the schema knows it."""
    target = ctx.dialect.field_names(ctx.endpoint)
    spelled_in_target = {path.lower(): own for own, path in target.items()}
    own = spelled_in_target.get(name.lower())  # the real server's name, in a dialect that renames it
    if own is not None and ctx.schema.lookup(own, ctx.endpoint) is not None:
        return own
    for other in renaming_dialects(ctx.endpoint):  # the others rename nothing here
        path = {own.lower(): path for own, path in other.field_names(ctx.endpoint).items()}.get(name.lower())
        if path is None:
            continue
        candidate = spelled_in_target.get(path.lower(), path)
        if ctx.schema.lookup(candidate, ctx.endpoint) is not None:
            return candidate
    return None
