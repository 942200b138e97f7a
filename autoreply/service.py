"""Running the daemon as a service: the one place that handles signals.

SIGTERM / SIGINT stop cleanly (a second one stops at once); SIGHUP reloads the config.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

from autoreply.daemon import Daemon
from autoreply.logs import get_logger
from autoreply.settings import Settings


def run(settings: Settings) -> int:
    log = get_logger(component="service")
    daemon = Daemon(settings)
    daemon.start()
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

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGHUP, on_reload)
    log.info("ready")
    try:
        while not stop.wait(0.2):
            if reload_requested.is_set():
                reload_requested.clear()
                daemon.reload()
    finally:
        daemon.stop()
    return 0
