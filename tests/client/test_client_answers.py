"""Hostile or broken answers become typed errors naming the request (issue 13, item 4)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwa_query import AsyncClient, AuthenticationError, BadRequestError, Client, CwaQueryError, DecodeError
from cwa_query.client import MAX_JSON_DEPTH, loads

DEEP = b"[" * 50_000
DEEP_CLOSED = b"[" * 50_000 + b"]" * 50_000
LOGIN = {"AccessToken": "t0ken", "ExpiresIn": 3600}


def serve(page: bytes, *, status: int = 200, login: bytes | None = None) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("APICredentials"):
            return httpx.Response(200, content=login if login is not None else json.dumps(LOGIN).encode())
        return httpx.Response(status, content=page, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(answer)


def fetch(transport: httpx.MockTransport, mode: str) -> None:
    options = {"username": "api", "password": "pw", "rate_limit": None, "profile": "seed"}
    if mode == "sync":
        with Client("http://127.0.0.1:9", transport=transport, **options) as client:  # type: ignore[arg-type]
            client.get_all("Computers")
        return

    async def run() -> None:
        async with AsyncClient("http://127.0.0.1:9", transport=transport, **options) as client:  # type: ignore[arg-type]
            await client.get_all("Computers")

    asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("body", [DEEP, DEEP_CLOSED, b"[[" + b'{"a":' * 30_000], ids=["open", "closed", "objects"])
def test_a_deeply_nested_page_is_a_decode_error_naming_the_request(mode: str, body: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        fetch(serve(body), mode)
    error = info.value
    assert isinstance(error, CwaQueryError)
    assert (error.status, error.method, error.path) == (200, "GET", "/cwa/api/v1/Computers")
    assert "cannot be read" in error.message
    assert not isinstance(error.__cause__ or error.__context__, RecursionError)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_deeply_nested_error_body_keeps_its_status_error(mode: str) -> None:
    with pytest.raises(BadRequestError) as info:
        fetch(serve(DEEP_CLOSED, status=400), mode)
    assert info.value.status == 400 and len(info.value.message) < 600


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_deeply_nested_login_answer_is_an_authentication_error(mode: str) -> None:
    with pytest.raises(AuthenticationError, match="held no access token"):
        fetch(serve(b"[]", login=DEEP), mode)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_page_that_is_not_a_list_or_not_json(mode: str) -> None:
    with pytest.raises(DecodeError, match="expected a JSON array"):
        fetch(serve(b'{"Message": "ok"}'), mode)
    with pytest.raises(DecodeError, match="not valid JSON"):
        fetch(serve(b"<html>"), mode)


def test_the_depth_limit_is_exact() -> None:
    assert loads(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(ValueError, match="deeper than"):
        loads(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    # brackets inside strings do not count, escaped quotes do not end a string
    text = json.dumps([{"a": "[[[[" * 1000 + '\\"{{{' * 500}] * 300).encode()
    assert len(loads(text)) == 300


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


TRICKY_TEXT = st.text(alphabet='[]{}"\\ab\n/', max_size=8)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY_TEXT, inner, max_size=3),
    max_leaves=30,
)


@given(JSON_VALUES, st.booleans())
def test_the_depth_check_agrees_with_the_decoded_depth(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    limit = depth(value)
    assert loads(text, max_depth=max(limit, 0)) == value
    if limit > 0:
        # the quick count may pass texts that are shallow enough; a deeper one is always refused
        wrapped = b"[" * 120 + text + b"]" * 120
        with pytest.raises(ValueError, match="deeper than"):
            loads(wrapped, max_depth=limit + 119)
        assert loads(wrapped, max_depth=limit + 120) is not None
