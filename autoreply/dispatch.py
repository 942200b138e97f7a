"""The dispatcher: claims due outbox rows, hands them to their sender, records every attempt.

Senders only classify (sent / retry / failed); the dispatcher decides when to retry:
exponential backoff with full jitter, never sooner than a ``Retry-After``, and ``failed``
once the attempts are used up.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import timedelta

from autoreply.clock import Clock
import time

from autoreply.logs import get_logger
from autoreply.metrics import LATENESS, SEND_LATENCY, SENDS
from autoreply.senders import SendResult, Sender
from autoreply.settings import DispatchSettings
from autoreply.store import AttemptResult, Claimed, Store


class Dispatcher:
    def __init__(self, store: Store, senders: Mapping[str, Sender], clock: Clock,
                 settings: DispatchSettings, worker_id: str, rng: random.Random | None = None) -> None:
        self.store = store
        self.senders = senders
        self.clock = clock
        self.settings = settings
        self.worker_id = worker_id
        self.rng = rng or random.Random()
        self.log = get_logger(component="dispatch", worker=worker_id)

    def backoff(self, attempt: int, retry_after: float | None) -> timedelta:
        base = self.settings.retry_base_seconds * (2 ** max(attempt - 1, 0))
        delay = self.rng.uniform(base / 2, base)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return timedelta(seconds=delay)

    def _result(self, msg: Claimed, result: SendResult) -> AttemptResult:
        finished = self.clock.now()
        outcome = result.outcome
        next_at = None
        error = result.error
        if outcome == "retry":
            if msg.attempts >= self.settings.max_attempts:
                outcome = "failed"
                error = f"gave up after {msg.attempts} attempts: {result.error}"
            else:
                next_at = finished + self.backoff(msg.attempts, result.retry_after)
        return AttemptResult(msg.id, outcome, result.status_code, error, msg.started_at,
                             finished, next_at)

    def run_once(self) -> int:
        now = self.clock.now()
        claimed = self.store.claim_due(now=now, limit=self.settings.batch_size,
                                       lease=timedelta(seconds=self.settings.lease_seconds),
                                       worker=self.worker_id)
        if not claimed:
            return 0
        by_channel: dict[str, list[Claimed]] = defaultdict(list)
        for msg in claimed:
            by_channel[msg.channel].append(msg)
        results: list[AttemptResult] = []
        for channel, batch in by_channel.items():
            sender = self.senders.get(channel)
            started = time.perf_counter()
            if sender is None:
                outcomes = [SendResult.retry(f"no sender named {channel!r} is configured")] * len(batch)
            else:
                try:
                    outcomes = sender.send_batch(batch)
                except Exception as exc:  # a sender must not raise; if it does, retry later
                    outcomes = [SendResult.retry(f"{type(exc).__name__}: {exc}")] * len(batch)
            SEND_LATENCY.labels(channel).observe(time.perf_counter() - started)
            for msg, outcome in zip(batch, outcomes, strict=True):
                results.append(self._result(msg, outcome))
                SENDS.labels(channel, outcome.outcome, str(outcome.status_code or "")).inc()
                if outcome.outcome == "sent":
                    LATENESS.observe(max((now - msg.send_at).total_seconds(), 0.0))
                self.log.info("message_attempted", message_id=msg.message_id, event_id=msg.event_id,
                              rule=msg.rule, channel=channel, outcome=outcome.outcome,
                              status_code=outcome.status_code, attempt=msg.attempts,
                              error=outcome.error)
        self.store.record_results(results, worker=self.worker_id)
        return len(claimed)

    def drain(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        total = 0
        while not should_stop():
            n = self.run_once()
            total += n
            if n < self.settings.batch_size:
                break
        return total
