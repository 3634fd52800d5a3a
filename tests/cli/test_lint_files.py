"""`cwa-query lint --files`: files of conditions, findings at FILE:LINE:COLUMN in every format,
and the pre-commit hook that uses it."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from cwa_query.cli import main

CONDITIONS = """# computers we watch
Status = 'Online'

Status == 'Online'
  ComputerNme = 'x'
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def conditions_file(tmp_path: Path) -> Path:
    path = tmp_path / "watch.cwaq"
    path.write_text(CONDITIONS, encoding="utf-8")
    return path


def test_text_points_at_file_lines(capsys: pytest.CaptureFixture[str], conditions_file: Path) -> None:
    argv = ["lint", "--files", "--dialect", "automate", "--endpoint", "Computers", str(conditions_file)]
    code, out, _ = run(capsys, *argv)
    assert code == 1
    assert f"{conditions_file}:4:9: CWQ101 [syntax-error]" in out
    assert f"{conditions_file}:5:3: CWQ102 [unknown-field]" in out
    assert "2 errors, 0 warnings in 3 conditions" in out  # comment and blank lines skipped


def test_json_carries_the_file_and_its_lines(capsys: pytest.CaptureFixture[str], conditions_file: Path) -> None:
    code, out, _ = run(capsys, "lint", "--files", "--format", "json", "--endpoint", "Computers", str(conditions_file))
    rows = json.loads(out)
    assert code == 1
    assert [(row["file"], row["line"], row["column"], row["code"]) for row in rows] == [
        (str(conditions_file), 4, 9, "CWQ101"),
        (str(conditions_file), 5, 3, "CWQ102"),
    ]


def test_github_annotates_the_file(capsys: pytest.CaptureFixture[str], conditions_file: Path) -> None:
    _, out, _ = run(capsys, "lint", "--files", "--format", "github", str(conditions_file))
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={conditions_file},line=4,col=9,endLine=4,")


def test_sarif_regions_and_fixes_are_in_file_coordinates(
    capsys: pytest.CaptureFixture[str], conditions_file: Path
) -> None:
    _, out, _ = run(capsys, "lint", "--files", "--format", "sarif", str(conditions_file))
    run_ = json.loads(out)["runs"][0]
    assert [a["location"]["uri"] for a in run_["artifacts"]] == [str(conditions_file)]
    result = run_["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (4, 9)
    replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    deleted = replacement["deletedRegion"]
    text = conditions_file.read_text(encoding="utf-8")
    assert text[deleted["charOffset"] : deleted["charOffset"] + deleted["charLength"]] == "Status == 'Online'"
    assert replacement["insertedContent"]["text"] == "Status = 'Online'"


def test_clean_files_exit_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ok.cwaq"
    path.write_text("Status = 'Online'\n# nothing else\n", encoding="utf-8")
    assert run(capsys, "lint", "--files", str(path)) == (0, "", "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--files"], "--files needs at least one FILE"),
        (["--files", "/nonexistent/x.cwaq"], "cannot read /nonexistent/x.cwaq"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, _, err = run(capsys, "lint", *argv)
    assert code == 2
    assert message in err


def test_undecodable_line_is_refused_at_its_place(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "latin1.cwaq"
    path.write_bytes(b"# latin-1, not UTF-8\nName = 'caf\xe9'\nStatus = 'Online'\n")
    code, _, err = run(capsys, "lint", "--files", str(path))
    assert code == 1
    assert f"{path}:2:12: byte 0xe9 is not valid UTF-8" in err
    assert "\udce9" not in err and "Traceback" not in err


def test_the_pre_commit_hook_runs_as_declared(conditions_file: Path) -> None:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "cwa-query-lint"
    entry = shlex.split(hook["entry"])
    assert entry[0] == "cwa-query"
    # pre-commit runs: entry + the user's args + the matching file names.
    argv = [sys.executable, "-m", "cwa_query", *entry[1:], "--dialect", "automate", str(conditions_file)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert f"{conditions_file}:4:9:" in done.stdout
