"""Tests of the documentation pages and their examples."""
