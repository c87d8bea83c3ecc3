"""A large folder is read and parsed in a second process (`callqueue.sync.parsing`) while
this one stores: the store must come out exactly as when every batch is parsed here, on a
server with PREVIEW (the parsing process reads the raw FETCH answer) and on one without
(BODYSTRUCTURE and text parts fetched here, parsed there)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from callqueue.actions import add_contact
from callqueue.store.db import open_store
from callqueue.sync import mailsync
from callqueue.sync.mailsync import sync_account
from callqueue.sync.parsing import FetchedMail, parse_answer, parse_batch
from tests.servers.dovecot import Dovecot
from tests.sync.conftest import NOW, SETTINGS, add_account, canonical, message

pytestmark = pytest.mark.usefixtures("file_keyring")


class RecordingPool(ProcessPoolExecutor):
    """The real parsing process (forkserver, one worker), recording what it was given."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, mp_context=multiprocessing.get_context("forkserver"))
        self.jobs: list[Callable[[], object]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.jobs.append(fn)
        return super().submit(fn, *args, **kwargs)


@pytest.fixture
def pool() -> Iterator[RecordingPool]:
    p = RecordingPool()
    p.submit(int).result()  # started, so batches go to it from the first one
    p.jobs.clear()
    yield p
    p.shutdown()


def _synced(
    path: Path, server_user: Any, monkeypatch: pytest.MonkeyPatch, pool: RecordingPool | None
) -> dict[str, list[tuple[object, ...]]]:
    conn = open_store(path, create=True)
    add_contact(conn, name="P0", emails=["p0@fabrikam.example"], company="Fabrikam", now=NOW)
    account = add_account(conn, server_user)
    with monkeypatch.context() as m:
        m.setattr(mailsync, "BATCH", 20)
        if pool is None:
            m.setattr(mailsync, "PARALLEL_BATCHES", 10**9)
        else:
            m.setattr(mailsync, "PARALLEL_BATCHES", 2)
            m.setattr(mailsync, "_parsing_process", lambda: pool)
        summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert summary.folders[0].new == 150
    dump = canonical(conn)
    conn.close()
    return dump


@pytest.mark.parametrize("limited", [False, True], ids=["preview", "bodystructure"])
def test_the_parsing_process_makes_the_same_store(
    dovecot: Dovecot,
    dovecot_limited: Dovecot,
    limited: bool,
    pool: RecordingPool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = (dovecot_limited if limited else dovecot).add_user()
    user.deliver(
        message(
            frm=f"Person {i % 7} <p{i % 7}@fabrikam.example>",
            subject=f"message {i} =?utf-8?q?caf=C3=A9?=",
            body=f"Hi, about seats: {i}\r\n\r\nOn Monday, P wrote:\r\n> earlier",
        )[0]
        for i in range(150)
    )
    here = _synced(tmp_path / "here.sqlite3", user, monkeypatch, None)
    there = _synced(tmp_path / "there.sqlite3", user, monkeypatch, pool)
    work = [j for j in pool.jobs if isinstance(j, partial)]
    assert work, "no batch went to the parsing process"
    assert {j.func for j in work} == ({parse_batch} if limited else {parse_answer})
    assert there == here
    assert len(here["messages"]) == 150
    assert all("café" in str(r) for r in here["messages"])  # decoded, in both


def test_a_parsing_process_that_dies_ends_the_sync_with_its_error(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crashed parsing process is an error of this sync, not a hang, and what was
    committed before stays (the next sync resumes)."""
    from concurrent.futures.process import BrokenProcessPool

    user = dovecot.add_user()
    user.deliver(message(subject=f"m {i}")[0] for i in range(100))
    conn = open_store(tmp_path / "s.sqlite3", create=True)
    account = add_account(conn, user)
    broken = RecordingPool()
    broken.submit(int).result()
    try:
        with monkeypatch.context() as m:
            m.setattr(mailsync, "BATCH", 20)
            m.setattr(mailsync, "PARALLEL_BATCHES", 2)
            m.setattr(mailsync, "_parsing_process", lambda: broken)
            m.setattr(mailsync, "parse_answer", _exit_now)
            with pytest.raises(BrokenProcessPool):
                sync_account(conn, account, SETTINGS, now=NOW)
    finally:
        broken.shutdown()
    stored = conn.execute("SELECT count(*) FROM message").fetchone()[0]
    assert stored % 20 == 0, "whole batches only"
    assert stored < 100
    summary = sync_account(conn, account, SETTINGS, now=NOW)
    assert stored + summary.folders[0].new == 100
    assert conn.execute("SELECT count(*) FROM message").fetchone()[0] == 100
    conn.close()


def _exit_now(answer: bytes) -> list[FetchedMail]:
    """Stands for the parsing process killed mid-batch; a batch parsed here (before that
    process started) is parsed as usual."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return parse_answer(answer)
