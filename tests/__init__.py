"""The test suite; its folders mirror the cwa_query package."""
