"""Amazon SP-API notifications → native events. The mapping is documented (and must stay in
step with) ``docs/AMAZON_NOTIFICATIONS.md``.

Every payload is validated against the official JSON Schema of its type (copied unchanged
into ``amazon_schemas/``) before anything is mapped; errors name the JSON path. The mapping
here is pure: the facts it needs from storage (the orders seen so far, the last quantity of a
SKU) are arguments; :mod:`autoreply.sources.amazon_state` fetches and records them.

Event ids derive from the notification's ``NotificationId`` (``amazon-<id>``, plus a suffix
when one notification yields several events), so a redelivered notification is the same
event and the inbox's unique key stores it once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported by validator(): only for an Amazon notification
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError as SchemaError

from autoreply.clock import parse_instant
from autoreply.errors import InputError, Problem
from autoreply.events import Event, parse_event

SCHEMA_DIR = Path(__file__).parent / "amazon_schemas"
SCHEMA_FILES = {
    "ORDER_CHANGE": "OrderChangeNotification.json",
    "SHIPMENT_TRACKING_MILESTONE_CHANGED": "ShipmentTrackingMilestoneChangedNotification.json",
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE": "ListingsItemMfnQuantityChange.json",
    "FBA_INVENTORY_AVAILABILITY_CHANGES": "FBAInventoryAvailabilityChangeNotification.json",
}
SUPPORTED = tuple(SCHEMA_FILES)

#: Amazon marketplace id → ISO country code (the event's ``marketplace`` and buyer country).
MARKETPLACES = {
    "ATVPDKIKX0DER": "US",
    "A2EUQ1WTGCTBG2": "CA",
    "A1AM78C64UM0Y8": "MX",
    "A2Q3Y263D00KWC": "BR",
    "A1RKKUPIHCS9HS": "ES",
    "A1F83G8C2ARO7P": "GB",
    "A13V1IB3VIYZZH": "FR",
    "AMEN7PMS3EDWL": "BE",
    "A1805IZSGTT6HS": "NL",
    "A1PA6795UKMFR9": "DE",
    "APJ6JRA9NG5V4": "IT",
    "A2NODRKZP88ZB9": "SE",
    "A1C3SOZRARQ6R3": "PL",
    "A28R8C7NBKEWEA": "IE",
    "AE08WJ6YKNBMC": "ZA",
    "ARBP9OOSHTCHU": "EG",
    "A33AVAJ2PDY3EV": "TR",
    "A17E79C6D8DWNP": "SA",
    "A2VIGQ35RCS4UG": "AE",
    "A21TJRUUN4KGV": "IN",
    "A19VAU5U5O7RUS": "SG",
    "A39IBJ37TRP1C6": "AU",
    "A1VC38T7YXB528": "JP",
}

#: ORDER_CHANGE ``OrderStatus`` → ``order.status``
ORDER_STATUS = {
    "Pending": "pending",
    "Unshipped": "unshipped",
    "PartiallyShipped": "partially_shipped",
    "Shipped": "shipped",
    "Canceled": "cancelled",
    "Unfulfillable": "unfulfillable",
    "InvoiceUnconfirmed": "invoice_unconfirmed",
    "PendingAvailability": "pending_availability",
}
#: order statuses whose unshipped items still wait for stock
PENDING_STATUSES = frozenset({"Pending", "Unshipped", "PartiallyShipped", "PendingAvailability"})

#: tracking milestone ``status.code`` → ``shipment.status`` (unknown codes: lower snake case)
MILESTONES = {
    "PENDING": "pending",
    "ORDER_PREPARING": "preparing",
    "INFO_RECEIVED": "info_received",
    "CARRIER_ASSIGNED": "carrier_assigned",
    "SHIPPED": "shipped",
    "IN_TRANSIT": "in_transit",
    "OUT_FOR_DELIVERY": "out_for_delivery",
    "AVAILABLE_FOR_PICKUP": "available_for_pickup",
    "DELIVERY_ATTEMPTED": "delivery_attempted",
    "DELIVERED": "delivered",
    "DELAYED": "delayed",
    "EXCEPTION": "exception",
    "UNDELIVERABLE": "undeliverable",
    "LOST": "lost",
    "RETURN_TO_SENDER": "returning",
    "RETURNING_TO_SELLER": "returning",
    "RETURNED_TO_SELLER": "returned",
    "CUSTOMER_ACTION": "customer_action",
}
#: milestones that happen at the buyer's address: their location is the buyer's
AT_DESTINATION = frozenset(
    {"out_for_delivery", "available_for_pickup", "delivery_attempted", "delivered"}
)


@dataclass(frozen=True)
class Notification:
    type: str
    id: str
    event_time: datetime
    data: dict[str, Any]

    @property
    def event_id(self) -> str:
        return f"amazon-{self.id}"


@dataclass(frozen=True)
class OrderItemFact:
    """One order line as the last ORDER_CHANGE told it (a row of ``amazon_orders``)."""

    order_id: str
    order_item_id: str
    sku: str
    marketplace_id: str | None
    fulfillment: str | None
    order_status: str
    item_status: str | None
    quantity: int
    quantity_shipped: int
    cancel_requested: bool
    purchase_date: datetime | None
    postal_code: str | None
    latest_delivery: datetime | None
    event_time: datetime

    @property
    def open_units(self) -> int:
        return max(self.quantity - self.quantity_shipped, 0)

    @property
    def pending(self) -> bool:
        return (
            self.order_status in PENDING_STATUSES
            and self.item_status != "Shipped"
            and self.open_units > 0
            and not self.cancel_requested
        )


@dataclass(frozen=True)
class StockNotice:
    """A quantity a notification reports for one SKU on one channel."""

    sku: str
    channel: str  # "MFN:<FulfillmentChannelCode>" or "AFN:<MarketplaceId>"
    quantity: int
    marketplace_id: str | None
    event_time: datetime


@dataclass(frozen=True)
class StockFact:
    quantity: int
    event_time: datetime


# --------------------------------------------------------------------------- validation
@functools.cache
def validator(notification_type: str) -> Draft7Validator:
    from jsonschema import Draft7Validator

    schema = json.loads((SCHEMA_DIR / SCHEMA_FILES[notification_type]).read_text(encoding="utf-8"))
    if "$ref" in schema and not schema.get("definitions"):
        supplement = SCHEMA_DIR / SCHEMA_FILES[notification_type].replace(
            ".json", ".definitions.json"
        )
        schema["definitions"] = json.loads(supplement.read_text(encoding="utf-8"))["definitions"]
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _json_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_problem(error: SchemaError, source: str) -> Problem:
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return Problem(message, file=source, path=_json_path(error.absolute_path) or None)


def _get(data: Any, *names: str) -> Any:
    """The first of ``names`` in ``data`` (ORDER_CHANGE is PascalCase, tracking camelCase)."""
    if isinstance(data, dict):
        for name in names:
            if name in data:
                return data[name]
    return None


def _instant(value: Any, path: str, source: str) -> datetime:
    try:
        return parse_instant(str(value))
    except (ValueError, TypeError, OverflowError):
        raise InputError(
            [
                Problem(
                    f"not an ISO 8601 instant with offset: {str(value)[:60]!r}",
                    file=source,
                    path=path,
                )
            ]
        ) from None


def _maybe_instant(value: Any) -> datetime | None:
    try:
        return parse_instant(str(value)) if value else None
    except (ValueError, TypeError, OverflowError):
        return None


def parse_notification(data: Any, *, source: str = "<notification>") -> Notification:
    """Validate one notification against the official schema of its type."""
    if not isinstance(data, dict):
        raise InputError([Problem("a notification must be a JSON object", file=source)])
    ntype = _get(data, "NotificationType", "notificationType")
    if ntype not in SCHEMA_FILES:
        shown = "missing" if ntype is None else f"unsupported notification type {str(ntype)[:80]!r}"
        raise InputError(
            [
                Problem(
                    f"{shown} (supported: {', '.join(SUPPORTED)})",
                    file=source,
                    path="NotificationType",
                )
            ]
        )
    errors = sorted(
        validator(ntype).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    if errors:
        raise InputError([_schema_problem(e, source) for e in errors[:50]])
    for name in (("EventTime", "eventTime"), ("Payload", "payload")):
        if _get(data, *name) is None:
            raise InputError([Problem("required property missing", file=source, path=name[0])])
    event_time = _instant(_get(data, "EventTime", "eventTime"), "EventTime", source)
    meta = _get(data, "NotificationMetadata", "notificationMetadata")
    nid = _get(meta, "NotificationId", "notificationId")
    if not isinstance(nid, str) or not nid.strip() or len(nid) > 150:
        # no usable id (FBA's schema does not require the metadata): the content is the identity
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        nid = (
            "sha256-" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        )
    return Notification(type=ntype, id=nid.strip(), event_time=event_time, data=data)


def build_event(data: dict[str, Any], source: str) -> Event:
    """A native event from mapped data, validated like any other (errors name the field)."""
    return parse_event(_drop_none(data), source=source, prefix="mapped event")


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _short(value: Any, limit: int) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= limit else None


def buyer_of_order(
    order_id: str, marketplace_id: str | None, postal_code: str | None
) -> dict[str, Any]:
    """Amazon discloses no buyer id: the buyer is known as the buyer of an order."""
    return {
        "id": f"amazon-order:{order_id}",
        "country": MARKETPLACES.get(marketplace_id or ""),
        "postal_code": _short(postal_code, 20),
    }


# --------------------------------------------------------------------------- ORDER_CHANGE
def order_change(
    n: Notification, *, source: str = "<notification>"
) -> tuple[Event, list[OrderItemFact]]:
    """ORDER_CHANGE → ``order_change`` (or ``cancellation_requested``) and the order's lines."""
    body = n.data["Payload"]["OrderChangeNotification"]
    summary = body["Summary"]
    trigger = body["OrderChangeTrigger"]
    order_id = body["AmazonOrderId"]
    marketplace_id = summary["MarketplaceId"]
    purchase = _maybe_instant(summary.get("PurchaseDate"))
    latest = _maybe_instant(summary.get("LatestDeliveryDate"))
    earliest = _maybe_instant(summary.get("EarliestDeliveryDate"))
    items = summary.get("OrderItems") or []
    cancel = any(item.get("IsBuyerRequestedCancel") for item in items) or (
        body["OrderChangeType"] == "BuyerRequestedChange"
        and "cancel" in str(trigger.get("ChangeReason", "")).lower()
    )
    occurred = _maybe_instant(trigger.get("TimeOfOrderChange")) or n.event_time
    event = build_event(
        {
            "id": n.event_id,
            "kind": "cancellation_requested" if cancel else "order_change",
            "platform": "amazon",
            "marketplace": MARKETPLACES.get(marketplace_id),
            "occurred_at": occurred.isoformat(),
            "buyer": buyer_of_order(order_id, marketplace_id, summary.get("DestinationPostalCode")),
            "order": {
                "id": order_id,
                "placed_at": purchase.isoformat() if purchase else None,
                "status": ORDER_STATUS.get(summary["OrderStatus"]),
                "items": [
                    {"sku": item["SellerSKU"], "quantity": max(int(item["Quantity"]), 0)}
                    for item in items
                ],
                "estimated_delivery": _date(earliest),
                "latest_delivery": _date(latest),
            },
        },
        source,
    )
    facts = [
        OrderItemFact(
            order_id=order_id,
            order_item_id=str(item["OrderItemId"]),
            sku=item["SellerSKU"],
            marketplace_id=marketplace_id,
            fulfillment=summary.get("FulfillmentType"),
            order_status=summary["OrderStatus"],
            item_status=item.get("OrderItemStatus"),
            quantity=int(item["Quantity"]),
            quantity_shipped=int(item.get("QuantityShipped") or 0),
            cancel_requested=bool(item.get("IsBuyerRequestedCancel")),
            purchase_date=purchase,
            postal_code=_short(summary.get("DestinationPostalCode"), 20),
            latest_delivery=latest,
            event_time=n.event_time,
        )
        for item in items
    ]
    return event, facts


