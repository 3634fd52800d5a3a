"""Tests of the language wing (cwa_query.language): parsing, rendering, building, evaluation, SQL."""
