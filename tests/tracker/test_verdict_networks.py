"""Scanner address ranges: the shipped list, config additions, IPv6, malformed addresses."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from importlib import resources

import pytest

from callqueue.errors import ConfigError
from callqueue.tracker.verdict import (
    HUMAN,
    Rules,
    ScannerNetwork,
    ScannerNetworkError,
    ScannerNetworks,
    default_scanner_networks,
    judge,
    parse_address,
    scanner_networks,
)

from .evidence import EOP, HOME, PROOFPOINT, click

LATE = 20 * 60.0


def test_every_shipped_line_is_a_network_with_a_vendor_and_a_source() -> None:
    text = resources.files("callqueue.tracker").joinpath("data/scanner_networks.txt").read_text()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    networks = list(default_scanner_networks())
    assert len(networks) == len(lines) > 40
    assert all(n.vendor and n.source for n in networks)
    vendors = {n.vendor for n in networks}
    assert {
        "Microsoft Exchange Online Protection",
        "Mimecast",
        "Proofpoint",
        "Barracuda Email Gateway Defense",
        "Google",
    } <= vendors


def test_shipped_networks_do_not_overlap() -> None:
    """An overlap would make one entry's vendor and certainty shadow another's."""
    networks = [n.network for n in default_scanner_networks()]
    for i, a in enumerate(networks):
        for b in networks[i + 1 :]:
            assert a.version != b.version or not a.overlaps(b), (a, b)


def test_exchange_online_protection_is_a_scanner_at_any_time() -> None:
    verdict = judge([click(3 * 3600, address=EOP)])[0]
    assert verdict.reasons == ("from Microsoft Exchange Online Protection range 40.92.0.0/15",)
    assert verdict.rules == ("network",)


def test_exchange_online_protection_over_ipv6() -> None:
    verdict = judge([click(LATE, address="2a01:111:f403:c900::5")])[0]
    assert verdict.reasons == (
        "from Microsoft Exchange Online Protection range 2a01:111:f403::/48",
    )


def test_outlook_web_ranges_are_not_scanners() -> None:
    """Exchange Online (Outlook on the web), unlike its protection layer, is left out."""
    assert judge([click(LATE, address="40.96.1.1")]) == [HUMAN]


def test_a_probable_range_counts_only_near_the_send() -> None:
    verdict = judge([click(4 * 60, address=PROOFPOINT)])[0]
    assert verdict.reasons == (
        "from Proofpoint range 148.163.128.0/19, 4 min after sending (window 10 min)",
    )
    # An hour later it is the recipient clicking through Proofpoint's browser isolation.
    assert judge([click(3600, address=PROOFPOINT)]) == [HUMAN]
    assert judge([click(4 * 60, address=PROOFPOINT, sent_at=None)]) == [HUMAN]


def test_probable_window_is_configurable() -> None:
    rules = Rules(probable_window=timedelta(minutes=90))
    assert judge([click(3600, address=PROOFPOINT)], rules=rules)[0].rules == ("network",)


def test_config_networks_extend_the_shipped_list() -> None:
    networks = scanner_networks(["203.0.113.0/24 Acme mail gateway", "2001:db8::/32"])
    rules = Rules(networks=networks)
    acme, v6, eop = judge(
        [
            click(LATE, address="203.0.113.9"),
            click(LATE, address="2001:db8::1"),
            click(LATE, address=EOP),
        ],
        rules=rules,
    )
    assert acme.reasons == ("from Acme mail gateway range 203.0.113.0/24",)
    assert v6.reasons == ("from configured scanner network range 2001:db8::/32",)
    assert eop.rules == ("network",)
    assert judge([click(LATE, address="203.0.113.9")]) == [HUMAN]


def test_config_networks_without_the_shipped_list() -> None:
    networks = scanner_networks(["203.0.113.0/24"], builtins=False)
    assert len(networks) == 1
    assert judge([click(LATE, address=EOP)], rules=Rules(networks=networks)) == [HUMAN]


def test_config_network_host_bits_and_bare_addresses() -> None:
    networks = scanner_networks(["198.51.100.77/24", "192.0.2.5"], builtins=False)
    assert [str(n.network) for n in networks] == ["198.51.100.0/24", "192.0.2.5/32"]


@pytest.mark.parametrize("bad", ["", "mimecast", "300.1.2.3/24", "10.0.0.0/33", "::1/200"])
def test_a_bad_config_network_is_one_clear_error(bad: str) -> None:
    with pytest.raises(ScannerNetworkError) as caught:
        scanner_networks([bad])
    message = str(caught.value)
    assert message.startswith("tracker.scanner_networks: ")
    assert "write a CIDR such as 203.0.113.0/24" in message
    assert "\n" not in message
    assert isinstance(caught.value, ConfigError)


def test_the_most_specific_range_wins() -> None:
    wide = ScannerNetwork(ipaddress.ip_network("10.0.0.0/8"), "Wide", "certain", "test")
    narrow = ScannerNetwork(ipaddress.ip_network("10.1.0.0/16"), "Narrow", "certain", "test")
    networks = ScannerNetworks([wide, narrow])
    assert networks.match("10.1.2.3") is narrow
    assert networks.match("10.2.0.1") is wide
    assert networks.match("11.0.0.1") is None


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "unknown",
        "40.92.17",
        "40.92.17.33.5",
        "999.1.1.1",
        "40.92.17.33/15",
        "::g",
        "[2a01:111:f403::5",
        "2a01:111:f403::5]",
        "40.92.17.33, 10.0.0.1",
        "x" * 5000,
        "40.92.17.33\x00",
        "\u0664\u0660.92.17.33",
    ],
)
def test_malformed_addresses_match_nothing_and_never_raise(address: str) -> None:
    assert parse_address(address) is None
    assert default_scanner_networks().match(address) is None
    assert judge([click(LATE, address=address)]) == [HUMAN]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (" 40.92.17.33 ", "40.92.17.33"),
        ("40.92.17.33:51234", "40.92.17.33"),
        ("[2a01:111:f403::5]:443", "2a01:111:f403::5"),
        ("[2a01:111:f403::5]", "2a01:111:f403::5"),
        ("2A01:0111:F403:0000::0005", "2a01:111:f403::5"),
        ("fe80::1%eth0", "fe80::1"),
        ("::ffff:40.92.17.33", "40.92.17.33"),
    ],
)
def test_address_spellings(address: str, expected: str) -> None:
    assert str(parse_address(address)) == expected


def test_ipv4_mapped_ipv6_matches_the_ipv4_range() -> None:
    assert judge([click(LATE, address="::ffff:40.92.17.33")])[0].rules == ("network",)


def test_a_home_address_is_in_no_range() -> None:
    assert default_scanner_networks().match(HOME) is None
