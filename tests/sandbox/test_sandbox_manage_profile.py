"""The sandbox's manage profile: the contract a test or a third-party client relies on.

`/login/companyinfo/<company>` names the codebase; the API lives under `/v2025_1/apis/3.0/`;
Basic auth from company + public key + private key and a `clientId` header; lists with
`conditions` (evaluated with the Manage dialect's meaning), `childConditions`,
`customFieldConditions`, `orderBy`, `fields`, `page`/`pageSize` and a `Link` header;
`/count` and `/{id}`; Manage's error body `{"code", "message", "errors"}`.
"""

from __future__ import annotations

import base64
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cwa_query import evaluate
from cwa_query.client import links
from cwa_query.client._bounds import verified_tls
from cwa_query.client.manage import custom_field_predicate
from cwa_query.sandbox import Sandbox, dataset
from cwa_query.sandbox._manage import SERVED
from tests.sandbox.test_sandbox_cli import running, stop

COMPANIES = 40
PREFIX = "/v2025_1/apis/3.0"
KEYS = base64.b64encode(b"sandbox+sandbox-public:sandbox-private").decode()
HEADERS = {"Authorization": f"Basic {KEYS}", "clientId": "test"}
ENDPOINTS = SERVED  # the ten common endpoints


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("manage", records=COMPANIES) as running_sandbox:
        yield running_sandbox


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.api_url, headers=HEADERS, trust_env=False, verify=verified_tls()) as http:
        yield http


def rows(endpoint: str) -> list[dict[str, Any]]:
    return dataset("manage", COMPANIES, seed=0).collection(endpoint)


