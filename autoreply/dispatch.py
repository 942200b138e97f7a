"""The dispatcher: claims due outbox rows, hands them to their sender, records every attempt.

Senders only classify (sent / retry / failed); the dispatcher decides when to retry:

- exponential backoff with full jitter (``retry_base_seconds`` × 2^(attempt-1), drawn between
  half and all of it, capped at ``retry_max_seconds``), never sooner than a ``Retry-After``;
- ``failed`` once ``max_attempts`` are used up, or when the next attempt would fall after
  ``max_age_seconds`` from the message's send time (dead-lettered, with the reason kept);
- rate limits: tokens are taken from the sender's bucket *before* claiming, so a message
  that cannot get one waits in ``scheduled`` without using an attempt; a 429 empties and
  pauses the bucket for every worker of the daemon;
- results are committed every ``chunk_size`` messages, which bounds what a crash can repeat;
  in the same transaction, once a twentieth of the lease has passed since the claim or the
  last renewal, the lease of the rest of the batch is renewed: a chunk starts with about
  95 % of the lease ahead (renewing at every chunk rewrote up to ``max_batch_size`` rows
  per chunk of 20: most of the drain's database work on PostgreSQL);
- the claim follows the backlog: a claim that comes back full doubles the next one (up to
  ``max_batch_size``), a short one goes back to ``batch_size``, so a deep queue is drained
  with fewer claims while a short one keeps its latency.

The ``autoreply_messages`` gauges are read from the store when ``/metrics`` is scraped
(``intake.refresh_gauges``), not here: counting a million-row outbox every few seconds in
the dispatch loop delayed every message due meanwhile.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from autoreply.clock import Clock
from autoreply.logs import get_logger, info_each
from autoreply.metrics import DEAD_LETTERS, LATENESS, RATE_LIMITED, SEND_LATENCY, SENDS
from autoreply.ratelimit import RateLimits
from autoreply.senders import Sender, SendResult
from autoreply.settings import DispatchSettings
from autoreply.store import AttemptResult, Claimed, Store


class Dispatcher:
    def __init__(
        self,
        store: Store,
        senders: Mapping[str, Sender],
        clock: Clock,
        settings: DispatchSettings,
        worker_id: str,
        rng: random.Random | None = None,
        limits: RateLimits | None = None,
    ) -> None:
        self.store = store
        self.senders = senders
        self.clock = clock
        self.settings = settings
        self.worker_id = worker_id
        self.rng = rng or random.Random()
        self.limits = limits or RateLimits(clock=clock)
        self.log = get_logger(component="dispatch", worker=worker_id)
        self._batch: dict[str, int] = {}  # per sender: the next claim's size
        self._sends: dict[tuple[str, str, str], Any] = {}  # SENDS children, by labels
        self._latency: dict[str, Any] = {}  # SEND_LATENCY children, by sender

    def batch_size(self, name: str) -> int:
        """How many rows the next claim for sender ``name`` asks for."""
        return self._batch.get(name, self.settings.batch_size)

    def _follow_backlog(self, name: str, asked: int, got: int) -> None:
        """A full claim means a backlog: ask for twice as many next time (up to
        ``max_batch_size``); a short one goes back to ``batch_size``."""
        if got >= asked and got:
            ceiling = max(self.settings.max_batch_size, self.settings.batch_size)
            self._batch[name] = min(self.batch_size(name) * 2, ceiling)
        else:
            self._batch.pop(name, None)

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.lease_seconds)

    @property
    def max_age(self) -> timedelta:
        return timedelta(seconds=self.settings.max_age_seconds)

    def backoff(self, attempt: int, retry_after: float | None) -> timedelta:
        base = min(
            self.settings.retry_base_seconds * (2 ** max(attempt - 1, 0)),
            self.settings.retry_max_seconds,
        )
        delay = self.rng.uniform(base / 2, base)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return timedelta(seconds=delay)

    def _result(self, msg: Claimed, result: SendResult, finished: datetime) -> AttemptResult:
        outcome = result.outcome
        next_at = None
        error = result.error
        reason = None
        if outcome == "failed":
            reason = f"permanent: {result.status_code or '-'} {result.error or ''}".rstrip()
        elif outcome == "retry":
            next_at = finished + self.backoff(msg.attempts, result.retry_after)
            deadline = max(msg.send_at, msg.retried_at or msg.send_at) + self.max_age
            if msg.attempts >= self.settings.max_attempts:
                outcome, next_at = "failed", None
                reason = f"gave up after {msg.attempts} attempts: {result.error}"
                error = reason
                DEAD_LETTERS.labels("attempts").inc()
            elif next_at > deadline:
                outcome, next_at = "failed", None
                reason = (
                    f"dead-lettered: the next attempt would be more than "
                    f"{_hours(self.max_age)} after the send time; last error: {result.error}"
                )
                DEAD_LETTERS.labels("max_age").inc()
        return AttemptResult(
            msg.id, outcome, result.status_code, error, msg.started_at, finished, next_at, reason
        )

    # -- one pass --------------------------------------------------------------------
    def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        """Claim and send one batch per sender (as many as its tokens allow); returns how
        many messages were claimed."""
        total = 0
        now = self.clock.now()
        for name, sender in self.senders.items():
            if should_stop():
                break
            asked = self.batch_size(name)
            tokens = self.limits.take(name, asked)
            if tokens == 0:
                RATE_LIMITED.labels(name).inc()
                continue
            claimed = self.store.claim_due(
                now=now,
                limit=tokens,
                lease=self.lease,
                worker=self.worker_id,
                channel=name,
                max_age=self.max_age,
            )
            self.limits.give_back(name, tokens - len(claimed))
            self._follow_backlog(name, asked, len(claimed) if tokens == asked else 0)
            total += len(claimed)
            if claimed:
                self._send(name, sender, claimed, should_stop, held_until=now + self.lease)
        # rows for a sender this daemon does not have (e.g. removed from the config)
        orphans = self.store.claim_due(
            now=now,
            limit=self.settings.batch_size,
            lease=self.lease,
            worker=self.worker_id,
            not_channels=list(self.senders),
            max_age=self.max_age,
        )
        if orphans:
            total += len(orphans)
            self._record(
                orphans,
                [SendResult.retry(f"no sender named {m.channel!r} is configured") for m in orphans],
                orphans[0].channel,
            )
        return total

    def _send(
        self, name: str, sender: Sender, claimed: Sequence[Claimed],
        should_stop: Callable[[], bool], held_until: datetime,
    ) -> None:
        """Hand the batch to the sender a chunk at a time, committing each chunk's results;
        ``held_until`` is the batch's lease as the claim set it."""
        size = self.settings.chunk_size
        latency = self._latency.get(name)
        if latency is None:
            latency = self._latency[name] = SEND_LATENCY.labels(name)
        for start in range(0, len(claimed), size):
            chunk = claimed[start : start + size]
            left = claimed[start + size :]
            if should_stop():
                rest = claimed[start:]
                self.store.release(
                    [m.id for m in rest], worker=self.worker_id, now=self.clock.now()
                )
                self.log.info("batch_released", channel=name, count=len(rest))
                return
            started = time.perf_counter()
            try:
                outcomes = sender.send_batch(chunk)
                if len(outcomes) != len(chunk):
                    raise RuntimeError(f"{len(outcomes)} results for {len(chunk)} messages")
            except Exception as exc:  # a sender must not raise; if it does, retry later
                outcomes = [SendResult.retry(f"{type(exc).__name__}: {exc}")] * len(chunk)
            latency.observe(time.perf_counter() - started)
            # the results and the renewed lease of what is left commit together
            renew = bool(left) and self.clock.now() + self.lease * 0.95 >= held_until
            renewed = self._record(chunk, outcomes, name, renew=[m.id for m in left] if renew else ())
            if renew:
                held_until = renewed
            limited = [o for o in outcomes if o.status_code == 429 or not o.tried]
            if limited:
                wait = max((o.retry_after or 0.0) for o in limited)
                self.limits.pause(name, wait)
                if left:
                    self.store.release(
                        [m.id for m in left], worker=self.worker_id, now=self.clock.now()
                    )
                return

    def _record(self, chunk: Sequence[Claimed], outcomes: Sequence[SendResult], name: str,
                renew: Sequence[int] = ()) -> datetime:
        """Record a chunk's answers in one transaction, which also renews the lease of the
        batch's rows still to be sent (``renew``); one ``message_attempted`` line each.
        The chunk's answers came back together: they share one finish time. Returns the
        end of the renewed lease."""
        results: list[AttemptResult] = []
        untried: list[int] = []
        now = self.clock.now()
        lines: list[dict[str, Any]] = []  # the message_attempted lines, written together
        counts: dict[tuple[str, str, str], int] = {}  # SENDS increments, added once per chunk
        for msg, outcome in zip(chunk, outcomes, strict=True):
            if not outcome.tried:
                untried.append(msg.id)
                continue
            result = self._result(msg, outcome, now)
            results.append(result)
            labels = (name, result.outcome, str(outcome.status_code or ""))
            counts[labels] = counts.get(labels, 0) + 1
            if result.outcome == "sent":
                LATENESS.observe(max((now - msg.send_at).total_seconds(), 0.0))
            lines.append({
                "message_id": msg.message_id,
                "event_id": msg.event_id,
                "rule": msg.rule,
                "outcome": result.outcome,
                "status_code": outcome.status_code,
                "attempt": msg.attempts,
                "error": result.error,
                "next_attempt_at": result.next_attempt_at.isoformat()
                if result.next_attempt_at
                else None,
            })
        info_each(self.log.bind(channel=name), "message_attempted", lines)
        for labels, n in counts.items():
            counter = self._sends.get(labels)
            if counter is None:
                counter = self._sends[labels] = SENDS.labels(*labels)
            counter.inc(n)
        self.store.record_results(results, worker=self.worker_id, renew=renew,
                                  lease_until=now + self.lease)
        if untried:
            self.store.release(untried, worker=self.worker_id, now=now)
        return now + self.lease

    def drain(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        total = 0
        while not should_stop():
            n = self.run_once(should_stop)
            total += n
            if n == 0:
                break
        return total


def _hours(delta: timedelta) -> str:
    from autoreply.durations import format_duration

    return format_duration(delta)
