"""The logging layer: one log record per HTTP exchange (method, path, page, condition, status,
time, retries), never a header, so never a token or a password.
"""

from __future__ import annotations

import logging
import time

import httpx

from ._auth import LOGIN_EXTENSION
from ._requests import condition_text
from ._retry import RETRIES_EXTENSION

__all__ = ["AsyncLogTransport", "LogTransport", "log_exchange"]

logger = logging.getLogger("cwa_query")


def log_exchange(request: httpx.Request, status: int | None, started: float, error: BaseException | None) -> None:
    """Log one exchange: DEBUG when it went well at once, INFO after retries or an error status,
    WARNING when no answer came; `extra` carries the figures for structured handlers."""
    elapsed_ms = (time.perf_counter() - started) * 1000
    retries = request.extensions.get(RETRIES_EXTENSION, 0)
    level = (
        logging.WARNING
        if error is not None
        else logging.DEBUG
        if retries == 0 and status is not None and status < 400
        else logging.INFO
    )
    if not logger.isEnabledFor(level):  # the common case: nothing to format
        return
    condition = condition_text(request.url)
    page = None
    for part in request.url.query.decode("ascii", errors="replace").split("&"):
        if part.startswith("page="):
            page = part[5:]
    what = "login " if request.extensions.get(LOGIN_EXTENSION) else ""
    extra = ""
    if page is not None:
        extra += f" page={page}"
    if condition is not None:
        extra += f" condition={condition!r}"
    if error is not None:
        logger.warning(
            "%s%s %s%s failed: %s after %.1f ms, %d retries",
            what,
            request.method,
            request.url.path,
            extra,
            type(error).__name__,
            elapsed_ms,
            retries,
        )
        return
    logger.log(
        level,
        "%s%s %s%s -> %s in %.1f ms, %d retries",
        what,
        request.method,
        request.url.path,
        extra,
        status,
        elapsed_ms,
        retries,
        extra={
            "cwa_method": request.method,
            "cwa_path": request.url.path,
            "cwa_condition": condition,
            "cwa_status": status,
            "cwa_elapsed_ms": elapsed_ms,
            "cwa_retries": retries,
        },
    )


class LogTransport(httpx.BaseTransport):
    """Logs each exchange through `transport` (sync)."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = self._transport.handle_request(request)
        except Exception as exc:
            log_exchange(request, None, started, exc)
            raise
        log_exchange(request, response.status_code, started, None)
        return response

    def close(self) -> None:
        self._transport.close()


class AsyncLogTransport(httpx.AsyncBaseTransport):
    """Logs each exchange through `transport` (async)."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self._transport.handle_async_request(request)
        except Exception as exc:
            log_exchange(request, None, started, exc)
            raise
        log_exchange(request, response.status_code, started, None)
        return response

    async def aclose(self) -> None:
        await self._transport.aclose()
