"""What the outbox says about recent messages: the facts the frequency and volume caps need.

Read-only queries on the outbox table, run on the caller's connection — the worker's, inside
its transaction, so the counts and the new rows are one consistent picture. Messages the
worker decided earlier in the same batch (not written yet) count too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from autoreply.store import outbox

COUNTED = ("scheduled", "sending", "sent")


class OutboxHistory:
    """:class:`autoreply.compliance.History` over the outbox (plus this batch's pending rows)."""

    def __init__(self, conn: Connection, pending: Sequence[Any] = ()) -> None:
        self.conn = conn
        self.pending = pending

    def _pending(self, platform: str, since: datetime, buyer_id: str | None = None) -> int:
        return sum(1 for m in self.pending
                   if m.platform == platform and m.status == "scheduled" and m.send_at >= since
                   and (buyer_id is None or m.buyer_id == buyer_id))

    def to_buyer_since(self, platform: str, buyer_id: str, since: datetime) -> int:
        stored = self.conn.execute(
            sa.select(sa.func.count()).select_from(outbox).where(
                outbox.c.platform == platform, outbox.c.buyer_id == buyer_id,
                outbox.c.status.in_(COUNTED), outbox.c.send_at >= since)
        ).scalar_one()
        return int(stored) + self._pending(platform, since, buyer_id)

    def sent_on_day(self, platform: str, day_start: datetime) -> int:
        stored = self.conn.execute(
            sa.select(sa.func.count()).select_from(outbox).where(
                outbox.c.platform == platform, outbox.c.status.in_(COUNTED),
                outbox.c.send_at >= day_start)
        ).scalar_one()
        return int(stored) + self._pending(platform, day_start)
