"""The daemon core: wiring of store, pipeline, dispatcher and scheduler.

It takes events (``submit``) and commands (``reload``, ``stop``) as method calls so tests can
embed it; it installs no signal handlers — :mod:`autoreply.service` does that, in one place.

APScheduler drives *time*, not data: interval jobs drain the inbox, dispatch due outbox
rows and watch the config files; the outbox table is the source of truth for what is
scheduled.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from autoreply import heap, places, timezones
from autoreply.clock import Clock, OffsetClock, SystemClock, parse_instant
from autoreply.compliance import linecache
from autoreply.config import Config, config_files, fingerprint, load_config
from autoreply.dispatch import Dispatcher
from autoreply.errors import ConfigError, Problem
from autoreply.events import Event
from autoreply.language import Detector
from autoreply.logs import get_logger
from autoreply.metrics import (
    CONFIG_LAST_RELOAD_OK,
    CONFIG_RELOADS,
    EVENTS_DUPLICATE,
    EVENTS_IN,
    WATCHDOG_PINGS,
)
from autoreply.notify import Notifier
from autoreply.pipeline import Engine
from autoreply.ratelimit import RateLimits
from autoreply.runtime import remove_runtime, write_runtime
from autoreply.senders import Sender
from autoreply.settings import Settings, load_settings
from autoreply.sla import SlaTracker
from autoreply.sources import amazon_state  # noqa: F401  (its tables, for Store.migrate)
from autoreply.store import Store
from autoreply.worker import InboxWorker

if TYPE_CHECKING:
    from autoreply.server import IntakeServer

#: settings a reload cannot apply to a running daemon (rules, templates, seller, language can)
RESTART_ONLY = ("state_dir", "store", "intake", "senders", "worker", "dispatch", "log", "service")


def clock_from(settings: Settings) -> Clock:
    if settings.clock_start:
        return OffsetClock(parse_instant(settings.clock_start))
    return SystemClock()


def build_senders(settings: Settings, clock: Clock | None = None) -> dict[str, Sender]:
    """The configured senders (log, smtp, webhook, amazon); ConfigError if a secret is missing."""
    from autoreply.senders.registry import build_senders as build

    return build(settings, clock or clock_from(settings))


def build_detector(settings: Settings, languages: Iterable[str] | None = None) -> Detector | None:
    """The language detector for ``languages`` (default: the 16 shipped), models preloaded.

    Built once per process for a language set and accuracy, then shared (it is thread-safe)."""
    from autoreply.langdetect import DEFAULT_LANGUAGES, build

    detector = build(languages or DEFAULT_LANGUAGES, settings.language.accuracy)
    heap.release()  # lingua's model loading frees most of what it allocates
    return detector


#: SQLite's page cache per connection in low-memory mode (its default is 2,000 KiB; the daemon
#: holds one connection per thread that touched the database: inbox, dispatchers, intake, SLA)
LOW_MEMORY_SQLITE_CACHE_KIB = 256


def low_memory(settings: Settings) -> bool:
    """Low-memory mode (``language.accuracy = "low"``): data kept out of the heap where a
    look-up can afford to read it back (the city index's alternate names) and smaller SQLite
    page caches."""
    return settings.language.accuracy == "low"


def configure_memory(settings: Settings, spill_dir: Path | None) -> None:
    """The process-wide tables' low-memory settings (at start and at each reload): the city
    index's folded alternate names on disk, and smaller bounds for the caches a burst fills —
    resolved addresses, folded texts, the compliance per-line caches (the language detector
    bounds its own by its accuracy)."""
    low = low_memory(settings)
    places.configure(low_memory=low, spill_dir=spill_dir)
    timezones.configure(low_memory=low)
    linecache.configure(low_memory=low)


def warm_places() -> None:
    """Load the city index (in a thread at start), then hand its build-time memory back."""
    places.warm()
    heap.release()


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
        # -- service (issue 7): systemd notify, HTTP intake, runtime card -------------
        self.notifier = Notifier()
        self.intake: IntakeServer | None = None  # when intake.enabled
        self.reload_generation = 0
        self.last_reload_problems: list[str] = []
        self.started_at: str | None = None
        self._reload_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Load and validate everything, open the store, start the jobs. Raises ConfigError."""
        # the bounds first: building the compliance engine already fills the per-line caches
        # (its lexicon's terms go through the normaliser), 4,096 lines instead of low mode's 1,024
        configure_memory(self.settings, self.settings.state_path)
        self.config = load_config(self.settings)
        detector = build_detector(self.settings, self.config.templates.all_languages())
        self.engine = Engine(self.config, detector)
        self.senders = build_senders(self.settings, self.clock)
        self.store = Store(self.settings.database_url,
                           sqlite_synchronous=self.settings.store.sqlite_synchronous,
                           echo=self.settings.store.echo,
                           sqlite_cache_kib=LOW_MEMORY_SQLITE_CACHE_KIB if low_memory(self.settings) else None)
        self.store.migrate()
        threading.Thread(target=warm_places, name="places-warm", daemon=True).start()
        self.sla = SlaTracker(lambda: self._engine().config.settings, webhook_secret=lambda: (
            self.settings.webhook_secret.get_secret_value() if self.settings.webhook_secret else None))
        self.worker = InboxWorker(self.store, lambda: self._engine(), self.clock,
                                  self.settings.worker.batch_size, observers=[self.sla.observe])
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
        self.scheduler.add_job(self.sla_sweep, "interval", id="sla",
                               seconds=self.settings.sla.check_interval_seconds)
        self.scheduler.start()
        try:
            self._start_service()
        except BaseException:
            self.stop(timeout=5)
            raise
        self.log.info("daemon_started", database=self.store.dialect,
                      rules=len(self.config.rules.rules), templates=len(self.config.templates.names()))

    def _reclaim_orphans(self) -> None:
        """On SQLite only one daemon runs: rows left 'sending' by a killed run are due again."""
        assert self.store is not None
        from autoreply.schema import literal_eq
        from autoreply.store import outbox

        with self.store.begin() as conn:
            n = conn.execute(
                outbox.update().where(literal_eq(outbox.c.status, "sending"))
                .values(lease_until=self.clock.now() - timedelta(seconds=1))
            ).rowcount
        if n:
            self.log.warning("orphans_reclaimed", count=n)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking work, let the running batch finish, leave everything else queued."""
        self._stop_intake()
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
        remove_runtime(self.settings.state_path, os.getpid())
        self.log.info("daemon_stopped")

    # -- service (issue 7) -----------------------------------------------------------
    def _start_service(self) -> None:
        """Watchdog job, HTTP intake (last: it answers only once all else is ready), card."""
        assert self.scheduler is not None
        if self.notifier.watchdog_seconds:
            self.scheduler.add_executor(ThreadPoolExecutor(1), alias="watchdog")
            self.scheduler.add_job(self.watchdog_ping, "interval", id="watchdog",
                                   executor="watchdog", seconds=self.notifier.watchdog_seconds / 2)
        self.started_at = self.clock.now().isoformat()
        if self.settings.intake.enabled:
            from autoreply.intake import create_app
            from autoreply.server import IntakeServer

            intake = self.settings.intake
            self.intake = IntakeServer(create_app(self), intake.host, intake.port,
                                       drain_seconds=intake.drain_seconds,
                                       config_file=str(self.settings.config_file))
            self.intake.start()
        self.write_card()

    def _stop_intake(self) -> None:
        if self.intake is not None:
            self.intake.stop(self.settings.intake.drain_seconds + 2)

    def watchdog_ping(self) -> None:
        """WATCHDOG=1 while the scheduler runs jobs and the intake is serving."""
        if self.stopping:
            return
        if self.intake is not None and not self.intake.alive:
            self.log.error("watchdog_withheld", reason="the HTTP intake is not running")
            return
        self.notifier.watchdog()
        WATCHDOG_PINGS.inc()

    def write_card(self) -> None:
        write_runtime(self.settings.state_path, {
            "pid": os.getpid(),
            "started_at": self.started_at,
            "config_file": str(self.settings.config_file),
            "intake": self.intake.url if self.intake is not None else None,
            "reload": {"generation": self.reload_generation, "ok": self.last_reload_ok,
                       "problems": self.last_reload_problems},
        })

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
            # APScheduler keeps real time even when the daemon's clock is offset (tests, demos)
            now = SystemClock().now()
            ids = [job_id]
            if job_id == "dispatch":
                ids += [f"dispatch-{i}" for i in range(1, len(self.dispatchers))]
            for one in ids:
                # the job may be running or the scheduler shutting down
                with contextlib.suppress(Exception):
                    self.scheduler.modify_job(one, next_run_time=now)

    def process_inbox(self) -> int:
        n = self.worker.drain(lambda: self.stopping)
        if n:
            self.wake("dispatch")
        if n >= self.settings.worker.batch_size:  # a burst worked off: its freed heap back to the OS
            heap.release()
        return n

    def dispatch(self, index: int = 0) -> int:
        return self.dispatchers[index].drain(lambda: self.stopping)

    def sla_sweep(self) -> None:
        """Mark breached conversations and deliver due-soon / breached alerts."""
        assert self.store is not None
        try:
            self.sla.sweep(self.store, self.clock.now())
        except Exception as exc:  # an unreachable webhook or database hiccup: next sweep retries
            self.log.error("sla_sweep_failed", error=f"{type(exc).__name__}: {exc}")

    # -- configuration ---------------------------------------------------------------
    def reload(self) -> bool:
        """Re-read settings, rules and templates; keep the old ones if anything is invalid."""
        with self._reload_lock:
            self.notifier.reloading()
            try:
                return self._reload()
            finally:
                self._after_reload()

    def _after_reload(self) -> None:
        self.reload_generation += 1
        if self.started_at is not None:
            self.write_card()
        self.notifier.ready(status="running" if self.last_reload_ok
                            else "running; last reload failed, old config in use")

    def _reload(self) -> bool:
        try:
            settings = load_settings(self.settings.config_file)
            config = load_config(settings)
        except (ConfigError, OSError) as exc:
            problems = exc.problems if isinstance(exc, ConfigError) else [
                Problem(str(exc), file=str(self.settings.config_file))]
            self.last_reload_ok = False
            self.last_reload_problems = [str(p) for p in problems]
            CONFIG_RELOADS.labels("failed").inc()
            CONFIG_LAST_RELOAD_OK.set(0)
            for problem in problems:
                self.log.error("reload_failed", problem=str(problem), file=problem.file,
                               line=problem.line, path=problem.path)
            return False
        detector = build_detector(settings, config.templates.all_languages())  # same set: no reload
        configure_memory(settings, self.settings.state_path)  # the state directory needs a restart
        if settings.senders != self.settings.senders:
            # senders, their secrets and rate limits are built at start
            self.log.warning("senders_changed_restart_required")
        with self._lock:
            self.config = config
            self.engine = Engine(config, detector)
        self.last_reload_ok = True
        self.last_reload_problems = []
        CONFIG_RELOADS.labels("ok").inc()
        CONFIG_LAST_RELOAD_OK.set(1)
        restart = [name for name in RESTART_ONLY
                   if getattr(settings, name) != getattr(self.settings, name)]
        if restart:
            self.log.warning("reload_needs_restart", sections=restart)
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
