"""The one phone rule: E.164 by libphonenumber in the default region; shown as typed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callqueue.actions import add_contact, validate_contact
from callqueue.config import Config, load_config, parse_config
from callqueue.errors import ConfigError
from callqueue.phones import (
    distinct_numbers,
    is_callable_label,
    phone_key,
    same_number,
)


@pytest.mark.parametrize(
    ("a", "b", "region", "same"),
    [
        ("+1 (312) 555-0100", "312.555.0100", "US", True),
        ("+1 (312) 555-0100", "312.555.0100", None, False),  # no region: digits only
        ("312.555.0100", "(312) 555 0100", None, True),
        ("+44 (0)20 7946 0018", "020 7946 0018", "GB", True),
        ("+44 (0)20 7946 0018", "+44 20 7946 0018", None, True),  # the trunk 0 is no digit
        ("089 5550123", "+49 89 5550123", "DE", True),
        ("011 49 89 5550123", "+49 89 5550123", "US", True),
        ("+1 312 555 0100 ext. 12", "+1 312 555 0100", "US", False),
        ("+1 312 555 0100 x12", "+1 (312) 555-0100 ext 12", "US", True),
        ("1-800-FLOWERS", "+1 800 356 9377", "US", True),
        ("+1 312 555 0100", "+1 312 555 0101", "US", False),
        ("ask reception", "Ask  Reception", None, True),
    ],
)
def test_same_number(a: str, b: str, region: str | None, same: bool) -> None:
    assert same_number(a, b, region) is same
    assert (phone_key(a, region) == phone_key(b, region)) is same


def test_distinct_numbers_keep_the_first_spelling() -> None:
    numbers = [("+1 (312) 555-0100", "work"), ("312.555.0100", "mobile"), ("312 555 0101", None)]
    assert distinct_numbers(numbers, "US") == [
        ("+1 (312) 555-0100", "work"),
        ("312 555 0101", None),
    ]


@pytest.mark.parametrize(
    ("label", "callable_"),
    [
        (None, True),
        ("work", True),
        ("mobile", True),
        ("fax", False),
        ("work fax", False),
        ("homefax", False),
        ("Pager", False),
        ("beeper", False),
        ("modem", False),
    ],
)
def test_fax_pager_and_modem_are_not_callable(label: str | None, callable_: bool) -> None:
    assert is_callable_label(label) is callable_


def test_contacts_add_uses_the_same_rule(store: sqlite3.Connection) -> None:
    new = validate_contact(
        name="Dana Reyes",
        phones=["+1 (312) 555-0100", "312.555.0100", "312 555 0199"],
        phone_region="US",
    )
    assert new.phones == ("+1 (312) 555-0100", "312 555 0199")
    cid = add_contact(
        store,
        name="Dana Reyes",
        phones=["+1 (312) 555-0100", "312.555.0100"],
        now=datetime(2026, 3, 2, tzinfo=UTC),
        phone_region="US",
    )
    rows = store.execute("SELECT number FROM contact_phone WHERE contact_id = ?", (cid,)).fetchall()
    assert [r[0] for r in rows] == ["+1 (312) 555-0100"]


def test_phone_region_config_key(tmp_path: Path) -> None:
    assert parse_config({"phone_region": "gb"}).phone_region == "GB"
    assert parse_config({"phone_region": ""}).phone_region is None
    with pytest.raises(ConfigError, match="phone_region: must be a two-letter country code"):
        parse_config({"phone_region": "United States"})


@pytest.mark.parametrize(
    ("configured", "environ", "region"),
    [
        ("DE", {"LANG": "en_US.UTF-8"}, "DE"),
        (None, {"LANG": "en_US.UTF-8"}, "US"),
        (None, {"LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, "AT"),
        (None, {"LC_TELEPHONE": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "CA"),
        (None, {"LANG": "C.UTF-8"}, None),
        (None, {"LANG": "en_ZZ.UTF-8"}, None),  # a locale libphonenumber does not know
        (None, {}, None),
    ],
)
def test_default_phone_region_from_config_else_locale(
    configured: str | None, environ: dict[str, str], region: str | None
) -> None:
    assert Config(phone_region=configured).default_phone_region(environ) == region


def test_an_unknown_configured_region_is_an_error_naming_the_file_and_key(
    tmp_path: Path,
) -> None:
    """Tester report 1, item 26: `phone_region = "ZZ"` was accepted silently. It is
    checked where phone numbers are read (`default_phone_region`), not at load."""
    path = tmp_path / "config.toml"
    path.write_text('phone_region = "ZZ"\n', encoding="utf-8")
    cfg = load_config(path, required=True)
    with pytest.raises(ConfigError) as info:
        cfg.default_phone_region({})
    assert str(info.value) == (
        f"{path}: phone_region: unknown region 'ZZ'; use a two-letter country code"
        ' such as "US", "GB" or "DE"'
    )
