"""Generate `cwa_query/data/automate_schema.json` from the Automate OpenAPI document.

Run by hand from the project root when the OpenAPI document changes:

    python scripts/gen_automate_schema.py [--tests] [path/to/automate-openapi-v1.json]

The default input is `../shared/reference/automate-openapi-v1.json` (the public Automate
OpenAPI 3.0 document, "Automate API" v1). This script is the only part of the project that
reads it; the library loads the committed JSON it writes and never this document.

What it writes: one entry per list endpoint (`GET /api/v1/<Name>` whose 200 response is an
array of objects), keyed by the path after `/api/v1/`. Each entry maps every property of the
item schema to its type, nested objects as dotted paths (`Client.Id`, `Location.Name`),
following `$ref` up to `MAX_DEPTH` path segments and never into a schema already on the path.
Types are `string`, `integer`, `decimal`, `boolean`, `datetime`, `object`, `id` (a property
`Id` the document declares as a plain string: real clients compare it with bare integers, see
automate-api-facts.md "Types") and `any`; a `[]` suffix marks an array (`integer[]`,
`object[]`). Enumerations become `{"type": "string", "values": [...]}`.

Beside `endpoints` (what the linter and the strategies read) it writes `resources`, what the
sandbox serves beyond the list endpoints: `objects` (a `GET` whose answer is one object, in
the same field shape; an empty shape when the document says only `"type": "object"`),
`values` (a `GET` whose answer is one plain value or an array of them, as its type: the
permission lists `Permissions/Users` and `Permissions/Clients/{clientId}` are `string[]`),
`actions` (the `POST` endpoints the sandbox implements, their request and response shapes)
and `parameters` (the document's query parameters of list endpoints, and the extra ones of
particular endpoints).

With `--tests` it also writes `tests/compat/data/automate_openapi_subset.json`: the
document's response schemas of every served `GET` and action, with the component schemas
they reach, for the compatibility tests' JSON Schema validation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "automate-openapi-v1.json"
TARGET = ROOT / "cwa_query" / "data" / "automate_schema.json"
TESTS_TARGET = ROOT / "tests" / "compat" / "data" / "automate_openapi_subset.json"
#: The actions (method and path after /api/v1/) the sandbox implements.
ACTIONS = ("POST Batch/ScriptExecute", "POST Computers/{computerId}/CommandExecute")
MAX_DEPTH = 3
PREFIX = "/api/v1/"
#: JSON types of an answer that is one plain value (`GET DatabaseServerTime`: a date-time)
SCALARS = ("string", "integer", "number", "boolean")
REF = "#/components/schemas/"


def scalar_type(prop: dict[str, Any], name: str) -> str:
    kind = prop.get("type")
    fmt = prop.get("format")
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "decimal"
    if kind == "boolean":
        return "boolean"
    if kind == "string":
        if fmt == "date-time" or fmt == "date":
            return "datetime"
        if name == "Id" and fmt is None:
            return "id"
        return "string"
    if kind == "object":
        return "object"
    return "any"


def flatten(
    schemas: dict[str, Any], schema_name: str, prefix: str, depth: int, seen: tuple[str, ...], out: dict[str, Any]
) -> None:
    schema = schemas[schema_name]
    for name, prop in schema.get("properties", {}).items():
        path = prefix + name
        array = prop.get("type") == "array"
        target = prop.get("items", {}) if array else prop
        suffix = "[]" if array else ""
        ref = target.get("$ref")
        if ref is not None:
            child = ref.removeprefix(REF)
            out[path] = "object" + suffix
            if depth < MAX_DEPTH and child not in seen:
                flatten(schemas, child, path + ".", depth + 1, (*seen, child), out)
            continue
        kind = scalar_type(target, name) + suffix
        if "enum" in target:
            out[path] = {"type": kind, "values": list(target["enum"])}
        else:
            out[path] = kind


def _media_schema(operation: dict[str, Any] | None, document: dict[str, Any]) -> dict[str, Any]:
    if operation is None:
        return {}
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), {})
    schema: dict[str, Any] = media.get("schema", {})
    return schema


def _request_schema(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    body = operation.get("requestBody", {})
    ref = body.get("$ref")
    if ref is not None:
        body = document["components"]["requestBodies"][ref.rsplit("/", 1)[-1]]
    content = body.get("content", {})
    media = content.get("application/json") or next(iter(content.values()), {})
    schema: dict[str, Any] = media.get("schema", {})
    return schema


def _shape(schemas: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`{"model", "fields"}` of a `$ref` schema; empty fields for a bare object."""
    ref = schema.get("$ref")
    if ref is None:
        return {"model": None, "fields": {}}
    model = ref.removeprefix(REF)
    fields: dict[str, Any] = {}
    flatten(schemas, model, "", 1, (model,), fields)
    return {"model": model, "fields": fields}


