r"""Translate a condition into a SQLite `WHERE` clause with exactly the evaluator's semantics.

>>> from cwa_query import parse, to_sql
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
  `record_instant` accepts it;
* a list (or tuple) as one column holding its JSON text in a BLOB (its members stored as
  above, mappings in it as JSON objects), so SQLite's `json_each`/`json_tree` read it and no
  text is taken for a list. A path *through* a list (`Users.Name` of `{"Users": [...]}`)
  names no column: that one is not supported;
* a mapping both flattened (a column per path) and as its JSON object in a BLOB in a column
  of its own name, so that a test of the mapping itself (`Client = null`) answers as
  `evaluate` does.

**How.** One writer for every tree; each predicate is written with its node's meaning.

* `Compare`/`InList` (the condition language's meaning): a `CASE` over the value's kind
  (`typeof()` and a `GLOB` for the date-time normal form), each branch comparing the way the
  evaluator does: text with `COLLATE NOCASE` (ASCII-only folding, like the evaluator's),
  numbers numerically, numeric text through `CAST(... AS NUMERIC)` when it is a plain
  decimal, date-times as normal-form text; a mismatch gives NULL, SQL's unknown. `like`,
  `contains`, `startswith` and `endswith` use `LIKE ... ESCAPE '\'` with a pattern rebuilt
  from the evaluator's reading of the pattern. Over a list, the test holds when it holds for
  some member (`json_tree`, nested lists spliced in), as `evaluate` fans out.
* `Expression` (OData's meaning): text compares **exactly**, by code point (SQLite's
  `BINARY` collation); a comparison is never unknown: with null, or kinds that do not
  compare, `eq` and the orderings are false and `ne` true, `eq null` is `IS NULL`; numbers
  compare with numbers and text with text only; `in`, `contains`/`startswith`/`endswith`,
  arithmetic (`add sub mul divby mod`, `-`), `length`, `trim`, `round`, and `any`/`all`
  over a stored list through `json_each` (false where the value is not a list). What SQL
  cannot say exactly (`div`, which `evaluate` makes exact for Booleans and whole decimals
  that are stored as integers; `tolower`/`toupper`, Unicode case mapping; date parts;
  date-time, time, duration and GUID literals; `has`; text that is also an ISO date; paths
  into list members) is refused with [`UntranslatableError`][cwa_query.UntranslatableError]
  at its position: evaluate it in Python with `evaluate`.

`and`/`or`/`not` are SQL's own, which are Kleene's. Values are always numbered `?N`
parameters, one per distinct value; only the quoted column names are spliced into the text.

>>> sql, params = to_sql(parse("Name eq 'O''Neil' or not (Name gt 'N')", dialect="odata"))
>>> db = sqlite3.connect(":memory:")
>>> _ = db.execute('CREATE TABLE t (Id, Name)')
>>> _ = db.executemany("INSERT INTO t VALUES (?, ?)", [(1, "O'Neil"), (2, "o'neil"), (3, "Adams"), (4, None)])
>>> [i for (i,) in db.execute(f"SELECT Id FROM t WHERE {sql}", params)]
[1, 3, 4]

**Limits.** Numbers are compared and computed as SQLite does (64-bit integers, doubles):
exact while decimal literals, decimal values and numeric text have at most 15 significant
digits, integers fit in 64 bits, OData arithmetic's results are exact in doubles and a
`mod`'s quotient fits in 64 bits. Text holding a NUL character is not supported (SQLite's
pattern functions stop at it). SQLite allows at most 32,766 parameters per statement, so very long
`in` lists must be split. SQLite's parser has a short stack: `not` is pushed inward and
and/or items are ordered deepest first (both exact in three-valued logic) so that
parentheses nest as little as possible, and a tree that would still nest past 54 levels
(about 108 alternating `and`/`or` levels) is refused with
[`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError].
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Union

from ..dialects import DialectLike, Schemas
from ..errors import UnrepresentableConditionError, UnsupportedValueError, UntranslatableError
from . import ast
from ._evaluate import POSITIVE, WHITE_SPACE, LiteralView, condition_tree, instant_text, like_tokens, literal_view
from ._odata_render import odata_refusal
from .literals import DATE_RE

if TYPE_CHECKING:
    from .builder import Condition

__all__ = ["SqlValue", "sql_row", "sql_value", "to_sql"]

SqlValue = None | int | float | str | bytes
Expression = Union[ast.Node, "Condition", str]

_INT64 = (-(2**63), 2**63 - 1)
_D = "[0-9]"
_INSTANT_GLOB = f"{_D * 4}-{_D * 2}-{_D * 2}T{_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}+00:00"
_ORDERING = {ast.Op.GT: ">", ast.Op.LT: "<", ast.Op.GE: ">=", ast.Op.LE: "<="}
_CHAIN = 32  # and/or items per parenthesised group: keeps SQLite's expression depth low
_MAX_NESTING = 54  # SQLite 3.40's parser overflows at 62 with these leaves (measured); keep a margin


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
        return json.dumps(_json_member(value, where), ensure_ascii=False, allow_nan=False).encode()
    raise UnsupportedValueError(f"{where}: cannot store a {type(value).__name__} value in an SQL column")


def _json_member(value: Any, where: str) -> Any:
    """A list's member (or a mapping's value in it) in JSON: scalars as `sql_value` stores them."""
    if isinstance(value, (list, tuple)):
        return [_json_member(item, where) for item in value]
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise UnsupportedValueError(f"{where}: a mapping in a list has a key that is not text")
        return {key: _json_member(item, where) for key, item in value.items()}
    if isinstance(value, bool):
        return value
    stored = sql_value(value, where=where)
    if isinstance(stored, float) and math.isinf(stored):
        raise UnsupportedValueError(f"{where}: JSON cannot hold an infinite number in a list")
    return stored


def sql_row(record: Mapping[str, Any]) -> dict[str, SqlValue]:
    """A record as columns: nested mappings flattened to dotted names, values by `sql_value`;
    a mapping also as its JSON in a BLOB in its own column, so that `Client = null` is false.

    >>> sql_row({"Id": 1, "Client": {"Id": 5, "Name": "Acme"}, "Ok": False})
    {'Id': 1, 'Client': b'{"Id": 5, "Name": "Acme"}', 'Client.Id': 5, 'Client.Name': 'Acme', 'Ok': 0}
    """
    out: dict[str, SqlValue] = {}
    _flatten_into(out, "", record)
    return out


def _flatten_into(out: dict[str, SqlValue], prefix: str, mapping: Mapping[str, Any]) -> None:
    for key, value in mapping.items():
        name = prefix + str(key)
        if isinstance(value, Mapping):
            out[name] = json.dumps(_json_member(value, f"field {name!r}"), ensure_ascii=False, allow_nan=False).encode()
            _flatten_into(out, name + ".", value)
        else:
            out[name] = sql_value(value, where=f"field {name!r}")


def quote_identifier(name: str) -> str:
    """`name` as an SQL identifier in double quotes (a `"` inside doubled)."""
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------- the writer

_JSON_EACH_COLUMNS = frozenset({"key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root"})
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
    "contains": "instr({subject}, {value}) > 0",
    "startswith": "substr({subject}, 1, length({value})) = {again}",
    "endswith": "substr({subject}, -length({value})) = {again}",
}
_ARITHMETIC = {ast.BinaryOp.ADD: "+", ast.BinaryOp.SUB: "-", ast.BinaryOp.MUL: "*"}
_COMPUTED = frozenset([*_ARITHMETIC, ast.BinaryOp.MOD, ast.BinaryOp.DIVBY])
_NUMBER_LITERALS = (ast.Integer, ast.Decimal, ast.Boolean, ast.SpecialNumber)
_LITERALS = (*_NUMBER_LITERALS, ast.String, ast.Null, ast.DateTime, ast.TimeOfDay, ast.Duration, ast.Guid,
             ast.EnumValue, ast.BinaryData, ast.Geo)  # fmt: skip


class _Value:
    """An OData value in SQL: its text and SQL tests of its kind (`"1"`: always, when not
    NULL; `"0"`: never). A stored value (a column, or a member of a list) names its kind;
    a computed one (arithmetic, `length`, `trim`) is of one kind or NULL."""

    __slots__ = ("is_list", "is_null", "is_number", "is_text", "json", "sql")

    def __init__(
        self, sql: str, *, is_text: str, is_number: str, is_null: str | None,
        is_list: str | None = None, json: str = "",
    ) -> None:  # fmt: skip
        self.sql, self.is_text, self.is_number, self.is_null = sql, is_text, is_number, is_null
        self.is_list, self.json = is_list, json

    @classmethod
    def stored(cls, sql: str, kind: str, numbers: str, is_list: str, json: str, null: str) -> _Value:
        text = f"{kind} = 'text' AND NOT {sql} GLOB '{_INSTANT_GLOB}'"
        return cls(sql, is_text=text, is_number=f"{kind} IN {numbers}", is_null=null, is_list=is_list, json=json)

    @classmethod
    def column(cls, column: str) -> _Value:
        """A column: a list is JSON text in a BLOB that starts with `[` (a mapping's starts with `{`)."""
        json = f"CAST({column} AS TEXT)"
        return cls.stored(column, f"typeof({column})", "('integer', 'real')",
                          f"typeof({column}) = 'blob' AND {json} GLOB '[[]*'", json, f"{column} IS NULL")  # fmt: skip

    @classmethod
    def member(cls, alias: str) -> _Value:
        """A member of a list, as `json_each` gives it (JSON true/false as 1/0)."""
        return cls.stored(f"{alias}.value", f"{alias}.type", "('integer', 'real', 'true', 'false')",
                          f"{alias}.type = 'array'", f"{alias}.value", f"{alias}.type = 'null'")  # fmt: skip

    def number(self) -> str:
        """This value where it is a number, else NULL."""
        return self.sql if self.is_number == "1" else f"CASE WHEN {self.is_number} THEN {self.sql} END"


def _fold(kind: str, truth: str, source: str) -> str:
    """Kleene's `or` (`kind` "any": of no rows false) or `and` ("all": of no rows true) of
    `truth` over the rows of `source`: true, false and unknown ranked 2, 0 and 1."""
    rank = f"coalesce(({truth}) * 2, 1)"
    if kind == "any":
        return f"(SELECT nullif(coalesce(max({rank}), 0), 1) / 2 FROM {source})"
    return f"(SELECT nullif(coalesce(min({rank}), 2), 1) / 2 FROM {source})"


class _Writer:
    """Builds the SQL text and its parameter list in step: the one compiler of every tree.

    `Compare`/`InList` are written with their meaning (the condition language's: text folded,
    a missing value unknown, a list compared by some member, numeric text equal to its number)
    and an `Expression` with its own (OData's: text exact, null rules, whole lists, strict kinds).
    """

    def __init__(self) -> None:
        self.params: list[Any] = []
        self.numbers: dict[tuple[type, Any], str] = {}
        self.aliases = 0

    def param(self, value: Any) -> str:
        """A numbered parameter for `value`: one per distinct value, however often the text uses it."""
        key = (type(value), value)
        number = self.numbers.get(key)
        if number is not None:
            return number
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UnrepresentableConditionError(
                    f"the string {value!r} holds a lone surrogate, which SQLite cannot store as UTF-8"
                ) from None
        self.params.append(value)
        number = self.numbers[key] = f"?{len(self.params)}"
        return number

    def params_list(self, values: Iterable[Any]) -> str:
        return "(" + ", ".join(self.param(v) for v in values) + ")"

    def alias(self) -> str:
        """A fresh name for a `json_each`/`json_tree` table in a subquery."""
        self.aliases += 1
        return f'"_list{self.aliases}"'

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

    # -- the condition language's meaning (`Compare`, `InList`)

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

    def some(self, column: str, member: Callable[[str], str], scalar: Callable[[str], str]) -> str:
        """`scalar` of the column's value; for a list (JSON in a BLOB), `member` of some
        member, nested lists spliced in (a mapping member, `atom` NULL, is unknown), as `evaluate` fans out."""
        alias = self.alias()
        source = (
            f"json_tree(CAST({column} AS TEXT)) AS {alias}"
            f" WHERE {alias}.type <> 'array' AND {alias}.fullkey NOT LIKE '%.%' AND"
        )
        alone = scalar(column)  # parameters in the order of the text
        found = f"EXISTS (SELECT 1 FROM {source} {member(f'{alias}.atom')})"
        unknown = f"EXISTS (SELECT 1 FROM {source} ({member(f'{alias}.atom')}) IS NULL)"
        otherwise = f"WHEN {found} THEN 1 WHEN {unknown} THEN NULL ELSE 0"
        return f"CASE WHEN typeof({column}) <> 'blob' THEN {alone} {otherwise} END"

    def predicate(self, node: ast.Compare | ast.InList) -> tuple[str, bool]:
        """The `CASE` of the positive form of a predicate, and whether the node negates it."""
        column = quote_identifier(node.field.name)
        if isinstance(node, ast.InList):
            views = [literal_view(v) for v in node.values if not isinstance(v, ast.Null)]

            def member_of(value: str) -> str:
                return self.membership(value, views)

            sql = self.some(column, member_of, member_of) if views else ""
            if len(views) < len(node.values):  # `x in (1, null)` is `x = 1 or x = null`
                sql = f"({sql} OR {column} IS NULL)" if sql else f"{column} IS NULL"
            return sql, node.negated
        op = POSITIVE.get(node.op, node.op)
        if isinstance(node.value, ast.Null):  # two-valued: IS NULL (a list never is); other operators unknown
            return (f"{column} IS NULL" if op is ast.Op.EQ else "NULL"), op is not node.op
        view = literal_view(node.value)

        def equal(value: str) -> str:
            return self.membership(value, [view])

        def test(value: str) -> str:
            if op in _ORDERING:
                return self.ordering(value, _ORDERING[op], view)
            return self.text_match(value, op, view)

        scalar = equal if op is ast.Op.EQ else test
        # a list's `contains` asks for a member (`Tags contains 'db'`); every other test asks each member
        return self.some(column, equal if op is ast.Op.CONTAINS else scalar, scalar), op is not node.op

    # -- OData's meaning (`Expression`)

    def refuse(self, node: ast.Expr, reason: str) -> UntranslatableError:
        return odata_refusal(node, target="SQL", reason=reason)

    def test(self, node: ast.Expr, scope: dict[str, str]) -> str:
        """SQL true, false or NULL exactly where OData's `node` is (`scope`: lambda variables)."""
        if isinstance(node, ast.Connective):
            joiner = " AND " if node.op is ast.BinaryOp.AND else " OR "
            return "(" + joiner.join(self.test(item, scope) for item in node.items) + ")"
        if isinstance(node, ast.Unary) and node.op is ast.UnaryOp.NOT:
            return f"NOT ({self.test(node.operand, scope)})"
        if isinstance(node, ast.Binary) and node.op in _SQL_OPS:
            op, left, right = node.op, node.left, node.right
            if _is_literal(left) and not _is_literal(right):
                op, left, right = _FLIP.get(op, op), right, left
            if not _is_literal(left) and isinstance(right, _LITERALS):
                mark = len(self.params)
                return self.compare(node, op, self.value(left, scope), right, mark)
            raise self.refuse(node, "to_sql compares a value with a literal")
        if isinstance(node, ast.In) and isinstance(node.collection, (ast.ListValue, ast.Array)):
            items = node.collection.items
            if not all(_is_literal(item) for item in items):
                raise self.refuse(node, "to_sql tests `in` a list of literals")
            tests = []
            for item in items:
                mark = len(self.params)
                tests.append(self.compare(node, ast.BinaryOp.EQ, self.value(node.operand, scope), item, mark))
            return "(" + " OR ".join(tests) + ")" if tests else "0"
        if isinstance(node, ast.Call) and node.base is None and node.name in _TEXT_TESTS and len(node.args) == 2:
            subject, value = node.args
            if isinstance(value, ast.String) and not isinstance(subject, (ast.NamedArgument, ast.CasePair)):
                text = self.value(subject, scope)
                self.check_text(node, value)
                template = _TEXT_TESTS[node.name]
                if not value.value:  # every text holds, starts and ends with ''
                    found = "1"
                else:
                    again = self.param(value.value) if "{again}" in template else ""
                    found = template.format(subject=text.sql, value=self.param(value.value), again=again)
                return found if text.is_text == "1" else f"CASE WHEN {text.is_text} THEN {found} END"
        if isinstance(node, ast.Lambda) and node.kind in ("any", "all"):
            return self.lambda_(node, scope)
        if isinstance(node, ast.Field):
            raise self.refuse(node, "a Boolean is stored as 1/0, as an integer is: write `eq true`")
        raise self.refuse(node, "to_sql compiles comparisons, `in`, `contains`, `startswith`, `endswith`, "
                          "`any`/`all` and and/or/not; evaluate the rest with `evaluate`")  # fmt: skip

    def lambda_(self, node: ast.Lambda, scope: dict[str, str]) -> str:
        """`any`/`all` over a list (JSON in a BLOB, or a list member of a list) through `json_each`;
        not a list: false."""
        collection = self.value(node.collection, scope)
        if collection.is_list is None:
            raise self.refuse(node, "to_sql runs any/all over a stored list only")
        if node.predicate is None or node.variable is None:
            return f"CASE WHEN {collection.is_list} THEN json_array_length({collection.json}) > 0 ELSE 0 END"
        alias = self.alias()
        truth = self.test(node.predicate, {**scope, node.variable: alias})
        folded = _fold(node.kind, truth, f"json_each({collection.json}) AS {alias}")
        return f"CASE WHEN {collection.is_list} THEN {folded} ELSE 0 END"

    def value(self, node: ast.Expr, scope: dict[str, str]) -> _Value:
        if isinstance(node, ast.Field):
            parts = node.parts
            if parts[0] in scope:
                if len(parts) > 1:
                    raise self.refuse(node, "to_sql reads a list member whole, not a path into it")
                return _Value.member(scope[parts[0]])
            if scope and node.name.lower() in _JSON_EACH_COLUMNS:
                raise self.refuse(node, "inside any/all this column's name is one of json_each's own")
            return _Value.column(quote_identifier(node.name))
        if isinstance(node, ast.Binary) and node.op in _COMPUTED:
            return _Value(self.arithmetic(node, scope), is_text="0", is_number="1", is_null=None)
        if isinstance(node, ast.Unary) and node.op is ast.UnaryOp.NEG and isinstance(node.operand, ast.Binary):
            operand = self.value(node.operand, scope)
            return _Value(f"(- {operand.sql})", is_text="0", is_number="1", is_null=None)
        if isinstance(node, ast.Binary) and node.op is ast.BinaryOp.DIV:
            raise self.refuse(node, "a Boolean or a whole decimal is stored as an integer, but `div` divides them "
                              "exactly where it truncates integers: write `divby`")  # fmt: skip
        if isinstance(node, ast.Call) and node.base is None and len(node.args) == 1:
            arg = node.args[0]
            if node.name in ("length", "trim", "round") and not isinstance(arg, (ast.NamedArgument, ast.CasePair)):
                return self.call(node.name, self.value(arg, scope))
        raise self.refuse(node, "to_sql computes paths, arithmetic with numbers, length, trim and round")

    def call(self, name: str, arg: _Value) -> _Value:
        """`length`, `trim` or `round` of `arg`: NULL where OData's is null."""
        if name == "round":
            sql = f"round({arg.number()})"
            return _Value(sql, is_text="0", is_number="1", is_null=f"{sql} IS NULL")
        if name == "trim":
            sql = f"trim({arg.sql}, {self.param(WHITE_SPACE)})"
            sql = sql if arg.is_text == "1" else f"CASE WHEN {arg.is_text} THEN {sql} END"
            return _Value(sql, is_text="1", is_number="0", is_null=f"{sql} IS NULL")
        listed = f" WHEN {arg.is_list} THEN json_array_length({arg.json})" if arg.is_list else ""
        sql = f"CASE WHEN {arg.is_text} THEN length({arg.sql}){listed} END"
        return _Value(sql, is_text="0", is_number="1", is_null=f"{sql} IS NULL")

    def arithmetic(self, node: ast.Binary, scope: dict[str, str]) -> str:
        """A number, or NULL where OData's is null or no number."""

        def operand(side: ast.Expr) -> str:
            if isinstance(side, _NUMBER_LITERALS):
                return self.param(self.number(node, side))
            value = self.value(side, scope)
            if value.is_number == "0":
                raise self.refuse(node, "to_sql computes with numbers only")
            return value.number()

        if node.op in _ARITHMETIC:
            return f"({operand(node.left)} {_ARITHMETIC[node.op]} {operand(node.right)})"
        if not isinstance(node.right, _NUMBER_LITERALS) or self.number(node, node.right) == 0:
            raise self.refuse(node, "to_sql divides by a number literal other than 0 (by 0 the request fails)")
        if node.op is ast.BinaryOp.DIVBY:
            return f"(CAST({operand(node.left)} AS REAL) / {operand(node.right)})"
        # mod: the sign of the dividend, for doubles too (SQLite's % turns them into integers)
        left, right = operand(node.left), operand(node.right)
        return f"({left} - {right} * CAST({operand(node.left)} / {operand(node.right)} AS INTEGER))"

    def compare(self, node: ast.Expr, op: ast.BinaryOp, value: _Value, literal: ast.Expr, mark: int) -> str:
        """OData's comparison: never NULL; kinds that do not compare (or null) make `eq` false, `ne` true.
        (`mark`: the parameters before `value`'s, dropped when its text is.)"""
        otherwise = "1" if op is ast.BinaryOp.NE else "0"
        if isinstance(literal, ast.Null):
            if value.is_null is None:
                raise self.refuse(node, "to_sql cannot tell where this value is null")
            if op not in (ast.BinaryOp.EQ, ast.BinaryOp.NE):
                return self.drop(mark, "0")
            return f"({value.is_null})" if op is ast.BinaryOp.EQ else f"NOT ({value.is_null})"
        if (isinstance(literal, ast.SpecialNumber) and literal.word == "NaN") or isinstance(literal, ast.BinaryData):
            return self.drop(mark, otherwise)  # NaN equals nothing; no stored value is bytes
        if isinstance(literal, ast.EnumValue):  # its members' text, as `evaluate` compares it
            literal = ast.String(",".join(literal.members), literal.span)
        raw: str | int | float
        if isinstance(literal, ast.String):
            self.check_text(node, literal)
            comparable, raw = value.is_text, literal.value
        elif isinstance(literal, _NUMBER_LITERALS):
            comparable, raw = value.is_number, self.number(node, literal)
        else:
            raise self.refuse(node, "to_sql compares with text, a number, a Boolean or null")
        if comparable == "0":
            return self.drop(mark, otherwise)
        if comparable == "1":
            return f"COALESCE({value.sql} {_SQL_OPS[op]} {self.param(raw)}, {otherwise})"
        return f"CASE WHEN {comparable} THEN {value.sql} {_SQL_OPS[op]} {self.param(raw)} ELSE {otherwise} END"

    def drop(self, mark: int, sql: str) -> str:
        """`sql`, with the parameters added since `mark` taken back (text that used them was dropped)."""
        del self.params[mark:]
        self.numbers = {key: number for key, number in self.numbers.items() if int(number[1:]) <= mark}
        return sql

    def number(self, node: ast.Expr, value: ast.Integer | ast.Decimal | ast.Boolean | ast.SpecialNumber) -> int | float:
        """The literal as an SQLite number, refused where SQLite's cannot hold it exactly."""
        if isinstance(value, ast.SpecialNumber):
            return value.value
        if isinstance(value, ast.Decimal) and value.value != value.value.to_integral_value():
            if len(value.value.normalize().as_tuple().digits) > 15:
                raise self.refuse(node, "a decimal of more than 15 digits has no exact SQLite double")
        elif not -(2**63) <= int(value.value) < 2**63:
            raise self.refuse(node, "an integer beyond 64 bits has no exact SQLite number")
        return _number_param(value.value if isinstance(value, ast.Decimal) else int(value.value))

    def check_text(self, node: ast.Expr, value: ast.String) -> None:
        if DATE_RE.fullmatch(value.value):
            raise self.refuse(node, "text that is also an ISO date compares with date-times as an instant")
        if "\x00" in value.value:
            raise self.refuse(node, "SQLite's text functions stop at a NUL character")

    # -- trees

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
            if node.meaning != ast.ODATA_MEANING:
                raise self.refuse(node.expr, f"to_sql compiles an expression with OData's meaning, not {node.meaning}")
            sql = self.test(node.expr, {})
            return (f"NOT ({sql})" if negate else f"({sql})"), "", 2 * ast.expression_depth(node.expr)
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


def _is_literal(node: ast.Expr) -> bool:
    return isinstance(node, _LITERALS)


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

    >>> sql, params = to_sql("Name like 'srv\\\\_%'")
    >>> params, "LIKE ?1 ESCAPE" in sql
    (['srv\\\\_%'], True)
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
