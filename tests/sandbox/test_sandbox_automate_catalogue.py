"""The automate profile as the catalogue describes it: every endpoint, both parameter spellings,
the real server's strictness, the actions, and the options that go with them (issue 12)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import httpx
import pytest

from cwa_query import evaluate, lint
from cwa_query.errors import ConfigurationError
from cwa_query.sandbox import Sandbox, SandboxConfig, dataset
from cwa_query.sandbox._automate import CACHED_PARENTS
from cwa_query.schema import builtin_schema
from tests.sandbox.sandbox_helpers import automate_login, seed_login, socket_client

RECORDS = 120
SEED = 3


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("automate", RECORDS, SEED) as running:
        yield running


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with socket_client(sandbox) as http:
        automate_login(http, sandbox)
        yield http


def computers() -> list[dict[str, object]]:
    return dataset("automate", RECORDS, SEED).collection("Computers")


def ids(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [item["Id"] for item in answer.json()]


# ---------------------------------------------------------------- endpoints


def test_every_list_endpoint_of_the_catalogue_answers(client: httpx.Client) -> None:
    schema = builtin_schema("automate")
    for name in schema.endpoint_names:
        path = "/" + re.sub(r"\{[^}]+\}", "2", name)  # parents that exist
        answer = client.get(path, params={"pageSize": 5})
        assert answer.status_code == 200, (name, answer.text)
        items = answer.json()
        assert isinstance(items, list)
        assert 1 <= len(items) <= 5, name


def test_fields_the_issue_names_are_known(client: httpx.Client) -> None:
    for condition in (
        "IsMaster = True",
        "IsVirtualHost = False",
        "AssetTag like '%1%'",
        "BiosManufacturer like '%'",
        "WindowsUpdateDate > 2020-01-01",
        "Contact.Id = 3",
        "Location.Router.Model = 'x'",  # below what the records hold: accepted, matches nothing
    ):
        expected = [r["Id"] for r in computers() if evaluate(condition, r)]
        assert ids(client.get("/Computers", params={"condition": condition, "pageSize": 1000})) == expected


@pytest.mark.parametrize(
    "path", ["/Locations", "/PatchInformation", "/Tickets", "/NetworkDevices", "/Computers/2/Alerts"]
)
def test_endpoints_real_clients_call_are_served(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_sub_collections_belong_to_their_parent(client: httpx.Client) -> None:
    software = client.get("/Computers/7/Software").json()
    assert software and all(item["ComputerId"] == 7 for item in software)
    assert client.get("/computers/7/software").json() == software  # paths ignore case
    missing = client.get("/Computers/99999/Software")
    assert (missing.status_code, missing.json()) == (404, {"Message": "No computer with id 99999"})


def test_item_endpoints(client: httpx.Client) -> None:
    for path, key in (
        ("/Clients/2", "Id"),
        ("/Locations/3", "Id"),
        ("/Tickets/4", "TicketId"),
        ("/Alerts/5", "AlertId"),
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert str(answer.json()[key]) == path.rsplit("/", 1)[1]


# ---------------------------------------------------------------- parameters


def test_options_names_mean_what_the_plain_names_mean(client: httpx.Client) -> None:
    plain = client.get(
        "/Computers",
        params={"condition": "Status = 'Online'", "pageSize": 7, "page": 2, "orderBy": "ComputerName desc"},
    )
    documented = client.get(
        "/Computers",
        params={
            "options.condition": "Status = 'Online'",
            "options.pageSize": 7,
            "options.page": 2,
            "options.orderBy.name": "ComputerName",
            "options.orderBy.type": "Descending",
        },
    )
    assert ids(plain) == ids(documented)
    assert len(ids(plain)) == 7


def test_options_included_and_excluded_fields_repeat(client: httpx.Client) -> None:
    answer = client.get("/Computers/3", params={"options.includedFields": ["Id", "ComputerName"]})
    assert set(answer.json()) == {"Id", "ComputerName"}
    answer = client.get("/Computers/3", params={"options.excludedFields": ["Client", "Location"]})
    assert not {"Client", "Location"} & set(answer.json())


def test_lower_case_pagesize_as_powershell_sends_it(client: httpx.Client) -> None:
    assert len(ids(client.get("/Computers", params={"pagesize": 9}))) == 9


def test_an_unknown_parameter_is_a_400_naming_it(client: httpx.Client) -> None:
    answer = client.get("/Computers", params={"conditon": "Status = 'Online'"})
    assert answer.status_code == 400
    assert "'conditon'" in answer.json()["Message"]


def test_unknown_parameters_can_be_ignored_as_the_server_does() -> None:
    with Sandbox("automate", 10, ignore_unknown_parameters=True) as sandbox, socket_client(sandbox) as http:
        automate_login(http, sandbox)
        answer = http.get("/Computers", params={"conditon": "Status = 'Online'"})
    assert len(ids(answer)) == 10  # every row, as a live server answers a typo


def test_the_seed_profile_refuses_unknown_parameters_too(seed_sandbox: Sandbox) -> None:
    with socket_client(seed_sandbox) as http:
        seed_login(http, seed_sandbox)
        refused = http.get("/Computers", params={"options.condition": "Status = 'Online'"})
        plain = http.get("/Computers", params={"pageSize": 3})
    assert refused.status_code == 400  # the seed document knows no options.* names
    assert plain.status_code == 200


# ---------------------------------------------------------------- strictness


@pytest.mark.parametrize(
    ("condition", "status", "message"),
    [
        ("not (Status = 'Online')", 400, "there is no prefix `not (...)` at column 1"),
        ("ComputerName startswith 'A'", 400, "there is no `startswith` at column 1"),
        ("ComputerName endswith 'A'", 400, "there is no `endswith` at column 1"),
        ("Status == 'Online'", 400, "Invalid filter syntax"),
        ("LastHeartbeat >= '2024-02-14'", 500, "An error has occurred."),
        ("IsMaster = 'abc'", 400, "IsMaster is a boolean field"),
        ("Colour = 1", 400, "Invalid field 'Colour'"),
    ],
)
def test_what_the_real_server_refuses(client: httpx.Client, condition: str, status: int, message: str) -> None:
    answer = client.get("/Computers", params={"condition": condition})
    assert answer.status_code == status
    assert list(answer.json()) == ["Message"]
    assert message in answer.json()["Message"]
    assert any(d.severity == "error" for d in lint(condition, dialect="automate", endpoint="Computers"))


@pytest.mark.parametrize(
    "condition",
    [
        "Status = 'Online' And IsMaster = False",
        "LastHeartbeat >= 2024-02-14T10:00:00",
        "ComputerName like 'A%' or Client.Id = '2'",
        "OpenPortsTCP not contains 443 and Id not in (1, 2)",
    ],
)
def test_what_it_accepts_lints_clean(client: httpx.Client, condition: str) -> None:
    assert client.get("/Computers", params={"condition": condition}).status_code == 200
    assert not [d for d in lint(condition, dialect="automate", endpoint="Computers") if d.severity == "error"]


def test_the_seed_profile_keeps_its_own_rules(seed_sandbox: Sandbox) -> None:
    with socket_client(seed_sandbox) as http:
        seed_login(http, seed_sandbox)
        for condition in ("not (Status = 'Online')", "Name startswith 'A'", "LastContact >= '2024-02-14'"):
            assert http.get("/Computers", params={"condition": condition}).status_code == 200, condition


# ---------------------------------------------------------------- actions


def test_batch_script_execute(client: httpx.Client) -> None:
    answer = client.post(
        "/Batch/ScriptExecute", json={"EntityType": "Computer", "EntityIds": [1, 2, 99999], "ScriptId": 4}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["ContainsUnsuccessfulResults"] is True
    assert [(r["EntityId"], r["ResultDetails"]["ResultStatus"]) for r in body["ScriptResults"]] == [
        (1, 0),
        (2, 0),
        (99999, 1),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"EntityType": "Computer", "EntityIds": [1]}, "ScriptId is required"),
        (
            {"EntityType": "Computer", "EntityIds": [1], "ScriptId": "four"},
            "ScheduleScriptBatchRequest.ScriptId must be integer",
        ),
        (
            {"EntityType": "Planet", "EntityIds": [1], "ScriptId": 4},
            "ScheduleScriptBatchRequest.EntityType must be one of",
        ),
        ({"EntityType": "Computer", "EntityIds": [], "ScriptId": 4}, "EntityIds must name at least one entity"),
        ({"EntityType": "Computer", "EntityIds": [1], "ScriptId": 999}, "No script with id 999"),
    ],
)
def test_batch_script_execute_refuses_bad_bodies(client: httpx.Client, body: dict[str, object], message: str) -> None:
    answer = client.post("/Batch/ScriptExecute", json=body)
    assert answer.status_code in (400, 404)
    assert message in answer.json()["Message"]


def test_command_execute(client: httpx.Client) -> None:
    answer = client.post("/Computers/5/CommandExecute", json={"Command": {"Id": 2}, "Parameters": ["ipconfig"]})
    body = answer.json()
    assert answer.status_code == 200
    assert (body["ComputerId"], body["Command"]["Id"], body["Status"], body["Parameters"]) == (
        5,
        "2",
        "Queued",
        ["ipconfig"],
    )
    assert client.post("/Computers/5/CommandExecute", json={"Parameters": []}).status_code == 400
    assert client.post("/Computers/99999/CommandExecute", json={"Command": {"Id": 2}}).status_code == 404


# ---------------------------------------------------------------- bodies and options


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_a_deeply_nested_login_body_is_a_400(profile: str) -> None:
    sandbox = Sandbox(profile, 5)
    path = "/apitoken" if profile == "automate" else "/APICredentials"
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url, headers={"ClientId": "x"}) as http:
        answer = http.post(path, content=b"[" * 100_000 + b"]" * 100_000, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert "nested too deeply" in answer.text


def test_sandbox_takes_every_config_option_and_refuses_others() -> None:
    sandbox = Sandbox("automate", 5, max_body_bytes=10, token_date_offset=True)
    assert sandbox.config == SandboxConfig(profile="automate", records=5, max_body_bytes=10, token_date_offset=True)
    with pytest.raises(ConfigurationError, match="unknown option 'max_bdy_bytes'"):
        Sandbox(max_bdy_bytes=10)


def test_max_body_bytes_reaches_the_app() -> None:
    sandbox = Sandbox("automate", 5, max_body_bytes=10)
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url, headers={"ClientId": "x"}) as http:
        answer = http.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"})
    assert answer.status_code == 413


def test_token_date_offset() -> None:
    sandbox = Sandbox("automate", 5, token_date_offset=True)
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url, headers={"ClientId": "x"}) as http:
        stamp = http.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"}).json()["ExpirationDate"]
    assert stamp.endswith("+00:00")


def test_async_with_serves_and_stops() -> None:
    async def main() -> tuple[bool, int, bool]:
        sandbox = Sandbox("automate", 5)
        async with sandbox:
            async with httpx.AsyncClient(base_url=sandbox.api_url, trust_env=False) as http:
                answer = await http.get("/Computers")
            running = sandbox.running
        return running, answer.status_code, sandbox.running

    assert asyncio.run(main()) == (True, 401, False)


def test_sub_collections_stay_right_after_their_cache_is_recycled(client: httpx.Client) -> None:
    first = client.get("/Computers/1/Software").json()
    for number in range(2, CACHED_PARENTS + 40):  # pushes computer 1's records out of the cache
        computer = (number % RECORDS) + 1
        answer = client.get(f"/Computers/{computer}/Software").json()
        assert all(item["ComputerId"] == computer for item in answer)
    assert client.get("/Computers/1/Software").json() == first  # made again, the same


def test_the_documents_extra_parameters_are_known(client: httpx.Client) -> None:
    # GET Locations/{locationId} takes isContactPermissionValidationRequired in the document
    assert client.get("/Locations/2", params={"isContactPermissionValidationRequired": "true"}).status_code == 200
    assert client.get("/Clients/2", params={"isContactPermissionValidationRequired": "true"}).status_code == 400
    assert client.get("/Statistics/Drives", params={"numberOfDays": 7, "driveId": 2}).status_code == 200
