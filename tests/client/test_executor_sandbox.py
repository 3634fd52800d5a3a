"""The clients against the sandbox over real sockets (127.0.0.1), both profiles, sync and async.

Every scenario compares the ids fetched with the ids the sandbox's data holds for the same
condition (evaluated in process with `cwa_query.evaluate`), in order: all records, each once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cwa_query import (
    AsyncClient,
    AuthenticationError,
    Client,
    ConditionSyntaxError,
    ConfigurationError,
    F,
    NotFoundError,
    TwoFactorRequiredError,
    evaluate,
)
from cwa_query.client import RetryPolicy, TokenAuth
from cwa_query.sandbox import Sandbox, dataset
from tests.quick import quick_in_turn

RECORDS = 480
PAGE_SIZE = 40  # 12 pages
FAST = RetryPolicy(max_retries=8, backoff_base=0.005, backoff_cap=0.05, max_wait=30.0)
ID = {"seed": "ComputerID", "automate": "Id"}

# the same question asked of each profile in its own field names; each selects a real subset,
# and several carry '%', quotes or spaces that must survive the query string
CONDITIONS: dict[str, list[Any]] = {
    "seed": [
        None,
        "Status = 'Online' and Comment contains '%'",
        F.Name.startswith("ACME"),
        "not (Status = 'Offline') and TotalMemory >= 8192",
    ],
    "automate": [
        None,
        "Client.Name contains '100% U'",
        F.ComputerName.startswith("UPTI-"),
        "Status = 'Online' and Comment like '%é%'",
    ],
}


def expected_ids(profile: str, where: Any = None, records: int = RECORDS) -> list[int]:
    rows = dataset(profile, records, seed=0).collection("Computers")  # type: ignore[arg-type]
    return [row[ID[profile]] for row in rows if where is None or evaluate(where, row)]


def options(sandbox: Sandbox, **extra: Any) -> dict[str, Any]:
    creds = sandbox.credentials
    settings: dict[str, Any] = {
        "username": creds.username,
        "password": creds.password,
        "client_id": creds.client_id,
        "two_factor_code": creds.two_factor_code,
        "profile": sandbox.config.profile,
        "page_size": PAGE_SIZE,
        "retry": FAST,
        "timeout": 5.0,
    }
    settings.update(extra)
    return settings


def fetch_ids(sandbox: Sandbox, mode: str, where: Any = None, **extra: Any) -> list[int]:
    """Fetch every matching computer's id with the sync or the async client."""
    query = {name: extra.pop(name) for name in ("limit", "order_by") if name in extra}
    clock_behind = extra.pop("clock_behind", None)
    settings = options(sandbox, **extra)
    key = ID[sandbox.config.profile]

    def prepare(client: Client | AsyncClient) -> None:
        if clock_behind is not None:  # a client whose clock runs behind the server's
            assert isinstance(client.auth, TokenAuth)
            client.auth._clock = lambda: time.time() - clock_behind

    if mode == "sync":
        with Client(sandbox.url, **settings) as client:
            prepare(client)
            return [row[key] for row in client.iter_records("Computers", where, **query)]

    async def run() -> list[int]:
        async with AsyncClient(sandbox.url, **settings) as client:
            prepare(client)
            return [row[key] async for row in client.iter_records("Computers", where, **query)]

    return asyncio.run(run())


@pytest.fixture(params=["seed", "automate"])
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sandbox(profile: str) -> Iterator[Sandbox]:
    with Sandbox(profile, records=RECORDS, latency_ms=5, max_concurrent=10) as running:
        yield running


# --------------------------------------------------------------------------- exactly once


# each condition of each profile once in the quick loop, the clients in turn
@pytest.mark.parametrize(
    ("profile", "mode", "index"),
    [param for profile in ID for param in quick_in_turn(range(4), [(profile, "sync"), (profile, "async")])],
)
def test_all_records_exactly_once_with_and_without_filters(sandbox: Sandbox, mode: str, index: int) -> None:
    profile = sandbox.config.profile
    where = CONDITIONS[profile][index]
    expected = expected_ids(profile, where)
    assert 0 < len(expected) <= RECORDS
    # the seed sandbox serves Comment, which the seed catalogue does not list: sent unchecked
    assert fetch_ids(sandbox, mode, where, validate="off") == expected
    stats = sandbox.stats()
    assert stats["responses_429"] == 0  # the in-flight cap kept to the server's limit
    assert stats["max_concurrent_seen"] <= 10


