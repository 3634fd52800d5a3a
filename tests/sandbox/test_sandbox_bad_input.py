"""Bad input gets a 4xx with a clear body over a real socket, never a crash or a hang."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from cwa_query.sandbox import Sandbox
from cwa_query.sandbox._resources import Resources
from tests.sandbox.sandbox_helpers import seed_login, socket_client


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(profile="seed", records=10) as running:
        yield running


def exchange(sandbox: Sandbox, data: bytes, *, shut: bool = False) -> bytes:
    """Send raw bytes; everything the server answers until it closes (5 s at most)."""
    host, port = sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(data)
        if shut:
            raw.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := raw.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


@pytest.mark.parametrize(
    ("request_bytes", "status", "words"),
    [
        (b"GARBAGE\r\n\r\n", 400, b"Malformed HTTP request"),
        (b"GET / HTTP/1.1\r\n\r\n", 400, b"Malformed HTTP request"),  # HTTP/1.1 without Host
        (
            b"GET /cwa/api/v1/Computers HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
            431,
            b"request head",
        ),
        (
            b"GET /cwa/api/v1/Computers?condition=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
            b"request line",
        ),
        (
            b"POST /cwa/api/v1/APICredentials HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n",
            413,
            b"larger than",
        ),
        (b"GET /cwa/api/v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400, b"illegal request line"),
        (b"POST /cwa/api/v1/APICredentials HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, b"Malformed"),
    ],
)
def test_malformed_http_gets_a_clean_error_and_close(
    sandbox: Sandbox, request_bytes: bytes, status: int, words: bytes
) -> None:
    reply = exchange(sandbox, request_bytes)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert status_of(reply) == status
    assert b'"error"' in body
    assert words in body
    assert b"connection: close" in head.lower()


def test_chunked_body_too_large_is_413(sandbox: Sandbox) -> None:
    chunk = b"x" * 65536
    head = b"POST /cwa/api/v1/APICredentials HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20))
    assert status_of(exchange(sandbox, head + body)) == 413


def test_half_a_request_then_close_does_not_hurt(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, b"GET /cwa/api/v1/Comp", shut=True)
    assert status_of(reply) == 400  # the client can still read after closing its side
    with socket_client(sandbox) as client:
        assert client.get("/Computers").status_code == 401  # still serving


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("GET", "/nothing", 404, None),
        ("GET", "/cwa/api/v1/Nothing", 404, None),
        ("GET", "/cwa/api/v2/Computers", 404, None),
        ("GET", "/cwa/api/v1/Computers/1/Extra", 404, None),
        ("DELETE", "/cwa/api/v1/Computers", 405, "GET"),
        ("PUT", "/cwa/api/v1/Computers/3", 405, "GET"),
        ("GET", "/cwa/api/v1/APICredentials", 405, "POST"),
        ("GET", "/cwa/api/v1/Computers/1/Scripts/1/Execute", 405, "POST"),
        ("POST", "/_sandbox/stats", 405, "GET, DELETE"),
        ("GET", "/_sandbox/other", 404, None),
    ],
)
def test_unknown_endpoints_and_wrong_methods(
    sandbox: Sandbox, method: str, path: str, status: int, allow: str | None
) -> None:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as client:
        answer = client.request(method, path)
    assert answer.status_code == status
    assert answer.json()["error"]["message"]
    assert answer.headers.get("Allow") == allow


@pytest.mark.parametrize(
    ("content", "content_type", "status", "message"),
    [
        (b"{not json", "application/json", 400, "The body is not valid JSON: Expecting property name"),
        (b"", "application/json", 400, "The body is not valid JSON"),
        (b"\xff\xfe", "application/json", 400, "The body is not UTF-8"),
        (b"[1, 2]", "application/json", 400, "The body must be a JSON object, got list"),
        (
            b'{"Username": ["sandbox"], "Password": "sandbox"}',
            "application/json",
            400,
            "The Username field must be a string",
        ),
        (
            b"Username=sandbox&Password=sandbox",
            "application/x-www-form-urlencoded",
            415,
            "Send the body as application/json",
        ),
    ],
)
def test_bad_login_bodies(sandbox: Sandbox, content: bytes, content_type: str, status: int, message: str) -> None:
    with socket_client(sandbox) as client:
        answer = client.post("/APICredentials", content=content, headers={"Content-Type": content_type})
    assert answer.status_code == status
    assert answer.json()["error"]["message"].startswith(message)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("condition=Status%20%3D%20%27%FF%27", "The query string is not UTF-8 after percent-decoding"),
        ("&".join(f"p{i}=1" for i in range(300)), "Malformed query string"),
        ("pageSize=" + "9" * 40, "The pageSize parameter must be a whole number"),
    ],
)
def test_bad_query_strings(sandbox: Sandbox, query: str, message: str) -> None:
    with socket_client(sandbox) as client:
        seed_login(client, sandbox)
        answer = client.get(f"/Computers?{query}")
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith(message)


def test_long_but_acceptable_condition_is_parsed_not_refused(sandbox: Sandbox) -> None:
    condition = " or ".join(f"ComputerID = {i}" for i in range(1, 600))
    with socket_client(sandbox) as client:
        seed_login(client, sandbox)
        answer = client.get("/Computers", params={"condition": condition, "pageSize": 100})
    assert (answer.status_code, len(answer.json())) == (200, 10)


def test_keep_alive_serves_many_requests_on_one_connection(sandbox: Sandbox) -> None:
    host, port = sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"GET /_sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n" * 3)
        data = b""
        while data.count(b"HTTP/1.1 200") < 3:
            chunk = raw.recv(65536)
            assert chunk
            data += chunk
    assert data.count(b"HTTP/1.1 200") == 3


def test_the_server_survives_all_of_it(sandbox: Sandbox) -> None:
    with socket_client(sandbox) as client:
        seed_login(client, sandbox)
        assert client.get("/Computers").status_code == 200
    assert sandbox.stats()["in_flight"] == 0


def test_a_bug_in_a_handler_is_a_500_not_a_dropped_connection(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Resources, "page", broken)
    with Sandbox(profile="seed", records=5) as sandbox, socket_client(sandbox) as client:
        seed_login(client, sandbox)
        answer = client.get("/Computers")
        after = client.get("/Computers/1")
    assert (answer.status_code, answer.json()["error"]["message"]) == (500, "Internal sandbox error")
    assert "X-RateLimit-Limit" in answer.headers
    assert after.status_code == 200
    assert "boom" in caplog.text  # logged for the developer, not sent to the client