# --------------------------------------------------------------------------- tracking
def milestone_status(code: str) -> str:
    if code in MILESTONES:
        return MILESTONES[code]
    slug = re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")
    return slug[:64] if slug and slug[0].isalpha() else "unknown"


def tracking_update(n: Notification, *, source: str = "<notification>") -> Event:
    """SHIPMENT_TRACKING_MILESTONE_CHANGED → ``logistics_update`` with ``shipment.status``."""
    detail = n.data["payload"]["shipmentTrackingMilestoneChangedNotification"]["trackingDetail"]
    latest = detail["latestMilestone"]
    status = milestone_status(latest["status"]["code"])
    occurred = _instant(latest["occurredAt"], "payload.….latestMilestone.occurredAt", source)
    identifier = detail["identifier"]
    order_id = _get(identifier, "amazonOrderId", "orderId")
    tracking = _get(identifier, "aftn", "trackingNumber", "trackingId") or next(
        iter(identifier.values())
    )
    eta = None
    for estimate in detail.get("trackingEstimates") or []:
        if estimate.get("type") == "ESTIMATED_DELIVERY_DATE":
            interval = estimate.get("estimatedInterval") or {}
            eta = _maybe_instant(interval.get("endTime") or interval.get("startTime"))
    buyer: dict[str, Any] = {}
    if order_id:
        buyer["id"] = f"amazon-order:{order_id}"
    address = (latest.get("location") or {}).get("address") or {}
    if status in AT_DESTINATION:
        country = address.get("countryCode")
        buyer.update(
            {
                "country": country if isinstance(country, str) and len(country) == 2 else None,
                "region": _short(address.get("region"), 100),
                "city": _short(address.get("city"), 100),
                "postal_code": _short(address.get("postalCode"), 20),
            }
        )
    return build_event(
        {
            "id": n.event_id,
            "kind": "logistics_update",
            "platform": "amazon",
            "occurred_at": occurred.isoformat(),
            "buyer": buyer,
            "order": {"id": order_id} if isinstance(order_id, str) and order_id else None,
            "shipment": {
                "carrier": _short(_get(identifier, "carrier", "carrierName"), 100),
                "tracking_number": _short(tracking, 100),
                "status": status,
                "eta": _date(eta),
                "delivered_at": occurred.isoformat() if status == "delivered" else None,
            },
        },
        source,
    )


