"""The clients' manage profile against `Sandbox("manage")` over real sockets (127.0.0.1).

Every scenario compares the ids fetched with the ids the sandbox's data holds for the same
question (evaluated in process in the Manage dialect), in order: all records, each once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from cwa_query import (
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ConditionRejectedError,
    ConfigurationError,
    F,
    NotFoundError,
    evaluate,
)
from cwa_query.client import RetryPolicy
from cwa_query.client.manage import custom_field, custom_field_predicate
from cwa_query.sandbox import Sandbox, dataset
from tests.quick import quick_in_turn

COMPANIES = 60  # 240 tickets
PAGE_SIZE = 20  # 12 pages of tickets
FAST = RetryPolicy(max_retries=8, backoff_base=0.005, backoff_cap=0.05, max_wait=30.0)
TICKETS = "service/tickets"

# each selects a real subset; several carry quotes, '%' or '/' that must survive the query string
CONDITIONS: list[Any] = [
    None,
    'status/name = "Closed" and company/id in (1, 2, 3, 5, 8, 13, 21, 34)',
    F.summary.contains("o'connor") | F.summary.contains("Café"),
    "summary like '*VPN*' or priority/name = \"Priority 1 - Critical\"",
    (F.board["name"] != "Alerts") & (F.owner.identifier.like("a%") | (F.closedFlag == True)),  # noqa: E712
]


def rows(endpoint: str = TICKETS, records: int = COMPANIES) -> list[dict[str, Any]]:
    return dataset("manage", records, seed=0).collection(endpoint)


def expected_ids(where: Any = None, endpoint: str = TICKETS, records: int = COMPANIES) -> list[int]:
    return [row["id"] for row in rows(endpoint, records) if where is None or evaluate(where, row, dialect="manage")]


def options(sandbox: Sandbox, **extra: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {**sandbox.client_options(), "page_size": PAGE_SIZE, "retry": FAST, "timeout": 5.0}
    settings.update(extra)
    return settings


def fetch_ids(sandbox: Sandbox, mode: str, where: Any = None, endpoint: str = TICKETS, **extra: Any) -> list[int]:
    """Every matching record's id, with the sync or the async client."""
    names = ("limit", "order_by", "child_conditions", "custom_field_conditions", "include_fields")
    query = {name: extra.pop(name) for name in names if name in extra}
    settings = options(sandbox, **extra)
    if mode == "sync":
        with Client(sandbox.url, **settings) as client:
            return [row["id"] for row in client.iter_records(endpoint, where, **query)]

    async def run() -> list[int]:
        async with AsyncClient(sandbox.url, **settings) as client:
            return [row["id"] async for row in client.iter_records(endpoint, where, **query)]

    return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("manage", records=COMPANIES, latency_ms=2, max_concurrent=10) as running:
        yield running


# --------------------------------------------------------------------------- exactly once


@pytest.mark.parametrize("index", range(len(CONDITIONS)))
def test_all_records_exactly_once_in_order(sandbox: Sandbox, mode: str, index: int) -> None:
    where = CONDITIONS[index]
    expected = expected_ids(where)
    assert len(expected) > 0
    assert fetch_ids(sandbox, mode, where) == expected


def test_order_by_and_limit(sandbox: Sandbox, mode: str) -> None:
    where = "closedFlag = false and company/id <= 30"
    by_priority = sorted(
        (row for row in rows() if evaluate(where, row, dialect="manage")),
        key=lambda row: (row["priority"]["id"], -row["id"]),
    )
    got = fetch_ids(sandbox, mode, where, order_by="priority/id asc, id desc")
    assert got == [row["id"] for row in by_priority]
    assert fetch_ids(sandbox, mode, where, order_by="priority/id asc, id desc", limit=7) == got[:7]


def test_child_and_custom_field_conditions(sandbox: Sandbox, mode: str) -> None:
    companies = rows("company/companies")
    child = 'types/name = "Vendor"'
    custom = custom_field("Seats", 100, ">=")
    matches = custom_field_predicate(custom)
    expected = [
        row["id"]
        for row in companies
        if any(kind["name"] == "Vendor" for kind in row["types"]) and matches(row) and row["status"]["name"] == "Active"
    ]
    assert 0 < len(expected) < len(companies)
    got = fetch_ids(
        sandbox,
        mode,
        'status/name = "Active"',
        "company/companies",
        child_conditions=child,
        custom_field_conditions=custom,
    )
    assert got == expected


