"""One insert batch's dedupe and thread decisions, made set-based: what the outbox holds for the
batch's keys is read once (three queries), the batch's own rows join it as they are decided,
and the writes are two statements — one ``INSERT`` of every row, one ``UPDATE`` of the stored
rows a thread message superseded — instead of look-ups and updates per message.

The questions are the ones the per-message queries asked, in message order (an earlier message
of the batch is seen by a later one, as if it had been written first):

- dedupe: the first live message (scheduled, sending, sent) with the same dedupe key created
  inside the window → this one is ``suppressed``, naming it;
- thread: a live message of the thread about a newer event → this one is ``superseded`` at
  once; else a close of the thread (``thread_marks``, the key or a ``…|*`` prefix of it) after
  this event → ``superseded``; else every *scheduled* message of the thread about an event up
  to this one (or about none) becomes ``superseded``, naming this one.

The answers are exact because the rows are read inside the inserting transaction after the keys
are locked (PostgreSQL advisory locks) or the write lock is held (SQLite ``BEGIN IMMEDIATE``):
only this batch changes them meanwhile, and its changes are applied to the rows in memory. Where
the database's own ``ORDER BY … LIMIT 1`` would leave a tie open, the lowest id is named.
A message names rows of its own batch by id, so the batch's ids are drawn first (SQLite: after
the largest id, under the write lock; PostgreSQL: from the table's sequence). Idempotency stays
the database's: ``ON CONFLICT (idempotency_key) DO NOTHING``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from autoreply.durations import format_duration
from autoreply.outbox_write import (
    PreparedRows,
    RowBuilder,
    covering,
    execute_many,
    existing_keys,
    fetch,
    insert_outbox_rows,
    placeholder,
    rows_in,
)
from autoreply.schema import LIVE

_LIVE_SQL = ", ".join(f"'{s}'" for s in LIVE)
_DEDUPE_ROWS = (
    "SELECT id, message_id, rule, created_at, event_at, status, dedupe_key, supersede_key "
    "FROM outbox WHERE dedupe_key {keys} AND dedupe_key IS NOT NULL AND created_at > {p} "
    f"AND status IN ({_LIVE_SQL})")
_THREAD_ROWS = (
    "SELECT id, message_id, rule, created_at, event_at, status, dedupe_key, supersede_key "
    "FROM outbox WHERE supersede_key {keys} AND supersede_key IS NOT NULL "
    f"AND status IN ({_LIVE_SQL})")
_MARK_ROWS = ("SELECT id, thread_key, event_at, event_id, rule FROM thread_marks "
              "WHERE thread_key {keys} AND event_at > {p}")
_SUPERSEDE_ROWS = ("UPDATE outbox SET status = 'superseded', status_reason = {p}, updated_at = {p} "
                   "WHERE id = {p} AND status = 'scheduled'")


class Live:
    """An outbox row the batch's questions may name: read from the outbox (``stored``), or one
    of the batch's own, decided but not written yet. Times are in their stored form."""

    __slots__ = ("created_at", "dedupe_key", "event_at", "id", "message_id", "reason", "rule",
                 "status", "stored", "supersede_key")

    def __init__(self, row: Sequence[Any], stored: bool) -> None:
        (self.id, self.message_id, self.rule, self.created_at, self.event_at, self.status,
         self.dedupe_key, self.supersede_key) = row
        self.stored = stored
        self.reason: str | None = None


