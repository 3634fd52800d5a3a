"""Tests of translating between dialects: the meaning kept on every record, or a refusal or a warning."""
