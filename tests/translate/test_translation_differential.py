"""The differential property of translation, over every ordered pair of registered dialects.

For drawn trees `c` of the one tree as a source dialect `s` reads them (OData's lambdas,
arithmetic and text compared exactly among them: `ast.Expression`s; list-valued, null,
date-time and decimal fields too) and drawn records `r` (date-times both as `datetime`
values and as the ISO-8601 text an API returns, lists, nulls, missing fields), for every
target `d != s`:

* `evaluate(c, r) == evaluate(translate(c, s, d), r)` (the tree), and
* `evaluate(c, r) == evaluate(translate(render(c, s), s, d), r)` (its text),

or the translation is refused (`UnrepresentableConditionError`) or warned about
(`TranslationWarning`): a refusal or a warning is the honest answer, silence must mean
the same meaning. Each outcome is counted, and a share of the pairs must really translate
(a differential where everything is refused proves nothing). The dialects come from the
registry, so a dialect registered later takes part without a change here.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cwa_query import (
    TranslationWarning,
    UnrepresentableConditionError,
    ast,
    evaluate,
    load_schema,
    render,
    translate,
)
from cwa_query.dialects import Dialect, FieldTypes, all_dialects
from cwa_query.strategies import conditions

ENDPOINT = "Things"
SCHEMA = load_schema(
    {
        "endpoints": {
            ENDPOINT: {
                "fields": {
                    "Name": "string",
                    "Count": "integer",
                    "Ratio": "decimal",
                    "Flag": "boolean",
                    "At": "datetime",
                    "Tags": "string[]",
                    "Ports": "integer[]",
                    "Users": "object[]",
                    "Users.Name": "string",
                    "Client": "object",
                    "Client.Id": "id",
                    "Id": "id",
                }
            }
        }
    }
)
FIELD_TYPES = FieldTypes(SCHEMA, ENDPOINT)
FIELDS = ["Name", "Count", "Ratio", "Flag", "At", "Tags", "Ports", "Users.Name", "Client.Id", "Id"]
UTC = dt.UTC
INSTANTS = st.datetimes(dt.datetime(2023, 12, 30), dt.datetime(2024, 1, 2), timezones=st.just(UTC))
TEXTS = st.text("aAbZ _%'\"\u00e9-:T0123", max_size=4)
ISO_TEXTS = st.one_of(
    INSTANTS.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")),
    INSTANTS.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    INSTANTS.map(lambda d: d.astimezone(dt.timezone(dt.timedelta(hours=-2))).isoformat()),
    INSTANTS.map(lambda d: d.isoformat(timespec="milliseconds").replace("+00:00", "Z")),
    INSTANTS.map(lambda d: d.date().isoformat()),
)
NUMBERS = st.one_of(st.integers(-3, 3), st.decimals(-3, 3, places=1), st.sampled_from([0.5, -1.5, 2.0]))


def _scalar(field: str) -> st.SearchStrategy[Any]:
    return {
        "Name": st.one_of(TEXTS, st.sampled_from(["5", "2024-01-01", "true"])),
        # The schema calls Count an integer: translating from OData is exact on records the
        # schema describes (OData finds no number equal to the text "2"; the condition
        # language does), so Count holds numbers here, as Ratio and Flag do.
        "Count": st.integers(-3, 3),
        "Ratio": NUMBERS,
        "Flag": st.booleans(),
        "At": st.one_of(INSTANTS, ISO_TEXTS),
        # An id is a number or its digits as text (the Automate API sends ids as JSON strings).
        "Client.Id": st.one_of(st.integers(1, 5), st.integers(1, 5).map(str)),
        "Id": st.one_of(st.integers(1, 5), st.integers(1, 5).map(str)),
    }[field]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field in ("Name", "Count", "Ratio", "Flag", "At", "Id"):
        choice = draw(st.integers(0, 6))
        if choice:
            record[field] = None if choice == 1 else draw(_scalar(field))
    if draw(st.booleans()):
        record["Tags"] = draw(st.lists(st.one_of(TEXTS, st.none()), max_size=3))
    if draw(st.booleans()):
        record["Ports"] = draw(st.lists(st.integers(-3, 12), max_size=3))
    if draw(st.booleans()):
        names = st.one_of(TEXTS, st.none())
        record["Users"] = draw(st.lists(st.fixed_dictionaries({}, optional={"Name": names}), max_size=3))
    if draw(st.booleans()):
        record["Client"] = draw(st.fixed_dictionaries({}, optional={"Id": _scalar("Client.Id")}))
    return record


LITERALS: st.SearchStrategy[ast.Literal] = st.one_of(
    TEXTS.map(ast.String),
    st.sampled_from(["2024-01-01", "2023-12-31T12:00:00Z", "5", "%a%", "a%"]).map(ast.String),
    st.integers(-3, 12).map(ast.Integer),
    st.decimals(-3, 3, places=1).map(ast.Decimal),
    st.booleans().map(ast.Boolean),
    st.one_of(INSTANTS, INSTANTS.map(lambda d: d.date())).map(ast.DateTime),
)


@st.composite
def leaves(draw: st.DrawFn) -> ast.Node:
    field = ast.Field(draw(st.sampled_from(FIELDS)))
    if draw(st.integers(0, 5)) == 0:
        values = draw(st.lists(st.one_of(LITERALS, st.just(ast.Null())), min_size=1, max_size=3))
        return ast.InList(field, tuple(values), draw(st.booleans()))
    op = draw(st.sampled_from(list(ast.Op)))
    if op in (ast.Op.EQ, ast.Op.NE) and draw(st.integers(0, 6)) == 0:
        return ast.Compare(field, op, ast.Null())
    return ast.Compare(field, op, draw(LITERALS))


ODATA_LITERALS: st.SearchStrategy[ast.Expr] = st.one_of(
    TEXTS.map(ast.String),
    st.integers(-3, 12).map(ast.Integer),
    st.decimals(-3, 3, places=1).map(ast.Decimal),
    st.booleans().map(ast.Boolean),
    st.just(ast.Null()),
    st.one_of(INSTANTS, INSTANTS.map(lambda d: d.date())).map(ast.DateTime),
)
COMPARISONS = [ast.BinaryOp.EQ, ast.BinaryOp.NE, ast.BinaryOp.GT, ast.BinaryOp.GE, ast.BinaryOp.LT, ast.BinaryOp.LE]


@st.composite
def odata_tests(draw: st.DrawFn) -> ast.Expr:
    """One OData test over the endpoint's fields, with OData's meaning: text compared exactly
    or through `tolower`/`toupper`, string functions, `length`, arithmetic, lambdas over
    lists, `in` (with `null`), `null` tests, comparisons either way round."""
    kind = draw(st.integers(0, 9))
    text = ast.String(draw(TEXTS))
    comparison = draw(st.sampled_from(COMPARISONS))
    field = ast.Field(draw(st.sampled_from(FIELDS)))
    if kind == 0:
        return ast.Binary(comparison, ast.Field("Name"), text)
    if kind == 1:
        operator = draw(st.sampled_from([ast.BinaryOp.ADD, ast.BinaryOp.SUB, ast.BinaryOp.MUL]))
        subject = ast.Field(draw(st.sampled_from(["Count", "Ratio"])))
        number = ast.Integer(draw(st.integers(-2, 3)))
        return ast.Binary(comparison, ast.Binary(operator, subject, number), ast.Integer(draw(st.integers(-3, 6))))
    if kind == 2:
        quantifier = draw(st.sampled_from(["any", "all"]))
        if draw(st.booleans()):
            test: ast.Expr = ast.Binary(comparison, ast.Field("t"), text)
            if draw(st.booleans()):
                test = ast.Call(draw(st.sampled_from(["contains", "startswith"])), (ast.Field("t"), text))
            return ast.Lambda(ast.Field("Tags"), quantifier, "t", test)
        if draw(st.booleans()):
            test = ast.Binary(draw(st.sampled_from(COMPARISONS[:2])), ast.Field("u.Name"), text)
            return ast.Lambda(ast.Field("Users"), quantifier, "u", test)
        test = ast.Binary(comparison, ast.Field("p"), ast.Integer(draw(st.integers(-3, 12))))
        return ast.Lambda(ast.Field("Ports"), quantifier, "p", test)
    if kind == 3:
        subject: ast.Expr = ast.Field("Name")
        if draw(st.booleans()):
            subject = ast.Call("tolower", (subject,))
            text = ast.String(text.value.lower())
        return ast.Call(draw(st.sampled_from(["contains", "startswith", "endswith"])), (subject, text))
    if kind == 4:
        values = draw(st.lists(st.one_of(TEXTS.map(ast.String), st.just(ast.Null())), min_size=1, max_size=3))
        return ast.In(ast.Field("Name"), ast.ListValue(tuple(values)))
    if kind == 5:
        function = draw(st.sampled_from(["tolower", "toupper"]))
        folded = text.value.lower() if function == "tolower" else text.value.upper()
        return ast.Binary(
            draw(st.sampled_from(COMPARISONS[:2])), ast.Call(function, (ast.Field("Name"),)), ast.String(folded)
        )
    if kind == 6:
        return ast.Binary(comparison, ast.Call("length", (ast.Field("Name"),)), ast.Integer(draw(st.integers(0, 4))))
    if kind == 7:
        if draw(st.booleans()):  # two paths compared
            return ast.Binary(comparison, field, ast.Field(draw(st.sampled_from(FIELDS))))
        return ast.Binary(draw(st.sampled_from(COMPARISONS[:2])), field, ast.Null())
    literal = draw(ODATA_LITERALS)
    return ast.Binary(comparison, literal, field) if kind == 8 else ast.Binary(comparison, field, literal)


@st.composite
def odata_leaves(draw: st.DrawFn) -> ast.Node:
    """A test kept as an `ast.Expression` (OData's meaning): one of `odata_tests`, its `not`,
    or two of them joined inside the expression."""
    expr = draw(odata_tests())
    how = draw(st.integers(0, 5))
    if how == 0:
        expr = ast.Unary(ast.UnaryOp.NOT, expr)
    elif how == 1:
        op = draw(st.sampled_from([ast.BinaryOp.AND, ast.BinaryOp.OR]))
        expr = ast.Connective(op, (expr, draw(odata_tests())))
    return ast.Expression(expr)


CONDITIONS = st.recursive(
    leaves(),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(ast.all_of),
        st.lists(children, min_size=2, max_size=3).map(ast.any_of),
        children.map(ast.Not),
    ),
    max_leaves=4,
)

_REFUSALS = (UnrepresentableConditionError, TranslationWarning)
DIALECTS = all_dialects()
PAIRS = [(source, target) for source in DIALECTS for target in DIALECTS if target is not source]


def _quietly(function: Any, *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)`, or `None` when it refuses or warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TranslationWarning)
        try:
            return function(*args, **kwargs)
        except _REFUSALS:
            return None


def _same(left: ast.Node, right: ast.Node, rows: list[dict[str, Any]], what: str) -> None:
    for row in rows:
        assert evaluate(left, row) == evaluate(right, row), f"{what}: record {row!r}"


def _outcome(tree: ast.Node, result: ast.Node | None, rows: list[dict[str, Any]], what: str) -> str:
    if result is None:
        return "refused or warned"
    _same(tree, result, rows, what)
    return "same meaning"


def _pairs(trees: dict[str, ast.Node], rows: list[dict[str, Any]], outcomes: Counter[tuple[str, str, str]]) -> None:
    """Translate each source's tree, and its text, into every other dialect; count outcomes."""
    for source, target in PAIRS:
        tree = trees.get(source.name)
        if tree is None:
            continue
        # What the tree means to `translate` for the endpoint: the seed dialect reads a
        # quoted date on a date-time field as a date.
        tree = source.lower(tree, FIELD_TYPES)
        result = _quietly(translate, tree, source, target, schema=SCHEMA, endpoint=ENDPOINT)
        what = f"{source.name} {tree!r} -> {target.name}: {result!r}"
        outcomes[source.name, target.name, _outcome(tree, result, rows, what)] += 1
        text = _quietly(render, tree, source, schema=SCHEMA, endpoint=ENDPOINT)
        if text is None:  # a string with both quote kinds, say: automate refuses to write it
            outcomes[source.name, target.name, "refused or warned"] += 1
            continue
        result = _quietly(translate, text, source, target, schema=SCHEMA, endpoint=ENDPOINT)
        what = f"{source.name} {text!r} -> {target.name}: {result!r}"
        outcomes[source.name, target.name, _outcome(tree, result, rows, what)] += 1


def _as_read(tree: ast.Node, rows: list[dict[str, Any]]) -> dict[str, ast.Node]:
    """The shared `tree` as each dialect reads it (`translate(tree, None, d)`), checked to keep
    the meaning; a dialect that refuses or warns has none."""
    found = {}
    for dialect in DIALECTS:
        read = _quietly(translate, tree, None, dialect, schema=SCHEMA, endpoint=ENDPOINT)
        if read is not None:
            _same(tree, read, rows, f"shared -> {dialect.name}: {read!r}")
            found[dialect.name] = read
    return found


def _differential(tree: ast.Node, rows: list[dict[str, Any]]) -> int:
    """Check the shared tree into every dialect and every pair; how many translations went through."""
    outcomes: Counter[tuple[str, str, str]] = Counter()
    trees = _as_read(tree, rows)
    _pairs(trees, rows, outcomes)
    return len(trees) + sum(n for (_, _, outcome), n in outcomes.items() if outcome == "same meaning")


MIXED_CONDITIONS = st.recursive(
    st.one_of(leaves(), odata_leaves()),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(ast.all_of),
        st.lists(children, min_size=2, max_size=3).map(ast.any_of),
        children.map(ast.Not),
    ),
    max_leaves=4,
)