class LiveRows:
    """Live rows by dedupe key and by thread key, and thread closes by key, for one batch."""

    def __init__(self) -> None:
        self.by_dedupe: dict[str, list[Live]] = defaultdict(list)
        self.by_thread: dict[str, list[Live]] = defaultdict(list)
        self.marks: dict[str, list[Any]] = defaultdict(list)
        #: stored rows this batch superseded, for the one UPDATE
        self.superseded: list[Live] = []

    @classmethod
    def load(cls, conn: Connection, msgs: Sequence[Any], now: datetime, build: RowBuilder) -> LiveRows:
        """What the outbox holds for the keys of ``msgs`` (``store.NewMessage``): three queries."""
        out = cls()
        seen: dict[int, Live] = {}

        def live(row: Sequence[Any]) -> Live:
            known = seen.get(row[0])  # one object per row: a status change shows under both keys
            if known is None:
                known = seen[row[0]] = Live(row, stored=True)
            return known

        windows = [m.dedupe_window for m in msgs if m.dedupe_key and m.dedupe_window]
        dedupe_keys = sorted({m.dedupe_key for m in msgs if m.dedupe_key and m.dedupe_window})
        if dedupe_keys:
            since = build.when(now - max(windows))
            for row in rows_in(conn, _DEDUPE_ROWS, dedupe_keys, since):
                out.by_dedupe[row[6]].append(live(row))
        threads = sorted({m.supersede_key for m in msgs if m.supersede_key})
        if threads:
            for row in rows_in(conn, _THREAD_ROWS, threads):
                out.by_thread[row[7]].append(live(row))
            closes = sorted({k for t in threads for k in covering(t)})
            oldest = build.when(min(m.event_at or now for m in msgs if m.supersede_key))
            for mark in rows_in(conn, _MARK_ROWS, closes, oldest):
                out.marks[mark[1]].append(mark)
        return out

    def earlier_in_window(self, key: str, after: Any) -> Live | None:
        """The first live row with dedupe key ``key`` created after ``after`` (lowest id on a tie)."""
        rows = self.by_dedupe.get(key)
        if not rows:  # the common case: no other message with the key
            return None
        rows = [r for r in rows if r.status in LIVE and r.created_at > after]
        return min(rows, key=lambda r: (r.created_at, r.id)) if rows else None

    def newer_in_thread(self, key: str, after: Any) -> Live | None:
        """The live row of thread ``key`` about the newest event after ``after`` (lowest id on a tie)."""
        rows = self.by_thread.get(key)
        if not rows:
            return None
        rows = [r for r in rows if r.status in LIVE and r.event_at is not None and r.event_at > after]
        if not rows:
            return None
        newest = max(r.event_at for r in rows)  # stored form: text on SQLite, so no negation
        return min((r for r in rows if r.event_at == newest), key=lambda r: r.id)

    def later_mark(self, key: str, after: Any) -> Any:
        """A close of thread ``key`` (or a prefix of it) after ``after``: the first such close."""
        if not self.marks:
            return None
        found = [m for k in covering(key) for m in self.marks.get(k, ()) if m[2] > after]
        return min(found, key=lambda m: (m[2], m[0])) if found else None

    def supersede(self, key: str, upto: Any, by: Any, message_id: str) -> int:
        """Mark the scheduled rows of thread ``key`` about events up to ``upto`` (or about none)
        superseded by the message ``by`` (a ``store.NewMessage``) written as ``message_id``;
        returns how many. (The reason's text is built only when there are some.)"""
        rows = self.by_thread.get(key)
        if not rows:
            return 0
        rows = [r for r in rows if r.status == "scheduled" and (r.event_at is None or r.event_at <= upto)]
        if rows:
            text = (f"superseded by message {message_id} (rule {by.rule}, event {by.event_id}) "
                    f"in thread {key!r}")
            for r in rows:
                r.status, r.reason = "superseded", text
                if r.stored:
                    self.superseded.append(r)
        return len(rows)


def next_ids(conn: Connection, count: int) -> list[int]:
    """``count`` outbox ids for the rows about to be written, in order. SQLite: after the
    largest (what SQLite itself would give; the write lock is held); PostgreSQL: from the
    table's sequence."""
    if count <= 0:
        return []
    if conn.dialect.name == "sqlite":
        top = fetch(conn, "SELECT max(id) FROM outbox")[0][0] or 0
        return list(range(top + 1, top + 1 + count))
    return sorted(r[0] for r in fetch(
        conn, "SELECT nextval(pg_get_serial_sequence('outbox', 'id')) FROM generate_series(1, %s)",
        (count,)))


