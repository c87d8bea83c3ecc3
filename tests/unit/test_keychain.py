"""Secrets go to the keyring and only there; no backend is one clear error."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from callqueue.keychain import KeychainError, delete_secret, get_secret, set_secret


def test_a_secret_round_trips_through_the_file_keyring(file_keyring: Path) -> None:
    set_secret("imap:rep@example.com:password", "s3cret-app-password")
    assert get_secret("imap:rep@example.com:password") == "s3cret-app-password"
    assert get_secret("imap:other@example.com:password") is None
    assert delete_secret("imap:rep@example.com:password") is True
    assert get_secret("imap:rep@example.com:password") is None
    assert delete_secret("imap:rep@example.com:password") is False


def test_no_backend_is_one_line_naming_the_fix_without_the_secret() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with pytest.raises(KeychainError) as caught:
            set_secret("imap:rep@example.com:password", "s3cret-app-password")
        with pytest.raises(KeychainError):
            get_secret("imap:rep@example.com:password")
    finally:
        keyring.set_keyring(previous)
    message = str(caught.value)
    assert "PYTHON_KEYRING_BACKEND" in message
    assert "s3cret" not in message
    assert "\n" not in message
