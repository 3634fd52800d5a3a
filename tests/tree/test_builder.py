"""The builder: value conversion, truthiness guards, optional filters, field validation."""

from __future__ import annotations

import datetime as dt
import decimal
import enum

import pytest

from cwa_query import ConditionError, F, and_, ast, literal, not_, or_, parse, render
from cwa_query.language.builder import Condition


class Color(enum.Enum):
    RED = "red"
    ONE = 1


@pytest.mark.parametrize(
    ("value", "node"),
    [
        ("x", ast.String("x")),
        (True, ast.Boolean(True)),
        (False, ast.Boolean(False)),
        (7, ast.Integer(7)),
        (-7, ast.Integer(-7)),
        (0.1, ast.Decimal(decimal.Decimal("0.1"))),
        (decimal.Decimal("0.10"), ast.Decimal(decimal.Decimal("0.10"))),
        (dt.date(2024, 1, 2), ast.DateTime(dt.date(2024, 1, 2))),
        (dt.datetime(2024, 1, 2, 3, 4), ast.DateTime(dt.datetime(2024, 1, 2, 3, 4))),
        (Color.RED, ast.String("red")),
        (Color.ONE, ast.Integer(1)),
    ],
)
def test_literal_conversion(value: object, node: ast.Literal) -> None:
    assert literal(value) == node
    assert type(literal(value)) is type(node)


def test_aware_datetimes_are_converted_to_utc() -> None:
    value = dt.datetime(2024, 1, 2, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    node = literal(value)
    assert isinstance(node, ast.DateTime)
    assert node.value == value
    assert node.value.utcoffset() == dt.timedelta(0)  # type: ignore[union-attr]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), decimal.Decimal("NaN"), decimal.Decimal("-Infinity")])
def test_non_finite_numbers_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="cannot be written"):
        literal(value)


@pytest.mark.parametrize("value", [b"x", [1], {"a": 1}, object()])
def test_other_types_are_refused(value: object) -> None:
    with pytest.raises(TypeError, match="cannot use"):
        F.x == value


def test_none_is_null_for_the_dialects_that_have_one() -> None:
    from cwa_query import UntranslatableError, render

    assert (F.x == None).node == ast.Compare(ast.Field("x"), ast.Op.EQ, ast.Null())  # noqa: E711
    assert render((F.x != None) | F.y.in_(1, None), "manage") == "x != null or y in (1) or y = null"  # noqa: E711
    with pytest.raises(UntranslatableError, match="no `null`"):
        render(F.x == None, "automate")  # noqa: E711
    with pytest.raises(ValueError, match="only with == and !="):
        F.x < None


def test_bool_of_a_condition_raises() -> None:
    with pytest.raises(TypeError, match="no truth value"):
        (F.a == 1) and (F.b == 2)
    with pytest.raises(TypeError, match=r"1 < F\.x < 5"):
        1 < F.x < 5
    with pytest.raises(TypeError):
        if F.x:
            pass


def test_conditions_compare_structurally() -> None:
    assert (F.a == 1) == Condition.parse("a=1")
    assert (F.a == 1) != (F.a == 2)
    assert hash(F.a == 1) == hash(Condition.parse("a = 1"))
    assert repr(F.a == 1) == "Condition('a = 1')"
    assert repr(F.Client.Id) == "F.Client.Id"


def test_optional_filters_compose() -> None:
    status: str | None = None
    client: int | None = 5
    cond = and_(
        (F.Status == status) if status else None,
        (F.Client.Id == client) if client else None,
    )
    assert str(cond) == "Client.Id = 5"
    assert and_() is None
    assert and_(None, None) is None
    assert or_(None) is None
    assert not_(None) is None


def test_and_or_flatten() -> None:
    cond = and_(F.a == 1, and_(F.b == 2, F.c == 3))
    assert cond is not None
    assert isinstance(cond.node, ast.And) and len(cond.node.items) == 3
    assert cond == Condition.parse("a = 1 and b = 2 and c = 3")


@pytest.mark.parametrize("name", ["", "1abc", "a b", "a.", ".a", "a..b", "a-b", "x'y", "a;b"])
def test_invalid_field_paths_are_refused(name: str) -> None:
    with pytest.raises(ConditionError, match="not a field path"):
        F[name]


@pytest.mark.parametrize("name", ["and", "Or", "NOT", "in", "like", "true"])
def test_keywords_cannot_name_fields(name: str) -> None:
    with pytest.raises(ConditionError, match="keyword"):
        F[name]


def test_in_needs_values() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        F.a.in_()
    with pytest.raises(ValueError, match="at least one value"):
        F.a.not_in([])


def test_text_methods_take_text() -> None:
    with pytest.raises(TypeError, match="startswith"):
        F.a.startswith(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="like"):
        F.a.like(None)  # type: ignore[arg-type]


def test_combining_with_other_types_fails() -> None:
    with pytest.raises(TypeError, match="cannot combine"):
        (F.a == 1) & 5  # type: ignore[operator]


def test_values_cannot_change_structure() -> None:
    hostile = ["x' or Name = 'y", 'x" or Name = "y', "') or (1=1", "x'' and ''", "\\' or 1=1 --", "%' or '%'='"]
    for value in hostile:
        for dialect in ("seed", "automate"):
            cond = F.Name == value
            try:
                text = render(cond, dialect)  # type: ignore[arg-type]
            except ConditionError:
                continue  # both quote kinds: refused for automate, never mangled
            node = parse(text)
            assert node == ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.String(value)), (dialect, value, text)


def test_attribute_names_that_look_like_properties_are_path_parts() -> None:
    # Manage's paths are camelCase: status/name, company/id; none may be shadowed.
    assert render(F.status.name == "Open") == "status.name = 'Open'"
    assert render(F.company.identifier == "x") == "company.identifier = 'x'"
    assert F.Client.Id.field_path == "Client.Id"
    assert str(F.Client.Id) == "Client.Id"
