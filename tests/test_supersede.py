"""Threads on the shipped rules, through the real pipeline and store: a restock cancels a
pending out-of-stock notice, a newer logistics status replaces an older one, late arrivals
of older events never go out, and dedupe keeps its reason."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from autoreply.clock import FixedClock
from autoreply.config import load_config
from autoreply.errors import ConfigError
from autoreply.pipeline import Engine
from autoreply.settings import load_settings
from autoreply.store import AttemptResult, Store
from autoreply.worker import InboxWorker
from tests.conftest import EXAMPLES, NOW, REPO, ConfigDir, event_data
from tests.test_store import message


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))


def submit(store: Store, engine: Engine, *events: dict[str, Any]) -> None:
    store.add_events(
        [(e["id"], e["kind"], e["platform"], json.dumps(e)) for e in events], source="test", now=NOW
    )
    InboxWorker(store, lambda: engine, FixedClock(NOW), 100).drain()


def out_of_stock(eid: str, at: str, buyer: str = "b-1", sku: str = "BAG-1") -> dict[str, Any]:
    return event_data(
        id=eid,
        kind="out_of_stock",
        occurred_at=at,
        message=None,
        buyer={"id": buyer, "locale": "es-ES", "country": "ES"},
        order={"id": f"o-{buyer}", "items": [{"sku": sku}]},
        stock={"sku": sku, "available": 0},
    )


def restock(eid: str, at: str, sku: str = "BAG-1", buyer: str | None = None) -> dict[str, Any]:
    data = event_data(
        id=eid,
        kind="restock",
        occurred_at=at,
        message=None,
        order=None,
        stock={"sku": sku, "available": 12},
        buyer={"id": buyer} if buyer else {},
    )
    return data


def logistics(eid: str, at: str, status: str, order: str = "8011") -> dict[str, Any]:
    return event_data(
        id=eid,
        kind="logistics_update",
        occurred_at=at,
        message=None,
        marketplace="FR",
        buyer={"id": "b-3", "locale": "fr-FR", "country": "FR"},
        order={"id": order, "items": [{"sku": "MUG"}]},
        shipment={"status": status},
    )


def status_of(store: Store, event_id: str) -> tuple[str, str | None]:
    rows = [r for r in store.list_messages(limit=1000) if r.event_id == event_id]
    assert len(rows) == 1, f"{len(rows)} messages for {event_id}"
    return rows[0].status, rows[0].status_reason


def test_the_shipped_restock_example_closes_the_out_of_stock_example(
    store: Store, engine: Engine
) -> None:
    """examples/: the restock of BAG-CANVAS-GRN supersedes the pending out-of-stock notice to Ana."""
    oos = json.loads((EXAMPLES / "out-of-stock-aliexpress-brazil.json").read_text())
    back = json.loads((EXAMPLES.parent / "stock" / "restock-aliexpress-brazil.json").read_text())
    submit(store, engine, oos)
    assert status_of(store, oos["id"])[0] == "scheduled"
    submit(store, engine, back)
    status, reason = status_of(store, oos["id"])
    assert status == "superseded"
    assert reason == (
        f"superseded by event {back['id']} (rule restock) in thread "
        "'stock|aliexpress|BAG-CANVAS-GRN|*'"
    )


@pytest.mark.parametrize(
    ("restock_sku", "restock_buyer", "expected"),
    [
        ("BAG-1", None, {"b-1": "superseded", "b-2": "superseded"}),  # a SKU restock: every buyer
        (
            "BAG-1",
            "b-1",
            {"b-1": "superseded", "b-2": "scheduled"},
        ),  # a buyer's restock: only theirs
        ("BAG-2", None, {"b-1": "scheduled", "b-2": "scheduled"}),  # another SKU: nobody
    ],
)
def test_restock_scope(
    store: Store,
    engine: Engine,
    restock_sku: str,
    restock_buyer: str | None,
    expected: dict[str, str],
) -> None:
    """The restock closes exactly the threads its event names."""
    submit(
        store,
        engine,
        out_of_stock("oos-1", "2026-11-22T10:00:00Z", "b-1"),
        out_of_stock("oos-2", "2026-11-22T10:00:00Z", "b-2"),
    )
    submit(store, engine, restock("back", "2026-11-22T11:00:00Z", restock_sku, restock_buyer))
    assert {b: status_of(store, f"oos-{b[-1]}")[0] for b in ("b-1", "b-2")} == expected


def test_an_out_of_stock_event_older_than_the_restock_arriving_late_is_not_sent(
    store: Store, engine: Engine
) -> None:
    """Order of arrival does not matter: an out-of-stock that happened before the restock is superseded on insert."""
    submit(store, engine, restock("back", "2026-11-22T11:00:00Z"))
    submit(
        store,
        engine,
        out_of_stock("late", "2026-11-22T10:00:00Z"),
        out_of_stock("after", "2026-11-22T11:30:00Z", buyer="b-9"),
    )
    status, reason = status_of(store, "late")
    assert status == "superseded" and "event back (rule restock) closed thread" in (reason or "")
    assert status_of(store, "after")[0] == "scheduled"  # out of stock again after the restock


def test_a_newer_logistics_status_replaces_a_pending_older_one(
    store: Store, engine: Engine
) -> None:
    """'delivered' supersedes the unsent 'in transit' notice of the same order, not other orders'."""
    submit(
        store,
        engine,
        logistics("transit", "2026-11-22T08:00:00Z", "in_transit"),
        logistics("other", "2026-11-22T08:00:00Z", "in_transit", order="9999"),
    )
    submit(store, engine, logistics("done", "2026-11-22T09:00:00Z", "delivered"))
    assert status_of(store, "transit")[0] == "superseded"
    assert status_of(store, "other")[0] == "scheduled"
    assert status_of(store, "done")[0] == "scheduled"


