"""`parse(text, dialect="odata")` reads every valid `$filter` into the one tree (issue 18).

What the condition language says with the same meaning becomes `Compare`/`InList`; the
rest stays an `ast.Expression` with OData's meaning, which only rendering into another
dialect (or `to_sql`) refuses, naming the construct and its position.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from cwa_query import (
    ConditionSyntaxError,
    TranslationWarning,
    UntranslatableError,
    ast,
    evaluate,
    lint,
    load_schema,
    parse,
    render,
    to_sql,
    translate,
)
from cwa_query.cli import main
from cwa_query.odata import evaluate_odata, parse_odata

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "data" / "odata-corpus.jsonl"
FILTERS = [json.loads(line)["filter"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]

# Valid filters that `parse(..., dialect="odata")` used to refuse (the last four with a bare TypeError).
KEPT = [
    ("Name eq 'O''Neil'", {"Name": "O'Neil"}, {"Name": "o'neil"}),
    ("Name gt 'a'", {"Name": "b"}, {"Name": "B"}),
    ("Tags/any(t: t eq 'vip')", {"Tags": ["x", "vip"]}, {"Tags": ["VIP"]}),
    ("Price mul 2 gt 10", {"Price": 6}, {"Price": 5}),
    (
        "Customers/CountryCode eq Countries/CountryCode",
        {"Customers": {"CountryCode": "D"}, "Countries": {"CountryCode": "D"}},
        {"Customers": {"CountryCode": "D"}},
    ),
    ("length(Name) gt 3", {"Name": "abcd"}, {"Name": "abc"}),
    ("Id in ()", None, {"Id": 1}),
]


@pytest.mark.parametrize(("text", "accepted", "refused"), KEPT)
def test_valid_filters_are_read_and_keep_their_meaning(text: str, accepted: dict | None, refused: dict) -> None:
    tree = parse(text, dialect="odata")
    assert isinstance(tree, ast.Expression)
    assert tree.meaning == ast.ODATA_MEANING
    assert render(tree, "odata") == render(parse(render(tree, "odata"), dialect="odata"), "odata")
    if accepted is not None:
        assert evaluate(tree, accepted) and evaluate_odata(parse_odata(text), accepted)
    assert not evaluate(tree, refused) and not evaluate_odata(parse_odata(text), refused)


@pytest.mark.parametrize(
    "text",
    ["Title eq @title", 'Address eq {"Street": "Main"}', "Items(1)/Name eq 5", "$it/Address/City eq ShipTo/City"],
)
def test_service_dependent_filters_are_read(text: str) -> None:
    tree = parse(text, dialect="odata")
    assert isinstance(tree, ast.Expression)
    assert parse_odata(render(tree, "odata")) == parse_odata(text)


def test_meaning_is_part_of_equality() -> None:
    exact = parse("Name eq 'x'", dialect="odata")
    folded = parse("tolower(Name) eq 'x'", dialect="odata")
    assert folded == parse("Name = 'x'")  # the same meaning, the common predicate shape
    assert exact != folded
    assert isinstance(exact, ast.Expression)
    assert ast.Expression(exact.expr, ast.CONDITION_MEANING) != exact
    assert ast.Compare.meaning == ast.CONDITION_MEANING


def test_mixed_trees_keep_the_common_shape_where_they_can() -> None:
    tree = parse("Tags/any(t: t eq 'x') and Id eq 5 and not (Name eq 'A')", dialect="odata")
    assert isinstance(tree, ast.And)
    kinds = [type(item).__name__ for item in tree.items]
    assert kinds == ["Expression", "Compare", "Expression"]
    with pytest.warns(TranslationWarning, match="exact only if Id holds JSON numbers"):
        rendered = render(tree, "odata")
    assert rendered == "Tags/any(t:t eq 'x') and Id eq 5 and not (Name eq 'A')"


@pytest.mark.parametrize("target", ["seed", "automate", "manage"])
def test_rendering_elsewhere_refuses_at_the_construct(target: str) -> None:
    text = "Id eq 5 and Name eq 'O''Neil'"
    tree = parse(text, dialect="odata")
    with pytest.raises(UntranslatableError) as info:
        render(tree, target)
    assert info.value.column == 13 and "O''Neil" in str(info.value)
    with pytest.raises(UntranslatableError) as info:
        translate(tree, "odata", target)
    assert info.value.column == 13


def test_to_sql_refuses_an_expression_with_its_position() -> None:
    with pytest.raises(UntranslatableError) as info:
        to_sql(parse("Id eq 5 or Price div 1 gt 2", dialect="odata"))  # `div`: refused
    assert info.value.target == "SQL" and info.value.column == 12


def test_syntax_errors_stay_syntax_errors() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse("Name eq", dialect="odata")
    assert info.value.column is not None


def test_every_corpus_filter_parses_through_the_entry_point() -> None:
    assert len(FILTERS) == 1000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TranslationWarning)
        for text in FILTERS:
            tree = parse(text, dialect="odata")
            parse_odata(render(tree, "odata"))


def test_reading_warns_about_nothing_whatever_level_the_caller_picked() -> None:
    """What has no exact shared form is kept as read (an `Expression`), tolower()'s rewrite
    that is exact only mostly (KELVIN SIGN folds to 'k') included, at every `unsupported`
    level around the parse, and reading warns about nothing (the reader keeps such a leaf
    without asking the level, see `_Lowering.kept_leaf`)."""
    from cwa_query.dialects import unsupported_level
    from cwa_query.language import ast

    texts = [*FILTERS[::4], "contains(tolower(Name),'kiosk')", "tolower(Name) eq 'ok' and not (tolower(A) eq 'k')"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = [parse(text, dialect="odata") for text in texts]
        for level in ("raise", "warn", "ignore"):
            with unsupported_level(level):
                assert [parse(text, dialect="odata") for text in texts] == read
    assert isinstance(read[-2], ast.Expression)
    assert read[-1] == ast.And(
        (
            ast.Expression(parse_odata("tolower(Name) eq 'ok'")),
            ast.Expression(parse_odata("not (tolower(A) eq 'k')")),
        )
    )


def test_corpus_filters_parse_and_format_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TranslationWarning)
        for text in FILTERS[:: len(FILTERS) // 50]:
            assert main(["parse", "--dialect", "odata", text]) == 0
            assert main(["fmt", "--dialect", "odata", text]) == 0
    assert main(["fmt", "--dialect", "odata", "Name eq 'O''Neil'"]) == 0
    assert capsys.readouterr().out.endswith("Name eq 'O''Neil'\n")


def test_linter_tree_rules_run_on_odata_expressions() -> None:
    schema = load_schema(dialect="automate")
    findings = lint("ComputerNme eq 'X'", dialect="odata", endpoint="Computers", schema=schema)
    assert [finding.code for finding in findings] == ["CWQ102"]
    assert findings[0].fix == "ComputerName eq 'X'"
    findings = lint("Client/Idd eq 5", dialect="odata", endpoint="Computers", schema=schema)
    assert findings[0].fix == "Client/Id eq 5"  # the OData spelling of the path
    findings = lint("Tags/any(t: t eq 'x') and RemoteAgentLastContact gt '2024-01-01'", dialect="odata",
                    endpoint="Computers", schema=schema)  # fmt: skip
    # `Tags` (the lambda's collection) is not a Computers field; `t` (its items) is not checked
    assert [finding.code for finding in findings] == ["CWQ102", "CWQ202"]


def test_translating_odata_into_odata_keeps_what_only_odata_says() -> None:
    schema = load_schema(dialect="automate")
    text = "ComputerName eq 'X' and Client/Id eq 5 and Tags/any(t: t eq 'a')"
    tree = translate(text, "odata", "odata", schema=schema, endpoint="Computers")
    assert render(tree, "odata", schema=schema, endpoint="Computers") == (
        "ComputerName eq 'X' and Client/Id eq 5 and Tags/any(t:t eq 'a')"
    )
    record = {"ComputerName": "X", "Client": {"Id": "5"}, "Tags": ["a"]}  # an id sent as text
    assert evaluate(tree, record) == evaluate_odata(parse_odata(text), record) is False


def test_the_caller_picks_what_an_unconfirmed_rewrite_does() -> None:
    from cwa_query import F

    # `Count eq 5` is exact only if Count holds JSON numbers; nothing says so.
    with pytest.warns(TranslationWarning, match="exact only if Count holds JSON numbers"):
        assert render(F.Count == 5, "odata") == "Count eq 5"
    with pytest.raises(UntranslatableError, match="exact only if Count holds JSON numbers"):
        render(F.Count == 5, "odata", unsupported="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert render(F.Count == 5, "odata", unsupported="ignore") == "Count eq 5"
        assert translate("not (a < 1)", "seed", "automate", unsupported="ignore") == parse("a >= 1")
    with pytest.raises(UntranslatableError, match="holds one value"):
        translate("not (a < 1)", "seed", "automate", unsupported="raise")
    # What the target cannot say at all is refused at every level.
    with pytest.raises(UntranslatableError):
        render(parse("Name eq 'X'", dialect="odata"), "automate", unsupported="ignore")
    with pytest.raises(ValueError, match="unsupported= takes"):
        render(F.Count == 5, "odata", unsupported="loud")  # type: ignore[arg-type]
