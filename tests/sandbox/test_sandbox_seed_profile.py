"""The seed profile over a real socket: auth, every endpoint, paging and rate-limit headers, errors."""

from __future__ import annotations

import httpx
import pytest

from cwa_query import evaluate
from cwa_query.sandbox import Sandbox, dataset
from tests.sandbox.sandbox_helpers import RECORDS, FakeClock, seed_login, socket_client

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
PAGING_HEADERS = ("X-Total-Count", "X-Page", "X-Page-Size", "X-Total-Pages")


def test_login_answer_has_the_seed_fields(seed_sandbox: Sandbox) -> None:
    with socket_client(seed_sandbox) as client:
        answer = client.post("/APICredentials", json={"Username": "sandbox", "Password": "sandbox"})
    body = answer.json()
    assert answer.status_code == 200
    assert set(body) == {"AccessToken", "TokenType", "ExpiresIn", "RefreshToken", "UserID", "Username"}
    assert (body["TokenType"], body["ExpiresIn"], body["Username"]) == ("Bearer", 14400, "sandbox")
    assert all(answer.headers.get(name) for name in RATE_HEADERS)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"Username": "sandbox", "Password": "wrong"}, 401, "Unauthorized"),
        ({"Username": "nobody", "Password": "sandbox"}, 401, "Unauthorized"),
        ({"Username": "sandbox"}, 400, "BadRequest"),
        ({"Username": "sandbox", "Password": 5}, 400, "BadRequest"),
        (["sandbox", "sandbox"], 400, "BadRequest"),
    ],
)
def test_bad_logins(seed_sandbox: Sandbox, body: object, status: int, code: str) -> None:
    with socket_client(seed_sandbox) as client:
        answer = client.post("/APICredentials", json=body)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert (error["code"], set(error)) == (code, {"code", "message", "details"})
    assert "sandbox" not in error["message"]  # never echoes credentials


def test_refresh_gives_a_new_working_token_and_uses_up_the_old_refresh_token(seed_sandbox: Sandbox) -> None:
    with socket_client(seed_sandbox) as client:
        first = client.post("/APICredentials", json={"Username": "sandbox", "Password": "sandbox"}).json()
        refreshed = client.post("/APICredentials/Refresh", json={"RefreshToken": first["RefreshToken"]})
        again = client.post("/APICredentials/Refresh", json={"RefreshToken": first["RefreshToken"]})
        token = refreshed.json()["AccessToken"]
        listing = client.get("/Scripts", headers={"Authorization": f"Bearer {token}"})
    assert refreshed.status_code == 200
    assert token != first["AccessToken"]
    assert refreshed.json()["RefreshToken"] != first["RefreshToken"]
    assert again.status_code == 401
    assert listing.status_code == 200


