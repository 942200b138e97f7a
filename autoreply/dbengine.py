"""The SQLAlchemy engine of a store: SQLite's pragmas (WAL, ``synchronous``, a busy timeout,
foreign keys; optionally no checkpoints in the commits) and ``BEGIN IMMEDIATE`` for writers;
PostgreSQL through psycopg 3."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine


def _sqlite_pragmas(synchronous: str, cache_kib: int | None = None, *,
                    own_checkpoints: bool = False) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        if cache_kib is not None:  # each connection's page cache (SQLite's default: 2,000 KiB)
            cursor.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        if own_checkpoints:  # the store's checkpoint thread copies the WAL, not the commits
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    return on_connect


def make_engine(url: str, *, sqlite_synchronous: str = "FULL", echo: bool = False,
                sqlite_cache_kib: int | None = None, own_checkpoints: bool = False) -> Engine:
    """The SQLAlchemy engine; ``own_checkpoints``: SQLite commits do not checkpoint the WAL
    (a :class:`~autoreply.checkpoint.Checkpointer` must)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: a database error must not carry buyer data (bound values) into the logs
    engine = sa.create_engine(url, echo=echo, future=True, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_pragmas(sqlite_synchronous, sqlite_cache_kib,
                                                           own_checkpoints=own_checkpoints))

        @sa_event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # writers queue for the write lock up front; a snapshot (see Store.snapshot) only reads
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("snapshot") else "BEGIN IMMEDIATE")

    return engine
