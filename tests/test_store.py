"""The store, on a real SQLite file and the real PostgreSQL: idempotent inbox and outbox,
exclusive claims, leases, and attempts."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from autoreply.store import AttemptResult, NewMessage, Store, outbox
from tests.conftest import NOW


def message(key: str, *, send_at=NOW, dedupe: str | None = None, window: timedelta | None = None,
            status: str = "scheduled", channel: str = "log", thread: str | None = None,
            event_at=None, **fields: Any) -> NewMessage:
    values: dict[str, Any] = dict(
        idempotency_key=key, event_id=key.split(":")[0], rule="r", template="t", kind="welcome",
        platform="aliexpress", marketplace="ES", buyer_id="b", order_id="o", channel=channel,
        recipient="b", language="es", timezone="Europe/Madrid", subject="s", body="hola",
        status=status, send_at=send_at, dedupe_key=dedupe, dedupe_window=window,
        supersede_key=thread, event_at=event_at,
    )
    values.update(fields)
    return NewMessage(**values)


def test_the_same_event_id_is_stored_once(store: Store) -> None:
    """Submitting an event twice keeps one inbox row and reports the repeat."""
    first = store.add_events([("e1", "welcome", "amazon", "{}"), ("e2", "welcome", "amazon", "{}")],
                             source="cli", now=NOW)
    second = store.add_events([("e2", "welcome", "amazon", "{}"), ("e3", "welcome", "amazon", "{}")],
                              source="cli", now=NOW)
    assert sorted(first) == ["e1", "e2"]
    assert second == ["e3"]
    assert store.inbox_counts() == {"new": 3}


def test_the_same_idempotency_key_makes_one_message(store: Store) -> None:
    """Writing a decided message twice keeps one outbox row (a unique key, not a Python check)."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r"), message("e2:r")], NOW)
    assert store.counts() == {"scheduled": 2}


def test_a_written_message_reads_back_with_its_instants_in_utc(store: Store) -> None:
    """Times given in any offset, with or without microseconds, are stored as the same UTC
    instants, with a fresh version-7 message id of the write's instant and the details as JSON."""
    import json
    import uuid
    from datetime import timezone

    plus2 = timezone(timedelta(hours=2))
    send_at = (NOW + timedelta(hours=3)).astimezone(plus2)
    event_at = (NOW - timedelta(minutes=5, microseconds=123)).astimezone(plus2)
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r", send_at=send_at, event_at=event_at,
                                             thread="ship|o1", details={"sí": [1, NOW]})], NOW)
    row = store.get_message("e1:r")
    assert row is not None
    assert (row.send_at, row.next_attempt_at, row.event_at, row.created_at) == (
        send_at, send_at, event_at, NOW)
    assert row.send_at.utcoffset() == timedelta(0)
    ident = uuid.UUID(row.message_id)
    assert ident.version == 7 and ident.int >> 80 == int(NOW.timestamp() * 1000)
    assert json.loads(row.details) == {"sí": [1, str(NOW)]}


def test_only_due_messages_are_claimed(store: Store) -> None:
    """A message is claimed when its send time has come, not before."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("now:r"), message("later:r", send_at=NOW + timedelta(hours=1))], NOW)
    claimed = store.claim_due(now=NOW, limit=10, lease=timedelta(seconds=30), worker="w1")
    assert [c.idempotency_key for c in claimed] == ["now:r"]
    assert claimed[0].attempts == 1
    assert store.claim_due(now=NOW, limit=10, lease=timedelta(seconds=30), worker="w2") == []


def test_an_expired_lease_is_reclaimed(store: Store) -> None:
    """A row left 'sending' by a dead worker is claimed again once its lease has run out."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    store.claim_due(now=NOW, limit=10, lease=timedelta(seconds=30), worker="dead")
    assert store.claim_due(now=NOW + timedelta(seconds=10), limit=10, lease=timedelta(seconds=30), worker="w2") == []
    again = store.claim_due(now=NOW + timedelta(seconds=31), limit=10, lease=timedelta(seconds=30), worker="w2")
    assert [c.idempotency_key for c in again] == ["e1:r"]
    assert again[0].attempts == 2
    assert again[0].message_id  # the same message id goes out again, so receivers can drop a repeat


