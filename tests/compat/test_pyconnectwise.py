"""The pyconnectwise package's Automate client (pydantic models generated from the real API,
used against live servers by its users) against the sandbox, over loopback.

Two shims, both outside what is tested: the client builds `https://HOST/cwa/api/v1`, so a
subclass returns the sandbox's `http://127.0.0.1:PORT/cwa/api/v1`; and the released wheel
(0.6.1.2) ships `pyconnectwise/endpoints/automate/__init__.py` empty, so its `client.computers`
property imports a module where it wants a class (TypeError for everyone). The tests build the
same endpoint classes from their own modules, as that property would.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from cwa_query import evaluate
from cwa_query.sandbox import Sandbox, dataset
from tests.compat.conftest import RECORDS

pytestmark = pytest.mark.compat
pyconnectwise = pytest.importorskip("pyconnectwise")
models = pytest.importorskip("pyconnectwise.models.automate")


def make_client(sandbox: Sandbox) -> Any:
    """The library's client, pointed at http://127.0.0.1:PORT (it builds https://HOST/cwa/api/v1)."""

    class LoopbackAutomateClient(pyconnectwise.ConnectWiseAutomateAPIClient):  # type: ignore[misc]
        def _get_url(self) -> str:
            return sandbox.api_url

    creds = sandbox.credentials
    return LoopbackAutomateClient("unused.example", creds.client_id, creds.username, creds.password)


def endpoint(client: Any, name: str) -> Any:
    """`client.computers` as the library means it (see the module docstring)."""
    module = importlib.import_module(f"pyconnectwise.endpoints.automate.{name}Endpoint")
    return getattr(module, f"{name}Endpoint")(client)


def test_it_logs_in(automate_sandbox: Sandbox) -> None:
    client = make_client(automate_sandbox)
    assert client.access_token
    assert client.token_expiry_time.tzinfo is not None


def test_it_lists_and_paginates_computers_with_a_condition(automate_sandbox: Sandbox) -> None:
    client = make_client(automate_sandbox)
    condition = "Status = 'Online' and OperatingSystemName like '%Windows%'"
    pages = endpoint(client, "Computers").paginated(1, 25, params={"condition": condition})
    computers = list(pages.all())  # pages until an empty one
    rows = dataset("automate", RECORDS, 11).collection("Computers")
    expected = [row["Id"] for row in rows if evaluate(condition, row)]
    assert [c.id for c in computers] == expected
    assert len(expected) > 25  # more than one page
    assert all(isinstance(c, models.LabTechComputer) for c in computers)
    assert all(c.client is not None and c.client.id is not None for c in computers)


def test_it_reads_clients_and_one_computer(automate_sandbox: Sandbox) -> None:
    client = make_client(automate_sandbox)
    clients = endpoint(client, "Clients").get()
    assert {c.id for c in clients} == {row["Id"] for row in dataset("automate", RECORDS, 11).collection("Clients")}
    computer = endpoint(client, "Computers").id(7).get()
    assert isinstance(computer, models.LabTechComputer)
    assert computer.id == "7"
    assert computer.client.id in {c.id for c in clients}
    assert computer.remote_agent_last_contact is not None


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("Computers", "LabTechComputer"),
        ("Clients", "LabTechClient"),
        ("Scripts", "LabTechScript"),
        ("Contacts", "LabTechContact"),
        ("NetworkDevices", "LabTechNetworkDevice"),
        ("Tickets", "LabTechTicket"),
        ("Groups", "LabTechGroup"),
    ],
)
def test_every_model_validates_strictly(automate_sandbox: Sandbox, path: str, model: str) -> None:
    """Strict validation from JSON: no int where the model wants a string, no string for a bool."""
    client = make_client(automate_sandbox)
    answer = client._make_request("GET", f"{client._get_url()}/{path}", params={"pageSize": 50})
    cls = getattr(models, model)
    records = answer.json()
    assert records
    for record in records:
        cls.model_validate_json(json.dumps(record), strict=True)
