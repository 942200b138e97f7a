"""The outbox's SQL, built once at import: the thread-close supersede statements, the
claim statement per dialect, outcomes, lease extension and release, and the small helpers they
share (thread locks, ages). SQLAlchemy caches the compiled form of each; building an expression per
message cost more than running it. ``store.Store`` runs them; nothing here touches a connection."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from autoreply.schema import UTCDateTime, attempts, literal_eq, outbox


# -- a thread closed by an event that sends nothing (``Store.supersede``), built once (SQLAlchemy
# caches the compiled form; the insert path's own statements are in outbox_batch).
def _supersede_stmt(match: Any) -> Any:
    return (outbox.update()
            .where(match, outbox.c.status == sa.literal_column("'scheduled'"),
                   sa.or_(outbox.c.event_at.is_(None),
                          outbox.c.event_at <= sa.bindparam("b_event_at", type_=UTCDateTime)))
            .values(status="superseded", status_reason=sa.bindparam("b_reason"),
                    updated_at=sa.bindparam("b_now", type_=UTCDateTime)))


_SUPERSEDE_KEY = _supersede_stmt(outbox.c.supersede_key == sa.bindparam("b_key"))
_SUPERSEDE_PREFIX = _supersede_stmt(
    sa.func.substr(outbox.c.supersede_key, 1, sa.bindparam("b_len", type_=sa.Integer))
    == sa.bindparam("b_prefix", type_=sa.String))

# -- the dispatcher's statements, built once (SQLAlchemy caches their compiled form) ------
_IDS: Any = sa.bindparam("ids", expanding=True)
_NOW = sa.bindparam("b_now", type_=UTCDateTime)
_HELD = (outbox.c.status == "sending", outbox.c.claimed_by == sa.bindparam("b_worker"))
_CLAIMED_COLUMNS = (
    outbox.c.id, outbox.c.message_id, outbox.c.idempotency_key, outbox.c.event_id,
    outbox.c.rule, outbox.c.kind, outbox.c.platform, outbox.c.marketplace, outbox.c.buyer_id,
    outbox.c.order_id, outbox.c.channel, outbox.c.recipient, outbox.c.language,
    outbox.c.subject, outbox.c.body, outbox.c.send_at, outbox.c.attempts,
    outbox.c.message_type, outbox.c.retried_at, outbox.c.next_attempt_at,
)
# positions in a claimed row: Claimed's fields up to ``attempts``, then (its ``started_at``
# is the claim's time) message_type and retried_at, then next_attempt_at (only for sorting)
_STARTED_AT = [c.name for c in _CLAIMED_COLUMNS].index("message_type")
_SEND_AT = [c.name for c in _CLAIMED_COLUMNS].index("send_at")
_RETRIED_AT = [c.name for c in _CLAIMED_COLUMNS].index("retried_at")
_NEXT_AT = [c.name for c in _CLAIMED_COLUMNS].index("next_attempt_at")


@functools.lru_cache(maxsize=32)
def _claim_statement(dialect: str, expired_lease: bool, by_channel: bool,
                     not_channels: bool) -> Any:
    """Pick, lease and read due rows in one statement: ``UPDATE outbox … WHERE id IN (SELECT
    … ORDER BY next_attempt_at LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING …``."""
    due = outbox.alias("due")
    if expired_lease:  # a daemon died mid-send: its rows are due again once the lease ran out
        condition = sa.and_(literal_eq(due.c.status, "sending"), due.c.lease_until < _NOW)
    else:
        condition = sa.and_(literal_eq(due.c.status, "scheduled"), due.c.next_attempt_at <= _NOW)
    pick = (sa.select(due.c.id).where(condition).order_by(due.c.next_attempt_at)
            .limit(sa.bindparam("b_limit", type_=sa.Integer)))
    if by_channel:
        pick = pick.where(due.c.channel == sa.bindparam("b_channel"))
    if not_channels:
        pick = pick.where(due.c.channel.not_in(sa.bindparam("b_not", expanding=True)))
    if dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    return (
        outbox.update().where(outbox.c.id.in_(pick))
        .values(status="sending", lease_until=sa.bindparam("b_until", type_=UTCDateTime),
                claimed_by=sa.bindparam("b_worker"), attempts=outbox.c.attempts + 1,
                updated_at=_NOW)
        .returning(*_CLAIMED_COLUMNS)
    )


_DEAD_LETTER = (
    outbox.update().where(outbox.c.id.in_(_IDS))
    .values(status="failed", lease_until=None, claimed_by=None, updated_at=_NOW,
            attempts=outbox.c.attempts - 1, status_reason=sa.bindparam("b_reason"))
)
_EARLIER_ATTEMPTS = (
    sa.select(sa.func.count()).select_from(attempts)
    .where(attempts.c.outbox_id == outbox.c.id).scalar_subquery()
)
_LOG_ATTEMPTS = attempts.insert().from_select(
    ["outbox_id", "number", "started_at", "finished_at", "outcome", "status_code", "error",
     "worker"],
    sa.select(outbox.c.id, _EARLIER_ATTEMPTS + 1,
              sa.bindparam("b_started", type_=UTCDateTime),
              sa.bindparam("b_finished", type_=UTCDateTime),
              sa.bindparam("b_outcome", type_=sa.String), sa.bindparam("b_code", type_=sa.Integer),
              sa.bindparam("b_error", type_=sa.Text), sa.bindparam("b_worker", type_=sa.String))
    .where(outbox.c.id.in_(_IDS)),
)
_FINISH = (
    outbox.update().where(outbox.c.id.in_(_IDS), *_HELD)
    .values(status=sa.bindparam("b_status"),
            sent_at=sa.bindparam("b_sent_at", type_=UTCDateTime),
            next_attempt_at=sa.bindparam("b_next", type_=UTCDateTime),
            last_status_code=sa.bindparam("b_code", type_=sa.Integer),
            last_error=sa.bindparam("b_error", type_=sa.Text), updated_at=_NOW,
            status_reason=sa.bindparam("b_reason", type_=sa.Text),
            lease_until=None, claimed_by=None)
)
_EXTEND = (
    outbox.update().where(outbox.c.id.in_(_IDS), *_HELD)
    .values(lease_until=sa.bindparam("b_until", type_=UTCDateTime))
)
_RELEASE = (
    outbox.update().where(outbox.c.id.in_(_IDS), *_HELD)
    .values(status="scheduled", lease_until=None, claimed_by=None,
            attempts=outbox.c.attempts - 1, updated_at=_NOW)
)


def _thread_lock(key: str | None) -> str | None:
    """Writers of one thread family (``stock``, ``shipment``) serialise on its name, so a
    prefix close and an insert of the same thread never miss each other."""
    return f"thread:{key.split('|', 1)[0]}" if key else None



def _lock_number(key: str) -> int:
    """A signed 64-bit number for a key (advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _age_from(row: Any) -> datetime:
    """A message's age counts from its send time, or from a manual retry if later."""
    send_at: datetime = row[_SEND_AT]
    return max(send_at, row[_RETRIED_AT] or send_at)


def _short(delta: timedelta | None) -> str:
    from autoreply.durations import format_duration

    return format_duration(delta) if delta is not None else "-"
