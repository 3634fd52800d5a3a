"""Dialects as objects: each language of conditions is one [`Dialect`][cwa_query.dialects.Dialect] subclass.

A dialect owns its grammar, its literal rules and quoting (the only place quote characters
are written), the [`Feature`][cwa_query.dialects.Feature]s it has, its rendering, and how its
trees are lowered to and lifted from the shared tree ([`cwa_query.ast`][cwa_query.language.ast]),
so that translation between any two dialects is one function. Everything that takes
`dialect=` accepts a name or an object ([`DialectLike`][cwa_query.dialects.DialectLike]):

>>> from cwa_query.dialects import get_dialect, Feature
>>> seed = get_dialect("seed")
>>> seed.supports(Feature.PREFIX_NOT), seed.supports(Feature.LIKE)
(True, False)
>>> seed.quote("O'Brien")
"'O''Brien'"

Registered: `seed` ([`cwa_query.dialects.seed`][cwa_query.dialects.seed]) and `automate`
([`cwa_query.dialects.automate`][cwa_query.dialects.automate]); see the docs page
*Dialects* for the model and the checklist for adding one.
"""

from __future__ import annotations

from ._base import (
    MAX_RENDER_DEPTH,
    Dialect,
    DialectLike,
    Feature,
    Note,
    UnsupportedLevel,
    check_depth,
    features_used,
    op_feature,
    unsupported_level,
)
from ._fields import NO_FIELDS, FieldTypes, Schemas
from ._registry import all_dialects, catalogue_file, dialect_names, get_dialect, renaming_dialects
from ._translate import translate

__all__ = [
    "MAX_RENDER_DEPTH",
    "NO_FIELDS",
    "Dialect",
    "DialectLike",
    "Feature",
    "FieldTypes",
    "Note",
    "Schemas",
    "UnsupportedLevel",
    "all_dialects",
    "catalogue_file",
    "check_depth",
    "dialect_names",
    "features_used",
    "get_dialect",
    "op_feature",
    "renaming_dialects",
    "translate",
    "unsupported_level",
]
