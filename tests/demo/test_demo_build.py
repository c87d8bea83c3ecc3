"""Building: deterministic for a seed and `now`, rebuilds a demo, never replaces a real store."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from callqueue.demo.builder import BuildResult, build_store, is_demo_store
from callqueue.demo.generate import demo_size, generate
from callqueue.errors import StoreError
from callqueue.store.db import open_store, transaction
from callqueue.store.timefmt import to_db
from tests.demo.conftest import NOW, SEED, dump


def test_same_seed_and_now_give_the_same_store(demo_build: BuildResult, tmp_path: Path) -> None:
    again = build_store(tmp_path / "again.sqlite3", demo_size(320), seed=SEED, now=NOW)
    assert dump(again.path) == dump(demo_build.path)


def test_another_seed_or_now_gives_other_content() -> None:
    base = generate(demo_size(320), seed=SEED, now=NOW).rows
    assert generate(demo_size(320), seed=SEED + 1, now=NOW).rows["contact"] != base["contact"]
    later = generate(demo_size(320), seed=SEED, now=NOW + timedelta(hours=1)).rows
    assert later["message"] != base["message"]


def test_contacts_option_scales_the_store() -> None:
    data = generate(demo_size(600), seed=SEED, now=NOW)
    assert len(data.rows["contact"]) == 600
    assert data.companies >= 120


def test_rebuilds_a_previous_demo_relative_to_the_new_now(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    build_store(path, demo_size(100), seed=SEED, now=NOW)
    later = NOW + timedelta(days=2)
    build_store(path, demo_size(100), seed=SEED, now=later)
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute("SELECT cursor FROM sync_state WHERE source = 'demo'").fetchone()
        newest = conn.execute("SELECT max(at) FROM message").fetchone()[0]
    finally:
        conn.close()
    assert cursor == (to_db(later),)
    assert newest > to_db(NOW + timedelta(days=1))
    assert not list(tmp_path.glob("*.building*"))


def test_refuses_a_real_store_and_leaves_it_intact(tmp_path: Path) -> None:
    path = tmp_path / "real.sqlite3"
    conn = open_store(path, create=True)
    with transaction(conn):
        conn.execute(
            "INSERT INTO contact (name, created_at, updated_at) VALUES (?, ?, ?)",
            ("Dana Reyes", to_db(NOW), to_db(NOW)),
        )
    conn.close()
    before = dump(path)
    with pytest.raises(StoreError, match="not a demo store; refusing to overwrite"):
        build_store(path, demo_size(100), seed=SEED, now=NOW)
    assert dump(path) == before
    assert not is_demo_store(path)
    assert not list(tmp_path.glob("*.building*"))


@pytest.mark.parametrize("content", [b"", b"name,email\nDana,dana@example.com\n"])
def test_refuses_any_other_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "something.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="refusing to overwrite"):
        build_store(path, demo_size(100), seed=SEED, now=NOW)
    assert path.read_bytes() == content


def test_store_file_is_private(demo_build: BuildResult) -> None:
    assert demo_build.path.stat().st_mode & 0o777 == 0o600
    assert is_demo_store(demo_build.path)
