"""Generate `cwa_query/data/manage_schema.json` from the pyconnectwise package's Manage models.

Run from the project root when pyconnectwise changes (it is in the `compat` extra):

    python scripts/gen_manage_schema.py [--check]

The inputs are the installed `pyconnectwise` package (pinned in pyproject.toml's `compat`
extra): its Manage models (`pyconnectwise.models.manage`, pydantic classes that
datamodel-codegen generated from ConnectWise's own OpenAPI schema of the Manage REST API) and
its endpoint classes (`pyconnectwise/endpoints/manage/*Endpoint.py`, generated from the same
schema: each says which path it requests and which model its `GET` returns). This script is
the only part of the project that reads them; the library loads the committed JSON it writes.
`--check` writes nothing and exits 1 when the committed file differs from what it would write.

What it writes: one entry per list endpoint (a `GET` that returns `list[Model]`, model other
than `Count`), keyed by its path after `/apis/3.0/` as the API names it
(`company/companies`, `company/companies/{id}/notes`), with the model's name and every
field: the JSON name (`accountNumber`, `_info`), nested objects as dotted paths
(`company.identifier`, the `/` of the Manage dialect is a `.` in the shared tree), up to
`MAX_DEPTH` segments and never into a model already on the path. Types: `string`
(`str`, `UUID`, `date` as text), `integer`, `decimal`, `boolean`, `datetime`, `object`
(a model, `dict`), `any`; a `[]` suffix marks an array; a `Literal[...]` becomes
`{"type": "string", "values": [...]}`. Fields the model requires are listed in `required`
(the sandbox fills them in every record). A record's `_info` gets the keys conditions filter
on (`INFO_FIELDS`: the models type it as a plain mapping). An endpoint whose class names a model the package
does not define (a bug of the package) is left out and listed under `skipped`.
"""

from __future__ import annotations

import ast
import datetime as _dt
import importlib.metadata
import json
import sys
import types
import typing
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "cwa_query" / "data" / "manage_schema.json"
MAX_DEPTH = 3
#: Models that are not records (a `GET .../count` answers `{"count": n}`).
NOT_RECORDS = frozenset({"Count"})
#: What a record's `_info` holds (the models say only `dict[str, str]`): conditions filter on
#: `_info/lastUpdated` and `_info/dateEntered` (manage-api-facts.md section 4, confidence H:
#: christaylorcodes/ConnectWiseManageAPI, KerkhoffTechnologies/django-connectwise).
INFO_FIELDS = {"lastUpdated": "datetime", "updatedBy": "string", "dateEntered": "datetime", "enteredBy": "string"}


def _scalar(kind: Any) -> str | None:
    if kind is bool:
        return "boolean"
    if kind is int:
        return "integer"
    if kind is float:
        return "decimal"
    if kind is _dt.datetime:
        return "datetime"
    if kind in (str, uuid.UUID, _dt.date):
        return "string"
    if kind is Any:
        return "any"
    if kind is dict or typing.get_origin(kind) is dict:
        return "object"
    return None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `None` / `Annotated`, and whether it is a list."""
    array = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            parts = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = parts[0] if len(parts) == 1 else Any
        elif origin is list:
            array = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, array


def flatten(model: Any, prefix: str, depth: int, seen: tuple[str, ...], out: dict[str, Any]) -> None:
    for name, info in model.model_fields.items():
        path = prefix + (info.alias or name)
        kind, array = _unwrap(info.annotation)
        suffix = "[]" if array else ""
        if typing.get_origin(kind) is typing.Literal:
            values = [str(value) for value in typing.get_args(kind)]
            out[path] = {"type": "string" + suffix, "values": values}
            continue
        scalar = _scalar(kind)
        if scalar is not None:
            out[path] = scalar + suffix
            if path == "_info":  # the record's own, not a reference's
                out.update({f"_info.{key}": kind for key, kind in INFO_FIELDS.items()})
            continue
        if isinstance(kind, type) and hasattr(kind, "model_fields"):
            out[path] = "object" + suffix
            if depth + 1 < MAX_DEPTH and kind.__name__ not in seen:
                flatten(kind, path + ".", depth + 1, (*seen, kind.__name__), out)
            continue
        out[path] = "any" + suffix


def required(model: Any) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if info.is_required()]


def list_endpoints(package: Path) -> dict[str, str]:
    """`path -> model name` of every endpoint class whose `GET` returns `list[Model]`."""
    found: dict[str, str] = {}
    for source in sorted((package / "endpoints" / "manage").glob("*Endpoint.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            model = None
            for base in node.bases:
                text = ast.unparse(base)
                if text.startswith("IGettable[list["):
                    model = text.removeprefix("IGettable[list[").split("]", 1)[0]
            doc = ast.get_source_segment(source.read_text(encoding="utf-8"), node) or ""
            marker = "Performs a GET request against the "
            if model is None or model in NOT_RECORDS or marker not in doc:
                continue
            path = doc.split(marker, 1)[1].split(" endpoint", 1)[0].strip().strip("/")
            found[path] = model
    return dict(sorted(found.items()))


def build() -> dict[str, Any]:
    import pyconnectwise
    import pyconnectwise.models.manage as models

    version = importlib.metadata.version("pyconnectwise")
    package = Path(pyconnectwise.__file__).resolve().parent
    endpoints: dict[str, Any] = {}
    skipped: list[str] = []
    for path, model_name in list_endpoints(package).items():
        model = getattr(models, model_name, None)
        if model is None:  # the endpoint class names a model the package does not define
            skipped.append(f"{path} ({model_name})")
            continue
        fields: dict[str, Any] = {}
        flatten(model, "", 0, (model_name,), fields)
        endpoints[path] = {"model": model_name, "required": required(model), "fields": fields}
    return {
        "format": 1,
        "name": "manage",
        "provenance": (
            f"generated by scripts/gen_manage_schema.py from pyconnectwise {version} (its Manage models and endpoint "
            "classes, generated from ConnectWise's OpenAPI schema of the Manage REST API 3.0); do not edit by hand"
        ),
        "case_sensitive": False,
        "endpoints": endpoints,
        "skipped": skipped,
    }


def render() -> str:
    return json.dumps(build(), separators=(",", ":"), ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv[1:]:
        same = TARGET.exists() and TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET.relative_to(ROOT)} is {'up to date' if same else 'out of date'}")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
