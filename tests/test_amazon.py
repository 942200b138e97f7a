"""Amazon SP-API notifications: official schemas, official examples as golden fixtures, and the
state that turns a quantity falling to zero into out-of-stock events for pending orders."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from autoreply.errors import InputError
from autoreply.events import Event
from autoreply.sources import amazon
from autoreply.sources.amazon_state import AmazonIntake
from autoreply.store import Store
from tests.conftest import SHARED

REFERENCE = SHARED / "reference" / "amazon-sp-api"
EXAMPLES = amazon.example_payloads()

# official example → the documented event(s) (docs/AMAZON_NOTIFICATIONS.md), as to_json() dicts
GOLDEN: dict[str, list[dict[str, Any]]] = {
    "ORDER_CHANGE": [
        {
            "id": "amazon-d0e9e693-c3ad-4373-979f-ed4ec98dd746",
            "kind": "cancellation_requested",
            "platform": "amazon",
            "marketplace": "US",
            "occurred_at": "2022-11-29T19:42:04.284000Z",
            "buyer": {
                "id": "amazon-order:903-8868176-2219830",
                "country": "US",
                "postal_code": "48110",
                "opted_out": False,
            },
            "order": {
                "id": "903-8868176-2219830",
                "placed_at": "2022-07-13T19:42:04.284000Z",
                "status": "unshipped",
                "items": [{"sku": "SellerSKUID1", "quantity": 10}],
                "estimated_delivery": "2022-11-07",
                "latest_delivery": "2022-12-07",
            },
        }
    ],
    "SHIPMENT_TRACKING_MILESTONE_CHANGED": [
        {
            "id": "amazon-6712e8e5-b365-4cb1-9fd8-be9dfc6d5bda",
            "kind": "logistics_update",
            "platform": "amazon",
            "occurred_at": "2026-06-14T01:26:56Z",
            "buyer": {"country": "US", "region": "Texas", "city": "Austin", "opted_out": False},
            "shipment": {
                "tracking_number": "AFTN987654321",
                "status": "delivered",
                "eta": "2026-06-14",
                "delivered_at": "2026-06-14T01:26:56Z",
            },
        }
    ],
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE": [
        {
            "id": "amazon-8e009934-da2c-4f9c-9bc7-93f23b7e1f60",
            "kind": "stock_change",
            "platform": "amazon",
            "occurred_at": "2021-02-03T18:59:30.194000Z",
            "buyer": {"opted_out": False},
            "stock": {"sku": "NLS-SHOES-03", "available": 99},
        }
    ],
    "FBA_INVENTORY_AVAILABILITY_CHANGES": [
        {
            "kind": "stock_change",
            "platform": "amazon",
            "marketplace": "US",
            "occurred_at": "2020-07-13T19:42:04.284000Z",
            "buyer": {"opted_out": False},
            "stock": {"sku": "SELLERSKU-1", "available": 50},
        },
        {
            "kind": "stock_change",
            "platform": "amazon",
            "marketplace": "CA",
            "occurred_at": "2020-07-13T19:42:04.284000Z",
            "buyer": {"opted_out": False},
            "stock": {"sku": "SELLERSKU-1", "available": 40},
        },
    ],
}


class Inbox:
    """Collects what the intake submits, answering like Daemon.submit (ids seen before are
    duplicates)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.events: list[Event] = []

    def __call__(self, events: list[Event]) -> Any:
        from autoreply.daemon import SubmitResult
        from tests.conftest import NOW

        new = set(
            self.store.add_events(
                [(e.id, e.kind, e.platform, e.to_json()) for e in events], source="amazon", now=NOW
            )
        )
        self.events.extend(e for e in events if e.id in new)
        return SubmitResult([e.id for e in events], [e.id for e in events if e.id not in new])


def mapped(ntype: str, example: dict[str, Any]) -> list[dict[str, Any]]:
    n = amazon.parse_notification(example)
    if ntype == "ORDER_CHANGE":
        events = [amazon.order_change(n)[0]]
    elif ntype == "SHIPMENT_TRACKING_MILESTONE_CHANGED":
        events = [amazon.tracking_update(n)]
    else:
        notices = amazon.stock_notices(n)
        events = [amazon.stock_change(n, x, several=len(notices) > 1) for x in notices]
    return [json.loads(e.to_json()) for e in events]