def test_fields_cut_the_records(sandbox: Sandbox) -> None:
    with Client(sandbox.url, **options(sandbox)) as client:
        records = client.get_all(TICKETS, "id <= 3", include_fields="id,company/identifier,summary")
    assert [set(record) for record in records] == [{"id", "company", "summary"}] * 3
    assert all(set(record["company"]) == {"identifier"} for record in records)


# --------------------------------------------------------------------------- the codebase


def test_the_codebase_is_asked_for_once_or_not_at_all(mode: str) -> None:
    for codebase, asked in ((None, 1), ("v2025_1/", 0)):
        with Sandbox("manage", records=10, max_concurrent=10) as sandbox:
            assert fetch_ids(sandbox, mode, codebase=codebase, max_in_flight=8) == expected_ids(records=10)
            routes = sandbox.stats()["requests_by_route"]
        assert routes.get("GET login/companyinfo/{company}", 0) == asked


def test_an_unknown_company_is_an_error_naming_the_remedy(sandbox: Sandbox) -> None:
    settings = options(sandbox, company="nobody")
    with Client(sandbox.url, **settings) as client, pytest.raises(NotFoundError, match="pass codebase="):
        client.get_all(TICKETS)


# --------------------------------------------------------------------------- errors


def test_what_the_server_refuses_is_a_typed_error_with_its_code(sandbox: Sandbox) -> None:
    with Client(sandbox.url, **options(sandbox, validate="off")) as client:
        with pytest.raises(BadRequestError) as info:
            client.get_all(TICKETS, "compny/id = 5")
        assert info.value.code == "ApiFindCondition"
        assert info.value.message == "compny/id is not a recognized name."
        with pytest.raises(NotFoundError) as missing:
            client.get(f"{TICKETS}/99999")
        assert missing.value.code == "NotFound"
        assert client.get(f"{TICKETS}/7")["id"] == 7
        assert client.get(f"{TICKETS}/count", {"conditions": "id <= 9"}) == {"count": 9}


def test_validate_before_send_speaks_manage(sandbox: Sandbox) -> None:
    sandbox.reset_stats()
    with Client(sandbox.url, **options(sandbox)) as client, pytest.raises(ConditionRejectedError, match="company/id"):
        client.get_all(TICKETS, "compny/id = 5")
    assert sandbox.stats()["requests"] == 0


