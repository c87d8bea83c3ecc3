"""The binding ids users remap: one list, in callqueue.keymap, documented as it is."""

from __future__ import annotations

import re
from pathlib import Path

from callqueue import keymap

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_binding_id() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "Keys are remapped in `[keys]` by binding id: `"
    start = readme.index(marker) + len(marker)
    block = readme[start : readme.index("`", start)]
    assert set(re.findall(r"[a-z]+(?:-[a-z]+)*", block)) == keymap.BINDING_IDS


def test_the_example_config_lists_every_binding_id() -> None:
    example = (ROOT / "src" / "callqueue" / "config.example.toml").read_text(encoding="utf-8")
    block = example[example.index("# Ids:") + len("# Ids:") : example.index("An unknown id")]
    assert set(re.findall(r"[a-z]+(?:-[a-z]+)*", block)) == keymap.BINDING_IDS


def test_each_id_has_one_key_title_and_label_on_every_screen() -> None:
    """A remap moves one id everywhere, so it must mean one thing everywhere."""
    seen: dict[str, tuple[str, str, str]] = {}
    for specs in (keymap.APP, *keymap.SCREENS.values()):
        for spec in specs:
            first = seen.setdefault(spec.id, (spec.key, spec.title, spec.label))
            assert first == (spec.key, spec.title, spec.label), spec.id


def test_default_keys_are_unique_on_every_screen() -> None:
    assert keymap.clash({}) is None
