"""The outbox history the frequency cap reads: the per-buyer count, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from autoreply.compliance.history import _TO_BUYER, OutboxHistory
from autoreply.store import Store, outbox
from tests.conftest import NOW

# (buyer, platform, status, hours from NOW)
ROWS = [("b1", "amazon", "scheduled", -2), ("b1", "amazon", "sent", -20), ("b1", "amazon", "sent", -30),
        ("b1", "amazon", "blocked", -1), ("b1", "ebay", "sent", -1), ("b2", "amazon", "sending", 0),
        ("b1", "amazon", "scheduled", 5)]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    url = f"sqlite:///{tmp_path / 'h.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = Store(url)
    s.migrate()
    with s.engine.begin() as conn:
        conn.execute(outbox.delete())
        conn.execute(sa.insert(outbox), [
            {"message_id": f"m{i}", "idempotency_key": f"k{i}", "event_id": f"e{i}", "rule": "r", "kind": "k",
             "platform": platform, "channel": "log", "buyer_id": buyer, "status": status,
             "send_at": NOW + timedelta(hours=h), "next_attempt_at": NOW, "created_at": NOW, "updated_at": NOW}
            for i, (buyer, platform, status, h) in enumerate(ROWS)])
    return s


@pytest.mark.parametrize(("buyer", "platform", "hours", "expected"), [
    ("b1", "amazon", -24, 3),  # scheduled −2 h, sent −20 h, scheduled +5 h (not blocked, not ebay)
    ("b1", "amazon", -48, 4),
    ("b1", "amazon", 0, 1),
    ("b1", "ebay", -24, 1),
    ("b2", "amazon", -1, 1),
    ("b3", "amazon", -48, 0),
])
def test_to_buyer_since_counts_as_the_statement_does(store: Store, buyer: str, platform: str, hours: int,
                                                     expected: int) -> None:
    """The per-buyer count run as the driver's SQL equals the SQLAlchemy statement's, and counts only
    scheduled, sending and sent messages of that buyer on that platform since the given time."""
    since = NOW + timedelta(hours=hours)
    with store.engine.connect() as conn:
        reference = conn.execute(_TO_BUYER, {"b_platform": platform, "b_buyer": buyer, "b_since": since}).scalar_one()
        assert OutboxHistory(conn).to_buyer_since(platform, buyer, since) == reference == expected


def test_the_batchs_pending_rows_count_as_they_are_added(store: Store) -> None:
    """Rows the worker decided earlier in the batch (not written yet) count beside the stored ones — only
    scheduled rows of that platform (and buyer) due at the time asked or later, those added after an
    earlier question included."""
    from tests.test_store import message

    pending: list = []
    with store.engine.connect() as conn:
        history = OutboxHistory(conn, pending)
        since = NOW - timedelta(hours=24)
        day = NOW.replace(hour=0, minute=0, second=0, microsecond=0)
        stored_b1, stored_day = history.to_buyer_since("amazon", "b1", since), history.sent_on_day("amazon", day)
        pending += [message("p1", buyer_id="b1", platform="amazon", status="scheduled"),
                    message("p2", buyer_id="b1", platform="amazon", status="blocked"),
                    message("p3", buyer_id="b2", platform="amazon", status="scheduled")]
        assert history.to_buyer_since("amazon", "b1", since) == stored_b1 + 1
        assert history.sent_on_day("amazon", day) == stored_day + 2
        pending += [message("p4", buyer_id="b1", platform="amazon", status="scheduled",
                            send_at=NOW - timedelta(hours=30)),
                    message("p5", buyer_id="b1", platform="ebay", status="scheduled"),
                    message("p6", buyer_id="b1", platform="amazon", status="scheduled")]
        assert history.to_buyer_since("amazon", "b1", since) == stored_b1 + 2
        assert history.to_buyer_since("amazon", "b1", since - timedelta(hours=12)) > stored_b1 + 2
        assert history.to_buyer_since("ebay", "b1", since) == 1 + 1  # the stored ebay row and p5
        assert history.sent_on_day("amazon", day) == stored_day + 3
