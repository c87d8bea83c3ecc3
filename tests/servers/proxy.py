"""A TCP proxy on loopback that can break connections, for the retry tests.

It forwards to a server (the suite's Dovecot) and, when told, cuts the next connection
after the server has sent a given number of bytes: a dropped connection in the middle of
a FETCH, as a flaky network or a restarting server causes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class BreakingProxy:
    target: tuple[str, int]
    cut_after: list[int] = field(default_factory=list)
    """For each next connection in turn: server bytes after which it is cut."""
    connections: int = 0

    frozen: bool = False
    """While true, nothing is forwarded: the server looks alive but silent."""

    def __post_init__(self) -> None:
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                limit = self.cut_after.pop(0) if self.cut_after else None
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, limit), daemon=True).start()

    def freeze_open_connections(self) -> None:
        """The connections open now go silent (nothing forwarded, nothing closed); new
        connections work."""
        with self._lock:
            self._frozen_sockets = set(self._sockets)

    def _pump(self, src: socket.socket, dst: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if src in getattr(self, "_frozen_sockets", ()):
                    continue  # swallowed: the peer hears nothing
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(limit - sent, 0)])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self._listener.close()
