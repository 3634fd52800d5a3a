"""The automate profile over a real socket: ClientId, apitoken, two-step 2FA, refresh, bare arrays,
orderBy, includeFields/excludeFields, dotted and case-insensitive fields, {"Message"} errors."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from cwa_query import evaluate
from cwa_query.sandbox import Sandbox, dataset
from tests.sandbox.sandbox_helpers import RECORDS, FakeClock, automate_login, socket_client

CREDS = {"UserName": "sandbox", "Password": "sandbox"}


def computers() -> list[dict[str, object]]:
    return dataset("automate", RECORDS, 7).collection("Computers")


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/apitoken"), ("GET", "/Computers"), ("GET", "/Computers/1"), ("POST", "/apitoken/refresh")],
)
def test_missing_client_id_is_401_on_every_call(automate_sandbox: Sandbox, method: str, path: str) -> None:
    with socket_client(automate_sandbox) as client:
        answer = client.request(method, path, json=CREDS)
    assert (answer.status_code, answer.json()) == (401, {"Message": "The ClientId header is required"})


def test_configured_client_id_must_match() -> None:
    with Sandbox("automate", 5, client_id="abc-123") as sandbox, socket_client(sandbox) as client:
        wrong = client.post("/apitoken", json=CREDS, headers={"ClientId": "other"})
        right = client.post("/apitoken", json=CREDS, headers={"ClientId": "abc-123"})
    assert (wrong.status_code, wrong.json()) == (401, {"Message": "Unknown ClientId"})
    assert right.status_code == 200
    assert sandbox.credentials.client_id == "abc-123"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/apitoken", {"UserName": "sandbox", "Password": "sandbox"}),
        ("/APIToken", {"username": "sandbox", "password": "sandbox"}),
        ("/APITOKEN", {"USERNAME": "sandbox", "PASSWORD": "sandbox"}),
    ],
)
def test_apitoken_path_and_fields_are_case_insensitive(
    automate_sandbox: Sandbox, path: str, body: dict[str, str]
) -> None:
    headers = {"ClientId": automate_sandbox.credentials.client_id}
    with socket_client(automate_sandbox, headers=headers) as client:
        answer = client.post(path, json=body)
    token = answer.json()
    assert answer.status_code == 200
    assert token["TokenType"] == "Bearer"
    assert token["IsTwoFactorRequired"] is False
    expires = dt.datetime.fromisoformat(token["ExpirationDate"])
    assert expires.tzinfo is None  # no offset, as the real server
    assert dt.timedelta(minutes=55) < expires - dt.datetime.now(dt.UTC).replace(tzinfo=None) <= dt.timedelta(hours=1)
    assert {"AbsoluteExpirationDate", "UserId", "InternalUserName"} <= set(token)


def test_two_factor_is_two_steps() -> None:
    with Sandbox("automate", 5, two_factor_code="135790") as sandbox:
        headers = {"ClientId": sandbox.credentials.client_id}
        with socket_client(sandbox, headers=headers) as client:
            first = client.post("/apitoken", json=CREDS)
            wrong = client.post("/apitoken", json={**CREDS, "TwoFactorPasscode": "000000"})
            second = client.post("/apitoken", json={**CREDS, "TwoFactorPasscode": "135790"})
            listing = client.get("/Scripts", headers={"Authorization": f"Bearer {second.json()['AccessToken']}"})
    assert first.status_code == 200
    assert (first.json()["IsTwoFactorRequired"], first.json()["AccessToken"]) == (True, None)
    assert (wrong.status_code, wrong.json()) == (401, {"Message": "Invalid two-factor passcode"})
    assert (second.json()["IsTwoFactorRequired"], listing.status_code) == (False, 200)


def test_refresh_takes_the_token_as_a_json_string(automate_sandbox: Sandbox) -> None:
    with socket_client(automate_sandbox) as client:
        token = automate_login(client, automate_sandbox)
        refreshed = client.post("/apitoken/refresh", json=token)
        as_object = client.post("/apitoken/refresh", json={"Token": token})
        unknown = client.post("/apitoken/refresh", json="nope")
    assert refreshed.status_code == 200
    assert refreshed.json()["AccessToken"] not in (None, token)
    assert as_object.status_code == 400
    assert unknown.status_code == 401


def test_expired_token_cannot_be_refreshed() -> None:
    clock = FakeClock()
    with Sandbox("automate", 5, token_ttl=60, clock=clock) as sandbox, socket_client(sandbox) as client:
        token = automate_login(client, sandbox)
        clock.advance(61)
        listing = client.get("/Computers")
        refresh = client.post("/apitoken/refresh", json=token)
    assert (listing.status_code, listing.json()) == (401, {"Message": "The access token has expired"})
    assert refresh.status_code == 401


def test_lists_are_bare_arrays_without_paging_headers(automate_client: httpx.Client) -> None:
    answer = automate_client.get("/Computers", params={"pageSize": 30, "page": 2})
    assert answer.status_code == 200
    assert [item["Id"] for item in answer.json()] == [str(n) for n in range(31, 61)]  # strings, as the document says
    assert not {"x-total-count", "x-page", "x-total-pages", "x-ratelimit-limit"} & set(answer.headers)


def test_paging_to_a_short_page_visits_everything(automate_client: httpx.Client) -> None:
    ids: list[int] = []
    page = 1
    while True:
        items = automate_client.get("/Computers", params={"page": page, "pageSize": 64}).json()
        ids.extend(int(item["Id"]) for item in items)
        if len(items) < 64:
            break
        page += 1
    assert ids == list(range(1, RECORDS + 1))


@pytest.mark.parametrize(
    "condition",
    [
        "Client.Id = 2",
        "Client.Id = '3'",
        "client.id = 1 and status = 'Online'",
        "OpenPortsTCP contains 443",
        "LoggedInUsers.LoggedInUserName like 'o''%'",
        "ComputerName like 'MÜN%' or Comment like '%\\_%'",
        "OperatingSystemName like \"%Server%\" AND Type eq 'Server'",
        "RemoteAgentLastContact <= 2024-02-01T00:00:00Z",
        "RemoteAgentLastContact >= 2024-02-20T00:00:00",
        "Status not in ('Online') and IsVirtualMachine = true",
        "VirusScanner.Name not like '%Defender%'",
        "Location.Name IN ('HQ', 'Lab')",
    ],
)
def test_condition_selects_what_the_evaluator_selects(automate_client: httpx.Client, condition: str) -> None:
    expected = [r["Id"] for r in computers() if evaluate(condition, r)]
    answer = automate_client.get("/Computers", params={"condition": condition, "pageSize": 1000})
    assert answer.status_code == 200, answer.text
    assert [item["Id"] for item in answer.json()] == expected
    assert 0 < len(expected) < RECORDS


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"condition": "Colour = 'red'"}, "Invalid field 'Colour' in the condition"),
        ({"condition": "Client.Colour = 1"}, "Invalid field 'Client.Colour' in the condition"),
        ({"orderBy": "Colour asc"}, "Invalid field 'Colour' in orderBy"),
        ({"orderBy": "ComputerName sideways"}, "orderBy direction must be asc or desc, got 'sideways'"),
        ({"includeFields": "Id,Colour"}, "Invalid field 'Colour' in includeFields"),
        ({"pageSize": 5000}, "pageSize must be between 1 and 1000, got 5000"),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    automate_client: httpx.Client, params: dict[str, object], message: str
) -> None:
    answer = automate_client.get("/Computers", params=params)
    assert (answer.status_code, answer.json()) == (400, {"Message": message})


def test_bad_condition_message_has_the_column(automate_client: httpx.Client) -> None:
    answer = automate_client.get("/Computers", params={"condition": "Status = 'Online' &&"})
    assert answer.status_code == 400
    assert "column 19" in answer.json()["Message"]


@pytest.mark.parametrize(
    ("order", "key", "reverse"),
    [
        ("ComputerName asc", lambda r: r["ComputerName"].lower(), False),
        ("computername DESC", lambda r: r["ComputerName"].lower(), True),
        ("Client.Name", lambda r: r["Client"]["Name"].lower(), False),
        ("TotalMemory desc", lambda r: r["TotalMemory"], True),
    ],
)
def test_order_by(automate_client: httpx.Client, order: str, key: object, reverse: bool) -> None:
    expected = [r["Id"] for r in sorted(computers(), key=key, reverse=reverse)]  # type: ignore[arg-type]
    answer = automate_client.get("/Computers", params={"orderBy": order, "pageSize": 1000})
    assert [item["Id"] for item in answer.json()] == expected


def test_order_by_two_keys(automate_client: httpx.Client) -> None:
    answer = automate_client.get("/Computers", params={"orderBy": "Status desc, Id desc", "pageSize": 1000})
    pairs = [(item["Status"], int(item["Id"])) for item in answer.json()]
    assert pairs == sorted(pairs, key=lambda p: (p[0] != "Online", -p[1]))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"includeFields": "Id,ComputerName"}, {"Id": 3, "ComputerName": "?"}),
        ({"includeFields": ["Id", "client.name"]}, {"Id": 3, "Client": {"Name": "?"}}),
        ({"includeFields": "Id,LoggedInUsers.ConsoleId"}, {"Id": 3, "LoggedInUsers": "?"}),
    ],
)
def test_include_fields(automate_client: httpx.Client, params: dict[str, object], expected: dict[str, object]) -> None:
    item = automate_client.get("/Computers/3", params=params).json()
    record = computers()[2]
    assert set(item) == set(expected)
    if "Client" in expected:
        assert item["Client"] == {"Name": record["Client"]["Name"]}  # type: ignore[index]
    if "LoggedInUsers" in expected:
        assert item["LoggedInUsers"] == [{"ConsoleId": u["ConsoleId"]} for u in record["LoggedInUsers"]]  # type: ignore[attr-defined]


def test_exclude_fields_on_a_list(automate_client: httpx.Client) -> None:
    items = automate_client.get(
        "/Computers", params={"excludeFields": "Client.Name,OpenPortsTCP", "pageSize": 3}
    ).json()
    for item, record in zip(items, computers(), strict=False):
        assert item["Client"] == {"Id": record["Client"]["Id"]}  # type: ignore[index]
        assert "OpenPortsTCP" not in item
        assert item["ComputerName"] == record["ComputerName"]


@pytest.mark.parametrize(
    ("path", "field"),
    [("/computers/4", "Id"), ("/Clients/2", "Id"), ("/ALERTS/3", "AlertId"), ("/Scripts/9", "Id")],
)
def test_get_one_and_case_insensitive_paths(automate_client: httpx.Client, path: str, field: str) -> None:
    answer = automate_client.get(path)
    assert answer.status_code == 200
    assert str(answer.json()[field]) == path.rsplit("/", 1)[1]


def test_dates_travel_without_an_offset(automate_client: httpx.Client) -> None:
    item = automate_client.get("/Computers/1").json()
    assert dt.datetime.fromisoformat(item["RemoteAgentLastContact"]).tzinfo is None


def test_errors_are_message_bodies(automate_client: httpx.Client) -> None:
    missing = automate_client.get("/Computers/99999")
    unknown = automate_client.get("/Nothing")
    assert (missing.status_code, list(missing.json())) == (404, ["Message"])
    assert (unknown.status_code, list(unknown.json())) == (404, ["Message"])


def test_execute_script_is_the_batch_endpoint(automate_client: httpx.Client) -> None:
    body = {
        "EntityType": "Computer",
        "EntityIds": [2],
        "ScriptId": 4,
        "Parameters": [{"Key": "Path", "Value": "C:\\Temp"}],
    }
    answer = automate_client.post("/Batch/ScriptExecute", json=body)
    assert answer.status_code == 200
    assert answer.json()["ScriptResults"][0]["EntityId"] == 2
    # the seed document's path is not the real server's: the automate profile does not serve it
    assert automate_client.post("/Computers/2/Scripts/4/Execute", json={}).status_code == 404


def test_ids_parameter(automate_client: httpx.Client) -> None:
    answer = automate_client.get("/Computers", params={"ids": "5,3,9"})
    assert [item["Id"] for item in answer.json()] == ["3", "5", "9"]
