"""Read-only outbox and inbox queries for ``autoreply queue`` / ``status`` (mixed into Store)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from autoreply.schema import attempts, inbox, literal_eq, outbox


class OutboxQueries:
    engine: Engine

    # -- outbox: queries and commands ------------------------------------------------
    def list_messages(self, *, status: str | None = None, limit: int = 50) -> list[sa.Row[Any]]:
        query = sa.select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if status:
            query = query.where(outbox.c.status == status)
        with self.engine.connect() as conn:
            return list(conn.execute(query).all())  # type: ignore[arg-type]

    def get_message(self, ident: str) -> sa.Row[Any] | None:
        """A message by numeric id, message id or idempotency key."""
        with self.engine.connect() as conn:
            cond = sa.or_(outbox.c.message_id == ident, outbox.c.idempotency_key == ident)
            if ident.isdigit():
                cond = sa.or_(cond, outbox.c.id == int(ident))
            return conn.execute(sa.select(outbox).where(cond)).first()

    def attempts_of(self, outbox_id: int) -> list[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(  # type: ignore[arg-type]
                    sa.select(attempts)
                    .where(attempts.c.outbox_id == outbox_id)
                    .order_by(attempts.c.id)
                ).all()
            )

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(outbox.c.status, sa.func.count()).group_by(outbox.c.status)
            ).all()
        return {status: int(n) for status, n in rows}

    def inbox_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(inbox.c.status, sa.func.count()).group_by(inbox.c.status)
            ).all()
        return {status: int(n) for status, n in rows}

    def oldest_due(self, now: datetime) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.min(outbox.c.next_attempt_at)).where(
                    literal_eq(outbox.c.status, "scheduled"), outbox.c.next_attempt_at <= now
                )
            ).scalar()

    def due_count(self, now: datetime) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(outbox)
                    .where(literal_eq(outbox.c.status, "scheduled"), outbox.c.next_attempt_at <= now)
                ).scalar_one()
            )

    def next_scheduled(self) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.min(outbox.c.next_attempt_at)).where(
                    literal_eq(outbox.c.status, "scheduled")
                )
            ).scalar()

    def sent_since(self, since: datetime) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(outbox)
                    .where(literal_eq(outbox.c.status, "sent"), outbox.c.sent_at >= since)
                ).scalar_one()
            )

    def attempts_since(self, since: datetime) -> dict[str, int]:
        """Attempts by outcome (sent / retry / failed) finished since ``since``."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(attempts.c.outcome, sa.func.count())
                .where(attempts.c.finished_at >= since)
                .group_by(attempts.c.outcome)
            ).all()
        return {outcome: int(n) for outcome, n in rows}

    def last_errors(self, limit: int = 5) -> list[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(  # type: ignore[arg-type]
                    sa.select(
                        attempts.c.outbox_id,
                        attempts.c.finished_at,
                        attempts.c.outcome,
                        attempts.c.status_code,
                        attempts.c.error,
                    )
                    .where(attempts.c.outcome != "sent")
                    .order_by(attempts.c.id.desc())
                    .limit(limit)
                ).all()
            )
