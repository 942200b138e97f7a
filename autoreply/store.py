"""Storage: the inbox (events, unique by id) and the outbox (messages, unique by idempotency key).

SQLAlchemy Core over SQLite (WAL, ``BEGIN IMMEDIATE`` so writers queue instead of failing) by
default, or PostgreSQL (psycopg 3) where several daemons share one database and claim rows
with ``FOR UPDATE SKIP LOCKED``. Idempotency is a database fact: unique keys and
``ON CONFLICT DO NOTHING``, never a check in Python.

Times are stored in UTC.

Outbox states (see docs/OUTBOX.md)::

    scheduled ──claim──► sending ──► sent
        ▲                   │ ├────► failed      (permanent error, or too many attempts)
        └──── retry ────────┘ └────► scheduled   (retry later, next_attempt_at moved)
    scheduled ──► cancelled | superseded          (by a user, or a newer message)
    blocked (compliance, never sent) · suppressed (dedupe window, never sent)

A claimed row carries a lease (``lease_until``); a daemon that dies mid-send leaves the row
to be reclaimed by anyone once the lease has expired.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

SCHEMA_VERSION = 1

ACTIVE = ("scheduled", "sending")
FINAL = ("sent", "failed", "blocked", "cancelled", "superseded", "suppressed")
STATES = ACTIVE + FINAL


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC on SQLite, timestamptz on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
metadata = sa.MetaData()

meta = sa.Table(
    "autoreply_meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

inbox = sa.Table(
    "inbox", metadata,
    sa.Column("seq", BigId, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(64), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("source", sa.String(32), nullable=False, server_default="cli"),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="new"),
    sa.Column("processed_at", UTCDateTime),
    sa.Column("outcome", sa.String(64)),
    sa.Column("error", sa.Text),
)
sa.Index("ix_inbox_new", inbox.c.status, inbox.c.seq)

outbox = sa.Table(
    "outbox", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("message_id", sa.String(64), nullable=False, unique=True),
    sa.Column("idempotency_key", sa.String(300), nullable=False, unique=True),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("rule", sa.String(100), nullable=False),
    sa.Column("template", sa.String(100)),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(64), nullable=False),
    sa.Column("marketplace", sa.String(8)),
    sa.Column("buyer_id", sa.String(200)),
    sa.Column("order_id", sa.String(100)),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("message_type", sa.String(64)),
    sa.Column("recipient", sa.String(320)),
    sa.Column("language", sa.String(16)),
    sa.Column("timezone", sa.String(64)),
    sa.Column("subject", sa.Text),
    sa.Column("body", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("status_reason", sa.Text),
    sa.Column("send_at", UTCDateTime, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("lease_until", UTCDateTime),
    sa.Column("claimed_by", sa.String(100)),
    sa.Column("last_status_code", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("dedupe_key", sa.String(300)),
    sa.Column("details", sa.Text),
)
sa.Index("ix_outbox_due", outbox.c.status, outbox.c.next_attempt_at)
sa.Index("ix_outbox_lease", outbox.c.status, outbox.c.lease_until)
sa.Index("ix_outbox_dedupe", outbox.c.dedupe_key, outbox.c.created_at)
sa.Index("ix_outbox_event", outbox.c.event_id)

attempts = sa.Table(
    "attempts", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("outbox_id", BigId, sa.ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("worker", sa.String(100)),
)
sa.Index("ix_attempts_outbox", attempts.c.outbox_id)


@dataclass(frozen=True)
class NewMessage:
    """A message the pipeline decided on, ready to be written to the outbox."""

    idempotency_key: str
    event_id: str
    rule: str
    template: str | None
    kind: str
    platform: str
    marketplace: str | None
    buyer_id: str | None
    order_id: str | None
    channel: str
    recipient: str | None
    language: str | None
    timezone: str | None
    subject: str | None
    body: str
    status: str
    send_at: datetime
    status_reason: str | None = None
    dedupe_key: str | None = None
    dedupe_window: timedelta | None = None
    details: dict[str, Any] | None = None
    message_type: str | None = None


@dataclass(frozen=True)
class Claimed:
    """An outbox row claimed for sending."""

    id: int
    message_id: str
    idempotency_key: str
    event_id: str
    rule: str
    kind: str
    platform: str
    marketplace: str | None
    buyer_id: str | None
    order_id: str | None
    channel: str
    recipient: str | None
    language: str | None
    subject: str | None
    body: str
    send_at: datetime
    attempts: int
    started_at: datetime
    message_type: str | None = None


@dataclass(frozen=True)
class AttemptResult:
    outbox_id: int
    outcome: str  # sent | retry | failed
    status_code: int | None
    error: str | None
    started_at: datetime
    finished_at: datetime
    next_attempt_at: datetime | None = None


def _sqlite_pragmas(synchronous: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def make_engine(url: str, *, sqlite_synchronous: str = "FULL", echo: bool = False) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, echo=echo, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_pragmas(sqlite_synchronous))

        @sa_event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Store:
    """Inbox and outbox over one SQLAlchemy engine."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL", echo: bool = False,
                 create_dirs: bool = True) -> None:
        self.url = url
        if create_dirs and url.startswith("sqlite:///"):
            from pathlib import Path

            path = Path(url.removeprefix("sqlite:///"))
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url, sqlite_synchronous=sqlite_synchronous, echo=echo)
        self.dialect = self.engine.dialect.name

    # -- lifecycle -------------------------------------------------------------------
    def migrate(self) -> None:
        """Create the schema, or bring an older one up to date."""
        with self.begin() as conn:
            metadata.create_all(conn)
            row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
            if row is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(row.value) > SCHEMA_VERSION:
                raise RuntimeError(
                    f"the database schema is version {row.value}, newer than this autoreply "
                    f"({SCHEMA_VERSION}); upgrade autoreply")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def _insert(self, table: sa.Table) -> Any:
        return (postgresql.insert(table) if self.dialect == "postgresql" else sqlite.insert(table))

    # -- inbox -----------------------------------------------------------------------
    def add_events(self, events: Sequence[tuple[str, str, str, str]], *, source: str,
                   now: datetime) -> list[str]:
        """Persist events ``(event_id, kind, platform, payload_json)``; returns the ids that
        were new. A duplicate id is ignored by the unique key."""
        if not events:
            return []
        rows = [
            {"event_id": eid, "kind": kind, "platform": platform, "payload": payload,
             "source": source, "received_at": now, "status": "new"}
            for eid, kind, platform, payload in events
        ]
        stmt = self._insert(inbox).on_conflict_do_nothing(index_elements=["event_id"])
        stmt = stmt.returning(inbox.c.event_id)
        new: list[str] = []
        with self.begin() as conn:
            # one statement per chunk; RETURNING tells which rows were really inserted
            for start in range(0, len(rows), 500):
                result = conn.execute(stmt, rows[start:start + 500])
                new.extend(r[0] for r in result.all())
        return new

    def claim_new_events(self, conn: Connection, limit: int) -> list[sa.Row[Any]]:
        """Inbox rows waiting for the pipeline, locked for this transaction (skip-locked on
        PostgreSQL so several daemons share the work)."""
        query = (
            sa.select(inbox.c.seq, inbox.c.event_id, inbox.c.payload)
            .where(inbox.c.status == "new")
            .order_by(inbox.c.seq)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return list(conn.execute(query).all())

    def finish_events(self, conn: Connection, results: Sequence[tuple[int, str, str | None]],
                      now: datetime) -> None:
        """Mark inbox rows ``(seq, outcome, error)`` as processed (``done`` or ``error``)."""
        if not results:
            return
        stmt = (
            inbox.update()
            .where(inbox.c.seq == sa.bindparam("b_seq"))
            .values(status=sa.bindparam("b_status"), outcome=sa.bindparam("b_outcome"),
                    error=sa.bindparam("b_error"), processed_at=now)
        )
        conn.execute(stmt, [
            {"b_seq": seq, "b_status": "error" if error else "done", "b_outcome": outcome,
             "b_error": error}
            for seq, outcome, error in results
        ])

    def pending_events(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(
                sa.select(sa.func.count()).select_from(inbox).where(inbox.c.status == "new")
            ).scalar_one())

    # -- outbox: writing -------------------------------------------------------------
    def insert_messages(self, conn: Connection, messages: Iterable[NewMessage], now: datetime) -> int:
        """Write decided messages; a repeated idempotency key is ignored. Messages with a dedupe
        key already used inside its window are stored as ``suppressed``."""
        rows = []
        batch_keys: dict[str, datetime] = {}
        for msg in messages:
            status, reason = msg.status, msg.status_reason
            if status == "scheduled" and msg.dedupe_key and msg.dedupe_window:
                since = now - msg.dedupe_window
                earlier = batch_keys.get(msg.dedupe_key)
                if earlier is None:
                    earlier = conn.execute(
                        sa.select(outbox.c.created_at)
                        .where(outbox.c.dedupe_key == msg.dedupe_key,
                               outbox.c.created_at >= since,
                               outbox.c.status.in_(("scheduled", "sending", "sent")))
                        .limit(1)
                    ).scalar()
                if earlier is not None:
                    status, reason = "suppressed", f"dedupe: same key {msg.dedupe_key!r} within window"
                else:
                    batch_keys[msg.dedupe_key] = now
            rows.append({
                "message_id": uuid.uuid4().hex,
                "idempotency_key": msg.idempotency_key, "event_id": msg.event_id,
                "rule": msg.rule, "template": msg.template, "kind": msg.kind,
                "platform": msg.platform, "marketplace": msg.marketplace,
                "buyer_id": msg.buyer_id, "order_id": msg.order_id, "channel": msg.channel,
                "message_type": msg.message_type,
                "recipient": msg.recipient, "language": msg.language, "timezone": msg.timezone,
                "subject": msg.subject, "body": msg.body, "status": status,
                "status_reason": reason, "send_at": msg.send_at, "next_attempt_at": msg.send_at,
                "created_at": now, "updated_at": now, "attempts": 0,
                "dedupe_key": msg.dedupe_key,
                "details": json.dumps(msg.details, ensure_ascii=False, default=str) if msg.details else None,
            })
        if not rows:
            return 0
        stmt = self._insert(outbox).on_conflict_do_nothing(index_elements=["idempotency_key"])
        result = conn.execute(stmt, rows)
        return max(result.rowcount, 0)

    # -- outbox: dispatching ---------------------------------------------------------
    def claim_due(self, *, now: datetime, limit: int, lease: timedelta, worker: str) -> list[Claimed]:
        """Claim up to ``limit`` due rows (scheduled and due, or sending with an expired lease)."""
        with self.begin() as conn:
            ids: list[int] = []
            for condition in (
                sa.and_(outbox.c.status == "scheduled", outbox.c.next_attempt_at <= now),
                sa.and_(outbox.c.status == "sending", outbox.c.lease_until < now),
            ):
                if len(ids) >= limit:
                    break
                query = (
                    sa.select(outbox.c.id)
                    .where(condition)
                    .order_by(outbox.c.next_attempt_at)
                    .limit(limit - len(ids))
                )
                if self.dialect == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                ids.extend(conn.execute(query).scalars().all())
            if not ids:
                return []
            conn.execute(
                outbox.update()
                .where(outbox.c.id.in_(ids))
                .values(status="sending", lease_until=now + lease, claimed_by=worker,
                        attempts=outbox.c.attempts + 1, updated_at=now)
            )
            rows = conn.execute(
                sa.select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.next_attempt_at)
            ).all()
        return [
            Claimed(
                id=r.id, message_id=r.message_id, idempotency_key=r.idempotency_key,
                event_id=r.event_id, rule=r.rule, kind=r.kind, platform=r.platform,
                marketplace=r.marketplace, buyer_id=r.buyer_id, order_id=r.order_id,
                channel=r.channel, recipient=r.recipient, language=r.language,
                subject=r.subject, body=r.body, send_at=r.send_at, attempts=r.attempts,
                started_at=now, message_type=r.message_type,
            )
            for r in rows
        ]

    def record_results(self, results: Sequence[AttemptResult], *, worker: str) -> None:
        """Record the attempts and move each row to sent / scheduled (retry) / failed.

        A row is only updated while this worker still holds it: if our lease expired and
        another worker took the row over, its outcome wins."""
        if not results:
            return
        with self.begin() as conn:
            held = {
                row_id for (row_id,) in conn.execute(
                    sa.select(outbox.c.id).where(
                        outbox.c.id.in_([r.outbox_id for r in results]),
                        outbox.c.status == "sending", outbox.c.claimed_by == worker)
                ).all()
            }
            attempt_numbers = dict(conn.execute(
                sa.select(outbox.c.id, outbox.c.attempts).where(outbox.c.id.in_(list(held)))
            ).all()) if held else {}
            conn.execute(attempts.insert(), [
                {"outbox_id": r.outbox_id, "number": attempt_numbers.get(r.outbox_id, 0),
                 "started_at": r.started_at, "finished_at": r.finished_at, "outcome": r.outcome,
                 "status_code": r.status_code, "error": r.error, "worker": worker}
                for r in results
            ])
            updates = []
            for r in results:
                if r.outbox_id not in held:
                    continue
                status = {"sent": "sent", "retry": "scheduled", "failed": "failed"}[r.outcome]
                updates.append({
                    "b_id": r.outbox_id, "b_status": status,
                    "b_sent_at": r.finished_at if r.outcome == "sent" else None,
                    "b_next": r.next_attempt_at or r.finished_at,
                    "b_code": r.status_code, "b_error": r.error, "b_now": r.finished_at,
                })
            if updates:
                conn.execute(
                    outbox.update()
                    .where(outbox.c.id == sa.bindparam("b_id"))
                    .values(status=sa.bindparam("b_status"), sent_at=sa.bindparam("b_sent_at"),
                            next_attempt_at=sa.bindparam("b_next"),
                            last_status_code=sa.bindparam("b_code"),
                            last_error=sa.bindparam("b_error"), updated_at=sa.bindparam("b_now"),
                            lease_until=None, claimed_by=None),
                    updates,
                )

    def release(self, ids: Sequence[int], *, worker: str, now: datetime) -> None:
        """Hand claimed rows back unsent (shutdown before they were tried)."""
        if not ids:
            return
        with self.begin() as conn:
            conn.execute(
                outbox.update()
                .where(outbox.c.id.in_(list(ids)), outbox.c.status == "sending",
                       outbox.c.claimed_by == worker)
                .values(status="scheduled", lease_until=None, claimed_by=None,
                        attempts=outbox.c.attempts - 1, updated_at=now)
            )

    # -- outbox: queries and commands ------------------------------------------------
    def list_messages(self, *, status: str | None = None, limit: int = 50) -> list[sa.Row[Any]]:
        query = sa.select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if status:
            query = query.where(outbox.c.status == status)
        with self.engine.connect() as conn:
            return list(conn.execute(query).all())

    def get_message(self, ident: str) -> sa.Row[Any] | None:
        """A message by numeric id, message id or idempotency key."""
        with self.engine.connect() as conn:
            cond = sa.or_(outbox.c.message_id == ident, outbox.c.idempotency_key == ident)
            if ident.isdigit():
                cond = sa.or_(cond, outbox.c.id == int(ident))
            return conn.execute(sa.select(outbox).where(cond)).first()

    def attempts_of(self, outbox_id: int) -> list[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return list(conn.execute(
                sa.select(attempts).where(attempts.c.outbox_id == outbox_id).order_by(attempts.c.id)
            ).all())

    def set_status(self, outbox_id: int, *, to: str, allowed_from: Sequence[str], now: datetime,
                   reason: str | None = None, next_attempt_at: datetime | None = None) -> bool:
        values: dict[str, Any] = {"status": to, "updated_at": now, "status_reason": reason}
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        with self.begin() as conn:
            result = conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id, outbox.c.status.in_(list(allowed_from)))
                .values(**values)
            )
            return result.rowcount == 1

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(outbox.c.status, sa.func.count()).group_by(outbox.c.status)
            ).all()
        return {status: int(n) for status, n in rows}

    def inbox_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(inbox.c.status, sa.func.count()).group_by(inbox.c.status)).all()
        return {status: int(n) for status, n in rows}

    def oldest_due(self, now: datetime) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.min(outbox.c.next_attempt_at))
                .where(outbox.c.status == "scheduled", outbox.c.next_attempt_at <= now)
            ).scalar()

    def next_scheduled(self) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.min(outbox.c.next_attempt_at)).where(outbox.c.status == "scheduled")
            ).scalar()

    def sent_since(self, since: datetime) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(
                sa.select(sa.func.count()).select_from(outbox)
                .where(outbox.c.status == "sent", outbox.c.sent_at >= since)
            ).scalar_one())

    def last_errors(self, limit: int = 5) -> list[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return list(conn.execute(
                sa.select(attempts.c.outbox_id, attempts.c.finished_at, attempts.c.outcome,
                          attempts.c.status_code, attempts.c.error)
                .where(attempts.c.outcome != "sent")
                .order_by(attempts.c.id.desc()).limit(limit)
            ).all())
