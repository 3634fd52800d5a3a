"""The node classes of `ast`: made from dataclass-like declarations by `ast._node`, each with a
constructor of its fields (built from a template, not written by hand); immutable, equal by
their compared fields, pickled by their constructor's arguments."""

from __future__ import annotations

import copy
import inspect
import pickle
from typing import Any

import pytest

from cwa_query.language import ast

NODE_CLASSES = sorted(
    (value for value in vars(ast).values() if isinstance(value, type) and issubclass(value, ast._Node)),
    key=lambda cls: cls.__name__,
)


def _sample(cls: type[ast._Node]) -> tuple[list[Any], ast._Node]:
    """Distinct field values (each field's own object) and the node made of them."""
    values: list[Any] = [object() for _ in cls._fields]
    return values, cls(*values)


def test_every_node_class_is_made_by_the_declaration() -> None:
    assert len(NODE_CLASSES) >= 38
    for cls in NODE_CLASSES:
        if cls is ast._Node:
            continue
        assert cls._fields, cls
        assert cls._compared == tuple(name for name in cls._fields if name != "span")
        assert getattr(cls, "__match_args__") == cls._compared  # noqa: B009
        assert list(inspect.signature(cls).parameters) == list(cls._fields)


@pytest.mark.parametrize("cls", [cls for cls in NODE_CLASSES if cls is not ast._Node], ids=lambda cls: cls.__name__)
def test_construction_by_position_and_by_name(cls: type[ast._Node]) -> None:
    values, node = _sample(cls)
    assert type(node) is cls
    assert [getattr(node, name) for name in cls._fields] == values
    assert cls(**dict(zip(cls._fields, values, strict=True))) == node
    assert not hasattr(node, "__dict__")
    with pytest.raises(AttributeError, match="immutable"):
        setattr(node, cls._fields[0], 1)
    with pytest.raises(AttributeError, match="immutable"):
        delattr(node, cls._fields[0])
    with pytest.raises(TypeError):
        cls(*values, None)  # type: ignore[call-arg]  # one argument too many


def test_defaults_are_the_declared_ones() -> None:
    field = ast.Field("a")
    assert ast.Field("a").span is None
    assert ast.Span(3, 5) == ast.Span(3, 5, 1, 1)
    assert ast.InList(field, (ast.Integer(1),)).negated is False
    assert ast.Expression(field).meaning is ast.ODATA_MEANING
    lam = ast.Lambda(field, "any")
    assert (lam.variable, lam.predicate, lam.span) == (None, None, None)
    assert ast.Cast("Edm.String").operand is None


def test_equality_ignores_the_span_and_pickling_keeps_it() -> None:
    span = ast.Span(0, 9, 1, 1)
    node = ast.Compare(ast.Field("Name", ast.Span(0, 4)), ast.Op.EQ, ast.String("x"), span)
    bare = ast.Compare(ast.Field("Name"), ast.Op.EQ, ast.String("x"))
    assert node == bare and hash(node) == hash(bare)
    assert node != ast.Compare(ast.Field("Name"), ast.Op.NE, ast.String("x"))
    for clone in (pickle.loads(pickle.dumps(node)), copy.copy(node), copy.deepcopy(node)):
        assert clone == node and clone.span == span and type(clone) is ast.Compare
    assert ast.replace(node, op=ast.Op.NE).span == span


def test_a_subclass_of_a_node_class_is_built_too() -> None:
    class Tagged(ast.Field):
        pass

    node = Tagged("a", ast.Span(0, 1))
    assert type(node) is Tagged and node.name == "a" and node.span == ast.Span(0, 1)
    assert node == Tagged("a") and node != ast.Field("a")
    with pytest.raises(AttributeError, match="immutable"):
        node.name = "b"  # type: ignore[misc]
