"""The executor: an httpx client in layers (auth flow, retries, rate limits, pagination).

The public names are re-exported from [`cwa_query`][cwa_query].
"""
