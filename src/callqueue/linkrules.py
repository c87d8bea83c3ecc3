"""Tracked links: the token format, the tracked URL, and which destinations are allowed.

Shared by the rep's side (`links add`, `links mint`, sync) and the tracker service, so the
two agree on what a token and a destination are. Stdlib only.

* A token is `secrets.token_urlsafe(TOKEN_BYTES)`: 16 random bytes (128 bits, issue 10's
  minimum) as 22 URL-safe base64 characters. Anything else is not a token: the tracker
  answers 404 without touching its store.
* A destination is an absolute ``http``/``https`` URL with a host, no credentials, only
  printable ASCII (non-ASCII is percent-encoded, the host IDNA-encoded, by
  `normalize_destination`), at most `MAX_DESTINATION` characters. The tracker sends it
  as the ``Location`` header exactly as registered.
"""

from __future__ import annotations

import re
import secrets
from typing import Final
from urllib.parse import quote, urlsplit, urlunsplit

TOKEN_BYTES: Final = 16
TOKEN_LENGTH: Final = 22
"""len(secrets.token_urlsafe(16)): 16 bytes in unpadded base64."""
TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{22}")
MAX_DESTINATION: Final = 2048
"""Longer URLs break in some browsers and mail clients (and nobody's pricing PDF needs one)."""
CLICK_PATH: Final = "/c/"

_SAFE_PATH: Final = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY: Final = _SAFE_PATH + "?/"


class DestinationError(ValueError):
    """A destination URL the tracker would not redirect to; the message says why."""


def new_token() -> str:
    """A fresh unguessable token (128 bits from `secrets`)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token(text: str) -> bool:
    """Whether `text` has the shape of a token (says nothing about it being registered)."""
    return len(text) == TOKEN_LENGTH and TOKEN_RE.fullmatch(text) is not None


def tracked_url(base_url: str, token: str) -> str:
    """The URL a buyer clicks: ``https://t.example.com/c/<token>`` (base without a slash)."""
    return f"{base_url.rstrip('/')}{CLICK_PATH}{token}"


def destination_problem(url: str) -> str | None:
    """Why the tracker must not redirect to `url` as given, or None when it may."""
    if not url:
        return "the destination is empty"
    if len(url) > MAX_DESTINATION:
        return f"the destination is longer than {MAX_DESTINATION} characters"
    if any(not 0x21 <= ord(ch) <= 0x7E for ch in url):
        return "the destination holds spaces, control or non-ASCII characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the destination is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return "the destination must start with http:// or https://"
    if not parts.hostname or parts.netloc.startswith(("/", "\\")):
        return "the destination has no host"
    if "\\" in parts.netloc or "\\" in parts.path:
        return "the destination holds a backslash"
    if parts.username is not None or parts.password is not None:
        return "the destination must not carry a user name or password"
    if port == 0:
        return "the destination's port is 0"
    return None


def normalize_destination(text: str) -> str:
    """`text` as a destination the tracker accepts: surrounding space stripped, a missing
    scheme refused, the host IDNA-encoded, other non-ASCII percent-encoded.

    ``"https://exämple.com/präsentation.pdf"`` ->
    ``"https://xn--exmple-cua.com/pr%C3%A4sentation.pdf"``. Raises DestinationError
    naming the problem.
    """
    url = text.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise DestinationError(f"{text!r} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise DestinationError(
            f"{text!r} is not a web address; give the whole URL, e.g. https://example.com/pricing"
        )
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise DestinationError(f"{text!r} has a host name that cannot be encoded") from None
    netloc = parts.netloc
    if ascii_host != host:
        netloc = netloc.replace(host, ascii_host)
    url = urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_SAFE_PATH),
            quote(parts.query, safe=_SAFE_QUERY),
            quote(parts.fragment, safe=_SAFE_QUERY),
        )
    )
    problem = destination_problem(url)
    if problem is not None:
        raise DestinationError(f"{text!r}: {problem}")
    return url
