"""Settings from a TOML file, validated into frozen dataclasses.

Stdlib only (tomllib, zoneinfo), because every command, including the fast
read-only ones such as `callqueue queue --json`, loads the configuration.
Every key is documented in `config.example.toml`, which a test checks against
the defaults here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

from callqueue.errors import ConfigError, UserError
from callqueue.vocab import DEFAULT_OUTCOMES, Outcome, find_outcome
from callqueue.zones import named_zone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LOCALE_REGION = re.compile(r"^[a-z]{2,3}_([A-Za-z]{2})(?![A-Za-z])")


@dataclass(frozen=True)
class BusinessHours:
    start: time = time(9, 0)
    """When the working day starts, in the contact's local time."""
    end: time = time(17, 0)
    """When it ends; a quote is due by then, and calls wait until the next start."""
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    """Working weekdays, Monday = 0."""


@dataclass(frozen=True)
class Targets:
    lead_minutes: int = 30
    """A new lead is called within this many minutes."""
    message_minutes: int = 30
    """A customer message gets a personal response within this many minutes."""
    info_minutes: int = 60
    """Information promised on a call goes out within this many minutes of its due time."""
    quote: str = "end-of-day"
    """A requested quote goes out by the end of the business day it is due."""
    click_minutes: int = 30
    """A human click on a tracked link is acted on (call or reply) within this many minutes."""


@dataclass(frozen=True)
class Weights:
    """How much each kind of signal counts: score = sum of weight x measure."""

    click: float = 12.0
    message: float = 10.0
    lead: float = 11.0
    follow_up_call: float = 6.0
    follow_up_info: float = 8.0
    follow_up_quote: float = 8.0
    important_date: float = 3.0


@dataclass(frozen=True)
class HalfLives:
    click_minutes: float = 120.0
    """A click's pull halves every this many minutes."""
    important_date_days: float = 1.0
    """An upcoming date's pull halves for every this many days it is away."""


DEFAULT_SUBJECT = "The links you asked for: {{ link_names }}"


@dataclass(frozen=True)
class SendSettings:
    """How `callqueue send` writes and submits the info promised on a call (issue 11)."""

    account: str | None = None
    """The mail account that sends (its name or address); None: the only account."""
    from_name: str | None = None
    """Your name in the From line (None: the address alone); also ``{{ rep.name }}``."""
    signature: str = ""
    """Your signature, closing every email (``{{ signature }}``; may span lines)."""
    template: str = "info"
    """The template used without --template: NAME.txt (and NAME.html) in the templates
    directory; ``info`` ships with callqueue."""
    subject: str = DEFAULT_SUBJECT
    """The subject line used without --subject; a template over the same placeholders."""
    templates_dir: str | None = None
    """Where templates are; None: ``templates/`` beside this config file."""
    timeout_seconds: float = 30.0
    """Seconds to wait for the mail server (connect, and each answer) before giving up."""


DEFAULT_TRACKER_PORT = 8765


@dataclass(frozen=True)
class Tracker:
    """Link tracking: the rep's side (url, decoy, the verdict's windows and ranges) and the
    service's side (store, trusted_proxies, rate limits) of `callqueue tracker serve`."""

    url: str | None = None
    """The tracker this machine mints links for and syncs clicks from (set by `tracker connect`)."""
    decoy: bool = False
    """`links mint --html` adds a hidden decoy link; whatever clicks it is not a person."""
    send_window_seconds: int = 60
    """A click this many seconds or less from the email's send time is a scanner's."""
    scanner_networks: tuple[str, ...] = ()
    """More mail-scanner address ranges ("CIDR [label]") on top of the shipped list."""
    store: str | None = None
    """The service's store: a file path or URL (postgresql+psycopg://...); None: the data dir."""
    host: str = "127.0.0.1"
    """The address `tracker serve` listens on."""
    port: int = DEFAULT_TRACKER_PORT
    """The port `tracker serve` listens on."""
    trusted_proxies: tuple[str, ...] = ()
    """Proxies (addresses or CIDRs) whose X-Forwarded-For names the client; none: ignore it."""
    rate_limit_per_minute: int = 120
    """Requests for tracked links one address (an IPv6 /64) may make per minute."""
    rate_limit_burst: int = 60
    """Requests one address may make at once before the per-minute rate applies."""