def test_two_factor_code_is_required_up_front() -> None:
    with Sandbox(profile="seed", records=5, two_factor_code="246810") as sandbox, socket_client(sandbox) as client:
        missing = client.post("/APICredentials", json={"Username": "sandbox", "Password": "sandbox"})
        wrong = client.post(
            "/APICredentials", json={"Username": "sandbox", "Password": "sandbox", "TwoFactorCode": "000000"}
        )
        token = seed_login(client, sandbox)  # sends the code from sandbox.credentials
    assert (missing.status_code, missing.json()["error"]["details"]) == (401, {"twoFactorRequired": True})
    assert wrong.status_code == 401
    assert token


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing bearer token"),
        ({"Authorization": "Bearer not-a-token"}, "Invalid access token"),
        ({"Authorization": "Basic c2FuZGJveDpzYW5kYm94"}, "Missing bearer token"),
    ],
)
def test_calls_without_a_valid_token_get_401(seed_sandbox: Sandbox, headers: dict[str, str], message: str) -> None:
    with socket_client(seed_sandbox) as client:
        answer = client.get("/Computers", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"]["message"].startswith(message)
    assert "WWW-Authenticate" in answer.headers
    assert all(answer.headers.get(name) for name in RATE_HEADERS)


def test_token_expiry() -> None:
    clock = FakeClock()
    with Sandbox(profile="seed", records=5, token_ttl=60, clock=clock) as sandbox, socket_client(sandbox) as client:
        seed_login(client, sandbox)
        fresh = client.get("/Clients")
        clock.advance(60)
        stale = client.get("/Clients")
    assert fresh.status_code == 200
    assert (stale.status_code, stale.json()["error"]["message"]) == (401, "The access token has expired")


@pytest.mark.parametrize(
    ("collection", "id_field", "total"),
    [
        ("Computers", "ComputerID", RECORDS),
        ("Clients", "ClientID", max(3, RECORDS // 50)),
        ("Alerts", "AlertID", RECORDS // 2),
        ("Scripts", "ScriptID", 25),
    ],
)
def test_lists_page_through_everything_with_paging_headers(
    seed_client: httpx.Client, collection: str, id_field: str, total: int
) -> None:
    seen: list[int] = []
    page, pages = 1, 1
    while page <= pages:
        answer = seed_client.get(f"/{collection}", params={"page": page, "pageSize": 30})
        assert answer.status_code == 200
        headers = answer.headers
        assert (headers["X-Total-Count"], headers["X-Page"], headers["X-Page-Size"]) == (str(total), str(page), "30")
        pages = int(headers["X-Total-Pages"])
        seen.extend(item[id_field] for item in answer.json())
        page += 1
    assert seen == list(range(1, total + 1))
    assert pages == -(-total // 30)


def test_default_page_size_is_50_and_a_page_past_the_end_is_empty(seed_client: httpx.Client) -> None:
    first = seed_client.get("/Computers")
    past = seed_client.get("/Computers", params={"page": 99})
    assert (len(first.json()), first.headers["X-Page-Size"], first.headers["X-Page"]) == (50, "50", "1")
    assert (past.status_code, past.json(), past.headers["X-Total-Count"]) == (200, [], str(RECORDS))


@pytest.mark.parametrize(
    "condition",
    [
        "Status = 'Online'",
        "ClientID = 2 and Status in ('Online','Offline')",
        "OS contains 'Server' and Status = 'Online'",
        "Name startswith 'ACME'",
        "Name endswith '01'",
        "TotalMemory < 8192 or DiskFreePercent <= 10",
        "not (Status = 'Offline')",
        "LastContact >= '2024-02-14'",
        "Comment like '%\\%%'",
        "Comment = 'Joe''s laptop'",
        "status = 'online' AND clientid >= 3",
    ],
)
def test_condition_selects_what_the_evaluator_selects(seed_client: httpx.Client, condition: str) -> None:
    records = dataset("seed", RECORDS, 7).collection("Computers")
    expected = [r["ComputerID"] for r in records if evaluate(condition, r)]
    answer = seed_client.get("/Computers", params={"condition": condition, "pageSize": 1000})
    assert answer.status_code == 200, answer.text
    assert [item["ComputerID"] for item in answer.json()] == expected
    assert answer.headers["X-Total-Count"] == str(len(expected))
    assert len(expected) < RECORDS


def test_percent_and_plus_in_a_condition_arrive_decoded(seed_client: httpx.Client) -> None:
    # "%25" is a percent, "%2B" a plus, "+" a space: written by hand, not by httpx.
    answer = seed_client.get("/Computers?pageSize=1000&condition=Comment+like+%27100%25%5F%25%27")
    assert answer.status_code == 200
    assert {item["Comment"] for item in answer.json()} == {"100%_match"}


@pytest.mark.parametrize(
    ("condition", "column"),
    [
        ("Status == 'Online'", 9),
        ("Status = 'Online", 10),
        ("(Status = 'Online'", 19),
    ],
)
def test_bad_condition_is_400_with_message_and_column(seed_client: httpx.Client, condition: str, column: int) -> None:
    answer = seed_client.get("/Computers", params={"condition": condition})
    error = answer.json()["error"]
    assert (answer.status_code, error["code"]) == (400, "BadRequest")
    assert error["message"].startswith("Invalid filter syntax in condition parameter:")
    assert f"column {column}" in error["message"]
    assert (error["details"]["field"], error["details"]["value"], error["details"]["column"]) == (
        "condition",
        condition,
        column,
    )


def test_unknown_field_is_400(seed_client: httpx.Client) -> None:
    answer = seed_client.get("/Computers", params={"condition": "Colour = 'red'"})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Invalid field 'Colour' in the condition"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pageSize": 1001}, "pageSize"),
        ({"pageSize": 0}, "pageSize"),
        ({"pageSize": "ten"}, "pageSize"),
        ({"page": 0}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "1.5"}, "page"),
    ],
)
def test_bad_paging_is_400(seed_client: httpx.Client, params: dict[str, object], field: str) -> None:
    answer = seed_client.get("/Computers", params=params)
    assert answer.status_code == 400
    assert answer.json()["error"]["details"]["field"] == field


