"""Validate before sending (issue 12): a condition the linter finds errors in is refused
before any request, with the linter's message and fix; `validate="warn"` / `"off"` send it."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import pytest

from cwa_query import (
    AsyncClient,
    BadRequestError,
    Client,
    ConditionRejectedError,
    ConditionWarning,
    ConfigurationError,
    F,
)
from cwa_query.sandbox import Sandbox

REFUSED = {
    "seed": [("Nmae = 'x'", "CWQ102", "Name = 'x'")],
    "automate": [
        ("ComputerNme = 'x'", "CWQ102", "ComputerName = 'x'"),
        ("RemoteAgentLastContact > '2024-01-01'", "CWQ202", "RemoteAgentLastContact > 2024-01-01"),
    ],
}
CASES = [(profile, *case) for profile, cases in REFUSED.items() for case in cases]


def options(sandbox: Sandbox, **extra: Any) -> dict[str, Any]:
    creds = sandbox.credentials
    return {
        "username": creds.username,
        "password": creds.password,
        "client_id": creds.client_id,
        "profile": sandbox.config.profile,
        **extra,
    }


def count(sandbox: Sandbox, mode: str, where: Any, **extra: Any) -> int:
    if mode == "sync":
        with Client(sandbox.url, **options(sandbox, **extra)) as client:
            return len(client.get_all("Computers", where))

    async def run() -> int:
        async with AsyncClient(sandbox.url, **options(sandbox, **extra)) as client:
            return len(await client.get_all("Computers", where))

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("profile", "condition", "code", "fix"), CASES)
def test_a_condition_with_linter_errors_is_refused_before_any_request(
    profile: str, condition: str, code: str, fix: str, mode: str
) -> None:
    with Sandbox(profile, records=20) as sandbox:  # type: ignore[arg-type]
        with pytest.raises(ConditionRejectedError) as info:
            count(sandbox, mode, condition)
        assert sandbox.stats()["requests"] == 0  # not even a login
    error = info.value
    assert [d.code for d in error.findings] == [code]
    assert error.findings[0].fix == fix
    assert error.condition == condition and error.endpoint == "Computers"
    assert code in str(error) and fix in str(error) and "validate='warn'" in str(error)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_warn_sends_with_a_warning_and_off_sends_silently(mode: str) -> None:
    with Sandbox("seed", records=20) as sandbox:
        with pytest.warns(ConditionWarning, match="CWQ102"), pytest.raises(BadRequestError, match="Invalid field"):
            count(sandbox, mode, "Nmae = 'x'", validate="warn")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(BadRequestError, match="Invalid field"):
                count(sandbox, mode, "Nmae = 'x'", validate="off")


def test_a_clean_condition_and_builder_expressions_go_through() -> None:
    with Sandbox("automate", records=20) as sandbox:
        assert count(sandbox, "sync", (F.Status == "Online") & F.ComputerName.startswith("A")) >= 0
        assert count(sandbox, "sync", "Status = 'Online'") > 0


def test_an_unknown_validate_value_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="validate must be one of"):
        Client("127.0.0.1", validate="strict")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- cwa-query fetch


def fetch(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from cwa_query.cli import main

    code = main(["fetch", "Computers", "--sandbox", "--records", "20", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_fetch_refuses_a_condition_with_linter_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = fetch(capsys, "--profile", "seed", "--where", "Nmae = 'x'")
    assert (code, out) == (1, "")
    assert "CWQ102" in err and "fix: Name = 'x'" in err and "--validate" in err
    code, out, err = fetch(capsys, "--profile", "seed", "--where", "Nmae = 'x'", "--validate", "warn")
    assert code == 1 and "warning: sending a condition" in err and "HTTP 400" in err  # sent: the server refused it


def test_fetch_checks_fields_against_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = fetch(capsys, "--profile", "automate", "--fields", "Id,ComputerNme", "--limit", "1")
    assert (code, out) == (1, "")
    assert "has no field 'ComputerNme'; did you mean 'ComputerName'?" in err
    code, out, err = fetch(capsys, "--profile", "automate", "--fields", "Id,ComputerName,Client.Name", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2 and err == ""
    code, out, err = fetch(
        capsys, "--profile", "seed", "--fields", "ComputerID,Nmae", "--limit", "1", "--validate", "off"
    )
    assert code == 0 and '"Nmae": null' in out  # not checked: the projection fills in null
