"""Rendering trees to condition text, per dialect, and encoding it for a URL.

All quoting happens in [`quote_literal`][cwa_query.quote_literal]; nothing else in
cwa_query writes a quote character into a condition.

Dialects:

* `seed` (the seed document): strings in single quotes (a quote inside doubled), dates
  as quoted ISO strings, `startswith` / `endswith` / prefix `not` kept.
* `automate` (the real server): strings in the quote kind the value does not contain,
  dates unquoted, `startswith 'x'` written `like 'x%'`, `endswith 'x'` written
  `like '%x'`, and prefix `not` pushed inward (the server only knows `not like`,
  `not in`, `not contains`).

`startswith` / `endswith` to `like`: `%`, `_` and `\\` in the value are escaped with a
backslash, MySQL's default LIKE escape character, so the pattern matches the value
literally. (Refusing such values would make `Name startswith 'SRV_'`, an everyday filter,
impossible; the backslash escape is what the MySQL backend behind the server reads.)
"""

from __future__ import annotations

import datetime as _dt
import urllib.parse
from typing import TYPE_CHECKING, Literal, TypeAlias

from ..errors import ConditionError, UnrepresentableConditionError
from . import ast

if TYPE_CHECKING:
    from .builder import Condition

__all__ = [
    "DIALECTS",
    "Dialect",
    "encode",
    "escape_like",
    "format_datetime",
    "quote_literal",
    "render",
    "to_dialect",
]

Dialect = Literal["seed", "automate"]
DIALECTS: tuple[Dialect, ...] = ("seed", "automate")

Renderable: TypeAlias = "ast.Node | Condition | str"

_MAX_RENDER_DEPTH = 400


def check_dialect(dialect: str) -> Dialect:
    """Return `dialect` if it is known, else raise a `ValueError` naming the choices."""
    if dialect == "seed":
        return "seed"
    if dialect == "automate":
        return "automate"
    raise ValueError(f"unknown dialect {dialect!r}: choose 'seed' or 'automate'")


def as_node(expr: Renderable) -> ast.Node:
    """A node from a node, a builder [`Condition`][cwa_query.Condition] or condition text."""
    if isinstance(expr, str):
        from ._parser import parse

        return parse(expr)
    node = getattr(expr, "node", expr)
    if not isinstance(node, (ast.Compare, ast.InList, ast.And, ast.Or, ast.Not)):
        raise TypeError(f"expected a condition (node, builder expression or str), not {type(expr).__name__}")
    return node


# --------------------------------------------------------------------------- literals


def format_datetime(value: _dt.date | _dt.datetime) -> str:
    """The canonical ISO-8601 text of a date or date-time.

    Aware date-times are written in UTC with `Z`; fractions without trailing zeros.

    >>> import datetime as dt
    >>> format_datetime(dt.datetime(2019, 12, 18, 0, 50, 19, 575000, tzinfo=dt.timezone.utc))
    '2019-12-18T00:50:19.575Z'
    >>> format_datetime(dt.date(2024, 1, 1))
    '2024-01-01'
    """
    if not isinstance(value, _dt.datetime):
        return value.isoformat()
    zone = ""
    if value.tzinfo is not None and value.utcoffset() is not None:
        try:
            value = value.astimezone(_dt.UTC).replace(tzinfo=None)
        except OverflowError:
            raise UnrepresentableConditionError(f"{value.isoformat()} is out of range once converted to UTC") from None
        zone = "Z"
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if len(text) < 19:  # years before 1000 on some platforms
        text = f"{value.year:04d}" + text[text.index("-") :]
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text + zone


def _quote(value: str, dialect: Dialect, escape_quotes: bool) -> str:
    if dialect == "seed" or "'" not in value:
        return "'" + value.replace("'", "''") + "'"
    if '"' not in value:
        return '"' + value + '"'
    if escape_quotes:
        return "'" + value.replace("'", "''") + "'"
    raise UnrepresentableConditionError(
        f"the string {value!r} holds both ' and \" and cannot be sent to the automate server safely: "
        "it accepts either quote but no public source shows how it escapes one inside a string; "
        "remove one kind of quote (e.g. match with like and '_'), or pass escape_quotes=True "
        "(cwa-query translate --escape-quotes) to "
        "double the quote as the seed dialect does"
    )


def quote_literal(literal: ast.Literal, dialect: Dialect = "seed", *, escape_quotes: bool = False) -> str:
    """The text of one literal in `dialect`: the only place that writes quotes.

    >>> from cwa_query import ast
    >>> quote_literal(ast.String("O'Brien"), "seed")
    "'O''Brien'"
    >>> quote_literal(ast.String("O'Brien"), "automate")
    '"O\\'Brien"'
    """
    if isinstance(literal, ast.String):
        return _quote(literal.value, dialect, escape_quotes)
    if isinstance(literal, ast.Boolean):
        return "true" if literal.value else "false"
    if isinstance(literal, ast.Integer):
        return str(literal.value)
    if isinstance(literal, ast.Decimal):
        text = format(literal.value, "f")
        return text
    if isinstance(literal, ast.DateTime):
        text = format_datetime(literal.value)
        return "'" + text + "'" if dialect == "seed" else text
    raise TypeError(f"not a literal: {literal!r}")


def escape_like(value: str) -> str:
    """Escape `\\`, `%` and `_` so a LIKE pattern matches `value` literally.

    >>> escape_like("50%_off")
    '50\\\\%\\\\_off'
    """
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _literal_text(literal: ast.Literal) -> str:
    if isinstance(literal, ast.String):
        return literal.value
    return quote_literal(literal, "automate")


# --------------------------------------------------------------------------- dialect trees