def write_messages(conn: Connection, msgs: Sequence[Any], now: datetime,
                   prepared: PreparedRows | None = None) -> tuple[int, int]:
    """Decide and write ``msgs`` (``store.NewMessage``; the caller holds the key locks):
    returns (rows written, messages superseded). ``prepared``: their rows prepared before the
    transaction (:class:`PreparedRows` of these messages at this ``now``), else done here."""
    if prepared is None or not prepared.fits(msgs, conn.dialect.name, now):
        prepared = PreparedRows(msgs, conn.dialect.name, now)
    build = prepared.build
    checked: list[tuple[Any, tuple[Any, ...], str]] = []
    plain: list[tuple[Any, tuple[Any, ...], str]] = []
    for item in zip(msgs, prepared.prepared, prepared.names, strict=True):
        m = item[0]
        (checked if (m.dedupe_key or m.supersede_key) and m.status == "scheduled"
         else plain).append(item)
    # a repeat (the first write already did all of this) is not decided again; the unique key
    # drops any that slips through
    seen = existing_keys(conn, [item[0].idempotency_key for item in checked]) if checked else set()
    todo = []
    for item in checked:
        key = item[0].idempotency_key
        if key not in seen:
            seen.add(key)
            todo.append(item)
    known = LiveRows.load(conn, [item[0] for item in todo], now, build)
    ids = next_ids(conn, len(todo) + len(plain))
    decided: list[tuple[Any, tuple[Any, ...], Live]] = []
    superseded = 0
    since: dict[Any, Any] = {}  # a window's start, stored form (a batch has a few windows)
    stamp = build.now
    by_dedupe, by_thread = known.by_dedupe, known.by_thread
    for (msg, prep, message_id), row_id in zip(todo, ids, strict=False):
        event_at = prep[2]
        dedupe_key, key = msg.dedupe_key, msg.supersede_key
        me = Live((row_id, message_id, msg.rule, stamp, event_at, "scheduled", dedupe_key, key),
                  stored=False)
        me.reason = msg.status_reason
        window = msg.dedupe_window
        if window and dedupe_key and by_dedupe.get(dedupe_key):  # else: no earlier message has the key
            start = since.get(window)
            if start is None:
                start = since[window] = build.when(now - window)
            earlier = known.earlier_in_window(dedupe_key, start)
            if earlier is not None:
                me.status, me.reason = "suppressed", (
                    f"dedupe: message {earlier.id} ({earlier.message_id}) has the same key "
                    f"{dedupe_key!r} within {format_duration(window)}")
        if key and me.status == "scheduled" and (known.marks or by_thread.get(key)):
            at = event_at if msg.event_at is not None else stamp
            newer = known.newer_in_thread(key, at)
            mark = None if newer is not None else known.later_mark(key, at)
            if newer is not None:
                me.status, me.reason = "superseded", (
                    f"superseded: message {newer.id} ({newer.message_id}, rule {newer.rule}) is "
                    f"about a newer event in thread {key!r}")
            elif mark is not None:
                me.status, me.reason = "superseded", (
                    f"superseded: event {mark[3]} (rule {mark[4]}) closed thread {key!r} after "
                    "this event")
            else:
                superseded += known.supersede(key, at, msg, message_id)
        if me.status in LIVE:  # later messages of the batch see it (LiveRows.add, inlined)
            if dedupe_key:
                by_dedupe[dedupe_key].append(me)
            if key:
                by_thread[key].append(me)
        decided.append((msg, prep, me))
    finish = build.finish
    rows = [finish(msg, prep, me.id, me.message_id, me.status, me.reason)
            for msg, prep, me in decided]
    rows += [finish(msg, prep, row_id, message_id, msg.status, msg.status_reason)
             for (msg, prep, message_id), row_id in zip(plain, ids[len(todo):], strict=True)]
    execute_many(conn, _SUPERSEDE_ROWS.format(p=placeholder(conn)),
                 [(r.reason, stamp, r.id) for r in known.superseded])
    return insert_outbox_rows(conn, rows), superseded
