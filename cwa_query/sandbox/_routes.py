"""Routing: path templates with `{...}` segments, matched literal-first; 404 and 405 answers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ._http import QUOTED_CHARS, HttpError, SandboxRequest, SandboxResponse

__all__ = ["Handler", "Route", "Router"]

#: `(request, path values, query) -> answer`.
Handler = Callable[[SandboxRequest, list[str], dict[str, list[str]]], SandboxResponse]
_PARAM = re.compile(r"\{[^}]*\}")


@dataclass
class Route:
    """One endpoint: its template, which the stats name it by, what answers it, and its methods.

    The template is the path after the API prefix (`"/Computers/{computerId}/Software"`,
    `"company/companies"`: a leading `/` is the stats' spelling only, and the names in braces
    are for people: any value matches them).
    """

    name: str
    handler: Handler
    methods: tuple[str, ...] = ("GET",)
    auth: bool = False  # an authentication endpoint (not rate-limited, not faulted, no bearer)
    absolute: bool = False  # the template is the whole path, not one under the API prefix
    segments: tuple[str | None, ...] = field(init=False)  # literal segments, `None` for a value

    def __post_init__(self) -> None:
        self.segments = tuple(None if _PARAM.fullmatch(s) else s for s in self.name.lstrip("/").split("/"))


class Router:
    """Finds the route of a path: literal segments before values (`Computers/Chassis` before
    `Computers/{id}`), names compared ignoring case when `case_insensitive`."""

    def __init__(self, routes: Iterable[Route], *, case_insensitive: bool, prefix: str) -> None:
        ordered = sorted(routes, key=lambda r: [s is None for s in r.segments])
        self.routes = [route for route in ordered if not route.absolute]
        self.absolute = [route for route in ordered if route.absolute]
        self.case_insensitive = case_insensitive
        self._prefix = prefix.rstrip("/").split("/")

    def route(self, request: SandboxRequest, path: str) -> tuple[Route, list[str]]:
        """The route and path values of `path`; 404 when none matches, 405 for another method."""
        segments = path.split("/")
        head = segments[: len(self._prefix)]
        fold = self.case_insensitive
        prefix = [s.lower() for s in self._prefix] if fold else self._prefix
        matches_prefix = [s.lower() for s in head] == prefix if fold else head == prefix
        allowed: list[str] = []
        candidates = [(route, segments[1:]) for route in self.absolute]
        if matches_prefix:
            candidates += [(route, segments[len(self._prefix) :]) for route in self.routes]
        for route, rest in candidates:
            if len(route.segments) != len(rest):
                continue
            values: list[str] = []
            for want, got in zip(route.segments, rest, strict=True):
                if want is None:
                    if not got:
                        break
                    values.append(got)
                elif (want.lower() != got.lower()) if fold else (want != got):
                    break
            else:
                if request.method in route.methods:
                    return route, values
                allowed.extend(m for m in route.methods if m not in allowed)
        if allowed:
            raise HttpError(
                405,
                f"Method {request.method} is not allowed on {path[:QUOTED_CHARS]}; use {', '.join(allowed)}",
                {"allowed": allowed},
                [("Allow", ", ".join(allowed))],
            )
        raise HttpError(404, f"No such endpoint: {request.method} {path[:QUOTED_CHARS]}", {"path": path[:QUOTED_CHARS]})
