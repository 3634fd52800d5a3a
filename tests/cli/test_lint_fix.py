"""`cwa-query lint --fix` / `--diff`: fixed conditions printed, files rewritten (or diffed),
what could not be fixed reported, and the exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_input_and_exit_codes import run

FILE = "# watched\r\nStatus == 'Online'\r\n\r\n  Nmae = 'SRV01'\r\nStatus = 'Online'\r\nComputerNme = 'x'"
FIXED = "# watched\r\nStatus = 'Online'\r\n\r\n  Name = 'SRV01'\r\nStatus = 'Online'\r\nComputerID = 'x'"


def test_arguments_are_printed_fixed_one_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "lint", "--fix", "--dialect", "seed", "--endpoint", "Computers",
        "Status == 'Online' && Name like 'SRV%'", "Nmae = 'x' and Status = 'Onlien'",
    )  # fmt: skip
    assert code == 0
    assert out == "Status = 'Online' and Name startswith 'SRV'\nName = 'x' and Status = 'Online'\n"
    assert "fixed 4 findings, 0 left" in err


def test_standard_input_passes_comments_and_blank_lines_through(capsys: pytest.CaptureFixture[str]) -> None:
    stdin = "# nightly\nStatus == 'Online'\n\nStatus = 'Online'\n"
    code, out, _ = run(capsys, "lint", "--fix", "--dialect", "seed", stdin=stdin)
    assert code == 0
    assert out == "# nightly\nStatus = 'Online'\n\nStatus = 'Online'\n"


def test_what_cannot_be_fixed_goes_to_standard_error_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint", "--fix", "--dialect", "automate", "--endpoint", "Computers", "Nmae = 'x'")
    assert code == 1
    assert out == "Nmae = 'x'\n"  # stdout stays the conditions, usable as a filter
    assert "#0:1:1: CWQ102 [unknown-field] error" in err and "fixed 0 findings, 1 left" in err


def test_warnings_left_do_not_fail(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--fix", "--dialect", "seed", "--select", "syntax-error", "Status = 'x'")
    assert (code, out) == (0, "Status = 'x'\n")


def test_files_are_rewritten_in_place_keeping_line_endings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "watch.cwaq"
    path.write_bytes(FILE.encode())
    code, out, err = run(capsys, "lint", "--fix", "--files", "--dialect", "seed", "--endpoint", "Computers", str(path))
    assert path.read_bytes() == FIXED.encode()
    # left: the seed schema's suggestion for ComputerNme is an integer field; reported at the rewritten file's line
    assert code == 1
    assert f"{path}:6:14: CWQ103 [type-mismatch] error" in out
    assert "fixed 3 findings, 1 left" in err


def test_files_report_in_the_chosen_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "watch.cwaq"
    path.write_bytes(FILE.encode())
    argv = ["lint", "--fix", "--files", "--format", "json", "--dialect", "seed", "--endpoint", "Computers", str(path)]
    _, out, _ = run(capsys, *argv)
    assert [(row["file"], row["line"], row["code"]) for row in json.loads(out)] == [(str(path), 6, "CWQ103")]


def test_a_clean_file_is_not_touched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "clean.cwaq"
    path.write_text("Status = 'Online'\n", encoding="utf-8")
    before = path.stat().st_mtime_ns
    code, out, _ = run(capsys, "lint", "--fix", "--files", "--dialect", "seed", str(path))
    assert (code, out) == (0, "")
    assert path.stat().st_mtime_ns == before


def test_diff_previews_and_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "watch.cwaq"
    path.write_bytes(FILE.encode())
    code, out, err = run(capsys, "lint", "--diff", "--files", "--dialect", "seed", "--endpoint", "Computers", str(path))
    assert path.read_bytes() == FILE.encode()
    assert code == 1  # a file would change
    assert out.startswith(f"--- {path}\n+++ {path}\n")
    assert "-Status == 'Online'\r\n+Status = 'Online'\r\n" in out
    assert "-  Nmae = 'SRV01'\r\n+  Name = 'SRV01'\r\n" in out
    assert "would fix 3 findings, 1 left" in err


def test_diff_of_clean_conditions_is_empty_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--diff", "--dialect", "seed", "Status = 'Online'")
    assert (code, out) == (0, "")
    code, out, _ = run(capsys, "lint", "--diff", "--dialect", "seed", "Status == 'Online'")
    assert code == 1
    assert "-Status == 'Online'\n+Status = 'Online'\n" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "lint", "--fix", "--files")[0] == 2
    assert run(capsys, "lint", "--fix", "--files", str(tmp_path / "missing.cwaq"))[0] == 2
    assert run(capsys, "lint", "--fix", "--select", "nope", "a = 1")[0] == 2
    assert run(capsys, "lint", "--fix", "--endpoint", "Nope", "a = 1")[0] == 2


def test_a_condition_that_is_not_utf8_is_refused_and_left_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint", "--fix", "--dialect", "seed", "Name = 'caf\udcc3'")
    assert (code, out) == (1, "Name = 'caf\ufffd'\n")
    assert "condition #0:12: byte 0xc3 is not valid UTF-8" in err


def test_the_manage_find_is_a_finding_not_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    # hypothesis found it: an unquoted pattern holding both quote characters
    code, out, err = run(capsys, "lint", "--dialect", "manage", "%'\"")
    assert code == 1
    assert "CWQ101 [syntax-error] error: unquoted pattern %'\"" in out
    assert "error:" not in err
