"""The package metadata says what the repository holds (issue 7, item 8)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from trove_classifiers import classifiers

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_license_file_is_the_license_pyproject_names() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_classifiers_are_pypis_and_agree_with_the_metadata() -> None:
    ours = PROJECT["classifiers"]
    assert ours, "classifiers are listed"
    assert [c for c in ours if c not in classifiers] == []
    assert not [c for c in ours if c.startswith("License ::")], "PEP 639: the SPDX field says it"
    minimum = PROJECT["requires-python"].removeprefix(">=")
    assert f"Programming Language :: Python :: {minimum}" in ours
    assert ("Typing :: Typed" in ours) == (ROOT / "src/callqueue/py.typed").exists()
