"""Serving the sandbox: HTTP/1.1 over real sockets (asyncio + h11), a background-thread runner,
and in-process httpx transports.

Why asyncio streams and h11 rather than an ASGI server: h11 (already installed with httpx,
through httpcore) is a small, strict, well-kept HTTP/1.1 state machine with limits on header
size, so malformed requests get a clean 4xx; owning the socket makes the `reset` fault a real
TCP reset (`SO_LINGER 0` + abort) with no HTTP response at all, which an ASGI server cannot
express; and one event loop serves thousands of keep-alive connections with no thread each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
import threading
import time
from typing import Final

import h11
import httpx

from ._app import SandboxApp, SandboxRequest, SandboxResponse
from ._http import HttpError

__all__ = ["AsyncSandboxTransport", "SandboxTransport", "ThreadRunner", "bind", "serve_socket"]

logger = logging.getLogger("cwa_query.sandbox")

#: Largest request head (request line + headers) accepted; larger gets 431.
MAX_HEAD_BYTES: Final = 64 * 1024
#: Longest request line accepted; longer gets 414 (more when `max_query_string` is set higher).
MAX_REQUEST_LINE: Final = 16 * 1024
#: Connections the listening socket queues before accepting them.
LISTEN_BACKLOG: Final = 2048
#: How much of a refusal's message, and of a request target, a log line quotes.
LOGGED_MESSAGE_CHARS: Final = 120
LOGGED_TARGET_CHARS: Final = 300
#: Seconds `ThreadRunner.start()` waits for the server thread to listen.
START_TIMEOUT: Final = 30.0
#: Seconds `ThreadRunner.stop()` waits for the server thread to end.
STOP_TIMEOUT: Final = 10.0
#: A connection idle this long between requests is closed.
IDLE_TIMEOUT: Final = 120.0
#: What a request line holds beside its query string (method, path, version), at most.
_REQUEST_LINE_SLACK: Final = 1024
_READ_CHUNK: Final = 65536
#: After refusing a request, at most this much of what the client still sends is read and dropped.
_DRAIN_LIMIT: Final = 4 << 20


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket on `host:port` (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=LISTEN_BACKLOG, reuse_port=False)


def _wire_headers(answer: SandboxResponse) -> list[tuple[str, str]]:
    return [*answer.headers, ("Content-Length", str(len(answer.body))), ("Server", "cwa-query-sandbox")]


class _Connection:
    """One client connection: read requests with h11, answer them through the app."""

    def __init__(self, app: SandboxApp, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.app = app
        self.reader = reader
        self.writer = writer
        # a query-string limit raised past the request line's raises the request line's with it
        raised = app.config.query_string_limit or 0
        self.line_limit = max(MAX_REQUEST_LINE, raised + _REQUEST_LINE_SLACK)
        self.head_limit = max(MAX_HEAD_BYTES, self.line_limit + MAX_HEAD_BYTES - MAX_REQUEST_LINE)
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.head_limit)
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "?"

    async def run(self) -> None:
        try:
            while True:
                request = await self._read_request()
                if request is None:
                    return
                started = time.perf_counter()
                answer = await self.app.handle_async(request)
                if answer.reset:
                    self._log(request, "RESET", started)
                    self._reset()
                    return
                await self._send(answer, head=request.method == "HEAD")
                self._log(request, str(answer.status), started)
                if self.conn.our_state is h11.MUST_CLOSE or self.conn.their_state is not h11.DONE:
                    return
                self.conn.start_next_cycle()
        except HttpError as refused:  # a request this layer answers itself (bad HTTP, too large), then closes
            await self._refuse(refused.status, refused.message)
        except h11.RemoteProtocolError as exc:
            await self._refuse(exc.error_status_hint, f"Malformed HTTP request: {exc}")
        except (ConnectionError, TimeoutError, h11.LocalProtocolError):
            pass
        finally:
            self.writer.close()

    async def _receive(self, head: bytearray | None) -> None:
        """Feed h11 the next chunk; `head` collects the bytes of a request head not yet parsed."""
        async with asyncio.timeout(IDLE_TIMEOUT):
            data = await self.reader.read(_READ_CHUNK)
        if head is not None:
            head += data
            line, whole = self.line_limit, self.head_limit
            if len(head) > line and b"\n" not in head[:line]:
                raise HttpError(414, f"The request line is longer than {line} bytes")
            if len(head) > whole:
                raise HttpError(431, f"The request head (request line and headers) is over {whole} bytes")
        self.conn.receive_data(data)

    async def _read_request(self) -> SandboxRequest | None:
        head: bytearray | None = bytearray()
        request: SandboxRequest | None = None
        body = bytearray()
        limit = self.app.config.max_body_bytes
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                if self.conn.they_are_waiting_for_100_continue:
                    await self._write(self.conn.send(h11.InformationalResponse(status_code=100, headers=[])))
                await self._receive(head)
            elif isinstance(event, h11.Request):
                head = None
                try:
                    target = event.target.decode("utf-8")
                except UnicodeDecodeError:
                    raise HttpError(400, "The request target is not UTF-8; percent-encode it") from None
                headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in event.headers]
                request = SandboxRequest(event.method.decode("ascii", "replace"), target, headers)
                length = request.header("content-length")
                if length is not None and length.isdigit() and int(length) > limit:
                    raise HttpError(413, f"The body is larger than {limit} bytes")
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > limit:
                    raise HttpError(413, f"The body is larger than {limit} bytes")
            elif isinstance(event, h11.EndOfMessage):
                assert request is not None
                request.body = bytes(body)
                return request
            else:  # ConnectionClosed, or PAUSED after a protocol switch we never agree to
                return None

    async def _write(self, data: bytes | None) -> None:
        if data:
            self.writer.write(data)
            await self.writer.drain()

    async def _send(self, answer: SandboxResponse, *, head: bool = False) -> None:
        """Write `answer`; to a `HEAD` request, its status and headers only (as HTTP requires)."""
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in _wire_headers(answer)]
        response = h11.Response(status_code=answer.status, headers=headers, reason=answer.reason.encode())
        data = self.conn.send(response) or b""
        if not head:
            data += self.conn.send(h11.Data(data=answer.body)) or b""
        data += self.conn.send(h11.EndOfMessage()) or b""
        await self._write(data)

    async def _refuse(self, status: int, message: str) -> None:
        """Answer a request the app never saw, when the protocol state still allows an answer."""
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        answer = self.app.error_response(status, message)
        answer.headers.append(("Connection", "close"))
        logger.info('%s "-" %d %s', self.peer, status, message[:LOGGED_MESSAGE_CHARS])
        with contextlib.suppress(ConnectionError, h11.LocalProtocolError, TimeoutError):
            async with asyncio.timeout(5):
                await self._send(answer)
                # Lingering close: stop sending, then read and drop what the client is still
                # sending (a refused body), so closing does not reset the connection before the
                # client has read the answer.
                if self.writer.can_write_eof():
                    self.writer.write_eof()
                drained = 0
                while drained < _DRAIN_LIMIT and (chunk := await self.reader.read(_READ_CHUNK)):
                    drained += len(chunk)

    def _reset(self) -> None:
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

    def _log(self, request: SandboxRequest, status: str, started: float) -> None:
        if logger.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            logger.info(
                '%s "%s %s" %s %.1fms', self.peer, request.method, request.target[:LOGGED_TARGET_CHARS], status, elapsed
            )


async def serve_socket(app: SandboxApp, sock: socket.socket, stop: asyncio.Event) -> None:
    """Serve `app` on the listening `sock` until `stop` is set, then close every connection."""
    tasks: set[asyncio.Task[None]] = set()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            await _Connection(app, reader, writer).run()
        except asyncio.CancelledError:
            # Shutting down. Ending normally keeps asyncio's stream callback from logging the
            # cancellation as an error; this task is a leaf, so nothing waits on the cancel.
            pass
        finally:
            tasks.discard(task)

    server = await asyncio.start_server(on_connect, sock=sock, limit=MAX_HEAD_BYTES)
    try:
        await stop.wait()
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await server.wait_closed()


class ThreadRunner:
    """Runs `serve_socket()` on its own event loop in a daemon thread."""

    def __init__(self, app: SandboxApp, sock: socket.socket) -> None:
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._main, args=(app, sock), name="cwa-query-sandbox", daemon=True)

    def _main(self, app: SandboxApp, sock: socket.socket) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve(app, sock))
        except BaseException as exc:  # reported to start()
            self._failure = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self, app: SandboxApp, sock: socket.socket) -> None:
        self._stop = asyncio.Event()
        self._ready.set()
        await serve_socket(app, sock, self._stop)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(START_TIMEOUT)
        if self._failure is not None:
            raise self._failure

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        stop = self._stop
        if stop is not None and self._thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop already closed
                self._loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout)


def _core_request(request: httpx.Request, body: bytes) -> SandboxRequest:
    headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in request.headers.raw]
    return SandboxRequest(request.method, request.url.raw_path.decode("ascii"), headers, body)


def _httpx_response(answer: SandboxResponse, request: httpx.Request) -> httpx.Response:
    if answer.reset:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
    body = b"" if request.method == "HEAD" else answer.body
    return httpx.Response(answer.status, headers=_wire_headers(answer), content=body, request=request)


class SandboxTransport(httpx.BaseTransport):
    """An httpx transport that answers from the sandbox in process (no socket).

    Latency and `slow` faults block the calling thread; a `reset` fault raises
    `httpx.RemoteProtocolError`, as a dropped connection does over a socket.
    """

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer one request."""
        return _httpx_response(self.app.handle_sync(_core_request(request, request.read())), request)


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    """The asynchronous twin of `SandboxTransport`."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer one request."""
        body = await request.aread()
        return _httpx_response(await self.app.handle_async(_core_request(request, body)), request)
