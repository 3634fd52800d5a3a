"""Every endpoint the sandbox serves, against the OpenAPI document's own schemas.

`tests/compat/data/automate_openapi_subset.json` is copied from the document by
`scripts/gen_automate_schema.py --tests` (its provenance line says so): the 200 response
schema of every served `GET` and action, and the component schemas they reach. Each answer
must validate; each record of a list must hold every top-level property of its schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cwa_query.sandbox import Sandbox

pytestmark = pytest.mark.compat
jsonschema = pytest.importorskip("jsonschema")

SUBSET = json.loads((Path(__file__).parent / "data" / "automate_openapi_subset.json").read_text(encoding="utf-8"))
COMPONENTS = SUBSET["components"]
GETS = sorted(key.removeprefix("GET ") for key in SUBSET["responses"] if key.startswith("GET "))


def validator(schema: dict[str, Any]) -> Any:
    root = {**schema, "components": COMPONENTS}  # "#/components/schemas/X" resolves in the copy
    return jsonschema.Draft202012Validator(root)


def properties(schema: dict[str, Any]) -> set[str]:
    ref = schema.get("items", schema).get("$ref", "")
    return set(COMPONENTS["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))


@pytest.fixture(scope="module")
def client(automate_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=automate_sandbox.api_url, trust_env=False, timeout=10) as http:
        http.headers["ClientId"] = automate_sandbox.credentials.client_id
        login = http.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"})
        http.headers["Authorization"] = f"Bearer {login.json()['AccessToken']}"
        yield http


def test_the_copy_says_where_it_came_from() -> None:
    assert "automate-openapi-v1.json" in SUBSET["provenance"]
    assert len(GETS) > 100


@pytest.mark.parametrize("endpoint", GETS)
def test_each_get_is_reachable_and_validates(client: httpx.Client, endpoint: str) -> None:
    path = "/" + re.sub(r"\{[^}]+\}", "2", endpoint)
    answer = client.get(path, params={"pageSize": 5} if "{" not in endpoint or endpoint.count("/") > 1 else None)
    assert answer.status_code == 200, answer.text
    schema = SUBSET["responses"][f"GET {endpoint}"]
    body = answer.json()
    errors = sorted(validator(schema).iter_errors(body), key=str)
    assert not errors, f"{endpoint}: {errors[0].message} at {list(errors[0].absolute_path)}"
    if schema.get("type") == "array":
        assert body, f"{endpoint}: no records"
        if "$ref" not in schema.get("items", {}):  # a list of plain values (`Permissions/Users`: strings)
            return
        for record in body:
            assert set(record) == properties(schema), endpoint


@pytest.mark.parametrize(
    ("action", "path", "body"),
    [
        (
            "POST Batch/ScriptExecute",
            "/Batch/ScriptExecute",
            {"EntityType": "Computer", "EntityIds": [1, 2], "ScriptId": 3},
        ),
        (
            "POST Computers/{computerId}/CommandExecute",
            "/Computers/4/CommandExecute",
            {"Command": {"Id": "2"}, "Parameters": ["/all"]},
        ),
    ],
)
def test_actions_take_and_give_the_documents_bodies(
    client: httpx.Client, action: str, path: str, body: dict[str, Any]
) -> None:
    assert not list(validator(SUBSET["responses"][action + " request"]).iter_errors(body))
    answer = client.post(path, json=body)
    assert answer.status_code == 200, answer.text
    errors = list(validator(SUBSET["responses"][action]).iter_errors(answer.json()))
    assert not errors, errors[0].message


def test_the_validator_is_not_vacuous() -> None:
    schema = SUBSET["responses"]["GET Computers"]
    assert list(validator(schema).iter_errors([{"Id": 5}]))  # an integer Id, as the sandbox once sent
    assert list(validator(schema).iter_errors([{"Client": {"Id": "1", "Name": 7}}]))
    assert not list(validator(schema).iter_errors([{"Id": "5", "Client": {"Id": "1", "Name": "x"}}]))
