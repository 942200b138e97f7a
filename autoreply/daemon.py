"""The daemon core: wiring of store, pipeline, dispatcher and scheduler.

It takes events (``submit``) and commands (``reload``, ``stop``) as method calls so tests can
embed it; it installs no signal handlers — :mod:`autoreply.service` does that, in one place.

APScheduler drives *time*, not data: interval jobs drain the inbox, dispatch due outbox
rows and watch the config files; the outbox table is the source of truth for what is
scheduled.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from autoreply.clock import Clock, OffsetClock, SystemClock, parse_instant
from autoreply.config import Config, config_files, fingerprint, load_config
from autoreply.dispatch import Dispatcher
from autoreply.errors import ConfigError
from autoreply.events import Event
from autoreply.language import Detector
from autoreply.logs import get_logger
from autoreply.metrics import CONFIG_LAST_RELOAD_OK, CONFIG_RELOADS, EVENTS_DUPLICATE, EVENTS_IN
from autoreply.pipeline import Engine
from autoreply.ratelimit import RateLimits
from autoreply.senders import Sender
from autoreply.settings import Settings, load_settings
from autoreply.store import Store
from autoreply.worker import InboxWorker


def clock_from(settings: Settings) -> Clock:
    if settings.clock_start:
        return OffsetClock(parse_instant(settings.clock_start))
    return SystemClock()


def build_senders(settings: Settings, clock: Clock | None = None) -> dict[str, Sender]:
    """The configured senders (log, smtp, webhook, amazon); ConfigError if a secret is missing."""
    from autoreply.senders.registry import build_senders as build

    return build(settings, clock or clock_from(settings))


def build_detector(settings: Settings) -> Detector | None:
    """The language detector, preloaded (detection arrives with the language issue)."""
    return None


@dataclass
class SubmitResult:
    accepted: list[str]
    duplicates: list[str]


class Daemon:
    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or clock_from(settings)
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.log = get_logger(component="daemon", worker=self.worker_id)
        self._stopping = threading.Event()
        self._lock = threading.RLock()
        self.config: Config | None = None
        self.engine: Engine | None = None
        self.store: Store | None = None
        self.scheduler: BackgroundScheduler | None = None
        self.last_reload_ok = True

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Load and validate everything, open the store, start the jobs. Raises ConfigError."""
        self.config = load_config(self.settings)
        detector = build_detector(self.settings)
        self.engine = Engine(self.config, detector)
        self.senders = build_senders(self.settings, self.clock)
        self.store = Store(self.settings.database_url,
                           sqlite_synchronous=self.settings.store.sqlite_synchronous,
                           echo=self.settings.store.echo)
        self.store.migrate()
        self.worker = InboxWorker(self.store, lambda: self._engine(), self.clock,
                                  self.settings.worker.batch_size)
        # dispatch workers share the senders and one set of token buckets (rate limits)
        self.limits = RateLimits.from_settings(self.settings.senders, self.clock)
        self.dispatchers = [
            Dispatcher(self.store, self.senders, self.clock, self.settings.dispatch,
                       f"{self.worker_id}/d{i}", limits=self.limits)
            for i in range(self.settings.dispatch.workers)
        ]
        self.dispatcher = self.dispatchers[0]
        if self.store.dialect == "sqlite":
            self._reclaim_orphans()
        self.scheduler = BackgroundScheduler(
            timezone="UTC",
            executors={"default": ThreadPoolExecutor(4 + self.settings.dispatch.workers)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.scheduler.add_job(self.process_inbox, "interval", id="inbox",
                               seconds=self.settings.worker.interval_seconds)
        for i in range(len(self.dispatchers)):
            self.scheduler.add_job(self.dispatch, "interval", args=[i],
                                   id="dispatch" if i == 0 else f"dispatch-{i}",
                                   seconds=self.settings.dispatch.interval_seconds)
        self.scheduler.add_job(self.watch_config, "interval", id="watch_config", seconds=2)
        self.scheduler.start()
        self.log.info("daemon_started", database=self.store.dialect,
                      rules=len(self.config.rules.rules), templates=len(self.config.templates.names()))

    def _reclaim_orphans(self) -> None:
        """On SQLite only one daemon runs: rows left 'sending' by a killed run are due again."""
        assert self.store is not None
        from autoreply.store import outbox

        with self.store.begin() as conn:
            n = conn.execute(
                outbox.update().where(outbox.c.status == "sending")
                .values(lease_until=self.clock.now() - timedelta(seconds=1))
            ).rowcount
        if n:
            self.log.warning("orphans_reclaimed", count=n)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking work, let the running batch finish, leave everything else queued."""
        self._stopping.set()
        if self.scheduler is not None:
            done = threading.Event()

            def shutdown() -> None:
                assert self.scheduler is not None
                self.scheduler.shutdown(wait=True)
                done.set()

            threading.Thread(target=shutdown, daemon=True).start()
            if not done.wait(timeout):
                self.log.warning("stop_timeout", timeout=timeout)
        for sender in getattr(self, "senders", {}).values():
            sender.close()
        if self.store is not None:
            self.store.close()
        self.log.info("daemon_stopped")

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # -- work ------------------------------------------------------------------------
    def _engine(self) -> Engine:
        with self._lock:
            assert self.engine is not None
            return self.engine

    def submit(self, events: Sequence[Event], *, source: str = "api") -> SubmitResult:
        """Persist events in the inbox; returns which ids were new and which were repeats."""
        assert self.store is not None
        new = self.store.add_events(
            [(e.id, e.kind, e.platform, e.to_json()) for e in events], source=source,
            now=self.clock.now())
        seen = set(new)
        EVENTS_IN.labels(source).inc(len(new))
        EVENTS_DUPLICATE.labels(source).inc(len(events) - len(new))
        self.wake("inbox")
        return SubmitResult(accepted=[e.id for e in events],
                            duplicates=[e.id for e in events if e.id not in seen])

    def wake(self, job_id: str) -> None:
        """Run a job now instead of at its next interval."""
        if self.scheduler is not None and self.scheduler.running and not self.stopping:
            from datetime import UTC, datetime

            ids = [job_id]
            if job_id == "dispatch":
                ids += [f"dispatch-{i}" for i in range(1, len(self.dispatchers))]
            for one in ids:
                try:
                    self.scheduler.modify_job(one, next_run_time=datetime.now(UTC))
                except Exception:  # the job may be running or the scheduler shutting down
                    pass

    def process_inbox(self) -> int:
        n = self.worker.drain(lambda: self.stopping)
        if n:
            self.wake("dispatch")
        return n

    def dispatch(self, index: int = 0) -> int:
        return self.dispatchers[index].drain(lambda: self.stopping)

    # -- configuration ---------------------------------------------------------------
    def reload(self) -> bool:
        """Re-read settings, rules and templates; keep the old ones if anything is invalid."""
        try:
            settings = load_settings(self.settings.config_file)
            config = load_config(settings)
        except ConfigError as exc:
            self.last_reload_ok = False
            CONFIG_RELOADS.labels("failed").inc()
            CONFIG_LAST_RELOAD_OK.set(0)
            for problem in exc.problems:
                self.log.error("reload_failed", problem=str(problem))
            return False
        if settings.senders != self.settings.senders:
            # senders, their secrets and rate limits are built at start
            self.log.warning("senders_changed_restart_required")
        with self._lock:
            detector = self.engine.detector if self.engine else None
            self.config = config
            self.engine = Engine(config, detector)
        self.last_reload_ok = True
        CONFIG_RELOADS.labels("ok").inc()
        CONFIG_LAST_RELOAD_OK.set(1)
        self.log.info("config_reloaded", fingerprint=config.fingerprint, rules=len(config.rules.rules))
        return True

    def watch_config(self) -> None:
        if self.config is None:
            return
        current = fingerprint(config_files(self.settings))
        if current != self.config.fingerprint and (self.last_reload_ok or current != getattr(self, "_failed_fp", None)):
            ok = self.reload()
            if not ok:
                self._failed_fp: Any = current
