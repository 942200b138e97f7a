"""Serving the intake app: uvicorn on its own thread and event loop, inside the daemon.

The listening socket is bound here, before the thread starts, so a taken port is an error
from ``Daemon.start()`` (naming ``intake.port``) and ``port = 0`` yields a real port at once.
uvicorn installs no signal handlers (``service.py`` owns signals) and does not configure
logging; stopping it closes the listener first, then lets in-flight requests finish for up to
``intake.drain_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Generator
from typing import Any

import uvicorn

from autoreply.errors import ConfigError, Problem
from autoreply.logs import get_logger


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # signals belong to autoreply.service


class IntakeServer:
    def __init__(
        self,
        app: Any,
        host: str,
        port: int,
        *,
        drain_seconds: float,
        config_file: str | None = None,
    ) -> None:
        self.host = host
        self.log = get_logger(component="intake")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            self.sock = socket.create_server((host, port), family=family, backlog=2048)
        except OSError as exc:
            raise ConfigError(
                [
                    Problem(
                        f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                        file=config_file,
                        path="intake.port",
                    )
                ]
            ) from None
        self.port: int = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=max(int(drain_seconds), 1),
            timeout_keep_alive=5,
            server_header=False,
        )
        self.server = _Server(config)
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive() and not self.server.should_exit

    def start(self, timeout: float = 15.0) -> None:
        self.thread = threading.Thread(target=self._run, name="intake", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the HTTP intake did not start: {self.error!r}")
            time.sleep(0.01)
        self.log.info("intake_listening", url=self.url)

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve(sockets=[self.sock]))
        except BaseException as exc:  # reported by start() / the watchdog
            self.error = exc
            self.log.error("intake_crashed", error=f"{type(exc).__name__}: {exc}")

    def stop(self, timeout: float) -> None:
        """Stop accepting (no new 202s), let in-flight requests finish, then return."""
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout)
            if self.thread.is_alive():
                self.log.warning("intake_stop_timeout", timeout=timeout)
        with contextlib.suppress(OSError):
            self.sock.close()
        self.log.info("intake_stopped")
