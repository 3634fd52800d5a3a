"""`cwa-query sandbox` as a subprocess: the URL first, request logs on stderr, exit 0 on signals."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

PASSWORD = "cli-s3cret-pass"


@contextmanager
def running(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cwa_query", "sandbox", "--port", "0", "--records", "20", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(30)
    try:
        assert first and first[0], "no URL line within 30 s"
        yield process, first[0].strip()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str, str]:
    process.send_signal(signum)
    out, err = process.communicate(timeout=20)
    return process.returncode, out, err


# SIGTERM also ends the servers of the tests below (each asserts exit 0); its own case is slow
@pytest.mark.parametrize("signum", [signal.SIGINT, pytest.param(signal.SIGTERM, marks=pytest.mark.slow)])
def test_serves_logs_and_exits_0_on_signal(signum: int) -> None:
    with running("--profile", "automate", "--password", PASSWORD) as (process, url):
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=f"{url}/cwa/api/v1", trust_env=False, headers={"ClientId": "cli"}) as client:
            token = client.post("/apitoken", json={"UserName": "sandbox", "Password": PASSWORD}).json()["AccessToken"]
            listing = client.get("/Computers", params={"pageSize": 5}, headers={"Authorization": f"Bearer {token}"})
        code, out, err = stop(process, signum)
    assert listing.status_code == 200
    assert len(listing.json()) == 5
    assert code == 0
    assert out == ""  # nothing after the URL line
    assert '"POST /cwa/api/v1/apitoken" 200' in err
    assert '"GET /cwa/api/v1/Computers?pageSize=5" 200' in err
    assert PASSWORD not in err
    assert token not in err


def test_options_reach_the_server() -> None:
    argv = ("--profile", "seed", "--rate-limit", "7", "--faults", "503=1", "--fault-seed", "3", "--username", "op")
    with running(*argv) as (process, url):
        with httpx.Client(base_url=f"{url}/cwa/api/v1", trust_env=False) as client:
            login = client.post("/APICredentials", json={"Username": "op", "Password": "sandbox"})
            answer = client.get("/Scripts", headers={"Authorization": f"Bearer {login.json()['AccessToken']}"})
            stats = httpx.get(f"{url}/_sandbox/stats", trust_env=False).json()
        code, _, err = stop(process, signal.SIGTERM)
    assert (answer.status_code, answer.headers["X-RateLimit-Limit"]) == (503, "7")
    assert stats["faults_injected"] == {"503": 1}
    assert stats["records"] == 20
    assert "faults: 503=1 (a 503 with an error body); fault seed 3" in err
    assert code == 0


def test_automate_options_reach_the_server() -> None:
    options = ("--profile", "automate", "--ignore-unknown-parameters", "--token-date-offset", "--max-body-bytes", "200")
    with running(*options) as (process, url):
        with httpx.Client(base_url=f"{url}/cwa/api/v1", trust_env=False, headers={"ClientId": "cli"}) as client:
            login = client.post("/apitoken", json={"UserName": "sandbox", "Password": "sandbox"})
            client.headers["Authorization"] = f"Bearer {login.json()['AccessToken']}"
            typo = client.get("/Computers", params={"conditon": "Id = 1", "pageSize": 50})
            large = client.post("/Batch/ScriptExecute", json={"EntityIds": list(range(100)), "ScriptId": 1})
        code, _, _ = stop(process, signal.SIGTERM)
    assert login.json()["ExpirationDate"].endswith("+00:00")
    assert (typo.status_code, len(typo.json())) == (200, 20)  # the typo ignored, as the real server does
    assert large.status_code == 413
    assert code == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--faults", "teapot=0.5"], "unknown fault kind 'teapot'"),
        # a process each: the quick loop runs the first
        *(
            pytest.param(*case, marks=pytest.mark.slow)
            for case in [
                (["--faults", "500=0.7,503=0.7"], "fault probabilities sum to 1.4"),
                (["--records", "0"], "expected a number >= 1"),
                (["--profile", "nope"], "invalid choice"),
                (["--latency-ms", "fast"], "expected a number"),
            ]
        ),
    ],
)
def test_bad_options_exit_2(options: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cwa_query", "sandbox", "--port", "0", *options],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_port_in_use_exits_2() -> None:
    with running() as (process, url):
        port = url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "cwa_query", "sandbox", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
        stop(process, signal.SIGINT)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
