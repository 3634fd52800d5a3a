"""Literal values shared by every dialect: ISO-8601 dates, numbers and LIKE patterns.

The grammar decides *where* a literal may stand and how it is spelled in each dialect
(quotes are written only by the dialect classes in [`cwa_query.dialects`][cwa_query.dialects]);
this module turns the spelled text into Python values and back, the same way for all:

>>> parse_datetime("2024-02-14T10:30:00Z")
datetime.datetime(2024, 2, 14, 10, 30, tzinfo=datetime.timezone.utc)
>>> format_datetime(parse_datetime("2024-02-14"))
'2024-02-14'
>>> like_pattern(escape_like("50%") + "%")
(<Op.STARTSWITH: 'startswith'>, '50%')
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import re

from ..errors import UnrepresentableConditionError
from . import ast

__all__ = [
    "DATE_RE",
    "instant_text",
    "record_instant",
    "text_instant",
    "utc_instant",
    "MAX_INTEGER_DIGITS",
    "check_decimal",
    "check_integer",
    "check_text",
    "escape_like",
    "format_datetime",
    "integer_text",
    "iso_date",
    "like_pattern",
    "like_tokens",
    "match_text",
    "parse_datetime",
    "parse_exponent_number",
    "parse_number",
    "text_number",
    "quote_either",
]

DATE_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?"
)
"""An ISO-8601 date or date-time as the language writes one (the grammar's `DATETIME`), with groups."""

MAX_INTEGER_DIGITS = 4300
"""The most digits an integer literal may have (Python's default `int`/`str` conversion limit)."""


def parse_datetime(text: str) -> _dt.date | _dt.datetime:
    """The date or date-time an ISO-8601 text stands for.

    Raises `ValueError` for an impossible date (`2024-02-30`) or one that leaves the
    representable range once converted to UTC.
    """
    match = DATE_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not an ISO-8601 date")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if hour is None:
        return _dt.date(int(year), int(month), int(day))
    tz: _dt.tzinfo | None = None
    if zone:
        if zone in "Zz":
            tz = _dt.UTC
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = _dt.timezone(sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    micro = int((fraction or "0").ljust(6, "0")[:6])
    value = _dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz)
    if tz is not None:
        try:
            value.astimezone(_dt.UTC)
        except OverflowError:
            raise ValueError("out of range once converted to UTC") from None
    return value


def format_datetime(value: _dt.date | _dt.datetime) -> str:
    """The canonical ISO-8601 text of a date or date-time.

    Aware date-times are written in UTC with `Z`; fractions without trailing zeros.

    >>> import datetime as dt
    >>> format_datetime(dt.datetime(2019, 12, 18, 0, 50, 19, 575000, tzinfo=dt.timezone.utc))
    '2019-12-18T00:50:19.575Z'
    >>> format_datetime(dt.date(2024, 1, 1))
    '2024-01-01'
    """
    if not isinstance(value, _dt.datetime):
        return value.isoformat()
    zone = ""
    if value.tzinfo is not None and value.utcoffset() is not None:
        try:
            value = value.astimezone(_dt.UTC).replace(tzinfo=None)
        except OverflowError:
            raise UnrepresentableConditionError(f"{value.isoformat()} is out of range once converted to UTC") from None
        zone = "Z"
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if len(text) < 19:  # years before 1000 on some platforms
        text = f"{value.year:04d}" + text[text.index("-") :]
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text + zone


def parse_number(text: str) -> int | _decimal.Decimal:
    """The integer or exact decimal a number literal (`42`, `-7`, `3.14`) stands for.

    Raises `ValueError` for an integer longer than
    [`MAX_INTEGER_DIGITS`][cwa_query.language.literals.MAX_INTEGER_DIGITS], whatever the
    interpreter's own limit is, so that the language accepts the same texts everywhere.
    """
    if "." in text:
        return _decimal.Decimal(text)
    digits = len(text) - text.startswith("-")
    if digits > MAX_INTEGER_DIGITS:
        raise UnrepresentableConditionError(
            f"an integer of {digits:,} digits is longer than the {MAX_INTEGER_DIGITS:,} digits allowed"
        )
    return int(text)


_NUMBER_TEXT_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def text_number(text: str) -> _decimal.Decimal | None:
    """The number a text stands for, if it is a plain decimal (`-?[0-9]+(.[0-9]+)?`), else `None`
    (how the condition language converts text compared with a number).

    >>> text_number("05"), text_number("5.0"), text_number(" 5")
    (Decimal('5'), Decimal('5.0'), None)
    """
    if _NUMBER_TEXT_RE.fullmatch(text) is None:
        return None
    return _decimal.Decimal(text)


def integer_text(value: int) -> str:
    """The decimal text of an integer; [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError]
    (a `ValueError`) past MAX_INTEGER_DIGITS digits.

    >>> integer_text(-42)
    '-42'
    """
    return str(check_integer(value))


def match_text(literal: ast.Literal) -> str:
    """The text a text operator (`like`, `contains`, ...) matches for a literal: a string's
    value, any other literal's unquoted canonical spelling (exact digits however long).

    >>> match_text(ast.Integer(443)), match_text(ast.Boolean(True)), match_text(ast.String("a'b"))
    ('443', 'true', "a'b")
    """
    if isinstance(literal, ast.String):
        return literal.value
    if isinstance(literal, ast.Boolean):
        return "true" if literal.value else "false"
    if isinstance(literal, ast.Integer):
        return format(_decimal.Decimal(literal.value), "f")  # exact digits without str(int)'s limit
    if isinstance(literal, ast.Decimal):
        return format(literal.value, "f")
    if isinstance(literal, ast.DateTime):
        return format_datetime(literal.value)
    raise TypeError(f"{type(literal).__name__} has no text to match")


def check_integer(value: int) -> int:
    """`value` unchanged if it has at most MAX_INTEGER_DIGITS digits, else
    [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError] (a `ValueError`)."""
    if -_INTEGER_BOUND < value < _INTEGER_BOUND:
        return value
    raise UnrepresentableConditionError(f"the integer is longer than the {MAX_INTEGER_DIGITS:,} digits allowed")


_INTEGER_BOUND = 10**MAX_INTEGER_DIGITS


def plain_digits(value: _decimal.Decimal) -> int:
    """How many digits a finite decimal takes written plainly (`format(value, "f")`), counted
    without writing it: `1e999999999` would take a gigabyte.

    >>> plain_digits(_decimal.Decimal("1.5e3")), plain_digits(_decimal.Decimal("-2.5e-3"))
    (4, 5)
    """
    digits, exponent = len(value.as_tuple().digits), value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN and infinities have no digits to write
        return 0
    return digits + exponent if exponent >= 0 else max(digits, -exponent) + (digits <= -exponent)


def check_decimal(value: _decimal.Decimal) -> _decimal.Decimal:
    """`value` unchanged if written plainly it takes at most MAX_INTEGER_DIGITS digits, else
    [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError] (a `ValueError`):
    every later step (SQL parameters, text, integer parts) writes or converts it exactly.

    >>> check_decimal(_decimal.Decimal("1e999999999"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cwa_query.errors.UnrepresentableConditionError: the number 1E+999999999 takes 1,000,000,000 digits written ...
    """
    needed = plain_digits(value)
    if needed <= MAX_INTEGER_DIGITS:
        return value
    raise UnrepresentableConditionError(
        f"the number {value:.0E} takes {needed:,} digits written plainly (at most {MAX_INTEGER_DIGITS:,} allowed)"
    )


_EXPONENT_NUMBER_RE = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)[eE]([+-]?)([0-9]+)")


