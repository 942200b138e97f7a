"""Storage: the inbox (events, unique by id) and the outbox (messages, unique by idempotency key).

SQLAlchemy Core over SQLite (WAL, ``BEGIN IMMEDIATE`` so writers queue instead of failing) by
default, or PostgreSQL (psycopg 3) where several daemons share one database and claim rows
with ``FOR UPDATE SKIP LOCKED``. Idempotency is a database fact: unique keys and
``ON CONFLICT DO NOTHING``, never a check in Python.

Times are stored in UTC.

Outbox states (the full story, with crash semantics and measured figures: docs/OUTBOX.md)::

                       claim (lease)             sent ───────────► sent
    scheduled ───────────────────────► sending ──failed (4xx) ────► failed
       ▲   │                              │  └──retry (408/429/5xx)─┐
       │   │                              │                         ▼
       │   │   lease expired (a daemon died mid-send): claimed again   scheduled, next_attempt_at
       │   │                                                       moved by backoff / Retry-After
       │   ├──► cancelled      (``queue cancel``)
       │   ├──► superseded     (a message about a newer event in the same thread)
       │   └──► failed         (dead-lettered: older than dispatch.max_age, or attempts used up)
       └─────── ``queue retry`` (from failed or cancelled)
    blocked    (compliance said no; written so, never sent)
    suppressed (a rule's dedupe window already holds a message with the same key; never sent)

Delivery is at-least-once to the sender: a row is marked ``sent`` only after the sender
confirmed it, so a daemon killed between the two sends it again once the lease has run out
— with the same ``message_id`` (the idempotency key a receiver uses to drop the repeat).

Dedupe and superseding are decided in the inserting transaction, serialised per key: SQLite
by ``BEGIN IMMEDIATE``, PostgreSQL by transaction-scoped advisory locks on the keys.

A claimed row carries a lease (``lease_until``); a daemon that dies mid-send leaves the row
to be reclaimed by anyone once the lease has expired.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, fields
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from autoreply.checkpoint import Checkpointer, sqlite_file
from autoreply.dbengine import make_engine
from autoreply.metrics import SUPERSEDED
from autoreply.outbox_batch import write_messages
from autoreply.outbox_write import PreparedRows, finish_inbox_rows
from autoreply.schema import (  # re-exported: other modules import them from here
    ACTIVE,
    FINAL,
    LIVE,
    RETIRED_INDEXES,
    SCHEMA_VERSION,
    STATES,
    BigId,
    UTCDateTime,
    attempts,
    inbox,
    inbox_payloads,
    literal_eq,
    meta,
    metadata,
    move_inbox_payloads,
    outbox,
    thread_marks,
)
from autoreply.store_queries import OutboxQueries
from autoreply.store_sql import (  # the statements, built once
    _CLAIMED_COLUMNS,
    _DEAD_LETTER,
    _EXTEND,
    _FINISH,
    _LOG_ATTEMPTS,
    _NEXT_AT,
    _RELEASE,
    _STARTED_AT,
    _SUPERSEDE_KEY,
    _SUPERSEDE_PREFIX,
    _age_from,
    _claim_statement,
    _lock_number,
    _short,
    _thread_lock,
)

__all__ = [  # noqa: RUF022 (grouped: schema, then this module)
    "ACTIVE", "FINAL", "LIVE", "SCHEMA_VERSION", "STATES", "BigId", "UTCDateTime", "attempts",
    "inbox", "inbox_payloads", "meta", "metadata", "outbox",
    "AttemptResult", "Claimed", "NewMessage", "Store",
]


def _dict_init(cls: type) -> type:
    """Give the frozen dataclass ``cls`` an ``__init__`` with the generated one's parameters (the
    same names, order and defaults) that stores the fields straight into the instance's
    ``__dict__``: the generated one calls ``object.__setattr__`` once per field, to get past the
    frozen class's own ``__setattr__``, which cost ~4× as much for a row's 24 fields (the worker
    builds one per message). Fields with a ``default_factory`` or ``init=False``, and
    ``__post_init__``, are not supported (none here)."""
    assert not hasattr(cls, "__post_init__")
    params, stores, defaults = [], [], {}
    for f in fields(cls):
        assert f.init and f.default_factory is MISSING, f.name
        if f.default is MISSING:
            params.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        stores.append(f"    d[{f.name!r}] = {f.name}")
    source = (f"def __init__(self, {', '.join(params)}):\n    d = self.__dict__\n"
              + "\n".join(stores) + "\n")
    namespace: dict[str, Any] = {}
    exec(source, dict(defaults), namespace)  # the source is built from the field names above
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = dict(cls.__init__.__annotations__)  # type: ignore[misc]
    cls.__init__ = init  # type: ignore[misc]
    return cls


@_dict_init
@dataclass(frozen=True)
class NewMessage:
    """A message the pipeline decided on, ready to be written to the outbox."""

    idempotency_key: str
    event_id: str
    rule: str
    template: str | None
    kind: str
    platform: str
    marketplace: str | None
    buyer_id: str | None
    order_id: str | None
    channel: str
    recipient: str | None
    language: str | None
    timezone: str | None
    subject: str | None
    body: str
    status: str
    send_at: datetime
    status_reason: str | None = None
    dedupe_key: str | None = None
    dedupe_window: timedelta | None = None
    #: a dict (encoded on writing) or its JSON text (the worker encodes while deciding)
    details: dict[str, Any] | str | None = None
    message_type: str | None = None
    supersede_key: str | None = None
    event_at: datetime | None = None


class Claimed(NamedTuple):
    """An outbox row claimed for sending (immutable; a ``NamedTuple``: made for every row a
    claim returns, it cost a tenth of a frozen dataclass with its 20 fields)."""

    id: int
    message_id: str
    idempotency_key: str
    event_id: str
    rule: str
    kind: str
    platform: str
    marketplace: str | None
    buyer_id: str | None
    order_id: str | None
    channel: str
    recipient: str | None
    language: str | None
    subject: str | None
    body: str
    send_at: datetime
    attempts: int
    started_at: datetime
    message_type: str | None = None
    retried_at: datetime | None = None


class AttemptResult(NamedTuple):
    """What one attempt came to, for :meth:`Store.record_results` (one per message tried)."""

    outbox_id: int
    outcome: str  # sent | retry | failed
    status_code: int | None
    error: str | None
    started_at: datetime
    finished_at: datetime
    next_attempt_at: datetime | None = None
    #: for ``failed``: why the message will never go out (kept as the row's status_reason)
    reason: str | None = None


class Store(OutboxQueries):
    """Inbox and outbox over one SQLAlchemy engine."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL", echo: bool = False,
                 create_dirs: bool = True, sqlite_cache_kib: int | None = None) -> None:
        self.url = url
        if create_dirs and url.startswith("sqlite:///"):
            from pathlib import Path

            path = Path(url.removeprefix("sqlite:///"))
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
        db_file = sqlite_file(sa.engine.make_url(url).database) if url.startswith("sqlite") else None
        #: SQLite: WAL checkpoints in a thread of their own, not in a writer's commit
        self.checkpointer = Checkpointer(db_file) if db_file else None
        self.engine = make_engine(url, sqlite_synchronous=sqlite_synchronous, echo=echo,
                                  sqlite_cache_kib=sqlite_cache_kib,
                                  own_checkpoints=self.checkpointer is not None)
        self.dialect = self.engine.dialect.name
        # SQLite has one writer at a time: this process's threads (dispatch workers, the inbox
        # worker, the intake) queue for it here, woken the moment it is free, instead of in
        # SQLite's busy handler, which polls with sleeps of 1, 2, 5, 10, 15, 20, 25 … ms
        self._writer = threading.RLock() if self.dialect == "sqlite" else None

    # -- lifecycle -------------------------------------------------------------------
    def migrate(self) -> None:
        """Create the schema, or bring an older one up to date."""
        with self.begin() as conn:
            if self.dialect == "postgresql":  # two daemons starting at once: one migrates
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7240518)"))
            row = conn.execute(
                sa.select(meta.c.value).where(meta.c.key == "schema_version")).first() \
                if sa.inspect(conn).has_table(meta.name) else None
            if row is not None and int(row.value) > SCHEMA_VERSION:
                raise RuntimeError(
                    f"the database schema is version {row.value}, newer than this autoreply "
                    f"({SCHEMA_VERSION}); upgrade autoreply")
            metadata.create_all(conn)
            self._add_missing(conn)
            move_inbox_payloads(conn)
            if row is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(row.value) < SCHEMA_VERSION:
                conn.execute(meta.update().where(meta.c.key == "schema_version")
                             .values(value=str(SCHEMA_VERSION)))

    @staticmethod
    def _add_missing(conn: Connection) -> None:
        """Bring tables made by an older autoreply up to date: add the (nullable) columns and
        the indexes it did not have, and drop the indexes it had that this one replaced. New
        tables are made by ``create_all``."""
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    assert column.nullable, f"{table.name}.{column.name} must be nullable"
                    kind = column.type.compile(dialect=conn.dialect)
                    conn.execute(sa.text(
                        f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
            indexes = {i["name"] for i in inspector.get_indexes(table.name)}
            for name in RETIRED_INDEXES.get(table.name, ()):
                if name in indexes:  # replaced by a narrower one below (schema.RETIRED_INDEXES)
                    conn.execute(sa.text(f"DROP INDEX {name}"))
            for index in table.indexes:
                if index.name not in indexes:
                    index.create(conn)

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.engine.dispose()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction (SQLite: ``BEGIN IMMEDIATE``, after this process's other
        writers)."""
        if self._writer is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._writer, self.engine.begin() as conn:
            yield conn
        if self.checkpointer is not None:
            self.checkpointer.poke()

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only transaction. On SQLite it takes no write lock (WAL readers never block
        the writers: the HTTP intake, ``submit``, the dispatcher); writing in it is a bug."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(snapshot=True)
            with conn.begin():
                yield conn

    def _insert(self, table: sa.Table) -> Any:
        return (postgresql.insert(table) if self.dialect == "postgresql" else sqlite.insert(table))

    # -- inbox -----------------------------------------------------------------------
    def add_events(self, events: Sequence[tuple[str, str, str, str]], *, source: str,
                   now: datetime) -> list[str]:
        """Persist events ``(event_id, kind, platform, payload_json)``; returns the ids that
        were new. A duplicate id is ignored by the unique key."""
        if not events:
            return []
        rows = [
            {"event_id": eid, "kind": kind, "platform": platform, "source": source,
             "received_at": now, "status": "new"}
            for eid, kind, platform, _payload in events
        ]
        payloads: dict[str, str] = {}
        for eid, _kind, _platform, payload in events:
            payloads.setdefault(eid, payload)  # an id twice in one call: the first is stored
        stmt = self._insert(inbox).on_conflict_do_nothing(index_elements=["event_id"])
        stmt = stmt.returning(inbox.c.seq, inbox.c.event_id)
        new: list[str] = []
        with self.begin() as conn:
            # one statement per chunk; RETURNING tells which rows were really inserted
            for start in range(0, len(rows), 500):
                result = conn.execute(stmt, rows[start:start + 500]).all()
                new.extend(r[1] for r in result)
                if result:
                    conn.execute(inbox_payloads.insert(),
                                 [{"seq": seq, "payload": payloads[eid]} for seq, eid in result])
        return new

    def claim_new_events(self, conn: Connection, limit: int) -> list[sa.Row[Any]]:
        """Inbox rows waiting for the pipeline, locked for this transaction (skip-locked on
        PostgreSQL so several daemons share the work): ``(seq, event_id, payload)``, in this
        order (the worker reads them by position)."""
        query = (
            sa.select(inbox.c.seq, inbox.c.event_id, inbox_payloads.c.payload)
            .select_from(inbox.outerjoin(inbox_payloads, inbox_payloads.c.seq == inbox.c.seq))
            .where(literal_eq(inbox.c.status, "new"))
            .order_by(inbox.c.seq)
            .limit(limit)
        )
        if self.dialect == "postgresql":  # the inbox rows only (an outer join's other side cannot be)
            query = query.with_for_update(skip_locked=True, of=inbox)
        return list(conn.execute(query).all())  # type: ignore[arg-type]

    def finish_events(self, conn: Connection, results: Sequence[tuple[int, str, str | None]],
                      now: datetime) -> int:
        """Mark inbox rows ``(seq, outcome, error)`` as processed (``done`` or ``error``), those
        still waiting only: returns how many were marked (fewer than given: another process
        took some meanwhile)."""
        return finish_inbox_rows(conn, results, now)  # one executemany of prebuilt tuples

    def pending_events(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(
                sa.select(sa.func.count()).select_from(inbox).where(literal_eq(inbox.c.status, "new"))
            ).scalar_one())

    # -- outbox: writing -------------------------------------------------------------
    def _lock_keys(self, conn: Connection, keys: Iterable[str | None]) -> None:
        """Serialise writers per dedupe / thread key (PostgreSQL; SQLite writers are serial).

        Transaction-scoped advisory locks, taken in one global order so two batches never
        wait on each other in a cycle."""
        if self.dialect != "postgresql":
            return
        numbers = sorted({_lock_number(k) for k in keys if k})
        for number in numbers:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:n)"), {"n": number})

    def insert_messages(self, conn: Connection, messages: Iterable[NewMessage],
                        now: datetime, prepared: PreparedRows | None = None) -> int:
        """Write decided messages; a repeated idempotency key is ignored (a unique key).

        - A message whose dedupe key already has a live message (scheduled, sending, sent)
          inside its window is stored ``suppressed``, naming that message.
        - A message with a thread key (``supersede_key``) replaces every *scheduled* message
          of its thread about an older event (they become ``superseded``, naming it); if the
          thread already has a message about a newer event, this one is ``superseded`` at
          once: an older status never goes out after a newer one.

        ``prepared``: the rows of these messages prepared before the transaction
        (:meth:`prepare_messages`), so that less is done while the write lock is held.

        Returns how many rows were written."""
        msgs = list(messages)
        if not msgs:
            return 0
        if self.dialect == "postgresql":  # SQLite: the write lock already serialises writers
            self._lock_keys(conn, [k for m in msgs
                                   for k in (m.dedupe_key, _thread_lock(m.supersede_key)) if k])
        # set-based: the outbox's rows for the batch's keys read once, the decisions made in
        # message order over them and the batch's own rows, then one INSERT and one UPDATE
        written, superseded = write_messages(conn, msgs, now, prepared)
        if superseded:
            SUPERSEDED.inc(superseded)
        return written

    def prepare_messages(self, messages: Sequence[NewMessage], now: datetime) -> PreparedRows:
        """What :meth:`insert_messages` of ``messages`` at ``now`` can do before the write
        transaction: every column that does not depend on the database, in its stored form,
        and the message ids. Pure; nothing is read or written."""
        return PreparedRows(messages, self.dialect, now)

    def close_thread(self, conn: Connection, key: str, *, event_at: datetime, event_id: str,
                     rule: str, now: datetime) -> int:
        """An event that sends nothing closes a thread (a restock closes the out-of-stock
        thread of that SKU): pending messages about older events are superseded, and so is
        any about an older event that arrives later. ``key`` may end in ``|*`` (a prefix)."""
        self._lock_keys(conn, [_thread_lock(key)])
        conn.execute(thread_marks.insert().values(thread_key=key, event_at=event_at,
                                                  event_id=event_id, rule=rule, created_at=now))
        return self.supersede(conn, key, event_at=event_at, now=now,
                              reason=f"superseded by event {event_id} (rule {rule}) in thread "
                                     f"{key!r}")

    def supersede(self, conn: Connection, key: str, *, event_at: datetime, now: datetime,
                  reason: str) -> int:
        """Mark the scheduled messages of thread ``key`` (or every thread under a ``…|*``
        prefix) about events up to ``event_at`` as superseded. A message being sent right now
        is left to finish. Returns how many."""
        self._lock_keys(conn, [_thread_lock(key)])
        params = {"b_event_at": event_at, "b_reason": reason, "b_now": now}
        if key.endswith("|*"):
            prefix = key[:-1]  # "a|b|*" covers "a|b|…"; compared exactly (LIKE ignores case on SQLite)
            result = conn.execute(_SUPERSEDE_PREFIX, {**params, "b_prefix": prefix,
                                                      "b_len": len(prefix)})
        else:
            result = conn.execute(_SUPERSEDE_KEY, {**params, "b_key": key})
        count = max(result.rowcount, 0)
        if count:
            SUPERSEDED.inc(count)
        return count

    # -- outbox: dispatching ---------------------------------------------------------
    def claim_due(self, *, now: datetime, limit: int, lease: timedelta, worker: str,
                  channel: str | None = None, not_channels: Sequence[str] = (),
                  max_age: timedelta | None = None) -> list[Claimed]:
        """Claim up to ``limit`` due rows: scheduled and due, or sending with an expired lease
        (a daemon died mid-send). ``channel`` / ``not_channels`` restrict the sender.

        One ``UPDATE … WHERE id IN (SELECT … ORDER BY next_attempt_at LIMIT n [FOR UPDATE SKIP
        LOCKED]) RETURNING …`` per condition: picking, leasing and reading are one statement.
        Rows older than ``max_age`` (counted from their send time, or from a manual retry)
        are dead-lettered to ``failed`` instead of being claimed; they use no attempt."""
        if limit <= 0:
            return []
        params: dict[str, Any] = {"b_now": now, "b_until": now + lease, "b_worker": worker,
                                  "b_channel": channel, "b_not": list(not_channels)}
        rows: list[Any] = []
        with self.begin() as conn:
            for expired_lease in (False, True):
                if len(rows) >= limit:
                    break
                stmt = _claim_statement(self.dialect, expired_lease, channel is not None,
                                        bool(not_channels))
                rows.extend(conn.execute(stmt, {**params, "b_limit": limit - len(rows)}).all())
            if not rows:
                return []
            expired = [] if max_age is None else [r[0] for r in rows if _age_from(r) + max_age < now]
            if expired:
                conn.execute(_DEAD_LETTER, {
                    "ids": expired, "b_now": now,
                    "b_reason": f"dead-lettered: not delivered within {_short(max_age)} of its "
                                "send time"})
                gone = set(expired)
                rows = [r for r in rows if r.id not in gone]
        rows.sort(key=lambda r: (r[_NEXT_AT], r[0]))
        # by position (_CLAIMED_COLUMNS' order): looking a Row's fields up by name cost more
        # than the rest of the claim, per row
        return [Claimed(*r[:_STARTED_AT], now, *r[_STARTED_AT:_NEXT_AT])  # type: ignore[call-arg]
                for r in rows]

    def record_results(self, results: Sequence[AttemptResult], *, worker: str,
                       renew: Sequence[int] = (), lease_until: datetime | None = None) -> None:
        """Record the attempts and move each row to sent / scheduled (retry) / failed; in the
        same transaction, renew the lease of the rows ``renew`` (the rest of the batch) to
        ``lease_until``.

        A row is only updated while this worker still holds it: if our lease expired and
        another worker took the row over, its outcome wins (our attempt is still logged).
        A retry of a message whose thread meanwhile got a message about a newer event is
        ``superseded`` instead: an older status never goes out after a newer one.

        Rows that end alike (the sent rows of a chunk share their answer and finish time)
        are moved by one ``UPDATE … WHERE id IN (…)``; retries, each with its own backoff,
        one by one."""
        if not results:
            if renew and lease_until is not None:
                self.extend_lease(renew, worker=worker, until=lease_until)
            return
        with self.begin() as conn:
            if renew and lease_until is not None:
                conn.execute(_EXTEND, {"ids": list(renew), "b_worker": worker,
                                       "b_until": lease_until})
            # one INSERT … SELECT per alike group (a chunk's sent rows share start, finish and
            # answer): the attempt number is counted in the statement, no round trip for it
            tried: dict[tuple[Any, ...], list[int]] = {}
            for r in results:
                tried.setdefault((r.started_at, r.finished_at, r.outcome, r.status_code,
                                  r.error), []).append(r.outbox_id)
            for (started, finished, outcome, code, error), group in tried.items():
                conn.execute(_LOG_ATTEMPTS, {
                    "ids": group, "b_started": started, "b_finished": finished,
                    "b_outcome": outcome, "b_code": code, "b_error": error, "b_worker": worker})
            groups: dict[tuple[Any, ...], list[int]] = {}
            retries = [r for r in results if r.outcome == "retry"]
            for r in results:
                if r.outcome == "retry":
                    continue
                sent = r.outcome == "sent"
                key = ("sent" if sent else "failed", r.finished_at if sent else None,
                       r.next_attempt_at or r.finished_at, r.status_code, r.error, r.finished_at,
                       None if sent else r.reason or r.error)
                groups.setdefault(key, []).append(r.outbox_id)
            for (status, sent_at, next_at, code, error, at, reason), group in groups.items():
                conn.execute(_FINISH, {
                    "ids": group, "b_worker": worker, "b_status": status, "b_sent_at": sent_at,
                    "b_next": next_at, "b_code": code, "b_error": error, "b_now": at,
                    "b_reason": reason})
            if retries:
                self._record_retries(conn, retries, worker)

    def _record_retries(self, conn: Connection, retries: Sequence[AttemptResult],
                        worker: str) -> None:
        """Back to ``scheduled`` at each row's own next attempt, or ``superseded`` if its
        thread got a message about a newer event meanwhile."""
        held = {
            row.id: row for row in conn.execute(
                sa.select(outbox.c.id, outbox.c.supersede_key, outbox.c.event_at).where(
                    outbox.c.id.in_([r.outbox_id for r in retries]),
                    outbox.c.status == "sending", outbox.c.claimed_by == worker)
            ).all()
        }
        updates = []
        for r in retries:
            if r.outbox_id not in held:
                continue
            status, reason = "scheduled", None
            row = held[r.outbox_id]
            if row.supersede_key:
                newer = self._newer_in_thread(conn, row.id, row.supersede_key, row.event_at)
                if newer is not None:
                    status, reason = "superseded", (
                        f"superseded: message {newer} is about a newer event in thread "
                        f"{row.supersede_key!r}")
            updates.append({
                "b_id": r.outbox_id, "b_status": status, "b_sent_at": None,
                "b_next": r.next_attempt_at or r.finished_at,
                "b_code": r.status_code, "b_error": r.error, "b_now": r.finished_at,
                "b_reason": reason,
            })
        if updates:
            conn.execute(
                outbox.update()
                .where(outbox.c.id == sa.bindparam("b_id"))
                .values(status=sa.bindparam("b_status"), sent_at=sa.bindparam("b_sent_at"),
                        next_attempt_at=sa.bindparam("b_next"),
                        last_status_code=sa.bindparam("b_code"),
                        last_error=sa.bindparam("b_error"), updated_at=sa.bindparam("b_now"),
                        status_reason=sa.bindparam("b_reason"),
                        lease_until=None, claimed_by=None),
                updates,
            )

    @staticmethod
    def _newer_in_thread(conn: Connection, row_id: int, key: str,
                         event_at: datetime | None) -> int | None:
        query = sa.select(outbox.c.id).where(
            outbox.c.supersede_key == key, outbox.c.id != row_id, outbox.c.status.in_(LIVE))
        if event_at is not None:
            query = query.where(outbox.c.event_at > event_at)
        return conn.execute(query.limit(1)).scalar()

    def extend_lease(self, ids: Sequence[int], *, worker: str, until: datetime) -> None:
        """Renew the lease of rows this worker still holds (a long batch in progress)."""
        if not ids:
            return
        with self.begin() as conn:
            conn.execute(_EXTEND, {"ids": list(ids), "b_worker": worker, "b_until": until})

    def release(self, ids: Sequence[int], *, worker: str, now: datetime) -> None:
        """Hand claimed rows back unsent (shutdown before they were tried): no attempt used."""
        if not ids:
            return
        with self.begin() as conn:
            conn.execute(_RELEASE, {"ids": list(ids), "b_worker": worker, "b_now": now})

    def set_status(self, outbox_id: int, *, to: str, allowed_from: Sequence[str], now: datetime,
                   reason: str | None = None, next_attempt_at: datetime | None = None) -> bool:
        """Move one row between states, only from ``allowed_from`` (checked in the UPDATE).

        Moving a row back to ``scheduled`` (a manual retry) gives it a fresh attempt budget
        and a fresh maximum age, counted from now."""
        values: dict[str, Any] = {"status": to, "updated_at": now, "status_reason": reason}
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        if to == "scheduled":
            values.update(attempts=0, retried_at=now, lease_until=None, claimed_by=None)
        with self.begin() as conn:
            result = conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id, outbox.c.status.in_(list(allowed_from)))
                .values(**values)
            )
            return result.rowcount == 1


# a claimed row is read by position (store_sql's columns): its fields must stay in step
if list(Claimed._fields) != [
        *(c.name for c in _CLAIMED_COLUMNS[:_STARTED_AT]), "started_at",
        *(c.name for c in _CLAIMED_COLUMNS[_STARTED_AT:_NEXT_AT])]:
    raise RuntimeError("Claimed's fields and _CLAIMED_COLUMNS are out of step")