@pytest.mark.parametrize("ntype", amazon.SUPPORTED)
def test_each_official_example_maps_to_the_documented_event(ntype: str) -> None:
    """The schema's own example payload validates and maps to the event docs/AMAZON_NOTIFICATIONS.md
    shows."""
    (example,) = EXAMPLES[ntype]
    got = mapped(ntype, example)
    if ntype == "FBA_INVENTORY_AVAILABILITY_CHANGES":  # no NotificationId: the id is a content hash
        assert [g.pop("id") for g in got] == [
            f"amazon-{amazon.parse_notification(example).id}-{m}"
            for m in ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2")
        ]
    assert got == GOLDEN[ntype]


@pytest.mark.parametrize("ntype", amazon.SUPPORTED)
def test_the_bundled_schemas_are_the_official_ones_unchanged(ntype: str) -> None:
    """The schemas shipped in the package are byte-for-byte the official reference copies."""
    name = amazon.SCHEMA_FILES[ntype]
    assert (amazon.SCHEMA_DIR / name).read_bytes() == (REFERENCE / name).read_bytes()


@pytest.mark.parametrize("ntype", amazon.SUPPORTED)
def test_a_redelivered_notification_is_the_same_event(ntype: str) -> None:
    """Mapping a notification twice yields the same ids: the inbox stores it once."""
    (example,) = EXAMPLES[ntype]
    assert mapped(ntype, example) == mapped(ntype, copy.deepcopy(example))


@pytest.mark.parametrize(
    ("ntype", "mutate", "path", "fragment"),
    [
        (
            "ORDER_CHANGE",
            lambda d: d["Payload"]["OrderChangeNotification"]["Summary"].update(OrderStatus="Lost"),
            "Payload.OrderChangeNotification.Summary.OrderStatus",
            "is not one of",
        ),
        (
            "ORDER_CHANGE",
            lambda d: d["Payload"]["OrderChangeNotification"].pop("AmazonOrderId"),
            "Payload.OrderChangeNotification",
            "'AmazonOrderId' is a required property",
        ),
        (
            "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
            lambda d: d["Payload"].update(Quantity="many"),
            "Payload.Quantity",
            "is not of type 'integer'",
        ),
        (
            "SHIPMENT_TRACKING_MILESTONE_CHANGED",
            lambda d: d["payload"]["shipmentTrackingMilestoneChangedNotification"][
                "trackingDetail"
            ].pop("latestMilestone"),
            "payload.shipmentTrackingMilestoneChangedNotification.trackingDetail",
            "'latestMilestone' is a required",
        ),
        (
            "FBA_INVENTORY_AVAILABILITY_CHANGES",
            lambda d: d["Payload"].pop("SKU"),
            "Payload",
            "'SKU' is a required property",
        ),
        (
            "ORDER_CHANGE",
            lambda d: d.update(NotificationType="ANY_OFFER_CHANGED"),
            "NotificationType",
            "unsupported notification type 'ANY_OFFER_CHANGED'",
        ),
    ],
)
def test_an_invalid_notification_is_refused_naming_the_json_path(
    ntype: str, mutate: Any, path: str, fragment: str
) -> None:
    """A payload that breaks the official schema is an error naming the field, not an event."""
    data = copy.deepcopy(EXAMPLES[ntype][0])
    mutate(data)
    with pytest.raises(InputError) as err:
        amazon.parse_notification(data)
    assert any(p.path == path and fragment in p.message for p in err.value.problems), (
        err.value.problems
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("OUT_FOR_DELIVERY", "out_for_delivery"),
        ("IN_TRANSIT", "in_transit"),
        ("DELAYED", "delayed"),
        ("EXCEPTION", "exception"),
        ("DELIVERY_ATTEMPTED", "delivery_attempted"),
        ("LOST", "lost"),
        ("UNDELIVERABLE", "undeliverable"),
        ("RETURN_TO_SENDER", "returning"),
        ("SHIPPED", "shipped"),
        ("Some New-Code", "some_new_code"),
        ("42", "unknown"),
    ],
)
def test_tracking_milestones_use_our_shipment_status_vocabulary(code: str, status: str) -> None:
    """A milestone code becomes the shipment.status rules match on (unknown codes too)."""
    data = copy.deepcopy(EXAMPLES["SHIPMENT_TRACKING_MILESTONE_CHANGED"][0])
    detail = data["payload"]["shipmentTrackingMilestoneChangedNotification"]["trackingDetail"]
    detail["latestMilestone"]["status"] = {"code": code}
    event = amazon.tracking_update(amazon.parse_notification(data))
    assert event.kind == "logistics_update" and event.shipment is not None
    assert event.shipment.status == status
    assert (event.shipment.delivered_at is not None) == (status == "delivered")