def parse_exponent_number(text: str) -> _decimal.Decimal:
    """The exact decimal of a number written with an exponent (`1.5e3`, OData's `doubleValue`),
    refused with [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError] past
    MAX_INTEGER_DIGITS plain digits before anything that size is built.

    >>> parse_exponent_number("2.5e-3")
    Decimal('0.0025')
    """
    match = _EXPONENT_NUMBER_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a number with an exponent: {text[:40]!r}")
    mantissa, sign, exponent_digits = match.groups()
    exponent_digits = exponent_digits.lstrip("0") or "0"
    if len(exponent_digits) > len(str(MAX_INTEGER_DIGITS)) + 1:  # the exponent alone is past any bound
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise UnrepresentableConditionError(
            f"the number {shown} takes more than {MAX_INTEGER_DIGITS:,} digits written plainly"
        )
    return check_decimal(_decimal.Decimal(f"{mantissa}E{sign}{exponent_digits}"))


def check_text(value: str) -> str:
    """`value` unchanged if it can be sent as UTF-8; otherwise
    [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError] (a `ValueError`)
    naming the offset of the first lone surrogate.

    >>> check_text("Zürich")
    'Zürich'
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnrepresentableConditionError(
            f"the text holds a lone surrogate {value[exc.start]!r} at offset {exc.start}, which cannot be sent as UTF-8"
        ) from None
    return value


_ISO_TEXT_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?")


def quote_either(value: str, first: str, *, escape_quotes: bool, refusal: str) -> str:
    """`value` in quotes of the kind `first` (`'` or `"`) or, when it holds that one, the other;
    a value holding both is refused with `refusal` (an
    [`UnrepresentableConditionError`][cwa_query.UnrepresentableConditionError]) unless
    `escape_quotes`, which doubles `'` inside single quotes. For the servers that accept both
    quote kinds and show no escape (automate, manage).

    >>> print(quote_either("it's", "'", escape_quotes=False, refusal=""))
    "it's"
    """
    check_text(value)
    second = "'" if first == '"' else '"'
    for quote in (first, second):
        if quote not in value:
            return quote + value + quote
    if escape_quotes:
        return "'" + value.replace("'", "''") + "'"
    raise UnrepresentableConditionError(refusal)


def iso_date(value: str) -> str | None:
    """The unquoted spelling of an ISO-8601 date or date-time string (a space before the
    time allowed), or `None` when the text is not one.

    >>> iso_date("2024-02-14 10:00:00"), iso_date("2024-02-30"), iso_date("soon")
    ('2024-02-14T10:00:00', None, None)
    """
    if not _ISO_TEXT_RE.fullmatch(value):
        return None
    text = value.replace(" ", "T")
    try:
        _dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return text


def escape_like(value: str) -> str:
    """Escape `\\`, `%` and `_` so a LIKE pattern matches `value` literally.

    >>> escape_like("50%_off")
    '50\\\\%\\\\_off'
    """
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_tokens(pattern: str) -> list[str | None]:
    """A LIKE pattern as tokens: a character, `None` for `_`, `"%"` for `%` (escapes resolved).

    A literal `%` comes back as `"\\\\%"`, so every token but the wildcards is one character
    or a backslash and one character.

    >>> like_tokens(r"a_%\\%")
    ['a', None, '%', '\\\\%']
    """
    tokens: list[str | None] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            char = pattern[index + 1]
            tokens.append("\\%" if char == "%" else char)
            index += 2
            continue
        if char == "%":
            tokens.append("%")
        elif char == "_":
            tokens.append(None)
        else:
            tokens.append(char)
        index += 1
    return tokens


def like_pattern(pattern: str) -> tuple[ast.Op, str] | None:
    """The text operator and value a LIKE pattern means, or `None` if it needs wildcards.

    LIKE patterns follow MySQL: `%` any run, `_` any one character, a backslash escapes
    the next character. A pattern converts when its only wildcards are a leading and/or
    trailing `%` (`ast.Op.EQ` when it has none).

    >>> like_pattern("%DC%")
    (<Op.CONTAINS: 'contains'>, 'DC')
    >>> like_pattern("50\\\\%%")
    (<Op.STARTSWITH: 'startswith'>, '50%')
    """
    leading = pattern.startswith("%")
    body = pattern[1:] if leading else pattern
    chars: list[str] = []
    trailing = False
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            chars.append(body[index + 1])
            index += 2
            continue
        if char == "%" and index == len(body) - 1:
            trailing = True
        elif char in "%_\\":
            return None
        else:
            chars.append(char)
        index += 1
    value = "".join(chars)
    if not value:
        return None
    if leading and trailing:
        return ast.Op.CONTAINS, value
    if trailing:
        return ast.Op.STARTSWITH, value
    if leading:
        return ast.Op.ENDSWITH, value
    return ast.Op.EQ, value


# --------------------------------------------------------------------------- instants


def instant_text(value: _dt.date | _dt.datetime) -> str:
    """The storage normal form of a date-time: UTC, microseconds, `+00:00` (32 characters).

    Text order of normal forms is time order. Naive date-times are UTC; a date is its
    midnight UTC. Raises `OverflowError` when the instant in UTC falls outside years 1-9999.

    >>> import datetime as dt
    >>> instant_text(dt.datetime(2024, 2, 14, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    '2024-02-14T08:30:00.000000+00:00'
    >>> instant_text(dt.date(2024, 2, 14))
    '2024-02-14T00:00:00.000000+00:00'
    """
    return utc_instant(value).isoformat(timespec="microseconds")


def utc_instant(value: _dt.date | _dt.datetime) -> _dt.datetime:
    """An aware UTC date-time (raises OverflowError out of range)."""
    if not isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=_dt.UTC)
    return value.astimezone(_dt.UTC)


def text_instant(text: str) -> _dt.datetime | None:
    """The instant (aware, UTC) a text stands for, if it is an ISO date as the language writes one."""
    if DATE_RE.fullmatch(text) is None:
        return None
    try:
        return utc_instant(parse_datetime(text))
    except (ValueError, OverflowError):
        return None


_RECORD_ISO_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-]([0-9]{2}):([0-9]{2}))?)?"
)


def record_instant(text: str) -> _dt.datetime | None:
    """The instant (aware, UTC) an ISO-8601 text in a record stands for, or `None`.

    Accepted: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with an optional fraction of 1-9
    digits and an optional `Z` or `+HH:MM`/`-HH:MM` offset of at most 14 hours (what JSON
    APIs write); a real calendar date and time whose instant falls in years 1-9999 in UTC.
    Naive text is UTC.

    >>> record_instant("2023-06-01T10:00:00+02:00")
    datetime.datetime(2023, 6, 1, 8, 0, tzinfo=datetime.timezone.utc)
    >>> record_instant("2023-02-29"), record_instant("2023-06-01 10:00")
    (None, None)
    """
    match = _RECORD_ISO_RE.fullmatch(text)
    if match is None:
        return None
    hours, minutes = match.groups()
    if hours is not None and (hours > "14" or minutes > "59"):
        return None
    try:
        return utc_instant(parse_datetime(text))
    except (ValueError, OverflowError):
        return None
