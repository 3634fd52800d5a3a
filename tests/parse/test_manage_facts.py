"""Every example of the Manage facts (docs/manage.md, compiled from public sources), as tests.

Each row names the fact (section of docs/manage.md) and the source it comes from:
CT = christaylorcodes/ConnectWiseManageAPI, CR = covenanttechnologysolutions/connectwise-rest,
DJ = KerkhoffTechnologies/django-connectwise, PCW = HealthITAU/pyconnectwise, "id N" = a public
file found by content whose repository the index does not name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from cwa_query import ConditionSyntaxError, ast
from cwa_query import parse as parse_in
from cwa_query import render as render_in
from cwa_query.client import manage as builders
from cwa_query.dialects import manage

UTC = dt.UTC


def parse(text: str) -> ast.Node:
    return parse_in(text, dialect="manage")


def render(node: ast.Node) -> str:
    return render_in(node, "manage")


def cmp(field: str, op: str, value: ast.Literal) -> ast.Compare:
    return ast.Compare(ast.Field(field), ast.Op(op), value)


S, Int, B, D, N = ast.String, ast.Integer, ast.Boolean, ast.DateTime, ast.Null

# (text as the source shows it, canonical Manage rendering, source)
ACCEPTED = [
    # §2 operators, the issue's own example (status/name, company/id in, a bracketed date-time)
    (
        'status/name="Open" and company/id in (19, 20) and lastUpdated > [2024-01-01T00:00:00Z]',
        'status/name = "Open" and company/id in (19, 20) and lastUpdated > [2024-01-01T00:00:00Z]',
        "issue 15; §2-§4",
    ),
    ('contact/name like "Fred%"', 'contact/name like "Fred%"', "§2 like: CW example via CT Docs"),
    ('name like "*Emergency*"', 'name like "%Emergency%"', "§2 like '*': CT Docs/Get-CWMPriority.md"),
    ("id in (3, 2, 4)", "id in (3, 2, 4)", "§2 in: CR doc.md"),
    ("id in (1,2,3)", "id in (1, 2, 3)", "§2 in, no spaces: DJ sync.py"),
    ('name in ("John", "Ben")', 'name in ("John", "Ben")', "§2 in with strings: Zynk docs"),
    ("status/id IN (1, 2)", "status/id in (1, 2)", "§2 keywords in any case: CT status/id IN"),
    ('summary CONTAINS "x" AND name LIKE "a%"', 'summary contains "x" and name like "a%"', "§2: PCW builder"),
    ('name Not Like "a%"', 'name not like "a%"', "§2 `Not Like` in working code; not like: PSConnectWise#41"),
    ("board/id not in (1, 2)", "board/id not in (1, 2)", "§2 not in: DJ sync.py"),
    ('status/name != "Closed" and id > 5', 'status/name != "Closed" and id > 5', "§2 != and >: CT Get-CWMTicket.md"),
    ("id>=0 and id<=200", "id >= 0 and id <= 200", "§2 no spaces: CT Docs; >=/<=: Yevrag35"),
    ("closedFlag=False", "closedFlag = false", "§2/§3 capitalised boolean: DJ"),
    ('id = 1 AND  summary contains "x"', 'id = 1 and summary contains "x"', "§2 runs of spaces: DJ"),
    ("closedFlag = True", "closedFlag = true", "§3 booleans any case: ConnectPyse#13"),
    ("closedFlag = true", "closedFlag = true", "§3 server message: keywords true or false"),
    ("parentagreementid = null", "parentagreementid = null", "§3 null: CT Docs/Get-CWMAgreement.md"),
    ("parentTicketId=null", "parentTicketId = null", "§3 null: DJ"),
    ("lastName!=null", "lastName != null", "§3 null: id 49038583137"),
    ("name = 'single'", 'name = "single"', "§3 both quote kinds: server message; CT"),
    ("amount = -12.50", "amount = -12.50", "§3 numbers: digits, decimal point, minus (server message)"),
    (
        "_info/lastUpdated > [2024-01-01T00:00:00Z]",
        "_info/lastUpdated > [2024-01-01T00:00:00Z]",
        "§3 canonical [yyyy-MM-ddTHH:mm:ssZ]: CT ConvertTo-CWMTime.ps1, PCW cw_format_datetime, Yevrag35",
    ),
    (
        "lastUpdated > [2023-08-08T16:36:11.123456]",
        "lastUpdated > [2023-08-08T16:36:11.123456]",
        "§3 fraction, no zone: DJ sync.py (default since 2023)",
    ),
    (
        "lastUpdated > [2024-01-01T10:00:00+00:00]",
        "lastUpdated > [2024-01-01T10:00:00Z]",
        "§3 +00:00 offset: DJ sync.py",
    ),
    (
        "closedDate > [2024-01-01 12:00:00.123456+00:00]",
        "closedDate > [2024-01-01T12:00:00.123456Z]",
        "§3 str(datetime) with a space: DJ closedDate/lastUpdated",
    ),
    (
        "dateEntered > [2024-01-01 00:00:00]",
        "dateEntered > [2024-01-01T00:00:00]",
        "§9 PCW condition.py writes str(datetime) in brackets",
    ),
    ("dateEntered > [2026-02-01]", "dateEntered > [2026-02-01T00:00:00Z]", "§3 date-only (L, AI-written docs)"),
    ('company/identifier = "ACME"', 'company/identifier = "ACME"', "§4 paths: CT; DJ"),
    ('member/identifier = "jdoe" and type/identifier = "T"', None, "§4 paths: CT; DJ"),
    ("_info/dateEntered < [2024-01-01T00:00:00Z]", None, "§4 _info paths: DJ"),
    ("board/id = 1 or status/id = 2 and board/id in (3, 4)", None, "§2 precedence (L): DJ format_conditions"),
]


@pytest.mark.parametrize(("text", "canonical", "source"), ACCEPTED, ids=[row[0][:40] for row in ACCEPTED])
def test_examples_of_the_facts_parse_and_render_canonically(text: str, canonical: str | None, source: str) -> None:
    tree = parse(text)
    assert render(tree) == (canonical if canonical is not None else text)
    # the canonical text reads back as itself (a date-only value comes back as its midnight UTC)
    assert render(parse(render(tree))) == render(tree)


def test_the_issue_example_gives_the_shared_tree() -> None:
    # issue 15; §4: paths are stored dotted, date-times aware in UTC
    tree = parse('status/name="Open" and company/id in (19, 20) and lastUpdated > [2024-01-01T00:00:00Z]')
    assert tree == ast.And(
        (
            cmp("status.name", "=", S("Open")),
            ast.InList(ast.Field("company.id"), (Int(19), Int(20))),
            cmp("lastUpdated", ">", D(dt.datetime(2024, 1, 1, tzinfo=UTC))),
        )
    )


def test_and_binds_tighter_than_or() -> None:
    # §2 precedence (L): DJ sends `X or Y and board/id in (...)` meaning X or (Y and ...)
    tree = parse("board/id = 1 or status/id = 2 and board/id in (3, 4)")
    assert isinstance(tree, ast.Or)
    assert isinstance(tree.items[1], ast.And)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("d > [2023-08-08T16:36:11.123456]", dt.datetime(2023, 8, 8, 16, 36, 11, 123456)),  # §3 DJ: naive
        ("d > [2024-01-01T10:00:00+00:00]", dt.datetime(2024, 1, 1, 10, tzinfo=UTC)),  # §3 DJ
        ("d > [2024-01-01 12:00:00.123456+00:00]", dt.datetime(2024, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)),  # §3 DJ
        ("d > [2026-02-01]", dt.date(2026, 2, 1)),  # §3 date-only (L)
    ],
)
def test_bracketed_date_times_read_as_date_time_values(text: str, value: dt.date) -> None:
    tree = parse(text)
    assert isinstance(tree, ast.Compare)
    assert tree.value == D(value)
    assert type(tree.value.value) is type(value)  # type: ignore[union-attr]


def test_literal_kinds() -> None:
    # §3 the server's message: strings quoted, numbers digits with '.', '-', true/false, null
    tree = parse("a = 'x' and b = \"y\" and c = -1 and d = 2.5 and e = FALSE and f = NULL")
    assert isinstance(tree, ast.And)
    values = [item.value for item in tree.items]  # type: ignore[union-attr]
    assert values == [S("x"), S("y"), Int(-1), ast.Decimal(Decimal("2.5")), B(False), N()]


def test_like_wildcards_star_and_percent_mean_the_same() -> None:
    # §2 like: `%` documented (CW example), `*` used by many working clients (CT, Zynk)
    assert parse('name like "*mail*"') == parse('name like "%mail%"')


# (text, what the error or hint must say, source)
REFUSED = [
    (
        "lastUpdated>1948-05-14T12:00:00-05:00",
        "square brackets",
        "§3 unbracketed: DJ tests/test_api.py; server message",
    ),
    ("name like *mail*", 'like "*mail*"', "§9 CT doc example with an unquoted pattern"),
    ('status eq "Open"', "no `eq`", "issue 15: no eq"),
    ('status/name == "Open"', "single '='", "the condition language's == hint"),
    ('status.name = "Open"', "status/name", "§4 paths use '/'"),
    ("name = 'it''s'", 'quote the value with "', "§3 quote inside a string: unknown; doubling not evidenced"),
    ("n = 1e5", "no exponent", "§3 numbers: no exponent (server message)"),
    ("closedFlag = yes", "true or false", "§3 booleans are the keywords true or false (server message)"),
    ('name startswith "x"', 'like "x%"', "§2: the word operators are contains, like, in, not"),
    ("a = [2024-13-01T00:00:00Z]", "month", "§3 a bracketed date-time must be a real date"),
    ('a = "open', "never closed", "§3 strings"),
    ("a in (1, null)", "write `a in (...) or a = null`", "§2/§3: null in a list is in no source"),
]


@pytest.mark.parametrize(("text", "says", "source"), REFUSED, ids=[row[0][:30] for row in REFUSED])
def test_mistakes_are_refused_with_a_hint(text: str, says: str, source: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    assert says in str(info.value)


def test_unbracketed_date_time_points_at_the_date() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse("lastUpdated>1948-05-14T12:00:00-05:00")
    assert (info.value.line, info.value.column) == (1, 13)
    assert info.value.hint == "Manage writes date-times in square brackets: `[1948-05-14T12:00:00-05:00]`"


def test_a_quote_of_the_other_kind_is_plain_text() -> None:
    # §3 quote inside a string: the safe workaround (quote with the other kind)
    tree = parse('name = \'say "hi"\' and other = "it\'s"')
    assert tree == ast.And((cmp("name", "=", S('say "hi"')), cmp("other", "=", S("it's"))))
    assert render(tree) == 'name = \'say "hi"\' and other = "it\'s"'


def test_a_value_with_both_quote_kinds_is_refused() -> None:
    from cwa_query import UnrepresentableConditionError

    with pytest.raises(UnrepresentableConditionError, match="both"):
        render(cmp("name", "=", S('it\'s "x"')))


# --------------------------------------------------------------------------- §5 child and custom fields

CHILD = [
    ('types/name="Client"', "§5 childConditions: derpenstiltskin/connectwise-powerbi#2"),
    (
        'communicationItems/value="x" AND communicationItems/communicationType="Email"',
        "§5 childConditions: ids 40854787315, 18583111686",
    ),
    ('communicationItems/type/name="email"', "§5 childConditions: id 70458373079"),
]


@pytest.mark.parametrize(("text", "source"), CHILD)
def test_child_conditions_are_the_same_language(text: str, source: str) -> None:
    tree = parse(text)
    assert parse(render(tree)) == tree
    assert all("." in node.field.name for node in ast.walk(tree) if isinstance(node, ast.Compare))


CUSTOM = [
    ('caption="Acronym" AND value = "ACME"', "§5 customFieldConditions: ids 4605521804, 10949402015"),
    ('caption="Seats" AND value = 5', "§5 numeric values unquoted: id 49038583137"),
    ("caption=\"Notes\" AND value contains 'abc'", "§5 value contains: id 10949402015"),
]


@pytest.mark.parametrize(("text", "source"), CUSTOM)
def test_custom_field_conditions_parse(text: str, source: str) -> None:
    tree = parse(text)
    assert isinstance(tree, ast.And)
    assert [item.field.name for item in tree.items] == ["caption", "value"]  # type: ignore[union-attr]


def test_the_custom_field_builder_gives_the_evidenced_shape() -> None:
    assert render(builders.custom_field("Acronym", "ACME").node) == 'caption = "Acronym" and value = "ACME"'
    assert render(builders.custom_field("Seats", 5, ">=").node) == 'caption = "Seats" and value >= 5'
    assert (
        render(builders.custom_field("Notes", "abc", "contains").node) == 'caption = "Notes" and value contains "abc"'
    )
    with pytest.raises(ValueError, match="choose one of"):
        builders.custom_field("Seats", 5, "startswith")


# --------------------------------------------------------------------------- §6 orderBy

ORDER = [
    ("priority/id asc, dateEntered desc", "§6 multi-key: ids 60152542232, 52216158690 (L)"),
    ("contact/name asc", "§6 nested path: CT Docs"),
    ("id desc", "§6: CR doc.md"),
]


@pytest.mark.parametrize(("text", "source"), ORDER)
def test_order_by_examples_round_trip(text: str, source: str) -> None:
    keys = manage.parse_order_by(text)
    assert manage.render_order_by(keys) == text


def test_order_by_reads_directions_in_any_case_and_builds() -> None:
    from cwa_query import F

    assert manage.parse_order_by("priority/id ASC,dateEntered Desc") == (
        manage.OrderKey("priority.id", False),
        manage.OrderKey("dateEntered", True),
    )
    assert (
        builders.order_by(builders.asc(F.priority.id), builders.desc(F.dateEntered))
        == "priority/id asc, dateEntered desc"
    )


@pytest.mark.parametrize(
    ("text", "pos", "says"),
    [
        ("name", 4, "no source shows a default direction"),  # §6 direction unknown: CT requires it
        ("name up", 5, "`name asc` or `name desc`"),
        ("contact.name asc", 7, "'/'"),
        ("a asc,", 6, "a field name"),
        ("", 0, "priority/id asc"),
        ("a asc b desc", 6, "comma"),
    ],
)
def test_order_by_mistakes(text: str, pos: int, says: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        manage.parse_order_by(text)
    assert info.value.pos == pos
    assert says in str(info.value)


def _corpus() -> list[str]:
    path = Path(__file__).with_name("manage_identity_corpus.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("text", _corpus())
def test_identity_corpus(text: str) -> None:
    assert render(parse(text)) == text


# --------------------------------------------------------------------------- limits


def test_big_conditions_parse_and_render_and_deep_ones_are_refused_with_a_typed_error() -> None:
    from cwa_query import ConditionError, ConditionLimitError, ParseLimits

    chain = " and ".join(f"a{i}/b = {i}" for i in range(5000))
    assert render(parse(chain)) == chain
    listed = "id in (" + ", ".join(str(i) for i in range(20000)) + ")"
    assert render(parse(listed)) == listed
    with pytest.raises(ConditionLimitError) as caught:
        parse("(" * 500 + "a = 1" + ")" * 500)
    assert caught.value.limit == "max_depth"
    deep = "a = 1"
    for i in range(450):
        deep = f"(b = {i} or ({deep}) and c = 1)"
    tree = parse_in(deep, dialect="manage", limits=ParseLimits(max_depth=5000))
    with pytest.raises(ConditionError, match="deeper than 400 levels"):
        render(tree)
