"""Rendering: builder rows per dialect, the identity corpus, dialect conversion, encoding."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cwa_query import (
    Condition,
    F,
    UnrepresentableConditionError,
    and_,
    encode,
    load_schema,
    not_,
    or_,
    parse,
    render,
    to_dialect,
)


class Status(enum.Enum):
    ONLINE = "Online"
    OFFLINE = "Offline"


# (builder expression, seed text, automate text)
ROWS: list[tuple[Callable[[], Condition | None], str, str]] = [
    (lambda: F.Status == "Online", "Status = 'Online'", "Status = 'Online'"),
    (lambda: F.Status == Status.ONLINE, "Status = 'Online'", "Status = 'Online'"),
    (lambda: F.Status != "Offline", "Status != 'Offline'", "Status != 'Offline'"),
    (lambda: F.Client.Id == 5, "Client.Id = 5", "Client.Id = 5"),
    (lambda: F["Client.Id"] == 5, "Client.Id = 5", "Client.Id = 5"),
    (lambda: F.Client["Name"] == "A", "Client.Name = 'A'", "Client.Name = 'A'"),
    (lambda: F.TotalMemory < 4096, "TotalMemory < 4096", "TotalMemory < 4096"),
    (lambda: F.Severity >= 3, "Severity >= 3", "Severity >= 3"),
    (lambda: F.x <= -2, "x <= -2", "x <= -2"),
    (lambda: F.x > 0.1, "x > 0.1", "x > 0.1"),
    (lambda: F.x > 1e-7, "x > 0.0000001", "x > 0.0000001"),
    (lambda: F.x == 2.0, "x = 2.0", "x = 2.0"),
    (lambda: F.x == decimal.Decimal("1.50"), "x = 1.50", "x = 1.50"),
    (lambda: F.x == decimal.Decimal("1E+3"), "x = 1000", "x = 1000"),
    (lambda: F.IsServer == True, "IsServer = true", "IsServer = true"),  # noqa: E712
    (lambda: F.IsServer == False, "IsServer = false", "IsServer = false"),  # noqa: E712
    (
        lambda: F.LastContact >= dt.date(2024, 2, 14),
        "LastContact >= '2024-02-14'",
        "LastContact >= 2024-02-14",
    ),
    (
        lambda: F.LastContact >= dt.datetime(2024, 2, 14, 1, 2, 3, 500000, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "LastContact >= '2024-02-13T23:02:03.5Z'",
        "LastContact >= 2024-02-13T23:02:03.5Z",
    ),
    (
        lambda: F.LastContact < dt.datetime(2019, 12, 18, 0, 50, 19),
        "LastContact < '2019-12-18T00:50:19'",
        "LastContact < 2019-12-18T00:50:19",
    ),
    (lambda: F.Name.contains("DC"), "Name contains 'DC'", "Name contains 'DC'"),
    (lambda: F.OpenPortsTCP.contains(443), "OpenPortsTCP contains 443", "OpenPortsTCP contains 443"),
    (lambda: F.Name.not_contains("DC"), "Name not contains 'DC'", "Name not contains 'DC'"),
    (lambda: F.Name.startswith("ACME"), "Name startswith 'ACME'", "Name like 'ACME%'"),
    (lambda: F.Name.endswith("01"), "Name endswith '01'", "Name like '%01'"),
    (lambda: F.Name.startswith("50%_a\\b"), "Name startswith '50%_a\\b'", "Name like '50\\%\\_a\\\\b%'"),
    (lambda: F.Name.like("%x%"), "Name like '%x%'", "Name like '%x%'"),
    (lambda: F.Name.not_like("a_"), "Name not like 'a_'", "Name not like 'a_'"),
    (lambda: F.Status.in_("Online", "Offline"), "Status in ('Online', 'Offline')", "Status in ('Online', 'Offline')"),
    (lambda: F.Status.in_([Status.ONLINE]), "Status in ('Online')", "Status in ('Online')"),
    (lambda: F.Id.not_in(range(1, 4)), "Id not in (1, 2, 3)", "Id not in (1, 2, 3)"),
    (lambda: F.Name == "O'Brien", "Name = 'O''Brien'", 'Name = "O\'Brien"'),
    (lambda: F.Name == 'say "hi"', "Name = 'say \"hi\"'", "Name = 'say \"hi\"'"),
    (lambda: F.Name == "Zoë", "Name = 'Zoë'", "Name = 'Zoë'"),
    (
        lambda: (F.a == 1) & (F.b == 2) | (F.c == 3),
        "a = 1 and b = 2 or c = 3",
        "a = 1 and b = 2 or c = 3",
    ),
    (
        lambda: (F.a == 1) & ((F.b == 2) | (F.c == 3)),
        "a = 1 and (b = 2 or c = 3)",
        "a = 1 and (b = 2 or c = 3)",
    ),
    (
        lambda: ((F.a == 1) & (F.b == 2)) & (F.c == 3),
        "a = 1 and b = 2 and c = 3",
        "a = 1 and b = 2 and c = 3",
    ),
    (lambda: ~(F.Status == "Offline"), "not (Status = 'Offline')", "Status != 'Offline'"),
    (lambda: ~(F.a < 1), "not (a < 1)", "a >= 1"),
    (lambda: ~(F.a >= 1), "not (a >= 1)", "a < 1"),
    (lambda: ~(F.a > 1), "not (a > 1)", "a <= 1"),
    (lambda: ~(F.a <= 1), "not (a <= 1)", "a > 1"),
    (lambda: ~(F.a != 1), "not (a != 1)", "a = 1"),
    (lambda: ~F.a.in_(1, 2), "not (a in (1, 2))", "a not in (1, 2)"),
    (lambda: ~F.a.not_in(1, 2), "not (a not in (1, 2))", "a in (1, 2)"),
    (lambda: ~F.a.like("x%"), "not (a like 'x%')", "a not like 'x%'"),
    (lambda: ~F.a.not_like("x%"), "not (a not like 'x%')", "a like 'x%'"),
    (lambda: ~F.a.contains("x"), "not (a contains 'x')", "a not contains 'x'"),
    (lambda: ~F.a.not_contains("x"), "not (a not contains 'x')", "a contains 'x'"),
    (lambda: ~F.a.startswith("x"), "not (a startswith 'x')", "a not like 'x%'"),
    (lambda: ~F.a.endswith("x"), "not (a endswith 'x')", "a not like '%x'"),
    (lambda: ~~(F.a == 1), "not (not (a = 1))", "a = 1"),
    (
        lambda: ~((F.a == 1) & (F.b == 2)),
        "not (a = 1 and b = 2)",
        "a != 1 or b != 2",
    ),
    (
        lambda: ~((F.a == 1) | (F.b == 2)) & (F.c == 3),
        "not (a = 1 or b = 2) and c = 3",
        "a != 1 and b != 2 and c = 3",
    ),
    (
        lambda: ~(((F.a == 1) | (F.b == 2)) & (F.c == 3)),
        "not ((a = 1 or b = 2) and c = 3)",
        "a != 1 and b != 2 or c != 3",
    ),
    (
        lambda: (F.x == 1) | ~((F.a == 1) | (F.b == 2)),
        "x = 1 or not (a = 1 or b = 2)",
        "x = 1 or a != 1 and b != 2",
    ),
    (lambda: and_(F.a == 1, None, F.b == 2), "a = 1 and b = 2", "a = 1 and b = 2"),
    (lambda: or_(None, F.a == 1), "a = 1", "a = 1"),
    (lambda: not_(F.a == 1), "not (a = 1)", "a != 1"),
    (
        lambda: and_(Condition.parse("Status = 'Online'"), F.a == 1),
        "Status = 'Online' and a = 1",
        "Status = 'Online' and a = 1",
    ),
    (lambda: and_("a = 1 or b = 2", F.c == 3), "(a = 1 or b = 2) and c = 3", "(a = 1 or b = 2) and c = 3"),
]


# The fields of the rows hold one value each: automate's `not (a < 1)` as `a >= 1` is then
# exact (without a schema it is made with a TranslationWarning: a list would differ).
SCALARS: dict[str, Any] = {
    "schema": load_schema({"endpoints": {"Rows": {"fields": dict.fromkeys("abcx", "integer")}}}),
    "endpoint": "Rows",
}


@pytest.mark.parametrize(("build", "seed", "automate"), ROWS, ids=[row[1] for row in ROWS])
def test_builder_renders_per_dialect(build: Callable[[], Condition | None], seed: str, automate: str) -> None:
    cond = build()
    assert cond is not None
    assert render(cond, "seed") == seed
    assert render(cond, "automate", **SCALARS) == automate
    assert str(cond) == seed
    # What we render is what we parse back, for both dialects.
    assert render(parse(seed), "seed") == seed
    assert render(parse(automate), "automate", **SCALARS) == automate


IDENTITY = Path(__file__).with_name("identity_corpus.txt")


def _identity_rows() -> list[tuple[str, str]]:
    rows = []
    for line in IDENTITY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        dialect, _, text = line.partition(" ")
        rows.append((dialect, text))
    return rows


@pytest.mark.parametrize(("dialect", "text"), _identity_rows())
def test_identity_corpus(dialect: str, text: str) -> None:
    assert dialect in ("seed", "automate", "both")
    for target in ("seed", "automate") if dialect == "both" else (dialect,):
        assert render(parse(text), target) == text  # type: ignore[arg-type]


def test_to_dialect_is_identity_for_seed() -> None:
    node = parse("not (a startswith 'x')")
    assert to_dialect(node, "seed") is node


def test_string_with_both_quotes_is_unrepresentable_for_automate() -> None:
    cond = F.Name == 'it\'s "x"'
    assert render(cond, "seed") == "Name = 'it''s \"x\"'"
    with pytest.raises(UnrepresentableConditionError, match="both ' and \"") as info:
        render(cond, "automate")
    assert isinstance(info.value, ValueError)
    assert render(cond, "automate", escape_quotes=True) == "Name = 'it''s \"x\"'"


def test_unknown_dialect() -> None:
    with pytest.raises(ValueError, match="unknown dialect 'sql'"):
        render(F.a == 1, "sql")  # type: ignore[arg-type]


def test_render_accepts_text() -> None:
    assert render("status='Online'   AND clientid=1") == "status = 'Online' and clientid = 1"


def test_render_refuses_other_types() -> None:
    with pytest.raises(TypeError, match="expected a condition"):
        render(42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- encoding


@pytest.mark.parametrize(
    ("cond", "dialect", "encoded"),
    [
        (F.Status == "Online", "seed", "Status%20%3D%20%27Online%27"),
        (F.Name.like("%AB%"), "automate", "Name%20like%20%27%25AB%25%27"),
        (F.Name == "a&b=c+d#e?f/g", "seed", "Name%20%3D%20%27a%26b%3Dc%2Bd%23e%3Ff%2Fg%27"),
        (F.Name == "Zoë", "seed", "Name%20%3D%20%27Zo%C3%AB%27"),
        (F.a.in_(1, 2), "seed", "a%20in%20%281%2C%202%29"),
        (F.x == "~-._", "seed", "x%20%3D%20%27~-._%27"),
    ],
)
def test_encode(cond: Condition, dialect: str, encoded: str) -> None:
    assert encode(cond, dialect) == encoded  # type: ignore[arg-type]
    assert urllib.parse.unquote(encoded) == render(cond, dialect)  # type: ignore[arg-type]


def test_encode_leaves_only_unreserved_characters() -> None:
    text = encode(F.Name == "".join(chr(c) for c in range(32, 127)) + "é€😀", "seed")
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%")
