"""A per-address token bucket for tracked-link requests, in memory, bounded in size.

An address may make `burst` requests at once, then `per_minute` a minute. The key is
the client address; IPv6 addresses count per /64 (one host can hold a whole /64).
Over the limit the service answers 429 *before* recording or redirecting, so the
limit never drops the record of a click it redirected. At most `max_addresses` buckets
are kept (least recently used dropped first: a dropped bucket comes back full, which is
what it would have refilled to for any address idle that long).
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=65536)
def address_key(address: str) -> str:
    """The bucket key: the address; an IPv6 address's /64; anything else as given."""
    try:
        addr = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(addr) >> 64 << 64, 64)))
    return str(addr)


class RateLimiter:
    """Token buckets by address key. Not thread-safe: use it on the event loop."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        *,
        max_addresses: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_addresses = max_addresses
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, address: str) -> bool:
        """Take one token from the address's bucket; False when it is empty."""
        key = address_key(address)
        now = self._clock()
        tokens, then = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self.max_addresses:
            self._buckets.popitem(last=False)
        return allowed

    def __len__(self) -> int:
        return len(self._buckets)
