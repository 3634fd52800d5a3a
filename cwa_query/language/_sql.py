r"""Translate a condition into a SQLite `WHERE` clause with exactly the evaluator's semantics.

>>> from cwa_query import to_sql
>>> sql, params = to_sql("Client.Id = 5")
>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> _ = db.execute('CREATE TABLE c ("Client.Id", "Name")')
>>> _ = db.executemany("INSERT INTO c VALUES (?, ?)", [(5, "a"), ("5", "b"), (6, "c"), (None, "d")])
>>> [name for (name,) in db.execute(f"SELECT Name FROM c WHERE {sql}", params)]
['a', 'b']

The result is what [`evaluate`][cwa_query.evaluate] answers for each record, given that
the table is loaded by the storage convention below (the differential tests check this
over generated conditions and records).

**Storage convention** ([`sql_row`][cwa_query.language._sql.sql_row] and
[`sql_value`][cwa_query.language._sql.sql_value] apply it):

* one column per field path, named by the full dotted path (`"Client.Id"`), declared
  **without a type** so SQLite keeps each value's own type (a typed column's affinity
  would turn `'5'` into `5`);
* text as text, integers as integers, floats and decimals as REAL (SQLite has no decimal
  type), booleans as 0/1, `None` and NaN as NULL;
* date-times (and dates, at midnight) as the normal form of
  [`instant_text`][cwa_query.language._evaluate.instant_text]: UTC, microseconds, `+00:00`, e.g.
  `2024-02-14T08:30:00.000000+00:00`, always 32 characters, so text order is time order.
  The evaluator reads text in exactly this form as a date-time too. Other ISO-8601 text (as
  APIs write date-times in JSON) stays text, and compared with a date-time literal it is
  turned into the normal form in SQL (`strftime` for the offset, the fraction cut or padded
  to six digits), exactly where
  `record_instant` accepts it.

**What is supported.** Scalar columns only: a list-valued field cannot be a column, and
`sql_row` refuses it with [`UnsupportedValueError`][cwa_query.errors.UnsupportedValueError].
(A condition cannot tell a list path from a scalar one, so `to_sql` itself accepts every
condition; `contains` is then a substring test, as the evaluator does on text.)

**How.** Every predicate is a `CASE` over the value's kind (`typeof()` and a `GLOB` for the
date-time normal form), each branch comparing the way the evaluator does: text with
`COLLATE NOCASE` (ASCII-only folding, like the evaluator's), numbers numerically, numeric
text through `CAST(... AS NUMERIC)` when it is a plain decimal, date-times as normal-form
text; a mismatch gives NULL, SQL's unknown. `like`, `contains`, `startswith` and
`endswith` use `LIKE ... ESCAPE '\'` with a pattern rebuilt from the evaluator's reading of
the pattern. `and`/`or`/`not` are SQL's own, which are Kleene's. Values are always `?`
parameters; only the quoted column names are spliced into the text.

**Limits.** Numbers are compared as SQLite does (64-bit integers, doubles): exact while
decimal literals, decimal values and numeric text have at most 15 significant digits and
integers fit in 64 bits. Text holding a NUL character is not supported (SQLite's pattern
functions stop at it). SQLite allows at most 32,766 parameters per statement, so very long
`in` lists must be split. SQLite's parser has a short stack: `not` is pushed inward and
and/or items are ordered deepest first (both exact in three-valued logic) so that
parentheses nest as little as possible, and a tree that would still nest past 64 levels
(about 130 alternating `and`/`or` levels) is refused with
[`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError].
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Union

from ..dialects import DialectLike, Schemas
from ..errors import UnrepresentableConditionError, UnsupportedValueError
from . import ast
from ._evaluate import LiteralView, condition_tree, instant_text, like_tokens, literal_view
from ._odata_sql import ODataSql

if TYPE_CHECKING:
    from .builder import Condition

__all__ = ["SqlValue", "sql_row", "sql_value", "to_sql"]

SqlValue = None | int | float | str
Expression = Union[ast.Node, "Condition", str]

_INT64 = (-(2**63), 2**63 - 1)
_D = "[0-9]"
_INSTANT_GLOB = f"{_D * 4}-{_D * 2}-{_D * 2}T{_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}+00:00"
_ORDERING = {ast.Op.GT: ">", ast.Op.LT: "<", ast.Op.GE: ">=", ast.Op.LE: "<="}
_POSITIVE = {ast.Op.NE: ast.Op.EQ, ast.Op.NOT_CONTAINS: ast.Op.CONTAINS, ast.Op.NOT_LIKE: ast.Op.LIKE}
_CHAIN = 32  # and/or items per parenthesised group: keeps SQLite's expression depth low
_MAX_NESTING = 64  # SQLite 3.40's parser overflows at 75 (measured); keep a margin


# --------------------------------------------------------------------------- values


def _number_param(value: int | _decimal.Decimal) -> int | float:
    """An integer in 64 bits as such, any other number as a double; past the doubles' range
    (about 1.8e308) [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError]:
    SQLite cannot hold it, and infinity would compare equal to other numbers past the range."""
    if isinstance(value, _decimal.Decimal) and value.adjusted() < 19 and value == value.to_integral_value():
        value = int(value)  # adjusted() first: int(Decimal("1e999999999")) would build a billion digits
    if isinstance(value, int) and _INT64[0] <= value <= _INT64[1]:
        return int(value)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if math.isinf(number):
        raise UnrepresentableConditionError(
            "a number past about ±1.8e308 cannot be compared in SQLite (its numbers are 64-bit integers and doubles)"
        )
    return number


def sql_value(value: Any, *, where: str = "value") -> SqlValue:
    """One field value in the storage convention (`where` names it in errors).

    >>> import datetime as dt
    >>> sql_value(True), sql_value(dt.date(2024, 2, 14)), sql_value(float("nan"))
    (1, '2024-02-14T00:00:00.000000+00:00', None)
    """
    if value is None:
        return None
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UnsupportedValueError(f"{where}: text with a lone surrogate cannot be stored as UTF-8") from None
        return str.__str__(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, _decimal.Decimal)):
        if isinstance(value, _decimal.Decimal) and not value.is_finite():
            return None if value.is_nan() else float(value)
        try:
            return _number_param(value if isinstance(value, _decimal.Decimal) else int(value))
        except UnrepresentableConditionError as exc:
            raise UnsupportedValueError(f"{where}: {exc}") from None
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        try:
            return instant_text(value)
        except OverflowError:
            raise UnsupportedValueError(f"{where}: the date-time {value!r} falls outside years 1-9999 in UTC") from None
    if isinstance(value, enum.Enum):
        return sql_value(value.value, where=where)
    if isinstance(value, (list, tuple)):
        raise UnsupportedValueError(
            f"{where} holds a list: SQL columns hold one value each; to_sql supports scalar fields only"
        )
    raise UnsupportedValueError(f"{where}: cannot store a {type(value).__name__} value in an SQL column")


def sql_row(record: Mapping[str, Any]) -> dict[str, SqlValue]:
    """A record as columns: nested mappings flattened to dotted names, values by `sql_value`.

    >>> sql_row({"Id": 1, "Client": {"Id": 5, "Name": "Acme"}, "Ok": False})
    {'Id': 1, 'Client.Id': 5, 'Client.Name': 'Acme', 'Ok': 0}
    """
    out: dict[str, SqlValue] = {}
    _flatten_into(out, "", record)
    return out


def _flatten_into(out: dict[str, SqlValue], prefix: str, mapping: Mapping[str, Any]) -> None:
    for key, value in mapping.items():
        name = prefix + str(key)
        if isinstance(value, Mapping):
            _flatten_into(out, name + ".", value)
        else:
            out[name] = sql_value(value, where=f"field {name!r}")


def quote_identifier(name: str) -> str:
    """`name` as an SQL identifier in double quotes (a `"` inside doubled)."""
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------- predicates


class _Writer:
    """Builds the SQL text and its parameter list in step."""

    def __init__(self) -> None:
        self.params: list[Any] = []

    def param(self, value: Any) -> str:
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UnrepresentableConditionError(
                    f"the string {value!r} holds a lone surrogate, which SQLite cannot store as UTF-8"
                ) from None
        self.params.append(value)
        return "?"

    def params_list(self, values: Iterable[Any]) -> str:
        return "(" + ", ".join(self.param(v) for v in values) + ")"

    # -- kinds of value

    @staticmethod
    def is_instant(column: str) -> str:
        return f"{column} GLOB '{_INSTANT_GLOB}'"

    @staticmethod
    def is_numeric_text(column: str) -> str:
        return (
            f"({column} GLOB '[0-9]*' OR {column} GLOB '-[0-9]*') AND {column} NOT GLOB '?*[^0-9.]*'"
            f" AND {column} NOT GLOB '*.*.*' AND {column} NOT GLOB '*.'"
        )

    @staticmethod
    def record_instant(column: str) -> tuple[str, str]:
        """SQL for "this text is ISO-8601 as `record_instant` accepts it" and for its normal form."""
        d2, d4 = _D * 2, _D * 4
        has_fraction = f"substr({column}, 20, 1) = '.'"
        zone = (
            f"(CASE WHEN {has_fraction} THEN ltrim(substr({column}, 21), '0123456789') ELSE substr({column}, 20) END)"
        )
        fraction = (
            f"(CASE WHEN {has_fraction} THEN substr({column}, 21, length({column}) - 20 - length({zone})) ELSE '' END)"
        )
        date_only = f"({column} GLOB '{d4}-{d2}-{d2}')"
        date_time = (
            f"(substr({column}, 1, 19) GLOB '{d4}-{d2}-{d2}T{d2}:{d2}:{d2}'"
            f" AND substr({column}, 12, 2) <= '23' AND substr({column}, 15, 2) <= '59'"
            f" AND substr({column}, 18, 2) <= '59'"
            f" AND ({zone} IN ('', 'Z') OR ({zone} GLOB '[+-]{d2}:{d2}'"
            f" AND substr({zone}, 2, 2) <= '14' AND substr({zone}, 5, 2) <= '59'))"
            f" AND (NOT {has_fraction} OR length({fraction}) BETWEEN 1 AND 9))"
        )
        seconds = (
            f"strftime('%Y-%m-%dT%H:%M:%S', CASE WHEN {date_only} THEN {column}"
            f" ELSE substr({column}, 1, 19) || {zone} END)"
        )
        normal = f"({seconds} || '.' || substr({fraction} || '000000', 1, 6) || '+00:00')"
        valid = (
            f"COALESCE(({date_only} OR {date_time}) AND substr({column}, 1, 4) >= '0001'"
            f" AND date(substr({column}, 1, 10), '+0 days') = substr({column}, 1, 10)"
            f" AND {seconds} >= '0001', 0)"
        )
        return valid, normal

    def by_kind(self, column: str, instant: str, text: str, number: str) -> str:
        return (
            f"CASE WHEN {self.is_instant(column)} THEN {instant}"
            f" WHEN typeof({column}) = 'text' THEN {text}"
            f" WHEN typeof({column}) IN ('integer', 'real') THEN {number} END"
        )

    # -- predicates

    def ordering(self, column: str, op: str, view: LiteralView) -> str:
        instant = f"{column} {op} {self.param(view.instant_text)}" if view.instant_text is not None else "NULL"
        if view.text is not None:
            text = f"{column} {op} {self.param(view.text)} COLLATE NOCASE"
        elif view.number is not None:
            text = (
                f"CASE WHEN {self.is_numeric_text(column)} THEN CAST({column} AS NUMERIC) {op} "
                f"{self.param(_number_param(view.number))} END"
            )
        elif view.instant_text is not None:  # a date-time literal: ISO text is an instant
            valid, normal = self.record_instant(column)
            text = f"CASE WHEN {valid} THEN {normal} {op} {self.param(view.instant_text)} END"
        else:
            text = "NULL"
        number = f"{column} {op} {self.param(_number_param(view.number))}" if view.number is not None else "NULL"
        return self.by_kind(column, instant, text, number)

    def _in_set(self, left: str, values: list[Any], unknown: bool) -> str:
        if not values:
            return "NULL" if unknown else "0"
        test = f"{left} IN {self.params_list(values)}"
        return f"CASE WHEN {test} THEN 1 END" if unknown else test

    def membership(self, column: str, views: list[LiteralView]) -> str:
        itexts = _unique(v.instant_text for v in views)
        instant = self._in_set(column, itexts, any(v.instant is None for v in views))
        texts = _unique(v.text for v in views)
        text_numbers = _unique(_number_param(v.number) for v in views if v.text is None and v.number is not None)
        text_instants = _unique(
            v.instant_text for v in views if v.text is None and v.number is None and v.instant_text is not None
        )
        branches = []
        unknown = []
        if texts:
            branches.append(f"WHEN {column} COLLATE NOCASE IN {self.params_list(texts)} THEN 1")
        if text_numbers:
            numeric = self.is_numeric_text(column)
            listed = self.params_list(text_numbers)
            branches.append(f"WHEN ({numeric}) AND CAST({column} AS NUMERIC) IN {listed} THEN 1")
            unknown.append(f"NOT ({numeric})")
        if text_instants:
            valid, normal = self.record_instant(column)
            branches.append(f"WHEN {valid} AND {normal} IN {self.params_list(text_instants)} THEN 1")
            unknown.append(f"NOT {valid}")
        if unknown:
            branches.append(f"WHEN {' OR '.join(unknown)} THEN NULL")
        otherwise = (
            "NULL" if any(v.text is None and v.number is None and v.instant_text is None for v in views) else "0"
        )
        text = f"CASE {' '.join(branches)} ELSE {otherwise} END" if branches else otherwise
        numbers = _unique(_number_param(v.number) for v in views if v.number is not None)
        number = self._in_set(column, numbers, any(v.number is None for v in views))
        return self.by_kind(column, instant, text, number)

    def text_match(self, column: str, op: ast.Op, view: LiteralView) -> str:
        if op is ast.Op.LIKE:
            pattern = _sqlite_pattern(like_tokens(view.match_text))
        else:
            literal = "".join(_escape(char) for char in view.match_text)
            pattern = {ast.Op.CONTAINS: "%{}%", ast.Op.STARTSWITH: "{}%", ast.Op.ENDSWITH: "%{}"}[op].format(literal)
        return f"CASE WHEN typeof({column}) = 'text' THEN {column} LIKE {self.param(pattern)} ESCAPE '\\' END"

    # -- trees

    def predicate(self, node: ast.Compare | ast.InList) -> tuple[str, bool]:
        """The `CASE` of the positive form of a predicate, and whether the node negates it."""
        column = quote_identifier(node.field.name)
        if isinstance(node, ast.InList):
            values = [v for v in node.values if not isinstance(v, ast.Null)]
            sql = self.membership(column, [literal_view(v) for v in values]) if values else ""
            if len(values) < len(node.values):  # `x in (1, null)` is `x = 1 or x = null`
                sql = f"{sql} OR {column} IS NULL" if sql else f"{column} IS NULL"
                sql = f"({sql})"
            return sql, node.negated
        op = _POSITIVE.get(node.op, node.op)
        if isinstance(node.value, ast.Null):  # two-valued: IS NULL; other operators unknown
            return (f"{column} IS NULL" if op is ast.Op.EQ else "NULL"), op is not node.op
        view = literal_view(node.value)
        if op is ast.Op.EQ:
            sql = self.membership(column, [view])
        elif op in _ORDERING:
            sql = self.ordering(column, _ORDERING[op], view)
        else:
            sql = self.text_match(column, op, view)
        return sql, op is not node.op

    def node(self, node: ast.Node, negate: bool = False) -> tuple[str, str, int]:
        """SQL for `node`, or for `not node` pushed inward (De Morgan: exact in Kleene logic).

        Returns the text and its loosest operator (`"OR"`, `"AND"` or `""`), so that
        parentheses go only where precedence needs them: SQLite's parser stack is short.
        """
        while isinstance(node, ast.Not):
            node, negate = node.operand, not negate
        if isinstance(node, (ast.Compare, ast.InList)):
            sql, negated = self.predicate(node)
            return (f"NOT {sql}" if negated != negate else sql), "", 0
        if isinstance(node, ast.Expression):
            sql = ODataSql(self.param, quote_identifier, self.is_instant).test(node.expr)
            return (f"NOT {sql}" if negate else sql), "", 0
        joiner = "AND" if isinstance(node, ast.And) != negate else "OR"
        # Deepest item first: the parser then reduces each level before the next opens.
        # (Kleene and/or are commutative, so the order never changes the answer.)
        items = sorted(node.items, key=ast.depth, reverse=True)
        parts = []
        nesting = 0
        for index, item in enumerate(items):
            sql, loosest, inner = self.node(item, negate)
            wrap = loosest == "OR" and joiner == "AND"
            parts.append(f"({sql})" if wrap else sql)
            nesting = max(nesting, inner + wrap + (index > 0))
        while len(parts) > _CHAIN:
            parts = ["(" + f" {joiner} ".join(parts[i : i + _CHAIN]) + ")" for i in range(0, len(parts), _CHAIN)]
            nesting += 1
        return f" {joiner} ".join(parts), joiner, nesting


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v is not None))


def _escape(char: str) -> str:
    return "\\" + char if char in "%_\\" else char


def _sqlite_pattern(tokens: list[str | None]) -> str:
    out = []
    for token in tokens:
        if token is None:
            out.append("_")
        elif token == "%" or token == "\\%":
            out.append(token)
        else:
            out.append(_escape(token))
    return "".join(out)


def to_sql(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> tuple[str, list[Any]]:
    """A SQLite `WHERE` clause for `expr` and its `?` parameters, with the evaluator's semantics.

    Columns are the full field paths as quoted identifiers; date-time parameters are
    normal-form UTC text; booleans are 0/1. See the module documentation for the storage
    convention the table must follow and for the limits.

    >>> to_sql("Name like 'srv\\\\_%'")
    ('(CASE WHEN typeof("Name") = \\'text\\' THEN "Name" LIKE ? ESCAPE \\'\\\\\\' END)', ['srv\\\\_%'])
    """
    node = condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect)
    writer = _Writer()
    sql, _, nesting = writer.node(node)
    if nesting > _MAX_NESTING:
        raise UnrepresentableConditionError(
            f"the condition nests and/or too deeply for SQLite's parser ({nesting} levels of parentheses and "
            f"pending operators; at most {_MAX_NESTING} are safe with its default 100-entry stack): flatten it"
        )
    return f"({sql})", writer.params