def test_an_order_change_without_cancellation_is_an_order_change() -> None:
    """A status change that is not a buyer's cancellation request maps to order_change with our
    status."""
    data = copy.deepcopy(EXAMPLES["ORDER_CHANGE"][0])
    body = data["Payload"]["OrderChangeNotification"]
    body["OrderChangeType"] = "OrderStatusChange"
    body["OrderChangeTrigger"]["ChangeReason"] = "Order shipped"
    body["Summary"]["OrderStatus"] = "PartiallyShipped"
    body["Summary"]["OrderItems"][0]["IsBuyerRequestedCancel"] = False
    event, _ = amazon.order_change(amazon.parse_notification(data))
    assert (event.kind, event.order and event.order.status) == ("order_change", "partially_shipped")


# --------------------------------------------------------------------------- zero stock
def order_change(
    order_id: str,
    sku: str,
    *,
    nid: str,
    event_time: str,
    purchase: str,
    status: str = "Unshipped",
    quantity: int = 1,
    cancel: bool = False,
) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLES["ORDER_CHANGE"][0])
    data["EventTime"] = event_time
    data["NotificationMetadata"]["NotificationId"] = nid
    body = data["Payload"]["OrderChangeNotification"]
    body.update(AmazonOrderId=order_id, OrderChangeType="OrderStatusChange")
    body["OrderChangeTrigger"]["ChangeReason"] = "new order"
    body["Summary"].update(OrderStatus=status, PurchaseDate=purchase, FulfillmentType="MFN")
    body["Summary"]["OrderItems"] = [
        {
            "OrderItemId": f"{order_id}-1",
            "SellerSKU": sku,
            "SupplySourceId": None,
            "OrderItemStatus": "Unshipped",
            "Quantity": quantity,
            "QuantityShipped": 0,
            "IsBuyerRequestedCancel": cancel,
        }
    ]
    return data


def quantity(sku: str, qty: int, *, nid: str, event_time: str) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLES["LISTINGS_ITEM_MFN_QUANTITY_CHANGE"][0])
    data["EventTime"] = event_time
    data["NotificationMetadata"]["NotificationId"] = nid
    data["Payload"].update(Sku=sku, Quantity=qty)
    return data


def out_of_stock(inbox: Inbox) -> list[str]:
    return sorted(e.id for e in inbox.events if e.kind == "out_of_stock")


