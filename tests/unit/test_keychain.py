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


# Tester report 2, item 1: on a headless Linux box the error said "(backend Keyring)" and
# named nothing a user could install.


def _error_with(
    backend: object, monkeypatch: pytest.MonkeyPatch, chosen: str | None
) -> KeychainError:
    if chosen is None:
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    else:
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", chosen)
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    try:
        with pytest.raises(KeychainError) as caught:
            set_secret("tracker:http://127.0.0.1:18765:token", "t0ken-value")
    finally:
        keyring.set_keyring(previous)
    assert "t0ken" not in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


def test_none_found_says_so_and_names_one_thing_to_do_on_a_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = str(_error_with(fail.Keyring(), monkeypatch, None))  # type: ignore[no-untyped-call]
    assert message.startswith("no keyring found on this machine")
    assert "backend Keyring" not in message
    assert "pip install keyrings.cryptfile" in message
    assert "PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring" in message
    assert 'README "Secrets and the keyring"' in message
    assert "Plaintext" not in message
    assert "keyrings.alt" not in message


def test_the_chosen_backend_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    message = str(_error_with(fail.Keyring(), monkeypatch, "keyring.backends.fail.Keyring"))  # type: ignore[no-untyped-call]
    assert message.startswith(
        "the keyring chosen by PYTHON_KEYRING_BACKEND (keyring.backends.fail.Keyring)"
    )


def test_a_plain_file_keyring_picked_by_itself_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    message = str(_error_with(backend, monkeypatch, None))
    assert "writes secrets in a plain file" in message
    assert not (tmp_path / "keyring_pass.cfg").exists()


def test_the_readme_has_the_section_the_errors_name() -> None:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "\n## Secrets and the keyring\n" in text
    section = text.split("\n## Secrets and the keyring\n", 1)[1].split("\n## ", 1)[0]
    for where in ("desktop", "Mac", "headless server", "keyrings.cryptfile", "dbus-run-session"):
        assert where in section
