"""The data endpoints of each profile: lists, items, sub-collections, one-object answers, actions.

* `seed`: `Computers`, `Clients`, `Alerts`, `Scripts` (lists and `/{id}`), and
  `POST Computers/{id}/Scripts/{scriptId}/Execute`, as the seed document shows them, with the
  paging headers `X-Total-Count`, `X-Page`, `X-Page-Size`, `X-Total-Pages`.
* `automate`: every list endpoint of the catalogue generated from the OpenAPI document
  (bare arrays, no paging headers), `/{Endpoint}/{id}` for each top-level one, the
  `Computers/{id}/...` (and other `{parent}/...`) sub-collections whose parent must exist,
  every one-object `GET`, the `GET`s whose answer is a plain value or a list of them
  (`Permissions/Users`: permission names), and the actions `POST Batch/ScriptExecute` and
  `POST Computers/{id}/CommandExecute` with the document's request and response bodies.
"""

from __future__ import annotations

import http
import math
import threading
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..dialects import get_dialect
from ._automate import AutomateDataset
from ._config import SandboxConfig
from ._data import Dataset
from ._http import HttpError, SandboxRequest, SandboxResponse, json_response, read_json_body
from ._manage import ManageDataset
from ._manage_api import ManageApi
from ._query import Lister, ListQuery
from ._routes import Handler, Route
from ._strict import refuse_automate

__all__ = ["EXECUTION_STATUS", "Resources"]

_SCHEDULED: Final = 0
_NOT_SCHEDULED: Final = 1
#: The status of a script or command the sandbox has just queued.
EXECUTION_STATUS: Final = "Queued"
_JSON: Final = ("Content-Type", "application/json; charset=utf-8")
#: The list endpoint of each `EntityType` of `Batch/ScriptExecute` the sandbox checks ids against
#: (a Site is a Location, a Company a Client); other types are taken on trust.
_ENTITY_ENDPOINTS: Final = {"Computer": "Computers", "Site": "Locations", "Company": "Clients", "Group": "Groups"}
_QUOTED_ID: Final = 40


