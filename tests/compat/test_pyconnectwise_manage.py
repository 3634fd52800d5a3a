"""The pyconnectwise package's Manage client (pydantic models generated from ConnectWise's own
schema, used against live Manage servers by its users) against `Sandbox("manage")`, over loopback.

One shim, outside what is tested: the client builds `https://<manage_url>/login/companyinfo/...`
and `https://<manage_url>/<codebase>/apis/3.0`, so a subclass asks the sandbox's
`http://127.0.0.1:PORT` instead (the same paths, plain http on loopback). Everything else is
the library as released: its Basic auth and `clientId` header, its codebase discovery, its
`Link`-header paging (which reads `page=N>; rel="..."`, so the sandbox writes `page` last in
each URL, as the real server does), its endpoint classes and its models.
"""

from __future__ import annotations

from typing import Any

import pytest

from cwa_query import evaluate
from cwa_query.client.manage import asc, desc, order_by
from cwa_query.sandbox import Sandbox, dataset

pytestmark = pytest.mark.compat
pyconnectwise = pytest.importorskip("pyconnectwise")
models = pytest.importorskip("pyconnectwise.models.manage")

COMPANIES = 60


@pytest.fixture(scope="module")
def manage_sandbox() -> Any:
    with Sandbox("manage", COMPANIES, seed=5, client_id="pcw-client") as sandbox:
        yield sandbox


def rows(endpoint: str) -> list[dict[str, Any]]:
    return dataset("manage", COMPANIES, 5).collection(endpoint)


def make_client(sandbox: Sandbox, **overrides: str) -> Any:
    """The library's client, pointed at http://127.0.0.1:PORT (it builds https:// URLs)."""

    class LoopbackManageClient(pyconnectwise.ConnectWiseManageAPIClient):  # type: ignore[misc]
        def _get_url(self) -> str:
            return f"{sandbox.url}/{self.codebase.strip('/')}/apis/3.0"

        def _try_get_codebase_from_api(self, manage_url: str, company_name: str, headers: dict[str, str]) -> str:
            response = self._make_request("GET", f"{sandbox.url}/login/companyinfo/{company_name}", headers=headers)
            return str(response.json().get("Codebase"))

    options = sandbox.client_options()
    settings = {
        "company_name": options["company"],
        "manage_url": "unused.example",
        "client_id": options["client_id"],
        "public_key": options["public_key"],
        "private_key": options["private_key"],
        **overrides,
    }
    return LoopbackManageClient(**settings)


def test_it_logs_in_by_finding_the_codebase(manage_sandbox: Sandbox) -> None:
    client = make_client(manage_sandbox)
    assert client.codebase == "v2025_1/"
    assert manage_sandbox.stats()["requests_by_route"]["GET login/companyinfo/{company}"] >= 1


def test_it_lists_companies_with_conditions_child_conditions_and_order(manage_sandbox: Sandbox) -> None:
    client = make_client(manage_sandbox)
    params = {
        "conditions": 'status/name = "Active" and deletedFlag = false',
        "childConditions": 'types/name = "Client"',
        "orderBy": order_by(desc("name")),
    }
    companies = list(client.company.companies.paginated(1, 7, params=dict(params)).all())  # pages until the last
    expected = sorted(
        (
            row
            for row in rows("company/companies")
            if evaluate(params["conditions"], row, dialect="manage")
            and any(kind["name"] == "Client" for kind in row["types"])
        ),
        key=lambda row: row["name"].lower(),
        reverse=True,
    )
    assert [c.id for c in companies] == [row["id"] for row in expected]
    assert len(expected) > 7  # more than one page
    assert all(isinstance(c, models.Company) for c in companies)
    assert all(any(t.name == "Client" for t in c.types) for c in companies)


def test_it_pages_through_every_ticket_with_conditions_and_order(manage_sandbox: Sandbox) -> None:
    client = make_client(manage_sandbox)
    condition = '(board/name = "Service Desk" or priority/id <= 2) and closedFlag = false'
    params = {"conditions": condition, "orderBy": order_by(asc("company/id"), desc("id"))}
    tickets = list(client.service.tickets.paginated(1, 10, params=params).all())
    expected = sorted(
        (row for row in rows("service/tickets") if evaluate(condition, row, dialect="manage")),
        key=lambda row: (row["company"]["id"], -row["id"]),
    )
    assert [t.id for t in tickets] == [row["id"] for row in expected]
    assert len(tickets) > 30
    assert all(isinstance(t, models.Ticket) and t.company is not None and t.status is not None for t in tickets)
    everything = list(client.service.tickets.paginated(1, 1000).all())
    assert [t.id for t in everything] == [row["id"] for row in rows("service/tickets")]


def test_it_reads_one_by_id_and_counts(manage_sandbox: Sandbox) -> None:
    client = make_client(manage_sandbox)
    ticket = client.service.tickets.id(7).get()
    assert isinstance(ticket, models.Ticket)
    assert ticket.id == 7
    company = client.company.companies.id(ticket.company.id).get()
    assert company.identifier == ticket.company.identifier
    count = client.service.tickets.count.get(params={"conditions": "id <= 9"})
    assert count.count == 9


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("company.companies", "Company"),
        ("company.contacts", "Contact"),
        ("service.tickets", "Ticket"),
        ("project.projects", "Project"),
        ("time.entries", "TimeEntry"),
        ("system.members", "Member"),
        ("company.configurations", "CompanyConfiguration"),
        ("finance.agreements", "Agreement"),
        ("sales.opportunities", "Opportunity"),
        ("procurement.products", "ProductItem"),
    ],
)
def test_every_record_of_every_common_endpoint_validates_against_its_model(
    manage_sandbox: Sandbox, path: str, model: str
) -> None:
    client = make_client(manage_sandbox)
    endpoint: Any = client
    for part in path.split("."):
        endpoint = getattr(endpoint, part)
    records = endpoint.get(params={"pageSize": 1000})  # the library validates each with its model
    assert len(records) == len(rows(path.replace(".", "/")))
    assert all(type(record).__name__ == model for record in records)
    strict = getattr(models, model)
    for record in records:  # and once more from the JSON the sandbox wrote, every field set
        assert strict.model_validate(record.model_dump(by_alias=True)) == record


def test_bad_keys_are_refused_as_the_library_expects(manage_sandbox: Sandbox) -> None:
    from pyconnectwise.exceptions import AuthenticationFailedException

    client = make_client(manage_sandbox)
    client.private_key = "wrong"
    with pytest.raises(AuthenticationFailedException):
        client.system.members.get()
