"""Every error cwa_query raises survives pickling (multiprocessing, pytest-xdist, task queues)
with its type, message and attributes; a new error class must be added to the table here."""

from __future__ import annotations

import inspect
import pickle
from typing import Any

import pytest

from cwa_query import errors

_API = {"status": 400, "code": "BadRequest", "details": {"field": "x"}, "method": "GET", "path": "/cwa/api/v1/Users"}

# class -> (positional arguments, keyword arguments) that build an instance with every attribute set
INSTANCES: dict[type[BaseException], tuple[tuple[Any, ...], dict[str, Any]]] = {
    errors.CwaQueryError: (("boom",), {}),
    errors.ConditionError: (("bad",), {}),
    errors.ConditionSyntaxError: (
        ("unexpected 'x'",),
        {"text": "a = x", "pos": 4, "expected": ("a value",), "hint": "quote it", "end_pos": 5},
    ),
    errors.ConditionLimitError: (("too deep",), {"text": "((a))", "pos": 1, "limit": "max_depth", "hint": "flatten"}),
    errors.ConditionEvaluationError: (("mod 0",), {"limit": "max_steps"}),
    errors.UnrepresentableConditionError: (("no",), {}),
    errors.UntranslatableError: (
        ("a lambda",),
        {"target": "manage", "reason": "no lambdas", "pos": 3, "end_pos": 9, "line": 1, "column": 4},
    ),
    errors.UnsupportedValueError: (("NaN",), {}),
    errors.ConditionRejectedError: (
        ("ComputerNme is not a field",),
        {"condition": "ComputerNme = 'x'", "endpoint": "Computers", "findings": ("unknown-field",)},
    ),
    errors.QueryTooLongError: (("the list is under or",), {"size": 5000, "budget": 2048}),
    errors.UnknownDialectError: (("odta", ("automate", "odata")), {}),
    errors.SchemaError: (("bad schema",), {}),
    errors.ConfigurationError: (("no server",), {}),
    errors.TransportError: (("refused",), {"method": "GET", "path": "/cwa/api/v1/Computers"}),
    errors.DeadlineExceededError: (("too slow",), {"deadline": 2.5, "method": "GET", "path": "/p"}),
    errors.ApiError: (("refused",), _API),
    errors.BadRequestError: (("refused",), _API),
    errors.AuthenticationError: (("login failed",), {**_API, "status": 401}),
    errors.TwoFactorRequiredError: (("2FA",), {**_API, "status": 401}),
    errors.PermissionDeniedError: (("no",), {**_API, "status": 403}),
    errors.NotFoundError: (("gone",), {**_API, "status": 404}),
    errors.RateLimitedError: (("slow down",), {**_API, "status": 429, "retry_after": 1.5}),
    errors.ServerError: (("oops",), {**_API, "status": 503}),
    errors.DecodeError: (("not JSON",), {**_API, "status": 200}),
    errors.PaginationError: (("page repeated",), {**_API, "status": 200, "page": 3}),
    errors.ResponseTooLargeError: (("too big",), {**_API, "status": 200, "limit": 1024}),
}


def _error_classes() -> list[type[BaseException]]:
    return [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, Exception) and not issubclass(cls, Warning) and cls.__module__ == errors.__name__
    ]


def test_the_table_names_every_error_class() -> None:
    assert sorted(cls.__name__ for cls in _error_classes()) == sorted(cls.__name__ for cls in INSTANCES)


@pytest.mark.parametrize("cls", list(INSTANCES), ids=lambda cls: cls.__name__)
def test_pickles_with_type_message_and_attributes(cls: type[BaseException]) -> None:
    args, kwargs = INSTANCES[cls]
    error = cls(*args, **kwargs)
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is cls
    assert str(clone) == str(error)
    assert clone.args == error.args
    assert vars(clone) == vars(error)
    for name, value in kwargs.items():  # each keyword is kept as the attribute of its name
        assert getattr(clone, name) == value, name
