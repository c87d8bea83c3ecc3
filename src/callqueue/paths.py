"""Where callqueue keeps its files, following the platform's conventions (platformdirs).

The store a command uses when none is named (`--db`, `CALLQUEUE_DB`) is decided here,
once, for the TUI and every command alike: your own store once it exists; until then
the demo store, if one has been built (`default_store`).

On Linux the two directories every command needs are the XDG base directories, read
here directly: importing platformdirs (pathlib, tempfile, shutil) costs about 5 ms, a
tenth of `callqueue queue`. tests/unit/test_paths.py checks this gives what
platformdirs gives; every other platform asks platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "callqueue"


def _xdg(variable: str, default: str) -> Path | None:
    """The XDG base directory `variable` when it is absolute (the spec ignores a relative
    one), else `default` under the home directory ($HOME when absolute, else the user's
    entry in the password database, as platformdirs does); None off Linux."""
    if not sys.platform.startswith("linux") or hasattr(sys, "getandroidapilevel"):
        return None
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return Path(value) / APP_NAME
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        import pwd

        home = pwd.getpwuid(os.getuid()).pw_dir
    return Path(home) / default / APP_NAME


def data_dir() -> Path:
    fast = _xdg("XDG_DATA_HOME", ".local/share")
    if fast is not None:
        return fast
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    fast = _xdg("XDG_CONFIG_HOME", ".config")
    if fast is not None:
        return fast
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """Your own store: where `contacts import` and `contacts add` create it."""
    return data_dir() / "callqueue.sqlite3"


def demo_db_path() -> Path:
    """The demo store when no store is named: beside, never instead of, your own."""
    return data_dir() / "demo.sqlite3"


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def named_db(cli_value: str | None) -> str | None:
    """The store named by --db, else by CALLQUEUE_DB, else None (the default applies)."""
    return cli_value or os.environ.get("CALLQUEUE_DB") or None


def default_store() -> Path:
    """The store used when none is named: your own store once it exists; until then the
    demo store if it has been built; else your own store's (missing) path."""
    own = default_db_path()
    if own.exists():
        return own
    demo = demo_db_path()
    return demo if demo.exists() else own


def db_location(cli_value: str | None) -> str:
    """The store named by --db, else CALLQUEUE_DB, else `default_store()`."""
    return named_db(cli_value) or str(default_store())


def config_location(cli_value: str | None) -> tuple[Path, bool]:
    """The config file and whether the user named it explicitly (then it must exist)."""
    if cli_value:
        return Path(cli_value).expanduser(), True
    env = os.environ.get("CALLQUEUE_CONFIG")
    if env:
        return Path(env).expanduser(), True
    return default_config_path(), False


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file in the same directory and a
    rename, so a reader never sees half a file and a failure leaves the old one.

    Raises UserError naming the path when the directory is missing or not writable.
    """
    import tempfile

    from callqueue.errors import UserError

    if not path.parent.is_dir():
        raise UserError(f"no directory {path.parent}; create it or choose another path")
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"cannot write in {path.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except IsADirectoryError:
        Path(temp).unlink(missing_ok=True)
        raise UserError(f"{path} is a directory; give a file name with --out") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