def test_company_info_names_the_codebase(sandbox: Sandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/login/companyinfo/Sandbox", trust_env=False)
    assert answer.status_code == 200
    body = answer.json()
    assert body["Codebase"] == "v2025_1/" and body["CompanyName"]
    assert sandbox.api_url == sandbox.url + PREFIX
    other = httpx.get(f"{sandbox.url}/login/companyinfo/other", trust_env=False)
    assert (other.status_code, other.json()["code"]) == (404, "NotFound")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_common_endpoint_lists_counts_and_reads_by_id(client: httpx.Client, endpoint: str) -> None:
    everything = rows(endpoint)
    assert client.get(f"/{endpoint}/count").json() == {"count": len(everything)}
    page = client.get(f"/{endpoint}", params={"pageSize": 1000}).json()
    assert [record["id"] for record in page] == [record["id"] for record in everything]
    one = client.get(f"/{endpoint}/{everything[-1]['id']}")
    assert one.json()["id"] == everything[-1]["id"]
    assert client.get(f"/{endpoint}/0").status_code == 404


def test_records_scale_with_the_companies_and_refer_to_each_other() -> None:
    data = dataset("manage", COMPANIES, seed=0)
    assert len(data.collection("company/companies")) == COMPANIES
    assert len(data.collection("service/tickets")) == 4 * COMPANIES
    companies = {c["id"]: c for c in data.collection("company/companies")}
    contacts = {c["id"]: c for c in data.collection("company/contacts")}
    members = {m["id"] for m in data.collection("system/members")}
    tickets = {t["id"]: t for t in data.collection("service/tickets")}
    for ticket in tickets.values():
        company = companies[ticket["company"]["id"]]
        assert company["identifier"] == ticket["company"]["identifier"]
        assert contacts[ticket["contact"]["id"]]["company"]["id"] == company["id"]
        assert ticket["owner"]["id"] in members
    for entry in data.collection("time/entries"):
        assert tickets[entry["chargeToId"]]["company"]["id"] == entry["company"]["id"]
        assert entry["member"]["id"] in members


@pytest.mark.parametrize(
    "condition",
    [
        'status/name = "Closed"',
        "company/id in (1, 2, 3) and closedFlag = false",
        "summary like '*VPN*' or summary contains \"o'connor\"",
        "_info/lastUpdated > [2024-01-01T00:00:00Z] and priority/name != null",
        'board/name not like "Help%" and owner/identifier like "b%"',
    ],
)
def test_conditions_mean_what_the_manage_dialect_says(client: httpx.Client, condition: str) -> None:
    expected = [t["id"] for t in rows("service/tickets") if evaluate(condition, t, dialect="manage")]
    got = client.get("/service/tickets", params={"conditions": condition, "pageSize": 1000}).json()
    assert [t["id"] for t in got] == expected
    assert client.get("/service/tickets/count", params={"conditions": condition}).json() == {"count": len(expected)}


def test_child_and_custom_field_conditions_and_order(client: httpx.Client) -> None:
    matches = custom_field_predicate('caption = "Seats" and value < 100')
    expected = sorted(
        (c for c in rows("company/companies") if any(t["name"] == "Client" for t in c["types"]) and matches(c)),
        key=lambda c: c["name"].lower(),
        reverse=True,
    )
    got = client.get(
        "/company/companies",
        params={
            "childConditions": 'types/name = "Client"',
            "customFieldConditions": 'caption = "Seats" and value < 100',
            "orderBy": "name desc",
            "fields": "id,name",
            "pageSize": 1000,
        },
    ).json()
    assert got == [{"id": c["id"], "name": c["name"]} for c in expected]
    assert 0 < len(got) < COMPANIES


def test_pages_carry_a_link_header_with_the_page_last(client: httpx.Client) -> None:
    answer = client.get("/service/tickets", params={"conditions": "id > 10", "pageSize": 25, "page": 2})
    found = links(answer.headers)
    assert set(found) == {"first", "prev", "next", "last"}
    assert all(url.endswith(("&page=1", "&page=3", "&page=6")) for url in found.values())
    assert found["last"].endswith("page=6")  # 150 tickets over 10: 6 pages of 25
    last = client.get("/service/tickets", params={"conditions": "id > 10", "pageSize": 25, "page": 6})
    assert "next" not in links(last.headers) and len(last.json()) == 25
    assert client.get("/service/tickets", params={"pageSize": 25, "page": 99}).json() == []


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"conditions": 'statos/name = "Open"'}, "ApiFindCondition", "statos/name is not a recognized name."),
        ({"orderBy": "nope asc"}, "ApiFindCondition", "nope is not a recognized name."),
        ({"conditions": "closedDate > 2024-01-01"}, "ApiFindCondition", "square brackets"),
        ({"childConditions": "summary = "}, "ApiFindCondition", "childConditions"),
        ({"condition": "id = 1"}, "InvalidObject", "Unknown query parameter 'condition'"),
        ({"pageSize": "1001"}, "InvalidObject", "pageSize must be between 1 and 1000"),
    ],
)
def test_what_the_server_refuses_is_a_400_with_manage_error_body(
    client: httpx.Client, params: dict[str, str], code: str, message: str
) -> None:
    answer = client.get("/service/tickets", params=params)
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert message in body["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"clientId": "x"},
        {"Authorization": f"Basic {KEYS}"},
        {"Authorization": "Basic " + base64.b64encode(b"sandbox+sandbox-public:wrong").decode(), "clientId": "x"},
        {"Authorization": "Basic !!!", "clientId": "x"},
        {"Authorization": "Bearer abc", "clientId": "x"},
    ],
)
def test_credentials_are_checked_on_every_call(sandbox: Sandbox, headers: dict[str, str]) -> None:
    answer = httpx.get(f"{sandbox.api_url}/company/companies", headers=headers, trust_env=False)
    assert answer.status_code == 401
    assert answer.json()["code"] in ("Unauthorized", "ConnectWiseApi")
    assert "sandbox-private" not in answer.text


def test_a_configured_client_id_must_match() -> None:
    with Sandbox("manage", records=3, client_id="right") as sandbox:
        url = f"{sandbox.api_url}/company/companies"
        wrong = httpx.get(url, headers={**HEADERS, "clientId": "wrong"}, trust_env=False)
        assert (wrong.status_code, wrong.json()) == (
            401,
            {"code": "Unauthorized", "message": "Unknown clientId", "errors": None},
        )
        missing = httpx.get(url, headers={"Authorization": HEADERS["Authorization"]}, trust_env=False)
        assert (missing.status_code, missing.json()["message"]) == (401, "The clientId header is required")
        assert httpx.get(url, headers={**HEADERS, "clientId": "right"}, trust_env=False).status_code == 200