@dataclass(frozen=True)
class MailSettings:
    """How mail sync reads the rep's mailbox (issue 9)."""

    backfill_days: int = 90
    """A folder's first sync reads mail the server received in the last this many days."""
    open_days: int = 7
    """Customer mail older than this many days when its account is added is history:
    stored and shown in the timeline, never a message to clear."""
    sent_folder: str | None = None
    """The Sent folder's name, when the server neither flags it \\Sent nor uses a usual name."""
    folders: tuple[str, ...] = ()
    """More folders whose mail is read as inbound (never Gmail's All Mail)."""
    own_addresses: tuple[str, ...] = ()
    """Your other addresses: mail from them counts as sent by you."""
    leads_from_company_domains: bool = True
    """Mail from an unknown sender at the domain of a contact's company makes a new
    contact marked as a lead (false: the mail is kept, the sender ignored)."""
    leads_from_unknown_callers: bool = True
    """A voicemail or text notification from a number no contact has makes a new contact
    marked as a lead (false: kept, ignored)."""
    voicemail_senders: tuple[str, ...] = ()
    """Addresses your phone system sends voicemail notifications from."""
    text_senders: tuple[str, ...] = ()
    """Addresses your phone system sends text-message notifications from."""
    flag_scan_days: int = 14
    """Where the server has no CONDSTORE, replies and read marks are looked for on mail
    of the last this many days."""
    sync_minutes: float = 5.0
    """The TUI syncs in the background this often."""
    idle: bool = True
    """The TUI watches INBOX with IMAP IDLE, so new mail arrives within seconds."""
    timeout_seconds: float = 30.0
    """Seconds to wait for the mail server before the connection counts as dropped."""
    retries: int = 3
    """Tries for a dropped connection or a timeout, with backoff, before sync gives up."""


