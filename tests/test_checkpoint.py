"""SQLite WAL checkpoints in a thread of the store, not in the writers' commits."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from autoreply.checkpoint import Checkpointer, pending_frames
from autoreply.store import Store
from tests.conftest import NOW
from tests.test_store import message


def fill(store: Store, count: int, start: int = 0) -> None:
    """``count`` messages, one commit each."""
    for i in range(start, start + count):
        with store.begin() as conn:
            store.insert_messages(conn, [message(f"e{i}:r", body="x" * 2000)], NOW)


def wait_for(condition: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_the_wal_index_tells_how_many_pages_wait_for_a_checkpoint(tmp_path: Path) -> None:
    """The -shm header read gives the pages SQLite's own checkpoint then copies, and 0 after it."""
    path = str(tmp_path / "a.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x TEXT)")
    for _ in range(20):
        conn.execute("INSERT INTO t VALUES (?)", ("y" * 5000,))
    waiting = pending_frames(path + "-shm")
    _busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert waiting == frames == copied and frames > 20
    assert pending_frames(path + "-shm") == 0
    conn.close()


def test_an_unreadable_wal_index_is_unknown(tmp_path: Path) -> None:
    """No -shm file, or one too short to be a WAL index: None (the thread then looks by time)."""
    assert pending_frames(str(tmp_path / "none.db-shm")) is None
    (tmp_path / "short.db-shm").write_bytes(b"\0" * 10)
    assert pending_frames(str(tmp_path / "short.db-shm")) is None


def test_a_store_commit_leaves_the_wal_to_the_checkpoint_thread(tmp_path: Path) -> None:
    """The store's connections never checkpoint (wal_autocheckpoint=0); its thread copies the WAL
    once enough pages wait, and no committed row depends on it."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    assert store.checkpointer is not None
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    store.checkpointer.frames = 40
    fill(store, 60)
    shm = str(tmp_path / "a.db-shm")
    assert wait_for(lambda: store.checkpointer is not None and store.checkpointer.checkpoints > 0)
    assert wait_for(lambda: (pending_frames(shm) or 0) < 40 + 10)
    store.close()
    again = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert again.counts() == {"scheduled": 60}
    again.close()


def test_rows_never_checkpointed_are_still_there_after_a_reopen(tmp_path: Path) -> None:
    """Durability is the WAL's: with the thread held back, every committed row reads back from a
    new store (SQLite replays the WAL)."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    assert store.checkpointer is not None
    store.checkpointer.frames = 10**9  # never
    fill(store, 30)
    assert (pending_frames(str(tmp_path / "a.db-shm")) or 0) > 30
    assert store.checkpointer.checkpoints == 0
    reader = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert reader.counts() == {"scheduled": 30}
    reader.close()
    store.close()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_store_has_no_checkpoint_thread(url: str) -> None:
    """No file, no WAL: nothing to checkpoint."""
    store = Store(url)
    assert store.checkpointer is None
    store.close()


def test_closing_stops_the_thread(tmp_path: Path) -> None:
    """close() ends the thread; a store that only read never started one."""
    path = str(tmp_path / "a.db")
    sqlite3.connect(path).close()
    idle = Checkpointer(path)
    idle.close()
    assert idle._thread is None
    busy = Checkpointer(path, idle_seconds=0.01)
    busy.poke()
    thread = busy._thread
    assert thread is not None and thread.is_alive()
    busy.close()
    assert not thread.is_alive()