def _query_names(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]


def generate(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    endpoints: dict[str, Any] = {}
    objects: dict[str, Any] = {}
    values: dict[str, str] = {}
    common: list[str] = []
    extra: dict[str, list[str]] = {}
    for path, item in sorted(document["paths"].items()):
        get = item.get("get")
        if not path.startswith(PREFIX) or get is None:
            continue
        name = path.removeprefix(PREFIX)
        schema = _media_schema(get, document)
        names = _query_names(get)
        options = [n for n in names if n.startswith("options.")]
        if len(options) > len(common):
            common = options
        others = [n for n in names if not n.startswith("options.")]
        if others:
            extra[name] = others
        ref = schema.get("items", {}).get("$ref") if schema.get("type") == "array" else None
        if ref is None:
            if "$ref" in schema or schema.get("type") == "object":
                objects[name] = _shape(schemas, schema)
            elif schema.get("type") == "array":
                values[name] = scalar_type(schema.get("items", {}), "") + "[]"
            elif schema.get("type") in SCALARS:
                values[name] = scalar_type(schema, "")
            continue
        endpoints[name] = _shape(schemas, schema["items"])
    actions: dict[str, Any] = {}
    for action in ACTIONS:
        method, _, name = action.partition(" ")
        operation = document["paths"][PREFIX + name][method.lower()]
        actions[action] = {
            "request": _shape(schemas, _request_schema(operation, document)),
            "response": _shape(schemas, _media_schema(operation, document)),
        }
    return {
        "format": 1,
        "name": "automate",
        "provenance": (
            "generated by scripts/gen_automate_schema.py from the public Automate OpenAPI 3.0 document "
            f'"{document["info"].get("title", "")}" {document["info"].get("version", "")} '
            "(shared/reference/automate-openapi-v1.json); do not edit by hand"
        ),
        "case_sensitive": False,
        "endpoints": endpoints,
        "resources": {
            "objects": objects,
            "values": values,
            "actions": actions,
            "parameters": {"list": common, "extra": extra},
        },
    }


def _reached(schemas: dict[str, Any], roots: list[Any]) -> dict[str, Any]:
    """The component schemas that `roots` reach through `$ref`s."""
    found: dict[str, Any] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF):
                name = ref.removeprefix(REF)
                if name not in found:
                    found[name] = schemas[name]
                    stack.append(schemas[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return dict(sorted(found.items()))


def test_subset(document: dict[str, Any], catalogue: dict[str, Any]) -> dict[str, Any]:
    """The response schemas of what the sandbox serves, with the component schemas they reach."""
    responses: dict[str, Any] = {}
    resources = catalogue["resources"]
    served = [*catalogue["endpoints"], *resources["objects"], *resources["values"]]
    for name in served:
        responses[f"GET {name}"] = _media_schema(document["paths"][PREFIX + name]["get"], document)
    for action in ACTIONS:
        method, _, name = action.partition(" ")
        operation = document["paths"][PREFIX + name][method.lower()]
        responses[action] = _media_schema(operation, document)
        responses[action + " request"] = _request_schema(operation, document)
    components = _reached(document["components"]["schemas"], list(responses.values()))
    return {
        "provenance": (
            "copied by scripts/gen_automate_schema.py --tests from the public Automate OpenAPI 3.0 document "
            "(shared/reference/automate-openapi-v1.json): the 200 response schemas of the endpoints the "
            "sandbox serves and the component schemas they reach; do not edit by hand"
        ),
        "responses": responses,
        "components": {"schemas": components},
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--tests"]
    source = Path(args[0]) if args else DEFAULT_SOURCE
    document = json.loads(source.read_text(encoding="utf-8"))
    catalogue = generate(document)
    text = json.dumps(catalogue, separators=(",", ":"), ensure_ascii=False)
    TARGET.write_text(text + "\n", encoding="utf-8")
    fields = sum(len(e["fields"]) for e in catalogue["endpoints"].values())
    where = TARGET.relative_to(ROOT)
    print(f"wrote {where}: {len(catalogue['endpoints'])} endpoints, {fields} fields, {len(text):,} bytes")
    if "--tests" in argv:
        subset = test_subset(document, catalogue)
        TESTS_TARGET.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(subset, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
        TESTS_TARGET.write_text(text + "\n", encoding="utf-8")
        schemas = len(subset["components"]["schemas"])
        print(f"wrote {TESTS_TARGET.relative_to(ROOT)}: {schemas} schemas, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
