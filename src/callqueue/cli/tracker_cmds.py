"""tracker serve, token (where the service runs) and connect (on the rep's machine)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from callqueue.cli.context import Context
from callqueue.errors import UserError

if TYPE_CHECKING:
    from callqueue.tracker.store import TrackerStore


def _open(ctx: Context, store: str | None) -> TrackerStore:
    from callqueue.tracker.store import open_tracker_store

    return open_tracker_store(store or ctx.config().tracker.store)


def run_tracker_serve(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.tracker.app import ServiceSettings
    from callqueue.tracker.serve import serve

    cfg = ctx.config().tracker
    port = cfg.port if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise UserError(f"port {port} is not a port number; give 0-65535 (0 picks a free one)")
    store = _open(ctx, args.store)
    try:
        serve(
            store,
            ServiceSettings(
                trusted_proxies=cfg.trusted_proxies,
                rate_limit_per_minute=cfg.rate_limit_per_minute,
                rate_limit_burst=cfg.rate_limit_burst,
            ),
            args.host or cfg.host,
            port,
            log_level=args.log_level,
            out=ctx.out,
        )
    finally:
        store.close()
    return 0


def run_tracker_token(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.store.timefmt import utcnow

    store = _open(ctx, args.store)
    try:
        token = store.new_api_token(args.label, utcnow())
    finally:
        store.close()
    ctx.print(token)
    print(
        "callqueue: a new API token for the tracker (shown once; only its hash is stored)."
        " On the rep's machine: callqueue tracker connect URL --token-stdin",
        file=ctx.err,
    )
    return 0


def run_tracker_connect(args: argparse.Namespace, ctx: Context) -> int:
    from callqueue.cli.config_write import set_config_value
    from callqueue.config import tracker_base_url
    from callqueue.keychain import set_secret
    from callqueue.tracker.client import TrackerClient, token_key

    url = tracker_base_url(args.url)
    if url is None:
        raise UserError(
            f"{args.url!r} is not a tracker address; give its http(s) URL, e.g."
            " https://t.example.com"
        )
    token = _read_token(args.token_stdin)
    with TrackerClient(url, token) as client:
        client.check()
    set_secret(token_key(url), token)
    set_config_value(ctx.config_path, "tracker", "url", url)
    ctx.print(
        f"Connected to the tracker at {url}: the URL is in {ctx.config_path}, the API token"
        " in the keyring. Minted links now point there; callqueue sync pulls the clicks."
    )
    return 0


def _read_token(from_stdin: bool) -> str:
    if from_stdin:
        token = sys.stdin.readline().strip()
    elif sys.stdin.isatty():
        import getpass

        token = getpass.getpass("API token (from callqueue tracker token): ").strip()
    else:
        raise UserError("give the API token on standard input with --token-stdin")
    if not token:
        raise UserError(
            "no API token given; make one with callqueue tracker token where the tracker runs"
        )
    if any(ch.isspace() for ch in token) or len(token) > 256:
        raise UserError("that is not an API token (it holds spaces or is too long)")
    return token
