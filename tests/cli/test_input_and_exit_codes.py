"""What every subcommand does with its input: comment lines, bytes that are not UTF-8, and
one exit status policy (0 ok, 1 bad input or a finding, 2 a usage error)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cwa_query.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- comment lines

STDIN = "# conditions of the nightly report\nStatus == 'x'\n\n  # an indented comment\nName like 'x'\n"


def test_lint_skips_comment_and_blank_lines_and_keeps_line_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--dialect", "seed", "--format", "json", stdin=STDIN)
    assert code == 1
    assert [row["input"] for row in json.loads(out)] == [1, 4]  # the 0-based lines of the two conditions


def test_lint_text_counts_only_conditions(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "lint", "--dialect", "seed", stdin=STDIN)
    assert out.splitlines()[0].startswith("#1:1:9: CWQ101")
    assert out.splitlines()[-1] == "2 errors, 0 warnings in 2 conditions"


@pytest.mark.parametrize("command", [["fmt"], ["translate", "--to", "automate"]])
def test_fmt_and_translate_skip_comment_lines(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = run(capsys, *command, stdin="# header\nstatus='Online'\n  # note\n\nname = 'x'\n")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["status = 'Online'", "name = 'x'"]


def test_a_bad_condition_is_numbered_by_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "fmt", stdin="# header\na = 1\n\nb ==\n")
    assert code == 1
    assert out == "a = 1\n"
    assert err.startswith("cwa-query fmt: condition #3: ")


def test_a_hash_in_an_argument_is_a_condition(capsys: pytest.CaptureFixture[str]) -> None:
    # only lines read from standard input or files can be comments
    code, _, err = run(capsys, "fmt", "# not a comment here")
    assert code == 1 and "condition #0" in err


# --------------------------------------------------------------------------- exit statuses

BAD = "Status == 'Online'"


@pytest.mark.parametrize(
    "argv",
    [
        ["fmt", BAD],
        ["translate", "--to", "automate", BAD],
        ["parse", BAD],
        ["lint", BAD],
        ["fetch", "Computers", "--sandbox", "--where", BAD],
    ],
    ids=lambda argv: argv[0],
)
def test_a_bad_condition_exits_1_everywhere(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert "expected a value" in out + err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["fmt", "--dialect", "sql", "a = 1"],
        ["translate", "a = 1"],  # --to is required
        ["translate", "--to", "seed", "--endpoint", "Nope", "a = 1"],
        ["parse"],
        ["lint", "--schema", "/nonexistent/schema.json", "a = 1"],
        ["lint", "--select", "no-such-rule", "a = 1"],
        ["fetch", "Computers", "--where", "a = 1"],  # no server
        ["fetch", "Computers", "--sandbox", "--fields", ",", "--where", "a = 1"],
    ],
    ids=lambda argv: " ".join(argv[:3]),
)
def test_usage_errors_exit_2_everywhere(
    capsys: pytest.CaptureFixture[str], argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONNECTWISE_AUTOMATE_SERVER", raising=False)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "error:" in err and "Traceback" not in err


# --------------------------------------------------------------------------- bytes that are not UTF-8

BAD_BYTES = b"Name = 'caf\xe9' and Status = 'Online'"  # latin-1: 0xe9 at column 12


def run_bytes(
    capsys: pytest.CaptureFixture[str], *argv: bytes | str, stdin: bytes | None = None
) -> tuple[int, str, str]:
    """In process, with the arguments as Python hands over bytes in sys.argv (surrogateescape)
    and a standard input of bytes."""
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict")
    try:
        code = main([os.fsdecode(arg) for arg in argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    assert "\udce9" not in out + err and "\xe9" not in out + err  # the byte is never echoed
    return code, out, err


COMMANDS = [["fmt"], ["translate", "--to", "automate"], ["parse"], ["lint"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_argument_that_is_not_utf8_is_refused_with_its_position(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, _, err = run_bytes(capsys, *command, BAD_BYTES)
    assert code == 1
    assert "byte 0xe9 is not valid UTF-8 at line 1, column 12" in err


@pytest.mark.parametrize(
    ("command", "printed"),
    [(["fmt"], "Status = 'Online'\n"), (["translate", "--to", "automate"], "Status = 'Online'\n"), (["lint"], "")],
    ids=lambda c: c[0] if isinstance(c, list) else "",
)
def test_standard_input_that_is_not_utf8_is_refused_at_its_line(
    capsys: pytest.CaptureFixture[str], command: list[str], printed: str
) -> None:
    code, out, err = run_bytes(capsys, *command, "-", stdin=b"Status = 'Online'\n" + BAD_BYTES + b"\n")
    assert code == 1
    assert "condition #1: byte 0xe9 is not valid UTF-8 at line 1, column 12" in err
    assert out == printed  # the good condition still goes through


def test_parse_reads_one_condition_from_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_bytes(capsys, "parse", "-", stdin=b"a = 1 and\n" + BAD_BYTES + b"\n")
    assert code == 1
    assert "byte 0xe9 is not valid UTF-8 at line 2, column 12" in err


def test_fetch_where_that_is_not_utf8_is_refused_before_any_request(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_bytes(capsys, "fetch", "Computers", "--sandbox", "--where", BAD_BYTES)
    assert (code, out) == (1, "")
    assert "byte 0xe9 is not valid UTF-8 at line 1, column 12" in err


def test_lint_json_output_stays_valid_when_a_condition_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_bytes(capsys, "lint", "--format", "json", "-", stdin=b"Status == 'x'\n" + BAD_BYTES + b"\n")
    assert code == 1
    assert [row["input"] for row in json.loads(out)] == [0]


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        ([b"Comp\xe9"], "ENDPOINT"),
        (["Computers", "--order-by", b"Name\xe9"], "--order-by"),
        (["Computers", "--fields", b"Name,\xe9"], "--fields"),
    ],
    ids=["endpoint", "order-by", "fields"],
)
def test_fetch_options_that_are_not_utf8_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[bytes | str], name: str
) -> None:
    code, _, err = run_bytes(capsys, "fetch", *argv, "--sandbox")
    assert code == 2
    assert f"argument {name}: byte 0xe9 is not valid UTF-8 at column" in err


def test_a_real_process_with_strict_utf8_streams_refuses_cleanly() -> None:
    """End to end: real bytes in argv and on standard input, standard streams that raise on
    anything not UTF-8 (as in a UTF-8 locale): no traceback, no byte echoed."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "PYTHONUTF8": "0", "LC_ALL": "C.UTF-8"}
    for argv, stdin in (([b"fmt", BAD_BYTES], b""), ([b"lint", b"-"], b"Status = 'Online'\n" + BAD_BYTES + b"\n")):
        result = subprocess.run(
            [sys.executable, "-m", "cwa_query", *argv],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        assert b"\xe9" not in result.stdout + result.stderr
        err = result.stderr.decode("utf-8")
        assert "Traceback" not in err and "byte 0xe9 is not valid UTF-8 at line 1, column 12" in err


# --------------------------------------------------------------------------- hostile schema files


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[" * 100_000, "nested deeper than 32 levels"),  # issue 21, red team 10: was a RecursionError, exit 1
        (
            '{"endpoints": {"Computers": {"fields": {"Id": {"type": "integer", "values": [' + "9" * 5000 + "]}}}}}",
            "integer of 5000 digits",
        ),
    ],
    ids=["nested", "long-integer"],
)
@pytest.mark.parametrize(
    "argv",
    [["fields", "Computers"], ["lint", "Id = 1"], ["translate", "--to", "odata", "Id = 1"]],
    ids=lambda argv: argv[0],
)
def test_a_hostile_schema_file_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, says: str, argv: list[str]
) -> None:
    schema = tmp_path / "hostile.json"
    schema.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, argv[0], "--schema", str(schema), *argv[1:])
    assert code == 2
    assert says in err and "Traceback" not in err and "RecursionError" not in err