def _drawn_by_dialect(dialect: Dialect) -> st.SearchStrategy[ast.Node]:
    """Trees the dialect's strategy draws for the endpoint: its own constructs, as it reads them."""
    return conditions(dialect=dialect, endpoint=ENDPOINT, schema=SCHEMA, max_leaves=4)


ROWS = st.lists(records(), min_size=1, max_size=8)
CHECKS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _every_pair(data: st.DataObject, rows: list[dict[str, Any]], outcomes: Counter[tuple[str, str, str]]) -> None:
    """One example: a mixed shared tree as every dialect reads it, and each dialect's own
    drawn tree, through every ordered pair."""
    tree = data.draw(MIXED_CONDITIONS, label="shared tree")
    _pairs(_as_read(tree, rows), rows, outcomes)
    own = {dialect.name: data.draw(_drawn_by_dialect(dialect), label=dialect.name) for dialect in DIALECTS}
    _pairs(own, rows, outcomes)


def _check_outcomes(outcomes: Counter[tuple[str, str, str]], examples: int) -> None:
    """A meaningful share really translates: a quarter of all translations overall, and with
    enough examples some of every ordered pair (each source's own tree included)."""
    total = sum(outcomes.values())
    same = sum(n for (_, _, outcome), n in outcomes.items() if outcome == "same meaning")
    assert total and same >= total // 4, outcomes
    if examples >= 50:
        missing = [f"{s.name}->{d.name}" for s, d in PAIRS if outcomes[s.name, d.name, "same meaning"] == 0]
        assert not missing, (missing, outcomes)


