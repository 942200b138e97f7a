"""Running the daemon as a service: the one place that handles signals.

SIGTERM / SIGINT stop cleanly: the HTTP intake stops first (no new 202s), in-flight sends
finish within ``service.stop_timeout_seconds``, everything else stays queued. A second
SIGTERM / SIGINT exits at once. SIGHUP reloads settings, rules and templates (an invalid
change is refused and the old config keeps running).

Under systemd (``Type=notify``) it reports READY=1 once config, store, detector and intake
are up, RELOADING=1 / READY=1 around reloads (sent by ``Daemon.reload``), STOPPING=1 when it
stops; the daemon's scheduler sends the WATCHDOG=1 pings.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

from autoreply import heap
from autoreply.daemon import Daemon
from autoreply.logs import get_logger
from autoreply.settings import Settings


def run(settings: Settings) -> int:
    # what the systemd unit's MALLOC_ARENA_MAX=2 and MALLOC_MMAP_THRESHOLD_ do, when run without
    heap.limit_arenas()
    heap.fix_mmap_threshold()
    log = get_logger(component="service")
    stop = threading.Event()
    reload_requested = threading.Event()

    def on_stop(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            log.warning("forced_exit", signal=signal.Signals(signum).name)
            os._exit(1)
        log.info("stop_requested", signal=signal.Signals(signum).name)
        stop.set()

    def on_reload(_signum: int, _frame: FrameType | None) -> None:
        reload_requested.set()

    # installed before start(): a SIGHUP while loading must not kill us (its default action)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGHUP, on_reload)
    daemon = Daemon(settings)
    daemon.start()
    intake = daemon.intake.url if daemon.intake is not None else None
    daemon.notifier.ready(status=f"running; intake {intake or 'off'}")
    log.info("ready", pid=os.getpid(), intake=intake)
    try:
        while not stop.wait(0.2):
            if reload_requested.is_set():
                reload_requested.clear()
                daemon.reload()
    finally:
        daemon.notifier.stopping()
        daemon.stop(timeout=settings.service.stop_timeout_seconds)
    return 0
