"""`cwa-query fetch`: the main job, against the sandbox (in this process, over loopback)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cwa_query import evaluate
from cwa_query.cli import main
from cwa_query.sandbox import FaultPlan, Sandbox, dataset

ENV = (
    "SERVER",
    "USERNAME",
    "PASSWORD",
    "USER",
    "PASS",
    "2FA",
    "CLIENT_ID",
    "PROFILE",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(f"CONNECTWISE_AUTOMATE_{name}", raising=False)


def online_ids(profile: str, records: int = 1000) -> list[int]:
    key = {"seed": "ComputerID", "automate": "Id"}[profile]
    rows = dataset(profile, records, seed=0).collection("Computers")  # type: ignore[arg-type]
    return [row[key] for row in rows if evaluate("Status = 'Online'", row)]


@pytest.mark.parametrize("profile", ["seed", "automate"])
def test_sandbox_fetch_is_the_readme_command(profile: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", "Computers", "--sandbox", "--profile", profile, "--where", "Status = 'Online'"])
    out, err = capsys.readouterr()
    assert code == 0, err
    key = {"seed": "ComputerID", "automate": "Id"}[profile]
    assert [json.loads(line)[key] for line in out.splitlines()] == online_ids(profile)
    assert err == ""  # no progress line when standard error is not a terminal


FORMAT_ROWS = [
    ("jsonl", lambda text: [json.loads(line) for line in text.splitlines()]),
    ("json", json.loads),
    ("csv", lambda text: list(csv.DictReader(io.StringIO(text)))),
]


@pytest.mark.parametrize(("fmt", "read"), FORMAT_ROWS)
def test_formats(fmt: str, read: object, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", "Computers", "--sandbox", "--profile", "automate", "--limit", "7", "--format", fmt])
    out, _ = capsys.readouterr()
    assert code == 0
    rows = read(out)  # type: ignore[operator]
    assert len(rows) == 7
    if fmt == "csv":
        assert "Client.Name" in rows[0] and "Client" not in rows[0]  # nested objects: dotted columns
        assert json.loads(rows[0]["OpenPortsTCP"]) is not None  # lists: JSON text
        assert rows[0]["Id"] == "1"


def test_empty_results_in_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, expected in [("jsonl", ""), ("json", "[]\n"), ("csv", "\n")]:
        code = main(["fetch", "Computers", "--sandbox", "--where", "Status = 'Nowhere'", "--format", fmt])
        out, _ = capsys.readouterr()
        assert (code, out) == (0, expected)


def test_fields_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "fetch",
            "Computers",
            "--sandbox",
            "--profile",
            "automate",
            "--fields",
            "Id,ComputerName,Client.Name",
            "--order-by",
            "ComputerName desc",
            "--limit",
            "4",
            "--format",
            "table",
        ]
    )
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["Id", "ComputerName", "Client.Name"]
    assert set(lines[1]) <= {"-", " "}
    names = [line.split()[1] for line in lines[2:]]
    assert len(names) == 4 and names == sorted(names, key=str.lower, reverse=True)


def test_progress_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["fetch", "Computers", "--sandbox", "--profile", "seed", "--limit", "300", "--page-size", "100"]
    code = main([*argv, "--progress"])  # the seed profile says how many records there are
    out, err = capsys.readouterr()
    assert code == 0
    assert len(out.splitlines()) == 300
    assert "300 of 300 records" in err and err.endswith("\n")


@pytest.fixture
def server() -> Iterator[Sandbox]:
    with Sandbox("seed", records=50) as sandbox:
        yield sandbox


def test_bad_condition_caret_exit_1_and_no_request(server: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", "Computers", "--server", server.url, "--where", "Status = 'Online' and"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "^" in err and "Traceback" not in err
    assert server.stats()["requests"] == 0


def test_without_a_server_one_line_names_the_variables(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", "Computers"])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "CONNECTWISE_AUTOMATE_SERVER" in err and "--sandbox" in err


def test_server_from_the_environment(
    server: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_SERVER", server.url)
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PROFILE", "seed")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USERNAME", "sandbox")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASSWORD", "sandbox")
    assert main(["fetch", "Computers", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 50
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASSWORD", "wrong-password-xyz")
    assert main(["fetch", "Computers"]) == 1
    _, err = capsys.readouterr()
    assert "login refused" in err and "wrong-password-xyz" not in err and "Traceback" not in err


def test_remote_plain_http_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", "Computers", "--server", "http://automate.example.com"])
    _, err = capsys.readouterr()
    assert code == 2 and "plain http" in err


def test_output_is_written_atomically(server: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USERNAME", "sandbox")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASSWORD", "sandbox")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PROFILE", "seed")
    target = tmp_path / "computers.jsonl"
    assert main(["fetch", "Computers", "--server", server.url, "--output", str(target)]) == 0
    assert len(target.read_text().splitlines()) == 50
    # a failure mid-way leaves the complete earlier file in place and no partial one
    url = server.url
    server.stop()  # nothing listens there any more: the connection is refused
    assert main(["fetch", "Computers", "--server", url, "-o", str(target), "--retries", "0"]) == 1
    assert len(target.read_text().splitlines()) == 50
    assert os.listdir(tmp_path) == ["computers.jsonl"]


def test_failure_mid_stream_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_USERNAME", "sandbox")
    monkeypatch.setenv("CONNECTWISE_AUTOMATE_PASSWORD", "sandbox")
    target = tmp_path / "out.csv"
    # page 1 arrives, a later page fails for good (a 500 with no retries left)
    plan = FaultPlan.parse("500=0.3")
    seed = next(s for s in range(100) if plan.schedule(6, seed=s)[:2] == [None, "500"])
    with Sandbox("seed", records=600, faults="500=0.3", fault_seed=seed) as sandbox:
        args = ["fetch", "Computers", "--server", sandbox.url, "--format", "csv", "-o", str(target), "--retries", "0"]
        code = main([*args, "--page-size", "100"])
    assert code == 1
    assert os.listdir(tmp_path) == []


def test_a_reader_that_stops_early_ends_fetch_quietly() -> None:
    # `cwa-query fetch ... | head -1`: the pipe closes under the writer; no traceback, no error.
    import subprocess
    import sys

    argv = [sys.executable, "-m", "cwa_query", "fetch", "Computers", "--sandbox", "--records", "3000"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert json.loads(first)["Id"] == "1"  # the automate profile sends ids as text
    assert code == 0
    assert "Traceback" not in err
    assert "error" not in err
