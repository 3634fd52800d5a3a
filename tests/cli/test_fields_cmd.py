"""`cwa-query fields`: an endpoint's fields, types and known values, as text and JSON."""

from __future__ import annotations

import json

import pytest

from cwa_query.cli import main
from cwa_query.schema import builtin_schema


def test_text_lists_every_field_with_its_type(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "Computers", "--dialect", "automate"]) == 0
    out = capsys.readouterr().out.splitlines()
    fields = builtin_schema("automate").fields("Computers")
    assert out[0] == f"Computers (automate catalogue): {len(fields)} fields"
    rows = {line.split()[0]: line.split()[1] for line in out[2:]}
    assert len(rows) == len(fields)
    assert rows["Id"] == "id"
    assert rows["OpenPortsTCP"] == "integer[]"
    assert rows["Client.Name"] == "string"
    assert rows["RemoteAgentLastContact"] == "datetime"


def test_known_values_are_shown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "computers", "--dialect", "seed"]) == 0  # any case
    status = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Status "))
    assert status.split(None, 2)[2] == "Online, Offline, Unknown"


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "/cwa/api/v1/Computers/12/Software", "--dialect", "automate", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["endpoint"], document["dialect"], document["schema"]) == (
        "Computers/{computerId}/Software",
        "automate",
        "automate",
    )
    by_path = {field["path"]: field for field in document["fields"]}
    assert by_path["ComputerId"] == {"path": "ComputerId", "type": "integer", "array": False, "values": None}


def test_a_schema_file(tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "schema.json"  # type: ignore[operator]
    path.write_text(json.dumps({"name": "mine", "endpoints": {"Things": {"fields": {"Size": "integer"}}}}))
    assert main(["fields", "Things", "--schema", str(path)]) == 0
    assert "Size" in capsys.readouterr().out


def test_an_unknown_endpoint_is_a_usage_error_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fields", "Computrs", "--dialect", "automate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cwa-query fields: error: the automate schema has no endpoint 'Computrs'")
    assert "did you mean 'Computers'" in err
