r"""Evaluate a condition against a record in Python: one evaluator for every dialect's tree.

A `Compare` or `InList` means what the server's MySQL backend does with it (the condition
language's meaning); an [`Expression`][cwa_query.language.ast.Expression] means what its
[`Meaning`][cwa_query.language.ast.Meaning] says (read from OData: OData's). The meaning is
resolved when the condition is compiled, so evaluating a record never branches on it.

[`evaluate`][cwa_query.evaluate] answers one record;
[`compile_predicate`][cwa_query.compile_predicate] compiles a condition once into a plain
function, for many records (the sandbox server filters up to 50,000 per request with it).

>>> from cwa_query import evaluate
>>> evaluate("Client.Id = 5 and Name like 'srv%'", {"Client": {"Id": 5}, "Name": "SRV-01"})
True

Semantics (the SQL of [`to_sql`][cwa_query.to_sql] follows exactly the same rules):

* **Paths.** `Client.Id` walks nested mappings; a key missing in exact case is looked up
  ignoring ASCII case (as the server and SQLite treat names). A path through a list fans
  out: the predicate holds when it holds for **any** element (an empty list: for none, so
  it is false). A list at the end of the path is a set of members: `Tags = 'x'` and
  `Tags contains 'x'` test membership, `Users.Name contains 'x'` tests each name for the
  substring.
* **Negated operators** (`!=`, `not like`, `not in`, `not contains`) are exactly `not` of
  their positive form, lists included: `Tags not contains 'x'` means the list does not hold
  `'x'`; `Tags != 'x'` means no element equals `'x'`. So `to_dialect`'s pushing of a prefix
  `not` into `!=`/`not in`/`not like`/`not contains` never changes the result. (Ordering
  operators over a list are "some element": `not (Ports < 10)` and `Ports >= 10` differ on
  `[5, 20]`.)
* **Unknown.** A missing field, `None`, NaN, a mapping, or a comparison between kinds that
  do not convert is *unknown*. `and`/`or`/`not` follow Kleene's three-valued logic and a
  record is accepted only when the whole condition is true (as SQL's `WHERE`): so both
  `x = 1` and `x != 1` reject a record without `x`.
* **Null** (the `null` literal of the dialects that have one, e.g. `manage`): `x = null` is
  true where `x` is missing, `None` or NaN (through a list: where any value is), false
  elsewhere, never unknown; `x != null` is its negation; `x in (1, null)` is
  `x = 1 or x = null`. Any other operator with `null` is unknown.
* **Text** comparisons (`=`, `!=`, ordering, `in`, `like`, `contains`, `startswith`,
  `endswith`) ignore the case of ASCII letters only (`'É'` and `'é'` differ); ordering is
  by code point after folding.
* **Numbers** (`int`, `float`, `Decimal`, and `bool` as 1/0, as MySQL's `TINYINT(1)`)
  compare numerically and exactly: a `float` stands for its shortest decimal form (`0.1`
  is `0.1`, as JSON writes it). `true`/`false` literals are the numbers 1 and 0.
* **Date-times** compare as instants; a naive one is UTC; a `date` (value or literal
  `2024-02-14`) is its midnight UTC. Text in the storage normal form of
  [`instant_text`][cwa_query.language._evaluate.instant_text]
  (`2024-02-14T00:00:00.000000+00:00`, exactly 32 characters) *is* a date-time, because
  that is how SQL stores one. **Records as the API returns them:** JSON has no date type, so
  a fetched record holds ISO-8601 text (`"2023-06-01T10:00:00"`, with or without `Z`, an
  offset `+02:00` up to 14 hours, or a fraction); such text compared with a date-time
  *literal* (`2024-01-01`, `2024-01-01T00:00:00Z`) compares as an instant (see
  `record_instant`). Compared with a string
  literal, text stays text; a field the schema types as date-time turns quoted ISO dates
  into date-time literals (`evaluate(..., schema=...)`, and translation from `seed`).
* **Conversions.** A string literal against a number converts when it is a plain decimal
  (`-?[0-9]+(.[0-9]+)?`), against a date-time when it is an ISO date as the language
  writes it (`'2024-02-14'`, `'2024-02-14T10:00:00Z'`); a text field against a number
  literal converts the same way. When no conversion applies the comparison is unknown:
  `Id = 5` is true for `5` and `'5'`, unknown for `'five'`.
* **Text operators** (`like`, `contains`, `startswith`, `endswith`) apply to text and to
  date-times (in their normal form text); on numbers and booleans they are unknown. A
  non-string literal is matched as its text (`Ports contains 443`).
* **LIKE**: `%` any run, `_` any one character, a backslash makes the next character
  literal (a trailing backslash is itself). Matching never backtracks exponentially.

**OData's meaning.** [`evaluate_odata`][cwa_query.odata.evaluate_odata] (and an
`Expression` read from OData, in any tree) evaluates an OData `$filter` tree:

>>> from cwa_query.language._odata import parse_filter
>>> tree = parse_filter("contains(Name,'SRV') and Client/Id eq 5")
>>> evaluate_odata(tree, {"Name": "SRV-01", "Client": {"Id": 5}}), evaluate_odata(tree, {"Name": "srv-01"})
(True, False)

Semantics (OData 4.01 URL Conventions, section 5.1.1), where they differ from the condition
language's ([`evaluate`][cwa_query.evaluate]):

* **null.** A missing key or `None` is `null`. `eq` is true when both sides are null, false
  when one is; `ne` is its opposite, so `Name ne 'x'` *accepts* a record without a name.
  `gt ge lt le` with a null side are false. Comparisons are never null: `not (Price gt 5)`
  accepts a record without a price. Functions and arithmetic given a null give null;
  `and`/`or`/`not` over null follow Kleene's three-valued logic, and a record is accepted
  only when the filter is true.
* **Text is case-sensitive**: `eq`, ordering (by code point), `in`, `contains`,
  `startswith`, `endswith`, `indexof` compare exactly; `tolower`/`toupper` use Unicode case
  mapping (Python's `str.lower`/`str.upper`).
* **Kinds.** Numbers compare numerically and exactly (`bool` counts as 1/0, as the SQL
  storage does); a date or date-time literal compares as an instant with a date-time value
  or ISO-8601 text (JSON has no date type); GUID, time-of-day and duration literals compare
  with values of their kind or their text. Values of other kinds do not compare: `eq` is
  false, `ne` true, ordering false. `NaN` equals nothing, itself included. There is no
  fan-out: a path through a list is null; a list equals a list of equal members in the
  same order, an object one with the same keys and equal values (5.1.1.1.1).
* **Collections.** `contains`, `startswith`, `endswith`, `indexof`, `substring`, `length`
  and `concat` also take ordered collections (5.1.1.5); a negative `substring` start counts
  from the end.
* **Arithmetic.** Integer `div` truncates; a Double or decimal divided by zero is `INF`,
  `-INF` or `NaN`, `divby` never fails; date-times and dates add and subtract durations,
  date-times subtract into a duration, durations multiply and divide by numbers (5.1.1.2).
  Date parts (`year` ... `second`) are taken in the value's own offset, ISO text included;
  `hour`/`minute`/`second` read a time of day too.
* **Text functions.** `trim` removes Unicode white space; `matchesPattern` reads an
  ECMAScript pattern (`$` only at the end, `.` stops at line terminators, `\d` and `\w`
  ASCII), bounded in time.
* **Paths** look a key up in exact case, then ignoring ASCII case. Lambda variables and
  `$it`/`$this` (the record being filtered, `$it/Name` too) resolve as OData says. Service
  functions, `$root`, parameter aliases and annotations depend on the service: evaluating
  them raises [`ConditionError`][cwa_query.ConditionError].
* **Failures.** Where the service's request fails, evaluating raises
  [`ConditionEvaluationError`][cwa_query.ConditionEvaluationError]: integer `div 0`, any
  `mod 0`, a negative `substring` length, an invalid pattern; and where one record's
  evaluation runs past [`MAX_STEPS`][cwa_query.language._evaluate.MAX_STEPS]
  collection members (nested `any` multiply) or a pattern past
  [`PATTERN_SECONDS`][cwa_query.language._evaluate.PATTERN_SECONDS].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Union

from ...dialects import DialectLike, FieldTypes, Schemas
from ...errors import ConditionError
from .. import ast
from .._parser import parse
from .._render import as_node
from ..literals import instant_text, record_instant
from ..paths import ascii_lower
from ._compile import TruthFunction, predicate_function, truth_function
from ._text import PATTERN_SECONDS, LikeMatcher, like_tokens
from ._values import MAX_STEPS, LiteralView, Truth, literal_view

if TYPE_CHECKING:
    from ..builder import Condition

__all__ = [
    "MAX_EVALUATE_DEPTH",
    "MAX_STEPS",
    "PATTERN_SECONDS",
    "LikeMatcher",
    "LiteralView",
    "Predicate",
    "Truth",
    "TruthFunction",
    "ascii_lower",
    "compile_odata",
    "compile_predicate",
    "compile_truth",
    "condition_tree",
    "evaluate",
    "evaluate_odata",
    "instant_text",
    "like_tokens",
    "literal_view",
    "record_instant",
    "truth",
    "truth_odata",
]

Predicate = Callable[[Mapping[str, Any]], bool]
Expression = Union[ast.Node, "Condition", str]

MAX_EVALUATE_DEPTH = 400
"""Trees deeper than this many logical levels are refused by the evaluator and `to_sql`."""


def condition_tree(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> ast.Node:
    """The tree of `expr` (text read in `dialect`, by default the condition language),
    checked for depth, with quoted ISO dates on fields the schema types as date-time made
    date-time literals (shared with the SQL translation)."""
    node = parse(expr, dialect=dialect) if isinstance(expr, str) and dialect is not None else as_node(expr)
    if ast.depth(node) > MAX_EVALUATE_DEPTH:
        raise ConditionError(f"the condition nests deeper than {MAX_EVALUATE_DEPTH} levels; flatten it")
    if schema is not None:
        node = FieldTypes(schema, endpoint).typed_dates(node)
    return node


def compile_truth(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> TruthFunction:
    """Compile `expr` into `record -> True | False | None` (three-valued; `None` is unknown).

    >>> f = compile_truth("x = 1")
    >>> f({"x": 1}), f({"x": 2}), f({})
    (True, False, None)
    """
    return truth_function(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))


def compile_predicate(
    expr: Expression, *, schema: Schemas = None, endpoint: str | None = None, dialect: DialectLike | None = None
) -> Predicate:
    """Compile `expr` once into `record -> bool`, true only where the condition is true.

    Build it once per condition and apply it to many records: paths are split, literals
    converted and lowered, LIKE patterns compiled ahead of time. Records are mappings
    (JSON objects as `dict`s). Raises `ConditionSyntaxError` for bad text and
    `ConditionError` for a tree nested deeper than 400 levels. With `schema` (and
    `endpoint`), a quoted ISO date compared with a field the schema types as date-time is
    a date-time literal (so ISO text in the records compares as instants). Text is read in
    `dialect` (by default the condition language: seed and automate).

    >>> online = compile_predicate("Status = 'online' and not (Name startswith 'test')")
    >>> [r["Name"] for r in [{"Status": "Online", "Name": "a"}, {"Status": "Online", "Name": "Test1"}] if online(r)]
    ['a']
    """
    return predicate_function(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))


def truth(
    expr: Expression,
    record: Mapping[str, Any],
    *,
    schema: Schemas = None,
    endpoint: str | None = None,
    dialect: DialectLike | None = None,
) -> Truth:
    """The three-valued answer of `expr` for `record`: `True`, `False` or `None` (unknown).

    >>> truth("x != 1", {}), truth("x != 1 or y = 2", {"y": 2})
    (None, True)
    """
    _check_record(record)
    return compile_truth(expr, schema=schema, endpoint=endpoint, dialect=dialect)(record)


def evaluate(
    expr: Expression,
    record: Mapping[str, Any],
    *,
    schema: Schemas = None,
    endpoint: str | None = None,
    dialect: DialectLike | None = None,
) -> bool:
    """Whether `record` satisfies `expr` (a node, builder expression or condition text).

    True only when the condition is true; unknown (missing fields, `None`) counts as not
    satisfied, as in SQL's `WHERE`. See the module documentation for the rules. For many
    records, use [`compile_predicate`][cwa_query.compile_predicate].

    >>> from cwa_query import F
    >>> evaluate(F.Tags.contains("db") & (F.Memory >= 4096), {"Tags": ["DB", "web"], "Memory": 8192.0})
    True
    >>> evaluate("Memory != 4096", {"Memory": None})
    False

    Date-times in records as the API returns them (ISO-8601 text) compare as instants with
    a date-time literal, or with a quoted date when `schema` types the field as date-time:

    >>> evaluate("LastContact < 2024-01-01", {"LastContact": "2023-12-31T23:00:00-02:00"})
    False
    >>> evaluate("LastContact < 2024-01-01", {"LastContact": "2023-12-31T23:00:00Z"})
    True

    Text in another dialect is read in it:

    >>> evaluate('status/name = "open" and parentTicketId = null', {"status": {"name": "Open"}}, dialect="manage")
    True
    """
    _check_record(record)
    return truth_function(condition_tree(expr, schema=schema, endpoint=endpoint, dialect=dialect))(record) is True


def _check_record(record: Any) -> None:
    if not isinstance(record, Mapping):
        raise TypeError(f"a record is a mapping (such as a dict), not {type(record).__name__}")


def compile_odata(tree: ast.Expr, *, max_steps: int = MAX_STEPS) -> TruthFunction:
    """Compile an OData `$filter` tree once into a function of a record: `True`, `False`, or
    `None` for null, with OData's meaning.

    Evaluating raises [`ConditionEvaluationError`][cwa_query.ConditionEvaluationError] where the
    service's request would fail (an integer `div 0` or `mod 0`, a negative `substring` length, an
    invalid pattern) and where a record's evaluation passes `max_steps` collection members or a
    `matchesPattern` match passes [`PATTERN_SECONDS`][cwa_query.language._evaluate.PATTERN_SECONDS].
    """
    return truth_function(ast.Expression(tree, ast.ODATA_MEANING), max_steps)


def truth_odata(tree: ast.Expr, record: Mapping[str, Any]) -> Truth:
    """`True`, `False` or `None` (null) for `record`."""
    return compile_odata(tree)(record)


def evaluate_odata(tree: ast.Expr, record: Mapping[str, Any]) -> bool:
    """Whether a service applying `$filter=tree` returns `record`: the filter is true."""
    return truth_odata(tree, record) is True