def test_faults_and_rate_limits_apply_as_for_automate() -> None:
    with Sandbox("manage", records=3, rate_limit=2, rate_window=60) as sandbox:
        codes = [httpx.get(f"{sandbox.api_url}/system/members", headers=HEADERS, trust_env=False) for _ in range(3)]
        info = httpx.get(f"{sandbox.url}/login/companyinfo/sandbox", trust_env=False)  # never rate-limited
    assert [answer.status_code for answer in codes] == [200, 200, 429]
    assert codes[2].json()["code"] == "TooManyRequests" and int(codes[2].headers["Retry-After"]) >= 1
    assert "X-RateLimit-Limit" not in codes[0].headers
    assert info.status_code == 200
    with Sandbox("manage", records=3, faults="503=1") as sandbox:
        answer = httpx.get(f"{sandbox.api_url}/system/members", headers=HEADERS, trust_env=False)
    assert (answer.status_code, answer.json()["code"]) == (503, "ConnectWiseApi")


# --------------------------------------------------------------------------- the command line


def test_the_command_serves_manage_with_its_flags() -> None:
    flags = ("--profile", "manage", "--company", "acme", "--public-key", "pub", "--private-key", "Priv-CLI-Key")
    with running(*flags, "--client-id", "cli") as (process, url):
        assert url.startswith("http://127.0.0.1:") and "/" not in url.removeprefix("http://")
        info = httpx.get(f"{url}/login/companyinfo/acme", trust_env=False).json()
        keys = base64.b64encode(b"acme+pub:Priv-CLI-Key").decode()
        listing = httpx.get(
            f"{url}/{info['Codebase']}apis/3.0/company/companies",
            headers={"Authorization": f"Basic {keys}", "clientId": "cli"},
            trust_env=False,
        )
        code, out, err = stop(process, signal.SIGTERM)
    assert listing.status_code == 200 and len(listing.json()) == 20  # --records 20 companies
    assert code == 0 and out == ""
    assert "20 companies" in err and "/v2025_1/apis/3.0" in err
    assert "Priv-CLI-Key" not in err and keys not in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--profile", "manage", "--username", "u"], "--username is not an option of the manage profile"),
        # a process each: the quick loop runs one of each profile
        (["--profile", "automate", "--company", "acme"], "--company is not an option of the automate profile"),
        *(
            pytest.param(*case, marks=pytest.mark.slow)
            for case in [
                (["--profile", "manage", "--two-factor-code", "1"], "--two-factor-code is not an option"),
                (["--profile", "manage", "--token-date-offset"], "--token-date-offset is not an option"),
                (["--profile", "manage", "--faults", "expire=0.1"], "no tokens to expire"),
            ]
        ),
    ],
)
def test_flags_of_another_profile_are_a_usage_error(options: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cwa_query", "sandbox", "--port", "0", *options],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert message in result.stderr


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_record_has_every_field_of_the_catalogue_in_its_json_type(client: httpx.Client, endpoint: str) -> None:
    from cwa_query.schema import builtin_schema

    fields = builtin_schema("manage").fields(endpoint)
    top = {path: info for path, info in fields.items() if "." not in path}
    kinds = {"string": str, "integer": int, "decimal": (int, float), "boolean": bool, "datetime": str, "object": dict}
    for record in client.get(f"/{endpoint}", params={"pageSize": 1000}).json():
        assert set(record) == set(top)
        for name, info in top.items():
            value = record[name]
            if info.type == "any":
                continue
            assert value is not None, (endpoint, name)
            if info.array:
                assert isinstance(value, list), (endpoint, name)
                continue
            assert isinstance(value, kinds[info.type]), (endpoint, name, value)
            assert not (info.type in ("integer", "decimal") and isinstance(value, bool)), (endpoint, name)
            if info.values:
                assert value in info.values, (endpoint, name, value)
