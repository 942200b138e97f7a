"""The worker's write path: outbox rows and inbox marks as prebuilt tuples in one
``executemany`` each (the decisions that precede them: ``outbox_batch``).

Rows go to the DBAPI as tuples, on the driver's own cursor of the transaction's connection
(:func:`fetch`, :func:`execute_many`): SQLAlchemy's per-row bind processing, and its result
rows around a look-up's few answers, cost more than the database's own work. Times are converted as :class:`UTCDateTime`
stores them (naive UTC text on SQLite, aware UTC on PostgreSQL), so a row reads back the same;
rows read back with the driver's SQL carry their times in that stored form, and are compared
so, as the database compares them.
"""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sqlalchemy.engine import Connection


def covering(key: str) -> list[str]:
    """The exact key and every prefix close that covers it: a|b|c, a|b|*, a|*."""
    out = [key]
    end = key.rfind("|")
    while end >= 0:  # each "|" from the right: the key up to it, then "|*"
        out.append(key[:end] + "|*")
        end = key.rfind("|", 0, end)
    return out


def placeholder(conn: Connection) -> str:
    """The driver's placeholder: ``?`` (sqlite3) or ``%s`` (psycopg)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def fetch(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """The rows of ``sql`` (the driver's placeholders, values as the driver takes them) run on
    the driver's cursor of ``conn``, inside its transaction: plain tuples, no SQLAlchemy result."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def execute_many(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> int:
    """``sql`` once per row in one ``executemany`` on the driver's cursor of ``conn``; returns
    the rows it changed (both drivers sum them over the rows)."""
    if not rows:
        return 0
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
        return max(int(cursor.rowcount), 0)
    finally:
        cursor.close()


def rows_in(conn: Connection, sql: str, keys: Sequence[Any], *params: Any) -> list[Any]:
    """Run ``sql`` with ``{keys}`` made one bound value holding every key and ``{p}`` one
    placeholder, bound to ``keys`` then ``params`` (as the driver takes them: see
    :func:`stored_time`). ``{keys}`` stands where ``IN (…)`` would: ``IN (SELECT value FROM
    json_each(?))`` on SQLite (a JSON array), ``= ANY(%s)`` on PostgreSQL (an array). One
    statement text whatever the count, so the driver's statement cache keeps it prepared: a
    list of one placeholder per key was parsed, planned and bound anew per batch (≈ 2 µs a key,
    more than the index probe). The queries name ``column IS NOT NULL`` beside ``{keys}``: the
    condition of the partial indexes they use, which SQLite infers from ``IN (list)`` but not
    from ``IN (SELECT …)``."""
    if conn.dialect.paramstyle != "qmark":
        return fetch(conn, sql.format(keys=_PG_KEYS, p="%s"), (list(keys), *params))
    if _has_json_each(conn):
        return fetch(conn, sql.format(keys=_SQLITE_KEYS, p="?"), (_encode_keys(list(keys)), *params))
    rows: list[Any] = []  # a SQLite built without JSON (before 3.38, optional): a list of keys
    for start in range(0, len(keys), 500):
        chunk = list(keys[start:start + 500])
        rows += fetch(conn, sql.format(keys=f"IN ({', '.join(['?'] * len(chunk))})", p="?"),
                      (*chunk, *params))
    return rows


_SQLITE_KEYS = "IN (SELECT value FROM json_each(?))"
_PG_KEYS = "= ANY(%s)"
_encode_keys = json.JSONEncoder(ensure_ascii=False).encode
_JSON_EACH: list[bool] = []  # whether this process's SQLite has json_each, asked once


def _has_json_each(conn: Connection) -> bool:
    if not _JSON_EACH:
        try:
            fetch(conn, "SELECT count(*) FROM json_each('[1]')")
            _JSON_EACH.append(True)
        except Exception:  # sqlite3.OperationalError: no such table: json_each
            _JSON_EACH.append(False)
    return _JSON_EACH[0]

_EXISTING_KEYS = "SELECT idempotency_key FROM outbox WHERE idempotency_key {keys}"


def existing_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` the outbox already holds as idempotency keys."""
    if not keys:
        return set()
    return {row[0] for row in rows_in(conn, _EXISTING_KEYS, list(dict.fromkeys(keys)))}


# -- prebuilt rows, one executemany ---------------------------------------------------------
OUTBOX_COLUMNS = (
    "id", "message_id", "idempotency_key", "event_id", "rule", "template", "kind", "platform",
    "marketplace", "buyer_id", "order_id", "channel", "message_type", "recipient", "language",
    "timezone", "subject", "body", "status", "status_reason", "send_at", "next_attempt_at",
    "created_at", "updated_at", "attempts", "dedupe_key", "supersede_key", "event_at", "details",
)
#: one encoder for every row (``json.dumps`` with options builds a new one per call)
_encode_details = json.JSONEncoder(ensure_ascii=False, default=str).encode
# the C encoder that ``JSONEncoder.encode`` builds for every call (with its Python set-up), built
# once with the same options: ``ensure_ascii=False``, ``default=str``, ", " and ": ", NaN allowed;
# no circular-reference bookkeeping (details are plain trees)
_iterencode = c_make_encoder(None, str, encode_basestring, None, ": ", ", ", False, False,
                             True) if c_make_encoder is not None else None


def encode_details(details: dict[str, Any] | str | None) -> str | None:
    """A message's ``details`` column: the JSON text of a dict (a value JSON cannot hold is
    written as its ``str``); a text is taken as already encoded. The very text of
    ``json.dumps(details, ensure_ascii=False, default=str)``."""
    if not details:
        return None
    if isinstance(details, str):
        return details
    return encode_value(details)


def encode_value(value: Any) -> str:
    """``value`` as :func:`encode_details` writes it inside a details text (the same encoder,
    which writes a value alike at the top and nested): parts of a details text can be encoded
    apart and joined with ``", "`` and ``": "``."""
    if _iterencode is None:  # pragma: no cover - CPython always has the C encoder
        return _encode_details(value)
    return "".join(_iterencode(value, 0))


# a version-7 UUID (RFC 9562), 16 bytes: 48 bits of Unix time in ms, the version (7) in byte 6's
# high nibble, 12 random bits, the variant (RFC 4122: 10) in byte 8's top bits, 62 random bits
_VERSION_7 = bytes(0x70 | (b & 0x0F) for b in range(256))
_VARIANT = bytes(0x80 | (b & 0x3F) for b in range(256))


def message_ids(count: int, now: datetime) -> list[str]:
    """``count`` version-7 UUIDs of the instant ``now`` as 32 hex digits, their random bits from
    one ``os.urandom`` call. Time-ordered, so that ids written later sort later: a batch's ids
    land at the end of the unique index on ``message_id`` (a few pages written per batch)
    instead of one random page each (uuid4), which a large outbox pays as one more page write
    per message in every commit. Built a byte column at a time (16 slice copies and two
    ``translate`` for the whole batch, one ``hex``), not an integer per id."""
    stamp = (int(now.timestamp() * 1000) & ((1 << 48) - 1)).to_bytes(6, "big")
    raw = os.urandom(10 * count)
    ids = bytearray(16 * count)
    for k in range(6):
        ids[k::16] = stamp[k:k + 1] * count
    for k in range(10):
        ids[6 + k::16] = raw[k::10]
    ids[6::16] = ids[6::16].translate(_VERSION_7)
    ids[8::16] = ids[8::16].translate(_VARIANT)
    text = ids.hex()
    return [text[i:i + 32] for i in range(0, 32 * count, 32)]


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


_UNSEEN = object()
#: a message's columns that are copied as they are, in :data:`OUTBOX_COLUMNS` order (one C call
#: instead of sixteen attribute reads a row)
_COPIED = operator.attrgetter(
    "idempotency_key", "event_id", "rule", "template", "kind", "platform", "marketplace",
    "buyer_id", "order_id", "channel", "message_type", "recipient", "language", "timezone",
    "subject", "body")


class RowBuilder:
    """Outbox rows of one insert batch as tuples in :data:`OUTBOX_COLUMNS` order, times
    converted as the dialect stores them (each distinct instant once per batch).

    A row is built in two steps: :meth:`prepare` — every column that does not depend on the
    database (the copied ones, the stored times, the details text), which the worker does before
    it takes the write lock — and :meth:`finish`, which adds the id, message id, status and
    reason the batch's decisions gave it."""

    def __init__(self, dialect: str, now: datetime) -> None:
        self.dialect = dialect
        self.at = now
        self._time = stored_time(dialect)
        self._times: dict[Any, Any] = {}
        #: the batch's instant, stored form (every row's created_at and updated_at)
        self.now = self.when(now)

    def when(self, value: datetime | None) -> Any:
        converted = self._times.get(value, _UNSEEN)  # a miss is common (event times): no KeyError
        if converted is _UNSEEN:
            converted = self._times[value] = self._time(value)
        return converted

    def prepare(self, msg: Any) -> tuple[Any, ...]:
        """``(copied columns, send_at, event_at, details)`` of ``msg`` (a ``store.NewMessage``),
        in their stored form."""
        details = msg.details
        return (_COPIED(msg), self.when(msg.send_at), self.when(msg.event_at),
                details if type(details) is str else encode_details(details))

    def finish(self, msg: Any, prepared: tuple[Any, ...], row_id: int, message_id: str,
               status: str, reason: str | None) -> tuple[Any, ...]:
        """The row of ``msg`` from its :meth:`prepare` with these ids, status and reason."""
        copied, send_at, event_at, details = prepared
        now = self.now
        return (row_id, message_id, *copied, status, reason, send_at, send_at, now, now, 0,
                msg.dedupe_key, msg.supersede_key, event_at, details)

    def row(self, msg: Any, row_id: int, message_id: str, status: str,
            reason: str | None) -> tuple[Any, ...]:
        """The row of ``msg`` (a ``store.NewMessage``) with these ids, status and reason."""
        return self.finish(msg, self.prepare(msg), row_id, message_id, status, reason)


class PreparedRows:
    """A batch's messages with their rows prepared (:meth:`RowBuilder.prepare`) and their
    message ids drawn, ahead of the write transaction: what is left for it is what depends on
    the database (look-ups, decisions, row ids) and the writes. Valid for these messages, this
    dialect and this ``now`` only (:meth:`fits`)."""

    __slots__ = ("build", "messages", "names", "prepared")

    def __init__(self, messages: Sequence[Any], dialect: str, now: datetime) -> None:
        self.messages = messages
        self.build = RowBuilder(dialect, now)
        self.prepared = [self.build.prepare(m) for m in messages]
        self.names = message_ids(len(messages), now)

    def fits(self, messages: Sequence[Any], dialect: str, now: datetime) -> bool:
        return (self.build.dialect == dialect and self.build.at == now
                and len(self.messages) == len(messages)
                and all(map(operator.is_, self.messages, messages)))


def insert_outbox_rows(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """``INSERT … ON CONFLICT (idempotency_key) DO NOTHING`` of ``rows`` (tuples from
    :class:`RowBuilder`) in one ``executemany``; returns how many were written."""
    sql = (f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)}) VALUES "
           f"({', '.join([placeholder(conn)] * len(OUTBOX_COLUMNS))}) "
           "ON CONFLICT (idempotency_key) DO NOTHING")
    return execute_many(conn, sql, rows)


def finish_inbox_rows(conn: Connection, results: Sequence[tuple[int, str, str | None]],
                      now: datetime) -> int:
    """Mark inbox rows ``(seq, outcome, error)`` processed, in one ``executemany``; only rows
    still waiting (``new``) are marked: returns how many were."""
    at = stored_time(conn.dialect.name)(now)
    m = placeholder(conn)
    return execute_many(conn, f"UPDATE inbox SET status = {m}, outcome = {m}, error = {m}, "
                              f"processed_at = {m} WHERE seq = {m} AND status = 'new'",
                        [("error" if error else "done", outcome, error, at, seq)
                         for seq, outcome, error in results])
