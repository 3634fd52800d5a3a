"""Issue 20: long `in` lists split under the server's query-string budget, in every profile.

Over loopback against the sandbox (whose automate profile refuses a query string over IIS's
2,048 bytes, as the real server does): a split query returns exactly what one unlimited
request returns (the same sandbox answered in process, where no request line is too long),
in order, with no query string over the budget.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest

from cwa_query import AsyncClient, Client, F, parse
from cwa_query._query_budget import IIS_MAX_QUERY_STRING
from cwa_query.client._split import merge_records, order_key, split_condition
from cwa_query.errors import NotFoundError, QueryTooLongError
from cwa_query.sandbox import Sandbox

#: records of each profile's sandbox (Manage's data, companies and all that hangs off them, is slower to make)
RECORDS = {"seed": 6000, "automate": 6000, "manage": 1500}
IDS = list(range(1, 10_001, 2))  # 5,000 ids, half of them past the last record
MANAGE_IDS = ", ".join(map(str, IDS))
#: per profile: the endpoint, its id and name fields, and the condition: a filter and 5,000 ids
CASES: dict[str, tuple[str, str, str, object]] = {
    "seed": ("Computers", "ComputerID", "Name", (F.Status == "Online") & F.ComputerID.in_(IDS)),
    "automate": ("Computers", "Id", "ComputerName", (F.Status == "Online") & F.Id.in_(IDS)),
    "manage": ("company/companies", "id", "name", f"deletedFlag = false and id in ({MANAGE_IDS})"),
}
PROFILES = list(CASES)


class Recording(httpx.HTTPTransport):
    """The real socket transport, noting the query string of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.queries.append(request.url.query)
        return super().handle_request(request)


def profiles(*quick: str) -> list[object]:
    """The profiles, those not named in `quick` marked slow."""
    return [name if name in quick else pytest.param(name, marks=pytest.mark.slow) for name in PROFILES]


# Manage's data takes long to make: its cases run with the slow tests
@pytest.fixture(scope="module", params=profiles("seed", "automate"))
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    with Sandbox(profile=request.param, records=RECORDS[request.param]) as running:  # type: ignore[arg-type]
        yield running


def options(sandbox: Sandbox, **more: object) -> dict[str, object]:
    return {**sandbox.client_options(), "rate_limit": None, **more}


def condition(profile: str) -> object:
    return CASES[profile][3]


def endpoint(sandbox: Sandbox) -> str:
    return CASES[sandbox.config.profile][0]


def unlimited(sandbox: Sandbox, **query: object) -> list[dict[str, object]]:
    """One request, the whole condition in it: the same data answered in process (no request line)
    by a sandbox without a query-string limit."""
    twin = Sandbox(profile=sandbox.config.profile, records=sandbox.config.records, max_query_string=1 << 20)
    settings = options(sandbox, transport=twin.transport(), max_query_string=None)
    with Client(sandbox.url, **settings) as client:  # type: ignore[arg-type]
        pages = list(client.iter_pages(endpoint(sandbox), condition(sandbox.config.profile), **query))  # type: ignore[arg-type]
    assert len(pages) > 1 or len(pages[0].records) <= 1000
    return [record for page in pages for record in page.records]