class Resources:
    """A profile's data endpoints over its dataset (thread-safe).

    `data` is the seed `Dataset` or the `AutomateDataset`; `routes()` lists the endpoints.
    """

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.api = config.api
        self.data: Dataset | AutomateDataset | ManageDataset = self.api.make_data(config.records, config.seed)
        self.manage: ManageApi | None = None
        self.json_default = self.api.json_default()
        self._lock = threading.Lock()
        self._executions = 0
        # JSON of each list record, made once: pages are then joined, not re-encoded (keyed by
        # identity: a list's records live as long as the dataset, which this object holds).
        self._encoded: dict[int, bytes] = {}
        if isinstance(self.data, AutomateDataset):
            schema = self.data.schema
            self.lister = Lister(
                self.data.spelling, lambda endpoint, text, tree: refuse_automate(schema, endpoint, text, tree)
            )
        elif isinstance(self.data, ManageDataset):
            manage = get_dialect("manage")  # the profile's data speaks it (its conditions, with its meaning)
            self.lister = Lister(self.data.spelling, reader=manage.parse)
            self.manage = ManageApi(
                self.data,
                self.lister,
                self.page,
                prefix=self.api.api_prefix,
                ignore_unknown=config.ignore_unknown_parameters,
                default=self.json_default,
            )
        else:
            self.lister = Lister(self.data.spelling)

    # ------------------------------------------------------------ routes

    def routes(self) -> list[Route]:
        """Every data endpoint of the profile."""
        if isinstance(self.data, Dataset):
            return self._seed_routes()
        if self.manage is not None:
            return self.manage.routes()
        assert isinstance(self.data, AutomateDataset)
        return self._automate_routes(self.data)

    def _seed_routes(self) -> list[Route]:
        routes: list[Route] = []
        for collection in ("Computers", "Clients", "Alerts", "Scripts"):
            routes.append(Route(f"/{collection}", self._lister(collection)))
            routes.append(Route(f"/{collection}/{{id}}", self._getter(collection)))
        routes.append(Route("/Computers/{id}/Scripts/{id}/Execute", self._seed_execute, ("POST",)))
        return routes

    def _automate_routes(self, data: AutomateDataset) -> list[Route]:
        routes: list[Route] = []
        items: set[str] = set()
        # `MonitorHistory/{monitorId}` is a list of its own in the document, not an item
        listed = {t.split("/")[0].lower() for t in data.sub_collections if t.count("/") == 1 and t.endswith("}")}
        for name in data.lists:
            routes.append(Route(f"/{name}", self._lister(name)))
            if "/" not in name and name.lower() not in listed:
                items.add(name.lower())
                routes.append(Route(f"/{name}/{{id}}", self._getter(name)))
        for template in data.sub_collections:
            routes.append(Route(f"/{template}", self._children(template)))
        for template in data.objects():
            head, _, rest = template.partition("/")
            if head.lower() in items and rest.startswith("{") and "/" not in rest:
                continue  # an item of a list endpoint, served above
            routes.append(Route(f"/{template}", self._single(template)))
        for template in data.values():
            routes.append(Route(f"/{template}", self._single(template, data.value)))
        routes.append(Route("/Batch/ScriptExecute", self._script_execute, ("POST",)))
        routes.append(Route("/Computers/{computerId}/CommandExecute", self._command_execute, ("POST",)))
        return routes

    # ------------------------------------------------------------ lists and items

    def _query(self, query: dict[str, list[str]], endpoint: str, *, item: bool = False) -> ListQuery:
        """The list parameters of `query`; the document's extra ones of `endpoint` (of its item
        template `Endpoint/{...}` when `item`) are known too."""
        extra: list[str] = []
        if isinstance(self.data, AutomateDataset):
            extras: Mapping[str, list[str]] = self.data.schema.resources.get("parameters", {}).get("extra", {})
            for template, names in extras.items():
                head, _, rest = template.partition("/")
                if (template == endpoint and not item) or (
                    item and head.lower() == endpoint.lower() and rest.startswith("{") and "/" not in rest
                ):
                    extra.extend(names)
        return ListQuery.read(
            query, options=self.api.option_parameters, extra=extra, ignore_unknown=self.config.ignore_unknown_parameters
        )

    def _lister(self, endpoint: str) -> Handler:
        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            return self.page(endpoint, self.data.collection(endpoint), self._query(query, endpoint))

        return handler

    def _children(self, template: str) -> Handler:
        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            assert isinstance(self.data, AutomateDataset)
            self._check_parents(template, ids)
            records = self.data.children(template, tuple(ids))
            return self.page(template, records, self._query(query, template), scope=tuple(ids))

        return handler

    def _check_parents(self, template: str, ids: list[str]) -> None:
        """404 unless each `{Endpoint}/{id}` parent in the path exists (for list endpoints)."""
        assert isinstance(self.data, AutomateDataset)
        parts = template.split("/")
        values = iter(ids)
        lists = {name.lower(): name for name in self.data.lists if "/" not in name}
        for index, part in enumerate(parts):
            if not part.startswith("{"):
                continue
            value = next(values)
            parent = lists.get(parts[index - 1].lower()) if index else None
            if parent is not None and part.lower() != "{" + parent.lower().removesuffix("s") + "id}":
                parent = None  # `MonitorHistory/{monitorId}`: not an id of the segment before
            if parent is not None and self.data.find(parent, value) is None:
                raise _not_found(parent, value)

    def page(
        self, endpoint: str, records: list[dict[str, Any]], query: ListQuery, scope: tuple[str, ...] = ()
    ) -> SandboxResponse:
        """One page of `records` as `query` asks (the seed profile adds its paging headers)."""
        id_field = self.data.id_field.get(endpoint, "Id")
        matched = self.lister.matching(endpoint, records, query, id_field, scope)
        size = query.page_size
        items = matched[(query.page - 1) * size : query.page * size]
        projected = self.lister.project(endpoint, items, query)
        paging: list[tuple[str, str]] = []
        if self.api.paging_headers:
            total = len(matched)
            paging = [
                ("X-Total-Count", str(total)),
                ("X-Page", str(query.page)),
                ("X-Page-Size", str(size)),
                ("X-Total-Pages", str(math.ceil(total / size))),
            ]
        if projected is not items or scope:
            # new dicts, or a sub-collection's records (dropped with their parent from the cache,
            # so their id() may be reused): encode them as they are
            return json_response(200, projected, paging, self.json_default)
        body = b"[" + b",".join(self._encode(record) for record in items) + b"]"
        return SandboxResponse(200, [_JSON, *paging], body)

    def _encode(self, record: dict[str, Any]) -> bytes:
        blob = self._encoded.get(id(record))
        if blob is None:
            blob = json_response(200, record, default=self.json_default).body
            self._encoded[id(record)] = blob
        return blob

    def one(self, endpoint: str, raw_id: str) -> dict[str, Any]:
        """The record of `endpoint` with id `raw_id`, or a 404."""
        found = self.data.find(endpoint, raw_id)
        if found is None:
            raise _not_found(endpoint, raw_id)
        return found

    def _getter(self, endpoint: str) -> Handler:
        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            record = self.one(endpoint, ids[0])
            listing = self._query(query, endpoint, item=True)
            return json_response(200, self.lister.project(endpoint, [record], listing)[0], default=self.json_default)

        return handler

    def _single(self, template: str, answer: Callable[[str, tuple[str, ...]], Any] | None = None) -> Handler:
        """A one-answer `GET`: an object (`AutomateDataset.single`), or what `answer` gives."""

        def handler(request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
            data = self.data
            assert isinstance(data, AutomateDataset)
            self._check_parents(template, ids)
            self._query(query, template)  # unknown parameters are refused here too
            made = (answer or data.single)(template, tuple(ids))
            return json_response(200, made, default=self.json_default)

        return handler

    # ------------------------------------------------------------ actions

    def _next_execution(self) -> int:
        with self._lock:
            self._executions += 1
            return self._executions

    def _body_object(self, request: SandboxRequest) -> dict[str, Any]:
        body = read_json_body(request, self.config.max_body_bytes) if request.body.strip() else {}
        if not isinstance(body, dict):
            raise HttpError(400, f"The body must be a JSON object, got {type(body).__name__}")
        return body

    def _seed_execute(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        computer = self.one("Computers", ids[0])
        script = self.one("Scripts", ids[1])
        names = ("ExecutionID", "ComputerID", "ScriptID")
        id_field = self.data.id_field
        parameters: Any = self._body_object(request).get("Parameters", {})
        if parameters is None:
            parameters = {}
        if not isinstance(parameters, dict) or any(isinstance(v, dict | list) for v in parameters.values()):
            raise HttpError(400, "Parameters must be a JSON object of plain values", {"field": "Parameters"})
        values = (self._next_execution(), int(computer[id_field["Computers"]]), int(script[id_field["Scripts"]]))
        body = {**dict(zip(names, values, strict=True)), "Status": EXECUTION_STATUS, "Parameters": parameters}
        return json_response(200, body)

    def _script_execute(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        """`POST Batch/ScriptExecute` (`ScheduleScriptBatchRequest` -> `ScheduleScriptBatchResponse`)."""
        body = self._body_object(request)
        _check_body(body, self._action_fields("POST Batch/ScriptExecute"), "ScheduleScriptBatchRequest")
        script_id = body.get("ScriptId")
        if script_id is None:
            raise HttpError(400, "ScriptId is required", {"field": "ScriptId"})
        self.one("Scripts", str(script_id))
        entity_type = body.get("EntityType", "Computer")
        entity_ids = body.get("EntityIds") or []
        if not entity_ids:
            raise HttpError(400, "EntityIds must name at least one entity", {"field": "EntityIds"})
        data = self.data
        assert isinstance(data, AutomateDataset)
        target = _ENTITY_ENDPOINTS.get(str(entity_type))
        results = []
        unsuccessful = False
        for entity in entity_ids:
            exists = target is None or data.find(target, str(entity)) is not None
            unsuccessful = unsuccessful or not exists
            if exists:
                self._next_execution()
            results.append(
                {
                    "EntityId": entity,
                    "ResultDetails": {
                        "ResultStatus": _SCHEDULED if exists else _NOT_SCHEDULED,
                        "ReasonCode": 0 if exists else http.HTTPStatus.NOT_FOUND.value,
                        "Message": "Scheduled" if exists else f"No {str(entity_type).lower()} with id {entity}",
                    },
                }
            )
        return json_response(200, {"ScriptResults": results, "ContainsUnsuccessfulResults": unsuccessful})

    def _command_execute(self, request: SandboxRequest, ids: list[str], query: dict[str, list[str]]) -> SandboxResponse:
        """`POST Computers/{id}/CommandExecute` (a `CommandExecute` in, the queued one out)."""
        computer = self.one("Computers", ids[0])
        body = self._body_object(request)
        _check_body(body, self._action_fields("POST Computers/{computerId}/CommandExecute"), "CommandExecute")
        command = body.get("Command")
        if not isinstance(command, dict) or command.get("Id") in (None, ""):
            raise HttpError(400, "Command.Id is required", {"field": "Command.Id"})
        found = self.one("Commands", str(command["Id"]))
        parameters = body.get("Parameters") or []
        answer = {
            "Id": self._next_execution(),
            "ComputerId": int(computer["Id"]),
            "Command": {key: found[key] for key in ("Id", "Name", "Description", "Level") if key in found},
            "Status": EXECUTION_STATUS,
            "Parameters": parameters,
            "Output": "",
            "Fastalk": bool(body.get("Fastalk", False)),
            "DateLastInventoried": computer.get("LastInventoryReceived"),
        }
        return json_response(200, answer, default=self.json_default)

    def _action_fields(self, action: str) -> Mapping[str, Any]:
        assert isinstance(self.data, AutomateDataset)
        actions = self.data.schema.resources.get("actions", {})
        fields: Mapping[str, Any] = actions.get(action, {}).get("request", {}).get("fields", {})
        return fields


def _not_found(endpoint: str, raw_id: str) -> HttpError:
    number = raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= _QUOTED_ID
    shown = raw_id if number else repr(raw_id[:_QUOTED_ID])
    details: dict[str, Any] = {"id": int(raw_id) if number else raw_id[:_QUOTED_ID]}
    return HttpError(404, f"No {endpoint.removesuffix('s').lower()} with id {shown}", details)


_JSON_TYPES: Final[dict[str, Callable[[Any], bool]]] = {
    "string": lambda v: isinstance(v, str),
    "id": lambda v: isinstance(v, str | int) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "decimal": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "datetime": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "any": lambda v: True,
}


def _check_body(body: Mapping[str, Any], fields: Mapping[str, Any], model: str) -> None:
    """400 when a top-level member of `body` has another JSON type than the document's `model` says.

    Members the document does not list are ignored, as ASP.NET's model binding does.
    """
    spelled = {name.lower(): (name, spec) for name, spec in fields.items() if "." not in name}
    for key, value in body.items():
        found = spelled.get(str(key).lower())
        if found is None or value is None:
            continue
        name, spec = found
        kind = spec["type"] if isinstance(spec, Mapping) else spec
        array = kind.endswith("[]")
        test = _JSON_TYPES.get(kind.removesuffix("[]"), _JSON_TYPES["any"])
        items = value if array and isinstance(value, list) else [value]
        if (array and not isinstance(value, list)) or not all(item is None or test(item) for item in items):
            raise HttpError(400, f"{model}.{name} must be {kind}, got {type(value).__name__}", {"field": name})
        values = spec.get("values") if isinstance(spec, Mapping) else None
        if values and value not in values:
            raise HttpError(400, f"{model}.{name} must be one of {', '.join(values)}", {"field": name})
