"""Issue 21, red team 12: answers that were neither the server's nor an injected fault.

Each reproducer is the red team's own; each answer must be a 4xx in the profile's shape (or,
for `HEAD`, an answer at all), never a 500 or a dropped connection. And the `GET`s whose answer
is a list of strings (`Permissions/Users`), which the sandbox did not serve.
"""

from __future__ import annotations

import json
import logging
import socket
import threading

import httpx
import pytest

from cwa_query.sandbox import Sandbox
from cwa_query.sandbox._http import SandboxRequest, SandboxResponse
from tests.sandbox.sandbox_helpers import automate_login, socket_client

LONG_ID = "9" * 5000
LONG_NUMBER = "9" * 4400


def with_number(template: str) -> str:
    return template.replace("N", LONG_NUMBER)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"/Computers/{LONG_ID}", None),
        ("GET", f"/Computers/{LONG_ID}/Software", None),
        ("POST", f"/Computers/{LONG_ID}/CommandExecute", b'{"Command": {"Id": "2"}}'),
    ],
    ids=["item", "sub-collection", "action"],
)
def test_an_id_of_5000_digits_names_no_record(
    automate_client: httpx.Client, method: str, path: str, body: bytes | None
) -> None:
    answer = automate_client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 404, answer.text
    assert "No computer with id" in answer.json()["Message"]


def test_an_id_of_5000_digits_in_the_seed_profile_names_no_record(seed_client: httpx.Client) -> None:
    assert seed_client.get(f"/Computers/{LONG_ID}").status_code == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/Batch/ScriptExecute", with_number('{"EntityType": "Computer", "EntityIds": [1], "ScriptId": N}')),
        ("/Batch/ScriptExecute", with_number('{"EntityType": "Computer", "EntityIds": [-N], "ScriptId": 1}')),
        ("/Computers/1/CommandExecute", with_number('{"Command": {"Id": N}}')),
    ],
    ids=["ScriptId", "EntityIds", "Command.Id"],
)
def test_a_json_number_of_4400_digits_is_a_400(automate_client: httpx.Client, path: str, body: str) -> None:
    answer = automate_client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert "number no field can take" in answer.json()["Message"]


def test_a_json_number_of_4400_digits_is_a_400_in_the_seed_profile(seed_client: httpx.Client) -> None:
    body = with_number('{"Parameters": {"a": N}}')
    answer = seed_client.post(
        "/Computers/1/Scripts/1/Execute", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "BadRequest"


def test_a_lone_surrogate_in_parameters_is_written_back_escaped(automate_client: httpx.Client) -> None:
    body = b'{"Command": {"Id": "2"}, "Parameters": ["\\ud800", "ok"]}'
    answer = automate_client.post(
        "/Computers/1/CommandExecute", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 200, answer.text
    assert b'"\\ud800"' in answer.content
    assert json.loads(answer.content)["Parameters"] == ["\ud800", "ok"]


@pytest.mark.parametrize("content_type", ["application/jsonx", "application/json-patch", "text/plain"])
def test_a_body_that_is_not_json_by_its_media_type_is_a_415(automate_client: httpx.Client, content_type: str) -> None:
    answer = automate_client.post(
        "/Computers/1/CommandExecute", content=b'{"Command": {"Id": "2"}}', headers={"Content-Type": content_type}
    )
    assert answer.status_code == 415, answer.text


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "text/json", "application/x+json"])
def test_json_media_types_are_taken(automate_client: httpx.Client, content_type: str) -> None:
    answer = automate_client.post(
        "/Computers/1/CommandExecute", content=b'{"Command": {"Id": "2"}}', headers={"Content-Type": content_type}
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "query",
    ["page=1&page=2", "pageSize=5&pagesize=6", "condition=Id%20%3D%201&options.condition=Id%20%3D%202"],
    ids=["page", "pageSize", "both-spellings"],
)
def test_a_single_valued_parameter_given_twice_is_a_400(automate_client: httpx.Client, query: str) -> None:
    answer = automate_client.get(f"/Computers?{query}")
    assert answer.status_code == 400, answer.text
    assert "times; give it once" in answer.json()["Message"]


