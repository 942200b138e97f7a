"""SQLite WAL checkpoints off the writers' commits.

In WAL mode a commit appends its pages to the ``-wal`` file and fsyncs that; a *checkpoint*
later copies the pages into the database file (and fsyncs it) so the WAL can start over.
SQLite's default (``wal_autocheckpoint=1000``) runs the checkpoint inside the commit that
takes the WAL past 1,000 pages: that writer — the inbox worker's batch, a dispatch chunk —
waits for the copy of every page written since the last one, several times its own commit.

Here the store's connections run with ``wal_autocheckpoint=0`` and one thread per store does
``PRAGMA wal_checkpoint(PASSIVE)`` after every :data:`COMMITS` commits of the store (a worker
batch writes ~150 WAL pages: about SQLite's own 1,000), at most once every :data:`INTERVAL`
seconds, and every :data:`IDLE_SECONDS` without them (this store's last commits, another
process's writes: ``autoreply submit``). A passive checkpoint takes no lock a writer or reader
waits for: commits go on while it copies. Durability does not move: a commit is durable once its
WAL frames are fsynced, checkpointed or not (a crash before the copy replays the WAL on the next
open, as SQLite always does). If the thread falls behind, the WAL grows until it catches up.

The thread never opens the ``-wal`` or ``-shm`` files itself (an earlier version read the WAL
index's header from ``-shm`` to count the pages waiting). Closing *any* descriptor of a file
drops every POSIX lock the process holds on it, SQLite's included: another process opening the
database then believes itself alone, truncates and rebuilds the ``-shm`` that this process has
mapped, and this process dies of SIGBUS at its next access — seen as a daemon that vanished
without a line when a test polled the database from another process.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable

from autoreply.logs import get_logger

#: commits of the store between checkpoints
COMMITS = 8
#: at most one checkpoint this often (seconds)
INTERVAL = 1.0
#: a checkpoint this often (seconds) when fewer commits come
IDLE_SECONDS = 30.0


class Checkpointer:
    """One thread checkpointing one SQLite database's WAL, woken after each write commit
    (:meth:`poke`). Started by the first poke, so a store that only reads starts no thread."""

    def __init__(self, path: str, *, commits: int = COMMITS, interval: float = INTERVAL,
                 idle_seconds: float = IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self.commits = commits
        self.interval = interval
        self.idle_seconds = idle_seconds
        self.checkpoints = 0
        #: seconds spent in checkpoints (the thread's wall time), for the benchmarks
        self.busy_seconds = 0.0
        self._clock = clock
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._since = 0  # commits since the last checkpoint (a lost increment only delays one)
        self.log = get_logger(component="checkpoint")

    def poke(self) -> None:
        """A write committed: counted; every :attr:`commits` th wakes the thread."""
        if self._thread is None:
            self._start()
        self._since += 1
        if self._since >= self.commits:
            self._wake.set()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None and not self._stopping.is_set():
                self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stopping.is_set():
                self._wake.wait(self.idle_seconds)  # enough commits, or the idle round
                self._wake.clear()
                if self._stopping.is_set():
                    break
                self._since = 0
                self.checkpoint(conn)
                self._stopping.wait(self.interval)  # enough commits meanwhile: the next round at once
        finally:
            conn.close()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        started = self._clock()
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:  # a busy or locked database: the next round tries again
            self.log.warning("wal_checkpoint_failed", error=f"{type(exc).__name__}: {exc}")
            return
        finally:
            self.busy_seconds += self._clock() - started
        self.checkpoints += 1

    def close(self) -> None:
        """Stop the thread (a checkpoint under way finishes first)."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)


def sqlite_file(database: str | None) -> str | None:
    """The database file of an SQLite URL's database part; None for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return os.path.abspath(database)
