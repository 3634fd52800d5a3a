"""Every exception cwa_query raises, in one tree.

```
CwaQueryError
├── ConditionError (ValueError)              a condition cannot be used as given
│   ├── ConditionSyntaxError                 the text does not parse (line, column, hint, caret)
│   │   └── ConditionLimitError              it parses, but exceeds a configured limit
│   ├── ConditionEvaluationError             evaluating it fails (integer div 0, an evaluation budget)
│   ├── UnrepresentableConditionError        a valid tree has no safe spelling in a dialect
│   │   └── UntranslatableError              ... none that keeps its meaning (construct, position)
│   ├── ConditionRejectedError               the linter finds errors the server would refuse it for
│   └── QueryTooLongError                    the query string passes the server's budget and cannot be split
├── SchemaError (ValueError)                 a field catalogue is malformed
├── UnsupportedValueError (ValueError)       a record value a target cannot hold (a list in an SQL row)
├── ConfigurationError (ValueError)          bad client or server settings (e.g. remote http://)
│   └── UnknownDialectError                  a dialect name that is not registered
├── TransportError                           no HTTP response: connection refused/reset, timeout
│   └── DeadlineExceededError                the whole request took longer than its deadline
└── ApiError                                 the server answered with an error status
    ├── BadRequestError                      400
    ├── AuthenticationError                  401, and a refused login
    │   └── TwoFactorRequiredError           the account needs a two-factor code
    ├── PermissionDeniedError                403
    ├── NotFoundError                        404
    ├── RateLimitedError                     429, after the retry budget
    ├── ServerError                          5xx, after the retry budget
    └── DecodeError                          an answer that cannot be read (not JSON, nested too deep)
        ├── PaginationError                  pages that do not add up (repeated, overlapping, too large)
        └── ResponseTooLargeError            an answer larger than the client reads (`max_response_bytes`)
```

Exceptions of the libraries below (lark, httpx) never reach the caller untranslated:
they are chained as `__cause__`.

Two warnings (both `UserWarning`): [`TranslationWarning`][cwa_query.errors.TranslationWarning]
when a translation is exact only under an assumption the caller should see (for example
that a field holds one value, not a list); [`ConditionWarning`][cwa_query.errors.ConditionWarning]
when a client told to warn only (`validate="warn"`) sends a condition the linter finds errors in.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .language.ast import Span

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ConditionError",
    "ConditionEvaluationError",
    "ConditionLimitError",
    "ConditionRejectedError",
    "ConditionSyntaxError",
    "ConditionWarning",
    "ConfigurationError",
    "CwaQueryError",
    "DeadlineExceededError",
    "DecodeError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "QueryTooLongError",
    "RateLimitedError",
    "ResponseTooLargeError",
    "SchemaError",
    "ServerError",
    "TransportError",
    "TranslationWarning",
    "TwoFactorRequiredError",
    "UnknownDialectError",
    "UnrepresentableConditionError",
    "UntranslatableError",
    "UnsupportedValueError",
]


class CwaQueryError(Exception):
    """The root of every exception cwa_query raises."""

    def _reduce_to(self, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
        """What `__reduce__` returns for an error whose constructor takes keywords: unpickling
        calls the error's class with `args` and `kwargs`."""
        return (functools.partial(type(self), *args, **kwargs), ())


class ConditionError(CwaQueryError, ValueError):
    """A condition cannot be used as given."""


