"""A condition lints clean exactly when the automate sandbox accepts it (issue 12).

Both read one catalogue (`cwa_query/data/automate_schema.json`). Conditions are drawn per
endpoint by the shipped strategies (which draw from that catalogue too), then some are
spoiled in the ways the real server refuses: an unknown field, a prefix `not`,
`startswith`/`endswith`, a quoted date on a date-time field, a value of the wrong type.
Both ways: no lint error <=> 200; and each spoiling is refused with the server's status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwa_query import lint
from cwa_query.sandbox import Sandbox
from cwa_query.schema import builtin_schema
from cwa_query.strategies import condition_strings

ENDPOINTS = (
    "Computers",
    "Clients",
    "Locations",
    "Alerts",
    "Scripts",
    "Tickets",
    "Contacts",
    "NetworkDevices",
    "Computers/{computerId}/Software",
    "Clients/{clientId}/ExtraFields",
)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    sandbox = Sandbox("automate", 60, seed=5)
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.api_url) as http:
        http.headers["ClientId"] = sandbox.credentials.client_id
        token = http.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"}).json()["AccessToken"]
        http.headers["Authorization"] = f"Bearer {token}"
        yield http


def fields_of(endpoint: str, kind: str) -> list[str]:
    return [
        path
        for path, info in builtin_schema("automate").fields(endpoint).items()
        if info.type == kind and not info.array and "." not in path
    ]


@st.composite
def spoiled(draw: st.DrawFn, endpoint: str, text: str) -> tuple[str, int]:
    """`text` spoiled one way the real server refuses, and the status it answers."""
    choices: list[tuple[str, int]] = [(f"not ({text})", 400), (f"({text}) and NoSuchField = 1", 400)]
    strings = fields_of(endpoint, "string")
    if strings:
        field = draw(st.sampled_from(strings))
        op = draw(st.sampled_from(["startswith", "endswith"]))
        choices.append((f"{field} {op} 'x' or ({text})", 400))
    dates = fields_of(endpoint, "datetime")
    if dates:
        choices.append((f"{draw(st.sampled_from(dates))} >= '2024-01-01' and ({text})", 500))
    booleans = fields_of(endpoint, "boolean")
    if booleans:
        choices.append((f"{draw(st.sampled_from(booleans))} = 'maybe' or ({text})", 400))
    return draw(st.sampled_from(choices))


def answer(client: httpx.Client, endpoint: str, condition: str) -> httpx.Response:
    path = "/" + re.sub(r"\{[^}]+\}", "2", endpoint)
    return client.get(path, params={"condition": condition, "pageSize": 5})


def lint_errors(endpoint: str, condition: str) -> list[str]:
    return [d.code for d in lint(condition, dialect="automate", endpoint=endpoint) if d.severity == "error"]


@pytest.mark.filterwarnings("ignore::cwa_query.errors.TranslationWarning")  # rendering notes, not the subject
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_lint_clean_exactly_when_the_sandbox_accepts(client: httpx.Client, data: st.DataObject) -> None:
    endpoint = data.draw(st.sampled_from(ENDPOINTS), label="endpoint")
    text = data.draw(condition_strings(dialect="automate", endpoint=endpoint, max_leaves=4), label="condition")
    if data.draw(st.booleans(), label="spoil"):
        text, status = data.draw(spoiled(endpoint, text), label="spoiled")
        assert lint_errors(endpoint, text), text
        got = answer(client, endpoint, text)
        assert got.status_code == status, (text, got.text)
        return
    got = answer(client, endpoint, text)
    assert (got.status_code == 200) == (not lint_errors(endpoint, text)), (text, got.text, lint_errors(endpoint, text))
