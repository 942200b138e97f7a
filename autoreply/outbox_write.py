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

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from autoreply.schema import LIVE


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
    """Live outbox rows by dedupe key and by thread key, and thread closes by key.

    The rows are read with the driver's own SQL (one placeholder per key; SQLAlchemy's
    expanding ``IN`` cost more per key than the database's lookup), so their times are as
    stored: naive UTC text on SQLite, aware datetimes on PostgreSQL. The times asked about are
    converted the same way (``when``) and compared as stored, as the database compares them."""

    when: Callable[[datetime | None], Any] = field(default=lambda value: value)
    by_dedupe: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    by_thread: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    marks: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    #: dedupe keys of prefetched rows, by their thread key (a thread update may change them)
    dedupe_of_thread: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, conn: Connection, msgs: Sequence[Keyed], now: datetime,
             when: Callable[[datetime | None], Any] | None = None) -> Prefetched:
        """``when``: the converter to the stored form (a batch's :meth:`RowBuilder.when`
        remembers each instant it converted: a message's event time is asked about three
        times, and written once)."""
        when = when or stored_time(conn.dialect.name)
        out = cls(when=when)
        windows = [m.dedupe_window for m in msgs if m.dedupe_key and m.dedupe_window]
        dedupe_keys = sorted({m.dedupe_key for m in msgs if m.dedupe_key and m.dedupe_window})
        if dedupe_keys:
            since = when(now - max(windows))
            for chunk in _chunks(dedupe_keys):
                for row in rows_in(conn, _DEDUPE_ROWS, chunk, since):
                    out.by_dedupe[row.dedupe_key].append(row)
                    if row.supersede_key:
                        out.dedupe_of_thread[row.supersede_key].add(row.dedupe_key)
        threads = sorted({m.supersede_key for m in msgs if m.supersede_key})
        if threads:
            for chunk in _chunks(threads):
                for trow in rows_in(conn, _THREAD_ROWS, chunk):
                    out.by_thread[trow.supersede_key].append(trow)
            closes = sorted({k for t in threads for k in covering(t)})
            oldest = when(min(m.event_at or now for m in msgs if m.supersede_key))
            for chunk in _chunks(closes):
                for mark in rows_in(conn, _MARK_ROWS, chunk, oldest):
                    out.marks[mark.thread_key].append(mark)
        return out

    def earlier_in_window(self, key: str, since: datetime) -> tuple[bool, Any]:
        """``(known, row)``: the first live row with dedupe key ``key`` created after
        ``since`` (``row`` None: none); ``known`` is False when two rows tie on it."""
        rows = self.by_dedupe.get(key)
        if not rows:
            return True, None
        after = self.when(since)
        return _sole([r for r in rows if r.created_at > after], lambda r: r.created_at, min)

    def newer_in_thread(self, key: str, event_at: datetime) -> tuple[bool, Any]:
        """``(known, row)``: the live row of thread ``key`` about the newest event after
        ``event_at`` (``row`` None: none); ``known`` is False when two rows tie."""
        rows = self.by_thread.get(key)
        if not rows:
            return True, None
        after = self.when(event_at)
        return _sole([r for r in rows if r.event_at is not None and r.event_at > after],
                     lambda r: r.event_at, max)

    def later_mark(self, key: str, event_at: datetime) -> tuple[bool, Any]:
        """``(known, mark)``: a close of thread ``key`` (or a prefix of it) after ``event_at``;
        ``known`` is False when several match (the query's ``LIMIT 1`` picks any)."""
        if not self.marks:
            return True, None
        after = self.when(event_at)
        found = [m for k in covering(key) for m in self.marks.get(k, ()) if m.event_at > after]
        if len(found) > 1:
            return False, None
        return True, (found[0] if found else None)

    def would_supersede(self, key: str, event_at: datetime) -> bool:
        """Whether the thread update for ``key`` up to ``event_at`` would change any row."""
        rows = self.by_thread.get(key)
        if not rows:
            return False
        upto = self.when(event_at)
        return any(r.status == "scheduled" and (r.event_at is None or r.event_at <= upto)
                   for r in rows)


