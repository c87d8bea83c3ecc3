"""Where callqueue keeps its files, following the platform's conventions (platformdirs).

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
    return data_dir() / "callqueue.sqlite3"


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def db_location(cli_value: str | None) -> str:
    """The store named by --db, else CALLQUEUE_DB, else the platform default."""
    return cli_value or os.environ.get("CALLQUEUE_DB") or str(default_db_path())


def config_location(cli_value: str | None) -> tuple[Path, bool]:
    """The config file and whether the user named it explicitly (then it must exist)."""
    if cli_value:
        return Path(cli_value).expanduser(), True
    env = os.environ.get("CALLQUEUE_CONFIG")
    if env:
        return Path(env).expanduser(), True
    return default_config_path(), False
