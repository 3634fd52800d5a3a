"""`cwa-query fetch`: run a query and print the records.

```
cwa-query fetch Computers --sandbox --where "Status = 'Online'"
cwa-query fetch Computers --server automate.example.com --profile automate --format csv --output pcs.csv
cwa-query fetch service/tickets --profile manage --server api-na.myconnectwise.net --company acme \
    --where 'status/name = "Open"' --order-by "id desc"
```

The condition is parsed before anything else: a bad one prints the caret message and exits
with status 1, without a request. `--sandbox` starts the built-in sandbox in this process
(a loopback server on a background thread) and queries it; otherwise the server and the
credentials come from `--server` and the profile's variables (`CONNECTWISE_AUTOMATE_*`;
`CONNECTWISE_MANAGE_*` for manage, whose credentials the flags `--company`, `--public-key`,
`--private-key`, `--client-id` and `--codebase` may give instead). Records stream
to the output as pages arrive (`csv` and `table` go through a temporary file first, to learn
every column without holding the records in memory). `--output` is written to a temporary
file beside it and renamed into place only when everything arrived; interrupted (SIGINT,
SIGTERM, SIGHUP) or failed, it leaves the old file as it was and no temporary file behind.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Generator, Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import Client

from .._defaults import DEFAULT_PROFILE, PROFILE_NAMES
from ..language.paths import get_path
from ._args import EXIT_FAILED, check_utf8, positive_int, utf8_text

__all__ = ["flatten", "register", "run"]

_FORMATS = ("jsonl", "json", "csv", "table")
#: The manage profile's credential flags (as client options); other profiles read the environment only.
_KEY_FLAGS = ("company", "public_key", "private_key", "client_id", "codebase")
_TABLE_CELL = 40
# the signals that stop a fetch: each unwinds it (temporary file removed), exit 128 + signal number
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


# seconds a stopped fetch may take to unwind before the process ends regardless
_UNWIND_SECONDS = 10.0


class _Interrupted(BaseException):
    """Raised in the main thread by a stop signal, so that every `finally` and `with` runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `fetch` subcommand."""
    parser = subparsers.add_parser(
        "fetch",
        help="query an endpoint (or the built-in sandbox) and print the records",
        description=(
            "Fetch the records of ENDPOINT (Computers, Clients, Alerts, ...) matching --where, every page, "
            "fetched concurrently within the rate limits, retried on transient failures. The server comes from "
            "--server or CONNECTWISE_AUTOMATE_SERVER (credentials from the CONNECTWISE_AUTOMATE_* variables); "
            "--sandbox queries the built-in sandbox instead."
        ),
    )
    parser.add_argument("endpoint", metavar="ENDPOINT", type=utf8_text, help="the endpoint, e.g. Computers")
    parser.add_argument("--where", metavar="CONDITION", help="the condition, e.g. \"Status = 'Online'\"")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sandbox", action="store_true", help="start the built-in sandbox and query it")
    where.add_argument("--server", metavar="URL", help="the server's host name or URL")
    parser.add_argument(
        "--profile",
        choices=PROFILE_NAMES,
        help=f"the API profile (default: CONNECTWISE_AUTOMATE_PROFILE, else {DEFAULT_PROFILE}, the real server's; "
        "seed: the seed document's)",
    )
    parser.add_argument("--company", help="manage: the company id (default: CONNECTWISE_MANAGE_COMPANY)")
    parser.add_argument("--public-key", help="manage: the API member's public key (CONNECTWISE_MANAGE_PUBLIC_KEY)")
    parser.add_argument(
        "--private-key", help="manage: the API member's private key (better: CONNECTWISE_MANAGE_PRIVATE_KEY)"
    )
    parser.add_argument("--client-id", help="manage: the integration's clientId (CONNECTWISE_MANAGE_CLIENT_ID)")
    parser.add_argument("--codebase", help="manage: the codebase, e.g. v2025_1/ (default: asked of the server)")
    parser.add_argument("--page-size", type=positive_int, metavar="N", help="records per page (1-1000, default 250)")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="stop after N records")
    parser.add_argument("--order-by", metavar="ORDER", type=utf8_text, help='e.g. "ComputerName asc"')
    parser.add_argument(
        "--fields", metavar="A,B", type=utf8_text, help="only these fields (dotted paths allowed), in this order"
    )
    parser.add_argument("--format", choices=_FORMATS, default="jsonl", help="output format (default jsonl)")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress line on standard error (default: when it is a terminal)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (atomically) instead of standard output")
    parser.add_argument(
        "--retries",
        type=int,
        default=5,
        metavar="N",
        help="retries per request on 429, 5xx, drops, timeouts (default 5)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds per request (default 30)")
    parser.add_argument(
        "--max-query-string",
        type=int,
        metavar="BYTES",
        help="the server's query-string budget: a longer request has its top-level `in` list split into "
        "requests under it, merged back (default: the profile's, 2048 as IIS; 0: no limit)",
    )
    parser.add_argument(
        "--validate",
        choices=("error", "warn", "off"),
        default="error",
        help="lint the condition and check --fields against the endpoint's schema before sending: "
        "refuse on errors (default), warn and send anyway, or skip",
    )
    parser.add_argument(
        "--records",
        type=positive_int,
        default=1000,
        metavar="N",
        help="computers (manage: companies) in the sandbox (default 1000)",
    )
    parser.set_defaults(run=run, command_name="fetch")


def _error(message: str, code: int) -> int:
    print(f"cwa-query fetch: error: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    """Fetch and print; 0 on success, 1 for a bad condition or when the server or the network failed, 2 for
    usage errors."""
    from ..client import get_profile
    from ..errors import ConditionError, ConfigurationError, CwaQueryError

    profile = args.profile or os.environ.get("CONNECTWISE_AUTOMATE_PROFILE") or DEFAULT_PROFILE
    if profile not in PROFILE_NAMES:
        return _error(f"CONNECTWISE_AUTOMATE_PROFILE must be one of {', '.join(PROFILE_NAMES)}, not {profile!r}", 2)
    api = get_profile(profile)
    keys = {name: getattr(args, name) for name in _KEY_FLAGS if getattr(args, name) is not None}
    if keys and not api.api_keys:
        flags = ", ".join("--" + name.replace("_", "-") for name in keys)
        return _error(f"{flags}: only the manage profile takes these (this is the {profile} profile)", 2)
    if keys and args.sandbox:
        return _error("--sandbox makes its own credentials: leave out " + ", ".join(keys), 2)
    where = None
    if args.where is not None:
        try:
            where = api.parse_condition(check_utf8(args.where))
        except ConditionError as exc:
            return _error(str(exc), EXIT_FAILED)
    # as the API names them (`company/identifier` for manage), and as dotted paths into a record
    sent = [part.strip() for part in args.fields.split(",") if part.strip()] if args.fields else None
    fields = [api.dotted(name) for name in sent] if sent else None
    if args.fields is not None and not fields:
        return _error("--fields is empty", 2)
    if not args.sandbox and not args.server and not os.environ.get(f"{api.env_prefix}SERVER"):
        return _error(
            f"no server to query: pass --server URL (or set {api.env_prefix}SERVER; credentials: "
            f"{api.credential_help}), or try --sandbox",
            2,
        )
    if fields and args.validate != "off":
        from ..client._validate import check_fields

        problems = check_fields(fields, args.endpoint, api)
        if problems and args.validate == "error":
            return _error("--fields: " + "; ".join(problems) + " (--validate warn or off to fetch anyway)", 1)
        for problem in problems:
            print(f"cwa-query fetch: warning: --fields: {problem}", file=sys.stderr)
    try:
        with _STOP.installed(), _warnings_as_lines(), contextlib.ExitStack() as stack:
            client = stack.enter_context(_open_client(args, profile))
            records = _records(client, args, where, fields, sent)
            # however the writing ends, stop the pages in flight before the client (and a sandbox) closes
            stack.callback(records.close)
            with _destination(args.output) as out:
                _write(args.format, records, out, fields)
    except ConfigurationError as exc:
        return _error(str(exc), 2)
    except CwaQueryError as exc:
        return _error(str(exc), 1)
    except _Interrupted as stop:  # the handler has said so on standard error
        return 128 + stop.signum
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do, and keep
        # Python from complaining again when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        return _error(f"cannot write {args.output or 'the output'}: {exc.strerror or exc}", 1)
    finally:
        _Progress.finish()
    return 0


class _StopSignals:
    """SIGINT, SIGTERM and SIGHUP stop a fetch, leaving the old output file or the complete new one.

    The handler itself only removes the temporary output file (so the old file stays as it
    was, at once), says so on standard error, notes the signal and starts a watchdog; the
    fetch raises `_Interrupted` at its next record (`check()`), where unwinding is safe,
    rather than wherever the main thread happened to be (inside `Thread.start`, say). The
    watchdog ends the process with the signal's status if that takes longer than
    `_UNWIND_SECONDS` (a page that is slow to come). The first signal sets all three to be
    ignored. Inside `held()` (creating, renaming or removing the output file) a signal is
    only noted, and acted on when the section ends: the file is never left half-done.
    """

    def __init__(self) -> None:
        self._held = 0
        self._pending: int | None = None
        self.stopped: int | None = None  # the signal that stopped the fetch
        self.temporary: str | None = None  # the output being written, removed on a stop signal

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Install the handlers while inside (main thread only; elsewhere this does nothing)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {signum: signal.signal(signum, self._handle) for signum in _STOP_SIGNALS}
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self._pending = None

    def _handle(self, signum: int, frame: object) -> None:
        for each in _STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        if self._held:
            self._pending = signum
            return
        self._stop(signum)

    def _stop(self, signum: int) -> None:
        if self.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)
            self.temporary = None
        self.stopped = signum
        print(f"cwa-query fetch: interrupted ({signal.Signals(signum).name})", file=sys.stderr, flush=True)
        watchdog = threading.Timer(_UNWIND_SECONDS, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    def check(self) -> None:
        """Raise `_Interrupted` if a stop signal came."""
        if self.stopped is not None:
            raise _Interrupted(self.stopped)

    @contextlib.contextmanager
    def held(self, *, check: bool = True) -> Iterator[None]:
        """Note a stop signal instead of acting on it until the end of the block (which is not
        entered at all after a stop signal, unless `check=False`)."""
        if check:
            self.check()
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._pending is not None:
                signum, self._pending = self._pending, None
                self._stop(signum)


_STOP = _StopSignals()


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """Warnings (a condition sent with `--validate warn`) as one `warning:` line each on stderr."""

    def show(message: Warning | str, *args: object, **kwargs: object) -> None:
        print(f"cwa-query fetch: warning: {message}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _open_client(args: argparse.Namespace, profile: str) -> Iterator[Client]:
    from ..client import Client, RetryPolicy

    if args.retries < 0 or not args.timeout > 0:
        from ..errors import ConfigurationError

        raise ConfigurationError("--retries must be 0 or more and --timeout above 0")
    options: dict[str, Any] = {
        "profile": profile,
        "retry": RetryPolicy(max_retries=args.retries),
        "timeout": args.timeout,
        "validate": args.validate,
    }
    if args.max_query_string is not None:
        options["max_query_string"] = args.max_query_string or None
    if args.page_size is not None:
        options["page_size"] = args.page_size
    if args.sandbox:
        from ..sandbox import Sandbox

        with (
            Sandbox(profile, records=args.records) as sandbox,
            Client(sandbox.url, **{**sandbox.client_options(), **options}) as client,
        ):
            yield client
        return
    if args.server:
        options["server"] = args.server
    options.update({name: getattr(args, name) for name in _KEY_FLAGS if getattr(args, name) is not None})
    with Client.from_env(**options) as client:
        yield client


def _records(
    client: Client, args: argparse.Namespace, where: Any, fields: list[str] | None, sent: list[str] | None
) -> Generator[dict[str, Any], None, None]:
    include = sent if sent and client.profile.include_fields else None
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    pages = client.iter_pages(
        args.endpoint,
        where,
        order_by=args.order_by,
        include_fields=include,
        limit=args.limit,
        progress=_Progress.split if show else None,
    )

    def generate() -> Generator[dict[str, Any], None, None]:
        done = 0
        total: int | None = None
        with contextlib.closing(pages):
            for page in pages:
                if page.total_count is not None:
                    total = min(page.total_count, args.limit) if args.limit else page.total_count
                done += len(page.records)
                if show:
                    _Progress.show(done, total)
                for record in page.records:
                    _STOP.check()
                    yield {name: get_path(record, name) for name in fields} if fields else record

    return generate()


class _Progress:
    """One line on standard error, rewritten in place."""

    active = False

    @classmethod
    def show(cls, done: int, total: int | None) -> None:
        text = f"{done:,} of {total:,} records" if total is not None else f"{done:,} records"
        sys.stderr.write(f"\r\x1b[2K{text}")
        sys.stderr.flush()
        cls.active = True

    @classmethod
    def split(cls, done: int, total: int) -> None:
        """The requests of a query whose `in` list was split under the query-string budget."""
        sys.stderr.write(f"\r\x1b[2K{done:,} of {total:,} requests (the `in` list split under the URL budget)")
        sys.stderr.flush()
        cls.active = True

    @classmethod
    def finish(cls) -> None:
        if cls.active:
            sys.stderr.write("\n")
            sys.stderr.flush()
            cls.active = False


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record as one level: nested objects as dotted columns, lists as JSON text.

    >>> flatten({"Id": 1, "Client": {"Id": 2, "Name": "A"}, "Ports": [80, 443], "Empty": {}})
    {'Id': 1, 'Client.Id': 2, 'Client.Name': 'A', 'Ports': '[80, 443]', 'Empty': ''}
    """
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if value:
                out.update(flatten(value, name + "."))
            else:
                out[name] = ""
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