@pytest.mark.parametrize(
    ("profile", "option", "message"),
    [
        ("manage", {"username": "u", "password": "p"}, "does not take username, password"),
        ("automate", {"company": "acme"}, "does not take company"),
        ("automate", {"codebase": "v1"}, "does not take codebase"),
        ("manage", {"company": "acme", "public_key": "k"}, "together"),
        ("manage", {"codebase": "../etc"}, "not a codebase"),
    ],
)
def test_credentials_of_another_profile_are_refused(profile: str, option: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Client("127.0.0.1", profile=profile, **option)  # type: ignore[arg-type]


def test_parameters_a_profile_lacks_are_refused() -> None:
    automate = Client("127.0.0.1", profile="automate")
    with automate, pytest.raises(ConfigurationError, match="no child_conditions"):
        automate.iter_records("Computers", child_conditions="a = 1")
    manage = Client("127.0.0.1", profile="manage", codebase="v2025_1/")
    with manage, pytest.raises(ConfigurationError, match="no expand"):
        manage.iter_records(TICKETS, expand="x")


# --------------------------------------------------------------------------- faults and credentials

FAULT_KINDS = ["429", "500", "502", "503", "reset", "slow"]


# each fault kind once in the quick loop, the clients in turn; 429s wait: slow
@pytest.mark.parametrize(("mode", "kind"), quick_in_turn(FAULT_KINDS, [("sync",), ("async",)], slow_kinds=["429"]))
def test_every_fault_kind_loses_and_doubles_nothing(mode: str, kind: str) -> None:
    probability = 0.15 if kind in ("429", "slow") else 0.25
    extra: dict[str, Any] = {"timeout": 0.25} if kind == "slow" else {}
    with Sandbox("manage", records=COMPANIES, faults=f"{kind}={probability}", fault_seed=3, slow_ms=400) as sandbox:
        assert fetch_ids(sandbox, mode, **extra) == expected_ids()
        injected = sandbox.stats()["faults_injected"]
    assert injected.get(kind, 0) > 0


@pytest.mark.slow
def test_a_429_from_the_rate_window_is_waited_out(mode: str) -> None:
    # no client-side cap: the server's 429 and its Retry-After do the pacing, nothing is lost
    with Sandbox("manage", records=COMPANIES, rate_limit=6, rate_window=1.0) as sandbox:
        got = fetch_ids(sandbox, mode, page_size=25, rate_limit=None)
        stats = sandbox.stats()
    assert got == expected_ids()
    assert stats["responses_429"] >= 1


def test_the_manage_profile_has_no_token_to_expire() -> None:
    with pytest.raises(ConfigurationError, match="no tokens to expire"):
        Sandbox("manage", records=5, faults="expire=0.1")


def test_bad_credentials_fail_at_once_and_no_key_is_shown(caplog: pytest.LogCaptureFixture, mode: str) -> None:
    private = "Priv-Key-Only-Here"
    public = "Pub-Key-Only-Here"
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    with Sandbox("manage", records=10, public_key=public, private_key=private, client_id="cid") as sandbox:
        assert fetch_ids(sandbox, mode, client_id="cid") == expected_ids(records=10)
        for bad in ({"private_key": "Wrong-" + private}, {"company": "other"}, {"client_id": "wrong"}):
            sandbox.reset_stats()
            with pytest.raises(AuthenticationError) as info:
                fetch_ids(sandbox, mode, codebase="v2025_1/", max_in_flight=1, **{"client_id": "cid", **bad})
            texts += [str(info.value), repr(info.value), repr(info.value.args)]
            # A 401 is final: not retried, no page after it. Count the 401s, not all requests: a page
            # the good client above asked for ahead may still reach the server after reset_stats().
            assert sandbox.stats()["responses_by_status"].get("401") == 1
        with Client(sandbox.url, **options(sandbox, client_id="cid")) as client:
            client.get_all(TICKETS, limit=3)
            texts += [repr(client), repr(client.auth), str(vars(client))]
        with (
            Client(sandbox.url, **options(sandbox, client_id=None)) as client,
            pytest.raises(
                AuthenticationError, match="needs a clientId: pass client_id= or set CONNECTWISE_MANAGE_CLIENT_ID"
            ),
        ):
            client.get_all(TICKETS)
    logged = caplog.text + "\n".join(texts)
    assert "Authorization" not in caplog.text and "Basic " not in logged
    assert private not in logged and public not in logged


def test_each_call_is_logged_with_its_conditions(caplog: pytest.LogCaptureFixture, sandbox: Sandbox) -> None:
    """Manage sends `conditions` (not Automate's `condition`); the log line and its `extra` carry it."""
    caplog.set_level(logging.DEBUG, logger="cwa_query")
    with Client(sandbox.url, **options(sandbox)) as client:
        client.get_all(TICKETS, 'summary contains "VPN"', limit=3)
    assert "condition='summary contains \"VPN\"'" in caplog.text
    record = next(r for r in caplog.records if getattr(r, "cwa_path", "").endswith(TICKETS))
    assert record.cwa_condition == 'summary contains "VPN"'  # type: ignore[attr-defined]


def test_from_env_reads_the_manage_variables(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> None:
    credentials = sandbox.client_options()
    for name, value in (
        ("SERVER", sandbox.url),
        ("COMPANY", credentials["company"]),
        ("PUBLIC_KEY", credentials["public_key"]),
        ("PRIVATE_KEY", credentials["private_key"]),
        ("CLIENT_ID", credentials["client_id"]),
    ):
        monkeypatch.setenv(f"CONNECTWISE_MANAGE_{name}", str(value))
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USERNAME", "not-for-manage")
    with Client.from_env(profile="manage", page_size=PAGE_SIZE) as client:
        assert [row["id"] for row in client.iter_records(TICKETS, CONDITIONS[1])] == expected_ids(CONDITIONS[1])


def test_child_conditions_are_validated_before_sending(sandbox: Sandbox) -> None:
    sandbox.reset_stats()
    with Client(sandbox.url, **options(sandbox)) as client:
        with pytest.raises(ConditionRejectedError, match=r"company/companies \(childConditions\)"):
            client.get_all("company/companies", child_conditions='typs/name = "Vendor"')
        with pytest.raises(ConfigurationError, match="runs no scripts"):
            client.run_script(1, 2)
    assert sandbox.stats()["requests"] == 0
