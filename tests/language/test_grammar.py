"""The grammar file is the source of truth: the stored LALR tables must be built from it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cwa_query import ConditionSyntaxError
from cwa_query.language import _parser


def test_stored_tables_match_the_grammar() -> None:
    grammar = _parser.grammar_text()
    stored = json.loads(_parser._TABLES_FILE.read_text(encoding="utf-8"))
    assert stored["grammar_sha256"] == hashlib.sha256(grammar.encode("utf-8")).hexdigest(), (
        "grammar/condition.lark changed: run `python -m cwa_query.language._parser` to rewrite cwa_query/_tables.json"
    )


def test_stored_tables_parse_like_freshly_built_ones(monkeypatch: pytest.MonkeyPatch) -> None:
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

    monkeypatch.setattr(_parser, "_tables", _parser._Tables(_parser._load_table_data()))
    stored = outcomes()
    monkeypatch.setattr(_parser, "_tables", _parser._Tables(_parser.build_table_data(_parser.grammar_text())))
    assert outcomes() == stored


def test_a_stale_table_file_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    stale = _parser._TABLES_FILE.parent / "_missing_tables.json"
    monkeypatch.setattr(_parser, "_TABLES_FILE", stale)
    data = _parser._load_table_data()
    assert data["grammar_sha256"] == hashlib.sha256(_parser.grammar_text().encode("utf-8")).hexdigest()
    tables = _parser._Tables(data)
    assert tables.keywords["and"] == "AND"


def test_grammar_defines_every_keyword_the_builder_reserves() -> None:
    from cwa_query.language.builder import _KEYWORDS

    tables = _parser._Tables(_parser._load_table_data())
    assert set(tables.keywords) == set(_KEYWORDS)
