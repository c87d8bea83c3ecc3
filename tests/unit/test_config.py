"""Configuration: defaults, the documented example, and one-line errors naming the key."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from datetime import time
from importlib import resources
from pathlib import Path

import pytest

from callqueue.config import Config, load_config, parse_config
from callqueue.errors import ConfigError, UserError


def test_defaults_match_the_speed_targets() -> None:
    cfg = Config()
    assert (cfg.targets.lead_minutes, cfg.targets.message_minutes, cfg.targets.info_minutes) == (
        30,
        30,
        60,
    )
    assert cfg.targets.quote == "end-of-day"
    assert (cfg.hours.start, cfg.hours.end, cfg.hours.days) == (time(9), time(17), (0, 1, 2, 3, 4))
    assert [o.name for o in cfg.outcomes] == [
        "connected",
        "left-voicemail",
        "no-answer",
        "meeting-booked",
        "not-interested",
        "wrong-number",
        "do-not-call",
    ]
    assert cfg.outcome("do-not-call").do_not_call
    assert [o.name for o in cfg.outcomes if o.needs_notes] == ["connected"]
    assert [o.name for o in cfg.outcomes if o.connected] == [
        "connected",
        "meeting-booked",
        "not-interested",
        "do-not-call",
    ]


def test_missing_optional_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml", required=False) == Config()


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "none.toml", required=True)


def test_example_file_documents_every_key_and_equals_defaults() -> None:
    text = resources.files("callqueue").joinpath("config.example.toml").read_text()
    raw = tomllib.loads(text)
    cfg = parse_config(raw)
    defaults = Config()
    for section in ("hours", "targets", "weights", "half_lives", "send", "mail", "tracker"):
        documented = set(raw[section])
        expected = {f.name for f in fields(getattr(defaults, section))}
        assert documented == expected, f"[{section}] in config.example.toml"
        assert getattr(cfg, section) == getattr(defaults, section)
    top = {f.name for f in fields(Config)} - {
        "source",
        "hours",
        "targets",
        "weights",
        "half_lives",
        "outcomes",
        "keys",
        "send",
        "mail",
        "tracker",
    }
    assert top <= set(raw), "every top-level key is in the example"
    assert cfg.outcomes == defaults.outcomes


@pytest.mark.parametrize(
    ("toml", "key", "problem"),
    [
        ("colour = 1", "colour", "unknown key"),
        ("[targets]\nlead_minutes = 'soon'", "targets.lead_minutes", "whole number"),
        ("[targets]\nlead_minutes = 0", "targets.lead_minutes", "whole number"),
        ("[hours]\nstart = '25:00'", "hours.start", "time of day"),
        ("[hours]\nstart = '18:00'", "hours.end", "later than"),
        ("[hours]\ndays = ['mon', 'funday']", "hours.days", "unknown weekday"),
        ("[weights]\nclick = -1", "weights.click", "zero or more"),
        ("[weights]\nclik = 1", "weights.clik", "unknown key"),
        ("[half_lives]\nclick_minutes = 0", "half_lives.click_minutes", "more than zero"),
        ("timezone = 'Mars/Olympus'", "timezone", "unknown time zone"),
        ("[[outcomes]]\nname = 'a b'", "outcomes[1].name", "must be a word"),
        ("[[outcomes]]\nname = 'x'\n[[outcomes]]\nname = 'x'", "outcomes[2].name", "duplicate"),
        ("[keys]\nlog-call = 3", "keys.log-call", "key name"),
        ("[mail]\nbackfill_days = 0", "mail.backfill_days", "whole number"),
        ("[mail]\nvoicemail_senders = ['ringcentral']", "mail.voicemail_senders", "not an email"),
        ("[mail]\nidle = 'yes'", "mail.idle", "true or false"),
        ("[mail]\nsync_minutes = 0", "mail.sync_minutes", "number from"),
        ("[keys]\nlog-cal = 'l'", "keys.log-cal", "unknown binding id"),
        ("[keys]\nlog-call = 'l'\ndial = 'l'", "keys.dial", "key 'l' is bound twice"),
        ("[keys]\nlog-call = 'd'", "keys.log-call", "key 'd' is bound twice"),
        ("[keys]\nfilter = 'q'", "keys.filter", "(quit and filter)"),
        ("[keys]\nhelp = '/'", "keys.help", "key 'slash' is bound twice"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, toml: str, key: str, problem: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_config(path, required=True)
    message = str(info.value)
    assert "\n" not in message
    assert f"{path}: {key}: " in message
    assert problem in message


def test_bad_toml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[targets\nlead_minutes = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, required=True)


def test_values_are_applied(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "timezone = 'Europe/Berlin'\n[targets]\nlead_minutes = 15\n"
        "[hours]\nstart = '08:30'\nend = '18:00'\ndays = ['Mon', 'tue', 'sat']\n"
        "[[outcomes]]\nname = 'spoke'\nconnected = true\n"
    )
    cfg = load_config(path, required=True)
    assert cfg.timezone == "Europe/Berlin"
    assert cfg.targets.lead_minutes == 15
    assert cfg.hours.days == (0, 1, 5)
    assert cfg.hours.start == time(8, 30)
    assert [o.name for o in cfg.outcomes] == ["spoke"]
    assert cfg.outcomes[0].needs_notes, "needs_notes follows connected unless given"
    with pytest.raises(UserError, match="valid outcomes: spoke"):
        cfg.outcome("connected")


def test_keys_may_move_and_share_across_screens(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    # log-call and edit-notes swap nothing on one screen: both free keys; "back" and
    # "clear-filter" already share Escape on different screens, and may keep doing so
    path.write_text("[keys]\nlog-call = 'l'\nedit-notes = 'ctrl+n'\nback = 'escape'\n")
    assert load_config(path, required=True).keys == {
        "log-call": "l",
        "edit-notes": "ctrl+n",
        "back": "escape",
    }
    path.write_text("[keys]\nlog-call = 'd'\ndial = 'c'\n")  # a swap is no clash
    assert load_config(path, required=True).keys == {"log-call": "d", "dial": "c"}
