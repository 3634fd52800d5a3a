"""The grammar files are the source of truth: the stored LALR tables must be built from them."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwa_query import ConditionSyntaxError
from cwa_query.dialects.condition import CONDITION
from cwa_query.language import _lalr, _parser


@pytest.mark.parametrize("name", _lalr.grammar_names())
def test_stored_tables_match_the_grammar(name: str) -> None:
    grammar = _lalr.grammar_text(name)
    stored = json.loads(_lalr.tables_path(name).read_text(encoding="utf-8"))
    assert stored["grammar_sha256"] == hashlib.sha256(grammar.encode("utf-8")).hexdigest(), (
        f"grammar/{name}.lark changed: run `python -m cwa_query.language._lalr {name}` to rewrite its tables"
    )


def test_stored_tables_parse_like_freshly_built_ones() -> None:
    # Lark numbers states differently from run to run, so compare behaviour, not data.
    corpus = Path(__file__).resolve().parents[2] / "bench" / "data" / "conditions-corpus.jsonl"
    texts = [json.loads(line)["cw"] for line in corpus.read_text(encoding="utf-8").splitlines()[:300]]
    texts += ["a == 1", "a = 1 and", "(a = 1", "a in ()", "Name startswith 5", "a = 1 b"]

    def outcomes() -> list[object]:
        results: list[object] = []
        for text in texts:
            try:
                results.append(_parser.parse(text))
            except ConditionSyntaxError as exc:
                results.append((exc.pos, sorted(exc.expected), exc.hint))
        return results

    try:
        CONDITION.use_tables(_lalr.Tables(_lalr.load_table_data("condition"), CONDITION.builders))
        stored = outcomes()
        fresh = _lalr.build_table_data(_lalr.grammar_text("condition"))
        CONDITION.use_tables(_lalr.Tables(fresh, CONDITION.builders))
        assert outcomes() == stored
    finally:
        CONDITION.use_tables(None)


def test_a_stale_table_file_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lalr, "TABLES_DIR", os.path.join(_lalr.TABLES_DIR, "missing"))
    data = _lalr.load_table_data("condition")
    assert data["grammar_sha256"] == hashlib.sha256(_lalr.grammar_text("condition").encode("utf-8")).hexdigest()
    tables = _lalr.Tables(data, CONDITION.builders)
    assert tables.keywords["and"] == "AND"


def test_the_builder_reserves_exactly_the_grammar_keywords() -> None:
    from cwa_query import ConditionError, F

    words = CONDITION.keyword_words()
    assert {"and", "or", "not", "like", "startswith", "true"} <= words
    for word in words:
        with pytest.raises(ConditionError, match="keyword"):
            F[word]
        with pytest.raises(ConditionError, match="keyword"):
            F[f"Client.{word.upper()}"]
    assert F["Android"].field_path == "Android"  # a keyword inside a word is no keyword


def test_field_paths_follow_the_grammar_field_terminal() -> None:
    from cwa_query import ConditionError, F, load_schema

    field = CONDITION.terminal("FIELD")
    for good in ("a", "_x1", "Client.Id", "A.b_2.C"):
        assert field.fullmatch(good)
        assert F[good].field_path == good
    for bad in ("1a", "a.", ".a", "a..b", "a-b", "a b"):
        assert not field.fullmatch(bad)
        with pytest.raises(ConditionError):
            F[bad]
    from cwa_query import SchemaError

    with pytest.raises(SchemaError, match="not a field path"):
        load_schema({"endpoints": {"T": {"fields": {"a-b": "string"}}}})


def test_grammar_options_are_read_from_the_grammar_text() -> None:
    assert _lalr.grammar_options("start: FIELD") == ("FIELD", ("LPAR", "NOT"))
    assert _lalr.grammar_options("//! identifier: NAME\n//! nesting: LPAR LBRACKET\n") == (
        "NAME",
        ("LPAR", "LBRACKET"),
    )


@given(
    st.one_of(
        st.text("0123456789-T:.Zz+ ", max_size=32),
        st.datetimes().map(lambda d: d.isoformat()),
        st.dates().map(lambda d: d.isoformat()),
    )
)
def test_the_date_pattern_of_literals_reads_what_the_grammar_lexes_as_a_date(text: str) -> None:
    from cwa_query.language.literals import DATE_RE

    assert bool(DATE_RE.fullmatch(text)) == bool(CONDITION.terminal("DATETIME").fullmatch(text))
