"""The lint rules, one module each; importing this package registers them all.

| code   | name                   | severity |
|--------|------------------------|----------|
| CWQ101 | syntax-error           | error    |
| CWQ102 | unknown-field          | error    |
| CWQ103 | type-mismatch          | error    |
| CWQ104 | unknown-value          | warning  |
| CWQ201 | unsupported-in-dialect | error    |
| CWQ202 | quoted-date            | error    |
| CWQ203 | unknown-meaning        | warning  |
| CWQ204 | parameter-shape        | warning  |
| CWQ301 | url-too-long           | warning  |
"""

from __future__ import annotations

from . import (
    parameter_shape,
    quoted_date,
    syntax_error,
    type_mismatch,
    unknown_field,
    unknown_meaning,
    unknown_value,
    unsupported_in_dialect,
    url_too_long,
)

__all__ = [
    "parameter_shape",
    "quoted_date",
    "syntax_error",
    "type_mismatch",
    "unknown_field",
    "unknown_meaning",
    "unknown_value",
    "unsupported_in_dialect",
    "url_too_long",
]
