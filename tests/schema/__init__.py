"""Tests of cwa_query.schema."""
