"""The registry: every dialect module is imported here, and names resolve to one instance each.

To add a dialect, write its module (a `Dialect` subclass with a `name`) and import it below.
"""

from __future__ import annotations

from ..errors import UnknownDialectError
from . import automate, manage, odata, seed
from ._base import Dialect, DialectLike, registered

__all__ = ["all_dialects", "dialect_names", "get_dialect"]

# The dialect modules, imported for their classes' registration, in the order names are listed.
_MODULES = (seed, automate, manage, odata)
_ORDER = {module.__name__: index for index, module in enumerate(_MODULES)}
_INSTANCES: dict[str, Dialect] = {}


def dialect_names() -> tuple[str, ...]:
    """The names of every registered dialect, in registration order.

    >>> dialect_names()[:2]
    ('seed', 'automate')
    """
    classes = registered()
    return tuple(sorted(classes, key=lambda name: (_ORDER.get(classes[name].__module__, len(_ORDER)), name)))


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
    classes = registered()
    cls = classes.get(dialect)
    if cls is None:
        raise UnknownDialectError(dialect, dialect_names())
    return _INSTANCES.setdefault(dialect, cls())