def test_an_older_status_arriving_after_a_newer_one_is_never_sent(
    store: Store, engine: Engine
) -> None:
    """A late 'in transit' (it happened before 'delivered') is superseded at once, naming the newer message."""
    submit(store, engine, logistics("done", "2026-11-22T09:00:00Z", "delivered"))
    submit(store, engine, logistics("transit", "2026-11-22T08:00:00Z", "in_transit"))
    status, reason = status_of(store, "transit")
    assert status == "superseded" and "rule logistics-delivered) is about a newer event" in (
        reason or ""
    )
    assert status_of(store, "done")[0] == "scheduled"


def test_a_retry_of_an_older_message_is_superseded_if_a_newer_one_came_meanwhile(
    store: Store,
) -> None:
    """An older status that was being sent when the newer one arrived does not go back in the queue."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("old:r", thread="shipment|x|1", event_at=NOW)], NOW)
    (claimed,) = store.claim_due(now=NOW, limit=1, lease=timedelta(seconds=60), worker="w")
    with store.begin() as conn:
        store.insert_messages(
            conn, [message("new:r", thread="shipment|x|1", event_at=NOW + timedelta(hours=1))], NOW
        )
    store.record_results(
        [AttemptResult(claimed.id, "retry", 503, "busy", NOW, NOW, NOW)], worker="w"
    )
    old = store.get_message("old:r")
    assert old is not None and old.status == "superseded"
    assert store.get_message("new:r").status == "scheduled"  # type: ignore[union-attr]


def test_dedupe_records_which_message_it_repeats(store: Store, engine: Engine) -> None:
    """A second welcome to the same buyer within 24h is suppressed, naming the first message."""
    submit(store, engine, event_data(id="w1"))
    submit(store, engine, event_data(id="w2"))
    first = store.get_message("w1:welcome")
    status, reason = status_of(store, "w2")
    assert first is not None and status == "suppressed"
    assert reason == (
        f"dedupe: message {first.id} ({first.message_id}) has the same key "
        "'welcome|aliexpress|b-1' within 1d"
    )


def test_rules_of_one_thread_must_share_the_key(cfgdir: ConfigDir) -> None:
    """Two rules naming the same thread with different keys is a config error with file:line."""
    cfgdir.write_settings()
    cfgdir.write_template("t", "en", "s", "b")
    cfgdir.write_rules("""
        [[rules]]
        name = "a"
        template = "t"
        [rules.supersede]
        thread = "x"
        key = ["order.id"]

        [[rules]]
        name = "b"
        template = "t"
        [rules.supersede]
        thread = "x"
        key = ["buyer.id"]
    """)
    with pytest.raises(ConfigError) as err:
        cfgdir.config()
    assert (
        f"{cfgdir.rules_file}:13: rules[1].supersede.key: thread 'x' is keyed on ['order.id'] by rule 'a'"
        in str(err.value)
    )
