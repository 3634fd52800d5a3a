"""An [`Expression`][cwa_query.language.ast.Expression] with OData's meaning as SQLite SQL.

`to_sql` compiles the condition tree's `Compare`/`InList` with the condition language's
meaning ([`cwa_query.language._sql`][cwa_query.language._sql]); an `Expression` that a
dialect read with OData's meaning is compiled here, under the same storage convention,
with OData's rules (what [`evaluate`][cwa_query.evaluate] does with it):

* text compares **exactly**, by code point (SQLite's `BINARY` collation orders UTF-8 by
  code point); `contains`/`startswith`/`endswith` are exact too, and null on a value that
  is not text;
* a comparison is never unknown: with a missing value, or values of kinds that do not
  compare (text with a number), `eq` and the orderings are false and `ne` is true;
  `eq null` is `IS NULL`;
* numbers (booleans as 1/0) compare numerically, text with text only;
* `and`/`or`/`not` are SQL's own, which are Kleene's, as OData's are.

Text in the storage convention's own date-time form (`2024-02-14T08:30:00.000000+00:00`)
is a date-time of the record, as for the condition language: a record that holds such
text as a string differs there.

A test outside this subset (arithmetic, lambdas over lists, which the storage convention
keeps out of columns, other functions, text that is also an ISO date, date-time literals)
is refused with [`UntranslatableError`][cwa_query.UntranslatableError] at its position:
evaluate it in Python with `evaluate`.

>>> import sqlite3
>>> from cwa_query import parse, to_sql
>>> sql, params = to_sql(parse("Name eq 'O''Neil' or not (Name gt 'N')", dialect="odata"))
>>> db = sqlite3.connect(":memory:")
>>> _ = db.execute('CREATE TABLE t (Id, Name)')
>>> _ = db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "O'Neil"), (2, "o'neil"), (3, "Adams"), (4, None)])
>>> [i for (i,) in db.execute(f"SELECT Id FROM t WHERE {sql}", params)]
[1, 3, 4]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import UntranslatableError
from . import ast
from ._odata_render import odata_refusal
from .literals import DATE_RE

__all__ = ["ODataSql"]

_SQL_OPS = {
    ast.BinaryOp.EQ: "=",
    ast.BinaryOp.NE: "<>",
    ast.BinaryOp.GT: ">",
    ast.BinaryOp.GE: ">=",
    ast.BinaryOp.LT: "<",
    ast.BinaryOp.LE: "<=",
}
_FLIP = {
    ast.BinaryOp.GT: ast.BinaryOp.LT,
    ast.BinaryOp.LT: ast.BinaryOp.GT,
    ast.BinaryOp.GE: ast.BinaryOp.LE,
    ast.BinaryOp.LE: ast.BinaryOp.GE,
}
_TEXT_TESTS = {
    "contains": "instr({column}, {value}) > 0",
    "startswith": "substr({column}, 1, length({value})) = {again}",
    "endswith": "substr({column}, -length({value})) = {again}",
}


class ODataSql:
    """Compiles OData expressions; `param` adds a `?` parameter, `quote` a column name, and
    `is_instant` tests a column for the date-time normal form (a date-time of the record)."""

    def __init__(
        self, param: Callable[[Any], str], quote: Callable[[str], str], is_instant: Callable[[str], str]
    ) -> None:
        self.param = param
        self.quote = quote
        self.is_instant = is_instant

    def test(self, node: ast.Expr) -> str:
        """SQL true, false or NULL exactly where OData's `node` is."""
        if isinstance(node, ast.Connective):
            joiner = " AND " if node.op is ast.BinaryOp.AND else " OR "
            return "(" + joiner.join(self.test(item) for item in node.items) + ")"
        if isinstance(node, ast.Unary) and node.op is ast.UnaryOp.NOT:
            return f"NOT {self.test(node.operand)}"
        if isinstance(node, ast.Binary) and node.op in _SQL_OPS:
            op, left, right = node.op, node.left, node.right
            if not isinstance(left, ast.Field) and isinstance(right, ast.Field):
                op, left, right = _FLIP.get(op, op), right, left
            if isinstance(left, ast.Field):
                return self.compare(node, op, left, right)
        if isinstance(node, ast.Call) and node.base is None and node.name in _TEXT_TESTS and len(node.args) == 2:
            subject, value = node.args
            if isinstance(subject, ast.Field) and isinstance(value, ast.String):
                self.check_text(node, value)
                column = self.quote(subject.name)
                template = _TEXT_TESTS[node.name]
                if not value.value:  # every text holds, starts and ends with ''
                    test = "1"
                else:
                    again = self.param(value.value) if "{again}" in template else ""
                    test = template.format(column=column, value=self.param(value.value), again=again)
                return f"CASE WHEN {self.is_text(column)} THEN {test} END"
        if (
            isinstance(node, ast.In)
            and isinstance(node.operand, ast.Field)
            and isinstance(node.collection, ast.ListValue)
        ):
            tests = [self.compare(node, ast.BinaryOp.EQ, node.operand, item) for item in node.collection.items]
            return "(" + " OR ".join(tests) + ")" if tests else "0"
        raise self.refuse(node, "to_sql compiles OData's comparisons of a path with a literal, `in`, `contains`, "
                          "`startswith`, `endswith`, and/or/not; evaluate the rest with `evaluate`")  # fmt: skip

    def is_text(self, column: str) -> str:
        return f"typeof({column}) = 'text' AND NOT {self.is_instant(column)}"

    def compare(self, node: ast.Expr, op: ast.BinaryOp, field: ast.Field, value: ast.Expr) -> str:
        column = self.quote(field.name)
        if isinstance(value, ast.Null):
            return {ast.BinaryOp.EQ: f"({column} IS NULL)", ast.BinaryOp.NE: f"({column} IS NOT NULL)"}.get(op, "0")
        if isinstance(value, ast.String):
            self.check_text(node, value)
            comparable, parameter = self.is_text(column), self.param(value.value)
        elif isinstance(value, (ast.Integer, ast.Decimal, ast.Boolean)):
            comparable, parameter = f"typeof({column}) IN ('integer', 'real')", self.param(self.number(node, value))
        else:
            raise self.refuse(node, "to_sql compares a path with text, a number, a Boolean or null")
        otherwise = "1" if op is ast.BinaryOp.NE else "0"  # kinds that do not compare, or null
        return f"CASE WHEN {comparable} THEN {column} {_SQL_OPS[op]} {parameter} ELSE {otherwise} END"

    def number(self, node: ast.Expr, value: ast.Integer | ast.Decimal | ast.Boolean) -> int | float:
        """The literal as an SQLite number, refused where SQLite's cannot hold it exactly."""
        if isinstance(value, ast.Decimal) and value.value != value.value.to_integral_value():
            if len(value.value.normalize().as_tuple().digits) > 15:
                raise self.refuse(node, "a decimal of more than 15 digits has no exact SQLite double")
            return float(value.value)
        whole = int(value.value)
        if not -(2**63) <= whole < 2**63:
            raise self.refuse(node, "an integer beyond 64 bits has no exact SQLite number")
        return whole

    def check_text(self, node: ast.Expr, value: ast.String) -> None:
        if DATE_RE.fullmatch(value.value):
            raise self.refuse(node, "text that is also an ISO date compares with date-times as an instant")
        if "\x00" in value.value:
            raise self.refuse(node, "SQLite's text functions stop at a NUL character")

    @staticmethod
    def refuse(node: ast.Expr, reason: str) -> UntranslatableError:
        return odata_refusal(node, target="SQL", reason=reason)
