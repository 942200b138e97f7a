"""Inbox → pipeline → outbox, one transaction per batch.

Rows are claimed (skip-locked on PostgreSQL), decided by the pure pipeline, and their
messages written with the inbox rows marked done — all in one transaction, so a crash at any
point either keeps everything or nothing: unprocessed events are simply processed again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from autoreply.clock import Clock
from autoreply.compliance.history import OutboxHistory
from autoreply.events import Event
from autoreply.localtime import iso_text
from autoreply.logs import Lines, get_logger
from autoreply.metrics import DECISIONS, EVENTS_PROCESSED
from autoreply.outbox_write import PreparedRows, encode_value
from autoreply.pipeline import Decision, Engine, Outcome
from autoreply.store import NewMessage, Store

#: JSON texts of the recurring parts of a message's details (language choices, reason lists,
#: verdicts without findings, zone sources, local send times) as ``encode_details`` writes them
#: inside the details, by a key naming the part and every value its text depends on; bounded
_PART_TEXTS: dict[Any, str] = {}
_PART_TEXTS_MAX = 8192


def _remember(key: Any, value: Any) -> str:
    """``value``'s JSON text, remembered under ``key`` (look it up first: ``_PART_TEXTS.get``)."""
    if len(_PART_TEXTS) >= _PART_TEXTS_MAX:
        _PART_TEXTS.clear()
    text = _PART_TEXTS[key] = encode_value(value)
    return text


def _part(key: Any, value: Any) -> str:
    return _PART_TEXTS.get(key) or _remember(key, value)


def details_of(d: Decision) -> str:
    """A message's ``details`` column: the very text of ``encode_details`` on
    ``{"language", "timezone_source", "send_at_local", "send_reasons", "compliance"}``, joined
    from the parts' texts — remembered, since a batch's messages share a few language choices,
    reason lists and send times (a details dict encoded whole cost more than its message's
    other columns together). A verdict with findings is encoded each time."""
    texts = _PART_TEXTS
    lang = d.language
    if lang is None:
        language = "null"
    else:  # the float's type and sign are in the key: 0 and 0.0, 0.0 and -0.0 are written apart
        confidence = lang.confidence
        key: tuple[Any, ...] = ("language", lang.detected, type(confidence), confidence or repr(confidence),
                                lang.chosen, lang.reason, lang.template_language, lang.detail)
        language = texts.get(key) or _remember(key, lang.as_dict())
    local = iso_text(d.send_at_local) if d.send_at_local else None
    verdict = d.compliance
    if verdict.findings:
        compliance = encode_value(verdict.as_dict())
    else:
        key = ("compliance", verdict.verdict)
        compliance = texts.get(key) or _remember(key, verdict.as_dict())
    reasons = d.send_reasons
    return "".join((
        '{"language": ', language,
        ', "timezone_source": ', _part(("text", d.zone.source), d.zone.source),
        ', "send_at_local": ', _part(("text", local), local),
        ', "send_reasons": ', (_part(("reasons", *reasons), reasons) if type(reasons) is list
                               else encode_value(reasons)),
        ', "compliance": ', compliance, "}"))


def messages_of(outcome: Outcome) -> list[NewMessage]:
    """The outbox rows an outcome asks for: queued and blocked messages (blocked are kept,
    with their findings, and never sent). Their details are JSON already: encoded while
    deciding, not in the write transaction (which holds SQLite's write lock)."""
    event = outcome.event
    out = []
    for d in outcome.decisions:
        if d.decision not in ("queue", "blocked") or d.send_at_utc is None:
            continue
        details = details_of(d)
        out.append(NewMessage(
            idempotency_key=d.idempotency_key, event_id=event.id, rule=d.rule,
            template=d.template, kind=event.kind, platform=event.platform,
            marketplace=event.marketplace, buyer_id=event.buyer.id,
            order_id=event.order.id if event.order else None, channel=d.channel or "log",
            recipient=d.recipient, language=d.language.chosen if d.language else None,
            timezone=d.zone.timezone, subject=d.rendered.subject if d.rendered else None,
            body=d.rendered.body if d.rendered else "",
            status="scheduled" if d.decision == "queue" else "blocked",
            status_reason=d.reason, send_at=d.send_at_utc, dedupe_key=d.dedupe_key,
            dedupe_window=d.dedupe_window, details=details, message_type=d.message_type,
            supersede_key=d.supersede_key, event_at=event.occurred_at,
        ))
    return out


