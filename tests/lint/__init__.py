"""Tests of cwa_query.linter: lint(), the rules, the output formats."""
