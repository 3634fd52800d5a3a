"""Tests of cwa_query.strategies."""