def test_results_move_rows_and_every_attempt_is_kept(store: Store) -> None:
    """sent, retry and failed each land in their state, with the attempt log."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("a:r"), message("b:r"), message("c:r")], NOW)
    due = store.claim_due(now=NOW, limit=10, lease=timedelta(seconds=30), worker="w")
    claimed = {c.idempotency_key: c for c in due}
    later = NOW + timedelta(minutes=5)
    store.record_results([
        AttemptResult(claimed["a:r"].id, "sent", 201, None, NOW, NOW),
        AttemptResult(claimed["b:r"].id, "retry", 503, "unavailable", NOW, NOW, next_attempt_at=later),
        AttemptResult(claimed["c:r"].id, "failed", 403, "not eligible", NOW, NOW),
    ], worker="w")
    assert store.counts() == {"sent": 1, "scheduled": 1, "failed": 1}
    b = store.get_message("b:r")
    assert b is not None and b.next_attempt_at == later and b.last_status_code == 503
    tries = store.attempts_of(claimed["c:r"].id)
    assert [(t.number, t.outcome, t.status_code, t.error) for t in tries] == [(1, "failed", 403, "not eligible")]


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_new_owner(store: Store) -> None:
    """Only the current holder of a row records its outcome; a late worker's result is logged only."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    slow = store.claim_due(now=NOW, limit=1, lease=timedelta(seconds=30), worker="slow")[0]
    store.claim_due(now=NOW + timedelta(seconds=31), limit=1, lease=timedelta(seconds=30), worker="fast")
    store.record_results([AttemptResult(slow.id, "failed", 500, "late", NOW, NOW)], worker="slow")
    row = store.get_message("e1:r")
    assert row is not None and row.status == "sending" and row.claimed_by == "fast"


def test_dedupe_suppresses_a_repeat_inside_the_window(store: Store) -> None:
    """A second message with the same dedupe key within the window is kept as 'suppressed'."""
    window = timedelta(hours=24)
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r", dedupe="k", window=window),
                                     message("e2:r", dedupe="k", window=window)], NOW)
    with store.begin() as conn:
        store.insert_messages(conn, [message("e3:r", dedupe="k", window=window)], NOW + timedelta(hours=1))
    with store.begin() as conn:
        store.insert_messages(conn, [message("e4:r", dedupe="k", window=window)], NOW + timedelta(hours=25))
    statuses = {k: store.get_message(k).status for k in ("e1:r", "e2:r", "e3:r", "e4:r")}  # type: ignore[union-attr]
    assert statuses == {"e1:r": "scheduled", "e2:r": "suppressed", "e3:r": "suppressed", "e4:r": "scheduled"}


def test_a_batch_decides_as_one_message_at_a_time_would(db_url: str) -> None:
    """Written in one batch or one by one, the same messages end in the same states: a newer
    thread message supersedes a stored one, which then no longer suppresses its dedupe key;
    an older thread message arriving after a newer one is superseded at once."""
    window, t0 = timedelta(hours=24), NOW - timedelta(hours=2)
    stored = [message("e0:r", dedupe="k", window=window, thread="ship|o1", event_at=t0),
              message("e9:r", dedupe="j", window=window)]
    batch = [message("e1:r", thread="ship|o1", event_at=t0 + timedelta(hours=1)),
             message("e2:r", dedupe="k", window=window),
             message("e3:r", dedupe="j", window=window),
             message("e4:r", thread="ship|o1", event_at=t0 + timedelta(minutes=30)),
             message("e5:r", dedupe="k", window=window)]
    outcomes = []
    for one_by_one in (False, True):
        s = Store(db_url)
        s.migrate()
        with s.begin() as conn:
            conn.execute(outbox.delete())
            s.insert_messages(conn, stored, NOW - timedelta(hours=1))
        for part in ([[m] for m in batch] if one_by_one else [batch]):
            with s.begin() as conn:
                s.insert_messages(conn, part, NOW)
        outcomes.append({m.idempotency_key: s.get_message(m.idempotency_key).status  # type: ignore[union-attr]
                         for m in stored + batch})
        s.close()
    assert outcomes[0] == outcomes[1] == {
        "e0:r": "superseded", "e9:r": "scheduled", "e1:r": "scheduled", "e2:r": "scheduled",
        "e3:r": "suppressed", "e4:r": "superseded", "e5:r": "suppressed"}


