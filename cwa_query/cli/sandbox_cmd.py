"""`cwa-query sandbox`: serve a stand-in Automate server on loopback.

The first line of standard output is the base URL (`http://127.0.0.1:PORT`), flushed at once,
so a script can start the server with `--port 0` and read where it listens. Requests are
logged to standard error (method, path, status, time; never tokens or passwords).
SIGINT and SIGTERM stop it with exit status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sandbox import Sandbox

from .._defaults import DEFAULT_PROFILE, PROFILE_NAMES
from ._args import non_negative_float, positive_int, usage_error

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sandbox` subcommand."""
    parser = subparsers.add_parser(
        "sandbox",
        help="serve a stand-in Automate or Manage server (every profile, fault injection)",
        description="Serve a stand-in ConnectWise Automate REST API over HTTP. The first line of "
        "standard output is the base URL; requests are logged to standard error; SIGINT/SIGTERM stop it.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: a free one, printed first)")
    parser.add_argument(
        "--profile",
        choices=PROFILE_NAMES,
        default=DEFAULT_PROFILE,
        help=f"API profile (default {DEFAULT_PROFILE}, as the real server; seed: as the seed document; "
        "manage: ConnectWise Manage)",
    )
    parser.add_argument(
        "--records", type=positive_int, default=1000, help="number of computers (manage: companies; default 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data (default 0)")
    parser.add_argument("--latency-ms", type=non_negative_float, default=0.0, help="added to every answer")
    parser.add_argument("--max-concurrent", type=positive_int, help="more requests in flight get 429")
    parser.add_argument("--rate-limit", type=positive_int, help="requests per window; past that 429")
    parser.add_argument("--rate-window", type=non_negative_float, default=60.0, help="window in seconds (default 60)")
    parser.add_argument(
        "--faults",
        metavar="SPEC",
        help="e.g. '429=0.05,500=0.02,502=0.01,503=0.01,reset=0.01,slow=0.01,expire=0.01,401=0.01'",
    )
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the fault schedule (default 0)")
    parser.add_argument("--slow-ms", type=non_negative_float, default=1500.0, help="delay of a 'slow' fault (1500)")
    parser.add_argument("--token-ttl", type=non_negative_float, help="token lifetime in seconds (default 4 h / 1 h)")
    parser.add_argument("--username", help="the account's name (default sandbox; seed, automate)")
    parser.add_argument("--password", help="the account's password (default sandbox; seed, automate)")
    parser.add_argument("--client-id", help="the ClientId (automate) or clientId (manage) required (default: any)")
    parser.add_argument("--two-factor-code", help="require this two-factor code at login (seed, automate)")
    parser.add_argument("--company", help="the company id of Basic auth (default sandbox; manage)")
    parser.add_argument("--public-key", help="the API member's public key (default sandbox-public; manage)")
    parser.add_argument("--private-key", help="the API member's private key (default sandbox-private; manage)")
    parser.add_argument(
        "--max-body-bytes", type=positive_int, default=1 << 20, help="larger request bodies get 413 (default 1 MiB)"
    )
    parser.add_argument(
        "--max-query-string",
        type=positive_int,
        metavar="BYTES",
        help="longer query strings get 404, as IIS answers (default: 2048 for automate, none for seed)",
    )
    parser.add_argument(
        "--ignore-unknown-parameters",
        action="store_true",
        help="ignore query parameters an endpoint does not read, as the real server does (default: 400)",
    )
    parser.add_argument(
        "--token-date-offset",
        action="store_true",
        default=None,
        help="write the automate token's ExpirationDate with +00:00 (some clients, e.g. pyconnectwise, need it)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.set_defaults(run=run, command_name="sandbox")


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; 0 then, 2 for bad options or a port in use."""
    from ..errors import ConfigurationError
    from ..sandbox import Sandbox, sandbox_profile

    api = sandbox_profile(args.profile)
    given = {name: getattr(args, name) for name in _CREDENTIAL_FLAGS if getattr(args, name) is not None}
    foreign = [name for name in given if name not in api.credential_options]
    if foreign:
        takes = ", ".join(_flag(name) for name in api.credential_options)
        return usage_error(
            args,
            f"{', '.join(map(_flag, foreign))} is not an option of the {api.name} profile "
            f"(it takes {takes} and --client-id)",
        )
    try:
        sandbox = Sandbox(
            profile=args.profile,
            records=args.records,
            seed=args.seed,
            latency_ms=args.latency_ms,
            max_concurrent=args.max_concurrent,
            rate_limit=args.rate_limit,
            rate_window=args.rate_window,
            faults=args.faults,
            fault_seed=args.fault_seed,
            slow_ms=args.slow_ms,
            client_id=args.client_id,
            max_body_bytes=args.max_body_bytes,
            max_query_string=args.max_query_string,
            ignore_unknown_parameters=args.ignore_unknown_parameters,
            host=args.host,
            port=args.port,
            **given,
        )
    except ConfigurationError as exc:
        print(f"cwa-query sandbox: {exc}", file=sys.stderr)
        return 2

    log = logging.getLogger("cwa_query.sandbox")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    log.propagate = False

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await sandbox.serve(stop, ready=_announce)

    try:
        asyncio.run(main())
    except ConfigurationError as exc:
        print(f"cwa-query sandbox: {exc}", file=sys.stderr)
        return 2
    finally:
        log.removeHandler(handler)
    print("cwa-query sandbox: stopped", file=sys.stderr)
    return 0


#: The credential flags (as `SandboxConfig` options); each profile takes some of them.
_CREDENTIAL_FLAGS = (
    "username",
    "password",
    "two_factor_code",
    "token_ttl",
    "token_date_offset",
    "company",
    "public_key",
    "private_key",
)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _announce(sandbox: Sandbox) -> None:
    print(sandbox.url, flush=True)
    config = sandbox.config
    api = config.api
    lines = [
        f"profile {config.profile}, {config.records} {api.records_noun} (data seed {config.seed}); "
        f"API at {sandbox.api_url}",
        api.describe_credentials(config, sandbox.credentials.client_id),
        f"faults: {config.faults.describe()}; fault seed {config.fault_seed}; stats at {sandbox.url}/_sandbox/stats",
    ]
    for line in lines:
        print(f"cwa-query sandbox: {line}", file=sys.stderr, flush=True)