def _like_for(node: ast.Compare, negate: bool) -> ast.Compare:
    text = escape_like(_literal_text(node.value))
    pattern = text + "%" if node.op is ast.Op.STARTSWITH else "%" + text
    op = ast.Op.NOT_LIKE if negate else ast.Op.LIKE
    return ast.Compare(node.field, op, ast.String(pattern), node.span)


def _negate(node: ast.Node) -> ast.Node:
    """`not node` without a prefix `not` (automate), iteratively over and/or."""
    if isinstance(node, ast.Not):
        return _automate(node.operand)
    if isinstance(node, ast.Compare):
        if node.op in (ast.Op.STARTSWITH, ast.Op.ENDSWITH):
            return _like_for(node, negate=True)
        negated = node.op.negated
        assert negated is not None
        return ast.Compare(node.field, negated, node.value, node.span)
    if isinstance(node, ast.InList):
        return ast.InList(node.field, node.values, not node.negated, node.span)
    if isinstance(node, ast.And):
        return _or([_negate(item) for item in node.items])
    return _and([_negate(item) for item in node.items])


def _and(items: list[ast.Node]) -> ast.Node:
    flat: list[ast.Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, ast.And) else (item,))
    return flat[0] if len(flat) == 1 else ast.And(tuple(flat))


def _or(items: list[ast.Node]) -> ast.Node:
    flat: list[ast.Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, ast.Or) else (item,))
    return flat[0] if len(flat) == 1 else ast.Or(tuple(flat))


def _automate(node: ast.Node) -> ast.Node:
    if isinstance(node, ast.Compare):
        if node.op in (ast.Op.STARTSWITH, ast.Op.ENDSWITH):
            return _like_for(node, negate=False)
        return node
    if isinstance(node, ast.InList):
        return node
    if isinstance(node, ast.Not):
        return _negate(node.operand)
    if isinstance(node, ast.And):
        return _and([_automate(item) for item in node.items])
    return _or([_automate(item) for item in node.items])


def to_dialect(expr: Renderable, dialect: Dialect = "seed") -> ast.Node:
    """The tree as `dialect` expresses it.

    For `seed` the tree is unchanged. For `automate`, `startswith`/`endswith` become
    `like` and prefix `not` is pushed inward (De Morgan; `not (a < 1)` is `a >= 1`,
    `not (a in (...))` is `a not in (...)`), which is exact under the server's
    three-valued logic too.

    >>> from cwa_query import F, render
    >>> render(to_dialect(~((F.a < 1) | F.Name.startswith("x")), "automate"), "automate")
    "a >= 1 and Name not like 'x%'"
    """
    node = as_node(expr)
    dialect = check_dialect(dialect)
    _check_depth(node)
    if dialect == "seed":
        return node
    return _automate(node)


def _check_depth(node: ast.Node) -> None:
    if ast.depth(node) > _MAX_RENDER_DEPTH:
        raise ConditionError(
            f"the condition nests deeper than {_MAX_RENDER_DEPTH} levels; flatten it (and_/or_ take many items)"
        )


# --------------------------------------------------------------------------- text

_PRECEDENCE = {ast.Or: 1, ast.And: 2, ast.Not: 3}


def _text(node: ast.Node, dialect: Dialect, escape_quotes: bool, out: list[str]) -> None:
    if isinstance(node, ast.Compare):
        out.append(node.field.name)
        out.append(" ")
        out.append(node.op.value)
        out.append(" ")
        out.append(quote_literal(node.value, dialect, escape_quotes=escape_quotes))
    elif isinstance(node, ast.InList):
        out.append(node.field.name)
        out.append(" not in (" if node.negated else " in (")
        out.append(", ".join(quote_literal(v, dialect, escape_quotes=escape_quotes) for v in node.values))
        out.append(")")
    elif isinstance(node, ast.Not):
        out.append("not (")
        _text(node.operand, dialect, escape_quotes, out)
        out.append(")")
    else:
        joiner = " and " if isinstance(node, ast.And) else " or "
        mine = _PRECEDENCE[type(node)]
        for index, item in enumerate(node.items):
            if index:
                out.append(joiner)
            child = _PRECEDENCE.get(type(item), 4)
            if child < mine:
                out.append("(")
                _text(item, dialect, escape_quotes, out)
                out.append(")")
            else:
                _text(item, dialect, escape_quotes, out)


def render(expr: Renderable, dialect: Dialect = "seed", *, escape_quotes: bool = False) -> str:
    """The canonical condition text of `expr` in `dialect`.

    `expr` is a node, a builder expression or condition text (parsed first). Canonical:
    single spaces around operators, lowercase keywords, fields as written, `in (a, b)`,
    parentheses only where precedence needs them, `not (...)` always parenthesised.

    Raises [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError] for
    `automate` when a string holds both quote kinds, unless `escape_quotes=True`.

    >>> from cwa_query import F, render
    >>> cond = (F.Status == "Online") & ~F.Name.startswith("SRV_")
    >>> render(cond)
    "Status = 'Online' and not (Name startswith 'SRV_')"
    >>> render(cond, "automate")
    "Status = 'Online' and Name not like 'SRV\\\\_%'"
    """
    node = to_dialect(expr, dialect)
    out: list[str] = []
    _text(node, dialect, escape_quotes, out)
    return "".join(out)


def encode(expr: Renderable, dialect: Dialect = "seed", *, escape_quotes: bool = False) -> str:
    """The rendered condition percent-encoded for a query string.

    Every character outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded,
    as UTF-8: so `%` in a like pattern travels as `%25` and a space as `%20`.

    >>> from cwa_query import F, encode
    >>> encode(F.Name.like("%DC%"), "automate")
    'Name%20like%20%27%25DC%25%27'
    """
    return urllib.parse.quote(render(expr, dialect, escape_quotes=escape_quotes), safe="")