def _run(examples: int, rows: st.SearchStrategy[list[dict[str, Any]]]) -> Counter[tuple[str, str, str]]:
    outcomes: Counter[tuple[str, str, str]] = Counter()
    count = [0]

    @settings(CHECKS, max_examples=examples)
    @given(data=st.data(), rows=rows)
    def check(data: st.DataObject, rows: list[dict[str, Any]]) -> None:
        count[0] += 1
        _every_pair(data, rows, outcomes)

    check()
    _check_outcomes(outcomes, count[0])
    return outcomes


def test_every_ordered_pair_keeps_the_meaning_or_says_so() -> None:
    _run(max(settings.default.max_examples, 10), ROWS)


@pytest.mark.slow
def test_every_ordered_pair_keeps_the_meaning_or_says_so_many() -> None:
    _run(max(settings.default.max_examples, 600), st.lists(records(), min_size=4, max_size=16))


_B, _OP = ast.Binary, ast.BinaryOp


@given(MIXED_CONDITIONS, ROWS)
@CHECKS
# `not (2023-12-30 eq Name)` on a text field lowered to `Name != 2023-12-30 or Name = null`:
# OData's `not` is true on text that is no date ('' here), the condition language's unknown.
@example(
    ast.Not(ast.Expression(_B(_OP.EQ, ast.DateTime(dt.datetime(2023, 12, 30, tzinfo=UTC)), ast.Field("Name")))),
    [{"Name": ""}],
)
# The same with a Boolean: `not (false eq Name)` on the text ''.
@example(ast.Not(ast.Expression(_B(_OP.EQ, ast.Boolean(False), ast.Field("Name")))), [{"Name": ""}])
# And text against a date-time field: `not ('' eq At)` on a date-time.
@example(
    ast.Not(ast.Expression(_B(_OP.EQ, ast.String(""), ast.Field("At")))),
    [{"At": dt.datetime(2023, 12, 30, tzinfo=UTC)}],
)
def test_translation_of_odata_expressions_keeps_the_meaning_or_refuses(
    tree: ast.Node, rows: list[dict[str, Any]]
) -> None:
    # Lambdas, arithmetic and text compared exactly: OData keeps them, every other
    # dialect refuses them visibly (never a silent change of meaning).
    _differential(tree, rows)


