"""The inbox worker against real databases: a batch is decided without blocking other writers
(SQLite), and a batch another process took meanwhile is never written twice."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from autoreply.clock import FixedClock
from autoreply.config import load_config
from autoreply.events import Event
from autoreply.pipeline import Engine, Outcome
from autoreply.settings import load_settings
from autoreply.store import Store
from autoreply.worker import InboxWorker
from tests.conftest import NOW, REPO, event_data


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))


class Interrupting:
    """The real engine, with something done by 'another process' while the first event is decided."""

    def __init__(self, engine: Engine, meanwhile: Any) -> None:
        self.engine, self.meanwhile, self.done = engine, meanwhile, False

    def decide(self, event: Event, now: datetime, **kw: Any) -> Outcome:
        if not self.done:
            self.done = True
            self.meanwhile()
        return self.engine.decide(event, now, **kw)


def add(store: Store, *ids: str) -> None:
    store.add_events([(i, "buyer_message", "amazon", json.dumps(event_data(id=i))) for i in ids],
                     source="test", now=NOW)


def test_sqlite_intake_is_not_blocked_while_a_batch_is_decided(tmp_path: Any, engine: Engine) -> None:
    """On SQLite, events can be stored while the worker is deciding a batch (it holds no write lock)."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store, intake = Store(url), Store(url)
    store.migrate()
    add(store, "e-1", "e-2")
    stored: list[str] = []

    def meanwhile() -> None:
        stored.extend(intake.add_events([("e-3", "buyer_message", "amazon", json.dumps(event_data(id="e-3")))],
                                        source="http", now=NOW))

    worker = InboxWorker(store, lambda: Interrupting(engine, meanwhile), FixedClock(NOW), 10)  # type: ignore[arg-type, return-value]
    assert worker.run_once() == 2
    assert stored == ["e-3"]
    assert worker.run_once() == 1
    assert store.pending_events() == 0
    store.close()
    intake.close()


def test_a_batch_taken_by_another_process_meanwhile_is_not_written_twice(store: Store, engine: Engine) -> None:
    """Two workers on the same inbox rows at once: each event gets its messages exactly once
    (SQLite: the late writer finds the rows taken; PostgreSQL: the rows are locked, skipped)."""
    add(store, "e-1", "e-2")
    other = InboxWorker(store, lambda: engine, FixedClock(NOW), 10)
    taken: list[int] = []
    mine = InboxWorker(store, lambda: Interrupting(engine, lambda: taken.append(other.run_once())),  # type: ignore[arg-type, return-value]
                       FixedClock(NOW), 10)
    mine_took = mine.run_once()
    assert sorted([mine_took, *taken]) == [0, 2]
    assert sorted(m.event_id for m in store.list_messages()) == ["e-1", "e-2"]
