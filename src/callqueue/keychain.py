"""Secrets (mail passwords, OAuth refresh tokens, the tracker's API token) in the OS keyring.

The one door to `keyring`: nothing else in callqueue reads or writes a secret, and no
secret is ever written to a config file, a log, an error message or a ``repr``. Entries
live under the service name ``callqueue`` with a key naming what the secret is for, e.g.
``imap:rep@example.com:password`` or ``tracker:https://t.example:token``.

When no usable keyring backend exists (a server with no Secret Service, or keyring's
``fail`` backend) every call raises `KeychainError` with one line naming the situation
(none found, or the one PYTHON_KEYRING_BACKEND chose) and one thing to do on a desktop and
on a headless server (tester report 2, item 1; README "Secrets and the keyring"). There is
no silent plaintext fallback: keyrings.alt's PlaintextKeyring, which `keyring` picks by
itself when it is installed and nothing better is, is refused unless chosen by name.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from callqueue.errors import UserError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "callqueue"

HELP = 'README "Secrets and the keyring"'
"""Where the choices are explained (desktop, Mac, headless server); every error names it."""

_WHAT_TO_DO = (
    "on a desktop, unlock GNOME Keyring or KWallet; on a headless server, keep them in an"
    " encrypted file: pip install keyrings.cryptfile, then export"
    " PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring"
    f" (see {HELP}); callqueue never keeps secrets in plain files"
)

_PLAIN_FILE_BACKENDS = frozenset({"keyrings.alt.file.PlaintextKeyring"})
"""Backends that write secrets in the clear: refused unless chosen by name in
PYTHON_KEYRING_BACKEND (the test suite's own file keyring)."""


class KeychainError(UserError):
    """The keyring cannot be used (no backend, locked, refused). The message never holds
    the secret."""


def _name(backend: object) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def _backend() -> KeyringBackend:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        if chosen:
            why = f"the keyring chosen by PYTHON_KEYRING_BACKEND ({chosen}) keeps no secrets"
        else:
            why = (
                "no keyring found on this machine (no Secret Service or KWallet answered;"
                " a server without a desktop session has none)"
            )
        raise KeychainError(f"{why}; {_WHAT_TO_DO}")
    if _name(backend) in _PLAIN_FILE_BACKENDS and _name(backend) != chosen:
        raise KeychainError(
            f"the only keyring found ({_name(backend)}) writes secrets in a plain file;"
            f" {_WHAT_TO_DO}"
        )
    return backend


def _failed(exc: Exception) -> KeychainError:
    # The exception text of a backend may name the key, never the secret (we pass the
    # secret only to set_password); keep just the class name to be safe.
    import keyring

    return KeychainError(
        f"the keyring ({_name(keyring.get_keyring())}) refused: {type(exc).__name__}"
        f" (locked, or its service is not running?); {_WHAT_TO_DO}"
    )


def set_secret(key: str, secret: str) -> None:
    """Keep `secret` under `key`. Raises KeychainError."""
    from keyring.errors import KeyringError

    try:
        _backend().set_password(SERVICE, key, secret)
    except KeyringError as exc:
        raise _failed(exc) from None


def get_secret(key: str) -> str | None:
    """The secret kept under `key`, or None when there is none. Raises KeychainError."""
    from keyring.errors import KeyringError

    try:
        return _backend().get_password(SERVICE, key)
    except KeyringError as exc:
        raise _failed(exc) from None


def delete_secret(key: str) -> bool:
    """Remove the secret under `key`; False when there was none. Raises KeychainError."""
    from keyring.errors import KeyringError, PasswordDeleteError

    backend = _backend()
    try:
        if backend.get_password(SERVICE, key) is None:
            return False
        backend.delete_password(SERVICE, key)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise _failed(exc) from None
    return True
