"""The request shapes of the widely used PowerShell clients (gavsto/AutomateAPI,
noaht8um/CWAutomateAPI), replayed byte for byte over loopback, as the facts file describes them:
lower-case body keys `username`/`password`, the header `clientID`, `pagesize` in lower case,
spaces encoded as `+` (`[System.Web.HttpUtility]::UrlEncode`), paging until an empty page,
a `Get-Date -Format s` date unquoted, `True`/`False`, ` And `, and `GET PatchInformation` to
check a token."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote_plus

import httpx
import pytest

from cwa_query import evaluate
from cwa_query.sandbox import Sandbox, dataset
from tests.compat.conftest import RECORDS

pytestmark = pytest.mark.compat


@pytest.fixture
def session(automate_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=automate_sandbox.api_url, trust_env=False, timeout=10) as client:
        client.headers["clientID"] = automate_sandbox.credentials.client_id
        login = client.post("/apitoken", json={"username": "sandbox", "password": "sandbox"})
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['AccessToken']}"
        yield client


def powershell_query(**params: object) -> str:
    """A query string as UrlEncode writes it: spaces as '+', quotes and '=' escaped."""
    return "&".join(f"{name}={quote_plus(str(value))}" for name, value in params.items())


def page_through(client: httpx.Client, condition: str, size: int) -> list[str]:
    """Get-AutomateComputer's loop: pages of `pagesize` until one comes back empty."""
    ids: list[str] = []
    page = 1
    while True:
        answer = client.get("/Computers?" + powershell_query(condition=condition, pagesize=size, page=page))
        assert answer.status_code == 200, answer.text
        items = answer.json()
        if not items:
            return ids
        ids.extend(item["Id"] for item in items)
        page += 1


def expected(condition: str) -> list[str]:
    return [row["Id"] for row in dataset("automate", RECORDS, 11).collection("Computers") if evaluate(condition, row)]


def test_the_token_check_with_patch_information(session: httpx.Client) -> None:
    answer = session.get("/PatchInformation")
    assert answer.status_code == 200
    assert "LastPatchedDate" in answer.json()


def test_spaces_as_plus_and_paging_until_an_empty_page(session: httpx.Client) -> None:
    condition = "Status = 'Online' And IsVirtualMachine = False"
    assert "+And+IsVirtualMachine+%3D+False" in powershell_query(condition=condition)
    found = page_through(session, condition, 17)
    assert found == expected(condition)
    assert len(found) > 17


def test_an_unquoted_get_date_format_s_date(session: httpx.Client) -> None:
    since = dt.datetime(2024, 2, 1, 8, 30).strftime("%Y-%m-%dT%H:%M:%S")  # Get-Date -Format s
    condition = f"RemoteAgentLastContact > {since} And Client.Id = 2"
    found = page_through(session, condition, 50)
    assert found == expected(condition)
    assert found


def test_true_false_and_like_as_powershell_writes_them(session: httpx.Client) -> None:
    condition = "IsRebootNeeded = True And ComputerName like '%-%' And IsMaintenanceModeEnabled = False"
    assert page_through(session, condition, 1000) == expected(condition)


def test_a_quoted_date_gets_the_servers_500(session: httpx.Client) -> None:
    answer = session.get("/Computers?" + powershell_query(condition="RemoteAgentLastContact > '2024-02-01'"))
    assert (answer.status_code, answer.json()) == (500, {"Message": "An error has occurred."})