def test_page_size_1000_is_allowed(seed_client: httpx.Client) -> None:
    answer = seed_client.get("/Computers", params={"pageSize": 1000})
    assert (answer.status_code, len(answer.json())) == (200, RECORDS)


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/Computers/7", "ComputerID", 7),
        ("/Clients/2", "ClientID", 2),
        ("/Alerts/3", "AlertID", 3),
        ("/Scripts/25", "ScriptID", 25),
    ],
)
def test_get_one(seed_client: httpx.Client, path: str, field: str, value: int) -> None:
    answer = seed_client.get(path)
    assert answer.status_code == 200
    assert answer.json()[field] == value
    assert "X-Total-Count" not in answer.headers
    assert all(answer.headers.get(name) for name in RATE_HEADERS)


@pytest.mark.parametrize("path", ["/Computers/0", f"/Computers/{RECORDS + 1}", "/Computers/abc", "/Scripts/26"])
def test_get_one_missing_is_404(seed_client: httpx.Client, path: str) -> None:
    answer = seed_client.get(path)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "NotFound")


def test_execute_script(seed_client: httpx.Client) -> None:
    answer = seed_client.post("/Computers/5/Scripts/3/Execute", json={"Parameters": {"Force": True, "Delay": 5}})
    body = answer.json()
    assert answer.status_code == 200
    assert (body["ComputerID"], body["ScriptID"], body["Status"], body["Parameters"]) == (
        5,
        3,
        "Queued",
        {"Force": True, "Delay": 5},
    )
    assert isinstance(body["ExecutionID"], int)
    assert seed_client.post("/Computers/5/Scripts/3/Execute").status_code == 200  # no body at all


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/Computers/9999/Scripts/3/Execute", {}, 404),
        ("/Computers/5/Scripts/99/Execute", {}, 404),
        ("/Computers/5/Scripts/3/Execute", {"Parameters": [1, 2]}, 400),
        ("/Computers/5/Scripts/3/Execute", {"Parameters": {"a": {"nested": 1}}}, 400),
        ("/Computers/5/Scripts/3/Execute", "just text", 400),
    ],
)
def test_execute_bad_input(seed_client: httpx.Client, path: str, body: object, status: int) -> None:
    assert seed_client.post(path, json=body).status_code == status


def test_rate_limit_headers_count_down_and_auth_calls_are_not_counted() -> None:
    with Sandbox(profile="seed", records=5, rate_limit=5, rate_window=60) as sandbox, socket_client(sandbox) as client:
        seed_login(client, sandbox)
        remaining = [client.get("/Scripts").headers["X-RateLimit-Remaining"] for _ in range(3)]
        seed_login(client, sandbox)
        after_login = client.get("/Scripts").headers
    assert remaining == ["4", "3", "2"]
    assert (after_login["X-RateLimit-Limit"], after_login["X-RateLimit-Remaining"]) == ("5", "1")
    assert 0 < int(after_login["X-RateLimit-Reset"]) <= 60


def test_paths_are_case_sensitive_in_the_seed_profile(seed_client: httpx.Client) -> None:
    assert seed_client.get("/computers").status_code == 404