class ConditionSyntaxError(ConditionError):
    """The condition text does not parse.

    Attributes:
        text: the whole condition.
        pos: 0-based offset of the fault.
        line, column: 1-based position of the fault.
        expected: what would have been accepted there, in words (`"a value"`, `"')'"`).
        hint: how to fix a common mistake, or `None`.
        description: the one-line message without position or snippet.

    `str()` gives the message, the position, the line and a caret under the fault:

    >>> from cwa_query import parse
    >>> try:
    ...     parse("Status == 'Online'")
    ... except ConditionSyntaxError as exc:
    ...     print(exc)
    unexpected '=' at line 1, column 9; expected a value
      Status == 'Online'
              ^
    hint: the condition language compares with a single '=': write `Status = 'Online'`
    """

    def __init__(
        self,
        description: str,
        *,
        text: str,
        pos: int,
        expected: tuple[str, ...] = (),
        hint: str | None = None,
        end_pos: int | None = None,
    ) -> None:
        self.description = description
        self.text = text
        self.pos = max(0, min(pos, len(text)))
        self.end_pos = max(self.pos, end_pos if end_pos is not None else self.pos + 1)
        self.line = text.count("\n", 0, self.pos) + 1
        self.column = self.pos - (text.rfind("\n", 0, self.pos) + 1) + 1
        self.expected = expected
        self.hint = hint
        super().__init__(self._message())

    @property
    def expected_text(self) -> str:
        """`expected` joined in words: "a value", "'and', 'or' or ')'"."""
        items = list(self.expected)
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + " or " + items[-1]

    def context(self, width: int = 80) -> str:
        """The faulty line (cut to about `width` characters around the fault) and a caret."""
        start = self.text.rfind("\n", 0, self.pos) + 1
        end = self.text.find("\n", self.pos)
        if end < 0:
            end = len(self.text)
        line = self.text[start:end]
        caret = self.pos - start
        if len(line) > width:
            left = max(0, caret - width // 2)
            right = min(len(line), left + width)
            left = max(0, right - width)
            prefix = "..." if left > 0 else ""
            suffix = "..." if right < len(line) else ""
            caret = caret - left + len(prefix)
            line = prefix + line[left:right] + suffix
        line = line.replace("\t", " ").replace("\r", " ")
        return f"  {line}\n  {' ' * caret}^"

    def _message(self) -> str:
        head = f"{self.description} at line {self.line}, column {self.column}"
        if self.expected:
            head += f"; expected {self.expected_text}"
        parts = [head, self.context()]
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(
            self.description, text=self.text, pos=self.pos, expected=self.expected, hint=self.hint, end_pos=self.end_pos
        )


class ConditionLimitError(ConditionSyntaxError):
    """The condition exceeds a configured limit (`limit` names it, e.g. `"max_depth"`)."""

    def __init__(self, description: str, *, text: str, pos: int, limit: str, hint: str | None = None) -> None:
        self.limit = limit
        super().__init__(description, text=text, pos=pos, hint=hint)

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(self.description, text=self.text, pos=self.pos, limit=self.limit, hint=self.hint)


class ConditionEvaluationError(ConditionError):
    """Evaluating a valid condition on a record fails, as the request would on a service.

    Attributes:
        limit: the budget it ran past (`"max_steps"`, `"pattern_seconds"`), or `None` when the
            operation itself fails (an integer `div 0` or `mod 0`, an invalid pattern).

    >>> from cwa_query.odata import evaluate_odata, parse_odata
    >>> evaluate_odata(parse_odata("Count mod 0 eq 1"), {"Count": 3})
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConditionEvaluationError: mod 0: the right operand is zero, so the request fails
    """

    def __init__(self, message: str, *, limit: str | None = None) -> None:
        self.limit = limit
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(str(self), limit=self.limit)


class UnrepresentableConditionError(ConditionError):
    """A valid condition has no safe spelling in the target dialect.

    Example: the automate server accepts `'...'` and `"..."` strings but no public
    source shows how it escapes a quote inside one, so a value holding both kinds of
    quote cannot be sent safely.
    """


class UntranslatableError(UnrepresentableConditionError):
    """A condition cannot be written in the target dialect with the same meaning on every record.

    Attributes:
        construct: the construct, as the source dialect wrote it (`"Tags like '%a%'"`).
        target: the name of the target dialect.
        pos, end_pos: 0-based offsets of the construct in the source text, when known.
        line, column: 1-based position of the construct, when known.
        reason: why no faithful spelling exists.

    >>> raise UntranslatableError("Ports < 10", target="automate", reason="no prefix not", pos=5, line=1, column=6)
    Traceback (most recent call last):
    ...
    cwa_query.errors.UntranslatableError: cannot translate `Ports < 10` at line 1, column 6 to automate: no prefix not
    """

    def __init__(
        self,
        construct: str,
        *,
        target: str,
        reason: str,
        pos: int | None = None,
        end_pos: int | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.construct = construct
        self.target = target
        self.reason = reason
        self.pos = pos
        self.end_pos = end_pos
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None and column is not None else ""
        super().__init__(f"cannot translate `{construct}`{where} to {target}: {reason}")

    @classmethod
    def at(cls, construct: str, *, target: str, reason: str, span: Span | None) -> UntranslatableError:
        """The error for `construct`, at the source position `span` when it is known."""
        if span is None:
            return cls(construct, target=target, reason=reason)
        where = {"pos": span.start, "end_pos": span.end, "line": span.line, "column": span.column}
        return cls(construct, target=target, reason=reason, **where)

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(
            self.construct,
            target=self.target,
            reason=self.reason,
            pos=self.pos,
            end_pos=self.end_pos,
            line=self.line,
            column=self.column,
        )


class ConditionRejectedError(ConditionError):
    """The linter finds errors in a condition that a client was about to send (before any request).

    Attributes:
        condition: the condition as it would have been sent (rendered for the dialect).
        endpoint: the endpoint it filters.
        findings: the linter's error diagnostics (each with its code, message, position, fix).

    The message names each finding and its fix; `validate="warn"` or `validate="off"` on the
    client sends the condition anyway.
    """

    def __init__(self, message: str, *, condition: str, endpoint: str, findings: tuple[Any, ...] = ()) -> None:
        self.condition = condition
        self.endpoint = endpoint
        self.findings = findings
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(str(self), condition=self.condition, endpoint=self.endpoint, findings=self.findings)


class QueryTooLongError(ConditionError):
    """A list request's query string would pass the server's budget (IIS: 2,048 bytes by
    default) and the client cannot split it into requests that give the same records.

    The client splits one `in` list that is a top-level conjunct (`A and Id in (...)`) by
    itself; this error says why it could not (the list is under `or` or `not`, is a `not in`,
    another part of the query is long too, or there is no list) and what to do.

    Attributes: `size` (bytes of the query string), `budget`, `reason`.
    """

    def __init__(self, reason: str, *, size: int, budget: int) -> None:
        self.reason = reason
        self.size = size
        self.budget = budget
        super().__init__(f"the query string would be {size:,} bytes, over the budget of {budget:,}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(self.reason, size=self.size, budget=self.budget)


class ConditionWarning(UserWarning):
    """A condition with linter errors sent anyway, because the client was told to warn only."""


class TranslationWarning(UserWarning):
    """A translation that is exact only under an assumption (e.g. that a field is not a list)."""


class SchemaError(CwaQueryError, ValueError):
    """A field catalogue (schema) is malformed or names an unknown endpoint."""


class UnsupportedValueError(CwaQueryError, ValueError):
    """A record value that the target cannot hold, e.g. bytes for an SQL column (see `to_sql`)."""


class ConfigurationError(CwaQueryError, ValueError):
    """Settings that cannot work: a remote plain-http server, missing credentials, ..."""


class UnknownDialectError(ConfigurationError):
    """A dialect name that is not registered; `name` is what was asked for, `choices` the known names."""

    def __init__(self, name: str, choices: tuple[str, ...]) -> None:
        self.name = name
        self.choices = choices
        super().__init__(f"unknown dialect {name!r}: choose one of {', '.join(map(repr, choices))}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.choices))


class TransportError(CwaQueryError):
    """No HTTP response arrived: connection refused or reset, timeout, protocol error."""

    def __init__(self, message: str, *, method: str | None = None, path: str | None = None) -> None:
        self.method = method
        self.path = path
        super().__init__(message)

    def _keywords(self) -> dict[str, Any]:
        """The constructor's keyword arguments, for pickling (a subclass adds its own)."""
        return {"method": self.method, "path": self.path}

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(self.args[0], **self._keywords())


class DeadlineExceededError(TransportError):
    """A request's whole exchange (sending, waiting, reading the answer) outlasted its deadline
    (`Client(deadline=...)`), e.g. a server that drips its answer a few bytes at a time, each
    read within the per-read timeout. `deadline` is the limit in seconds."""

    def __init__(self, message: str, *, deadline: float, method: str | None = None, path: str | None = None) -> None:
        self.deadline = deadline
        super().__init__(message, method=method, path=path)

    def _keywords(self) -> dict[str, Any]:
        return {**super()._keywords(), "deadline": self.deadline}


class ApiError(CwaQueryError):
    """The server answered with an error status.

    Attributes: `status`, `code` (e.g. `"BadRequest"`, or `None`), `message`, `details`
    (the error body's details, or `None`), `method` and `path` of the request (the path
    without the query string, which may hold a condition but never a secret).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        details: Any = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.code = code
        self.details = details
        self.method = method
        self.path = path
        where = f" ({method} {path})" if method and path else ""
        super().__init__(f"HTTP {status}{where}: {message}")

    def _keywords(self) -> dict[str, Any]:
        """The constructor's keyword arguments, for pickling (a subclass adds its own)."""
        return {
            "status": self.status,
            "code": self.code,
            "details": self.details,
            "method": self.method,
            "path": self.path,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return self._reduce_to(self.message, **self._keywords())


class BadRequestError(ApiError):
    """400: the server refused the request (often a condition or a parameter)."""


class AuthenticationError(ApiError):
    """401, or a refused login: credentials, token, or the `ClientId` header."""


class TwoFactorRequiredError(AuthenticationError):
    """The account needs a two-factor code and none was given."""


class PermissionDeniedError(ApiError):
    """403: the account lacks the permission."""


class NotFoundError(ApiError):
    """404: no such endpoint or record."""


class RateLimitedError(ApiError):
    """429 that outlasted the retry budget; `retry_after` in seconds when the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)

    def _keywords(self) -> dict[str, Any]:
        return {**super()._keywords(), "retry_after": self.retry_after}


class ServerError(ApiError):
    """5xx that outlasted the retry budget."""


class DecodeError(ApiError):
    """The server's answer cannot be read: not JSON, nested deeper than the client decodes,
    or not the shape expected (a list request answered with an object).

    `status` is the answer's status (often 200), `method` and `path` name the request.
    """


class PaginationError(DecodeError):
    """Pages that do not add up, so reading on would never end or would repeat records: a page
    identical to the one before or holding records already handed over (a server that ignores
    `page`), a page larger than the `pageSize` asked for, or an empty page before the last page
    the server announced. `page` is the number of the page at fault."""

    def __init__(self, message: str, *, page: int, **kwargs: Any) -> None:
        self.page = page
        super().__init__(message, **kwargs)

    def _keywords(self) -> dict[str, Any]:
        return {**super()._keywords(), "page": self.page}


class ResponseTooLargeError(DecodeError):
    """An answer larger than the client reads (`Client(max_response_bytes=...)`); the rest of
    it is not read. `limit` is the bound in bytes."""

    def __init__(self, message: str, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(message, **kwargs)

    def _keywords(self) -> dict[str, Any]:
        return {**super()._keywords(), "limit": self.limit}