@pytest.mark.parametrize(
    "query",
    [
        {"order_by": "{name} desc"},
        pytest.param({}, marks=pytest.mark.slow),
        pytest.param({"order_by": "Status asc, {name}"}, marks=pytest.mark.slow),
        pytest.param({"limit": 333, "page_size": 50}, marks=pytest.mark.slow),
    ],
    ids=["desc", "no-order", "two-keys", "limit"],
)
# splitting automate's query takes seconds: the quick loop splits the seed profile's (automate's
# includeFields case below stays quick)
@pytest.mark.parametrize("sandbox", profiles("seed"), indirect=True)
def test_5000_ids_return_what_one_unlimited_request_returns_in_order(
    sandbox: Sandbox, query: dict[str, object]
) -> None:
    profile = sandbox.config.profile
    if "order_by" in query:
        query = {**query, "order_by": str(query["order_by"]).replace("{name}", CASES[profile][2])}
    expected = unlimited(sandbox, **query)
    transport = Recording()
    done: list[tuple[int, int]] = []
    with Client(sandbox.url, transport=transport, **options(sandbox)) as client:  # type: ignore[arg-type]
        got = client.get_all(endpoint(sandbox), condition(profile), progress=lambda d, n: done.append((d, n)), **query)  # type: ignore[arg-type]
    assert got == expected
    assert len({record[CASES[profile][1]] for record in got}) == len(got)
    assert expected, "the query selects records"
    longest = max(len(q) for q in transport.queries)
    assert longest <= IIS_MAX_QUERY_STRING, f"a query string of {longest} bytes"
    assert len(transport.queries) > 10  # it was split
    assert done[0][0] == 0 and done[-1][0] == done[-1][1] == done[0][1]


@pytest.mark.slow
def test_the_async_client_splits_too(sandbox: Sandbox) -> None:
    profile = sandbox.config.profile
    order = f"{CASES[profile][2]} desc"
    expected = unlimited(sandbox, order_by=order)

    async def fetch() -> list[dict[str, object]]:
        async with AsyncClient(sandbox.url, **options(sandbox)) as client:  # type: ignore[arg-type]
            return await client.get_all(endpoint(sandbox), condition(profile), order_by=order)

    assert asyncio.run(fetch()) == expected


def test_fields_the_merge_needs_are_asked_for_and_not_handed_over(sandbox: Sandbox) -> None:
    # the merge reads the order's fields and the id; the caller asked for neither
    profile = sandbox.config.profile
    asked = {"automate": ("ComputerName desc", "Status"), "manage": ("name desc", "identifier")}.get(profile)
    if asked is None:
        pytest.skip("the seed document has no includeFields")
    order, field = asked
    expected = unlimited(sandbox, order_by=order, include_fields=field)
    with Client(sandbox.url, **options(sandbox)) as client:  # type: ignore[arg-type]
        got = client.get_all(endpoint(sandbox), condition(profile), order_by=order, include_fields=field)  # type: ignore[arg-type]
    assert got == expected and set(got[0]) == {field}


def test_the_sandbox_refuses_a_query_string_over_2048_bytes_as_iis_does(sandbox: Sandbox) -> None:
    profile = sandbox.config.profile
    numbers = ", ".join(str(n) for n in range(1, 400))
    ids = f"{CASES[profile][1]} in ({numbers})"
    with Client(sandbox.url, **options(sandbox, max_query_string=None)) as client:  # type: ignore[arg-type]
        if profile == "seed":  # the seed profile keeps its 16 KiB request line
            assert client.get_all(endpoint(sandbox), ids)
        else:  # automate, and manage (whose limit is not published: IIS's default)
            with pytest.raises(NotFoundError, match=r"query string is too long: .* over the server's limit of 2,048"):
                client.get_all(endpoint(sandbox), ids)


def test_the_limit_is_an_option_of_the_sandbox() -> None:
    with Sandbox(profile="automate", records=20, max_query_string=100) as small:
        unbounded = options(small, max_query_string=None)
        with Client(small.url, **unbounded) as client, pytest.raises(NotFoundError, match="limit of 100"):  # type: ignore[arg-type]
            client.get_all("Computers", F.Id.in_(list(range(1, 30))))
        with Client(small.url, **options(small, max_query_string=100)) as client:  # type: ignore[arg-type]
            assert [r["Id"] for r in client.get_all("Computers", F.Id.in_(list(range(1, 30))))] == [
                str(n) for n in range(1, 21)
            ]