# --------------------------------------------------------------------------- stock
def stock_notices(n: Notification) -> list[StockNotice]:
    """The quantities an MFN or FBA notification reports (FBA: one per marketplace)."""
    payload = n.data["Payload"]
    if n.type == "LISTINGS_ITEM_MFN_QUANTITY_CHANGE":
        return [
            StockNotice(
                sku=payload["Sku"],
                channel=f"MFN:{payload['FulfillmentChannelCode']}",
                quantity=int(payload["Quantity"]),
                marketplace_id=None,
                event_time=n.event_time,
            )
        ]
    return [
        StockNotice(
            sku=payload["SKU"],
            channel=f"AFN:{entry['MarketplaceId']}",
            quantity=int(entry["FulfillmentInventory"]["Fulfillable"]),
            marketplace_id=entry["MarketplaceId"],
            event_time=n.event_time,
        )
        for entry in payload["FulfillmentInventoryByMarketplace"]
    ]


def stock_change(
    n: Notification, notice: StockNotice, *, several: bool, source: str = "<notification>"
) -> Event:
    """Every quantity notice → one ``stock_change`` event with no buyer (rules may alert on it)."""
    suffix = f"-{notice.marketplace_id}" if several and notice.marketplace_id else ""
    return build_event(
        {
            "id": f"{n.event_id}{suffix}",
            "kind": "stock_change",
            "platform": "amazon",
            "marketplace": MARKETPLACES.get(notice.marketplace_id or ""),
            "occurred_at": n.event_time.isoformat(),
            "stock": {"sku": notice.sku, "available": notice.quantity},
        },
        source,
    )


