"""The registry: names resolve to one instance each, a built-in dialect's module imported on
first use (the linter's command line, run per file, loads only the dialect it lints).

To add a built-in dialect, write its module (a `Dialect` subclass with a `name`) and list it
in `_BUILTINS` below, with what the linter asks of every dialect without needing its module:
its catalogue (`schema_file`) and the endpoints whose fields it renames (the keys of
`field_names_by_endpoint`); `tests/lint/test_lazy_unknown_field.py` checks these against
the classes. A `Dialect` subclass defined anywhere else registers itself.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..errors import UnknownDialectError
from ._base import Dialect, DialectLike, registered

__all__ = ["all_dialects", "catalogue_file", "dialect_names", "get_dialect", "renaming_dialects"]


@dataclass(frozen=True)
class _Builtin:
    """A built-in dialect as the registry knows it before its module is imported."""

    module: str
    schema_file: str | None = None
    """Its class's `schema_file`."""
    renames: frozenset[str] = frozenset()
    """The endpoints (lower case) its class's `field_names_by_endpoint` has."""


# name -> the built-in dialect, in the order names are listed.
_BUILTINS = {
    "seed": _Builtin(
        "cwa_query.dialects.seed", "seed_schema.json", frozenset({"computers", "clients", "alerts", "scripts"})
    ),
    "automate": _Builtin("cwa_query.dialects.automate", "automate_schema.json"),
    "manage": _Builtin("cwa_query.dialects.manage", "manage_schema.json"),
    "odata": _Builtin("cwa_query.dialects.odata"),
}
_MODULES = {name: builtin.module for name, builtin in _BUILTINS.items()}
_ORDER = {module: index for index, module in enumerate(_MODULES.values())}
_INSTANCES: dict[str, Dialect] = {}


def _dialect_class(name: str) -> type[Dialect] | None:
    """The class registered as `name`, importing its built-in module first if need be."""
    cls = registered().get(name)
    if cls is None and name in _MODULES:
        importlib.import_module(_MODULES[name])
        cls = registered().get(name)
    return cls


def dialect_names() -> tuple[str, ...]:
    """The names of every registered dialect, in registration order.

    >>> dialect_names()[:2]
    ('seed', 'automate')
    """
    classes = registered()
    modules = {name: cls.__module__ for name, cls in classes.items()} | _MODULES
    return tuple(sorted(modules, key=lambda name: (_ORDER.get(modules[name], len(_ORDER)), name)))


def all_dialects() -> tuple[Dialect, ...]:
    """One instance of every registered dialect, in registration order."""
    return tuple(get_dialect(name) for name in dialect_names())


def _unloaded(name: str) -> _Builtin | None:
    """The built-in dialect `name` while its module is not imported (nor another class
    registered under its name), else `None`: then the class is asked."""
    return _BUILTINS.get(name) if name not in registered() else None


def catalogue_file(dialect: DialectLike) -> tuple[str, str | None]:
    """The name of `dialect` and its built-in catalogue (`schema_file`), without importing a
    built-in dialect's module.

    >>> catalogue_file("manage")
    ('manage', 'manage_schema.json')
    """
    if isinstance(dialect, str):
        builtin = _unloaded(dialect)
        if builtin is not None:
            return dialect, builtin.schema_file
    known = get_dialect(dialect)
    return known.name, known.schema_file


def renaming_dialects(endpoint: str | None) -> tuple[Dialect, ...]:
    """The dialects whose `field_names(endpoint)` is not empty, in registration order; a
    built-in dialect's module is imported only if it renames fields of `endpoint`."""
    # as `Dialect.field_names` matches an endpoint; without one, it is empty
    key = None if endpoint is None else endpoint.strip().strip("/").rsplit("/", 1)[-1].lower()
    chosen = []
    for name in dialect_names():
        builtin = _unloaded(name)
        if builtin is not None and key not in builtin.renames:
            continue
        dialect = get_dialect(name)
        if dialect.field_names(endpoint):
            chosen.append(dialect)
    return tuple(chosen)


def get_dialect(dialect: DialectLike) -> Dialect:
    """The dialect called `dialect`; a `Dialect` object is returned as is.

    Raises [`UnknownDialectError`][cwa_query.UnknownDialectError] (a `ValueError`) for a
    name no dialect has.

    >>> get_dialect("automate")
    <Dialect automate>
    >>> get_dialect("sql")
    Traceback (most recent call last):
    ...
    cwa_query.errors.UnknownDialectError: unknown dialect 'sql': choose one of 'seed', 'automate'...
    """
    if isinstance(dialect, Dialect):
        return dialect
    if not isinstance(dialect, str):
        raise TypeError(f"a dialect is a name or a Dialect, not {type(dialect).__name__}")
    instance = _INSTANCES.get(dialect)
    if instance is not None:
        return instance
    cls = _dialect_class(dialect)
    if cls is None:
        raise UnknownDialectError(dialect, dialect_names())
    return _INSTANCES.setdefault(dialect, cls())
