"""tracker serve, token, connect: the link-tracking service and the rep's link to it."""

from __future__ import annotations

from callqueue.cli.parsers.base import Commands


def register(cmd: Commands) -> None:
    tracker = cmd.add("tracker", "", "the link-tracking service")
    sub = cmd.subcommands(tracker)
    p = cmd.add(
        "serve",
        "callqueue.cli.tracker_cmds:run_tracker_serve",
        "run the tracker (Starlette under uvicorn) until interrupted",
        into=sub,
    )
    p.add_argument("--host", metavar="H", help="address to listen on (tracker.host, 127.0.0.1)")
    p.add_argument(
        "--port", type=int, metavar="P", help="port to listen on; 0 picks one (tracker.port, 8765)"
    )
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="its store: a file, or postgresql+psycopg://USER@HOST/DB (tracker.store;"
        " default: tracker.sqlite3 in the data directory)",
    )
    p.add_argument("--log-level", choices=["debug", "info", "warning", "error"], default="info")
    p = cmd.add(
        "token",
        "callqueue.cli.tracker_cmds:run_tracker_token",
        "make an API token for a rep's machine (run where the tracker runs)",
        into=sub,
    )
    p.add_argument("--store", metavar="PATH|URL", help="the tracker's store (as for serve)")
    p.add_argument("--label", default="", metavar="L", help="a note on whose token it is")
    p = cmd.add(
        "connect",
        "callqueue.cli.tracker_cmds:run_tracker_connect",
        "use the tracker at URL: keep the URL in the config and its token in the keyring",
        into=sub,
    )
    p.add_argument("url", metavar="URL")
    p.add_argument(
        "--token-stdin", action="store_true", help="read the API token from standard input"
    )
