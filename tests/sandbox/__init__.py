"""Tests of cwa_query.sandbox."""
