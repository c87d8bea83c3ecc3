"""callqueue.paths reads the XDG directories itself on Linux (start-up speed): it must
agree with platformdirs, the library it stands in for, in every case."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from callqueue.paths import config_dir, data_dir


@pytest.mark.parametrize(
    ("data", "config", "home"),
    [
        (None, None, "tmp"),
        ("/srv/data", "/srv/config", "tmp"),
        ("", "", "tmp"),
        ("relative/data", "relative/config", "tmp"),
        ("  /padded/data  ", "/etc/xdg/..", "tmp"),
        (None, None, "relative/home"),
        (None, None, None),
    ],
)
def test_same_directories_as_platformdirs(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data: str | None,
    config: str | None,
    home: str | None,
) -> None:
    if home is None:
        monkeypatch.delenv("HOME")
    else:
        monkeypatch.setenv("HOME", str(tmp_path) if home == "tmp" else home)
    for variable, value in (("XDG_DATA_HOME", data), ("XDG_CONFIG_HOME", config)):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    assert data_dir() == platformdirs.user_data_path("callqueue", appauthor=False)
    assert config_dir() == platformdirs.user_config_path("callqueue", appauthor=False)