# --------------------------------------------------------------------------- refusals, before any request


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Status = 'Online' or Id in ({ids})", "is under `or`"),
        ("not (Id in ({ids}))", "is negated"),
        ("Id not in ({ids})", "is negated"),
        ("Id in ({ids}) and ClientId in ({ids})", "is long too, and only one list is split"),
        ("ComputerName = '{long}'", "holds no `in` list"),
    ],
    ids=["or", "not", "not-in", "two-lists", "no-list"],
)
def test_a_query_that_cannot_be_split_exactly_is_refused_saying_why(text: str, says: str) -> None:
    ids = ", ".join(str(n) for n in range(1, 2000))
    calls: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(200, json=[]))
    client = Client("http://127.0.0.1:9", profile="automate", transport=transport, validate="off")
    with client, pytest.raises(QueryTooLongError, match=says) as caught:
        client.get_all("Computers", text.format(ids=ids, long="x" * 3000))
    assert calls == []
    assert caught.value.budget == IIS_MAX_QUERY_STRING and caught.value.size > caught.value.budget


def test_a_query_under_the_budget_is_sent_whole() -> None:
    assert split_condition(parse("Id in (1, 2, 3)"), "automate", budget=IIS_MAX_QUERY_STRING) is None


def test_each_value_once_and_the_pieces_cover_the_list() -> None:
    node = parse("Status = 'Online' and Id in (" + ", ".join(str(n % 700) for n in range(3000)) + ")")
    split = split_condition(node, "automate", budget=IIS_MAX_QUERY_STRING)
    assert split is not None
    values = [value.value for piece in split.lists for value in piece.values]  # type: ignore[attr-defined]
    assert sorted(values) == list(range(700)) and len(values) == 700


def test_the_merge_orders_as_the_sandbox_compares() -> None:
    one = [{"Id": "2", "Name": "b"}, {"Id": "10", "Name": "B"}, {"Id": "3", "Name": None}]
    two = [{"Id": "1", "Name": "a"}, {"Id": "4", "Name": "c"}]
    merged = list(merge_records([one, two], order_by="Name asc", limit=None))
    assert [r["Id"] for r in merged] == ["1", "2", "10", "4", "3"]  # text without case, ties by id, null last
    assert sorted(["10", "9", "a", "B"], key=order_key) == ["9", "10", "a", "B"]


# --------------------------------------------------------------------------- cwa-query fetch


def test_fetch_splits_with_progress_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    from cwa_query.cli import main

    where = "Status = 'Online' and Id in (" + ", ".join(str(n) for n in range(1, 1200, 2)) + ")"
    argv = ["fetch", "Computers", "--sandbox", "--profile", "automate", "--records", "1000", "--where", where]
    assert main([*argv, "--format", "json", "--progress"]) == 0
    out, err = capsys.readouterr()
    records = json.loads(out)
    assert records and all(int(str(record["Id"])) % 2 == 1 for record in records)
    assert "requests (the `in` list split under the URL budget)" in err
    assert main([*argv, "--format", "json", "--max-query-string", "100000"]) == 1  # sent whole: the sandbox's 404
    assert "query string is too long" in capsys.readouterr().err


def test_fetch_refuses_a_list_under_or_saying_why(capsys: pytest.CaptureFixture[str]) -> None:
    from cwa_query.cli import main

    where = "Status = 'Online' or Id in (" + ", ".join(str(n) for n in range(1, 1200)) + ")"
    assert main(["fetch", "Computers", "--sandbox", "--profile", "automate", "--where", where]) == 1
    assert "is under `or`" in capsys.readouterr().err


def test_raising_the_limit_raises_the_request_line_with_it() -> None:
    # the socket layer's 16 KiB request line would refuse (414) what max_query_string allows
    with Sandbox(profile="automate", records=50, max_query_string=100_000) as roomy:
        settings = options(roomy, max_query_string=None)
        with Client(roomy.url, **settings) as client:  # type: ignore[arg-type]
            records = client.get_all("Computers", F.Id.in_(list(range(1, 6000))))
    assert len(records) == 50