def test_concurrent_claimers_never_share_a_row(db_url: str) -> None:
    """Four workers on separate connections claiming at once each get different rows."""
    store = Store(db_url)
    store.migrate()
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"e{i}:r") for i in range(400)], NOW)
    got: dict[str, list[int]] = {}

    def work(name: str) -> None:
        mine: list[int] = []
        s = Store(db_url)
        while True:
            batch = s.claim_due(now=NOW, limit=7, lease=timedelta(seconds=60), worker=name)
            if not batch:
                break
            mine.extend(c.id for c in batch)
        s.close()
        got[name] = mine

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for ids in got.values() for i in ids]
    assert len(every) == 400 and len(set(every)) == 400
    with store.engine.connect() as conn:
        sending = sa.select(sa.func.count()).select_from(outbox).where(outbox.c.status == "sending")
        assert conn.execute(sending).scalar() == 400
    store.close()


def test_migrate_twice_is_harmless(store: Store) -> None:
    """Starting on an existing database keeps its data."""
    store.add_events([("e1", "welcome", "amazon", "{}")], source="cli", now=NOW)
    store.migrate()
    assert store.inbox_counts() == {"new": 1}


def test_a_message_past_its_maximum_age_is_dead_lettered_not_sent(store: Store) -> None:
    """A row due longer ago than max_age goes to 'failed' with the reason, using no attempt."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("old:r", send_at=NOW - timedelta(hours=49)),
                                     message("new:r", send_at=NOW - timedelta(hours=47))], NOW)
    claimed = store.claim_due(now=NOW, limit=10, lease=timedelta(seconds=30), worker="w",
                              max_age=timedelta(hours=48))
    assert [c.idempotency_key for c in claimed] == ["new:r"]
    old = store.get_message("old:r")
    assert old is not None and old.status == "failed" and old.attempts == 0
    assert old.status_reason == "dead-lettered: not delivered within 2d of its send time"


def test_a_manual_retry_gives_a_fresh_budget_and_keeps_the_attempt_log(store: Store) -> None:
    """`queue retry` of a failed message: attempts restart, max age counts from the retry, the log goes on."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r", send_at=NOW - timedelta(days=3))], NOW)
    row = store.get_message("e1:r")
    assert row is not None
    store.set_status(row.id, to="failed", allowed_from=("scheduled",), now=NOW, reason="x")
    later = NOW + timedelta(hours=1)
    assert store.set_status(row.id, to="scheduled", allowed_from=("failed",), now=later,
                            next_attempt_at=later)
    (claimed,) = store.claim_due(now=later, limit=1, lease=timedelta(seconds=30), worker="w",
                                 max_age=timedelta(hours=48))
    assert claimed.attempts == 1 and claimed.retried_at == later
    store.record_results([AttemptResult(claimed.id, "sent", 200, None, later, later)], worker="w")
    assert [a.number for a in store.attempts_of(row.id)] == [1]


