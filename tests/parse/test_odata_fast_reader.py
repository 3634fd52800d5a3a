"""The fast OData reader (`cwa_query/dialects/_odata_fast.py`) reads exactly as the grammar path.

`parse(text, dialect="odata")` takes the simple shape of a filter through the fast reader
and everything else through `grammar/odata.lark` and the reading pass. Every input here
is read twice, the fast reader on and forced off, and must give the same tree (`==`,
which includes the meaning, and every node's span compared explicitly) or the same error
(type, position, message): the bench corpora, the OData ABNF test cases, hand-picked
edge cases and drawn OData text. The fast reader must also take most of the condition
corpus, or it would prove nothing (and speed nothing).
"""

from __future__ import annotations

import json
import urllib.parse
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cwa_query import ParseLimits, UnrepresentableConditionError, ast, parse, render
from cwa_query.dialects import _odata_fast
from cwa_query.dialects._odata_fast import read_simple
from cwa_query.dialects.odata import OData
from cwa_query.language._driver import DEFAULT_LIMITS
from cwa_query.strategies import invalid_odata_filter_strings, odata_condition_strings, odata_filter_strings

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "data"
ABNF = Path(__file__).parent / "data" / "odata_abnf_testcases.json"


def _spans(node: object) -> Iterator[tuple[str, tuple[int, int, int, int] | None]]:
    """Every node of a tree (OData nodes inside an `Expression` too) with its span."""
    if isinstance(node, tuple):
        for item in node:
            yield from _spans(item)
    elif isinstance(node, ast._Node):
        span = getattr(node, "span", None)
        yield type(node).__name__, None if span is None else (span.start, span.end, span.line, span.column)
        for name in node._fields:
            if name != "span":
                yield from _spans(getattr(node, name))


def _read(text: str, *, fast: bool, limits: ParseLimits = DEFAULT_LIMITS) -> tuple[Any, ...]:
    previous = OData.fast_reading
    OData.fast_reading = fast
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # reading warns about nothing, on either path
            tree = parse(text, dialect="odata", limits=limits)
    except Exception as exc:  # any error: it must be the same on both paths
        return ("error", type(exc), getattr(exc, "pos", None), str(exc))
    finally:
        OData.fast_reading = previous
    return ("tree", tree, list(_spans(tree)))


def assert_same(text: str, limits: ParseLimits = DEFAULT_LIMITS) -> None:
    slow = _read(text, fast=False, limits=limits)
    fast = _read(text, fast=True, limits=limits)
    assert fast == slow, text
    if slow[0] == "error":
        assert read_simple(text, limits) is None, text  # errors always come from the grammar path


