"""Changing one key of the rep's config file, keeping every comment and the layout.

tomlkit edits the TOML document in place (the stdlib reads TOML but cannot write it).
The file is written to a temporary file beside it and renamed over it, so a crash
leaves the old file or the new one, never half of one; the result is read back with
`load_config` first, and a file that would not load is not written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from callqueue.config import Config, parse_config
from callqueue.errors import ConfigError


def set_config_value(path: Path, section: str, key: str, value: str) -> Config:
    """Set ``[section] key = value`` in the file at `path` (created if missing, mode 0600).

    Returns the configuration as it now reads. Raises ConfigError naming the problem.
    """
    import tomllib

    import tomlkit

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ConfigError(f"{path}: cannot read it to update it ({exc}); fix the file") from None
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    elif not isinstance(table, dict):
        raise ConfigError(f"{path}: {section} must be a table, e.g. [{section}]")
    table[key] = value
    new_text = tomlkit.dumps(document)
    config = parse_config(tomllib.loads(new_text), path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(new_text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write it ({exc.strerror})") from None
    return config