def zero_stock_verdict(
    notice: StockNotice, previous: StockFact | None, pending: Sequence[OrderItemFact]
) -> tuple[bool, str]:
    """Whether a quantity notice means the SKU's pending orders may go unfulfilled, and why.

    Amazon lowers an MFN quantity by itself when an order is placed, so a quantity falling to
    zero because of orders is a sell-out, not a shortage: those orders have their units. Only
    a fall that the orders placed since the last quantity do not explain (stock counted down,
    sold elsewhere) leaves the pending orders without stock.
    """
    if not notice.channel.startswith("MFN:"):
        return False, "fba_reserves_stock_for_orders"
    if notice.quantity > 0:
        return False, "in_stock"
    if previous is None:
        return False, "previous_quantity_unknown"
    if notice.event_time <= previous.event_time:
        return False, "stale_notification"
    if previous.quantity <= 0:
        return False, "already_out_of_stock"
    open_orders = [fact for fact in pending if fact.pending]
    if not open_orders:
        return False, "no_pending_orders"
    sold_since = sum(
        f.open_units
        for f in open_orders
        if f.purchase_date is not None and f.purchase_date > previous.event_time
    )
    if sold_since >= previous.quantity:
        return False, "sold_out_by_orders"
    return True, "stock_fell_to_zero"