@contextlib.contextmanager
def _destination(path: str | None) -> Iterator[IO[str]]:
    """Standard output, or a temporary file beside `path` renamed over it once complete."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    handle: IO[str] | None = None
    try:
        with _STOP.held():  # a signal now is raised once the file exists and can be removed
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed only on success
                "w",
                encoding="utf-8",
                newline="",
                dir=directory,
                prefix=f".{os.path.basename(path)}.",
                suffix=".part",
                delete=False,
            )
            _STOP.temporary = handle.name
        with handle:
            yield handle
        with _STOP.held():
            os.replace(handle.name, path)
            _STOP.temporary = None
        _STOP.check()  # a signal during the rename: the new file is complete, the exit status says stopped
    except BaseException:
        if handle is not None:
            with _STOP.held(check=False), contextlib.suppress(OSError):
                _STOP.temporary = None
                os.unlink(handle.name)
        raise


def _write(fmt: str, records: Iterator[dict[str, Any]], out: IO[str], fields: list[str] | None) -> None:
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "json":
        separator = "[\n  "
        for record in records:
            out.write(separator + json.dumps(record, ensure_ascii=False))
            separator = ",\n  "
        out.write("[]\n" if separator.startswith("[") else "\n]\n")
    else:
        _write_tabular(fmt, records, out, fields)


def _write_tabular(fmt: str, records: Iterator[dict[str, Any]], out: IO[str], fields: list[str] | None) -> None:
    import csv

    columns: dict[str, None] = dict.fromkeys(fields or [])
    widths: dict[str, int] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for record in records:
            flat = flatten(record)
            for name, value in flat.items():
                columns.setdefault(name)
                widths[name] = max(widths.get(name, len(name)), min(_TABLE_CELL, len(_cell(value))))
            spool.write(json.dumps(flat, ensure_ascii=False) + "\n")
        spool.seek(0)
        names = list(columns)
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(names)
            for line in spool:
                flat = json.loads(line)
                writer.writerow(["" if flat.get(n) is None else flat.get(n) for n in names])
            return
        sizes = [widths.get(n, len(n)) for n in names]
        out.write("  ".join(n.ljust(w) for n, w in zip(names, sizes, strict=True)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in sizes) + "\n")
        for line in spool:
            flat = json.loads(line)
            cells = [_fit(_cell(flat.get(n)), w) for n, w in zip(names, sizes, strict=True)]
            out.write("  ".join(cells).rstrip() + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("\n", " ").replace("\r", " ")


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 3] + "..."
