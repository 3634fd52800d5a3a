"""Tests of the executor (cwa_query.client)."""
