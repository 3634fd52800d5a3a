"""Lookups of long dotted paths: below an object whose members are not listed, unknown, or
longer than any field."""

from __future__ import annotations

import pytest

from cwa_query import load_schema

SCHEMA = load_schema({"endpoints": {"Things": {"fields": {"Bag": "object", "Box.Lid": "string", "Box": "object"}}}})


@pytest.mark.parametrize("parts", [1, 2, 50_000])
def test_a_path_below_an_unlisted_object_is_untyped(parts: int) -> None:
    path = "bag." + ".".join(["x"] * parts)
    info = SCHEMA.lookup(path, "Things")
    assert info is not None and (info.path, info.type) == (path, "any")


@pytest.mark.parametrize(
    "path", ["Box.Lid.x", "Box.Other", "Bagx.y", "Nothing." + ".".join(["x"] * 50_000), "x" * 100_000 + ".y"]
)
def test_other_long_paths_are_unknown(path: str) -> None:
    assert SCHEMA.lookup(path, "Things") is None


def test_a_listed_field_is_found_in_any_case() -> None:
    info = SCHEMA.lookup("box.LID", "Things")
    assert info is not None and info.path == "Box.Lid"
