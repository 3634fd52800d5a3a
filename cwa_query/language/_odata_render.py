"""OData `$filter` text from an OData tree: canonical spelling, the fewest parentheses.

`parse_filter(render_odata(tree)) == tree` for every tree the parser makes (and every tree
the strategies draw). Quotes are written by [`quote_odata`][cwa_query.language._odata_render.quote_odata]
alone.

>>> from cwa_query.language._odata import parse_filter
>>> render_odata(parse_filter("(Price ADD 2) mul 3 gt 10 and not (contains(Name,'x') or Client/Id in (1, 2))"))
"(Price add 2) mul 3 gt 10 and not (contains(Name,'x') or Client/Id in (1,2))"
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import typing

from ..errors import UntranslatableError
from . import ast
from . import odata_ast as o

__all__ = ["odata_literal", "odata_refusal", "quote_odata", "render_odata"]

_PRIMARY = 9
_UNARY = 7


def quote_odata(value: str) -> str:
    """An OData string literal: single quotes, a quote inside doubled.

    >>> quote_odata("O'Neil")
    "'O''Neil'"
    """
    return "'" + value.replace("'", "''") + "'"


def _datetime_text(value: _dt.date | _dt.datetime) -> str:
    if not isinstance(value, _dt.datetime):
        return value.isoformat()
    if value.tzinfo is None:  # the shared tree's naive date-times are UTC
        value = value.replace(tzinfo=_dt.UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _duration_text(value: _dt.timedelta) -> str:
    sign = "-" if value < _dt.timedelta(0) else ""
    value = abs(value)
    days, seconds, micro = value.days, value.seconds, value.microseconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}P"
    if days:
        text += f"{days}D"
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if secs or micro or not (days or hours or minutes):
        clock += f"{secs}.{micro:06d}".rstrip("0").rstrip(".") + "S"
    if clock:
        text += "T" + clock
    return f"duration'{text}'"


def odata_literal(literal: o.Expr) -> str:
    """The OData text of one literal node.

    >>> import datetime as dt
    >>> from cwa_query.language.ast import DateTime
    >>> odata_literal(DateTime(dt.datetime(2024, 1, 15, 10, 30)))
    '2024-01-15T10:30:00Z'
    """
    if isinstance(literal, ast.String):
        return quote_odata(literal.value)
    if isinstance(literal, ast.Boolean):
        return "true" if literal.value else "false"
    if isinstance(literal, ast.Integer):
        return str(literal.value)
    if isinstance(literal, ast.Decimal):
        text = str(literal.value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(literal, ast.Null):
        return "null"
    if isinstance(literal, o.SpecialNumber):
        return literal.word
    if isinstance(literal, ast.DateTime):
        return _datetime_text(literal.value)
    if isinstance(literal, o.TimeOfDay):
        return literal.value.isoformat()
    if isinstance(literal, o.Duration):
        return _duration_text(literal.value)
    if isinstance(literal, o.Guid):
        return str(literal.value)
    if isinstance(literal, o.EnumValue):
        return f"{literal.type_name}'{','.join(literal.members)}'"
    if isinstance(literal, o.BinaryData):
        return "binary'" + base64.urlsafe_b64encode(literal.value).decode("ascii").rstrip("=") + "'"
    if isinstance(literal, o.Geo):
        return f"{literal.kind}'{literal.text}'"
    raise TypeError(f"not an OData literal: {type(literal).__name__}")


_LITERALS: tuple[type, ...] = typing.get_args(o.ODataLiteral)  # a tuple: `isinstance` is faster with one


def _precedence(node: o.Expr) -> int:
    if isinstance(node, (o.Logical, o.Binary)):
        return node.op.precedence
    if isinstance(node, o.In):
        return 8
    if isinstance(node, o.Unary):
        return _UNARY
    if isinstance(node, (ast.Integer, ast.Decimal, o.SpecialNumber)) and odata_literal(node).startswith("-"):
        return _UNARY  # a negative number reads like a negation
    return _PRIMARY


def _wrap(node: o.Expr, least: int) -> str:
    text = render_odata(node)
    return f"({text})" if _precedence(node) < least else text


def _argument(arg: o.Argument) -> str:
    if isinstance(arg, o.NamedArgument):
        return f"{arg.name}={render_odata(arg.value)}"
    if isinstance(arg, o.CasePair):
        return f"{render_odata(arg.condition)}:{render_odata(arg.value)}"
    return render_odata(arg)


def _base(node: o.Expr | None) -> str:
    return "" if node is None else _wrap(node, _PRIMARY) + "/"


def render_odata(node: o.Expr) -> str:
    """The `$filter` text of an OData tree."""
    if isinstance(node, _LITERALS):
        return odata_literal(node)
    if isinstance(node, ast.Field):
        return node.name.replace(".", "/")
    if isinstance(node, o.Logical):
        least = node.op.precedence + 1  # an item of the same kind keeps its parentheses
        return f" {node.op.value} ".join(_wrap(item, least) for item in node.items)
    if isinstance(node, o.Binary):
        prec = node.op.precedence
        return f"{_wrap(node.left, prec)} {node.op.value} {_wrap(node.right, prec + 1)}"
    if isinstance(node, o.Unary):
        if node.op is o.UnaryOp.NOT:
            return f"not {_wrap(node.operand, _UNARY)}"
        inner = render_odata(node.operand)
        if isinstance(node.operand, _LITERALS) or _precedence(node.operand) < _UNARY:
            inner = f"({inner})"
        return f"-{inner}"
    if isinstance(node, o.In):
        right = _wrap(node.collection, _PRIMARY)  # a list, an array or a path; an expression in parentheses
        if isinstance(node.collection, _LITERALS):
            right = f"({right})"
        return f"{_wrap(node.operand, 8)} in {right}"
    if isinstance(node, o.ListValue):
        return "(" + ",".join(render_odata(item) for item in node.items) + ")"
    if isinstance(node, o.Array):
        return "[" + ",".join(render_odata(item) for item in node.items) + "]"
    if isinstance(node, o.Object):
        return "{" + ",".join(f"{json.dumps(k)}:{render_odata(v)}" for k, v in node.members) + "}"
    if isinstance(node, o.Variable):
        return node.name
    if isinstance(node, o.Alias):
        return "@" + node.name
    if isinstance(node, o.Member):
        return _base(node.base) + node.name
    if isinstance(node, o.Call):
        return f"{_base(node.base)}{node.name}(" + ",".join(_argument(arg) for arg in node.args) + ")"
    if isinstance(node, (o.Cast, o.IsOf)):
        word = "cast" if isinstance(node, o.Cast) else "isof"
        operand = "" if node.operand is None else render_odata(node.operand) + ","
        return f"{word}({operand}{node.type_name})"
    if isinstance(node, o.Lambda):
        body = "" if node.predicate is None else f"{node.variable}:{render_odata(node.predicate)}"
        return f"{_base(node.collection)}{node.kind}({body})"
    if isinstance(node, o.Count):
        options = "" if node.predicate is None else f"($filter={render_odata(node.predicate)})"
        return f"{_base(node.collection)}$count{options}"
    if isinstance(node, o.Filtered):
        return f"{_base(node.collection)}$filter({render_odata(node.predicate)})"
    raise TypeError(f"not an OData expression: {type(node).__name__}")


def odata_refusal(node: o.Expr | o.Argument, *, target: str, reason: str) -> UntranslatableError:
    """The [`UntranslatableError`][cwa_query.UntranslatableError] for an OData node that
    `target` cannot say: the node's text (cut at 60 characters) and its position."""
    construct = render_odata(node) if not isinstance(node, (o.NamedArgument, o.CasePair)) else "argument"
    if len(construct) > 60:
        construct = construct[:57] + "..."
    return UntranslatableError.at(construct, target=target, reason=reason, span=node.span)
