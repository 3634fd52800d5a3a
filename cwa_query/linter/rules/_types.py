"""What fits a field type: operators and literals (shared by the type rules)."""

from __future__ import annotations

from ...dialects import Dialect, Feature
from ...dialects.condition import CANONICAL, CONDITION
from ...language import ast
from ...language.literals import iso_date
from ...schema import FieldInfo

__all__ = ["describe", "iso_date", "literal_problem", "operator_problem"]

_PATTERN_OPS = frozenset({ast.Op.STARTSWITH, ast.Op.ENDSWITH, ast.Op.LIKE, ast.Op.NOT_LIKE})
_NOUNS = {
    "string": "a text field",
    "integer": "an integer field",
    "decimal": "a number field",
    "boolean": "a boolean field",
    "datetime": "a date-time field",
    "id": "an integer id field",
    "object": "an object",
}


def describe(info: FieldInfo) -> str:
    """`Status is a text field`, `OpenPortsTCP is an array of integers`."""
    if info.array:
        return f"{info.path} is an array ({info.type}[])"
    return f"{info.path} is {_NOUNS.get(info.type, info.type)}"


def operator_problem(info: FieldInfo, op: ast.Op | None) -> str | None:
    """Why `op` (`None`: `in`) does not fit the field, or `None` if it does."""
    spelled = op.value if op is not None else "in"
    if info.type == "any":
        return None
    if info.type == "object" and not info.array:
        return f"{describe(info)}: compare one of its fields (such as {info.path}.Id), not the object"
    if info.array:
        if op is not None and (op.is_ordering or op in _PATTERN_OPS):
            return f"`{spelled}` does not apply to an array; {describe(info)}: test membership with `contains`"
        return None
    if op is not None and op.is_text and info.type not in ("string", "id"):
        return f"`{spelled}` needs a text field, but {describe(info)}"
    if op is not None and op.is_ordering and info.type == "boolean":
        return f"`{spelled}` does not order booleans; {describe(info)}: use = or !="
    return None


def literal_problem(info: FieldInfo, literal: ast.Literal, dialect: Dialect) -> tuple[str, str | None] | None:
    """Why `literal` cannot be a value of the field, and the literal text that would be
    (or `None`); `None` when it fits. Quoted dates on date-time fields are left to
    `quoted-date`."""
    kind = info.type
    if kind in ("any", "object"):
        return None
    shown = _shown(literal)
    problem = f"{shown} cannot be a value here: {describe(info)}"
    if isinstance(literal, ast.String):
        value = literal.value
        if kind == "string":
            return None
        if kind == "datetime":
            return None if iso_date(value) is not None else (problem, None)
        if kind == "boolean":
            fits = value.lower() in ("true", "false")
            return (problem, value.lower()) if fits and dialect.supports(Feature.BOOLEANS) else (problem, None)
        number = CONDITION.terminal("NUMBER").fullmatch(value)  # a number as the grammar writes one
        if number is not None and (kind not in ("integer", "id") or "." not in value):
            if kind == "id" or dialect.supports(Feature.QUOTED_NUMBERS):
                return None
            return f"{shown} is a quoted number: {describe(info)}", value
        return problem, None
    if kind == "string":
        if isinstance(literal, (ast.Integer, ast.Decimal)):
            return problem, dialect.quote(_shown(literal))
        return problem, None
    if kind in ("integer", "id"):
        return None if isinstance(literal, ast.Integer) else (problem, None)
    if kind == "decimal":
        return None if isinstance(literal, (ast.Integer, ast.Decimal)) else (problem, None)
    if kind == "boolean":
        return None if isinstance(literal, ast.Boolean) else (problem, None)
    return None if isinstance(literal, ast.DateTime) else (problem, None)


def _shown(literal: ast.Literal) -> str:
    if isinstance(literal, ast.String):
        return repr(literal.value)
    return CANONICAL.describe(literal)
