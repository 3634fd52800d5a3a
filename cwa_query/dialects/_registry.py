"""The registry: names resolve to one instance each, a built-in dialect's module imported on
first use (the linter's command line, run per file, loads only the dialect it lints).

To add a built-in dialect, write its module (a `Dialect` subclass with a `name`) and name it
in `_MODULES` below; a `Dialect` subclass defined anywhere else registers itself.
"""

from __future__ import annotations

import importlib

from ..errors import UnknownDialectError
from ._base import Dialect, DialectLike, registered

__all__ = ["all_dialects", "dialect_names", "get_dialect"]

# name -> the module that defines it, in the order names are listed.
_MODULES = {
    "seed": "cwa_query.dialects.seed",
    "automate": "cwa_query.dialects.automate",
    "manage": "cwa_query.dialects.manage",
    "odata": "cwa_query.dialects.odata",
}
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
