"""Tests of reading text into the tree, in every dialect: results, errors with positions, grammars, corpora."""
