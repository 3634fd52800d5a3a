"""Tests of cwa_query.linter and the lint command."""
