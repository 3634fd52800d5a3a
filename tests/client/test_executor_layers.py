"""The executor's layers one by one, in process (httpx.MockTransport, fake clocks).

The integration tests against the sandbox over real sockets are in test_executor_sandbox.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading

import httpx
import pytest

from cwa_query import (
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ConditionSyntaxError,
    ConfigurationError,
    F,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TransportError,
    TwoFactorRequiredError,
)
from cwa_query.client import MAX_UNUSED_TOKENS, Page, PagePlan, RateLimiter, RetryPolicy, TokenAuth, api_base_url
from cwa_query.client._answers import api_error, parse_error_body
from cwa_query.client._headers import retry_after
from cwa_query.client._profiles import parse_expiration
from tests.client.executor_fakes import NAME, PASSWORD, SandboxApi

FAST = RetryPolicy(max_retries=4, backoff_base=0.001, backoff_cap=0.005, max_wait=5.0)


def make_client(api: SandboxApi, **options: object) -> Client:
    settings: dict[str, object] = {
        "username": "api",
        "password": PASSWORD,
        "profile": api.profile,
        "client_id": "cid",
        "transport": httpx.MockTransport(api),
        "retry": FAST,
        "rate_limit": None,
        "page_size": 5,
    }
    settings.update(options)
    return Client("http://127.0.0.1:9", **settings)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- server addresses

ADDRESSES = [
    ("automate.example.com", {}, "https://automate.example.com/cwa/api/v1/"),
    ("automate.example.com:8443", {}, "https://automate.example.com:8443/cwa/api/v1/"),
    ("https://automate.example.com", {}, "https://automate.example.com/cwa/api/v1/"),
    ("https://automate.example.com/cwa/api/v1", {}, "https://automate.example.com/cwa/api/v1/"),
    ("https://automate.example.com/cwa/api/v1/", {}, "https://automate.example.com/cwa/api/v1/"),
    ("https://example.com/prefix", {}, "https://example.com/prefix/cwa/api/v1/"),
    ("http://127.0.0.1:8123", {}, "http://127.0.0.1:8123/cwa/api/v1/"),
    ("http://localhost:8123/", {}, "http://localhost:8123/cwa/api/v1/"),
    ("http://[::1]:8123", {}, "http://[::1]:8123/cwa/api/v1/"),
    ("http://10.0.0.5", {"allow_insecure": True}, "http://10.0.0.5/cwa/api/v1/"),
]


@pytest.mark.parametrize(("server", "options", "expected"), ADDRESSES)
def test_server_address_becomes_the_api_root(server: str, options: dict[str, bool], expected: str) -> None:
    assert api_base_url(server, **options) == expected


REFUSED = [
    ("http://automate.example.com", "refusing plain http"),
    ("http://10.0.0.5:80", "refusing plain http"),
    ("http://127.0.0.1.example.com", "refusing plain http"),
    ("", "no server given"),
    ("ftp://example.com", "not a usable server address"),
    ("https://user:pw@example.com", "must not hold credentials"),
]


@pytest.mark.parametrize(("server", "message"), REFUSED)
def test_unusable_server_addresses_are_refused(server: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        Client(server, username="api", password=PASSWORD)
    assert PASSWORD not in str(info.value)


def test_from_env_reads_the_seed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_SERVER", "automate.example.com")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USER", "tech")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASS", PASSWORD)
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_2FA", "123456")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_CLIENT_ID", "cid")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PROFILE", "automate")
    with Client.from_env(page_size=100) as client:
        assert client.base_url == "https://automate.example.com/cwa/api/v1/"
        assert client.profile.name == "automate"
        assert client.auth is not None and client.auth.username == "tech"
        assert client.page_size == 100
        assert PASSWORD not in repr(client) and "123456" not in repr(client.auth)


def test_from_env_prefers_the_integrator_and_needs_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SERVER", "USER", "PASS", "2FA", "CLIENT_ID", "PROFILE"):
        monkeypatch.delenv(f"CONNECTWISE_AUTOMATE_{name}", raising=False)
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USERNAME", "integrator")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASSWORD", PASSWORD)
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USER", "tech")
    with pytest.raises(ConfigurationError, match="CONNECTWISE_AUTOMATE_SERVER"):
        Client.from_env()
    with Client.from_env(server="h.example") as client:
        assert client.auth is not None and client.auth.username == "integrator"
        assert client.profile.name == "automate"  # the default: the real server


# --------------------------------------------------------------------------- error bodies

ERROR_BODIES = [
    (
        b'{"error": {"code": "BadRequest", "message": "Invalid filter", "details": {"field": "condition"}}}',
        400,
        ("BadRequest", "Invalid filter", {"field": "condition"}),
    ),
    (b'{"Message": "Invalid field Foo"}', 400, (None, "Invalid field Foo", None)),
    (b'{"message": "lower case", "ExceptionType": "X"}', 500, (None, "lower case", {"ExceptionType": "X"})),
    (b'"just a string"', 500, (None, "just a string", None)),
    (b"<html>Bad Gateway</html>", 502, (None, "<html>Bad Gateway</html>", None)),
    (b"", 503, (None, "Service Unavailable", None)),
    (b'{"error": "not an object"}', 500, (None, '{"error": "not an object"}', None)),
]


@pytest.mark.parametrize(("content", "status", "expected"), ERROR_BODIES)
def test_both_error_body_shapes_and_text_are_read(content: bytes, status: int, expected: tuple[object, ...]) -> None:
    body = parse_error_body(content, status)
    assert (body.code, body.message, body.details) == expected


ERROR_CLASSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (429, RateLimitedError),
    (500, ServerError),
    (503, ServerError),
]


@pytest.mark.parametrize(("status", "cls"), ERROR_CLASSES)
def test_statuses_map_to_typed_errors(status: int, cls: type[Exception]) -> None:
    request = httpx.Request("GET", "https://h/cwa/api/v1/Computers?condition=x")
    response = httpx.Response(status, json={"Message": "nope"}, request=request, headers={"Retry-After": "7"})
    error = api_error(response)
    assert type(error) is cls
    assert (error.status, error.method, error.path, error.message) == (status, "GET", "/cwa/api/v1/Computers", "nope")
    if isinstance(error, RateLimitedError):
        assert error.retry_after == 7.0


# --------------------------------------------------------------------------- retry policy

POLICY = RetryPolicy(max_retries=3, backoff_base=1.0, backoff_cap=8.0, max_wait=20.0)
RETRY_ROWS = [
    # (status or exception, idempotent, retries so far, waited, expected: None = give up, float = exact, "j" = jitter)
    (503, True, 0, 0.0, "j"),
    (500, True, 2, 0.0, "j"),
    (500, True, 3, 0.0, None),  # budget of retries spent
    (500, False, 0, 0.0, None),  # a POST that may have run is not repeated
    (404, True, 0, 0.0, None),
    (400, True, 0, 0.0, None),
    (429, False, 0, 0.0, 2.0),  # Retry-After: 2, even for a POST
    (429, True, 0, 19.0, None),  # waiting 2 more seconds would pass max_wait
    (httpx.ConnectError("refused"), False, 0, 0.0, "j"),
    (httpx.ReadTimeout("slow"), True, 0, 0.0, "j"),
    (httpx.ReadTimeout("slow"), False, 0, 0.0, None),
    (httpx.RemoteProtocolError("dropped"), True, 1, 0.0, "j"),
]


@pytest.mark.parametrize(("outcome", "idempotent", "retry", "waited", "expected"), RETRY_ROWS)
def test_retry_policy_decisions(
    outcome: int | Exception, idempotent: bool, retry: int, waited: float, expected: object
) -> None:
    rng = random.Random(1)
    if isinstance(outcome, int):
        response = httpx.Response(outcome, headers={"Retry-After": "2"} if outcome == 429 else {})
        wait = POLICY.delay(retry=retry, waited=waited, idempotent=idempotent, response=response, rng=rng)
    else:
        wait = POLICY.delay(retry=retry, waited=waited, idempotent=idempotent, error=outcome, rng=rng)
    if expected == "j":
        assert wait is not None and 0.0 <= wait <= POLICY.backoff_ceiling(retry)
    else:
        assert wait == expected


def test_full_jitter_spreads_over_the_whole_ceiling() -> None:
    rng = random.Random(7)
    waits = [
        POLICY.delay(retry=2, waited=0.0, idempotent=True, error=httpx.ReadError("x"), rng=rng) for _ in range(400)
    ]
    values = [w for w in waits if w is not None]
    assert len(values) == 400
    assert min(values) < 0.5 and max(values) > 3.5 and max(values) <= 4.0


RETRY_AFTER_ROWS = [
    ({"Retry-After": "5"}, 5.0),
    ({"retry-after": "0"}, 0.0),
    ({"X-RateLimit-Reset": "9"}, 9.0),
    ({"Retry-After": "soon", "X-RateLimit-Reset": "4"}, 4.0),
    ({}, None),
]


@pytest.mark.parametrize(("headers", "expected"), RETRY_AFTER_ROWS)
def test_retry_after_reading(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(headers) == expected


def test_retry_after_as_http_date() -> None:
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    wait = retry_after({"Retry-After": moment.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    assert wait is not None and 25 <= wait <= 31


# --------------------------------------------------------------------------- rate limiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_client_cap_is_a_sliding_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, window=10.0, clock=clock)
    assert [limiter.try_acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.try_acquire() == 10.0
    clock.now = 4.0
    assert limiter.try_acquire() == 6.0
    clock.now = 10.0
    assert limiter.try_acquire() == 0.0


def test_server_headers_replace_the_default_cap() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, window=60.0, clock=clock)
    assert limiter.try_acquire() == 0.0
    limiter.release(200, {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99", "X-RateLimit-Reset": "30"})
    assert limiter.following_server
    assert all(limiter.try_acquire() == 0.0 for _ in range(99))  # the default 1/min no longer applies
    wait = limiter.try_acquire()
    assert 30.0 <= wait <= 30.1  # the server's window is used up: wait for its reset, no longer
    clock.now = 30.05
    assert limiter.try_acquire() == 0.0  # a new window


def test_a_user_cap_stays_beside_the_server_figures() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, window=60.0, user_set=True, clock=clock)
    limiter.try_acquire()
    limiter.release(200, {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "999", "X-RateLimit-Reset": "60"})
    assert limiter.try_acquire() == 0.0
    assert limiter.try_acquire() > 0.0


def test_requests_in_flight_count_against_the_servers_remaining() -> None:
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock)
    for _ in range(4):
        limiter.try_acquire()
    # the first answer says 3 remain; the 3 others still in flight may not be counted yet
    limiter.release(200, {"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "5"})
    assert limiter.try_acquire() > 0.0


def test_a_429_pauses_every_request() -> None:
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock)
    limiter.try_acquire()
    limiter.release(429, {"Retry-After": "2"})
    assert limiter.try_acquire() == 2.0
    clock.now = 2.0
    assert limiter.try_acquire() == 0.0


# --------------------------------------------------------------------------- pagination plan

PLAN_ROWS = [
    # (page sizes returned in order, page_size, limit, headers total pages, expected records, pages accepted)
    ([5, 5, 2], 5, None, None, 12, 3),
    ([5, 5, 0], 5, None, None, 10, 3),
    ([5, 5, 5], 5, 12, None, 12, 3),
    ([5, 5], 5, 10, None, 10, 2),
    ([3], 5, None, None, 3, 1),
    ([5, 2, 5, 1], 5, None, 4, 13, 4),  # with headers a short page in the middle does not end the result
    ([5, 5, 5], 5, 7, 3, 7, 2),
    ([0], 5, None, 0, 0, 1),
]


@pytest.mark.parametrize(("sizes", "page_size", "limit", "total_pages", "records", "accepted"), PLAN_ROWS)
def test_page_plan(
    sizes: list[int], page_size: int, limit: int | None, total_pages: int | None, records: int, accepted: int
) -> None:
    plan = PagePlan(page_size=page_size, limit=limit, prefetch=3, paging_headers=total_pages is not None)
    got: list[dict[str, int]] = []
    number = 1
    for size in sizes:
        if plan.done:
            break
        rows = [{"Id": number * 100 + i} for i in range(size)]
        got.extend(plan.accept(Page(number, rows, None, total_pages)))
        number += 1
    assert plan.done
    assert len(got) == records
    assert number - 1 == accepted
    assert len({r["Id"] for r in got}) == len(got)


def test_page_plan_fills_the_window_from_the_start_within_the_limit_and_the_known_end() -> None:
    blind = PagePlan(page_size=2, limit=None, prefetch=8, paging_headers=False)
    assert blind.window() == 8
    assert [blind.schedule() for _ in range(3)] == [1, 2, 3]  # no waiting for page 1 to come back
    limited = PagePlan(page_size=2, limit=5, prefetch=8, paging_headers=False)
    assert [limited.schedule() for _ in range(4)] == [1, 2, 3, None]  # 5 records: 3 pages at most
    known = PagePlan(page_size=2, limit=None, prefetch=8, paging_headers=True)
    assert [known.schedule() for _ in range(2)] == [1, 2]
    known.accept(Page(1, [{}, {}], 6, 3))
    assert [known.schedule() for _ in range(2)] == [3, None]  # X-Total-Pages: 3


def test_page_plan_refuses_pages_out_of_order() -> None:
    plan = PagePlan(page_size=2, limit=None, prefetch=2, paging_headers=False)
    with pytest.raises(ValueError, match="out of order"):
        plan.accept(Page(2, []))


# --------------------------------------------------------------------------- expiration dates

EXPIRATIONS = [
    ("2024-01-01T00:00:00", 1704067200.0),
    ("2024-01-01T00:00:00.500", 1704067200.5),
    ("2024-01-01T00:00:00Z", 1704067200.0),
    ("2024-01-01T02:00:00+02:00", 1704067200.0),
    ("", None),
    (None, None),
    (1704067200, None),
]


@pytest.mark.parametrize(("value", "expected"), EXPIRATIONS)
def test_expiration_date_naive_means_utc(value: object, expected: float | None) -> None:
    assert parse_expiration(value) == expected


# --------------------------------------------------------------------------- auth flow (in process)


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_login_once_then_reuse_the_token(profile: str) -> None:
    api = SandboxApi(profile, records=12, client_id="cid")
    with make_client(api) as client:
        assert len(client.get_all("Computers")) == 12
        assert len(client.get_all("Computers")) == 12
    assert api.logins == 1
    if profile == "automate":
        assert all(call.headers.get("ClientId") == "cid" for call in api.calls)


def test_concurrent_first_requests_share_one_login() -> None:
    api = SandboxApi("seed", records=5)
    with make_client(api) as client:
        results = client.batch(lambda n: client.get("Computers", {"page": 1, "pageSize": 5}), range(20))
    assert len(results) == 20
    assert api.logins == 1


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_two_factor_code_is_sent_the_profiles_way(profile: str) -> None:
    api = SandboxApi(profile, records=3, two_factor="424242", client_id="cid")
    with make_client(api, two_factor_code="424242") as client:
        assert len(client.get_all("Computers")) == 3
    logins = [call for call in api.calls if b"Password" in call.content]
    assert len(logins) == (1 if profile == "seed" else 2)
    assert (b"TwoFactorCode" in logins[0].content) == (profile == "seed")
    with make_client(api) as client, pytest.raises(TwoFactorRequiredError) as info:
        client.get_all("Computers")
    assert PASSWORD not in str(info.value)


def test_wrong_password_is_an_authentication_error_without_the_password() -> None:
    api = SandboxApi("automate", client_id="cid")
    with make_client(api, password="Wrong-Secret-9") as client, pytest.raises(AuthenticationError) as info:
        client.get_all("Computers")
    assert "Wrong-Secret-9" not in str(info.value) and "login refused" in str(info.value)


def test_a_401_logs_in_again_and_a_refused_fresh_token_is_not_a_loop() -> None:
    refusals = {"left": 1}

    def script(request: httpx.Request, n: int) -> httpx.Response | None:
        if request.url.path.endswith("Computers") and refusals["left"] > 0:
            refusals["left"] -= 1
            return httpx.Response(401, json={"Message": "expired"})
        return None

    api = SandboxApi("seed", records=3, script=script)
    with make_client(api) as client:
        assert len(client.get_all("Computers")) == 3
    assert api.logins == 2

    refusals["left"] = 10**6
    api = SandboxApi("seed", records=3, script=script)
    with make_client(api) as client, pytest.raises(AuthenticationError):
        client.get("Computers")
    assert api.logins == MAX_UNUSED_TOKENS  # a bounded number of logins, never a loop
    assert sum(1 for call in api.calls if call.url.path.endswith("Computers")) == MAX_UNUSED_TOKENS


def test_missing_client_id_is_explained() -> None:
    api = SandboxApi("automate", client_id="cid")
    with make_client(api, client_id=None) as client, pytest.raises(AuthenticationError, match="ClientId"):
        client.get_all("Computers")


def test_token_is_renewed_before_it_expires() -> None:
    now = [1_000_000.0]
    auth = TokenAuth("http://127.0.0.1/cwa/api/v1", "seed", username="api", password=PASSWORD, clock=lambda: now[0])
    api = SandboxApi("seed", records=2, token_ttl=3600)
    http = httpx.Client(base_url="http://127.0.0.1/cwa/api/v1/", transport=httpx.MockTransport(api), auth=auth)
    http.get("Computers")
    now[0] += 3600 - 301  # more than 5 minutes before expiry: the token is still used
    http.get("Computers")
    assert api.logins == 1
    now[0] += 2  # within 5 minutes of expiry: renewed first
    http.get("Computers")
    assert api.logins == 2
    http.close()


def test_short_lived_tokens_renew_at_half_their_life() -> None:
    now = [0.0]
    auth = TokenAuth("http://127.0.0.1/cwa/api/v1", "seed", username="api", password=PASSWORD, clock=lambda: now[0])
    api = SandboxApi("seed", records=2, token_ttl=60)
    http = httpx.Client(base_url="http://127.0.0.1/cwa/api/v1/", transport=httpx.MockTransport(api), auth=auth)
    http.get("Computers")
    now[0] = 29.0
    http.get("Computers")
    now[0] = 31.0
    http.get("Computers")
    assert api.logins == 2
    http.close()


def test_auth_and_client_reprs_hide_secrets() -> None:
    api = SandboxApi("automate", client_id="cid", two_factor="987654")
    with make_client(api, two_factor_code="987654") as client:
        client.get_all("Computers")
        text = repr(client) + repr(client.auth) + str(client.auth) + repr(vars(client))
        assert isinstance(client.auth, TokenAuth) and client.auth.grant is not None
        token = client.auth.grant.access_token
    assert PASSWORD not in text and "987654" not in text and token not in text


# --------------------------------------------------------------------------- query strings


def test_conditions_are_rendered_for_the_profile_and_percent_encoded() -> None:
    for profile, expected in [
        ("seed", "condition=Name%20startswith%20%27PC_%25%27"),
        ("automate", "condition=ComputerName%20like%20%27PC%5C_%5C%25%25%27"),
    ]:
        api = SandboxApi(profile, records=1, client_id="cid")
        with make_client(api) as client:
            assert client.get_all("Computers", F[NAME[profile]].startswith("PC_%")) == []
        raw = [call.url.query.decode() for call in api.calls if call.url.path.endswith("Computers")]
        assert expected in raw[0], raw[0]
        assert "+" not in raw[0]


def test_other_parameters_are_encoded_too() -> None:
    api = SandboxApi("automate", records=1, client_id="cid")
    with make_client(api) as client:
        client.get_all(
            "Computers",
            "ComputerName like '%a b%'",
            order_by="ComputerName desc",
            include_fields=["Id", "Client.Name"],
            exclude_fields="Location",
            expand="Client",
            page_size=7,
        )
    query = next(c for c in api.calls if c.url.path.endswith("Computers")).url.query.decode()
    assert query == (
        "page=1&pageSize=7&condition=ComputerName%20like%20%27%25a%20b%25%27&orderBy=ComputerName%20desc"
        "&includeFields=Id%2CClient.Name&excludeFields=Location&expand=Client"
    )


def test_a_bad_condition_fails_before_any_request() -> None:
    api = SandboxApi("seed")
    with make_client(api) as client:
        with pytest.raises(ConditionSyntaxError):
            client.iter_records("Computers", "Status == 'Online'")
        with pytest.raises(ConfigurationError, match="page_size"):
            client.iter_records("Computers", page_size=1001)
        with pytest.raises(ConfigurationError, match="not an API path"):
            client.get("../admin")
    assert api.calls == []


# --------------------------------------------------------------------------- retries (in process)


def test_faults_are_retried_and_pages_come_once_in_order() -> None:
    rng = random.Random(5)
    lock = threading.Lock()

    def script(request: httpx.Request, n: int) -> httpx.Response | Exception | None:
        if not request.url.path.endswith("Computers"):
            return None
        with lock:
            roll = rng.random()
        if roll < 0.1:
            return httpx.Response(503, json={"Message": "busy"})
        if roll < 0.2:
            return httpx.ReadError("connection reset")
        if roll < 0.25:
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"Message": "slow down"})
        return None

    for profile in ("seed", "automate"):
        api = SandboxApi(profile, records=57, script=script, client_id="cid")
        with make_client(api, retry=RetryPolicy(max_retries=8, backoff_base=0.001, backoff_cap=0.002)) as client:
            ids = api.ids(list(client.iter_records("Computers", page_size=4)))
        assert ids == list(range(1, 58))


def test_retry_budget_spent_raises_typed_errors() -> None:
    api = SandboxApi(
        "seed",
        script=lambda r, n: (
            httpx.Response(500, json={"error": {"code": "E", "message": "boom"}})
            if r.url.path.endswith("Computers")
            else None
        ),
    )
    with make_client(api) as client, pytest.raises(ServerError, match="boom"):
        client.get_all("Computers")
    calls = [c for c in api.calls if c.url.path.endswith("Computers") and c.url.params.get("page") == "1"]
    assert len(calls) == FAST.max_retries + 1  # each page: the first attempt and every retry, no more

    api = SandboxApi("seed", script=lambda r, n: httpx.ConnectError("refused"))
    with make_client(api) as client, pytest.raises(TransportError, match="ConnectError") as info:
        client.get_all("Computers")
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_run_script_is_not_repeated_after_a_5xx() -> None:
    api = SandboxApi(
        "seed", script=lambda r, n: httpx.Response(502) if r.method == "POST" and "Execute" in r.url.path else None
    )
    with make_client(api) as client, pytest.raises(ServerError):
        client.run_script(1, 2, {"a": "b"})
    executes = [c for c in api.calls if "Execute" in c.url.path]
    assert len(executes) == 1
    assert executes[0].content == b'{"Parameters":{"a":"b"}}'


# --------------------------------------------------------------------------- logging


def test_each_call_is_logged_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    api = SandboxApi("automate", records=6, client_id="cid")
    caplog.set_level(logging.DEBUG, logger="cwa_query")
    with make_client(api) as client:
        client.get_all("Computers", "ComputerName like '%PC%'")
        assert isinstance(client.auth, TokenAuth) and client.auth.grant is not None
        token = client.auth.grant.access_token
    text = caplog.text
    assert "GET /cwa/api/v1/Computers page=1 condition=\"ComputerName like '%PC%'\" -> 200" in text
    assert "login POST /cwa/api/v1/apitoken -> 200" in text
    assert "0 retries" in text
    for secret in (PASSWORD, token, "Bearer", "Authorization"):
        assert secret not in text
    record = next(r for r in caplog.records if getattr(r, "cwa_path", "").endswith("Computers"))
    assert record.cwa_status == 200 and record.cwa_retries == 0  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- async (in process)


@pytest.mark.anyio
async def test_async_client_has_the_same_surface() -> None:
    for profile in ("seed", "automate"):
        api = SandboxApi(profile, records=23, client_id="cid")
        async with AsyncClient(
            "http://127.0.0.1:9",
            username="api",
            password=PASSWORD,
            client_id="cid",
            profile=profile,
            transport=httpx.MockTransport(api),
            rate_limit=None,
            page_size=5,
        ) as client:
            assert api.ids([r async for r in client.iter_records("Computers")]) == list(range(1, 24))
            assert len(await client.get_all("Computers", limit=7)) == 7
            pages = [page.number async for page in client.iter_pages("Computers")]
            assert pages == [1, 2, 3, 4, 5]
            assert api.ids(await client.get("Computers", {"page": 2, "pageSize": 2})) == [3, 4]
            results = await client.batch(lambda n: client.get("Computers", {"page": n, "pageSize": 1}), [1, 2, 3])
            assert [api.ids(r)[0] for r in results] == [1, 2, 3]
        assert api.logins == 1


def test_transports_share_one_verified_tls_context() -> None:
    # reading the CA bundle took tens of milliseconds for every new client; one context now
    # serves them all, with httpx's default verification
    import ssl

    from cwa_query.client._bounds import http_transport, verified_tls

    context = verified_tls()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0  # a CA bundle is loaded
    pools = [getattr(http_transport(httpx.Limits()), "_pool", None) for _ in range(2)]
    assert [getattr(pool, "_ssl_context", None) for pool in pools] == [context, context]


@pytest.mark.parametrize(
    ("profile", "code", "kind", "message", "error_code"),
    [
        ("automate", None, TwoFactorRequiredError, "the account needs a two-factor code", "TwoFactorRequired"),
        ("seed", "000000", AuthenticationError, "the server refused the two-factor code", None),
    ],
)
def test_a_login_answer_that_still_asks_for_two_factor_names_the_login(
    profile: str, code: str | None, kind: type[AuthenticationError], message: str, error_code: str | None
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"IsTwoFactorRequired": True})

    auth = TokenAuth("https://h/cwa/api/v1/", profile, username=NAME, password=PASSWORD, two_factor_code=code)
    with httpx.Client(transport=httpx.MockTransport(answer), auth=auth) as http, pytest.raises(kind) as info:
        http.get("https://h/cwa/api/v1/Computers")
    error = info.value
    assert type(error) is kind and error.message.startswith(message)
    assert (error.status, error.code, error.method) == (200, error_code, "POST")
    assert error.path == f"/cwa/api/v1/{'APICredentials' if profile == 'seed' else 'apitoken'}"
    assert PASSWORD not in str(error) and (code is None or code not in str(error))


def test_client_and_page_plan_refuse_windows_below_one() -> None:
    for option in ("prefetch", "first_window"):
        with pytest.raises(ConfigurationError, match=f"^{option} must be at least 1, not 0$"):
            Client("127.0.0.1", **{option: 0})  # type: ignore[arg-type]
    for option in ("page_size", "prefetch", "first_window"):
        settings = {"page_size": 10, "limit": None, "prefetch": 2, "paging_headers": False, option: 0}
        with pytest.raises(ValueError, match=f"^{option} must be at least 1, not 0$"):
            PagePlan(**settings)  # type: ignore[arg-type]
