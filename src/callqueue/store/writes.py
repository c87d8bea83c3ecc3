"""SQLAlchemy Core bulk writes on the store's tables, without loading the SQLModel classes.

The tables are those of `callqueue.store.models` (the schema of record); a writer names
them here with SQLAlchemy's lightweight ``table()`` and ``column()`` constructs, because
importing the models builds the SQLModel classes, which loads SQLModel and pydantic:
about 0.17 s of a `callqueue sync` command's start (measured 2026-11-30; 0.13 s for the
contacts import on main). A writer declares the columns it writes per table, and its
tests check them against the models (every column exists; every column that is NOT NULL
without a server default is written).

Bulk rows go through statements compiled once (`insert_sql`) and executemany on tuples of
values already in their stored form (`callqueue.store.timefmt.to_db` text for instants,
0/1 for flags): executing the statement with a dict per row runs SQLAlchemy's parameter
processing and the column types' conversions for every value of every row, which was
most of the cost of storing synced mail (issue 9: 40 µs a message, against 12 µs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import column, create_engine, event, insert, table
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.expression import TableClause


def engine_over(conn: Any) -> Engine:
    """A SQLAlchemy engine that uses the already open store connection `conn`.

    The connection runs with isolation_level=None (explicit transactions), so SQLAlchemy
    says BEGIN itself, as ``BEGIN IMMEDIATE``: a writer waits for the lock up front
    rather than failing half-way. Through `store.db.begin_write`: a read-only store is
    refused with its one line (a `StoreError`) before SQLite is asked, which would fail
    with "attempt to write a readonly database".
    """
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        from callqueue.store.db import begin_write

        begin_write(conn)

    return engine


def table_named(name: str, columns: Sequence[str]) -> TableClause:
    """The Core construct of table `name` with `columns` (what a statement needs)."""
    return table(name, *(column(c) for c in columns))


def insert_sql(engine: Engine, name: str, columns: Sequence[str]) -> str:
    """``INSERT INTO name (columns)`` compiled for `engine`'s dialect: SQL whose positional
    parameters are `columns` in that order, for ``connection.exec_driver_sql(sql, rows)``.
    Raises ValueError if the compiled statement binds anything else."""
    compiled = insert(table_named(name, columns)).compile(
        dialect=engine.dialect, column_keys=list(columns)
    )
    binds = tuple(compiled.positiontup or ())
    if binds != tuple(columns):
        raise ValueError(f"INSERT INTO {name} binds {binds}, not {tuple(columns)}")
    return str(compiled)