@given(CONDITIONS, ROWS)
@CHECKS
def test_translation_keeps_the_meaning_on_every_record(tree: ast.Node, rows: list[dict[str, Any]]) -> None:
    _differential(tree, rows)


def test_the_property_has_teeth() -> None:
    # Simple conditions that every condition dialect translates: the check runs for real.
    rows = [{"Count": 5, "Name": "ab", "At": "2023-12-31T23:00:00-02:00"}, {"Count": 1}, {}]
    tree = ast.all_of(
        [
            ast.Compare(ast.Field("Count"), ast.Op.GE, ast.Integer(2)),
            ast.Compare(ast.Field("Name"), ast.Op.STARTSWITH, ast.String("a")),
            ast.Compare(ast.Field("At"), ast.Op.LT, ast.DateTime(dt.date(2024, 1, 1))),
        ]
    )
    assert _differential(tree, rows) >= len(all_dialects()) * 2
    # And it sees a wrong translation: `not (Ports < 10)` as `Ports >= 10` on a list.
    wrong = ast.Compare(ast.Field("Ports"), ast.Op.GE, ast.Integer(10))
    right = ast.Not(ast.Compare(ast.Field("Ports"), ast.Op.LT, ast.Integer(10)))
    with pytest.raises(AssertionError):
        _same(right, wrong, [{"Ports": [5, 20]}], "a rewrite exact only for scalars")


