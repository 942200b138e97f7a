"""What the Amazon mapping remembers between notifications, and the intake glue.

Two small tables, defined against :data:`autoreply.store.metadata` so ``Store.migrate()``
creates them (docs/AMAZON_NOTIFICATIONS.md):

- ``amazon_orders``: one row per order line, as the latest ORDER_CHANGE described it. It
  answers "which orders still wait for SKU X" when a quantity falls to zero.
- ``amazon_stock``: the last quantity reported per SKU and channel (``MFN:<code>``,
  ``AFN:<marketplace>``), to tell a *fall* to zero from a repeated zero.

Rows are only ever overwritten by a notification that is at least as recent (``EventTime``),
so a late or redelivered notification cannot roll the state back.

Crash safety: the events a notification yields are computed from the state *before* it, and
persisted in the inbox first; the state is updated after. A crash in between leaves the state
as it was, so the redelivered notification yields the same events with the same ids, which the
inbox stores once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from autoreply.events import Event
from autoreply.logs import get_logger
from autoreply.metrics import AMAZON_NOTIFICATIONS
from autoreply.sources import amazon
from autoreply.sources.amazon import (
    PENDING_STATUSES,
    Notification,
    OrderItemFact,
    StockFact,
    StockNotice,
)
from autoreply.store import Store, UTCDateTime, metadata

amazon_orders = sa.Table(
    "amazon_orders",
    metadata,
    sa.Column("order_id", sa.String(100), primary_key=True),
    sa.Column("order_item_id", sa.String(100), primary_key=True),
    sa.Column("sku", sa.String(200), nullable=False),
    sa.Column("marketplace_id", sa.String(32)),
    sa.Column("fulfillment", sa.String(8)),
    sa.Column("order_status", sa.String(32), nullable=False),
    sa.Column("item_status", sa.String(32)),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("quantity_shipped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("purchase_date", UTCDateTime),
    sa.Column("postal_code", sa.String(20)),
    sa.Column("latest_delivery", UTCDateTime),
    sa.Column("event_time", UTCDateTime, nullable=False),
)
sa.Index("ix_amazon_orders_sku", amazon_orders.c.sku, amazon_orders.c.order_status)

amazon_stock = sa.Table(
    "amazon_stock",
    metadata,
    sa.Column("sku", sa.String(200), primary_key=True),
    sa.Column("channel", sa.String(64), primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("event_time", UTCDateTime, nullable=False),
)


@dataclass
class AmazonResult:
    notification_id: str
    notification_type: str
    events: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


class AmazonState:
    """Reads and writes the two tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _upsert(self, table: sa.Table, rows: list[dict[str, Any]], keys: list[str]) -> None:
        if not rows:
            return
        stmt = self.store._insert(table)
        changed = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_=changed, where=table.c.event_time <= stmt.excluded.event_time
        )
        with self.store.begin() as conn:
            for row in rows:
                conn.execute(stmt, row)

    def record_orders(self, facts: Sequence[OrderItemFact]) -> None:
        self._upsert(
            amazon_orders, [f.__dict__.copy() for f in facts], ["order_id", "order_item_id"]
        )

    def record_stock(self, notices: Sequence[StockNotice]) -> None:
        self._upsert(
            amazon_stock,
            [
                {
                    "sku": n.sku,
                    "channel": n.channel,
                    "quantity": n.quantity,
                    "event_time": n.event_time,
                }
                for n in notices
            ],
            ["sku", "channel"],
        )

    def stock(self, sku: str, channel: str) -> StockFact | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(
                sa.select(amazon_stock.c.quantity, amazon_stock.c.event_time).where(
                    amazon_stock.c.sku == sku, amazon_stock.c.channel == channel
                )
            ).first()
        return StockFact(row.quantity, row.event_time) if row else None

    def pending_orders(self, sku: str, fulfillment: str) -> list[OrderItemFact]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(amazon_orders)
                .where(
                    amazon_orders.c.sku == sku,
                    amazon_orders.c.fulfillment == fulfillment,
                    amazon_orders.c.order_status.in_(sorted(PENDING_STATUSES)),
                )
                .order_by(amazon_orders.c.order_id)
            ).all()
        facts = [OrderItemFact(**row._mapping) for row in rows]
        return [f for f in facts if f.pending]


class AmazonIntake:
    """Validates a notification, maps it, persists the events, then records the state."""

    def __init__(self, store: Store, submit: Callable[[list[Event]], Any]) -> None:
        self.state = AmazonState(store)
        self.submit = submit
        self._lock = threading.Lock()  # one notification at a time: state read → write
        self.log = get_logger(component="amazon")

    def handle(self, data: Any, *, source: str = "<notification>") -> AmazonResult:
        try:
            notification = amazon.parse_notification(data, source=source)
        except Exception:
            AMAZON_NOTIFICATIONS.labels(_type_label(data), "invalid").inc()
            raise
        with self._lock:
            events, after = self._map(notification, source)
            submitted = self.submit(events)
            after()
        AMAZON_NOTIFICATIONS.labels(notification.type, "accepted").inc()
        ids = [e.id for e in events]
        result = AmazonResult(
            notification.id,
            notification.type,
            ids,
            [i for i in ids if i not in submitted.duplicates],
            list(submitted.duplicates),
        )
        self.log.info(
            "amazon_notification_accepted",
            notification_type=notification.type,
            notification_id=notification.id,
            events=len(ids),
            duplicates=len(result.duplicates),
        )
        return result

    def _map(self, n: Notification, source: str) -> tuple[list[Event], Callable[[], None]]:
        if n.type == "ORDER_CHANGE":
            event, facts = amazon.order_change(n, source=source)
            return [event], lambda: self.state.record_orders(facts)
        if n.type == "SHIPMENT_TRACKING_MILESTONE_CHANGED":
            return [amazon.tracking_update(n, source=source)], lambda: None
        notices = amazon.stock_notices(n)
        events: list[Event] = []
        for notice in notices:
            events.append(amazon.stock_change(n, notice, several=len(notices) > 1, source=source))
            if notice.quantity > 0 or not notice.channel.startswith("MFN:"):
                continue
            pending = self.state.pending_orders(notice.sku, "MFN")
            notify, reason = amazon.zero_stock_verdict(
                notice, self.state.stock(notice.sku, notice.channel), pending
            )
            self.log.info(
                "stock_zero",
                notification_id=n.id,
                channel=notice.channel,
                pending_orders=len({p.order_id for p in pending}),
                notify=notify,
                reason=reason,
            )
            if notify:
                events.extend(amazon.out_of_stock(n, notice, pending, source=source))
        return events, lambda: self.state.record_stock(notices)


def _type_label(data: Any) -> str:
    ntype = (
        data.get("NotificationType") or data.get("notificationType")
        if isinstance(data, dict)
        else None
    )
    return ntype if ntype in amazon.SCHEMA_FILES else "unknown"
