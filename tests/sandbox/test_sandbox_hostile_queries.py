"""Whatever query string arrives, the automate sandbox answers it as a server would: a page,
or an error naming what was wrong; never its own internal error (which it logs)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwa_query.sandbox import Sandbox

ENDPOINTS = ("Computers", "Clients/3", "Computers/2/Software", "PatchInformation", "Nothing", "computers/0/software")
NAMES = (
    "condition",
    "pagesize",
    "pageSize",
    "page",
    "orderBy",
    "includeFields",
    "excludeFields",
    "ids",
    "expand",
    "options.condition",
    "options.pageSize",
    "options.orderBy.name",
    "options.orderBy.type",
    "options.includedFields",
    "options.timeout",
    "conditon",
    "",
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "Status = 'Online'",
            "not (Id = 1)",
            "LastHeartbeat > '2024-01-01'",
            "Id,ComputerName",
            "ComputerName desc",
            "Descending",
            "Sideways",
            "0",
            "-1",
            "99999999999999999999999",
            "1,2,x",
            "%",
            "((((",
            "Client.Id = 2 and",
        ]
    ),
    st.text(max_size=30),
)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    sandbox = Sandbox("automate", 30, seed=4)
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url) as http:
        http.headers["ClientId"] = sandbox.credentials.client_id
        token = http.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"}).json()["AccessToken"]
        http.headers["Authorization"] = f"Bearer {token}"
        yield http


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    params=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4),
)
def test_never_an_internal_error(
    client: httpx.Client, caplog: pytest.LogCaptureFixture, endpoint: str, params: list[tuple[str, str]]
) -> None:
    query = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in params)
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="cwa_query.sandbox"):
        answer = client.get(f"/{endpoint}?{query}")
    assert "internal error" not in caplog.text
    body = answer.json()
    if answer.status_code == 200:
        assert isinstance(body, list | dict)
        return
    assert answer.status_code in (400, 404, 500), answer.text
    assert list(body) == ["Message"] and body["Message"]
    if answer.status_code == 500:  # only the server's answer to a quoted date on a date-time field
        assert body == {"Message": "An error has occurred."}
        assert any(re.search(r"'\d{4}-\d{2}-\d{2}", value) for _, value in params)
