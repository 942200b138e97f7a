"""The database schema: inbox, outbox, attempts (SQLAlchemy Core, SQLite and PostgreSQL).

Modules that need tables of their own define them against :data:`metadata` (importable from
:mod:`autoreply.store` too) so that ``Store.migrate()`` creates them. Columns added to an
existing table must be nullable: ``Store.migrate()`` adds them to older databases.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

#: 2: the inbox's payloads in a table of their own (``inbox_payloads``)
SCHEMA_VERSION = 2

ACTIVE = ("scheduled", "sending")
FINAL = ("sent", "failed", "blocked", "cancelled", "superseded", "suppressed")
STATES = ACTIVE + FINAL
#: states that count as "a message is (being) sent" for dedupe and superseding
LIVE = ("scheduled", "sending", "sent")


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC out; naive UTC on SQLite, timestamptz on PostgreSQL."""

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
    sa.Column("source", sa.String(32), nullable=False, server_default="cli"),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="new"),
    sa.Column("processed_at", UTCDateTime),
    sa.Column("outcome", sa.String(64)),
    sa.Column("error", sa.Text),
)

#: an event's JSON, apart from its inbox row: marking a batch of rows processed rewrites the
#: rows (SQLite writes every page holding one to the WAL), and with their payloads in them
#: that was ~50 pages a batch of 200, a quarter of the batch's commit; now it is ~8
inbox_payloads = sa.Table(
    "inbox_payloads", metadata,
    sa.Column("seq", BigId, sa.ForeignKey("inbox.seq", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("payload", sa.Text, nullable=False),
)


def move_inbox_payloads(conn: sa.Connection) -> None:
    """Schema 1 → 2: an inbox made with its payloads in its rows gets them moved to
    :data:`inbox_payloads` (every row's, processed or not), and the column dropped (SQLite
    3.35+ and PostgreSQL both drop a column)."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("inbox")}
    if "payload" not in columns:
        return
    conn.execute(sa.text("INSERT INTO inbox_payloads (seq, payload) SELECT seq, payload FROM inbox "
                         "WHERE seq NOT IN (SELECT seq FROM inbox_payloads)"))
    conn.execute(sa.text("ALTER TABLE inbox DROP COLUMN payload"))


def _partial(name: str, *columns: sa.Column[object], where: sa.ColumnElement[bool]) -> sa.Index:
    """An index of the rows ``where`` holds, on both databases (SQLite and PostgreSQL both have
    partial indexes): a row outside it costs the index nothing when written or updated."""
    return sa.Index(name, *columns, sqlite_where=where, postgresql_where=where)


def literal_eq(column: sa.Column[str], value: str) -> sa.ColumnElement[bool]:
    """``column = 'value'`` with the value inlined: the partial indexes' conditions, and the
    queries that must match them (a bound parameter cannot prove a partial index's condition
    in a PostgreSQL generic plan)."""
    return column == sa.literal_column(f"'{value}'")


# the worker's claim reads the waiting rows in order; processed rows leave the index
_partial("ix_inbox_waiting", inbox.c.seq, where=literal_eq(inbox.c.status, "new"))

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
    # added by the delivery issue (Store.migrate adds them to older databases)
    sa.Column("supersede_key", sa.String(300)),
    sa.Column("event_at", UTCDateTime),
    sa.Column("retried_at", UTCDateTime),
)
# Only what a query reads is indexed, and status-specific indexes hold only rows of that status
# (partial): a message written as blocked, suppressed or superseded, or moved to sent, leaves
# them; the insert path of a scheduled message updates five secondary indexes, not eight.
# The dispatcher: due rows by time, overall and by channel; expired leases (a daemon died).
_partial("ix_outbox_scheduled", outbox.c.next_attempt_at, where=literal_eq(outbox.c.status, "scheduled"))
_partial("ix_outbox_scheduled_channel", outbox.c.channel, outbox.c.next_attempt_at,
         where=literal_eq(outbox.c.status, "scheduled"))
_partial("ix_outbox_sending", outbox.c.lease_until, where=literal_eq(outbox.c.status, "sending"))
# ``status`` counts of sent messages (``autoreply status``)
_partial("ix_outbox_sent_at", outbox.c.sent_at, where=literal_eq(outbox.c.status, "sent"))
# the insert path's dedupe and thread look-ups (a message without the key is not indexed)
_partial("ix_outbox_dedupe_key", outbox.c.dedupe_key, outbox.c.created_at,
         where=outbox.c.dedupe_key.is_not(None))
_partial("ix_outbox_thread_key", outbox.c.supersede_key, outbox.c.status,
         where=outbox.c.supersede_key.is_not(None))
# the per-buyer frequency cap counts a buyer's recent messages for every proactive message
sa.Index("ix_outbox_buyer", outbox.c.buyer_id, outbox.c.send_at)

#: indexes of older versions that ``Store.migrate()`` drops (the ones above replace them;
#: ``ix_outbox_event`` answered no query: a message is found by id, message id or
#: idempotency key)
RETIRED_INDEXES = {
    "inbox": ("ix_inbox_new",),
    "outbox": ("ix_outbox_due", "ix_outbox_lease", "ix_outbox_dedupe", "ix_outbox_event",
               "ix_outbox_due_channel", "ix_outbox_thread", "ix_outbox_sent"),
}

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


#: threads closed by an event that sends nothing (a restock): a message of the thread about
#: an older event, even one that arrives later, is superseded on insert
thread_marks = sa.Table(
    "thread_marks", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("thread_key", sa.String(300), nullable=False),
    sa.Column("event_at", UTCDateTime, nullable=False),
    sa.Column("event_id", sa.String(200), nullable=False),
    sa.Column("rule", sa.String(100), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
sa.Index("ix_thread_marks_key", thread_marks.c.thread_key, thread_marks.c.event_at)
