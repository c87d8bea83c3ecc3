"""The SQLModel tables write rows that the stdlib read path ranks, and instants stay UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import Session, select

from callqueue.config import Config
from callqueue.day.rank import build_queue
from callqueue.store.db import open_store
from callqueue.store.models import Contact, ContactEmail, Message, make_engine

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_orm_rows_are_ranked_by_the_read_path(db_path: Path) -> None:
    engine = make_engine(str(db_path))
    with Session(engine) as session:
        dana = Contact(name="Dana Reyes", company="Acme", timezone="Europe/London")
        session.add(dana)
        session.flush()
        assert dana.id is not None
        session.add(ContactEmail(contact_id=dana.id, address="dana@acme.example"))
        session.add(
            Message(
                contact_id=dana.id,
                direction="in",
                channel="email",
                subject="Quote?",
                snippet="Can you send the quote",
                at=MONDAY_10 - timedelta(minutes=10),
            )
        )
        session.commit()
    engine.dispose()

    conn = open_store(db_path)
    entries = build_queue(conn, Config(), MONDAY_10)
    assert [e.contact.name for e in entries] == ["Dana Reyes"]
    assert entries[0].reason.startswith("email waiting 10 min")
    conn.close()


def test_instants_round_trip_as_utc_and_naive_ones_are_refused(db_path: Path) -> None:
    engine = make_engine(str(db_path))
    berlin = timezone(timedelta(hours=1))
    with Session(engine) as session:
        session.add(Contact(name="A", lead_created_at=datetime(2026, 11, 23, 11, 0, tzinfo=berlin)))
        session.commit()
        stored = session.exec(select(Contact)).one()
        session.refresh(stored)
        assert stored.lead_created_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        assert stored.lead_created_at is not None
        assert stored.lead_created_at.tzinfo == UTC
    raw = open_store(db_path).execute("SELECT lead_created_at FROM contact").fetchone()[0]
    assert raw == "2026-11-23T10:00:00.000000Z"
    with Session(engine) as session:
        session.add(Contact(name="B", lead_created_at=datetime(2026, 11, 23, 11, 0)))
        with pytest.raises(Exception, match="naive datetime"):
            session.commit()
    engine.dispose()


def test_orm_transaction_rolls_back_as_a_whole(db_path: Path) -> None:
    engine = make_engine(str(db_path))
    with Session(engine) as session:
        session.add(Contact(name="First"))
        session.flush()
        session.rollback()
    with Session(engine) as session:
        assert session.exec(select(Contact)).all() == []
    engine.dispose()