def test_stock_counted_down_to_zero_tells_each_pending_order(store: Store) -> None:
    """When a SKU falls to zero without orders explaining it, each pending order gets one
    out_of_stock event."""
    inbox = Inbox(store)
    intake = AmazonIntake(store, inbox)
    intake.handle(
        order_change(
            "111-1",
            "MUG",
            nid="o1",
            event_time="2026-11-20T10:00:00Z",
            purchase="2026-11-20T09:59:00Z",
        )
    )
    intake.handle(
        order_change(
            "111-2",
            "MUG",
            nid="o2",
            event_time="2026-11-20T10:05:00Z",
            purchase="2026-11-20T10:04:00Z",
            quantity=2,
        )
    )
    intake.handle(
        order_change(
            "111-3",
            "MUG",
            nid="o3",
            event_time="2026-11-20T10:06:00Z",
            purchase="2026-11-20T10:05:00Z",
            cancel=True,
        )
    )
    intake.handle(
        order_change(
            "111-4",
            "TEA",
            nid="o4",
            event_time="2026-11-20T10:06:00Z",
            purchase="2026-11-20T10:05:00Z",
        )
    )
    intake.handle(quantity("MUG", 5, nid="q1", event_time="2026-11-20T11:00:00Z"))
    result = intake.handle(quantity("MUG", 0, nid="q2", event_time="2026-11-20T12:00:00Z"))
    assert out_of_stock(inbox) == ["amazon-q2-111-1", "amazon-q2-111-2"]
    assert result.events == ["amazon-q2", "amazon-q2-111-1", "amazon-q2-111-2"]
    event = next(e for e in inbox.events if e.id == "amazon-q2-111-2")
    assert event.buyer.id == "amazon-order:111-2" and event.stock is not None
    assert (event.stock.sku, event.stock.available) == ("MUG", 0)
    assert [(i.sku, i.quantity) for i in event.order.items] == [("MUG", 2)]  # type: ignore[union-attr]
    again = intake.handle(quantity("MUG", 0, nid="q2", event_time="2026-11-20T12:00:00Z"))
    assert again.new == [] and out_of_stock(inbox) == ["amazon-q2-111-1", "amazon-q2-111-2"]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # the last unit was bought: the order that took it is not out of stock
        (
            [
                ("order", "222-1", "2026-11-20T11:30:00Z"),
                ("qty", 1, "2026-11-20T11:00:00Z"),
                ("qty", 0, "2026-11-20T12:00:00Z"),
            ],
            [],
        ),
        # a zero we cannot compare with anything (first notification seen for the SKU)
        ([("order", "222-1", "2026-11-20T09:00:00Z"), ("qty", 0, "2026-11-20T12:00:00Z")], []),
        # zero again: it did not fall
        (
            [
                ("order", "222-1", "2026-11-20T09:00:00Z"),
                ("qty", 0, "2026-11-20T11:00:00Z"),
                ("qty", 0, "2026-11-20T12:00:00Z"),
            ],
            [],
        ),
        # a late, older notification cannot pretend the stock fell
        (
            [
                ("order", "222-1", "2026-11-20T09:00:00Z"),
                ("qty", 4, "2026-11-20T12:00:00Z"),
                ("qty", 0, "2026-11-20T11:00:00Z"),
            ],
            [],
        ),
        # the order shipped since: nothing pending
        (
            [
                ("order", "222-1", "2026-11-20T09:00:00Z"),
                ("shipped", "222-1", "2026-11-20T09:00:00Z"),
                ("qty", 4, "2026-11-20T11:00:00Z"),
                ("qty", 0, "2026-11-20T12:00:00Z"),
            ],
            [],
        ),
        # stock vanished beyond what orders explain
        (
            [
                ("order", "222-1", "2026-11-20T09:00:00Z"),
                ("qty", 4, "2026-11-20T11:00:00Z"),
                ("qty", 0, "2026-11-20T12:00:00Z"),
            ],
            ["222-1"],
        ),
    ],
)
def test_only_a_fall_to_zero_that_orders_do_not_explain_is_out_of_stock(
    store: Store, steps: list[tuple[Any, ...]], expected: list[str]
) -> None:
    """Sell-outs, unknown or repeated zeros, stale notifications and shipped orders produce no
    out_of_stock."""
    inbox = Inbox(store)
    intake = AmazonIntake(store, inbox)
    for n, (what, value, at) in enumerate(steps):
        if what == "order":
            intake.handle(order_change(value, "LAMP", nid=f"s{n}", event_time=at, purchase=at))
        elif what == "shipped":
            intake.handle(
                order_change(
                    value,
                    "LAMP",
                    nid=f"s{n}",
                    event_time="2026-11-20T10:30:00Z",
                    purchase=at,
                    status="Shipped",
                )
            )
        else:
            intake.handle(quantity("LAMP", value, nid=f"s{n}", event_time=at))
    assert [e.order.id for e in inbox.events if e.kind == "out_of_stock"] == expected  # type: ignore[union-attr]


def test_an_older_order_change_does_not_roll_the_order_back(store: Store) -> None:
    """A late, older ORDER_CHANGE does not make a shipped order pending again."""
    inbox = Inbox(store)
    intake = AmazonIntake(store, inbox)
    intake.handle(
        order_change(
            "333-1",
            "CUP",
            nid="a",
            event_time="2026-11-20T10:00:00Z",
            purchase="2026-11-20T09:00:00Z",
            status="Shipped",
        )
    )
    intake.handle(
        order_change(
            "333-1",
            "CUP",
            nid="b",
            event_time="2026-11-20T09:30:00Z",
            purchase="2026-11-20T09:00:00Z",
        )
    )
    assert intake.state.pending_orders("CUP", "MFN") == []
