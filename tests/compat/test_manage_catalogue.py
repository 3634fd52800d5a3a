"""The committed Manage catalogue is what `scripts/gen_manage_schema.py` writes from the
installed pyconnectwise (skipped when another version is installed than the file names)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from cwa_query import load_schema
from cwa_query.sandbox._manage import SERVED

pytestmark = pytest.mark.compat
pytest.importorskip("pyconnectwise")

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "cwa_query" / "data" / "manage_schema.json"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_manage_schema", ROOT / "scripts" / "gen_manage_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_catalogue_regenerates_byte_identical() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    version = importlib.metadata.version("pyconnectwise")
    if f"pyconnectwise {version} " not in json.loads(committed)["provenance"]:
        pytest.skip(f"pyconnectwise {version} is installed; the catalogue was generated from another version")
    assert generator().render() == committed


def test_the_common_endpoints_are_there_with_their_types() -> None:
    schema = load_schema(dialect="manage")
    for endpoint in SERVED:  # the common endpoints the sandbox serves
        assert schema.endpoint(endpoint) == endpoint
        assert schema.lookup("id", endpoint) is not None
    assert schema.lookup("company.identifier", "service/tickets").type == "string"  # type: ignore[union-attr]
    assert schema.lookup("_info.lastUpdated", "company/companies") is not None
    assert schema.lookup("types", "company/companies").type_name == "object[]"  # type: ignore[union-attr]
    assert schema.lookup("closedDate", "service/tickets").type == "datetime"  # type: ignore[union-attr]
    assert schema.lookup("_info.dateEntered", "service/tickets").type == "datetime"  # type: ignore[union-attr]
