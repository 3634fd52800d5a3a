"""Dialects as objects: the registry, features, strict parsing, quoting and the typed errors."""

from __future__ import annotations

import pickle

import pytest

from cwa_query import (
    ConditionError,
    ConditionSyntaxError,
    ConfigurationError,
    F,
    UnknownDialectError,
    UnrepresentableConditionError,
    UntranslatableError,
    ast,
    encode,
    get_dialect,
    lint,
    parse,
    render,
)
from cwa_query.dialects import Dialect, Feature, _base, all_dialects, dialect_names


def test_names_and_objects_resolve_to_one_instance() -> None:
    for name in dialect_names():
        dialect = get_dialect(name)
        assert isinstance(dialect, Dialect)
        assert get_dialect(dialect) is dialect
        assert get_dialect(name) is dialect
        assert dialect.name == name == str(dialect)
        assert dialect.title
    assert dialect_names()[:2] == ("seed", "automate")
    assert [d.name for d in all_dialects()] == list(dialect_names())


@pytest.mark.parametrize("name", ["sql", "SEED", ""])
def test_an_unknown_name_is_a_typed_error_listing_the_choices(name: str) -> None:
    with pytest.raises(UnknownDialectError) as caught:
        get_dialect(name)
    assert isinstance(caught.value, ConfigurationError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.choices == dialect_names()
    assert "'seed'" in str(caught.value)
    assert pickle.loads(pickle.dumps(caught.value)).choices == dialect_names()


def test_a_non_name_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        get_dialect(5)  # type: ignore[arg-type]


def test_every_entry_point_takes_a_name_or_an_object() -> None:
    automate = get_dialect("automate")
    cond = F.Name.startswith("a")
    assert render(cond, automate) == render(cond, "automate") == "Name like 'a%'"
    assert encode(cond, automate) == encode(cond, "automate")
    assert cond.render(automate) == "Name like 'a%'"
    assert lint("Name startswith 'a'", dialect=automate) == lint("Name startswith 'a'", dialect="automate")
    assert parse("Name like 'a%'", dialect=automate) == parse("Name like 'a%'")


def test_subclassing_registers_a_dialect() -> None:
    class Toy(Dialect):
        name = "toy-test-dialect"
        title = "the toy dialect"
        features = frozenset({Feature.IN})

    try:
        assert "toy-test-dialect" in dialect_names()
        toy = get_dialect("toy-test-dialect")
        assert isinstance(toy, Toy)
        assert toy.supports(Feature.IN) and not toy.supports(Feature.LIKE)
        with pytest.raises(UntranslatableError) as caught:
            toy.lift(parse("a = 1 and Name like 'x'"))
        assert caught.value.target == "toy-test-dialect"
        assert caught.value.construct == "Compare"
        assert (caught.value.line, caught.value.column, caught.value.pos) == (1, 11, 10)
    finally:
        _base._REGISTRY.pop("toy-test-dialect")
        from cwa_query.dialects import _registry

        _registry._INSTANCES.pop("toy-test-dialect", None)
    assert "toy-test-dialect" not in dialect_names()


@pytest.mark.parametrize(
    ("dialect", "text", "column", "words"),
    [
        ("seed", "a = 1 and Name like 'x%'", 11, "has no `like`"),
        ("seed", "a not in (1)", 1, "has no `not in (...)`"),
        ("seed", "Name not contains 'x'", 1, "has no `not contains`"),
        ("seed", "a = 1 or b eq 2", 10, "has no the `eq` keyword"),
        ("seed", 'Name = "x"', 8, "has no double-quoted strings"),
        ("seed", "Flag = true", 8, "has no boolean literals"),
        ("seed", "At < 2024-01-01", 6, "has no unquoted date literals"),
        ("automate", "Name startswith 'x'", 1, "has no `startswith`"),
        ("automate", "a = 1 and not (b = 2)", 11, "has no prefix `not (...)`"),
        ("automate", "Name endswith 'x'", 1, "has no `endswith`"),
    ],
)
def test_parse_in_a_dialect_refuses_what_it_lacks_at_its_position(
    dialect: str, text: str, column: int, words: str
) -> None:
    parse(text)  # the union reads it
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(text, dialect=dialect)
    assert caught.value.column == column
    assert words in caught.value.description


@pytest.mark.parametrize(
    ("dialect", "text"),
    [
        ("seed", "not (Name startswith 'a') and At >= '2024-01-01' and b in (1, 2)"),
        ("automate", "Name not like 'a%' and At >= 2024-01-01 and b not in (1) and c eq true and d = \"it's\""),
    ],
)
def test_parse_in_a_dialect_accepts_what_it_has(dialect: str, text: str) -> None:
    assert parse(text, dialect=dialect) == parse(text)


def test_features_match_what_each_dialect_renders() -> None:
    seed, automate = get_dialect("seed"), get_dialect("automate")
    assert seed.supports(Feature.PREFIX_NOT) and not automate.supports(Feature.PREFIX_NOT)
    assert automate.supports(Feature.LIKE) and not seed.supports(Feature.LIKE)
    assert not seed.supports(Feature.NULL) and not automate.supports(Feature.NULL)
    tree = parse("not (a = 1 or Name startswith 'x')")
    lifted = automate.lift(tree)
    assert list(automate.unsupported(lifted)) == []


def test_quotes_are_written_by_the_dialects() -> None:
    seed, automate = get_dialect("seed"), get_dialect("automate")
    assert seed.quote("O'Brien") == "'O''Brien'"
    assert automate.quote("O'Brien") == '"O\'Brien"'
    assert automate.quote("a'b\"c", escape_quotes=True) == "'a''b\"c'"
    with pytest.raises(UnrepresentableConditionError):
        automate.quote("a'b\"c")
    assert seed.literal(ast.DateTime(parse("a = 2024-01-02").value.value)) == "'2024-01-02'"  # type: ignore[union-attr]


def test_null_is_a_literal_the_condition_dialects_cannot_write() -> None:
    tree = ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.Null())
    assert tree == ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.Null(ast.Span(0, 4)))
    for name in ("seed", "automate"):
        with pytest.raises(UntranslatableError) as caught:
            render(tree, name)
        assert caught.value.target == name
        assert isinstance(caught.value, ConditionError)


def test_untranslatable_error_names_the_construct_and_position_and_pickles() -> None:
    error = UntranslatableError("Tags like '%a%'", target="seed", reason="a list", pos=4, end_pos=19, line=1, column=5)
    assert str(error) == "cannot translate `Tags like '%a%'` at line 1, column 5 to seed: a list"
    assert isinstance(error, UnrepresentableConditionError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.construct, copy.target, copy.pos, copy.end_pos, copy.line, copy.column) == (
        "Tags like '%a%'",
        "seed",
        4,
        19,
        1,
        5,
    )


def test_a_dialect_module_is_imported_on_first_use() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from cwa_query.dialects import dialect_names, get_dialect\n"
        "assert dialect_names() == ('seed', 'automate', 'manage', 'odata'), dialect_names()\n"
        "get_dialect('automate')\n"
        "loaded = sorted(m for m in ('cwa_query.dialects.odata', 'cwa_query.dialects.manage') if m in sys.modules)\n"
        "assert not loaded, loaded\n"
        "assert get_dialect('odata').name == 'odata' and 'cwa_query.dialects.odata' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
