"""Running the tracker: uvicorn serving `callqueue.tracker.app` on a socket bound here.

The socket is bound before uvicorn starts so ``--port 0`` works (the first line printed
names the port taken) and a port in use is one line, not a traceback. uvicorn's own
proxy-header handling is off (by default it believes X-Forwarded-For from 127.0.0.1);
the app trusts only the configured proxies. uvicorn's access log is off: it would log
every tracked URL; the app logs API requests without their headers.

Stopping (SIGINT or SIGTERM, e.g. Ctrl-C or ``systemctl stop``): the listeners close,
pending long polls of the events API are answered at once (200, the page they have: see
`app.Shutdown`), in-flight clicks are committed and answered, and the command exits 0.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from callqueue.errors import UserError
from callqueue.tracker.app import ServiceSettings, Shutdown, build_app
from callqueue.tracker.store import TrackerStore

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp

GRACEFUL_SECONDS = 5
SWITCH_INTERVAL = 0.001
GC_THRESHOLDS = (10_000, 20, 50)
"""The collector's thresholds while serving (Python's defaults: 700, 10, 10)."""


def tune_process() -> None:
    """The interpreter settings the service runs with (the benchmark's bare app too).

    The recorder commits on a thread while this one serves requests. At Python's default
    5 ms switch interval the committing thread waits up to 5 ms for the GIL after each
    SQLite or PostgreSQL call, so a commit took 10-15 ms under load; at 1 ms it takes
    1-2 ms. A request allocates a few hundred containers, so at the default threshold of
    700 the young generation was collected every few requests, and everything still in
    flight was promoted and scanned again later: at 10,000 the tracker spent 100 against
    108 µs of CPU a click on SQLite, the bare app 83 against 81 (benchmarks/
    bench_tracker.py; README "The tracker's hot path, measured").
    """
    import gc

    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.set_threshold(*GC_THRESHOLDS)


def uvicorn_config(app: ASGIApp, log_level: str) -> uvicorn.Config:
    """uvicorn's settings for the service (the benchmark's bare app too): one process;
    its "auto" HTTP parser and event loop, so httptools and uvloop when installed, else
    h11 and asyncio's own loop; no access log, no proxy headers, no Server header."""
    import uvicorn

    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        lifespan="on",
    )


def tracker_server(config: uvicorn.Config, shutdown: Shutdown) -> uvicorn.Server:
    """A uvicorn server that tells the app when it begins to stop (`Shutdown.begin`, so
    pending long polls are answered before uvicorn waits for open connections), and
    that ends normally on SIGINT or SIGTERM: uvicorn re-raises the signal it caught after
    its graceful stop, which would end the process with KeyboardInterrupt (SIGINT) or
    killed by SIGTERM; a stop asked for is the service's normal end (exit 0)."""
    import uvicorn

    class _TrackerServer(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            shutdown.begin()
            await super().shutdown(sockets)

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # uvicorn's own, less the signal kept to re-raise: a second Ctrl-C forces it.
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            else:
                self.should_exit = True

    return _TrackerServer(config)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); raises UserError naming the problem."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UserError(f"cannot listen on {host!r}: {exc.strerror}; give an address") from None
    family, kind, proto, _, address = infos[0]
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted connections only then, and
    # without it each answer waits on the client's delayed ACK (40 ms a request).
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UserError(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another --port"
        ) from None
    sock.set_inheritable(True)
    return sock


def serve(
    store: TrackerStore,
    settings: ServiceSettings,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    out: TextIO = sys.stdout,
) -> None:
    """Serve until SIGINT or SIGTERM, then return: pending long polls are answered, in-flight
    clicks committed and answered first (see the module docstring). Raises UserError when
    the address cannot be listened on."""

    tune_process()
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    shutdown = Shutdown()
    config = uvicorn_config(build_app(store, settings, shutdown=shutdown), log_level)
    print(
        f"callqueue tracker: listening on http://{shown}:{bound_port} (store {store.describe()})",
        file=out,
        flush=True,
    )
    tracker_server(config, shutdown).run(sockets=[sock])