def out_of_stock(
    n: Notification,
    notice: StockNotice,
    pending: Sequence[OrderItemFact],
    *,
    source: str = "<notification>",
) -> list[Event]:
    """One ``out_of_stock`` event per pending order holding the SKU."""
    by_order: dict[str, list[OrderItemFact]] = {}
    for fact in pending:
        if fact.pending and fact.sku == notice.sku:
            by_order.setdefault(fact.order_id, []).append(fact)
    events = []
    for order_id, facts in sorted(by_order.items()):
        first = facts[0]
        events.append(
            build_event(
                {
                    "id": f"{n.event_id}-{order_id}",
                    "kind": "out_of_stock",
                    "platform": "amazon",
                    "marketplace": MARKETPLACES.get(first.marketplace_id or ""),
                    "occurred_at": n.event_time.isoformat(),
                    "buyer": buyer_of_order(order_id, first.marketplace_id, first.postal_code),
                    "order": {
                        "id": order_id,
                        "status": ORDER_STATUS.get(first.order_status),
                        "placed_at": first.purchase_date.isoformat()
                        if first.purchase_date
                        else None,
                        "items": [{"sku": f.sku, "quantity": f.open_units} for f in facts],
                        "latest_delivery": _date(first.latest_delivery),
                    },
                    "stock": {"sku": notice.sku, "available": notice.quantity},
                },
                source,
            )
        )
    return events


def example_payloads() -> dict[str, list[dict[str, Any]]]:
    """The official examples of each schema (FBA's schema has only per-property examples:
    its example is assembled from them)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for ntype, name in SCHEMA_FILES.items():
        schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        examples = list(schema.get("examples") or [])
        if not examples:
            props = schema["properties"]
            example = {
                key: props[key]["examples"][0] for key in props if props[key].get("examples")
            }
            example["NotificationType"] = ntype
            examples = [example]
        out[ntype] = examples
    return out