def test_limit_and_page_size(sandbox: Sandbox, mode: str) -> None:
    profile = sandbox.config.profile
    assert fetch_ids(sandbox, mode, limit=101) == expected_ids(profile)[:101]
    assert fetch_ids(sandbox, mode, page_size=1000) == expected_ids(profile)
    assert fetch_ids(sandbox, mode, "Status = 'Nowhere'") == []


def test_pages_and_totals(sandbox: Sandbox) -> None:
    with Client(sandbox.url, **options(sandbox)) as client:
        pages = list(client.iter_pages("Computers"))
    assert [page.number for page in pages] == list(range(1, RECORDS // PAGE_SIZE + 1))
    if sandbox.config.profile == "seed":
        assert pages[0].total_count == RECORDS
    else:
        assert pages[0].total_count is None


def test_convenience_methods(sandbox: Sandbox) -> None:
    profile = sandbox.config.profile
    with Client(sandbox.url, **options(sandbox)) as client:
        one = client.computer(7)
        assert int(one[ID[profile]]) == 7  # automate: the string "7", as the document types it
        assert len(client.computers(limit=3)) == 3
        assert len(client.clients()) == len(dataset(profile, RECORDS, seed=0).collection("Clients"))  # type: ignore[arg-type]
        assert client.alerts(limit=5)
        done = client.batch(client.computer, [1, 2, 3])
        assert [int(row[ID[profile]]) for row in done] == [1, 2, 3]


def test_run_script(sandbox: Sandbox) -> None:
    with Client(sandbox.url, **options(sandbox)) as client:
        answer = client.run_script(3, 1, {"Reason": "test", "Force": True})
    routes = sandbox.stats()["requests_by_route"]
    if sandbox.config.profile == "seed":  # the seed document's path
        assert answer["Parameters"] == {"Reason": "test", "Force": True}
        assert [route for route in routes if "Execute" in route] == ["POST /Computers/{id}/Scripts/{id}/Execute"]
        return
    # the real server's: POST Batch/ScriptExecute with a ScheduleScriptBatchRequest
    assert answer["ContainsUnsuccessfulResults"] is False
    assert [result["EntityId"] for result in answer["ScriptResults"]] == [3]
    assert [route for route in routes if "Execute" in route] == ["POST /Batch/ScriptExecute"]
    with Client(sandbox.url, **options(sandbox)) as client, pytest.raises(NotFoundError, match="99999"):
        client.run_script(99999, 1)
    with Client(sandbox.url, **options(sandbox)) as client, pytest.raises(ConfigurationError, match="integer id"):
        client.run_script("abc", 1)


# --------------------------------------------------------------------------- faults

FAULT_KINDS = ["429", "500", "502", "503", "reset", "slow"]
PROFILE_MODES = [("seed", "sync"), ("automate", "async"), ("seed", "async"), ("automate", "sync")]


# each fault kind once in the quick loop, the profiles and clients in turn; 429s wait: slow
@pytest.mark.parametrize(("profile", "mode", "kind"), quick_in_turn(FAULT_KINDS, PROFILE_MODES, slow_kinds=["429"]))
def test_every_fault_kind_loses_and_doubles_nothing(profile: str, mode: str, kind: str) -> None:
    probability = 0.15 if kind in ("429", "slow") else 0.25
    extra: dict[str, Any] = {}
    if kind == "slow":
        extra["timeout"] = 0.25  # the slow answer comes after 0.45 s: a timeout, then a retry
    with Sandbox(profile, records=RECORDS, faults=f"{kind}={probability}", fault_seed=3, slow_ms=400) as sandbox:
        assert fetch_ids(sandbox, mode, **extra) == expected_ids(profile)
        injected = sandbox.stats()["faults_injected"]
    assert injected.get(kind, 0) > 0


@pytest.mark.parametrize("kind", ["expire", "401"])
def test_auth_faults_reauthenticate_once(profile: str, mode: str, kind: str) -> None:
    # one request at a time, so the seeded fault schedule is the same on every run: no
    # request draws a second 401 right after its re-authentication (that would be an error)
    with Sandbox(profile, records=RECORDS, faults=f"{kind}=0.2", fault_seed=11) as sandbox:
        assert fetch_ids(sandbox, mode, max_in_flight=1) == expected_ids(profile)
        stats = sandbox.stats()
    assert stats["faults_injected"].get(kind, 0) > 0
    assert stats["tokens_issued"] == 1 + stats["faults_injected"][kind]


MIXED = "429=0.04,500=0.04,502=0.04,503=0.04,reset=0.05,slow=0.03"


@pytest.mark.slow
@pytest.mark.parametrize("where_index", [0, 1])
def test_mixed_fault_schedule(profile: str, mode: str, where_index: int) -> None:
    where = CONDITIONS[profile][where_index]
    with Sandbox(
        profile, records=RECORDS, faults=MIXED, fault_seed=7, slow_ms=400, latency_ms=5, max_concurrent=10
    ) as sandbox:
        got = fetch_ids(sandbox, mode, where, timeout=0.25, page_size=10, validate="off")  # Comment: see above
        assert got == expected_ids(profile, where)
        stats = sandbox.stats()
    assert len(stats["faults_injected"]) >= 2


@pytest.mark.slow
def test_mixed_schedule_with_auth_faults_one_at_a_time(profile: str) -> None:
    with Sandbox(
        profile, records=RECORDS, faults=MIXED + ",expire=0.05,401=0.03", fault_seed=5, slow_ms=400
    ) as sandbox:
        assert fetch_ids(sandbox, "sync", timeout=0.25, page_size=20, max_in_flight=1) == expected_ids(profile)


# --------------------------------------------------------------------------- tokens


@pytest.mark.slow
def test_expiry_mid_pagination_renews_the_token(profile: str, mode: str) -> None:
    # tokens live 2 s and pagination takes longer: renewed ahead of expiry (the refresh
    # endpoint; half the lifetime before, as the lifetime is short), never refused
    with Sandbox(profile, records=RECORDS, latency_ms=50, token_ttl=2) as sandbox:
        assert fetch_ids(sandbox, mode, page_size=10, max_in_flight=2) == expected_ids(profile)
        stats = sandbox.stats()
    assert stats["tokens_issued"] >= 2
    assert stats["responses_by_status"].get("401", 0) == 0


@pytest.mark.slow
def test_expiry_mid_pagination_answered_with_401s(profile: str, mode: str) -> None:
    # a client clock 30 s behind keeps using the token after the server has expired it: the
    # requests in flight get 401s, one login serves them all, and each is sent once more
    with Sandbox(profile, records=RECORDS, latency_ms=50, token_ttl=0.5) as sandbox:
        got = fetch_ids(sandbox, mode, page_size=10, max_in_flight=3, refresh_margin=0, clock_behind=30)
        stats = sandbox.stats()
    assert got == expected_ids(profile)
    refused = stats["responses_by_status"].get("401", 0)
    assert refused >= 1
    assert 2 <= stats["tokens_issued"] <= 1 + refused


# --------------------------------------------------------------------------- two-factor and ClientId


def test_two_factor(profile: str, mode: str) -> None:
    with Sandbox(profile, records=RECORDS, two_factor_code="246810") as sandbox:
        assert fetch_ids(sandbox, mode, "Status = 'Online'") == expected_ids(profile, "Status = 'Online'")
        with pytest.raises(TwoFactorRequiredError) as info:
            fetch_ids(sandbox, mode, two_factor_code=None)
        assert "sandbox" not in str(info.value).replace("sandbox.", "")  # no password in the text
        with pytest.raises(AuthenticationError) as wrong:
            fetch_ids(sandbox, mode, two_factor_code="000000")
        assert "000000" not in str(wrong.value)


def test_client_id_header(mode: str) -> None:
    with Sandbox("automate", records=RECORDS, client_id="my-integration") as sandbox:
        assert fetch_ids(sandbox, mode, limit=5, client_id="my-integration") == expected_ids("automate")[:5]
        with pytest.raises(AuthenticationError, match="ClientId"):
            fetch_ids(sandbox, mode, client_id=None)
        with pytest.raises(AuthenticationError, match="Unknown ClientId"):
            fetch_ids(sandbox, mode, client_id="someone-else")


@pytest.mark.anyio
async def test_async_two_factor_and_client_id_on_every_request() -> None:
    with Sandbox("automate", records=RECORDS, two_factor_code="13579", client_id="cid-1") as sandbox:
        settings = options(sandbox, client_id="cid-1")
        async with AsyncClient(sandbox.url, **settings) as client:
            rows = await client.computers("Status = 'Online'")
            assert [row["Id"] for row in rows] == expected_ids("automate", "Status = 'Online'")
            assert (await client.computer(3))["Id"] == "3"
        assert sandbox.stats()["responses_by_status"].get("401", 0) == 0


# --------------------------------------------------------------------------- refusals and secrets


def test_remote_plain_http_is_refused() -> None:
    for cls in (Client, AsyncClient):
        with pytest.raises(ConfigurationError, match="plain http"):
            cls("http://automate.example.com", username="u", password="p")  # type: ignore[operator]


def test_a_bad_condition_sends_nothing(sandbox: Sandbox) -> None:
    with Client(sandbox.url, **options(sandbox)) as client, pytest.raises(ConditionSyntaxError):
        client.iter_records("Computers", "Status = Online'")
    assert sandbox.stats()["requests"] == 0


def test_secrets_stay_out_of_logs_and_errors(caplog: pytest.LogCaptureFixture, mode: str) -> None:
    password = "Pa55-w0rd-Only-Here"
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    with Sandbox("seed", records=RECORDS, password=password, faults="500=0.2,401=0.1", fault_seed=2) as sandbox:
        settings = options(sandbox)
        assert settings["password"] == password
        fetch_ids(sandbox, mode, "Status = 'Online'")
        for bad in ({"password": "Wrong-" + password}, {"username": "nobody"}):
            with pytest.raises(AuthenticationError) as info:
                fetch_ids(sandbox, mode, **bad)
            texts += [str(info.value), repr(info.value), repr(info.value.args)]
        with Client(sandbox.url, **settings) as client:
            client.get_all("Computers", limit=3)
            texts += [repr(client), repr(client.auth), str(vars(client))]
            assert isinstance(client.auth, TokenAuth) and client.auth.grant is not None
            tokens = [client.auth.grant.access_token]
    assert tokens
    logged = caplog.text + "\n".join(texts)
    assert "Authorization" not in caplog.text and "Bearer" not in caplog.text
    assert password not in logged
    for token in tokens:
        assert token not in logged


# --------------------------------------------------------------------------- rate limits


@pytest.mark.slow
def test_seed_follows_the_servers_rate_limit_without_drawing_429s(mode: str) -> None:
    # 24 pages through windows of 10 requests a second: the X-RateLimit-* headers say when
    # the window is spent, and the client waits for the reset instead of drawing a 429
    with Sandbox("seed", records=RECORDS, rate_limit=10, rate_window=1.0) as sandbox:
        assert fetch_ids(sandbox, mode, page_size=20) == expected_ids("seed")
        stats = sandbox.stats()
    assert stats["responses_429"] == 0
    assert stats["requests"] == 1 + 24  # the login and each page once


@pytest.mark.slow
def test_a_user_set_rate_keeps_the_automate_client_under_the_server_limit(mode: str) -> None:
    with Sandbox("automate", records=RECORDS, rate_limit=10, rate_window=1.0) as sandbox:
        got = fetch_ids(sandbox, mode, page_size=40, rate_limit=10, rate_window=1.0)
        stats = sandbox.stats()
    assert got == expected_ids("automate")
    assert stats["responses_429"] == 0


@pytest.mark.slow
def test_a_429_from_the_rate_window_is_waited_out(mode: str) -> None:
    # no client-side cap at all: the server's 429 and Retry-After do the pacing, nothing is lost
    with Sandbox("automate", records=RECORDS, rate_limit=8, rate_window=1.0) as sandbox:
        got = fetch_ids(sandbox, mode, page_size=40, rate_limit=None)
        stats = sandbox.stats()
    assert got == expected_ids("automate")
    assert stats["responses_429"] >= 1