def _chunks(keys: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield list(keys[start:start + size])


def rows_in(conn: Connection, sql: str, keys: Sequence[Any], *params: Any) -> list[Any]:
    """Run ``sql`` with ``{keys}`` made one placeholder per key and ``{p}`` one placeholder,
    bound to ``keys`` then ``params`` (as the driver takes them: see :func:`stored_time`)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    text = sql.format(keys=", ".join([mark] * len(keys)), p=mark)
    return list(conn.exec_driver_sql(text, (*keys, *params)).all())


_LIVE_SQL = ", ".join(f"'{s}'" for s in LIVE)
_DEDUPE_ROWS = (
    "SELECT id, message_id, created_at, dedupe_key, supersede_key FROM outbox "
    f"WHERE dedupe_key IN ({{keys}}) AND created_at > {{p}} AND status IN ({_LIVE_SQL})")
_THREAD_ROWS = (
    "SELECT id, message_id, rule, event_at, status, supersede_key FROM outbox "
    f"WHERE supersede_key IN ({{keys}}) AND status IN ({_LIVE_SQL})")
_MARK_ROWS = ("SELECT thread_key, event_at, event_id, rule FROM thread_marks "
              "WHERE thread_key IN ({keys}) AND event_at > {p}")
_EXISTING_KEYS = "SELECT idempotency_key FROM outbox WHERE idempotency_key IN ({keys})"


def existing_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` the outbox already holds as idempotency keys."""
    unique = list(dict.fromkeys(keys))
    return {row[0] for chunk in _chunks(unique) for row in rows_in(conn, _EXISTING_KEYS, chunk)}


# -- prebuilt rows, one executemany ---------------------------------------------------------
OUTBOX_COLUMNS = (
    "message_id", "idempotency_key", "event_id", "rule", "template", "kind", "platform",
    "marketplace", "buyer_id", "order_id", "channel", "message_type", "recipient", "language",
    "timezone", "subject", "body", "status", "status_reason", "send_at", "next_attempt_at",
    "created_at", "updated_at", "attempts", "dedupe_key", "supersede_key", "event_at", "details",
)
#: one encoder for every row (``json.dumps`` with options builds a new one per call)
_encode_details = json.JSONEncoder(ensure_ascii=False, default=str).encode


def encode_details(details: dict[str, Any] | str | None) -> str | None:
    """A message's ``details`` column: the JSON text of a dict (a value JSON cannot hold is
    written as its ``str``); a text is taken as already encoded."""
    if not details:
        return None
    return details if isinstance(details, str) else _encode_details(details)

# a version-7 UUID (RFC 9562): 48 bits of Unix time in ms, the version (7), 12 random bits, the
# variant (RFC 4122), 62 random bits
_UUID7_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID7_SET = (0x7000 << 64) | (0x8000 << 48)
_RANDOM_BITS = (1 << 80) - 1


def message_ids(count: int, now: datetime) -> list[str]:
    """``count`` version-7 UUIDs of the instant ``now`` as 32 hex digits, their random bits from
    one ``os.urandom`` call. Time-ordered, so that ids written later sort later: a batch's ids
    land at the end of the unique index on ``message_id`` (a few pages written per batch)
    instead of one random page each (uuid4), which a large outbox pays as one more page write
    per message in every commit."""
    stamp = (int(now.timestamp() * 1000) & ((1 << 48) - 1)) << 80
    raw = os.urandom(10 * count)
    return ["%032x" % (stamp | int.from_bytes(raw[i:i + 10], "big") & _UUID7_CLEAR | _UUID7_SET)
            for i in range(0, 10 * count, 10)]


def _sqlite_time(value: datetime | None) -> str | None:
    """As ``UTCDateTime`` + SQLAlchemy's SQLite DATETIME store it: naive UTC text."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    # the aware UTC text without its "+00:00" (``replace(tzinfo=None)`` cost more than the rest)
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _pg_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC)


def stored_time(dialect: str) -> Callable[[datetime | None], Any]:
    """A datetime as the driver takes and returns it for a ``UTCDateTime`` column."""
    return _sqlite_time if dialect == "sqlite" else _pg_time


class RowBuilder:
    """Outbox rows of one insert batch as tuples in :data:`OUTBOX_COLUMNS` order, times
    converted as the dialect stores them (each distinct instant once per batch)."""

    def __init__(self, dialect: str, now: datetime) -> None:
        self._time = stored_time(dialect)
        self._times: dict[Any, Any] = {}
        self._now = self.when(now)

    def when(self, value: datetime | None) -> Any:
        try:
            return self._times[value]
        except KeyError:
            converted = self._times[value] = self._time(value)
            return converted

    def row(self, msg: Any, message_id: str, status: str, reason: str | None) -> tuple[Any, ...]:
        """The row of ``msg`` (a ``store.NewMessage``) with this id, status and reason."""
        send_at = self.when(msg.send_at)
        now = self._now
        details = msg.details
        return (
            message_id, msg.idempotency_key, msg.event_id, msg.rule, msg.template, msg.kind,
            msg.platform, msg.marketplace, msg.buyer_id, msg.order_id, msg.channel,
            msg.message_type, msg.recipient, msg.language, msg.timezone, msg.subject, msg.body,
            status, reason, send_at, send_at, now, now, 0, msg.dedupe_key, msg.supersede_key,
            self.when(msg.event_at), details if type(details) is str else encode_details(details),
        )


def _marks(conn: Connection, count: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * count)


def insert_outbox_rows(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """``INSERT … ON CONFLICT (idempotency_key) DO NOTHING`` of ``rows`` (tuples from
    :class:`RowBuilder`) in one ``executemany``; returns how many were written."""
    if not rows:
        return 0
    sql = (f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)}) VALUES "
           f"({_marks(conn, len(OUTBOX_COLUMNS))}) ON CONFLICT (idempotency_key) DO NOTHING")
    return max(conn.exec_driver_sql(sql, list(rows)).rowcount, 0)


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