def supersedes_of(outcome: Outcome) -> list[tuple[str, str]]:
    """Threads a skip rule closes: ``(thread key, rule)`` — e.g. a restock event that
    cancels a pending out-of-stock notice for that SKU and buyer."""
    return [(d.supersede_key, d.rule) for d in outcome.decisions
            if d.decision == "skipped" and d.supersede_key]


def outcome_summary(outcome: Outcome) -> str:
    if not outcome.decisions:
        return "no_rule"
    return ",".join(f"{d.rule}:{d.decision}" for d in outcome.decisions)[:64]


@functools.cache
def _decided(rule: str, decision: str) -> Any:
    """The ``DECISIONS`` child of a (rule, decision): looked up once, not per message."""
    return DECISIONS.labels(rule, decision)


@functools.cache
def _processed(outcome: str) -> Any:
    return EVENTS_PROCESSED.labels(outcome)


#: called for every parsed event inside the batch's write transaction (e.g. the SLA tracker)
Observer = Callable[[Connection, Event, datetime], None]


class BatchTaken(Exception):
    """A batch's inbox rows were processed by another worker while this one decided them."""


@dataclass
class _Batch:
    """What a batch decided, to be written in one transaction."""

    parsed: list[Event] = field(default_factory=list)
    messages: list[NewMessage] = field(default_factory=list)
    closing: list[tuple[str, str, Event]] = field(default_factory=list)
    finished: list[tuple[int, str, str | None]] = field(default_factory=list)
    #: metric children and how much each goes up: counted per event, added once per batch
    counts: dict[Any, int] = field(default_factory=dict)
    #: the messages' rows prepared before the write transaction (Store.prepare_messages)
    prepared: PreparedRows | None = None

    def count(self, child: Any) -> None:
        self.counts[child] = self.counts.get(child, 0) + 1

    def add_counts(self) -> None:
        """Add the counted events and decisions to their metrics (``Counter.inc`` takes a lock:
        once per label set and batch, not once per event)."""
        for child, n in self.counts.items():
            child.inc(n)
        self.counts.clear()



