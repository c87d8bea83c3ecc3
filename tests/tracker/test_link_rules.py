"""Pure rules: the token's shape, which destinations the tracker redirects to, the
per-address rate limit, and the [tracker] config's one-line errors."""

from __future__ import annotations

import pytest

from callqueue.config import parse_config
from callqueue.errors import ConfigError
from callqueue.linkrules import (
    DestinationError,
    destination_problem,
    is_token,
    new_token,
    normalize_destination,
)
from callqueue.tracker.ratelimit import RateLimiter, address_key


def test_tokens_carry_128_random_bits_and_have_one_shape() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(is_token(t) and len(t) == 22 for t in tokens)
    for bad in ("", "A" * 21, "A" * 23, "A" * 21 + "/", "A" * 21 + "=", "Ä" * 22, "A" * 21 + "\n"):
        assert not is_token(bad), bad


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://example.com/pricing.pdf", "https://example.com/pricing.pdf"),
        ("  HTTP://Example.com/a?b=c#d ", "http://Example.com/a?b=c#d"),
        (
            "https://exämple.com/präsentation.pdf",
            "https://xn--exmple-cua.com/pr%C3%A4sentation.pdf",
        ),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x"),
    ],
)
def test_destinations_are_normalised_to_what_the_tracker_sends(given: str, kept: str) -> None:
    assert normalize_destination(given) == kept
    assert destination_problem(kept) is None


@pytest.mark.parametrize(
    "given",
    [
        "javascript:alert(1)",
        "//evil.example/",
        "evil.example/path",
        "ftp://example.com/file",
        "https://user:pw@example.com/",
        "https://example.com\\@evil.example/",
        "https:///nohost",
        "https://example.com:0/",
        "https://example.com:99999/",
        "data:text/html,<script>",
    ],
)
def test_destinations_a_tracker_must_not_redirect_to_are_refused(given: str) -> None:
    with pytest.raises(DestinationError):
        normalize_destination(given)
    assert destination_problem(given) is not None


def test_the_raw_check_refuses_what_normalising_would_have_fixed() -> None:
    assert destination_problem("https://example.com/a b") is not None
    assert destination_problem("https://example.com/\x00") is not None
    assert destination_problem("https://example.com/" + "a" * 3000) is not None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limit_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.allow("192.0.2.1") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("192.0.2.2"), "another address has its own bucket"
    clock.now += 1.0  # one token a second
    assert [limiter.allow("192.0.2.1") for _ in range(2)] == [True, False]
    clock.now += 60
    assert [limiter.allow("192.0.2.1") for _ in range(4)] == [True, True, True, False]


def test_ipv6_counts_per_64_and_memory_is_bounded() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_key("not an address") == "not an address"
    limiter = RateLimiter(per_minute=60, burst=1, max_addresses=100, clock=Clock())
    for n in range(1000):
        limiter.allow(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter) == 100


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ({"url": "ftp://t.example"}, "tracker.url"),
        ({"url": "https://t.example/?x=1"}, "tracker.url"),
        ({"decoy": "yes"}, "tracker.decoy"),
        ({"send_window_seconds": -1}, "tracker.send_window_seconds"),
        ({"port": 70000}, "tracker.port"),
        ({"scanner_networks": ["203.0.113.0/33"]}, "tracker.scanner_networks"),
        ({"trusted_proxies": "10.0.0.1"}, "tracker.trusted_proxies"),
        ({"rate_limit_per_minute": 0}, "tracker.rate_limit_per_minute"),
        ({"colour": 1}, "tracker.colour"),
    ],
)
def test_tracker_config_errors_name_the_key(toml: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")) as caught:
        parse_config({"tracker": toml})
    assert "\n" not in str(caught.value)


def test_tracker_config_values() -> None:
    cfg = parse_config(
        {
            "tracker": {
                "url": "https://t.example.com/",
                "decoy": True,
                "scanner_networks": ["203.0.113.0/24 Acme gateway"],
                "trusted_proxies": ["10.0.0.0/8", "127.0.0.1"],
            }
        }
    )
    assert cfg.tracker.url == "https://t.example.com"
    assert cfg.tracker.decoy
    assert cfg.tracker.scanner_networks == ("203.0.113.0/24 Acme gateway",)
    assert cfg.tracker.trusted_proxies == ("10.0.0.0/8", "127.0.0.1")