def test_claims_can_be_limited_to_one_sender(store: Store) -> None:
    """The dispatcher claims per sender (as its tokens allow) and separately for unknown senders."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("a:r", channel="amazon"), message("w:r", channel="webhook"),
                                     message("x:r", channel="gone")], NOW)
    lease = timedelta(seconds=30)
    claimed = store.claim_due(now=NOW, limit=5, lease=lease, worker="w", channel="amazon")
    assert [c.channel for c in claimed] == ["amazon"]
    assert [c.channel for c in store.claim_due(now=NOW, limit=5, lease=lease, worker="w",
                                               not_channels=["amazon", "webhook"])] == ["gone"]


def test_migrate_adds_new_columns_to_an_older_database(db_url: str) -> None:
    """A database made before the delivery columns existed gets them on start, keeping its rows."""
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE outbox (id INTEGER PRIMARY KEY, message_id VARCHAR(64) NOT NULL, "
                             "idempotency_key VARCHAR(300) NOT NULL, event_id VARCHAR(200) NOT NULL, "
                             "rule VARCHAR(100) NOT NULL, template VARCHAR(100), kind VARCHAR(64) NOT NULL, "
                             "platform VARCHAR(64) NOT NULL, marketplace VARCHAR(8), buyer_id VARCHAR(200), "
                             "order_id VARCHAR(100), channel VARCHAR(32) NOT NULL, message_type VARCHAR(64), "
                             "recipient VARCHAR(320), language VARCHAR(16), timezone VARCHAR(64), subject TEXT, "
                             "body TEXT NOT NULL, status VARCHAR(16) NOT NULL, status_reason TEXT, "
                             "send_at TIMESTAMP NOT NULL, next_attempt_at TIMESTAMP NOT NULL, "
                             "created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, sent_at TIMESTAMP, "
                             "attempts INTEGER NOT NULL, lease_until TIMESTAMP, claimed_by VARCHAR(100), "
                             "last_status_code INTEGER, last_error TEXT, dedupe_key VARCHAR(300), details TEXT)"))
        conn.execute(sa.text("INSERT INTO outbox VALUES (1, 'm1', 'k1', 'e1', 'r', NULL, 'welcome', 'amazon', "
                             "NULL, NULL, NULL, 'log', NULL, NULL, NULL, NULL, NULL, 'hi', 'scheduled', NULL, "
                             "'2026-11-22 12:00:00', '2026-11-22 12:00:00', '2026-11-22 12:00:00', "
                             "'2026-11-22 12:00:00', NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL)"))
    engine.dispose()
    store = Store(db_url)
    store.migrate()
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("outbox")}
    assert {"supersede_key", "event_at", "retried_at"} <= columns
    assert [c.message_id for c in store.claim_due(now=NOW, limit=5, lease=timedelta(seconds=5), worker="w")] == ["m1"]
    store.close()


def test_message_ids_written_later_sort_later(store: Store) -> None:
    """Message ids are unique and time-ordered: a later batch's ids sort after an earlier one's."""
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"a{i}:r") for i in range(50)], NOW)
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"b{i}:r") for i in range(50)], NOW + timedelta(milliseconds=1))
    rows = store.list_messages(limit=200)
    first = {r.message_id for r in rows if r.idempotency_key.startswith("a")}
    later = {r.message_id for r in rows if r.idempotency_key.startswith("b")}
    assert len(first | later) == 100 and max(first) < min(later)


_OLD_INDEXES = {  # the index set before partial indexes (revision ad64527)
    "ix_inbox_new": "inbox (status, seq)",
    "ix_outbox_due": "outbox (status, next_attempt_at)",
    "ix_outbox_lease": "outbox (status, lease_until)",
    "ix_outbox_dedupe": "outbox (dedupe_key, created_at)",
    "ix_outbox_event": "outbox (event_id)",
    "ix_outbox_due_channel": "outbox (status, channel, next_attempt_at)",
    "ix_outbox_thread": "outbox (supersede_key, status)",
    "ix_outbox_sent": "outbox (status, sent_at)",
}


def test_migrate_moves_an_older_database_to_the_partial_indexes(db_url: str) -> None:
    """A database with the older index set gets the new one on start, keeping every row."""
    from autoreply.schema import metadata

    old = Store(db_url)
    old.migrate()
    with old.begin() as conn:  # make it look like the older schema: its indexes, not ours
        for table in ("inbox", "outbox"):
            for index in metadata.tables[table].indexes:
                conn.execute(sa.text(f"DROP INDEX {index.name}"))
        for name, on in _OLD_INDEXES.items():
            conn.execute(sa.text(f"CREATE INDEX {name} ON {on}"))
        old.insert_messages(conn, [message("e1:r"), message("e2:r", send_at=NOW + timedelta(hours=1))], NOW)
    old.add_events([("ev1", "welcome", "amazon", "{}")], source="cli", now=NOW)
    old.close()

    store = Store(db_url)
    store.migrate()
    names = {t: {i["name"] for i in sa.inspect(store.engine).get_indexes(t)} for t in ("inbox", "outbox")}
    assert not set(_OLD_INDEXES) & (names["inbox"] | names["outbox"])
    assert {"ix_outbox_scheduled", "ix_outbox_scheduled_channel", "ix_outbox_sending",
            "ix_outbox_sent_at", "ix_outbox_dedupe_key", "ix_outbox_thread_key",
            "ix_outbox_buyer"} <= names["outbox"]
    assert "ix_inbox_waiting" in names["inbox"]
    assert store.counts() == {"scheduled": 2} and store.pending_events() == 1
    assert [c.idempotency_key for c in store.claim_due(
        now=NOW, limit=5, lease=timedelta(seconds=5), worker="w")] == ["e1:r"]
    store.migrate()  # and again: nothing left to change
    store.close()


def test_migrate_moves_the_inbox_payloads_of_a_schema_1_database(db_url: str) -> None:
    """A database whose inbox rows hold their payloads (schema 1) keeps every payload, in
    inbox_payloads, loses the column, and goes on: waiting events are claimed with theirs."""
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    seq = "INTEGER PRIMARY KEY" if db_url.startswith("sqlite") else "BIGSERIAL PRIMARY KEY"
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE inbox (seq {seq}, event_id VARCHAR(200) NOT NULL UNIQUE, "
                             "kind VARCHAR(64) NOT NULL, platform VARCHAR(64) NOT NULL, payload TEXT NOT NULL, "
                             "source VARCHAR(32) NOT NULL DEFAULT 'cli', received_at TIMESTAMP NOT NULL, "
                             "status VARCHAR(16) NOT NULL DEFAULT 'new', processed_at TIMESTAMP, "
                             "outcome VARCHAR(64), error TEXT)"))
        conn.execute(sa.text("CREATE TABLE autoreply_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)"))
        conn.execute(sa.text("INSERT INTO autoreply_meta VALUES ('schema_version', '1')"))
        conn.execute(sa.text("INSERT INTO inbox (event_id, kind, platform, payload, received_at, status) VALUES "
                             "('done-1', 'welcome', 'amazon', '{\"a\": 1}', '2026-11-22 12:00:00', 'done'), "
                             "('new-1', 'welcome', 'amazon', '{\"b\": 2}', '2026-11-22 12:00:00', 'new')"))
    engine.dispose()
    store = Store(db_url)
    store.migrate()
    assert "payload" not in {c["name"] for c in sa.inspect(store.engine).get_columns("inbox")}
    with store.engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT i.event_id, p.payload FROM inbox i JOIN inbox_payloads p "
                                    "ON p.seq = i.seq ORDER BY i.seq")).all()
        version = conn.execute(sa.text("SELECT value FROM autoreply_meta")).scalar_one()
    assert [tuple(r) for r in kept] == [("done-1", '{"a": 1}'), ("new-1", '{"b": 2}')]
    assert version == "2"
    assert store.add_events([("new-2", "welcome", "amazon", '{"c": 3}')], source="cli", now=NOW) == ["new-2"]
    with store.begin() as conn:
        claimed = [(r.event_id, r.payload) for r in store.claim_new_events(conn, 10)]
    assert claimed == [("new-1", '{"b": 2}'), ("new-2", '{"c": 3}')]
    store.migrate()  # twice is harmless
    store.close()


def test_an_event_id_twice_in_one_call_is_stored_once_with_its_first_payload(store: Store) -> None:
    """The inbox's unique key keeps the first of two rows with one id; its payload goes with it."""
    assert store.add_events([("e1", "welcome", "amazon", '{"n": 1}'), ("e1", "welcome", "amazon", '{"n": 2}')],
                            source="cli", now=NOW) == ["e1"]
    with store.begin() as conn:
        assert [r.payload for r in store.claim_new_events(conn, 10)] == ['{"n": 1}']