@dataclass(frozen=True)
class Config:
    timezone: str | None = None
    """Default time zone for contacts without one; None means the system's."""
    dial_command: str | None = None
    """Command run by `dial`, with {number} replaced, without a shell; None prints the
    number. The call opens only if it succeeds (`callqueue.actions.dialer`)."""
    notify_command: str | None = None
    """Command run on a new alert in the TUI, with {title} and {message} replaced."""
    date_lookahead_days: int = 3
    """Important dates this many days ahead already show in the queue."""
    phone_region: str | None = None
    """Two-letter country code (ISO 3166, e.g. "US") where numbers typed without a
    + country code are dialled from; None means the system locale's region."""
    hours: BusinessHours = field(default_factory=BusinessHours)
    targets: Targets = field(default_factory=Targets)
    weights: Weights = field(default_factory=Weights)
    half_lives: HalfLives = field(default_factory=HalfLives)
    outcomes: tuple[Outcome, ...] = DEFAULT_OUTCOMES
    keys: dict[str, str] = field(default_factory=dict)
    """TUI key remaps: action id -> key, e.g. log-call = "l"."""
    send: SendSettings = field(default_factory=SendSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    tracker: Tracker = field(default_factory=Tracker)
    source: Path | None = None

    def outcome(self, name: str) -> Outcome:
        """The outcome named (or labelled) `name`, in any case: `Connected`, `left voicemail`.

        Raises UserError (exit 2) listing the valid names when there is none.
        """
        found = find_outcome(self.outcomes, name)
        if found is None:
            valid = ", ".join(o.name for o in self.outcomes)
            raise UserError(f"unknown outcome {name!r}; valid outcomes: {valid}")
        return found

    def default_phone_region(self, environ: Mapping[str, str] | None = None) -> str | None:
        """Where a phone number without + is read: `phone_region`, else the region of
        the locale (LC_ALL, LC_TELEPHONE, LANG: ``en_US.UTF-8`` -> ``US``), else None."""
        if self.phone_region:
            return self.phone_region
        env = os.environ if environ is None else environ
        for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
            if value := env.get(name, ""):
                m = _LOCALE_REGION.match(value)
                return m[1].upper() if m else None
        return None


def load_config(path: Path, *, required: bool) -> Config:
    """Read and validate the file; a missing optional file gives the defaults."""
    if not path.exists():
        if required:
            raise ConfigError(f"config file {path} does not exist; create it or drop --config")
        return Config()
    import tomllib  # only when there is a file to read: 2 ms of every command otherwise

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None
    return parse_config(raw, path)


def parse_config(raw: dict[str, Any], path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""

    def fail(key: str, problem: str) -> ConfigError:
        """Name the key and the problem, so the user can find the line to fix."""
        return ConfigError(f"{where}{key}: {problem}")

    top_keys = {
        "timezone",
        "dial_command",
        "notify_command",
        "date_lookahead_days",
        "phone_region",
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
    for key in raw:
        if key not in top_keys:
            raise fail(key, f"unknown key; valid keys: {', '.join(sorted(top_keys))}")

    timezone = _opt_str(raw, "timezone", fail)
    if timezone is not None and named_zone(timezone) is None:
        raise fail(
            "timezone", f"unknown time zone {timezone!r}; use an IANA name such as 'Europe/Berlin'"
        )
    lookahead = raw.get("date_lookahead_days", 3)
    if not isinstance(lookahead, int) or isinstance(lookahead, bool) or not 0 <= lookahead <= 60:
        raise fail("date_lookahead_days", f"must be a whole number from 0 to 60, got {lookahead!r}")

    region = _opt_str(raw, "phone_region", fail)
    if region is not None:
        if not re.fullmatch(r"[A-Za-z]{2}", region.strip()):
            raise fail(
                "phone_region",
                f'must be a two-letter country code such as "US" or "DE", got {region!r}',
            )
        region = region.strip().upper()

    return Config(
        timezone=timezone,
        phone_region=region,
        dial_command=_opt_str(raw, "dial_command", fail),
        notify_command=_opt_str(raw, "notify_command", fail),
        date_lookahead_days=lookahead,
        hours=_parse_hours(_table(raw, "hours", fail), fail),
        targets=_parse_targets(_table(raw, "targets", fail), fail),
        weights=_numbers(Weights, _table(raw, "weights", fail), "weights", fail, allow_zero=True),
        half_lives=_numbers(
            HalfLives, _table(raw, "half_lives", fail), "half_lives", fail, allow_zero=False
        ),
        outcomes=_parse_outcomes(raw.get("outcomes"), fail),
        keys=_parse_keys(_table(raw, "keys", fail), fail),
        send=_parse_send(_table(raw, "send", fail), fail),
        mail=_parse_mail(_table(raw, "mail", fail), fail),
        tracker=_parse_tracker(_table(raw, "tracker", fail), fail),
        source=path,
    )


_Fail = Callable[[str, str], ConfigError]
T = TypeVar("T")


def _table(raw: dict[str, Any], key: str, fail: _Fail) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise fail(key, "must be a table, e.g. [" + key + "]")
    return value


def _opt_str(raw: dict[str, Any], key: str, fail: _Fail) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise fail(key, f"must be a string, got {value!r}")
    return value


def _check_keys(table: dict[str, Any], cls: type[Any], prefix: str, fail: _Fail) -> None:
    valid = {f.name for f in fields(cls)}
    for key in table:
        if key not in valid:
            raise fail(f"{prefix}.{key}", f"unknown key; valid keys: {', '.join(sorted(valid))}")


def _parse_time(value: Any, key: str, fail: _Fail) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise fail(key, f'must be a time of day like "09:00", got {value!r}')


def _parse_hours(table: dict[str, Any], fail: _Fail) -> BusinessHours:
    _check_keys(table, BusinessHours, "hours", fail)
    default = BusinessHours()
    start = _parse_time(table.get("start", default.start), "hours.start", fail)
    end = _parse_time(table.get("end", default.end), "hours.end", fail)
    if end <= start:
        raise fail("hours.end", f"must be later than hours.start ({start:%H:%M})")
    days_raw = table.get("days", [WEEKDAYS[d] for d in default.days])
    if not isinstance(days_raw, list) or not days_raw:
        raise fail("hours.days", 'must be a non-empty list such as ["mon", "tue"]')
    days: list[int] = []
    for day in days_raw:
        name = str(day).lower()[:3]
        if name not in WEEKDAYS:
            raise fail(
                "hours.days", f"unknown weekday {day!r}; use mon, tue, wed, thu, fri, sat, sun"
            )
        days.append(WEEKDAYS.index(name))
    return BusinessHours(start=start, end=end, days=tuple(sorted(set(days))))


def _parse_targets(table: dict[str, Any], fail: _Fail) -> Targets:
    _check_keys(table, Targets, "targets", fail)
    values: dict[str, Any] = {}
    for name in ("lead_minutes", "message_minutes", "info_minutes", "click_minutes"):
        if name in table:
            value = table[name]
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10080:
                raise fail(
                    f"targets.{name}",
                    f"must be a whole number of minutes from 1 to 10080, got {value!r}",
                )
            values[name] = value
    if "quote" in table and table["quote"] != "end-of-day":
        raise fail("targets.quote", f'only "end-of-day" is supported, got {table["quote"]!r}')
    return Targets(**values)


def _numbers(
    cls: type[T], table: dict[str, Any], prefix: str, fail: _Fail, *, allow_zero: bool
) -> T:
    _check_keys(table, cls, prefix, fail)
    for key, value in table.items():
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or value < 0 or (value == 0 and not allow_zero):
            bound = "zero or more" if allow_zero else "more than zero"
            raise fail(f"{prefix}.{key}", f"must be a number {bound}, got {value!r}")
    return cls(**{k: float(v) for k, v in table.items()})


def _parse_outcomes(value: Any, fail: _Fail) -> tuple[Outcome, ...]:
    if value is None:
        return DEFAULT_OUTCOMES
    if not isinstance(value, list) or not value:
        raise fail("outcomes", "must be a non-empty list of [[outcomes]] tables")
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    for index, item in enumerate(value, start=1):
        key = f"outcomes[{index}]"
        if not isinstance(item, dict):
            raise fail(key, 'must be a table with at least name = "..."')
        _check_keys(item, Outcome, key, fail)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or " " in name.strip():
            raise fail(f"{key}.name", f'must be a word like "left-voicemail", got {name!r}')
        if name in seen:
            raise fail(f"{key}.name", f"duplicate outcome {name!r}")
        seen.add(name)
        label = item.get("label", name.replace("-", " ").capitalize())
        for flag in ("connected", "needs_notes", "do_not_call", "meeting"):
            if not isinstance(item.get(flag, False), bool):
                raise fail(f"{key}.{flag}", "must be true or false")
        connected: bool = item.get("connected", False)
        needs_notes: bool = item.get("needs_notes", connected)
        outcomes.append(
            Outcome(
                name=name,
                label=str(label),
                connected=connected,
                needs_notes=needs_notes,
                do_not_call=item.get("do_not_call", False),
                meeting=item.get("meeting", False),
            )
        )
    if len(outcomes) > 9:
        raise fail("outcomes", "at most 9 outcomes (the TUI gives each a digit key)")
    return tuple(outcomes)


def _parse_keys(table: dict[str, Any], fail: _Fail) -> dict[str, str]:
    """Binding id -> key(s); the ids and the screens they share are `callqueue.keymap`'s."""
    from callqueue.keymap import BINDING_IDS, clash

    keys: dict[str, str] = {}
    for action, key in table.items():
        if action not in BINDING_IDS:
            raise fail(
                f"keys.{action}",
                f"unknown binding id; valid ids: {', '.join(sorted(BINDING_IDS))}",
            )
        if not isinstance(key, str) or not key.strip(" ,"):
            raise fail(f"keys.{action}", f'must be a key name such as "l" or "ctrl+l", got {key!r}')
        keys[action] = key
    found = clash(keys)
    if found is not None:
        key, first, second = found
        where = second if second in keys else first
        raise fail(
            f"keys.{where}",
            f"key {key!r} is bound twice on one screen ({first} and {second}); "
            "give one of them another key",
        )
    return keys


def _parse_send(table: dict[str, Any], fail: _Fail) -> SendSettings:
    _check_keys(table, SendSettings, "send", fail)
    values: dict[str, Any] = {}
    for name in ("account", "from_name", "templates_dir"):
        value = _opt_str(table, name, lambda key, problem: fail(f"send.{key}", problem))
        if value is not None:
            values[name] = value.strip()
    for name in ("signature", "template", "subject"):
        if name in table:
            value = table[name]
            if not isinstance(value, str):
                raise fail(f"send.{name}", f"must be a string, got {value!r}")
            values[name] = value
    if "template" in values and not re.fullmatch(
        r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", values["template"]
    ):
        raise fail(
            "send.template", f'must be a template name such as "info", got {values["template"]!r}'
        )
    if "subject" in values and not values["subject"].strip():
        raise fail("send.subject", "must not be empty")
    if "timeout_seconds" in table:
        value = table["timeout_seconds"]
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not 1 <= value <= 600:
            raise fail("send.timeout_seconds", f"must be a number from 1 to 600, got {value!r}")
        values["timeout_seconds"] = float(value)
    return SendSettings(**values)


def _parse_mail(table: dict[str, Any], fail: _Fail) -> MailSettings:
    _check_keys(table, MailSettings, "mail", fail)
    values: dict[str, Any] = {}
    whole = {
        "backfill_days": (1, 36500),
        "open_days": (0, 36500),
        "flag_scan_days": (1, 3650),
        "retries": (1, 20),
    }
    for name, (low, high) in whole.items():
        if name in table:
            value = table[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise fail(f"mail.{name}", f"must be a whole number from {low} to {high}")
            values[name] = value
    for name, (low_f, high_f) in {
        "sync_minutes": (0.5, 1440.0),
        "timeout_seconds": (1, 600),
    }.items():
        if name in table:
            value = table[name]
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or not low_f <= value <= high_f:
                raise fail(f"mail.{name}", f"must be a number from {low_f:g} to {high_f:g}")
            values[name] = float(value)
    for name in ("leads_from_company_domains", "leads_from_unknown_callers", "idle"):
        if name in table:
            if not isinstance(table[name], bool):
                raise fail(f"mail.{name}", "must be true or false")
            values[name] = table[name]
    if "sent_folder" in table:
        value = table["sent_folder"]
        if not isinstance(value, str):
            raise fail("mail.sent_folder", f"must be a folder name, got {value!r}")
        values["sent_folder"] = value or None
    for name in ("folders", "own_addresses", "voicemail_senders", "text_senders"):
        if name in table:
            value = table[name]
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise fail(f"mail.{name}", 'must be a list of strings, e.g. ["a", "b"]')
            if name == "folders":
                values[name] = tuple(value)
            else:
                for v in value:
                    if "@" not in v:
                        raise fail(f"mail.{name}", f"{v!r} is not an email address")
                values[name] = tuple(v.strip().lower() for v in value)
    return MailSettings(**values)


def _parse_tracker(table: dict[str, Any], fail: _Fail) -> Tracker:
    _check_keys(table, Tracker, "tracker", fail)
    values: dict[str, Any] = {}
    for name in ("url", "store"):
        value = _opt_str(table, name, lambda key, problem: fail(f"tracker.{key}", problem))
        if value is not None:
            values[name] = value
    url = values.get("url")
    if url is not None:
        values["url"] = tracker_base_url(url)
        if values["url"] is None:
            raise fail(
                "tracker.url",
                f"must be an http(s) address such as https://t.example.com, got {url!r}",
            )
    if "host" in table:
        host = table["host"]
        if not isinstance(host, str) or not host.strip():
            raise fail("tracker.host", f'must be an address such as "0.0.0.0", got {host!r}')
        values["host"] = host.strip()
    if "decoy" in table:
        if not isinstance(table["decoy"], bool):
            raise fail("tracker.decoy", f"must be true or false, got {table['decoy']!r}")
        values["decoy"] = table["decoy"]
    limits = {
        "send_window_seconds": (0, 3600, "seconds"),
        "port": (0, 65535, "a port number"),
        "rate_limit_per_minute": (1, 1_000_000, "requests a minute"),
        "rate_limit_burst": (1, 1_000_000, "requests"),
    }
    for name, (low, high, unit) in limits.items():
        if name in table:
            value = table[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise fail(
                    f"tracker.{name}",
                    f"must be a whole number ({unit}) from {low} to {high}, got {value!r}",
                )
            values[name] = value
    for name in ("scanner_networks", "trusted_proxies"):
        if name in table:
            values[name] = _networks(table[name], f"tracker.{name}", fail)
    return Tracker(**values)


def tracker_base_url(text: str) -> str | None:
    """A tracker's base URL as kept in the config (no trailing slash), or None when `text`
    is not an http(s) URL with a host and without query, fragment or credentials."""
    from urllib.parse import urlsplit

    url = text.strip()
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username is not None
        or not port_ok
        or any(ch.isspace() or ord(ch) < 32 for ch in url)
    ):
        return None
    return url.rstrip("/")


def _networks(value: Any, key: str, fail: _Fail) -> tuple[str, ...]:
    """A list of "CIDR [label]" strings; each CIDR (or bare address) is checked here."""
    import ipaddress

    if not isinstance(value, list):
        raise fail(key, 'must be a list such as ["203.0.113.0/24"]')
    found: list[str] = []
    for item in value:
        cidr = item.strip().partition(" ")[0] if isinstance(item, str) else ""
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise fail(
                key, f"{item!r} is not an IP network; write a CIDR such as 203.0.113.0/24"
            ) from None
        found.append(item.strip())
    return tuple(found)