class InboxWorker:
    def __init__(self, store: Store, engine: Callable[[], Engine], clock: Clock, batch_size: int,
                 observers: Sequence[Observer] = ()) -> None:
        self.observers = tuple(observers)
        self.store = store
        self.engine = engine
        self.clock = clock
        self.batch_size = batch_size
        self.log = get_logger(component="worker")

    def run_once(self) -> int:
        """Process one batch; returns how many events it took.

        PostgreSQL: one transaction; the inbox rows are locked (skip-locked, so several daemons
        share the work) while the batch is decided and its messages written. SQLite has one
        writer at a time, so the batch is decided on a read snapshot that holds no lock, and
        only the writes take the write lock: the intake and the dispatcher never wait for the
        pipeline. If another process took the same rows meanwhile, nothing is written and the
        next round starts over."""
        engine = self.engine()
        now = self.clock.now()
        if self.store.dialect == "postgresql":
            with self.store.begin() as conn:
                rows = self.store.claim_new_events(conn, self.batch_size)
                if not rows:
                    return 0
                batch = self._decide(conn, rows, engine, now)
                self.prepare(batch, now)
                self._write(conn, batch, now)
            return len(rows)
        with self.store.snapshot() as conn:
            rows = self.store.claim_new_events(conn, self.batch_size)
            batch = self._decide(conn, rows, engine, now)
        if not rows:
            return 0
        self.prepare(batch, now)  # before the write lock: what does not depend on the database
        try:
            with self.store.begin() as conn:
                self._write(conn, batch, now)
        except BatchTaken:  # rolled back: nothing of this batch is written
            self.log.warning("inbox_batch_taken", events=len(rows))
            return 0
        return len(rows)

    def _decide(self, conn: Connection, rows: Sequence[Any], engine: Engine, now: datetime) -> _Batch:
        batch = _Batch()
        history = OutboxHistory(conn, batch.messages)  # caps see stored rows and this batch's
        lines = Lines()  # the batch's event_decided lines, written at once
        try:
            for row in rows:
                self._decide_one(row, engine, now, history, batch, lines)
        finally:
            lines.flush()
            batch.add_counts()
        return batch

    def _decide_one(self, row: Any, engine: Engine, now: datetime, history: OutboxHistory,
                    batch: _Batch, lines: Lines) -> None:
        # event_id first among the fields: the line a logger bound to it would write, without binding
        # one per event (the error line below binds it). The row is read by position
        # (``Store.claim_new_events``' columns): a Row's field by name cost ~10× as much.
        seq, event_id, payload = row
        try:
            event = Event.model_validate_json(payload)
            batch.parsed.append(event)
            outcome = engine.decide(event, now, history=history, explain=False)
        except Exception as exc:  # one bad event must not stall the inbox
            lines.flush()  # the lines of the events before it come first
            self.log.bind(event_id=event_id).error("event_failed", error=f"{type(exc).__name__}: {exc}")
            batch.finished.append((seq, "error", f"{type(exc).__name__}: {exc}"))
            batch.count(_processed("error"))
            return
        batch.count(_processed(outcome.decision))
        batch.messages.extend(messages_of(outcome))
        batch.closing.extend((key, rule, event) for key, rule in supersedes_of(outcome))
        batch.finished.append((seq, outcome_summary(outcome), None))
        for d in outcome.decisions:
            batch.count(_decided(d.rule, d.decision))
            lines.info(self.log, "event_decided", event_id=event_id, rule=d.rule, decision=d.decision,
                       language=d.language.chosen if d.language else None,
                       timezone=d.zone.timezone,
                       send_at_utc=iso_text(d.send_at_utc) if d.send_at_utc else None,
                       findings=[f.check for f in d.compliance.findings] or None)
        if not outcome.decisions:
            lines.info(self.log, "event_decided", event_id=event_id, decision="no_rule")

    def prepare(self, batch: _Batch, now: datetime) -> None:
        """The outbox rows of ``batch``, as far as they do not depend on the database (copied
        columns, stored times, details, message ids): built before the write transaction, so
        SQLite's write lock is held for the look-ups, decisions and writes only."""
        batch.prepared = self.store.prepare_messages(batch.messages, now)

    def _write(self, conn: Connection, batch: _Batch, now: datetime) -> None:
        """Write what ``batch`` decided, its inbox rows marked first: if any of them is no
        longer waiting (SQLite: another process wrote the same rows after this one decided them
        on its snapshot), :class:`BatchTaken` is raised and the transaction must roll back."""
        if self.store.finish_events(conn, batch.finished, now) != len(batch.finished):
            raise BatchTaken
        for event in batch.parsed:
            for observe in self.observers:
                try:
                    with conn.begin_nested():  # a failing observer must not undo the batch
                        observe(conn, event, now)
                except Exception as exc:
                    self.log.error("observer_failed", event_id=event.id, error=f"{type(exc).__name__}: {exc}")
        for key, rule, event in batch.closing:
            n = self.store.close_thread(conn, key, event_at=event.occurred_at,
                                        event_id=event.id, rule=rule, now=now)
            if n:
                self.log.info("messages_superseded", event_id=event.id, rule=rule, count=n)
        self.store.insert_messages(conn, batch.messages, now, batch.prepared)

    def drain(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        total = 0
        while not should_stop():
            n = self.run_once()
            total += n
            if n < self.batch_size:
                break
        return total