def test_list_parameters_may_repeat(automate_client: httpx.Client) -> None:
    answer = automate_client.get("/Computers?includeFields=Id&includeFields=Status&pageSize=2")
    assert answer.status_code == 200, answer.text
    assert set(answer.json()[0]) == {"Id", "Status"}


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_head_is_answered_with_headers_only_and_logged(profile: str, caplog: pytest.LogCaptureFixture) -> None:
    with Sandbox(profile=profile, records=5) as sandbox:  # type: ignore[arg-type]
        host, port = sandbox.url.removeprefix("http://").split(":")
        caplog.set_level(logging.INFO, logger="cwa_query.sandbox")
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            raw.sendall(b"HEAD /cwa/api/v1/Computers HTTP/1.1\r\nHost: x\r\n\r\n")
            raw.sendall(b"GET /cwa/api/v1/Nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            chunks = []
            while chunk := raw.recv(65536):
                chunks.append(chunk)
        reply = b"".join(chunks)
    first, _, rest = reply.partition(b"\r\n\r\n")
    # the automate profile asks for the ClientId header first (401); then HEAD is not allowed (405)
    status = 401 if profile == "automate" else 405
    assert first.startswith(b"HTTP/1.1 %d " % status)
    assert rest.startswith(b"HTTP/1.1 %d " % (status if profile == "automate" else 404)), "the HEAD answer had a body"
    assert any(f'"HEAD /cwa/api/v1/Computers" {status}' in record.getMessage() for record in caplog.records)


# ----------------------------------------------------------------------------- issue 21: Permissions/Users


def test_permissions_users_is_a_list_of_permission_names(automate_client: httpx.Client) -> None:
    answer = automate_client.get("/Permissions/Users")
    assert answer.status_code == 200, answer.text
    names = answer.json()
    assert names and all(isinstance(name, str) for name in names)
    assert names == sorted(set(names))
    assert automate_client.get("/Permissions/Users").json() == names  # the same every time


def test_permissions_of_a_client_need_the_client(automate_client: httpx.Client) -> None:
    assert automate_client.get("/Permissions/Clients/2").status_code == 200
    assert automate_client.get("/Permissions/Clients/99999").status_code == 404


# ----------------------------------------------------------------------------- red team 7: stalls


def test_a_condition_being_evaluated_does_not_hold_up_other_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four clients' 12 kB `or` chains made `/_sandbox/stats` wait 8.4 s: conditions were
    evaluated on the one event loop. Here one list request is held inside its handling (as a
    long evaluation would be) while another connection asks for the stats and for a record:
    both are answered while it is held (before the fix, neither could be until it ended)."""
    with Sandbox(profile="automate", records=20) as sandbox:
        app = sandbox.app
        entered, release = threading.Event(), threading.Event()
        handle = app._handle

        def held(request: SandboxRequest, path: str) -> tuple[SandboxResponse, str]:
            if "HOLD" in request.target:
                entered.set()
                release.wait(30)
            return handle(request, path)

        monkeypatch.setattr(app, "_handle", held)
        answers: list[int] = []

        def slow_list() -> None:
            with socket_client(sandbox) as client:
                automate_login(client, sandbox)
                answers.append(client.get("/Computers", params={"condition": "ComputerName = 'HOLD'"}).status_code)

        worker = threading.Thread(target=slow_list)
        worker.start()
        try:
            assert entered.wait(10), "the list request never reached its handling"
            with socket_client(sandbox) as other:
                stats = httpx.get(sandbox.url + "/_sandbox/stats", timeout=10).json()
                automate_login(other, sandbox)
                one = other.get("/Computers/1", params={"includeFields": "Id"})
            assert stats["in_flight"] == 1  # the held request, still being handled
            assert one.status_code == 200 and one.json() == {"Id": "1"}
        finally:
            release.set()
            worker.join(30)
        assert answers == [200]
        assert sandbox.stats()["in_flight"] == 0
