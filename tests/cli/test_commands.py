"""The command line: lint, fmt, translate, parse; exit codes, standard input, schemas."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cwa_query.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- lint


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["lint", "Status = 'Online'"], 0),
        (["lint", "Status = 'Onlien'", "--endpoint", "Computers"], 0),  # a warning only
        (["lint", "Status == 'Online'"], 1),
        (["lint", "--dialect", "seed", "Status = 'Online'", "Name like 'x%'"], 1),
        (["lint", "--dialect", "automate", "Name like 'x%'"], 0),
        (["lint", "--dialect", "sql", "a = 1"], 2),
        (["lint", "--format", "xml", "a = 1"], 2),
        (["lint", "--url-budget", "0", "a = 1"], 2),
        (["lint", "--endpoint", "Nowhere", "a = 1"], 2),
        (["lint", "--schema", "/nonexistent/schema.json", "a = 1"], 2),
        (["lint", "--ignore", "CWQ999", "a = 1"], 2),
        (["lint", "--ignore", "CWQ201", "Name like 'x%'"], 0),
        (["lint", "--select", "syntax-error", "Nme like 'x%'"], 0),
        ([], 2),
    ],
)
def test_lint_exit_codes(capsys: pytest.CaptureFixture[str], argv: list[str], expected: int) -> None:
    code, _, err = run(capsys, *argv)
    assert code == expected
    if expected == 2:
        assert "error" in err or "usage" in err


def test_lint_usage_errors_say_what(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lint", "--dialect", "seed", "--endpoint", "Computrs", "a = 1")
    assert code == 2
    assert err.strip() == (
        "cwa-query lint: error: the seed schema has no endpoint 'Computrs'; did you mean 'Computers'?"
    )


def test_lint_reads_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    stdin = "Status = 'Online'\n\nStatus == 'Online'\r\nName like 'x%'\n"
    code, out, _ = run(capsys, "lint", "--dialect", "seed", "--format", "json", stdin=stdin)
    assert code == 1
    rows = json.loads(out)
    assert [(row["input"], row["code"]) for row in rows] == [(2, "CWQ101"), (3, "CWQ201")]
    code, out, _ = run(capsys, "lint", "--dialect", "seed", "--format", "json", "Name like 'x%'", "-", stdin="a = 1\n")
    assert [(row["input"], row["code"]) for row in json.loads(out)] == [(0, "CWQ201"), (1, "CWQ102")]


def test_lint_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "Status == 'Online'")
    assert code == 1
    assert out.splitlines()[1:4] == ["  Status == 'Online'", "          ^", "  fix: Status = 'Online'"]
    code, out, _ = run(capsys, "lint", "Status = 'Online'")
    assert (code, out) == (0, "")


@pytest.mark.parametrize("fmt", ["github", "sarif", "json"])
def test_lint_other_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "lint", "--format", fmt, "Status == 'Online'")
    assert code == 1
    if fmt == "github":
        assert out.startswith("::error line=1,col=9,")
    else:
        json.loads(out)


def test_lint_with_a_user_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"endpoints": {"Widgets": {"fields": {"Size": "integer"}}}}), encoding="utf-8")
    code, out, _ = run(capsys, "lint", "--schema", str(path), "--format", "json", "Size = 'big' and Weight = 1")
    assert code == 1
    assert [row["code"] for row in json.loads(out)] == ["CWQ103", "CWQ102"]
    assert run(capsys, "lint", "--schema", str(path), "Size > 5")[0] == 0
    path.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "lint", "--schema", str(path), "Size > 5")
    assert code == 2
    assert "is not valid JSON" in err


def test_lint_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--list-rules")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["CWQ101", "syntax-error", "error"]


# ----------------------------------------------------------------------------- fmt, translate, parse


def test_fmt(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "fmt", "--dialect", "seed", "status='Online'   AND clientid=1", "NOT(a=1 OR b=2)")
    assert code == 0
    assert out.splitlines() == ["status = 'Online' and clientid = 1", "not (a = 1 or b = 2)"]
    code, out, _ = run(capsys, "fmt", "--dialect", "automate", "Name startswith 'x'", stdin=None)
    assert out == "Name like 'x%'\n"
    code, out, _ = run(capsys, "fmt", stdin="a=1\n\nb  =  2\n")
    assert out.splitlines() == ["a = 1", "b = 2"]


def test_fmt_bad_condition(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "fmt", "a = 1", "Status == 'Online'")
    assert code == 1
    assert out == "a = 1\n"
    assert err.splitlines()[:3] == [
        "cwa-query fmt: condition #1: unexpected '=' at line 1, column 9; expected a value",
        "  Status == 'Online'",
        "          ^",
    ]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "out", "code"),
    [
        (
            ["--to", "automate", "Name startswith 'A' and not (Status = 'Offline')"],
            "Name like 'A%' and Status != 'Offline'",
            0,
        ),
        (["--to", "automate", "LastContact >= '2024-02-14'"], "LastContact >= 2024-02-14", 0),
        (["--to", "automate", "Name = '2024-02-14'"], "Name = '2024-02-14'", 0),
        (
            ["--to", "seed", "Name like 'A%' and ClientID not in (1, 2)"],
            "Name startswith 'A' and not (ClientID in (1, 2))",
            0,
        ),
        (["--to", "seed", "LastHeartbeat >= 2024-02-14T10:00:00Z"], "LastHeartbeat >= '2024-02-14T10:00:00Z'", 0),
        (["--to", "seed", "Name like 'A_B%'"], "Name like 'A_B%'", 1),
    ],
)
def test_translate(capsys: pytest.CaptureFixture[str], argv: list[str], out: str, code: int) -> None:
    got_code, got_out, err = run(capsys, "translate", *argv)
    assert (got_code, got_out.strip()) == (code, out)
    assert ("no seed equivalent" in err) == (code == 1)


def test_translate_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "translate", "--to", "automate", "a == 1")
    assert code == 1
    assert "unexpected '='" in err and "Traceback" not in err
    code, _, err = run(capsys, "translate", "--to", "automate", "Name = 'a\"b''c'")
    assert code == 1
    assert "cannot be sent to the automate server safely" in err
    assert run(capsys, "translate", "a = 1")[0] == 2  # --to is required
    assert run(capsys, "translate", "--to", "seed", "--endpoint", "Nope", "a = 1")[0] == 2


def test_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", "--json", "Status = 'Online' and (x > 1.5 or y not in (true, 2024-01-02))")
    assert code == 0
    assert json.loads(out) == {
        "type": "and",
        "items": [
            {"type": "compare", "field": "Status", "op": "=", "value": {"type": "string", "value": "Online"}},
            {
                "type": "or",
                "items": [
                    {"type": "compare", "field": "x", "op": ">", "value": {"type": "decimal", "value": "1.5"}},
                    {
                        "type": "in",
                        "field": "y",
                        "negated": True,
                        "values": [{"type": "boolean", "value": True}, {"type": "datetime", "value": "2024-01-02"}],
                    },
                ],
            },
        ],
    }


def test_parse_text_and_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", "-", stdin="not (a = 1)\n")
    assert (code, out.splitlines()) == (0, ["not", "  compare a = 1 (integer)"])
    code, _, err = run(capsys, "parse", "a =")
    assert code == 1
    assert err.startswith("cwa-query parse: unexpected end of condition at line 1, column 4; expected a value")


# ----------------------------------------------------------------------------- the process


def _process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cwa_query", *args], input=stdin, capture_output=True, text=True, check=False
    )


@pytest.mark.slow  # six interpreter start-ups; the exit codes are also checked in process
def test_process_exit_codes_and_no_traceback() -> None:
    assert _process("lint", "Status = 'Online'").returncode == 0
    bad = _process("lint", "Status == 'Online'")
    assert bad.returncode == 1 and "fix: Status = 'Online'" in bad.stdout
    usage = _process("lint", "--format", "xml", "a = 1")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    piped = _process("lint", "--format", "json", stdin="a == 1\n")
    assert piped.returncode == 1 and json.loads(piped.stdout)[0]["input"] == 0
    for result in (bad, usage, piped, _process("fmt", "(a = 1"), _process("parse", "&&")):
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["Status = 'Online'"],
        ["--dialect", "seed", "Status = 'Online'"],
        ["--dialect", "automate", "ComputerNme = 'x'"],
        ["--dialect", "automate", "--endpoint", "Computers", "ComputerName = 'x'"],
    ],
)
def test_lint_process_stays_light(args: list[str]) -> None:
    """`cwa-query lint` must not import the HTTP stack, hypothesis nor lark (the parse tables
    are stored); a clean lint neither pathlib (with ntpath, 1 ms of a lint's start-up) nor
    difflib (it suggests a field for an unknown one)."""
    script = (
        "import sys\n"
        "from cwa_query.cli import main\n"
        f"code = main(['lint', *{args!r}])\n"
        "heavy = {'httpx', 'httpcore', 'hypothesis', 'anyio', 'lark', 'pathlib', 'difflib'}\n"
        "print(code, *sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    code, *heavy = result.stdout.splitlines()[-1].split()
    if "ComputerNme" in args[-1]:
        assert code == "1" and set(heavy) <= {"difflib", "pathlib"}
    else:
        assert code == "0" and heavy == []


def test_translate_escape_quotes_opts_into_doubling(capsys: pytest.CaptureFixture[str]) -> None:
    both = "Name = 'it''s \"q\"'"
    code, out, err = run(capsys, "translate", "--to", "automate", both)
    assert code == 1
    assert "--escape-quotes" in err
    code, out, _ = run(capsys, "translate", "--to", "automate", "--escape-quotes", both)
    assert (code, out) == (0, both + "\n")
