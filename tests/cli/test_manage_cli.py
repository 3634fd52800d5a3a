"""The command line's manage profile: fetch (against the sandbox, in process), fields, lint."""

from __future__ import annotations

import json

import pytest

from cwa_query import evaluate
from cwa_query.cli import main
from cwa_query.sandbox import Sandbox, dataset


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for prefix in ("CONNECTWISE_AUTOMATE_", "CONNECTWISE_MANAGE_"):
        for name in ("SERVER", "COMPANY", "PUBLIC_KEY", "PRIVATE_KEY", "CLIENT_ID", "CODEBASE", "PROFILE", "USERNAME"):
            monkeypatch.delenv(prefix + name, raising=False)


def test_fetch_from_the_sandbox_in_the_manage_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    where = 'status/name = "Closed" and company/id <= 10'
    code = main(
        ["fetch", "service/tickets", "--profile", "manage", "--sandbox", "--records", "30", "--where", where,
         "--order-by", "id desc", "--fields", "id,company/identifier"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    rows = dataset("manage", 30, 0).collection("service/tickets")
    expected = sorted((r for r in rows if evaluate(where, r, dialect="manage")), key=lambda r: -r["id"])
    got = [json.loads(line) for line in out.splitlines()]
    assert got == [{"id": r["id"], "company.identifier": r["company"]["identifier"]} for r in expected]
    assert len(got) > 2


def test_fetch_with_keys_from_flags_and_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Sandbox("manage", records=12, private_key="Flag-Priv", client_id="cli") as sandbox:
        monkeypatch.setenv("CONNECTWISE_MANAGE_SERVER", sandbox.url)
        monkeypatch.setenv("CONNECTWISE_MANAGE_PUBLIC_KEY", "sandbox-public")
        args = ["fetch", "company/companies", "--profile", "manage", "--company", "sandbox", "--client-id", "cli"]
        monkeypatch.setenv("CONNECTWISE_MANAGE_PRIVATE_KEY", "Flag-Priv")
        assert main([*args, "--limit", "3"]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 3
        monkeypatch.setenv("CONNECTWISE_MANAGE_PRIVATE_KEY", "wrong")
        assert main(args) == 1
        err = capsys.readouterr().err
    assert "HTTP 401" in err and "Flag-Priv" not in err and "wrong" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["fetch", "Computers", "--profile", "automate", "--company", "x", "--sandbox"], "--company: only the manage"),
        (["fetch", "service/tickets", "--profile", "manage", "--sandbox", "--company", "x"], "makes its own"),
        (["fetch", "service/tickets", "--profile", "manage"], "CONNECTWISE_MANAGE_SERVER"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_bad_manage_condition_is_refused_before_any_request(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["fetch", "service/tickets", "--profile", "manage", "--sandbox", "--records", "5"]
    assert main([*argv, "--where", "closedDate > 2024-01-01"]) == 1
    assert "square brackets" in capsys.readouterr().err
    assert main([*argv, "--where", "compny/id = 1"]) == 1
    assert "did you mean 'company/id'" in capsys.readouterr().err


def test_fields_and_lint_use_the_manage_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "--dialect", "manage", "service/tickets", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    paths = {row["path"]: row["type"] for row in document["fields"]}
    assert paths["company.identifier"] == "string" and paths["closedFlag"] == "boolean"
    code = main(["lint", "--dialect", "manage", "--endpoint", "service/tickets", 'statuss/name = "Open"'])
    assert code == 1
    assert "did you mean 'status/name'" in capsys.readouterr().out