def condition_corpus_as_odata() -> list[str]:
    """The filters of `bench/parse.py`'s "Condition corpus as OData" section, made as it makes them."""
    lines = (BENCH / "conditions-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for line in lines:
            if line.strip():
                try:
                    out.append(render(parse(json.loads(line)["cw"]), "odata"))
                except UnrepresentableConditionError:
                    continue
    return out


@pytest.fixture(scope="module")
def conditions() -> list[str]:
    return condition_corpus_as_odata()


def test_the_condition_corpus_reads_the_same(conditions: list[str]) -> None:
    assert len(conditions) > 1_500
    for text in conditions:
        assert_same(text)


def test_the_fast_reader_takes_the_condition_corpus(conditions: list[str]) -> None:
    """It must take nearly all of it (so it cannot be silently falling back), and what it
    takes must hold the kept-as-read `Expression`s as well as the shared nodes."""
    taken = [text for text in conditions if read_simple(text, DEFAULT_LIMITS) is not None]
    assert len(taken) >= 0.95 * len(conditions)
    kinds = {type(node).__name__ for text in taken for node in ast.walk(parse(text, dialect="odata"))}
    assert {"Compare", "InList", "And", "Or", "Not", "Expression"} <= kinds


def test_the_odata_corpus_reads_the_same() -> None:
    lines = (BENCH / "odata-corpus.jsonl").read_text(encoding="utf-8").splitlines()
    filters = [json.loads(line)["filter"] for line in lines if line.strip()]
    assert len(filters) == 1_000
    for text in filters:
        assert_same(text)
    # The corpus says much the condition language cannot: the grammar path reads most of it.
    assert 100 < sum(read_simple(text, DEFAULT_LIMITS) is not None for text in filters) < 900


def test_the_abnf_cases_read_the_same() -> None:
    cases = json.loads(ABNF.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        text = urllib.parse.unquote(case["input"])
        assert_same(text)
        name, _, value = text.partition("=")
        if name in ("$filter", "filter"):
            assert_same(value)


EDGES = [
    # logic: runs in parentheses spliced into a run of the same operator, `not` pushed inward
    "(a eq 1 and b eq 2) and c eq 3",
    "a eq 1 and (b eq 2 and (c eq 3 or d eq 4))",
    "(a eq 1 or b eq 2) or (c eq 3 and d eq 4)",
    "not (a eq 1 or b ne 2) and c",
    "not (A ne null and not (A in ('x',null)))",
    "Id ne null and Id ne 5",
    "not not Flag",
    "not Flag and not (x eq 1)",
    "((((a eq 1))))",
    # comparisons: flipped, null, ordering, paths, literals of every shared kind
    "5 lt Price",
    "null eq Name",
    "Client/Location/Id ge 7",
    "Name gt null",
    "tolower(Name) eq null",
    "tolower(Name) gt 5",
    "When lt 2024-01-31 and At ge 2024-01-31T10:00:00+02:00",
    "Ok eq true or Ok ne false",
    "Price le 1.50 and Big eq 123456789012345678901234567890 and Tiny lt -1e-3",
    # kept as read (no exact shared form)
    "Name eq 'Foo'",
    "tolower(Name) eq 'kiosk' or contains(tolower(Name),'pi')",
    "tolower(Name) eq 'Foo'",
    "'a' eq 'b'",
    "A eq B",
    "Name in ('Foo','bar')",
    "Name in (null)",
    "not Name in ('x','y')",
    "contains(Name,Other)",
    "contains('abc',Name)",
    "not startswith(tolower(Name),'k')",
    "ENDSWITH(Name,'-01') and Contains(tolower(N),'x')",
    "tolower(N) in ('a',1)",
    # shapes the fast reader leaves to the grammar
    "not Name eq 'x'",
    "(Name) eq 'x'",
    "A eq B in (1,2)",
    "A in (1) in (2)",
    "X in ((1))",
    "X in ()",
    "X in (Y)",
    "contains(A,'x') eq true",
    "tolower(N)",
    "true",
    "Price add 1 gt 5",
    "Tags/any(t: t eq 'x')",
    "Client/and eq 1",
    "contains(contains(A,'x'),'y')",
    "tolower(tolower(A)) eq 'x'",
    # tokens at the edge of the fast lexer's scanner (tests/parse: see the lexer tests below)
    "A/null eq 1",
    "A/Null eq 1 and A/INF eq 2 or A/NaN eq 3",
    "A /B eq 1",
    "A/ B eq 1",
    "A/B/C in (1,2) and tolower(A/B) eq 'x' or contains(A/B,'x')",
    "NOT A EQ 1 AND B Ne null Or C iN (1)",
    "Null eq 1 and nullx eq 2 and NULL eq 3",
    "A eq INF or A eq NaN or A eq -INF",
    "A eq 1.5 or A eq -1.50 or A eq 007 or A eq 1e5 or A eq 1.",
    "A eq 12:30 or A eq 12345678-1234-1234-1234-123456789012",
    "A eq\t1",
    "A eq 'x'and B eq 1",
    "A eq 'x'or B eq 1",
    "Tolower(A) eq 'x' and CONTAINS(A,'x') and StartsWith(B,'y')",
    "cast(A,Edm.String) eq 'x'",
    "any(A) eq 1",
    "A eq \u212a or \u017f eq 1 or \u0130n eq 1 or A \u0130N (1)",
    "A.B eq 1",
    "A in(1,2)",
    "not(A eq 1)",
    "A eq 1,",
    "A eq \u0663",
    # errors: the grammar's, at its position
    "",
    " a eq 1",
    "a eq 1 ",
    "a eq",
    "a = 1",
    "a eq 1 and",
    "(a eq 1",
    "a eq 1)",
    "Name eq 'O'Neil'",
    "X in (1,)",
    "contains(A)",
    "tolower(A,B) eq 'x'",
    "When eq 2024-13-01",
    "N eq 1e999999999",
    "5",
    "'text'",
    "a eq 1 b eq 2",
    # spans over several lines
    "a eq 1\nand\n  contains(tolower(Name),'x')",
    "Name\n eq 'Foo' or\nId in (1,\n2)",
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_read_the_same(text: str) -> None:
    assert_same(text)


def test_simple_shapes_are_taken() -> None:
    for text in ["a eq 1", "not (a eq 1 or b ne 2) and c", "Name eq 'Foo'", "tolower(N) in ('a','b',null)"]:
        assert read_simple(text, DEFAULT_LIMITS) is not None, text


@pytest.mark.parametrize(
    "limits",
    [ParseLimits(max_depth=d) for d in (1, 3, 9)]
    + [ParseLimits(max_in_values=n) for n in (2, 3)]
    + [ParseLimits(max_length=10)],
)
def test_limits_are_the_grammar_paths(limits: ParseLimits) -> None:
    for text in [
        "a eq 1",
        "a eq 1 and b eq 2 or c eq 3",
        "not (not (a eq 1 and not (b eq 2)))",
        "((a eq 1 or (b eq 2 and (c eq 3))))",
        "contains(tolower(Name),'x')",
        "tolower(A/B) eq 'x' and not (tolower(C) in ('y'))",
        "Id in (1,2,3)",
        "Id in (1,2,3,4,5)",
    ]:
        assert_same(text, limits)


@settings(max_examples=60)
@given(odata_filter_strings(max_leaves=6))
def test_drawn_odata_filters_read_the_same(text: str) -> None:
    assert_same(text)


@settings(max_examples=60)
@given(odata_condition_strings(max_leaves=6))
@example("A in ('b',null) or not (c eq 1 and d ne 'e')")
def test_drawn_odata_conditions_read_the_same(text: str) -> None:
    assert_same(text)


@settings(max_examples=60)
@given(invalid_odata_filter_strings(max_leaves=4))
def test_drawn_invalid_filters_fail_the_same(text: str) -> None:
    assert_same(text)


@pytest.mark.slow
@settings(max_examples=600)
@given(odata_condition_strings(max_leaves=10))
def test_many_drawn_odata_conditions_read_the_same(text: str) -> None:
    assert_same(text)


@pytest.mark.slow
@settings(max_examples=600)
@given(odata_filter_strings(max_leaves=10))
def test_many_drawn_odata_filters_read_the_same(text: str) -> None:
    assert_same(text)


# ---------------------------------------------------------------------------- the fast lexer
# `_lex` reads the common tokens with its own small scanner and, from the first other token
# on, goes on with the grammar's lexer: the scanner's tokens (a PATH token spelled out as the
# grammar's FIELD SLASH FIELD ..., a LOWERED one as FUNC LPAR ... RPAR) must be the grammar
# lexer's, token for token.


def _spelled_out(lexed: tuple[list[str], list[tuple[str, str, int, int]]] | None) -> Any:
    if lexed is None:
        return None
    kinds, tokens = lexed
    assert kinds == [token[0] for token in tokens]
    out: list[tuple[str, str, int, int]] = []
    for kind, raw, start, end in tokens:
        if kind == "PATH":
            _spell_path(raw, start, end, out)
        elif kind == "LOWERED":  # tolower(path)
            out += [("TOLOWER", raw[:7], start, start + 7), ("LPAR", "(", start + 7, start + 8)]
            _spell_path(raw[8:-1], start + 8, end - 1, out)
            out.append(("RPAR", ")", end - 1, end))
        else:
            out.append((kind, raw, start, end))
    return [token[0] for token in out], out


def _spell_path(raw: str, start: int, end: int, out: list[tuple[str, str, int, int]]) -> None:
    at = start
    for index, name in enumerate(raw.split("/")):
        if index:
            out.append(("SLASH", "/", at, at + 1))
            at += 1
        out.append(("FIELD", name, at, at + len(name)))
        at += len(name)
    assert at == end


_GRAMMAR_LEXER = _odata_fast._Lexer()


def assert_same_tokens(text: str) -> None:
    assert _spelled_out(_odata_fast._lex(text)) == _odata_fast._lex_as_grammar(text, _GRAMMAR_LEXER, 0, [], []), text


# Pieces the scanner takes (also glued together: `null` + `x`, `A` + `/` + `and`, `1` + `.5`)
# and pieces it leaves to the grammar's lexer; half the texts are drawn from the first alone,
# so that most of them are scanned to the end (only then does the scanner's reading count).
_SCANNED = [
    "Name", "a", "_x9", "Client", "and", "AND", "aNd", "Not", "in", "IN", "eq", "Eq", "ne", "gt", "GE",
    "lt", "le", "or", "true", "FALSE", "has", "add", "divby", "null", "Null", "NULL", "INF", "NaN",
    "tolower", "ToLower", "tolower(", "tolower(A)", "contains", "STARTSWITH", "endswith", "any", "cast", "Collection",
    "1", "-5", "1.5", "-0.25", "007", "12345678", "2024",
    "'x'", "'o''n'", "''", "'a b'", "(", ")", ",", "/", "/",
]  # fmt: skip
_OTHERS = [
    "isof", "substring", "duration", "binary", "geography", "Edm.String", "$it", "$count", "@p", "e5", "+3", "-", ".5",
    # letters with case outside ASCII (KELVIN SIGN and LONG S fold to ASCII letters), a non-ASCII digit
    "\u212a", "\u017f", "\u0130", "\u0131", "\u00e9", "\u0663",
    "12:30", "2024-01-31", "2024-01-31T10:00:00Z", "12345678-1234-1234-1234-123456789012", "deadbeef",
    "'", '"j"', ".", ":", "=", "[", "]", "{", "#",
]  # fmt: skip
_GAPS = ["", " ", " ", " ", "  ", "\t", "\r\n", "\n"]


def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    parts = st.lists(st.tuples(st.sampled_from(pieces), st.sampled_from(_GAPS)), max_size=12)
    return parts.map(lambda parts: "".join(piece + gap for piece, gap in parts))


lexer_texts = st.one_of(_texts(_SCANNED), _texts(_SCANNED + _OTHERS))


@settings(max_examples=1_000)
@given(lexer_texts)
@example("Client/Id eq 5 and tolower(A/B) in ('x','y''z') or not contains(N,'k')")
@example("A/and eq 1")
@example("A/null/B eq 1")
@example("and/A eq 1")
@example("Null/A eq 1")
@example("A/\u212a eq 1")
@example("deadbeef eq 12345678")
@example("12345678 eq 1")
@example("A eq -1.5,")
@example("null)")
@example("tolower (A)")
@example("A\t/B")
@example("tolower(A/B/C)eq'x'")
@example("ToLower(Name)")
@example("TOLOWER(and) eq 'x'")
@example("tolower(A/null) eq 'x'")
@example("tolower(A/B)/C")
@example("Edm.String eq A.B")
@example("A eq 1.5.2")
def test_the_scanner_lexes_as_the_grammar(text: str) -> None:
    assert_same_tokens(text)


@pytest.mark.slow
@settings(max_examples=5_000)
@given(lexer_texts)
def test_the_scanner_lexes_as_the_grammar_many(text: str) -> None:
    assert_same_tokens(text)


def test_the_scanner_takes_the_condition_corpus(conditions: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Its tokens, not the grammar lexer's, so that the tests above prove something."""
    fallbacks: list[str] = []
    monkeypatch.setattr(_odata_fast, "_lex_as_grammar", lambda text, *_: fallbacks.append(text))
    kinds: set[str] = set()
    for text in conditions:
        lexed = _odata_fast._lex(text)
        assert lexed is not None, text
        kinds.update(lexed[0])
    assert fallbacks == []
    assert {"PATH", "LOWERED", "FIELD", "NUMBER", "STRING", "TEST"} <= kinds
