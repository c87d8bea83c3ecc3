"""Secrets (mail passwords, OAuth refresh tokens, the tracker's API token) in the OS keyring.

The one door to `keyring`: nothing else in callqueue reads or writes a secret, and no
secret is ever written to a config file, a log, an error message or a ``repr``. Entries
live under the service name ``callqueue`` with a key naming what the secret is for, e.g.
``imap:rep@example.com:password`` or ``tracker:https://t.example:token``.

When no usable keyring backend exists (a server with no Secret Service, or keyring's
``fail`` backend) every call raises `KeychainError` with one line naming the fix; there is
no silent plaintext fallback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from callqueue.errors import UserError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "callqueue"

_NO_BACKEND = (
    "no usable keyring to keep the secret in ({why}); install and unlock one (e.g. "
    "gnome-keyring or KWallet, or macOS Keychain), or select a backend with "
    "PYTHON_KEYRING_BACKEND; callqueue never keeps secrets in plain files"
)


class KeychainError(UserError):
    """The keyring cannot be used (no backend, locked, refused). The message never holds
    the secret."""


def _backend() -> KeyringBackend:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        raise KeychainError(_NO_BACKEND.format(why=f"backend {type(backend).__name__}"))
    return backend


def _failed(exc: Exception) -> KeychainError:
    # The exception text of a backend may name the key, never the secret (we pass the
    # secret only to set_password); keep just the class name to be safe.
    return KeychainError(_NO_BACKEND.format(why=type(exc).__name__))


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
