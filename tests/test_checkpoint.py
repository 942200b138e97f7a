"""SQLite WAL checkpoints in a thread of the store, not in the writers' commits."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autoreply.checkpoint import Checkpointer
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


def wal_frames(path: str) -> tuple[int, int]:
    """(pages in the WAL, pages of it already copied), asked of SQLite by a connection of its own
    (a PASSIVE checkpoint: it copies what is left, so ask after the thread has run)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()
    return frames, copied


def test_a_store_commit_leaves_the_wal_to_the_checkpoint_thread(tmp_path: Path) -> None:
    """The store's connections never checkpoint (wal_autocheckpoint=0); its thread copies the WAL
    after the commits, and no committed row depends on it."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    assert store.checkpointer is not None
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    store.checkpointer.commits, store.checkpointer.interval = 5, 0.01
    fill(store, 60)
    assert wait_for(lambda: store.checkpointer is not None and store.checkpointer.checkpoints > 0)
    store.close()
    again = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert again.counts() == {"scheduled": 60}
    again.close()


def test_a_checkpoint_waits_for_enough_commits(tmp_path: Path) -> None:
    """Fewer commits than the threshold start no checkpoint (until the idle round)."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert store.checkpointer is not None
    store.checkpointer.commits = 50
    store.migrate()
    fill(store, 30)
    time.sleep(0.2)
    assert store.checkpointer.checkpoints == 0
    fill(store, 30, start=30)
    assert wait_for(lambda: store.checkpointer is not None and store.checkpointer.checkpoints == 1)
    store.close()


def test_commits_meanwhile_wait_for_the_next_round_not_one_checkpoint_each(tmp_path: Path) -> None:
    """At most one checkpoint an interval however many commits come in it."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    assert store.checkpointer is not None
    store.checkpointer.commits, store.checkpointer.interval = 1, 60.0
    store.migrate()
    fill(store, 30)
    assert wait_for(lambda: store.checkpointer is not None and store.checkpointer.checkpoints == 1)
    time.sleep(0.2)
    assert store.checkpointer.checkpoints == 1
    store.close()


def test_rows_never_checkpointed_are_still_there_after_a_reopen(tmp_path: Path) -> None:
    """Durability is the WAL's: with the thread held back, every committed row reads back from a
    new store (SQLite replays the WAL)."""
    path = str(tmp_path / "a.db")
    store = Store(f"sqlite:///{path}")
    assert store.checkpointer is not None
    store.checkpointer.poke = lambda: None  # type: ignore[method-assign]  # never
    store.migrate()
    fill(store, 30)
    assert store.checkpointer.checkpoints == 0
    reader = Store(f"sqlite:///{path}")
    assert reader.counts() == {"scheduled": 30}
    reader.close()
    store.close()


#: the -shm byte on which every process using the database holds a shared lock (SQLite's unix
#: VFS: UNIX_SHM_DMS = (22 + 8) * 4 + 8); a process that gets it exclusively rebuilds the -shm
_SHM_DMS = 128


def test_checkpoints_keep_the_process_s_locks_on_the_wal_index(tmp_path: Path) -> None:
    """After the thread's checkpoints this process still holds SQLite's shared lock on the -shm
    file, so another process cannot take it and rebuild the file under this one's mapping (the
    thread never opens -shm itself: closing any descriptor of a file drops the process's POSIX
    locks on it, and the daemon then died of SIGBUS when another process opened the database)."""
    path = tmp_path / "a.db"
    store = Store(f"sqlite:///{path}")
    assert store.checkpointer is not None
    store.checkpointer.commits, store.checkpointer.interval = 1, 0.01
    store.migrate()
    fill(store, 20)
    assert wait_for(lambda: store.checkpointer is not None and store.checkpointer.checkpoints >= 2)
    with store.engine.connect() as conn:  # a connection of the store open, as in a daemon
        conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar()
        probe = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            import fcntl, os
            fd = os.open({str(path) + "-shm"!r}, os.O_RDWR)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, {_SHM_DMS})
                print("taken")
            except OSError:
                print("held")
        """)], capture_output=True, text=True, check=True)
    store.close()
    assert probe.stdout.strip() == "held"


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
    busy = Checkpointer(path, commits=1, idle_seconds=0.01, interval=0.01)
    busy.poke()
    thread = busy._thread
    assert thread is not None and thread.is_alive()
    busy.close()
    assert not thread.is_alive()