def test_the_outcome_check_refuses_a_differential_where_everything_is_refused() -> None:
    refused: Counter[tuple[str, str, str]] = Counter({(s.name, d.name, "refused or warned"): 5 for s, d in PAIRS})
    with pytest.raises(AssertionError):
        _check_outcomes(refused, 100)
    # and one where a pair never translates, with examples enough to expect it
    mostly = Counter({(s.name, d.name, "same meaning"): 5 for s, d in PAIRS[1:]})
    with pytest.raises(AssertionError):
        _check_outcomes(mostly, 100)
    _check_outcomes(mostly, 10)


def test_odata_expressions_go_to_odata_and_are_refused_elsewhere() -> None:
    exact = ast.Expression(ast.Binary(ast.BinaryOp.EQ, ast.Field("Name"), ast.String("Ab")))
    some = ast.Expression(
        ast.Lambda(ast.Field("Ports"), "any", "p", ast.Binary(ast.BinaryOp.GT, ast.Field("p"), ast.Integer(10)))
    )
    tree = ast.all_of([exact, some, ast.Compare(ast.Field("Count"), ast.Op.GE, ast.Integer(2))])
    rows = [{"Name": "Ab", "Ports": [3, 11], "Count": 2}, {"Name": "ab", "Ports": [11], "Count": 2}, {}]
    assert [evaluate(tree, row) for row in rows] == [True, False, False]
    checked = _differential(tree, rows)
    assert checked >= 1  # shared -> odata at least; the condition dialects refuse
    for dialect in all_dialects():
        if dialect.name != "odata":
            assert _quietly(translate, tree, None, dialect, schema=SCHEMA, endpoint=ENDPOINT) is None
