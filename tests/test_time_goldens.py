"""Golden send times at the DST transitions of Europe and the US, with the shipped config.

The same table is in docs/TIME.md ("DST goldens"); `autoreply preview EVENT --now OCCURRED_AT`
shows each of them.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from autoreply.clock import parse_instant
from autoreply.config import load_config
from autoreply.events import parse_events
from autoreply.pipeline import Engine
from autoreply.settings import load_settings
from tests.conftest import REPO, event_data

BUYERS = {
    "madrid": {"id": "b-es", "country": "ES", "postal_code": "28013", "locale": "es-ES"},
    "london": {"id": "b-gb", "country": "GB", "postal_code": "SW1A 1AA", "locale": "en-GB"},
    "new_york": {"id": "b-ny", "country": "US", "postal_code": "10001", "locale": "en-US"},
    "chicago": {"id": "b-tx", "country": "US", "region": "TX", "postal_code": "78201", "locale": "en-US"},
    "el_paso": {"id": "b-ep", "country": "US", "region": "TX", "postal_code": "79901", "locale": "es-US"},
}
# (case, buyer, kind + status, occurred_at = now) → (send_at buyer-local, send_at_utc, moved by)
GOLDENS = [
    ("EU spring: delivered 23:30 CET + 2h lands in the night, DST starts; opens 09:00 CEST",
     "madrid", "delivered", "2026-03-28T22:30:00Z", "2026-03-29T09:00:00+02:00", "2026-03-29T07:00:00Z",
     ["window"]),
    ("EU spring: shipped 20:55 CEST + 10m is after 21:00; next day 09:00 CEST",
     "madrid", "shipped", "2026-03-29T18:55:00Z", "2026-03-30T09:00:00+02:00", "2026-03-30T07:00:00Z",
     ["window"]),
    ("EU autumn: delivered 20:30 BST + 2h; after the fall-back the window opens 09:00 GMT",
     "london", "delivered", "2026-10-24T19:30:00Z", "2026-10-25T09:00:00+00:00", "2026-10-25T09:00:00Z",
     ["window"]),
    ("EU autumn: delayed at 10:00 CET on the fall-back day is inside the window",
     "madrid", "delayed", "2026-10-25T09:00:00Z", "2026-10-25T10:00:00+01:00", "2026-10-25T09:00:00Z",
     []),
    ("US spring: shipped 01:00 EST + 10m, clocks jump at 02:00; opens 09:00 EDT",
     "new_york", "shipped", "2026-03-08T06:00:00Z", "2026-03-08T09:00:00-04:00", "2026-03-08T13:00:00Z",
     ["window"]),
    ("US spring: a welcome reply at 03:30 MDT just after the jump goes at once",
     "el_paso", "welcome", "2026-03-08T09:30:00Z", "2026-03-08T03:30:00-06:00", "2026-03-08T09:30:00Z",
     []),
    ("US autumn: delivered 00:00 CDT + 2h = the second 01:00 (CST); opens 09:00 CST",
     "chicago", "delivered", "2026-11-01T05:00:00Z", "2026-11-01T09:00:00-06:00", "2026-11-01T15:00:00Z",
     ["window"]),
    ("US autumn: delayed in the repeated hour (01:30 EST, second time); opens 09:00 EST",
     "new_york", "delayed", "2026-11-01T06:30:00Z", "2026-11-01T09:00:00-05:00", "2026-11-01T14:00:00Z",
     ["window"]),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))


def _event(buyer: str, what: str, occurred_at: str) -> dict:
    if what == "welcome":
        return event_data(kind="welcome", platform="aliexpress", marketplace="US",
                          occurred_at=occurred_at, buyer=BUYERS[buyer],
                          message={"text": "Hello, is this in stock?", "received_at": occurred_at})
    return event_data(kind="logistics_update", platform="aliexpress", marketplace="ES",
                      occurred_at=occurred_at, buyer=BUYERS[buyer], message=None,
                      shipment={"status": what, "carrier": "Cainiao"})


@pytest.mark.parametrize(("case", "buyer", "what", "occurred_at", "local", "utc", "moved_by"), GOLDENS,
                         ids=[g[0][:40] for g in GOLDENS])
def test_dst_transition_goldens(engine: Engine, case: str, buyer: str, what: str, occurred_at: str,
                                local: str, utc: str, moved_by: list[str]) -> None:
    """Events around the 2026 DST changes preview to the documented buyer-local send times."""
    (event,) = parse_events(json.dumps(_event(buyer, what, occurred_at)), source=case)
    now: datetime = parse_instant(occurred_at)
    out = engine.decide(event, now).as_dict()
    assert out["decision"] == "queue", out["reason"]
    assert (out["send_at"], out["send_at_utc"], out["send_timing"]["moved_by"]) == (local, utc, moved_by)
