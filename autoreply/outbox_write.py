"""The worker's write path: outbox rows and inbox marks as prebuilt tuples in one
``executemany`` each, and what the outbox already holds for one insert batch's dedupe and
thread keys, read in three queries instead of three per message.

Rows go to the DBAPI as tuples (``Connection.exec_driver_sql``): SQLAlchemy's per-row bind
processing cost more than SQLite's own work. Times are converted as :class:`UTCDateTime`
stores them (naive UTC text on SQLite, aware UTC on PostgreSQL), so a row reads back the same.

``Store.insert_messages`` asks, for each checked message, the same questions as before (an
earlier live message with its dedupe key inside the window? a live message about a newer event
in its thread? a later close of its thread?), but answers them from rows read once per batch.
The answers are the very rows the per-message queries would return, because:

- the rows are read inside the inserting transaction, after the keys are locked (PostgreSQL)
  or the write lock is held (SQLite), so only this batch changes them meanwhile;
- a key this batch has already touched (a row of the batch carries it, or a thread update may
  have changed a prefetched row's status) is not answered here: the caller asks the database,
  exactly as before;
- when the per-message query's own order leaves the answer open (two rows tie on the ordering
  column, or ``LIMIT 1`` without an order finds several), the caller asks the database too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from autoreply.schema import LIVE, outbox, thread_marks


class Keyed(Protocol):
    """The fields of a message to insert that the lookups need (``store.NewMessage``)."""

    @property
    def dedupe_key(self) -> str | None: ...
    @property
    def dedupe_window(self) -> timedelta | None: ...
    @property
    def supersede_key(self) -> str | None: ...
    @property
    def event_at(self) -> datetime | None: ...


def covering(key: str) -> list[str]:
    """The exact key and every prefix close that covers it: a|b|c, a|b|*, a|*."""
    parts = key.split("|")
    return [key, *("|".join([*parts[:n], "*"]) for n in range(len(parts) - 1, 0, -1))]


@dataclass
class Prefetched:
    """Live outbox rows by dedupe key and by thread key, and thread closes by key."""

    by_dedupe: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    by_thread: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    marks: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    #: dedupe keys of prefetched rows, by their thread key (a thread update may change them)
    dedupe_of_thread: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, conn: Connection, msgs: Sequence[Keyed], now: datetime) -> Prefetched:
        out = cls()
        windows = [m.dedupe_window for m in msgs if m.dedupe_key and m.dedupe_window]
        dedupe_keys = sorted({m.dedupe_key for m in msgs if m.dedupe_key and m.dedupe_window})
        if dedupe_keys:
            since = now - max(windows)
            for chunk in _chunks(dedupe_keys):
                for row in conn.execute(_DEDUPE_ROWS, {"keys": chunk, "b_since": since}).all():
                    out.by_dedupe[row.dedupe_key].append(row)
                    if row.supersede_key:
                        out.dedupe_of_thread[row.supersede_key].add(row.dedupe_key)
        threads = sorted({m.supersede_key for m in msgs if m.supersede_key})
        if threads:
            for chunk in _chunks(threads):
                for trow in conn.execute(_THREAD_ROWS, {"keys": chunk}).all():
                    out.by_thread[trow.supersede_key].append(trow)
            closes = sorted({k for t in threads for k in covering(t)})
            oldest = min(m.event_at or now for m in msgs if m.supersede_key)
            for chunk in _chunks(closes):
                for mark in conn.execute(_MARK_ROWS, {"keys": chunk, "b_event_at": oldest}).all():
                    out.marks[mark.thread_key].append(mark)
        return out

    def earlier_in_window(self, key: str, since: datetime) -> tuple[bool, Any]:
        """``(known, row)``: the first live row with dedupe key ``key`` created after
        ``since`` (``row`` None: none); ``known`` is False when two rows tie on it."""
        return _sole([r for r in self.by_dedupe.get(key, ()) if r.created_at > since],
                     lambda r: r.created_at, min)

    def newer_in_thread(self, key: str, event_at: datetime) -> tuple[bool, Any]:
        """``(known, row)``: the live row of thread ``key`` about the newest event after
        ``event_at`` (``row`` None: none); ``known`` is False when two rows tie."""
        return _sole([r for r in self.by_thread.get(key, ()) if r.event_at is not None and r.event_at > event_at],
                     lambda r: r.event_at, max)

    def later_mark(self, key: str, event_at: datetime) -> tuple[bool, Any]:
        """``(known, mark)``: a close of thread ``key`` (or a prefix of it) after ``event_at``;
        ``known`` is False when several match (the query's ``LIMIT 1`` picks any)."""
        found = [m for k in covering(key) for m in self.marks.get(k, ()) if m.event_at > event_at]
        if len(found) > 1:
            return False, None
        return True, (found[0] if found else None)

    def would_supersede(self, key: str, event_at: datetime) -> bool:
        """Whether the thread update for ``key`` up to ``event_at`` would change any row."""
        return any(r.status == "scheduled" and (r.event_at is None or r.event_at <= event_at)
                   for r in self.by_thread.get(key, ()))


def _chunks(keys: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield list(keys[start:start + size])


def _live(column: Any) -> Any:
    return column.in_([sa.literal_column(f"'{s}'") for s in LIVE])


_KEYS: Any = sa.bindparam("keys", expanding=True)
_DEDUPE_ROWS = sa.select(
    outbox.c.id, outbox.c.message_id, outbox.c.created_at, outbox.c.dedupe_key,
    outbox.c.supersede_key,
).where(outbox.c.dedupe_key.in_(_KEYS), outbox.c.created_at > sa.bindparam("b_since"),
        _live(outbox.c.status))
_THREAD_ROWS = sa.select(
    outbox.c.id, outbox.c.message_id, outbox.c.rule, outbox.c.event_at, outbox.c.status,
    outbox.c.supersede_key,
).where(outbox.c.supersede_key.in_(_KEYS), _live(outbox.c.status))
_MARK_ROWS = sa.select(
    thread_marks.c.thread_key, thread_marks.c.event_at, thread_marks.c.event_id,
    thread_marks.c.rule,
).where(thread_marks.c.thread_key.in_(_KEYS), thread_marks.c.event_at > sa.bindparam("b_event_at"))


# -- prebuilt rows, one executemany ---------------------------------------------------------
OUTBOX_COLUMNS = (
    "message_id", "idempotency_key", "event_id", "rule", "template", "kind", "platform",
    "marketplace", "buyer_id", "order_id", "channel", "message_type", "recipient", "language",
    "timezone", "subject", "body", "status", "status_reason", "send_at", "next_attempt_at",
    "created_at", "updated_at", "attempts", "dedupe_key", "supersede_key", "event_at", "details",
)
_TIMES = frozenset({"send_at", "next_attempt_at", "created_at", "updated_at", "event_at"})


def _sqlite_time(value: datetime | None) -> str | None:
    """As ``UTCDateTime`` + SQLAlchemy's SQLite DATETIME store it: naive UTC text."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC)


def _marks(conn: Connection, count: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * count)


def insert_outbox_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """``INSERT … ON CONFLICT (idempotency_key) DO NOTHING`` of ``rows`` (dicts keyed by
    :data:`OUTBOX_COLUMNS`) in one ``executemany``; returns how many were written."""
    if not rows:
        return 0
    time = _sqlite_time if conn.dialect.name == "sqlite" else _pg_time
    converted: dict[Any, Any] = {}  # a batch shares its created_at / updated_at instant

    def when(value: datetime | None) -> Any:
        if value not in converted:
            converted[value] = time(value)
        return converted[value]

    getters = [(name, name in _TIMES) for name in OUTBOX_COLUMNS]
    params = [tuple(when(row[name]) if is_time else row[name] for name, is_time in getters)
              for row in rows]
    sql = (f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)}) VALUES "
           f"({_marks(conn, len(OUTBOX_COLUMNS))}) ON CONFLICT (idempotency_key) DO NOTHING")
    return max(conn.exec_driver_sql(sql, params).rowcount, 0)


def finish_inbox_rows(conn: Connection, results: Sequence[tuple[int, str, str | None]],
                      now: datetime) -> None:
    """Mark inbox rows ``(seq, outcome, error)`` processed, in one ``executemany``."""
    if not results:
        return
    at = _sqlite_time(now) if conn.dialect.name == "sqlite" else _pg_time(now)
    params = [("error" if error else "done", outcome, error, at, seq)
              for seq, outcome, error in results]
    m = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"UPDATE inbox SET status = {m}, outcome = {m}, error = {m}, "
                         f"processed_at = {m} WHERE seq = {m}", params)


def _sole(rows: list[Any], value: Callable[[Any], Any], pick: Callable[[Iterable[Any]], Any]) -> tuple[bool, Any]:
    """``(known, row)``: the row whose ``value`` is the ``pick`` (min or max) of ``rows`` (None: no
    rows); ``known`` is False when two rows tie on it, as the database's ORDER BY … LIMIT 1 would
    pick either."""
    if not rows:
        return True, None
    best_value = pick(value(r) for r in rows)
    best = [r for r in rows if value(r) == best_value]
    return len(best) == 1, best[0]
