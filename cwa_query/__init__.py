"""cwa_query: the ConnectWise Automate REST API's filter language, and the calls that carry it.

Build filters in Python, parse and lint conditions people type, property-test filter
code, and run queries against a real server or the built-in sandbox:

>>> from cwa_query import F, render, encode, parse
>>> cond = (F.Status == "Online") & F.Name.startswith("ACME")
>>> render(cond, "automate")
"Status = 'Online' and Name like 'ACME%'"
>>> parse("status='Online'   AND clientid=1") == parse("status = 'Online' and clientid = 1")
True

Public names are loaded on first use, so `import cwa_query` stays cheap (the linter's
command line never imports the HTTP stack).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
"""The version of cwa_query, as in its package metadata."""

# name -> module that defines it (imported on first access)
_EXPORTS: dict[str, str] = {
    # the language
    "parse": ".language._parser",
    "ParseLimits": ".language._parser",
    "render": ".language._render",
    "encode": ".language._render",
    "to_dialect": ".language._render",
    "quote_literal": ".language._render",
    "escape_like": ".language.literals",
    "format_datetime": ".language.literals",
    # dialects
    "Dialect": ".dialects",
    "DialectLike": ".dialects",
    "Feature": ".dialects",
    "get_dialect": ".dialects",
    "dialect_names": ".dialects",
    "translate": ".dialects",
    "F": ".language.builder",
    "FieldRef": ".language.builder",
    "Condition": ".language.builder",
    "literal": ".language.builder",
    "and_": ".language.builder",
    "or_": ".language.builder",
    "not_": ".language.builder",
    # errors
    "CwaQueryError": ".errors",
    "ConditionError": ".errors",
    "ConditionEvaluationError": ".errors",
    "ConditionSyntaxError": ".errors",
    "ConditionLimitError": ".errors",
    "ConditionRejectedError": ".errors",
    "ConditionWarning": ".errors",
    "UnrepresentableConditionError": ".errors",
    "UntranslatableError": ".errors",
    "UnknownDialectError": ".errors",
    "TranslationWarning": ".errors",
    "SchemaError": ".errors",
    "ConfigurationError": ".errors",
    "TransportError": ".errors",
    "ApiError": ".errors",
    "BadRequestError": ".errors",
    "AuthenticationError": ".errors",
    "TwoFactorRequiredError": ".errors",
    "PermissionDeniedError": ".errors",
    "NotFoundError": ".errors",
    "RateLimitedError": ".errors",
    "ServerError": ".errors",
    "DecodeError": ".errors",
    # schemas and the linter
    "Schema": ".schema",
    "load_schema": ".schema",
    "lint": ".linter",
    "fix": ".linter",
    "FixResult": ".linter",
    "Diagnostic": ".linter",
    # evaluation and SQL
    "evaluate": ".language._evaluate",
    "compile_predicate": ".language._evaluate",
    "to_sql": ".language._sql",
    # the executor
    "Client": ".client",
    "AsyncClient": ".client",
    "ClientOptions": ".client",
    "QueryOptions": ".client",
    "Where": ".client",
    "Page": ".client",
    "TokenAuth": ".client",
    "RetryPolicy": ".client",
    "RetryTransport": ".client",
    "AsyncRetryTransport": ".client",
    "RateLimiter": ".client",
    "LimitTransport": ".client",
    "AsyncLimitTransport": ".client",
}

__all__ = [
    "ApiError",
    "AsyncClient",
    "AsyncLimitTransport",
    "AsyncRetryTransport",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientOptions",
    "Condition",
    "ConditionError",
    "ConditionEvaluationError",
    "ConditionLimitError",
    "ConditionRejectedError",
    "ConditionSyntaxError",
    "ConditionWarning",
    "ConfigurationError",
    "CwaQueryError",
    "DecodeError",
    "Diagnostic",
    "Dialect",
    "DialectLike",
    "F",
    "Feature",
    "FixResult",
    "FieldRef",
    "LimitTransport",
    "NotFoundError",
    "Page",
    "ParseLimits",
    "PermissionDeniedError",
    "QueryOptions",
    "RateLimitedError",
    "RateLimiter",
    "RetryPolicy",
    "RetryTransport",
    "Schema",
    "SchemaError",
    "ServerError",
    "TokenAuth",
    "TranslationWarning",
    "TransportError",
    "TwoFactorRequiredError",
    "UnknownDialectError",
    "UnrepresentableConditionError",
    "UntranslatableError",
    "Where",
    "__version__",
    "and_",
    "ast",
    "compile_predicate",
    "dialect_names",
    "encode",
    "escape_like",
    "evaluate",
    "fix",
    "format_datetime",
    "get_dialect",
    "lint",
    "literal",
    "load_schema",
    "not_",
    "or_",
    "parse",
    "quote_literal",
    "render",
    "to_dialect",
    "to_sql",
    "translate",
]

if TYPE_CHECKING:
    from .client import (
        AsyncClient,
        AsyncLimitTransport,
        AsyncRetryTransport,
        Client,
        ClientOptions,
        LimitTransport,
        Page,
        QueryOptions,
        RateLimiter,
        RetryPolicy,
        RetryTransport,
        TokenAuth,
        Where,
    )
    from .dialects import Dialect, DialectLike, Feature, dialect_names, get_dialect, translate
    from .errors import (
        ApiError,
        AuthenticationError,
        BadRequestError,
        ConditionError,
        ConditionEvaluationError,
        ConditionLimitError,
        ConditionRejectedError,
        ConditionSyntaxError,
        ConditionWarning,
        ConfigurationError,
        CwaQueryError,
        DecodeError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitedError,
        SchemaError,
        ServerError,
        TranslationWarning,
        TransportError,
        TwoFactorRequiredError,
        UnknownDialectError,
        UnrepresentableConditionError,
        UntranslatableError,
    )
    from .language import ast
    from .language._evaluate import compile_predicate, evaluate
    from .language._parser import ParseLimits, parse
    from .language._render import encode, quote_literal, render, to_dialect
    from .language._sql import to_sql
    from .language.builder import Condition, F, FieldRef, and_, literal, not_, or_
    from .language.literals import escape_like, format_datetime
    from .linter import Diagnostic, FixResult, fix, lint
    from .schema import Schema, load_schema


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        if name == "ast":
            return importlib.import_module(".language.ast", __name__)
        raise AttributeError(f"module 'cwa_query' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
