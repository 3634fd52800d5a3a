"""Validate before sending: a condition is linted against the endpoint's schema first.

The clients lint the condition as it will be sent (rendered for the profile's dialect)
against the endpoint's fields before the first request, so that an unknown field, a quoted
date or a construct the server does not have fails at once with the linter's message and
fix, not as a 400 or a 500 from the server. `validate="warn"` sends it anyway with a
[`ConditionWarning`][cwa_query.ConditionWarning]; `validate="off"` does not lint.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from ..errors import ConditionRejectedError, ConditionWarning, SchemaError
from ..linter import Diagnostic, lint
from ..schema import load_schema
from ._profiles import Profile

__all__ = ["check_condition", "check_fields", "schema_endpoint"]


def schema_endpoint(endpoint: str, profile: Profile) -> str | None:
    """The schema's name for `endpoint` (a path such as `Computers` or `Computers/7/Software`),
    or `None` when the profile's catalogue does not know it (then no field is checked)."""
    try:
        return load_schema(dialect=profile.dialect).endpoint(endpoint)
    except SchemaError:
        return None


def check_condition(
    condition: str, endpoint: str, profile: Profile, *, warn_only: bool = False, parameter: str | None = None
) -> None:
    """Refuse (or, `warn_only`, warn about) `condition` if the linter finds errors in it
    (`parameter`: which of the dialect's filter parameters it is for, e.g. Manage's `childConditions`)."""
    known = schema_endpoint(endpoint, profile)
    found = lint(condition, dialect=profile.dialect, endpoint=known, parameter=parameter)
    findings = tuple(d for d in found if d.severity == "error")
    if not findings:
        return
    where = (known or endpoint) + (f" ({parameter})" if parameter else "")
    lines = [_describe(d) for d in findings]
    if warn_only:
        warnings.warn(
            f"sending a condition the linter finds errors in ({where}): " + "; ".join(lines), ConditionWarning, 3
        )
        return
    raise ConditionRejectedError(
        f"the condition for {where} would be refused by the server, so it was not sent:\n  "
        + "\n  ".join(lines)
        + f"\n  condition: {condition}\n"
        + "(to send it anyway: validate='warn' or validate='off'; cwa-query fetch --validate warn|off)",
        condition=condition,
        endpoint=where,
        findings=findings,
    )


def check_fields(fields: Sequence[str], endpoint: str, profile: Profile) -> list[str]:
    """The messages for the names in `fields` that the endpoint's schema does not know
    (with a "did you mean" when one is close); empty when all are known or the endpoint is not."""
    known = schema_endpoint(endpoint, profile)
    if known is None:
        return []
    schema = load_schema(dialect=profile.dialect)
    problems = []
    for name in fields:
        if schema.lookup_any_case(name, known) is None:
            guess = schema.suggest(name, known)
            hint = f"; did you mean {guess!r}?" if guess else ""
            problems.append(f"{known} has no field {name!r}{hint}")
    return problems


def _describe(diagnostic: Diagnostic) -> str:
    fix = f" (fix: {diagnostic.fix})" if diagnostic.fix else ""
    return f"{diagnostic.code} {diagnostic.name} at column {diagnostic.column}: {diagnostic.message}{fix}"
